"""The shared training keys: one table, each row a command the simulation knows, gated by its level control."""

from __future__ import annotations

import pygame

from glassbox_game.levels.schema import CONTROLS
from glassbox_game.scenes.keys import TRAINING_KEYS, binding_for
from glassbox_game.sim import commands as c
from glassbox_game.sim.simulation import COMMANDS


def key(k: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="")


def test_every_row_sends_a_known_command_and_names_a_real_control() -> None:
    for b in TRAINING_KEYS:
        for shift in (False, True):
            assert type(b.command(shift)) in COMMANDS
        assert b.control is None or b.control in CONTROLS
    keys = [k for b in TRAINING_KEYS for k in b.keys]
    assert len(keys) == len(set(keys)), "a key is bound twice"


def test_lookup_by_key_shift_and_ctrl() -> None:
    right = binding_for(key(pygame.K_RIGHT))
    assert right is not None and right.command(False) == c.StepPhase() and right.command(True) == c.StepEpoch()
    assert binding_for(key(pygame.K_r, pygame.KMOD_CTRL)) is None  # Ctrl+R is not Reset
    reset = binding_for(key(pygame.K_r))
    assert reset is not None and reset.control == "reset"
    assert binding_for(key(pygame.K_q)) is None
