"""Loading a level file: bytes → TOML → checked fields → :class:`Level`.

Every way a file can be wrong ends in a :class:`LevelError` with one line
``FILE: field.path: what is wrong``; nothing else escapes, whatever the bytes.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from glassbox_game.engine import datasets
from glassbox_game.engine.locks import DEFAULT_LOCK_THRESHOLD
from glassbox_game.engine.setup import Setup
from glassbox_game.levels import fields as f
from glassbox_game.levels.datafile import read_rows
from glassbox_game.levels.fields import FieldError
from glassbox_game.levels.goals import DataFacts, read_goal
from glassbox_game.levels.model import Hint, Level, LevelError, Stars
from glassbox_game.levels.schema import (
    ACTIVATION_NAMES,
    CONTROLS,
    DATA_KEYS,
    DEFAULT_LEVEL_CONTROLS,
    FEATURE_NAMES,
    GENERATOR_KEYS,
    GENERATOR_NAMES,
    HINT_KEYS,
    INIT_NAMES,
    LEVEL_KEYS,
    LOSS_NAMES,
    MAX_BATCH_SIZE,
    MAX_DATA_VALUE,
    MAX_FILE_BYTES,
    MAX_GOALS,
    MAX_HINTS,
    MAX_INIT_RADIUS,
    MAX_KEY_PARTS,
    MAX_LAYERS,
    MAX_LEARNING_RATE,
    MAX_LOCK_THRESHOLD,
    MAX_NESTING,
    MAX_NEURONS,
    MAX_NOISE,
    MAX_PARAM,
    MAX_POINTS,
    MAX_REGULARIZATION_RATE,
    MAX_SAMPLES,
    MAX_SEED,
    MAX_TEST_FRACTION,
    MAX_TEXT,
    MAX_TITLE,
    MIN_LEARNING_RATE,
    MIN_POINTS,
    MODE_NAMES,
    NETWORK_KEYS,
    PANELS,
    PROBLEM_NAMES,
    REGULARIZATION_NAMES,
    STARS_KEYS,
    TOP_KEYS,
    TRAINING_KEYS,
)
from glassbox_game.storage import ReadProblem, read_regular

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = re.compile(r"\s*\(at end of document\)\s*$")
_SECTION_KEYS = {"network": NETWORK_KEYS, "training": TRAINING_KEYS, "data": DATA_KEYS, "level": LEVEL_KEYS}


def load_level(path: str | Path) -> Level:
    """Read and check the level (or sandbox setup) file at ``path``."""
    shown = str(path)
    p = Path(path)
    raw = read_text_file(p, shown, "level file")
    return loads_level(raw, shown, p.parent, p)


def read_text_file(p: Path, shown: str, kind: str) -> bytes:
    """The bytes of a level file or lecture script: a regular file of at most 1 MB, else one line."""
    try:
        return read_regular(p, MAX_FILE_BYTES)
    except ReadProblem as exc:
        if exc.kind == "directory":
            raise LevelError(f"{shown}: is a directory, not a {kind}") from None
        if exc.kind == "large":
            raise LevelError(f"{shown}: the file is larger than 1 MB; a {kind} is small text") from None
        if exc.kind == "special":
            raise LevelError(f"{shown}: {exc}; a {kind} must be an ordinary file") from None
        if exc.kind == "error":
            raise LevelError(f"{shown}: cannot read the file {str(exc).removeprefix('cannot be read ')}") from None
        if exc.kind == "name":
            raise LevelError(f"{shown}: not a usable file name") from None
        raise LevelError(f"{shown}: {exc}") from None


def loads_level(data: bytes | str, source: str = "<level>", base_dir: Path | None = None,
                path: Path | None = None) -> Level:
    """Check a level file's contents; ``source`` names it in messages, ``base_dir`` anchors data files."""
    try:
        doc = _parse_toml(data)
        return _level(doc, base_dir, path)
    except FieldError as exc:
        raise LevelError(f"{source}: {exc}") from None
    except RecursionError:
        raise LevelError(f"{source}: the file nests too deeply to be a level file") from None


