"""The parameters card: learning rate, lock threshold, activations, loss, problem, architecture …

Each control turns into a simulation command. Typed numbers are checked: a bad value leaves the
setting as it was and says why (``notices``), never a crash. In a level, controls the level does
not allow are shown but disabled.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame
import pygame_gui
from pygame_gui.core import ObjectID

from glassbox_game.engine import datasets
from glassbox_game.engine.activations import ACTIVATIONS
from glassbox_game.engine.network import INIT_SCHEMES
from glassbox_game.engine.problems import PROBLEMS
from glassbox_game.engine.setup import Setup
from glassbox_game.kit import text_log
from glassbox_game.kit.component import Component, ViewContext, draw_card
from glassbox_game.kit.palette import mix
from glassbox_game.levels.schema import (
    MAX_LAYERS,
    MAX_LEARNING_RATE,
    MAX_LOCK_THRESHOLD,
    MAX_NEURONS,
    MAX_REGULARIZATION_RATE,
    MAX_SEED,
    MIN_LEARNING_RATE,
)
from glassbox_game.numfmt import fmt
from glassbox_game.sim import commands as c
from glassbox_game.sim.snapshot import Snapshot

LR_MIN, LR_MAX = 1e-3, MAX_LEARNING_RATE  # the slider spans 0.001 … 1000 on a log scale
LOSS_NAMES = {"mse": "MSE", "cross_entropy": "Cross-entropy"}
#: the loss menu's words when its box is narrower than "Cross-entropy" (large text in a small window)
LOSS_SHORT = {"mse": "MSE", "cross_entropy": "Cross-ent."}
SHORT_LABELS = {'Learning rate η': 'Rate η', 'Lock threshold (σ′)': 'Lock σ′', 'Hidden activation': 'Hidden',
                'Output activation': 'Output', 'Seed (Enter to apply)': 'Seed', 'Initialisation': 'Init',
                'Batch size (Enter)': 'Batch', 'Regularisation, rate λ': 'Reg. λ'}
LAYER_PRESETS = ("2-2-1", "2-3-1", "2-4-1", "2-2-2-1", "2-4-4-1", "2-4-4-4-1", "2-8-8-8-8-1")
#: generated data sets in the Problem menu (TensorFlow Playground's); "XOR CLOUD" is not the XOR gate
DATA_LABELS: dict[str, str] = {g: ("XOR CLOUD" if g == "xor" else g.upper()) for g in datasets.GENERATORS}
GENERATED: dict[str, str] = {label: g for g, label in DATA_LABELS.items()}


def generated_changes(setup: Setup, name: str) -> tuple[tuple[tuple[str, object], ...], str | None]:
    """The setup changes that switch to the generated data set ``name`` (TensorFlow Playground's defaults
    for a fresh one: 200 points, 10 % noise, half held out for testing; the inputs go back to x₁, x₂),
    and a notice when the output or loss had to change to fit."""
    fresh = setup.generator is None
    changes: list[tuple[str, object]] = [
        ("generator", name), ("problem", None), ("inputs", None), ("targets", None), ("features", None),
        ("points", 200 if fresh else setup.points), ("noise", 0.1 if fresh else setup.noise),
        ("test_fraction", 0.5 if fresh else setup.test_fraction)]
    if (setup.layers[0], setup.layers[-1]) != (2, 1):
        changes += [("layers", (2, *setup.layers[1:-1], 1)), ("weights", None), ("biases", None)]
    notice = None
    if not datasets.is_classification(name) and (setup.loss == "cross_entropy" or setup.output_activation == "sigmoid"):
        changes += [("loss", "mse"), ("output_activation", "tanh")]
        notice = f"{name.capitalize()} is a regression with targets −1…1: the output is now tanh and the loss MSE."
    return tuple(changes), notice


def lr_to_slider(lr: float) -> float:
    return 1000.0 * (math.log10(min(LR_MAX, max(LR_MIN, lr))) - math.log10(LR_MIN)) / 6.0


def slider_to_lr(v: float) -> float:
    raw = 10 ** (math.log10(LR_MIN) + 6.0 * v / 1000.0)
    # round to two significant figures so the slider lands on readable values
    digits = -math.floor(math.log10(raw)) + 1
    return round(raw, digits)


def parse_number(text: str, what: str, lo: float, hi: float, above: bool = False) -> tuple[float | None, str | None]:
    """A typed number in [lo, hi] ((lo, hi] when ``above``), or None and a one-line reason."""
    cleaned = text.strip().replace("−", "-").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None, f"{what}: '{text}' is not a number."
    if not math.isfinite(value):
        return None, f"{what}: '{text}' is not a finite number."
    if above and value <= lo:
        return None, f"{what}: {fmt(value)} must be above {fmt(lo, 2)}."
    if not lo <= value <= hi:
        return None, f"{what}: {fmt(value)} is outside {fmt(lo, 2)} … {fmt(hi, 2)}."
    return value, None


def shape_text(layers: tuple[int, ...], short: bool = False) -> str:
    """Layer sizes as the Layers drop-down shows them: 2-8-8-8-1, or (``short``) repeats counted: 2-8×3-1."""
    if not short:
        return "-".join(str(n) for n in layers)
    runs: list[list[int]] = []
    for n in layers:
        if runs and runs[-1][0] == n:
            runs[-1][1] += 1
        else:
            runs.append([n, 1])
    return "-".join(str(n) if k == 1 else f"{n}×{k}" for n, k in runs)


def parse_layers(text: str, n_in: int, n_out: int) -> tuple[tuple[int, ...] | None, str | None]:
    """Layer sizes typed as 2-4-4-1 (or 2-4×2-1: a size × how many layers); the first and last must fit
    the data."""
    parts = [p for p in text.replace(",", "-").replace(" ", "-").split("-") if p]
    try:
        sizes: tuple[int, ...] = ()
        for p in parts:
            size, _, count = p.replace("x", "×").partition("×")
            sizes += (int(size),) * (int(count) if count else 1)
    except ValueError:
        return None, f"Layers: '{text}' should look like 2-4-4-1."
    if len(sizes) < 2 or len(sizes) > MAX_LAYERS:
        return None, f"Layers: between 2 and {MAX_LAYERS} numbers, e.g. 2-4-1."
    if any(s < 1 or s > MAX_NEURONS for s in sizes):
        return None, f"Layers: each layer has 1 to {MAX_NEURONS} neurons."
    if sizes[0] != n_in or sizes[-1] != n_out:
        return None, f"Layers: this data needs {n_in} inputs and {n_out} output(s), e.g. {n_in}-4-{n_out}."
    return sizes, None


REGULARIZATION_LABELS = {"none": "none", "l1": "L1", "l2": "L2"}
DEFAULT_REGULARIZATION_RATE = 0.001  # λ when L1 or L2 is switched on with none set (TensorFlow Playground's)


def batch_text(setup: Setup) -> str:
    """The batch-size field's text: "online" (1 sample a step), "full" (every row), or the size."""
    if setup.mode == "online":
        return "online"
    return "full" if setup.batch_size is None else str(setup.batch_size)


