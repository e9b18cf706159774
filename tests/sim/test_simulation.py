"""The simulation: phases, stepping, undo, reset, speed, halts, and the turbo worker."""

from __future__ import annotations

import time

import numpy as np
import pytest

from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.sim import commands as c
from glassbox_game.sim.clock import FixedStepClock
from glassbox_game.sim.packets import BACKWARD, FORWARD
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import PHASES, SPEEDS, Simulation

DT = 1 / 120


def run(sim: Simulation, *cmds: c.Command, steps: int = 1) -> None:
    for cmd in cmds:
        sim.submit(cmd)
    for _ in range(steps):
        sim.update(DT)


def test_clock_clamps_long_frames_and_caps_steps() -> None:
    clock = FixedStepClock(dt=0.01, max_frame=0.25, max_steps=8)
    assert clock.advance(0.035) == 3 and clock.accumulator == pytest.approx(0.005)
    assert clock.advance(10.0) == 8  # a stall never turns into a spiral of catch-up work
    assert clock.accumulator == 0.0


def test_step_phase_walks_forward_loss_backward_update_and_applies_once() -> None:
    sim = Simulation(Setup())
    before = sim.trainer.network.parameters()
    assert sim.snapshot().shown_phase == "ready"  # the next step waits, whole, for the first press
    seen = []
    for _ in range(4):
        run(sim, c.StepPhase())
        seen.append(sim.snapshot().shown_phase)
    assert seen == list(PHASES)
    snap = sim.snapshot()
    assert snap.phase == "update" and snap.epoch == 1
    assert sim.trainer.network.parameters() != before
    expected = build_trainer(Setup())
    expected.step()
    assert sim.trainer.network.parameters() == expected.network.parameters()  # the same numbers as the engine
    run(sim, c.StepPhase())  # the next press begins the next step's forward phase
    snap = sim.snapshot()
    assert snap.shown_phase == "forward" and snap.trace.epoch == 2


def test_the_update_is_applied_when_the_update_phase_begins() -> None:
    sim = Simulation(Setup())
    run(sim, c.StepPhase(), c.StepPhase(), c.StepPhase())  # forward, loss, backward
    assert not sim.snapshot().applied
    run(sim, c.StepPhase())  # → update
    snap = sim.snapshot()
    assert snap.phase == "update" and snap.applied
    assert sim.trainer.network.parameters() == list(snap.trace.params_after)


def test_each_phase_reveals_only_itself_and_what_came_before() -> None:
    sim = Simulation(Setup())
    assert all(sim.snapshot().reveals(p) for p in PHASES)  # ready: the whole step is shown
    for k in range(4):
        run(sim, c.StepPhase())
        snap = sim.snapshot()
        assert [snap.reveals(p) for p in PHASES] == [j <= k for j in range(4)]


def test_a_stepped_phase_plays_its_packets_briefly_then_holds() -> None:
    sim = Simulation(Setup())
    run(sim, c.StepPhase())  # forward
    assert len(sim.snapshot().packets) > 0 and sim.snapshot().packets.kind[0] == FORWARD
    run(sim, steps=int(1.0 / DT))
    assert len(sim.snapshot().packets) == 0 and sim.snapshot().phase_progress == 1.0
    sim.phase_seconds = 0.0  # reduced motion: the phase simply appears
    run(sim, c.StepPhase(), c.StepPhase())  # loss, backward
    assert sim.snapshot().phase == "backward" and len(sim.snapshot().packets) == 0


def test_step_back_restores_the_exact_weights() -> None:
    sim = Simulation(Setup())
    run(sim, c.StepEpoch(), c.StepEpoch())
    after_one = None
    sim2 = Simulation(Setup())
    run(sim2, c.StepEpoch())
    after_one = sim2.trainer.network.parameters()
    run(sim, c.StepBack())
    assert sim.trainer.epoch == 1 and len(sim.history) == 1
    assert sim.trainer.network.parameters() == after_one


def test_selection_survives_training_speed_changes_and_reset() -> None:
    sim = Simulation(Setup())
    sel = Selection.edge(1, 0, 0)
    run(sim, c.Select(sel), c.SetSpeed(len(SPEEDS) - 1), c.Play(), steps=100)
    assert sim.snapshot().selection == sel and sim.trainer.epoch > 100
    run(sim, c.Reset(), c.SetSpeed(2))
    snap = sim.snapshot()
    assert snap.selection == sel and snap.epoch == 0
    assert snap.ghost is not None and len(snap.ghost) > 100  # the old run stays as the ghost