def _parse_toml(data: bytes | str) -> dict[str, Any]:
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise FieldError("", "the file is larger than 1 MB; a level file is small text")
        if b"\x00" in data:
            line, col = _position(data, data.index(b"\x00"))
            raise FieldError("", f"line {line}, column {col}: binary data (a NUL byte); "
                                 "a level file is UTF-8 text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line, col = _position(data, exc.start)
            byte = data[exc.start]
            raise FieldError("", f"line {line}, column {col}: not UTF-8 text (byte 0x{byte:02x})") from None
    else:
        text = data.removeprefix("\ufeff")
    _prescan(text)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.search(msg)
        if m:
            what = msg[: m.start()]
            where = f"line {m.group(1)}, column {m.group(2)}: "
        else:
            what, where = _TOML_END.sub("", msg), "at the end of the file: "
        what = what[:1].lower() + what[1:]
        raise FieldError("", f"{where}TOML syntax error: {what}") from None


_DOTTED = re.compile(r"[A-Za-z0-9_\-]+(?:[ \t]*\.[ \t]*[A-Za-z0-9_\-]+){" + str(MAX_KEY_PARTS) + ",}")
_BRACKETS = re.compile(r"[\[\]{}]")
_DELIMS = re.compile(r'"""|' + r"'''" + r"""|["'#]""")


def _prescan(text: str) -> None:
    """Refuse, before ``tomllib`` sees it, what would take it minutes or its whole stack.

    ``tomllib`` is quadratic in the parts of a dotted key or table header (``[a.a.a…]``) and
    recursive in nesting, so both are bounded here: at most MAX_KEY_PARTS parts, at most
    MAX_NESTING levels of ``[`` / ``{``. Strings and comments are skipped, so a caption may say
    anything. The scan is linear (``str.find`` between string and comment delimiters).
    """
    bare = _strip_strings(text)
    m = _DOTTED.search(bare)
    if m:
        line = bare.count("\n", 0, m.start()) + 1
        raise FieldError("", f"line {line}: a key or table header has more than {MAX_KEY_PARTS} dotted parts")
    depth = 0
    for b in _BRACKETS.finditer(bare):
        if b.group() in "[{":
            depth += 1
            if depth > MAX_NESTING:
                line = bare.count("\n", 0, b.start()) + 1
                raise FieldError("", f"line {line}: lists or tables nest more than {MAX_NESTING} deep")
        else:
            depth = max(0, depth - 1)


def _strip_strings(text: str) -> str:
    """``text`` with every string and comment replaced by ``s`` (line breaks kept, for line numbers)."""
    out: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        m = _DELIMS.search(text, pos)
        if m is None:
            out.append(text[pos:])
            break
        out.append(text[pos : m.start()])
        d, start = m.group(), m.end()
        if d == "#":
            end = text.find("\n", start)
            end = n if end < 0 else end
        elif len(d) == 3:  # a multi-line string
            end = text.find(d, start)
            while d == '"""' and end >= 0 and _escaped(text, end):
                end = text.find(d, end + 1)
            end = n if end < 0 else end + 3
        else:  # a one-line string; basic strings ("…") have backslash escapes
            end = start
            while True:
                q = text.find(d, end)
                nl = text.find("\n", end)
                if q < 0 or 0 <= nl < q:
                    end = n if nl < 0 else nl
                    break
                end = q + 1
                if d == "'" or not _escaped(text, q):
                    break
        out.append("s" + "\n" * text.count("\n", m.start(), end))
        pos = end
    return "".join(out)


def _escaped(text: str, q: int) -> bool:
    """True when the character at ``q`` follows an odd number of backslashes."""
    k = q
    while k > 0 and text[k - 1] == "\\":
        k -= 1
    return (q - k) % 2 == 1


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _level(doc: dict[str, Any], base_dir: Path | None, path: Path | None) -> Level:
    for key in doc:
        if key not in TOP_KEYS:
            home = next((s for s, keys in _SECTION_KEYS.items() if key in keys), None)
            if home is not None:
                raise FieldError(key, f"unknown top-level key; it belongs in the [{home}] table")
            hint = f.did_you_mean(key, TOP_KEYS) or f" (allowed: {', '.join(TOP_KEYS)})"
            raise FieldError(key, f"unknown table{hint}")
    if "network" not in doc:
        raise FieldError("network", "missing: every level file needs a [network] table with layers")
    if "data" not in doc:
        raise FieldError("data", "missing: every level file needs a [data] table "
                                 "(problem, or inputs and targets)")
    setup = read_setup(doc, base_dir)
    held_out = 0
    if setup.generator is not None:
        held_out = datasets.held_out_count(setup.points, setup.test_fraction)
        n_samples = setup.points - held_out
    else:
        n_samples = 4 if setup.inputs is None else len(setup.inputs)
    if "level" not in doc:
        for key in ("goals", "hints", "stars"):
            if key in doc:
                raise FieldError(key, "needs a [level] table with at least id and title")
        return Level(setup=setup, path=path)
    lv = f.table(doc["level"], "level")
    f.check_keys(lv, LEVEL_KEYS, "level")
    for key in ("id", "title"):
        if key not in lv:
            raise FieldError(f"level.{key}", "missing")
    level_id = f.text(lv["id"], "level.id", 64, one_line=True)
    if not _ID.match(level_id):
        raise FieldError("level.id", f"{f.short(level_id)} must be lower-case letters, digits, - and _ "
                                     "(starting with a letter or digit)")
    if "goals" not in doc:
        raise FieldError("goals", "missing: a level needs at least one [[goals]] entry")
    goals = f.list_of(doc["goals"], "goals")
    if not goals:
        raise FieldError("goals", "a level needs at least one [[goals]] entry")
    if len(goals) > MAX_GOALS:
        raise FieldError("goals", f"{len(goals)} goals is more than the limit of {MAX_GOALS} "
                                  "(what the goal list can show)")
    facts = DataFacts(has_test_set=setup.generator is not None and held_out > 0,
                      classification=setup.classification)
    hints = f.list_of(doc.get("hints", []), "hints")
    if len(hints) > MAX_HINTS:
        raise FieldError("hints", f"{len(hints)} hints is more than the limit of {MAX_HINTS}")
    return Level(
        setup=setup,
        id=level_id,
        title=f.text(lv["title"], "level.title", MAX_TITLE, one_line=True, empty=False),
        order=f.whole(lv.get("order", 0), "level.order", 0, 1_000_000),
        briefing=f.text(lv.get("briefing", ""), "level.briefing", MAX_TEXT),
        debrief=f.text(lv.get("debrief", ""), "level.debrief", MAX_TEXT),
        controls=f.choices(lv.get("controls", list(DEFAULT_LEVEL_CONTROLS)), "level.controls", CONTROLS),
        panels=f.choices(lv.get("panels", list(PANELS)), "level.panels", PANELS),
        goals=tuple(read_goal(g, f"goals[{k}]", setup.layers, n_samples, facts) for k, g in enumerate(goals)),
        hints=tuple(_hint(h, f"hints[{k}]") for k, h in enumerate(hints)),
        stars=_stars(doc.get("stars", {})),
        path=path,
        speed=_speed(doc.get("training", {})),
    )


def _speed(train: dict[str, Any]) -> float | None:
    if "speed" not in train:
        return None
    return f.number(train["speed"], "training.speed", 0.1, 60_000)


def read_setup(doc: dict[str, Any], base_dir: Path | None) -> Setup:
    """The engine :class:`Setup` from a parsed file's [network], [training] and [data] tables."""
    net = f.table(doc["network"], "network")
    f.check_keys(net, NETWORK_KEYS, "network")
    train = f.table(doc.get("training", {}), "training")
    f.check_keys(train, TRAINING_KEYS, "training")
    data = f.table(doc["data"], "data")
    f.check_keys(data, DATA_KEYS, "data")

    layers = _layers(net)
    hidden = f.choice(net.get("hidden_activation", "sigmoid"), "network.hidden_activation", ACTIVATION_NAMES)
    output = f.choice(net.get("output_activation", "sigmoid"), "network.output_activation", ACTIVATION_NAMES)
    loss = f.choice(net.get("loss", "mse"), "network.loss", LOSS_NAMES)
    if loss == "cross_entropy" and output != "sigmoid":
        raise FieldError("network.loss", f'cross_entropy needs output_activation = "sigmoid", not {output!r}')
    rate = f.number(net.get("learning_rate", 0.5), "network.learning_rate", MIN_LEARNING_RATE,
                    MAX_LEARNING_RATE, above=True)
    weights, biases = _parameters(net, layers)
    seed = f.whole(net.get("seed", 0), "network.seed", 0, MAX_SEED)
    init = f.choice(net.get("init", "uniform"), "network.init", INIT_NAMES)
    radius = f.number(net.get("init_radius", 1.0), "network.init_radius", 0.0, MAX_INIT_RADIUS, above=True)

    mode = f.choice(train.get("mode", "batch"), "training.mode", MODE_NAMES)
    shuffle = f.boolean(train.get("shuffle", False), "training.shuffle")
    threshold = f.number(train.get("lock_threshold", DEFAULT_LOCK_THRESHOLD), "training.lock_threshold",
                         0.0, MAX_LOCK_THRESHOLD)
    batch_size = None
    if "batch_size" in train:
        batch_size = f.whole(train["batch_size"], "training.batch_size", 1, MAX_BATCH_SIZE)
        if mode == "online" and batch_size != 1:
            raise FieldError("training.batch_size", f'{batch_size}, but mode = "online" trains one sample a '
                                                    'step; use mode = "batch" for mini-batches')
    reg = f.choice(train.get("regularization", "none"), "training.regularization", REGULARIZATION_NAMES)
    reg_rate = 0.0
    if "regularization_rate" in train:
        reg_rate = f.number(train["regularization_rate"], "training.regularization_rate", 0.0,
                            MAX_REGULARIZATION_RATE)
        if reg == "none" and reg_rate > 0:
            raise FieldError("training.regularization_rate", f'{reg_rate:g} has no effect without a regularization '
                                                             '("l1" or "l2")')

    features = _features(net, layers)
    raw_layers = layers if features is None else (2, *layers[1:])
    gen = _generator(data, raw_layers, loss)
    if gen is not None:
        problem, inputs, targets = None, None, None
    else:
        problem, inputs, targets = _data(data, raw_layers, base_dir)
    if loss == "cross_entropy" and targets is not None:
        for k, row in enumerate(targets):
            for m, v in enumerate(row):
                if not 0.0 <= v <= 1.0:
                    where = "data.file" if "file" in data else f"data.targets[{k}][{m}]"
                    raise FieldError(where, f"target {v!r} is outside 0…1, which cross_entropy needs")
    return Setup(
        layers=layers, hidden_activation=hidden, output_activation=output, loss=loss, learning_rate=rate,
        weights=weights, biases=biases, seed=seed, init=init, init_radius=radius, mode=mode, shuffle=shuffle,
        problem=problem, inputs=inputs, targets=targets, lock_threshold=threshold,
        features=features, batch_size=batch_size, regularization=reg, regularization_rate=reg_rate,
        **(gen or {}),
    )


def _features(net: dict[str, Any], layers: tuple[int, ...]) -> tuple[str, ...] | None:
    if "features" not in net:
        return None
    names = f.choices(net["features"], "network.features", FEATURE_NAMES)
    if not names:
        raise FieldError("network.features", f"expected at least one of {', '.join(FEATURE_NAMES)}")
    if layers[0] != len(names):
        n = len(names)
        raise FieldError("network.layers[0]", f"is {layers[0]}, but network.features lists {n} feature"
                                              f"{'s' if n != 1 else ''} (layers[0] = the number of features)")
    return names


def _generator(data: dict[str, Any], raw_layers: tuple[int, ...], loss: str) -> dict[str, Any] | None:
    """The generator keys of [data], or None when the data is a problem, a file or inputs/targets."""
    if "generator" not in data:
        for key in GENERATOR_KEYS:
            if key in data:
                raise FieldError(f"data.{key}", f'only goes with a generator (generator = "circle", or one of '
                                                f'{", ".join(GENERATOR_NAMES[1:])})')
        return None
    for other in ("problem", "file", "inputs", "targets"):
        if other in data:
            raise FieldError(f"data.{other}", "give only one of problem, file, inputs and targets, or generator "
                                              "(this file also has generator)")
    name = f.choice(data["generator"], "data.generator", GENERATOR_NAMES)
    if raw_layers[0] != 2:
        raise FieldError("network.layers[0]", f'is {raw_layers[0]}, but the {name!r} data set has 2 inputs '
                                              '(x1, x2): use 2, or list network.features')
    if raw_layers[-1] != 1:
        raise FieldError("network.layers", f"the {name!r} data set has 1 target, so the last layer needs 1 "
                                           f"neuron, not {raw_layers[-1]}")
    if loss == "cross_entropy" and not datasets.is_classification(name):
        raise FieldError("data.generator", f'{name!r} is a regression (targets −1…1); cross_entropy needs 0…1 '
                                           'targets: use loss = "mse"')
    return {
        "generator": name,
        "points": f.whole(data.get("points", 200), "data.points", MIN_POINTS, MAX_POINTS),
        "noise": f.number(data.get("noise", 0.0), "data.noise", 0.0, MAX_NOISE),
        "test_fraction": f.number(data.get("test_fraction", 0.0), "data.test_fraction", 0.0, MAX_TEST_FRACTION),
        "data_seed": f.whole(data.get("seed", 0), "data.seed", 0, 2**63 - 1),
    }


def _layers(net: dict[str, Any]) -> tuple[int, ...]:
    if "layers" not in net:
        raise FieldError("network.layers", "missing: the neurons per layer, input first, e.g. [2, 2, 1]")
    items = f.list_of(net["layers"], "network.layers")
    if len(items) < 2:
        raise FieldError("network.layers", f"expected at least 2 layers (input and output), got {len(items)}")
    if len(items) > MAX_LAYERS:
        raise FieldError("network.layers", f"{len(items)} layers is more than the limit of {MAX_LAYERS}")
    out = []
    for k, v in enumerate(items):
        if isinstance(v, int) and not isinstance(v, bool) and v > MAX_NEURONS:
            raise FieldError(f"network.layers[{k}]",
                             f"{v} neurons is more than the limit of {MAX_NEURONS} a layer")
        out.append(f.whole(v, f"network.layers[{k}]", 1, MAX_NEURONS))
    return tuple(out)


def _parameters(net: dict[str, Any], layers: tuple[int, ...]) -> tuple[Any, Any]:
    has_w, has_b = "weights" in net, "biases" in net
    if not has_w and not has_b:
        return None, None
    if not has_b:
        raise FieldError("network.biases", "missing: weights and biases are given together")
    if not has_w:
        raise FieldError("network.weights", "missing: weights and biases are given together")
    n = len(layers) - 1
    w_layers = f.list_of(net["weights"], "network.weights", n, "weight layer",
                         f"one per pair of neighbouring layers in {list(layers)}")
    b_layers = f.list_of(net["biases"], "network.biases", n, "bias layer",
                         f"one per non-input layer of {list(layers)}")
    weights = []
    for l, rows in enumerate(w_layers):
        path = f"network.weights[{l}]"
        rows = f.list_of(rows, path)
        if len(rows) != layers[l + 1]:
            want = layers[l + 1]
            plural = "s" if want != 1 else ""
            raise FieldError(path, f"expected {want} row{plural} (layers[{l + 1}] = {want}), got {len(rows)}")
        weights.append(tuple(f.vector(r, f"{path}[{j}]", layers[l], f"layers[{l}] = {layers[l]}", MAX_PARAM)
                             for j, r in enumerate(rows)))
    biases = tuple(f.vector(b, f"network.biases[{l}]", layers[l + 1], f"layers[{l + 1}] = {layers[l + 1]}",
                            MAX_PARAM) for l, b in enumerate(b_layers))
    return tuple(weights), biases


def _data(data: dict[str, Any], layers: tuple[int, ...], base_dir: Path | None) -> tuple[Any, Any, Any]:
    given = [k for k in ("problem", "file", "inputs") if k in data]
    if "targets" in data and "inputs" not in data:
        raise FieldError("data.inputs", "missing: targets are given, so inputs must be too")
    if len(given) > 1:
        raise FieldError(f"data.{given[1]}", f"give only one of problem, file, or inputs and targets "
                                             f"(this file also has {given[0]})")
    if not given:
        raise FieldError("data", 'missing: problem = "xor" (or and/or/nand/nor/xnor), inputs and targets, '
                                 'or generator = "circle" (or xor/gaussians/spiral/plane/hill)')
    n_in, n_out = layers[0], layers[-1]
    if "problem" in data:
        name = f.choice(data["problem"], "data.problem", PROBLEM_NAMES)
        if (n_in, n_out) != (2, 1):
            raise FieldError("data.problem",
                             f"{name!r} has 2 inputs and 1 output, but network.layers is {list(layers)}")
        return name, None, None
    if "file" in data:
        name = f.text(data["file"], "data.file", 255, one_line=True)
        inputs, targets = read_rows(name, base_dir, n_in, n_out, "data.file")
        return None, inputs, targets
    if "targets" not in data:
        raise FieldError("data.targets", "missing: inputs are given, so targets must be too")
    rows_in = f.list_of(data["inputs"], "data.inputs")
    rows_out = f.list_of(data["targets"], "data.targets")
    if not rows_in:
        raise FieldError("data.inputs", "expected at least 1 sample, got none")
    if len(rows_in) > MAX_SAMPLES:
        raise FieldError("data.inputs", f"{len(rows_in)} samples is more than the limit of {MAX_SAMPLES}")
    if len(rows_out) != len(rows_in):
        n = len(rows_in)
        raise FieldError("data.targets", f"expected {n} row{'s' if n != 1 else ''} (one per input row), "
                                         f"got {len(rows_out)}")
    inputs = tuple(f.vector(r, f"data.inputs[{k}]", n_in, f"layers[0] = {n_in}", MAX_DATA_VALUE)
                   for k, r in enumerate(rows_in))
    targets = tuple(f.vector(r, f"data.targets[{k}]", n_out, f"layers[-1] = {n_out}", MAX_DATA_VALUE)
                    for k, r in enumerate(rows_out))
    return None, inputs, targets


def _hint(raw: Any, path: str) -> Hint:
    t = f.table(raw, path)
    f.check_keys(t, HINT_KEYS, path)
    if "text" not in t:
        raise FieldError(f"{path}.text", "missing")
    after = t.get("after_failures")
    return Hint(f.text(t["text"], f"{path}.text", MAX_TEXT, empty=False),
                None if after is None else f.whole(after, f"{path}.after_failures", 1, 1000))


def _stars(raw: Any) -> Stars:
    t = f.table(raw, "stars")
    f.check_keys(t, STARS_KEYS, "stars")
    pairs: dict[str, tuple[int, int] | None] = {}
    for key in STARS_KEYS:
        if key not in t:
            pairs[key] = None
            continue
        path = f"stars.{key}"
        items = f.list_of(t[key], path, 2, "number", "[three-star limit, two-star limit]")
        three, two = (f.whole(v, f"{path}[{k}]", 0, 10_000_000) for k, v in enumerate(items))
        if three > two:
            raise FieldError(path, f"the three-star limit {three} is above the two-star limit {two}")
        pairs[key] = (three, two)
    return Stars(pairs["epochs"], pairs["hints"], pairs["attempts"])
