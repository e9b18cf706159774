"""One frame, one step: on every frame every panel drew the displayed step, in its phase, and its
numbers are that step's numbers formatted — at every speed, batch and online, MSE and cross-entropy,
and on every beat of the shipped lecture.

The check is independent of the panels' caches: the expected strings are computed here from the
frame's snapshot, and each panel reports the step it last drew (``drawn_step``), so a panel that
kept an older picture (its own clock, a missed rebuild) fails the test.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from glassbox_game.numfmt import fmt
from glassbox_game.render.explain import chain_view, display_row, num
from glassbox_game.render.loss_chart import current_point
from glassbox_game.render.network_view import weight_text
from glassbox_game.scenes.lecture import LectureScene
from glassbox_game.scenes.sim_scene import SimScene
from glassbox_game.sim import commands as c
from glassbox_game.sim.display import RACING_STEPS_PER_SECOND
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import SPEEDS
from tests.app.helpers import frames, make_app, press

ROOT = Path(__file__).resolve().parents[2]
STORY = str(ROOT / "lectures" / "backprop-story.toml")
STEP_PANELS = ("network", "chain", "tables", "chart", "insight", "topbar")
EDGE = Selection.edge(1, 0, 0)  # h₁ → ŷ


_EXPECTED: dict[tuple, tuple] = {}


def expected_chain(tr, target, sample, threshold):  # type: ignore[no-untyped-def]
    """chain_view is a pure function of these four: worked out once per step, not once per frame."""
    key = (id(tr), target, sample, threshold)
    hit = _EXPECTED.get(key)
    if hit is None or hit[0] is not tr:  # (the trace is kept, so a recycled id never hits)
        if len(_EXPECTED) > 64:
            _EXPECTED.clear()
        hit = _EXPECTED[key] = (tr, chain_view(tr, target, sample, threshold))
    return hit[1]


def check_frame(scene: SimScene) -> None:
    """Every step panel on screen drew scene.snap's step, and shows its numbers."""
    snap = scene.snap
    tr = snap.trace
    drawn = {name: scene.components[name].drawn_step for name in STEP_PANELS if name in scene.visible_panels}
    assert drawn and all(step == snap.step_id for step in drawn.values()), (snap.step_id, drawn)
    # top bar: the step's epoch and (once its loss phase is reached) the loss of the weights on show
    stats = {label: (value, ready) for label, value, ready in scene.components["topbar"].stats}
    assert stats["epoch"] == (f"{tr.epoch:,}", True)
    assert stats["loss"] == ((fmt(tr.loss, 4), True) if snap.reveals("loss") else ("—", False))
    if tr.mode == "online":
        assert stats["sample"][0] == str(tr.sample_indices[0] + 1)
        assert snap.sample == tr.sample_indices[0]  # every sample label names the step's sample
    # chain rule: the card's numbers are this step's, for the selection and the displayed sample
    chain = scene.components.get("chain")
    if chain is not None and "chain" in scene.visible_panels and not scene.quiz:
        target = snap.hover if snap.hover is not None else snap.selection
        expected = expected_chain(tr, target, snap.sample, snap.lock_threshold)
        assert chain.view is not None and chain.view.grad.text == expected.grad.text
        assert chain.view.pill == expected.pill
        if expected.kind == "edge":
            row = display_row(tr, snap.sample)
            l, j, i = target.layer, target.j, target.i  # type: ignore[union-attr]
            grad = tr.mean_grad_w[l][j, i] if row is None else tr.grad_w[l][row][j, i]
            assert chain.view.grad.text == num(float(grad)).text
        assert chain.reveal == (snap.reveals("backward"), snap.reveals("update"))
    # tables: the card's table is the one this step gives (numbers of later phases as dashes)
    tables = scene.components.get("tables")
    if tables is not None and "tables" in scene.visible_panels:
        shown, expected_grid = tables.shown_grid, tables.grid(snap)
        assert shown is not None
        assert [[cell.text for cell in row] for row in shown.rows] == \
               [[cell.text for cell in row] for row in expected_grid.rows]
    # network: every weight label is this step's weight (after its update once the update phase began)
    net = scene.components["network"]
    ws = tr.weights_after if snap.applied and not (snap.playing and snap.animated and snap.phase == "update") \
        else tr.weights
    if not (snap.applied and snap.playing and snap.animated):  # mid-update the width eases between the two
        for (l, j, i), text in net.pill_texts.items():
            assert text.endswith(weight_text(float(ws[l][j][i]), 3 if (snap.selection == Selection.edge(l, j, i))
                                             else 2)), (text, float(ws[l][j][i]))
    # loss chart: its marked point is this step's
    chart = scene.components.get("chart")
    if chart is not None and "chart" in scene.visible_panels:
        assert chart.point == current_point(snap)