def parse_batch(text: str, n_rows: int) -> tuple[tuple[tuple[str, object], ...] | None, str | None]:
    """A typed batch size — 1 … ``n_rows``, "online" or "full" — as setup changes, or None and a one-line reason.

    1 is online training and ``n_rows`` (or more) the full batch, as the level files have them."""
    word = text.strip().lower()
    online = (("mode", "online"), ("batch_size", None))
    full = (("mode", "batch"), ("batch_size", None))
    if word in ("online",):
        return online, None
    if word in ("full", "all", "batch"):
        return full, None
    try:
        size = int(word)
    except ValueError:
        return None, f"Batch size: '{text}' is not a whole number 1 … {n_rows:,}, 'online' or 'full'."
    if not 1 <= size <= n_rows:
        return None, f"Batch size: {size:,} is outside 1 … {n_rows:,} (the training rows)."
    if size == 1:
        return online, None
    return (full if size == n_rows else (("mode", "batch"), ("batch_size", size))), None


def regularization_changes(setup: Setup, label: str) -> tuple[tuple[str, object], ...]:
    """Choosing none / L1 / L2: none sets λ to 0; L1 or L2 with no λ yet starts at 0.001."""
    reg = {v: k for k, v in REGULARIZATION_LABELS.items()}[label]
    if reg == "none":
        return (("regularization", "none"), ("regularization_rate", 0.0))
    rate = setup.regularization_rate if setup.regularization_rate > 0 else DEFAULT_REGULARIZATION_RATE
    return (("regularization", reg), ("regularization_rate", rate))


