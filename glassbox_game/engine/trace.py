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

The numbers are recorded once, as one flat tuple per step, by the unrolled step of
:mod:`fastpath`; the array views below are built from it on first use and are read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from glassbox_game.engine import fastpath
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


def _readonly(values: tuple[float, ...] | list[float]) -> np.ndarray:
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
    record: tuple[float, ...]  # every sample's intermediates, laid out by fastpath.record_fields
    targets: tuple[tuple[float, ...], ...]
    params: tuple[float, ...]  # before the update, in Network.parameters() order
    mean_grad: tuple[float, ...]
    params_after: tuple[float, ...]

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
) -> Trace:
    """Forward, backward and the proposed update for the samples (rows) in ``x``; ``net`` is unchanged.

    ``locked`` is recorded as given; if it is None and ``lock_threshold`` is given, the lock state is
    judged from this step's own slopes (a batch step sees every sample), else nothing is locked.
    """
    tracer = fastpath.compile_tracer(net.layers, net.hidden_activation, net.output_activation, loss.name)
    params = tuple(net.parameters())
    targets = tuple(tuple(row) for row in y.tolist())
    rec: list[float] = []
    mean, after, peaks, total = tracer(params, tuple(zip(x.tolist(), targets, strict=True)), learning_rate, rec)
    n = len(targets)
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
        record=tuple(rec),
        targets=targets,
        params=params,
        mean_grad=mean,
        params_after=after,
    )
