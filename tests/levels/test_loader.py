"""Loading good files into the typed model, the sandbox-setup form, data files and the writer's round trip."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glassbox_game.engine.names import parse_connection, parse_neuron
from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.levels import (
    LEVELS_DIR,
    AllCorrect,
    Hint,
    Level,
    LevelError,
    LossBelow,
    NeuronRevived,
    SelectConnection,
    Stars,
    TypedValue,
    level_to_toml,
    load_level,
    loads_level,
    shipped_levels,
)
from glassbox_game.levels.schema import CONTROLS, PANELS

ISSUE_EXAMPLE = """
[network]
layers = [2, 2, 1]
hidden_activation = "sigmoid"
output_activation = "sigmoid"
loss = "mse"                # or "cross_entropy"
learning_rate = 0.5
weights = [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45]]]   # optional, else seed + init
biases = [[0.35, 0.35], [0.60]]
[training]
mode = "batch"              # or "online"
[data]
problem = "xor"
"""


def test_issue_example_is_a_sandbox_setup() -> None:
    level = loads_level(ISSUE_EXAMPLE)
    assert level.is_sandbox and level.goals == ()
    assert level.controls == CONTROLS and level.panels == PANELS
    s = level.setup
    assert s.layers == (2, 2, 1) and s.problem == "xor" and s.inputs is None
    assert s.weights == (((0.15, 0.20), (0.25, 0.30)), ((0.40, 0.45),))
    assert s.biases == ((0.35, 0.35), (0.60,))
    assert isinstance(s.learning_rate, float)
    build_trainer(s).step()  # the engine accepts what the loader made


def test_integers_are_accepted_where_numbers_are_expected() -> None:
    level = loads_level('[network]\nlayers = [2, 1]\nlearning_rate = 2\n[data]\nproblem = "and"\n')
    assert level.setup.learning_rate == 2.0 and isinstance(level.setup.learning_rate, float)


def test_level_fields_are_typed() -> None:
    level = load_level(Path(__file__).parents[2] / "levels" / "13-backprop-by-hand.toml")
    assert level.id == "backprop-by-hand" and level.order == 13 and not level.is_sandbox
    first = level.goals[0]
    assert isinstance(first, TypedValue) and first.neuron_index == (2, 0) and first.sample == 0
    new_w = level.goals[2]
    assert isinstance(new_w, TypedValue) and new_w.quantity == "new_weight" and new_w.sample is None
    assert new_w.edge == (1, 0, 0)
    assert level.stars == Stars(None, (0, 2), (1, 5))
    assert all(isinstance(h, Hint) for h in level.hints)


def test_custom_data_inline_and_from_a_csv_file(tmp_path: Path) -> None:
    (tmp_path / "points.csv").write_text("x1,x2,y\n# a comment\n0,0,0\n0,1,1\n\n1,0,1\n1,1,1\n")
    (tmp_path / "or.toml").write_text('[network]\nlayers = [2, 2, 1]\n[data]\nfile = "points.csv"\n')
    level = load_level(tmp_path / "or.toml")
    assert level.setup.problem is None
    assert level.setup.inputs == ((0, 0), (0, 1), (1, 0), (1, 1))
    assert level.setup.targets == ((0,), (1,), (1,), (1,))
    # "save as level" writes the rows inline, so the saved file stands on its own
    assert loads_level(level_to_toml(level)).setup == level.setup


def test_csv_data_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("0,0,0\n0,1\n")
    (tmp_path / "a.toml").write_text('[network]\nlayers = [2, 1]\n[data]\nfile = "bad.csv"\n')
    with pytest.raises(LevelError, match=r"data\.file: 'bad\.csv' line 2: expected 3 values"):
        load_level(tmp_path / "a.toml")
    (tmp_path / "b.toml").write_text('[network]\nlayers = [2, 1]\n[data]\nfile = "missing.csv"\n')
    with pytest.raises(LevelError, match=r"data\.file: 'missing\.csv': no such file$"):
        load_level(tmp_path / "b.toml")
    with pytest.raises(LevelError, match="needs the level to be loaded from a file"):
        loads_level('[network]\nlayers = [2, 1]\n[data]\nfile = "x.csv"\n')


def test_symlink_out_of_the_directory_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.csv"
    outside.write_text("0,0,0\n")
    inner = tmp_path / "levels"
    inner.mkdir()
    (inner / "link.csv").symlink_to(outside)
    (inner / "a.toml").write_text('[network]\nlayers = [2, 1]\n[data]\nfile = "link.csv"\n')
    with pytest.raises(LevelError, match="outside the level's directory"):
        load_level(inner / "a.toml")


def test_round_trip_of_every_shipped_level() -> None:
    for level in shipped_levels():
        again = loads_level(level_to_toml(level))
        assert again == level, level.id


def test_round_trip_of_a_bare_setup() -> None:
    setup = Setup(layers=(3, 4, 2), hidden_activation="tanh", output_activation="sigmoid",
                  loss="cross_entropy",
                  learning_rate=0.125, seed=42, init="he", init_radius=0.5, mode="online", shuffle=True,
                  problem=None, inputs=((0.0, 1.0, 2.0), (1.0, -1.0, 0.5)), targets=((0.0, 1.0), (1.0, 0.25)),
                  lock_threshold=0.01)
    assert loads_level(level_to_toml(setup)).setup == setup


def test_round_trip_of_awkward_text() -> None:
    base = shipped_levels()[0]
    level = replace(base, title='Quotes " and \\ back\\slash', briefing='line\none\t"""\r\nend\\', debrief="",
                    goals=(LossBelow(0.5), AllCorrect(0.25, 3, 'say "hi"'),
                           SelectConnection("x2->h1", (0, 0, 1)), NeuronRevived(None),
                           TypedValue("grad_b", "h1", None, None, 0.5, (1, 0), None)),
                    hints=(Hint("a"), Hint("b", 2)), stars=Stars(epochs=(1, 2)))
    # text is normalised for the screen on load: a tab becomes a space, CR LF a line break
    assert loads_level(level_to_toml(level)) == replace(level, briefing='line\none """\nend\\')


