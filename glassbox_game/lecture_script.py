"""Lecture scripts: a small TOML file of *beats* that a presenter remote steps through.

A script has a ``[lecture]`` table (``title``) and one ``[[beats]]`` entry per press of the remote.
A beat may load a setup (a level file, or inline ``[beats.network]`` / ``[beats.training]`` /
``[beats.data]`` tables read exactly like a level's), change a setting, train to an epoch, select a
connection, show or hide a panel and show a caption. See docs/lecture-scripts.md.

Every way a file can be wrong ends in a :class:`LectureScriptError` whose message is one line,
``FILE: beat N: field: what is wrong`` (beats count from 1, like the on-screen counter). Never
imports pygame.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from glassbox_game.engine.names import parse_connection, parse_neuron
from glassbox_game.engine.setup import Setup
from glassbox_game.levels import fields as f
from glassbox_game.levels.fields import FieldError
from glassbox_game.levels.loader import _parse_toml, load_level, read_setup
from glassbox_game.levels.model import LevelError
from glassbox_game.levels.schema import (
    ACTIVATION_NAMES,
    LOSS_NAMES,
    MAX_EPOCHS,
    MAX_FILE_BYTES,
    MAX_LEARNING_RATE,
    MODE_NAMES,
)
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import SLOW_MOTION, SPEEDS

TOP_KEYS = ("lecture", "beats")
LECTURE_KEYS = ("title", "description")
BEAT_KEYS = ("title", "caption", "setup", "network", "training", "data", "set", "run_to_epoch", "play",
             "phase_steps", "select", "sample", "speed", "show", "hide", "tab", "insight", "notes")
SET_KEYS = ("learning_rate", "loss", "hidden_activation", "output_activation", "mode", "lock_threshold")
PANELS = ("tables", "insight")
TABLE_TABS = ("loss", "a", "delta", "w")
INSIGHT_TABS = ("map", "slice", "bars")
SPEED_WORDS = {"slow": SLOW_MOTION, "max": len(SPEEDS) - 1}
MAX_BEATS = 200
MAX_CAPTION = 240  # about two lines of 36 px type across a 1080p projector
MAX_BEAT_TITLE = 60
MAX_NOTES = 1200  # the presenter's own notes: about a dozen lines on a laptop screen
MAX_PHASE_STEPS = 40


class LectureScriptError(Exception):
    """A lecture script that cannot be used; ``str()`` is one line naming the file, beat and field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Beat:
    """One press of the remote. ``None`` / empty means "leave as it is"."""

    number: int  # 1-based, as the on-screen counter shows it
    title: str = ""
    caption: str = ""
    setup: Setup | None = None  # load this network and data (a fresh run)
    changes: tuple[tuple[str, object], ...] = ()  # ChangeSetup pairs, applied after ``setup``
    run_to_epoch: int | None = None
    play: bool = False  # animate up to run_to_epoch at ``speed`` instead of jumping there
    phase_steps: int = 0  # the next presses of Next step one phase each before the next beat
    select: Selection | None = None
    clear_selection: bool = False  # select = "none"
    sample: int | None = None
    batch_view: bool = False  # sample = "batch"
    speed: int | None = None  # an index into SPEEDS
    show: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()
    tab: str | None = None
    insight: str | None = None
    notes: str = ""  # what the presenter says: shown on the presenter window only

    @property
    def presses(self) -> int:
        """How many presses of Next this beat takes: arriving, then one per phase step."""
        return 1 + self.phase_steps


@dataclass(frozen=True)
class LectureScript:
    title: str
    beats: tuple[Beat, ...]
    description: str = ""
    path: Path | None = None


