"""The vectorised numpy path: the same arithmetic as the traced step, one matrix product per layer.

For a truth table of four rows, numpy's per-call overhead loses to the unrolled Python of
:mod:`fastpath`; for a data set of hundreds of points it wins by far. A :class:`Trainer` whose data
is large, that uses mini-batches or regularisation, trains and traces on this path
(:func:`uses_numpy` decides), so its traced steps and its untraced epochs share one function,
:func:`_backprop`, and agree to the bit; tests compare this path with the unrolled one and with
central differences.

Regularisation follows TensorFlow Playground: L2 adds λ·½Σw² to the step's loss (gradient λw),
L1 adds λΣ|w| (gradient λ·sign w, 0 at w = 0); biases are not regularised, and the penalty is
added once per step, not once per sample. The step's ``loss`` stays the data loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from glassbox_game.engine.activations import Activation, get_activation
from glassbox_game.engine.fastpath import LOSS_LIMIT, WEIGHT_LIMIT
from glassbox_game.engine.locks import lock_rules
from glassbox_game.engine.losses import get_loss, softplus

Array = np.ndarray

REGULARIZATIONS: tuple[str, ...] = ("none", "l1", "l2")
MAX_REGULARIZATION_RATE = 10.0
SMALL_DATA = 32  # at most this many rows, full batch or online, no penalty: the unrolled path
LIMIT_SQ = WEIGHT_LIMIT * WEIGHT_LIMIT


def uses_numpy(n_samples: int, stepped_batches: bool, regularization: str, test_set: bool = False) -> bool:
    """Whether a run trains on this path (else the unrolled one): data beyond a handful of rows,
    mini-batches (1 < size < N), a penalty, or a test set (whose loss each epoch reports)."""
    return n_samples > SMALL_DATA or stepped_batches or regularization != "none" or test_set


@dataclass(frozen=True)
class Arch:
    """One network shape: its layer sizes, activations and loss, and where each parameter lives."""

    layers: tuple[int, ...]
    acts: tuple[Activation, ...]
    mse: bool
    spans: tuple[tuple[int, int, int], ...]  # per weight layer: (start of weights, start of biases, end)
    weight_mask: Array  # 1.0 for a weight, 0.0 for a bias, in Network.parameters() order
    threshold_locks: Array  # flat indices of the neurons that lock when their slope stays below threshold
    dead_locks: Array  # … and of those that lock when dead (slope exactly 0 on every sample)

    def views(self, theta: Array) -> tuple[list[Array], list[Array]]:
        ws, bs = [], []
        for l, (w0, b0, end) in enumerate(self.spans):
            ws.append(theta[w0:b0].reshape(self.layers[l + 1], self.layers[l]))
            bs.append(theta[b0:end])
        return ws, bs


@lru_cache(maxsize=64)
def arch(layers: tuple[int, ...], hidden: str, output: str, loss: str) -> Arch:
    L = len(layers) - 1
    acts = tuple([get_activation(hidden)] * (L - 1) + [get_activation(output)])
    spans, mask, k = [], [], 0
    for l in range(L):
        nw, nb = layers[l + 1] * layers[l], layers[l + 1]
        spans.append((k, k + nw, k + nw + nb))
        mask += [1.0] * nw + [0.0] * nb
        k += nw + nb
    # a cross-entropy sigmoid output passes blame through factor 1: it never locks (locks.lock_rules)
    cancelled = get_loss(loss).cancels_sigmoid_slope and output == "sigmoid"
    layer_rules = lock_rules(list(acts), cancelled)
    rules = [layer_rules[m - 1] for m in range(1, L + 1) for _ in range(layers[m])]
    arrays = [np.array(mask), np.array([k for k, r in enumerate(rules) if r == "threshold"], dtype=np.intp),
              np.array([k for k, r in enumerate(rules) if r == "dead"], dtype=np.intp)]
    for arr in arrays:
        arr.setflags(write=False)
    return Arch(tuple(layers), acts, loss == "mse", tuple(spans), *arrays)


@dataclass
class Pass:
    """Every intermediate of one step, one column per sample (neurons × samples), as recorded."""

    a: list[Array]
    z: list[Array]
    s: list[Array]
    d: list[Array]
    q: list[Array]
    raw: Array | None  # ∂L/∂a at the output (None: cross-entropy, worked out by record() from z and y)
    sample_loss: Array
    y: Array


def _backprop(ar: Arch, ws: list[Array], bs: list[Array], xT: Array, yT: Array) -> tuple[Array, Array, Pass]:
    """Forward and backward on the columns of ``xT`` (features × samples): (summed data gradient in
    parameter order, peak slopes per neuron, the pass). Samples run along the contiguous axis, so
    every sum and max over samples is a fast row reduction."""
    a = xT
    As, Zs, Ss = [xT], [], []
    for w, b, act in zip(ws, bs, ar.acts, strict=True):
        z = w @ a
        z += b[:, None]
        a = act.f(z)
        Zs.append(z)
        As.append(a)
        Ss.append(act.slope(z, a))
    raw: Array | None
    if ar.mse:
        raw = a - yT
        per = raw * raw * 0.5  # the loss record's order: square, then halve
        d = raw * Ss[-1]
    else:  # cross-entropy on a sigmoid output: δ = a − y, the slope cancels
        raw = None  # ∂L/∂a = (a − y)/(a(1 − a)) only matters to the record: training skips it
        zL = Zs[-1]
        per = softplus(zL) - yT * zL
        d = a - yT
    sample_loss = per[0] if len(per) == 1 else np.sum(per, axis=0)  # summed over the output neurons
    Ds: list[Array] = [d]
    Qs: list[Array] = []
    for m in range(len(ws) - 1, 0, -1):
        w = ws[m]
        # one output neuron: Σₖ wₖⱼ δₖ has a single term, and a broadcast product beats an outer matmul
        q = w.T * Ds[0] if w.shape[0] == 1 else w.T @ Ds[0]
        Qs.insert(0, q)
        Ds.insert(0, q * Ss[m - 1])
    parts = []
    for l in range(len(ws)):
        parts.append((Ds[l] @ As[l].T).ravel())
        parts.append(Ds[l].sum(axis=1))
    grad = np.concatenate(parts)
    peaks = np.concatenate([s.max(axis=1) for s in Ss])
    return grad, peaks, Pass(As, Zs, Ss, Ds, Qs, raw, sample_loss, yT)


def penalty(ar: Arch, theta: Array, regularization: str, rate: float) -> tuple[float, Array | None]:
    """The penalty term's value and gradient at ``theta`` (None for no regularisation)."""
    if regularization == "none":
        return 0.0, None
    w = theta * ar.weight_mask  # biases are not regularised
    if regularization == "l2":
        return rate * 0.5 * float(np.dot(w, w)), rate * w
    if regularization == "l1":
        return rate * float(np.abs(w).sum()), rate * np.sign(w)
    raise ValueError(f"unknown regularization {regularization!r}; choose one of {', '.join(REGULARIZATIONS)}")


