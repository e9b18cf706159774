"""The ``glassbox`` command: playing modes, and the scriptable tools (trace, validate, bench).

Scriptable commands exit 0 on success, or non-zero with one clear line on stderr — never a
traceback for bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from glassbox_game.errors import CliError


def _resolution(text: str) -> tuple[int, int]:
    from glassbox_game.script import window_size_problem

    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1920x1080, got {text!r}") from None
    problem = window_size_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return w, h


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 0, got {n}")
    return n


def _at_least_one(text: str) -> int:
    n = _positive(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 1, got {n}")
    return n


def _epochs(text: str) -> int:
    from glassbox_game.levels.schema import MAX_EPOCHS

    n = _positive(text)
    if n > MAX_EPOCHS:
        raise argparse.ArgumentTypeError(f"{n:,} epochs is more than the limit of {MAX_EPOCHS:,}")
    return n


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"glassbox: {message} (try glassbox --help)\n")


#: the window/automation options: name → argparse keywords (one home; ``record`` takes a subset)
GAME_OPTIONS: dict[str, dict[str, object]] = {
    "fullscreen": {"action": "store_true", "help": "start fullscreen (F11 toggles)"},
    "resolution": {"type": _resolution, "metavar": "WxH", "help": "window size, e.g. 1920x1080"},
    "display": {"type": _positive, "metavar": "N", "help": "which display (a projector is usually 1)"},
    "seed": {"type": _positive, "metavar": "N", "help": "seed for random initial weights"},
    "theme": {"metavar": "NAME", "help": "dark, light, lecture-dark, lecture-light, high-contrast"},
    "headless": {"action": "store_true", "help": "no window (dummy video driver)"},
    "frames": {"type": _at_least_one, "metavar": "N", "help": "run N frames (N ≥ 1), then exit"},
    "screenshot": {"metavar": "PATH", "help": "save the last frame as a PNG"},
    "script": {"metavar": "FILE", "help": "replay a file of timed inputs (see docs/scripts.md)"},
}
#: what a recording reads: it is always headless, sets its own frame count and writes a clip, not a PNG
RECORD_OPTIONS = ("resolution", "seed", "theme", "script")


def _game_options(defaults: bool, only: tuple[str, ...] | None = None) -> _Parser:
    """The window/automation options (``only``: a subset, for a command that reads no others);
    ``defaults=False`` (for subcommands) leaves unset options out, so an option given before the
    subcommand (``glassbox --headless sandbox``) is not reset by it."""
    game = _Parser(add_help=False, argument_default=None if defaults else argparse.SUPPRESS)
    g = game.add_argument_group("window and automation")
    for name, kwargs in GAME_OPTIONS.items():
        if only is None or name in only:
            g.add_argument(f"--{name}", **kwargs)  # type: ignore[arg-type]
    return game


def build_parser() -> argparse.ArgumentParser:
    game = _game_options(defaults=True)
    sub_game = _game_options(defaults=False)

    p = _Parser(prog="glassbox", description="Glassbox: watch backpropagation train a tiny network.",
                parents=[game])
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("menu", parents=[sub_game], help="the title menu (the default)")
    sub.add_parser("sandbox", parents=[sub_game], help="every control unlocked")
    play = sub.add_parser("play", parents=[sub_game], help="play a level: a shipped id or a .toml file")
    play.add_argument("level")
    lec = sub.add_parser("lecture", parents=[sub_game], help="lecture-hall mode, optionally with a script")
    lec.add_argument("lecture_script", nargs="?", metavar="SCRIPT")
    lec.add_argument("--presenter", action="store_true",
                     help="a second window for the lecturer: notes, next beat, timers (V toggles it)")
    lec.add_argument("--presenter-resolution", type=_resolution, metavar="WxH", help="the presenter window's size")
    lec.add_argument("--export-slides", metavar="DIR", help="write each beat's final frame as a PNG and one PDF")

    rec = sub.add_parser("record", parents=[_game_options(defaults=False, only=RECORD_OPTIONS)], help="render a headless run to a clip (.mp4 or .gif)")
    rec.add_argument("target", nargs="?", metavar="LEVEL-or-SETUP", help="a level (number, id or file) or a setup")
    rec.add_argument("--lecture", metavar="SCRIPT", help="record a lecture script instead")
    rec.add_argument("--out", required=True, metavar="clip.mp4|clip.gif", help="the clip to write")
    from glassbox_game.record import DEFAULT_FPS, DEFAULT_SECONDS  # (record imports nothing heavy at the top)

    rec.add_argument("--fps", type=_positive, default=DEFAULT_FPS, metavar="N",
                     help=f"frames per second (default {DEFAULT_FPS})")
    rec.add_argument("--seconds", type=float, default=DEFAULT_SECONDS, metavar="S",
                     help=f"length of the clip (default {DEFAULT_SECONDS:g})")

    tr = sub.add_parser("trace", help="export the engine's trace of a level file as JSON (or CSV)")
    tr.add_argument("file")
    tr.add_argument("--epochs", type=_epochs, default=1, metavar="N",
                    help="epochs to train (default 1, at most 1,000,000)")
    tr.add_argument("--csv", metavar="DIR", help="write CSV tables into DIR instead of JSON on stdout")
    va = sub.add_parser("validate", help="check level or lecture-script files")
    va.add_argument("files", nargs="+", metavar="FILE")
    ws = sub.add_parser("worksheet", help="a printable backprop exercise (PDF) with its answer key")
    ws.add_argument("level", metavar="LEVEL-or-SETUP", help="a shipped level (number or id) or a level/setup file")
    ws.add_argument("--out", required=True, metavar="sheet.pdf", help="the PDF to write")
    ws.add_argument("--epochs", type=_positive, default=0, metavar="K",
                    help="train K epochs first; the exercise is the step after them (default 0: the start)")
    ws.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)")
    ws.add_argument("--connection", action="append", default=[], metavar="EDGE",
                    help="a connection to work the update of, e.g. h1->y (repeatable; default: one per layer)")
    be = sub.add_parser("bench", help="measure engine and frame speed")
    be.add_argument("--json", action="store_true", help="print one JSON object")
    be.add_argument("--quick", action="store_true", help="shorter measurements (for tests)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "menu"
    try:
        if command in ("validate", "trace", "bench") and sys.stdout is None \
                and not (command == "trace" and args.csv):
            raise CliError("standard output is closed: nothing can be written (redirect it to a file)")
        if command == "validate":
            from glassbox_game.levels.validate import validate_main

            return validate_main(args.files)
        if command == "trace":
            from glassbox_game.export import trace_main

            return trace_main(args.file, args.epochs, args.csv)
        if command == "worksheet":
            from glassbox_game.worksheet import worksheet_main

            return worksheet_main(args.level, args.out, args.epochs, args.paper, args.connection)
        if command == "record":
            from glassbox_game.record import record_main

            return record_main(args)
        if command == "bench":
            from glassbox_game.bench import bench_main

            return bench_main(as_json=args.json, quick=args.quick)
        if command == "lecture" and getattr(args, "export_slides", None):
            from glassbox_game.slides import export_slides_main

            return export_slides_main(args)
        from glassbox_game.app import run_app

        return run_app(command, args)
    except CliError as exc:
        print(f"glassbox: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        if command not in ("validate", "trace", "bench"):
            raise
        return _output_failed(exc)


def _output_failed(exc: OSError) -> int:
    """Standard output cannot take more (a full disk, a closed pipe): one line, and no second error
    when Python flushes stdout at exit."""
    with_devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        if sys.stdout is not None:
            os.dup2(with_devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(with_devnull)
    if sys.stderr is not None:
        with contextlib.suppress(OSError):
            print(f"glassbox: cannot write the output ({exc.strerror or type(exc).__name__})", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
