"""docs/levels.md's table of the generated-data levels says what their files say (it said 3,000
epochs for level 17 after the level moved to 5,000)."""

from __future__ import annotations

import re
from pathlib import Path

from glassbox_game.levels import shipped_levels

DOC = Path(__file__).resolve().parents[2] / "docs" / "levels.md"


def test_the_generated_levels_table_matches_the_level_files() -> None:
    section = DOC.read_text(encoding="utf-8").split("## Levels on generated data", 1)[1].split("\n## ", 1)[0]
    rows = {int(m[1]): m[0] for m in re.finditer(r"^\| (\d+) .*$", section, re.M)}
    levels = {lv.order: lv for lv in shipped_levels()}
    assert sorted(rows) == [n for n in sorted(levels) if n >= 14]
    for n, row in rows.items():
        level = levels[n]
        assert row.startswith(f"| {n} {level.title} |"), row
        for goal in level.goals:
            assert goal.type in row, (n, goal.type)
            within = getattr(goal, "within_epochs", None)
            if within is not None:
                assert f"within {within:,} epochs" in row, (n, row)
            value = getattr(goal, "value", None)
            if value is not None:
                assert f"{goal.type} {value:g}" in row, (n, row)
