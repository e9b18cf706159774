"""``glassbox validate FILE…``: ``OK path`` on stdout per good file, one line on stderr per bad one."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from glassbox_game.levels.loader import load_level
from glassbox_game.levels.model import LevelError


def validate_main(paths: Sequence[str]) -> int:
    """Check every file; exit status 0 iff all are good, 1 otherwise."""
    bad = 0
    for path in paths:
        try:
            load_level(path)
        except LevelError as exc:
            bad += 1
            print(exc.message, file=sys.stderr)
        else:
            print(f"OK {path}")
    return 0 if bad == 0 else 1
