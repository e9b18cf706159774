"""Lock detection: when a neuron stops listening.

A neuron is *locked* at an epoch when the factor that multiplies the blame it passes back is below
the lock threshold on every training sample — it then passes almost no blame backwards, however
wrong the output is. For a hidden neuron, and for an output under MSE, that factor is its slope
|f′(z)|. For a sigmoid output under cross-entropy it is 1: ∂L/∂a × σ′ = a − y, the slope cancels,
so such an output never locks. A ReLU whose z ≤ 0 on every sample is *dead* (slope exactly 0),
whatever the threshold. Leaky ReLU and linear neurons never lock: their slope never falls below a
fixed constant.

The default threshold, 0.02, flags a sigmoid once a > 0.98 or a < 0.02 on every sample
(σ′ = a(1 − a) < 0.02), i.e. |z| ≳ 3.9 — a sigmoid there learns at under a twelfth of its best rate.
"""

from __future__ import annotations

from dataclasses import dataclass

from glassbox_game.engine.activations import Activation

DEFAULT_LOCK_THRESHOLD = 0.02


@dataclass(frozen=True)
class LockEvent:
    """A neuron locked (``locked`` true) or unlocked at ``epoch``; ``layer`` ≥ 1."""

    epoch: int
    layer: int
    neuron: int
    locked: bool
    reason: str  # "saturated", "dead", or "recovered"


def lock_rules(activations: list[Activation], slope_cancelled: bool) -> list[str]:
    """Per non-input layer: the lock rule of its neurons ("threshold", "dead" or "never").

    ``slope_cancelled`` (cross-entropy on a sigmoid output): the output's blame factor is 1, so the
    output layer never locks.
    """
    rules = [act.lock_rule for act in activations]
    if slope_cancelled:
        rules[-1] = "never"
    return rules


def lock_state(
    peaks: tuple[float, ...] | list[float],
    layers: tuple[int, ...],
    activations: list[Activation],
    threshold: float,
    slope_cancelled: bool = False,
) -> tuple[tuple[bool, ...], ...]:
    """Per non-input layer, per neuron: locked? ``peaks`` is max |f′(z)| over every sample, flat."""
    out = []
    k = 0
    for n, rule in zip(layers[1:], lock_rules(activations, slope_cancelled), strict=True):
        row = peaks[k : k + n]
        k += n
        if rule == "threshold":
            out.append(tuple(p < threshold for p in row))
        elif rule == "dead":
            out.append(tuple(p == 0.0 for p in row))
        else:
            out.append((False,) * n)
    return tuple(out)


def lock_reason(act: Activation) -> str:
    return "dead" if act.lock_rule == "dead" else "saturated"


def diff_events(
    before: tuple[tuple[bool, ...], ...],
    after: tuple[tuple[bool, ...], ...],
    activations: list[Activation],
    epoch: int,
) -> list[LockEvent]:
    """The lock and unlock events that turn ``before`` into ``after``."""
    events = []
    for l, (old, new, act) in enumerate(zip(before, after, activations, strict=True)):
        for j, (o, n) in enumerate(zip(old, new, strict=True)):
            if o != n:
                events.append(LockEvent(epoch, l + 1, j, n, lock_reason(act) if n else "recovered"))
    return events
