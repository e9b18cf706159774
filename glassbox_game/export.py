"""``glassbox trace FILE --epochs N [--csv DIR]``: the engine's traces of a run, as JSON or CSV.

Every number is copied from the engine's :class:`Trace` of each step — nothing is recomputed —
so the export shows exactly what the game shows. Non-finite floats become JSON ``null`` (and empty
CSV cells). The format is documented in ``docs/trace-format.md``.
"""

from __future__ import annotations

import csv
import json
import math
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from glassbox_game.engine.locks import LockEvent
from glassbox_game.engine.names import neuron_key
from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.engine.trace import Trace, compute_trace
from glassbox_game.engine.trainer import Halt, Trainer
from glassbox_game.levels import LevelError, load_level

FORMAT = "glassbox-trace/1"


def clean(value: Any) -> Any:
    """Nested numbers/arrays as JSON-safe lists: NaN and ±inf become None."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value


def header(setup: Setup, trainer: Trainer) -> dict[str, Any]:
    head = {
        "format": FORMAT,
        "layers": list(setup.layers),
        "hidden_activation": setup.hidden_activation,
        "output_activation": setup.output_activation,
        "loss": setup.loss,
        "learning_rate": setup.learning_rate,
        "mode": setup.mode,
        "shuffle": setup.shuffle,
        "lock_threshold": setup.lock_threshold,
        "samples": trainer.data.n_samples,
        "inputs": clean(trainer.data.x),
        "targets": clean(trainer.data.y),
    }
    if setup.features is not None:
        head["features"] = list(setup.features)
    if setup.generator is not None:
        head["data"] = {"generator": setup.generator, "points": setup.points, "noise": setup.noise,
                        "test_fraction": setup.test_fraction, "seed": setup.data_seed}
    if trainer.test_data is not None:
        head["test_inputs"] = clean(trainer.test_data.x)
        head["test_targets"] = clean(trainer.test_data.y)
    if setup.batch_size is not None:
        head["batch_size"] = trainer.batch_size
    if setup.regularization != "none":
        head["regularization"] = setup.regularization
        head["regularization_rate"] = setup.regularization_rate
    return head


def step_record(t: Trace) -> dict[str, Any]:
    """One step's trace as the JSON object of ``steps``."""
    n_layers = len(t.layers) - 1
    samples = []
    for s in range(t.n_samples):
        samples.append({
            "sample_index": t.sample_indices[s],
            "input": clean(t.x[s]),
            "target": clean(t.y[s]),
            "loss": clean(float(t.sample_loss[s])),
            "z": [clean(t.z[m][s]) for m in range(n_layers)],
            "a": [clean(t.a[m][s]) for m in range(n_layers + 1)],
            "slope": [clean(t.slope[m][s]) for m in range(n_layers)],
            "raw_error": clean(t.raw_error[s]),
            "backprop_sum": [clean(t.backprop_sum[m][s]) for m in range(n_layers)],
            "delta": [clean(t.delta[m][s]) for m in range(n_layers)],
            "grad_w": [clean(t.grad_w[l][s]) for l in range(n_layers)],
            "grad_b": [clean(t.grad_b[l][s]) for l in range(n_layers)],
        })
    record: dict[str, Any] = {
        "epoch": t.epoch,
        "step": t.step,
        "sample_indices": list(t.sample_indices),
        "weights": [clean(w) for w in t.weights],
        "biases": [clean(b) for b in t.biases],
        "loss": clean(t.loss),
        "slope_cancelled": t.slope_cancelled,
        "samples": samples,
        "grad_w": [clean(g) for g in t.mean_grad_w],
        "grad_b": [clean(g) for g in t.mean_grad_b],
        "locked": [list(row) for row in t.locked],
        "weights_after": [clean(w) for w in t.weights_after],
        "biases_after": [clean(b) for b in t.biases_after],
    }
    if t.regularization != "none":
        record["penalty"] = clean(t.penalty)
        record["data_grad_w"] = [clean(g) for g in t.data_grad_w]
        record["penalty_grad_w"] = [clean(g) for g in t.penalty_grad_w]
    if t.test_loss is not None:
        record["test_loss"] = clean(t.test_loss)
    if t.accuracy is not None:
        record["accuracy"] = clean(t.accuracy)
    if t.test_accuracy is not None:
        record["test_accuracy"] = clean(t.test_accuracy)
    if t.train_accuracy is not None:
        record["train_accuracy"] = clean(t.train_accuracy)
    return record


