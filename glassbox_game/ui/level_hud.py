"""The level card: the goals with live status icons, the typed-answer box, hints, Hint and Retry.

The card shows what the scene's :class:`GoalTracker` reports; its widgets call back into the scene
(``on_answer``, ``on_hint``, ``on_retry``) and never touch the simulation themselves. Status text
is refreshed at most five times a second while training fast, at once otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame
import pygame_gui
from pygame_gui.core import ObjectID

from glassbox_game.kit.component import Component, ViewContext, draw_card
from glassbox_game.kit.icons import draw_check, draw_cross
from glassbox_game.levels.goals_check import FAILED, MET, GoalStatus, GoalTracker
from glassbox_game.sim.display import racing
from glassbox_game.sim.snapshot import Snapshot
from glassbox_game.ui.overlay_card import wrap_text

RGB = tuple[int, int, int]


def star_points(center: tuple[float, float], radius: float) -> list[tuple[float, float]]:
    """The ten corners of a five-pointed star, point up."""
    cx, cy = center
    pts = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.45
        ang = -math.pi / 2 + k * math.pi / 5
        pts.append((cx + r * math.cos(ang), cy + r * math.sin(ang)))
    return pts


def draw_star(surface: pygame.Surface, center: tuple[int, int], radius: int, colour: RGB, filled: bool,
              outline: RGB | None = None) -> None:
    """A star: filled for an earned star, an outline for one still to win."""
    pts = star_points(center, radius)
    if filled:
        pygame.draw.polygon(surface, colour, pts)
        if outline is not None:
            pygame.draw.polygon(surface, outline, pts, max(1, radius // 10))
    else:
        pygame.draw.polygon(surface, outline or colour, pts, max(1, radius // 7))


def draw_stars(surface: pygame.Surface, center: tuple[int, int], radius: int, earned: int, colour: RGB,
               empty: RGB) -> pygame.Rect:
    """Three stars in a row centred on ``center``; the first ``earned`` filled."""
    gap = round(radius * 2.5)
    x0 = center[0] - gap
    for k in range(3):
        draw_star(surface, (x0 + k * gap, center[1]), radius, colour, k < earned, None if k < earned else empty)
    return pygame.Rect(x0 - radius, center[1] - radius, 2 * gap + 2 * radius, 2 * radius)


def draw_pending(surface: pygame.Surface, center: tuple[int, int], size: int, colour: RGB) -> None:
    """An open ring with a dot: "not yet"."""
    r = size // 2
    pygame.draw.circle(surface, colour, center, r, max(2, size // 8))
    pygame.draw.circle(surface, colour, center, max(1, size // 10))


class LevelHud(Component):
    """The goals card of a level."""

    name = "hud"

    def __init__(self, tracker: GoalTracker, on_answer: Callable[[str], None], on_hint: Callable[[], None],
                 on_retry: Callable[[], None]) -> None:
        super().__init__()
        self.tracker = tracker
        self.level = tracker.level
        self.on_answer = on_answer
        self.on_hint = on_hint
        self.on_retry = on_retry
        self.feedback: tuple[str, bool | None] | None = None  # last answer message and whether it was right
        self.entry: pygame_gui.elements.UITextEntryLine | None = None
        self.hint_button: pygame_gui.elements.UIButton | None = None
        self.retry_button: pygame_gui.elements.UIButton | None = None
        self._shown: tuple[GoalStatus, ...] = ()
        self._has_typed = any(g.type == "typed_value" for g in self.level.goals)
        self.scroll = 0  # lines of the goals and hints scrolled past (when they do not all fit)
        self.more_lines = 0  # lines below the visible part
        self._followed: int | None = None
        self._hints_shown = 0  # hints revealed when the card last drew: a new one scrolls into view

    def layout(self, rect: pygame.Rect, ctx: ViewContext) -> None:
        super().layout(rect, ctx)
        theme = ctx.theme
        manager = ctx.manager
        assert isinstance(manager, pygame_gui.UIManager)
        pad = theme.px(24)
        btn_h = max(theme.px(40), theme.text_px("caption") + theme.px(18))
        gap = theme.px(12)
        y = rect.bottom - pad - btn_h
        half = (rect.w - 2 * pad - gap) // 2
        self.hint_button = pygame_gui.elements.UIButton(
            pygame.Rect(rect.x + pad, y, half, btn_h), "Hint (H)", manager, tool_tip_text="Show the next hint",
            object_id=ObjectID(object_id="#hud_hint", class_id="@hud"))
        self.retry_button = pygame_gui.elements.UIButton(
            pygame.Rect(rect.x + pad + half + gap, y, half, btn_h), "Retry (R)", manager,
            tool_tip_text="Back to the starting weights (counts as an attempt once you have trained)",
            object_id=ObjectID(object_id="#hud_retry", class_id="@hud"))
        self._buttons_top = y
        self.entry = None
        if self._has_typed:
            entry_h = max(theme.px(40), theme.text_px("name") + theme.px(16))
            self._entry_rect = pygame.Rect(rect.x + pad, y - theme.px(20) - theme.text_px("caption") * 2
                                           - theme.px(8) - entry_h, rect.w - 2 * pad, entry_h)
            self.entry = pygame_gui.elements.UITextEntryLine(
                self._entry_rect, manager, placeholder_text="type a number, then Enter",
                object_id=ObjectID(object_id="#hud_answer", class_id="@hud"))
        self._shown = ()

    # -- input -----------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event, snap: Snapshot) -> list:
        if self.handle_wheel(event):
            return []
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and self.entry is not None \
                and event.ui_element is self.entry:
            self.on_answer(event.text)
            return []
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.hint_button:
                self.on_hint()
            elif event.ui_element is self.retry_button:
                self.on_retry()
        return []

    def answered(self, message: str, ok: bool | None) -> None:
        """Show the outcome of an answer and empty the box: the message names what was typed, and the
        next try starts from nothing (never the old digits with the new ones joined on)."""
        self.feedback = (message, ok)
        entry = self.entry
        if entry is not None:
            entry.set_text("")
            shape = entry.drawable_shape
            if entry.is_focused and shape is not None and shape.text_box_layout is not None:
                # pygame_gui puts the placeholder into a focused, emptied box and types after it
                shape.set_text("")
                shape.text_box_layout.set_cursor_position(0)
                shape.apply_active_text_changes()
                entry.redraw()

    def refresh(self, snap: Snapshot) -> None:
        # the goals' words move on with the displayed step (sim/display.py), like every other panel
        if snap.step_id != self.drawn_step or not racing(snap):
            self._shown = self.tracker.statuses
            self.drawn_step = snap.step_id
        if self.entry is not None:
            pending = self.tracker.pending_typed()
            if pending is None and self.entry.is_enabled:
                self.entry.disable()
            elif pending is not None and not self.entry.is_enabled:
                self.entry.enable()
        if self.hint_button is not None:
            more = len(self.tracker.revealed) < len(self.level.hints)
            if more != self.hint_button.is_enabled:
                (self.hint_button.enable if more else self.hint_button.disable)()

    # -- drawing -----------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, snap: Snapshot) -> None:
        theme = self.theme
        p = theme.palette
        tr = self.tracker
        met = sum(1 for s in self._shown if s.state == MET)
        extra = ""
        if tr.failures or tr.hints_requested:
            extra = f" · {tr.failures} miss{'es' if tr.failures != 1 else ''} · {tr.hints_requested} hint" \
                    f"{'s' if tr.hints_requested != 1 else ''}"
        # the card's subtitle in the longest form that fits beside the title (big text: the count alone)
        room = self.rect.w - 2 * theme.px(24) - theme.measure("GOALS", "caption", bold=True)[0] - theme.px(12)
        forms = [f"{met} of {len(self.level.goals)} met{extra}", f"{met} of {len(self.level.goals)} met",
                 f"{met}/{len(self.level.goals)}"]
        sub = next((f for f in forms if theme.measure(f, "caption")[0] <= room), forms[-1])
        inner = draw_card(surface, self.rect, theme, "Goals", sub)
        x, y = inner.x, inner.y
        icon = theme.text_px("name")
        limit = (self._entry_top() if self.entry is not None else self._buttons_top) - theme.px(12)
        lines = self._lines(inner.x, inner.right, icon)
        line_h = theme.text_px("caption") + theme.px(6)
        goal_gap = theme.px(12)

        def fitting(first: int, bottom: int) -> int:  # how many lines from ``first`` fit above ``bottom``
            yy, n = y, 0
            for k in range(first, len(lines)):
                yy += goal_gap if k > first and lines[k][4] is not None else 0
                if yy + line_h > bottom:
                    break
                yy += line_h
                n += 1
            return n

        # whole lines only: what does not fit scrolls (the wheel over the card), with a line that
        # says so; the first goal not met yet comes into view by itself
        overflow = fitting(0, limit) < len(lines)
        if overflow:
            bottom = limit - line_h
            first_open = next((k for k, ln in enumerate(lines) if ln[4] is not None and ln[4].state != MET), None)
            if first_open is not None and first_open != self._followed:
                self._followed = first_open
                self.scroll = first_open
            if len(self.tracker.revealed) > self._hints_shown:  # a hint just revealed: its heading comes into view
                self.scroll = max(k for k, ln in enumerate(lines) if ln[0].startswith("HINT ") and ln[2])
            last_start = next(k for k in range(len(lines)) if fitting(k, bottom) >= len(lines) - k)
            self.scroll = max(0, min(self.scroll, last_start))
        else:
            bottom, self.scroll = limit, 0
        self._hints_shown = len(self.tracker.revealed)
        count = fitting(self.scroll, bottom)
        for k in range(self.scroll, self.scroll + count):
            text, colour, bold, lx, status = lines[k]
            y += goal_gap if k > self.scroll and status is not None else 0
            if status is not None:
                centre = (x + icon // 2, y + theme.text_px("caption") // 2 + theme.px(4))
                if status.state == MET:
                    draw_check(surface, centre, icon, p.gradient, p.panel)
                elif status.state == FAILED:
                    draw_cross(surface, centre, icon, p.danger, p.panel)
                else:
                    draw_pending(surface, centre, icon - theme.px(2), p.muted)
            if text == "—":
                pygame.draw.line(surface, p.border, (x, y + line_h // 2), (inner.right, y + line_h // 2),
                                 max(1, theme.px(1)))
            else:
                surface.blit(theme.text(text, "caption", colour, bold=bold), (lx, y))
            y += line_h
        self.more_lines = len(lines) - self.scroll - count
        if overflow:
            above, below = self.scroll > 0, self.more_lines > 0
            hint = "↑↓ scroll for more" if above and below else "↓ scroll for more" if below else "↑ scroll up"
            surface.blit(theme.text(hint, "caption", p.muted), (inner.x, limit - line_h + theme.px(4)))
        if self.entry is not None:
            self._draw_answer_box(surface)

    def _lines(self, left: int, right: int, icon: int) -> list[tuple[str, RGB, bool, int, GoalStatus | None]]:
        """The card's text as lines: (text, colour, bold, x, the goal whose icon goes here)."""
        theme = self.theme
        p = theme.palette
        text_x = left + icon + theme.px(12)
        text_w = right - text_x
        out: list[tuple[str, RGB, bool, int, GoalStatus | None]] = []
        for status in self._shown:
            for n, line in enumerate(wrap_text(theme, status.label, "caption", text_w, bold=True)):
                out.append((line, p.text, True, text_x, status if n == 0 else None))
            colour = p.gradient if status.state == MET else p.danger if status.state == FAILED else p.muted
            out += [(line, colour, False, text_x, None) for line in wrap_text(theme, status.text, "caption", text_w)]
        if self.tracker.revealed:
            out.append(("—", p.border, False, left, None))
            for n, k in enumerate(self.tracker.revealed, start=1):
                out.append((f"HINT {n}", p.select, True, left, None))
                out += [(line, p.text, False, left, None)
                        for line in wrap_text(theme, self.level.hints[k].text, "caption", right - left)]
        return out

    def handle_wheel(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEWHEEL and self.rect.collidepoint(pygame.mouse.get_pos()):
            self.scroll = max(0, self.scroll - event.y)
            return True
        return False

    def _entry_top(self) -> int:
        return self._entry_rect.y - self.theme.text_px("caption") - self.theme.px(8)

    def _draw_answer_box(self, surface: pygame.Surface) -> None:
        theme = self.theme
        p = theme.palette
        k = self.tracker.pending_typed()
        r = self._entry_rect
        options = ["Every number typed: well done.", "All typed: well done."] if k is None else \
            [f"YOUR ANSWER · goal {k + 1}", f"ANSWER · goal {k + 1}", f"GOAL {k + 1}"]
        # the shortest form that fits the card (large text), never a cut word
        label = next((s for s in options if theme.measure(s, "caption", bold=True)[0] <= r.w), options[-1])
        surf = theme.text(label, "caption", p.text if k is not None else p.gradient, bold=True)
        surface.blit(surf, (r.x, self._entry_top()), area=pygame.Rect(0, 0, r.w, surf.get_height()))
        if self.feedback is not None:
            message, ok = self.feedback
            colour = p.gradient if ok else p.danger if ok is False else p.select
            y = r.bottom + theme.px(8)
            for line in wrap_text(theme, message, "caption", r.w)[:2]:
                surface.blit(theme.text(line, "caption", colour), (r.x, y))
                y += theme.text_px("caption") + theme.px(4)

    def targets(self) -> dict[str, pygame.Rect]:
        out: dict[str, pygame.Rect] = {}
        if self.hint_button is not None:
            out["hud:hint"] = pygame.Rect(self.hint_button.get_abs_rect())
        if self.retry_button is not None:
            out["hud:retry"] = pygame.Rect(self.retry_button.get_abs_rect())
        if self.entry is not None:
            out["hud:answer"] = pygame.Rect(self.entry.get_abs_rect())
        return out
