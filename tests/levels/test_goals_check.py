"""Goal checkers against the real Simulation: live status, latching, attempts and the engine's numbers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from glassbox_game.engine.setup import Setup
from glassbox_game.levels import (
    AllCorrect,
    FullPassStepped,
    Hint,
    Level,
    LossBelow,
    NeuronRevived,
    NoLockedNeurons,
    SelectConnection,
    Stars,
    TypedValue,
    shipped_levels,
)
from glassbox_game.levels.goals_check import (
    FAILED,
    MET,
    PENDING,
    GoalTracker,
    answer_tolerance,
    engine_value,
    outputs_correct,
    parse_answer,
    target_edges,
)
from glassbox_game.sim import commands as c
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import Simulation
from tests.levels.helpers import run

LEVELS = {lv.id: lv for lv in shipped_levels()}
AND_SETUP = Setup(layers=(2, 1), problem="and", learning_rate=2.0, seed=1)


def level(goals, setup=AND_SETUP, hints=(), stars=None) -> Level:
    return Level(setup, id="t", title="t", goals=tuple(goals), hints=tuple(hints), stars=stars or Stars())




def train_watching(sim: Simulation, tracker: GoalTracker, epochs: int, chunk: int = 1):
    """Train ``epochs`` epochs, observing after every ``chunk`` (as frames do at speed)."""
    snap = sim.snapshot()
    tracker.observe(snap)
    target = snap.epoch
    while target < snap.epoch + epochs:
        target += chunk
        s = run(sim, c.RunToEpoch(target))
        tracker.observe(s)
    return sim.snapshot()


def test_parse_answer_accepts_what_people_type():
    assert parse_answer("0.731") == pytest.approx(0.731)
    assert parse_answer(" −0,1008 ") == pytest.approx(-0.1008)
    assert parse_answer("+1e-3") == pytest.approx(0.001)
    for bad in ("", "abc", "nan", "inf", "1/2", "0.5.5", "--1"):
        assert parse_answer(bad) is None


def test_loss_below_within_epochs_meets_and_misses():
    goal = LossBelow(0.05, within_epochs=1000)
    sim = Simulation(AND_SETUP)
    tr = GoalTracker(level([goal]))
    st = tr.observe(sim.snapshot())[0]
    assert st.state == PENDING and "1,000 epochs left" in st.text and "not trained yet → below 0.05" in st.text
    train_watching(sim, tr, 600, chunk=50)
    assert tr.statuses[0].state == MET and tr.won and tr.failures == 0
    # a tiny learning rate cannot make it in time: the run fails once, and R retries count nothing more
    slow = Simulation(replace(AND_SETUP, learning_rate=0.01))
    tr2 = GoalTracker(level([goal]))
    train_watching(slow, tr2, 1100, chunk=100)
    assert tr2.statuses[0].state == FAILED and "press R" in tr2.statuses[0].text
    assert tr2.failures == 1 and not tr2.won
    tr2.observe(run(slow, c.Reset()))
    assert tr2.failures == 1 and tr2.statuses[0].state == PENDING


def test_loss_below_text_counts_down():
    sim = Simulation(AND_SETUP)
    tr = GoalTracker(level([LossBelow(0.0001, within_epochs=500)]))
    snap = run(sim, c.RunToEpoch(188))
    text = tr.observe(snap)[0].text
    assert text.startswith("epoch 188 loss ") and "312 epochs left" in text


def test_all_correct_must_hold_for_k_epochs():
    sim = Simulation(AND_SETUP)
    tr = GoalTracker(level([AllCorrect(0.5, hold_epochs=10)]))
    first_right = None
    for e in range(1, 400):
        snap = run(sim, c.RunToEpoch(e))
        st = tr.observe(snap)[0]
        right, n = outputs_correct(snap.trace, snap.setup, 0.5)
        if right < n:
            first_right = None  # the streak starts again
        elif first_right is None:
            first_right = e
        if st.state == MET:
            break
    assert first_right is not None
    assert snap.epoch == first_right + 10, "met exactly when the current streak is 10 epochs long"
    # the engine's outputs agree: every output on its target's side
    out, y = snap.trace.a[-1], snap.trace.y
    assert all((o >= 0.5) == (t >= 0.5) for o, t in zip(out[:, 0], y[:, 0], strict=True))


def test_all_correct_online_mode_judges_every_row():
    setup = replace(AND_SETUP, mode="online")
    sim = Simulation(setup)
    snap = run(sim, c.RunToEpoch(400), ticks=3)
    assert snap.trace.n_samples == 1
    right, n = outputs_correct(snap.trace, snap.setup, 0.5)
    assert (right, n) == (4, 4)


def test_doing_nothing_meets_nothing():
    for lv in LEVELS.values():
        sim = Simulation(lv.setup)
        tr = GoalTracker(lv)
        for _ in range(120):
            sim.update(1 / 120)
            tr.observe(sim.snapshot())
        assert not tr.won, lv.id
        assert not any(s.state == MET for s in tr.statuses), lv.id


def test_full_pass_stepped_needs_four_phases():
    sim = Simulation(AND_SETUP)
    tr = GoalTracker(level([FullPassStepped()]))
    for _ in range(3):
        st = tr.observe(run(sim, c.StepPhase()))[0]
        assert st.state == PENDING and "press →" in st.text
    assert tr.observe(run(sim, c.StepPhase()))[0].state == MET
    # an epoch stepped at once is not a pass stepped phase by phase
    sim2 = Simulation(AND_SETUP)
    tr2 = GoalTracker(level([FullPassStepped()]))
    assert tr2.observe(run(sim2, c.StepEpoch(), c.StepEpoch()))[0].state == PENDING


def test_select_steepest_is_computed_from_the_trace():
    lv = LEVELS["follow-the-gradient"]
    sim = Simulation(lv.setup)
    tr = GoalTracker(lv)
    snap = sim.snapshot()
    grads = [(abs(float(g[j, i])), (l, j, i)) for l, g in enumerate(snap.trace.mean_grad_w)
             for j in range(g.shape[0]) for i in range(g.shape[1])]
    steep = max(grads)[1]
    flat = min(grads)[1]
    assert target_edges(snap.trace, lv.goals[0]) == {steep}
    assert target_edges(snap.trace, lv.goals[1]) == {flat}
    wrong = next(e for _, e in grads if e not in (steep, flat))
    st = tr.observe(run(sim, c.Select(Selection.edge(*wrong))))
    assert st[0].state == PENDING and "not it" in st[0].text and tr.failures == 0  # exploring is not failing
    tr.observe(run(sim, c.Select(Selection.edge(*steep))))
    assert tr.statuses[0].state == MET and tr.failures == 0
    tr.observe(run(sim, c.Select(Selection.edge(*flat))))
    assert [s.state for s in tr.statuses] == [MET, MET] and tr.won


def test_select_explicit_edge_and_neuron_selection_is_no_attempt():
    tr = GoalTracker(level([SelectConnection("x1->y", (0, 0, 0))]))
    sim = Simulation(AND_SETUP)
    tr.observe(run(sim, c.Select(Selection.neuron(1, 0))))
    assert tr.failures == 0 and tr.statuses[0].state == PENDING
    tr.observe(run(sim, c.Select(Selection.edge(0, 0, 0))))
    assert tr.won


@pytest.mark.parametrize("lid", ["forward-pass", "raw-error-times-slope", "hidden-neurons-listen",
                                 "vanishing-gradient", "backprop-by-hand"])
def test_typed_values_use_the_engines_numbers(lid):
    lv = LEVELS[lid]
    sim = Simulation(lv.setup)
    tr = GoalTracker(lv)
    snap = sim.snapshot()
    tr.observe(snap)
    for k, goal in enumerate(lv.goals):
        if not isinstance(goal, TypedValue):
            continue
        truth = engine_value(snap.trace, goal)
        assert truth is not None
        assert tr.pending_typed() == k
        tol = answer_tolerance(goal.tolerance, truth)
        off = tol * 3 + 1e-3 * abs(truth)
        res = tr.answer(f"{truth + off:.8f}", snap)
        assert res.ok is False and res.index == k and "Too high" in res.message
        res = tr.answer("twelve", snap)
        assert res.ok is None and "not a number" in res.message
        res = tr.answer(f"{truth + tol * 0.5:.12g}".replace("-", "−"), snap)
        assert res.ok is True, (goal, truth)
        assert tr.statuses[k].state == MET


def test_typed_value_matches_trace_fields_by_hand():
    lv = LEVELS["backprop-by-hand"]
    tr = lv.goals
    trace = Simulation(lv.setup).snapshot().trace
    # the classic worked example (Mazur): δ(y1) = 0.138498562, ∂L/∂w5 = 0.082167041, w5⁺ = 0.35891648
    assert engine_value(trace, tr[0]) == pytest.approx(0.1384985, abs=1e-6)
    assert engine_value(trace, tr[1]) == pytest.approx(0.0821670, abs=1e-6)
    assert engine_value(trace, tr[2]) == pytest.approx(0.3589165, abs=1e-6)
    assert engine_value(trace, tr[5]) == pytest.approx(0.000438568, abs=1e-8)


def test_typed_answer_about_the_start_still_counts_after_stepping():
    lv = LEVELS["forward-pass"]
    sim = Simulation(lv.setup)
    tr = GoalTracker(lv)
    start = sim.snapshot()
    truth = engine_value(start.trace, lv.goals[1])
    snap = run(sim, *(c.StepPhase() for _ in range(5)))  # a whole pass, then the next step's forward
    assert snap.full_passes_stepped == 1
    moved = engine_value(snap.trace, lv.goals[1])
    assert moved != truth
    assert tr.answer(f"{truth:.6f}", snap).ok is True


def test_wrong_answers_reveal_hints_after_failures():
    lv = LEVELS["forward-pass"]
    sim = Simulation(lv.setup)
    tr = GoalTracker(lv)
    snap = sim.snapshot()
    tr.observe(snap)
    tr.answer("5", snap)
    assert tr.revealed == [] and tr.failures == 1
    tr.answer("5", snap)
    assert tr.revealed == [0] and tr.messages and tr.messages[-1].startswith("Hint: For h2")
    assert tr.hints_requested == 0
    assert tr.request_hint() == lv.hints[1].text and tr.hints_requested == 1
    assert tr.request_hint() is None


def test_no_locked_neurons_is_a_state_not_a_memory():
    setup = LEVELS["vanishing-gradient"].setup
    sim = Simulation(setup)
    tr = GoalTracker(level([NoLockedNeurons(min_epochs=1)], setup=setup))
    st = tr.observe(sim.snapshot())[0]
    assert st.state == PENDING and "at least 1" in st.text
    st = tr.observe(run(sim, c.RunToEpoch(3)))[0]
    assert st.state == PENDING and "1 neuron locked" in st.text
    healthy = Simulation(AND_SETUP)
    tr2 = GoalTracker(level([NoLockedNeurons(1)]))
    assert tr2.observe(run(healthy, c.RunToEpoch(5)))[0].state == MET


def test_neuron_revived_after_switching_to_cross_entropy():
    lv = LEVELS["cross-entropy-magic"]
    sim = Simulation(lv.setup)
    tr = GoalTracker(lv)
    tr.observe(sim.snapshot())
    tr.observe(run(sim, c.RunToEpoch(30)))
    assert tr.statuses[0].state == PENDING, "MSE keeps the output saturated"
    tr.observe(run(sim, c.ChangeSetup((("loss", "cross_entropy"),))))
    assert tr.failures == 0, "doing what the briefing asks is not a failed attempt"
    train_watching(sim, tr, 400, chunk=5)
    assert tr.statuses[0].state == MET and tr.statuses[1].state == MET and tr.won
    assert tr.messages == []  # no hint popped


def test_neuron_revived_needs_a_lock_first():
    tr = GoalTracker(level([NeuronRevived("y", (1, 0))]))
    sim = Simulation(AND_SETUP)
    st = tr.observe(run(sim, c.RunToEpoch(20)))[0]
    assert st.state == PENDING and "not locked yet" in st.text


def test_stars_from_attempts_and_hints():
    lv = level([FullPassStepped()], hints=[Hint("a"), Hint("b")], stars=Stars(hints=(0, 1), attempts=(0, 2)))
    sim = Simulation(AND_SETUP)
    tr = GoalTracker(lv)
    tr.request_hint()
    tr.observe(run(sim, *(c.StepPhase() for _ in range(4))))
    assert tr.won and tr.stars() == 2
    tr2 = GoalTracker(lv)
    tr2.observe(run(Simulation(AND_SETUP), *(c.StepPhase() for _ in range(4))))
    assert tr2.stars() == 3