def run_steps(trainer: Trainer, epochs: int) -> Iterator[Trace]:
    """The traces of ``epochs`` epochs (one step each in batch mode, one per sample online).

    Stops early after the step that made the trainer halt; that step is yielded too.
    """
    per_epoch = trainer.steps_per_epoch
    for _ in range(epochs * per_epoch):
        trace = trainer.step()
        yield trace
        if trainer.halt is not None:
            return


def final_record(trainer: Trainer) -> dict[str, Any]:
    """The weights after the last applied update and the whole data set's loss at them."""
    net = trainer.network
    test = None if trainer.test_data is None else (trainer.test_data.x, trainer.test_data.y)
    whole = compute_trace(net, trainer.data.x, trainer.data.y, trainer.loss, trainer.learning_rate, test=test,
                          classification=trainer.classification)
    out = {
        "epochs": trainer.epoch,
        "steps": trainer.steps,
        "weights": [clean(w) for w in net.weights],
        "biases": [clean(b) for b in net.biases],
        "loss": clean(whole.loss),
        "locked": [list(row) for row in trainer.locked],
    }
    for key in ("test_loss", "accuracy", "test_accuracy"):
        value = getattr(whole, key)
        if value is not None:
            out[key] = clean(value)
    return out


def halt_record(halt: Halt | None) -> dict[str, Any] | None:
    if halt is None:
        return None
    return {"epoch": halt.epoch, "quantity": halt.quantity, "value": clean(halt.value),
            "message": halt.message}


def event_record(ev: LockEvent, layers: tuple[int, ...]) -> dict[str, Any]:
    return {"epoch": ev.epoch, "layer": ev.layer, "neuron": ev.neuron,
            "name": neuron_key(layers, ev.layer, ev.neuron), "locked": ev.locked, "reason": ev.reason}


def write_json(setup: Setup, epochs: int, out: TextIO) -> Halt | None:
    """Stream the trace JSON of ``epochs`` epochs to ``out``; returns the halt, if training halted."""
    trainer = build_trainer(setup)
    head = json.dumps(header(setup, trainer), allow_nan=False)
    out.write(head[:-1] + ', "steps": [')
    for k, trace in enumerate(run_steps(trainer, epochs)):
        out.write((",\n" if k else "\n") + json.dumps(step_record(trace), allow_nan=False))
    tail = {
        "final": final_record(trainer),
        "lock_events": [event_record(e, setup.layers) for e in trainer.events],
        "halt": halt_record(trainer.halt),
    }
    out.write("],\n" + json.dumps(tail, allow_nan=False)[1:] + "\n")
    return trainer.halt


# -- CSV: the same numbers as flat tables a spreadsheet opens ---------------------------------------
CSV_FILES = ("steps.csv", "samples.csv", "weights.csv", "sample_grads.csv", "final.csv", "events.csv")
_COLUMNS = {
    "steps.csv": ("step", "epoch", "samples", "loss", "slope_cancelled", "locked", "penalty", "test_loss"),
    "samples.csv": ("step", "epoch", "sample", "layer", "neuron", "name", "z", "a", "slope", "raw_error",
                    "backprop_sum", "delta", "grad_b", "target", "sample_loss", "locked"),
    "weights.csv": ("step", "epoch", "kind", "layer", "from", "to", "from_name", "to_name", "value", "grad",
                    "value_after"),
    "sample_grads.csv": ("step", "epoch", "sample", "kind", "layer", "from", "to", "from_name", "to_name",
                         "grad"),
    "final.csv": ("kind", "layer", "from", "to", "from_name", "to_name", "value"),
    "events.csv": ("epoch", "kind", "layer", "neuron", "name", "reason", "message"),
}


def cell(value: float) -> float | str:
    """A float for a CSV cell: written exactly (repr), or empty when not finite."""
    v = float(value)
    return v if math.isfinite(v) else ""


def _params(layers: tuple[int, ...]) -> Iterator[tuple[str, int, int | str, int, str, str]]:
    """(kind, l, from, to, from_name, to_name) of every weight then bias, layer by layer."""
    for l in range(len(layers) - 1):
        for j in range(layers[l + 1]):
            for i in range(layers[l]):
                yield "weight", l, i, j, neuron_key(layers, l, i), neuron_key(layers, l + 1, j)
        for j in range(layers[l + 1]):
            yield "bias", l, "", j, "", neuron_key(layers, l + 1, j)


def _pick(ws: Any, bs: Any, kind: str, l: int, i: int | str, j: int) -> float:
    return float(ws[l][j][i]) if kind == "weight" else float(bs[l][j])


