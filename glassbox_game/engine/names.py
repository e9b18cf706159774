"""Neuron names: the ones students read (x₁, h₁, h¹₁, ŷ) and the ASCII keys files and scripts use (x1, h1, h1_2, y)."""

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


def neuron_key(layers: tuple[int, ...], layer: int, j: int) -> str:
    """The ASCII key of a neuron: x1 …, y (y1 … with several outputs), h1 … or h<layer>_<n> in deeper nets."""
    last = len(layers) - 1
    if layer == 0:
        return f"x{j + 1}"
    if layer == last:
        return "y" if layers[-1] == 1 else f"y{j + 1}"
    if last == 2:
        return f"h{j + 1}"
    return f"h{layer}_{j + 1}"
