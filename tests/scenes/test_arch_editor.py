"""The architecture editor and the heat maps in the real sandbox: + / − change the network through the
same command as the Layers drop-down, the limits say why, a level that fixes the layers shows no buttons,
and every panel of a frame draws its heat maps from the displayed step."""

from __future__ import annotations

import numpy as np
import pytest

from glassbox_game.engine.network import MAX_LAYERS, MAX_NEURONS
from glassbox_game.render import insight_math as im
from glassbox_game.scenes.level_play import LevelPlayScene
from glassbox_game.scenes.sandbox import SandboxScene
from glassbox_game.sim import commands as c
from tests.app.helpers import click, frames, make_app


def _sandbox(app) -> SandboxScene:  # type: ignore[no-untyped-def]
    scene = app.top
    assert isinstance(scene, SandboxScene)
    return scene


def _click(app, name: str) -> None:  # type: ignore[no-untyped-def]
    targets = app.top.targets()
    assert name in targets, f"{name} not among {sorted(k for k in targets if k.startswith(('arch', 'network')))}"
    click(app, targets[name].center)
    frames(app, 3)


def _layers_menu(scene: SandboxScene) -> str:
    menu = scene.components["params"].widgets["layers"]  # type: ignore[attr-defined]
    return str(menu.selected_option[0])


def test_plus_and_minus_add_and_remove_neurons_and_layers(app) -> None:  # type: ignore[no-untyped-def]
    scene = _sandbox(app)
    net = scene.components["network"]
    assert scene.sim.setup.layers == (2, 2, 1)
    version = scene.sim.setup_version
    _click(app, "arch:add-neuron:1")
    assert scene.sim.setup.layers == (2, 3, 1)
    assert scene.sim.setup_version > version and scene.sim.trainer.epoch == 0  # re-initialised, history reset
    assert len(net.geom.centres[1]) == 3  # type: ignore[attr-defined]  # and the view draws three
    assert _layers_menu(scene) == "2-3-1"  # a shape that is not a preset still shows in the drop-down
    _click(app, "arch:add-layer")
    assert scene.sim.setup.layers == (2, 3, 3, 1)  # a new layer copies the last hidden layer's size
    assert "arch:add-neuron:2" in app.top.targets()
    _click(app, "arch:remove-neuron:2")
    assert scene.sim.setup.layers == (2, 3, 2, 1)
    _click(app, "arch:remove-layer")
    _click(app, "arch:remove-layer")
    assert scene.sim.setup.layers == (2, 1)
    assert not any(k.startswith("arch:add-neuron") for k in app.top.targets())  # no hidden column left


