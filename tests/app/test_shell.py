"""The shell end to end: real app, real events, headless."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from glassbox_game.scenes.overlays import ConfirmScene, HelpScene, PauseScene
from glassbox_game.scenes.sandbox import SandboxScene
from glassbox_game.scenes.title import TitleScene
from tests.app.helpers import click, frames, make_app, press

ROOT = Path(__file__).resolve().parents[2]


def test_menu_to_sandbox_play_pause_step_and_screenshot(tmp_path: Path) -> None:
    app = make_app("--resolution", "1280x720")
    frames(app, 2)
    assert isinstance(app.top, TitleScene)
    click(app, app.top.targets()["title:sandbox"].center)  # the menu item a student clicks
    frames(app, 2)
    scene = app.top
    assert isinstance(scene, SandboxScene)
    press(app, "space")  # play
    frames(app, 180)  # 3 s at the default 1 epoch a second
    snap = scene.sim.snapshot()
    assert snap.playing and snap.epoch == 3
    assert len(snap.history) == 3 and snap.loss == pytest.approx(snap.history.at(3))
    press(app, "space")  # pause
    frames(app, 1)
    paused = scene.sim.snapshot()
    assert not paused.playing
    frames(app, 30)
    assert scene.sim.snapshot().phase_progress == paused.phase_progress  # time stands still when paused
    before = paused.shown_phase
    press(app, "right")  # step one phase
    frames(app, 1)
    after = scene.sim.snapshot()
    order = ["forward", "loss", "backward", "update"]
    assert after.shown_phase == ("forward" if before == "ready" else order[(order.index(before) + 1) % 4])
    assert 0.0 < after.phase_progress < 0.1  # the phase's packets have just set off
    frames(app, 60)
    assert scene.sim.snapshot().phase_progress == 1.0  # and arrive: the phase holds until the next press
    out = tmp_path / "shot.png"
    app.save_screenshot(str(out))
    shot = pygame.image.load(str(out))
    assert shot.get_size() == (1280, 720)
    app.shutdown()


def test_escape_opens_pause_and_quitting_asks_first() -> None:
    app = make_app("sandbox")
    frames(app, 1)
    press(app, "escape")
    frames(app, 1)
    assert isinstance(app.top, PauseScene)
    press(app, "escape")  # Esc again resumes, it never quits
    assert isinstance(app.top, SandboxScene)
    app.dispatch(pygame.event.Event(pygame.QUIT))  # the window's close button
    frames(app, 1)
    assert isinstance(app.top, ConfirmScene) and app.running
    press(app, "return")  # the default answer is "No"
    assert app.running and isinstance(app.top, SandboxScene)
    app.dispatch(pygame.event.Event(pygame.QUIT))
    click(app, app.top.targets()["confirm-quit:yes"].center)
    assert not app.running
    app.shutdown()


def test_help_overlay_lists_keys_and_closes() -> None:
    app = make_app("sandbox")
    press(app, "f1")
    frames(app, 1)
    assert isinstance(app.top, HelpScene)
    press(app, "x")
    assert isinstance(app.top, SandboxScene)
    app.shutdown()


def test_resize_relayouts_the_sandbox() -> None:
    app = make_app("sandbox", "--resolution", "1280x720")
    frames(app, 1)
    small = {k: r.copy() for k, r in app.top.targets().items()}
    app.resize((3840, 2160))
    frames(app, 1)
    big = app.top.targets()
    assert app.screen.get_size() == (3840, 2160)
    assert big["play"].w > small["play"].w * 2.5  # widgets grow with the window
    app.shutdown()


def _shot(tmp_path: Path, name: str, size: str, script: Path) -> bytes:
    out = tmp_path / name
    subprocess.run([sys.executable, "-m", "glassbox_game", "sandbox", "--headless", "--frames", "150", "--seed", "7",
                    "--resolution", size, "--script", str(script), "--screenshot", str(out)],
                   check=True, cwd=ROOT, timeout=120)
    return pygame.image.tobytes(pygame.image.load(str(out)), "RGB")


@pytest.mark.slow
def test_same_seed_and_script_give_identical_frames(tmp_path: Path) -> None:
    script = tmp_path / "run.script"
    script.write_text("at 0.1 key space\nat 0.5 select edge h1->y\nat 1.6 speed 8\nat 2.2 key space\n"
                      "at 2.3 key right\n", encoding="utf-8")
    first = _shot(tmp_path, "a.png", "1920x1080", script)
    second = _shot(tmp_path, "b.png", "1920x1080", script)
    assert first == second
    other = tmp_path / "other.script"
    other.write_text("at 0.1 key space\n", encoding="utf-8")
    assert _shot(tmp_path, "c.png", "1920x1080", other) != first  # the frames really depend on the run


def test_bad_script_and_bad_options_fail_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.script"
    bad.write_text("at 1 jump\n", encoding="utf-8")
    for argv, expect in ((["sandbox", "--script", str(bad)], "unknown action 'jump'"),
                         (["sandbox", "--resolution", "big"], "WIDTHxHEIGHT"),
                         (["play", "no-such-level", "--headless", "--frames", "1"], "no level 'no-such-level'")):
        proc = subprocess.run([sys.executable, "-m", "glassbox_game", *argv], capture_output=True, text=True,
                              cwd=ROOT, timeout=60)
        assert proc.returncode != 0
        assert expect in proc.stderr
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1


def test_brackets_set_the_selected_weight_by_hand_and_the_trace_follows() -> None:
    app = make_app("sandbox")
    frames(app, 1)
    scene = app.top
    press(app, "[")  # nothing selected: a notice, nothing changes
    frames(app, 1)
    assert any("Select a connection" in text for text, _ in app.notices)
    before = scene.sim.trainer.network.parameters()
    app.top.script_command(["select", "edge", "h1->y"])
    frames(app, 1)
    w0 = float(scene.sim.trainer.network.weights[1][0, 0])
    press(app, "]")
    press(app, "]")
    press(app, "shift+[")
    frames(app, 1)
    w1 = float(scene.sim.trainer.network.weights[1][0, 0])
    assert w1 == pytest.approx(w0 + 0.19)
    snap = scene.sim.snapshot()
    assert float(snap.trace.weights[1][0, 0]) == pytest.approx(w1)  # the displayed step uses the new weight
    assert not snap.playing
    changed = [k for k, (a, b) in enumerate(zip(before, scene.sim.trainer.network.parameters(), strict=True)) if a != b]
    assert len(changed) == 1
    app.shutdown()


def test_playing_a_setup_file_without_a_challenge_opens_it_in_the_sandbox(tmp_path: Path) -> None:
    setup_file = tmp_path / "setup.toml"
    setup_file.write_text('[network]\nlayers = [2, 3, 1]\nseed = 4\n[data]\nproblem = "and"\n', encoding="utf-8")
    app = make_app("play", str(setup_file))
    frames(app, 1)
    assert isinstance(app.top, SandboxScene)
    assert app.top.sim.setup.layers == (2, 3, 1) and app.top.sim.setup.problem == "and"
    app.shutdown()


@pytest.mark.parametrize("argv", [["--headless", "--frames", "5", "--seed", "3", "sandbox"],
                                  ["sandbox", "--headless", "--frames", "5", "--seed", "3"]])
def test_options_work_before_or_after_the_subcommand(argv: list[str]) -> None:
    from glassbox_game.cli import build_parser

    args = build_parser().parse_args(argv)
    assert (args.command, args.headless, args.frames, args.seed) == ("sandbox", True, 5, 3)
