"""A monkey: 20,000 random events — clicks anywhere, keys, wheel, resizes — and the app still works.

Four monkeys of 5,000 events each (four seeds, one app each), so the test workers share them.
"""

from __future__ import annotations

import random

import pygame
import pytest

from glassbox_game.scenes.sandbox import SandboxScene
from glassbox_game.scenes.title import TitleScene
from tests.app.helpers import click, frames, make_app, press

KEYS = ["space", "right", "shift+right", "left", "r", "+", "-", "tab", "shift+tab", "s", "1", "2", "3", "4",
        "escape", "return", "up", "down", "f1", "l", "h", "b", "w", "p", "z", "page down", "page up", "a",
        "0", ".", "backspace", "t", "f5", "ctrl+s", "ctrl+o"]
SIZES = [(1280, 720), (1920, 1080), (1600, 900)]


PARTS = 4
EVENTS = 20_000 // PARTS


@pytest.mark.slow
@pytest.mark.parametrize("part", range(PARTS))
def test_twenty_thousand_random_events(part: int) -> None:
    rng = random.Random(20261128 + part)
    app = make_app("sandbox", "--resolution", "1280x720")
    quits: list[int] = []
    app.quit = lambda: quits.append(app.frame_count)  # type: ignore[method-assign]  # keep the monkey inside
    from glassbox_game.script_events import key_event_pair

    for n in range(EVENTS):
        w, h = app.size
        roll = rng.random()
        if roll < 0.45:
            pos = (rng.randrange(w), rng.randrange(h))
            pygame.mouse.set_pos(pos)
            app.dispatch(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
            if rng.random() < 0.6:
                button = rng.choice([1, 1, 1, 3])
                app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
                app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))
        elif roll < 0.85:
            for ev in key_event_pair(rng.choice(KEYS)):
                app.dispatch(ev)
        elif roll < 0.95:
            app.dispatch(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=rng.choice([-3, -1, 1, 3]), flipped=False,
                                            precise_x=0.0, precise_y=1.0))
        elif roll < 0.9965:
            app.dispatch(pygame.event.Event(pygame.TEXTINPUT, text=rng.choice(["1", "x", "-", ".", "e9", "∞"])))
        else:
            app.resize(rng.choice(SIZES))
        if n % 40 == 0:  # a frame (update + draw) every 40 events: 500 frames in all, in whatever state
            frames(app, 1)
        assert app.scenes, "the scene stack must never empty"
    # still responsive: back to the title menu, into the sandbox, and training runs
    app.reset_to(TitleScene(app))
    frames(app, 1)
    click(app, app.top.targets()["title:sandbox"].center)
    frames(app, 1)
    assert isinstance(app.top, SandboxScene)
    app.top.sim.speed_index = 3  # the monkey may have left the remembered speed at its slowest
    press(app, "space")
    frames(app, 130)
    assert app.top.sim.snapshot().epoch >= 2
    app.shutdown()
