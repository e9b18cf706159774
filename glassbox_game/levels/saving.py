"""Saving the sandbox's setup as a level file, and opening any level file as a sandbox setup.

A saved file describes a starting point, not a moment of training: the setup as it is (its explicit
starting weights if it has them, else seed + init). The text is checked by the same loader that
reads it back before a byte is written, so a saved file always validates and plays. Shipped
campaign files are never overwritten.
"""

from __future__ import annotations

from pathlib import Path

from glassbox_game.engine.setup import Setup
from glassbox_game.levels.loader import load_level, loads_level
from glassbox_game.levels.model import LevelError
from glassbox_game.levels.shipped import LEVELS_DIR
from glassbox_game.levels.writer import level_to_toml
from glassbox_game.storage import atomic_write_text

FOLDER_NAME = "glassbox-levels"
DEFAULT_NAME = "my-level.toml"


class SaveRefused(Exception):
    """The setup was not written; ``message`` is one line for a notice."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def levels_folder() -> Path:
    """Where the user's own level files go by default (``~/glassbox-levels``)."""
    return Path.home() / FOLDER_NAME


def default_save_path() -> Path:
    return levels_folder() / DEFAULT_NAME


def start_folder(last: Path | None = None) -> Path:
    """Where a file dialog opens: the last folder used, else the user's levels folder, else the shipped one."""
    for folder in (last, levels_folder()):
        if folder is not None and folder.is_dir():
            return folder
    return LEVELS_DIR


def open_problem(path: Path) -> str | None:
    """Why ``path`` cannot be opened as a level file (one line), or None when it can."""
    if not path.exists():
        where = path.parent
        return f"Cannot open {path.name}: there is no such file in {where}." if where.is_dir() \
            else f"Cannot open {path}: there is no folder {where}."
    if path.is_dir():
        return f"{path} is a folder: pick a .toml file in it."
    if path.suffix.lower() != ".toml":
        return f"Cannot open {path.name}: level files end in .toml."
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        return f"Cannot open {path.name}: {exc.strerror or type(exc).__name__}."
    return None


def save_problem(path: Path) -> str | None:
    """Why a level cannot be saved at ``path`` (one line), or None when it can."""
    if not path.name or path.is_dir():
        return f"{path} is a folder: type a file name such as {DEFAULT_NAME}."
    if not path.parent.is_dir() and path.parent != levels_folder():
        return f"Cannot save there: there is no folder {path.parent}."
    return None


def with_suffix(path: Path) -> Path:
    """A name typed without an extension gets ``.toml``, so the file shows up in the Open dialog."""
    return path if path.suffix else path.with_name(path.name + ".toml")


def is_shipped(path: Path) -> bool:
    """True for a file inside the shipped ``levels/`` folder (symlinks and ``..`` resolved)."""
    try:
        target = path.expanduser().resolve()
        shipped = LEVELS_DIR.resolve()
    except (OSError, RuntimeError):
        return False
    return target == shipped or shipped in target.parents


def setup_file_text(setup: Setup, shown: str = "<sandbox>") -> str:
    """The level-file text for ``setup``, already checked by the loader (SaveRefused if it would not load)."""
    text = level_to_toml(setup)
    try:
        loads_level(text, shown)
    except LevelError as exc:
        raise SaveRefused(f"Not saved: {exc.message}") from None
    return text


def save_setup(setup: Setup, path: Path) -> Path:
    """Write ``setup`` to ``path`` (atomically); the path written. SaveRefused with a reason otherwise."""
    path = with_suffix(path.expanduser())
    if is_shipped(path):
        raise SaveRefused(f"Not saved: {path.name} is one of the game's own levels; choose another name or folder.")
    if path.is_dir():
        raise SaveRefused(f"Not saved: {path} is a folder; type a file name such as {DEFAULT_NAME}.")
    text = setup_file_text(setup, str(path))
    try:
        if path.parent == levels_folder():
            path.parent.mkdir(parents=True, exist_ok=True)  # the default folder is made when first saved to
        atomic_write_text(path, text)
    except OSError as exc:
        raise SaveRefused(f"Not saved: cannot write {path} ({exc.strerror or type(exc).__name__}).") from None
    return path


def open_setup(path: Path) -> Setup:
    """The setup of any level (or sandbox setup) file; LevelError with the validation message otherwise."""
    return load_level(path.expanduser()).setup
