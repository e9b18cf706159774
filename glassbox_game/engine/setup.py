"""A complete description of one training run — what a level file's network/training/data say.

``Setup`` is plain data (it round-trips through a level file); :func:`build_trainer` turns it into
a ready :class:`Trainer` with its own seeded generator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glassbox_game.engine.locks import DEFAULT_LOCK_THRESHOLD
from glassbox_game.engine.network import Network
from glassbox_game.engine.problems import Dataset, problem
from glassbox_game.engine.trainer import Trainer

Matrix = list[list[float]]


@dataclass(frozen=True)
class Setup:
    """Network, training and data settings; weights/biases None means seed + init."""

    layers: tuple[int, ...] = (2, 2, 1)
    hidden_activation: str = "sigmoid"
    output_activation: str = "sigmoid"
    loss: str = "mse"
    learning_rate: float = 0.5
    weights: tuple[tuple[tuple[float, ...], ...], ...] | None = None
    biases: tuple[tuple[float, ...], ...] | None = None
    seed: int = 0
    init: str = "uniform"
    init_radius: float = 1.0
    mode: str = "batch"
    shuffle: bool = False
    problem: str | None = "xor"  # a gate name, or None when inputs/targets are given
    inputs: tuple[tuple[float, ...], ...] | None = None
    targets: tuple[tuple[float, ...], ...] | None = None
    lock_threshold: float = DEFAULT_LOCK_THRESHOLD

    def dataset(self) -> Dataset:
        """Given inputs and targets win over the (default) problem name: custom data is never ignored."""
        if self.inputs is not None and self.targets is not None:
            return Dataset.from_lists([list(r) for r in self.inputs], [list(r) for r in self.targets])
        return problem(self.problem or "xor")

    def network(self) -> Network:
        if self.weights is not None and self.biases is not None:
            return Network(self.layers, [np.array(w) for w in self.weights], [np.array(b) for b in self.biases],
                           self.hidden_activation, self.output_activation)
        rng = np.random.default_rng(self.seed)
        return Network.initialise(self.layers, rng, self.init, self.init_radius,
                                  self.hidden_activation, self.output_activation)


def build_trainer(setup: Setup) -> Trainer:
    """A fresh Trainer for ``setup``: same setup ⇒ the same run, to the bit."""
    return Trainer(
        setup.network(),
        setup.dataset(),
        loss=setup.loss,
        learning_rate=setup.learning_rate,
        mode=setup.mode,
        lock_threshold=setup.lock_threshold,
        rng=np.random.default_rng([setup.seed, 1]),
        shuffle=setup.shuffle,
    )
