"""Writing a :class:`Level` or a bare :class:`Setup` as a level file ("save as level").

The output reads back to an equal object: ``load_level(write(x)) == x`` (for a Setup, the loaded
level's ``setup``). Floats are written with ``repr``, which round-trips exactly.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from glassbox_game.engine.locks import DEFAULT_LOCK_THRESHOLD
from glassbox_game.engine.setup import Setup
from glassbox_game.levels.model import Goal, Level, Stars, TypedValue
from glassbox_game.levels.schema import GOAL_KEYS

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str, *, multiline: bool = False) -> str:
    """A TOML basic string (a multi-line one for text with line breaks, easier for teachers to edit)."""
    keep = {"\n"} if multiline else set()
    out = []
    for ch in text:
        if ch in keep:
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    body = "".join(out)
    return f'"""\n{body}"""' if multiline else f'"{body}"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # shortest exact form; validated levels never hold nan/inf
    if isinstance(value, str):
        return toml_string(value, multiline="\n" in value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _floats(value: Any) -> Any:
    """Nested tuples of numbers as lists of floats, so 1 is written 1.0 and reads back as a float."""
    if hasattr(value, "tolist"):  # numpy arrays from the sandbox
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [_floats(v) for v in value]
    return float(value)


def level_to_toml(level: Level | Setup) -> str:
    """The text of a level file for ``level`` (or of a sandbox setup file for a bare Setup)."""
    if isinstance(level, Setup):
        return _setup_text(level)
    if level.id is None:
        return _setup_text(level.setup)
    lines = ["[level]", f"id = {toml_value(level.id)}", f"title = {toml_value(level.title)}",
             f"order = {level.order}", f"controls = {toml_value(level.controls)}",
             f"panels = {toml_value(level.panels)}",
             f"briefing = {toml_value(level.briefing)}", f"debrief = {toml_value(level.debrief)}", ""]
    lines.append(_setup_text(level.setup, level.speed))
    for goal in level.goals:
        lines += ["[[goals]]", *_goal_lines(goal), ""]
    for hint in level.hints:
        lines += ["[[hints]]", f"text = {toml_value(hint.text)}"]
        if hint.after_failures is not None:
            lines.append(f"after_failures = {hint.after_failures}")
        lines.append("")
    lines += _stars_lines(level.stars)
    return "\n".join(lines).rstrip("\n") + "\n"


def _goal_lines(goal: Goal) -> list[str]:
    out = [f"type = {toml_value(goal.type)}"]
    if goal.label:
        out.append(f"label = {toml_value(goal.label)}")
    for key in GOAL_KEYS[goal.type]:
        value = getattr(goal, key)
        if value is None:
            if isinstance(goal, TypedValue) and key == "sample" and goal.quantity in ("grad_w", "grad_b"):
                out.append('sample = "mean"')
            continue
        if key in ("value", "threshold", "tolerance"):
            value = float(value)
        out.append(f"{key} = {toml_value(value)}")
    return out


def _stars_lines(stars: Stars) -> list[str]:
    given = [(fl.name, getattr(stars, fl.name)) for fl in fields(stars)]
    given = [(k, v) for k, v in given if v is not None]
    if not given:
        return []
    return ["[stars]", *(f"{k} = {toml_value(list(v))}" for k, v in given)]


def _setup_text(s: Setup, speed: float | None = None) -> str:
    net = [
        "[network]",
        f"layers = {toml_value(list(s.layers))}",
        f"hidden_activation = {toml_value(s.hidden_activation)}",
        f"output_activation = {toml_value(s.output_activation)}",
        f"loss = {toml_value(s.loss)}",
        f"learning_rate = {toml_value(float(s.learning_rate))}",
    ]
    if s.weights is not None and s.biases is not None:
        net.append(f"weights = {toml_value(_floats(s.weights))}")
        net.append(f"biases = {toml_value(_floats(s.biases))}")
    net += [f"seed = {int(s.seed)}", f"init = {toml_value(s.init)}"]
    if float(s.init_radius) != 1.0:
        net.append(f"init_radius = {toml_value(float(s.init_radius))}")
    if s.features is not None:
        net.append(f"features = {toml_value(list(s.features))}")
    train = ["", "[training]", f"mode = {toml_value(s.mode)}"]
    if s.shuffle:
        train.append("shuffle = true")
    if float(s.lock_threshold) != DEFAULT_LOCK_THRESHOLD:
        train.append(f"lock_threshold = {toml_value(float(s.lock_threshold))}")
    if speed is not None:
        train.append(f"speed = {toml_value(float(speed))}")
    if s.batch_size is not None:
        train.append(f"batch_size = {int(s.batch_size)}")
    if s.regularization != "none":
        train.append(f"regularization = {toml_value(s.regularization)}")
        train.append(f"regularization_rate = {toml_value(float(s.regularization_rate))}")
    data = ["", "[data]"]
    if s.generator is not None:
        data += [f"generator = {toml_value(s.generator)}", f"points = {int(s.points)}",
                 f"noise = {toml_value(float(s.noise))}", f"test_fraction = {toml_value(float(s.test_fraction))}",
                 f"seed = {int(s.data_seed)}"]
    elif s.problem is not None:
        data.append(f"problem = {toml_value(s.problem)}")
    else:
        assert s.inputs is not None and s.targets is not None
        data.append(f"inputs = {toml_value(_floats(s.inputs))}")
        data.append(f"targets = {toml_value(_floats(s.targets))}")
    return "\n".join([*net, *train, *data, ""])
