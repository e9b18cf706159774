"""The fast path (``Trainer.train``) and the traced path (``Trainer.step``) are the same arithmetic.

Turbo mode must not drift from what the student watched: parameters, per-epoch losses and lock
events agree to the bit, for batch and online training, with and without a seeded shuffle.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glassbox_game.engine import Setup, Trainer, build_trainer

from ._strategies import Case, cases

ARCHS = [(2, 2, 1), (2, 3, 1), (2, 4, 4, 2), (3, 2, 3, 2, 1), (1, 1)]
EPOCHS = 25


def stepped(tr: Trainer, epochs: int) -> list[float]:
    """Train ``epochs`` whole epochs one traced step at a time; the loss of each epoch."""
    losses = []
    while tr.epoch < epochs and tr.halt is None:
        before = tr.epoch
        tr.step()
        if tr.epoch != before:
            assert tr.last_loss is not None
            losses.append(tr.last_loss)
    return losses


def assert_same_run(a: Trainer, b: Trainer) -> None:
    assert a.network.parameters() == b.network.parameters()
    assert a.events == b.events
    assert a.locked == b.locked
    assert (a.epoch, a.steps, a.cursor, a.last_loss) == (b.epoch, b.steps, b.cursor, b.last_loss)
    assert a.order == b.order
    assert a.halt == b.halt


def setup_for(layers: tuple[int, ...], **kw: object) -> Setup:
    n_in, n_out = layers[0], layers[-1]
    inputs = tuple(tuple(((s * 7 + i * 3) % 5) / 4 - 0.5 for i in range(n_in)) for s in range(5))
    targets = tuple(tuple(float((s + k) % 2) for k in range(n_out)) for s in range(5))
    return Setup(layers=layers, problem=None, inputs=inputs, targets=targets, seed=11, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("layers", ARCHS)
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize(("mode", "shuffle"), [("batch", False), ("online", False), ("online", True)])
def test_train_equals_stepping_to_the_bit(
    layers: tuple[int, ...], loss: str, mode: str, shuffle: bool
) -> None:
    s = setup_for(layers, loss=loss, mode=mode, shuffle=shuffle, hidden_activation="tanh", learning_rate=0.9)
    a, b = build_trainer(s), build_trainer(s)
    losses = stepped(a, EPOCHS)
    result = b.train(EPOCHS)
    assert result.losses == losses and len(losses) == EPOCHS
    assert result.events == b.events
    assert_same_run(a, b)


@pytest.mark.parametrize("hidden", ["sigmoid", "relu", "leaky_relu", "linear"])
def test_train_equals_stepping_for_each_hidden_activation(hidden: str) -> None:
    s = Setup(hidden_activation=hidden, layers=(2, 4, 1), learning_rate=2.0, seed=4, init_radius=3.0)
    a, b = build_trainer(s), build_trainer(s)
    assert b.train(60).losses == stepped(a, 60)
    assert_same_run(a, b)


def test_shuffle_changes_the_order_and_the_seed_fixes_it() -> None:
    s = setup_for((2, 3, 1), mode="online", shuffle=True)
    orders = []
    for _ in range(2):
        tr = build_trainer(s)
        orders.append([tr.step().sample_indices[0] for _ in range(15)])
    assert orders[0] == orders[1]
    assert orders[0][:5] != [0, 1, 2, 3, 4] or orders[0][5:10] != [0, 1, 2, 3, 4]
    # each epoch visits every sample once
    assert all(sorted(orders[0][k : k + 5]) == [0, 1, 2, 3, 4] for k in (0, 5, 10))


def test_unshuffled_online_visits_samples_in_data_set_order() -> None:
    tr = build_trainer(setup_for((2, 2, 1), mode="online"))
    assert [tr.step().sample_indices for _ in range(7)] == [(0,), (1,), (2,), (3,), (4,), (0,), (1,)]


def test_train_after_a_partial_online_epoch_finishes_it_first() -> None:
    s = setup_for((2, 3, 1), mode="online", shuffle=True)
    a, b = build_trainer(s), build_trainer(s)
    for _ in range(3):
        a.step()
        b.step()
    result = a.train(4)
    assert result.epochs == 4 and len(result.losses) == 4
    assert result.losses == stepped(b, 4)
    assert_same_run(a, b)


def test_interleaving_steps_and_train_equals_all_steps() -> None:
    s = Setup(learning_rate=3.0, seed=2, init_radius=4.0)
    a, b = build_trainer(s), build_trainer(s)
    for n in (1, 5, 2, 30):
        a.train(n)
        for _ in range(2):
            a.step()
    stepped(b, a.epoch)
    assert_same_run(a, b)


@settings(max_examples=30, deadline=None)
@given(cases(scale=3.0), st.sampled_from(["batch", "online"]), st.floats(0.01, 5.0))
def test_random_networks_agree_to_the_bit(c: Case, mode: str, lr: float) -> None:
    a, b = c.trainer(mode=mode, learning_rate=lr), c.trainer(mode=mode, learning_rate=lr)
    losses = stepped(a, 6)
    assert b.train(6).losses == losses
    assert_same_run(a, b)


def test_peek_at_an_epoch_start_shows_the_sample_the_shuffle_will_run_first() -> None:
    from glassbox_game.engine import Setup, build_trainer

    tr = build_trainer(Setup(mode="online", shuffle=True, seed=3))
    for _ in range(12):  # three epochs of four samples
        preview = tr.peek()
        ran = tr.step()
        assert preview.sample_indices == ran.sample_indices
        assert preview.params == ran.params and preview.loss == ran.loss
