"""The data-set dialog: a generated data set's kind, points, noise, test share, seed and input features.

Opened by the Data… button (or T) when the problem is a generated set, over the dimmed sandbox.
Each number has a slider and a field (type, then Enter or Tab); the features are check boxes;
**Apply** (Enter) checks every field (:mod:`glassbox_game.ui.data_form`) and either hands the
changes to ``on_apply`` — the same ``ChangeSetup`` the Problem menu sends — and closes, or keeps the
dialog open with the one-line reason; **New points** (G) applies with the next data seed and stays
open; **Cancel** (Esc) changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame
import pygame_gui
from pygame_gui.core import ObjectID

from glassbox_game.engine import datasets
from glassbox_game.engine.names import feature_name
from glassbox_game.engine.setup import Setup
from glassbox_game.scenes.base import Host, Scene
from glassbox_game.scenes.file_dialog import make_manager, modal_card
from glassbox_game.ui.data_form import FIELDS, DataForm, field_text, form_changes, form_of, read_form
from glassbox_game.ui.overlay_card import wrap_text
from glassbox_game.ui.params_panel import DATA_LABELS, GENERATED

ApplyFn = Callable[[tuple[tuple[str, object], ...], str | None], None]
#: slider positions per field (points on a log-like scale would hide the small sets: plain is fine)
SLIDER_RANGE: dict[str, tuple[float, float]] = {"points": (datasets.MIN_POINTS, datasets.MAX_POINTS),
                                               "noise": (0.0, 50.0), "test_fraction": (0.0, 90.0)}


class DataSetScene(Scene):
    """``setup``: the run's setup (the form starts from it); ``on_apply(changes, notice)`` applies a form."""

    opaque = False
    name = "data_set"

    def __init__(self, app: Host, setup: Setup, on_apply: ApplyFn) -> None:
        super().__init__(app)
        self.setup = setup
        self.form: DataForm = form_of(setup)
        self.texts = {k: field_text(self.form, k) for k in FIELDS}
        self.generator = self.form.generator
        self.features: set[str] = set(self.form.features)
        self.on_apply = on_apply
        self.message = ""
        self.message_is_error = False
        self.manager: pygame_gui.UIManager | None = None
        self.entries: dict[str, pygame_gui.elements.UITextEntryLine] = {}
        self.sliders: dict[str, pygame_gui.elements.UIHorizontalSlider] = {}
        self.checks: dict[str, pygame_gui.elements.UIButton] = {}
        self.buttons: dict[str, pygame_gui.elements.UIButton] = {}
        self.menu: pygame_gui.elements.UIDropDownMenu | None = None
        self.labels: list[tuple[str, pygame.Rect]] = []
        self.card = pygame.Rect(0, 0, 0, 0)
        self.size = (0, 0)
        self.closed = False
        self.bad: str | None = None  # the field a message is about (outlined)

    # -- building ------------------------------------------------------------------------------
    def layout(self, size: tuple[int, int]) -> None:
        self._sync()
        self.size = size
        t = self.app.theme("main")
        self.theme = t
        self.manager = make_manager(size, t)
        pad = t.px(36)
        cap = t.text_px("caption")
        ctl_h = max(t.px(34), cap + t.px(14))
        gap = t.px(12)
        row = ctl_h + t.px(10)
        label_w = max(t.measure(self._label(k), "caption")[0] for k in FIELDS) + t.px(16)
        label_w = max(label_w, t.measure("Input features", "caption")[0] + t.px(16))
        w = min(size[0] - t.px(32), max(t.px(760), label_w + t.px(520)))
        inner_w = w - 2 * pad
        self.intro = wrap_text(t, "Points drawn as TensorFlow Playground draws them. The held-out test points "
                                  "show whether the network has learnt the pattern or the points. Enter applies · "
                                  "Esc cancels · G new points.",
                               "caption", inner_w)
        line_h = round(cap * 1.4)
        head_h = t.px(32) + t.text_px("title") + t.px(12) + len(self.intro) * line_h + t.px(12)
        # feature boxes: as many a row as fit
        box_ws = [t.measure("☑ " + feature_name(f), "caption")[0] + t.px(24) for f in datasets.FEATURES]
        per_row = len(box_ws)
        while per_row > 1 and sum(sorted(box_ws)[-per_row:]) + gap * (per_row - 1) > inner_w - label_w:
            per_row -= 1
        feat_rows = -(-len(box_ws) // per_row)
        msg_h = 2 * line_h + t.px(8)
        foot_h = ctl_h + t.px(32)
        body_h = row * (1 + len(FIELDS)) + feat_rows * row
        h = head_h + body_h + msg_h + foot_h
        self.card = pygame.Rect(0, 0, w, min(size[1] - t.px(16), h))
        self.card.center = (size[0] // 2, size[1] // 2)
        if h > self.card.h:  # a short window: the rows close up (never under the footer)
            row = max(ctl_h + t.px(2), (self.card.h - head_h - msg_h - foot_h) // (1 + len(FIELDS) + feat_rows))
        self.pad, self.cap, self.line_h = pad, cap, line_h
        x0 = self.card.x + pad
        cx = x0 + label_w
        y = self.card.y + head_h
        self.labels = []
        self.entries, self.sliders, self.checks, self.buttons = {}, {}, {}, {}

        def oid(name: str) -> ObjectID:
            return ObjectID(object_id=f"#data_{name}", class_id="@data_set")

        # the kind of data
        self.labels.append(("Data set", pygame.Rect(x0, y, label_w, ctl_h)))
        options: list[str | tuple[str, str]] = list(GENERATED)
        menu_w = max(t.measure(o, "caption")[0] for o in GENERATED) + t.px(64)
        self.menu = pygame_gui.elements.UIDropDownMenu(options, DATA_LABELS[self.generator],
                                                       pygame.Rect(cx, y, menu_w, ctl_h), self.manager,
                                                       object_id=oid("generator"))
        kind = "classification (accuracy shown)" if datasets.is_classification(self.generator) else \
            "regression: targets −1 … 1"
        self.kind_note = (kind, (cx + menu_w + t.px(14), y + ctl_h // 2))
        y += row
        entry_w = t.measure("0000000000", "caption", mono=True)[0] + t.px(24)
        for key in FIELDS:
            self.labels.append((self._label(key), pygame.Rect(x0, y, label_w, ctl_h)))
            right = self.card.right - pad
            if key in SLIDER_RANGE:
                lo, hi = SLIDER_RANGE[key]
                slider = pygame.Rect(cx, y, right - cx - entry_w - gap, ctl_h)
                start = min(hi, max(lo, float(self._number(key))))
                self.sliders[key] = pygame_gui.elements.UIHorizontalSlider(slider, start, (lo, hi), self.manager,
                                                                           object_id=oid(key))
                entry = pygame.Rect(right - entry_w, y, entry_w, ctl_h)
            else:  # the seed: a field and the New points button beside it
                new_w = t.measure("New points (G)", "caption", bold=True)[0] + t.px(36)
                entry = pygame.Rect(cx, y, entry_w * 2, ctl_h)
                self.buttons["regenerate"] = pygame_gui.elements.UIButton(
                    pygame.Rect(entry.right + gap, y, new_w, ctl_h), "New points (G)", self.manager,
                    tool_tip_text="The next data seed: new points of the same kind, applied at once")
            self.entries[key] = pygame_gui.elements.UITextEntryLine(entry, self.manager, object_id=oid(key))
            self.entries[key].set_text(self.texts[key])
            y += row
        self.labels.append(("Input features", pygame.Rect(x0, y, label_w, ctl_h)))
        x = cx
        for k, (feat, bw) in enumerate(zip(datasets.FEATURES, box_ws, strict=True)):
            if k and k % per_row == 0:
                x, y = cx, y + row
            self.checks[feat] = pygame_gui.elements.UIButton(
                pygame.Rect(x, y, bw, ctl_h), self._check_text(feat), self.manager, object_id=oid("feature"),
                tool_tip_text=f"Input neuron {feature_name(feat)} (file name \"{feat}\")")
            x += bw + gap
        y += row
        self.message_y = y
        self.message_w = self.card.w - 2 * pad
        by = self.card.bottom - t.px(20) - ctl_h
        labels = {"cancel": "Cancel", "apply": "Apply"}
        widths = {k: t.measure(v, "caption", bold=True)[0] + t.px(48) for k, v in labels.items()}
        x = self.card.right - pad - widths["apply"]
        self.buttons["apply"] = pygame_gui.elements.UIButton(pygame.Rect(x, by, widths["apply"], ctl_h), "Apply",
                                                             self.manager, object_id=ObjectID(object_id="#primary"))
        x -= gap + widths["cancel"]
        self.buttons["cancel"] = pygame_gui.elements.UIButton(pygame.Rect(x, by, widths["cancel"], ctl_h), "Cancel",
                                                              self.manager)

    @staticmethod
    def _label(key: str) -> str:
        label, _lo, _hi, unit = FIELDS[key]
        return label + (f" ({unit})" if unit else "")

    def _check_text(self, feat: str) -> str:
        return ("☑ " if feat in self.features else "☐ ") + feature_name(feat)

    def _number(self, key: str) -> float:
        """The slider position of a field: its typed value if it reads, else the form's."""
        try:
            return float(self.texts[key].strip().removesuffix("%"))
        except ValueError:
            return float(field_text(self.form, key))

    def _sync(self) -> None:
        """Copy the typed text back (before a rebuild or a check)."""
        for key, entry in self.entries.items():
            self.texts[key] = entry.get_text()

    # -- acting --------------------------------------------------------------------------------
    def apply(self, regenerate: bool = False) -> bool:
        """Check the form; on success hand the changes over (and close, unless ``regenerate``)."""
        self._sync()
        if regenerate:
            try:
                seed = int(self.texts["data_seed"].strip())
            except ValueError:
                seed = self.setup.data_seed
            self.texts["data_seed"] = str(seed + 1)
            if "data_seed" in self.entries:
                self.entries["data_seed"].set_text(self.texts["data_seed"])
        form, why = read_form(self.generator, self.texts, tuple(self.features))
        if form is None:
            self.message, self.message_is_error = why or "", True
            self.bad = next((k for k in FIELDS if why and why.startswith(FIELDS[k][0] + ":")), None)
            if self.bad is not None and self.manager is not None:
                self.manager.set_focus_set(self.entries[self.bad])
            return False
        changes, notice = form_changes(self.setup, form)
        self.bad = None
        self.on_apply(changes, notice)
        if regenerate:
            self.form = form
            self.message, self.message_is_error = f"New points: data seed {form.data_seed}.", False
            return True
        self._close()
        return True

    def cancel(self) -> None:
        self._close()

    def _close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.app.top is self:
            self.app.pop()

    def toggle_feature(self, feat: str) -> None:
        self.features ^= {feat}
        if feat in self.checks:
            self.checks[feat].set_text(self._check_text(feat))

    def choose(self, generator: str) -> None:
        self._sync()
        self.generator = generator
        self.layout(self.size)

    # -- input -----------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        if self.closed or self.manager is None:
            return True
        typing = any(e.is_focused for e in self.entries.values())
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.cancel()
                return True
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.apply()
                return True
            if event.key == pygame.K_g and not typing:
                self.apply(regenerate=True)
                return True
            if event.key == pygame.K_TAB:
                order = list(self.entries.values())
                focused = next((k for k, e in enumerate(order) if e.is_focused), -1)
                step = -1 if event.mod & pygame.KMOD_SHIFT else 1
                self.manager.set_focus_set(order[(focused + step) % len(order)])
                self._sync()
                self._follow_entries()
                return True
        self.manager.process_events(event)
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.buttons.get("apply"):
                self.apply()
            elif event.ui_element is self.buttons.get("cancel"):
                self.cancel()
            elif event.ui_element is self.buttons.get("regenerate"):
                self.apply(regenerate=True)
            else:
                for feat, box in self.checks.items():
                    if event.ui_element is box:
                        self.toggle_feature(feat)
        elif event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED:
            for key, slider in self.sliders.items():
                if event.ui_element is slider:
                    value = float(event.value)
                    text = str(round(value)) if key == "points" else f"{round(value):g}"
                    self.entries[key].set_text(text)
                    self.texts[key] = text
        elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED:
            self._sync()
            self._follow_entries()
        elif event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.menu:
            self.choose(GENERATED[event.text])
        return True  # modal: nothing reaches the sandbox below

    def _follow_entries(self) -> None:
        """Sliders follow what was typed (a value that does not read leaves its slider where it was)."""
        for key, slider in self.sliders.items():
            lo, hi = SLIDER_RANGE[key]
            try:
                value = float(self.texts[key].strip().removesuffix("%"))
            except ValueError:
                continue
            slider.set_current_value(min(hi, max(lo, value)))

    # -- time and drawing --------------------------------------------------------------------------
    def frame(self, frame_dt: float) -> None:
        if self.manager is not None:
            self.manager.update(frame_dt)

    def draw(self, surface: pygame.Surface) -> None:
        if self.manager is None:
            return
        t = self.theme
        p = t.palette
        x, y = modal_card(surface, t, self.card, "Data set", self.pad)
        for line in self.intro:
            surface.blit(t.text(line, "caption", p.muted), (x, y))
            y += self.line_h
        for text, r in self.labels:
            surf = t.text(text, "caption", p.muted)
            surface.blit(surf, surf.get_rect(midleft=(r.x, r.centery)))
        note, pos = self.kind_note
        surf = t.text(note, "caption", p.muted)
        if pos[0] + surf.get_width() <= self.card.right - self.pad:
            surface.blit(surf, surf.get_rect(midleft=pos))
        if self.message:
            colour = p.danger if self.message_is_error else p.text
            y = self.message_y
            for line in wrap_text(t, self.message, "caption", self.message_w)[:2]:
                surface.blit(t.text(line, "caption", colour, bold=self.message_is_error), (self.card.x + self.pad, y))
                y += self.line_h
        self.manager.draw_ui(surface)
        if self.message_is_error and self.bad in self.entries:
            bad = pygame.Rect(self.entries[self.bad].get_abs_rect()).inflate(t.px(6), t.px(6))
            pygame.draw.rect(surface, p.danger, bad, width=max(2, t.px(2)), border_radius=t.px(8))

    def targets(self) -> dict[str, pygame.Rect]:
        out = {f"data_set:{k}": pygame.Rect(b.get_abs_rect()) for k, b in self.buttons.items()}
        out.update({f"data_set:{k}": pygame.Rect(e.get_abs_rect()) for k, e in self.entries.items()})
        out.update({f"data_set:{k}:slider": pygame.Rect(s.get_abs_rect()) for k, s in self.sliders.items()})
        out.update({f"data_set:feature:{f}": pygame.Rect(b.get_abs_rect()) for f, b in self.checks.items()})
        if self.menu is not None:
            out["data_set:generator"] = pygame.Rect(self.menu.get_abs_rect())
        return out
