"""The goals about generated data — test_loss_below, test_loss_rises, accuracy_above — against the engine."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from glassbox_game.engine import vectorised
from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.levels import (
    AccuracyAbove,
    Level,
    Stars,
    TestLossBelow,
    TestLossRises,
    level_to_toml,
    loads_level,
)
from glassbox_game.levels.goals_check import FAILED, MET, PENDING, GoalTracker, accuracy, describe
from glassbox_game.sim import commands as c
from glassbox_game.sim.history import LossHistory
from glassbox_game.sim.simulation import Simulation
from tests.levels.helpers import run

# 40 noisy XOR-cloud points, half held out, a big tanh net: the test loss turns up near epoch 180
NOISY = Setup(layers=(2, 12, 12, 1), hidden_activation="tanh", loss="cross_entropy", learning_rate=0.1,
              init="xavier", seed=1, problem=None, generator="xor", points=40, noise=0.35,
              test_fraction=0.5, data_seed=0)


def level(*goals, setup: Setup = NOISY) -> Level:
    return Level(setup, id="t", title="t", goals=tuple(goals), stars=Stars())


def watch(sim: Simulation, tracker: GoalTracker, until: int, chunk: int = 1) -> int | None:
    """Train to epoch ``until`` observing every ``chunk`` epochs; the epoch the first goal was met at."""
    tracker.observe(sim.snapshot())
    epoch = sim.snapshot().epoch
    while epoch < until:
        epoch = min(until, epoch + chunk)
        st = tracker.observe(run(sim, c.RunToEpoch(epoch)))[0]
        if st.state == MET:
            return epoch
    return None


def engine_curves(setup: Setup, epochs: int) -> tuple[np.ndarray, np.ndarray]:
    result = build_trainer(setup).train(epochs)
    # the chart keeps float32 (sim/history.py): judge the same numbers the goal sees
    return (np.asarray(result.losses, dtype=np.float32).astype(float),
            np.asarray(result.test_losses, dtype=np.float32).astype(float))


def first_rise(train: np.ndarray, test: np.ndarray, margin: float) -> int:
    """The rule of docs/levels.md, epoch by epoch: the first epoch (1-based) it holds."""
    for e in range(1, len(test)):
        best = int(np.argmin(test[: e + 1]))
        if best < e and test[e] >= (1 + margin) * test[best] and train[e] < train[best]:
            return e + 1
    raise AssertionError("the test loss never turned up")


def test_test_loss_rises_is_met_at_the_epoch_the_rule_says() -> None:
    train, test = engine_curves(NOISY, 600)
    expected = first_rise(train, test, 0.5)
    lowest = int(np.argmin(test[:expected])) + 1
    assert 100 < lowest < expected < 600  # a real turn: the test loss fell first
    tr = GoalTracker(level(TestLossRises(0.5)))
    sim = Simulation(NOISY)
    assert watch(sim, tr, expected - 1) is None
    pending = tr.statuses[0]
    assert pending.state == PENDING and f"lowest {test[lowest - 1]:.4g} at epoch {lowest}" in pending.text
    assert watch(sim, tr, expected) == expected
    assert tr.won and tr.statuses[0].text.endswith(f"at {lowest}")


def test_test_loss_rises_seen_only_now_and_then_finds_the_minimum() -> None:
    """At turbo speed a frame skips hundreds of epochs: the minimum is found in the history, not the frames."""
    tr = GoalTracker(level(TestLossRises(0.5)))
    met = watch(Simulation(NOISY), tr, 900, chunk=300)
    train, test = engine_curves(NOISY, 600)
    assert met == 600 and first_rise(train, test, 0.5) <= 600
    lowest = int(np.argmin(test)) + 1
    assert f"up from {test[lowest - 1]:.4g} at {lowest}" in tr.statuses[0].text


def test_test_loss_rises_needs_the_training_loss_still_falling() -> None:
    """The same test curve beside a training loss that went up again is not overfitting."""
    sim = Simulation(NOISY)
    snap = run(sim, c.RunToEpoch(500))
    rising = LossHistory()
    rising.extend(np.linspace(0.1, 0.9, 500))  # the training loss climbs all the way
    tr = GoalTracker(level(TestLossRises(0.5)))
    st = tr.observe(replace(snap, history=rising))[0]
    assert st.state == PENDING and "training loss not below" in st.text
    assert tr.observe(snap)[0].state == MET


def test_test_loss_rises_starts_again_after_a_reset() -> None:
    tr = GoalTracker(level(TestLossRises(100.0)))  # never reached: the goal keeps looking
    sim = Simulation(NOISY)
    watch(sim, tr, 400, chunk=200)
    snap = run(sim, c.Reset())
    assert tr.observe(snap)[0].text == "train, and watch the test loss"
    snap = run(sim, c.RunToEpoch(3))
    _, test = engine_curves(NOISY, 3)
    assert f"lowest {test.min():.4g} at epoch {int(np.argmin(test)) + 1}" in tr.observe(snap)[0].text


def test_test_loss_below_meets_and_misses() -> None:
    _, test = engine_curves(NOISY, 300)
    first = int(np.flatnonzero(test < 0.7)[0]) + 1
    tr = GoalTracker(level(TestLossBelow(0.7)))
    assert watch(Simulation(NOISY), tr, 300) == first
    assert tr.statuses[0].text == f"test loss {test[first - 1]:.4g} at epoch {first}"
    # the unpenalised net never gets its test loss below 0.5: a limit of 400 epochs is missed once
    assert test.min() > 0.5
    late = GoalTracker(level(TestLossBelow(0.5, within_epochs=400)))
    watch(Simulation(NOISY), late, 500, chunk=100)
    assert late.statuses[0].state == FAILED and "press R" in late.statuses[0].text
    assert late.failures == 1


def test_accuracy_counts_every_training_point_even_in_a_mini_batch() -> None:
    setup = replace(NOISY, batch_size=5)
    sim = Simulation(setup)
    snap = run(sim, c.RunToEpoch(40))
    assert snap.trace.n_samples == 5  # the step on show has five rows …
    net = build_trainer(setup).network
    net.set_parameters(list(snap.trace.params))
    data = setup.dataset()
    every_row = vectorised.accuracy(net.predict(data.x), data.y)
    assert accuracy(snap, "training") == pytest.approx(every_row)  # … the accuracy counts all 20
    assert accuracy(snap, "test") == snap.trace.test_accuracy is not None


def test_accuracy_above_on_the_test_set_within_epochs() -> None:
    circle = Setup(layers=(4, 1), features=("x1", "x2", "x1^2", "x2^2"), loss="cross_entropy",
                   learning_rate=0.1, init="xavier", problem=None, generator="circle", points=200,
                   test_fraction=0.5, data_seed=1)
    goal = AccuracyAbove(0.95, "test", within_epochs=200)
    tr = GoalTracker(level(goal, setup=circle))
    sim = Simulation(circle)
    st = tr.observe(sim.snapshot())[0]
    assert st.state == PENDING and "→ at least 95 %" in st.text and "200 epochs left" in st.text
    met = watch(sim, tr, 200)
    assert met is not None and met < 200
    assert accuracy(sim.snapshot(), "test") >= 0.95
    # without the squared features one straight line cannot classify a disc: the limit is missed
    raw = replace(circle, layers=(2, 1), features=None)
    tr2 = GoalTracker(level(goal, setup=raw))
    assert watch(Simulation(raw), tr2, 260, chunk=20) is None
    assert tr2.statuses[0].state == FAILED and tr2.failures == 1


def test_descriptions_and_the_file_round_trip() -> None:
    goals = (TestLossBelow(0.5, 1000), TestLossRises(0.5), AccuracyAbove(0.975, "test"), AccuracyAbove(0.9))
    assert [describe(g, NOISY.layers) for g in goals] == [
        "Test loss below 0.5 within 1,000 epochs",
        "The test loss turns up (50 % above its lowest) while the training loss falls",
        "Test accuracy at least 97.5 %",
        "Training accuracy at least 90 %",
    ]
    lv = level(*goals)
    assert loads_level(level_to_toml(lv)).goals == goals


def test_test_loss_rises_over_a_run_longer_than_the_exact_window() -> None:
    """A run of 300,000 epochs: the chart keeps only the newest losses exactly; the minimum is still found."""
    snap = run(Simulation(NOISY), c.RunToEpoch(2))
    n, low = 300_000, 250_000
    test = np.concatenate([np.linspace(1.0, 0.5, low), np.linspace(0.5, 0.9, n - low)])
    train = LossHistory()
    train.extend(np.linspace(1.0, 0.01, n))
    history = LossHistory()
    tr = GoalTracker(level(TestLossRises(0.5)))
    for part in np.array_split(test, 7):  # frames now and then
        history.extend(part)
        st = tr.observe(replace(snap, history=train, test_history=history, epoch=len(history)))[0]
    assert history.first_exact > 1  # the oldest epochs are no longer held exactly
    assert st.state == MET and st.text.endswith(f"up from 0.5 at {low:,}")
