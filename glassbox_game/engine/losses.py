"""Loss functions. MSE is ½(a − y)² summed over outputs; a data set's loss is the sample mean.

Cross-entropy is computed from the output's logit z, so it never takes log(0):
−[y ln σ(z) + (1 − y) ln(1 − σ(z))] = softplus(z) − y·z. Its δ at a sigmoid output is a − y:
the sigmoid's slope cancels, which is what keeps a saturated output learning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Array = np.ndarray


def softplus(z: Array) -> Array:
    """ln(1 + eᶻ), stable for any finite z."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


@dataclass(frozen=True)
class Loss:
    """A loss: per-sample value from (z, a, y) of the output layer, and its formula in words."""

    name: str
    label: str
    formula: str
    cancels_sigmoid_slope: bool

    def per_sample(self, z: Array, a: Array, y: Array) -> Array:
        """Loss of each sample (rows), summed over output neurons (columns)."""
        if self.name == "mse":
            d = a - y
            return 0.5 * np.sum(d * d, axis=-1)
        return np.sum(softplus(z) - y * z, axis=-1)


LOSSES: dict[str, Loss] = {
    "mse": Loss("mse", "MSE", "½(a − y)²", False),
    "cross_entropy": Loss("cross_entropy", "Cross-entropy", "−[y ln a + (1 − y) ln(1 − a)]", True),
}


def get_loss(name: str) -> Loss:
    """Return the loss called ``name`` (a ``KeyError`` names the choices)."""
    try:
        return LOSSES[name]
    except KeyError:
        raise KeyError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}") from None
