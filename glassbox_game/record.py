"""``glassbox record``: a headless run rendered to a clip (MP4 H.264 through PyAV, GIF through Pillow).

The run is the same as ``--headless --script FILE``: the game clock advances exactly one video
frame (1/fps s) per frame, so the clip is the run's frames, one for one, and the same seed and
script give the same clip. A progress bar goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from glassbox_game.errors import CliError

MAX_SECONDS = 600.0
MAX_FPS = 60
DEFAULT_FPS = 30
DEFAULT_SECONDS = 10.0
MAX_GIF_FRAMES = 1200  # a GIF keeps every frame in memory until it is written


def headless_app(args: argparse.Namespace, command: str) -> Any:
    """An App started headless in ``command`` mode, with ``args``' script (not yet run)."""
    from glassbox_game.app import App, _prepare_environment, checked_script

    args.headless = True
    _prepare_environment(True)
    app = App(args, checked_script(args.script))
    try:
        app.start(command, args)
    except CliError:
        app.shutdown()
        raise
    return app


def frame_rgb(surface: Any) -> tuple[bytes, tuple[int, int]]:
    """The RGB bytes (row by row) and size of a pygame surface."""
    import pygame

    return pygame.image.tobytes(surface, "RGB"), surface.get_size()


class ProgressBar:
    """``recording clip.mp4 [#####.....] 12/30 frames`` on one terminal line, updated in place."""

    def __init__(self, label: str, total: int, out: TextIO | None = None, width: int = 30) -> None:
        self.label, self.total, self.out, self.width = label, max(1, total), out or sys.stderr, width
        self.shown = -1

    def update(self, done: int) -> None:
        filled = self.width * done // self.total
        if filled == self.shown and done != self.total:
            return
        self.shown = filled
        bar = "#" * filled + "." * (self.width - filled)
        self.out.write(f"\r{self.label} [{bar}] {done}/{self.total} frames")
        if done >= self.total:
            self.out.write("\n")
        self.out.flush()


class Mp4Writer:
    """H.264 in an MP4 container, yuv420p (what every player and learning platform takes)."""

    def __init__(self, path: Path, size: tuple[int, int], fps: int) -> None:
        from glassbox_game.optional import require

        self.av = require("av")
        self.size = (size[0] - size[0] % 2, size[1] - size[1] % 2)  # yuv420p wants even sides
        self.container = self.av.open(str(path), mode="w")
        self.stream = self.container.add_stream("h264", rate=fps)
        self.stream.width, self.stream.height = self.size
        self.stream.pix_fmt = "yuv420p"
        self.stream.options = {"crf": "20", "preset": "veryfast"}

    def add(self, rgb: bytes, size: tuple[int, int]) -> None:
        import numpy as np

        arr = np.frombuffer(rgb, dtype=np.uint8).reshape(size[1], size[0], 3)[: self.size[1], : self.size[0]]
        frame = self.av.VideoFrame.from_ndarray(np.ascontiguousarray(arr), format="rgb24")
        for packet in self.stream.encode(frame):
            self.container.mux(packet)

    def close(self) -> None:
        for packet in self.stream.encode():
            self.container.mux(packet)
        self.container.close()


class GifWriter:
    """An animated GIF (looping), each frame quantised to its own 256-colour palette."""

    def __init__(self, path: Path, size: tuple[int, int], fps: int) -> None:
        from glassbox_game.optional import require

        self.image = require("PIL.Image")
        self.path, self.fps = path, fps
        self.frames: list[Any] = []

    def add(self, rgb: bytes, size: tuple[int, int]) -> None:
        self.frames.append(self.image.frombytes("RGB", size, rgb).quantize(colors=256))

    def close(self) -> None:
        if not self.frames:
            return
        first, *rest = self.frames
        first.save(str(self.path), save_all=True, append_images=rest, duration=round(1000 / self.fps), loop=0,
                   optimize=False)


def open_writer(path: Path, size: tuple[int, int], fps: int) -> Mp4Writer | GifWriter:
    suffix = path.suffix.lower()
    if suffix == ".gif":
        return GifWriter(path, size, fps)
    if suffix == ".mp4":
        return Mp4Writer(path, size, fps)
    raise CliError(f"--out {path}: the file name must end in .mp4 or .gif")


def record_main(args: argparse.Namespace) -> int:
    """The ``record`` command: 0 when the clip is written; CliError (one line) for bad input."""
    from glassbox_game.errors import MissingPackage

    out = Path(args.out)
    fps = int(args.fps)
    seconds = float(args.seconds)
    if not 1 <= fps <= MAX_FPS:
        raise CliError(f"--fps {fps}: expected 1 … {MAX_FPS}")
    if not 0 < seconds <= MAX_SECONDS:
        raise CliError(f"--seconds {seconds:g}: expected more than 0 and at most {MAX_SECONDS:g}")
    if (args.lecture is None) == (args.target is None):
        raise CliError("record needs exactly one of LEVEL, SETUP or --lecture SCRIPT")
    total = max(1, round(seconds * fps))
    if out.suffix.lower() == ".gif" and total > MAX_GIF_FRAMES:
        raise CliError(f"{total} GIF frames is more than {MAX_GIF_FRAMES}: record an .mp4, or fewer --seconds / --fps")
    if args.lecture is not None:
        command = "lecture"
        args.lecture_script = args.lecture
    else:
        command = "play"
        args.level = args.target
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"--out {out}: cannot create the folder ({exc.strerror})") from None
    args.frames = None
    args.screenshot = None
    app = headless_app(args, command)
    size = app.size
    writer = None
    try:
        writer = open_writer(out, app.size, fps)
        bar = ProgressBar(f"recording {out.name}", total)
        done = 0
        while done < total and app.running and app.scenes:
            app.frame_once(1.0 / fps)
            writer.add(*frame_rgb(app.screen))
            done += 1
            bar.update(done)
        writer.close()
    except MissingPackage as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"--out {out}: cannot write the clip ({exc.strerror or exc})") from None
    except Exception as exc:  # an encoder's own error (PyAV raises its own types): one line
        if type(exc).__module__.split(".")[0] in ("av", "PIL"):
            raise CliError(f"--out {out}: the encoder failed: {exc}") from None
        raise
    finally:
        app.shutdown()
    if done < total:
        print(f"the run ended after {done} of {total} frames (the script quit)", file=sys.stderr)
    w, h = writer.size if isinstance(writer, Mp4Writer) else size
    print(f"wrote {out}: {done} frames, {w}x{h}, {fps} fps")
    return 0
