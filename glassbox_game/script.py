"""Input scripts: timed key presses, clicks and commands, replayed by ``--script FILE``.

One action a line, ``at SECONDS VERB ARGS…``; ``#`` starts a comment. See docs/scripts.md.
Parsing never raises anything but :class:`ScriptError`, whose message names the file and line.
The whole script is checked before the game starts — every verb's arguments, against the same
limits as level files (:mod:`glassbox_game.levels.schema`) — so a bad value never reaches a run.
"""

from __future__ import annotations

import difflib
import math
import shlex
from dataclasses import dataclass

from glassbox_game.levels import schema
from glassbox_game.levels.fields import FieldError, clean_text
from glassbox_game.storage import ReadProblem, read_regular

#: verbs the app itself performs (input events and window actions)
APP_VERBS = ("key", "type", "click", "move", "wheel", "resize", "screenshot", "quit", "wait")
#: verbs passed to the scene on top (see each scene's ``script_command``)
SCENE_VERBS = (
    "select", "hover", "run-to-epoch", "speed", "play", "pause", "step-phase", "step-epoch", "step-back",
    "reset", "sample", "set", "tab", "insight", "theme", "panel", "answer", "hint", "next", "back", "mode",
    "beat", "spotlight", "zoom", "blank", "save", "open", "data",
)
MAX_LINES = 10_000
MAX_SCRIPT_BYTES = 1_000_000
MIN_WINDOW = (640, 360)  # the smallest window the layouts fit (--resolution, resize)
MAX_WINDOW = (7680, 4320)
MAX_PATH = 4096
#: ``set FIELD VALUE`` fields and what their values must be
SET_FIELDS = ("learning_rate", "lock_threshold", "hidden_activation", "output_activation", "loss", "mode",
              "init", "problem", "data", "seed", "layers", "batch_size", "regularization", "regularization_rate")
_CHOICES = {"hidden_activation": schema.ACTIVATION_NAMES, "output_activation": schema.ACTIVATION_NAMES,
            "loss": schema.LOSS_NAMES, "mode": schema.MODE_NAMES, "init": schema.INIT_NAMES,
            "problem": schema.PROBLEM_NAMES, "data": schema.GENERATOR_NAMES,
            "regularization": schema.REGULARIZATION_NAMES}
_NO_ARGS = ("quit", "wait", "play", "pause", "step-phase", "step-epoch", "step-back", "reset", "hint", "next",
            "back")


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


