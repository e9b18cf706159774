"""What one frame shows: an immutable picture of the simulation. Views read this and nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from glassbox_game.engine.locks import LockEvent
from glassbox_game.engine.setup import Setup
from glassbox_game.engine.trace import Trace
from glassbox_game.sim.history import LossHistory
from glassbox_game.sim.packets import PacketArrays
from glassbox_game.sim.selection import Selection

#: The phases of one step, in the order they are shown. Before the first, a step is "ready":
#: computed and shown whole, waiting for → (or play) to walk through it.
PHASES = ("forward", "loss", "backward", "update")


@dataclass(frozen=True)
class Snapshot:
    """The displayed step and everything around it.

    ``trace`` is the step being shown (its weights are the weights before its update);
    ``phase`` / ``phase_progress`` say how far the animation of that step has got; once the update
    phase has started, ``applied`` is true and the network's weights are ``trace.weights_after``.
    ``history`` and ``ghost`` are shared, append-only objects: read them, never change them.
    """

    tick: int
    time: float
    setup: Setup
    trace: Trace
    phase: str  # forward, loss, backward, update
    phase_progress: float
    begun: bool  # False: the step is "ready" (shown whole, no phase begun yet)
    applied: bool
    playing: bool
    animated: bool  # phases are animated at this speed (slow enough to follow)
    speed_index: int
    speed_label: str
    epoch: int  # completed epochs
    loss: float | None  # the last completed epoch's loss (what the chart shows last)
    learning_rate: float
    lock_threshold: float
    selection: Selection | None
    hover: Selection | None
    sample: int | None  # displayed training row; None = batch view
    packets: PacketArrays
    history: LossHistory
    ghost: LossHistory | None
    lock_events: tuple[LockEvent, ...]
    locked: tuple[tuple[bool, ...], ...]
    halt_message: str | None
    can_step_back: bool
    phases_stepped: int  # phases completed by explicit single steps (for level goals)
    full_passes_stepped: int
    setup_version: int  # changes whenever the network or data were rebuilt
    test_history: LossHistory | None = None  # the test set's loss per epoch, when there is a test set

    @property
    def shown_phase(self) -> str:
        """What the displayed step is showing: "ready" (all of it) or the phase reached so far."""
        return self.phase if self.begun else "ready"

    def reveals(self, phase: str) -> bool:
        """May a panel show what ``phase`` computes? Later phases stay hidden until they are reached."""
        return not self.begun or PHASES.index(phase) <= PHASES.index(self.phase)

    @property
    def step_id(self) -> tuple[int, int, int, str]:
        """Which step, and how much of it, a frame shows: every panel on one frame draws this."""
        return (self.setup_version, self.trace.step, id(self.trace), self.shown_phase)
