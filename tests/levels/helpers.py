"""Shared by the level tests: drive a Simulation a few fixed steps and read what a frame would show."""

from __future__ import annotations

from dataclasses import replace

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


def nudged(setup: Setup, k: int) -> Setup:
    """``setup`` with its learning rate moved in its last digits (relative k·1e−15)."""
    return replace(setup, learning_rate=setup.learning_rate * (1 + k * 1e-15))
