"""The keys every training screen shares, one row each: which keys, the command, the level control.

A level lists the controls it allows (``controls = ["step", "reset"]``); a key whose row names a
control the level leaves out does nothing there but say so. Binding a new key to a command
means one row here (and one line of the help card, ``scenes/overlays.py: SHORTCUTS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from glassbox_game.sim import commands as c


@dataclass(frozen=True)
class Binding:
    keys: tuple[int, ...]
    command: Callable[[bool], c.Command]  # Shift held? → the command to submit
    control: str | None = None  # the level control that must be allowed (None: always)
    not_with_ctrl: bool = False  # Ctrl + this key belongs to something else (Ctrl+R)


TRAINING_KEYS: tuple[Binding, ...] = (
    Binding((pygame.K_SPACE,), lambda shift: c.TogglePlay()),
    Binding((pygame.K_RIGHT,), lambda shift: c.StepEpoch() if shift else c.StepPhase(), "step"),
    Binding((pygame.K_LEFT,), lambda shift: c.StepBack(), "step"),
    Binding((pygame.K_r,), lambda shift: c.Reset(), "reset", not_with_ctrl=True),
    Binding((pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS), lambda shift: c.ChangeSpeed(+1), "speed"),
    Binding((pygame.K_MINUS, pygame.K_KP_MINUS), lambda shift: c.ChangeSpeed(-1), "speed"),
    Binding((pygame.K_TAB,), lambda shift: c.CycleSelection(-1 if shift else +1)),
    Binding((pygame.K_s,), lambda shift: c.CycleSample(-1 if shift else +1)),
    Binding((pygame.K_g,), lambda shift: c.Regenerate(), "problem", not_with_ctrl=True),
)


def binding_for(event: pygame.event.Event) -> Binding | None:
    """The row for a KEYDOWN event, if the key is one of the shared training keys."""
    ctrl = bool(event.mod & pygame.KMOD_CTRL)
    for b in TRAINING_KEYS:
        if event.key in b.keys and not (b.not_with_ctrl and ctrl):
            return b
    return None