@dataclass
class StepNumbers:
    """One step's results: what :class:`~glassbox_game.engine.trace.Trace` stores."""

    data_grad: Array  # mean over the step's rows
    penalty: float
    penalty_grad: Array | None
    grad: Array  # the whole gradient applied: data_grad + penalty_grad
    after: Array
    peaks: Array
    total: float  # summed data loss over the rows
    run: Pass


def step(ar: Arch, theta: Array, xT: Array, yT: Array, lr: float, regularization: str = "none",
         rate: float = 0.0) -> StepNumbers:
    """One step on the samples (columns) of ``xT``, ``yT`` — a whole batch or a mini-batch — at
    parameters ``theta`` (unchanged)."""
    ws, bs = ar.views(theta)
    with np.errstate(all="ignore"):
        g, peaks, run = _backprop(ar, ws, bs, xT, yT)
        mean = g / xT.shape[1]
        pen, pgrad = penalty(ar, theta, regularization, rate)
        grad = mean if pgrad is None else mean + pgrad
        after = theta - lr * grad
        total = float(run.sample_loss.sum())
    return StepNumbers(mean, pen, pgrad, grad, after, peaks, total, run)


def record(ar: Arch, run: Pass) -> Array:
    """The per-sample record (rows × width) in :func:`fastpath.record_fields` order."""
    L = len(ar.layers) - 1
    n = run.y.shape[1]
    raw = run.raw if run.raw is not None else get_loss("cross_entropy").raw(run.z[-1], run.a[-1], run.y)
    cols: list[Array] = [a.T for a in run.a]
    for m in range(L):
        cols += [run.z[m].T, run.s[m].T, run.d[m].T]
    cols += [q.T for q in run.q]
    cols.append(raw.T)
    for l in range(L):
        cols.append((run.d[l].T[:, :, None] * run.a[l].T[:, None, :]).reshape(n, -1))
        cols.append(run.d[l].T)
    cols.append(run.sample_loss[:, None])
    return np.concatenate(cols, axis=1)


