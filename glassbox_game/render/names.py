"""Neuron and edge names: the Unicode names students read, and ASCII keys scripts use.

Display names match :meth:`Network.neuron_name` (x₁, h₁, ŷ; h¹₁ in deeper nets) without needing a
Network. Keys are plain ASCII for ``targets()`` and scripts:

* inputs ``x1``, ``x2`` …; the output ``y`` (``y1``, ``y2`` … when there are several outputs);
* hidden neurons ``h1``, ``h2`` … when there is one hidden layer, else ``h<layer>_<n>``
  (``h1_2`` = layer 1, neuron 2; both 1-based, layer 0 being the inputs);
* an edge is ``<source>-><target>``, e.g. ``x1->h1``, ``h2->y``, ``h1_3->h2_1``.
"""

from __future__ import annotations

from glassbox_game.engine.names import neuron_key, neuron_name

__all__ = ["column_title", "edge_key", "neuron_key", "neuron_name"]


def edge_key(layers: tuple[int, ...], layer: int, j: int, i: int) -> str:
    """The ASCII key of the edge carrying weights[layer][j][i]: ``x1->h1``."""
    return f"{neuron_key(layers, layer, i)}->{neuron_key(layers, layer + 1, j)}"


def column_title(layers: tuple[int, ...], layer: int) -> str:
    """INPUT, HIDDEN (HIDDEN 1, HIDDEN 2 … when there are several), OUTPUT."""
    last = len(layers) - 1
    if layer == 0:
        return "INPUT"
    if layer == last:
        return "OUTPUT"
    return "HIDDEN" if last == 2 else f"HIDDEN {layer}"
