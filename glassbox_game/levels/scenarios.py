"""The sandbox's scenarios: one click loads a set-up worth watching, with one line on what to watch.

Each set-up is read from a shipped level file (one home for every starting point) and changed only
where the scenario says; tests/levels/test_scenarios.py checks each one does what its line promises.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from glassbox_game.engine.setup import Setup
from glassbox_game.levels.loader import load_level
from glassbox_game.levels.shipped import LEVELS_DIR


@dataclass(frozen=True)
class Scenario:
    key: str  # script name: "scenario xor"
    title: str
    watch: str  # one line on what to watch
    level_file: str  # the shipped level whose set-up it starts from
    changes: tuple[tuple[str, object], ...] = ()

    def setup(self) -> Setup:
        return _setup(self.level_file, self.changes)


@lru_cache(maxsize=16)
def _setup(level_file: str, changes: tuple[tuple[str, object], ...]) -> Setup:
    return replace(load_level(LEVELS_DIR / level_file).setup, **dict(changes))  # type: ignore[arg-type]


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("and", "AND with one neuron",
             "Watch the boundary line on the decision map swing into place as the loss falls.",
             "02-and-converges.toml"),
    Scenario("xor", "XOR with two hidden neurons",
             "One line cannot split XOR: watch the two hidden neurons bend the boundary.",
             "07-xor-needs-hidden.toml", (("layers", (2, 2, 1)),)),
    Scenario("vanishing", "Vanishing gradient",
             "ŷ is saturated: its raw error is ≈ 1 but δ ≈ 4.5e−5, so the loss sits still (click h₁→ŷ).",
             "08-vanishing-gradient.toml"),
    Scenario("dying-relu", "Dying ReLU",
             "h₂'s z ≤ 0 on every sample: its slope is 0 and its weights never move. Try leaky_relu.",
             "10-dying-relu.toml"),
    Scenario("cross-entropy", "Cross-entropy magic",
             "The same saturated start, but δ = a − y ≈ 1: the output learns at once (click h₁→ŷ).",
             "09-cross-entropy-magic.toml", (("loss", "cross_entropy"),)),
    Scenario("deep-sigmoid", "Deep sigmoid",
             "Four sigmoid layers: the Gradients tab shows the blame fading towards the input.",
             "12-deep-trouble.toml"),
)

#: the sandbox opens on this one: a run that teaches (it learns XOR), not one that stalls
DEFAULT_SCENARIO = "xor"


def scenario(key: str) -> Scenario:
    """The scenario called ``key`` (a ``KeyError`` names the choices)."""
    for s in SCENARIOS:
        if s.key == key:
            return s
    raise KeyError(f"unknown scenario {key!r}; choose one of {', '.join(s.key for s in SCENARIOS)}")
