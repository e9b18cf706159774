"""Custom training data typed as a small truth table: rows of x₁, x₂ → y.

Pure checking and conversion (no pygame): the editor overlay and the ``data`` script verb share it,
so a typed table and a scripted one are refused for the same reasons, in the same words.
"""

from __future__ import annotations

import math

from glassbox_game.engine.activations import ACTIVATIONS
from glassbox_game.engine.setup import Setup

MIN_ROWS, MAX_ROWS = 1, 16
INPUT_LIMIT = 1000.0
COLUMNS = ("x₁", "x₂", "y")
#: the outputs an activation can reach: a target outside them could never be met
OUTPUT_RANGES = {
    name: (lo, hi, f"a {name} output ŷ is always between {lo:g} and {hi:g}".replace("-", "−"))
    for name, (lo, hi) in ((n, a.output_range) for n, a in ACTIVATIONS.items())
    if math.isfinite(lo) and math.isfinite(hi)
}

Rows = tuple[tuple[float, ...], ...]


class TableError(Exception):
    """A table that cannot be used; ``row``/``col`` point at the first bad cell (None for the whole table)."""

    def __init__(self, message: str, row: int | None = None, col: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.col = col


def _number(text: str, row: int, col: int) -> float:
    cleaned = text.strip().replace("−", "-").replace(",", ".")
    where = f"Row {row + 1}, {COLUMNS[col]}"
    if not cleaned:
        raise TableError(f"{where} is empty: type a number.", row, col)
    try:
        value = float(cleaned)
    except ValueError:
        raise TableError(f"{where}: '{text.strip()}' is not a number.", row, col) from None
    if not math.isfinite(value):
        raise TableError(f"{where}: '{text.strip()}' is not a finite number.", row, col)
    return value


def show_number(value: float) -> str:
    """A number as a user would type it (1, 0.25, -3), with no float noise."""
    return f"{value:g}"


def check_table(cells: list[list[str]], output_activation: str = "sigmoid") -> tuple[Rows, Rows]:
    """Typed cells (rows of x₁, x₂, y) → (inputs, targets); TableError with the first problem."""
    if not MIN_ROWS <= len(cells) <= MAX_ROWS:
        raise TableError(f"The table needs {MIN_ROWS} to {MAX_ROWS} rows; it has {len(cells)}.")
    inputs: list[tuple[float, ...]] = []
    targets: list[tuple[float, ...]] = []
    lo, hi, why = OUTPUT_RANGES.get(output_activation, (-INPUT_LIMIT, INPUT_LIMIT, ""))
    for r, row in enumerate(cells):
        if len(row) != 3:
            raise TableError(f"Row {r + 1} needs three numbers (x₁ x₂ y); it has {len(row)}.", r)
        x1, x2, y = (_number(text, r, k) for k, text in enumerate(row))
        for k, v in ((0, x1), (1, x2)):
            if abs(v) > INPUT_LIMIT:
                raise TableError(f"Row {r + 1}, {COLUMNS[k]}: {show_number(v)} is outside "
                                 f"−{INPUT_LIMIT:g} … {INPUT_LIMIT:g}; inputs that large saturate every neuron.", r, k)
        if not lo <= y <= hi:
            reason = (f"{why}, so it could never reach this target" if why
                      else "targets that large make the loss explode")
            raise TableError(f"Row {r + 1}, y: {show_number(y)} is outside {show_number(lo)} … {show_number(hi)}"
                             f" — {reason}.".replace("-", "−"), r, 2)
        inputs.append((x1, x2))
        targets.append((y,))
    return tuple(inputs), tuple(targets)


def parse_table_text(text: str) -> list[list[str]]:
    """``"0 0 0; 0 1 1; …"`` (rows split by ``;`` or new lines, cells by spaces) → cells for check_table."""
    rows = [r for r in text.replace("\n", ";").split(";") if r.strip()]
    return [r.replace(",", " ").split() for r in rows]


def cells_from_setup(setup: Setup) -> list[list[str]] | None:
    """The current data as editable cells, or None when it is not 2 inputs → 1 target."""
    data = setup.dataset()
    if data.x.shape[1] != 2 or data.y.shape[1] != 1 or not MIN_ROWS <= data.n_samples <= MAX_ROWS:
        return None
    return [[show_number(float(a)), show_number(float(b)), show_number(float(y))]
            for (a, b), (y,) in zip(data.x.tolist(), data.y.tolist(), strict=True)]


def custom_data_changes(setup: Setup, inputs: Rows, targets: Rows) -> tuple[tuple[str, object], ...]:
    """The ChangeSetup pairs that make ``inputs``/``targets`` the training data (and fit the layers to it)."""
    changes: list[tuple[str, object]] = [("problem", None), ("inputs", inputs), ("targets", targets)]
    if setup.layers[0] != 2 or setup.layers[-1] != 1:
        changes += [("layers", (2, *setup.layers[1:-1], 1)), ("weights", None), ("biases", None)]
    return tuple(changes)
