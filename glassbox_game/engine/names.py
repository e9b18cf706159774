"""Neuron names: the ones students read (x₁, h₁, h¹₁, ŷ) and the ASCII keys files and scripts use (x1, h1, h1_2, y)."""

from __future__ import annotations

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _name(layers: tuple[int, ...], layer: int, j: int, display: bool) -> str:
    n = str(j + 1).translate(_SUB) if display else str(j + 1)
    last = len(layers) - 1
    if layer == 0:
        return f"x{n}"
    if layer == last:
        out = "ŷ" if display else "y"
        return out if layers[-1] == 1 else f"{out}{n}"
    if last == 2:
        return f"h{n}"
    return f"h{str(layer).translate(_SUP)}{n}" if display else f"h{layer}_{n}"


def neuron_name(layers: tuple[int, ...], layer: int, j: int) -> str:
    """Neuron ``j`` (0-based) of ``layer`` (0 = the inputs), as students read it: x₁, h₁, h¹₁, ŷ."""
    return _name(layers, layer, j, display=True)


def connection_name(layers: tuple[int, ...], l: int, j: int, i: int) -> str:
    """``weights[l][j][i]`` as a student reads it: h₁→ŷ."""
    return f"{neuron_name(layers, l, i)}→{neuron_name(layers, l + 1, j)}"


def neuron_key(layers: tuple[int, ...], layer: int, j: int) -> str:
    """The ASCII key of a neuron: x1 …, y (y1 … with several outputs), h1 … or h<layer>_<n> in deeper nets."""
    return _name(layers, layer, j, display=False)