def forward_output(ar: Arch, theta: Array, xT: Array) -> tuple[Array, Array]:
    """(z, a) of the output layer (outputs × samples) for the columns of ``xT``."""
    ws, bs = ar.views(theta)
    a = xT
    z = xT
    with np.errstate(all="ignore"):
        for w, b, act in zip(ws, bs, ar.acts, strict=True):
            z = w @ a
            z += b[:, None]
            a = act.f(z)
    return z, a


def data_loss(ar: Arch, theta: Array, xT: Array, yT: Array) -> float:
    """The mean data loss over the columns of ``xT`` (the test loss, for the test set)."""
    z, a = forward_output(ar, theta, xT)
    with np.errstate(all="ignore"):
        if ar.mse:
            r = a - yT
            per = np.sum(r * r * 0.5, axis=0)
        else:
            per = np.sum(softplus(z) - yT * z, axis=0)
        return float(per.mean())


def accuracy(outputs: Array, y: Array) -> float:
    """Share of samples (rows of ``outputs``, ``y``) whose every output is on the target's side of 0.5."""
    right = np.all((outputs >= 0.5) == (y >= 0.5), axis=1)
    return float(right.mean())


def columns(rows: Array) -> Array:
    """Samples as columns (features × samples), contiguous: the layout this path computes in."""
    return np.ascontiguousarray(np.asarray(rows, dtype=float).T)


def lock_flags(ar: Arch, peaks: Array, threshold: float) -> Array:
    """Locked? for every non-input neuron (flat), from the peak slopes over an epoch's samples."""
    flags = np.zeros(len(peaks), dtype=bool)
    flags[ar.threshold_locks] = peaks[ar.threshold_locks] < threshold
    flags[ar.dead_locks] = peaks[ar.dead_locks] == 0.0
    return flags


Halt = tuple[str, int, float, list[float] | None, int, int]  # kind, epoch, value, next params, pos, steps