def sandbox(**changes: object):
    app = make_app("sandbox", "--resolution", "1920x1080")
    frames(app, 1)
    scene = app.top
    assert isinstance(scene, SimScene)
    if changes:
        scene.sim.submit(c.LoadSetup(replace(scene.sim.setup, **changes)))  # type: ignore[arg-type]
    scene.sim.submit(c.Select(EDGE))
    frames(app, 1)
    return app, scene


CASES = [pytest.param({}, id="batch-mse"),
         pytest.param({"mode": "online", "shuffle": True}, id="online-mse"),
         pytest.param({"loss": "cross_entropy"}, id="batch-ce"),
         pytest.param({"mode": "online", "loss": "cross_entropy"}, id="online-ce")]


@pytest.mark.slow
@pytest.mark.parametrize("changes", CASES)
@pytest.mark.parametrize("speed", [1.0, 20.0, 1000.0, SPEEDS[-1]], ids=["1/s", "20/s", "1k/s", "top"])
def test_every_frame_shows_one_step_at_every_speed(changes: dict, speed: float) -> None:
    app, scene = sandbox(**changes)
    scene.sim.submit(c.SetSpeed(SPEEDS.index(speed)))
    scene.sim.submit(c.Play())
    shown = set()
    for _ in range(150):  # 2.5 s of frames
        frames(app, 1)
        check_frame(scene)
        shown.add(scene.snap.step_id)
    if speed > 20:  # racing: the displayed step moves on at the one rate, all panels together
        assert 2 <= len(shown) <= 2.5 * RACING_STEPS_PER_SECOND + 2
        assert scene.sim.trainer.epoch > len(shown)
    press(app, "space")  # pause: the frame shows the step the trainer stopped at
    frames(app, 2)
    check_frame(scene)
    assert scene.snap.trace is scene.sim.current
    app.shutdown()


@pytest.mark.slow
@pytest.mark.parametrize("changes", CASES)
def test_stepping_each_phase_shows_that_phase_everywhere(changes: dict) -> None:
    app, scene = sandbox(**changes)
    seen = []
    for _ in range(9):  # two whole steps and the next forward phase, a press at a time
        press(app, "right")
        for _ in range(40):
            frames(app, 1)
            check_frame(scene)
        seen.append(scene.snap.shown_phase)
    assert seen == ["forward", "loss", "backward", "update"] * 2 + ["forward"]
    press(app, "left")  # undo: the step before, whole
    frames(app, 1)
    check_frame(scene)
    assert scene.snap.shown_phase == "ready"
    app.shutdown()


@pytest.mark.slow
def test_every_lecture_beat_shows_one_step() -> None:
    app = make_app("lecture", STORY, "--resolution", "1920x1080")
    frames(app, 2)
    scene = app.top
    assert isinstance(scene, LectureScene) and scene.script is not None
    beats = len(scene.script.beats)
    for _ in range(beats - 1 + sum(b.phase_steps for b in scene.script.beats)):
        press(app, "page down")
        for _ in range(45):  # mid-animation frames included
            frames(app, 1)
            check_frame(scene)
    assert scene.beat_index == beats - 1
    app.shutdown()