def window_size_problem(text: str) -> str | None:
    """Why ``text`` is not a usable window size like 1920x1080 (None when it is)."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        return f"{text!r} is not a size like 1920x1080"
    (lo_w, lo_h), (hi_w, hi_h) = MIN_WINDOW, MAX_WINDOW
    if w < lo_w or h < lo_h:
        return f"{w}x{h} is smaller than the smallest window, {lo_w}x{lo_h}"
    if w > hi_w or h > hi_h:
        return f"{w}x{h} is larger than {hi_w}x{hi_h}"
    return None


def setting_value(field: str, text: str) -> object:
    """The value of ``set FIELD TEXT``, checked against the level-file limits; ValueError says why."""
    if field in _CHOICES:
        if text not in _CHOICES[field]:
            close = difflib.get_close_matches(text, _CHOICES[field], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"{text!r} is not one of {', '.join(_CHOICES[field])}{hint}")
        return text
    if field in ("learning_rate", "lock_threshold"):
        try:
            v = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if not math.isfinite(v):
            raise ValueError(f"{text!r} is not a finite number")
        if field == "learning_rate" and not schema.MIN_LEARNING_RATE < v <= schema.MAX_LEARNING_RATE:
            raise ValueError(f"{text} is out of range: the learning rate must be > {schema.MIN_LEARNING_RATE:g} "
                             f"and ≤ {schema.MAX_LEARNING_RATE:g}")
        if field == "lock_threshold" and not 0.0 <= v <= schema.MAX_LOCK_THRESHOLD:
            raise ValueError(f"{text} is out of range: the lock threshold must be 0 … 1")
        return v
    if field == "batch_size":  # checked against the data's rows when it is applied
        if text not in ("online", "full") and not (text.isdigit() and int(text) >= 1):
            raise ValueError(f"{text!r} is not a batch size: a whole number ≥ 1, 'online' or 'full'")
        return text
    if field == "regularization_rate":
        try:
            rate = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if not 0.0 <= rate <= schema.MAX_REGULARIZATION_RATE:
            raise ValueError(f"{text} is out of range: the regularisation rate must be 0 … "
                             f"{schema.MAX_REGULARIZATION_RATE:g}")
        return rate
    if field == "seed":
        if not text.isdigit() or int(text) > schema.MAX_SEED:
            raise ValueError(f"{text!r} is not a seed: a whole number 0 … {schema.MAX_SEED}")
        return int(text)
    if field == "layers":
        parts = text.split("-")
        if not all(p.isdigit() for p in parts):
            raise ValueError(f"{text!r} is not a list of layer sizes like 2-4-1")
        sizes = tuple(int(p) for p in parts)
        if not 2 <= len(sizes) <= schema.MAX_LAYERS:
            raise ValueError(f"{text!r} has {len(sizes)} layers; a network has 2 to {schema.MAX_LAYERS}")
        bad = next((n for n in sizes if not 1 <= n <= schema.MAX_NEURONS), None)
        if bad is not None:
            raise ValueError(f"a layer of {bad} neurons is outside 1 … {schema.MAX_NEURONS}")
        return sizes
    close = difflib.get_close_matches(field, SET_FIELDS, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ValueError(f"{field!r} is not a setting{hint}; settings: {', '.join(SET_FIELDS)}")


def _check_args(verb: str, args: tuple[str, ...], where: str) -> None:
    from glassbox_game.lecture_script import INSIGHT_TABS, MAX_BEATS, PANELS, TABLE_TABS
    from glassbox_game.sim.simulation import SPEEDS

    def need(n: int, what: str) -> None:
        if len(args) < n:
            raise ScriptError(f"{where}: '{verb}' needs {what}")

    def bad(what: str) -> ScriptError:
        return ScriptError(f"{where}: {verb}: {what}")

    def one_of(value: str, allowed: tuple[str, ...] | list[str], what: str) -> None:
        if value not in allowed:
            raise bad(f"{value!r} is not {what} ({', '.join(allowed)})")

    def whole(value: str, lo: int, hi: int, what: str) -> int:
        if not value.lstrip("-").isdigit() or not lo <= int(value) <= hi:
            raise bad(f"{value!r} is not {what} ({lo} … {hi})")
        return int(value)

    for arg in args:
        try:
            clean_text(arg, "")
        except FieldError as exc:
            raise bad(exc.what) from None
    if verb in _NO_ARGS:
        return
    if verb == "key":  # the key names themselves are checked by script_events.check_keys (it has pygame)
        need(1, "a key name, e.g. 'space' or 'shift+right'")
    elif verb == "type":
        need(1, "the text to type")
    elif verb in ("click", "move"):
        need(1, "a target name or X Y coordinates")
        if len(args) >= 2 and args[0].lstrip("-").isdigit() and not args[1].lstrip("-").isdigit():
            raise ScriptError(f"{where}: '{verb}' coordinates must be whole numbers")
        if args[0].lstrip("-").isdigit():
            need(2, "X and Y, or a target name")
            whole(args[0], -MAX_WINDOW[0], MAX_WINDOW[0], "a window position")
            whole(args[1], -MAX_WINDOW[1], MAX_WINDOW[1], "a window position")
    elif verb == "wheel":
        need(1, "an amount, e.g. 'wheel -1'")
        try:
            int(args[0])
        except ValueError:
            raise ScriptError(f"{where}: wheel amount {args[0]!r} is not a whole number") from None
        whole(args[0], -100, 100, "a wheel amount")
        if len(args) >= 3 and args[1].lstrip("-").isdigit():
            whole(args[1], -MAX_WINDOW[0], MAX_WINDOW[0], "a window position")
            whole(args[2], -MAX_WINDOW[1], MAX_WINDOW[1], "a window position")
    elif verb == "resize":
        need(1, "a size, e.g. 1920x1080")
        problem = window_size_problem(args[0])
        if problem:
            raise ScriptError(f"{where}: resize: {problem}")
    elif verb == "screenshot":
        need(1, "a PNG path")
        if not args[0].lower().endswith(".png"):
            raise bad(f"{args[0]!r}: the file name must end in .png")
        if len(args[0]) > MAX_PATH:
            raise bad(f"the path is longer than {MAX_PATH} characters")
    elif verb in ("save", "open"):
        need(1, "a level file path, e.g. my-level.toml")
        if len(" ".join(args)) > MAX_PATH:
            raise bad(f"the path is longer than {MAX_PATH} characters")
    elif verb == "data":
        need(1, 'rows of x1 x2 y, e.g. "0 0 0; 0 1 1; 1 0 1; 1 1 0"')
    elif verb == "run-to-epoch":
        need(1, "an epoch number")
        if not args[0].isdigit():
            raise ScriptError(f"{where}: {args[0]!r} is not an epoch number")
        whole(args[0], 0, schema.MAX_EPOCHS, "an epoch number")
    elif verb == "speed":
        need(1, f"a speed index 0 … {len(SPEEDS) - 1} or 'max'")
        if args[0] != "max":
            whole(args[0], 0, len(SPEEDS) - 1, "a speed index")
    elif verb == "sample":
        need(1, "a row number or 'batch'")
        if args[0] != "batch":
            whole(args[0], 0, schema.MAX_SAMPLES - 1, "a row number or 'batch'")
    elif verb == "set":
        need(2, "a setting and a value, e.g. 'set learning_rate 0.8'")
        try:
            setting_value(args[0], args[1])
        except ValueError as exc:
            raise bad(f"{args[0]}: {exc}") if args[0] in SET_FIELDS else bad(str(exc)) from None
    elif verb in ("select", "hover"):
        need(1, "edge A->B, neuron NAME or none")
        if args[0] == "edge":
            if len(args) < 2 or "->" not in args[1]:
                raise bad("'edge' needs a connection like h1->y")
        elif args[0] == "neuron":
            need(2, "a neuron name after 'neuron', e.g. neuron h1")
        elif args[0] != "none":
            raise bad(f"{args[0]!r}: expected edge A->B, neuron NAME or none")
    elif verb == "tab":
        need(1, "a table name")
        one_of(args[0], TABLE_TABS, "a table")
    elif verb == "insight":
        need(1, "a chart name")
        one_of(args[0], INSIGHT_TABS, "a chart")
    elif verb == "panel":
        need(1, "a panel name")
        name = args[1] if len(args) >= 2 else args[0]
        if len(args) >= 2:
            one_of(args[0], ("show", "hide", "toggle"), "show, hide or toggle")
        one_of(name, PANELS, "a panel")
    elif verb == "beat":
        need(1, "a beat number")
        whole(args[0], 1, MAX_BEATS, "a beat number")
    elif verb == "spotlight":
        if args:
            one_of(args[0], ("on", "spotlight", "laser", "off"), "a spotlight mode")
    elif verb == "zoom":
        if args:
            one_of(args[0], ("on", "off"), "on or off")
    elif verb == "blank":
        if args:
            one_of(args[0], ("black", "white"), "a colour")
    elif verb == "theme":
        from glassbox_game.settings import THEMES

        need(1, "a theme name")
        one_of(args[0], THEMES, "a theme")
    elif verb == "answer":
        need(1, "the typed answer (any text: a wrong one is the level's to judge)")


def load_script(path: str) -> list[Action]:
    try:
        raw = read_regular(path, MAX_SCRIPT_BYTES)
    except ReadProblem as exc:
        if exc.kind == "large":
            raise ScriptError(f"{path}: the script is larger than 1 MB") from None
        if exc.kind == "error":
            raise ScriptError(f"{path}: cannot read the script {str(exc).removeprefix('cannot be read ')}") from None
        raise ScriptError(f"{path}: {exc}; a script must be an ordinary text file") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScriptError(f"{path}: not a UTF-8 text file") from None
    return parse_script(text, path)