def _trace_rows(t: Trace, w: dict[str, Any]) -> None:
    layers = t.layers
    last = len(layers) - 1
    locked_names = [neuron_key(layers, m + 1, j)
                    for m, row in enumerate(t.locked) for j, on in enumerate(row) if on]
    w["steps.csv"].writerow([t.step, t.epoch, " ".join(map(str, t.sample_indices)), cell(t.loss),
                             t.slope_cancelled, " ".join(locked_names), cell(t.penalty),
                             "" if t.test_loss is None else cell(t.test_loss)])
    head = [t.step, t.epoch]
    for s, sample in enumerate(t.sample_indices):
        loss = cell(t.sample_loss[s])
        for j in range(layers[0]):
            w["samples.csv"].writerow([*head, sample, 0, j, neuron_key(layers, 0, j), "", cell(t.a[0][s][j]),
                                       "", "", "", "", "", "", loss, ""])
        for m in range(1, last + 1):
            for j in range(layers[m]):
                out = m == last
                w["samples.csv"].writerow([
                    *head, sample, m, j, neuron_key(layers, m, j),
                    cell(t.z[m - 1][s][j]), cell(t.a[m][s][j]),
                    cell(t.slope[m - 1][s][j]), cell(t.raw_error[s][j]) if out else "",
                    "" if out else cell(t.backprop_sum[m - 1][s][j]), cell(t.delta[m - 1][s][j]),
                    cell(t.grad_b[m - 1][s][j]), cell(t.y[s][j]) if out else "", loss, t.locked[m - 1][j]])
        for kind, l, i, j, a, b in _params(layers):
            grad = float(t.grad_w[l][s][j][i]) if kind == "weight" else float(t.grad_b[l][s][j])
            w["sample_grads.csv"].writerow([*head, sample, kind, l, i, j, a, b, cell(grad)])
    for kind, l, i, j, a, b in _params(layers):
        w["weights.csv"].writerow([*head, kind, l, i, j, a, b,
                                   cell(_pick(t.weights, t.biases, kind, l, i, j)),
                                   cell(_pick(t.mean_grad_w, t.mean_grad_b, kind, l, i, j)),
                                   cell(_pick(t.weights_after, t.biases_after, kind, l, i, j))])


def write_csv(setup: Setup, epochs: int, folder: Path) -> tuple[Halt | None, list[str]]:
    """Write the CSV tables for ``epochs`` epochs into ``folder``; returns the halt and the file names."""
    folder.mkdir(parents=True, exist_ok=True)
    trainer = build_trainer(setup)
    layers = setup.layers
    handles = {name: (folder / name).open("w", newline="", encoding="utf-8") for name in CSV_FILES}
    try:
        w = {name: csv.writer(fh) for name, fh in handles.items()}
        for name, cols in _COLUMNS.items():
            w[name].writerow(cols)
        for trace in run_steps(trainer, epochs):
            _trace_rows(trace, w)
        net = trainer.network
        for kind, l, i, j, a, b in _params(layers):
            value = cell(_pick(net.weights, net.biases, kind, l, i, j))
            w["final.csv"].writerow([kind, l, i, j, a, b, value])
        final_loss = final_record(trainer)["loss"]
        w["final.csv"].writerow(["loss", "", "", "", "", "", "" if final_loss is None else final_loss])
        for ev in trainer.events:
            w["events.csv"].writerow([ev.epoch, "lock" if ev.locked else "unlock", ev.layer, ev.neuron,
                                      neuron_key(layers, ev.layer, ev.neuron), ev.reason, ""])
        if trainer.halt is not None:
            h = trainer.halt
            w["events.csv"].writerow([h.epoch, "halt", "", "", h.quantity, "", h.message])
    finally:
        for fh in handles.values():
            fh.close()
    return trainer.halt, list(CSV_FILES)


def trace_main(path: str, epochs: int, csv_dir: str | None) -> int:
    """The ``trace`` command: 0 on success (a halt is a result, reported on stderr), 2 on bad input."""
    try:
        level = load_level(path)
    except LevelError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    if csv_dir is not None:
        try:
            halt, names = write_csv(level.setup, epochs, Path(csv_dir))
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            print(f"{csv_dir}: cannot write the CSV files ({why})", file=sys.stderr)
            return 2
        print(f"wrote {', '.join(names)} to {csv_dir}")
    else:
        try:
            halt = write_json(level.setup, epochs, sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            # the reader (e.g. `head`) stopped early: not an error worth a traceback
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 1
    if halt is not None:
        print(f"{path}: {halt.message}", file=sys.stderr)
    return 0
