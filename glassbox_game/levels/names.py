"""Plain-ASCII names for neurons and connections, as a level file or CSV writes them.

``x1``… are inputs, ``y`` the output (``y1``, ``y2``… when there are several), ``h1``… the hidden
neurons of a one-hidden-layer net, and ``h2_3`` neuron 3 of hidden layer 2 in any net. A connection
is ``"from->to"`` between neighbouring layers, e.g. ``"h1->y"``. Numbers are 1-based.
"""

from __future__ import annotations

import re

from glassbox_game.engine.names import neuron_key as neuron_name

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


def connection_name(layers: tuple[int, ...], l: int, j: int, i: int) -> str:
    """The canonical name of ``weights[l][j][i]``."""
    return f"{neuron_name(layers, l, i)}->{neuron_name(layers, l + 1, j)}"
