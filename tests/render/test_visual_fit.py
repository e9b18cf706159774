"""What a student at the back of the hall would notice: nothing cut mid-line, nothing overlapping,
numbers that change look changed, hints that follow the selection, no easing with reduced motion."""

from __future__ import annotations

import itertools

import pygame
import pygame_gui
import pytest

from glassbox_game.engine.setup import Setup
from glassbox_game.kit.component import ViewContext
from glassbox_game.kit.layout import lecture_layout, sandbox_layout
from glassbox_game.kit.theme import make_theme
from glassbox_game.render.chain_rule_panel import DROP_UPDATE, ChainRulePanel
from glassbox_game.render.explain import before_after, slope_answer, snapshot_chain_view
from glassbox_game.render.loss_chart import LossChartPanel
from glassbox_game.render.network_view import CLICK_HINT, SELECTED_HINT, NetworkView
from glassbox_game.sim import commands as c
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import Simulation
from glassbox_game.sim.snapshot import Snapshot
from glassbox_game.ui.topbar import TopBar


@pytest.fixture(scope="module", autouse=True)
def display():
    pygame.init()
    pygame.display.set_mode((1, 1))
    yield


def snap_for(sel: Selection | None, epochs: int = 300, sample: int | None = 1, **setup) -> Snapshot:
    sim = Simulation(Setup(**setup))
    if epochs:
        sim.submit(c.RunToEpoch(epochs))
    sim.submit(c.Select(sel))
    sim.submit(c.SetSample(sample))
    for _ in range(3):
        sim.update(1 / 120)
    return sim.snapshot()


def chain(theme_name: str, size: tuple[int, int], rect: pygame.Rect, text_scale: float = 1.0) -> ChainRulePanel:
    p = ChainRulePanel()
    p.layout(rect, ViewContext(make_theme(theme_name, size, text_scale=text_scale)))
    return p


# -- chain rule ----------------------------------------------------------------------------------
SELECTIONS = [Selection.edge(1, 0, 0), Selection.edge(0, 0, 1), Selection.neuron(1, 0), Selection.neuron(2, 0)]


@pytest.mark.parametrize("sel", SELECTIONS)
@pytest.mark.parametrize("theme_name,text_scale", [("dark", 1.0), ("dark", 2.0), ("lecture-light", 1.0)])
@pytest.mark.parametrize("height", [220, 300, 420, 560, 700, 800, 1000])
def test_chain_rule_never_cuts_a_block_and_keeps_the_update_when_it_can(sel, theme_name, text_scale, height) -> None:
    snap = snap_for(sel)
    rect = pygame.Rect(1136, 24, 760, height)
    p = chain(theme_name, (1920, 1080), rect, text_scale)
    p.refresh(snap)
    assert p.spans or height < 300, "the card shows at least ∂L/∂w"
    assert all(bottom <= p.floor for _, bottom in p.spans), "a block runs past the card's inner bottom"
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(p.spans)), "blocks overlap"
    if height >= 420 or (height >= 300 and text_scale == 1.0 and theme_name == "dark"):
        assert any(b.priority == DROP_UPDATE for b in p.placed), "the update line was dropped with room to spare"


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("sel", [Selection.edge(1, 0, 0), Selection.neuron(2, 0)])
def test_sandbox_card_at_1080p_keeps_the_eta_line(loss: str, sel: Selection) -> None:
    snap = snap_for(sel, loss=loss)
    theme = make_theme("dark", (1920, 1080))
    p = chain("dark", (1920, 1080), sandbox_layout((1920, 1080), theme)["chain"])
    p.refresh(snap)
    k = next(k for k, b in enumerate(p.placed) if b.priority == DROP_UPDATE)
    assert k + 1 < len(p.placed) and p.placed[k + 1].tight, "the η line under the update is missing"


def test_lecture_card_beside_a_caption_bar_and_tables_keeps_update_and_delta() -> None:
    theme = make_theme("lecture-light", (1920, 1080))
    rects = lecture_layout((1920, 1080), theme, frozenset({"tables"}), caption_h=theme.px(120))
    p = chain("lecture-light", (1920, 1080), rects["chain"])
    p.refresh(snap_for(Selection.edge(1, 0, 0)))
    assert any(b.priority == DROP_UPDATE for b in p.placed)
    assert len(p.placed) >= 3  # formula, the delta row (boxes or written out), the update


