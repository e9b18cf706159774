"""Backprop, as recorded in the trace, against an independent oracle: central finite differences.

Tolerance. ``numeric_gradient`` uses ε = 1e-6: its truncation error is ~ε²·|L‴|/6 ≈ 1e-13, its
round-off ~ulp(L)/ε ≈ 1e-10·L. So a gradient must match to 1e-6 relative, with an absolute floor of
1e-9·max(1, L) for gradients so small that round-off in L(θ ± ε) dominates. Measured over many
random cases the worst error is about a tenth of this allowance; a gradient off by 1e-5 relative
(or one that forgets a factor) is caught, and a test below checks exactly that.

ReLU and leaky ReLU have a kink at z = 0 where the two sides of a finite difference disagree:
cases with some |z| < 1e-4 there are rejected (a parameter step of ε moves z by far less).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from glassbox_game.engine import Network, Trace, compute_trace, get_loss, numeric_gradient
from glassbox_game.engine.gradcheck import mean_loss

from ._strategies import Case, cases, near_kink

EPS = 1e-6
RTOL = 1e-6
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def agrees(backprop: float, numeric: float, loss_value: float) -> bool:
    return abs(backprop - numeric) <= RTOL * abs(numeric) + 1e-9 * max(1.0, abs(loss_value))


def params(layers: tuple[int, ...]) -> list[tuple[str, int, int, int]]:
    """Every (kind, layer, j, i) of a network with these layers."""
    out = []
    for l in range(len(layers) - 1):
        out += [("w", l, j, i) for j in range(layers[l + 1]) for i in range(layers[l])]
        out += [("b", l, j, 0) for j in range(layers[l + 1])]
    return out


def mean_grad(t: Trace, kind: str, l: int, j: int, i: int) -> float:
    return float(t.mean_grad_w[l][j, i] if kind == "w" else t.mean_grad_b[l][j])


def sample_grad(t: Trace, s: int, kind: str, l: int, j: int, i: int) -> float:
    return float(t.grad_w[l][s, j, i] if kind == "w" else t.grad_b[l][s, j])


def mismatches(c: Case, t: Trace, grad: dict[tuple[str, int, int, int], float]) -> list[str]:
    loss = get_loss(c.loss)
    value = mean_loss(c.net, c.x, c.y, loss)
    bad = []
    for key, g in grad.items():
        fd = numeric_gradient(c.net, c.x, c.y, loss, *key, eps=EPS)
        if not agrees(g, fd, value):
            bad.append(f"{key}: backprop {g!r} vs finite difference {fd!r}")
    return bad


def trace_of(c: Case) -> Trace:
    return compute_trace(c.net, c.x, c.y, get_loss(c.loss), 0.1)


@SETTINGS
@given(cases())
def test_mean_gradient_matches_finite_differences(c: Case) -> None:
    assume(not near_kink(c.net, c.x))
    t = trace_of(c)
    grad = {k: mean_grad(t, *k) for k in params(c.net.layers)}
    assert mismatches(c, t, grad) == []


@SETTINGS
@given(cases())
def test_per_sample_gradients_match_finite_differences(c: Case) -> None:
    assume(not near_kink(c.net, c.x))
    t = trace_of(c)
    for s in range(len(c.x)):
        one = Case(c.net, c.x[s : s + 1], c.y[s : s + 1], c.loss)
        grad = {k: sample_grad(t, s, *k) for k in params(c.net.layers)}
        assert mismatches(one, t, grad) == [], f"sample {s}"
    # the step's gradient is the mean of the samples' gradients
    for l in range(len(c.net.layers) - 1):
        np.testing.assert_allclose(t.grad_w[l].mean(axis=0), t.mean_grad_w[l], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(t.grad_b[l].mean(axis=0), t.mean_grad_b[l], rtol=1e-12, atol=1e-15)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_hidden_layers=5, max_width=3, scale=1.0))
def test_deeper_networks_match_finite_differences(c: Case) -> None:
    assume(not near_kink(c.net, c.x))
    t = trace_of(c)
    assert mismatches(c, t, {k: mean_grad(t, *k) for k in params(c.net.layers)}) == []


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "leaky_relu"])
def test_eight_layers_of_eight_match_finite_differences(hidden: str) -> None:
    layers = (2, 8, 8, 8, 8, 8, 8, 8, 1)
    net = Network.initialise(layers, np.random.default_rng(5), "xavier", hidden_activation=hidden)
    rng = np.random.default_rng(6)
    c = Case(net, rng.uniform(-1, 1, (4, 2)), rng.uniform(0, 1, (4, 1)), "mse")
    assert not near_kink(c.net, c.x)
    t = trace_of(c)
    assert mismatches(c, t, {k: mean_grad(t, *k) for k in params(layers)}) == []


# -- the check itself can fail --------------------------------------------------------------
@SETTINGS
@given(cases())
def test_a_gradient_off_by_1e_5_relative_is_caught(c: Case) -> None:
    assume(not near_kink(c.net, c.x))
    t = trace_of(c)
    value = mean_loss(c.net, c.x, c.y, get_loss(c.loss))
    key = max(params(c.net.layers), key=lambda k: abs(mean_grad(t, *k)))
    g = mean_grad(t, *key)
    assume(abs(g) > 1e-2 * max(1.0, value))  # large enough for 1e-5 relative to beat the floor
    assert len(mismatches(c, t, {key: g * (1 + 1e-5)})) == 1
    assert mismatches(c, t, {key: g}) == []


def test_a_gradient_that_forgets_the_output_slope_is_caught() -> None:
    net = Network((2, 2, 1), [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45]]], [[0.35, 0.35], [0.6]])
    c = Case(net, np.array([[0.05, 0.1]]), np.array([[0.01]]), "mse")
    t = trace_of(c)
    # ∂L/∂w(h₁→ŷ) without σ′: raw error × a(h₁) instead of δ × a(h₁)
    wrong = float(t.raw_error[0, 0] * t.a[1][0, 0])
    assert mismatches(c, t, {("w", 1, 0, 0): wrong}) != []
    assert mismatches(c, t, {("w", 1, 0, 0): mean_grad(t, "w", 1, 0, 0)}) == []


# -- exact identities the UI shows ----------------------------------------------------------
@settings(max_examples=80, deadline=None)
@given(cases())
def test_recorded_intermediates_obey_the_chain_rule_exactly(c: Case) -> None:
    t = trace_of(c)
    L = len(c.net.layers) - 1
    if c.loss == "cross_entropy":
        assert t.slope_cancelled
        np.testing.assert_array_equal(t.delta[L - 1], t.a[L] - c.y)  # δ = a − y exactly
        # raw error is the true ∂L/∂a = −y/a + (1 − y)/(1 − a) (binary_cross_entropy's derivative)
        a, y, s = t.a[L], c.y, t.slope[L - 1]
        ok = (a > 1e-6) & (a < 1 - 1e-6)
        closed = np.where(ok, -y / np.where(ok, a, 0.5) + (1 - y) / (1 - np.where(ok, a, 0.5)), 0.0)
        np.testing.assert_allclose(np.where(ok, t.raw_error, 0.0), closed, rtol=1e-9, atol=1e-12)
        assert np.all(np.isfinite(t.raw_error))
        # the cancellation as shown: ∂L/∂a × σ′ = a − y = δ
        np.testing.assert_allclose(np.where(ok, t.raw_error * s, 0.0), np.where(ok, t.delta[L - 1], 0.0),
                                   rtol=1e-9, atol=1e-12)
    else:
        np.testing.assert_array_equal(t.raw_error, t.a[L] - c.y)
        assert not t.slope_cancelled
        np.testing.assert_array_equal(t.delta[L - 1], t.raw_error * t.slope[L - 1])
    for m in range(1, L + 1):
        a, z, s = t.a[m], t.z[m - 1], t.slope[m - 1]
        name = c.net.activations[m - 1].name
        expected = {
            "sigmoid": a * (1.0 - a),
            "tanh": 1.0 - a * a,
            "relu": (z > 0).astype(float),
            "leaky_relu": np.where(z > 0, 1.0, 0.01),
            "linear": np.ones_like(z),
            "elu": np.where(z > 0, 1.0, a + 1.0),
        }[name]
        np.testing.assert_array_equal(s, expected, err_msg=f"{name} slope, layer {m}")
    for m in range(1, L):  # hidden: δ = (Σₖ wₖⱼ δₖ) × slope, the sum taken in k order
        w = c.net.weights[m]
        for s_ in range(len(c.x)):
            for j in range(c.net.layers[m]):
                q = 0.0
                for k in range(c.net.layers[m + 1]):
                    q = q + w[k, j] * t.delta[m][s_, k] if k else w[k, j] * t.delta[m][s_, k]
                assert t.backprop_sum[m - 1][s_, j] == q
                assert t.delta[m - 1][s_, j] == q * t.slope[m - 1][s_, j]
    assert np.isnan(t.backprop_sum[L - 1]).all()
    for l in range(L):  # ∂L/∂w = δ × a_source, ∂L/∂b = δ
        np.testing.assert_array_equal(t.grad_w[l], t.delta[l][:, :, None] * t.a[l][:, None, :])
        np.testing.assert_array_equal(t.grad_b[l], t.delta[l])


def test_relu_slope_is_zero_at_exactly_zero() -> None:
    net = Network((1, 1, 1), [[[0.0]], [[1.0]]], [[0.0], [0.0]], "relu", "relu")
    t = compute_trace(net, np.array([[1.0]]), np.array([[1.0]]), get_loss("mse"), 0.1)
    assert t.z[0][0, 0] == 0.0 and t.slope[0][0, 0] == 0.0
    assert t.z[1][0, 0] == 0.0 and t.slope[1][0, 0] == 0.0
    assert t.mean_grad_w[0][0, 0] == 0.0  # no blame flows through a neuron at the kink


def test_worked_example_matches_the_textbook() -> None:
    """Matt Mazur's step-by-step example (first output only): the numbers students check by hand."""
    net = Network((2, 2, 1), [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45]]], [[0.35, 0.35], [0.6]])
    t = compute_trace(net, np.array([[0.05, 0.1]]), np.array([[0.01]]), get_loss("mse"), 0.5)
    assert t.z[0][0] == pytest.approx([0.3775, 0.3925], abs=1e-12)
    assert t.a[1][0] == pytest.approx([0.593269992, 0.596884378], abs=1e-9)
    assert t.a[2][0, 0] == pytest.approx(0.7513650695523157, abs=1e-12)  # σ(1.10590596705977)
    assert t.mean_grad_w[1][0, 0] == pytest.approx(0.082167041, abs=1e-9)
    assert t.weights_after[1][0, 0] == pytest.approx(0.35891648, abs=1e-8)
