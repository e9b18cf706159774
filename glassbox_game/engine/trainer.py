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

from glassbox_game.engine import fastpath, names, vectorised
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
from glassbox_game.numfmt import plain

MODES = ("batch", "online")


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
    test_losses: list[float] = field(default_factory=list)  # per epoch, when there is a test set


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
    last_test_loss: float | None = None  # the last completed epoch's test loss (with a test set)
    epoch_test: float | None = None  # stepped: the test loss at the weights the epoch under way began with


class Trainer:
    """Gradient descent on one network and data set: full batch (default), mini-batches or online.

    ``batch_size`` (mode "batch" only; None = every row) splits each epoch into steps of that many
    rows, in ``order``; online is batch size 1. ``regularization`` ("none", "l1", "l2") with rate λ
    adds its penalty once per step. ``test_data`` is never trained on: traces and epochs report its
    loss. Large data, mini-batches and penalties run on the vectorised path (:mod:`vectorised`).
    """

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
        *,
        batch_size: int | None = None,
        regularization: str = "none",
        regularization_rate: float = 0.0,
        test_data: Dataset | None = None,
        classification: bool = False,
        features: tuple[str, ...] | None = None,
    ) -> None:
        if regularization not in vectorised.REGULARIZATIONS:
            raise ValueError(f"unknown regularization {regularization!r}; choose none, l1 or l2")
        if batch_size is not None and batch_size < 1:
            raise ValueError(f"batch size must be at least 1, not {batch_size}")
        if test_data is not None and (test_data.x.shape[1] != network.layers[0]
                                      or test_data.y.shape[1] != network.layers[-1]):
            raise ValueError(f"test data does not fit layers {network.layers}")
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
        n = data.n_samples
        self.batch_size = 1 if mode == "online" else min(batch_size or n, n)
        self.regularization = regularization
        self.regularization_rate = float(regularization_rate)
        self.test_data = test_data
        self.classification = classification
        self.features = features  # the inputs' feature names, for the traces (names only)
        self.numpy_path = vectorised.uses_numpy(n, 1 < self.batch_size < n, regularization, test_data is not None)
        self.last_test_loss: float | None = None
        self._epoch_test: float | None = None
        self._test = None if test_data is None else (test_data.x, test_data.y)
        self._data_rows = tuple(
            (tuple(float(v) for v in x), tuple(float(v) for v in y)) for x, y in zip(data.x, data.y, strict=True)
        )

    # -- the whole state, for undo and the worker ----------------------------------------------
    def state(self) -> TrainerState:
        """A frozen copy of everything :meth:`step` and :meth:`train` read or change."""
        return TrainerState(tuple(self.network.parameters()), self.epoch, self.steps, self.cursor,
                            tuple(self.order), self.locked, self.learning_rate, self.lock_threshold,
                            dict(self.rng.bit_generator.state), self.last_loss, self._epoch_loss,
                            tuple(self._peaks), len(self.events), self.halt, self.last_test_loss,
                            self._epoch_test)

    def restore(self, state: TrainerState, events: bool = True) -> None:
        """Go back to ``state`` exactly (``events``: also drop lock events recorded since)."""
        self.network.set_parameters(list(state.params))
        self.epoch, self.steps, self.cursor, self.order = state.epoch, state.steps, state.cursor, list(state.order)
        self.locked, self.learning_rate, self.lock_threshold = state.locked, state.learning_rate, state.lock_threshold
        self.rng.bit_generator.state = state.rng_state
        self.last_loss, self._epoch_loss, self._peaks = state.last_loss, state.epoch_loss, list(state.peaks)
        self.halt = state.halt
        self.last_test_loss, self._epoch_test = state.last_test_loss, state.epoch_test
        if events:
            del self.events[state.n_events:]

    # -- one traced step -------------------------------------------------------------------
    @property
    def stepped(self) -> bool:
        """True when an epoch is several steps (online or mini-batches), False for full batch."""
        return self.batch_size < self.data.n_samples or self.mode == "online"

    @property
    def steps_per_epoch(self) -> int:
        return -(-self.data.n_samples // self.batch_size) if self.stepped else 1

    def steps_left_in_epoch(self) -> int:
        """Steps until the current epoch is complete (a whole epoch's when none is under way)."""
        return -(-(self.data.n_samples - self.cursor) // self.batch_size) if self.stepped else 1

    def _trace(self, idx: list[int] | None, **kw: object) -> Trace:
        x, y = (self.data.x, self.data.y) if idx is None else (self.data.x[idx], self.data.y[idx])
        if idx is None:
            mode = "batch"
        else:
            mode = "online" if self.mode == "online" else "minibatch"
            kw["sample_indices"] = tuple(idx)
            if self.classification:  # the training set's accuracy, not just this batch's
                kw["train"] = (self.data.x, self.data.y)
        return compute_trace(self.network, x, y, self.loss, self.learning_rate, epoch=self.epoch + 1,
                             step=self.steps + 1, mode=mode, numpy_path=self.numpy_path,
                             regularization=self.regularization, regularization_rate=self.regularization_rate,
                             test=self._test, classification=self.classification, features=self.features,
                             **kw)  # type: ignore[arg-type]

    def peek(self) -> Trace:
        """The trace of the next step, without applying it."""
        if not self.stepped:
            return self._trace(None, lock_threshold=self.lock_threshold)
        if self.cursor == 0 and self.shuffle:
            # a new epoch's shuffle is drawn when it starts: preview it on a copy of the generator
            probe = np.random.Generator(type(self.rng.bit_generator)())
            probe.bit_generator.state = self.rng.bit_generator.state
            order = [int(i) for i in probe.permutation(self.data.n_samples)]
        else:
            order = self.order
        return self._trace(order[self.cursor : self.cursor + self.batch_size], locked=self.locked)

    def step(self) -> Trace:
        """Run and apply one step; returns its trace. Check ``halt`` afterwards."""
        if self.halt is not None:
            raise TrainingHalted(self.halt.message)
        if self.stepped and self.cursor == 0:
            self._start_online_epoch()
        trace = self._traced_step()
        bad = self._check(trace)
        if bad is not None:
            self.halt = bad
            return trace
        self.network.set_parameters(list(trace.params_after))
        self.steps += 1
        if not self.stepped:
            self.epoch += 1
            self.last_loss = trace.loss
            self.last_test_loss = trace.test_loss
        else:
            if self.cursor == 0:
                self._epoch_test = trace.test_loss  # an epoch's test loss: at the weights it began with
            self._epoch_loss += trace.loss * trace.n_samples
            self._peaks = [max(p, s) for p, s in zip(self._peaks, trace.peak_slope, strict=True)]
            self.cursor += trace.n_samples
            if self.cursor == len(self.order):
                self.cursor = 0
                self.epoch += 1
                self.last_loss = self._epoch_loss / len(self.order)
                self.last_test_loss = self._epoch_test
                self._set_locks(self._locks(self._peaks), self.epoch)
        return trace

    def _traced_step(self) -> Trace:
        if not self.stepped:
            # the trace judges its own lock state (rather than a dataclasses.replace: ~9 µs a step)
            t = self._trace(None, lock_threshold=self.lock_threshold)
            self._set_locks(t.locked, self.epoch + 1)
            return t
        return self._trace(self.order[self.cursor : self.cursor + self.batch_size], locked=self.locked)

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
        if self.stepped and self.cursor != 0:
            before = len(self.events)
            while self.cursor != 0 and self.halt is None:
                self.step()
            result.events.extend(self.events[before:])
            if self.halt is None and self.last_loss is not None:
                result.losses.append(self.last_loss)
                if self.last_test_loss is not None:
                    result.test_losses.append(self.last_test_loss)
                result.epochs = 1
            epochs -= 1
            if self.halt is not None or epochs <= 0:
                result.halt = self.halt
                return result
        if self.numpy_path:
            return self._train_numpy(epochs, result)
        net = self.network
        run = fastpath.compile_runner(net.layers, net.hidden_activation, net.output_activation,
                                      self.loss.name, self.stepped)  # stepped here: batch size 1
        rules = lock_rules(net.activations, self.slope_cancelled)
        lockers = [(m, j) for m in range(1, len(net.layers)) for j in range(net.layers[m])
                   if rules[m - 1] != "never"]
        locked_flat = tuple(self.locked[m - 1][j] for m, j in lockers)
        orders = None
        perms: list[list[int]] = []
        if self.stepped and self.shuffle:
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
        self.steps += done * self.steps_per_epoch
        result.epochs += done
        result.losses.extend(losses)
        if losses:
            self.last_loss = losses[-1]
        if halt is not None:
            kind, ep, value, nxt, pos = halt
            if self.stepped:  # stopped inside an epoch, at the same sample step() stops at
                self.cursor = pos
                self.steps += pos
                if perms:
                    self.order = perms[done]
            self.halt = self._halt_loss(ep, value) if kind == "loss" else self._halt_param(ep, nxt)
        result.halt = self.halt
        return result

    def _train_numpy(self, epochs: int, result: TrainResult) -> TrainResult:
        net = self.network
        ar = vectorised.arch(net.layers, net.hidden_activation, net.output_activation, self.loss.name)
        locked = np.array([v for row in self.locked for v in row], dtype=bool)
        perms: list[list[int]] | None = None
        if self.stepped and self.shuffle:
            perms = [[int(i) for i in self.rng.permutation(self.data.n_samples)] for _ in range(epochs)]
            self.order = perms[-1]
        raw_events: list[tuple[int, int, int, bool]] = []
        losses: list[float] = []
        test_losses: list[float] = []
        theta, done, halt = vectorised.train(
            ar, net.theta, self.data.x, self.data.y, self.learning_rate, epochs,
            batch_size=self.batch_size if self.stepped else self.data.n_samples, orders=perms,
            regularization=self.regularization, rate=self.regularization_rate, threshold=self.lock_threshold,
            locked=locked, epoch0=self.epoch, losses=losses, events=raw_events, test=self._test,
            test_losses=test_losses)
        net.theta[:] = theta
        for ep, m, j, now in raw_events:
            reason = ("dead" if net.activations[m - 1].lock_rule == "dead" else "saturated") if now else "recovered"
            ev = LockEvent(ep, m, j, now, reason)
            self.events.append(ev)
            result.events.append(ev)
        rows, k = [], 0
        for n in net.layers[1:]:
            rows.append(tuple(bool(v) for v in locked[k : k + n]))
            k += n
        self.locked = tuple(rows)
        self.epoch += done
        self.steps += done * self.steps_per_epoch
        result.epochs += done
        result.losses.extend(losses)
        result.test_losses.extend(test_losses)
        if losses:
            self.last_loss = losses[-1]
        if test_losses:
            self.last_test_loss = test_losses[-1]
        if halt is not None:
            kind, ep, value, nxt, pos, k_steps = halt
            if self.stepped:  # stopped inside an epoch, at the step step() stops at
                self.cursor = pos
                self.steps += k_steps
                if perms:
                    self.order = perms[done]
            self.halt = self._halt_loss(ep, value) if kind == "loss" else self._halt_param(ep, nxt or [])
        result.halt = self.halt
        return result

    # -- divergence messages ----------------------------------------------------------------
    def _eta(self) -> str:
        return f"η = {self.learning_rate:.6g}"

    def _halt_loss(self, epoch: int, value: float) -> Halt:
        what = "became NaN" if math.isnan(value) else f"grew to {plain(value)}"
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
                        f"Training stopped at epoch {epoch}: {name} is {plain(start, 3)}, far beyond what can be "
                        f"trained (±{plain(fastpath.WEIGHT_LIMIT, 1)}). Choose smaller starting weights and press "
                        "Reset.")
        what = "became NaN" if math.isnan(value) else ("became infinite" if math.isinf(value)
                                                        else f"grew to {plain(value)}")
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
                return f"weight w({names.connection_name(net.layers, l, j, i, self.features)})"
            k -= w.size
            if k < b.size:
                return f"bias b({net.neuron_name(l + 1, k)})"
            k -= b.size
        return "a parameter"

