"""Every name of a neuron or a connection, in one place, one meaning per word.

* ``neuron_name`` / ``connection_name``: what a student reads — x₁, h₁, h¹₁ (deeper nets), ŷ; h₁→ŷ.
  With input ``features`` (x₁², sin x₁ … built from the two coordinates) an input neuron is named by
  its feature: ``feature_name`` ("x1^2" → x₁²), never x₃.
* ``neuron_key`` / ``connection_key``: the plain-ASCII keys level files, lecture and input scripts,
  CSV exports and click targets use — x1, h1, h1_2 (layer 1, neuron 2), y (y1, y2 … with several
  outputs); h1->y. Numbers are 1-based; layer 0 is the input.
* ``parse_neuron`` / ``parse_connection``: a key back to indices, with a one-line reason if it
  names nothing in the network.
"""

from __future__ import annotations

import re

#: input features as level files name them (``[network] features``) → as students read them; the order
#: is the data dialog's checkboxes' order (engine/datasets.py computes them)
FEATURE_LABELS: dict[str, str] = {
    "x1": "x₁",
    "x2": "x₂",
    "x1^2": "x₁²",
    "x2^2": "x₂²",
    "x1*x2": "x₁x₂",
    "sin(x1)": "sin x₁",
    "sin(x2)": "sin x₂",
}

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


def feature_name(feature: str) -> str:
    """An input feature as a student reads it: "x1^2" → x₁², "sin(x1)" → sin x₁."""
    return FEATURE_LABELS[feature]


def neuron_name(layers: tuple[int, ...], layer: int, j: int, features: tuple[str, ...] | None = None) -> str:
    """Neuron ``j`` (0-based) of ``layer`` (0 = the inputs), as students read it: x₁, h₁, h¹₁, ŷ.

    With ``features`` (the network's input features), input ``j`` is named by its feature: x₁², sin x₂."""
    if layer == 0 and features is not None and 0 <= j < len(features):
        return feature_name(features[j])
    return _name(layers, layer, j, display=True)


def connection_name(layers: tuple[int, ...], l: int, j: int, i: int,
                    features: tuple[str, ...] | None = None) -> str:
    """``weights[l][j][i]`` as a student reads it: h₁→ŷ (x₁²→h₁ with input features)."""
    return f"{neuron_name(layers, l, i, features)}→{neuron_name(layers, l + 1, j, features)}"


def neuron_key(layers: tuple[int, ...], layer: int, j: int) -> str:
    """The ASCII key of a neuron: x1 …, y (y1 … with several outputs), h1 … or h<layer>_<n> in deeper nets."""
    return _name(layers, layer, j, display=False)


def connection_key(layers: tuple[int, ...], l: int, j: int, i: int) -> str:
    """The ASCII key of ``weights[l][j][i]``: ``h1->y``."""
    return f"{neuron_key(layers, l, i)}->{neuron_key(layers, l + 1, j)}"


_NAME = re.compile(r"^(x|y|h)(\d+)?(?:_(\d+))?$")


def parse_neuron(layers: tuple[int, ...], name: str) -> tuple[int, int]:
    """(layer, 0-based index) of a neuron name; ``ValueError`` with a short reason otherwise."""
    m = _NAME.match(name.strip())
    last = len(layers) - 1
    if m is None:
        raise ValueError(f"{name!r} is not a neuron name like x1, h2, h1_2 or y")
    kind, first, second = m.group(1), m.group(2), m.group(3)
    if kind == "h" and second is not None:
        if first is None:
            raise ValueError(f"{name!r} is not a neuron name like x1, h2, h1_2 or y")
        layer, j = int(first), int(second)
        if not 1 <= layer < last:
            raise ValueError(f"{name!r}: there is no hidden layer {layer} in layers {list(layers)}")
    elif second is not None or (first is None and kind != "y"):
        raise ValueError(f"{name!r} is not a neuron name like x1, h2, h1_2 or y")
    elif kind == "x":
        layer, j = 0, int(first)
    elif kind == "y":
        layer, j = last, 1 if first is None else int(first)
        if first is None and layers[-1] != 1:
            raise ValueError(f"{name!r} is ambiguous: the output layer has {layers[-1]} neurons (y1, y2, …)")
    else:
        if last != 2:
            raise ValueError(f"{name!r} is ambiguous with {last - 1} hidden layers: write h<layer>_<neuron>")
        layer, j = 1, int(first)
    if not 1 <= j <= layers[layer]:
        n = layers[layer]
        raise ValueError(f"there is no {name!r}: layer {layer} has {n} neuron{'s' if n != 1 else ''}")
    return layer, j - 1


def parse_connection(layers: tuple[int, ...], text: str) -> tuple[int, int, int]:
    """(l, j, i) such that the connection is ``weights[l][j][i]``; ``ValueError`` otherwise."""
    parts = text.split("->")
    if len(parts) != 2:
        raise ValueError(f"{text!r} is not a connection like \"h1->y\"")
    try:
        (la, i), (lb, j) = (parse_neuron(layers, p) for p in parts)
    except ValueError as exc:
        raise ValueError(f"{text!r}: {exc}") from None
    if lb != la + 1:
        raise ValueError(f"{text!r} does not join neighbouring layers")
    return la, j, i
