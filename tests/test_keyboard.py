"""Full keyboard use, without a mouse: title menu → sandbox, every connection and neuron reachable with
Tab, and a key for every top-bar button."""

from __future__ import annotations

from glassbox_game.scenes.lecture import LectureScene
from glassbox_game.scenes.sandbox import SandboxScene
from glassbox_game.scenes.title import TitleScene
from glassbox_game.sim.selection import all_selectables
from glassbox_game.ui.topbar import BUTTONS
from tests.app.helpers import frames, make_app, press


def _sandbox_by_keys():
    app = make_app("--resolution", "1920x1080")
    frames(app, 1)
    assert isinstance(app.top, TitleScene)
    labels = [item.label for item in app.top.menu.items]
    for _ in range(labels.index("Sandbox")):
        press(app, "down")
    press(app, "return")
    frames(app, 1)
    assert isinstance(app.top, SandboxScene)
    return app, app.top


def test_title_menu_to_sandbox_and_lecture_with_keys_only() -> None:
    app, scene = _sandbox_by_keys()
    press(app, "l")  # lecture mode from the sandbox, on the same network
    frames(app, 1)
    assert isinstance(app.top, LectureScene) and app.top.sim.setup == scene.sim.setup
    app.shutdown()


def test_tab_reaches_every_connection_and_neuron_and_shift_tab_goes_back() -> None:
    app, scene = _sandbox_by_keys()
    everything = all_selectables(scene.sim.setup.layers)
    seen = []
    for _ in range(len(everything)):
        press(app, "tab")
        frames(app, 1)
        seen.append(scene.sim.selection)
    assert seen == everything  # every weight and every bias, each once, in reading order
    kinds = {s.kind for s in seen}
    assert kinds == {"edge", "neuron"}
    press(app, "shift+tab")
    frames(app, 1)
    assert scene.sim.selection == everything[-2] if len(everything) > 1 else everything[0]
    app.shutdown()


def test_the_selection_is_visibly_drawn() -> None:
    app, _scene = _sandbox_by_keys()
    frames(app, 1)
    from tests.app.helpers import pixels

    before = pixels(app)
    press(app, "tab")
    frames(app, 2)
    assert pixels(app) != before  # a focus highlight appears on the network and in the chain rule
    app.shutdown()


def test_every_top_bar_action_has_a_key() -> None:
    app, scene = _sandbox_by_keys()
    keys = {"play": "space", "pause": "space", "phase": "right", "epoch": "shift+right", "back": "left",
            "reset": "r"}
    assert {b[0] for b in BUTTONS} == set(keys)  # nothing in the bar without a key
    sim = scene.sim
    press(app, keys["play"])
    frames(app, 2)
    assert sim.playing
    press(app, keys["pause"])
    frames(app, 1)
    assert not sim.playing
    phase = sim.phase
    press(app, keys["phase"])
    frames(app, 1)
    assert sim.phase == (phase + 1) % 4
    epoch = sim.trainer.epoch
    press(app, keys["epoch"])
    frames(app, 1)
    assert sim.trainer.epoch > epoch and sim.phase == 0
    epoch = sim.trainer.epoch
    press(app, keys["back"])
    frames(app, 1)
    assert sim.trainer.epoch == epoch - 1
    press(app, keys["epoch"])
    press(app, keys["reset"])
    frames(app, 1)
    assert sim.trainer.epoch == 0
    speed = sim.speed_index
    press(app, "+")
    frames(app, 1)
    assert sim.speed_index == speed + 1
    press(app, "-")
    frames(app, 1)
    assert sim.speed_index == speed
    app.shutdown()


def test_help_and_settings_are_reachable_by_keys() -> None:
    from glassbox_game.scenes.overlays import HelpScene, PauseScene
    from glassbox_game.scenes.settings_scene import SettingsScene

    app, scene = _sandbox_by_keys()
    press(app, "f1")
    frames(app, 1)
    assert isinstance(app.top, HelpScene)
    press(app, "space")  # any key closes it
    frames(app, 1)
    assert app.top is scene
    press(app, "escape")
    frames(app, 1)
    assert isinstance(app.top, PauseScene)
    labels = [item.label for item in app.top.menu.items]
    for _ in range(labels.index("Settings")):
        press(app, "down")
    press(app, "return")
    frames(app, 1)
    assert isinstance(app.top, SettingsScene)
    labels = [item.label for item in app.top.menu.items]
    for _ in range(labels.index("Text size")):
        press(app, "down")
    before = app.settings.text_scale
    press(app, "right")
    frames(app, 1)
    assert app.settings.text_scale > before
    app.shutdown()
