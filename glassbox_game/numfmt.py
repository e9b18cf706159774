"""How a number is written, on screen and in messages: one home for the style.

A real minus sign (−), and huge or tiny values in one short exponent form — ``2.51e11``,
``3.1e−3`` — never ``3e+08`` beside ``2.51e11`` on one frame, never a twelve-digit integer.
``fmt`` gives fixed significant digits (tables, panels), ``plain`` drops trailing zeros
(messages: "Correct: 0.25"), ``compact`` fits a pill or a neuron (at most about six characters).
"""

from __future__ import annotations

import math


def _short_exponent(text: str, trim: bool = False) -> str:
    mant, exp = text.split("e")
    if trim and "." in mant:
        mant = mant.rstrip("0").rstrip(".")
    return f"{mant}e{int(exp)}"


def _special(value: float) -> str | None:
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    return None


def fmt(value: float, digits: int = 4) -> str:
    """Fixed significant digits, tiny or huge values in 1e−5 form: 0.2500, 12.35, 2.51e11."""
    special = _special(value)
    if special is not None:
        return special
    a = abs(value)
    if a != 0 and (a < 10 ** -(digits - 1) or a >= 10 ** (digits + 2)):
        text = _short_exponent(f"{value:.{max(1, digits - 2)}e}")
    else:
        decimals = max(0, digits - 1 - (int(f"{a:e}".split("e")[1]) if a else 0))
        text = f"{value:.{min(decimals, digits + 2)}f}"
    return text.replace("-", "−")


def plain(value: float | None, digits: int = 4) -> str:
    """Up to ``digits`` significant digits without trailing zeros (0.25, 12.35, 959300), values from
    a million up or below 0.001 as 2.51e11 / 3e8 / 3.1e−4; None is a dash."""
    if value is None:
        return "—"
    special = _special(value)
    if special is not None:
        return special
    a = abs(value)
    if a >= 1e6 or 0 < a < 1e-3:
        text = _short_exponent(f"{value:.{max(0, digits - 2)}e}", trim=True)
    else:
        text = f"{value:.{digits}g}"
        if "e" in text:  # .4g of 12345.6 is 1.235e+04
            text = f"{value:.0f}"
    return text.replace("-", "−")


def compact(value: float) -> str:
    """A number for a pill or a neuron: two significant digits from 10,000 up (−5.3e5), never clipped."""
    special = _special(value)
    if special is not None:
        return special
    if abs(value) >= 1e4:
        return _short_exponent(f"{value:.1e}", trim=True).replace("-", "−")
    return fmt(value, 2)
