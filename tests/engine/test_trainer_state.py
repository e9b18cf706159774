"""TrainerState carries the test loss: undo and the turbo worker give bit-identical test curves."""

from __future__ import annotations

from dataclasses import replace

import pytest

from glassbox_game.engine import Setup, build_trainer
from glassbox_game.sim import commands as c
from glassbox_game.sim.simulation import Simulation

# 40 noisy XOR-cloud points, half held out; mini-batches of 5 (4 steps an epoch) or full batch
HELD_OUT = Setup(layers=(2, 6, 1), hidden_activation="tanh", loss="cross_entropy", learning_rate=0.1,
                 init="xavier", seed=1, problem=None, generator="xor", points=40, noise=0.35,
                 test_fraction=0.5, data_seed=0, shuffle=True)


@pytest.mark.parametrize("batch_size", [5, None], ids=["minibatch", "full"])
def test_a_restored_state_brings_back_the_test_loss(batch_size: int | None) -> None:
    setup = replace(HELD_OUT, batch_size=batch_size)
    a = build_trainer(setup)
    a.train(3)
    a.step()  # mid-epoch for mini-batches: the epoch under way began at weights whose test loss it keeps
    saved = a.state()
    assert saved.last_test_loss == a.last_test_loss is not None
    a_more = a.train(4)
    # another trainer (the worker keeps one per setup) that has been elsewhere first
    b = build_trainer(setup)
    b.train(9)
    b.step()
    b.restore(saved)
    assert b.last_test_loss == saved.last_test_loss
    b_more = b.train(4)
    assert b_more.test_losses == a_more.test_losses  # bit-identical, the epoch under way included
    assert b_more.losses == a_more.losses
    assert b.last_test_loss == a.last_test_loss


def _press(sim: Simulation, *commands: c.Command, times: int = 1) -> None:
    for _ in range(times):
        for cmd in commands:
            sim.submit(cmd)
        sim.update(0.0)


def test_undo_into_an_earlier_epoch_keeps_the_test_curve_bit_identical() -> None:
    """Mid-epoch 1, three epochs on, back to mid-epoch 1, on again: the test history never stepping back has."""
    setup = replace(HELD_OUT, batch_size=5)  # 4 steps an epoch
    a, b = Simulation(setup), Simulation(setup)
    for sim in (a, b):
        _press(sim, c.StepPhase(), times=9)  # two steps of epoch 1 applied, the third under way
        _press(sim, c.StepEpoch())  # … and finished
        assert (sim.trainer.epoch, sim.trainer.cursor) == (0, 15)
    _press(b, c.StepEpoch(), times=3)
    _press(b, c.StepBack(), times=3)
    assert (b.trainer.epoch, b.trainer.cursor, len(b.test_history)) == (0, 15, 0)
    _press(a, c.StepEpoch(), times=3)
    _press(b, c.StepEpoch(), times=3)
    assert a.trainer.epoch == b.trainer.epoch == 3
    assert b.test_history.values.tolist() == a.test_history.values.tolist()
    assert b.trainer.last_test_loss == a.trainer.last_test_loss
