"""A feed-forward network of any layer sizes.

Convention: ``weights[l][j][i]`` connects neuron i of layer l to neuron j of layer l+1, and
``biases[l][j]`` belongs to neuron j of layer l+1. Layer 0 is the input.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from glassbox_game.engine import names
from glassbox_game.engine.activations import Activation, get_activation

INIT_SCHEMES = ("uniform", "xavier", "he")
MAX_LAYERS = 8
MAX_NEURONS = 16
MAX_PARAM = 1000.0  # |weight|, |bias| a level file or a typed edit may set; far beyond, training halts at once


@dataclass
class Network:
    """Weights, biases and activations. Mutable: only the Trainer changes it."""

    layers: tuple[int, ...]
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    hidden_activation: str = "sigmoid"
    output_activation: str = "sigmoid"
    _acts: list[Activation] = field(init=False, repr=False, compare=False)
    theta: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.layers = tuple(int(n) for n in self.layers)
        given_w = [np.array(w, dtype=float) for w in self.weights]
        given_b = [np.array(b, dtype=float) for b in self.biases]
        if len(given_w) != len(self.layers) - 1 or len(given_b) != len(self.layers) - 1:
            raise ValueError(f"{len(given_w)} weight layers do not fit layers {self.layers}")
        for l, (w, b) in enumerate(zip(given_w, given_b, strict=True)):
            want = (self.layers[l + 1], self.layers[l])
            if w.shape != want or b.shape != (want[0],):
                raise ValueError(f"layer {l}: weights {w.shape} / biases {b.shape} do not fit {want}")
        # One flat parameter vector; weights and biases are views into it, so reading or writing
        # all parameters at once (the fast path does it every call) is a single operation.
        self.theta = np.concatenate([p for w, b in zip(given_w, given_b, strict=True) for p in (w.ravel(), b)])
        self.weights, self.biases = [], []
        k = 0
        for w, b in zip(given_w, given_b, strict=True):
            self.weights.append(self.theta[k : k + w.size].reshape(w.shape))
            k += w.size
            self.biases.append(self.theta[k : k + b.size])
            k += b.size
        hidden = get_activation(self.hidden_activation)
        self._acts = [hidden] * (len(self.layers) - 2) + [get_activation(self.output_activation)]

    @classmethod
    def initialise(
        cls,
        layers: list[int] | tuple[int, ...],
        rng: np.random.Generator,
        scheme: str = "uniform",
        radius: float = 1.0,
        hidden_activation: str = "sigmoid",
        output_activation: str = "sigmoid",
    ) -> Network:
        """Seeded random weights (biases start at zero except for ``uniform``).

        ``uniform``: U(−radius, radius) for weights and biases; ``xavier``: U(±√(6/(fan_in+fan_out)));
        ``he``: N(0, 2/fan_in).
        """
        weights, biases = [], []
        for n_in, n_out in itertools.pairwise(layers):
            if scheme == "uniform":
                weights.append(rng.uniform(-radius, radius, (n_out, n_in)))
                biases.append(rng.uniform(-radius, radius, n_out))
            elif scheme == "xavier":
                r = np.sqrt(6.0 / (n_in + n_out))
                weights.append(rng.uniform(-r, r, (n_out, n_in)))
                biases.append(np.zeros(n_out))
            elif scheme == "he":
                weights.append(rng.normal(0.0, np.sqrt(2.0 / n_in), (n_out, n_in)))
                biases.append(np.zeros(n_out))
            else:
                raise ValueError(f"unknown init {scheme!r}; choose one of {', '.join(INIT_SCHEMES)}")
        return cls(tuple(layers), weights, biases, hidden_activation, output_activation)

    @property
    def activations(self) -> list[Activation]:
        """The activation of each non-input layer (index l is layer l+1)."""
        return self._acts

    def copy(self) -> Network:
        return Network(self.layers, [w.copy() for w in self.weights], [b.copy() for b in self.biases],
                       self.hidden_activation, self.output_activation)

    def parameters(self) -> list[float]:
        """All weights then biases of each layer, flattened in layer order."""
        return self.theta.tolist()  # type: ignore[no-any-return]

    def set_parameters(self, flat: list[float]) -> None:
        """Inverse of :meth:`parameters`."""
        self.theta[:] = flat

    def forward(self, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """z of each non-input layer and a of each layer (input first), for rows of ``x``."""
        a = np.asarray(x, dtype=float)
        zs: list[np.ndarray] = []
        acts = [a]
        with np.errstate(all="ignore"):
            for w, b, act in zip(self.weights, self.biases, self._acts, strict=True):
                z = a @ w.T + b
                a = act.f(z)
                zs.append(z)
                acts.append(a)
        return zs, acts

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The output layer's activations for rows of ``x``."""
        return self.forward(x)[1][-1]

    def neuron_name(self, layer: int, j: int) -> str:
        """x₁, h₁ (or h¹₁ in deeper nets), ŷ — the names students see."""
        return names.neuron_name(self.layers, layer, j)