def test_slope_caption_answers_instead_of_repeating() -> None:
    view = snapshot_chain_view(snap_for(Selection.edge(1, 0, 0)))
    assert view.boxes is not None
    answer = slope_answer(view.boxes.slope)
    assert "listening" not in answer.lower() or view.boxes.slope.state != "listening"
    assert answer.endswith(".")


@pytest.mark.parametrize("before,after", [(0.26491, 0.26489), (1.0, 1.0 + 3e-7), (-0.5, -0.5000004), (2.0, 2.0)])
def test_before_and_after_differ_in_print_when_they_differ(before: float, after: float) -> None:
    b, a = before_after(before, after)
    assert (b.text != a.text) == (before != after)


def test_update_shows_the_change() -> None:
    view = snapshot_chain_view(snap_for(Selection.edge(1, 0, 0)))
    assert view.update is not None
    assert view.update.change.value == pytest.approx(view.update.after.value - view.update.before.value)


# -- loss chart ----------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("epochs", [1, 2, 3])
def test_the_current_loss_label_stays_clear_of_the_y_labels(size, epochs: int) -> None:
    th = make_theme("lecture-light", size)
    chart = LossChartPanel()
    chart.layout(lecture_layout(size, th)["chart"], ViewContext(th))
    snap = snap_for(None, epochs=epochs)
    chart.draw(pygame.Surface(size), snap)
    assert chart.value_rect.w > 0
    assert chart.value_rect.left >= chart.plot.left, "the loss label runs into the y-axis labels"


# -- network view --------------------------------------------------------------------------------
def _network(size=(1920, 1080), **theme_kw) -> NetworkView:
    th = make_theme("dark", size, **theme_kw)
    v = NetworkView()
    v.layout(sandbox_layout(size, th)["network"], ViewContext(th))
    return v


def test_the_hint_follows_the_selection() -> None:
    v = _network()
    surface = pygame.Surface((1920, 1080))
    v.draw(surface, snap_for(None))
    assert v.hint == CLICK_HINT
    v.draw(surface, snap_for(Selection.edge(1, 0, 0)))
    assert v.hint == SELECTED_HINT


def test_reduced_motion_jumps_to_the_new_weights() -> None:
    sim = Simulation(Setup())
    sim.submit(c.SetSpeed(0))
    sim.submit(c.Play())
    snap = sim.snapshot()
    for _ in range(4000):
        sim.update(1 / 120)
        snap = sim.snapshot()
        if snap.applied and snap.phase == "update" and 0.2 < snap.phase_progress < 0.8:
            break
    assert snap.phase == "update" and snap.applied
    eased, still = _network(), _network(reduced_motion=True)
    for v in (eased, still):
        v.draw(pygame.Surface((1920, 1080)), snap)
    assert eased.shown is not None and still.shown is not None
    tr = snap.trace
    assert all((w == a).all() for w, a in zip(still.shown.weights, tr.weights_after, strict=True))
    assert any((w != a).any() for w, a in zip(eased.shown.weights, tr.weights_after, strict=True))


# -- top bar -------------------------------------------------------------------------------------
LEVEL = "Level 5 · Raw error × slope"


@pytest.mark.slow
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160)])
@pytest.mark.parametrize("text_scale", [1.0, 1.5, 2.0])
@pytest.mark.parametrize("mode", ["Sandbox", LEVEL])
def test_top_bar_elements_never_overlap(size, text_scale: float, mode: str) -> None:
    th = make_theme("dark", size, text_scale=text_scale)
    manager = pygame_gui.UIManager(size)
    bar = TopBar(mode)
    bar.layout(sandbox_layout(size, th)["topbar"], ViewContext(th, manager))
    bar.draw(pygame.Surface(size), snap_for(None, epochs=12000))
    rects = [bar.targets()[k] for k in ("play", "pause", "phase", "epoch", "back", "reset", "speed")]
    assert all(a.right <= b.left for a, b in itertools.pairwise(rects))
    speed_value_right = bar.speed_value_x + th.measure("10k/s", "caption", mono=True)[0]
    assert speed_value_right <= bar.phases_left, "the speed runs into the phase pills"
    assert bar.title_text.startswith(mode.split(" · ")[0])


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160)])
def test_a_level_keeps_its_whole_name_at_normal_text(size) -> None:
    th = make_theme("dark", size)
    bar = TopBar(LEVEL)
    bar.layout(sandbox_layout(size, th)["topbar"], ViewContext(th, pygame_gui.UIManager(size)))
    bar.draw(pygame.Surface(size), snap_for(None, epochs=0))
    assert bar.title_text == f"{LEVEL} · XOR"
