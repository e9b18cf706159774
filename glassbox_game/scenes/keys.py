"""Every key the game answers, written once: the help card (F1) is generated from this module.

``TRAINING_KEYS`` are the keys every training screen shares, one row each: which keys, the
command, the level control, and the help card's line(s). A level lists the controls it allows
(``controls = ["step", "reset"]``); a key whose row names a control the level leaves out does
nothing there but say so. Binding a new key to a command means one row here, help line included.

``SCREEN_KEYS`` and ``LECTURE_KEYS`` are the help lines of the keys one screen handles itself
(the sandbox's Ctrl+S, a level's H, the lecture's Page Down …). ``HELP_ROWS`` is the card, in order.
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
    help: tuple[tuple[str, str], ...] = ()  # the help card's (keys, what they do) lines for this row


TRAINING_KEYS: tuple[Binding, ...] = (
    Binding((pygame.K_SPACE,), lambda shift: c.TogglePlay(), help=(("Space", "play / pause"),)),
    Binding((pygame.K_RIGHT,), lambda shift: c.StepEpoch() if shift else c.StepPhase(), "step",
            help=(("→", "step one phase (forward → loss → backward → update)"),
                  ("Shift + →", "step one whole epoch"))),
    Binding((pygame.K_LEFT,), lambda shift: c.StepBack(), "step", help=(("←", "step back one epoch"),)),
    Binding((pygame.K_r,), lambda shift: c.Reset(), "reset", not_with_ctrl=True,
            help=(("R", "reset to the starting weights (the old run stays as a ghost)"),)),
    Binding((pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS), lambda shift: c.ChangeSpeed(+1), "speed",
            help=(("+ / −", "faster / slower"),)),
    Binding((pygame.K_MINUS, pygame.K_KP_MINUS), lambda shift: c.ChangeSpeed(-1), "speed"),  # (the line above)
    Binding((pygame.K_TAB,), lambda shift: c.CycleSelection(-1 if shift else +1),
            help=(("Tab / Shift + Tab", "select the next / previous connection or neuron"),)),
    Binding((pygame.K_s,), lambda shift: c.CycleSample(-1 if shift else +1),
            help=(("S / Shift + S", "next / previous training sample (then the batch view)"),)),
    Binding((pygame.K_g,), lambda shift: c.Regenerate(), "problem", not_with_ctrl=True,
            help=(("G", "generated data: new points (the next data seed; starts again)"),)),
)

SCREEN_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", "with a selection: show its chain rule (it is already shown)"),
    ("1 2 3 4", "tables: loss calc, activations a, deltas δ, weights w"),
    ("[ / ]", "selected weight or bias: −0.1 / +0.1 (with Shift: 0.01)"),
    ("H", "levels: show the next hint"),
    ("L", "lecture mode (from the sandbox or a level)"),
    ("Ctrl + S / Ctrl + O", "sandbox: save the setup as a level file / open a level file"),
    ("T", "sandbox: the data set (points, noise, features …) or a truth table"),
    ("C", "sandbox: scenarios (AND, XOR, vanishing gradient, dying ReLU …)"),
    ("Enter / Esc", "in a file dialog or the data editor: confirm / cancel"),
    ("F1 or ?", "this help"),
    ("F11", "fullscreen on / off"),
    ("Esc", "pause menu (quitting always asks first)"),
)

LECTURE_KEYS: tuple[tuple[str, str], ...] = (
    ("Page Down / → / Space", "next phase, or next beat of the lecture script"),
    ("Page Up / ←", "back"),
    ("B or .", "black screen   ·   W  white screen"),
    ("F5", "start or resume fullscreen"),
    ("M", "slow motion on / off"),
    ("T / I", "show / hide the tables / the insight panel"),
    ("P", "spotlight (dims all but the pointer)   ·   Z  zoom on the selection"),
    ("V", "presenter view: notes, next beat and timers in a second window"),
)

#: the help card, top to bottom: ("", "") is a gap, (title, "") a heading
HELP_ROWS: tuple[tuple[str, str], ...] = (
    *(row for b in TRAINING_KEYS for row in b.help), *SCREEN_KEYS, ("", ""), ("Lecture mode", ""), *LECTURE_KEYS,
)


def binding_for(event: pygame.event.Event) -> Binding | None:
    """The row for a KEYDOWN event, if the key is one of the shared training keys."""
    ctrl = bool(event.mod & pygame.KMOD_CTRL)
    for b in TRAINING_KEYS:
        if event.key in b.keys and not (b.not_with_ctrl and ctrl):
            return b
    return None
