"""Backpropagation in plain numpy: the reference engine, and the specification of the game's arithmetic.

Read this file to see what the game computes. The game itself runs generated code
(:mod:`glassbox_game.engine.fastpath`) because numpy's per-call overhead is large for a network
this small, but tests hold both generated paths to this module on random networks: bit for bit
where the order of the arithmetic allows, within 1e-15 of the scale of each number where it does not.

Conventions (the same everywhere in the game):

* ``weights[l][j, i]`` connects neuron i of layer l to neuron j of layer l + 1; ``biases[l][j]``
  belongs to neuron j of layer l + 1. Layer 0 is the input.
* Each row of ``x`` and ``y`` is one sample. A step's loss is the mean of the samples' losses,
  and its gradient the mean of the samples' gradients.
* The facts about an activation (f, f′) and a loss (L, δ at the output) come from their records
  in :mod:`activations` and :mod:`losses`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glassbox_game.engine.activations import Activation
from glassbox_game.engine.losses import Loss

Arrays = list[np.ndarray]


@dataclass(frozen=True)
class Step:
    """Every intermediate of one step, per sample (rows), and the parameters it leads to."""

    z: Arrays  # z[l - 1]: weighted input of layer l ≥ 1
    a: Arrays  # a[l]: activation of layer l (a[0] is the input)
    slope: Arrays  # slope[l - 1]: f′(z) of layer l
    raw_error: np.ndarray  # ∂L/∂a at the output (a − y for MSE)
    sample_loss: np.ndarray  # each sample's loss
    backprop_sum: Arrays  # backprop_sum[l - 1]: Σₖ wₖⱼ δₖ of hidden layer l
    delta: Arrays  # delta[l - 1]: δ = ∂L/∂z of layer l
    grad_w: Arrays  # grad_w[l]: ∂L/∂w per sample (samples × layers[l+1] × layers[l])
    grad_b: Arrays  # grad_b[l]: ∂L/∂b per sample
    loss: float  # the step's loss: mean over samples
    weights_after: Arrays
    biases_after: Arrays


def weighted_sum(v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σᵢ wⱼᵢ vᵢ for every sample (row of v) and every j: ``v @ w.T``, but added in the order i = 0, 1, …

    The fast paths add in that order; ``@`` may not, and would differ from them in the last bit.
    """
    return sum((v[:, i : i + 1] * w[:, i] for i in range(w.shape[1])), start=np.zeros((len(v), len(w))))


def forward(weights: Arrays, biases: Arrays, acts: list[Activation], x: np.ndarray) -> tuple[Arrays, Arrays, Arrays]:
    """z, a and f′(z) of every layer, for every sample."""
    a, z, slope = [x], [], []
    for w, b, act in zip(weights, biases, acts, strict=True):
        z_l, a_l, s_l = layer(a[-1], w, b, act)
        z.append(z_l)
        a.append(a_l)
        slope.append(s_l)
    return z, a, slope


def layer(a_in: np.ndarray, w: np.ndarray, b: np.ndarray, act: Activation) -> tuple[np.ndarray, ...]:
    """One layer forward: z, a and f′(z) of its neurons from the previous layer's a."""
    z = weighted_sum(a_in, w) + b  # zⱼ = Σᵢ wⱼᵢ aᵢ + bⱼ
    a = act.f(z)  # aⱼ = f(zⱼ)
    return z, a, act.slope(z, a)  # f′(zⱼ): depends only on the neuron's own state, never on the error


def backward(weights: Arrays, loss: Loss, z: Arrays, a: Arrays, slope: Arrays,
             y: np.ndarray) -> tuple[Arrays, Arrays, Arrays, Arrays]:
    """δ of every layer from the output back, Σ w·δ of the hidden layers, and ∂L/∂w, ∂L/∂b per sample."""
    L = len(weights)
    delta: Arrays = [np.empty(0)] * L
    sums: Arrays = [np.empty(0)] * (L - 1)
    delta[L - 1] = loss.delta(z[-1], a[-1], y, slope[-1])  # output: δ = ∂L/∂a · f′(z), or a − y
    for l in range(L - 2, -1, -1):  # hidden layers, last to first
        sums[l] = weighted_sum(delta[l + 1], weights[l + 1].T)  # Σₖ wₖⱼ δₖ: blame from the layer ahead
        delta[l] = sums[l] * slope[l]  # δⱼ = (Σₖ wₖⱼ δₖ) · f′(zⱼ)
    grad_w = [d[:, :, None] * a_in[:, None, :] for d, a_in in zip(delta, a, strict=False)]  # ∂L/∂wⱼᵢ = δⱼ aᵢ
    grad_b = list(delta)  # ∂L/∂bⱼ = δⱼ
    return delta, sums, grad_w, grad_b


def update(params: Arrays, grads: Arrays, learning_rate: float) -> Arrays:
    """Gradient descent with the mean gradient over the step's samples: θ ← θ − η · mean ∂L/∂θ."""
    return [p - learning_rate * g.mean(axis=0) for p, g in zip(params, grads, strict=True)]


def step(weights: Arrays, biases: Arrays, acts: list[Activation], loss: Loss, x: np.ndarray, y: np.ndarray,
         learning_rate: float) -> Step:
    """One training step on the samples in ``x`` (all of them: a batch epoch; one row: an online step)."""
    z, a, slope = forward(weights, biases, acts, x)
    sample_loss = loss.per_sample(z[-1], a[-1], y)  # L of each sample, summed over outputs
    delta, sums, grad_w, grad_b = backward(weights, loss, z, a, slope, y)
    return Step(z, a, slope, loss.raw(z[-1], a[-1], y), sample_loss, sums, delta, grad_w, grad_b,
                float(sample_loss.mean()), update(weights, grad_w, learning_rate), update(biases, grad_b, learning_rate))


def train(weights: Arrays, biases: Arrays, acts: list[Activation], loss: Loss, x: np.ndarray, y: np.ndarray,
          learning_rate: float, epochs: int, online: bool = False) -> tuple[Arrays, Arrays, list[float]]:
    """``epochs`` epochs: one step on every sample (batch) or one step per sample, in order (online).

    Returns the final weights and biases and each epoch's loss (for online training, the mean of
    the samples' losses as each was stepped on).
    """
    losses = []
    for _ in range(epochs):
        if online:
            total = 0.0
            for r in range(len(x)):
                s = step(weights, biases, acts, loss, x[r : r + 1], y[r : r + 1], learning_rate)
                weights, biases, total = s.weights_after, s.biases_after, total + s.loss
            losses.append(total / len(x))
        else:
            s = step(weights, biases, acts, loss, x, y, learning_rate)
            weights, biases = s.weights_after, s.biases_after
            losses.append(s.loss)
    return weights, biases, losses
