"""Stars and unlocked levels, kept in ``data_dir()/progress.json``.

Saved with :func:`storage.atomic_write_json` (temp file, fsync, ``os.replace``, previous good file
kept as ``progress.json.bak``). Loading never crashes: a damaged file falls back to the backup, then
to a fresh start, and :attr:`Progress.notice` says which. A file written by a newer Glassbox is
never overwritten: the progress is read from the backup if possible and nothing is saved.

A save holds ``progress.json.lock`` and merges with what is on disk (best stars, fewest epochs,
most wins, every unlock), so two games played at once never lose each other's wins. Records are
keyed by :func:`level_key`: a shipped level by its shipped path (``levels/12-deep-trouble.toml``),
so a user's level that borrows a shipped id cannot earn that level's stars. Files from before
(keyed by the bare id) are read and moved to the new keys.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glassbox_game.storage import (
    ReadProblem,
    atomic_write_json,
    data_dir,
    locked,
    read_json,
    remove_stale_temps,
)

if TYPE_CHECKING:
    from glassbox_game.levels.model import Level

VERSION = 1
FILE_NAME = "progress.json"
SHIPPED_PREFIX = "levels/"


def level_key(level: Level) -> str | None:
    """The progress key of a shipped level (``levels/FILE.toml``), None for any other level file."""
    from glassbox_game.levels.shipped import LEVELS_DIR

    if level.id is None or level.path is None:
        return None
    try:
        path = Path(level.path).resolve()
    except (OSError, RuntimeError):
        return None
    if path.parent != LEVELS_DIR or path.suffix != ".toml":
        return None
    return SHIPPED_PREFIX + path.name


@lru_cache(maxsize=1)
def _shipped_keys_by_id() -> dict[str, str]:
    from glassbox_game.levels.model import LevelError
    from glassbox_game.levels.shipped import shipped_levels

    try:
        return {str(lv.id): str(level_key(lv)) for lv in shipped_levels()}
    except LevelError:
        return {}


def _migrate_key(key: str) -> str:
    """An old record keyed by a shipped level's bare id moves to that level's shipped path."""
    if "/" in key:
        return key
    return _shipped_keys_by_id().get(key, key)


@dataclass
class LevelRecord:
    stars: int = 0  # best stars earned (0 = not yet won)
    best_epochs: int | None = None
    wins: int = 0


@dataclass
class Progress:
    """Everything remembered between sessions about the campaign."""

    path: Path
    levels: dict[str, LevelRecord] = field(default_factory=dict)
    unlocked: set[str] = field(default_factory=set)
    notice: str | None = None  # why the stored file was not used as it was (for a one-line notice)
    read_only: bool = False  # a newer Glassbox wrote the file: never overwrite it
    _main_good: bool = False  # the main file was read fine (so it may become the backup)

    # -- queries ----------------------------------------------------------------------------------
    def stars(self, level_id: str) -> int:
        rec = self.levels.get(level_id)
        return rec.stars if rec else 0

    def is_unlocked(self, level_id: str, order: list[str]) -> bool:
        """The first level, any level already unlocked or won, and the one after any win."""
        if not order or level_id == order[0] or level_id in self.unlocked or self.stars(level_id) > 0:
            return True
        k = order.index(level_id) if level_id in order else -1
        return k > 0 and self.stars(order[k - 1]) > 0

    def total_stars(self) -> int:
        return sum(r.stars for r in self.levels.values())

    # -- changes ----------------------------------------------------------------------------------
    def record_win(self, level_id: str, stars: int, epochs: int, next_id: str | None = None) -> str | None:
        """Remember a win (keeping the best stars), unlock the next level and save; a problem as one line.

        ``level_id`` and ``next_id`` are progress keys (see :func:`level_key`).
        """
        def win() -> None:
            rec = self.levels.setdefault(level_id, LevelRecord())
            rec.stars = max(rec.stars, max(1, min(3, int(stars))))
            rec.best_epochs = epochs if rec.best_epochs is None else min(rec.best_epochs, epochs)
            rec.wins += 1
            self.unlocked.add(level_id)
            if next_id:
                self.unlocked.add(next_id)

        return self.save(win)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "levels": {k: {"stars": r.stars, "best_epochs": r.best_epochs, "wins": r.wins}
                       for k, r in sorted(self.levels.items())},
            "unlocked": sorted(self.unlocked),
        }

    def merge(self, levels: dict[str, LevelRecord], unlocked: set[str]) -> None:
        """Take in records from another copy (the file on disk): the better of each, every unlock."""
        for key, other in levels.items():
            mine = self.levels.get(key)
            if mine is None:
                self.levels[key] = LevelRecord(other.stars, other.best_epochs, other.wins)
                continue
            mine.stars = max(mine.stars, other.stars)
            bests = [b for b in (mine.best_epochs, other.best_epochs) if b is not None]
            mine.best_epochs = min(bests) if bests else None
            mine.wins = max(mine.wins, other.wins)
        self.unlocked |= unlocked

    def save(self, change: Any = None) -> str | None:
        """Merge with the file on disk, apply ``change()`` (if given) and write, all under the lock."""
        if self.read_only:
            if change is not None:
                change()
            return "Progress was written by a newer Glassbox: this session's stars are not saved."
        try:
            with locked(self.path):
                if self._main_good:
                    with contextlib.suppress(ReadProblem):
                        self.merge(*_read(self.path))  # what another game saved meanwhile
                if change is not None:
                    change()
                    change = None
                # After falling back to the backup the damaged main file must not replace that good
                # backup, so it is overwritten in place (still atomically) instead.
                atomic_write_json(self.path, self.to_json(), keep_backup=self._main_good)
        except OSError as exc:
            if change is not None:
                change()
            return f"Progress could not be saved ({exc.strerror or exc})."
        self._main_good = True
        return None


def _parse(data: dict[str, Any]) -> tuple[dict[str, LevelRecord], set[str]]:
    """The records in a version-checked JSON object; ReadProblem if their shape is wrong."""
    raw_levels = data.get("levels", {})
    raw_unlocked = data.get("unlocked", [])
    if not isinstance(raw_levels, dict) or not isinstance(raw_unlocked, list):
        raise ReadProblem("is damaged (unexpected contents)")
    levels: dict[str, LevelRecord] = {}
    for key, rec in raw_levels.items():
        if not isinstance(rec, dict):
            raise ReadProblem("is damaged (unexpected contents)")
        stars, best, wins = rec.get("stars", 0), rec.get("best_epochs"), rec.get("wins", 0)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (stars, wins)) \
                or not (best is None or (isinstance(best, int) and not isinstance(best, bool))):
            raise ReadProblem("is damaged (unexpected contents)")
        new = LevelRecord(max(0, min(3, stars)), best, max(0, wins))
        key = _migrate_key(str(key))
        old = levels.get(key)
        if old is not None:  # an old id-keyed record next to its new key: keep the better of both
            new = LevelRecord(max(old.stars, new.stars),
                              min((b for b in (old.best_epochs, new.best_epochs) if b is not None), default=None),
                              max(old.wins, new.wins))
        levels[key] = new
    if not all(isinstance(u, str) for u in raw_unlocked):
        raise ReadProblem("is damaged (unexpected contents)")
    return levels, {_migrate_key(u) for u in raw_unlocked}


def _read(path: Path) -> tuple[dict[str, LevelRecord], set[str]]:
    return _parse(read_json(path, VERSION))


def load_progress(directory: Path | None = None) -> Progress:
    """Progress from ``directory`` (default ``data_dir()``); never raises for a bad file."""
    folder = directory or data_dir()
    path = folder / FILE_NAME
    backup = path.with_name(path.name + ".bak")
    progress = Progress(path)
    try:
        with locked(path):  # a killed save's temporary files go (no other game is mid-save now)
            remove_stale_temps(path)
    except OSError:
        pass  # a read-only folder: nothing to clean, and reading still works
    try:
        progress.levels, progress.unlocked = _read(path)
        progress._main_good = True
        return progress
    except ReadProblem as exc:
        problem = str(exc)
    if "newer Glassbox" in problem:
        progress.read_only = True
    missing = problem == "not found"
    try:
        progress.levels, progress.unlocked = _read(backup)
        if missing:
            progress.notice = "Progress was restored from its backup (the main file was missing)."
        else:
            progress.notice = f"Your progress file {problem}; restored the backup copy."
    except ReadProblem as exc:
        if missing and str(exc) == "not found":
            return progress  # a first start: nothing to say
        progress.notice = f"Your progress file {problem}; starting fresh."
    if progress.read_only:
        progress.notice = f"Your progress file {problem}: it is left untouched and nothing is saved this session."
    return progress
