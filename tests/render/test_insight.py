"""The insight card: the map is the network's own forward pass, the tangent's slope is the trace's ∂L/∂w."""

from __future__ import annotations

import os
from dataclasses import replace

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np
import pygame
import pytest

from glassbox_game.engine import gradcheck
from glassbox_game.engine.losses import get_loss
from glassbox_game.engine.network import Network
from glassbox_game.engine.setup import Setup
from glassbox_game.kit.component import ViewContext
from glassbox_game.kit.layout import sandbox_layout
from glassbox_game.kit.theme import make_theme
from glassbox_game.render import insight_math as im
from glassbox_game.render.insight_panel import InsightPanel, current_weights
from glassbox_game.sim import commands as c
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import Simulation

SIZE = (1920, 1080)


@pytest.fixture(scope="module", autouse=True)
def display():
    pygame.init()
    pygame.display.set_mode((1, 1))
    yield


def sim_after(epochs: int, *cmds: c.Command, **setup) -> Simulation:
    sim = Simulation(Setup(**{"problem": "xor", "seed": 1, **setup}))
    for cmd in (c.RunToEpoch(epochs), *cmds):
        sim.submit(cmd)
        sim.update(1 / 120)
    while sim.trainer.epoch < epochs:
        sim.update(1 / 120)
    return sim


def panel(tab: str, size=SIZE, theme="dark") -> tuple[InsightPanel, pygame.Surface]:
    th = make_theme(theme, size)
    p = InsightPanel()
    p.layout(sandbox_layout(size, th)["insight"], ViewContext(th))
    p.select_tab(tab)
    return p, pygame.Surface(size)


def test_decision_map_matches_the_engines_forward_pass_on_its_grid() -> None:
    sim = sim_after(800)
    for _ in range(4):  # forward, loss, backward, update: the update has been applied
        sim.submit(c.StepPhase())
        sim.update(1 / 120)
    snap = sim.snapshot()
    p, surface = panel("map")
    p.draw(surface, snap)
    ws, bs = current_weights(snap)
    net = Network(snap.trace.layers, list(ws), list(bs), snap.trace.hidden_activation, snap.trace.output_activation)
    bounds = im.plane_bounds(snap.setup.dataset().x)
    x1 = im.grid_axis(bounds[0], bounds[1], 64)
    x2 = im.grid_axis(bounds[2], bounds[3], 64)[::-1]
    pts = np.array([[a, b] for b in x2 for a in x1])
    assert p.last_grid is not None
    np.testing.assert_allclose(p.last_grid, net.predict(pts)[:, 0].reshape(64, 64), rtol=0, atol=1e-12)
    # and the weights used are the network's current ones (after the update once applied)
    assert snap.applied and ws is snap.trace.weights_after


def test_the_map_is_a_message_for_networks_that_are_not_2_input() -> None:
    snap = sim_after(5, problem=None, layers=(3, 2, 1), inputs=((0, 0, 1), (1, 0, 0)), targets=((0,), (1,))).snapshot()
    p, surface = panel("map")
    p.draw(surface, snap)
    assert p.last_grid is None


