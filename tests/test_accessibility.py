"""Accessibility, measured: contrast from the palettes, lecture type size from rendered text, and
every panel drawing at 200 % text without raising."""

from __future__ import annotations

import pygame
import pytest

from glassbox_game.kit.palette import PALETTES, colour_blind, contrast
from glassbox_game.kit.theme import make_theme
from glassbox_game.render.chain_rule_panel import ChainRulePanel
from glassbox_game.render.insight_panel import InsightPanel
from glassbox_game.render.loss_chart import LossChartPanel
from glassbox_game.render.network_view import NetworkView
from glassbox_game.render.tables_panel import TablesPanel

AAA = 7.0
HIGH_CONTRAST_THEMES = ("lecture-light", "lecture-dark", "high-contrast")


@pytest.fixture(autouse=True)
def _pygame() -> None:
    pygame.init()
    pygame.display.set_mode((1, 1))


@pytest.mark.parametrize("cb", [False, True], ids=["normal", "colour-blind"])
@pytest.mark.parametrize("name", HIGH_CONTRAST_THEMES)
def test_text_contrast_is_aaa(name: str, cb: bool) -> None:
    p = colour_blind(PALETTES[name]) if cb else PALETTES[name]
    for fg in ("text", "muted"):
        for bg in ("bg", "panel", "panel_alt", "topbar"):
            ratio = contrast(getattr(p, fg), getattr(p, bg))
            assert ratio >= AAA, f"{p.name}: {fg} on {bg} is {ratio:.2f}:1"


def _check_coloured(name: str, cb: bool) -> None:
    """Signs, gradients and the selection are printed as numbers in their colour: at least AA
    (4.5:1) on the surfaces they sit on."""
    p = colour_blind(PALETTES[name]) if cb else PALETTES[name]
    for fg in ("positive", "negative", "gradient", "select"):
        for bg in ("bg", "panel"):
            ratio = contrast(getattr(p, fg), getattr(p, bg))
            assert ratio >= 4.5, f"{p.name}: {fg} on {bg} is {ratio:.2f}:1"


@pytest.mark.parametrize("cb", [False, True], ids=["normal", "colour-blind"])
def test_coloured_numbers_stay_readable_lecture_light(cb: bool) -> None:
    _check_coloured("lecture-light", cb)


@pytest.mark.parametrize("cb", [False, True], ids=["normal", "colour-blind"])
@pytest.mark.parametrize("name", ["lecture-dark", "high-contrast"])
def test_coloured_numbers_stay_readable(name: str, cb: bool) -> None:
    _check_coloured(name, cb)


@pytest.mark.parametrize("name", ("lecture-light", "lecture-dark"))
def test_lecture_text_is_at_least_28_px_tall_at_1080p(name: str) -> None:
    theme = make_theme(name, (1920, 1080))
    assert theme.lecture
    for role in ("caption", "name", "key", "title"):
        assert theme.text_px(role) >= 28
        # the glyphs themselves: a capital plus a descender spans at least 28 px of ink … in the
        # rendered surface the font's line height is ≥ the size asked for
        surf = theme.text("Hg", role)
        assert surf.get_height() >= 28, role
        ink = surf.get_bounding_rect()
        assert ink.h >= 0.75 * 28, f"{role}: {ink.h} px of ink"


def test_lecture_scene_uses_lecture_sizes_even_with_high_contrast(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.app.helpers import frames, make_app

    app = make_app("lecture", "--resolution", "1920x1080")
    app.update_settings(lecture_theme="high-contrast")
    frames(app, 1)
    theme = app.top.theme
    assert theme.palette.name == "high-contrast" and theme.lecture and theme.text_px("caption") >= 28
    app.shutdown()


@pytest.mark.parametrize("settings", [
    {"colour_blind": True}, {"text_scale": 2.0}, {"reduced_motion": True}, {"lecture_theme": "lecture-dark"},
])
def test_lecture_scene_honours_settings(settings: dict) -> None:
    from tests.app.helpers import frames, make_app

    app = make_app("lecture", "--resolution", "1920x1080")
    app.update_settings(**settings)
    frames(app, 2)
    theme = app.top.theme
    if "colour_blind" in settings:
        assert theme.palette.name.endswith("+cb")
    if "text_scale" in settings:
        from glassbox_game.kit.theme import SANDBOX_TYPE

        # every role at least 200 % of its sandbox size (lecture type is already 175 % of it)
        for role in ("caption", "name", "key", "title"):
            assert theme.text_px(role) >= 2 * getattr(SANDBOX_TYPE, role), role
    if "reduced_motion" in settings:
        assert theme.reduced_motion
    if "lecture_theme" in settings:
        assert theme.palette.name == "lecture-dark"
    app.shutdown()


def _snapshot():
    from glassbox_game.engine.setup import Setup
    from glassbox_game.sim import commands as c
    from glassbox_game.sim.selection import Selection
    from glassbox_game.sim.simulation import Simulation

    sim = Simulation(Setup(seed=3))
    sim.submit(c.RunToEpoch(50))
    sim.submit(c.Select(Selection.edge(1, 0, 0)))
    sim.update(1 / 120)
    for _ in range(3):
        sim.submit(c.StepPhase())
        sim.update(1 / 120)
    return sim.snapshot()


@pytest.mark.parametrize("layout_name", ["sandbox", "lecture"])
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_text_scale_200_renders_every_panel(layout_name: str, size: tuple[int, int]) -> None:
    from glassbox_game.kit.component import ViewContext
    from glassbox_game.kit.layout import lecture_layout, sandbox_layout

    theme_name = "dark" if layout_name == "sandbox" else "lecture-light"
    theme = make_theme(theme_name, size, text_scale=2.0)
    rects = sandbox_layout(size, theme) if layout_name == "sandbox" else \
        lecture_layout(size, theme, frozenset({"tables", "insight"}), caption_h=theme.px(150))
    snap = _snapshot()
    surface = pygame.Surface(size)
    for name, cls in (("network", NetworkView), ("chain", ChainRulePanel), ("tables", TablesPanel),
                      ("chart", LossChartPanel), ("insight", InsightPanel)):
        comp = cls()
        comp.layout(rects[name], ViewContext(theme, None, frozenset()))
        comp.refresh(snap)
        comp.draw(surface, snap)
        ink = surface.subsurface(rects[name]).get_bounding_rect()
        assert ink.w > 0 and ink.h > 0, name
