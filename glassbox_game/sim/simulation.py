"""The Simulation: owns the Trainer, the phase of the displayed step, speed, selection, packets.

Everything happens in :meth:`update` at a fixed step, after queued commands are applied; a view
asks :meth:`snapshot` for what to draw. Same setup, same commands at the same steps ⇒ same run.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from glassbox_game.engine.network import MAX_PARAM
from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.engine.trace import Trace
from glassbox_game.engine.trainer import Trainer, TrainerState
from glassbox_game.sim import commands as c
from glassbox_game.sim.history import LossHistory
from glassbox_game.sim.packets import BACKWARD, FORWARD, PacketArrays, ParticleStreams, phase_packets
from glassbox_game.sim.selection import Selection, all_selectables
from glassbox_game.sim.snapshot import PHASES, Snapshot
from glassbox_game.sim.worker import JobResult, TurboWorker

PHASE_SHARE = (0.4, 0.1, 0.4, 0.1)  # of one animated epoch's duration
# Epochs per second. 0 is "step by hand"; speeds up to ANIMATED_MAX show every phase.
SPEEDS: tuple[float, ...] = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 20.0, 100.0, 1000.0, 10000.0, 60000.0)
DEFAULT_SPEED = 3


def nearest_speed(pace: float) -> int:
    """The index of the speed step nearest ``pace`` epochs a second (nearest by ratio): a level's
    ``speed`` starts the slider there, and that step is the pace the level really runs at."""
    return min(range(len(SPEEDS)), key=lambda k: abs(math.log(SPEEDS[k] / pace)))
ANIMATED_MAX = 2.0
SLOW_MOTION = 0
HISTORY_OF_WEIGHTS = 1000
#: a phase stepped by key plays its packets for this long (0 with reduced motion: it just appears)
PHASE_STEP_SECONDS = 0.6


def speed_label(speed: float) -> str:
    if speed >= SPEEDS[-1]:
        return "max"
    if speed >= 1000:
        return f"{speed / 1000:g}k/s"
    return f"{speed:g}/s"


def _weight_spans(layers: tuple[int, ...]) -> list[tuple[int, int]]:
    """(start, length) of each layer's weights inside the flat parameter order (weights, then biases)."""
    spans, k = [], 0
    for n_in, n_out in itertools.pairwise(layers):
        spans.append((k, n_in * n_out))
        k += n_in * n_out + n_out
    return spans




#: weight × sample operations one fixed step may train on this thread (about 0.2 s of the fast
#: path): at top speed a big data set trains fewer epochs a step instead of freezing the window
WORK_PER_STEP = 1_000_000
WORK_PER_JOB = 8 * WORK_PER_STEP  # a turbo worker's job (on the other core)
MAX_DATA_SEED = 2**63  # data seeds run 0 … 2⁶³ − 1, as level files allow; Regenerate wraps around


