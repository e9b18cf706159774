"""The custom truth-table editor: a small grid of x₁, x₂ → y over the dimmed sandbox.

Every cell is a pygame_gui text field. Keyboard: Tab / Shift+Tab move between cells, Enter applies,
Esc cancels, Ctrl+N adds a row, Ctrl+Delete removes the row being edited. Apply checks every cell
(:mod:`glassbox_game.levels.truth_table`) and either hands the data to ``on_apply`` and closes, or
keeps the card open with the reason and the bad cell focused. Cancel changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame
import pygame_gui
from pygame_gui.core import ObjectID

from glassbox_game.levels.truth_table import (
    COLUMNS,
    INPUT_LIMIT,
    MAX_ROWS,
    MIN_ROWS,
    OUTPUT_RANGES,
    Rows,
    TableError,
    check_table,
)
from glassbox_game.scenes.base import Host, Scene
from glassbox_game.scenes.file_dialog import make_manager, modal_card
from glassbox_game.ui.overlay_card import wrap_text

ApplyFn = Callable[[Rows, Rows], None]


class TruthTableScene(Scene):
    """``cells``: the rows to start from (strings x₁, x₂, y); ``note``: an optional first message."""

    opaque = False
    name = "data"

    def __init__(self, app: Host, cells: list[list[str]], output_activation: str, on_apply: ApplyFn,
                 note: str = "") -> None:
        super().__init__(app)
        self.rows: list[list[str]] = [list(r) for r in cells[:MAX_ROWS]] or [["0", "0", "0"]]
        self.output_activation = output_activation
        self.on_apply = on_apply
        self.message = note
        self.message_is_error = False
        self.entries: list[list[pygame_gui.elements.UITextEntryLine]] = []
        self.remove_buttons: list[pygame_gui.elements.UIButton] = []
        self.buttons: dict[str, pygame_gui.elements.UIButton] = {}
        self.manager: pygame_gui.UIManager | None = None
        self.size = (0, 0)
        self.card = pygame.Rect(0, 0, 0, 0)
        self.focus_cell: tuple[int, int] = (0, 0)
        self.closed = False

    # -- building ------------------------------------------------------------------------------
    def layout(self, size: tuple[int, int]) -> None:
        self._sync()
        self.size = size
        theme = self.app.theme("main")
        self.theme = theme
        self.manager = make_manager(size, theme)
        pad = theme.px(40)
        cap = theme.text_px("caption")
        ctl_h = max(theme.px(34), cap + theme.px(14))
        row_gap = theme.px(6)
        cell_w = theme.px(132)
        minus_w = ctl_h
        gap = theme.px(12)
        arrow_w = theme.px(40)
        grid_w = 3 * cell_w + arrow_w + gap * 3 + minus_w
        w = min(size[0] - theme.px(48), max(grid_w + 2 * pad, theme.px(880)))
        self.intro = [line for text in self._intro_text() for line in wrap_text(theme, text, "caption", w - 2 * pad)]
        line_h = round(cap * 1.4)
        head_h = theme.px(32) + theme.text_px("title") + theme.px(12) + len(self.intro) * line_h + theme.px(16)
        col_head = cap + theme.px(10)
        msg_h = 2 * line_h + theme.px(12)
        foot_h = ctl_h + theme.px(44)
        # rows shrink before the card outgrows the window (16 rows at 1280×720 still fit)
        room = size[1] - theme.px(24) - head_h - col_head - msg_h - foot_h
        n = len(self.rows)
        row_step = max(cap + theme.px(8), min(ctl_h + row_gap, room // max(n, 1)))
        cell_h = max(cap + theme.px(6), row_step - row_gap)
        h = head_h + col_head + n * row_step + msg_h + foot_h
        self.card = pygame.Rect(0, 0, w, min(size[1] - theme.px(24), h))
        self.card.center = (size[0] // 2, size[1] // 2)
        self.pad, self.head_h, self.cap = pad, head_h, cap
        gx = self.card.centerx - grid_w // 2
        self.col_x = [gx, gx + cell_w + gap, gx + 2 * (cell_w + gap) + arrow_w]
        self.cell_w = cell_w
        self.arrow_x = gx + 2 * (cell_w + gap) - gap // 2 + arrow_w // 2
        top = self.card.y + head_h
        self.col_head_y = top
        y = top + col_head
        self.entries, self.remove_buttons = [], []
        for r, row in enumerate(self.rows):
            line = []
            for k in range(3):
                entry = pygame_gui.elements.UITextEntryLine(
                    pygame.Rect(self.col_x[k], y, cell_w, cell_h), self.manager,
                    object_id=ObjectID(object_id=f"#cell_{r}_{k}", class_id="@truth_table"))
                entry.set_text(row[k])
                line.append(entry)
            self.entries.append(line)
            minus = pygame_gui.elements.UIButton(
                pygame.Rect(self.col_x[2] + cell_w + gap, y, minus_w, cell_h), "−", self.manager,
                tool_tip_text="Remove this row (Ctrl+Delete)")
            if len(self.rows) <= MIN_ROWS:
                minus.disable()
            self.remove_buttons.append(minus)
            y += row_step
        self.rows_bottom = y
        self.message_y = y + theme.px(6)
        self.message_w = self.card.w - 2 * pad
        # footer: "add a row" on the left, Cancel and Apply on the right
        by = self.card.bottom - theme.px(28) - ctl_h
        labels = {"cancel": "Cancel", "apply": "Apply"}
        widths = {k: theme.measure(v, "caption", bold=True)[0] + theme.px(48) for k, v in labels.items()}
        x = self.card.right - pad - widths["apply"]
        self.buttons = {}
        self.buttons["apply"] = pygame_gui.elements.UIButton(
            pygame.Rect(x, by, widths["apply"], ctl_h), labels["apply"], self.manager,
            object_id=ObjectID(object_id="#primary", class_id="@truth_table"))
        x -= theme.px(12) + widths["cancel"]
        self.buttons["cancel"] = pygame_gui.elements.UIButton(
            pygame.Rect(x, by, widths["cancel"], ctl_h), labels["cancel"], self.manager)
        add_label = "+ Add a row"
        add_w = theme.measure(add_label, "caption", bold=True)[0] + theme.px(40)
        self.buttons["add"] = pygame_gui.elements.UIButton(
            pygame.Rect(self.card.x + pad, by, add_w, ctl_h), add_label, self.manager,
            tool_tip_text="Ctrl+N")
        if len(self.rows) >= MAX_ROWS:
            self.buttons["add"].disable()
        r, k = self.focus_cell
        r = min(r, len(self.entries) - 1)
        self.focus_cell = (r, k)
        self.manager.set_focus_set(self.entries[r][k])

    def _intro_text(self) -> list[str]:
        lo, hi, _ = OUTPUT_RANGES.get(self.output_activation, (-INPUT_LIMIT, INPUT_LIMIT, ""))
        span = f"{lo:g} … {hi:g}".replace("-", "−")
        return [f"Each row is one training sample: two inputs x₁, x₂ (within ±{INPUT_LIMIT:g}) and the target y "
                f"({span} for this {self.output_activation} output). {MIN_ROWS} to {MAX_ROWS} rows.",
                "Tab: next cell   ·   Enter: apply   ·   Esc: cancel   ·   Ctrl+N: add a row   ·   "
                "Ctrl+Delete: remove the row"]

    def _sync(self) -> None:
        """Copy what is typed in the fields back into ``rows`` (before a rebuild or a check)."""
        for r, line in enumerate(self.entries):
            if r < len(self.rows):
                self.rows[r] = [e.get_text() for e in line]

    # -- editing ---------------------------------------------------------------------------------
    def add_row(self) -> None:
        if len(self.rows) >= MAX_ROWS:
            return
        self._sync()
        self.rows.append(["0", "0", "0"])
        self.focus_cell = (len(self.rows) - 1, 0)
        self.layout(self.size)

    def remove_row(self, r: int) -> None:
        if len(self.rows) <= MIN_ROWS or not 0 <= r < len(self.rows):
            return
        self._sync()
        del self.rows[r]
        self.entries = [line for k, line in enumerate(self.entries) if k != r]
        self.focus_cell = (min(r, len(self.rows) - 1), self.focus_cell[1])
        self.layout(self.size)

    def apply(self) -> bool:
        """Check the table; on success hand it over and close. False (and a message) otherwise."""
        self._sync()
        try:
            inputs, targets = check_table(self.rows, self.output_activation)
        except TableError as exc:
            self.message, self.message_is_error = exc.message, True
            if exc.row is not None and self.manager is not None:
                k = exc.col if exc.col is not None else 0
                self.focus_cell = (exc.row, k)
                self.manager.set_focus_set(self.entries[exc.row][k])
            return False
        self._close()
        self.on_apply(inputs, targets)
        return True

    def cancel(self) -> None:
        self._close()

    def _close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.app.top is self:
            self.app.pop()

    def _move_focus(self, step: int) -> None:
        assert self.manager is not None
        flat = [(r, k) for r in range(len(self.entries)) for k in range(3)]
        focused = self.manager.get_focus_set()
        here = next((n for n, (r, k) in enumerate(flat) if focused and self.entries[r][k] in focused),
                    flat.index(self.focus_cell) if self.focus_cell in flat else 0)
        r, k = flat[(here + step) % len(flat)]
        self.focus_cell = (r, k)
        self.manager.set_focus_set(self.entries[r][k])

    def _focused_row(self) -> int:
        focused = self.manager.get_focus_set() if self.manager is not None else None
        for r, line in enumerate(self.entries):
            if focused and any(e in focused for e in line):
                return r
        return self.focus_cell[0]

    # -- input -----------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        if self.closed or self.manager is None:
            return True
        if event.type == pygame.KEYDOWN:
            ctrl = bool(event.mod & pygame.KMOD_CTRL)
            if event.key == pygame.K_ESCAPE:
                self.cancel()
                return True
            if event.key == pygame.K_TAB:
                self._move_focus(-1 if event.mod & pygame.KMOD_SHIFT else 1)
                return True
            if ctrl and event.key == pygame.K_n:
                self.add_row()
                return True
            if ctrl and event.key == pygame.K_DELETE:
                self.remove_row(self._focused_row())
                return True
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.apply()  # Enter anywhere applies (the fields would only post "finished")
                return True
        self.manager.process_events(event)
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.buttons.get("apply"):
                self.apply()
            elif event.ui_element is self.buttons.get("cancel"):
                self.cancel()
            elif event.ui_element is self.buttons.get("add"):
                self.add_row()
            elif event.ui_element in self.remove_buttons:
                self.remove_row(self.remove_buttons.index(event.ui_element))
        return True  # modal: nothing reaches the sandbox below

    # -- time and drawing --------------------------------------------------------------------------
    def frame(self, frame_dt: float) -> None:
        if self.manager is not None:
            self.manager.update(frame_dt)

    def draw(self, surface: pygame.Surface) -> None:
        if self.manager is None:
            return
        theme = self.theme
        p = theme.palette
        x, y = modal_card(surface, theme, self.card, "Custom data", self.pad)
        for n, line in enumerate(self.intro):
            surface.blit(theme.text(line, "caption", p.text if n == 0 else p.muted), (x, y))
            y += round(self.cap * 1.4)
        for k, name in enumerate(COLUMNS):
            head = theme.text(name, "caption", p.muted, bold=True)
            surface.blit(head, head.get_rect(midleft=(self.col_x[k] + theme.px(10),
                                                      self.col_head_y + self.cap // 2)))
        for cells in self.entries:
            mid = cells[1].get_abs_rect()
            arrow = theme.text("→", "caption", p.muted)
            surface.blit(arrow, arrow.get_rect(center=(self.arrow_x, mid.centery)))
        if self.message:
            colour = p.danger if self.message_is_error else p.text
            y = self.message_y
            for line in wrap_text(theme, self.message, "caption", self.message_w)[:2]:
                surf = theme.text(line, "caption", colour, bold=self.message_is_error)
                surface.blit(surf, (self.card.x + self.pad, y))
                y += round(self.cap * 1.4)
        self.manager.draw_ui(surface)
        if self.message_is_error:
            r, k = self.focus_cell
            if r < len(self.entries):
                bad = pygame.Rect(self.entries[r][k].get_abs_rect()).inflate(theme.px(6), theme.px(6))
                pygame.draw.rect(surface, p.danger, bad, width=max(2, theme.px(2)), border_radius=theme.px(8))

    def targets(self) -> dict[str, pygame.Rect]:
        out = {f"data:{k}": pygame.Rect(b.get_abs_rect()) for k, b in self.buttons.items()}
        for r, line in enumerate(self.entries):
            for k, e in enumerate(line):
                out[f"data:cell:{r}:{k}"] = pygame.Rect(e.get_abs_rect())
            out[f"data:remove:{r}"] = pygame.Rect(self.remove_buttons[r].get_abs_rect())
        return out
