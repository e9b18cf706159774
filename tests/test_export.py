"""``glassbox trace``: the JSON and CSV carry exactly the engine's numbers."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from glassbox_game.engine.setup import build_trainer
from glassbox_game.engine.trace import compute_trace
from glassbox_game.export import CSV_FILES, trace_main
from glassbox_game.levels import load_level

ROOT = Path(__file__).resolve().parents[1]
AND = ROOT / "levels" / "02-and-converges.toml"
HOT = ROOT / "levels" / "11-too-hot.toml"
BY_HAND = ROOT / "levels" / "13-backprop-by-hand.toml"


def run_json(capsys: pytest.CaptureFixture[str], path: Path | str, epochs: int) -> tuple[int, dict, str]:
    code = trace_main(str(path), epochs, None)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else {}), err


def test_json_equals_the_engine_trace(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, err = run_json(capsys, BY_HAND, 3)
    assert code == 0 and err == ""
    assert doc["format"] == "glassbox-trace/1"
    assert doc["layers"] == [2, 2, 2] and doc["loss"] == "mse" and doc["mode"] == "batch"
    assert doc["learning_rate"] == 0.5 and doc["hidden_activation"] == "sigmoid"
    trainer = build_trainer(load_level(BY_HAND).setup)
    assert len(doc["steps"]) == 3
    for step in doc["steps"]:
        t = trainer.step()
        assert step["epoch"] == t.epoch and step["loss"] == t.loss
        assert step["weights"] == [w.tolist() for w in t.weights]
        assert step["biases"] == [b.tolist() for b in t.biases]
        assert step["grad_w"] == [g.tolist() for g in t.mean_grad_w]
        assert step["grad_b"] == [g.tolist() for g in t.mean_grad_b]
        assert step["locked"] == [list(r) for r in t.locked]
        s = step["samples"][0]
        assert s["input"] == t.x[0].tolist() and s["target"] == t.y[0].tolist()
        assert s["loss"] == float(t.sample_loss[0])
        assert s["z"] == [z[0].tolist() for z in t.z] and s["a"] == [a[0].tolist() for a in t.a]
        assert s["slope"] == [v[0].tolist() for v in t.slope]
        assert s["delta"] == [d[0].tolist() for d in t.delta]
        assert s["grad_w"] == [g[0].tolist() for g in t.grad_w]
        assert s["grad_b"] == [g[0].tolist() for g in t.grad_b]
        assert s["raw_error"] == t.raw_error[0].tolist()
        assert s["backprop_sum"][0] == t.backprop_sum[0][0].tolist() and s["backprop_sum"][1] == [None, None]
    net = trainer.network
    whole = compute_trace(net, trainer.data.x, trainer.data.y, trainer.loss, trainer.learning_rate)
    assert doc["final"]["loss"] == whole.loss
    assert doc["final"]["weights"] == [w.tolist() for w in net.weights]
    assert doc["final"]["epochs"] == 3 and doc["halt"] is None


def test_final_loss_is_the_next_steps_loss(capsys: pytest.CaptureFixture[str]) -> None:
    _, two, _ = run_json(capsys, AND, 2)
    _, three, _ = run_json(capsys, AND, 3)
    assert two["final"]["loss"] == three["steps"][2]["loss"]


def test_epochs_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, _ = run_json(capsys, AND, 0)
    assert code == 0 and doc["steps"] == [] and doc["final"]["epochs"] == 0
    assert doc["final"]["loss"] == build_trainer(load_level(AND).setup).peek().loss


def test_online_mode_has_one_step_per_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = AND.read_text().replace('mode = "batch"', 'mode = "online"')
    path = tmp_path / "online.toml"
    path.write_text(text)
    code, doc, _ = run_json(capsys, path, 2)
    assert code == 0 and len(doc["steps"]) == 8
    assert [s["epoch"] for s in doc["steps"]] == [1, 1, 1, 1, 2, 2, 2, 2]
    assert [s["samples"][0]["sample_index"] for s in doc["steps"][:4]] == [0, 1, 2, 3]


def test_a_halt_is_a_result(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, err = run_json(capsys, HOT, 500)
    assert code == 0
    halt = doc["halt"]
    assert halt is not None and "learning rate" in halt["message"]
    assert len(doc["steps"]) == halt["epoch"]  # the halting step is the last one listed
    assert doc["final"]["epochs"] == halt["epoch"] - 1
    assert err.strip() == f"{HOT}: {halt['message']}"


def test_non_finite_numbers_become_null(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "blowup.toml"
    path.write_text(HOT.read_text().replace("learning_rate = 1.0", "learning_rate = 1000.0"))
    code, doc, _ = run_json(capsys, path, 50)  # json.loads above would fail on NaN/Infinity tokens
    assert code == 0 and doc["halt"] is not None


def test_bad_file_exit_2_and_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    bad = ROOT / "tests" / "levels" / "broken" / "misspelt-key.toml"
    code = trace_main(str(bad), 1, None)
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == f"{bad}: network.learnin_rate: unknown key; did you mean 'learning_rate'?\n"
    assert trace_main("no/such/file.toml", 1, None) == 2
    assert capsys.readouterr().err == "no/such/file.toml: no such file\n"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_csv_tables_carry_the_same_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "csv"
    assert trace_main(str(BY_HAND), 2, str(out_dir)) == 0
    capsys.readouterr()
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(CSV_FILES)
    trainer = build_trainer(load_level(BY_HAND).setup)
    t1 = trainer.step()
    steps = read_csv(out_dir / "steps.csv")
    assert len(steps) == 2 and float(steps[0]["loss"]) == t1.loss
    samples = read_csv(out_dir / "samples.csv")
    y1 = next(r for r in samples if r["step"] == "1" and r["name"] == "y1")
    assert float(y1["delta"]) == t1.delta[1][0][0] and float(y1["z"]) == t1.z[1][0][0]
    assert float(y1["raw_error"]) == t1.raw_error[0][0] and float(y1["target"]) == 0.01
    h1 = next(r for r in samples if r["step"] == "1" and r["name"] == "h1")
    assert float(h1["backprop_sum"]) == t1.backprop_sum[0][0][0] and h1["raw_error"] == ""
    assert len(samples) == 2 * (2 + 2 + 2)  # steps × neurons (inputs included)
    weights = read_csv(out_dir / "weights.csv")
    w = next(r for r in weights if r["step"] == "1" and r["from_name"] == "h1" and r["to_name"] == "y1")
    assert float(w["value"]) == t1.weights[1][0][0] and float(w["grad"]) == t1.mean_grad_w[1][0][0]
    assert float(w["value_after"]) == t1.weights_after[1][0][0]
    grads = read_csv(out_dir / "sample_grads.csv")
    g = next(r for r in grads if r["step"] == "1" and r["from_name"] == "x1" and r["to_name"] == "h1")
    assert float(g["grad"]) == t1.grad_w[0][0][0][0]
    trainer.step()
    final = read_csv(out_dir / "final.csv")
    loss_row = next(r for r in final if r["kind"] == "loss")
    net = trainer.network
    whole = compute_trace(net, trainer.data.x, trainer.data.y, trainer.loss, trainer.learning_rate)
    assert float(loss_row["value"]) == whole.loss
    assert len(final) == 12 + 1


def test_csv_events_record_the_halt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert trace_main(str(HOT), 500, str(tmp_path)) == 0
    capsys.readouterr()
    events = read_csv(tmp_path / "events.csv")
    assert events[-1]["kind"] == "halt" and "learning rate" in events[-1]["message"]
    for row in read_csv(tmp_path / "weights.csv"):
        for key in ("value", "grad", "value_after"):
            assert row[key] == "" or math.isfinite(float(row[key]))