def parse_rate(text: str, setup: Setup) -> tuple[float | None, str | None]:
    """A typed regularisation rate λ (0 … 10), or None and a one-line reason (λ needs L1 or L2)."""
    value, why = parse_number(text, "Regularisation rate λ", 0.0, MAX_REGULARIZATION_RATE)
    if value is not None and value > 0 and setup.regularization == "none":
        return None, "Regularisation rate λ: choose L1 or L2 first (with none, λ has no effect)."
    return value, why


FILES_LABEL = "Files…"  # with large text the file buttons are one menu (its first entry is its name)
#: the sandbox's file and data buttons (in the card's title row, else a row of their own)
FILE_BUTTONS = (("scenarios", "Scenarios…"), ("open", "Open…"), ("save", "Save…"), ("data", "Data…"))


class ParamsPanel(Component):
    """``allowed``: the control names a level lets the player touch (None = all, the sandbox).

    ``on_open`` / ``on_save`` / ``on_data``: what the Open…, Save… and Data… buttons do (the scene's
    file dialogs and data editor); a button is shown only when its callback is given, so the panel
    itself never touches a file.
    """

    name = "params"
    CONTROLS = ("learning_rate", "lock_threshold", "hidden_activation", "output_activation", "loss",
                "problem", "layers", "batch_size", "init", "seed", "regularization")

    def __init__(self, allowed: frozenset[str] | None = None, on_open: Callable[[], None] | None = None,
                 on_save: Callable[[], None] | None = None, on_data: Callable[[], None] | None = None,
                 on_scenarios: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.allowed = allowed
        self.actions = {k: fn for k, fn in (("scenarios", on_scenarios), ("open", on_open), ("save", on_save),
                                            ("data", on_data)) if fn is not None}
        self.widgets: dict[str, pygame_gui.core.UIElement] = {}
        self.labels: dict[str, tuple[str, pygame.Rect]] = {}
        self.notices: list[str] = []
        self._shown: dict[str, object] = {}
        self._stacked = True
        self._loss_names = LOSS_NAMES  # or LOSS_SHORT when the loss box is too narrow for the full words
        self._title_buttons = False
        self._files_menu = False
        self._buttons_left = 0
        self._card: pygame.Surface | None = None
        self._card_key: tuple = ()

    @staticmethod
    def _dropdowns() -> dict[str, tuple[str, list[str | tuple[str, str]]]]:
        acts: list[str | tuple[str, str]] = list(ACTIVATIONS)
        return {
            "hidden_activation": ("Hidden activation", acts),
            "output_activation": ("Output activation", acts),
            "loss": ("Loss", list(LOSS_NAMES.values())),
            "problem": ("Problem", [*(p.upper() for p in PROBLEMS), *GENERATED]),
            "layers": ("Layers", list(LAYER_PRESETS)),
            "init": ("Initialisation", list(INIT_SCHEMES)),
            "regularization": ("Regularisation, rate λ", list(REGULARIZATION_LABELS.values())),
        }

    def _ok(self, key: str) -> bool:
        return self.allowed is None or key in self.allowed

    def layout(self, rect: pygame.Rect, ctx: ViewContext) -> None:
        super().layout(rect, ctx)
        theme = ctx.theme
        manager = ctx.manager
        assert isinstance(manager, pygame_gui.UIManager)
        self.widgets, self.labels, self._shown = {}, {}, {}
        pad = theme.px(24)
        inner = pygame.Rect(rect.x + pad, rect.y + pad + theme.text_px("caption") + theme.px(12),
                            rect.w - 2 * pad, rect.h - 2 * pad - theme.text_px("caption") - theme.px(12))
        label_h = theme.text_px("caption") + theme.px(4)
        shown = [(k, text) for k, text in FILE_BUTTONS if k in self.actions]
        # the file buttons sit in the card's title row, right of the title, when they fit there
        bgap = theme.px(6)
        button_needs = [theme.measure(text, "caption")[0] + theme.px(20) for _, text in shown]
        title_w = theme.measure("PARAMETERS", "caption", bold=True)[0]
        in_title = bool(shown) and sum(button_needs) + bgap * (len(shown) - 1) <= inner.w - title_w - theme.px(24)
        self._title_buttons = in_title
        # three controls a row; with large text two, and the file buttons get a row of their own
        compact = theme.text_scale > 1.3
        files_menu = compact and bool(shown) and not in_title  # large text: the file buttons as one menu
        self._files_menu = files_menu
        if compact:
            grid: list[list[str]] = [["learning_rate", "lock_threshold"], ["hidden_activation", "output_activation"],
                                     ["loss", "problem"], ["layers", "batch_size"], ["init", "seed"],
                                     ["regularization", "files" if files_menu else ""]]
        else:
            grid = [["learning_rate", "lock_threshold"], ["hidden_activation", "output_activation", "loss"],
                    ["problem", "layers", "batch_size"], ["init", "seed", "regularization"]]
            if shown and not in_title:
                grid.append(["buttons"])
        ctl_need = theme.fonts.font(theme.text_px("caption")).get_linesize() + theme.px(4)
        if compact and self.allowed is not None and inner.h // len(grid) < ctl_need:
            # large text in a level: no room for every control, so the fixed ones (the level sets
            # them; the network's subtitle names the activations) make way for those the player may use
            keys = [k for row in grid for k in row if k and k != "buttons" and self._ok(k)]
            grid = [keys[k:k + 2] for k in range(0, len(keys), 2)] or [[]]
        rows = max(1, len(grid))
        row_h = inner.h // rows
        gap = theme.px(16)
        ctl_min = theme.text_px("caption") + theme.px(12)
        # labels above the controls when there is room (as at 1080p), beside them when there is not
        stacked = row_h >= label_h + ctl_min + theme.px(6)
        cap = max(theme.px(34), ctl_min)  # a control is never shorter than its text needs
        ctl_h = min(row_h - label_h - theme.px(6), cap) if stacked else min(row_h - theme.px(4), cap)
        ctl_h = max(ctl_h, ctl_min) if stacked else ctl_h

        names = {"learning_rate": "Learning rate η", "lock_threshold": "Lock threshold (σ′)",
                 "seed": "Seed (Enter to apply)", "batch_size": "Batch size (Enter)",
                 **{k: v[0] for k, v in self._dropdowns().items()}}

        def label_w(key: str, short: bool = True) -> int:
            name = names.get(key, "")
            return theme.measure(SHORT_LABELS.get(name, name) if short else name, "caption")[0] + theme.px(10)

        # the drop-down's open button and the text's padding (the button grows with large text)
        arrow = max(theme.px(28) + theme.px(20), 2 * theme.text_px("caption") + theme.px(12))
        option_w = {key: max(theme.measure(o if isinstance(o, str) else o[0], "caption")[0] for o in opts) + arrow
                    for key, (_, opts) in self._dropdowns().items()}
        rate_w = theme.measure("0.0000", "caption", mono=True)[0] + theme.px(20)  # the λ field
        option_w["regularization"] += theme.px(6) + rate_w

        def widths(row: list[str]) -> list[int]:
            """Equal columns, unless a drop-down's longest option needs more: then it borrows from the others."""
            n = len(row)
            room = inner.w - gap * (n - 1)
            w = [room // n] * n
            if stacked:  # the label sits above: the cell holds the wider of the label and the options
                need = [max(option_w[k], label_w(k, short=False)) if k in option_w else 0 for k in row]
            else:  # the label sits beside its control
                need = [option_w[k] + label_w(k) if k in option_w else 0 for k in row]
            if "buttons" in row and shown:  # the file buttons: each label and its padding
                need[row.index("buttons")] = sum(theme.measure(text, "caption")[0] + theme.px(16) for _, text in shown) \
                    + theme.px(6) * (len(shown) - 1)
            short = [max(0, nd - wd) for nd, wd in zip(need, w, strict=True)]
            spare = [max(0, wd - nd) if nd else wd // 3 for nd, wd in zip(need, w, strict=True)]
            take = min(sum(short), sum(spare))
            if take <= 0:
                return w
            give = [round(take * s / sum(spare)) for s in spare]
            got = [round(take * s / sum(short)) for s in short]
            return [wd - g + h for wd, g, h in zip(w, give, got, strict=True)]

        def cell(row: int, col: int, ncols: int, key: str = "") -> tuple[pygame.Rect, pygame.Rect]:
            ws = widths(grid[row])
            w = ws[col]
            x = inner.x + sum(ws[:col]) + col * gap
            y = inner.y + row * row_h
            if stacked:
                return pygame.Rect(x, y, w, label_h), pygame.Rect(x, y + label_h, w, ctl_h)
            lw = min(round(w * 0.42), label_w(key)) if key in option_w else round(w * 0.42)
            return (pygame.Rect(x, y + (ctl_h - label_h) // 2, lw, label_h),
                    pygame.Rect(x + lw, y, w - lw, ctl_h))

        self._stacked = stacked

        def oid(name: str) -> ObjectID:
            return ObjectID(object_id=f"#param_{name}", class_id="@params")

        dropdowns = self._dropdowns()
        cells: dict[str, tuple[pygame.Rect, pygame.Rect]] = {}
        for r, row in enumerate(grid):
            for col, key in enumerate(row):
                if key:
                    cells[key] = cell(r, col, len(row), key)
        for key, label in (("learning_rate", "Learning rate η"), ("lock_threshold", "Lock threshold (σ′)")):
            if key not in cells:
                continue
            lab, ctl = cells[key]
            entry_w = min(theme.measure("0.0000", "caption", mono=True)[0] + theme.px(24), ctl.w // 2)
            slider = pygame.Rect(ctl.x, ctl.y, ctl.w - entry_w - theme.px(8), ctl.h)
            entry = pygame.Rect(slider.right + theme.px(8), ctl.y, entry_w, ctl.h)
            rng = (0.0, 1000.0) if key == "learning_rate" else (0.0, 0.25)  # slider positions (log scale)
            self.widgets[key] = pygame_gui.elements.UIHorizontalSlider(slider, rng[0], rng, manager,
                                                                       object_id=oid(key))
            self.widgets[key + "_entry"] = pygame_gui.elements.UITextEntryLine(entry, manager,
                                                                               object_id=oid(key + "_entry"))
            self.labels[key] = (label, lab)
        for key, (label, options) in dropdowns.items():
            if key not in cells:
                continue
            lab, ctl = cells[key]
            if key == "regularization":  # the menu (none / L1 / L2) and, beside it, the rate λ
                entry_w = min(rate_w, ctl.w // 2)
                rate = pygame.Rect(ctl.right - entry_w, ctl.y, entry_w, ctl.h)
                ctl = pygame.Rect(ctl.x, ctl.y, ctl.w - entry_w - theme.px(6), ctl.h)
                self.widgets["regularization_rate"] = pygame_gui.elements.UITextEntryLine(
                    rate, manager, object_id=oid("regularization_rate"))
                self.widgets["regularization_rate"].set_tooltip(
                    "Regularisation rate λ (0 … 10; Enter applies): L2 adds λ·½Σw², L1 adds λΣ|w|")
            if key == "loss":  # a box too narrow for "Cross-entropy" says "Cross-ent.", never a cut word
                self._loss_names = LOSS_NAMES if ctl.w >= option_w[key] else LOSS_SHORT
                options = list(self._loss_names.values())
            self.widgets[key] = pygame_gui.elements.UIDropDownMenu(options, options[0], ctl, manager,
                                                                   object_id=oid(key))
            self.labels[key] = (label, lab)
        if "batch_size" in cells:
            lab, ctl = cells["batch_size"]
            self.widgets["batch_size"] = pygame_gui.elements.UITextEntryLine(ctl, manager, object_id=oid("batch_size"))
            self.widgets["batch_size"].set_tooltip(
                "Samples a step: 1 or 'online' (one at a time) … the number of rows or 'full' (all); Enter applies")
            self.labels["batch_size"] = ("Batch size (Enter)", lab)
        if files_menu and "files" in cells:
            lab, ctl = cells["files"]
            full = pygame.Rect(lab.x, ctl.y, ctl.right - lab.x, ctl.h)  # no label: the menu says what it is
            self.widgets["files"] = pygame_gui.elements.UIDropDownMenu(
                [FILES_LABEL, *(text for _, text in shown)], FILES_LABEL, full, manager, object_id=oid("files"))
        lab, ctl = cells.get("seed", (pygame.Rect(0, 0, 0, 0), pygame.Rect(0, 0, 0, 0)))
        if files_menu:
            pass
        elif shown and not in_title:
            lab3, ctl3 = cells["buttons"]
            span = pygame.Rect(lab3.x, ctl3.y, inner.right - lab3.x, ctl3.h)
        elif shown:  # the title row, right-aligned
            h = theme.text_px("caption") + theme.px(10)
            w = sum(button_needs) + bgap * (len(shown) - 1)
            span = pygame.Rect(inner.right - w, rect.y + pad + theme.text_px("caption") // 2 - h // 2, w, h)
        if "seed" in cells:
            self.widgets["seed"] = pygame_gui.elements.UITextEntryLine(ctl, manager, object_id=oid("seed"))
            self.labels["seed"] = ("Seed (Enter to apply)", lab)
        self._buttons_left = rect.right
        if shown and not files_menu:
            # each button as wide as its label needs (Scenarios… is longer than Open…), sharing the span
            room = span.w - bgap * (len(shown) - 1)
            button_ws = [room * w // sum(button_needs) for w in button_needs]
            tips = {"scenarios": "Load a ready-made scenario: AND, XOR, vanishing gradient … (C)",
                    "open": "Open a level file in the sandbox (Ctrl+O)",
                    "save": "Save this setup as a level file (Ctrl+S)",
                    "data": "The data: a generated set's points, noise, test share, features — or your own "
                            "truth table (T)"}
            x = span.x
            self._buttons_left = span.x if in_title else rect.right
            for (k, text), bw in zip(shown, button_ws, strict=True):
                btn = pygame.Rect(x, span.y, bw, span.h)
                x += bw + bgap
                self.widgets[k] = pygame_gui.elements.UIButton(btn, text, manager, tool_tip_text=tips[k],
                                                               object_id=oid(k))
        for key, widget in self.widgets.items():
            base = "regularization" if key == "regularization_rate" else key.removesuffix("_entry")
            if not self._ok(base):
                widget.disable()

    # -- input ---------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event, snap: Snapshot) -> list[c.Command]:
        w = self.widgets
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            for key, action in self.actions.items():
                if event.ui_element is w.get(key):
                    action()
                    return []
        if event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED:
            if event.ui_element is w.get("learning_rate"):
                return [c.SetLearningRate(slider_to_lr(event.value))]
            if event.ui_element is w.get("lock_threshold"):
                return [c.SetLockThreshold(round(float(event.value), 3))]
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED:
            if event.ui_element is w.get("learning_rate_entry"):
                v, why = parse_number(event.text, "Learning rate", MIN_LEARNING_RATE, MAX_LEARNING_RATE, above=True)
                return self._typed(v, why, lambda x: c.SetLearningRate(x), "learning_rate_entry")
            if event.ui_element is w.get("lock_threshold_entry"):
                v, why = parse_number(event.text, "Lock threshold", 0.0, MAX_LOCK_THRESHOLD)
                return self._typed(v, why, lambda x: c.SetLockThreshold(x), "lock_threshold_entry")
            if event.ui_element is w.get("seed"):
                v, why = parse_number(event.text, "Seed", 0, MAX_SEED)
                if v is not None and v != int(v):
                    v, why = None, f"Seed: '{event.text}' is not a whole number."
                return self._typed(v, why, lambda x: c.ChangeSetup((("seed", int(x)), ("weights", None),
                                                                    ("biases", None))), "seed")
            if event.ui_element is w.get("batch_size"):
                changes, why = parse_batch(event.text, snap.setup.dataset().n_samples)
                return self._typed(changes, why, lambda ch: c.ChangeSetup(ch), "batch_size")
            if event.ui_element is w.get("regularization_rate"):
                v, why = parse_rate(event.text, snap.setup)
                return self._typed(v, why, lambda x: c.ChangeSetup((("regularization_rate", x),)),
                                   "regularization_rate")
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED:
            return self._dropdown(event, snap)
        return []

    def _typed(self, value: object, why: str | None, make, key: str) -> list[c.Command]:
        if value is None:
            self.notices.append(f"{why} The setting is unchanged.")
            self._shown.pop(key, None)  # put the current value back into the field
            return []
        self._shown.pop(key, None)
        return [make(value)]

    def _dropdown(self, event: pygame.event.Event, snap: Snapshot) -> list[c.Command]:
        w = self.widgets
        setup = snap.setup
        text = event.text
        if event.ui_element is w.get("hidden_activation"):
            return [c.ChangeSetup((("hidden_activation", text),))]
        if event.ui_element is w.get("output_activation"):
            changes: list[tuple[str, object]] = [("output_activation", text)]
            if text != "sigmoid" and setup.loss == "cross_entropy":
                changes.append(("loss", "mse"))
                self.notices.append("Cross-entropy needs a sigmoid output: the loss is now MSE.")
            return [c.ChangeSetup(tuple(changes))]
        if event.ui_element is w.get("loss"):
            loss = {v: k for k, v in self._loss_names.items()}[text]
            changes = [("loss", loss)]
            if loss == "cross_entropy" and setup.output_activation != "sigmoid":
                changes.append(("output_activation", "sigmoid"))
                self.notices.append("Cross-entropy works with a sigmoid output: the output is now sigmoid.")
            return [c.ChangeSetup(tuple(changes))]
        if event.ui_element is w.get("problem"):
            if text == "CUSTOM":  # the entry that names typed data: choosing it opens the editor
                self._shown.pop("problem", None)
                if "data" in self.actions:
                    self.actions["data"]()
                return []
            if text in GENERATED:
                data_changes, notice = generated_changes(setup, GENERATED[text])
                if notice:
                    self.notices.append(notice)
                return [c.ChangeSetup(data_changes)]
            return [c.ChangeSetup((("problem", text.lower()), ("inputs", None), ("targets", None),
                                   ("generator", None), ("features", None), ("batch_size", None),
                                   *self._fit_layers(setup.layers, 2, 1)))]
        if event.ui_element is w.get("layers"):
            n_in, n_out = setup.layers[0], setup.layers[-1]
            sizes, why = parse_layers(text, n_in, n_out)
            if sizes is None:
                self.notices.append(f"{why} The network is unchanged.")
                self._shown.pop("layers", None)
                return []
            return [c.ChangeSetup((("layers", sizes), ("weights", None), ("biases", None)))]
        if event.ui_element is w.get("files"):
            files = w["files"]
            if isinstance(files, pygame_gui.elements.UIDropDownMenu):
                _select_option(files, FILES_LABEL)  # the menu keeps its name; the choice acts
            for key, label in FILE_BUTTONS:
                if text == label and key in self.actions:
                    self.actions[key]()
            return []
        if event.ui_element is w.get("regularization"):
            return [c.ChangeSetup(regularization_changes(setup, text))]
        if event.ui_element is w.get("init"):
            return [c.ChangeSetup((("init", text), ("weights", None), ("biases", None)))]
        return []

    @staticmethod
    def _fit_layers(layers: tuple[int, ...], n_in: int, n_out: int) -> list[tuple[str, object]]:
        if layers[0] == n_in and layers[-1] == n_out:
            return []
        return [("layers", (n_in, *layers[1:-1], n_out)), ("weights", None), ("biases", None)]

    # -- showing the current values -------------------------------------------------------------
    def _shape(self, layers: tuple[int, ...]) -> str:
        """The network's shape for the Layers drop-down: in full, or with repeats counted if too wide."""
        full = shape_text(layers)
        menu = self.widgets.get("layers")
        if menu is None or self.ctx is None:
            return full
        room = menu.get_abs_rect().w - self.theme.px(28) - self.theme.px(20)  # the open button, padding
        return full if self.theme.measure(full, "caption")[0] <= room else shape_text(layers, short=True)

    def refresh(self, snap: Snapshot) -> None:
        s = snap.setup
        want: dict[str, object] = {
            "learning_rate": lr_to_slider(snap.learning_rate),
            "learning_rate_entry": fmt(snap.learning_rate, 3).replace("−", "-"),
            "lock_threshold": snap.lock_threshold,
            "lock_threshold_entry": f"{snap.lock_threshold:g}",
            "hidden_activation": s.hidden_activation,
            "output_activation": s.output_activation,
            "loss": self._loss_names[s.loss],
            "problem": DATA_LABELS[s.generator] if s.generator else (s.problem or "custom").upper(),
            "layers": self._shape(s.layers),
            "batch_size": batch_text(s),
            "regularization": REGULARIZATION_LABELS[s.regularization],
            "regularization_rate": f"{s.regularization_rate:g}",
            "init": s.init,
            "seed": str(s.seed),
        }
        for key, value in want.items():
            if self._shown.get(key) == value:
                continue
            widget = self.widgets.get(key)
            if widget is None:
                continue
            if isinstance(widget, pygame_gui.elements.UIHorizontalSlider):
                widget.set_current_value(float(value))  # type: ignore[arg-type]
            elif isinstance(widget, pygame_gui.elements.UITextEntryLine):
                if widget.is_focused:
                    continue  # never overwrite what the user is typing
                widget.set_text(str(value))
            elif isinstance(widget, pygame_gui.elements.UIDropDownMenu):
                if widget.current_state is widget.menu_states["expanded"]:
                    continue
                _select_option(widget, str(value))
            self._shown[key] = value

    def draw(self, surface: pygame.Surface, snap: Snapshot) -> None:
        key = (tuple(self.rect), id(self.theme), self._stacked, self.allowed)
        if self._card is None or self._card_key != key:
            # the card, its title and the labels change only with the layout: paint them once
            # (at their screen position, on the page colour, so the rounded corners blend)
            self._card_key = key
            page = text_log.canvas((self.rect.right, self.rect.bottom))
            page.fill(self.theme.palette.bg)
            self._paint(page)
            self._card = page.subsurface(self.rect).copy()
        surface.blit(self._card, self.rect)

    def _paint(self, surface: pygame.Surface) -> None:
        theme = self.theme
        p = theme.palette
        draw_card(surface, self.rect, theme, "Parameters")
        note = theme.text("applies from the next step", "caption", p.muted)
        right = min(self.rect.right - theme.px(24), self._buttons_left - theme.px(16))
        title_right = self.rect.x + theme.px(24) + theme.measure("PARAMETERS", "caption", bold=True)[0]
        if right - note.get_width() >= title_right + theme.px(16):  # else the buttons have the title row
            surface.blit(note, note.get_rect(topright=(right, self.rect.y + theme.px(24))))
        for key, (label, r) in self.labels.items():
            if not self._stacked:
                label = SHORT_LABELS.get(label, label)
            # a fixed control's label stays readable (3:1 on the panel), a step dimmer than a live one
            surf = theme.text(label, "caption", p.muted if self._ok(key) else mix(p.panel, p.muted, 0.72))
            surface.blit(surf, r.topleft, area=pygame.Rect(0, 0, r.w - theme.px(6), surf.get_height()))

    def targets(self) -> dict[str, pygame.Rect]:
        out = {f"param:{k}": pygame.Rect(w.get_abs_rect()) for k, w in self.widgets.items()}
        for k, w in self.widgets.items():  # the number field beside a slider: click it, then type
            if k.endswith("_entry"):
                out[f"param:{k[:-len('_entry')]}:number"] = pygame.Rect(w.get_abs_rect())
        return out


def _select_option(menu: pygame_gui.elements.UIDropDownMenu, value: str) -> None:
    """Show ``value`` as the chosen option (adding it if it is not a preset, e.g. layers 2-3-3-1)."""
    options = [o[0] if isinstance(o, tuple) else o for o in menu.options_list]
    if value not in options:
        menu.add_options([value])
    menu.selected_option = (value, value)
    menu.menu_states["expanded"].selected_option = (value, value)
    closed = menu.menu_states["closed"]
    closed.selected_option = (value, value)
    closed.finish()
    closed.start(should_rebuild=True)
