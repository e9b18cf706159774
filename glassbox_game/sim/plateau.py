"""Plateau detection: a run that has made no progress for a long stretch (no pygame).

A run is on a *plateau* when, over the last :data:`WINDOW` epochs, its loss fell by less than
:data:`MIN_PROGRESS` of its value and is still above :data:`SOLVED` — a flat stretch or a local
minimum, where waiting longer rarely helps. The notice says so and what to try.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

WINDOW = 500  # epochs without progress before the notice shows
MIN_PROGRESS = 0.01  # less than a 1 % fall over the window is "no progress"
SOLVED = 0.01  # a loss this small has learned: flat is fine there


@dataclass(frozen=True)
class Plateau:
    """The run's loss has sat near ``loss`` since epoch ``since`` (``epochs`` epochs)."""

    since: int
    epochs: int
    loss: float

    @property
    def message(self) -> str:
        return (f"No progress for {self.epochs:,} epochs: the loss sits at {self.loss:.3g}. A plateau or a local "
                "minimum — try another seed, a different η, or more hidden neurons.")


def detect(losses: np.ndarray, window: int = WINDOW) -> Plateau | None:
    """The plateau the run ends on, if any. ``losses[k]`` is the loss of epoch k + 1."""
    n = len(losses)
    if n <= window:
        return None
    now, before = float(losses[-1]), float(losses[-1 - window])
    if not (math.isfinite(now) and math.isfinite(before)) or now <= SOLVED:
        return None
    if before - now >= MIN_PROGRESS * before:
        return None
    # how long it has been flat: walk back in windows while the fall stays under the limit
    start = n - window
    while start - window >= 0:
        earlier = float(losses[start - window])
        if not math.isfinite(earlier) or earlier - now >= MIN_PROGRESS * earlier:
            break
        start -= window
    return Plateau(start + 1, n - start, now)
