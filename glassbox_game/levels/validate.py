"""``glassbox validate FILE…``: ``OK path`` on stdout per good file, one line on stderr per bad one."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from glassbox_game.levels.fields import FieldError
from glassbox_game.levels.loader import _parse_toml, load_level
from glassbox_game.levels.model import LevelError
from glassbox_game.levels.schema import MAX_FILE_BYTES
from glassbox_game.storage import ReadProblem, read_regular


def validate_main(paths: Sequence[str]) -> int:
    """Check every file (a level, or a lecture script: a file with a [lecture] table); exit 0 iff all are good."""
    from glassbox_game.lecture_script import LectureScriptError, load_lecture_script

    bad = 0
    for path in paths:
        try:
            if _is_lecture_script(path):
                load_lecture_script(path)
            else:
                load_level(path)
        except (LevelError, LectureScriptError) as exc:
            bad += 1
            print(exc.message, file=sys.stderr)
        else:
            print(f"OK {path}")
    return 0 if bad == 0 else 1


def _is_lecture_script(path: str) -> bool:
    """A lecture script has a top-level [lecture] table; anything unreadable is left to the level checker."""
    try:
        doc = _parse_toml(read_regular(path, MAX_FILE_BYTES))  # the same bounded parse as the loaders
    except (ReadProblem, FieldError, RecursionError):
        return False
    return isinstance(doc.get("lecture"), dict)
