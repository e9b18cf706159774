"""Whatever the bytes, loading a level ends in a Level or a one-line LevelError — never anything else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glassbox_game.levels import LevelError, loads_level

LEVELS = Path(__file__).parents[2] / "levels"
GOOD = [p.read_bytes() for p in sorted(LEVELS.glob("*.toml"))]


def check(data: bytes) -> None:
    try:
        loads_level(data, "fuzz.toml", base_dir=None)
    except LevelError as exc:
        assert exc.message.startswith("fuzz.toml: ")
        assert "\n" not in exc.message and "\r" not in exc.message


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    check(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(GOOD),
       st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255), st.integers(0, 2)), min_size=1, max_size=8))
def test_byte_mutations_of_good_files(good: bytes, edits: list[tuple[int, int, int]]) -> None:
    data = bytearray(good)
    for pos, byte, kind in edits:
        k = pos % (len(data) + 1)
        if kind == 0 and k < len(data):
            data[k] = byte
        elif kind == 1:
            data.insert(k, byte)
        elif k < len(data):
            del data[k]
    check(bytes(data))


TOKENS = ["true", "nan", "inf", "-1", "0", "1e308", '"x"', "[]", "[[]]", "{}", '"sigmoid"', '"y"', '"h1->y"',
          "2.5", '"mean"', "[2, 2, 1]", "[[0.0, 1.0]]", '"../x.csv"', '"steepest"', "99999999999"]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(GOOD), st.integers(0, 10**6), st.sampled_from(TOKENS))
def test_value_swaps_in_good_files(good: bytes, line_pick: int, token: str) -> None:
    lines = good.decode("utf-8").splitlines()
    candidates = [k for k, line in enumerate(lines) if " = " in line and not line.startswith("#")]
    k = candidates[line_pick % len(candidates)]
    key = lines[k].split(" = ", 1)[0]
    lines[k] = f"{key} = {token}"
    check("\n".join(lines).encode("utf-8"))
