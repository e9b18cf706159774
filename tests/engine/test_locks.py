"""Lock detection: a neuron whose slope is tiny on every sample stops passing blame backwards."""

from __future__ import annotations

import numpy as np
import pytest

from glassbox_game.engine import DEFAULT_LOCK_THRESHOLD, LockEvent, Network, Trainer, problem

XOR = problem("xor")


def trainer(net: Network, mode: str = "batch", loss: str = "mse", threshold: float = DEFAULT_LOCK_THRESHOLD,
            data: str = "xor", lr: float = 0.5) -> Trainer:
    return Trainer(net, problem(data), loss=loss, learning_rate=lr, mode=mode, lock_threshold=threshold)


def net_221(hidden: str, w_h1: list[float], b_h1: float, output: str = "sigmoid") -> Network:
    """XOR net whose first hidden neuron has the given weights; the rest is ordinary."""
    return Network((2, 2, 1), [[w_h1, [0.5, -0.4]], [[0.3, 0.6]]], [[b_h1, 0.1], [0.05]], hidden, output)


def events_by_steps(tr: Trainer, epochs: int) -> list[LockEvent]:
    while tr.epoch < epochs and tr.halt is None:
        tr.step()
    return tr.events


@pytest.mark.parametrize("mode", ["batch", "online"])
def test_saturated_sigmoid_locks_at_epoch_1(mode: str) -> None:
    tr = trainer(net_221("sigmoid", [40.0, 40.0], 40.0), mode)
    events_by_steps(tr, 1)
    assert tr.events[0] == LockEvent(1, 1, 0, True, "saturated")
    assert tr.locked[0] == (True, False)
    fast = trainer(net_221("sigmoid", [40.0, 40.0], 40.0), mode)
    assert fast.train(1).events[0] == LockEvent(1, 1, 0, True, "saturated")


def test_batch_trace_shows_the_lock_of_its_own_step() -> None:
    tr = trainer(net_221("tanh", [-30.0, -30.0], -30.0))
    assert tr.peek().locked == ((True, False), (False,))
    t = tr.step()
    assert t.locked == tr.locked == ((True, False), (False,))
    assert t.peak_slope[0] < 1e-20 and t.peak_slope[1] > 0.02


@pytest.mark.parametrize("threshold", [0.0, 1e-12, DEFAULT_LOCK_THRESHOLD, 0.5, 5.0])
def test_relu_with_z_never_positive_is_dead_whatever_the_threshold(threshold: float) -> None:
    # z = −x₁ − x₂ − 0.5 < 0 on every XOR input; the second neuron is alive on some inputs
    tr = trainer(net_221("relu", [-1.0, -1.0], -0.5, output="linear"), threshold=threshold)
    tr.step()
    assert tr.events == [LockEvent(1, 1, 0, True, "dead")]
    fast = trainer(net_221("relu", [-1.0, -1.0], -0.5, output="linear"), threshold=threshold)
    assert fast.train(3).events == [LockEvent(1, 1, 0, True, "dead")]


def test_relu_at_exactly_zero_on_every_sample_is_dead() -> None:
    tr = trainer(net_221("relu", [0.0, 0.0], 0.0))
    tr.step()
    assert tr.locked[0][0] is True and tr.events[0].reason == "dead"


def test_relu_alive_on_one_sample_is_not_locked() -> None:
    tr = trainer(net_221("relu", [1.0, 1.0], -1.5), threshold=0.5)  # z > 0 only for (1, 1)
    tr.step()
    assert tr.locked[0][0] is False


@pytest.mark.parametrize("act", ["leaky_relu", "linear"])
def test_leaky_and_linear_never_lock(act: str) -> None:
    for threshold in (DEFAULT_LOCK_THRESHOLD, 0.5, 1e9):
        tr = trainer(net_221(act, [-50.0, -50.0], -50.0, output=act), threshold=threshold, lr=1e-6)
        for _ in range(3):
            tr.step()
        assert tr.train(20).events == [] and tr.events == []
        assert tr.locked == ((False, False), (False,))


