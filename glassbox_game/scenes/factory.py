"""Which scenes a command starts with, and constructors shared by menus and shortcuts."""

from __future__ import annotations

import argparse
from pathlib import Path

from glassbox_game.cli import CliError
from glassbox_game.engine.setup import Setup


def sandbox_scene(app, setup: Setup | None):
    from glassbox_game.scenes.sandbox import SandboxScene

    return SandboxScene(app, setup)


def level_select_scene(app):
    from glassbox_game.scenes.level_select import LevelSelectScene

    return LevelSelectScene(app)


def level_play_scene(app, level):
    from glassbox_game.scenes.level_play import LevelPlayScene

    return LevelPlayScene(app, level)


def lecture_scene(app, script_path: str | None, setup: Setup | None = None):
    from glassbox_game.scenes.lecture import LectureScene

    return LectureScene(app, script_path, setup)


def find_level(ref: str):
    """A shipped level by id (or number), or a level file by path; CliError with one line otherwise."""
    from glassbox_game.levels import LevelError, load_level, shipped_levels

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


def initial_scenes(app, command: str, args: argparse.Namespace) -> list:
    from glassbox_game.scenes.title import TitleScene

    title = TitleScene(app)
    if command == "sandbox":
        return [title, sandbox_scene(app, None)]
    if command == "play":
        level = find_level(args.level)
        if level.is_sandbox:  # a setup with no challenge (e.g. saved from the sandbox) opens in the sandbox
            return [title, sandbox_scene(app, level.setup)]
        return [title, level_play_scene(app, level)]
    if command == "lecture":
        script = getattr(args, "lecture_script", None)
        if script is not None:
            from glassbox_game.lecture_script import LectureScriptError, load_lecture_script

            try:
                load_lecture_script(script)
            except LectureScriptError as exc:
                raise CliError(str(exc)) from None
        return [title, lecture_scene(app, script)]
    return [title]
