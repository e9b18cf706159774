"""Same setup and seed ⇒ the same run to the bit; a different seed ⇒ different initial weights."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from glassbox_game.engine import Setup, Trace, build_trainer

VIEWS = ("x", "y", "a", "z", "slope", "delta", "backprop_sum", "raw_error", "grad_w", "grad_b",
         "sample_loss", "weights", "biases", "weights_after", "biases_after", "mean_grad_w", "mean_grad_b")


def assert_same_trace(s: Trace, t: Trace) -> None:
    for f in dataclasses.fields(Trace):
        assert getattr(s, f.name) == getattr(t, f.name), f.name
    for name in VIEWS:
        u, v = getattr(s, name), getattr(t, name)
        us, vs = (u, v) if isinstance(u, tuple) else ((u,), (v,))
        for p, q in zip(us, vs, strict=True):
            np.testing.assert_array_equal(p, q, err_msg=name)  # NaN == NaN here, bit for bit otherwise


SETUPS = [
    Setup(),
    Setup(layers=(2, 4, 3, 1), hidden_activation="tanh", init="xavier", seed=9, learning_rate=1.3),
    Setup(layers=(2, 3, 1), hidden_activation="relu", init="he", loss="cross_entropy", seed=3),
    Setup(mode="online", shuffle=True, seed=5, problem="xnor"),
    Setup(mode="online", hidden_activation="leaky_relu", output_activation="linear", problem="nand"),
]


@pytest.mark.parametrize("setup", SETUPS)
def test_same_setup_gives_identical_traces(setup: Setup) -> None:
    a, b = build_trainer(setup), build_trainer(setup)
    for _ in range(30):
        assert_same_trace(a.step(), b.step())
    a.train(50)
    b.train(50)
    assert_same_trace(a.step(), b.step())
    assert a.events == b.events


def test_trace_comparison_notices_a_difference() -> None:
    a, b = build_trainer(Setup()), build_trainer(Setup(learning_rate=0.5000000000000001))
    with pytest.raises(AssertionError, match="learning_rate"):
        assert_same_trace(a.step(), b.step())


@pytest.mark.parametrize("init", ["uniform", "xavier", "he"])
def test_different_seeds_give_different_initial_weights(init: str) -> None:
    nets = [Setup(seed=s, init=init).network() for s in range(20)]
    params = {tuple(n.parameters()) for n in nets}
    assert len(params) == 20
    assert nets[0].parameters() == Setup(seed=0, init=init).network().parameters()


def test_online_shuffle_order_depends_on_the_seed() -> None:
    orders = set()
    for seed in range(6):
        w, b = (((0.1, 0.2), (0.3, 0.4)), ((0.5, 0.6),)), ((0.0, 0.0), (0.0,))
        tr = build_trainer(Setup(mode="online", shuffle=True, seed=seed, weights=w, biases=b))
        orders.add(tuple(tr.step().sample_indices[0] for _ in range(12)))
    assert len(orders) > 1


def test_explicit_weights_are_used_as_given() -> None:
    w = (((0.15, 0.2), (0.25, 0.3)), ((0.4, 0.45),))
    b = ((0.35, 0.35), (0.6,))
    net = Setup(weights=w, biases=b, seed=123).network()
    assert net.parameters() == [0.15, 0.2, 0.25, 0.3, 0.35, 0.35, 0.4, 0.45, 0.6]


def test_custom_data_set() -> None:
    inputs, targets = ((0.0,), (0.5,), (1.0,)), ((1.0,), (0.0,), (1.0,))
    s = Setup(problem=None, layers=(1, 2, 1), inputs=inputs, targets=targets)
    tr = build_trainer(s)
    t = tr.step()
    np.testing.assert_array_equal(t.x, [[0.0], [0.5], [1.0]])
    np.testing.assert_array_equal(t.y, [[1.0], [0.0], [1.0]])
