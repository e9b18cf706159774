"""Loss functions: one record each. MSE is ½(a − y)² summed over outputs; a data set's loss is the mean.

Cross-entropy is computed from the output's logit z, so it never takes log(0):
−[y ln σ(z) + (1 − y) ln(1 − σ(z))] = softplus(z) − y·z. Its δ at a sigmoid output is a − y:
the sigmoid's slope cancels, which is what keeps a saturated output learning.

A record holds the numpy loss and output δ (the reference engine calls them) and the lines the
fast paths are generated from (``raw_code``, ``loss_code``, ``delta_code``, placeholders ``{z}``,
``{a}``, ``{y}``, ``{s}`` for the output neuron's slope, ``{r}`` for its raw error, ``{d}`` for δ);
tests check the two against each other and against finite differences.
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
    """A loss: its numpy value and output δ, the generated lines, and its formula in words."""

    name: str
    label: str
    formula: str
    cancels_sigmoid_slope: bool  # δ = a − y at a sigmoid output: σ′ does not multiply it
    raw_code: str  # r = ∂L/∂a, the "raw error" the panels show
    loss_code: str  # this sample's loss, one output neuron's term
    delta_code: str  # δ = ∂L/∂z of the output neuron

    def per_sample(self, z: Array, a: Array, y: Array) -> Array:
        """Loss of each sample (rows), summed over output neurons (columns)."""
        if self.name == "mse":
            d = a - y
            # L = ½ Σ (a − y)², each term (a − y)·(a − y)·½ in the generated code's order: the same
            # bits even where the square underflows to a subnormal and halving it rounds
            return np.sum(d * d * 0.5, axis=-1)
        return np.sum(softplus(z) - y * z, axis=-1)  # L = Σ softplus(z) − y·z

    def raw(self, z: Array, a: Array, y: Array) -> Array:
        """The raw error ∂L/∂a of each output neuron."""
        if self.name == "mse":
            return a - y  # ∂/∂a ½(a − y)²
        # (a − y)/(a(1 − a)) = (1 − y)(1 + eᶻ) − y(1 + e⁻ᶻ): from z, never dividing by a rounded 0;
        # the exponent is capped so it stays finite (≤ 8.2e307) when the output saturates wrongly
        return (1.0 - y) * (1.0 + np.exp(np.minimum(z, 709.0))) - y * (1.0 + np.exp(np.minimum(-z, 709.0)))

    def delta(self, z: Array, a: Array, y: Array, slope: Array) -> Array:
        """δ = ∂L/∂z of each output neuron: (a − y)·f′(z) for MSE, a − y for cross-entropy on a sigmoid."""
        if self.cancels_sigmoid_slope:
            return a - y  # ∂/∂z [softplus(z) − y·z] = σ(z) − y
        return (a - y) * slope  # ∂L/∂a · ∂a/∂z

    def emit(self, z: str, a: str, y: str, s: str, r: str, d: str, raw: bool = True) -> list[str]:
        """The generated lines for one output neuron (adds its loss to ``sl``); ``raw``: set ``r`` even
        where neither the loss nor δ needs it (the trace records it)."""
        names = {"z": z, "a": a, "y": y, "s": s, "r": r, "d": d}
        needed = raw or "{r}" in self.loss_code + self.delta_code
        return [*([f"{r} = {self.raw_code.format(**names)}"] if needed else []),
                f"sl += {self.loss_code.format(**names)}", f"{d} = {self.delta_code.format(**names)}"]


LOSSES: dict[str, Loss] = {
    "mse": Loss("mse", "MSE", "½(a − y)²", False,
                raw_code="{a} - {y}", loss_code="{r} * {r} * 0.5", delta_code="{r} * {s}"),
    "cross_entropy": Loss("cross_entropy", "Cross-entropy", "−[y ln a + (1 − y) ln(1 − a)]", True,
                          raw_code="(1.0 - {y}) * (1.0 + exp(min({z}, 709.0))) - {y} * (1.0 + exp(min(-{z}, 709.0)))",
                          loss_code="({z} if {z} > 0.0 else 0.0) + log1p(exp(-abs({z}))) - {y} * {z}",
                          delta_code="{a} - {y}"),
}


def get_loss(name: str) -> Loss:
    """Return the loss called ``name`` (a ``KeyError`` names the choices)."""
    try:
        return LOSSES[name]
    except KeyError:
        raise KeyError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}") from None
