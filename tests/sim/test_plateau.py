"""Plateau detection: a stalled run is named, a learning run is not."""

from __future__ import annotations

import numpy as np

from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.sim import plateau


def losses(setup: Setup, epochs: int) -> np.ndarray:
    return np.array(build_trainer(setup).train(epochs).losses)


def test_the_stalled_xor_run_is_a_plateau() -> None:
    # XOR, 2-2-1, seed 0, η 0.5: sits near 0.125 for thousands of epochs, then creeps to ≈ 0.063
    run = losses(Setup(), 20000)
    early = plateau.detect(run[:2000])
    assert early is not None and abs(early.loss - 0.125) < 2e-3
    found = plateau.detect(run)
    assert found is not None and 0.062 < found.loss < 0.066
    assert found.epochs >= plateau.WINDOW and "another seed" in found.message and "η" in found.message


def test_a_learning_run_is_not_a_plateau() -> None:
    run = losses(Setup(problem="and", layers=(2, 1), learning_rate=2.0, seed=1), 3000)
    for n in range(600, 3001, 300):
        assert plateau.detect(run[:n]) is None


def test_short_runs_and_solved_runs_are_not_plateaus() -> None:
    assert plateau.detect(np.full(100, 0.3)) is None
    assert plateau.detect(np.full(2000, 0.001)) is None
    flat = plateau.detect(np.full(2000, 0.3))
    assert flat is not None and flat.since == 1 and flat.epochs == 2000
