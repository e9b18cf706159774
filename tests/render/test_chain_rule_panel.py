"""The chain-rule card draws every case inside its rect, caches itself, and stays within budget."""

from __future__ import annotations

from dataclasses import replace

import pygame
import pytest

from glassbox_game.engine.setup import Setup
from glassbox_game.kit.component import ViewContext
from glassbox_game.kit.theme import make_theme
from glassbox_game.render.chain_rule_panel import ChainRulePanel
from glassbox_game.sim import commands as c
from glassbox_game.sim.display import RACING_STEPS_PER_SECOND, DisplayedStep
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import Simulation
from glassbox_game.sim.snapshot import Snapshot

CHAIN = pygame.Rect(1160, 80, 736, 408)


@pytest.fixture(scope="module", autouse=True)
def display():
    pygame.init()
    pygame.display.set_mode((1, 1))
    yield


def snap_for(sel: Selection | None, sample: int | None = 2, loss: str = "mse") -> Snapshot:
    sim = Simulation(Setup(loss=loss))
    sim.submit(c.RunToEpoch(300))
    sim.submit(c.Select(sel))
    sim.submit(c.SetSample(sample))
    for _ in range(3):
        sim.update(1 / 120)
    return sim.snapshot()


def panel(theme_name: str = "dark", size: tuple[int, int] = (1920, 1080), rect: pygame.Rect = CHAIN) -> ChainRulePanel:
    p = ChainRulePanel()
    p.layout(rect, ViewContext(make_theme(theme_name, size)))
    return p


@pytest.mark.parametrize("sel", [Selection.edge(1, 0, 0), Selection.edge(0, 0, 1), Selection.neuron(1, 0), None])
@pytest.mark.parametrize("sample", [2, None])
def test_draws_inside_its_rect_and_leaves_the_rest_alone(sel: Selection | None, sample: int | None) -> None:
    snap = snap_for(sel, sample)
    p = panel()
    screen = pygame.Surface((1920, 1080))
    screen.fill((1, 2, 3))
    p.draw(screen, snap)
    outside = screen.copy()
    outside.fill((1, 2, 3), CHAIN)
    assert pygame.mask.from_threshold(outside, (1, 2, 3), (1, 1, 1, 255)).count() == 1920 * 1080
    assert p.view is not None and (p.view.kind == "none") == (sel is None)


def test_cross_entropy_card_differs_from_mse_only_where_the_slope_is() -> None:
    ce, mse = panel(), panel()
    ce.refresh(snap_for(Selection.edge(1, 0, 0), loss="cross_entropy"))
    mse.refresh(snap_for(Selection.edge(1, 0, 0), loss="mse"))
    assert ce.view is not None and ce.view.boxes is not None
    assert mse.view is not None and mse.view.boxes is not None
    assert ce.view.boxes.first_formula == "∂L/∂a" and ce.view.boxes.slope.state == "cancels"
    assert mse.view.boxes.first_formula == "a − y" and mse.view.boxes.slope.state != "cancels"


def test_hover_previews_another_connection() -> None:
    snap = snap_for(Selection.edge(1, 0, 0))
    p = panel()
    p.refresh(replace(snap, hover=Selection.edge(0, 1, 1)))
    assert p.view is not None and p.view.title == "w from x₂ to h₂"
    p.refresh(snap)
    assert p.view.title == "w from h₁ to ŷ"


def test_rebuilds_only_when_the_displayed_step_changes() -> None:
    snap = snap_for(Selection.edge(1, 0, 0))
    p = panel()
    p.refresh(snap)
    p.refresh(snap)
    assert p.builds == 1
    p.refresh(replace(snap, sample=1))
    assert p.builds == 2  # a new sample shows at once
    racing = replace(snap, sample=1, playing=True, animated=False)
    other = snap_for(Selection.edge(1, 0, 0), loss="mse")
    display = DisplayedStep()
    for k in range(240):  # two seconds of frames, a new trace every frame: the scene's rule sets the pace
        shown = display.choose(replace(racing, trace=other.trace if k % 2 else snap.trace, time=snap.time + k / 120))
        p.draw(pygame.Surface((1920, 1080)), shown)
        assert p.drawn_step == shown.step_id
    assert p.builds - 2 <= 2 * RACING_STEPS_PER_SECOND + 1  # a few in two seconds, never every frame
    paused = replace(snap, sample=1, playing=False)
    before = p.builds
    fresh = snap_for(Selection.edge(1, 0, 0)).trace  # a trace the card has not shown
    p.refresh(replace(paused, trace=fresh))
    assert p.builds == before + 1  # paused or stepping: immediately


def test_an_unchanged_frame_reuses_the_card() -> None:
    """Drawing the same step again costs a blit, not a rebuild (speed itself is measured by `glassbox bench`)."""
    snap = snap_for(Selection.edge(1, 0, 0))
    p = panel()
    screen = pygame.Surface((1920, 1080))
    p.draw(screen, snap)
    for _ in range(50):
        p.draw(screen, snap)
    assert p.builds == 1
    other = snap_for(Selection.edge(0, 0, 0))
    for k in range(20):
        p.refresh(replace(other if k % 2 else snap, sample=k % 4))
    assert p.builds == 21


@pytest.mark.parametrize("theme_name,size,rect", [
    ("dark", (1280, 720), pygame.Rect(773, 53, 491, 272)),
    ("dark", (3840, 2160), pygame.Rect(2320, 160, 1472, 816)),
    ("lecture-light", (1920, 1080), pygame.Rect(1136, 24, 760, 1032)),
])
def test_other_sizes_and_lecture_draw(theme_name: str, size: tuple[int, int], rect: pygame.Rect) -> None:
    p = panel(theme_name, size, rect)
    screen = pygame.Surface(size)
    for sel in (Selection.edge(1, 0, 0), Selection.neuron(1, 1)):
        p.draw(screen, snap_for(sel))
        assert p.view is not None and p.view.check is not None and p.view.check.ok
