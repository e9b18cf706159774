"""The application: pygame set-up, the scene stack and the fixed-step main loop.

Each frame: events → scene on top; fixed steps (``FixedStepClock``) → ``scene.update(dt)`` for
every scene that owns a simulation; then every visible scene draws, bottom to top. Headless runs
(``--headless --frames N``) advance a virtual clock of exactly 1/60 s a frame, so the same seed and
script give the same frames, to the pixel.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glassbox_game.errors import CliError
from glassbox_game.script import MIN_WINDOW, Action, ScriptError, load_script
from glassbox_game.settings import load_settings, newer_file_present, save_settings
from glassbox_game.sim.clock import FixedStepClock

if TYPE_CHECKING:
    from glassbox_game.scenes.base import Scene

FRAME_DT = 1.0 / 60.0
MIN_SIZE = (1280, 720)


def _prepare_environment(headless: bool) -> None:
    if headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


#: the window and automation options the App reads (``glassbox --help`` documents them)
APP_OPTIONS = ("fullscreen", "resolution", "display", "seed", "theme", "headless", "frames", "screenshot", "script")


def app_options(**given: Any) -> argparse.Namespace:
    """Options for an App built without the command line (the frame benchmark): unset ones are None."""
    unknown = set(given) - set(APP_OPTIONS)
    if unknown:
        raise TypeError(f"unknown app options: {', '.join(sorted(unknown))}")
    return argparse.Namespace(**{name: given.get(name) for name in APP_OPTIONS})


def checked_script(path: str | None) -> list[Action]:
    """The input script at ``path`` (none: no actions), checked whole — key names too — before anything runs."""
    if not path:
        return []
    try:
        script = load_script(path)
        from glassbox_game.script_events import check_keys

        check_keys(script, path)
    except ScriptError as exc:
        raise CliError(str(exc)) from None
    return script


def run_app(command: str, args: argparse.Namespace) -> int:
    """Start the game in ``command`` mode (menu, sandbox, play, lecture)."""
    _prepare_environment(bool(args.headless))
    script = checked_script(args.script)
    if args.screenshot and not str(args.screenshot).lower().endswith(".png"):
        raise CliError(f"--screenshot {args.screenshot}: the file name must end in .png")
    app = App(args, script)
    try:
        app.start(command, args)
    except CliError:
        app.shutdown()
        raise
    return app.run()


#: system signals that end any run (windowed or headless) at the next frame, saving what is saved on quit
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))


class App:
    """Owns the window, the scene stack, settings and the main loop."""

    def __init__(self, args: argparse.Namespace, script: list[Action]) -> None:
        import pygame

        self.args = args
        self.headless = bool(args.headless)
        self.script = list(script)
        self.settings, notice = load_settings()
        self.settings_read_only = newer_file_present()
        self.notices: list[tuple[str, float]] = []
        if notice:
            self.notify(notice, 6.0)
        if args.theme:
            from glassbox_game.settings import THEMES

            if args.theme not in THEMES:
                raise CliError(f"--theme {args.theme!r} is not one of {', '.join(THEMES)}")
        # only what the game uses: no audio (the mixer would probe sound devices for nothing)
        pygame.display.init()
        pygame.font.init()
        pygame.key.set_repeat(400, 40)
        self.display_index = int(args.display or 0)
        n_displays = max(1, len(pygame.display.get_desktop_sizes() or [(0, 0)]))
        if self.display_index >= n_displays:
            self.notify(f"There is no display {self.display_index}; using display 0.", 5.0)
            self.display_index = 0
        self.fullscreen = bool(args.fullscreen)
        self.windowed_size: tuple[int, int] = args.resolution or (self.settings.window_width,
                                                                   self.settings.window_height)
        self.screen = self._set_mode(self.windowed_size)
        pygame.display.set_caption("Glassbox — backpropagation in a glass box")
        from glassbox_game.kit.fonts import Fonts

        self.fonts = Fonts()
        self.scenes: list[Scene] = []
        self.running = True
        self.frame_count = 0
        self.clock = FixedStepClock(dt=1.0 / 120.0)
        self.app_time = 0.0
        self.started = time.perf_counter()
        self.first_frame_s: float | None = None
        self.black_screen: tuple[int, int, int] | None = None
        self.seed = args.seed
        self.last_level_folder: Path | None = None  # where the last level file was opened or saved
        self.presenter = None  # the presenter view's second window (scenes/presenter.py), when open
        self.stopped_by: int | None = None  # the signal that ended the run
        # after display.init: SDL turns SIGINT/SIGTERM into a QUIT event (a dialog nobody may answer);
        # these handlers replace its own
        for sig in STOP_SIGNALS:
            with contextlib.suppress(ValueError, OSError):  # not the main thread (tests)
                signal.signal(sig, self._on_signal)

    def _on_signal(self, signum: int, frame: object) -> None:
        self.stopped_by = signum
        self.running = False

    # -- window --------------------------------------------------------------------------------
    def _set_mode(self, size: tuple[int, int]):
        import pygame

        if self.fullscreen and not self.headless:
            sizes = pygame.display.get_desktop_sizes()
            full = sizes[self.display_index] if self.display_index < len(sizes) else size
            return pygame.display.set_mode(full, pygame.FULLSCREEN, display=self.display_index)
        return pygame.display.set_mode(size, pygame.RESIZABLE, display=self.display_index)

    @property
    def size(self) -> tuple[int, int]:
        return self.screen.get_size()  # type: ignore[no-any-return]

    def resize(self, size: tuple[int, int]) -> None:
        """Set a new window size (also used by scripts); every scene lays itself out again."""
        size = (max(MIN_WINDOW[0], size[0]), max(MIN_WINDOW[1], size[1]))  # what the layouts fit
        if not self.fullscreen:
            self.windowed_size = size
        self.screen = self._set_mode(size)
        self.relayout()

    def toggle_fullscreen(self) -> None:
        self.fullscreen = not self.fullscreen
        self.screen = self._set_mode(self.windowed_size)
        self.relayout()

    def relayout(self) -> None:
        for scene in self.scenes:
            scene.layout(self.size)

    def theme(self, family: str = "main", size: tuple[int, int] | None = None):
        """The theme for a scene family at the current window size (or ``size``) and settings."""
        from glassbox_game.kit.theme import make_theme

        s = self.settings
        name = s.lecture_theme if family == "lecture" else s.theme
        if family != "lecture" and self.args.theme:
            name = self.args.theme
        if family == "lecture" and self.args.theme and self.args.theme.startswith("lecture"):
            name = self.args.theme
        return make_theme(name, size or self.size, s.text_scale, s.colour_blind, s.reduced_motion, self.fonts)

    def update_settings(self, **changes) -> None:
        from dataclasses import replace

        self.settings = replace(self.settings, **changes).cleaned()
        if self.settings_read_only:
            self.notify("Settings were written by a newer Glassbox: changes are not saved.", 4.0)
        else:
            problem = save_settings(self.settings, changed=changes)
            if problem:
                self.notify(problem, 5.0)
        self.relayout()

    def notify(self, text: str, seconds: float = 3.0) -> None:
        self.notices.append((text, seconds))

    # -- scenes --------------------------------------------------------------------------------
    def start(self, command: str, args: argparse.Namespace) -> None:
        from glassbox_game.scenes.factory import initial_scenes

        for scene in initial_scenes(self, command, args):
            self.push(scene)
        if getattr(args, "presenter", False):
            from glassbox_game.scenes.presenter import toggle_presenter

            toggle_presenter(self)
        # Everything built so far lives for the whole run: keep it out of the garbage collector's
        # full passes, which otherwise stall a frame now and then for several milliseconds.
        gc.collect()
        gc.freeze()

    def show(self, name: str, /, *args: Any, how: str = "push", **kwargs: Any) -> None:
        """Build the scene called ``name`` from the one table of scenes and push, replace or reset to it."""
        from glassbox_game.scenes.factory import SCENES

        scene = SCENES[name](self, *args, **kwargs)
        {"push": self.push, "replace": self.replace, "reset": self.reset_to}[how](scene)

    def push(self, scene) -> None:
        if self.scenes:
            self.scenes[-1].pause()
        self.scenes.append(scene)
        scene.layout(self.size)
        scene.enter()

    def pop(self) -> None:
        if not self.scenes:
            return
        scene = self.scenes.pop()
        scene.exit()
        if self.scenes:
            self.scenes[-1].resume()
        else:
            self.running = False

    def replace(self, scene) -> None:
        if self.scenes:
            self.scenes.pop().exit()
        self.push(scene)

    def reset_to(self, scene) -> None:
        """Clear the stack and start over with ``scene`` (e.g. back to the title menu)."""
        while self.scenes:
            self.scenes.pop().exit()
        self.push(scene)

    @property
    def top(self) -> Scene | None:
        return self.scenes[-1] if self.scenes else None

    def request_quit(self) -> None:
        """Ask before quitting: presenter remotes send Esc by accident."""
        if self.top is not None and self.top.name == "confirm-quit":
            return
        self.show("confirm", "Quit Glassbox?", "Your settings are saved; the current run is not.",
                  on_yes=self.quit, name="confirm-quit")

    def quit(self) -> None:
        self.running = False

    def shutdown(self) -> None:
        import pygame

        if self.presenter is not None:
            self.presenter.close()
        while self.scenes:  # scenes release what they hold (a turbo worker process, say)
            self.scenes.pop().exit()
        if not self.settings_read_only and not self.headless and not self.fullscreen:
            w, h = self.windowed_size
            from dataclasses import replace

            save_settings(replace(self.settings, window_width=w, window_height=h).cleaned(),
                          changed=("window_width", "window_height"))
        pygame.quit()

    # -- the loop --------------------------------------------------------------------------------
    def run(self) -> int:
        import pygame

        frames_limit = self.args.frames
        wall = pygame.time.Clock()
        try:
            while self.running and self.scenes:
                frame_dt = FRAME_DT if self.headless else min(0.25, wall.tick(120) / 1000.0)
                self.frame_once(frame_dt)
                if frames_limit and self.frame_count >= frames_limit:
                    break
            if self.args.screenshot and self.stopped_by is None:
                self.save_screenshot(self.args.screenshot)
        finally:
            self.shutdown()
        if self.stopped_by is not None:
            name = signal.Signals(self.stopped_by).name
            with contextlib.suppress(OSError, AttributeError):
                print(f"glassbox: stopped by {name}; settings and progress are saved", file=sys.stderr)
            return 128 + self.stopped_by
        return 0

    def frame_once(self, frame_dt: float) -> None:
        """One frame: events, script actions, fixed simulation steps, drawing, flip."""
        import pygame

        for event in pygame.event.get():
            self.dispatch(event)
        self._run_script()
        for _ in range(self.clock.advance(frame_dt)):
            for scene in self.scenes:
                scene.update(self.clock.dt)
        for scene in list(self.scenes):
            scene.frame(frame_dt)
        self.draw()
        pygame.display.flip()
        if self.presenter is not None:
            self.presenter.frame()
        self.app_time += frame_dt
        self.frame_count += 1
        self.notices = [(t, s - frame_dt) for t, s in self.notices if s - frame_dt > 0]
        if self.first_frame_s is None:
            self.first_frame_s = time.perf_counter() - self.started

    def dispatch(self, event) -> None:
        """Route one event: window events and global keys here, the rest to the top scene."""
        import pygame

        if self.presenter is not None and self.presenter.handle_event(event):
            return
        if event.type == pygame.QUIT:
            self.request_quit()
            return
        if event.type == pygame.VIDEORESIZE and not self.fullscreen:
            if event.size != self.size:
                self.resize(event.size)
            return
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_F11:
                self.toggle_fullscreen()
                return
            help_key = event.key == pygame.K_F1 or getattr(event, "unicode", "") == "?" or (
                event.key == pygame.K_SLASH and event.mod & pygame.KMOD_SHIFT)
            if help_key and (self.top is None or self.top.name != "help"):
                self.show("help")
                return
        top = self.top
        if top is not None and top.handle_event(event):
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and top is not None and top.opaque:
            self.show("pause")

    def draw(self) -> None:
        start = 0
        for k in range(len(self.scenes) - 1, -1, -1):
            if self.scenes[k].opaque:
                start = k
                break
        for scene in self.scenes[start:]:
            scene.draw(self.screen)
        if self.notices and self.black_screen is None:  # a blanked projector shows nothing at all
            self._draw_notices()

    def _draw_notices(self) -> None:
        import pygame

        theme = self.theme("main")
        p = theme.palette
        y = self.size[1] - theme.px(24)
        for text, _ in reversed(self.notices[-3:]):
            surf = theme.text(text, "caption", p.text)
            box = surf.get_rect().inflate(theme.px(32), theme.px(16))
            box.midbottom = (self.size[0] // 2, y)
            pygame.draw.rect(self.screen, p.topbar, box, border_radius=theme.px(8))
            pygame.draw.rect(self.screen, p.select, box, width=max(1, theme.px(2)), border_radius=theme.px(8))
            self.screen.blit(surf, surf.get_rect(center=box.center))
            y = box.top - theme.px(8)

    def save_screenshot(self, path: str) -> None:
        import pygame

        out = Path(path)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            pygame.image.save(self.screen, str(out))
            if self.presenter is not None:
                self.presenter.save_screenshot(out)
        except (OSError, pygame.error) as exc:
            raise CliError(f"cannot write screenshot {path}: {exc}") from None

    # -- scripts ---------------------------------------------------------------------------------
    def _run_script(self) -> None:
        while self.script and self.script[0].time <= self.app_time + 1e-9:
            action = self.script.pop(0)
            self.perform(action)

    def perform(self, action: Action) -> None:
        """Carry out one script action (unknown targets become a notice, never a crash)."""
        from glassbox_game import script_events

        script_events.perform(self, action)
