"""``glassbox validate`` checks level files and lecture scripts alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from glassbox_game.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_levels_and_lecture_scripts_validate(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(p) for p in sorted((ROOT / "levels").glob("*.toml"))] + [str(ROOT / "lectures" / "backprop-story.toml")]
    assert main(["validate", *files]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"OK {f}" for f in files]


def test_a_broken_lecture_script_is_reported_with_its_own_message(capsys: pytest.CaptureFixture[str]) -> None:
    broken = ROOT / "tests" / "lecture_scripts" / "broken" / "bad-speed.toml"
    good = ROOT / "levels" / "02-and-converges.toml"
    assert main(["validate", str(good), str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out.strip() == f"OK {good}"
    assert captured.err.strip().startswith(f"{broken}: beat 1: speed:")
    assert len(captured.err.strip().splitlines()) == 1
