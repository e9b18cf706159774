"""What every neuron computes over the input plane: one forward pass over a grid of (x₁, x₂) points.

The decision map (the output over the plane) and the neurons' heat maps (each hidden and output
neuron over the same plane) both come from :func:`plane_activations`, so they cannot disagree: the
output layer's grid *is* the decision map's.

Grid convention (as the map is drawn): row r runs x₂ from high (top) to low, column c runs x₁ from
low to high; cells are sampled at their centres. With input ``features`` the grid's points are
expanded through :func:`glassbox_game.engine.datasets.expand`, exactly as the training data is.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from glassbox_game.engine import datasets
from glassbox_game.engine.activations import Activation, get_activation

Array = np.ndarray
Bounds = tuple[float, float, float, float]  # x₁ lo, x₁ hi, x₂ lo, x₂ hi


def grid_axis(lo: float, hi: float, n: int) -> Array:
    """Cell-centre coordinates of ``n`` cells spanning [lo, hi]."""
    return lo + (np.arange(n) + 0.5) * (hi - lo) / n


def grid_points(bounds: Bounds, n: int) -> Array:
    """The (n·n, 2) points of an n×n grid over ``bounds``, row by row (x₂ high → low), x₁ low → high."""
    x1 = grid_axis(bounds[0], bounds[1], n)
    x2 = grid_axis(bounds[2], bounds[3], n)[::-1]
    g1, g2 = np.meshgrid(x1, x2)
    return np.column_stack([g1.ravel(), g2.ravel()])


def layer_activations(weights: Sequence[Array], biases: Sequence[Array], hidden: str, output: str,
                      xy: Array, features: Sequence[str] | None = None) -> list[Array]:
    """a of every non-input layer (neurons × points) for the 2-D points ``xy`` (points × 2).

    Samples run along the contiguous axis (as in :mod:`vectorised`): one matrix product per layer.
    """
    x = np.asarray(xy, dtype=float)
    if features is not None:
        x = datasets.expand(x, tuple(features))
    acts: list[Activation] = [get_activation(hidden)] * (len(weights) - 1) + [get_activation(output)]
    a = np.ascontiguousarray(x.T)
    out: list[Array] = []
    with np.errstate(all="ignore"):
        for w, b, act in zip(weights, biases, acts, strict=True):
            z = np.asarray(w, dtype=float) @ a
            z += np.asarray(b, dtype=float)[:, None]
            a = act.f(z)
            out.append(a)
    return out


def plane_activations(weights: Sequence[Array], biases: Sequence[Array], hidden: str, output: str,
                      bounds: Bounds, n: int, features: Sequence[str] | None = None) -> list[Array]:
    """Every non-input neuron's activation on an n×n grid over ``bounds``: one (neurons, n, n) array
    per layer (layer 1 first, the output last)."""
    flat = layer_activations(weights, biases, hidden, output, grid_points(bounds, n), features)
    return [a.reshape(a.shape[0], n, n) for a in flat]


def colour_level(values: Array, activation: str) -> Array:
    """Activations mapped to 0 … 1 for one colour scale: a bounded range (sigmoid 0 … 1, tanh −1 … 1)
    end to end; an unbounded one (ReLU, linear) by the largest |a| shown, 0 in the middle."""
    lo, hi = get_activation(activation).output_range
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0, posinf=0.0, neginf=0.0)
    if np.isfinite(lo) and np.isfinite(hi):
        return np.clip((v - lo) / (hi - lo), 0.0, 1.0)
    top = float(np.abs(v).max()) if v.size else 0.0
    if top == 0.0:
        return np.full(v.shape, 0.5)
    if lo >= 0.0:  # ReLU: 0 … max
        return np.clip(v / top, 0.0, 1.0)
    return np.clip(0.5 + v / (2.0 * top), 0.0, 1.0)
