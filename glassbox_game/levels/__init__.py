"""Level files: the schema, friendly validation, the typed model and the writer. Never imports pygame."""

from glassbox_game.levels.loader import load_level, loads_level
from glassbox_game.levels.model import (
    AccuracyAbove,
    AllCorrect,
    FullPassStepped,
    Goal,
    Hint,
    Level,
    LevelError,
    LossBelow,
    NeuronRevived,
    NoLockedNeurons,
    SelectConnection,
    Stars,
    TestLossBelow,
    TestLossRises,
    TypedValue,
)
from glassbox_game.levels.shipped import LEVELS_DIR, shipped_levels
from glassbox_game.levels.writer import level_to_toml

__all__ = [
    "LEVELS_DIR",
    "AccuracyAbove",
    "AllCorrect",
    "FullPassStepped",
    "Goal",
    "Hint",
    "Level",
    "LevelError",
    "LossBelow",
    "NeuronRevived",
    "NoLockedNeurons",
    "SelectConnection",
    "Stars",
    "TestLossBelow",
    "TestLossRises",
    "TypedValue",
    "level_to_toml",
    "load_level",
    "loads_level",
    "shipped_levels",
]