numbers = st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False)


@st.composite
def setups(draw: st.DrawFn) -> Setup:
    layers = tuple(draw(st.lists(st.integers(1, 16), min_size=2, max_size=8)))
    explicit = draw(st.booleans())
    weights = biases = None
    if explicit:
        weights = tuple(tuple(tuple(draw(numbers) for _ in range(a)) for _ in range(b))
                        for a, b in pairwise(layers))
        biases = tuple(tuple(draw(numbers) for _ in range(b)) for b in layers[1:])
    gate = layers[0] == 2 and layers[-1] == 1 and draw(st.booleans())
    n = draw(st.integers(1, 5))
    inputs = None if gate else tuple(tuple(draw(numbers) for _ in range(layers[0])) for _ in range(n))
    targets = None if gate else tuple(tuple(draw(numbers) for _ in range(layers[-1])) for _ in range(n))
    return Setup(
        layers=layers, weights=weights, biases=biases,
        hidden_activation=draw(st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu", "linear"])),
        output_activation=draw(st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu", "linear"])),
        learning_rate=draw(st.floats(1e-9, 1000)), seed=draw(st.integers(0, 2**63 - 1)),
        init=draw(st.sampled_from(["uniform", "xavier", "he"])),
        mode=draw(st.sampled_from(["batch", "online"])),
        shuffle=draw(st.booleans()), problem=draw(st.sampled_from(["and", "xor", "nor"])) if gate else None,
        inputs=inputs, targets=targets, lock_threshold=draw(st.floats(0, 1)),
        init_radius=draw(st.floats(1e-6, 100)),
    )


@settings(max_examples=60, deadline=None)
@given(setups())
def test_round_trip_property(setup: Setup) -> None:
    level = loads_level(level_to_toml(setup))
    assert level == Level(setup=setup)


def test_neuron_and_connection_names() -> None:
    assert parse_neuron((2, 2, 1), "h2") == (1, 1)
    assert parse_neuron((2, 2, 1), "y") == (2, 0)
    assert parse_neuron((2, 4, 4, 1), "h2_3") == (2, 2)
    assert parse_connection((2, 2, 1), "h1->y") == (1, 0, 0)
    for bad in ("h1", "y"):
        with pytest.raises(ValueError):
            parse_neuron((2, 4, 4, 2), bad)
    with pytest.raises(ValueError, match="neighbouring"):
        parse_connection((2, 2, 1), "x1->y")


def test_stars_award() -> None:
    stars = Stars(epochs=(100, 300), hints=(0, 1))
    assert stars.award(epochs=80, hints=0, attempts=9) == 3
    assert stars.award(epochs=200, hints=0, attempts=0) == 2
    assert stars.award(epochs=80, hints=2, attempts=0) == 1
    assert Stars().award(10**9, 10**9, 10**9) == 3


def test_a_level_may_start_at_its_own_speed() -> None:
    level = next(lv for lv in shipped_levels() if lv.id == "and-converges")
    assert level.speed == 5
    bad = (LEVELS_DIR / "02-and-converges.toml").read_text().replace("speed = 5", "speed = 0")
    with pytest.raises(LevelError, match=r"training\.speed"):
        loads_level(bad)
