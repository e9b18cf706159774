"""Script targets for the parameter controls: the number field beside a slider takes typed text."""

from __future__ import annotations

import pytest

from glassbox_game.script import parse_script
from tests.app.helpers import frames, make_app


@pytest.mark.parametrize("target", ["param:learning_rate:number", "param:learning_rate_entry"])
def test_click_the_rate_number_then_type_sets_the_rate(target: str) -> None:
    app = make_app("sandbox", "--resolution", "1280x720")
    frames(app, 2)
    assert "param:learning_rate" in app.top.targets(), "the slider target is still there"
    for action in parse_script(f"at 0 click {target}\nat 0 key ctrl+a\nat 0 type 0.25\nat 0 key return\n"):
        app.perform(action)
        frames(app, 1)
    frames(app, 3)
    assert app.top.sim.setup.learning_rate == pytest.approx(0.25)
    app.shutdown()



def test_escape_closes_an_open_drop_down_before_pausing() -> None:
    from glassbox_game.scenes.sandbox import SandboxScene
    from tests.app.helpers import click, press

    app = make_app("sandbox", "--resolution", "1280x720")
    frames(app, 2)
    menu = app.top.components["params"].widgets["loss"]
    click(app, menu.get_abs_rect().center)
    frames(app, 2)
    assert menu.current_state is menu.menu_states["expanded"]
    press(app, "escape")
    frames(app, 2)
    assert menu.current_state is menu.menu_states["closed"]
    assert isinstance(app.top, SandboxScene), "the first Esc only closes the drop-down"
    app.shutdown()


# -- batch size and regularisation -------------------------------------------------------------
from glassbox_game.engine.setup import Setup  # noqa: E402
from glassbox_game.ui.params_panel import batch_text, parse_batch, parse_rate, regularization_changes  # noqa: E402


@pytest.mark.parametrize(("text", "changes"), [
    ("1", (("mode", "online"), ("batch_size", None))),
    ("online", (("mode", "online"), ("batch_size", None))),
    ("full", (("mode", "batch"), ("batch_size", None))),
    ("100", (("mode", "batch"), ("batch_size", None))),
    (" 10 ", (("mode", "batch"), ("batch_size", 10))),
])
def test_a_batch_size_reads_as_online_a_mini_batch_or_the_full_batch(text: str, changes) -> None:
    assert parse_batch(text, 100) == (changes, None)


@pytest.mark.parametrize(("text", "why"), [
    ("0", "Batch size: 0 is outside 1 … 100 (the training rows)."),
    ("101", "Batch size: 101 is outside 1 … 100 (the training rows)."),
    ("ten", "Batch size: 'ten' is not a whole number 1 … 100, 'online' or 'full'."),
])
def test_a_bad_batch_size_gives_one_line(text: str, why: str) -> None:
    assert parse_batch(text, 100) == (None, why)


def test_the_batch_field_shows_online_full_or_the_size() -> None:
    assert [batch_text(Setup(mode="online")), batch_text(Setup()), batch_text(Setup(batch_size=8))] == \
        ["online", "full", "8"]


def test_regularisation_choices_and_rates() -> None:
    assert regularization_changes(Setup(), "L2") == (("regularization", "l2"), ("regularization_rate", 0.001))
    assert regularization_changes(Setup(regularization="l1", regularization_rate=0.3), "L2")[1][1] == 0.3
    assert regularization_changes(Setup(regularization="l2", regularization_rate=0.3), "none") == \
        (("regularization", "none"), ("regularization_rate", 0.0))
    assert parse_rate("0.05", Setup(regularization="l1")) == (0.05, None)
    assert parse_rate("0.05", Setup())[1] == "Regularisation rate λ: choose L1 or L2 first (with none, λ has no effect)."
    assert parse_rate("11", Setup(regularization="l1"))[0] is None


def _type(app, target: str, text: str) -> None:  # type: ignore[no-untyped-def]
    for action in parse_script(f"at 0 click {target}\nat 0 key ctrl+a\nat 0 type {text}\nat 0 key return\n"):
        app.perform(action)
        frames(app, 1)
    frames(app, 3)


def test_the_batch_field_sets_the_mini_batch_the_trace_then_holds() -> None:
    app = make_app("sandbox", "--resolution", "1280x720")
    try:
        frames(app, 2)
        scene = app.top
        scene.script_command(["set", "data", "circle"])
        frames(app, 3)
        _type(app, "param:batch_size", "10")
        assert scene.sim.setup.batch_size == 10 and scene.sim.setup.mode == "batch"
        assert scene.snap.trace.n_samples == 10 and scene.snap.trace.mode == "minibatch"
        # the tables show the batch's rows: ten rows, named by the samples they are
        grid = scene.components["tables"].shown_grid
        assert len(grid.rows) == 10
        _type(app, "param:batch_size", "1")
        assert scene.sim.setup.mode == "online" and scene.snap.trace.n_samples == 1
        before = scene.sim.setup
        _type(app, "param:batch_size", "100000")
        assert scene.sim.setup == before
        said = [text for text, _ in app.notices]
        assert "Batch size: 100,000 is outside 1 … 100 (the training rows). The setting is unchanged." in said
    finally:
        app.shutdown()


def test_l2_and_its_rate_reach_the_chain_rules_penalty_term() -> None:
    import pygame_gui

    from glassbox_game.render.explain import snapshot_chain_view
    from glassbox_game.sim.selection import Selection

    app = make_app("sandbox", "--resolution", "1920x1080")
    try:
        frames(app, 2)
        scene = app.top
        scene.script_command(["set", "data", "circle"])
        frames(app, 3)
        menu = scene.components["params"].widgets["regularization"]
        for cmd in scene.components["params"].handle_event(
                __import__("pygame").event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, text="L2", ui_element=menu),
                scene.snap):
            scene.sim.submit(cmd)
        frames(app, 3)
        assert scene.sim.setup.regularization == "l2" and scene.sim.setup.regularization_rate == 0.001
        epoch = scene.sim.trainer.epoch
        _type(app, "param:regularization_rate", "0.05")
        assert scene.sim.setup.regularization_rate == 0.05
        assert scene.sim.trainer.regularization_rate == 0.05 and scene.sim.trainer.epoch == epoch  # live
        scene.script_command(["select", "edge", "x1->h1"])
        frames(app, 3)
        view = snapshot_chain_view(scene.snap)
        w = float(scene.snap.trace.weights[0][0, 0])
        assert view.update is not None and view.update.penalty.startswith("λ·w (0.0500 × "), view.update
        assert scene.snap.trace.penalty_grad_w[0][0, 0] == pytest.approx(0.05 * w)
        assert Selection.edge(0, 0, 0) == scene.snap.selection
    finally:
        app.shutdown()
