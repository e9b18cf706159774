"""Drive the real App headless, frame by frame, with real events."""

from __future__ import annotations

import pygame

from glassbox_game.app import FRAME_DT, App
from glassbox_game.cli import build_parser
from glassbox_game.script_events import key_event_pair


def make_app(*argv: str) -> App:
    args = build_parser().parse_args([*argv, "--headless"])
    app = App(args, [])
    app.start(args.command or "menu", args)
    return app


def frames(app: App, n: int) -> None:
    for _ in range(n):
        app.frame_once(FRAME_DT)


def press(app: App, spec: str) -> None:
    for ev in key_event_pair(spec):
        app.dispatch(ev)


def click(app: App, pos: tuple[int, int], button: int = 1) -> None:
    pygame.mouse.set_pos(pos)
    app.dispatch(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
    app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))


def pixels(app: App) -> bytes:
    return pygame.image.tobytes(app.screen, "RGB")
