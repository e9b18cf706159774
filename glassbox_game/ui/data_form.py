"""The data-set form: what the data dialog's fields say, checked, and the setup changes it makes.

Pure functions (no widgets): the dialog (``scenes/data_set.py``) and scripts read typed text through
:func:`read_form` — one-line reasons for anything out of range, the setting unchanged — and turn the
values into the same :class:`~glassbox_game.sim.commands.ChangeSetup` changes the Problem menu sends
(:func:`form_changes`). The limits are the level files' (``engine/datasets.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from glassbox_game.engine import datasets
from glassbox_game.engine.setup import Setup
from glassbox_game.levels.schema import MAX_SEED
from glassbox_game.ui.params_panel import generated_changes

#: the form's numbers: key → (label, low, high, unit shown); noise and test share are typed in percent
FIELDS: dict[str, tuple[str, float, float, str]] = {
    "points": ("Points", datasets.MIN_POINTS, datasets.MAX_POINTS, ""),
    "noise": ("Noise", 0.0, 100.0 * datasets.MAX_NOISE, "%"),
    "test_fraction": ("Held out for testing", 0.0, 100.0 * datasets.MAX_TEST_FRACTION, "%"),
    "data_seed": ("Data seed", 0, MAX_SEED, ""),
}
PLAIN = ("x1", "x2")


@dataclass(frozen=True)
class DataForm:
    """The values the dialog holds (noise and test share as fractions 0 … 0.5 / 0 … 0.9)."""

    generator: str
    points: int
    noise: float
    test_fraction: float
    data_seed: int
    features: tuple[str, ...]


def form_of(setup: Setup) -> DataForm:
    """The form filled in from ``setup`` (a truth table starts from TensorFlow Playground's circle)."""
    if setup.generator is None:
        return DataForm("circle", 200, 0.1, 0.5, setup.data_seed, setup.features or PLAIN)
    return DataForm(setup.generator, setup.points, setup.noise, setup.test_fraction, setup.data_seed,
                    setup.features or PLAIN)


def field_text(form: DataForm, key: str) -> str:
    """What a number field shows: 200, 10 (%), 50 (%), 3."""
    if key in ("noise", "test_fraction"):
        return f"{100.0 * getattr(form, key):g}"
    return str(getattr(form, key))


def read_field(key: str, text: str) -> tuple[float | None, str | None]:
    """A typed field as its value (fractions for the percentages), or None and a one-line reason."""
    label, lo, hi, unit = FIELDS[key]
    cleaned = text.strip().replace("−", "-").replace(",", ".").removesuffix("%").strip()
    whole = key in ("points", "data_seed")
    try:
        value = float(cleaned) if not whole else float(int(cleaned))
    except ValueError:
        kind = "a whole number" if whole else "a number"
        return None, f"{label}: '{text}' is not {kind} ({_span(lo, hi, unit)})."
    if not lo <= value <= hi:
        return None, f"{label}: {value:g}{' ' + unit if unit else ''} is outside {_span(lo, hi, unit)}."
    return (value / 100.0 if unit == "%" else value), None


def _span(lo: float, hi: float, unit: str) -> str:
    if hi >= MAX_SEED:
        return f"{lo:g} or more"
    return f"{lo:g} … {hi:g}{' ' + unit if unit else ''}".replace(".0 ", " ")


def read_form(generator: str, texts: dict[str, str], features: tuple[str, ...]) -> tuple[DataForm | None, str | None]:
    """Every field checked, in the form's order: the form, or None and the first field's one-line reason."""
    if generator not in datasets.GENERATORS:
        return None, f"Data set: {generator!r} is not one of {', '.join(datasets.GENERATORS)}."
    values: dict[str, float] = {}
    for key in FIELDS:
        value, why = read_field(key, texts.get(key, ""))
        if value is None:
            return None, why
        values[key] = value
    if not features:
        return None, "Input features: switch on at least one (x₁ and x₂ are the plain inputs)."
    ordered = tuple(f for f in datasets.FEATURES if f in features)
    return DataForm(generator, int(values["points"]), values["noise"], values["test_fraction"],
                    int(values["data_seed"]), ordered), None


def form_changes(setup: Setup, form: DataForm) -> tuple[tuple[tuple[str, object], ...], str | None]:
    """The setup changes that train on ``form``'s data (through the Problem menu's rule for a new data set),
    and a notice when the output or loss had to change. The input layer follows the features' count."""
    base, notice = generated_changes(setup, form.generator)
    changes = dict(base)
    changes.update(points=form.points, noise=form.noise, test_fraction=form.test_fraction,
                   data_seed=form.data_seed, features=None if form.features == PLAIN else form.features)
    layers = changes.get("layers", setup.layers)
    assert isinstance(layers, tuple)
    if layers[0] != len(form.features):
        changes.update(layers=(len(form.features), *layers[1:]), weights=None, biases=None)
    return tuple(changes.items()), notice