def train(
    ar: Arch,
    theta: Array,
    x: Array,
    y: Array,
    lr: float,
    epochs: int,
    *,
    batch_size: int,
    orders: list[list[int]] | None,
    regularization: str,
    rate: float,
    threshold: float,
    locked: Array,
    epoch0: int,
    losses: list[float],
    events: list[tuple[int, int, int, bool]],
    test: tuple[Array, Array] | None = None,
    test_losses: list[float] | None = None,
) -> tuple[Array, int, Halt | None]:
    """Train ``epochs`` whole epochs from ``theta``; returns (parameters, epochs done, halt or None).

    Full batch when ``batch_size`` ≥ the rows (the step judges its own lock state, as
    :meth:`Trainer.step` does), else steps of ``batch_size`` rows in ``orders[e]`` (or row order)
    with the lock state judged at each epoch's end. ``locked`` (flat, per non-input neuron) is
    updated in place; ``events`` gets (epoch, layer, neuron, locked). A halt is ("loss" | "param",
    epoch, value, the parameters it would have produced, row position in the epoch, steps done in it).
    """
    n = len(x)
    full = batch_size >= n
    layer_of = {k: (m, j) for k, m, j in _neuron_index(ar.layers)}
    theta = np.array(theta, dtype=float)
    xT, yT = columns(x), columns(y)
    testT = None if test is None else (columns(test[0]), columns(test[1]))
    epoch_test = 0.0
    if full and testT is None:
        return _train_full(ar, theta, xT, yT, lr, epochs, regularization, rate, threshold, locked, epoch0,
                           losses, events, layer_of)
    for e in range(epochs):
        ep = epoch0 + e + 1
        if testT is not None and test_losses is not None:
            epoch_test = data_loss(ar, theta, testT[0], testT[1])
        if full:
            st = step(ar, theta, xT, yT, lr, regularization, rate)
            mean = st.total / n
            _judge(ar, st.peaks, threshold, locked, ep, layer_of, events)
            if not (mean < LOSS_LIMIT):
                return theta, e, ("loss", ep, mean, None, 0, 0)
            with np.errstate(all="ignore"):
                sq = float(np.dot(st.after, st.after))
            if not (sq < LIMIT_SQ):
                return theta, e, ("param", ep, sq, st.after.tolist(), 0, 0)
            theta = st.after
        else:
            order = orders[e] if orders is not None else None
            peaks = np.zeros(sum(ar.layers[1:]))
            tot = 0.0
            for k, pos in enumerate(range(0, n, batch_size)):
                # contiguous, as the traced step's columns are: the same kernels, the same bits
                if order is None:
                    bx = np.ascontiguousarray(xT[:, pos : pos + batch_size])
                    by = np.ascontiguousarray(yT[:, pos : pos + batch_size])
                else:
                    idx = order[pos : pos + batch_size]
                    bx, by = np.ascontiguousarray(xT[:, idx]), np.ascontiguousarray(yT[:, idx])
                st = step(ar, theta, bx, by, lr, regularization, rate)
                nb = bx.shape[1]
                step_loss = st.total / nb
                if not (step_loss < LOSS_LIMIT):
                    return theta, e, ("loss", ep, step_loss, None, pos, k)
                with np.errstate(all="ignore"):
                    sq = float(np.dot(st.after, st.after))
                if not (sq < LIMIT_SQ):
                    return theta, e, ("param", ep, sq, st.after.tolist(), pos, k)
                theta = st.after
                tot += step_loss * nb
                np.maximum(peaks, st.peaks, out=peaks)
            mean = tot / n
            _judge(ar, peaks, threshold, locked, ep, layer_of, events)
        losses.append(mean)
        if testT is not None and test_losses is not None:
            test_losses.append(epoch_test)
    return theta, epochs, None


def _train_full(ar: Arch, theta: Array, xT: Array, yT: Array, lr: float, epochs: int, regularization: str,
                rate: float, threshold: float, locked: Array, epoch0: int, losses: list[float],
                events: list[tuple[int, int, int, bool]], layer_of: dict[int, tuple[int, int]],
                ) -> tuple[Array, int, Halt | None]:
    """Full-batch epochs flat out: :func:`step`'s arithmetic, operation for operation (so the same
    bits), without its bookkeeping — parameters updated in place, views built once."""
    n = xT.shape[1]
    ws, bs = ar.views(theta)
    nxt = np.empty_like(theta)
    has_locks = bool(len(ar.threshold_locks) or len(ar.dead_locks))
    with np.errstate(all="ignore"):
        for e in range(epochs):
            ep = epoch0 + e + 1
            g, peaks, run = _backprop(ar, ws, bs, xT, yT)
            grad = g / n
            if regularization != "none":
                grad = grad + penalty(ar, theta, regularization, rate)[1]  # type: ignore[operator]
            np.subtract(theta, lr * grad, out=nxt)
            mean = float(run.sample_loss.sum()) / n
            if has_locks:
                _judge(ar, peaks, threshold, locked, ep, layer_of, events)
            if not (mean < LOSS_LIMIT):
                return theta, e, ("loss", ep, mean, None, 0, 0)
            sq = float(np.dot(nxt, nxt))
            if not (sq < LIMIT_SQ):
                return theta, e, ("param", ep, sq, nxt.tolist(), 0, 0)
            theta[:] = nxt
            losses.append(mean)
    return theta, epochs, None


def _neuron_index(layers: tuple[int, ...]) -> list[tuple[int, int, int]]:
    out, k = [], 0
    for m in range(1, len(layers)):
        for j in range(layers[m]):
            out.append((k, m, j))
            k += 1
    return out


def _judge(ar: Arch, peaks: Array, threshold: float, locked: Array, ep: int,
           layer_of: dict[int, tuple[int, int]], events: list[tuple[int, int, int, bool]]) -> None:
    now = lock_flags(ar, peaks, threshold)
    if not np.array_equal(now, locked):
        for k in np.flatnonzero(now != locked):
            m, j = layer_of[int(k)]
            events.append((ep, m, j, bool(now[k])))
        locked[:] = now