def test_vectorised_slice_equals_the_engines_loop_for_weights_and_biases() -> None:
    for loss in ("mse", "cross_entropy"):
        sim = sim_after(3, layers=(2, 3, 3, 1), loss=loss)
        tr = sim.snapshot().trace
        net = Network(tr.layers, list(tr.weights), list(tr.biases), tr.hidden_activation, tr.output_activation)
        values = np.linspace(-4, 4, 33)
        for kind, l, j, i in (("w", 0, 2, 1), ("w", 2, 0, 1), ("b", 1, 1, 0), ("b", 2, 0, 0)):
            got = im.loss_slice(tr.weights, tr.biases, tr.hidden_activation, tr.output_activation, loss, tr.x, tr.y,
                                kind, l, j, i, values)
            want = gradcheck.loss_along(net, tr.x, tr.y, get_loss(loss), kind, l, j, i, values)
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("sample", [None, 2])
def test_the_tangents_slope_is_the_traces_gradient(sample: int | None) -> None:
    sel = Selection.edge(0, 1, 0)  # a hidden weight: x₁ → h₂
    sim = sim_after(300, c.Select(sel), c.SetSample(sample))
    snap = sim.snapshot()
    p, surface = panel("slice")
    p.draw(surface, snap)
    data = p.last_slice
    assert data is not None
    tr = snap.trace
    want = tr.grad_w[0][sample, 1, 0] if sample is not None else tr.mean_grad_w[0][1, 0]
    assert data.slope == want  # exactly the trace's number, not a re-derivation
    assert data.per_sample == (sample is not None)
    assert data.w == tr.weights[0][1, 0] and data.new_w == pytest.approx(data.w - tr.learning_rate * want)
    # and it is the slope of the drawn curve at w (central difference on the slice itself)
    eps = 1e-5
    rows = slice(sample, sample + 1) if sample is not None else slice(None)
    ends = im.loss_slice(tr.weights, tr.biases, tr.hidden_activation, tr.output_activation, tr.loss_name,
                         tr.x[rows], tr.y[rows], "w", 0, 1, 0, np.array([data.w - eps, data.w + eps]))
    assert (ends[1] - ends[0]) / (2 * eps) == pytest.approx(want, rel=1e-5, abs=1e-9)


def test_slice_without_selection_asks_for_one_and_bias_selection_works() -> None:
    p, surface = panel("slice")
    p.draw(surface, sim_after(10).snapshot())
    assert p.last_slice is None
    snap = sim_after(10, c.Select(Selection.neuron(2, 0))).snapshot()
    p.draw(surface, snap)
    assert p.last_slice is not None and p.last_slice.slope == snap.trace.grad_b[1][snap.sample, 0]
    snap = sim_after(10, c.Select(Selection.neuron(2, 0)), c.SetSample(None)).snapshot()
    p.draw(surface, snap)
    assert p.last_slice is not None and p.last_slice.slope == snap.trace.mean_grad_b[1][0]


def test_gradient_bars_show_the_vanishing_gradient_of_a_deep_sigmoid_net() -> None:
    snap = sim_after(1, layers=(2, 4, 4, 4, 1), seed=5, init_radius=4.0).snapshot()
    p, surface = panel("bars")
    p.draw(surface, snap)
    mags = p.last_bars
    assert mags is not None and len(mags) == 4
    np.testing.assert_allclose(mags, [np.abs(g).mean() for g in snap.trace.grad_w])
    assert mags[0] < mags[-1] / 10  # blame fades by more than a decade on its way to the first layer
    assert [im.layer_label(snap.trace.layers, l) for l in range(4)] == ["x→h¹", "h¹→h²", "h²→h³", "h³→ŷ"]


def test_tabs_are_clickable_targets() -> None:
    p, _ = panel("map")
    snap = sim_after(1).snapshot()
    targets = p.targets()
    assert set(targets) == {"insight:map", "insight:slice", "insight:bars"}
    for name, rect in targets.items():
        assert p.rect.contains(rect)
        click = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=rect.center, button=1)
        assert p.handle_event(click, snap) == []
        assert p.tab == name.split(":")[1]
    with pytest.raises(ValueError):
        p.select_tab("pie")


def test_the_card_follows_the_displayed_step_and_only_it() -> None:
    sim = sim_after(10)
    p, surface = panel("map")
    snap = replace(sim.snapshot(), playing=True, animated=False)
    p.draw(surface, snap)
    first = p.last_grid
    p.draw(surface, replace(snap, time=snap.time + 0.05))
    assert p.last_grid is first and p.drawn_step == snap.step_id  # the same step: the same picture
    sim.submit(c.RunToEpoch(400))
    sim.update(1 / 120)
    later = replace(sim.snapshot(), playing=True, animated=False)
    p.draw(surface, later)
    assert p.last_grid is not first and p.drawn_step == later.step_id


@pytest.mark.parametrize(("size", "theme"), [((1280, 720), "dark"), ((3840, 2160), "light"),
                                             ((1920, 1080), "lecture-light")])
