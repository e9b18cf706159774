"""The typed model of a level file: a :class:`Level` around an engine :class:`Setup`.

Everything is frozen and made of tuples, so ``load_level(write(level)) == level`` can be checked
with ``==``. Goals are one small dataclass per goal type; :data:`Goal` is their union.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from glassbox_game.engine.setup import Setup
from glassbox_game.levels.schema import CONTROLS, PANELS


class LevelError(Exception):
    """A level file that cannot be used; ``str()`` is one line: ``FILE: field.path: what is wrong``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LossBelow:
    """The data set's loss drops below ``value`` (within ``within_epochs`` epochs if given)."""

    value: float
    within_epochs: int | None = None
    label: str = ""
    type: str = field(default="loss_below", init=False)


@dataclass(frozen=True)
class AllCorrect:
    """Every output is on the right side of ``threshold`` for every sample, for ``hold_epochs`` epochs."""

    threshold: float = 0.5
    hold_epochs: int = 1
    label: str = ""
    within_epochs: int | None = None  # the hold must be complete by this epoch of a run
    type: str = field(default="all_correct", init=False)


@dataclass(frozen=True)
class NoLockedNeurons:
    """No neuron is locked, once at least ``min_epochs`` epochs have been trained."""

    min_epochs: int = 1
    label: str = ""
    type: str = field(default="no_locked_neurons", init=False)


@dataclass(frozen=True)
class FullPassStepped:
    """The player stepped through one complete forward and backward pass, phase by phase."""

    label: str = ""
    type: str = field(default="full_pass_stepped", init=False)


@dataclass(frozen=True)
class SelectConnection:
    """The player selects a connection: ``target`` is "steepest", "flattest" or an edge like "h1->y".

    ``edge`` is (l, j, i) of ``weights[l][j][i]`` for an explicit edge, None for a computed target
    (steepest = largest |mean ∂L/∂w| of the displayed step, flattest = smallest).
    """

    target: str
    edge: tuple[int, int, int] | None = None
    label: str = ""
    type: str = field(default="select_connection", init=False)


@dataclass(frozen=True)
class TypedValue:
    """The player types ``quantity`` of a neuron (or connection) for one sample, within ``tolerance``.

    ``neuron_index`` is (layer, j) for neuron quantities; ``edge`` is (l, j, i) for grad_w and
    new_weight. ``sample`` is a 0-based row of the data set; None means the step's mean gradient
    (allowed for grad_w, grad_b and new_weight only).
    """

    quantity: str
    neuron: str | None = None
    connection: str | None = None
    sample: int | None = 0
    tolerance: float = 0.005
    neuron_index: tuple[int, int] | None = None
    edge: tuple[int, int, int] | None = None
    label: str = ""
    type: str = field(default="typed_value", init=False)


@dataclass(frozen=True)
class NeuronRevived:
    """A neuron that was locked (dead or saturated) is unlocked again; ``neuron`` None means any."""

    neuron: str | None = None
    neuron_index: tuple[int, int] | None = None
    label: str = ""
    #: the hidden activations the revival must happen with (None: any) — the fix the level teaches
    activations: tuple[str, ...] | None = None
    type: str = field(default="neuron_revived", init=False)


@dataclass(frozen=True)
class TestLossBelow:
    """The test set's loss (the last completed epoch's) drops below ``value`` (within ``within_epochs``)."""

    __test__ = False  # not a pytest test class

    value: float
    within_epochs: int | None = None
    label: str = ""
    type: str = field(default="test_loss_below", init=False)


@dataclass(frozen=True)
class TestLossRises:
    """Overfitting: the test loss has climbed ``margin`` × its minimum above its minimum so far, while the
    training loss is lower than it was at the epoch of that minimum (docs/levels.md gives the rule)."""

    __test__ = False

    margin: float = 0.25
    label: str = ""
    type: str = field(default="test_loss_rises", init=False)


@dataclass(frozen=True)
class AccuracyAbove:
    """Classification: the share of points classified right, on ``set`` ("training" or "test"), is at
    least ``value`` (within ``within_epochs`` epochs of a run if given)."""

    value: float
    set: str = "training"
    within_epochs: int | None = None
    label: str = ""
    type: str = field(default="accuracy_above", init=False)


Goal = (LossBelow | AllCorrect | NoLockedNeurons | FullPassStepped | SelectConnection | TypedValue
        | NeuronRevived | TestLossBelow | TestLossRises | AccuracyAbove)


@dataclass(frozen=True)
class Hint:
    """A hint, shown on request; also shown by itself after ``after_failures`` failed attempts if given."""

    text: str
    after_failures: int | None = None


@dataclass(frozen=True)
class Stars:
    """Thresholds (three-star limit, two-star limit) per criterion; a win always earns one star."""

    epochs: tuple[int, int] | None = None
    hints: tuple[int, int] | None = None
    attempts: tuple[int, int] | None = None

    def award(self, epochs: int, hints: int, attempts: int) -> int:
        """Stars (1–3) for a win after ``epochs`` epochs, ``hints`` hints and ``attempts`` failed attempts."""
        stars = 3
        for limits, used in ((self.epochs, epochs), (self.hints, hints), (self.attempts, attempts)):
            if limits is None:
                continue
            three, two = limits
            stars = min(stars, 3 if used <= three else 2 if used <= two else 1)
        return stars


@dataclass(frozen=True)
class Level:
    """A level (``id`` set) or a bare sandbox setup (``id`` None, every control and panel)."""

    setup: Setup
    id: str | None = None
    title: str = ""
    order: int = 0
    briefing: str = ""
    debrief: str = ""
    controls: tuple[str, ...] = CONTROLS
    panels: tuple[str, ...] = PANELS
    goals: tuple[Goal, ...] = ()
    hints: tuple[Hint, ...] = ()
    stars: Stars = Stars()
    path: Path | None = field(default=None, compare=False)
    #: epochs a second the level starts at (None: the player's own speed setting)
    speed: float | None = None

    @property
    def is_sandbox(self) -> bool:
        return self.id is None
