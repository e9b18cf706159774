"""Losses: MSE = ½(a − y)² summed over outputs, cross-entropy from the logit; data-set loss = mean."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glassbox_game.engine import LOSSES, Network, Trainer, compute_trace, get_loss, problem
from glassbox_game.engine.activations import ACTIVATIONS
from glassbox_game.engine.gradcheck import mean_loss

SIGMOID = ACTIVATIONS["sigmoid"].f


def naive_cross_entropy(a: float, y: float) -> float:
    return -(y * math.log(a) + (1 - y) * math.log(1 - a))


def test_mse_is_half_the_squared_error_summed_over_outputs_and_averaged_over_samples() -> None:
    net = Network((2, 2), [[[1.0, 0.0], [0.0, 2.0]]], [[0.0, 0.5]], output_activation="linear")
    x = np.array([[1.0, 1.0], [0.0, -1.0]])
    y = np.array([[0.0, 1.0], [1.0, 1.0]])
    t = compute_trace(net, x, y, get_loss("mse"), 0.1)
    # sample 1: a = (1, 2.5): ½(1² + 1.5²) = 1.625; sample 2: a = (0, −1.5): ½(1² + 2.5²) = 3.625
    assert t.sample_loss.tolist() == [1.625, 3.625]
    assert t.loss == 2.625
    assert mean_loss(net, x, y, get_loss("mse")) == 2.625


@settings(max_examples=200, deadline=None)
@given(st.floats(-30, 30), st.floats(0, 1))
def test_cross_entropy_equals_the_naive_formula_where_that_is_finite(z: float, y: float) -> None:
    a = 1 / (1 + math.exp(-z))
    if not 0 < a < 1:
        return
    net = Network((1, 1), [[[0.0]]], [[z]])
    t = compute_trace(net, np.array([[0.0]]), np.array([[y]]), get_loss("cross_entropy"), 0.1)
    # the naive formula itself loses digits as a → 0 or 1 (ln of a rounded 1 − a): allow for that
    assert t.loss == pytest.approx(naive_cross_entropy(a, y), rel=1e-9, abs=1e-15 / min(a, 1 - a))


@pytest.mark.parametrize("z", [-1e6, -800.0, -40.0, 40.0, 800.0, 1e6])
@pytest.mark.parametrize("y", [0.0, 0.3, 1.0])
def test_cross_entropy_from_the_logit_is_finite_at_extreme_z(z: float, y: float) -> None:
    ce = get_loss("cross_entropy")
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        numpy_value = ce.per_sample(np.array([[z]]), SIGMOID(np.array([[z]])), np.array([[y]]))[0]
        net = Network((1, 1), [[[0.0]]], [[z]])
        t = compute_trace(net, np.array([[0.0]]), np.array([[y]]), ce, 1e-9)
    # softplus(z) − y·z: the exact loss, even where σ(z) rounds to 0 or 1 and ln would fail
    exact = max(z, 0.0) - y * z + math.log1p(math.exp(-abs(z)))
    assert math.isfinite(t.loss) and t.loss == pytest.approx(exact, rel=1e-12)
    assert numpy_value == pytest.approx(exact, rel=1e-12)
    assert t.delta[0][0, 0] == t.a[1][0, 0] - y  # δ = a − y, never NaN


def test_fast_path_reports_the_same_extreme_cross_entropy() -> None:
    net = Network((2, 1), [[[0.0, 0.0]]], [[1e5]])  # (a bias of 1e6 would already be "absurd")
    a = Trainer(net.copy(), problem("nor"), loss="cross_entropy", learning_rate=1e-12)
    b = Trainer(net.copy(), problem("nor"), loss="cross_entropy", learning_rate=1e-12)
    assert b.train(1).losses == [a.step().loss] == [0.75e5]


def test_cross_entropy_needs_a_sigmoid_output() -> None:
    net = Network((2, 1), [[[0.0, 0.0]]], [[0.0]], output_activation="tanh")
    with pytest.raises(ValueError, match="cross_entropy needs a sigmoid output"):
        Trainer(net, problem("xor"), loss="cross_entropy")


def test_unknown_loss_names_the_choices() -> None:
    with pytest.raises(KeyError, match="mse, cross_entropy"):
        get_loss("hinge")
    assert set(LOSSES) == {"mse", "cross_entropy"}