def test_tab_cycles_through_every_edge_and_neuron() -> None:
    sim = Simulation(Setup(layers=(2, 2, 1)))
    seen = set()
    for _ in range(9):
        run(sim, c.CycleSelection(+1))
        seen.add(sim.snapshot().selection)
    assert len(seen) == 9  # 6 weights + 3 biases


def test_changing_the_loss_keeps_explicit_weights_and_changing_layers_reinitialises() -> None:
    w = (((3.0, 3.0), (-3.0, -3.0)), ((4.0, 4.0),))
    b = ((-1.0, 5.0), (-6.0,))
    sim = Simulation(Setup(weights=w, biases=b))
    run(sim, c.ChangeSetup((("loss", "cross_entropy"),)))
    assert sim.trainer.network.parameters()[:2] == [3.0, 3.0] and sim.trainer.loss.name == "cross_entropy"
    run(sim, c.ChangeSetup((("layers", (2, 4, 1)), ("weights", None), ("biases", None))))
    assert sim.trainer.network.layers == (2, 4, 1)


def test_too_high_a_learning_rate_halts_with_a_message_and_stops_playing() -> None:
    sim = Simulation(Setup(output_activation="linear", hidden_activation="linear", learning_rate=50.0))
    run(sim, c.SetSpeed(len(SPEEDS) - 1), c.Play(), steps=20)
    snap = sim.snapshot()
    assert not snap.playing
    assert snap.halt_message is not None and "learning rate" in snap.halt_message
    assert all(np.isfinite(sim.trainer.network.parameters()))


def test_packets_travel_forward_then_back() -> None:
    sim = Simulation(Setup())
    run(sim, c.Play(), steps=3)
    a = sim.snapshot().packets
    run(sim, steps=3)
    b = sim.snapshot().packets
    assert sim.snapshot().phase == "forward"
    assert (a.kind == FORWARD).all() and (b.t > a.t).all()  # source → target
    while sim.snapshot().phase != "backward":
        run(sim)
    run(sim, steps=2)
    c1 = sim.snapshot().packets
    run(sim, steps=3)
    c2 = sim.snapshot().packets
    assert (c1.kind == BACKWARD).all() and (c2.t < c1.t).all()  # target → source


def test_run_to_epoch_stops_there() -> None:
    sim = Simulation(Setup())
    run(sim, c.RunToEpoch(1234), steps=3)
    assert sim.trainer.epoch == 1234 and len(sim.history) == 1234
    assert not sim.snapshot().playing


def test_turbo_worker_trains_the_same_numbers_on_the_second_core() -> None:
    sim = Simulation(Setup(), use_worker=True)
    run(sim, c.SetSpeed(len(SPEEDS) - 1), c.Play())
    deadline = time.monotonic() + 60
    while (sim.worker is None or not sim.worker.ready or sim.trainer.epoch < 20_000) and time.monotonic() < deadline:
        run(sim)
    assert sim.worker is not None and sim.worker.ready
    run(sim, c.Pause())  # pausing collects the worker's last job
    epochs = sim.trainer.epoch
    assert epochs >= 20_000 and len(sim.history) == epochs
    reference = build_trainer(Setup())
    reference.train(epochs)
    assert sim.trainer.network.parameters() == reference.network.parameters()
    assert float(sim.history.values[-1]) == pytest.approx(reference.last_loss, rel=1e-6)
    sim.close()


def _state(sim: Simulation) -> tuple:
    t = sim.trainer
    return (t.network.parameters(), t.epoch, t.steps, t.cursor, list(t.order), t.locked, len(t.events),
            t.last_loss, sim.history.values.tolist(), sim.snapshot().trace.params)


@pytest.mark.parametrize("mode", ["online", "batch"])
@pytest.mark.parametrize("phase_first", [False, True])
def test_undo_restores_the_whole_trainer_state(mode: str, phase_first: bool) -> None:
    """epoch, epoch, ←, epoch gives bit-identical numbers to epoch, epoch (shuffle order, generator too)."""
    setup = Setup(mode=mode, shuffle=True, seed=4) if mode == "online" else Setup(seed=4)
    a, b = Simulation(setup), Simulation(setup)
    lead = (c.StepPhase(),) if phase_first else ()
    run(a, *lead, c.StepEpoch(), c.StepEpoch())
    run(b, *lead, c.StepEpoch(), c.StepEpoch(), c.StepBack(), c.StepEpoch())
    assert _state(a) == _state(b)
    run(a, c.StepEpoch(), c.StepEpoch())
    run(b, c.StepEpoch(), c.StepEpoch())
    assert _state(a) == _state(b)  # and training on stays identical (the generator was restored)