def load_lecture_script(path: str | Path) -> LectureScript:
    """Read and check the lecture script at ``path``; setups it names are found next to it."""
    shown = str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise LectureScriptError(f"{shown}: is a directory, not a lecture script")
        if not p.is_file():
            raise LectureScriptError(f"{shown}: no such file")
        if p.stat().st_size > MAX_FILE_BYTES:
            raise LectureScriptError(f"{shown}: the file is larger than 1 MB; a lecture script is small text")
        raw = p.read_bytes()
    except OSError as exc:
        raise LectureScriptError(f"{shown}: cannot read the file ({exc.strerror or type(exc).__name__})") from None
    except ValueError:
        raise LectureScriptError(f"{shown}: not a usable file name") from None
    return loads_lecture_script(raw, shown, p.parent, p)


def loads_lecture_script(data: bytes | str, source: str = "<lecture>", base_dir: Path | None = None,
                         path: Path | None = None) -> LectureScript:
    try:
        doc = _parse_toml(data)
    except FieldError as exc:
        raise LectureScriptError(f"{source}: {str(exc).replace('level file', 'lecture script')}") from None
    except RecursionError:
        raise LectureScriptError(f"{source}: the file nests too deeply to be a lecture script") from None
    return _Reader(source, base_dir, path).script(doc)


