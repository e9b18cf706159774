"""An independent oracle for backprop: central finite differences of the mean loss."""

from __future__ import annotations

import numpy as np

from glassbox_game.engine.losses import Loss
from glassbox_game.engine.network import Network


def mean_loss(net: Network, x: np.ndarray, y: np.ndarray, loss: Loss) -> float:
    """The data set's loss: the mean over samples of each sample's loss."""
    zs, acts = net.forward(x)
    with np.errstate(all="ignore"):
        return float(loss.per_sample(zs[-1], acts[-1], y).mean())


def numeric_gradient(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    loss: Loss,
    kind: str,
    layer: int,
    j: int,
    i: int = 0,
    eps: float = 1e-6,
) -> float:
    """(L(θ + ε) − L(θ − ε)) / 2ε for weight ``weights[layer][j][i]`` (kind "w") or bias ``biases[layer][j]``.

    ``net`` is left exactly as it was.
    """
    probe = net.copy()
    arr = probe.weights[layer] if kind == "w" else probe.biases[layer]
    idx = (j, i) if kind == "w" else (j,)
    base = float(arr[idx])
    arr[idx] = base + eps
    up = mean_loss(probe, x, y, loss)
    arr[idx] = base - eps
    down = mean_loss(probe, x, y, loss)
    return (up - down) / (2.0 * eps)


def loss_along(
    net: Network, x: np.ndarray, y: np.ndarray, loss: Loss, kind: str, layer: int, j: int, i: int,
    values: np.ndarray,
) -> np.ndarray:
    """The mean loss with one parameter set to each of ``values`` (others held) — a landscape slice."""
    probe = net.copy()
    arr = probe.weights[layer] if kind == "w" else probe.biases[layer]
    idx = (j, i) if kind == "w" else (j,)
    out = np.empty(len(values))
    for k, v in enumerate(values):
        arr[idx] = v
        out[k] = mean_loss(probe, x, y, loss)
    return out
