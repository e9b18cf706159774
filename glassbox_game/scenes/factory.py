"""The one table of scenes: every screen by name, and the scenes a command starts with.

Scenes move between screens by name (``host.show("level_select")``), so no scene imports
another to navigate; only this module (imported by the app) knows every scene class. Adding a
screen means adding its module and one row here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from glassbox_game.errors import CliError
from glassbox_game.levels import Level, LevelError, load_level, shipped_levels
from glassbox_game.scenes.base import Host, Scene
from glassbox_game.scenes.data_set import DataSetScene
from glassbox_game.scenes.file_dialog import FileDialogScene
from glassbox_game.scenes.lecture import LectureScene
from glassbox_game.scenes.level_play import LevelPlayScene
from glassbox_game.scenes.level_select import LevelSelectScene
from glassbox_game.scenes.overlays import ConfirmScene, HelpScene, PauseScene
from glassbox_game.scenes.sandbox import SandboxScene
from glassbox_game.scenes.settings_scene import SettingsScene
from glassbox_game.scenes.title import TitleScene
from glassbox_game.scenes.truth_table import TruthTableScene

#: name → constructor(host, *args): the only place a scene class is looked up
SCENES: dict[str, Callable[..., Scene]] = {
    "title": TitleScene,
    "level_select": LevelSelectScene,
    "level_play": LevelPlayScene,
    "sandbox": SandboxScene,
    "lecture": LectureScene,
    "settings": SettingsScene,
    "pause": PauseScene,
    "help": HelpScene,
    "confirm": ConfirmScene,
    "file_dialog": FileDialogScene,
    "truth_table": TruthTableScene,
    "data_set": DataSetScene,
}


def find_level(ref: str) -> Level:
    """A shipped level by id (or number), or a level file by path; CliError with one line otherwise."""
    path = Path(ref)
    if ref.endswith(".toml") or path.exists():
        try:
            return load_level(path)
        except LevelError as exc:
            raise CliError(str(exc)) from None
    levels = shipped_levels()
    for k, level in enumerate(levels, start=1):
        if ref in (level.id, str(k), f"{k:02d}"):
            return level
    ids = ", ".join(str(level.id) for level in levels)
    raise CliError(f"no level {ref!r}: give a level number 1 to {len(levels)}, a level file, or one of {ids}")


def initial_scenes(app: Host, command: str, args: argparse.Namespace) -> list[Scene]:
    title = TitleScene(app)
    if command == "sandbox":
        return [title, SandboxScene(app, None)]
    if command == "play":
        level = find_level(args.level)
        if level.is_sandbox:  # a setup with no challenge (e.g. saved from the sandbox) opens in the sandbox
            return [title, SandboxScene(app, level.setup)]
        return [title, LevelPlayScene(app, level)]
    if command == "lecture":
        script = getattr(args, "lecture_script", None)
        if script is not None:
            from glassbox_game.lecture_script import LectureScriptError, load_lecture_script

            try:
                load_lecture_script(script)
            except LectureScriptError as exc:
                raise CliError(str(exc)) from None
        return [title, LectureScene(app, script)]
    return [title]
