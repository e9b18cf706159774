"""The answer box as a player uses it: type, Enter, read the verdict, type again."""

from __future__ import annotations

import pygame
import pytest

from glassbox_game.levels.goals_check import engine_value
from glassbox_game.levels.model import TypedValue
from glassbox_game.scenes.level_play import LevelPlayScene
from tests.app.helpers import click, frames, make_app, press


@pytest.fixture
def level():
    app = make_app("play", "raw-error-times-slope", "--resolution", "1280x720")
    press(app, "return")  # close the briefing
    frames(app, 2)
    assert isinstance(app.top, LevelPlayScene)
    yield app, app.top
    app.shutdown()


def shown_text(entry) -> str:
    """What the box draws (pygame_gui keeps it apart from the entry's text)."""
    return str(entry.drawable_shape.theming.get("text", ""))


def type_answer(app, entry, text: str, enter: bool = True) -> None:
    click(app, entry.get_abs_rect().center)
    frames(app, 1)
    app.dispatch(pygame.event.Event(pygame.TEXTINPUT, text=text))
    frames(app, 1)
    if enter:
        press(app, "return")
        frames(app, 2)


def first_answer(scene: LevelPlayScene) -> float:
    goal = next(g for g in scene.level.goals if isinstance(g, TypedValue))
    value = engine_value(scene.snap.trace, goal)
    assert value is not None
    return value


def test_a_wrong_answer_clears_the_box_and_the_retype_is_read_alone(level) -> None:
    app, scene = level
    entry = scene.hud.entry
    type_answer(app, entry, "0.25")
    assert scene.hud.feedback is not None and scene.hud.feedback[1] is False
    assert "0.25" in scene.hud.feedback[0], "the verdict names what was typed"
    assert entry.get_text() == "" and shown_text(entry) == ""
    type_answer(app, entry, f"{first_answer(scene):.4f}")
    assert scene.hud.feedback is not None and scene.hud.feedback[1] is True, scene.hud.feedback
    assert "is not a number" not in scene.hud.feedback[0]


def test_after_a_right_answer_new_digits_are_not_joined_to_the_placeholder(level) -> None:
    app, scene = level
    entry = scene.hud.entry
    type_answer(app, entry, f"{first_answer(scene):.4f}")
    assert scene.hud.feedback is not None and scene.hud.feedback[1] is True
    assert entry.get_text() == ""
    type_answer(app, entry, "0.1", enter=False)
    assert entry.get_text() == "0.1"
    assert shown_text(entry) == "0.1", "the box shows the placeholder joined to the digits"
