"""Activation functions: one record each, holding every fact the game knows about it.

A record is the single home of an activation: its numpy value ``f(z)`` and slope ``slope(z, a)``
(the reference engine and the insight plots call these), the lines the fast paths are generated
from (``code``), when a neuron with it counts as locked, its peak slope, and the symbols and
formula text the panels print. Adding an activation means adding one record here (plus tests);
the fast paths, the level loader, the sandbox menus and every panel read it from this table.

The slope f′(z) depends only on the neuron's own state (z, or a), never on the error: that is
the whole story of the vanishing gradient. Every ``f`` is safe for any finite z (no overflow,
no warning) and works on numpy arrays of any shape.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
LOCK_RULES = ("threshold", "dead", "never")


@dataclass(frozen=True)
class Activation:
    """Everything about one activation.

    ``code`` is Python source lines with ``{z}``, ``{a}`` and ``{s}`` placeholders: given z, they set
    a = f(z) and s = f′(z) with plain floats (names from ``math``: exp, expm1, tanh). They must do
    exactly what ``f`` and ``slope`` do; tests compare the two and both against finite differences.

    ``lock_rule`` says when a neuron with this activation counts as locked:
    ``"threshold"`` (slope below the lock threshold on every sample: sigmoid, tanh, ELU),
    ``"dead"`` (slope exactly 0 on every sample: a ReLU whose z ≤ 0 everywhere), or ``"never"``
    (leaky ReLU, linear: the slope never falls below a constant, so they cannot lock).

    ``low_slope`` is the constant slope of a piecewise-linear activation for z ≤ 0 (None if the
    slope is not piecewise constant); ``slope_detail`` is how the slope is worked out with the
    neuron's numbers, for z > 0 and for z ≤ 0 (``{a}``, ``{z}`` placeholders).
    """

    name: str
    label: str  # as the menus and level files' readers see it
    f: Callable[[Array], Array]
    slope: Callable[[Array, Array], Array]
    code: tuple[str, ...]
    lock_rule: str
    peak_slope: float  # the largest f′ can be (0.25 for the sigmoid)
    symbol: str  # σ — as in a = σ(z)
    slope_symbol: str  # σ′
    slope_formula: str  # a(1 − a)
    slope_detail: tuple[str, str]
    low_slope: float | None = None
    output_range: tuple[float, float] = (-math.inf, math.inf)  # the values a can take
    #: f or f′ switches formula at z = 0 (ReLU, leaky ReLU, ELU): a finite difference straddling 0
    #: measures neither side, so gradient checks keep away from it
    piecewise: bool = False
    #: where an output with this activation splits two classes ("discretize output"): halfway between
    #: the targets it is used with — 0 and 1 for a sigmoid or ReLU, −1 and 1 for the others
    decision_threshold: float = 0.0

    def emit(self, z: str, a: str, s: str) -> list[str]:
        """The generated lines for one neuron whose variables are called ``z``, ``a`` and ``s``."""
        return [line.format(z=z, a=a, s=s) for line in self.code]


def _sigmoid(z: Array) -> Array:
    # exp of a non-positive number never overflows; both branches are exact where used.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _elu(z: Array) -> Array:
    return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))  # expm1: exact near 0, −1 far below


LEAKY_SLOPE = 0.01

_RECORDS = (
    Activation(
        "sigmoid", "sigmoid", _sigmoid,
        lambda z, a: a * (1.0 - a),  # σ′(z) = a(1 − a): needs only the output
        ("if {z} >= 0.0:",
         "    _e = exp(-{z}); {a} = 1.0 / (1.0 + _e)",
         "else:",
         "    _e = exp({z}); {a} = _e / (1.0 + _e)",
         "{s} = {a} * (1.0 - {a})"),
        "threshold", 0.25, "σ", "σ′", "a(1 − a)", ("{a} × (1 − {a})", "{a} × (1 − {a})"),
        output_range=(0.0, 1.0), decision_threshold=0.5,
    ),
    Activation(
        "tanh", "tanh", np.tanh,
        lambda z, a: 1.0 - a * a,  # tanh′(z) = 1 − a²
        ("{a} = tanh({z}); {s} = 1.0 - {a} * {a}",),
        "threshold", 1.0, "tanh", "tanh′", "1 − a²", ("1 − {a}²", "1 − {a}²"),
        output_range=(-1.0, 1.0),
    ),
    Activation(
        "relu", "relu", lambda z: np.maximum(z, 0.0),
        lambda z, a: (z > 0).astype(float),  # 0 at exactly z = 0: a dead neuron stays dead
        ("if {z} > 0.0:", "    {a} = {z}; {s} = 1.0", "else:", "    {a} = 0.0; {s} = 0.0"),
        "dead", 1.0, "ReLU", "ReLU′", "1 if z > 0, else 0", ("z = {z} > 0", "z = {z} ≤ 0"),
        low_slope=0.0, output_range=(0.0, math.inf), piecewise=True, decision_threshold=0.5,
    ),
    Activation(
        "leaky_relu", "leaky_relu", lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
        lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE),  # never 0: a leaky neuron cannot die
        ("if {z} > 0.0:", "    {a} = {z}; {s} = 1.0", "else:",
         f"    {{a}} = {LEAKY_SLOPE!r} * {{z}}; {{s}} = {LEAKY_SLOPE!r}"),
        "never", 1.0, "leaky", "leaky′", f"1 if z > 0, else {LEAKY_SLOPE}", ("z = {z} > 0", "z = {z} ≤ 0"),
        low_slope=LEAKY_SLOPE, piecewise=True,
    ),
    Activation(
        "linear", "linear", lambda z: np.asarray(z, dtype=float).copy(),
        lambda z, a: np.ones_like(z, dtype=float),  # f′ = 1: blame passes through unchanged
        ("{a} = {z}; {s} = 1.0",),
        "never", 1.0, "f", "f′", "1",
        ("a linear neuron always passes blame on", "a linear neuron always passes blame on"),
    ),
    Activation(
        "elu", "elu", _elu,
        lambda z, a: np.where(z > 0, 1.0, a + 1.0),  # ELU′(z) = eᶻ = a + 1 for z ≤ 0, else 1
        ("if {z} > 0.0:", "    {a} = {z}; {s} = 1.0", "else:", "    {a} = expm1({z}); {s} = {a} + 1.0"),
        "threshold", 1.0, "ELU", "ELU′", "1 if z > 0, else a + 1", ("z = {z} > 0", "{a} + 1"),
        output_range=(-1.0, math.inf), piecewise=True,  # f″ jumps from 1 to 0 at z = 0
    ),
)

ACTIVATIONS: dict[str, Activation] = {a.name: a for a in _RECORDS}


def get_activation(name: str) -> Activation:
    """Return the activation called ``name`` (a ``KeyError`` names the choices)."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise KeyError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}") from None
