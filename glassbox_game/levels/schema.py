"""The fixed vocabularies and limits of a level file, in one place for the loader, writer and docs.

These limits are the game's one set: level files, lecture scripts, input scripts (``--script``),
the parameter panel and saving all check against the constants here (docs/levels.md lists them).
"""

from __future__ import annotations

from glassbox_game.engine import datasets, network, vectorised
from glassbox_game.engine.activations import ACTIVATIONS
from glassbox_game.engine.losses import LOSSES
from glassbox_game.engine.problems import PROBLEMS
from glassbox_game.engine.trainer import MODES

MAX_LAYERS = network.MAX_LAYERS
MAX_NEURONS = network.MAX_NEURONS
MAX_FILE_BYTES = 1_000_000
MAX_SAMPLES = 1024
MAX_PARAM = network.MAX_PARAM
MAX_DATA_VALUE = 1e6
MIN_LEARNING_RATE = 0.0  # exclusive: η must be above it (0 never learns, below 0 climbs the loss)
MAX_LEARNING_RATE = 1000.0
MAX_SEED = 2**63 - 1
MAX_LOCK_THRESHOLD = 1.0
MAX_INIT_RADIUS = 100.0
MAX_TEXT = 4000  # characters in a briefing, debrief or hint
MAX_TITLE = 80  # characters in a level or lecture title
MAX_LABEL = 200  # characters in a goal's label
MAX_EPOCHS = 1_000_000  # run_to_epoch, within_epochs, trace --epochs, run-to-epoch
MAX_GOALS = 12  # the goal list shows about this many rows
MAX_HINTS = 12
MAX_KEY_PARTS = 16  # parts of a dotted TOML key or header ([beats.network] has 2)
MAX_NESTING = 32  # levels of [ and { (weights nest 3 deep)
MIN_POINTS = datasets.MIN_POINTS
MAX_POINTS = datasets.MAX_POINTS
MAX_NOISE = datasets.MAX_NOISE
MAX_TEST_FRACTION = datasets.MAX_TEST_FRACTION
MAX_BATCH_SIZE = MAX_SAMPLES
MAX_REGULARIZATION_RATE = vectorised.MAX_REGULARIZATION_RATE

ACTIVATION_NAMES: tuple[str, ...] = tuple(ACTIVATIONS)
LOSS_NAMES: tuple[str, ...] = tuple(LOSSES)
INIT_NAMES: tuple[str, ...] = network.INIT_SCHEMES
MODE_NAMES: tuple[str, ...] = MODES
PROBLEM_NAMES: tuple[str, ...] = PROBLEMS
GENERATOR_NAMES: tuple[str, ...] = datasets.GENERATORS
FEATURE_NAMES: tuple[str, ...] = datasets.FEATURES
REGULARIZATION_NAMES: tuple[str, ...] = vectorised.REGULARIZATIONS

CONTROLS: tuple[str, ...] = (
    "learning_rate", "activation", "loss", "mode", "init", "seed", "problem",
    "architecture", "lock_threshold", "speed", "step", "reset", "weights", "regularization",
)
PANELS: tuple[str, ...] = (
    "chain_rule", "loss_calc", "tables", "loss_chart", "decision_map", "landscape", "gradient_bars",
)
DEFAULT_LEVEL_CONTROLS: tuple[str, ...] = ("speed", "step", "reset")

GOAL_TYPES: tuple[str, ...] = (
    "loss_below", "all_correct", "no_locked_neurons", "full_pass_stepped",
    "select_connection", "typed_value", "neuron_revived", "test_loss_below", "test_loss_rises", "accuracy_above",
)
#: which points an accuracy_above goal counts
ACCURACY_SETS: tuple[str, ...] = ("training", "test")
DEFAULT_RISE_MARGIN = 0.25  # test_loss_rises: 25 % above the test loss's minimum
MAX_RISE_MARGIN = 100.0
# select_connection targets computed from the current step's mean gradient
COMPUTED_TARGETS: tuple[str, ...] = ("steepest", "flattest")
NEURON_QUANTITIES: tuple[str, ...] = ("z", "a", "slope", "raw_error", "backprop_sum", "delta", "grad_b")
CONNECTION_QUANTITIES: tuple[str, ...] = ("grad_w", "new_weight")
SAMPLE_QUANTITIES: tuple[str, ...] = ("loss",)
QUANTITIES: tuple[str, ...] = NEURON_QUANTITIES + CONNECTION_QUANTITIES + SAMPLE_QUANTITIES

TOP_KEYS = ("network", "training", "data", "level", "goals", "hints", "stars")
NETWORK_KEYS = ("layers", "hidden_activation", "output_activation", "loss", "learning_rate",
                "weights", "biases", "seed", "init", "init_radius", "features")
TRAINING_KEYS = ("mode", "shuffle", "lock_threshold", "batch_size", "regularization", "regularization_rate", "speed")
DATA_KEYS = ("problem", "inputs", "targets", "file", "generator", "points", "noise", "test_fraction", "seed")
GENERATOR_KEYS = ("points", "noise", "test_fraction", "seed")  # [data] keys that need a generator
LEVEL_KEYS = ("id", "title", "order", "briefing", "debrief", "controls", "panels")
HINT_KEYS = ("text", "after_failures")
STARS_KEYS = ("epochs", "hints", "attempts")
GOAL_COMMON_KEYS = ("type", "label")
GOAL_KEYS: dict[str, tuple[str, ...]] = {
    "loss_below": ("value", "within_epochs"),
    "all_correct": ("threshold", "hold_epochs", "within_epochs"),
    "no_locked_neurons": ("min_epochs",),
    "full_pass_stepped": (),
    "select_connection": ("target",),
    "typed_value": ("quantity", "neuron", "connection", "sample", "tolerance"),
    "neuron_revived": ("neuron", "activations"),
    "test_loss_below": ("value", "within_epochs"),
    "test_loss_rises": ("margin",),
    "accuracy_above": ("value", "set", "within_epochs"),
}