@pytest.mark.parametrize("tab", ["map", "slice", "bars"])
def test_every_tab_draws_at_every_size_and_theme(size, theme, tab) -> None:
    snap = sim_after(50, c.Select(Selection.edge(1, 0, 1))).snapshot()
    p, surface = panel(tab, size, theme)
    p.draw(surface, snap)
    assert all(p.rect.contains(r) for r in p.targets().values())


def test_small_nets_get_one_gradient_bar_per_connection_of_the_mean_gradient() -> None:
    from glassbox_game.engine.setup import build_trainer
    from glassbox_game.levels import shipped_levels
    from glassbox_game.levels.goals_check import target_edges
    from glassbox_game.render import insight_math as imath

    lv = next(lv for lv in shipped_levels() if lv.id == "follow-the-gradient")
    tr = build_trainer(lv.setup).peek()
    mags, edges = imath.connection_gradient_magnitudes(tr)
    assert len(edges) == 6 <= imath.PER_CONNECTION_MAX
    for v, (l, j, i) in zip(mags, edges, strict=True):
        assert v == abs(tr.mean_grad_w[l][j, i])
    # the tallest bar is the weight level 4's "steepest" goal wants, the shortest the "flattest"
    assert {edges[int(mags.argmax())]} == target_edges(tr, lv.goals[0])  # type: ignore[arg-type]
    assert {edges[int(mags.argmin())]} == target_edges(tr, lv.goals[1])  # type: ignore[arg-type]


def test_the_test_points_toggle_draws_the_held_out_points_as_well() -> None:
    sim = sim_after(5, generator="circle", points=60, test_fraction=0.25, problem=None)
    snap = sim.snapshot()
    p, surf = panel("map")
    p.draw(surf, snap)
    assert p.test_points_drawn == 0 and "insight:test_points" in p.targets()
    chip = p.targets()["insight:test_points"]
    p.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=chip.center), snap)
    assert p.show_test
    p.draw(surf, snap)
    assert p.test_points_drawn == 15 == sim.trainer.test_data.n_samples  # type: ignore[union-attr]
    assert p.toggle_rects["test_points"].colliderect(p.rect) and p.rect.contains(p.toggle_rects["test_points"])
    p.toggle("test_points")
    p.draw(surf, snap)
    assert p.test_points_drawn == 0


def test_no_test_set_no_toggle() -> None:
    snap = sim_after(5).snapshot()
    p, surf = panel("map")
    p.draw(surf, snap)
    assert "insight:test_points" not in p.targets() and p.test_points_drawn == 0


@pytest.mark.parametrize("tab", ["slice", "bars"])
def test_a_level_waiting_for_typed_answers_keeps_its_gradients_hidden(tab) -> None:
    """Level 13 asks for ∂L/∂w by hand: the slice's tangent and the bars are those gradients."""
    snap = sim_after(10, c.Select(Selection.edge(1, 0, 1))).snapshot()
    th = make_theme("dark", SIZE)
    p = InsightPanel()
    p.layout(sandbox_layout(SIZE, th)["insight"], ViewContext(th, quiz=True))
    p.select_tab(tab)
    p.draw(pygame.Surface(SIZE), snap)
    assert p.last_bars is None and p.last_slice is None
    p.ctx = ViewContext(th, quiz=False)  # the answers are in: the same step draws its gradients
    p.draw(pygame.Surface(SIZE), snap)
    assert (p.last_bars if tab == "bars" else p.last_slice) is not None


def test_level_13s_gradients_tab_waits_for_the_answers_through_the_backward_phase() -> None:
    from glassbox_game import tour
    from glassbox_game.kit import text_log
    from tests.app.helpers import frames, make_app, press

    text_log.start()
    app = make_app("play", "13", "--resolution", "1920x1080")
    try:
        press(app, "return")  # close the briefing
        for _ in range(3):  # forward, loss, backward
            press(app, "right")
            frames(app, 60)
        assert app.top.snap.reveals("backward")
        texts = [r.text for _, layer in tour.capture(app).layers for r in layer if r.panel == "insight"]
        assert any("Work it out first" in s for s in texts), texts
        assert not any("e−" in s or "0." in s for s in texts), texts  # no |∂L/∂w| label, no tick
    finally:
        app.shutdown()
        text_log.stop()
