"""The Open and Save dialogs as a person meets them: where they start, what they list, what typing means."""

from __future__ import annotations

import os
from pathlib import Path

import pygame

from glassbox_game.levels import LEVELS_DIR
from glassbox_game.scenes.file_dialog import FileDialogScene
from glassbox_game.scenes.sandbox import SandboxScene
from tests.app.helpers import frames, press


def open_dialog(app, key: str = "ctrl+o") -> FileDialogScene:
    press(app, key)
    frames(app, 1)
    dialog = app.top
    assert isinstance(dialog, FileDialogScene)
    return dialog


def listed(dialog: FileDialogScene) -> list[str]:
    assert dialog.dialog is not None
    return [item[0] if isinstance(item, tuple) else item for item in dialog.dialog.current_file_list]


def type_path(app, dialog: FileDialogScene, text: str, enter: bool = True) -> None:
    """Type at the end of the path field, as a person would after the folder it shows."""
    app.dispatch(pygame.event.Event(pygame.TEXTINPUT, text=text))
    frames(app, 1)
    if enter:
        press(app, "return")
        frames(app, 1)


def folder_of(dialog: FileDialogScene) -> Path:
    assert dialog.dialog is not None
    return Path(dialog.dialog.current_directory_path)


def test_open_starts_in_the_shipped_levels_without_a_levels_folder(app, home) -> None:
    dialog = open_dialog(app)
    assert folder_of(dialog) == LEVELS_DIR.resolve()
    assert "01-forward-pass.toml" in listed(dialog)


def test_open_starts_in_the_users_levels_folder_then_in_the_last_folder_used(app, home) -> None:
    mine = home / "glassbox-levels"
    mine.mkdir()
    dialog = open_dialog(app)
    assert folder_of(dialog) == mine.resolve()
    press(app, "escape")
    frames(app, 1)
    other = home / "class"
    other.mkdir()
    (other / "quiz.toml").write_text((LEVELS_DIR / "01-forward-pass.toml").read_text())
    dialog = open_dialog(app)
    dialog.pick(other / "quiz.toml")
    frames(app, 1)
    dialog = open_dialog(app)
    assert folder_of(dialog) == other.resolve()


def test_dotfiles_are_not_listed(app, home) -> None:
    mine = home / "glassbox-levels"
    mine.mkdir()
    (mine / ".hidden.toml").write_text("")
    (mine / ".git").mkdir()
    (mine / "seen.toml").write_text("")
    dialog = open_dialog(app)
    assert listed(dialog) == ["seen.toml"]


def test_a_folder_is_shown_with_a_separator_so_typing_joins_the_path(app, home) -> None:
    mine = home / "glassbox-levels"
    (mine / "week1").mkdir(parents=True)
    (mine / "week1" / "and.toml").write_text((LEVELS_DIR / "02-and-converges.toml").read_text())
    dialog = open_dialog(app)
    assert dialog.dialog is not None
    shown = dialog.dialog.file_path_text_line.get_text()
    assert shown == str(mine.resolve()) + os.sep
    type_path(app, dialog, "week1/and.toml")
    assert isinstance(app.top, SandboxScene), "the typed path opened"
    assert any("Opened and.toml" in text for text, _ in app.notices)


def test_a_relative_name_is_read_in_the_folder_on_show(app, home) -> None:
    mine = home / "glassbox-levels"
    mine.mkdir()
    dialog = open_dialog(app)
    assert dialog.typed() is not None
    assert dialog.dialog is not None
    dialog.dialog.file_path_text_line.set_text("mine.toml")
    assert dialog.typed() == mine.resolve() / "mine.toml"


def test_a_path_that_cannot_be_opened_says_why(app, home) -> None:
    mine = home / "glassbox-levels"
    mine.mkdir()
    (mine / "notes.txt").write_text("x")
    dialog = open_dialog(app)
    type_path(app, dialog, "nothing-here.toml")
    assert app.top is dialog, "the dialog stays open"
    assert dialog.problem is not None and "nothing-here.toml" in dialog.problem and "no such file" in dialog.problem
    assert dialog.dialog is not None
    dialog.dialog.file_path_text_line.set_text(str(mine / "notes.txt"))
    press(app, "return")
    frames(app, 1)
    assert dialog.problem is not None and ".toml" in dialog.problem
    dialog.dialog.file_path_text_line.set_text(str(home / "no-folder" / "x.toml"))
    press(app, "return")
    frames(app, 1)
    assert dialog.problem is not None and "no folder" in dialog.problem
    frames(app, 1)
    pygame.image.save(app.screen, str(home / "shot.png"))  # drawing the message does not fail


def test_cancelling_either_dialog_creates_nothing(app, home) -> None:
    before = sorted(p.name for p in home.iterdir())
    for key in ("ctrl+s", "ctrl+o"):
        open_dialog(app, key)
        press(app, "escape")
        frames(app, 1)
        assert isinstance(app.top, SandboxScene)
    assert sorted(p.name for p in home.iterdir()) == before
    assert not (home / "glassbox-levels").exists()


def test_saving_to_the_default_folder_makes_it_then(app, home) -> None:
    dialog = open_dialog(app, "ctrl+s")
    assert dialog.chosen() == home / "glassbox-levels" / "my-level.toml"
    press(app, "return")
    frames(app, 1)
    assert (home / "glassbox-levels" / "my-level.toml").is_file()
