"""Level premises as the player meets them: the goal tracker against the real simulation.

(The engine-side premise of every level is in test_shipped_levels.py::test_premise.)
"""

from __future__ import annotations

import numpy as np

from glassbox_game.levels import shipped_levels
from glassbox_game.levels.goals_check import FAILED, MET, GoalTracker
from glassbox_game.sim import commands as c
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import Simulation
from tests.levels.helpers import run

LEVELS = {lv.id: lv for lv in shipped_levels()}




def test_level_1_answer_from_the_starting_weights_counts_after_stepping_and_names_the_step():
    lv = LEVELS["forward-pass"]
    sim = Simulation(lv.setup)
    tr = GoalTracker(lv)
    snap = tr.observe(sim.snapshot()) and sim.snapshot()
    for _ in range(8):  # a whole pass and then some: the weights on screen have moved
        snap = run(sim, c.StepPhase())
    tr.observe(snap)
    res = tr.answer("0.7311", snap)  # σ(1), a(h₂) for (1, 1) at the starting weights
    assert res.ok is True and "0.7311" in res.message and "starting weights" in res.message


def test_level_8_does_not_accept_0_for_a_tiny_delta():
    lv = LEVELS["vanishing-gradient"]
    sim = Simulation(lv.setup)
    tr = GoalTracker(lv)
    snap = sim.snapshot()
    tr.observe(snap)
    assert tr.answer("1", snap).ok is True  # raw error ≈ 0.99995
    assert tr.answer("0", snap).ok is False
    assert tr.answer("0.0001", snap).ok is False
    assert tr.answer("4.54e-5", snap).ok is True


def test_level_4_clicking_connections_is_exploring():
    lv = LEVELS["follow-the-gradient"]
    sim = Simulation(lv.setup)
    tr = GoalTracker(lv)
    tr.observe(sim.snapshot())
    for l, j, i in [(0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 0, 1)]:
        tr.observe(run(sim, c.Select(Selection.edge(l, j, i))))
    assert tr.failures == 0 and tr.messages == []


def test_level_7_changing_the_architecture_as_the_briefing_asks_is_not_a_failure():
    lv = LEVELS["xor-needs-hidden"]
    sim = Simulation(lv.setup)
    tr = GoalTracker(lv)
    tr.observe(run(sim, c.RunToEpoch(200)))
    tr.observe(run(sim, c.ChangeSetup((("layers", (2, 2, 1)),))))
    assert tr.failures == 0 and tr.messages == []
    tr.observe(run(sim, c.RunToEpoch(50)))
    tr.observe(run(sim, c.Reset()))  # a plain retry of the same set-up is an attempt
    assert tr.failures == 1


def test_level_9_cannot_be_won_with_mse_even_at_top_speed():
    lv = LEVELS["cross-entropy-magic"]
    sim = Simulation(lv.setup)
    tr = GoalTracker(lv)
    tr.observe(sim.snapshot())
    for target in range(1000, 20001, 1000):  # MSE gets all four right only at epoch ~16,000
        tr.observe(run(sim, c.RunToEpoch(target)))
    assert not tr.won and tr.statuses[1].state == FAILED


def test_level_10_revive_goal_waits_for_z_of_h2_to_turn_positive():
    lv = LEVELS["dying-relu"]
    sim = Simulation(lv.setup)
    tr = GoalTracker(lv)
    tr.observe(sim.snapshot())
    tr.observe(run(sim, c.RunToEpoch(3)))
    tr.observe(run(sim, c.ChangeSetup((("hidden_activation", "leaky_relu"),))))
    met_at = None
    for epoch in range(1, 300):
        snap = run(sim, c.RunToEpoch(epoch))
        st = tr.observe(snap)
        positive = bool(np.any(snap.trace.z[0][:, 1] > 0))
        if st[0].state == MET and met_at is None:
            met_at = epoch
            assert positive, f"revived at epoch {epoch} while z(h₂) < 0 on every sample"
        if met_at is None:
            assert not positive or st[0].state == MET
    assert met_at is not None and met_at > 50


def test_level_10_tanh_does_not_win_the_stars_go_to_the_leaky_relu_idea():
    lv = LEVELS["dying-relu"]
    sim = Simulation(lv.setup)
    tr = GoalTracker(lv)
    tr.observe(sim.snapshot())
    tr.observe(run(sim, c.ChangeSetup((("hidden_activation", "tanh"),))))
    for target in range(50, 601, 50):  # tanh learns XOR by epoch ~30, but it is not the fix taught
        tr.observe(run(sim, c.RunToEpoch(target)))
    assert not tr.won and "asks for relu or leaky_relu" in tr.statuses[0].text
    tr.observe(run(sim, c.ChangeSetup((("hidden_activation", "leaky_relu"), ("learning_rate", 2.0)))))
    for target in range(10, 301, 10):
        tr.observe(run(sim, c.RunToEpoch(target)))
        if tr.won:
            break
    assert tr.won and tr.stars() == 3
