"""Numeric fuzz: absurd learning rates and weights end in finite numbers or in the engine's own stop.

Never a NaN drawn silently, never a Python exception or a numpy warning: either training carries on
with finite numbers, or ``Trainer.halt`` says which quantity blew up, at which epoch, and that the
learning rate is probably too high. Run with every warning an error and numpy set to raise.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glassbox_game.engine import (
    Dataset,
    Halt,
    Network,
    Setup,
    Trainer,
    TrainingHalted,
    build_trainer,
    problem,
)

from ._strategies import Case, cases

VIEWS = ("x", "y", "a", "z", "slope", "delta", "backprop_sum", "raw_error", "grad_w", "grad_b",
         "sample_loss", "weights", "biases", "weights_after", "biases_after", "mean_grad_w", "mean_grad_b")

learning_rates = st.one_of(
    st.floats(1e-3, 1e308),
    st.integers(-3, 308).map(lambda k: 10.0**k),
    st.sampled_from([1e308, 1.7976931348623157e308, 5e-324]),
)


@contextmanager
def strict() -> Iterator[None]:
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        yield


def assert_sane_end(tr: Trainer) -> None:
    params = tr.network.parameters()
    assert all(math.isfinite(v) for v in params), "parameters must stay finite, halted or not"
    if tr.halt is None:
        assert tr.last_loss is None or math.isfinite(tr.last_loss)
        return
    h = tr.halt
    assert isinstance(h, Halt)
    assert f"epoch {h.epoch}" in h.message and h.quantity in h.message
    # the remedy it names: a lower learning rate, or (when the start itself was absurd) smaller weights
    assert "learning rate" in h.message or "starting weights" in h.message
    assert h.epoch == tr.epoch + 1  # the epoch that went wrong was not completed
    # a halted trainer does nothing more
    result = tr.train(10)
    assert result.epochs == 0 and result.losses == [] and result.halt is h
    with pytest.raises(TrainingHalted):
        tr.step()
    assert tr.network.parameters() == params


def run_both(c: Case, lr: float, mode: str, steps: int = 12, epochs: int = 40) -> tuple[Trainer, Trainer]:
    with strict():
        a = c.trainer(learning_rate=lr, mode=mode)
        for _ in range(steps):
            if a.halt is not None:
                break
            t = a.step()
            for name in VIEWS:  # the views a panel reads: no warning either
                getattr(t, name)
            assert t.locked is not None and math.isfinite(t.learning_rate)
        b = c.trainer(learning_rate=lr, mode=mode)
        b.train(epochs)
    return a, b


@settings(max_examples=60, deadline=None)
@given(cases(scale=1e300), learning_rates, st.sampled_from(["batch", "online"]))
def test_huge_weights_and_learning_rates_end_finite_or_halted(c: Case, lr: float, mode: str) -> None:
    a, b = run_both(c, lr, mode)
    assert_sane_end(a)
    assert_sane_end(b)


@settings(max_examples=60, deadline=None)
@given(cases(scale=3e5), learning_rates, st.sampled_from(["batch", "online"]))
def test_z_up_to_a_million_ends_finite_or_halted(c: Case, lr: float, mode: str) -> None:
    a, b = run_both(c, lr, mode)
    assert_sane_end(a)
    assert_sane_end(b)


@settings(max_examples=40, deadline=None)
@given(cases(scale=4.0), learning_rates, st.sampled_from(["batch", "online"]))
def test_step_and_train_halt_at_the_same_place(c: Case, lr: float, mode: str) -> None:
    with strict():
        a, b = c.trainer(learning_rate=lr, mode=mode), c.trainer(learning_rate=lr, mode=mode)
        while a.halt is None and a.epoch < 5:
            a.step()
        b.train(5)
    assert a.halt == b.halt
    assert a.network.parameters() == b.network.parameters()
    assert (a.epoch, a.steps, a.cursor) == (b.epoch, b.steps, b.cursor)


@pytest.mark.parametrize("lr", [1e10, 1e100, 1e308])
@pytest.mark.parametrize("fast", [False, True])
def test_xor_with_an_absurd_learning_rate_stops_with_a_message(lr: float, fast: bool) -> None:
    tr = build_trainer(Setup(learning_rate=lr))
    with strict():
        if fast:
            tr.train(1000)
        else:
            while tr.halt is None and tr.epoch < 1000:
                tr.step()
    assert tr.halt is not None
    assert "learning rate" in tr.halt.message and "η = " in tr.halt.message
    assert tr.halt.epoch <= 3
    assert_sane_end(tr)


def test_nan_loss_is_named() -> None:
    # h = 1e308 + 1e308 = inf on input (1, 1), and the output 0 · inf = NaN
    net = Network((2, 1, 1), [[[1e308, 1e308]], [[0.0]]], [[0.0], [0.0]], "linear", "linear")
    for fast in (False, True):
        tr = Trainer(net.copy(), problem("and"), learning_rate=0.1)
        with strict():
            tr.train(3) if fast else tr.step()
        assert tr.halt is not None and tr.halt.epoch == 1 and tr.halt.quantity == "loss"
        assert tr.halt.message.startswith("Training stopped at epoch 1: the loss became NaN.")
        assert_sane_end(tr)


def test_a_weight_that_grows_too_large_is_named() -> None:
    net = Network((1, 1), [[[0.0]]], [[0.0]], output_activation="linear")
    # after the first sample w = b = 1e6 (too large); the second sample would bring them back to 0
    data = Dataset.from_lists([[1.0], [1.0]], [[1e6], [1e6]])
    for fast in (False, True):
        tr = Trainer(net.copy(), data, learning_rate=1.0, mode="online")
        with strict():
            tr.train(2) if fast else tr.step()
        assert tr.halt is not None
        assert tr.halt.quantity == "weight w(x₁→ŷ)" and tr.halt.epoch == 1
        assert tr.halt.message.startswith("Training stopped at epoch 1: weight w(x₁→ŷ) grew to 1e6.")
        assert tr.network.parameters() == [0.0, 0.0]  # the bad update was not applied
        assert (tr.steps, tr.cursor) == (0, 0)


def test_moderate_training_never_halts() -> None:
    tr = build_trainer(Setup(learning_rate=5.0))
    with strict():
        result = tr.train(3000)
    assert result.halt is None and result.epochs == 3000
    assert all(math.isfinite(v) for v in result.losses)


def test_absurd_starting_weights_blame_the_weights_not_the_learning_rate() -> None:
    from glassbox_game.engine import Network, problem

    net = Network((2, 1), [[[3e8, 0.5]]], [[0.0]], "sigmoid", "sigmoid")
    for fast in (False, True):
        tr = Trainer(net.copy(), problem("and"), "mse", 0.1)
        with strict():
            if fast:
                tr.train(5)
            else:
                tr.step()
        assert tr.halt is not None
        assert tr.halt.message.startswith("Training stopped at epoch 1: weight w(x₁→ŷ) is 3e8, far beyond")
        assert "starting weights" in tr.halt.message and "learning rate" not in tr.halt.message
