"""Activations and their slopes: right values, safe for any z, the documented slope formulas."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from glassbox_game.engine import ACTIVATIONS, get_activation

EXTREME = np.array([-1.7976931348623157e308, -1e300, -1e6, -745.2, -40.0, -1.0, -0.0, 0.0, 5e-324,
                    1.0, 40.0, 745.2, 1e6, 1e300, 1.7976931348623157e308])


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_any_finite_z_gives_finite_values_and_slopes_without_warnings(name: str) -> None:
    act = get_activation(name)
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        a = act.f(EXTREME)
        s = act.slope(EXTREME, a)
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(s))
    assert np.all(s >= 0)


@settings(max_examples=200)
@given(arrays(float, st.integers(1, 8), elements=st.floats(-50, 50)))
def test_values_match_their_definitions(z: np.ndarray) -> None:
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].f(z), 1 / (1 + np.exp(-z)), rtol=1e-14, atol=1e-300)
    np.testing.assert_array_equal(ACTIVATIONS["tanh"].f(z), np.tanh(z))
    np.testing.assert_array_equal(ACTIVATIONS["relu"].f(z), np.maximum(z, 0.0))
    np.testing.assert_array_equal(ACTIVATIONS["leaky_relu"].f(z), np.where(z > 0, z, 0.01 * z))
    np.testing.assert_array_equal(ACTIVATIONS["linear"].f(z), z)
    np.testing.assert_allclose(ACTIVATIONS["elu"].f(z), np.where(z > 0, z, np.exp(z) - 1), rtol=1e-12, atol=1e-15)


@settings(max_examples=200)
@given(arrays(float, st.integers(1, 8), elements=st.floats(-20, 20).filter(lambda v: abs(v) > 1e-3)))
def test_slopes_are_the_derivatives(z: np.ndarray) -> None:
    h = 1e-6
    for act in ACTIVATIONS.values():
        numeric = (act.f(z + h) - act.f(z - h)) / (2 * h)
        np.testing.assert_allclose(act.slope(z, act.f(z)), numeric, rtol=1e-6, atol=1e-9, err_msg=act.name)


def test_kinks_take_the_left_slope_at_exactly_zero() -> None:
    zero = np.array([0.0, -0.0])
    assert ACTIVATIONS["relu"].slope(zero, ACTIVATIONS["relu"].f(zero)).tolist() == [0.0, 0.0]
    assert ACTIVATIONS["leaky_relu"].slope(zero, ACTIVATIONS["leaky_relu"].f(zero)).tolist() == [0.01, 0.01]


def test_sigmoid_is_exactly_symmetric_and_saturates_cleanly() -> None:
    z = np.array([1e6, -1e6, 0.0])
    assert ACTIVATIONS["sigmoid"].f(z).tolist() == [1.0, 0.0, 0.5]


def test_lock_rules_and_formulas() -> None:
    assert {n: a.lock_rule for n, a in ACTIVATIONS.items()} == {
        "sigmoid": "threshold", "tanh": "threshold", "relu": "dead", "leaky_relu": "never", "linear": "never",
        "elu": "threshold"}
    assert ACTIVATIONS["sigmoid"].slope_formula == "a(1 − a)"
    with pytest.raises(KeyError, match="sigmoid, tanh, relu, leaky_relu, linear, elu"):
        get_activation("softmax")
