"""Every shipped level is won headless through the real app by its solution script; idling wins nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glassbox_game.cli import main
from glassbox_game.engine.setup import Setup
from glassbox_game.levels import level_to_toml, load_level, shipped_levels
from glassbox_game.levels.progress import level_key, load_progress
from glassbox_game.sim.simulation import DEFAULT_SPEED, SPEEDS, nearest_speed

MAX_WATCH_SECONDS = 15
SOLUTIONS = Path(__file__).resolve().parents[1] / "levels" / "solutions"
LEVELS = shipped_levels()


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("GLASSBOX_DATA_DIR", str(data))
    monkeypatch.setenv("GLASSBOX_CONFIG_DIR", str(tmp_path / "config"))
    return data


def test_every_level_has_a_solution_script():
    names = sorted(p.stem for p in SOLUTIONS.glob("*.script"))
    assert names == sorted(Path(lv.path).stem for lv in LEVELS if lv.path is not None)


@pytest.mark.slow
@pytest.mark.parametrize("level", LEVELS, ids=[lv.id for lv in LEVELS])
def test_solution_script_wins(level, dirs):
    assert level.path is not None
    script = SOLUTIONS / f"{level.path.stem}.script"
    code = main(["play", str(level.id), "--headless", "--frames", "300", "--script", str(script),
                 "--resolution", "1280x720"])
    assert code == 0
    progress = load_progress(dirs)
    assert progress.notice is None
    key = level_key(level)  # shipped levels are keyed by their shipped path
    assert key == f"levels/{level.path.name}"
    assert progress.stars(key) >= 1, f"{level.id} was not won by its solution"
    saved = json.loads((dirs / "progress.json").read_text())
    assert saved["levels"][key]["wins"] == 1
    # the level starts at a speed that fits its goal: the solution's epochs take at most 15 s to
    # watch at that speed (a student who never finds "+" is not left waiting minutes)
    epochs = saved["levels"][key]["best_epochs"]
    speed = SPEEDS[DEFAULT_SPEED if level.speed is None else nearest_speed(level.speed)]  # the step it runs at
    assert level.speed is None or level.speed in SPEEDS, "a level's speed is a step of the slider (its comment's seconds hold)"
    assert epochs / speed <= MAX_WATCH_SECONDS, \
        f"{level.id}: {epochs} epochs at {speed:g}/s take {epochs / speed:.0f} s; give it a [training] speed"


@pytest.mark.slow
@pytest.mark.parametrize("level", LEVELS, ids=[lv.id for lv in LEVELS])
def test_doing_nothing_does_not_win(level, dirs, tmp_path):
    idle = tmp_path / "idle.script"
    idle.write_text("at 0.1 key enter\n")  # start, then touch nothing
    code = main(["play", str(level.id), "--headless", "--frames", "120", "--script", str(idle),
                 "--resolution", "1280x720"])
    assert code == 0
    assert load_progress(dirs).stars(str(level_key(level))) == 0
    assert not (dirs / "progress.json").exists()


@pytest.mark.slow
def test_debrief_next_opens_the_following_level_and_select_shows_stars(dirs, tmp_path):
    from glassbox_game.app import App
    from glassbox_game.cli import build_parser
    from glassbox_game.scenes.level_play import BriefingScene, DebriefScene, LevelPlayScene
    from glassbox_game.scenes.level_select import LevelSelectScene
    from glassbox_game.script import load_script

    script = SOLUTIONS / "02-and-converges.script"
    args = build_parser().parse_args(["play", "02", "--headless", "--resolution", "1280x720"])
    app = App(args, load_script(str(script)))
    app.start("play", args)
    try:
        for _ in range(240):
            app.frame_once(1 / 60)
        assert isinstance(app.top, DebriefScene)
        assert app.top.play.stars == 3
        assert set(app.top.targets()) == {"debrief:select", "debrief:retry", "debrief:next"}
        app.top.script_command(["next"])
        assert isinstance(app.top, BriefingScene)  # the next level opens with its briefing
        assert isinstance(app.scenes[-2], LevelPlayScene) and app.scenes[-2].level.id == "loss-chart"
        app.top.script_command(["back"])  # briefing → level select
        assert isinstance(app.top, LevelSelectScene)
        select = app.top
        assert select.progress.stars("levels/02-and-converges.toml") == 3
        assert select.unlocked(2) and not select.unlocked(3)
        assert select.levels[select.focus].id == "forward-pass"  # level 1 is still unsolved
    finally:
        app.shutdown()


@pytest.mark.parametrize(("size", "scale"), [("1280x720", 2.0), ("1920x1080", 1.0)])
def test_wrong_and_bad_answers_count_and_reveal_hints(dirs, size, scale):
    from glassbox_game import tour
    from glassbox_game.app import App
    from glassbox_game.cli import build_parser
    from glassbox_game.kit import text_log
    from glassbox_game.script import parse_script

    script = parse_script("at 0.1 key enter\nat 0.2 answer abc\nat 0.3 answer 9\nat 0.4 answer 9\n"
                          "at 0.5 key h\n")
    args = build_parser().parse_args(["play", "01", "--headless", "--resolution", size])
    text_log.start()
    app = App(args, script)
    app.update_settings(text_scale=scale)  # 200 %: the goals and hints overflow the card and scroll
    app.start("play", args)
    try:
        for _ in range(40):
            app.frame_once(1 / 60)
        play = app.top
        assert play.tracker.failures == 2, "unreadable input is not an attempt"
        assert play.tracker.revealed == [0, 1] and play.tracker.hints_requested == 1
        assert play.hud.feedback is not None and "Not quite" in play.hud.feedback[0]
        # the hints are in the goals card, the newest in view; no pop-up covers the cards below
        card = [r for _, layer in tour.capture(app).layers for r in layer if play.hud.rect.contains(r.rect)]
        assert "HINT 2" in [r.text for r in card], [r.text for r in card]
        assert not any("Hint" in text for text, _ in app.notices)
    finally:
        app.shutdown()
        text_log.stop()


def test_keys_a_level_does_not_allow_are_refused(dirs):
    from glassbox_game.app import App
    from glassbox_game.cli import build_parser
    from glassbox_game.script import parse_script

    # level 4 allows step and reset only: learning-rate changes by script are refused
    script = parse_script("at 0.1 key enter\nat 0.2 set learning_rate 5\n")
    args = build_parser().parse_args(["play", "04", "--headless", "--resolution", "1280x720"])
    app = App(args, script)
    app.start("play", args)
    try:
        for _ in range(30):
            app.frame_once(1 / 60)
        assert app.top.sim.setup.learning_rate == 1.0
        assert any("does not let you change" in t for t, _ in app.notices)
    finally:
        app.shutdown()


def test_sandbox_level_file_round_trip_plays(tmp_path, dirs):
    setup = Setup(layers=(2, 3, 1), hidden_activation="tanh", loss="cross_entropy", learning_rate=0.7, seed=5,
                  problem=None, inputs=((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)),
                  targets=((1.0,), (0.0,), (0.0,), (1.0,)))
    path = tmp_path / "mine.toml"
    path.write_text(level_to_toml(setup), encoding="utf-8")
    assert load_level(path).setup == setup
    code = main(["sandbox", "--headless", "--frames", "5", "--resolution", "1280x720"])
    assert code == 0


def test_a_level_with_its_own_speed_starts_at_it_and_leaves_the_setting_alone() -> None:
    from glassbox_game.sim.simulation import SPEEDS
    from tests.app.helpers import make_app as _make_app

    app = _make_app("play", "and-converges")
    scene = app.scenes[1]
    assert SPEEDS[scene.sim.speed_index] == 5.0
    before = app.settings.speed_index
    app.shutdown()
    assert app.settings.speed_index == before
