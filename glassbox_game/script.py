"""Input scripts: timed key presses, clicks and commands, replayed by ``--script FILE``.

One action a line, ``at SECONDS VERB ARGS…``; ``#`` starts a comment. See docs/scripts.md.
Parsing never raises anything but :class:`ScriptError`, whose message names the file and line.
"""

from __future__ import annotations

import difflib
import math
import shlex
from dataclasses import dataclass
from pathlib import Path

#: verbs the app itself performs (input events and window actions)
APP_VERBS = ("key", "type", "click", "move", "wheel", "resize", "screenshot", "quit", "wait")
#: verbs passed to the scene on top (see each scene's ``script_command``)
SCENE_VERBS = (
    "select", "hover", "run-to-epoch", "speed", "play", "pause", "step-phase", "step-epoch", "step-back",
    "reset", "sample", "set", "tab", "insight", "theme", "panel", "answer", "hint", "next", "back", "mode",
    "beat", "spotlight", "zoom", "blank", "save", "open", "data",
)
MAX_LINES = 10_000


class ScriptError(Exception):
    """A script cannot be used; the message is one line naming the file, line and problem."""


@dataclass(frozen=True)
class Action:
    time: float
    verb: str
    args: tuple[str, ...]
    line: int


def parse_script(text: str, name: str = "<script>") -> list[Action]:
    """Parse a script; actions come back sorted by time (stable for equal times)."""
    actions: list[Action] = []
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ScriptError(f"{name}: more than {MAX_LINES} lines")
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{name}:{number}"
        try:
            words = shlex.split(line)
        except ValueError as exc:
            raise ScriptError(f"{where}: {exc}") from None
        if len(words) < 3 or words[0] != "at":
            raise ScriptError(f"{where}: expected 'at SECONDS ACTION …', got {line!r}")
        try:
            t = float(words[1])
        except ValueError:
            raise ScriptError(f"{where}: {words[1]!r} is not a time in seconds") from None
        if not math.isfinite(t) or t < 0 or t > 24 * 3600:
            raise ScriptError(f"{where}: time {words[1]} must be between 0 and 86400 seconds")
        verb = words[2].lower()
        if verb not in APP_VERBS and verb not in SCENE_VERBS:
            close = difflib.get_close_matches(verb, APP_VERBS + SCENE_VERBS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ScriptError(f"{where}: unknown action {verb!r}{hint}")
        args = tuple(words[3:])
        _check_args(verb, args, where)
        actions.append(Action(t, verb, args, number))
    actions.sort(key=lambda a: a.time)
    return actions


def _check_args(verb: str, args: tuple[str, ...], where: str) -> None:
    def need(n: int, what: str) -> None:
        if len(args) < n:
            raise ScriptError(f"{where}: '{verb}' needs {what}")

    if verb == "key":
        need(1, "a key name, e.g. 'space' or 'shift+right'")
    elif verb == "type":
        need(1, "the text to type")
    elif verb in ("click", "move"):
        need(1, "a target name or X Y coordinates")
        if len(args) >= 2 and args[0].lstrip("-").isdigit() and not args[1].lstrip("-").isdigit():
            raise ScriptError(f"{where}: '{verb}' coordinates must be whole numbers")
    elif verb == "wheel":
        need(1, "an amount, e.g. 'wheel -1'")
        try:
            int(args[0])
        except ValueError:
            raise ScriptError(f"{where}: wheel amount {args[0]!r} is not a whole number") from None
    elif verb == "resize":
        need(1, "a size, e.g. 1920x1080")
        try:
            w, h = (int(v) for v in args[0].lower().split("x"))
        except ValueError:
            raise ScriptError(f"{where}: {args[0]!r} is not a size like 1920x1080") from None
        if not (320 <= w <= 7680 and 240 <= h <= 4320):
            raise ScriptError(f"{where}: size {args[0]} is outside 320x240 … 7680x4320")
    elif verb == "screenshot":
        need(1, "a PNG path")
    elif verb in ("save", "open"):
        need(1, "a level file path, e.g. my-level.toml")
    elif verb == "data":
        need(1, 'rows of x1 x2 y, e.g. "0 0 0; 0 1 1; 1 0 1; 1 1 0"')
    elif verb == "run-to-epoch":
        need(1, "an epoch number")
        if not args[0].isdigit():
            raise ScriptError(f"{where}: {args[0]!r} is not an epoch number")


def load_script(path: str) -> list[Action]:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ScriptError(f"{path}: cannot read the script ({exc.strerror or exc})") from None
    if len(raw) > 1_000_000:
        raise ScriptError(f"{path}: the script is larger than 1 MB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScriptError(f"{path}: not a UTF-8 text file") from None
    return parse_script(text, path)
