"""The immutable record of one training step: everything a student can be shown.

Index conventions (``L`` = number of weight layers, ``n`` = samples in this step):

* ``a[0]`` is the input (n × layers[0]); ``a[l]``, ``z[l-1]``, ``slope[l-1]``, ``delta[l-1]`` belong
  to layer l ≥ 1 (n × layers[l]).
* ``grad_w[l]`` (n × layers[l+1] × layers[l]) and ``grad_b[l]`` are per sample; ``mean_grad_w`` /
  ``mean_grad_b`` are their means — the gradient of the step's loss.
* ``raw_error`` is the true ∂L/∂a at the output: a − y for MSE; for cross-entropy on a sigmoid
  (a − y)/(a(1 − a)) — huge when the output saturates wrongly (capped near 1e308, never infinite) —
  and ``slope_cancelled`` is true: ∂L/∂a × σ′ = a − y = δ, the sigmoid slope cancels.
* ``backprop_sum[l-1]`` is Σₖ wₖⱼ δₖ for hidden layer l (NaN for the output layer).

The numbers are recorded once per step, by the unrolled step of :mod:`fastpath` (tiny data) or
the vectorised one of :mod:`vectorised` (data sets, mini-batches, regularisation), in one layout;
the array views below are built from it on first use and are read-only.

With regularisation, ``loss`` stays the data loss and ``penalty`` is the step's penalty term;
``mean_grad`` (``mean_grad_w``) is the whole gradient the update applies — ``data_grad`` (the mean
of the samples' ∂L/∂w) plus ``penalty_grad`` (λw for L2, λ·sign w for L1, 0 for biases).
``test_loss`` / ``test_accuracy`` are the held-out set's, at this step's weights (before its update);
``accuracy`` is this step's samples', ``train_accuracy`` the whole training set's at those weights (the
same number for a full-batch step; what a student compares with the test accuracy).
``features`` names the inputs when they are features of the two coordinates (x₁², sin x₁ …), for
:func:`names.neuron_name`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from glassbox_game.engine import fastpath, vectorised
from glassbox_game.engine.locks import lock_state
from glassbox_game.engine.losses import Loss
from glassbox_game.engine.network import Network

Arrays = tuple[np.ndarray, ...]
Locks = tuple[tuple[bool, ...], ...]


@lru_cache(maxsize=64)
def _layout(layers: tuple[int, ...]) -> tuple[int, dict[str, tuple[int, int]]]:
    spans: dict[str, tuple[int, int]] = {}
    k = 0
    for name, group in fastpath.record_fields(layers):
        spans[name] = (k, k + len(group))
        k += len(group)
    return k, spans


def _readonly(values: tuple[float, ...] | list[float] | np.ndarray) -> np.ndarray:
    arr = np.array(values, dtype=float)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Trace:
    """One step (a batch epoch, or one online sample). Read-only: views never recompute."""

    epoch: int  # 1-based epoch this step belongs to
    step: int  # 1-based step counter
    mode: str
    sample_indices: tuple[int, ...]
    layers: tuple[int, ...]
    hidden_activation: str
    output_activation: str
    loss_name: str
    learning_rate: float
    loss: float  # mean over this step's samples
    slope_cancelled: bool
    locked: Locks  # per non-input layer, at this step's weights
    peak_slope: tuple[float, ...]  # max |f′| over this step's samples, per non-input neuron
    record: tuple[float, ...] | np.ndarray  # every sample's intermediates, laid out by fastpath.record_fields
    targets: tuple[tuple[float, ...], ...]
    params: tuple[float, ...]  # before the update, in Network.parameters() order
    mean_grad: tuple[float, ...]
    params_after: tuple[float, ...]
    regularization: str = "none"
    regularization_rate: float = 0.0
    penalty: float = 0.0  # the penalty term added to this step's loss (0 without regularisation)
    data_grad: tuple[float, ...] | None = None  # mean data gradient, when a penalty gradient is added
    penalty_grad: tuple[float, ...] | None = None
    accuracy: float | None = None  # classification: share of this step's samples classified right
    test_loss: float | None = None
    test_accuracy: float | None = None
    #: a mini-batch or online step's whole training set (inputs, targets), for ``train_accuracy`` on demand
    train_data: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    features: tuple[str, ...] | None = None  # the inputs' features ("x1^2" …); None: plain inputs x1, x2 …

    @cached_property
    def train_accuracy(self) -> float | None:
        """Classification: the whole training set's share classified right at this step's weights (before
        its update) — ``accuracy`` for a full-batch step. Worked out when first read (the displayed step),
        so training flat out never pays for it."""
        if self.accuracy is None:
            return None
        if self.train_data is None:
            return self.accuracy
        ar = vectorised.arch(self.layers, self.hidden_activation, self.output_activation, self.loss_name)
        theta = np.asarray(self.params, dtype=float)
        outputs = vectorised.forward_output(ar, theta, vectorised.columns(self.train_data[0]))[1].T
        return vectorised.accuracy(outputs, self.train_data[1])

    @property
    def n_samples(self) -> int:
        return len(self.sample_indices)

    # -- array views, built on first use -----------------------------------------------------
    @cached_property
    def _table(self) -> np.ndarray:
        width, _ = _layout(self.layers)
        return _readonly(self.record).reshape(self.n_samples, width)

    def _field(self, name: str, *shape: int) -> np.ndarray:
        lo, hi = _layout(self.layers)[1][name]
        return self._table[:, lo:hi].reshape(self.n_samples, *shape)

    def _split(self, flat: tuple[float, ...]) -> tuple[Arrays, Arrays]:
        arr = _readonly(flat)
        ws, bs, k = [], [], 0
        for n_in, n_out in zip(self.layers[:-1], self.layers[1:], strict=False):
            ws.append(arr[k : k + n_in * n_out].reshape(n_out, n_in))
            k += n_in * n_out
            bs.append(arr[k : k + n_out])
            k += n_out
        return tuple(ws), tuple(bs)

    @cached_property
    def x(self) -> np.ndarray:
        return self._field("a0", self.layers[0])

    @cached_property
    def y(self) -> np.ndarray:
        return _readonly([v for row in self.targets for v in row]).reshape(self.n_samples, self.layers[-1])

    @cached_property
    def a(self) -> Arrays:
        return tuple(self._field(f"a{m}", n) for m, n in enumerate(self.layers))

    @cached_property
    def z(self) -> Arrays:
        return tuple(self._field(f"z{m}", self.layers[m]) for m in range(1, len(self.layers)))

    @cached_property
    def slope(self) -> Arrays:
        return tuple(self._field(f"s{m}", self.layers[m]) for m in range(1, len(self.layers)))

    @cached_property
    def delta(self) -> Arrays:
        return tuple(self._field(f"d{m}", self.layers[m]) for m in range(1, len(self.layers)))

    @cached_property
    def backprop_sum(self) -> Arrays:
        L = len(self.layers) - 1
        nan = np.full((self.n_samples, self.layers[L]), np.nan)
        nan.setflags(write=False)
        return (*tuple(self._field(f"q{m}", self.layers[m]) for m in range(1, L)), nan)

    @cached_property
    def raw_error(self) -> np.ndarray:
        return self._field("raw", self.layers[-1])

    @cached_property
    def grad_w(self) -> Arrays:
        return tuple(self._field(f"gw{l}", self.layers[l + 1], self.layers[l]) for l in range(len(self.layers) - 1))

    @cached_property
    def grad_b(self) -> Arrays:
        return tuple(self._field(f"gb{l}", self.layers[l + 1]) for l in range(len(self.layers) - 1))

    @cached_property
    def sample_loss(self) -> np.ndarray:
        return self._field("loss", 1)[:, 0]

    @cached_property
    def _before(self) -> tuple[Arrays, Arrays]:
        return self._split(self.params)

    @cached_property
    def _after(self) -> tuple[Arrays, Arrays]:
        return self._split(self.params_after)

    @cached_property
    def _mean(self) -> tuple[Arrays, Arrays]:
        return self._split(self.mean_grad)

    @property
    def weights(self) -> Arrays:
        """Weights before this step's update."""
        return self._before[0]

    @property
    def biases(self) -> Arrays:
        return self._before[1]

    @property
    def weights_after(self) -> Arrays:
        return self._after[0]

    @property
    def biases_after(self) -> Arrays:
        return self._after[1]

    @property
    def mean_grad_w(self) -> Arrays:
        return self._mean[0]

    @property
    def mean_grad_b(self) -> Arrays:
        return self._mean[1]

    @cached_property
    def _data(self) -> tuple[Arrays, Arrays]:
        return self._split(self.mean_grad if self.data_grad is None else self.data_grad)

    @cached_property
    def _pen(self) -> tuple[Arrays, Arrays]:
        return self._split(self.penalty_grad if self.penalty_grad is not None else (0.0,) * len(self.params))

    @property
    def data_grad_w(self) -> Arrays:
        """Mean over the step's samples of ∂L/∂w (= mean_grad_w without regularisation)."""
        return self._data[0]

    @property
    def data_grad_b(self) -> Arrays:
        return self._data[1]

    @property
    def penalty_grad_w(self) -> Arrays:
        """The penalty's gradient for each weight (zeros without regularisation)."""
        return self._pen[0]

    @property
    def total_loss(self) -> float:
        """The loss the update descends: data loss plus penalty."""
        return self.loss + self.penalty

    # -- terms for the panels --------------------------------------------------------------
    def backprop_terms(self, layer: int, j: int, sample: int) -> list[tuple[int, float, float, float]]:
        """The terms (k, wₖⱼ, δₖ, wₖⱼ·δₖ) of the backprop sum of hidden neuron j in ``layer``."""
        w = self.weights[layer][:, j]
        d = self.delta[layer][sample]
        return [(k, float(w[k]), float(d[k]), float(w[k] * d[k])) for k in range(w.size)]

    def forward_terms(self, layer: int, j: int, sample: int) -> list[tuple[int, float, float, float]]:
        """The terms (i, wⱼᵢ, aᵢ, wⱼᵢ·aᵢ) of z for neuron j of ``layer`` (≥ 1)."""
        w = self.weights[layer - 1][j]
        a = self.a[layer - 1][sample]
        return [(i, float(w[i]), float(a[i]), float(w[i] * a[i])) for i in range(w.size)]


