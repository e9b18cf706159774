"""Both generated fast paths against the readable numpy engine (:mod:`glassbox_game.engine.reference`).

The reference is the specification. Where the arithmetic order is the same the results are the
same to the bit: every rule checked on the fast path's own operands, and whole runs of networks
whose activations need no exp or tanh. numpy's exp/tanh/expm1/log1p may differ from the math
module's (which the fast paths call) in the last bit: there a value is held to 1e-15 relative.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from glassbox_game.engine import Dataset, Network, Trainer, compute_trace, get_loss
from glassbox_game.engine import reference as ref
from glassbox_game.engine.trace import Trace

from ._strategies import Case, cases

PIECEWISE = ("relu", "leaky_relu", "linear")  # no transcendental function: the same bits end to end


def trace_of(c: Case, lr: float = 0.5) -> Trace:
    return compute_trace(c.net, c.x, c.y, get_loss(c.loss), lr)


def spec_step(c: Case, lr: float = 0.5) -> ref.Step:
    return ref.step(list(c.net.weights), list(c.net.biases), c.net.activations, get_loss(c.loss), c.x, c.y, lr)


def same(a: np.ndarray, b: np.ndarray, what: str) -> None:
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b), err_msg=what)


@settings(max_examples=120, deadline=None)
@given(cases(max_width=8))
def test_every_rule_of_the_spec_on_the_traced_paths_own_numbers(c: Case) -> None:
    """Each rule of the reference, fed the traced step's inputs to that rule, gives its output."""
    t = trace_of(c)
    loss = get_loss(c.loss)
    L = len(c.net.layers) - 1
    for m in range(1, L + 1):
        act = c.net.activations[m - 1]
        z, a, _ = ref.layer(t.a[m - 1], t.weights[m - 1], t.biases[m - 1], act)
        same(z, t.z[m - 1], f"z, layer {m}")
        np.testing.assert_allclose(a, t.a[m], rtol=1e-15, atol=0, err_msg=f"{act.name}(z), layer {m}")
        same(act.slope(t.z[m - 1], t.a[m]), t.slope[m - 1], f"{act.name}′, layer {m}")
    raw = loss.raw(t.z[-1], t.a[L], t.y)  # cross-entropy's uses exp: the same to rounding of its terms
    terms = np.abs(t.a[L] - t.y) if c.loss == "mse" else (1 - t.y) * (1 + np.exp(np.minimum(t.z[-1], 709.0))) \
        + t.y * (1 + np.exp(np.minimum(-t.z[-1], 709.0)))
    assert np.all(np.abs(raw - t.raw_error) <= 1e-15 * terms), "raw error"
    # a loss that underflows to a subnormal (½ × (2.4e−162)²) keeps no relative precision: 1e−300 absolute
    np.testing.assert_allclose(loss.per_sample(t.z[-1], t.a[L], t.y), t.sample_loss, rtol=1e-15, atol=1e-300)
    delta, sums, grad_w, grad_b = ref.backward(list(t.weights), loss, list(t.z), list(t.a), list(t.slope), t.y)
    for l in range(L):
        same(delta[l], t.delta[l], f"δ, layer {l + 1}")
        same(grad_w[l], t.grad_w[l], f"∂L/∂w, layer {l}")
        same(grad_b[l], t.grad_b[l], f"∂L/∂b, layer {l}")
    for l in range(L - 1):
        same(sums[l], t.backprop_sum[l], f"Σ w·δ, layer {l + 1}")
    for got, want in ((ref.update(list(t.weights), list(t.grad_w), t.learning_rate), t.weights_after),
                      (ref.update(list(t.biases), list(t.grad_b), t.learning_rate), t.biases_after)):
        for g, w in zip(got, want, strict=True):
            same(g, w, "parameters after the update")


@settings(max_examples=80, deadline=None)
@given(cases(max_width=8, scale=2.0).filter(lambda c: {a.name for a in c.net.activations} <= set(PIECEWISE)))
def test_a_whole_traced_step_is_the_spec_to_the_bit(c: Case) -> None:
    t, s = trace_of(c), spec_step(c)
    for name in ("z", "slope", "delta", "grad_w", "grad_b", "weights_after", "biases_after"):
        for got, want in zip(getattr(t, name), getattr(s, name), strict=True):
            same(got, want, name)
    for got, want in zip(t.a, s.a, strict=True):
        same(got, want, "a")
    for got, want in zip(t.backprop_sum[:-1], s.backprop_sum, strict=True):
        same(got, want, "Σ w·δ")
    same(t.sample_loss, s.sample_loss, "sample loss")
    assert t.loss == s.loss


@settings(max_examples=40, deadline=None)
@given(cases(max_width=8, scale=1.0).filter(lambda c: {a.name for a in c.net.activations} <= set(PIECEWISE)),
       st.booleans())
def test_turbo_training_is_the_spec_to_the_bit(c: Case, online: bool) -> None:
    tr = Trainer(c.net.copy(), Dataset("case", c.x, c.y), loss=c.loss, learning_rate=0.05,
                 mode="online" if online else "batch")
    result = tr.train(8)
    ws, bs, losses = ref.train(list(c.net.weights), list(c.net.biases), c.net.activations, get_loss(c.loss),
                               c.x, c.y, 0.05, 8, online)
    if result.halt is None:
        assert result.losses == losses
        spec = Network(c.net.layers, ws, bs, c.net.hidden_activation, c.net.output_activation)
        assert tr.network.parameters() == spec.parameters()


@settings(max_examples=60, deadline=None)
@given(cases(max_width=6), st.booleans())
def test_turbo_training_with_any_activation_stays_on_the_spec(c: Case, online: bool) -> None:
    """exp and tanh may differ from numpy's in the last bit; after a few epochs that is still noise."""
    tr = Trainer(c.net.copy(), Dataset("case", c.x, c.y), loss=c.loss, learning_rate=0.05,
                 mode="online" if online else "batch")
    result = tr.train(5)
    ws, bs, losses = ref.train(list(c.net.weights), list(c.net.biases), c.net.activations, get_loss(c.loss),
                               c.x, c.y, 0.05, 5, online)
    spec = Network(c.net.layers, ws, bs, c.net.hidden_activation, c.net.output_activation).parameters()
    got = tr.network.parameters()
    scale = max(1.0, max(abs(v) for v in spec))
    assert result.halt is None
    assert max(abs(g - w) for g, w in zip(got, spec, strict=True)) <= 1e-12 * scale
    np.testing.assert_allclose(result.losses, losses, rtol=1e-12, atol=1e-15)  # a loss near 0: absolute


def test_the_reference_is_short_enough_to_read_in_one_sitting() -> None:
    import inspect

    lines = [ln for ln in inspect.getsource(ref).splitlines() if ln.strip()]
    assert len(lines) <= 130


def test_a_loss_that_underflows_is_still_the_spec_to_the_bit() -> None:
    """½(a − y)² for a − y = 3.1e−155: the square is subnormal, so halving it rounds — the generated
    step and the spec must take the same order (square, then halve) to agree to the bit."""
    d = 3.135321406299118e-155
    assert (0.5 * d) * d != (d * d) * 0.5, "the case still tells the two orders apart"
    net = Network((1, 1), [np.array([[1.0]])], [np.array([0.0])], "linear", "linear")
    c = Case(net, np.array([[d]]), np.array([[0.0]]), "mse")
    t, s = trace_of(c), spec_step(c)
    same(t.sample_loss, s.sample_loss, "sample loss")
    assert t.loss == s.loss
