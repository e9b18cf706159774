"""The data-set dialog through the real app: what it changes, what the student then sees, and bad values."""

from __future__ import annotations

from glassbox_game.engine.names import neuron_name
from glassbox_game.scenes.data_set import DataSetScene
from glassbox_game.scenes.sandbox import SandboxScene
from glassbox_game.scenes.truth_table import TruthTableScene
from glassbox_game.script import parse_script
from tests.app.helpers import frames, press


def run(app, text: str) -> None:  # type: ignore[no-untyped-def]
    for action in parse_script(text):
        app.perform(action)
        frames(app, 1)
    frames(app, 3)


def sandbox(app) -> SandboxScene:  # type: ignore[no-untyped-def]
    return next(s for s in app.scenes if isinstance(s, SandboxScene))


def typed(app, field: str, text: str) -> None:  # type: ignore[no-untyped-def]
    run(app, f"at 0 click data_set:{field}\nat 0 key ctrl+a\nat 0 type {text}\n")


def test_t_opens_the_truth_table_for_a_gate_and_the_data_set_dialog_for_generated_data(app) -> None:  # type: ignore[no-untyped-def]
    press(app, "t")
    frames(app, 2)
    assert isinstance(app.top, TruthTableScene)
    press(app, "escape")
    sandbox(app).script_command(["set", "data", "circle"])
    frames(app, 3)
    press(app, "t")
    frames(app, 2)
    assert isinstance(app.top, DataSetScene)
    assert {"data_set:points", "data_set:noise", "data_set:test_fraction", "data_set:data_seed",
            "data_set:regenerate", "data_set:apply", "data_set:feature:sin(x1)"} <= set(app.top.targets())


def test_apply_changes_the_data_and_the_student_sees_it(app) -> None:  # type: ignore[no-untyped-def]
    scene = sandbox(app)
    scene.script_command(["set", "data", "circle"])
    frames(app, 3)
    press(app, "t")
    frames(app, 2)
    typed(app, "points", "60")
    typed(app, "noise", "25")
    typed(app, "test_fraction", "40")
    run(app, "at 0 click data_set:feature:x1^2\nat 0 click data_set:feature:x2^2\nat 0 click data_set:apply\n")
    assert app.top is scene
    setup = scene.sim.setup
    assert (setup.points, setup.noise, setup.test_fraction) == (60, 0.25, 0.4)
    assert setup.features == ("x1", "x2", "x1^2", "x2^2") and setup.layers[0] == 4
    assert scene.sim.trainer.data.n_samples == 36 and scene.sim.trainer.test_data.n_samples == 24  # type: ignore[union-attr]
    frames(app, 3)
    snap = scene.snap
    assert snap is not None
    # what the student sees: 36 training points on the map, the inputs named by their features
    insight = scene.components["insight"]
    assert len(insight.map_points[1]) == 36  # type: ignore[attr-defined]
    assert [neuron_name(snap.trace.layers, 0, j, snap.trace.features) for j in range(4)] == ["x₁", "x₂", "x₁²", "x₂²"]
    headers = scene.components["tables"].shown_grid.headers  # type: ignore[attr-defined]
    assert "x₁²" in headers and "x₃" not in headers


def test_a_bad_value_says_why_in_one_line_and_changes_nothing(app) -> None:  # type: ignore[no-untyped-def]
    scene = sandbox(app)
    scene.script_command(["set", "data", "spiral"])
    frames(app, 3)
    before = scene.sim.setup
    press(app, "t")
    frames(app, 2)
    dialog = app.top
    typed(app, "points", "5000")
    press(app, "return")
    frames(app, 3)
    assert app.top is dialog and dialog.message == "Points: 5000 is outside 10 … 1000."
    assert dialog.message_is_error and scene.sim.setup == before
    press(app, "escape")
    frames(app, 2)
    assert app.top is scene and scene.sim.setup == before


def test_new_points_takes_the_next_seed_and_stays_open(app) -> None:  # type: ignore[no-untyped-def]
    scene = sandbox(app)
    scene.script_command(["set", "data", "xor"])
    frames(app, 3)
    seed = scene.sim.setup.data_seed
    press(app, "t")
    frames(app, 2)
    dialog = app.top
    run(app, "at 0 click data_set:regenerate\n")
    assert app.top is dialog and scene.sim.setup.data_seed == seed + 1
    press(app, "g")  # the key does the same while no field is being typed in
    frames(app, 3)
    assert scene.sim.setup.data_seed == seed + 2


def test_script_settings_for_batch_size_and_regularisation(app) -> None:  # type: ignore[no-untyped-def]
    scene = sandbox(app)
    scene.script_command(["set", "data", "gaussians"])
    frames(app, 3)
    for words in (["set", "batch_size", "25"], ["set", "regularization", "l1"],
                  ["set", "regularization_rate", "0.02"]):
        scene.script_command(words)
        frames(app, 3)
    s = scene.sim.setup
    assert (s.batch_size, s.regularization, s.regularization_rate) == (25, "l1", 0.02)
    assert scene.snap is not None and scene.snap.trace.n_samples == 25 and scene.snap.trace.regularization_rate == 0.02
    scene.script_command(["set", "batch_size", "5000"])  # more than the rows: a notice, nothing changes
    frames(app, 3)
    assert scene.sim.setup.batch_size == 25
    assert any("Batch size: 5,000 is outside 1 … 100" in text for text, _ in app.notices)
