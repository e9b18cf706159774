"""Hostile level and lecture files: deep, long, huge, special, escaping — each refused with one line."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from glassbox_game.cli import main
from glassbox_game.lecture_script import LectureScriptError, load_lecture_script
from glassbox_game.levels import LevelError, load_level
from glassbox_game.levels.schema import MAX_GOALS, MAX_HINTS, MAX_KEY_PARTS, MAX_NESTING

GOOD = Path(__file__).resolve().parents[2] / "levels" / "02-and-converges.toml"
BASE = """
[level]
id = "hostile"
title = "Hostile"

[network]
layers = [2, 1]

[data]
problem = "and"
"""
GOAL = '\n[[goals]]\ntype = "loss_below"\nvalue = 0.1\n'


def validate_line(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """What ``glassbox validate PATH`` prints on stderr: exactly one line, no traceback."""
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


def test_deep_nesting_is_one_line_from_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("[network]\nlayers = " + "[" * 5000 + "]" * 5000 + "\n[data]\nproblem = 'and'\n")
    line = validate_line(path, capsys)
    assert line == f"{path}: line 2: lists or tables nest more than {MAX_NESTING} deep"


def test_deep_nesting_in_a_lecture_script_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep-lecture.toml"
    path.write_text('[lecture]\ntitle = "x"\n[[beats]]\nx = ' + "{a = " * 3000 + "1" + "}" * 3000 + "\n")
    assert f"nest more than {MAX_NESTING} deep" in validate_line(path, capsys)


@pytest.mark.parametrize("form", ["header", "key", "inline"])
def test_long_dotted_keys_are_refused_quickly(tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str) -> None:
    dotted = ".".join(["a"] * 499_000)  # just under 1 MB; tomllib would take ~10 minutes
    text = {"header": f"[{dotted}]\n", "key": f"{dotted} = 1\n", "inline": f"x = {{ {dotted} = 1 }}\n"}[form]
    path = tmp_path / "dotted.toml"
    path.write_text(BASE + text)
    start = time.perf_counter()
    line = validate_line(path, capsys)
    assert time.perf_counter() - start < 5.0
    assert line == f"{path}: line 11: a key or table header has more than {MAX_KEY_PARTS} dotted parts"


def test_dots_inside_strings_and_numbers_are_not_keys(tmp_path: Path) -> None:
    path = tmp_path / "dots.toml"
    sentence = ".".join(["a"] * 40)
    path.write_text(BASE.replace('title = "Hostile"', f'title = "{sentence}"\nbriefing = \'{sentence}\'')
                    + "# " + sentence + "\n" + GOAL)
    assert load_level(path).title == sentence


def test_goals_and_hints_are_bounded(tmp_path: Path) -> None:
    path = tmp_path / "many.toml"
    path.write_text(BASE + '[[goals]]\ntype="full_pass_stepped"\n' * 27_000)  # 945 KB, under the size cap
    with pytest.raises(LevelError) as err:
        load_level(path)
    assert err.value.message == (f"{path}: goals: 27000 goals is more than the limit of {MAX_GOALS} "
                                 "(what the goal list can show)")
    path.write_text(BASE + GOAL + '\n[[hints]]\ntext = "h"\n' * (MAX_HINTS + 1))
    with pytest.raises(LevelError) as err:
        load_level(path)
    assert err.value.message == f"{path}: hints: {MAX_HINTS + 1} hints is more than the limit of {MAX_HINTS}"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_not_a_regular_file_and_never_hangs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "level.toml"
    os.mkfifo(fifo)
    start = time.perf_counter()
    assert validate_line(fifo, capsys) == f"{fifo}: is not a regular file (a pipe); a level file must be an ordinary file"
    assert time.perf_counter() - start < 5.0


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_symlink_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    with pytest.raises(LevelError) as err:
        load_level(link)
    assert err.value.message == f"{link}: is not a regular file (a device); a level file must be an ordinary file"
    with pytest.raises(LectureScriptError) as err2:
        load_lecture_script(link)
    assert "is not a regular file (a device); a lecture script must be an ordinary file" in err2.value.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_data_file_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "rows.csv")
    path = tmp_path / "level.toml"
    path.write_text(BASE.replace('problem = "and"', 'file = "rows.csv"') + GOAL)
    with pytest.raises(LevelError) as err:
        load_level(path)
    assert err.value.message == f"{path}: data.file: 'rows.csv': is not a regular file (a pipe)"


def test_a_lecture_setup_cannot_leave_the_script_folder(tmp_path: Path) -> None:
    path = tmp_path / "talk.toml"
    path.write_text('[lecture]\ntitle = "x"\n[[beats]]\nsetup = "../../../../etc/passwd"\n')
    with pytest.raises(LectureScriptError) as err:
        load_lecture_script(path)
    assert err.value.message == f"{path}: beat 1: setup: '../../../../etc/passwd' is outside the lecture script's folder"
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "net.toml").write_text(GOOD.read_text())
    path.write_text('[lecture]\ntitle = "x"\n[[beats]]\nsetup = "sub/net.toml"\n')
    assert load_lecture_script(path).beats[0].setup is not None


def test_shipped_lecture_setups_still_resolve() -> None:
    shipped = Path(__file__).resolve().parents[2] / "lectures" / "backprop-story.toml"
    assert len(load_lecture_script(shipped).beats) > 5


def test_a_nul_in_the_file_name_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(LevelError) as err:
        load_level("bad\x00name.toml")
    assert err.value.message == "bad\x00name.toml: not a usable file name"