def compute_trace(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    loss: Loss,
    learning_rate: float,
    *,
    epoch: int = 1,
    step: int = 1,
    mode: str = "batch",
    sample_indices: tuple[int, ...] | None = None,
    locked: Locks | None = None,
    lock_threshold: float | None = None,
    numpy_path: bool | None = None,
    regularization: str = "none",
    regularization_rate: float = 0.0,
    test: tuple[np.ndarray, np.ndarray] | None = None,
    classification: bool = False,
    train: tuple[np.ndarray, np.ndarray] | None = None,
    features: tuple[str, ...] | None = None,
) -> Trace:
    """Forward, backward and the proposed update for the samples (rows) in ``x``; ``net`` is unchanged.

    ``locked`` is recorded as given; if it is None and ``lock_threshold`` is given, the lock state is
    judged from this step's own slopes (a batch step sees every sample), else nothing is locked.
    ``numpy_path`` picks the vectorised step (None: by :func:`vectorised.uses_numpy` on these rows);
    ``test`` (inputs, targets) adds the test loss, ``classification`` the accuracies; ``train`` is the
    whole training set when ``x`` is only a part of it (a mini-batch or one online sample), for
    ``train_accuracy``. ``features`` is recorded for the inputs' names.
    """
    targets = tuple(tuple(row) for row in y.tolist())
    n = len(targets)
    if numpy_path is None:
        numpy_path = vectorised.uses_numpy(n, False, regularization)
    ar = vectorised.arch(net.layers, net.hidden_activation, net.output_activation, loss.name)
    rec: list[float] | np.ndarray
    pen, data_grad, pen_grad = 0.0, None, None
    if numpy_path:
        theta = net.theta.copy()
        params = tuple(theta.tolist())
        st = vectorised.step(ar, theta, vectorised.columns(x), vectorised.columns(y), learning_rate,
                             regularization, regularization_rate)
        rec = vectorised.record(ar, st.run)
        mean, after = tuple(st.grad.tolist()), tuple(st.after.tolist())
        peaks, total = tuple(st.peaks.tolist()), st.total
        pen = st.penalty
        if st.penalty_grad is not None:
            data_grad, pen_grad = tuple(st.data_grad.tolist()), tuple(st.penalty_grad.tolist())
        outputs = st.run.a[-1].T
    else:
        if regularization != "none":
            raise ValueError("regularisation runs on the vectorised path (numpy_path=True)")
        tracer = fastpath.compile_tracer(net.layers, net.hidden_activation, net.output_activation, loss.name)
        params = tuple(net.parameters())
        rec = []
        mean, after, peaks, total = tracer(params, tuple(zip(x.tolist(), targets, strict=True)), learning_rate,
                                           rec)
        outputs = None
    cancelled = loss.cancels_sigmoid_slope and net.output_activation == "sigmoid"
    if locked is None:
        if lock_threshold is not None:
            locked = lock_state(peaks, net.layers, net.activations, lock_threshold, cancelled)
        else:
            locked = tuple((False,) * k for k in net.layers[1:])
    return Trace(
        epoch=epoch,
        step=step,
        mode=mode,
        sample_indices=tuple(range(n)) if sample_indices is None else sample_indices,
        layers=net.layers,
        hidden_activation=net.hidden_activation,
        output_activation=net.output_activation,
        loss_name=loss.name,
        learning_rate=float(learning_rate),
        loss=total / n,
        slope_cancelled=cancelled,
        locked=locked,
        peak_slope=peaks,
        record=rec if isinstance(rec, np.ndarray) else tuple(rec),
        targets=targets,
        params=params,
        mean_grad=mean,
        params_after=after,
        regularization=regularization,
        regularization_rate=float(regularization_rate),
        penalty=pen,
        data_grad=data_grad,
        penalty_grad=pen_grad,
        features=None if features is None else tuple(features),
        train_data=train if classification else None,
        **_scores(ar, net, x, y, outputs, test, classification),
    )


def _scores(ar: vectorised.Arch, net: Network, x: np.ndarray, y: np.ndarray, outputs: np.ndarray | None,
            test: tuple[np.ndarray, np.ndarray] | None, classification: bool) -> dict[str, float | None]:
    out: dict[str, float | None] = {"accuracy": None, "test_loss": None, "test_accuracy": None}
    if classification:
        if outputs is None:
            outputs = vectorised.forward_output(ar, net.theta, vectorised.columns(x))[1].T
        out["accuracy"] = vectorised.accuracy(outputs, np.asarray(y, dtype=float))
    if test is not None:
        xT, yT = vectorised.columns(test[0]), vectorised.columns(test[1])
        out["test_loss"] = vectorised.data_loss(ar, net.theta, xT, yT)
        if classification:
            out["test_accuracy"] = vectorised.accuracy(vectorised.forward_output(ar, net.theta, xT)[1].T,
                                                       test[1])
    return out
