"""Checking a level's goals live, from snapshots of the simulation and what the player did.

Pure (no pygame). A :class:`GoalTracker` watches every displayed :class:`Snapshot` (``observe``),
takes typed answers (``answer``) and hint requests (``request_hint``), and reports one
:class:`GoalStatus` per goal: pending, met or failed, with a short live text.

Rules (docs/levels.md, "Playing a level"):

* Goals that record something the player achieved (a loss reached, samples held correct, a pass
  stepped, a connection picked, a number typed, a neuron revived) stay met once met, across resets
  and set-up changes. ``no_locked_neurons`` is a state: it must hold at the moment of the win.
* A run is everything between two rebuilds of the network (``snap.setup_version``: Reset or a
  set-up change). A run that misses a ``within_epochs`` limit, a plain retry after training (Reset
  with the set-up unchanged) and a wrong typed answer each count one failed attempt. Exploring is
  not failing: clicking connections, or changing the set-up as the briefing asks, costs nothing.
* Typed numbers are compared with the engine's value in the first step of the current run (the
  level's starting weights) or in the displayed step, within the goal's tolerance tightened to 2 %
  of the answer's size; the feedback names the step it was checked against.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from glassbox_game.engine.losses import get_loss
from glassbox_game.engine.names import connection_name as display_connection
from glassbox_game.engine.network import Network
from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.engine.trace import Trace, compute_trace
from glassbox_game.levels.model import (
    AccuracyAbove,
    AllCorrect,
    FullPassStepped,
    Goal,
    Level,
    LossBelow,
    NeuronRevived,
    NoLockedNeurons,
    SelectConnection,
    TestLossBelow,
    TestLossRises,
    TypedValue,
)
from glassbox_game.numfmt import plain
from glassbox_game.sim.history import LossHistory
from glassbox_game.sim.snapshot import Snapshot

PENDING, MET, FAILED = "pending", "met", "failed"
QUANTITY_WORDS = {
    "a": "a", "z": "z", "slope": "slope σ′", "raw_error": "raw error a − y", "backprop_sum": "Σ w·δ",
    "delta": "δ", "grad_b": "∂L/∂b", "grad_w": "∂L/∂w", "new_weight": "new weight", "loss": "loss",
}


@dataclass(frozen=True)
class GoalStatus:
    """What the HUD shows for one goal."""

    index: int
    label: str  # the goal's label, or a description made from its fields
    state: str  # PENDING, MET or FAILED
    text: str  # one short live line, e.g. "loss 0.083 → below 0.05 · 312 epochs left"


@dataclass(frozen=True)
class AnswerResult:
    """The outcome of a typed answer: ``ok`` None for unreadable input (no attempt counted)."""

    ok: bool | None
    message: str
    index: int | None = None


def parse_answer(text: str) -> float | None:
    """A typed number: accepts − or -, a decimal comma, spaces, a leading +, and 1e-3 forms."""
    cleaned = text.strip().replace("−", "-").replace("–", "-").replace(" ", "").replace(",", ".")
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if not cleaned or cleaned.lower() in ("nan", "inf", "-inf", "infinity", "-infinity"):
        return None
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def describe(goal: Goal, layers: tuple[int, ...]) -> str:
    """A plain description of a goal, for goals without a label."""
    if isinstance(goal, LossBelow):
        within = f" within {goal.within_epochs:,} epochs" if goal.within_epochs else ""
        return f"Loss below {goal.value:g}{within}"
    if isinstance(goal, AllCorrect):
        held = f", held for {goal.hold_epochs} epochs" if goal.hold_epochs > 1 else ""
        within = f" within {goal.within_epochs:,} epochs" if goal.within_epochs else ""
        return f"Every sample on the right side of {goal.threshold:g}{held}{within}"
    if isinstance(goal, NoLockedNeurons):
        return "No neuron locked"
    if isinstance(goal, FullPassStepped):
        return "Step through one forward and backward pass"
    if isinstance(goal, SelectConnection):
        if goal.edge is None:
            return f"Select the {goal.target} weight ({'largest' if goal.target == 'steepest' else 'smallest'} |∂L/∂w|)"
        return f"Select the connection {goal.target}"
    if isinstance(goal, TestLossBelow):
        within = f" within {goal.within_epochs:,} epochs" if goal.within_epochs else ""
        return f"Test loss below {goal.value:g}{within}"
    if isinstance(goal, TestLossRises):
        return f"The test loss turns up ({_pct(goal.margin)} above its lowest) while the training loss falls"
    if isinstance(goal, AccuracyAbove):
        within = f" within {goal.within_epochs:,} epochs" if goal.within_epochs else ""
        return f"{goal.set.capitalize()} accuracy at least {_pct(goal.value)}{within}"
    if isinstance(goal, TypedValue):
        what = goal.neuron or goal.connection or ""
        sample = "" if goal.sample is None else f", sample {goal.sample + 1}"  # rows numbered from 1 on screen
        return f"Type {QUANTITY_WORDS.get(goal.quantity, goal.quantity)} of {what}{sample}".replace(" of ,", ",")
    return f"Revive {goal.neuron}" if goal.neuron else "Revive a locked neuron"


def engine_value(trace: Trace, goal: TypedValue) -> float | None:
    """The engine's number for a typed_value goal in ``trace``; None if the trace lacks that sample."""
    q = goal.quantity
    if q == "new_weight":
        assert goal.edge is not None
        l, j, i = goal.edge
        return float(trace.weights_after[l][j, i])
    if goal.sample is None:
        if q == "grad_w":
            assert goal.edge is not None
            l, j, i = goal.edge
            return float(trace.mean_grad_w[l][j, i])
        assert goal.neuron_index is not None
        layer, j = goal.neuron_index
        return float(trace.mean_grad_b[layer - 1][j])
    if goal.sample not in trace.sample_indices:
        return None
    s = trace.sample_indices.index(goal.sample)
    if q == "loss":
        return float(trace.sample_loss[s])
    if q == "grad_w":
        assert goal.edge is not None
        l, j, i = goal.edge
        return float(trace.grad_w[l][s, j, i])
    assert goal.neuron_index is not None
    layer, j = goal.neuron_index
    if q == "a":
        return float(trace.a[layer][s, j])
    if q == "raw_error":
        return float(trace.raw_error[s, j])
    table = {"z": trace.z, "slope": trace.slope, "delta": trace.delta, "backprop_sum": trace.backprop_sum,
             "grad_b": trace.grad_b}[q]
    return float(table[layer - 1][s, j])


