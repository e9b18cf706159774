"""What the student has selected: a weight (edge) or a neuron's bias."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Selection:
    """``kind`` "edge": weights[layer][j][i]; "neuron": neuron j of layer ``layer`` (≥ 1 for a bias)."""

    kind: str
    layer: int
    j: int
    i: int = 0

    @staticmethod
    def edge(layer: int, j: int, i: int) -> Selection:
        return Selection("edge", layer, j, i)

    @staticmethod
    def neuron(layer: int, j: int) -> Selection:
        return Selection("neuron", layer, j)

    def fits(self, layers: tuple[int, ...]) -> bool:
        """Does this selection still exist in a network with these layer sizes?"""
        if self.kind == "edge":
            return 0 <= self.layer < len(layers) - 1 and 0 <= self.j < layers[self.layer + 1] \
                and 0 <= self.i < layers[self.layer]
        return 0 <= self.layer < len(layers) and 0 <= self.j < layers[self.layer]


def all_selectables(layers: tuple[int, ...]) -> list[Selection]:
    """Every edge and every non-input neuron, in reading order (for Tab cycling)."""
    out: list[Selection] = []
    for l in range(len(layers) - 1):
        for j in range(layers[l + 1]):
            for i in range(layers[l]):
                out.append(Selection.edge(l, j, i))
        for j in range(layers[l + 1]):
            out.append(Selection.neuron(l + 1, j))
    return out
