"""The TensorFlow-Playground experiments in levels/playground/: each premise, checked against the engine.

These files are not (yet) in the campaign: they load, validate and play (``glassbox play FILE``);
what each briefing claims is what the engine does.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from glassbox_game.engine import Setup, Trainer, build_trainer
from glassbox_game.levels import load_level
from glassbox_game.levels.validate import validate_main

FOLDER = Path(__file__).resolve().parents[2] / "levels" / "playground"


def setup(name: str) -> Setup:
    return load_level(FOLDER / f"{name}.toml").setup


def train(s: Setup, epochs: int) -> tuple[Trainer, np.ndarray, np.ndarray]:
    tr = build_trainer(s)
    result = tr.train(epochs)
    assert result.halt is None and result.epochs == epochs
    return tr, np.array(result.losses), np.array(result.test_losses)


def accuracy(tr: Trainer) -> float:
    return float(np.mean((tr.network.predict(tr.data.x) >= 0.5) == (tr.data.y >= 0.5)))


def test_every_playground_file_validates(capsys: pytest.CaptureFixture[str]) -> None:
    paths = sorted(str(p) for p in FOLDER.glob("*.toml"))
    assert len(paths) >= 5
    assert validate_main(paths) == 0
    assert capsys.readouterr().err == ""
    ids = [load_level(p).id for p in paths]
    assert len(set(ids)) == len(ids)


def test_overfitting_the_test_loss_turns_up_while_the_training_loss_falls() -> None:
    s = setup("overfitting")
    assert s.test_fraction == 0.5 and s.points == 40
    _, train_loss, test_loss = train(s, 3000)
    best = int(test_loss.argmin())
    assert 50 < best < 2000  # the test loss falls first …
    assert test_loss[-1] > 2.5 * test_loss[best]  # … then climbs far above its best
    assert train_loss[-1] < 0.01 < train_loss[best]  # while the training loss keeps falling
    assert np.all(np.diff(train_loss[best:]) < 1e-9)


def test_regularisation_tames_the_overfitting() -> None:
    plain = replace(setup("regularisation"), regularization="none", regularization_rate=0.0)
    assert plain == setup("overfitting")  # the same experiment, but for the penalty
    _, train_plain, test_plain = train(setup("overfitting"), 3000)
    _, train_l2, test_l2 = train(setup("regularisation"), 3000)
    assert test_l2[-1] < 0.3 * test_plain[-1]  # a fraction of the unpenalised test loss
    assert test_l2[-1] < 1.02 * test_l2.min()  # and it no longer turns up
    assert train_l2[-1] > 10 * train_plain[-1]  # the training loss no longer reaches zero
    assert train_l2[-1] < 0.3  # the goal is reachable
    assert (test_l2[-1] - train_l2[-1]) < 0.3 * (test_plain[-1] - train_plain[-1])


def test_features_instead_of_depth_circle_without_a_hidden_layer() -> None:
    s = setup("features")
    assert s.layers == (4, 1) and s.features == ("x1", "x2", "x1^2", "x2^2")
    tr, losses, _ = train(s, 500)
    assert accuracy(tr) == 1.0 and losses[-1] < 0.1
    raw = replace(s, layers=(2, 1), features=None)
    tr_raw, losses_raw, _ = train(raw, 500)
    assert accuracy(tr_raw) < 0.7 and losses_raw[-1] > 0.6  # one straight line in (x1, x2): hopeless


def test_the_spiral_needs_depth() -> None:
    s = setup("spiral")
    assert len(s.layers) == 5
    deep, deep_losses, _ = train(s, 3000)
    shallow, _, _ = train(replace(s, layers=(2, 3, 1)), 3000)
    assert accuracy(deep) > 0.98 and deep_losses[-1] < 0.05
    assert accuracy(shallow) < 0.75


def test_mini_batches_descend_faster_per_epoch_and_jitter() -> None:
    s = setup("minibatch")
    assert s.batch_size == 5
    tr, mini, _ = train(s, 100)
    assert tr.steps == 100 * 40
    _, full, _ = train(replace(s, batch_size=None), 100)
    assert np.sum(np.diff(full) > 0) == 0  # full batch: smoothly downhill
    assert np.sum(np.diff(mini) > 0) >= 20  # five points a step: the epoch loss goes up again and again
    assert mini[9] < 0.5 * full[9]  # but it gets down much faster per epoch
    assert mini[-1] < 0.1