def edge_gradients(trace: Trace) -> list[tuple[tuple[int, int, int], float]]:
    """Every connection (l, j, i) with |mean ∂L/∂w| of the step, in reading order."""
    out = []
    for l, g in enumerate(trace.mean_grad_w):
        for j in range(g.shape[0]):
            for i in range(g.shape[1]):
                out.append(((l, j, i), abs(float(g[j, i]))))
    return out


def target_edges(trace: Trace, goal: SelectConnection) -> set[tuple[int, int, int]]:
    """The connection(s) that satisfy a select goal now (ties within 1e-12 relative all count)."""
    if goal.edge is not None:
        return {goal.edge}
    grads = edge_gradients(trace)
    if not grads:
        return set()
    pick = max if goal.target == "steepest" else min
    best = pick(v for _, v in grads)
    tol = 1e-12 * max(1.0, abs(best))
    return {e for e, v in grads if abs(v - best) <= tol}


def outputs_correct(trace: Trace, setup: Setup, threshold: float) -> tuple[int, int]:
    """(samples right, samples) for the weights of the displayed step, over the whole data set."""
    data = setup.dataset()
    if trace.n_samples == data.n_samples and tuple(trace.sample_indices) == tuple(range(data.n_samples)):
        out, y = np.asarray(trace.a[-1]), np.asarray(trace.y)
    else:  # online steps show one row: judge every row with the same weights
        net = Network(trace.layers, [np.array(w) for w in trace.weights], [np.array(b) for b in trace.biases],
                      trace.hidden_activation, trace.output_activation)
        out, y = net.predict(data.x), data.y
    with np.errstate(invalid="ignore"):
        right = np.all((out >= threshold) == (y >= threshold), axis=1) & np.all(np.isfinite(out), axis=1)
    return int(right.sum()), int(right.size)


