"""Every activation and loss record: its generated lines, its numpy functions and finite differences agree.

The generated lines are what the game runs; the numpy functions are what the reference engine,
the plots and the docs use; central finite differences are the independent oracle for f′ and δ.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from glassbox_game.engine import ACTIVATIONS, LOSSES, Activation, Loss
from glassbox_game.engine.activations import LOCK_RULES
from glassbox_game.engine.fastpath import CALLABLE

Z = np.concatenate([np.linspace(-12.0, 12.0, 241), [-700.0, -40.0, -1e-9, 0.0, 1e-9, 40.0, 700.0]])
SMOOTH = Z[np.abs(Z) > 1e-3]  # away from the kink of ReLU-like activations
H = 1e-6


def generated_activation(act: Activation) -> tuple[np.ndarray, np.ndarray]:
    """a and s for every z in Z, as the fast paths compute them (the record's lines, compiled)."""
    body = "\n".join("    " + ln for ln in act.emit("z", "a", "s"))
    ns = dict(CALLABLE)
    exec(compile(f"def neuron(z):\n{body}\n    return a, s\n", f"<{act.name}>", "exec"), ns)
    pairs = [ns["neuron"](float(z)) for z in Z]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def generated_loss(loss: Loss, z: float, a: float, y: float, s: float) -> tuple[float, float, float]:
    body = "\n".join("    " + ln for ln in loss.emit("z", "a", "y", "s", "r", "d"))
    ns = dict(CALLABLE)
    exec(compile(f"def out(z, a, y, s):\n    sl = 0.0\n{body}\n    return r, sl, d\n", "<loss>", "exec"), ns)
    return ns["out"](z, a, y, s)  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_generated_lines_equal_numpy_and_the_slope_is_the_derivative(name: str) -> None:
    act = ACTIVATIONS[name]
    a, s = generated_activation(act)
    np.testing.assert_allclose(a, act.f(Z), rtol=1e-15, atol=1e-300, err_msg="generated f vs numpy f")
    np.testing.assert_array_equal(s, act.slope(Z, a), err_msg="generated f′ vs numpy f′ (same a)")
    numeric = (act.f(SMOOTH + H) - act.f(SMOOTH - H)) / (2 * H)
    np.testing.assert_allclose(act.slope(SMOOTH, act.f(SMOOTH)), numeric, rtol=1e-6, atol=1e-9,
                               err_msg="f′ vs central finite differences")


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_the_facts_a_panel_prints_are_consistent(name: str) -> None:
    act = ACTIVATIONS[name]
    assert act.lock_rule in LOCK_RULES
    a, s = generated_activation(act)
    assert s.max() == pytest.approx(act.peak_slope)  # peak slope: the largest f′ over z
    assert act.output_range[0] <= a.min() and a.max() <= act.output_range[1]
    assert act.slope_symbol.endswith("′") and act.slope_symbol.startswith(act.symbol)
    for template in act.slope_detail:
        template.format(a="0.5", z="−1")  # only the placeholders a panel fills in
    if act.low_slope is not None:
        assert s[Z < 0].max() == act.low_slope == s[Z < 0].min()
    if act.lock_rule == "dead":
        assert act.low_slope == 0.0
    if act.lock_rule == "never":  # the slope never falls below a constant
        assert s.min() > 0 and s.min() == act.low_slope if act.low_slope is not None else s.min() == s.max()


@pytest.mark.parametrize("loss_name", list(LOSSES))
@pytest.mark.parametrize("act_name", list(ACTIVATIONS))
def test_each_loss_record_generated_vs_numpy_vs_finite_differences(loss_name: str, act_name: str) -> None:
    loss, act = LOSSES[loss_name], ACTIVATIONS[act_name]
    if loss.cancels_sigmoid_slope and act_name != "sigmoid":
        pytest.skip("cross-entropy needs a sigmoid output")
    z = np.linspace(-6.0, 6.0, 49)
    z = z[np.abs(z) > 1e-3]
    a, s = act.f(z), act.slope(z, act.f(z))
    y = 0.3
    ys = np.full_like(z, y)
    want_loss = loss.per_sample(z[:, None], a[:, None], ys[:, None])
    want_delta = loss.delta(z, a, ys, s)
    for k in range(len(z)):
        r, sl, d = generated_loss(loss, float(z[k]), float(a[k]), y, float(s[k]))
        assert r == pytest.approx(float(loss.raw(z[k], a[k], y)), rel=1e-14)
        assert sl == pytest.approx(want_loss[k], rel=1e-15, abs=1e-300)
        assert d == want_delta[k]

    def per(zv: np.ndarray) -> np.ndarray:
        return loss.per_sample(zv[:, None], act.f(zv)[:, None], ys[:, None])

    numeric = (per(z + H) - per(z - H)) / (2 * H)
    np.testing.assert_allclose(want_delta, numeric, rtol=1e-6, atol=1e-8, err_msg="δ = ∂L/∂z")
    if act_name == "sigmoid":  # the raw error is ∂L/∂a: differentiate the loss along a (z = logit a)
        def along_a(av: np.ndarray) -> np.ndarray:
            return loss.per_sample(np.log(av / (1 - av))[:, None], av[:, None], ys[:, None])

        numeric_a = (along_a(a + H) - along_a(a - H)) / (2 * H)
        np.testing.assert_allclose(loss.raw(z, a, ys), numeric_a, rtol=1e-5, atol=1e-7, err_msg="r = ∂L/∂a")


def test_cross_entropy_stays_finite_where_log_a_would_not() -> None:
    loss = LOSSES["cross_entropy"]
    for z in (-800.0, 800.0):
        a = 1.0 if z > 0 else 0.0
        _, sl, d = generated_loss(loss, z, a, 1.0 - a, a * (1 - a))
        assert math.isfinite(sl) and sl > 700 and d == (1.0 if z > 0 else -1.0)
