"""Every deliberately broken level file is refused with its exact one-line message."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from glassbox_game.levels import LevelError, load_level, loads_level
from glassbox_game.levels.validate import validate_main

HERE = Path(__file__).parent
BROKEN = HERE / "broken"
EXPECTED: dict[str, str] = tomllib.loads((HERE / "expected_messages.toml").read_text(encoding="utf-8"))


def test_every_broken_file_has_an_expected_message() -> None:
    names = {p.name for p in BROKEN.glob("*.toml")}
    assert names == set(EXPECTED)
    assert len(names) >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_message(name: str) -> None:
    path = BROKEN / name
    with pytest.raises(LevelError) as info:
        load_level(path)
    assert info.value.message == f"{path}: {EXPECTED[name]}"
    assert "\n" not in info.value.message


def test_the_issue_example_message_shape() -> None:
    with pytest.raises(LevelError) as info:
        text = '[network]\nlayers = [2, 2, 1]\nhidden_activation = "sigmoidd"\n[data]\nproblem = "xor"\n'
        loads_level(text, "levels/xor.toml")
    assert info.value.message.startswith(
        "levels/xor.toml: network.hidden_activation: "
        "'sigmoidd' is not one of sigmoid, tanh, relu, leaky_relu, linear"
    )


def test_file_over_one_megabyte(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text("[network]\nlayers = [2, 2, 1]\n" + "#" * 1_000_001 + "\n[data]\nproblem = \"xor\"\n")
    with pytest.raises(LevelError) as info:
        load_level(path)
    assert info.value.message == f"{path}: the file is larger than 1 MB; a level file is small text"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(LevelError, match=r"nope\.toml: no such file$"):
        load_level(tmp_path / "nope.toml")
    with pytest.raises(LevelError, match=r"is a directory, not a level file$"):
        load_level(tmp_path)


def test_validate_main_reports_each_file(capsys: pytest.CaptureFixture[str]) -> None:
    good = str(HERE.parents[1] / "levels" / "02-and-converges.toml")
    bad = str(BROKEN / "misspelt-key.toml")
    assert validate_main([good]) == 0
    out, err = capsys.readouterr()
    assert out == f"OK {good}\n" and err == ""
    assert validate_main([good, bad, "missing.toml"]) != 0
    out, err = capsys.readouterr()
    assert out == f"OK {good}\n"
    assert err.splitlines() == [f"{bad}: {EXPECTED['misspelt-key.toml']}", "missing.toml: no such file"]
