"""The sandbox's files and data, driven through the real app: save as level, open, the truth-table editor."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pygame_gui
import pytest

from glassbox_game.cli import main
from glassbox_game.engine.setup import Setup
from glassbox_game.levels import LEVELS_DIR, level_to_toml, load_level
from glassbox_game.levels.saving import SaveRefused, is_shipped, save_setup
from glassbox_game.levels.truth_table import TableError, check_table, parse_table_text
from glassbox_game.scenes.file_dialog import FileDialogScene
from glassbox_game.scenes.overlays import ConfirmScene
from glassbox_game.scenes.sandbox import SandboxScene
from glassbox_game.scenes.truth_table import TruthTableScene
from glassbox_game.script import ScriptError, parse_script
from glassbox_game.sim import commands as c
from glassbox_game.storage import atomic_write_text
from tests.app.helpers import click, frames, make_app, press

CUSTOM = Setup(layers=(2, 3, 1), hidden_activation="tanh", loss="cross_entropy", learning_rate=0.7, seed=5,
               mode="online", problem=None, inputs=((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0), (0.5, 0.5)),
               targets=((1.0,), (0.0,), (0.0,), (1.0,), (0.25,)))




def sandbox(app) -> SandboxScene:
    scene = next(s for s in app.scenes if isinstance(s, SandboxScene))
    return scene


def notices(app) -> list[str]:
    return [text for text, _ in app.notices]


def type_into(app, rect: pygame.Rect, text: str) -> None:
    """Click a text field, clear it and type ``text`` as a person would."""
    click(app, rect.center)
    press(app, "ctrl+a")
    press(app, "backspace")
    app.dispatch(pygame.event.Event(pygame.TEXTINPUT, text=text))
    frames(app, 1)


# -- save as level ------------------------------------------------------------------------------
def test_ctrl_s_dialog_saves_a_file_that_reloads_to_the_same_setup(app, home):
    sandbox(app).sim.submit(c.LoadSetup(CUSTOM))
    frames(app, 1)
    press(app, "ctrl+s")
    dialog = app.top
    assert isinstance(dialog, FileDialogScene) and dialog.mode == "save"
    assert not (home / "glassbox-levels").exists(), "opening the dialog makes nothing"
    assert dialog.chosen() == home / "glassbox-levels" / "my-level.toml"
    press(app, "return")  # the path field has the focus: Enter saves
    frames(app, 2)
    assert isinstance(app.top, SandboxScene)
    saved = home / "glassbox-levels" / "my-level.toml"
    assert saved.is_file()
    assert load_level(saved).setup == CUSTOM == sandbox(app).sim.setup
    assert any("Saved" in t for t in notices(app))
    assert not [p for p in saved.parent.iterdir() if p.name.endswith(".tmp")], "no temporary file is left"


def test_saved_file_validates_and_plays(app, tmp_path, capsys):
    sandbox(app).sim.submit(c.LoadSetup(CUSTOM))
    frames(app, 1)
    path = tmp_path / "mine.toml"
    assert sandbox(app).save_to(path)
    assert main(["validate", str(path)]) == 0
    assert f"OK {path}" in capsys.readouterr().out
    assert main(["play", str(path), "--headless", "--frames", "10", "--resolution", "1280x720"]) == 0


def test_explicit_starting_weights_are_saved_not_the_trained_ones(app, tmp_path):
    weights = (((0.5, -0.25), (1.0, 2.0)), ((-1.5, 0.75),))
    biases = ((0.1, -0.2), (0.3,))
    start = Setup(weights=weights, biases=biases, problem="and", learning_rate=2.0)
    scene = sandbox(app)
    scene.sim.submit(c.LoadSetup(start))
    scene.sim.submit(c.RunToEpoch(20))
    frames(app, 30)
    assert scene.sim.snapshot().epoch > 0
    path = tmp_path / "weights.toml"
    assert scene.script_command(["save", str(path)])
    assert load_level(path).setup == start


def test_overwriting_asks_first(app, home):
    target = home / "glassbox-levels" / "my-level.toml"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    press(app, "ctrl+s")
    press(app, "return")
    frames(app, 2)
    assert isinstance(app.top, ConfirmScene) and app.top.name == "confirm-overwrite"
    click(app, app.top.targets()["confirm-overwrite:no"].center)
    frames(app, 1)
    assert target.read_text(encoding="utf-8") == "old"
    press(app, "ctrl+s")
    press(app, "return")
    frames(app, 2)
    click(app, app.top.targets()["confirm-overwrite:yes"].center)
    frames(app, 1)
    assert load_level(target).setup == sandbox(app).sim.setup


@pytest.mark.parametrize("how", ["script", "dialog", "dotdot"])
def test_shipped_level_files_are_never_overwritten(app, how, tmp_path):
    shipped = sorted(LEVELS_DIR.glob("*.toml"))[0]
    before = shipped.read_bytes()
    scene = sandbox(app)
    if how == "script":
        scene.script_command(["save", str(shipped)])
    elif how == "dialog":
        press(app, "ctrl+s")
        assert isinstance(app.top, FileDialogScene)
        app.top.pick(shipped)
        frames(app, 1)
        assert not isinstance(app.top, ConfirmScene), "no question: the answer is always no"
    else:
        sneaky = tmp_path / ".." / Path(*[".."] * len(tmp_path.parts)) / str(shipped).lstrip("/")
        assert is_shipped(sneaky)
        scene.save_to(sneaky)
    assert shipped.read_bytes() == before
    assert any("one of the game's own levels" in t for t in notices(app))


def test_save_refusals_are_one_line():
    with pytest.raises(SaveRefused, match="game's own levels"):
        save_setup(Setup(), LEVELS_DIR / "new-name.toml")


def test_a_name_without_extension_gets_toml(app, tmp_path):
    assert sandbox(app).save_to(tmp_path / "plain")
    assert load_level(tmp_path / "plain.toml").setup == sandbox(app).sim.setup


# -- open ----------------------------------------------------------------------------------------
def test_ctrl_o_opens_a_good_file(app, home):
    folder = home / "glassbox-levels"
    folder.mkdir()
    path = folder / "custom.toml"
    path.write_text(level_to_toml(CUSTOM), encoding="utf-8")
    press(app, "ctrl+o")
    dialog = app.top
    assert isinstance(dialog, FileDialogScene) and dialog.mode == "open"
    type_into(app, dialog.targets()["open-dialog:path"], str(path))
    press(app, "return")
    frames(app, 2)
    assert isinstance(app.top, SandboxScene)
    assert app.top.sim.setup == CUSTOM
    assert np.array_equal(app.top.sim.trainer.data.x, np.array(CUSTOM.inputs))


def test_a_shipped_level_opens_as_a_sandbox(app):
    shipped = sorted(LEVELS_DIR.glob("*.toml"))[2]
    assert sandbox(app).open_from(shipped)
    frames(app, 1)
    assert sandbox(app).sim.setup == load_level(shipped).setup


def test_a_broken_file_says_why_and_changes_nothing(app, tmp_path):
    scene = sandbox(app)
    scene.sim.submit(c.LoadSetup(CUSTOM))
    scene.sim.submit(c.RunToEpoch(5))
    frames(app, 10)
    epoch = scene.sim.snapshot().epoch
    broken = tmp_path / "broken.toml"
    broken.write_text("[network]\nlayers = [2, 2, 1]\nhiden_activation = 'relu'\n[data]\nproblem = 'xor'\n",
                      encoding="utf-8")
    press(app, "ctrl+o")
    app.top.pick(broken)
    frames(app, 2)
    assert isinstance(app.top, SandboxScene)
    assert scene.sim.setup == CUSTOM and scene.sim.snapshot().epoch == epoch
    shown = [t for t in notices(app) if "broken.toml" in t]
    assert shown and "\n" not in shown[0] and "hiden_activation" in shown[0]
    for bad in (tmp_path / "missing.toml", tmp_path):
        assert not scene.open_from(bad)
    garbage = tmp_path / "garbage.toml"
    garbage.write_bytes(b"\x00\xff[[[")
    assert not scene.open_from(garbage)
    assert scene.sim.setup == CUSTOM


def test_esc_cancels_a_dialog(app, home):
    press(app, "ctrl+s")
    assert isinstance(app.top, FileDialogScene)
    press(app, "escape")
    frames(app, 1)
    assert isinstance(app.top, SandboxScene)
    assert not (home / "glassbox-levels" / "my-level.toml").exists()
    click(app, sandbox(app).targets()["param:save"].center)
    frames(app, 1)
    assert isinstance(app.top, FileDialogScene)
    click(app, app.top.targets()["save-dialog:cancel"].center)
    frames(app, 2)
    assert isinstance(app.top, SandboxScene)


# -- the truth-table editor ----------------------------------------------------------------------
def test_editor_applies_typed_data(app):
    press(app, "t")
    editor = app.top
    assert isinstance(editor, TruthTableScene)
    assert editor.rows == [["0", "0", "0"], ["0", "1", "1"], ["1", "0", "1"], ["1", "1", "0"]]  # XOR prefilled
    click(app, editor.targets()["data:add"].center)
    frames(app, 1)
    typed = [["0", "0", "1"], ["0", "1", "0"], ["1", "0", "0"], ["1", "1", "1"], ["0.5", "−2", "0.75"]]
    for r, row in enumerate(typed):
        for k, text in enumerate(row):
            type_into(app, editor.targets()[f"data:cell:{r}:{k}"], text)
    click(app, editor.targets()["data:apply"].center)
    frames(app, 2)
    assert isinstance(app.top, SandboxScene)
    trainer = app.top.sim.trainer
    assert trainer.data.x.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, -2.0]]
    assert trainer.data.y.tolist() == [[1], [0], [0], [1], [0.75]]
    assert app.top.sim.setup.problem is None
    params = app.top.components["params"]
    assert params.widgets["problem"].selected_option[0] == "CUSTOM"
    # the custom table round-trips through a saved file too
    press(app, "t")
    assert app.top.rows[4] == ["0.5", "-2", "0.75"]
    press(app, "escape")


def test_editor_refuses_bad_input_with_a_reason(app):
    before = sandbox(app).sim.setup
    press(app, "t")
    editor = app.top
    type_into(app, editor.targets()["data:cell:1:2"], "2")
    press(app, "return")
    frames(app, 1)
    assert app.top is editor, "a bad table keeps the editor open"
    assert "Row 2, y" in editor.message and "sigmoid" in editor.message and "0 … 1" in editor.message
    assert editor.focus_cell == (1, 2)
    type_into(app, editor.targets()["data:cell:1:2"], "1")
    type_into(app, editor.targets()["data:cell:0:0"], "abc")
    click(app, editor.targets()["data:apply"].center)
    frames(app, 1)
    assert "'abc' is not a number" in editor.message
    type_into(app, editor.targets()["data:cell:0:0"], "5000")
    press(app, "return")
    assert "outside −1000 … 1000" in editor.message
    press(app, "escape")
    frames(app, 1)
    assert isinstance(app.top, SandboxScene)
    assert sandbox(app).sim.setup == before, "Esc leaves everything unchanged"


@pytest.mark.slow
def test_editor_rows_add_and_remove_within_limits(app):
    press(app, "t")
    editor = app.top
    for _ in range(20):
        press(app, "ctrl+n")
    assert len(editor.rows) == 16
    assert not editor.buttons["add"].is_enabled
    for _ in range(20):
        click(app, editor.targets()["data:remove:0"].center)
        frames(app, 1)
    assert len(editor.rows) == 1
    assert not editor.remove_buttons[0].is_enabled
    press(app, "escape")


def test_choosing_a_gate_replaces_custom_data(app):
    scene = sandbox(app)
    scene.script_command(["data", "0 0 1; 1 1 0"])
    frames(app, 1)
    assert scene.sim.trainer.data.n_samples == 2
    problem = scene.components["params"].widgets["problem"]
    app.dispatch(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, ui_element=problem, text="AND"))
    frames(app, 1)
    assert scene.sim.setup.problem == "and" and scene.sim.setup.inputs is None
    assert scene.sim.trainer.data.y.ravel().tolist() == [0, 0, 0, 1]
    # picking the CUSTOM entry opens the editor instead of naming a gate that does not exist
    app.dispatch(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, ui_element=problem, text="CUSTOM"))
    assert isinstance(app.top, TruthTableScene)


def test_custom_data_fits_a_network_with_other_sizes(app):
    scene = sandbox(app)
    scene.sim.submit(c.LoadSetup(Setup(layers=(3, 4, 2), problem=None, inputs=((0.0, 0.0, 1.0),),
                                       targets=((1.0, 0.0),))))
    frames(app, 1)
    press(app, "t")
    assert "starts from XOR" in app.top.message
    press(app, "return")
    frames(app, 1)
    assert scene.sim.setup.layers == (2, 4, 1)
    assert scene.sim.trainer.data.y.ravel().tolist() == [0, 1, 1, 0]


def test_table_checks():
    inputs, targets = check_table(parse_table_text("0 0 0; 0 1 1\n1,0 1; 1 1 0"))
    assert inputs == ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)) and targets[1] == (1.0,)
    assert check_table([["0", "0", "-3"]], "linear")[1] == ((-3.0,),)
    for cells, act, words in (([["0", "0", "-1.5"]], "tanh", "tanh"), ([["nan", "0", "0"]], "sigmoid", "finite"),
                              ([["0", "0"]], "sigmoid", "three numbers"), ([], "sigmoid", "1 to 16"),
                              ([["0", "", "1"]], "sigmoid", "empty")):
        with pytest.raises(TableError, match=words):
            check_table(cells, act)


# -- keys, buttons, scripts ----------------------------------------------------------------------
def test_keys_open_their_overlays_only_in_the_sandbox(home):
    app = make_app("sandbox", "--resolution", "1280x720")
    try:
        frames(app, 1)
        for key, kind in (("ctrl+s", FileDialogScene), ("ctrl+o", FileDialogScene), ("t", TruthTableScene)):
            press(app, key)
            assert isinstance(app.top, kind), key
            press(app, "escape")
            frames(app, 1)
            assert isinstance(app.top, SandboxScene)
        press(app, "s")  # plain S still steps through the samples
        frames(app, 1)
        assert sandbox(app).sim.snapshot().sample == 1
    finally:
        app.shutdown()
    level = make_app("play", "01", "--resolution", "1280x720")
    try:
        frames(level, 1)
        press(level, "return")  # past the briefing
        frames(level, 1)
        play = level.top
        for key in ("ctrl+s", "ctrl+o", "t"):
            press(level, key)
            frames(level, 1)
            assert level.top is play, key
        assert not {"param:open", "param:save", "param:data"} & set(play.targets())
    finally:
        level.shutdown()


def test_buttons_in_the_parameters_card(app):
    targets = sandbox(app).targets()
    for name, kind in (("param:open", FileDialogScene), ("param:save", FileDialogScene),
                       ("param:data", TruthTableScene)):
        assert targets[name].w > 0 and app.screen.get_rect().contains(targets[name])
        click(app, targets[name].center)
        frames(app, 1)
        assert isinstance(app.top, kind), name
        press(app, "escape")
        frames(app, 1)


def test_script_verbs_save_open_data(tmp_path, home):
    out = tmp_path / "from-script.toml"
    script = tmp_path / "run.script"
    script.write_text(f'at 0.1 data "0 0 1; 0 1 0; 1 0 0; 1 1 1"\nat 0.2 set seed 9\nat 0.3 save {out}\n'
                      f'at 0.4 data "0 0 7"\nat 0.5 open {out}\n', encoding="utf-8")
    assert main(["sandbox", "--headless", "--frames", "40", "--script", str(script),
                 "--resolution", "1280x720"]) == 0
    loaded = load_level(out).setup
    assert loaded.seed == 9 and loaded.problem is None
    assert loaded.targets == ((1.0,), (0.0,), (0.0,), (1.0,))
    assert not list(home.iterdir()), "a script save writes where it is told, nothing else"


def test_script_verbs_need_arguments():
    for line in ("at 0 save", "at 0 open", "at 0 data"):
        with pytest.raises(ScriptError, match="needs"):
            parse_script(line)
    actions = parse_script('at 0 data "0 0 0; 1 1 1"')
    assert actions[0].args == ("0 0 0; 1 1 1",)


def test_script_data_refusal_is_a_notice(app):
    scene = sandbox(app)
    before = scene.sim.setup
    scene.script_command(["data", "0 0 7"])
    assert scene.sim.setup == before
    assert any("Script data: Row 1, y" in t for t in notices(app))


def test_atomic_write_text(tmp_path):
    path = tmp_path / "sub" / "a.toml"
    atomic_write_text(path, "one\n")
    atomic_write_text(path, "two\n")
    assert path.read_text(encoding="utf-8") == "two\n"
    assert [p.name for p in path.parent.iterdir()] == ["a.toml"]
