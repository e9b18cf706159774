"""The training engine: numpy and the standard library only, never pygame.

Every number the game shows is recorded here once, in an immutable :class:`Trace`.
"""

from glassbox_game.engine.activations import ACTIVATIONS, Activation, get_activation
from glassbox_game.engine.gradcheck import numeric_gradient
from glassbox_game.engine.locks import DEFAULT_LOCK_THRESHOLD, LockEvent
from glassbox_game.engine.losses import LOSSES, Loss, get_loss
from glassbox_game.engine.network import INIT_SCHEMES, Network
from glassbox_game.engine.problems import PROBLEMS, Dataset, problem
from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.engine.trace import Trace, compute_trace
from glassbox_game.engine.trainer import Halt, Trainer, TrainingHalted, TrainResult

__all__ = [
    "ACTIVATIONS",
    "DEFAULT_LOCK_THRESHOLD",
    "INIT_SCHEMES",
    "LOSSES",
    "PROBLEMS",
    "Activation",
    "Dataset",
    "Halt",
    "LockEvent",
    "Loss",
    "Network",
    "Setup",
    "Trace",
    "TrainResult",
    "Trainer",
    "TrainingHalted",
    "build_trainer",
    "compute_trace",
    "get_activation",
    "get_loss",
    "numeric_gradient",
    "problem",
]
