"""Shared by the level tests: drive a Simulation a few fixed steps and read what a frame would show."""

from __future__ import annotations

from glassbox_game.sim.simulation import Simulation
from glassbox_game.sim.snapshot import Snapshot


def run(sim: Simulation, *cmds, ticks: int = 2) -> Snapshot:
    for cmd in cmds:
        sim.submit(cmd)
    for _ in range(ticks):
        sim.update(1 / 120)
    return sim.snapshot()
