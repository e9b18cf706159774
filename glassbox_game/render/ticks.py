"""Axis ticks a student can read: 1, 2, 5 × 10ⁿ steps on linear axes, decades on log axes.

Pure functions (no pygame): a chart asks for the densest nice ticks whose labels still fit, given
a ``measure(text) -> width`` function for its font.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

_STEPS = (1.0, 2.0, 5.0)
# Finer than 1-2-5 so an axis that grows with the run is never more than ~25 % empty.
_UPPERS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
_SUPER = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def nice_steps(span: float) -> list[float]:
    """Every 1, 2, 5 × 10ⁿ step from span/50 up to span (coarser last is not needed: finest first)."""
    if not span > 0 or not math.isfinite(span):
        return [1.0]
    lo = math.floor(math.log10(span / 50.0))
    out = []
    for e in range(lo, lo + 4):
        for m in _STEPS:
            step = m * 10.0**e
            if span / 50.0 <= step <= span:
                out.append(step)
    return out or [span]


def linear_ticks(lo: float, hi: float, step: float) -> list[float]:
    """Multiples of ``step`` inside [lo, hi] (with a little tolerance for rounding)."""
    if not step > 0 or hi < lo:
        return []
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    return [round(k * step, 12) for k in range(first, last + 1)]


def nice_upper(value: float) -> float:
    """The smallest number of the form {1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8} × 10ⁿ that is ≥ ``value``.

    An axis bound taken from here grows in visible steps, not every frame.
    """
    if not value > 0 or not math.isfinite(value):
        return 1.0
    e = math.floor(math.log10(value))
    for _ in range(2):
        for m in _UPPERS:
            cand = m * 10.0**e
            if cand >= value * (1 - 1e-12):
                return cand
        e += 1
    return 10.0 ** (e + 1)


def epoch_upper(epochs: int) -> int:
    """The x-axis end for a run of ``epochs``: at least 10, a nice number, ≥ epochs + 5 % headroom."""
    return max(10, round(nice_upper(max(10.0, epochs * 1.05))))


def format_count(v: float) -> str:
    """Epoch labels: 0, 250, 1,000, 7,500, 10k, 250k, 1M, 1.5M."""
    a = abs(v)
    if a >= 1e6:
        return f"{v / 1e6:g}M"
    if a >= 1e4:
        return f"{v / 1e3:g}k"
    if a == int(a):
        return f"{int(v):,}"
    return f"{v:g}"


def format_value(v: float, step: float) -> str:
    """A linear-axis value with just the decimals ``step`` needs (0, 0.05, 0.1, 2.5); a real minus."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
    text = f"{v:.{decimals}f}"
    if abs(v) >= 1e6 or sum(ch.isdigit() for ch in text.lstrip("-0.")) > 6:
        # a runaway value (a loss of 5e11, a weight of −527562.79): the exponent form, as the top bar
        # writes big numbers, with the mantissa digits ``step`` needs (two labels 1e8 apart near 4.62e11
        # read 4.615e11 and 4.625e11, not 4.62e11 twice), at most four decimals
        e_v = math.floor(math.log10(abs(v)))
        e_step = math.floor(math.log10(step) + 1e-9) if step > 0 else e_v
        mant, exp = f"{v:.{min(4, max(2, e_v - e_step))}e}".split("e")
        mant = mant.rstrip("0").rstrip(".")
        return f"{mant}e{int(exp)}".replace("-", "−")
    if float(text) == 0:
        text = "0"
    return text.replace("-", "−")


def format_decade(e: int) -> str:
    """Log-axis labels: 1, 10, 100, 0.1, 0.01, then 10⁻³ and 10³ beyond."""
    if -2 <= e <= 2:
        return f"{10.0**e:g}"
    return "10" + str(e).translate(_SUPER)


def format_loss(v: float) -> str:
    """A loss for reading: 0.0873, 0.0087, 1.234, 12.3; e-form only below 0.001."""
    if v != v:
        return "NaN"
    a = abs(v)
    if a == 0:
        text = "0"
    elif a >= 1e6:  # as the top bar writes it (fmt): one loss format per screen
        mant, exp = f"{v:.3e}".split("e")
        text = f"{mant}e{int(exp)}"
    elif a >= 100:
        text = f"{v:,.0f}"
    elif a >= 10:
        text = f"{v:.1f}"
    elif a >= 1:
        text = f"{v:.3f}"
    elif a >= 1e-3:
        text = f"{v:.4f}"
    else:
        mant, exp = f"{v:.1e}".split("e")
        text = f"{mant}e{int(exp)}"
    return text.replace("-", "−")


def log_ticks(lo: float, hi: float) -> list[float]:
    """Decades on [lo, hi]; with two decades or fewer, 2× and 5× in between as well."""
    exps = decade_ticks(lo, hi)
    if len(exps) > 3:
        return [10.0**e for e in exps]
    out = [m * 10.0**e for e in exps for m in (1.0, 2.0, 5.0)]
    return [v for v in out if lo * (1 - 1e-9) <= v <= hi * (1 + 1e-9)]


def format_log_tick(v: float) -> str:
    """1, 0.2, 0.05, 10⁻³, 2×10⁻⁴."""
    e = math.floor(math.log10(v) + 1e-9)
    m = round(v / 10.0**e)
    if -2 <= e <= 2:
        return f"{v:.{max(0, -e)}f}"
    return (f"{m}×" if m != 1 else "") + format_decade(e)


def decade_ticks(lo: float, hi: float) -> list[int]:
    """Exponents of the decades spanning [lo, hi] (lo, hi > 0), at least one decade apart."""
    if not (lo > 0 and hi > 0):
        return [0]
    a = math.floor(math.log10(lo) + 1e-9)
    b = math.ceil(math.log10(hi) - 1e-9)
    return list(range(a, max(b, a + 1) + 1))


def labels_fit(positions: Sequence[float], labels: Sequence[str], measure: Callable[[str], int],
               gap: float = 8.0) -> bool:
    """Do labels centred at ``positions`` (px) leave at least ``gap`` px between neighbours?"""
    rects = label_spans(positions, labels, measure)
    return all(b[0] - a[1] >= gap for a, b in itertools.pairwise(rects))


def label_spans(positions: Sequence[float], labels: Sequence[str],
                measure: Callable[[str], int]) -> list[tuple[float, float]]:
    """The (left, right) pixel extent of each centred label."""
    out = []
    for p, t in zip(positions, labels, strict=True):
        w = measure(t)
        out.append((p - w / 2.0, p + w / 2.0))
    return out


def choose_linear(lo: float, hi: float, length_px: float, measure: Callable[[str], int],
                  fmt: Callable[[float, float], str], gap: float = 12.0,
                  max_ticks: int = 12) -> tuple[list[float], list[str]]:
    """The densest nice ticks on [lo, hi] whose labels, laid along ``length_px``, do not overlap."""
    span = hi - lo
    best: tuple[list[float], list[str]] = ([lo], [fmt(lo, span or 1.0)])
    for step in nice_steps(span):
        ticks = linear_ticks(lo, hi, step)
        if len(ticks) > max_ticks:
            continue
        labels = [fmt(t, step) for t in ticks]
        pos = [(t - lo) / span * length_px for t in ticks] if span else [0.0] * len(ticks)
        if len(ticks) >= 2 and labels_fit(pos, labels, measure, gap):
            return ticks, labels
        best = (ticks, labels) if len(ticks) >= 2 else best
    return best
