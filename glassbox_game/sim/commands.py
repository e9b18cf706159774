"""Commands: the only way the UI changes the simulation. Queued, applied at the next fixed step."""

from __future__ import annotations

from dataclasses import dataclass

from glassbox_game.engine.setup import Setup
from glassbox_game.sim.selection import Selection


@dataclass(frozen=True)
class Command:
    """Base class."""


@dataclass(frozen=True)
class Play(Command):
    pass


@dataclass(frozen=True)
class Pause(Command):
    pass


@dataclass(frozen=True)
class TogglePlay(Command):
    pass


@dataclass(frozen=True)
class StepPhase(Command):
    """Advance to the end of the current phase (forward → loss → backward → update)."""


@dataclass(frozen=True)
class StepEpoch(Command):
    """Finish the current step and one more whole step."""


@dataclass(frozen=True)
class StepBack(Command):
    """Return to the weights before the last step (from the history of weights)."""


@dataclass(frozen=True)
class Reset(Command):
    """Back to the setup's initial weights; the run so far becomes the chart's ghost."""


@dataclass(frozen=True)
class ChangeSpeed(Command):
    delta: int


@dataclass(frozen=True)
class SetSpeed(Command):
    index: int


@dataclass(frozen=True)
class Select(Command):
    target: Selection | None


@dataclass(frozen=True)
class CycleSelection(Command):
    delta: int  # +1 Tab, −1 Shift+Tab


@dataclass(frozen=True)
class Hover(Command):
    target: Selection | None


@dataclass(frozen=True)
class SetSample(Command):
    """Which training row is shown flowing; None = the batch view (mean gradients)."""

    index: int | None


@dataclass(frozen=True)
class CycleSample(Command):
    delta: int


@dataclass(frozen=True)
class LoadSetup(Command):
    setup: Setup


@dataclass(frozen=True)
class ChangeSetup(Command):
    """Change settings of the current setup (field=value pairs of :class:`Setup`); resets if needed."""

    changes: tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class Regenerate(Command):
    """Generated data only: the next data seed, so new points of the same kind (the run starts again)."""


@dataclass(frozen=True)
class SetLearningRate(Command):
    value: float


@dataclass(frozen=True)
class SetLockThreshold(Command):
    value: float


@dataclass(frozen=True)
class SetWeight(Command):
    """Set one weight (kind "w") or bias (kind "b") by hand while paused."""

    kind: str
    layer: int
    j: int
    i: int
    value: float


@dataclass(frozen=True)
class NudgeWeight(Command):
    """Add ``delta`` to one weight (kind "w") or bias (kind "b") by hand; training pauses."""

    kind: str
    layer: int
    j: int
    i: int
    delta: float


@dataclass(frozen=True)
class RunToEpoch(Command):
    epoch: int
