"""Shared by the level tests: drive a Simulation a few fixed steps and read what a frame would show."""

from __future__ import annotations

from dataclasses import replace

import pytest

from glassbox_game.engine.setup import Setup
from glassbox_game.sim.simulation import Simulation
from glassbox_game.sim.snapshot import Snapshot


def run(sim: Simulation, *cmds, ticks: int = 2) -> Snapshot:
    for cmd in cmds:
        sim.submit(cmd)
    for _ in range(ticks):
        sim.update(1 / 120)
    return sim.snapshot()


#: Last-bit nudges of the learning rate (× (1 + k·1e−15)). Another CPU's BLAS rounds a matrix product
#: differently in its last bit, and a long training run can amplify that: level 17's "98 % by epoch
#: 1,460" was 1,440 on an AMD EPYC and never came within 3,000 epochs for two nudges in 21. A figure a
#: level quotes about a long run must hold for every nudge, not for one trajectory.
NUDGES = (-9, -3, 0, 3, 9)

#: The outer nudges and none: what the quick suite runs of a check that is too long to run five times there.
EDGE_NUDGES = (NUDGES[0], 0, NUDGES[-1])


def nudge_params(quick: tuple[int, ...] = EDGE_NUDGES) -> list:
    """``NUDGES`` for ``pytest.mark.parametrize("k", …)``: all of them in the whole suite (what CI runs), those
    in ``quick`` in the quick one too (the others are marked slow)."""
    return [pytest.param(k, id=f"nudge{k:+d}", marks=() if k in quick else pytest.mark.slow) for k in NUDGES]


def nudged(setup: Setup, k: int) -> Setup:
    """``setup`` with its learning rate moved in its last digits (relative k·1e−15)."""
    return replace(setup, learning_rate=setup.learning_rate * (1 + k * 1e-15))
