"""Turns script actions into the same events a person would make (or scene commands)."""

from __future__ import annotations

from typing import Protocol

import pygame

from glassbox_game.scenes.base import Scene
from glassbox_game.script import Action
from glassbox_game.sim.clock import FixedStepClock


class App(Protocol):
    """What a script drives: the application's scene stack, event dispatch and window."""

    scenes: list[Scene]
    clock: FixedStepClock

    def dispatch(self, event: pygame.event.Event) -> None: ...
    def notify(self, text: str, seconds: float = 3.0) -> None: ...
    def resize(self, size: tuple[int, int]) -> None: ...
    def draw(self) -> None: ...
    def save_screenshot(self, path: str) -> None: ...
    def quit(self) -> None: ...

_MODS = {"shift": pygame.KMOD_SHIFT, "ctrl": pygame.KMOD_CTRL, "alt": pygame.KMOD_ALT}
_ALIASES = {"pagedown": "page down", "pageup": "page up", "esc": "escape", "enter": "return",
            "?": "/", "plus": "+", "minus": "-", "del": "delete"}


def key_problem(spec: str) -> str | None:
    """Why ``spec`` is not a key a script can press (None when it is)."""
    import warnings

    parts = spec.lower().split("+") if spec not in ("+", "plus") else [spec]
    for p in parts[:-1]:
        if p not in _MODS:
            return f"{p!r} is not a modifier (shift, ctrl, alt) in {spec!r}"
    name = _ALIASES.get(parts[-1], parts[-1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # key names need no display
        try:
            pygame.key.key_code(name)
        except (ValueError, pygame.error):
            return f"{spec!r} is not a key name (e.g. space, right, shift+right, page down, escape, f1, a)"
    return None


def check_keys(actions: list[Action], name: str) -> None:
    """Refuse a script whose ``key`` lines name keys pygame does not know (before the game starts)."""
    from glassbox_game.script import ScriptError

    for action in actions:
        if action.verb == "key":
            problem = key_problem(" ".join(action.args))
            if problem:
                raise ScriptError(f"{name}:{action.line}: key: {problem}")


def key_event_pair(spec: str) -> tuple[pygame.event.Event, pygame.event.Event]:
    """KEYDOWN and KEYUP events for a spec such as ``shift+right`` or ``page down``."""
    parts = spec.lower().split("+") if spec not in ("+", "plus") else [spec]
    mod = 0
    for p in parts[:-1]:
        mod |= _MODS.get(p, 0)
    name = _ALIASES.get(parts[-1], parts[-1])
    if spec == "?":
        mod |= pygame.KMOD_SHIFT
    key = pygame.key.key_code(name)
    uni = "?" if spec == "?" else (name if len(name) == 1 else (" " if name == "space" else ""))
    if uni and mod & pygame.KMOD_SHIFT and uni.isalpha():
        uni = uni.upper()
    down = pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=uni, scancode=0)
    up = pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=uni, scancode=0)
    return down, up


def _point(app: App, args: tuple[str, ...]) -> tuple[int, int] | None:
    if len(args) >= 2 and args[0].lstrip("-").isdigit():
        return int(args[0]), int(args[1])
    name = args[0]
    for scene in reversed(app.scenes):
        rect = scene.targets().get(name)
        if rect is not None:
            return rect.center
        if scene.opaque:
            break
    return None


def perform(app: App, action: Action) -> None:
    verb, args = action.verb, action.args
    if verb == "key":
        for ev in key_event_pair(" ".join(args)):  # "key page down" names one key
            app.dispatch(ev)
    elif verb == "type":
        app.dispatch(pygame.event.Event(pygame.TEXTINPUT, text=" ".join(args)))
    elif verb in ("click", "move"):
        pos = _point(app, args)
        if pos is None:
            app.notify(f"Script line {action.line}: no target named {args[0]!r} on this screen.", 4.0)
            return
        pygame.mouse.set_pos(pos)
        app.dispatch(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
        if verb == "click":
            app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
            app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    elif verb == "wheel":
        pos = _point(app, args[1:]) if len(args) > 1 else None
        if pos is not None:
            pygame.mouse.set_pos(pos)
        app.dispatch(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=int(args[0]), flipped=False,
                                        precise_x=0.0, precise_y=float(args[0])))
    elif verb == "resize":
        w, h = (int(v) for v in args[0].lower().split("x"))
        app.resize((w, h))
    elif verb == "screenshot":
        app.draw()
        app.save_screenshot(args[0])
    elif verb == "quit":
        app.quit()
    elif verb == "wait":
        return
    else:
        for scene in reversed(app.scenes):
            if scene.script_command([verb, *args]):
                return
            if scene.opaque:
                break
        app.notify(f"Script line {action.line}: '{verb}' does nothing on this screen.", 4.0)