#: typed answers: within the goal's tolerance, and never looser than this share of the answer's size
RELATIVE_TOLERANCE = 0.02


def answer_tolerance(tolerance: float, truth: float) -> float:
    """The tolerance for a typed answer: the level's, tightened to 2 % of the answer's size (so 0 is
    not accepted for a δ of 4.54e−5), but never below a millionth of it (rounding in the last digit)."""
    return max(min(tolerance, RELATIVE_TOLERANCE * abs(truth)), 1e-12)


def accuracy(snap: Snapshot, which: str) -> float | None:
    """The share of points classified right at the displayed step's weights, on the whole training or test
    set, as the trace holds it (the engine's count); None without such a set or a classification."""
    return snap.trace.test_accuracy if which == "test" else snap.trace.train_accuracy


@dataclass
class _Lowest:
    """The lowest test loss of a run so far, found by scanning only the epochs added since the last look."""

    history: LossHistory
    scanned: int = 0  # epochs looked at
    value: float = math.inf
    epoch: int = 0  # 1-based; 0 = none yet

    def update(self, upto: int) -> None:
        """Look at the epochs up to ``upto`` (the displayed step's: the chart may already run ahead)."""
        h = self.history
        n = min(len(h), upto)
        if n <= self.scanned:
            return
        offset = h.first_exact - 1  # epochs before the exact window are gone: they were looked at before
        seg = np.asarray(h.values[max(self.scanned, offset) - offset : n - offset], dtype=float)
        self.scanned = n
        if seg.size == 0 or np.all(np.isnan(seg)):
            return
        k = int(np.nanargmin(seg))
        if seg[k] < self.value:  # strictly lower: the first epoch of a tie stays the minimum
            self.value, self.epoch = float(seg[k]), n - seg.size + k + 1


def full_trace(snap: Snapshot) -> Trace:
    """The displayed weights judged on every sample (an online step shows only one)."""
    data = snap.setup.dataset()
    t = snap.trace
    if t.n_samples == data.n_samples and tuple(t.sample_indices) == tuple(range(data.n_samples)):
        return t
    net = Network(t.layers, [np.array(w) for w in t.weights], [np.array(b) for b in t.biases],
                  t.hidden_activation, t.output_activation)
    return compute_trace(net, data.x, data.y, get_loss(t.loss_name), t.learning_rate)


def listens(trace: Trace, neuron: tuple[int, int], threshold: float) -> bool:
    """The neuron passes real blame back on some sample: the factor multiplying its blame (its slope;
    1 for a sigmoid output under cross-entropy) is at least the lock threshold there, and a leaky
    ReLU's 0.01 below zero does not count — its z must be positive somewhere."""
    layer, j = neuron
    slope = trace.slope[layer - 1][:, j]  # an output under cross-entropy: revived = out of saturation
    act = trace.output_activation if layer == len(trace.layers) - 1 else trace.hidden_activation
    if act in ("relu", "leaky_relu"):
        return bool(np.any(trace.z[layer - 1][:, j] > 0))
    return bool(np.max(slope) >= threshold)


def _without_rate(setup: Setup) -> Setup:
    """A set-up without the lock threshold (a display setting): changing anything else before a Reset
    (η, the architecture, the loss …) is exploring, not a failed retry."""
    return replace(setup, lock_threshold=0.0)


def _locked_set(locks: tuple[tuple[bool, ...], ...]) -> set[tuple[int, int]]:
    return {(k + 1, j) for k, row in enumerate(locks) for j, v in enumerate(row) if v}


