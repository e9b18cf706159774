"""The help card names the keys the screens answer, from the one key table (scenes/keys.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pygame

from glassbox_game.scenes.keys import HELP_ROWS, LECTURE_KEYS, SCREEN_KEYS, TRAINING_KEYS

ROOT = Path(__file__).resolve().parents[2]


def _doc_keys(path: Path, heading: str) -> set[str]:
    """The key cells of the table under ``heading`` (a table may hold two key columns)."""
    text = path.read_text(encoding="utf-8")
    section = text[text.index(heading):]
    section = section[:section.find("\n## ", 1) if "\n## " in section[1:] else len(section)]
    keys = set()
    for line in section.splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        keys.update(c for c in cells[0::2] if c and c != "key")
    return keys


def _norm(label: str) -> str:
    return re.sub(r"\s+", "", label)


def test_the_help_card_lists_every_key_the_screens_answer() -> None:
    keys = " ".join(k for k, _ in HELP_ROWS)
    for key in ("M", "T / I", "H", "[ / ]", "Ctrl + S", "F11", "Page Down"):
        assert key in keys, key


def test_every_shared_training_key_has_its_line_on_the_help_card() -> None:
    rows = set(HELP_ROWS)
    for b in TRAINING_KEYS:
        assert all(row in rows for row in b.help)
    # a binding without a line of its own shares the line of the binding before it (+ / −)
    silent = [b for b in TRAINING_KEYS if not b.help]
    assert [pygame.key.name(b.keys[0]) for b in silent] == ["-"]
    assert HELP_ROWS[:sum(len(b.help) for b in TRAINING_KEYS)] == tuple(r for b in TRAINING_KEYS for r in b.help)
    assert set(SCREEN_KEYS) | set(LECTURE_KEYS) <= rows


def test_the_readme_key_table_lists_the_shared_training_keys() -> None:
    documented = {_norm(k) for k in _doc_keys(ROOT / "README.md", "## Keys (everywhere a network trains)")}
    for b in TRAINING_KEYS:
        for label, _ in b.help:
            assert _norm(label) in documented, f"README's key table lacks {label!r}"


def test_the_lecture_doc_lists_the_lecture_keys() -> None:
    documented = " ".join(_doc_keys(ROOT / "docs" / "lecture-scripts.md", "## Keys in lecture mode"))
    for label, _ in LECTURE_KEYS:
        for key in re.split(r" / | or ", label):
            assert key in documented, f"docs/lecture-scripts.md's key table lacks {key!r}"
