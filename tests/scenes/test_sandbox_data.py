"""Generated data sets in the sandbox, through the real app: the Problem menu, the chart's test curve."""

from __future__ import annotations

import pygame_gui

from glassbox_game.scenes.sandbox import SandboxScene
from glassbox_game.sim import commands as c
from glassbox_game.ui.params_panel import GENERATED, generated_changes
from tests.app.helpers import frames


def sandbox(app) -> SandboxScene:  # type: ignore[no-untyped-def]
    return next(s for s in app.scenes if isinstance(s, SandboxScene))


def test_the_problem_menu_offers_every_generated_data_set(app) -> None:  # type: ignore[no-untyped-def]
    menu = sandbox(app).components["params"].widgets["problem"]  # type: ignore[attr-defined]
    assert isinstance(menu, pygame_gui.elements.UIDropDownMenu)
    names = [o[0] if isinstance(o, tuple) else o for o in menu.options_list]
    assert {"SPIRAL", "CIRCLE", "XOR CLOUD", "GAUSSIANS", "PLANE", "HILL", "XOR"} <= set(names)
    assert set(GENERATED.values()) == {"circle", "xor", "gaussians", "spiral", "plane", "hill"}


def test_choosing_a_data_set_trains_on_it_and_the_chart_gets_a_test_curve(app) -> None:  # type: ignore[no-untyped-def]
    scene = sandbox(app)
    scene.script_command(["set", "data", "spiral"])
    scene.script_command(["set", "layers", "2-8-8-1"])
    frames(app, 3)
    setup = scene.sim.setup
    assert (setup.generator, setup.points, setup.test_fraction, setup.layers) == ("spiral", 200, 0.5, (2, 8, 8, 1))
    assert scene.sim.trainer.data.n_samples == 100 and scene.sim.trainer.test_data is not None
    scene.sim.submit(c.RunToEpoch(30))
    frames(app, 10)
    snap = scene.sim.snapshot()
    assert snap.epoch == 30 and snap.test_history is not None and len(snap.test_history) == 30
    assert snap.trace.test_loss is not None
    scene.script_command(["set", "problem", "and"])  # back to a truth table: the generated data goes
    frames(app, 3)
    assert scene.sim.setup.generator is None and scene.sim.trainer.data.n_samples == 4


def test_a_regression_data_set_switches_to_a_tanh_output_and_mse() -> None:
    from glassbox_game.engine.setup import Setup

    changes, notice = generated_changes(Setup(loss="cross_entropy"), "hill")
    got = dict(changes)
    assert got["generator"] == "hill" and got["loss"] == "mse" and got["output_activation"] == "tanh"
    assert notice is not None and "regression" in notice


def test_clicking_a_point_on_the_decision_map_makes_it_the_displayed_sample(app) -> None:  # type: ignore[no-untyped-def]
    from tests.app.helpers import click

    scene = sandbox(app)
    scene.script_command(["set", "data", "circle"])
    frames(app, 4)
    insight = scene.components["insight"]
    assert insight.map_points is not None  # type: ignore[attr-defined]
    _, centres = insight.map_points  # type: ignore[attr-defined]
    assert len(centres) == scene.sim.trainer.data.n_samples == 100
    k = 37
    click(app, (int(centres[k][0]), int(centres[k][1])))
    frames(app, 2)
    snap = scene.sim.snapshot()
    # the nearest point to the click is the one drawn there (points may overlap: ask the panel)
    want = insight.point_at((int(centres[k][0]), int(centres[k][1])))  # type: ignore[attr-defined]
    assert want is not None and snap.sample == want
    assert snap.trace.sample_indices[snap.sample] == want  # full batch: the row is the sample


def test_the_chain_rule_and_loss_calc_show_the_penalty_with_its_numbers() -> None:
    from dataclasses import replace
    from pathlib import Path

    from glassbox_game.engine import build_trainer
    from glassbox_game.levels import load_level
    from glassbox_game.render.explain import chain_view, loss_calc_view
    from glassbox_game.sim.selection import Selection

    level = load_level(Path(__file__).resolve().parents[2] / "levels" / "15-a-penalty-on-big-weights.toml")
    trace = build_trainer(replace(level.setup, regularization="l2", regularization_rate=0.05)).peek()
    view = chain_view(trace, Selection.edge(2, 0, 0), None)
    u = view.update
    assert u is not None and u.data_grad is not None
    w = float(trace.weights[2][0, 0])
    assert u.data_grad.value == float(trace.data_grad_w[2][0, 0])
    assert u.grad.value == float(trace.mean_grad_w[2][0, 0])
    assert abs(u.grad.value - (u.data_grad.value + 0.05 * w)) < 1e-12  # ∂L/∂w = mean δ × a + λ·w
    assert u.penalty.startswith("λ·w (0.0500 × ")
    assert view.check is None or view.check.ok  # the check compares the data loss's gradient
    calc = loss_calc_view(trace, None)
    assert calc.penalty is not None and calc.penalty.value == trace.penalty and calc.mean.value == trace.loss


def test_g_draws_new_points_of_the_same_kind(app) -> None:  # type: ignore[no-untyped-def]
    from tests.app.helpers import press

    scene = sandbox(app)
    scene.script_command(["set", "data", "circle"])
    frames(app, 3)
    before = scene.sim.setup
    points = scene.sim.trainer.data.points.copy()
    press(app, "g")
    frames(app, 3)
    after = scene.sim.setup
    assert after.data_seed == before.data_seed + 1 and after.generator == "circle"
    assert (after.points, after.noise, after.test_fraction) == (before.points, before.noise, before.test_fraction)
    assert scene.sim.trainer.data.n_samples == len(points)
    assert not (scene.sim.trainer.data.points == points).all()  # what the student sees: other points
    scene.script_command(["set", "problem", "xor"])
    frames(app, 3)
    press(app, "g")  # a truth table has no points to draw again: nothing changes
    frames(app, 3)
    assert scene.sim.setup.data_seed == after.data_seed and scene.sim.trainer.data.n_samples == 4
