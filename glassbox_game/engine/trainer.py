"""The Trainer: owns a network and its data, and moves it one step (or many) downhill.

``step()`` builds the full :class:`Trace` (for the steps a student watches or a teacher exports);
``train(n)`` runs the unrolled fast path (for turbo speed) and returns only per-epoch losses and
lock events. Both compute the same arithmetic and apply the same divergence stop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassbox_game.engine import fastpath
from glassbox_game.engine.locks import (
    DEFAULT_LOCK_THRESHOLD,
    LockEvent,
    diff_events,
    lock_reason,
    lock_rules,
    lock_state,
)
from glassbox_game.engine.losses import get_loss
from glassbox_game.engine.network import Network
from glassbox_game.engine.problems import Dataset
from glassbox_game.engine.trace import Trace, compute_trace

MODES = ("batch", "online")


def _big(value: float) -> str:
    """A runaway number as the top bar writes a loss: 2.51e11 (no "e+")."""
    text = f"{value:.2e}" if abs(value) >= 1e6 else f"{value:.4g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}e{int(exp)}"
    return text.replace("-", "−")


class TrainingHalted(RuntimeError):
    """Raised by :meth:`Trainer.step` when training has already halted (see ``Trainer.halt``)."""


@dataclass(frozen=True)
class Halt:
    """Why training stopped: which quantity went wrong, at which epoch, in words a student can act on."""

    epoch: int
    quantity: str
    value: float
    message: str


@dataclass
class TrainResult:
    """What a fast-path run did: epochs completed, the loss of each, lock events, and a halt if any."""

    epochs: int
    losses: list[float] = field(default_factory=list)
    events: list[LockEvent] = field(default_factory=list)
    halt: Halt | None = None


@dataclass(frozen=True)
class TrainerState:
    """Everything that distinguishes one moment of a training run (the setup aside).

    Undo keeps one per step and the turbo worker is handed one per job: restoring it and training
    on gives bit-identical numbers to never having left (the shuffle order and the generator too).
    """

    params: tuple[float, ...]
    epoch: int
    steps: int
    cursor: int
    order: tuple[int, ...]
    locked: tuple[tuple[bool, ...], ...]
    learning_rate: float
    lock_threshold: float
    rng_state: dict[str, Any]
    last_loss: float | None
    epoch_loss: float
    peaks: tuple[float, ...]
    n_events: int
    halt: Halt | None


class Trainer:
    """Gradient descent on one network and data set; full batch (default) or online."""

    def __init__(
        self,
        network: Network,
        data: Dataset,
        loss: str = "mse",
        learning_rate: float = 0.5,
        mode: str = "batch",
        lock_threshold: float = DEFAULT_LOCK_THRESHOLD,
        rng: np.random.Generator | None = None,
        shuffle: bool = False,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown training mode {mode!r}; choose batch or online")
        if loss == "cross_entropy" and network.output_activation != "sigmoid":
            raise ValueError("cross_entropy needs a sigmoid output activation")
        if data.x.shape[1] != network.layers[0] or data.y.shape[1] != network.layers[-1]:
            raise ValueError(f"data {data.x.shape[1]}→{data.y.shape[1]} does not fit layers {network.layers}")
        self.network = network
        self.data = data
        self.loss = get_loss(loss)
        self.learning_rate = float(learning_rate)
        self.mode = mode
        self.lock_threshold = float(lock_threshold)
        self.shuffle = shuffle
        self.rng = rng if rng is not None else np.random.default_rng(0)
        self.epoch = 0  # completed epochs
        self.steps = 0  # completed steps
        self.cursor = 0  # online: position in the current epoch's order
        self.order: list[int] = list(range(data.n_samples))
        self.locked: tuple[tuple[bool, ...], ...] = tuple((False,) * n for n in network.layers[1:])
        self.events: list[LockEvent] = []
        self.halt: Halt | None = None
        self.last_loss: float | None = None
        self._epoch_loss = 0.0
        self._peaks: list[float] = []
        self._data_rows = tuple(
            (tuple(float(v) for v in x), tuple(float(v) for v in y)) for x, y in zip(data.x, data.y, strict=True)
        )

    # -- the whole state, for undo and the worker ----------------------------------------------
    def state(self) -> TrainerState:
        """A frozen copy of everything :meth:`step` and :meth:`train` read or change."""
        return TrainerState(tuple(self.network.parameters()), self.epoch, self.steps, self.cursor,
                            tuple(self.order), self.locked, self.learning_rate, self.lock_threshold,
                            dict(self.rng.bit_generator.state), self.last_loss, self._epoch_loss,
                            tuple(self._peaks), len(self.events), self.halt)

    def restore(self, state: TrainerState, events: bool = True) -> None:
        """Go back to ``state`` exactly (``events``: also drop lock events recorded since)."""
        self.network.set_parameters(list(state.params))
        self.epoch, self.steps, self.cursor, self.order = state.epoch, state.steps, state.cursor, list(state.order)
        self.locked, self.learning_rate, self.lock_threshold = state.locked, state.learning_rate, state.lock_threshold
        self.rng.bit_generator.state = state.rng_state
        self.last_loss, self._epoch_loss, self._peaks = state.last_loss, state.epoch_loss, list(state.peaks)
        self.halt = state.halt
        if events:
            del self.events[state.n_events:]

    # -- one traced step -------------------------------------------------------------------
    def peek(self) -> Trace:
        """The trace of the next step, without applying it."""
        if self.mode == "batch":
            return compute_trace(self.network, self.data.x, self.data.y, self.loss, self.learning_rate,
                                 epoch=self.epoch + 1, step=self.steps + 1, mode="batch",
                                 lock_threshold=self.lock_threshold)
        if self.cursor == 0 and self.shuffle:
            # a new epoch's shuffle is drawn when it starts: preview it on a copy of the generator
            probe = np.random.Generator(type(self.rng.bit_generator)())
            probe.bit_generator.state = self.rng.bit_generator.state
            i = int(probe.permutation(self.data.n_samples)[0])
        else:
            i = self.order[self.cursor]
        return compute_trace(self.network, self.data.x[i : i + 1], self.data.y[i : i + 1], self.loss,
                             self.learning_rate, epoch=self.epoch + 1, step=self.steps + 1, mode="online",
                             sample_indices=(i,), locked=self.locked)

    def step(self) -> Trace:
        """Run and apply one step; returns its trace. Check ``halt`` afterwards."""
        if self.halt is not None:
            raise TrainingHalted(self.halt.message)
        if self.mode == "online" and self.cursor == 0:
            self._start_online_epoch()
        trace = self._traced_step()
        bad = self._check(trace)
        if bad is not None:
            self.halt = bad
            return trace
        self.network.set_parameters(list(trace.params_after))
        self.steps += 1
        if self.mode == "batch":
            self.epoch += 1
            self.last_loss = trace.loss
        else:
            self._epoch_loss += trace.loss
            self._peaks = [max(p, s) for p, s in zip(self._peaks, trace.peak_slope, strict=True)]
            self.cursor += 1
            if self.cursor == len(self.order):
                self.cursor = 0
                self.epoch += 1
                self.last_loss = self._epoch_loss / len(self.order)
                self._set_locks(self._locks(self._peaks), self.epoch)
        return trace

    def _traced_step(self) -> Trace:
        if self.mode == "batch":
            # the trace judges its own lock state (rather than a dataclasses.replace: ~9 µs a step)
            t = compute_trace(self.network, self.data.x, self.data.y, self.loss, self.learning_rate,
                              epoch=self.epoch + 1, step=self.steps + 1, mode="batch",
                              lock_threshold=self.lock_threshold)
            self._set_locks(t.locked, self.epoch + 1)
            return t
        i = self.order[self.cursor]
        return compute_trace(self.network, self.data.x[i : i + 1], self.data.y[i : i + 1], self.loss,
                             self.learning_rate, epoch=self.epoch + 1, step=self.steps + 1, mode="online",
                             sample_indices=(i,), locked=self.locked)

    def _start_online_epoch(self) -> None:
        if self.shuffle:
            self.order = [int(i) for i in self.rng.permutation(self.data.n_samples)]
        self._epoch_loss = 0.0
        self._peaks = [0.0] * sum(self.network.layers[1:])

    def _locks(self, peaks: tuple[float, ...] | list[float]) -> tuple[tuple[bool, ...], ...]:
        return lock_state(peaks, self.network.layers, self.network.activations, self.lock_threshold,
                          self.slope_cancelled)

    @property
    def slope_cancelled(self) -> bool:
        """Cross-entropy on a sigmoid output: its slope cancels, so the output never locks."""
        return self.loss.cancels_sigmoid_slope and self.network.output_activation == "sigmoid"

    def rejudge_locks(self) -> None:
        """Judge the lock state again at the current weights (the lock threshold just changed)."""
        t = compute_trace(self.network, self.data.x, self.data.y, self.loss, self.learning_rate,
                          lock_threshold=self.lock_threshold)
        self._set_locks(t.locked, self.epoch)

    def _set_locks(self, new: tuple[tuple[bool, ...], ...], epoch: int) -> None:
        if new != self.locked:
            self.events.extend(diff_events(self.locked, new, self.network.activations, epoch))
            self.locked = new

    def _check(self, t: Trace) -> Halt | None:
        if not (t.loss < fastpath.LOSS_LIMIT):
            return self._halt_loss(t.epoch, t.loss)
        flat = t.params_after
        if not sum(v * v for v in flat) < fastpath.WEIGHT_LIMIT**2:
            return self._halt_param(t.epoch, list(flat))
        return None

    # -- many untraced epochs ----------------------------------------------------------------
    def train(self, epochs: int) -> TrainResult:
        """Train ``epochs`` whole epochs on the fast path (an online epoch in progress is finished first)."""
        result = TrainResult(0)
        if self.halt is not None or epochs <= 0:
            result.halt = self.halt
            return result
        if self.mode == "online" and self.cursor != 0:
            before = len(self.events)
            while self.cursor != 0 and self.halt is None:
                self.step()
            result.events.extend(self.events[before:])
            if self.halt is None and self.last_loss is not None:
                result.losses.append(self.last_loss)
                result.epochs = 1
            epochs -= 1
            if self.halt is not None or epochs <= 0:
                result.halt = self.halt
                return result
        net = self.network
        run = fastpath.compile_runner(net.layers, net.hidden_activation, net.output_activation,
                                      self.loss.name, self.mode == "online")
        rules = lock_rules(net.activations, self.slope_cancelled)
        lockers = [(m, j) for m in range(1, len(net.layers)) for j in range(net.layers[m])
                   if rules[m - 1] != "never"]
        locked_flat = tuple(self.locked[m - 1][j] for m, j in lockers)
        orders = None
        perms: list[list[int]] = []
        if self.mode == "online" and self.shuffle:
            perms = [[int(i) for i in self.rng.permutation(self.data.n_samples)] for _ in range(epochs)]
            orders = [[self._data_rows[i] for i in perm] for perm in perms]
            self.order = perms[-1]
        raw_events: list[tuple[int, int, int, bool]] = []
        losses: list[float] = []
        params, done, halt = run(net.parameters(), self._data_rows, self.learning_rate, epochs,
                                 self.lock_threshold, locked_flat, self.epoch, losses, raw_events, orders)
        net.set_parameters(params)
        locked = [list(row) for row in self.locked]
        for ep, m, j, now in raw_events:
            act = net.activations[m - 1]
            reason = lock_reason(act) if now else "recovered"
            ev = LockEvent(ep, m, j, bool(now), reason)
            self.events.append(ev)
            result.events.append(ev)
            locked[m - 1][j] = bool(now)
        self.locked = tuple(tuple(row) for row in locked)
        self.epoch += done
        self.steps += done * (1 if self.mode == "batch" else self.data.n_samples)
        result.epochs += done
        result.losses.extend(losses)
        if losses:
            self.last_loss = losses[-1]
        if halt is not None:
            kind, ep, value, nxt, pos = halt
            if self.mode == "online":  # stopped inside an epoch, at the same sample step() stops at
                self.cursor = pos
                self.steps += pos
                if perms:
                    self.order = perms[done]
            self.halt = self._halt_loss(ep, value) if kind == "loss" else self._halt_param(ep, nxt)
        result.halt = self.halt
        return result

    # -- divergence messages ----------------------------------------------------------------
    def _eta(self) -> str:
        return f"η = {self.learning_rate:.6g}"

    def _halt_loss(self, epoch: int, value: float) -> Halt:
        what = "became NaN" if math.isnan(value) else f"grew to {_big(value)}"
        return Halt(epoch, "loss", float(value),
                    f"Training stopped at epoch {epoch}: the loss {what}. The learning rate ({self._eta()}) "
                    "is probably too high — lower it and press Reset.")

    def _halt_param(self, epoch: int, flat: list[float]) -> Halt:
        idx = max(range(len(flat)), key=lambda k: math.inf if not math.isfinite(flat[k]) else abs(flat[k]))
        value = flat[idx]
        name = self.parameter_name(idx)
        start = self.network.parameters()[idx]  # the update that went wrong was not applied
        if not abs(start) < fastpath.WEIGHT_LIMIT:
            # it was absurd before this step: the starting weights are to blame, not the learning rate
            return Halt(epoch, name, float(start),
                        f"Training stopped at epoch {epoch}: {name} is {start:.3g}, far beyond what can be "
                        f"trained (±{fastpath.WEIGHT_LIMIT:.0e}). Choose smaller starting weights and press "
                        "Reset.")
        what = "became NaN" if math.isnan(value) else ("became infinite" if math.isinf(value)
                                                        else f"grew to {_big(value)}")
        return Halt(epoch, name, float(value),
                    f"Training stopped at epoch {epoch}: {name} {what}. The learning rate ({self._eta()}) "
                    "is probably too high — lower it and press Reset.")

    def parameter_name(self, flat_index: int) -> str:
        """A readable name for the parameter at ``flat_index`` of ``Network.parameters()``."""
        net = self.network
        k = flat_index
        for l, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
            if k < w.size:
                j, i = divmod(k, w.shape[1])
                return f"weight w({net.neuron_name(l, i)}→{net.neuron_name(l + 1, j)})"
            k -= w.size
            if k < b.size:
                return f"bias b({net.neuron_name(l + 1, k)})"
            k -= b.size
        return "a parameter"