def _pct(share: float) -> str:
    """0.95 → "95 %", 0.975 → "97.5 %" (as the settings write the text size)."""
    return f"{share * 100:.3g} %"


class GoalTracker:
    """Live state of one play of a level (attempts, hints, answers, latched goals)."""

    def __init__(self, level: Level) -> None:
        self.level = level
        self.goals: tuple[Goal, ...] = level.goals
        n = len(self.goals)
        self.met = [False] * n
        self.failures = 0  # failed attempts
        self.hints_requested = 0
        self.revealed: list[int] = []  # hint indices shown, in the order they appeared
        self.answers: dict[int, str] = {}  # accepted typed answers, as typed
        self.won = False
        self.won_epoch: int | None = None
        self.statuses: tuple[GoalStatus, ...] = ()
        self.messages: list[str] = []  # one-line news for the scene to show (then cleared by it)
        # per run
        self._run: int | None = None
        self._run_epoch = 0
        self._run_missed = False
        self._run_setup: Setup | None = None
        self._correct_since: dict[int, int | None] = {}
        self._start: tuple[tuple[int, float], Trace] | None = None
        # across runs
        self._ever_locked: set[tuple[int, int]] = set()
        self._last_selection: object = None
        self._layers: tuple[int, ...] = level.setup.layers
        self._met_text: dict[int, str] = {}
        self._lowest: dict[int, _Lowest] = {}  # test_loss_rises: the test loss's minimum, per goal

    # -- the player's actions ----------------------------------------------------------------
    def request_hint(self) -> str | None:
        """Reveal the next hint in file order; None when every hint is already shown."""
        for k, hint in enumerate(self.level.hints):
            if k not in self.revealed:
                self.revealed.append(k)
                self.hints_requested += 1
                return hint.text
        return None

    def asked(self) -> frozenset[tuple[str, int, int]]:
        """(quantity, layer, neuron) of every typed answer still pending: what the views must hide."""
        out = set()
        for k, goal in enumerate(self.goals):
            if isinstance(goal, TypedValue) and not self.met[k] and goal.neuron_index is not None:
                out.add((goal.quantity, *goal.neuron_index))
        return frozenset(out)

    def pending_typed(self) -> int | None:
        """The typed_value goal the answer field is for: the first one not yet met."""
        for k, goal in enumerate(self.goals):
            if isinstance(goal, TypedValue) and not self.met[k]:
                return k
        return None

    def answer(self, text: str, snap: Snapshot) -> AnswerResult:
        """Check a typed number against the engine's value for the first pending typed goal.

        The question is about the level's starting weights (the first step of the run) or the step on
        screen; the answer counts for either, and the feedback names the step it was checked against.
        """
        k = self.pending_typed()
        if k is None:
            return AnswerResult(None, "There is nothing left to type in this level.")
        goal = self.goals[k]
        assert isinstance(goal, TypedValue)
        value = parse_answer(text)
        if value is None:
            shown = text.strip()[:24] or "an empty answer"
            return AnswerResult(None, f"'{shown}' is not a number: type digits such as 0.731 or −0.1008.", k)
        steps: list[tuple[float, str]] = []
        for t, where in self._reference_steps(snap):
            v = engine_value(t, goal)
            if v is not None:
                steps.append((v, where))
        for truth, where in steps:
            tol = answer_tolerance(goal.tolerance, truth)
            if abs(value - truth) <= tol:
                self.met[k] = True
                self.answers[k] = text.strip()
                self.observe(snap)
                return AnswerResult(True, f"Correct: {plain(truth)} {where} (within ±{plain(tol)}).", k)
        self._fail()
        if not steps:
            return AnswerResult(False, f"Not quite: {plain(value)}.", k)
        truth, where = steps[0]
        direction = " Too high." if value > truth else " Too low."
        return AnswerResult(False, f"Not quite: {plain(value)} is not within ±{plain(answer_tolerance(goal.tolerance, truth))} "
                                   f"of the value {where}.{direction}", k)

    def _reference_steps(self, snap: Snapshot) -> list[tuple[Trace, str]]:
        """(trace, which step in words): the run's first step first (what the briefing asks about)."""
        start = self._start_trace(snap)
        out = [(start, "at the starting weights (step 1)")]
        if snap.trace.step != start.step or snap.epoch:
            out.append((snap.trace, f"at step {snap.trace.step:,}, the step on screen"))
        return out

    def _start_trace(self, snap: Snapshot) -> Trace:
        """The first step of the current run (same set-up and learning rate), computed by the engine."""
        key = (snap.setup_version, snap.learning_rate)
        if self._start is None or self._start[0] != key:
            setup = replace(snap.setup, learning_rate=snap.learning_rate)
            self._start = (key, build_trainer(setup).peek())
        return self._start[1]

    def _fail(self) -> None:
        self.failures += 1
        for k, hint in enumerate(self.level.hints):
            if hint.after_failures is not None and hint.after_failures <= self.failures and k not in self.revealed:
                self.revealed.append(k)
                self.messages.append(f"Hint: {hint.text}")

    # -- watching the simulation -------------------------------------------------------------------
    def observe(self, snap: Snapshot) -> tuple[GoalStatus, ...]:
        """Update every goal from the displayed snapshot; returns (and keeps) their statuses."""
        self._layers = snap.setup.layers
        if snap.setup_version != self._run:
            same = self._run_setup is not None and _without_rate(self._run_setup) == _without_rate(snap.setup)
            if self._run is not None and self._run_epoch > 0 and not self._run_missed and not self.won and same:
                self._fail()  # a plain retry after training counts; changing the set-up is exploring
            self._run, self._run_epoch, self._run_missed = snap.setup_version, 0, False
            self._run_setup = snap.setup
            self._correct_since = {}
        self._run_epoch = snap.epoch
        self._ever_locked |= _locked_set(snap.trace.locked) | _locked_set(snap.locked)
        statuses = []
        for k, goal in enumerate(self.goals):
            latching = not isinstance(goal, NoLockedNeurons)
            if latching and self.met[k] and k in self._met_text:
                state, text = MET, self._met_text[k]  # achieved once: no further checks, no misses
            else:
                state, text = self._check(k, goal, snap)
                if state == MET and latching:
                    self.met[k] = True
                    self._met_text[k] = text
            statuses.append(GoalStatus(k, goal.label or describe(goal, snap.setup.layers), state, text))
        self._check_selection_attempt(snap)
        self.statuses = tuple(statuses)
        if not self.won and statuses and all(s.state == MET for s in statuses):
            self.won = True
            self.won_epoch = snap.epoch
        return self.statuses

    def _check_selection_attempt(self, snap: Snapshot) -> None:
        """Exploring is not failing: clicking connections to compare them costs nothing."""
        self._last_selection = snap.selection

    def _check(self, k: int, goal: Goal, snap: Snapshot) -> tuple[str, str]:
        if isinstance(goal, LossBelow):
            return self._loss_below(goal, snap)
        if isinstance(goal, AllCorrect):
            return self._all_correct(k, goal, snap)
        if isinstance(goal, NoLockedNeurons):
            locked = _locked_set(snap.locked) | (_locked_set(snap.trace.locked) if snap.epoch else set())
            if snap.epoch < goal.min_epochs:
                return PENDING, f"train at least {goal.min_epochs} epochs ({snap.epoch} so far)"
            if locked:
                return PENDING, f"{len(locked)} neuron{'s' if len(locked) != 1 else ''} locked"
            return MET, "no neuron is locked"
        if isinstance(goal, FullPassStepped):
            if snap.full_passes_stepped >= 1:
                return MET, "one whole pass stepped"
            return PENDING, f"now at {snap.phase}: press → to step one phase"
        if isinstance(goal, SelectConnection):
            return self._select(goal, snap)
        if isinstance(goal, TestLossBelow):
            return self._test_loss_below(goal, snap)
        if isinstance(goal, TestLossRises):
            return self._test_loss_rises(k, goal, snap)
        if isinstance(goal, AccuracyAbove):
            return self._accuracy_above(goal, snap)
        if isinstance(goal, TypedValue):
            if self.met[k]:
                return MET, f"you typed {self.answers.get(k, '')}".rstrip().replace("-", "−")
            active = self.pending_typed() == k
            return PENDING, "type it in the answer box" if active else "after the one above"
        assert isinstance(goal, NeuronRevived)
        return self._revived(goal, snap)

    def _loss_below(self, goal: LossBelow, snap: Snapshot) -> tuple[str, str]:
        loss = snap.loss
        # the last completed epoch's loss, named as such: the top bar may already show the next step's
        now = f"epoch {snap.epoch:,} loss {plain(loss)} → below {goal.value:g}" if loss is not None \
            else f"not trained yet → below {goal.value:g}"
        return self._by_epoch(loss is not None and loss < goal.value, snap, goal.within_epochs, now,
                              f"loss {plain(loss)} at epoch {snap.epoch:,}", f"not below {goal.value:g}")

    def _by_epoch(self, reached: bool, snap: Snapshot, limit: int | None, now: str, met: str,
                  missed: str) -> tuple[str, str]:
        """A target reached now (by epoch ``limit`` of the run, if given); a run past its limit fails once."""
        if reached and (limit is None or snap.epoch <= limit):
            return MET, met
        if limit is None:
            return PENDING, now
        if snap.epoch > limit or self._run_missed:
            if not self._run_missed:
                self._run_missed = True
                self._fail()
            return FAILED, f"missed: {missed} by epoch {limit:,} — press R to retry"
        return PENDING, f"{now} · {limit - snap.epoch:,} epochs left"

    def _test_loss_below(self, goal: TestLossBelow, snap: Snapshot) -> tuple[str, str]:
        if snap.setup.test_dataset() is None:
            return PENDING, "no test set"
        # the displayed step's epoch, as the loss goal's snap.loss is (the chart's curve may run ahead)
        test = None if snap.test_history is None else snap.test_history.at(snap.epoch)
        now = f"epoch {snap.epoch:,} test loss {plain(test)} → below {goal.value:g}" if test is not None \
            else f"not trained yet → below {goal.value:g}"
        return self._by_epoch(test is not None and test < goal.value, snap, goal.within_epochs, now,
                              f"test loss {plain(test)} at epoch {snap.epoch:,}", f"test loss not below {goal.value:g}")

    def _test_loss_rises(self, k: int, goal: TestLossRises, snap: Snapshot) -> tuple[str, str]:
        """Met when the test loss of the displayed epoch is at least (1 + margin) × the lowest test loss of the run
        so far, and the training loss of the last epoch is below the training loss of that lowest epoch."""
        hist = snap.test_history
        if snap.setup.test_dataset() is None:
            return PENDING, "no test set"
        if hist is None:
            return PENDING, "train, and watch the test loss"
        low = self._lowest.get(k)
        epoch = min(snap.epoch, len(hist))  # the displayed step's epoch (the chart's curve may run ahead)
        if low is None or low.history is not hist or epoch < low.scanned:
            low = self._lowest[k] = _Lowest(hist)  # a new run, or a step back: look again from the start
        low.update(epoch)
        now = hist.at(epoch)
        if now is None or low.epoch == 0:
            return PENDING, "train, and watch the test loss"
        target = (1.0 + goal.margin) * low.value
        lowest = f"lowest {plain(low.value)} at epoch {low.epoch:,}"
        if epoch == low.epoch or now < target:
            return PENDING, f"test loss {plain(now)}, {lowest} → up to {plain(target)}"
        train_now, train_then = snap.history.at(epoch), snap.history.at(low.epoch)
        if train_now is None or train_then is None or not train_now < train_then:
            return PENDING, f"test loss up, but training loss not below epoch {low.epoch:,}'s {plain(train_then)}"
        return MET, f"test loss {plain(now)} at epoch {epoch:,}, up from {plain(low.value)} at {low.epoch:,}"

    def _accuracy_above(self, goal: AccuracyAbove, snap: Snapshot) -> tuple[str, str]:
        share = accuracy(snap, goal.set)
        if share is None:
            return PENDING, f"no {goal.set} set to classify" if goal.set == "test" else "not a classification"
        what = "accuracy" if goal.set == "training" else "test accuracy"
        return self._by_epoch(snap.epoch >= 1 and share >= goal.value, snap, goal.within_epochs,
                              f"{what} {_pct(share)} → at least {_pct(goal.value)}",
                              f"{what} {_pct(share)} at epoch {snap.epoch:,}", f"{what} not {_pct(goal.value)}")

    def _all_correct(self, k: int, goal: AllCorrect, snap: Snapshot) -> tuple[str, str]:
        limit = goal.within_epochs
        if limit is not None and (self._run_missed or snap.epoch > limit):
            if not self._run_missed:
                self._run_missed = True
                self._fail()
            return FAILED, f"missed: not held by epoch {limit:,} — press R to retry"
        right, n = outputs_correct(snap.trace, snap.setup, goal.threshold)
        if right < n:
            self._correct_since[k] = None
            return PENDING, f"{right} of {n} samples right"
        since = self._correct_since.get(k)
        if since is None:
            since = self._correct_since[k] = snap.epoch
        held = snap.epoch - since
        if held >= goal.hold_epochs or (goal.hold_epochs <= 1 and snap.epoch >= 1):
            return MET, f"all {n} right, held {max(held, 1)} epochs"
        return PENDING, f"all {n} right · held {held} of {goal.hold_epochs} epochs"

    def _select(self, goal: SelectConnection, snap: Snapshot) -> tuple[str, str]:
        sel = snap.selection
        layers = snap.setup.layers
        if sel is not None and sel.kind == "edge" and (sel.layer, sel.j, sel.i) in target_edges(snap.trace, goal):
            return MET, f"{display_connection(layers, sel.layer, sel.j, sel.i)} selected"
        if sel is None or sel.kind != "edge":
            return PENDING, "click a connection"
        grad = abs(float(snap.trace.mean_grad_w[sel.layer][sel.j, sel.i]))
        return PENDING, f"{display_connection(layers, sel.layer, sel.j, sel.i)}: |mean ∂L/∂w| = {plain(grad)} — not it"

    def _revived(self, goal: NeuronRevived, snap: Snapshot) -> tuple[str, str]:
        layers = snap.setup.layers
        if goal.neuron_index is not None:
            wanted = {goal.neuron_index} & self._ever_locked
            name = goal.neuron or ""
        else:
            wanted = set(self._ever_locked)
            name = "a locked neuron"
        wanted = {n for n in wanted if n[0] < len(layers) and n[1] < layers[n[0]]}
        if not wanted:
            return PENDING, f"{name} is not locked yet" if goal.neuron else "no neuron has been locked"
        if snap.epoch >= 1:
            trace = full_trace(snap)
            alive = {n for n in wanted if listens(trace, n, snap.lock_threshold)}
            if alive and goal.activations is not None and snap.setup.hidden_activation not in goal.activations:
                return PENDING, (f"{name} listens as {snap.setup.hidden_activation}, but this level asks for "
                                 f"{' or '.join(goal.activations)}")
            if alive:
                return MET, f"{name} is listening again"
        return PENDING, f"{name} still passes (almost) no blame back"

    # -- the result ---------------------------------------------------------------------------------
    def stars(self) -> int:
        """Stars (1–3) for the win, from the level's thresholds."""
        epochs = self.won_epoch or 0
        return self.level.stars.award(epochs, self.hints_requested, self.failures)
