"""The level select holds every shipped level: all 18 cards at normal text, a scrolling grid at 200 %."""

from __future__ import annotations

import itertools

import pygame
import pytest

from glassbox_game.levels import shipped_levels
from glassbox_game.scenes.level_select import LevelSelectScene
from tests.app.helpers import frames, make_app, press


@pytest.fixture
def select(tmp_path, monkeypatch):
    monkeypatch.setenv("GLASSBOX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GLASSBOX_CONFIG_DIR", str(tmp_path / "config"))
    app = make_app("menu", "--resolution", "1280x720")

    def open_at(scale: float) -> LevelSelectScene:
        app.update_settings(text_scale=scale)
        app.push(LevelSelectScene(app))
        frames(app, 2)
        scene = app.top
        assert isinstance(scene, LevelSelectScene)
        return scene

    yield app, open_at
    app.shutdown()


def test_all_eighteen_cards_fit_at_1280x720(select) -> None:
    app, open_at = select
    scene = open_at(1.0)
    n = len(shipped_levels())
    assert n == 18
    screen = pygame.Rect(0, 0, *app.size)
    assert all(r.w and screen.contains(r) for r in scene.rects)
    assert not any(a.colliderect(b) for a, b in itertools.combinations(scene.rects, 2))
    assert scene.shown_levels() == (1, n) and {f"level:{k:02d}" for k in range(1, n + 1)} <= set(scene.targets())


def test_at_200_percent_text_the_grid_scrolls_to_the_focused_card(select) -> None:
    app, open_at = select
    scene = open_at(2.0)
    first, last = scene.shown_levels()
    assert first == 1 and last < 18  # the cards are taller than five rows allow
    assert "level:18" not in scene.targets()
    assert scene.focus == 0
    for _ in range(4):  # four rows down: level 17
        press(app, "down")
    assert scene.focus == 16 and scene.shown_levels()[1] == 18  # the focused card (17) came into view
    assert scene.rects[16].w and pygame.Rect(0, 0, *app.size).contains(scene.rects[16])
    assert "level:17" in scene.targets() and "level:01" not in scene.targets()
    app.dispatch(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=10))
    assert scene.shown_levels()[0] == 1
