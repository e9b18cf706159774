"""The names students read: x₁, h₁ (h¹₁ with several hidden layers), ŷ (ŷ₁ … with several outputs)."""

from __future__ import annotations

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def neuron_name(layers: tuple[int, ...], layer: int, j: int) -> str:
    """Neuron ``j`` (0-based) of ``layer`` (0 = the inputs) in a network with these layer sizes."""
    sub = str(j + 1).translate(_SUB)
    last = len(layers) - 1
    if layer == 0:
        return f"x{sub}"
    if layer == last:
        return "ŷ" if layers[-1] == 1 else f"ŷ{sub}"
    if last == 2:
        return f"h{sub}"
    return f"h{str(layer).translate(_SUP)}{sub}"


def connection_name(layers: tuple[int, ...], l: int, j: int, i: int) -> str:
    """``weights[l][j][i]`` as a student reads it: h₁→ŷ."""
    return f"{neuron_name(layers, l, i)}→{neuron_name(layers, l + 1, j)}"
