"""Lecture mode through the real app: every remote key, the shipped script forwards and back, and
broken scripts refused with their exact messages."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pygame
import pytest

from glassbox_game.errors import CliError
from glassbox_game.lecture_script import LectureScriptError, load_lecture_script
from glassbox_game.scenes.lecture import LectureScene
from glassbox_game.scenes.overlays import ConfirmScene, PauseScene
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import SLOW_MOTION
from glassbox_game.ui.caption_bar import CAPTION_ROLE, bar_height, text_width, wrap
from tests.app.helpers import click, frames, make_app, pixels, press

ROOT = Path(__file__).resolve().parents[2]
STORY = str(ROOT / "lectures" / "backprop-story.toml")
BROKEN = ROOT / "tests" / "lecture_scripts" / "broken"
EXPECTED: dict[str, str] = tomllib.loads(
    (ROOT / "tests" / "lecture_scripts" / "expected_messages.toml").read_text(encoding="utf-8"))


def lecture(*argv: str):
    app = make_app("lecture", *argv, "--resolution", "1920x1080")
    frames(app, 2)
    scene = app.top
    assert isinstance(scene, LectureScene)
    return app, scene


def state(scene: LectureScene) -> tuple:
    """What the audience sees of the run: beat, weights, epoch, phase, selection, panels, settings."""
    sim = scene.sim
    return (scene.beat_index, scene.sub, sim.trainer.epoch, sim.phase,
            tuple(sim.trainer.network.parameters()), sim.selection, sim.sample, scene.show,
            sim.setup.loss, sim.setup.hidden_activation, tuple(sorted(scene.tabs.items())))


# -- the remote ------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["page down", "right", "space"])
def test_next_keys_advance_one_beat(key: str) -> None:
    app, scene = lecture(STORY)
    assert scene.beat_index == 0
    press(app, key)
    frames(app, 1)
    assert scene.beat_index == 1
    app.shutdown()


@pytest.mark.parametrize("key", ["page up", "left"])
def test_back_keys_return_one_beat(key: str) -> None:
    app, scene = lecture(STORY)
    press(app, "page down")
    press(app, "page down")
    frames(app, 1)
    assert scene.beat_index == 2
    press(app, key)
    frames(app, 1)
    assert scene.beat_index == 1
    app.shutdown()


def test_without_a_script_next_steps_a_phase_and_back_steps_back() -> None:
    app, scene = lecture()
    order = ["ready", "forward", "loss", "backward", "update"]
    for key in ("page down", "right", "space", "page down"):
        before = scene.sim.snapshot().shown_phase
        press(app, key)
        frames(app, 1)
        after = scene.sim.snapshot()
        assert order.index(after.shown_phase) == order.index(before) + 1
        assert not after.playing  # Space is "next" here, not play
    assert scene.sim.snapshot().epoch == 1
    press(app, "page up")
    frames(app, 1)
    assert scene.sim.snapshot().epoch == 0
    app.shutdown()


@pytest.mark.parametrize(("key", "colour"), [("b", (0, 0, 0)), (".", (0, 0, 0)), ("w", (255, 255, 255))])
def test_blank_screen_and_any_key_returns(key: str, colour: tuple[int, int, int]) -> None:
    app, scene = lecture(STORY)
    press(app, key)
    frames(app, 1)
    assert app.black_screen == colour
    shot = pygame.image.tobytes(app.screen, "RGB")
    assert set(shot) == set(colour)  # every pixel, nothing drawn over it
    beat = scene.beat_index
    press(app, "page down")  # the key that wakes the screen does nothing else
    frames(app, 1)
    assert app.black_screen is None and scene.beat_index == beat
    assert len(set(pixels(app))) > 2
    app.shutdown()


def test_f5_starts_fullscreen_and_keeps_it() -> None:
    app, _ = lecture(STORY)
    assert not app.fullscreen
    press(app, "f5")
    frames(app, 1)
    assert app.fullscreen
    press(app, "f5")  # remotes send F5 again to "resume": it must not leave fullscreen
    frames(app, 1)
    assert app.fullscreen
    app.shutdown()


def test_escape_opens_the_pause_menu_and_quitting_asks() -> None:
    app, scene = lecture(STORY)
    press(app, "escape")
    frames(app, 1)
    assert isinstance(app.top, PauseScene) and app.running
    click(app, app.top.targets()["pause:quit"].center)
    frames(app, 1)
    assert isinstance(app.top, ConfirmScene) and app.running
    press(app, "return")  # a stray Enter lands on "No"
    frames(app, 1)
    assert app.running and isinstance(app.top, PauseScene)
    press(app, "escape")
    frames(app, 1)
    assert app.top is scene and app.running
    app.shutdown()


def test_enter_plays_and_pauses() -> None:
    app, scene = lecture(STORY)
    press(app, "return")
    frames(app, 2)
    assert scene.sim.playing
    press(app, "return")
    frames(app, 1)
    assert not scene.sim.playing
    app.shutdown()


def test_m_is_slow_motion_and_back() -> None:
    app, scene = lecture(STORY)
    before = scene.sim.speed_index
    assert before != SLOW_MOTION
    press(app, "m")
    frames(app, 1)
    assert scene.sim.speed_index == SLOW_MOTION
    press(app, "m")
    frames(app, 1)
    assert scene.sim.speed_index == before
    app.shutdown()


def test_t_and_i_open_and_close_panels() -> None:
    app, scene = lecture(STORY)
    assert "panel:tables" not in scene.targets()
    press(app, "t")
    press(app, "i")
    frames(app, 1)
    assert {"tables", "insight"} <= scene.show
    assert {"panel:tables", "panel:insight"} <= set(scene.targets())
    press(app, "t")
    frames(app, 1)
    assert "tables" not in scene.show and "panel:tables" not in scene.targets()
    app.shutdown()


def test_p_cycles_spotlight_laser_off() -> None:
    app, scene = lecture(STORY)
    frames(app, 1)
    plain = pygame.image.tobytes(app.screen, "RGB")
    centre = scene.targets()["panel:chain"].center
    pygame.mouse.set_pos(centre)
    app.dispatch(pygame.event.Event(pygame.MOUSEMOTION, pos=centre, rel=(0, 0), buttons=(0, 0, 0)))
    press(app, "p")
    frames(app, 1)
    assert scene.spotlight.mode == "spotlight"
    far = (40, app.size[1] - 40)
    lit = app.screen.get_at(centre)[:3]
    dim = app.screen.get_at(far)[:3]
    assert sum(dim) < 0.5 * sum(pygame.Surface.get_at(pygame.image.frombytes(plain, app.size, "RGB"), far)[:3])
    assert sum(lit) > sum(dim)
    press(app, "p")
    frames(app, 1)
    assert scene.spotlight.mode == "laser"
    r, g, b = app.screen.get_at((centre[0] + 7, centre[1]))[:3]
    assert r > 200 and g < 120 and b < 120  # a red dot where the pointer is
    press(app, "p")
    frames(app, 1)
    assert scene.spotlight.mode == "off"
    app.shutdown()


def test_z_zooms_on_the_selection_or_the_panel_under_the_pointer() -> None:
    app, scene = lecture(STORY)
    for _ in range(3):
        press(app, "page down")
    frames(app, 2)  # beat 4 selects h1 -> y
    assert scene.sim.selection == Selection.edge(1, 0, 0)
    press(app, "z")
    frames(app, 1)
    assert scene.zoom.active and "h₁" in scene.zoom.label and "ŷ" in scene.zoom.label
    press(app, "z")
    frames(app, 1)
    assert not scene.zoom.active
    pos = scene.targets()["panel:chart"].center
    pygame.mouse.set_pos(pos)
    app.dispatch(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    press(app, "z")
    frames(app, 1)
    assert scene.zoom.active and scene.zoom.label == "loss chart"
    assert scene.zoom.window.w > scene.targets()["panel:chart"].w * 1.5
    press(app, "escape")  # Esc closes the zoom first, not the lecture
    frames(app, 1)
    assert not scene.zoom.active and app.top is scene
    app.shutdown()


# -- the shipped script ------------------------------------------------------------------------------
@pytest.mark.slow
def test_shipped_script_forwards_then_back_through_every_beat() -> None:
    app, scene = lecture(STORY)
    script = load_lecture_script(STORY)
    presses = sum(b.presses for b in script.beats) - 1
    seen = [state(scene)]
    for _ in range(presses):
        press(app, "page down")
        frames(app, 3)  # a playing beat is still animating when the next press comes
        scene.settle()  # what the next press would do first: its end state
        seen.append(state(scene))
    assert scene.beat_index == len(script.beats) - 1
    # the end of the story: leaky ReLU revived h2 and solved XOR
    snap = scene.sim.snapshot()
    assert snap.setup.hidden_activation == "leaky_relu" and snap.epoch == 600
    assert snap.loss is not None and snap.loss < 0.01
    assert not snap.locked[0][1]  # h2 (locks are listed per non-input layer)
    assert snap.selection == Selection.neuron(1, 1) and scene.show == frozenset({"insight"})
    assert snap.ghost is not None and len(snap.ghost) == 600  # the dead-ReLU run, for comparison
    for k in range(presses - 1, -1, -1):
        press(app, "page up")
        frames(app, 1)
        assert state(scene) == seen[k], f"press {k}"
    assert scene.beat_index == 0
    app.shutdown()


@pytest.mark.slow
def test_a_playing_beat_that_finishes_by_itself_ends_where_a_rebuild_does() -> None:
    app, scene = lecture(STORY)
    press(app, "page down")  # beat 2 plays AND to epoch 400 at 100 epochs a second
    frames(app, 1)
    assert scene.sim.playing
    frames(app, 300)
    assert not scene.sim.playing and scene.sim.trainer.epoch == 400 and scene.target is None
    live = state(scene)
    scene.go_to(1)
    assert state(scene) == live
    app.shutdown()


def test_beat_counter_and_caption_are_drawn() -> None:
    app, scene = lecture(STORY)
    assert "panel:caption" in scene.targets()
    bar = scene.targets()["panel:caption"]
    before = app.screen.subsurface(bar).copy()
    press(app, "page down")
    frames(app, 1)
    assert pygame.image.tobytes(app.screen.subsurface(bar), "RGB") != pygame.image.tobytes(before, "RGB")
    app.shutdown()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160)])
def test_every_caption_fits_its_bar(size: tuple[int, int]) -> None:
    from glassbox_game.kit.theme import make_theme

    pygame.init()
    theme = make_theme("lecture-light", size)
    script = load_lecture_script(STORY)
    m = theme.px(24)
    pairs = [(b.title, b.caption) for b in script.beats]
    limit = size[1] // 3
    h = bar_height(theme, size[0] - 2 * m, pairs, limit)
    assert h < limit  # the cap was not needed: nothing is cut off
    line_h = theme.measure("Ag", CAPTION_ROLE)[1]
    for beat in script.beats:
        assert len(wrap(theme, beat.caption, text_width(theme, size[0] - 2 * m))) * line_h < h


def test_script_verbs_drive_the_lecture() -> None:
    app, scene = lecture(STORY)
    assert scene.script_command(["next"]) and scene.beat_index == 1
    assert scene.script_command(["beat", "8"]) and scene.beat_index == 7
    assert scene.script_command(["back"]) and scene.beat_index == 6
    assert scene.script_command(["panel", "show", "tables"]) and "tables" in scene.show
    assert scene.script_command(["panel", "hide", "tables"]) and "tables" not in scene.show
    assert scene.script_command(["spotlight", "laser"]) and scene.spotlight.mode == "laser"
    assert scene.script_command(["spotlight", "off"]) and not scene.spotlight.active
    assert scene.script_command(["blank", "white"]) and app.black_screen == (255, 255, 255)
    app.shutdown()


# -- broken scripts ----------------------------------------------------------------------------------
def test_every_broken_script_has_an_expected_message() -> None:
    names = {p.name for p in BROKEN.glob("*.toml")}
    assert names == set(EXPECTED)
    assert len(names) >= 8


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_script_message(name: str) -> None:
    path = BROKEN / name
    with pytest.raises(LectureScriptError) as info:
        load_lecture_script(path)
    assert info.value.message == f"{path}: {EXPECTED[name].replace('{dir}', str(BROKEN))}"
    assert "\n" not in info.value.message


def test_the_command_line_refuses_a_broken_script_in_one_line() -> None:
    path = BROKEN / "no-such-connection.toml"
    with pytest.raises(CliError) as info:
        make_app("lecture", str(path))
    assert str(info.value) == f"{path}: {EXPECTED['no-such-connection.toml']}"
    pygame.quit()


def test_missing_script_file(tmp_path: Path) -> None:
    with pytest.raises(LectureScriptError, match=r"nope\.toml: no such file$"):
        load_lecture_script(tmp_path / "nope.toml")


def test_a_press_past_the_update_announces_the_next_step() -> None:
    app, scene = lecture()
    for _ in range(4):  # forward, loss, backward, update: no announcement
        press(app, "page down")
        frames(app, 1)
    notices = list(getattr(app, "notices", []))
    press(app, "page down")
    frames(app, 1)
    assert scene.sim.snapshot().shown_phase == "forward" and scene.sim.snapshot().trace.step == 2
    assert any("Step 2 begins" in str(n) for n in app.notices) and len(app.notices) > len(notices)
    app.shutdown()
