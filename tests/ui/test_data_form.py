"""The data-set form: typed values checked with one-line reasons, and the setup changes it makes."""

from __future__ import annotations

import pytest

from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.ui.data_form import DataForm, form_changes, form_of, read_field, read_form

GOOD = {"points": "120", "noise": "20", "test_fraction": "30", "data_seed": "4"}


def test_a_good_form_reads_as_fractions_in_the_features_own_order() -> None:
    form, why = read_form("circle", GOOD, ("x1^2", "x1", "x2^2"))
    assert why is None
    assert form == DataForm("circle", 120, 0.2, 0.3, 4, ("x1", "x1^2", "x2^2"))


@pytest.mark.parametrize(("key", "text", "message"), [
    ("points", "5000", "Points: 5000 is outside 10 … 1000."),
    ("points", "9", "Points: 9 is outside 10 … 1000."),
    ("points", "12.5", "Points: '12.5' is not a whole number (10 … 1000)."),
    ("noise", "60", "Noise: 60 % is outside 0 … 50 %."),
    ("noise", "lots", "Noise: 'lots' is not a number (0 … 50 %)."),
    ("test_fraction", "95", "Held out for testing: 95 % is outside 0 … 90 %."),
    ("data_seed", "-1", "Data seed: -1 is outside 0 or more."),
    ("data_seed", "x", "Data seed: 'x' is not a whole number (0 or more)."),
])
def test_a_bad_value_gives_one_line_naming_the_field(key: str, text: str, message: str) -> None:
    value, why = read_field(key, text)
    assert value is None and why == message and "\n" not in why
    form, why2 = read_form("circle", {**GOOD, key: text}, ("x1", "x2"))
    assert form is None and why2 == message


def test_no_feature_at_all_is_refused() -> None:
    form, why = read_form("circle", GOOD, ())
    assert form is None and why is not None and why.startswith("Input features:")


def test_percent_signs_and_commas_are_read() -> None:
    assert read_field("noise", "12,5 %") == (0.125, None)


def test_the_changes_train_on_the_form_and_the_input_layer_follows_the_features() -> None:
    setup = Setup(layers=(2, 5, 1), problem=None, generator="spiral", points=200, hidden_activation="tanh")
    form = DataForm("circle", 80, 0.1, 0.25, 7, ("x1", "x2", "x1^2", "x2^2", "sin(x1)"))
    changes, notice = form_changes(setup, form)
    got = dict(changes)
    assert notice is None
    assert got["layers"] == (5, 5, 1) and got["weights"] is None and got["features"] == form.features
    from dataclasses import replace

    tr = build_trainer(replace(setup, **got))  # type: ignore[arg-type]
    assert tr.data.n_samples == 60 and tr.test_data is not None and tr.test_data.n_samples == 20
    assert tr.network.layers == (5, 5, 1) and tr.data.x.shape == (60, 5)


def test_plain_inputs_are_no_features_and_a_regression_switches_the_output() -> None:
    setup = Setup(problem="xor", loss="cross_entropy")
    changes, notice = form_changes(setup, DataForm("hill", 50, 0.0, 0.0, 0, ("x1", "x2")))
    got = dict(changes)
    assert got["features"] is None and got["generator"] == "hill" and got["output_activation"] == "tanh"
    assert notice is not None


def test_a_truth_table_fills_the_form_with_playgrounds_circle() -> None:
    assert form_of(Setup(problem="and")).generator == "circle"
    assert form_of(Setup(problem=None, generator="xor", points=300, noise=0.2, data_seed=9)).points == 300
