"""The runs ``glassbox bench`` measures, shared by its engine and frame sections (no pygame here)."""

from __future__ import annotations

from glassbox_game.engine import Setup

# The engine workload of issue 15 (tools/torch_baseline.py runs the same in a plain PyTorch loop):
# 500 training points of the circle, 2-8-8-1, tanh hidden, sigmoid output, cross-entropy, full batch.
CIRCLE_500 = Setup(layers=(2, 8, 8, 1), hidden_activation="tanh", output_activation="sigmoid",
                   loss="cross_entropy", learning_rate=0.3, init="xavier", problem=None,
                   generator="circle", points=500, noise=0.1, test_fraction=0.0, data_seed=3)