class _Reader:
    """Reads beats in order, tracking the network's layers and epoch so later beats can be checked."""

    def __init__(self, source: str, base_dir: Path | None, path: Path | None) -> None:
        self.source = source
        self.base_dir = base_dir
        self.path = path
        self.setup: Setup | None = None
        self.epoch = 0
        self.phase = 0  # 0 forward … 3 update, as the simulation counts them
        self.epoch_beat = 0

    def fail(self, where: str, what: str) -> LectureScriptError:
        return LectureScriptError(f"{self.source}: {where}: {what}" if where else f"{self.source}: {what}")

    def script(self, doc: dict[str, Any]) -> LectureScript:
        try:
            for key in doc:
                if key not in TOP_KEYS:
                    hint = f.did_you_mean(key, TOP_KEYS) or " (a lecture script has [lecture] and [[beats]])"
                    raise FieldError(key, f"unknown table{hint}")
            if "lecture" not in doc:
                raise FieldError("lecture", 'missing: start the file with [lecture] and title = "…"')
            head = f.table(doc["lecture"], "lecture")
            f.check_keys(head, LECTURE_KEYS, "lecture")
            if "title" not in head:
                raise FieldError("lecture.title", "missing")
            title = f.text(head["title"], "lecture.title", 80, one_line=True, empty=False)
            description = f.text(head.get("description", ""), "lecture.description", 2000)
            if "beats" not in doc:
                raise FieldError("beats", "missing: a lecture needs at least one [[beats]] entry")
            raw_beats = f.list_of(doc["beats"], "beats")
            if not raw_beats:
                raise FieldError("beats", "a lecture needs at least one [[beats]] entry")
            if len(raw_beats) > MAX_BEATS:
                raise FieldError("beats", f"{len(raw_beats)} beats is more than the limit of {MAX_BEATS}")
        except FieldError as exc:
            raise self.fail("", str(exc)) from None
        beats = []
        for k, raw in enumerate(raw_beats):
            try:
                beats.append(self.beat(raw, k + 1))
            except FieldError as exc:
                raise self.fail(f"beat {k + 1}", str(exc)) from None
        return LectureScript(title, tuple(beats), description, self.path)

    # -- one beat ----------------------------------------------------------------------------------
    def beat(self, raw: Any, number: int) -> Beat:
        if not isinstance(raw, dict):
            raise FieldError("", f"expected a table ([[beats]]), got {f.show(raw)}")
        f.check_keys(raw, BEAT_KEYS, "")
        setup = self._setup(raw, number)
        if setup is not None:
            self.setup, self.epoch, self.phase, self.epoch_beat = setup, 0, 0, number
        if self.setup is None:
            raise FieldError("setup", 'missing: the first beat must load a network, e.g. setup = "xor.toml" '
                                      "or [beats.network] and [beats.data] tables")
        changes = self._changes(raw.get("set", {}))
        if any(k not in ("learning_rate", "lock_threshold") for k, _ in changes):
            self.epoch, self.phase, self.epoch_beat = 0, 0, number  # a new loss or activation restarts the run
        layers = self.setup.layers
        run_to = None
        if "run_to_epoch" in raw:
            run_to = f.whole(raw["run_to_epoch"], "run_to_epoch", 0, MAX_EPOCHS)
            if run_to <= self.epoch:
                raise FieldError("run_to_epoch", f"{run_to} is not after epoch {self.epoch}, where beat "
                                                 f"{self.epoch_beat} left the run; a beat cannot go back in time")
            self.epoch, self.phase, self.epoch_beat = run_to, 0, number
        play = f.boolean(raw.get("play", False), "play")
        if play and run_to is None:
            raise FieldError("play", "needs run_to_epoch: where the animation stops, so that going back "
                                     "lands on the same state")
        phase_steps = f.whole(raw.get("phase_steps", 0), "phase_steps", 0, MAX_PHASE_STEPS)
        for _ in range(phase_steps):  # the weights change as the backward phase ends
            if self.phase == 2:
                self.epoch, self.epoch_beat = self.epoch + 1, number
            self.phase = (self.phase + 1) % 4
        select, clear = self._select(raw.get("select"), layers)
        sample, batch = self._sample(raw.get("sample"))
        show = f.choices(raw.get("show", []), "show", PANELS)
        hide = f.choices(raw.get("hide", []), "hide", PANELS)
        both = next((p for p in show if p in hide), None)
        if both is not None:
            raise FieldError("hide", f"{both!r} is also in show; a panel is either shown or hidden")
        tab = f.choice(raw["tab"], "tab", TABLE_TABS) if "tab" in raw else None
        insight = f.choice(raw["insight"], "insight", INSIGHT_TABS) if "insight" in raw else None
        return Beat(
            number=number,
            title=f.text(raw.get("title", ""), "title", MAX_BEAT_TITLE, one_line=True),
            caption=self._caption(raw.get("caption", "")),
            setup=setup,
            changes=changes,
            run_to_epoch=run_to,
            play=play,
            phase_steps=phase_steps,
            select=select,
            clear_selection=clear,
            sample=sample,
            batch_view=batch,
            speed=self._speed(raw["speed"]) if "speed" in raw else None,
            show=show,
            hide=hide,
            tab=tab,
            insight=insight,
            notes=self._notes(raw.get("notes", "")),
        )

    def _caption(self, raw: Any) -> str:
        # line breaks are the caption bar's job; no-break spaces (\u00A0) keep a formula on one line
        text = " ".join(re.split(r"[ \t\r\n]+", f.text(raw, "caption", 100_000).strip()))
        if len(text) > MAX_CAPTION:
            raise FieldError("caption", f"{len(text)} characters is more than the limit of {MAX_CAPTION} "
                                        "(about two lines on a projector); split it over two beats")
        return text

    def _notes(self, raw: Any) -> str:
        # a blank line starts a new paragraph; other line breaks are the presenter window's job
        text = f.text(raw, "notes", 100_000).strip()
        paragraphs = [" ".join(re.split(r"[ \t\r\n]+", p.strip())) for p in re.split(r"\n[ \t\r]*\n", text)]
        text = "\n".join(p for p in paragraphs if p)
        if len(text) > MAX_NOTES:
            raise FieldError("notes", f"{len(text)} characters is more than the limit of {MAX_NOTES} "
                                      "(about a dozen lines on the presenter window); keep the key points")
        return text

    def _setup(self, raw: dict[str, Any], number: int) -> Setup | None:
        inline = [k for k in ("network", "training", "data") if k in raw]
        if "setup" in raw and inline:
            raise FieldError(inline[0], "give either setup = \"file.toml\" or inline tables, not both")
        if "setup" in raw:
            name = f.text(raw["setup"], "setup", 255, one_line=True, empty=False)
            if self.base_dir is None:
                raise FieldError("setup", "a setup file needs the lecture to be loaded from a file")
            if Path(name).is_absolute():
                raise FieldError("setup", f"{f.short(name)} must be a path relative to the lecture script")
            try:
                return load_level(self.base_dir / name).setup
            except LevelError as exc:
                raise FieldError("setup", exc.message) from None
        if not inline:
            return None
        if "network" not in raw:
            raise FieldError("network", "missing: inline setups need [beats.network] (and [beats.data])")
        if "data" not in raw:
            raise FieldError("data", "missing: inline setups need [beats.data] (problem, or inputs and "
                                     "targets)")
        return read_setup({k: raw[k] for k in inline}, self.base_dir)

    def _changes(self, raw: Any) -> tuple[tuple[str, object], ...]:
        table = f.table(raw, "set")
        f.check_keys(table, SET_KEYS, "set")
        assert self.setup is not None
        out: list[tuple[str, object]] = []
        for key, value in table.items():
            where = f"set.{key}"
            if key == "learning_rate":
                out.append((key, f.number(value, where, 0.0, MAX_LEARNING_RATE, above=True)))
            elif key == "lock_threshold":
                out.append((key, f.number(value, where, 0.0, 1.0)))
            elif key == "loss":
                out.append((key, f.choice(value, where, LOSS_NAMES)))
            elif key == "mode":
                out.append((key, f.choice(value, where, MODE_NAMES)))
            else:
                out.append((key, f.choice(value, where, ACTIVATION_NAMES)))
        after = replace(self.setup, **dict(out))  # type: ignore[arg-type]
        if after.loss == "cross_entropy" and after.output_activation != "sigmoid":
            where = "set.loss" if "loss" in table else "set.output_activation"
            raise FieldError(where, f'cross_entropy needs output_activation = "sigmoid", '
                                    f"not {after.output_activation!r}")
        self.setup = after
        return tuple(out)

    def _select(self, raw: Any, layers: tuple[int, ...]) -> tuple[Selection | None, bool]:
        if raw is None:
            return None, False
        text = f.text(raw, "select", 40, one_line=True, empty=False).strip()
        if text == "none":
            return None, True
        words = text.split()
        try:
            if "->" in text:
                l, j, i = parse_connection(layers, "".join(words[1:] if words[0] == "edge" else words))
                return Selection.edge(l, j, i), False
            name = words[1] if len(words) == 2 and words[0] == "neuron" else text
            if len(name.split()) != 1:
                raise ValueError(f"{text!r} is not a connection like \"h1->y\" or a neuron like \"neuron h2\"")
            layer, j = parse_neuron(layers, name)
        except ValueError as exc:
            raise FieldError("select", str(exc)) from None
        if layer == 0:
            raise FieldError("select", f"{name!r} is an input: select a connection from it, or a neuron "
                                       "with a bias (h…, y)")
        return Selection.neuron(layer, j), False

    def _sample(self, raw: Any) -> tuple[int | None, bool]:
        if raw is None:
            return None, False
        if raw == "batch":
            return None, True
        assert self.setup is not None
        n = len(self.setup.inputs) if self.setup.inputs is not None else 4
        if isinstance(raw, str):
            raise FieldError("sample", f'{f.short(raw)} is not a sample: give a row number 0 to {n - 1} or "batch"')
        return f.whole(raw, "sample", 0, n - 1), False

    def _speed(self, raw: Any) -> int:
        if isinstance(raw, str):
            if raw in SPEED_WORDS:
                return SPEED_WORDS[raw]
            hint = f.did_you_mean(raw, SPEED_WORDS)
            raise FieldError("speed", f'{f.short(raw)} is not "slow", "max" or epochs per second{hint}')
        value = f.number(raw, "speed", 0.0, math.inf, above=True)
        for k, s in enumerate(SPEEDS):
            if math.isclose(value, s):
                return k
        listed = ", ".join(f"{s:g}" for s in SPEEDS)
        raise FieldError("speed", f"{value:g} epochs per second is not one of {listed} (or \"slow\", \"max\")")