class Simulation:
    """One training run and everything the game shows about it."""

    def __init__(self, setup: Setup, use_worker: bool = False) -> None:
        self.use_worker = use_worker  # train at turbo speed on the second core (see worker.py)
        self.worker: TurboWorker | None = None
        self.commands: deque[c.Command] = deque()
        self.tick = 0
        self.time = 0.0
        self.playing = False
        self.speed_index = DEFAULT_SPEED
        self.selection: Selection | None = None
        self.hover: Selection | None = None
        self.sample: int | None = 0
        self.ghost: LossHistory | None = None
        self.setup_version = 0
        self.phases_stepped = 0
        self.full_passes_stepped = 0
        self.phase_seconds = PHASE_STEP_SECONDS
        self._load(setup, keep_ghost=False)

    # -- set-up --------------------------------------------------------------------------------
    def _load(self, setup: Setup, keep_ghost: bool = True) -> None:
        old: LossHistory | None = getattr(self, "history", None)
        if keep_ghost and old is not None and len(old):
            # runs of different losses are not on one scale: no MSE ghost behind a cross-entropy run
            same_loss = getattr(self, "setup", setup).loss == setup.loss
            self.ghost = old if same_loss else None
        self.setup = setup
        self.trainer: Trainer = build_trainer(setup)
        self.history = LossHistory()
        self.test_history = LossHistory()  # stays empty without a test set
        self.streams = ParticleStreams(np.random.default_rng([setup.seed, 2]))
        self._stream_rates: tuple[object, np.ndarray, np.ndarray] = (None, np.zeros(0), np.zeros(0))
        self._ready()
        self.turbo_budget = 0.0
        self.run_to: int | None = None
        # the whole trainer state before each step (and the history's length then), for ←
        self.undo: deque[tuple[TrainerState, int]] = deque(maxlen=HISTORY_OF_WEIGHTS)
        self.current: Trace = self.trainer.peek()
        self.setup_version += 1
        if self.selection is not None and not self.selection.fits(setup.layers):
            self.selection = None
        if self.sample is not None and self.sample >= self.trainer.data.n_samples:
            self.sample = 0

    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

    @property
    def animated(self) -> bool:
        return self.speed <= ANIMATED_MAX

    def _ready(self) -> None:
        """Between steps: the next step is computed and shown whole, none of its phases begun."""
        self.phase, self.progress, self.applied = 0, 0.0, False
        self.begun = False  # the displayed step's phases have started (forward → loss → backward → update)
        self.stepping = False  # a phase stepped by key is playing its short animation
        self._stepped: set[int] = set()  # phases of this step entered by key (a full pass counts for levels)

    def submit(self, command: c.Command) -> None:
        """Queue a command; it takes effect at the next fixed step."""
        self.commands.append(command)

    # -- the fixed step ------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        while self.commands:
            cmd = self.commands.popleft()
            handler = COMMANDS.get(type(cmd))
            if handler is None or not handler.view_only:
                self._sync_worker()
            self._apply(cmd)
        if self.worker is not None and self.worker.pending is not None and not (self.playing and not self.animated):
            self._sync_worker()
        self.tick += 1
        self.time += dt
        if self.run_to is not None:
            self._run_to()
        elif self.playing and self.trainer.halt is None:
            if self.animated:
                self.stepping = False
                self.begun = True
                self._animate(dt * self.speed)
            else:
                self._turbo(dt)
        elif self.stepping:
            self.progress = min(1.0, self.progress + dt / self.phase_seconds)
            self.stepping = self.progress < 1.0
        self.streams.update(dt)
        if self.trainer.halt is not None:
            self.playing = False

    def _animate(self, epochs: float) -> None:
        """Advance the phase animation by ``epochs`` worth of time."""
        while epochs > 0 and self.trainer.halt is None:
            share = PHASE_SHARE[self.phase]
            need = (1.0 - self.progress) * share
            if epochs < need:
                self.progress += epochs / share
                return
            epochs -= need
            self._finish_phase()

    def _finish_phase(self, begin_next: bool = True) -> None:
        """End the current phase and start the next (applying the update when it begins).

        After the update phase the next step is shown: its forward phase begins at once
        (``begin_next``: playing, or → pressed) or it waits, whole, for the next press.
        """
        self.progress = 0.0
        if PHASES[self.phase] == "backward":
            self._apply_current()
            if self.trainer.halt is not None:
                return
        if PHASES[self.phase] == "update":
            self._ready()
            self.begun = begin_next
            self.current = self.trainer.peek()
            return
        self.phase += 1

    def _apply_current(self) -> None:
        self._push_undo()
        trace = self.trainer.step()
        if self.trainer.halt is not None:
            self.undo.pop()
            return
        self.current = trace
        self.applied = True
        self._record_epoch_end()

    def _record_epoch_end(self) -> None:
        t = self.trainer
        if (not t.stepped or t.cursor == 0) and t.last_loss is not None and len(self.history) < t.epoch:
            self.history.append(t.last_loss)
            if t.last_test_loss is not None:
                self.test_history.append(t.last_test_loss)

    def _push_undo(self) -> None:
        self.undo.append((self.trainer.state(), len(self.history)))

    def _turbo(self, dt: float) -> None:
        # never owe more than a quarter of a second of training (a slow machine just trains slower)
        self.turbo_budget = min(self.turbo_budget + dt * self.speed, max(1.0, 0.25 * self.speed))
        worker = self._ready_worker()
        if worker is None:
            n = min(int(self.turbo_budget), self._epochs_of_work(WORK_PER_STEP))
            self.turbo_budget -= n
            if n > 0:
                self._train(n)
        else:
            result = worker.collect()
            if result is not None:
                self._apply_result(result)
            n = min(int(self.turbo_budget), self._epochs_of_work(WORK_PER_JOB))
            if worker.pending is None and n > 1 and self.trainer.halt is None:
                self.turbo_budget -= n
                worker.submit(self.setup, self.trainer.state(), n - 1)
        self._spawn_streams(dt)

    def _epochs_of_work(self, work: int) -> int:
        """How many epochs ``work`` weight-sample operations buy: big data trains slower, never stalls."""
        layers = self.setup.layers
        weights = sum(a * b + b for a, b in itertools.pairwise(layers))
        return max(1, work // max(1, weights * self.trainer.data.n_samples))

    def _ready_worker(self) -> TurboWorker | None:
        if not self.use_worker:
            return None
        if self.worker is None:
            try:
                self.worker = TurboWorker()
            except OSError:
                self.use_worker = False
                return None
        if self.worker.failed:
            self.use_worker = False
            return None
        return self.worker if self.worker.poll_ready() else None

    def _apply_result(self, result: JobResult) -> None:
        """Take over the worker's state; then train the last epoch of the chunk here, traced (so ← works)."""
        t = self.trainer
        t.restore(result.state, events=False)
        self.history.extend(result.losses)
        self.test_history.extend(list(result.test_losses))
        t.events.extend(result.events)
        t.halt = result.halt
        if t.halt is None:
            self._train(1)
        else:
            self.current = t.peek()

    def _sync_worker(self) -> None:
        """Before anything touches the trainer: wait for the worker's job and take its result."""
        if self.worker is not None and self.worker.pending is not None:
            result = self.worker.collect(wait=True)
            if result is not None:
                self._apply_result(result)

    def close(self) -> None:
        """Stop the worker process, if one was started."""
        if self.worker is not None:
            self.worker.close()
            self.worker = None

    def _train(self, n: int) -> None:
        """Train ``n`` epochs: all but the last on the fast path, the last traced (so ← can undo it)."""
        t = self.trainer
        if n > 1:
            result = t.train(n - 1)
            self.history.extend(result.losses)
            self.test_history.extend(result.test_losses)
        if t.halt is None:
            self._push_undo()
            steps = t.steps_left_in_epoch()
            for _ in range(steps):
                t.step()
                if t.halt is not None:
                    break
            self._record_epoch_end()
        self._ready()
        self.current = t.peek()

    def _run_to(self) -> None:
        assert self.run_to is not None
        remaining = self.run_to - self.trainer.epoch
        if remaining <= 0 or self.trainer.halt is not None:
            self.run_to = None
            return
        self._train(min(remaining, 5000))

    def _spawn_streams(self, dt: float) -> None:
        tr = self.current
        if self._stream_rates[0] is not tr:  # the rates follow the displayed step's gradients
            gw = np.abs(np.asarray(tr.mean_grad, dtype=float))
            gw = np.concatenate([gw[k : k + n] for k, n in _weight_spans(tr.layers)])
            top = float(gw.max()) if gw.size else 0.0
            back = np.sqrt(gw / top) if top > 0 else gw
            fwd = np.concatenate([np.abs(a).mean(axis=0)[None, :].repeat(n, axis=0).ravel()
                                  for a, n in zip(tr.a[:-1], tr.layers[1:], strict=False)])
            self._stream_rates = (tr, 0.35 * np.clip(fwd, 0, 1), back)
        self.streams.spawn(tr.layers, dt, self._stream_rates[1], self._stream_rates[2])

    # -- commands: each one's handler; the table after the class says which handles which ----------
    def _apply(self, cmd: c.Command) -> None:
        handler = COMMANDS.get(type(cmd))
        if handler is not None:
            handler.run(self, cmd)

    def _play(self, cmd: c.Play | c.Pause | c.TogglePlay) -> None:
        want = {c.Play: True, c.Pause: False, c.TogglePlay: not self.playing}[type(cmd)]
        self.playing = want and self.trainer.halt is None

    def _step_phase_cmd(self, cmd: c.StepPhase) -> None:
        self.playing = False
        if self.trainer.halt is None:
            self._step_phase()

    def _step_epoch(self, cmd: c.StepEpoch) -> None:
        self.playing = False
        if self.trainer.halt is None:
            if not self.begun:
                self._train(1)
            else:
                while self.begun and self.trainer.halt is None:
                    self._finish_phase(begin_next=False)

    def _step_back_cmd(self, cmd: c.StepBack) -> None:
        self.playing = False
        self._step_back()

    def _reset(self, cmd: c.Reset | c.LoadSetup) -> None:
        self.playing = False
        self._load(cmd.setup if isinstance(cmd, c.LoadSetup) else self.setup)

    def _speed(self, cmd: c.ChangeSpeed | c.SetSpeed) -> None:
        index = self.speed_index + cmd.delta if isinstance(cmd, c.ChangeSpeed) else cmd.index
        self.speed_index = max(0, min(len(SPEEDS) - 1, index))

    def _select(self, cmd: c.Select) -> None:
        self.selection = cmd.target if cmd.target is None or cmd.target.fits(self.setup.layers) else None

    def _hover(self, cmd: c.Hover) -> None:
        self.hover = cmd.target

    def _cycle_selection(self, cmd: c.CycleSelection) -> None:
        items = all_selectables(self.setup.layers)
        k = items.index(self.selection) if self.selection in items else -1 if cmd.delta > 0 else 0
        self.selection = items[(k + cmd.delta) % len(items)]

    def _set_sample(self, cmd: c.SetSample) -> None:
        n = self.trainer.data.n_samples
        self.sample = None if cmd.index is None else max(0, min(n - 1, cmd.index))

    def _cycle_sample(self, cmd: c.CycleSample) -> None:
        order: list[int | None] = [*range(self.trainer.data.n_samples), None]
        k = order.index(self.sample) if self.sample in order else 0
        self.sample = order[(k + cmd.delta) % len(order)]

    def _change_setup_cmd(self, cmd: c.ChangeSetup) -> None:
        self._change_setup(dict(cmd.changes))

    def _regenerate(self, cmd: c.Regenerate) -> None:
        if self.setup.generator is not None:  # a truth table has no points to draw again
            self._change_setup({"data_seed": (self.setup.data_seed + 1) % MAX_DATA_SEED})

    def _set_live(self, cmd: c.SetLearningRate | c.SetLockThreshold) -> None:
        if isinstance(cmd, c.SetLearningRate):
            self._change_live(learning_rate=float(cmd.value))
        else:
            self._change_live(lock_threshold=float(cmd.value))

    def _run_to_epoch(self, cmd: c.RunToEpoch) -> None:
        self.playing = False
        self.run_to = cmd.epoch

    def _step_phase(self) -> None:
        """→: reveal the next phase of the displayed step and play its packets for a moment."""
        if not self.begun:
            self.begun = True  # the first press shows the forward phase of the step that was waiting
        else:
            self._finish_phase(begin_next=True)
            if self.trainer.halt is not None:
                return
        self.phases_stepped += 1
        if self.phase == 0:
            self._stepped = set()
        self._stepped.add(self.phase)
        if PHASES[self.phase] == "update" and len(self._stepped) == len(PHASES):
            self.full_passes_stepped += 1
        self.stepping = self.phase_seconds > 0
        self.progress = 0.0 if self.stepping else 1.0

    def _change_live(self, **changes: float) -> None:
        """Learning rate, lock threshold and the rate λ of the regularisation chosen change without
        resetting (from the next step)."""
        self.setup = replace(self.setup, **changes)  # type: ignore[arg-type]
        if "regularization_rate" in changes:
            self.trainer.regularization_rate = float(changes["regularization_rate"])
        if "learning_rate" in changes:
            self.trainer.learning_rate = changes["learning_rate"]
        if "lock_threshold" in changes:
            self.trainer.lock_threshold = changes["lock_threshold"]
            self.trainer.rejudge_locks()  # the lock caption follows the new threshold at once
        if not self.applied:  # the step on show is not applied yet: it is the step η will apply to
            self.current = self.trainer.peek()

    def _change_setup(self, changes: dict[str, object]) -> None:
        live_keys = ["learning_rate", "lock_threshold"]
        if self.setup.regularization != "none" and changes.get("regularization", "same") in ("same",
                                                                                              self.setup.regularization):
            live_keys.append("regularization_rate")  # the same penalty, another λ: the run goes on
        live = {k: v for k, v in changes.items() if k in live_keys}
        rest = {k: v for k, v in changes.items() if k not in live}
        if live:
            self._change_live(**live)  # type: ignore[arg-type]
        if rest:
            self.playing = False
            self._load(replace(self.setup, **rest))  # type: ignore[arg-type]

    def _step_back(self) -> None:
        if not self.undo:
            return
        state, n_history = self.undo.pop()
        t = self.trainer
        # the rate and threshold are settings, not history: going back keeps the ones chosen now
        t.restore(replace(state, learning_rate=t.learning_rate, lock_threshold=t.lock_threshold))
        if len(self.history) > n_history:
            self.history = self.history.truncated(n_history)
        if len(self.test_history) > n_history:
            self.test_history = self.test_history.truncated(n_history)
        self._ready()
        self.current = t.peek()

    def _set_weight(self, cmd: c.SetWeight | c.NudgeWeight) -> None:
        net = self.trainer.network
        try:
            arr = net.weights[cmd.layer] if cmd.kind == "w" else net.biases[cmd.layer]
            idx = (cmd.j, cmd.i) if cmd.kind == "w" else (cmd.j,)
            value = cmd.value if isinstance(cmd, c.SetWeight) else round(float(arr[idx]) + cmd.delta, 9)
            if not np.isfinite(value) or abs(value) > MAX_PARAM:  # the same bound level files have
                return
            arr[idx] = value
        except IndexError:
            return
        self.playing = False
        self._ready()
        self.current = self.trainer.peek()

    # -- what a frame shows ----------------------------------------------------------------------
    def packets(self) -> PacketArrays:
        if self.playing and not self.animated:
            return self.streams.arrays()
        name = PHASES[self.phase]
        if name not in ("forward", "backward") or not self.begun or not (self.playing or self.stepping):
            return self.streams.arrays() if len(self.streams) else PacketArrays.empty()
        tr = self.current
        s = self.sample if self.sample is not None and self.sample < tr.n_samples else None
        if name == "forward":
            mags = [np.repeat((tr.a[l][s] if s is not None else np.abs(tr.a[l]).mean(axis=0))[None, :],
                              n, axis=0) for l, n in enumerate(tr.layers[1:])]
            return phase_packets(tr.layers, FORWARD, self.progress, [np.abs(m) for m in mags])
        grads = [np.abs(g[s]) if s is not None else np.abs(m) for g, m in zip(tr.grad_w, tr.mean_grad_w,
                                                                              strict=True)]
        top = max(float(g.max()) for g in grads) or 1.0
        return phase_packets(tr.layers, BACKWARD, self.progress, [np.sqrt(g / top) for g in grads])

    def snapshot(self) -> Snapshot:
        t = self.trainer
        # an online step is one sample's: every label names that sample, whatever row was chosen
        sample = self.current.sample_indices[0] if t.mode == "online" else self.sample
        if t.mode != "online" and sample is not None and sample >= self.current.n_samples:
            sample = 0  # a mini-batch holds fewer rows than the data set
        return Snapshot(
            tick=self.tick,
            time=self.time,
            setup=self.setup,
            trace=self.current,
            phase=PHASES[self.phase],
            phase_progress=self.progress,
            begun=self.begun,
            applied=self.applied,
            playing=self.playing,
            animated=self.animated,
            speed_index=self.speed_index,
            speed_label=speed_label(self.speed),
            epoch=t.epoch,
            loss=self.history.last(),
            learning_rate=t.learning_rate,
            lock_threshold=t.lock_threshold,
            selection=self.selection,
            hover=self.hover,
            sample=sample,
            packets=self.packets(),
            history=self.history,
            ghost=self.ghost,
            test_history=self.test_history if len(self.test_history) else None,
            lock_events=tuple(t.events),
            locked=t.locked,
            halt_message=t.halt.message if t.halt else None,
            can_step_back=bool(self.undo),
            phases_stepped=self.phases_stepped,
            full_passes_stepped=self.full_passes_stepped,
            setup_version=self.setup_version,
        )


@dataclass(frozen=True)
class Handler:
    """What a command does to the simulation; ``view_only`` ones (what is shown, not the run) never
    wait for the turbo worker."""

    run: Callable[[Simulation, Any], None]
    view_only: bool = False


#: The one table of commands: adding a command means its dataclass in commands.py and a row here.
COMMANDS: dict[type[c.Command], Handler] = {
    c.Play: Handler(Simulation._play),
    c.Pause: Handler(Simulation._play),
    c.TogglePlay: Handler(Simulation._play),
    c.StepPhase: Handler(Simulation._step_phase_cmd),
    c.StepEpoch: Handler(Simulation._step_epoch),
    c.StepBack: Handler(Simulation._step_back_cmd),
    c.Reset: Handler(Simulation._reset),
    c.LoadSetup: Handler(Simulation._reset),
    c.ChangeSetup: Handler(Simulation._change_setup_cmd),
    c.Regenerate: Handler(Simulation._regenerate),
    c.SetLearningRate: Handler(Simulation._set_live),
    c.SetLockThreshold: Handler(Simulation._set_live),
    c.SetWeight: Handler(Simulation._set_weight),
    c.NudgeWeight: Handler(Simulation._set_weight),
    c.RunToEpoch: Handler(Simulation._run_to_epoch),
    c.ChangeSpeed: Handler(Simulation._speed, view_only=True),
    c.SetSpeed: Handler(Simulation._speed, view_only=True),
    c.Select: Handler(Simulation._select, view_only=True),
    c.Hover: Handler(Simulation._hover, view_only=True),
    c.CycleSelection: Handler(Simulation._cycle_selection, view_only=True),
    c.SetSample: Handler(Simulation._set_sample, view_only=True),
    c.CycleSample: Handler(Simulation._cycle_sample, view_only=True),
}
