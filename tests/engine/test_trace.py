"""What a trace says about accuracy and the inputs' names, against plain counts on the data."""

from __future__ import annotations

import numpy as np
import pytest

from glassbox_game.engine import Setup, build_trainer
from glassbox_game.engine.names import connection_name, neuron_name


def _count_right(tr_net_out: np.ndarray, y: np.ndarray) -> float:
    """A plain count: outputs on the target's side of 0.5, one sample at a time."""
    right = sum(1 for o, t in zip(tr_net_out[:, 0], y[:, 0], strict=True) if (o >= 0.5) == (t >= 0.5))
    return right / len(y)


@pytest.mark.parametrize("batch_size", [None, 1, 16])
def test_training_and_test_accuracy_are_counts_over_the_whole_sets_at_the_steps_weights(batch_size: int | None) -> None:
    s = Setup(layers=(2, 4, 1), generator="circle", points=120, noise=0.2, test_fraction=0.3, data_seed=4,
              hidden_activation="tanh", loss="cross_entropy", init="xavier", learning_rate=0.3,
              batch_size=batch_size, shuffle=True)
    tr = build_trainer(s)
    assert tr.test_data is not None
    for _ in range(7):
        net = tr.network.copy()  # the weights the next step is traced at
        t = tr.step()
        assert t.train_accuracy == _count_right(net.predict(tr.data.x), tr.data.y)
        assert t.test_accuracy == _count_right(net.predict(tr.test_data.x), tr.test_data.y)
        # the step's own samples: its recorded outputs, counted
        assert t.accuracy == _count_right(t.a[-1], t.y)
    if batch_size is None:
        assert t.accuracy == t.train_accuracy


def test_a_regression_has_no_accuracy() -> None:
    t = build_trainer(Setup(layers=(2, 3, 1), generator="plane", points=40, test_fraction=0.5,
                            output_activation="tanh")).peek()
    assert t.accuracy is None and t.train_accuracy is None and t.test_accuracy is None
    assert t.test_loss is not None


def test_a_trace_names_its_inputs_by_their_features() -> None:
    feats = ("x1^2", "x2^2", "sin(x1)")
    t = build_trainer(Setup(layers=(3, 2, 1), generator="circle", points=30, features=feats)).peek()
    assert t.features == feats
    assert [neuron_name(t.layers, 0, j, t.features) for j in range(3)] == ["x₁²", "x₂²", "sin x₁"]
    assert connection_name(t.layers, 0, 1, 2, t.features) == "sin x₁→h₂"
    assert neuron_name(t.layers, 1, 0, t.features) == "h₁"  # only the inputs change name
    plain = build_trainer(Setup()).peek()
    assert plain.features is None and neuron_name(plain.layers, 0, 1, plain.features) == "x₂"
