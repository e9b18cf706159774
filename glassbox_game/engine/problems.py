"""Training data: the six logic gates, or any inputs and targets a level file gives."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_GATE_INPUTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
_GATES: dict[str, tuple[float, float, float, float]] = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
    "xnor": (1, 0, 0, 1),
}
PROBLEMS: tuple[str, ...] = tuple(_GATES)


@dataclass(frozen=True)
class Dataset:
    """Inputs ``x`` (samples × n_in) and targets ``y`` (samples × n_out), read-only.

    ``points`` holds each sample's 2-D coordinates when the inputs are features computed from them
    (a generated data set), else None: the decision map plots ``points``, the network sees ``x``.
    """

    name: str
    x: np.ndarray
    y: np.ndarray
    points: np.ndarray | None = None

    def __post_init__(self) -> None:
        for arr in (self.x, self.y, self.points):
            if arr is not None:
                arr.setflags(write=False)

    @classmethod
    def from_lists(cls, inputs: list[list[float]], targets: list[list[float]], name: str = "custom") -> Dataset:
        return cls(name, np.array(inputs, dtype=float), np.array(targets, dtype=float))

    @property
    def n_samples(self) -> int:
        return int(self.x.shape[0])


def problem(name: str) -> Dataset:
    """The truth table of a gate by name: and, or, nand, nor, xor, xnor."""
    key = name.lower()
    if key not in _GATES:
        raise KeyError(f"unknown problem {name!r}; choose one of {', '.join(PROBLEMS)}")
    return Dataset(key, np.array(_GATE_INPUTS), np.array(_GATES[key], dtype=float).reshape(4, 1))