def test_the_same_seed_gives_the_same_weights_as_the_layers_drop_down(app) -> None:  # type: ignore[no-untyped-def]
    scene = _sandbox(app)
    _click(app, "arch:add-neuron:1")
    by_button = [w.copy() for w in scene.sim.trainer.network.weights]
    scene.sim.submit(c.ChangeSetup((("layers", (2, 3, 1)), ("weights", None), ("biases", None))))
    frames(app, 2)
    for a, b in zip(by_button, scene.sim.trainer.network.weights, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_engine_limits_hold_and_say_why(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    scene = _sandbox(app)
    notes: list[str] = []
    monkeypatch.setattr(app, "notify", lambda text, seconds=0.0: notes.append(text))
    full = (2, *([MAX_NEURONS] * (MAX_LAYERS - 2)), 1)
    scene.sim.submit(c.ChangeSetup((("layers", full), ("weights", None), ("biases", None))))
    frames(app, 3)
    _click(app, "arch:add-layer")
    _click(app, "arch:add-neuron:1")
    assert scene.sim.setup.layers == full
    assert any(f"{MAX_LAYERS} layers" in n for n in notes) and any(f"{MAX_NEURONS} neurons" in n for n in notes)
    one = (2, 1, 1)
    scene.sim.submit(c.ChangeSetup((("layers", one), ("weights", None), ("biases", None))))
    frames(app, 3)
    _click(app, "arch:remove-neuron:1")
    assert scene.sim.setup.layers == one and "at least one neuron" in notes[-1]


def _level(number: str):  # type: ignore[no-untyped-def]
    app = make_app("play", number, "--resolution", "1280x720")
    frames(app, 2)
    scene = next(s for s in app.scenes if isinstance(s, LevelPlayScene))
    return app, scene


def test_a_level_shows_the_editor_only_when_it_lets_the_player_change_the_layers(home) -> None:  # type: ignore[no-untyped-def]
    for number, editable in (("01", False), ("07", True)):
        app, scene = _level(number)
        try:
            net = scene.components["network"]
            assert net.editable is editable  # type: ignore[attr-defined]
            assert any(k.startswith("arch:") for k in net.targets()) is editable
        finally:
            app.shutdown()


def test_heat_maps_follow_the_displayed_step_and_the_toggle(app) -> None:  # type: ignore[no-untyped-def]
    scene = _sandbox(app)
    scene.script_command(["set", "data", "circle"])
    scene.script_command(["set", "layers", "2-4-1"])
    frames(app, 4)
    net, insight = scene.components["network"], scene.components["insight"]
    planes = im.neuron_planes(scene.snap)
    assert planes is not None and net.drawn_heat == planes.key  # type: ignore[attr-defined]
    # the output neuron's heat map and the decision map are one computation on the same weights
    weights, biases = im.current_weights(scene.snap)
    grid = im.decision_grid(weights, biases, "sigmoid", "sigmoid", planes.bounds, planes.n)
    np.testing.assert_array_equal(planes.grids[-1][0], grid)
    assert insight.drawn_step == net.drawn_step == scene.snap.step_id
    scene.sim.submit(c.StepEpoch())
    frames(app, 3)
    later = im.neuron_planes(scene.snap)
    assert later is not None and later.key != planes.key and net.drawn_heat == later.key  # type: ignore[attr-defined]
    assert im.neuron_planes(scene.snap) is later  # cached: asked again on the same step, the same object
    _click(app, "network:heatmaps")
    assert net.drawn_heat is None  # type: ignore[attr-defined]  # off: no heat map drawn
    _click(app, "network:heatmaps")
    assert net.drawn_heat is not None  # type: ignore[attr-defined]


def test_hovering_a_neuron_shows_its_heat_map_large(app) -> None:  # type: ignore[no-untyped-def]
    import pygame

    scene = _sandbox(app)
    scene.script_command(["set", "data", "xor"])
    frames(app, 3)
    target = app.top.targets()["neuron:h2"]
    app.dispatch(pygame.event.Event(pygame.MOUSEMOTION, pos=target.center, rel=(0, 0), buttons=(0, 0, 0)))
    frames(app, 2)
    assert scene.components["network"].drawn_big_heat == (1, 1)  # type: ignore[attr-defined]


def test_a_truth_table_shows_its_four_cells_when_heat_maps_are_switched_on(app) -> None:  # type: ignore[no-untyped-def]
    scene = _sandbox(app)
    net = scene.components["network"]
    assert net.drawn_heat is None  # type: ignore[attr-defined]  # off by default for a truth table
    _click(app, "network:heatmaps")
    planes = im.neuron_planes(scene.snap)
    assert planes is not None and planes.corners and planes.n == 2
    assert net.drawn_heat == planes.key  # type: ignore[attr-defined]
    # each cell is the neuron's activation at that corner of the truth table: top-left is (0, 1)
    tr = scene.snap.trace
    row = [list(map(float, x)) for x in tr.x].index([0.0, 1.0])
    assert planes.grids[0][0][0, 0] == pytest.approx(float(tr.a[1][row][0]), abs=1e-12)


def test_discretize_cuts_the_decision_map_at_the_outputs_threshold(app) -> None:  # type: ignore[no-untyped-def]
    scene = _sandbox(app)
    scene.script_command(["set", "data", "circle"])
    frames(app, 3)
    insight = scene.components["insight"]
    assert insight.last_threshold is None  # type: ignore[attr-defined]
    _click(app, "insight:discretize")
    assert insight.map_options["discretize"] is True  # type: ignore[attr-defined]
    assert insight.last_threshold == 0.5  # type: ignore[attr-defined]  # sigmoid output: the record's 0.5
    scene.script_command(["set", "data", "plane"])  # a regression: tanh output
    frames(app, 3)
    assert insight.last_threshold == 0.0  # type: ignore[attr-defined]
    _click(app, "insight:discretize")
    assert insight.last_threshold is None  # type: ignore[attr-defined]


def test_a_long_shape_shows_its_repeats_counted_and_reads_back() -> None:
    from glassbox_game.ui.params_panel import parse_layers, shape_text

    full = (2, 16, 16, 16, 16, 16, 16, 1)
    assert shape_text(full) == "2-16-16-16-16-16-16-1"
    assert shape_text(full, short=True) == "2-16×6-1"
    assert parse_layers("2-16×6-1", 2, 1) == (full, None)
    assert parse_layers("2-4x2-1", 2, 1) == ((2, 4, 4, 1), None)
    assert parse_layers("2-16×7-1", 2, 1)[0] is None  # nine layers: over the limit, with the reason


def test_the_layers_drop_down_names_a_long_shape_in_full_or_counted(app) -> None:  # type: ignore[no-untyped-def]
    scene = _sandbox(app)
    full = (2, *([MAX_NEURONS] * (MAX_LAYERS - 2)), 1)
    scene.sim.submit(c.ChangeSetup((("layers", full), ("weights", None), ("biases", None))))
    frames(app, 3)
    from glassbox_game.ui.params_panel import parse_layers

    assert parse_layers(_layers_menu(scene), 2, 1) == (full, None)  # whichever form fits, it is this shape
