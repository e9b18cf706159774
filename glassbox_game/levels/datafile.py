"""``[data] file``: a CSV of training rows kept next to the level file, never outside its directory.

Each row holds the inputs then the targets, comma-separated. Blank lines and lines starting with
``#`` are skipped, and a first line that is not numbers is taken as a header.
"""

from __future__ import annotations

import math
from pathlib import Path

from glassbox_game.levels.fields import FieldError, short
from glassbox_game.levels.schema import MAX_DATA_VALUE, MAX_FILE_BYTES, MAX_SAMPLES
from glassbox_game.storage import ReadProblem, read_regular

Rows = tuple[tuple[float, ...], ...]


def resolve_inside(name: str, base_dir: Path | None, field: str) -> Path:
    """The file ``name`` relative to ``base_dir``, refusing anything that leads outside it."""
    if base_dir is None:
        raise FieldError(field, "a data file needs the level to be loaded from a file")
    if not name or "\x00" in name:
        raise FieldError(field, f"{short(name)} is not a file name")
    rel = Path(name)
    if rel.is_absolute() or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise FieldError(field, f"{short(name)} must be a path relative to the level's directory")
    base = base_dir.resolve()
    target = (base / rel).resolve()
    if not target.is_relative_to(base):
        raise FieldError(field, f"{short(name)} is outside the level's directory")
    return target


def read_rows(name: str, base_dir: Path | None, n_in: int, n_out: int, field: str) -> tuple[Rows, Rows]:
    """(inputs, targets) from the CSV file ``name``; every problem is a :class:`FieldError`."""
    target = resolve_inside(name, base_dir, field)
    try:
        raw = read_regular(target, MAX_FILE_BYTES)
    except ReadProblem as exc:
        if exc.kind == "large":
            raise FieldError(field, f"{short(name)} is larger than 1 MB") from None
        if exc.kind == "error":
            raise FieldError(field, f"{short(name)}: {str(exc).replace('cannot be read', 'cannot read')}") from None
        raise FieldError(field, f"{short(name)}: {exc}") from None
    try:
        body = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FieldError(field, f"{short(name)} is not UTF-8 text") from None
    inputs: list[tuple[float, ...]] = []
    targets: list[tuple[float, ...]] = []
    width = n_in + n_out
    first = True
    for number, line in enumerate(body.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        cells = [c.strip() for c in stripped.split(",")]
        values = [_float(c) for c in cells]
        if first and any(v is None for v in values):
            first = False  # a header row
            continue
        first = False
        where = f"{short(name)} line {number}"
        bad = next((c for c, v in zip(cells, values, strict=True) if v is None), None)
        if bad is not None:
            raise FieldError(field, f"{where}: {short(bad)} is not a finite number")
        if len(values) != width:
            raise FieldError(field, f"{where}: expected {width} values ({n_in} inputs + {n_out} targets), "
                                    f"got {len(values)}")
        if any(abs(v) > MAX_DATA_VALUE for v in values if v is not None):
            raise FieldError(field, f"{where}: a value is larger than {MAX_DATA_VALUE:g}")
        if len(inputs) == MAX_SAMPLES:
            raise FieldError(field, f"{short(name)} has more than {MAX_SAMPLES} samples")
        clean = [float(v) for v in values if v is not None]
        inputs.append(tuple(clean[:n_in]))
        targets.append(tuple(clean[n_in:]))
    if not inputs:
        raise FieldError(field, f"{short(name)} holds no data rows")
    return tuple(inputs), tuple(targets)


def _float(cell: str) -> float | None:
    try:
        v = float(cell)
    except ValueError:
        return None
    return v if math.isfinite(v) else None
