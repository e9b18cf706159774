"""Property: whatever ``glassbox validate`` accepts plays without a traceback, whatever the text.

Level and lecture files are generated with arbitrary Unicode (control characters, NUL, zero-width
and combining characters, astral planes …) in every text field: title, briefing, debrief, goal
labels, hints, lecture title, description, beat titles, captions and speaker notes. When the loader accepts the
file, a headless play (briefing, goals, a hint, the debrief card) or lecture (every beat) of 30
frames must run without raising. The example count is kept small: each example starts the game.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from glassbox_game.lecture_script import LectureScriptError, load_lecture_script
from glassbox_game.levels import LevelError, load_level
from tests.app.helpers import frames, make_app

# every code point but surrogates (TOML cannot hold them), weighted towards the awkward ones; most
# examples leave out NUL and the other control characters (which are refused) so that most files
# are accepted and played
INVISIBLE = ["\u200b", "\ufeff", "\u0301", "\u202e", "\u00ad", "\ufffc", "\U000e0001", "\u3164", " ", "\t",
             "\U0001f600", "\u0e49", "\U00010fff"]
REFUSED = ["\u0000", "\x7f", "\x07", "\x85", "\u2028", "\r\n"]
PLAYABLE = st.lists(st.one_of(st.sampled_from(INVISIBLE), st.characters(exclude_categories=("Cs", "Cc"))),
                    min_size=1, max_size=12).map("".join)
ANY = st.lists(st.one_of(st.sampled_from(INVISIBLE + REFUSED), st.characters(exclude_categories=("Cs",))),
               max_size=12).map("".join)


def toml_string(text: str) -> str:
    """A TOML basic string holding ``text`` exactly (control characters as \\u escapes)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def level_file(t: list[str]) -> str:
    return f"""
[level]
id = "unicode-test"
title = {toml_string(t[0])}
briefing = {toml_string(t[1])}
debrief = {toml_string(t[2])}
controls = ["speed", "step", "reset"]

[network]
layers = [2, 2, 1]

[data]
problem = "xor"

[[goals]]
type = "loss_below"
value = 0.2
label = {toml_string(t[3])}

[[goals]]
type = "full_pass_stepped"
label = {toml_string(t[4])}

[[hints]]
text = {toml_string(t[5])}
"""


def lecture_file(t: list[str]) -> str:
    return f"""
[lecture]
title = {toml_string(t[0])}
description = {toml_string(t[1])}

[[beats]]
title = {toml_string(t[2])}
caption = {toml_string(t[3])}
[beats.network]
layers = [2, 2, 1]
[beats.data]
problem = "xor"

[[beats]]
title = {toml_string(t[4])}
caption = {toml_string(t[5])}
notes = {toml_string(t[1] + t[3])}
run_to_epoch = 5
"""


FIELDS = st.one_of(*[st.lists(PLAYABLE, min_size=6, max_size=6)] * 4, st.lists(ANY, min_size=6, max_size=6))
PROPERTY = settings(max_examples=16, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@PROPERTY
@given(FIELDS)
def test_any_level_validate_accepts_plays_without_a_traceback(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "unicode-level.toml"
    path.write_text(level_file(texts), encoding="utf-8")
    try:
        load_level(path)
    except LevelError as exc:
        assert "\n" not in exc.message and exc.message.startswith(str(path))
        event("refused")
        return
    event("accepted")
    from glassbox_game.scenes.level_play import DebriefScene, LevelPlayScene

    app = make_app("play", str(path))
    try:
        frames(app, 10)  # the briefing card
        app.top.script_command(["start"])
        frames(app, 5)
        play = next(s for s in app.scenes if isinstance(s, LevelPlayScene))
        play.script_command(["hint"])
        frames(app, 5)
        app.push(DebriefScene(app, play))
        frames(app, 10)
    finally:
        app.shutdown()


@PROPERTY
@given(FIELDS)
def test_any_lecture_validate_accepts_runs_without_a_traceback(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "unicode-lecture.toml"
    path.write_text(lecture_file(texts), encoding="utf-8")
    try:
        load_lecture_script(path)
    except LectureScriptError as exc:
        assert "\n" not in exc.message and exc.message.startswith(str(path))
        event("refused")
        return
    event("accepted")
    app = make_app("lecture", str(path))
    try:
        frames(app, 10)
        for _ in range(2):
            app.top.script_command(["next"])
            frames(app, 10)
    finally:
        app.shutdown()


@pytest.mark.parametrize("text", ["\u200b", "\ufeff", "\u200b\ufeff ", "\u0301"])
def test_invisible_only_title_is_refused_with_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "t.toml"
    path.write_text(level_file([text, "", "", "", "", "a hint"]), encoding="utf-8")
    with pytest.raises(LevelError) as err:
        load_level(path)
    assert err.value.message == f"{path}: level.title: must not be empty (it holds only invisible characters)"


@pytest.mark.parametrize(("text", "what"), [("a\u0000b", "NUL character (U+0000)"),
                                            ("a\u0007b", "control character (U+0007)")])
def test_nul_and_control_characters_are_refused(tmp_path: Path, text: str, what: str) -> None:
    path = tmp_path / "t.toml"
    path.write_text(level_file(["T", text, "", "", "", "a hint"]), encoding="utf-8")
    with pytest.raises(LevelError) as err:
        load_level(path)
    assert err.value.message.startswith(f"{path}: level.briefing: contains a {what}")


def test_zero_width_characters_are_dropped_and_labels_fall_back(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(level_file(["A\u200bB\ufeff", "x\ty\r\nz", "", "\u200b", "", "a hint"]), encoding="utf-8")
    level = load_level(path)
    assert level.title == "AB" and level.briefing == "x y\nz" and level.goals[0].label == ""
