"""Numbers are written one way: a real minus sign and one short exponent form (2.51e11, 3e8, 3.1e−4)."""

from __future__ import annotations

import re

import pytest

from glassbox_game import tour
from glassbox_game.kit import text_log
from glassbox_game.numfmt import compact, fmt, plain
from glassbox_game.sim import commands as c
from tests.app.helpers import frames, make_app, press


@pytest.mark.parametrize(("value", "fixed", "message", "pill"), [
    (0.25, "0.2500", "0.25", "0.25"),
    (-0.2428, "−0.2428", "−0.2428", "−0.24"),
    (959300.1, "959300", "959300", "9.6e5"),
    (3e8, "3.00e8", "3e8", "3e8"),
    (2.507e11, "2.51e11", "2.51e11", "2.5e11"),
    (3.1e-4, "3.10e−4", "3.1e−4", "3.1e−4"),
    (float("nan"), "NaN", "NaN", "NaN"),
    (float("-inf"), "−∞", "−∞", "−∞"),
])
def test_the_three_forms(value, fixed, message, pill):
    assert (fmt(value), plain(value), compact(value)) == (fixed, message, pill)
    assert len(compact(value)) <= 7, "a pill holds about six characters"


#: what must never appear on screen: the "e+08" form, or a run of seven or more digits
BAD = re.compile(r"e[+-]|e−0|\d{7,}")


def test_a_diverged_run_writes_every_number_one_way():
    """Level 11 blows up to ~1e11: the top bar, pills, table, chart, goal card and halt message
    all use the one short exponent form — no "e+05" beside "2.51e11" on one frame."""
    text_log.start()
    try:
        app = make_app("play", "11", "--resolution", "1920x1080")
        press(app, "enter")  # the briefing's Start
        frames(app, 2)
        scene = app.top
        scene.sim.submit(c.RunToEpoch(40))
        frames(app, 30)
        assert scene.live.halt_message is not None, "level 11 at η = 1 diverges and halts"
        texts = [t.text for _, placed in tour.capture(app, "level-11-halted").layers for t in placed]
        app.shutdown()
    finally:
        text_log.stop()
    numbers = [t for t in texts if re.search(r"\d", t)]
    assert any("e11" in t or "e10" in t for t in numbers), numbers
    offenders = [t for t in numbers if BAD.search(t)]
    assert not offenders, offenders
