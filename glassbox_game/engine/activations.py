"""Activation functions, each with its slope written beside it.

The slope f′(z) depends only on the neuron's own state (z, or a), never on the error: that is
the whole story of the vanishing gradient. Every function is safe for any finite z (no overflow,
no warning) and works on numpy arrays of any shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


def _sigmoid(z: Array) -> Array:
    # exp of a non-positive number never overflows; both branches are exact where used.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_slope(z: Array, a: Array) -> Array:
    return a * (1.0 - a)  # σ′(z) = a(1 − a): needs only the output


def _tanh(z: Array) -> Array:
    return np.tanh(z)


def _tanh_slope(z: Array, a: Array) -> Array:
    return 1.0 - a * a  # tanh′(z) = 1 − a²


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_slope(z: Array, a: Array) -> Array:
    return (z > 0).astype(float)  # 0 at exactly z = 0: a dead neuron stays dead


LEAKY_SLOPE = 0.01


def _leaky(z: Array) -> Array:
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def _leaky_slope(z: Array, a: Array) -> Array:
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


def _linear(z: Array) -> Array:
    return np.asarray(z, dtype=float).copy()


def _linear_slope(z: Array, a: Array) -> Array:
    return np.ones_like(z, dtype=float)


@dataclass(frozen=True)
class Activation:
    """One activation: its value, its slope and how the slope is explained to a student.

    ``lock_rule`` says when a neuron with this activation counts as locked:
    ``"threshold"`` (slope below the lock threshold on every sample: sigmoid, tanh),
    ``"dead"`` (a ReLU whose z ≤ 0 on every sample), or ``"never"`` (leaky ReLU, linear:
    their slope never falls below a constant, so they cannot lock).
    """

    name: str
    f: Callable[[Array], Array]
    slope: Callable[[Array, Array], Array]
    slope_formula: str
    lock_rule: str


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", _sigmoid, _sigmoid_slope, "a(1 − a)", "threshold"),
        Activation("tanh", _tanh, _tanh_slope, "1 − a²", "threshold"),
        Activation("relu", _relu, _relu_slope, "1 if z > 0 else 0", "dead"),
        Activation("leaky_relu", _leaky, _leaky_slope, "1 if z > 0 else 0.01", "never"),
        Activation("linear", _linear, _linear_slope, "1", "never"),
    )
}


def get_activation(name: str) -> Activation:
    """Return the activation called ``name`` (a ``KeyError`` names the choices)."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise KeyError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}") from None
