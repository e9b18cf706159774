"""The campaign that ships with the game: ``levels/*.toml`` beside the package, in play order."""

from __future__ import annotations

from pathlib import Path

from glassbox_game.levels.loader import load_level
from glassbox_game.levels.model import Level

LEVELS_DIR = Path(__file__).resolve().parents[2] / "levels"


def shipped_levels(directory: Path | None = None) -> list[Level]:
    """Every level in ``directory`` (default: the shipped ``levels/``), sorted by order then id.

    Raises :class:`LevelError` for the first broken file: shipped levels must all be valid.
    """
    folder = LEVELS_DIR if directory is None else directory
    levels = [load_level(p) for p in sorted(folder.glob("*.toml"))]
    return sorted(levels, key=lambda lv: (lv.order, lv.id or ""))
