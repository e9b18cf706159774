"""A complete description of one training run — what a level file's network/training/data say.

``Setup`` is plain data (it round-trips through a level file); :func:`build_trainer` turns it into
a ready :class:`Trainer` with its own seeded generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from glassbox_game.engine import datasets
from glassbox_game.engine.locks import DEFAULT_LOCK_THRESHOLD
from glassbox_game.engine.network import Network
from glassbox_game.engine.problems import Dataset, problem
from glassbox_game.engine.trainer import Trainer


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
    # generated data ([data] generator …) and what TensorFlow Playground adds to training
    generator: str | None = None  # circle | xor | gaussians | spiral | plane | hill; None: problem/inputs
    points: int = 200
    noise: float = 0.0
    test_fraction: float = 0.0
    data_seed: int = 0
    features: tuple[str, ...] | None = None  # input features computed from (x1, x2); None: the raw inputs
    batch_size: int | None = None  # None: every row (full batch)
    regularization: str = "none"
    regularization_rate: float = 0.0

    def data_spec(self) -> datasets.DataSpec | None:
        if self.generator is None:
            return None
        return datasets.DataSpec(self.generator, self.points, self.noise, self.test_fraction, self.data_seed,
                                 self.features or ("x1", "x2"))

    def dataset(self) -> Dataset:
        """The training set. Generated data wins; then given inputs and targets over the (default) problem
        name: custom data is never ignored. With ``features``, the 2-D inputs become those features."""
        spec = self.data_spec()
        if spec is not None:
            return _split(spec).train
        if self.inputs is not None and self.targets is not None:
            data = Dataset.from_lists([list(r) for r in self.inputs], [list(r) for r in self.targets])
        else:
            data = problem(self.problem or "xor")
        if self.features is None:
            return data
        return Dataset(data.name, datasets.expand(data.x, self.features), data.y.copy(), points=data.x.copy())

    def test_dataset(self) -> Dataset | None:
        """The held-out test set (generated data with a test fraction), else None."""
        spec = self.data_spec()
        return None if spec is None else _split(spec).test

    @property
    def classification(self) -> bool:
        return self.generator is not None and datasets.is_classification(self.generator)

    def network(self) -> Network:
        if self.weights is not None and self.biases is not None:
            return Network(self.layers, [np.array(w) for w in self.weights], [np.array(b) for b in self.biases],
                           self.hidden_activation, self.output_activation)
        rng = np.random.default_rng(self.seed)
        return Network.initialise(self.layers, rng, self.init, self.init_radius,
                                  self.hidden_activation, self.output_activation)


@lru_cache(maxsize=16)
def _split(spec: datasets.DataSpec) -> datasets.Split:
    return datasets.build(spec)  # read-only arrays: safe to share between trainers


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
        batch_size=setup.batch_size,
        regularization=setup.regularization,
        regularization_rate=setup.regularization_rate,
        test_data=setup.test_dataset(),
        classification=setup.classification,
        features=setup.features,
    )
