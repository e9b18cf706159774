"""Reading ``[[goals]]`` entries into the typed goal dataclasses, checked against the network."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from glassbox_game.engine import datasets
from glassbox_game.engine.activations import ACTIVATIONS
from glassbox_game.engine.names import parse_connection, parse_neuron
from glassbox_game.levels import fields as f
from glassbox_game.levels.fields import FieldError
from glassbox_game.levels.model import (
    AccuracyAbove,
    AllCorrect,
    FullPassStepped,
    Goal,
    LossBelow,
    NeuronRevived,
    NoLockedNeurons,
    SelectConnection,
    TestLossBelow,
    TestLossRises,
    TypedValue,
)
from glassbox_game.levels.schema import (
    ACCURACY_SETS,
    COMPUTED_TARGETS,
    CONNECTION_QUANTITIES,
    DEFAULT_RISE_MARGIN,
    GOAL_COMMON_KEYS,
    GOAL_KEYS,
    GOAL_TYPES,
    MAX_EPOCHS,
    MAX_LABEL,
    MAX_RISE_MARGIN,
    NEURON_QUANTITIES,
    QUANTITIES,
)


@dataclass(frozen=True)
class DataFacts:
    """What the goals about generated data need to know of the level's data: is there a test set, and
    is it a classification (targets 1 and 0, so an accuracy means something)?"""

    has_test_set: bool = False
    classification: bool = False


NO_TEST_SET = "needs a test set: give data.generator and data.test_fraction above 0"


def read_goal(raw: Any, path: str, layers: tuple[int, ...], n_samples: int,
              data: DataFacts | None = None) -> Goal:
    facts = data or DataFacts()
    t = f.table(raw, path)
    if "type" not in t:
        raise FieldError(f"{path}.type", f"missing; choose one of {', '.join(GOAL_TYPES)}")
    kind = f.choice(t["type"], f"{path}.type", GOAL_TYPES)
    f.check_keys(t, GOAL_COMMON_KEYS + GOAL_KEYS[kind], path)
    label = f.text(t.get("label", ""), f"{path}.label", MAX_LABEL, one_line=True)
    if kind == "loss_below":
        if "value" not in t:
            raise FieldError(f"{path}.value", "missing: the loss to get below")
        within = t.get("within_epochs")
        return LossBelow(
            f.number(t["value"], f"{path}.value", 0.0, 1e6, above=True),
            None if within is None else f.whole(within, f"{path}.within_epochs", 1, MAX_EPOCHS),
            label,
        )
    if kind == "all_correct":
        within = t.get("within_epochs")
        return AllCorrect(
            f.number(t.get("threshold", 0.5), f"{path}.threshold", -1e6, 1e6),
            f.whole(t.get("hold_epochs", 1), f"{path}.hold_epochs", 1, MAX_EPOCHS),
            label,
            None if within is None else f.whole(within, f"{path}.within_epochs", 1, MAX_EPOCHS),
        )
    if kind == "no_locked_neurons":
        return NoLockedNeurons(f.whole(t.get("min_epochs", 1), f"{path}.min_epochs", 0, MAX_EPOCHS), label)
    if kind == "full_pass_stepped":
        return FullPassStepped(label)
    if kind == "select_connection":
        return _select(t, path, layers, label)
    if kind in ("test_loss_below", "test_loss_rises", "accuracy_above"):
        return _generated(kind, t, path, label, facts)
    if kind == "typed_value":
        return _typed(t, path, layers, n_samples, label)
    neuron = t.get("neuron")
    acts = t.get("activations")
    allowed = None if acts is None else f.choices(acts, f"{path}.activations", tuple(ACTIVATIONS))
    if neuron is None:
        return NeuronRevived(None, None, label, allowed)
    name = f.text(neuron, f"{path}.neuron", 20, one_line=True)
    index = _neuron(name, f"{path}.neuron", layers)
    if index[0] == 0:
        raise FieldError(f"{path}.neuron", f"{name!r} is an input; inputs never lock")
    return NeuronRevived(name, index, label, allowed)


def _within(t: dict[str, Any], path: str) -> int | None:
    within = t.get("within_epochs")
    return None if within is None else f.whole(within, f"{path}.within_epochs", 1, MAX_EPOCHS)


def _generated(kind: str, t: dict[str, Any], path: str, label: str, facts: DataFacts) -> Goal:
    """The goals about generated data: the test loss, its turn upwards, the accuracy."""
    if kind == "accuracy_above":
        if not facts.classification:
            raise FieldError(f"{path}.type", "accuracy_above needs classification data: data.generator "
                                             f"{', '.join(datasets.CLASSIFIERS[:-1])} or {datasets.CLASSIFIERS[-1]}")
        if "value" not in t:
            raise FieldError(f"{path}.value", "missing: the share of points to classify right, e.g. 0.95 for 95 %")
        value = t["value"]
        if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value <= 100:
            raise FieldError(f"{path}.value", f"{value!r} is out of range: an accuracy is a share from 0 to 1 "
                                              f"({value / 100:g} for {value:g} %)")
        share = f.number(value, f"{path}.value", 0.0, 1.0, above=True)
        which = f.choice(t.get("set", "training"), f"{path}.set", ACCURACY_SETS)
        if which == "test" and not facts.has_test_set:
            raise FieldError(f"{path}.set", f'"test" {NO_TEST_SET}')
        return AccuracyAbove(share, which, _within(t, path), label)
    if not facts.has_test_set:
        raise FieldError(f"{path}.type", f"{kind} {NO_TEST_SET}")
    if kind == "test_loss_below":
        if "value" not in t:
            raise FieldError(f"{path}.value", "missing: the test loss to get below")
        return TestLossBelow(f.number(t["value"], f"{path}.value", 0.0, 1e6, above=True), _within(t, path), label)
    margin = f.number(t.get("margin", DEFAULT_RISE_MARGIN), f"{path}.margin", 0.0, MAX_RISE_MARGIN, above=True)
    return TestLossRises(margin, label)


def _neuron(name: str, path: str, layers: tuple[int, ...]) -> tuple[int, int]:
    try:
        return parse_neuron(layers, name)
    except ValueError as exc:
        raise FieldError(path, str(exc)) from None


def _edge(name: str, path: str, layers: tuple[int, ...]) -> tuple[int, int, int]:
    try:
        return parse_connection(layers, name)
    except ValueError as exc:
        raise FieldError(path, str(exc)) from None


def _select(t: dict[str, Any], path: str, layers: tuple[int, ...], label: str) -> SelectConnection:
    if "target" not in t:
        raise FieldError(f"{path}.target", 'missing: "steepest", "flattest" or a connection like "h1->y"')
    target = f.text(t["target"], f"{path}.target", 40, one_line=True)
    if target in COMPUTED_TARGETS:
        return SelectConnection(target, None, label)
    if "->" not in target:
        hint = f.did_you_mean(target, COMPUTED_TARGETS)
        raise FieldError(f"{path}.target",
                         f"{f.short(target)} is not steepest, flattest or a connection like \"h1->y\"{hint}")
    return SelectConnection(target, _edge(target, f"{path}.target", layers), label)


def _typed(t: dict[str, Any], path: str, layers: tuple[int, ...], n_samples: int, label: str) -> TypedValue:
    if "quantity" not in t:
        raise FieldError(f"{path}.quantity", f"missing; choose one of {', '.join(QUANTITIES)}")
    q = f.choice(t["quantity"], f"{path}.quantity", QUANTITIES)
    tolerance = f.number(t.get("tolerance", 0.005), f"{path}.tolerance", 0.0, 1e6, above=True)
    neuron = connection = None
    neuron_index = edge = None
    if q in NEURON_QUANTITIES:
        if "connection" in t:
            raise FieldError(f"{path}.connection", f"{q} belongs to a neuron: give neuron, not connection")
        if "neuron" not in t:
            raise FieldError(f"{path}.neuron", f"missing: which neuron's {q}")
        neuron = f.text(t["neuron"], f"{path}.neuron", 20, one_line=True)
        neuron_index = _neuron(neuron, f"{path}.neuron", layers)
        layer, last = neuron_index[0], len(layers) - 1
        if layer == 0 and q != "a":
            raise FieldError(f"{path}.neuron", f"{neuron!r} is an input: it has an a but no {q}")
        if q == "raw_error" and layer != last:
            raise FieldError(f"{path}.neuron", f"raw_error belongs to the output layer, not {neuron!r}")
        if q == "backprop_sum" and not 0 < layer < last:
            raise FieldError(f"{path}.neuron", f"backprop_sum belongs to a hidden neuron, not {neuron!r}")
    elif q in CONNECTION_QUANTITIES:
        if "neuron" in t:
            raise FieldError(f"{path}.neuron", f"{q} belongs to a connection: give connection, not neuron")
        if "connection" not in t:
            raise FieldError(f"{path}.connection", f"missing: which connection's {q}, e.g. \"h1->y\"")
        connection = f.text(t["connection"], f"{path}.connection", 40, one_line=True)
        edge = _edge(connection, f"{path}.connection", layers)
    else:
        for key in ("neuron", "connection"):
            if key in t:
                raise FieldError(f"{path}.{key}", f"{q} belongs to a sample: give only sample")
    sample: int | None = 0
    raw = t.get("sample", 0)
    if q == "new_weight":
        if "sample" in t:
            raise FieldError(f"{path}.sample", "new_weight is the weight after the step's update: no sample")
        sample = None
    elif raw == "mean" and q in ("grad_w", "grad_b"):
        sample = None
    else:
        if isinstance(raw, str):
            mean = ' or "mean"' if q in ("grad_w", "grad_b") else ""
            raise FieldError(f"{path}.sample",
                             f"expected a row number 0 to {n_samples - 1}{mean}, got {f.show(raw)}")
        sample = f.whole(raw, f"{path}.sample", 0, n_samples - 1)
    return TypedValue(q, neuron, connection, sample, tolerance, neuron_index, edge, label)
