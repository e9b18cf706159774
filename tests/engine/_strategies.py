"""Shared hypothesis strategies and helpers for the engine tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from glassbox_game.engine import ACTIVATIONS, Dataset, Network, Trainer

ACTS = tuple(ACTIVATIONS)
KINKED = tuple(a.name for a in ACTIVATIONS.values() if a.piecewise)  # the records say which


@dataclass
class Case:
    """One random network, data set and loss."""

    net: Network
    x: np.ndarray
    y: np.ndarray
    loss: str

    def trainer(self, **kw: object) -> Trainer:
        return Trainer(self.net.copy(), Dataset("case", self.x.copy(), self.y.copy()), loss=self.loss, **kw)  # type: ignore[arg-type]


def _matrix(draw: st.DrawFn, rows: int, cols: int, lo: float, hi: float) -> np.ndarray:
    n = rows * cols
    vals = draw(st.lists(st.floats(lo, hi, allow_subnormal=False), min_size=n, max_size=n))
    return np.array(vals, dtype=float).reshape(rows, cols)


@st.composite
def layer_sizes(draw: st.DrawFn, max_hidden_layers: int = 2, max_width: int = 4) -> tuple[int, ...]:
    """[n0, hidden…, nL] with n0 ≤ 3, hidden ≤ max_width, nL ≤ 2 (so up to [3, 4, 4, 2] by default)."""
    hidden = draw(st.lists(st.integers(1, max_width), min_size=0, max_size=max_hidden_layers))
    return (draw(st.integers(1, 3)), *hidden, draw(st.integers(1, 2)))


@st.composite
def cases(
    draw: st.DrawFn,
    max_hidden_layers: int = 2,
    max_width: int = 4,
    scale: float = 1.5,
    hidden: str | None = None,
    output: str | None = None,
    loss: str | None = None,
) -> Case:
    """A random network (weights in ±scale), 1–5 samples (x in ±1) and a loss that fits the output."""
    layers = draw(layer_sizes(max_hidden_layers, max_width))
    hidden = hidden or draw(st.sampled_from(ACTS))
    output = output or draw(st.sampled_from(ACTS))
    if loss is None:
        loss = draw(st.sampled_from(("mse", "cross_entropy"))) if output == "sigmoid" else "mse"
    ws = [_matrix(draw, n_out, n_in, -scale, scale) for n_in, n_out in itertools.pairwise(layers)]
    bs = [_matrix(draw, 1, n_out, -scale, scale)[0] for n_out in layers[1:]]
    n = draw(st.integers(1, 5))
    x = _matrix(draw, n, layers[0], -1.0, 1.0)
    lo = 0.0 if loss == "cross_entropy" else -1.0
    y = _matrix(draw, n, layers[-1], lo, 1.0)
    return Case(Network(layers, ws, bs, hidden, output), x, y, loss)


def near_kink(net: Network, x: np.ndarray, margin: float = 1e-4) -> bool:
    """True when some piecewise neuron (ReLU, leaky, ELU) has |z| < margin on some sample (finite differences straddle it)."""
    zs, _ = net.forward(x)
    return any(act.name in KINKED and bool(np.any(np.abs(z) < margin))
               for z, act in zip(zs, net.activations, strict=True))
