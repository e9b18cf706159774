"""The vectorised numpy path against the unrolled traced path, the traced steps and central differences.

* Its traced step records the same numbers as the unrolled one (to rounding: a matrix product sums in
  another order), on random networks.
* A run trained flat out (``Trainer.train``) is the run stepped one traced step at a time, to the bit,
  on random networks, features, batch sizes, both regularisers, shuffled or not, with a test set.
* The gradient a step applies is the central difference of (data loss of the step's samples + penalty),
  with features, mini-batches and both regularisers; the penalty is counted once per step.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from glassbox_game.engine import Network, Setup, Trainer, build_trainer, compute_trace, datasets, get_loss
from glassbox_game.engine.gradcheck import mean_loss

from ._strategies import Case, cases, near_kink

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIELDS = ("x", "y", "a", "z", "slope", "delta", "backprop_sum", "raw_error", "grad_w", "grad_b", "sample_loss",
          "weights_after", "biases_after", "mean_grad_w", "mean_grad_b")


def _close(a: object, b: object) -> bool:
    if isinstance(a, tuple):
        return all(_close(p, q) for p, q in zip(a, b, strict=True))  # type: ignore[arg-type]
    x, y = np.asarray(a), np.asarray(b)
    finite = np.abs(x[np.isfinite(x)])
    scale = max(1.0, float(finite.max()) if finite.size else 1.0)
    return x.shape == y.shape and bool(np.allclose(x, y, rtol=1e-11, atol=1e-11 * scale, equal_nan=True))


@given(cases(max_hidden_layers=2, max_width=4))
@SETTINGS
def test_the_numpy_trace_records_what_the_unrolled_trace_records(case: Case) -> None:
    loss = get_loss(case.loss)
    a = compute_trace(case.net, case.x, case.y, loss, 0.7, numpy_path=False, lock_threshold=0.02)
    b = compute_trace(case.net, case.x, case.y, loss, 0.7, numpy_path=True, lock_threshold=0.02)
    assume(np.isfinite(a.loss))
    for name in FIELDS:
        assert _close(getattr(a, name), getattr(b, name)), name
    assert a.loss == pytest.approx(b.loss, rel=1e-12, abs=1e-14)
    assert np.allclose(a.peak_slope, b.peak_slope, rtol=1e-12, atol=1e-15)


def _setup(draw: st.DrawFn, *, reg: str | None = None) -> Setup:
    hidden = draw(st.lists(st.integers(1, 5), min_size=0, max_size=2))
    features = tuple(draw(st.lists(st.sampled_from(datasets.FEATURES), min_size=1, max_size=4, unique=True)))
    generator = draw(st.sampled_from(datasets.GENERATORS))
    classify = datasets.is_classification(generator)
    out = draw(st.sampled_from(("sigmoid", "tanh"))) if not classify else "sigmoid"
    loss = draw(st.sampled_from(("mse", "cross_entropy"))) if classify else "mse"
    points = draw(st.integers(10, 90))
    batch = draw(st.one_of(st.none(), st.integers(1, points)))
    return Setup(
        layers=(len(features), *hidden, 1), features=features, generator=generator, points=points,
        noise=draw(st.sampled_from((0.0, 0.2))), test_fraction=draw(st.sampled_from((0.0, 0.3))),
        data_seed=draw(st.integers(0, 5)), seed=draw(st.integers(0, 5)), init="xavier",
        hidden_activation=draw(st.sampled_from(("tanh", "sigmoid", "relu", "leaky_relu"))), output_activation=out,
        loss=loss, learning_rate=draw(st.sampled_from((0.03, 0.3))), batch_size=batch,
        mode=draw(st.sampled_from(("batch", "batch", "online"))),
        shuffle=draw(st.booleans()),
        regularization=reg or draw(st.sampled_from(("none", "l1", "l2"))),
        regularization_rate=draw(st.sampled_from((0.0, 0.003, 0.1))),
    )


setups = st.composite(_setup)


def _stepped(tr: Trainer, epochs: int) -> tuple[list[float], list[float | None]]:
    losses, tests = [], []
    while tr.epoch < epochs and tr.halt is None:
        before = tr.epoch
        tr.step()
        if tr.epoch != before:
            assert tr.last_loss is not None
            losses.append(tr.last_loss)
            tests.append(tr.last_test_loss)
    return losses, tests


@given(setups())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_training_flat_out_is_the_stepped_run_to_the_bit(s: Setup) -> None:
    a, b = build_trainer(s), build_trainer(s)
    losses, tests = _stepped(a, 4)
    result = b.train(4)
    assert result.losses == losses
    if s.test_fraction and s.points * s.test_fraction >= 0.5:
        assert result.test_losses == tests
    assert a.network.parameters() == b.network.parameters()
    assert (a.epoch, a.steps, a.cursor, a.locked, a.events) == (b.epoch, b.steps, b.cursor, b.locked, b.events)
    assert a.order == b.order and a.halt == b.halt


@pytest.mark.parametrize("mode", ["batch", "online"])
@pytest.mark.parametrize("layers", [(2, 3, 1), (3, 4, 4, 2)])
def test_the_numpy_run_follows_the_unrolled_run(mode: str, layers: tuple[int, ...]) -> None:
    rng = np.random.default_rng(4)
    net = Network.initialise(layers, rng, "xavier", hidden_activation="tanh")
    data = datasets.build(datasets.DataSpec("circle", 24, 0.1, 0.0, 1, ("x1", "x2", "x1^2")[: layers[0]])).train
    y = np.repeat(data.y, layers[-1], axis=1)
    unrolled = Trainer(net.copy(), type(data)("d", data.x, y), "mse", 0.3, mode)
    vector = Trainer(net.copy(), type(data)("d", data.x, y), "mse", 0.3, mode)
    assert not unrolled.numpy_path
    vector.numpy_path = True
    ra, rb = unrolled.train(30), vector.train(30)
    assert np.allclose(ra.losses, rb.losses, rtol=1e-10)
    assert np.allclose(unrolled.network.theta, vector.network.theta, rtol=1e-9, atol=1e-12)
    ta, tb = unrolled.step(), vector.step()
    for name in FIELDS:
        assert _close(getattr(ta, name), getattr(tb, name)), name


# -- gradients against central differences ---------------------------------------------------------

def _objective(net: Network, x: np.ndarray, y: np.ndarray, loss: str, reg: str, rate: float) -> float:
    w = np.concatenate([m.ravel() for m in net.weights])
    pen = {"none": 0.0, "l2": rate * 0.5 * float(w @ w), "l1": rate * float(np.abs(w).sum())}[reg]
    return mean_loss(net, x, y, get_loss(loss)) + pen


@given(setups(), st.sampled_from(("l1", "l2", "none")))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_applied_gradient_is_the_central_difference_of_data_loss_plus_penalty(s: Setup, reg: str) -> None:
    s = dataclasses.replace(s, regularization=reg, regularization_rate=0.05)
    tr = build_trainer(s)
    t = tr.peek()
    idx = list(t.sample_indices)
    x, y = tr.data.x[idx], tr.data.y[idx]
    net = tr.network
    assume(not near_kink(net, x))
    assume(reg != "l1" or all(np.all(np.abs(w) > 1e-4) for w in net.weights))
    assert np.array_equal(t.x, x)  # the trace names the step's samples
    base = _objective(net, x, y, s.loss, reg, 0.05)
    eps = 1e-6
    for k in range(len(net.theta)):
        probe = net.copy()
        probe.theta[k] += eps
        up = _objective(probe, x, y, s.loss, reg, 0.05)
        probe.theta[k] -= 2 * eps
        down = _objective(probe, x, y, s.loss, reg, 0.05)
        numeric = (up - down) / (2 * eps)
        assert abs(t.mean_grad[k] - numeric) <= 1e-6 * abs(numeric) + 1e-8 * max(1.0, abs(base)), k


def test_the_penalty_is_added_once_per_step_and_spares_the_biases() -> None:
    w = [np.array([[0.5, -2.0]]), np.array([[3.0]])]
    b = [np.array([1.0]), np.array([-1.0])]
    net = Network((2, 1, 1), w, b, "tanh", "sigmoid")
    x = np.zeros((10, 2))
    y = np.zeros((10, 1))
    data_only = compute_trace(net, x, y, get_loss("mse"), 0.1, numpy_path=True)
    for reg, pen, grad in (("l2", 0.1 * 0.5 * (0.25 + 4 + 9), [0.05, -0.2, 0.0, 0.3, 0.0]),
                           ("l1", 0.1 * 5.5, [0.1, -0.1, 0.0, 0.1, 0.0])):
        t = compute_trace(net, x, y, get_loss("mse"), 0.1, regularization=reg, regularization_rate=0.1)
        assert t.penalty == pytest.approx(pen) and t.loss == data_only.loss  # loss stays the data loss
        assert t.total_loss == pytest.approx(data_only.loss + pen)
        assert np.allclose(t.penalty_grad, grad)  # type: ignore[arg-type]
        assert np.allclose(np.array(t.mean_grad) - np.array(t.data_grad), grad)  # type: ignore[arg-type]
        assert np.allclose(t.params_after, np.array(t.params) - 0.1 * np.array(t.mean_grad))
        assert np.allclose(t.data_grad, data_only.mean_grad)  # type: ignore[arg-type]


def test_l1_gradient_is_zero_at_a_zero_weight() -> None:
    net = Network((2, 1), [np.array([[0.0, 1.0]])], [np.array([0.0])], "sigmoid", "sigmoid")
    t = compute_trace(net, np.zeros((3, 2)), np.zeros((3, 1)), get_loss("mse"), 0.1, regularization="l1",
                      regularization_rate=0.5)
    assert t.penalty_grad == (0.0, 0.5, 0.0)


def test_mini_batch_steps_name_their_samples_and_cover_the_epoch() -> None:
    s = Setup(layers=(2, 3, 1), generator="circle", points=25, batch_size=10, shuffle=True, seed=1)
    tr = build_trainer(s)
    seen: list[int] = []
    sizes = []
    peeked = tr.peek()
    first = tr.step()
    assert peeked.sample_indices == first.sample_indices and first.mode == "minibatch"
    seen += first.sample_indices
    sizes.append(first.n_samples)
    while tr.cursor:
        t = tr.step()
        seen += t.sample_indices
        sizes.append(t.n_samples)
    assert sizes == [10, 10, 5] and sorted(seen) == list(range(25)) and tr.epoch == 1 and tr.steps == 3
    assert tr.steps_per_epoch == 3


def test_test_loss_is_the_mean_loss_of_the_held_out_set_at_the_steps_weights() -> None:
    s = Setup(layers=(2, 4, 1), generator="gaussians", points=100, test_fraction=0.4, noise=0.3,
              loss="cross_entropy", hidden_activation="tanh")
    tr = build_trainer(s)
    assert tr.test_data is not None
    want = mean_loss(tr.network, tr.test_data.x, tr.test_data.y, get_loss("cross_entropy"))
    right = float(np.mean((tr.network.predict(tr.test_data.x) >= 0.5) == (tr.test_data.y >= 0.5)))
    t = tr.step()
    assert t.test_loss == pytest.approx(want, rel=1e-12)
    assert t.test_accuracy == right
    before = mean_loss(tr.network, tr.test_data.x, tr.test_data.y, get_loss("cross_entropy"))
    result = tr.train(3)
    assert len(result.test_losses) == 3 and result.test_losses[0] == pytest.approx(before, rel=1e-12)
    assert tr.last_test_loss == result.test_losses[-1]


@pytest.mark.parametrize("points", [10, 60])  # the unrolled path, then the vectorised one
def test_batch_size_one_is_online_training(points: int) -> None:
    base = Setup(layers=(2, 3, 1), generator="circle", points=points, seed=2, hidden_activation="tanh")
    one = build_trainer(dataclasses.replace(base, batch_size=1))
    online = build_trainer(dataclasses.replace(base, mode="online"))
    assert one.train(3).losses == online.train(3).losses
    assert one.network.parameters() == online.network.parameters() and one.steps == online.steps == 3 * points
