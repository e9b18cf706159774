"""The simulation: owns time, the trainer, the phase of the step, packets and selection.

No pygame here: the sim changes only through commands applied at a fixed step, and
``snapshot()`` hands views an immutable picture of it.
"""

from glassbox_game.sim.clock import FixedStepClock
from glassbox_game.sim.commands import Command
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import PHASES, SPEEDS, Simulation
from glassbox_game.sim.snapshot import Snapshot

__all__ = ["PHASES", "SPEEDS", "Command", "FixedStepClock", "Selection", "Simulation", "Snapshot"]