@pytest.mark.parametrize("mode", ["batch", "online"])
def test_an_output_under_cross_entropy_never_locks(mode: str) -> None:
    # an output saturated wrongly (a ≈ 1 on every AND input): σ′ < 0.02 on every sample, but under
    # cross-entropy the factor that multiplies its blame is 1 (∂L/∂a × σ′ = a − y), so it is not locked
    def fresh(loss: str) -> Trainer:
        net = Network((2, 1), [[[0.0, 0.0]]], [[12.0]])
        return trainer(net, mode, loss=loss, data="and", lr=1e-3)

    ce = fresh("cross_entropy")
    assert ce.peek().locked == ((False,),)
    t = ce.step()
    assert t.slope[0].max() < DEFAULT_LOCK_THRESHOLD and abs(t.delta[0][0, 0]) > 0.99
    assert t.locked == ((False,),) and ce.locked == ((False,),)
    events_by_steps(ce, 20)
    assert ce.events == [] and fresh("cross_entropy").train(20).events == []
    for threshold in (0.02, 0.5, 10.0):  # whatever the threshold
        tr = trainer(Network((2, 1), [[[0.0, 0.0]]], [[12.0]]), mode, loss="cross_entropy", data="and",
                     threshold=threshold, lr=1e-3)
        assert tr.train(3).events == [] and tr.peek().locked == ((False,),)
    mse = fresh("mse")  # the same output under MSE multiplies its blame by σ′: locked
    assert mse.train(2).events == [LockEvent(1, 1, 0, True, "saturated")]


def test_hidden_neurons_under_cross_entropy_still_lock_by_their_slope() -> None:
    tr = trainer(net_221("sigmoid", [40.0, 40.0], 40.0), loss="cross_entropy")
    assert tr.step().locked == ((True, False), (False,))
    fast = trainer(net_221("sigmoid", [40.0, 40.0], 40.0), loss="cross_entropy")
    assert fast.train(1).events == [LockEvent(1, 1, 0, True, "saturated")]


def test_a_lock_threshold_change_is_judged_at_once() -> None:
    # z = 5 on every sample: σ′ ≈ 0.0066; raising the threshold past it locks ŷ before the next step
    tr = trainer(Network((2, 1), [[[0.0, 0.0]]], [[5.0]]), threshold=0.005, lr=1e-9)
    tr.step()
    assert tr.locked == ((False,),)
    tr.lock_threshold = 0.02
    tr.rejudge_locks()
    assert tr.locked == ((True,),) and tr.events[-1] == LockEvent(1, 1, 0, True, "saturated")
    tr.lock_threshold = 0.001
    tr.rejudge_locks()
    assert tr.locked == ((False,),) and tr.events[-1].reason == "recovered"


@pytest.mark.parametrize("mode", ["batch", "online"])
def test_the_threshold_decides(mode: str) -> None:
    # z = 5 on every sample: σ′(5) ≈ 0.0066, locked under 0.02 but not under 0.005
    def net() -> Network:
        return Network((2, 1), [[[0.0, 0.0]]], [[5.0]])

    assert np.isclose(np.exp(-5) / (1 + np.exp(-5)) ** 2, 0.00664806)
    strict = trainer(net(), mode, threshold=0.02, lr=1e-9)
    loose = trainer(net(), mode, threshold=0.005, lr=1e-9)
    assert strict.train(2).events == [LockEvent(1, 1, 0, True, "saturated")]
    assert loose.train(2).events == []


def test_events_are_the_same_from_steps_and_from_train_over_a_long_run() -> None:
    # sigmoid XOR with a big learning rate: neurons saturate and come back over the run
    def fresh(mode: str) -> Trainer:
        net = Network.initialise((2, 3, 1), np.random.default_rng(9), radius=4.0)
        return trainer(net, mode, lr=8.0, threshold=0.05)

    for mode in ("batch", "online"):
        a, b = fresh(mode), fresh(mode)
        stepped = events_by_steps(a, 300)
        assert b.train(300).events == stepped
        assert {e.reason for e in stepped} >= {"saturated", "recovered"}, stepped
        assert len({e.epoch for e in stepped}) >= 2
