"""The presenter view: a second pygame.Window beside the audience's, driven by the same remote."""

from __future__ import annotations

from pathlib import Path

import pygame

from glassbox_game.cli import main
from glassbox_game.lecture_script import load_lecture_script, loads_lecture_script
from glassbox_game.scenes.lecture import LectureScene
from glassbox_game.scenes.presenter import PresenterWindow, clock_text, presenter_path
from tests.app.helpers import frames, make_app, press

ROOT = Path(__file__).resolve().parents[2]
STORY = str(ROOT / "lectures" / "backprop-story.toml")
BEATS = load_lecture_script(STORY).beats


def presenter_app(*extra: str):
    app = make_app("lecture", STORY, "--presenter", "--resolution", "1280x720", *extra)
    frames(app, 2)
    assert isinstance(app.top, LectureScene)
    assert isinstance(app.presenter, PresenterWindow)
    return app, app.top, app.presenter


def post_key(key: int, window) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0, window=window))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0, window=window))


def test_presenter_window_opens_beside_the_audience_and_shows_the_notes() -> None:
    app, _, p = presenter_app()
    assert isinstance(p.window, pygame.Window)
    assert p.window.get_surface() is not pygame.display.get_surface()  # two windows, two surfaces
    assert p.window.size == (1280, 720)
    shown = p.shown
    assert shown["beat"] == 1 and shown["total"] == len(BEATS)
    assert " ".join(shown["notes"]).split() == BEATS[0].notes.split()  # every word of beat 1's notes
    assert shown["next"] == f"Next: 2  ·  {BEATS[1].title}" and shown["next_caption"] == BEATS[1].caption
    assert shown["state"] == "live"
    surface = p.window.get_surface()
    notes_strip = [surface.get_at((x, 140))[:3] for x in range(20, 600, 3)]
    assert len(set(notes_strip)) > 2  # text is drawn there, not an empty panel
    app.shutdown()


def test_a_remote_key_in_either_window_advances_both() -> None:
    app, scene, p = presenter_app()
    post_key(pygame.K_PAGEDOWN, p.window)  # the presenter window has the focus
    frames(app, 1)
    assert scene.beat_index == 1 and p.shown["beat"] == 2
    assert p.shown["last_key"] == "Page Down"
    assert " ".join(p.shown["notes"]).split() == BEATS[1].notes.split()
    post_key(pygame.K_PAGEDOWN, None)  # the audience window has the focus
    frames(app, 1)
    assert scene.beat_index == 2 and p.shown["beat"] == 3
    post_key(pygame.K_b, p.window)  # blanking from the laptop blanks the projector
    frames(app, 1)
    assert app.black_screen == (0, 0, 0) and p.shown["state"] == "black screen"
    assert pygame.display.get_surface().get_at((640, 360))[:3] == (0, 0, 0)
    post_key(pygame.K_LEFT, p.window)  # any key returns; the next goes back a beat
    post_key(pygame.K_LEFT, p.window)
    frames(app, 1)
    assert app.black_screen is None and scene.beat_index == 1 and p.shown["last_key"] == "←"
    app.shutdown()


def test_the_mouse_in_the_presenter_window_never_reaches_the_lecture() -> None:
    app, scene, p = presenter_app()
    play = scene.targets()["play"].center
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, pos=play, button=1, window=p.window))
    frames(app, 2)
    assert not scene.sim.playing
    app.shutdown()


def test_closing_the_presenter_window_keeps_the_lecture_going() -> None:
    app, scene, p = presenter_app()
    pygame.event.post(pygame.event.Event(pygame.WINDOWCLOSE, window=p.window))
    frames(app, 2)
    assert app.presenter is None and app.running and app.top is scene
    press(app, "page down")
    frames(app, 1)
    assert scene.beat_index == 1
    press(app, "v")  # V opens it again, on the beat the lecture is at …
    frames(app, 1)
    assert app.presenter is not None and app.presenter.shown["beat"] == 2
    press(app, "v")  # … and closes it
    frames(app, 1)
    assert app.presenter is None and app.running
    app.shutdown()


def test_closing_the_audience_window_asks_before_quitting() -> None:
    app, _, p = presenter_app()
    pygame.event.post(pygame.event.Event(pygame.WINDOWCLOSE, window=None))
    frames(app, 1)
    assert app.top.name == "confirm-quit" and app.running and app.presenter is p
    app.shutdown()


def test_the_beat_clock_restarts_on_each_beat() -> None:
    app, _, p = presenter_app()
    frames(app, 130)  # the window redraws ten times a second: its clock is at most 0.1 s behind
    assert p.shown["elapsed"] == "0:02" and p.shown["on_beat"] == "0:02"
    press(app, "page down")
    frames(app, 90)
    assert p.shown["elapsed"] == "0:03" and p.shown["on_beat"] == "0:01"
    assert clock_text(3725) == "1:02:05"
    app.shutdown()


def test_headless_screenshots_of_both_windows(tmp_path: Path) -> None:
    shot = tmp_path / "hall.png"
    assert main(["lecture", STORY, "--presenter", "--headless", "--frames", "3", "--resolution", "640x360",
                 "--presenter-resolution", "800x500", "--screenshot", str(shot)]) == 0
    assert presenter_path(shot) == tmp_path / "hall-presenter.png"
    assert pygame.image.load(str(shot)).get_size() == (640, 360)
    assert pygame.image.load(str(tmp_path / "hall-presenter.png")).get_size() == (800, 500)


def test_notes_keep_paragraphs_and_are_optional() -> None:
    text = """[lecture]
title = "t"
[[beats]]
setup = "setups/xor-hidden.toml"
notes = \"\"\"First point,
same paragraph.

Second   point.\"\"\"
[[beats]]
title = "no notes"
"""
    script = loads_lecture_script(text, "t.toml", ROOT / "lectures")
    assert script.beats[0].notes == "First point, same paragraph.\nSecond point."
    assert script.beats[1].notes == ""


def test_long_notes_on_a_small_window_end_in_an_ellipsis_never_off_the_edge(tmp_path: Path) -> None:
    (tmp_path / "xor.toml").write_bytes((ROOT / "lectures" / "setups" / "xor-hidden.toml").read_bytes())
    script = tmp_path / "long.toml"
    words = " ".join(f"word{k}" for k in range(150))
    script.write_text(f'[lecture]\ntitle = "t"\n[[beats]]\nsetup = "xor.toml"'
                      f'\nnotes = "{words}"\n', encoding="utf-8")
    app = make_app("lecture", str(script), "--presenter", "--presenter-resolution", "640x400")
    frames(app, 2)
    lines = app.presenter.shown["notes"]
    assert lines and lines[-1].endswith("…") and len(" ".join(lines).split()) < 150
    theme = app.presenter.theme((640, 400))
    assert all(theme.measure(line, "caption")[0] <= 640 for line in lines)
    app.shutdown()


def test_leaving_lecture_mode_closes_the_presenter_window() -> None:
    app, scene, _ = presenter_app()
    app.pop()  # back to the title menu
    frames(app, 1)
    assert app.presenter is None and app.running and app.top is not scene
    app.shutdown()
