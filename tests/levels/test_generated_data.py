"""Level files with generated data, features, mini-batches and regularisation: loaded, written, exported."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from glassbox_game.cli import main
from glassbox_game.engine import build_trainer
from glassbox_game.engine.gradcheck import mean_loss
from glassbox_game.levels import level_to_toml, loads_level

ISSUE_EXAMPLE = """
[network]
layers = [7, 4, 1]
features = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
hidden_activation = "tanh"
loss = "cross_entropy"
learning_rate = 0.1

[data]
generator = "circle"
points = 200
noise = 0.1
test_fraction = 0.5
seed = 3

[training]
batch_size = 10
regularization = "l2"
regularization_rate = 0.001
"""


def test_the_issue_example_loads_into_a_setup() -> None:
    s = loads_level(ISSUE_EXAMPLE).setup
    assert (s.generator, s.points, s.noise, s.test_fraction, s.data_seed) == ("circle", 200, 0.1, 0.5, 3)
    assert s.features == ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
    assert (s.batch_size, s.regularization, s.regularization_rate) == (10, "l2", 0.001)
    tr = build_trainer(s)
    assert tr.data.x.shape == (100, 7) and tr.test_data is not None and tr.test_data.x.shape == (100, 7)
    assert tr.steps_per_epoch == 10


def test_writing_and_reading_back_keeps_every_new_key() -> None:
    level = loads_level(ISSUE_EXAMPLE)
    again = loads_level(level_to_toml(level))
    assert again == level


def test_defaults_without_the_optional_keys() -> None:
    s = loads_level('[network]\nlayers = [2, 3, 1]\n[data]\ngenerator = "spiral"\n').setup
    assert (s.points, s.noise, s.test_fraction, s.data_seed, s.features) == (200, 0.0, 0.0, 0, None)
    assert (s.batch_size, s.regularization) == (None, "none")
    assert build_trainer(s).test_data is None


def test_a_goal_can_name_any_training_sample() -> None:
    text = ISSUE_EXAMPLE + '[level]\nid = "g"\ntitle = "G"\n[[goals]]\ntype = "typed_value"\nquantity = "loss"\nsample = 99\n'
    assert loads_level(text).goals
    with pytest.raises(Exception, match="sample"):
        loads_level(text.replace("sample = 99", "sample = 100"))


def test_trace_exports_the_generated_data_test_loss_and_penalty(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "circle.toml"
    path.write_text(ISSUE_EXAMPLE.replace("points = 200", "points = 40"), encoding="utf-8")
    assert main(["trace", str(path), "--epochs", "1"]) == 0
    doc = json.loads(capsys.readouterr().out)
    s = loads_level(path.read_text()).setup
    tr = build_trainer(s)
    assert doc["inputs"] == tr.data.x.tolist() and doc["targets"] == tr.data.y.tolist()
    assert tr.test_data is not None
    assert doc["test_inputs"] == tr.test_data.x.tolist() and doc["test_targets"] == tr.test_data.y.tolist()
    assert len(doc["steps"]) == 2  # 20 training points in batches of 10
    first = doc["steps"][0]
    assert first["sample_indices"] == list(range(10))
    # recompute from the export alone: the data loss, the penalty, the test loss and the applied gradient
    w = np.concatenate([np.ravel(m) for m in first["weights"]])
    assert first["penalty"] == pytest.approx(0.001 * 0.5 * float(w @ w), rel=1e-12)
    assert first["loss"] == pytest.approx(np.mean([smp["loss"] for smp in first["samples"]]), rel=1e-12)
    assert first["test_loss"] == pytest.approx(mean_loss(tr.network, tr.test_data.x, tr.test_data.y, tr.loss),
                                               rel=1e-12)
    for l, (gw, weights) in enumerate(zip(first["grad_w"], first["weights"], strict=True)):
        per_sample = np.mean([smp["grad_w"][l] for smp in first["samples"]], axis=0)
        assert np.allclose(gw, per_sample + 0.001 * np.array(weights), rtol=1e-12, atol=1e-15)
        after = np.array(weights) - 0.1 * np.array(gw)
        assert np.allclose(first["weights_after"][l], after, rtol=1e-12, atol=1e-15)


def test_trace_csv_has_penalty_and_test_loss_columns(tmp_path: Path) -> None:
    path = tmp_path / "circle.toml"
    path.write_text(ISSUE_EXAMPLE.replace("points = 200", "points = 40"), encoding="utf-8")
    assert main(["trace", str(path), "--epochs", "1", "--csv", str(tmp_path / "out")]) == 0
    head, first = (tmp_path / "out" / "steps.csv").read_text().splitlines()[:2]
    assert head.endswith("penalty,test_loss")
    assert float(first.split(",")[-2]) > 0 and float(first.split(",")[-1]) > 0
