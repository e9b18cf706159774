"""Top speed on the biggest data set a level may hold trains slower, but never freezes a step."""

from __future__ import annotations

import time

import numpy as np

from glassbox_game.engine.setup import Setup
from glassbox_game.levels.schema import MAX_NEURONS, MAX_SAMPLES
from glassbox_game.sim import commands as c
from glassbox_game.sim.simulation import SPEEDS, Simulation


def test_a_step_at_top_speed_on_the_largest_data_is_bounded() -> None:
    rng = np.random.default_rng(0)
    inputs = tuple(tuple(map(float, r)) for r in rng.random((MAX_SAMPLES, 2)))
    targets = tuple((float(v),) for v in rng.random(MAX_SAMPLES))
    sim = Simulation(Setup(layers=(2, MAX_NEURONS, MAX_NEURONS, 1), inputs=inputs, targets=targets))
    sim.submit(c.SetSpeed(len(SPEEDS) - 1))
    sim.submit(c.Play())
    sim.update(1 / 120)
    start = time.process_time()
    for _ in range(3):
        sim.update(1 / 120)
    assert time.process_time() - start < 3.0  # unbounded, this was ~30 s a step
    assert len(sim.history) >= 3
