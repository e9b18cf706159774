"""The top bar: mode and problem, play/pause/step/reset buttons, speed, epoch, loss and the phase."""

from __future__ import annotations

from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID

from glassbox_game.kit import text_log
from glassbox_game.kit.component import Component, ViewContext
from glassbox_game.kit.mathtext import ellipsize
from glassbox_game.numfmt import fmt
from glassbox_game.sim import commands as c
from glassbox_game.sim.simulation import PHASES, SPEEDS, speed_label
from glassbox_game.sim.snapshot import Snapshot

BUTTONS = (  # key, label, short label for narrow windows, tooltip
    ("play", "▶", "▶", "Play (Space)"),
    ("pause", "❚❚", "❚❚", "Pause (Space)"),
    ("phase", "▸ Phase", "▸", "Step one phase: forward → loss → backward → update (→)"),
    ("epoch", "▸▸ Epoch", "▸▸", "Step one whole epoch (Shift + →)"),
    ("back", "◀", "◀", "Step back one epoch (←)"),
    ("reset", "↺", "↺", "Back to the starting weights (R)"),
)


def _split_title(theme, parts: list[str], width: int) -> tuple[str, str]:
    """Two lines from "Level 5 · Raw error × slope · XOR": as many parts on the first as fit."""
    k = 1
    while k < len(parts) and theme.measure(" · ".join(parts[:k + 1]), "caption", bold=True)[0] <= width:
        k += 1
    return " · ".join(parts[:k]), " · ".join(parts[k:])


def step_stats(snap: Snapshot) -> list[tuple[str, str, bool]]:
    """What the bar says about the displayed step, right to left: (label, value, shown yet).

    A batch step: its epoch and the loss of the weights on show (before its update). An online
    step: its epoch, its sample (rows count from 1), that sample's loss, and — labelled apart —
    the mean loss of the last whole epoch. A loss not computed yet in this phase shows as a dash.
    """
    tr = snap.trace
    seen = snap.reveals("loss")
    loss = (fmt(tr.loss, 4) if seen else "—", seen)
    if tr.mode == "online":
        mean = snap.loss
        return [("last epoch mean", "—" if mean is None else fmt(mean, 4), mean is not None),
                ("loss", *loss), ("sample", f"{tr.sample_indices[0] + 1}", True), ("epoch", f"{tr.epoch:,}", True)]
    return [("loss", *loss), ("epoch", f"{tr.epoch:,}", True)]


class TopBar(Component):
    """``mode`` names the screen ("Sandbox", "Level 3 · …"); ``allowed`` limits the buttons (levels)."""

    name = "topbar"

    def __init__(self, mode: str, allowed: frozenset[str] | None = None) -> None:
        super().__init__()
        self.mode = mode
        self.allowed = allowed
        self.buttons: dict[str, pygame_gui.elements.UIButton] = {}
        self.slider: pygame_gui.elements.UIHorizontalSlider | None = None
        self._slider_value = -1
        self._button_rects: dict[str, pygame.Rect] = {}
        self._speed_rect = pygame.Rect(0, 0, 0, 0)
        self._stats_x = 0
        self._title_limit = 0
        self._two_lines = False
        self.two_rows = False  # the title and the figures above, the controls and the phases below
        self._title_row = pygame.Rect(0, 0, 0, 0)
        self._controls_row = pygame.Rect(0, 0, 0, 0)
        self._brand_role = "name"
        self._tight_phases = False
        self.phases_left = 0  # where the phase pills start (tests check nothing runs into them)
        self.title_text = ""  # the mode line as drawn (tests check a level keeps its name)
        self._speed_word = True
        self._static: pygame.Surface | None = None
        #: (label, value, ready) right to left: what the bar says about the displayed step
        self.stats: list[tuple[str, str, bool]] = []
        self._static_key: tuple = ()

    @property
    def speed_value_x(self) -> int:
        """Where the speed's value ("10k/s") starts: the phase pills begin right of it."""
        return self._speed_value_x

    # -- how the bar is divided ------------------------------------------------------------------
    def _widths(self, theme) -> dict[str, Any]:
        gap = theme.px(8)
        brand_w = theme.measure("Glassbox", "name", bold=True)[0]

        def short_w(pad: int) -> int:
            return sum(theme.measure(b[2], "caption")[0] + theme.px(pad) + gap for b in BUTTONS)

        def phases_w(tight: bool) -> int:  # pills with their padding and the › between them
            return sum(theme.measure(p, "caption", bold=True)[0] + theme.px(22 if tight else 38) for p in PHASES) \
                + theme.px(24)

        def stats_w(role: str, epoch: str) -> int:  # a longer epoch count shows when there is room (_draw_stats)
            return (theme.measure("epoch", "caption")[0] + theme.measure(epoch, role, bold=True, mono=True)[0]
                    + theme.measure("loss", "caption")[0] + theme.measure("0.000", role, bold=True, mono=True)[0]
                    + theme.px(56))

        return {"brand": brand_w, "short": short_w, "phases": phases_w, "stats": stats_w,
                "long": sum(theme.measure(b[1], "caption")[0] + theme.px(28) + gap for b in BUTTONS),
                "value": theme.measure("10k/s", "caption", mono=True)[0],
                "word": theme.measure("Speed", "caption")[0] + theme.px(10)}

    def _one_row_plan(self, theme, width: int, h: int):
        """The first plan (title lines, button padding, speed word, slider) with which everything fits
        in one row, or the last plan and how far it overflows."""
        m = self._widths(theme)
        head_x = theme.px(24 + 28 + 12)
        one_line_w = m["brand"] + theme.px(10) + theme.measure(f"· {self.mode} · XNOR", "name")[0]
        two_line_w = max(m["brand"], theme.measure(f"{self.mode} · XNOR", "caption")[0])
        # two lines need two lines of captions (the brand drops to caption size when the name size is too tall)
        two_fit = theme.measure("Ag", "caption", bold=True)[1] + theme.measure("Ag", "caption")[1] <= h - theme.px(6)
        # (title on two lines, button padding or 0 for the long labels, the word "Speed", slider width)
        plans = [(False, 0, True, 120), (False, 36, True, 120), (True, 36, True, 120),
                 (True, 36, False, 120), (True, 20, False, 72), (True, 14, False, 56)]
        for k, (two_lines, pad, word, slider) in enumerate(plans):
            room = width - theme.px(24) - m["phases"](k >= 4) - (m["stats"]("name", "000") if k >= 4
                                                                 else m["stats"]("key", "00,000"))
            title_w = two_line_w if two_lines and two_fit else one_line_w
            used = head_x + title_w + theme.px(28) + (m["short"](pad) if pad else m["long"]) + theme.px(16) \
                + (m["word"] if word else 0) + theme.px(slider + 10 + 24) + m["value"]
            if used <= room:
                break
        return k, plans[k], two_fit, room, used

    @staticmethod
    def row_heights(theme) -> tuple[int, int]:
        """The two rows of a two-row bar: the title and the step's figures; the controls and the phases."""
        title = max(theme.measure("Ag", "name")[1], theme.measure("Ag", "key", bold=True, mono=True)[1])
        controls = theme.measure("Ag", "caption")[1] + theme.px(20)
        return title + theme.px(12), controls + theme.px(8)

    def rows_for(self, theme, width: int, one_row_h: int) -> int:
        """2 when the whole title cannot share one row with the controls (big text, a long level name):
        the bar then takes a second row rather than cut the name."""
        *_, room, used = self._one_row_plan(theme, width, one_row_h)
        return 1 if used <= room else 2

    def layout(self, rect: pygame.Rect, ctx: ViewContext) -> None:
        super().layout(rect, ctx)
        theme = ctx.theme
        manager = ctx.manager
        assert isinstance(manager, pygame_gui.UIManager)
        gap = theme.px(8)
        self.buttons = {}
        self._button_rects = {}
        # The bar from left to right: title, buttons, speed, then epoch/loss and the phases. When
        # they do not fit (big text, narrow window, a long level name) the buttons keep only their
        # symbols (tooltips say the rest), then the title takes two lines, then the speed loses its
        # word and the slider shortens; when even that would cut the title, and the bar was given the
        # height (rows_for), the title and the figures take a row of their own above the controls.
        head_x = theme.px(24 + 28 + 12)
        m = self._widths(theme)
        self._brand_role = "name" if theme.measure("Ag", "name", bold=True)[1] + theme.measure("Ag", "caption")[1] \
            <= rect.h - theme.px(6) else "caption"
        k, (two_lines, pad, word, slider), two_fit, room, used = self._one_row_plan(theme, rect.w, rect.h)
        title_h, controls_h = self.row_heights(theme)
        self.two_rows = used > room and rect.h >= title_h + controls_h
        self._tight_phases = k >= 4
        if self.two_rows:
            self._title_row = pygame.Rect(rect.x, rect.y, rect.w, rect.h - controls_h)
            self._controls_row = pygame.Rect(rect.x, rect.bottom - controls_h, rect.w, controls_h)
            pad, word, slider = 14, False, 72
            self._tight_phases = True
            self._two_lines = False
            self._brand_role = "name"
            # the title runs up to the step's figures, which keep the room their widest form needs
            self._title_limit = rect.right - theme.px(24) - m["stats"]("key", "00,000")
            x = head_x
            h = controls_h - theme.px(8)
            top = self._controls_row.y
        else:
            self._title_row = self._controls_row = pygame.Rect(rect)
            self._two_lines = two_lines and two_fit
            one_line_w = m["brand"] + theme.px(10) + theme.measure(f"· {self.mode} · XNOR", "name")[0]
            two_line_w = max(m["brand"], theme.measure(f"{self.mode} · XNOR", "caption")[0])
            title_w = two_line_w if self._two_lines else one_line_w
            # Whatever cannot fit even so is shortened by the title, which knows it may run up to here.
            x = head_x + title_w + theme.px(28)
            spare = room - used
            if spare < 0:
                x = max(head_x + m["brand"] + theme.px(28), x + spare)
            self._title_limit = x - theme.px(16)
            h = rect.h - 2 * theme.px(12)
            top = rect.y + theme.px(12)
        self._speed_word = word
        for key, long_label, short_label, tip in BUTTONS:
            label = short_label if pad else long_label
            w = theme.measure(label, "caption")[0] + theme.px(pad or (36 if len(label) < 3 else 28))
            r = pygame.Rect(x, top, w, h)
            b = pygame_gui.elements.UIButton(r, label, manager, tool_tip_text=tip,
                                             object_id=ObjectID(object_id=f"#top_{key}", class_id="@top"))
            if self.allowed is not None and key not in self.allowed and key not in ("play", "pause"):
                b.disable()
            self.buttons[key] = b
            self._button_rects[key] = r
            x += w + gap
        x += theme.px(16)
        cy = self._controls_row.centery
        self._speed_label_pos = (x, cy)
        if word:
            x += m["word"]
        slider_w = theme.px(slider)
        self._speed_rect = pygame.Rect(x, cy - theme.px(12), slider_w, theme.px(24))
        self.slider = pygame_gui.elements.UIHorizontalSlider(self._speed_rect, 3, (0, len(SPEEDS) - 1), manager,
                                                             click_increment=1,
                                                             object_id=ObjectID(object_id="#speed"))
        if self.allowed is not None and "speed" not in self.allowed:
            self.slider.disable()
        self._speed_value_x = self._speed_rect.right + theme.px(10)
        self._stats_x = self._speed_value_x + m["value"] + theme.px(24)
        if self.two_rows:
            self._stats_x = self._title_limit + theme.px(16)

    def handle_event(self, event: pygame.event.Event, snap: Snapshot) -> list[c.Command]:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            for key, b in self.buttons.items():
                if event.ui_element is b:
                    return [{"play": c.Play(), "pause": c.Pause(), "phase": c.StepPhase(), "epoch": c.StepEpoch(),
                             "back": c.StepBack(), "reset": c.Reset()}[key]]
        if event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED and event.ui_element is self.slider:
            return [c.SetSpeed(round(event.value))]
        return []

    def refresh(self, snap: Snapshot) -> None:
        self.stats = step_stats(snap)
        self.drawn_step = snap.step_id
        self._refresh_widgets(snap)

    def _refresh_widgets(self, snap: Snapshot) -> None:
        if self.slider is not None and snap.speed_index != self._slider_value:
            self.slider.set_current_value(snap.speed_index)
            self._slider_value = snap.speed_index
        play, pause = self.buttons.get("play"), self.buttons.get("pause")
        if play is not None and pause is not None:
            if snap.playing and play.is_enabled:
                play.disable()
                pause.enable()
            elif not snap.playing and not play.is_enabled and snap.halt_message is None:
                play.enable()
                pause.disable()
            elif snap.halt_message is not None and play.is_enabled:
                play.disable()
        back = self.buttons.get("back")
        if back is not None and (self.allowed is None or "back" in self.allowed):
            if snap.can_step_back and not back.is_enabled:
                back.enable()
            elif not snap.can_step_back and back.is_enabled:
                back.disable()

    def draw(self, surface: pygame.Surface, snap: Snapshot) -> None:
        key = (tuple(self.rect), id(self.theme), snap.setup.problem, snap.setup.generator, snap.setup.points, self.mode)
        if self._static is None or self._static_key != key:
            self._static_key = key
            self._static = text_log.canvas(self.rect.size)
            self._draw_static(self._static, snap)
        surface.blit(self._static, self.rect)
        theme = self.theme
        p = theme.palette
        val = theme.text(speed_label(SPEEDS[snap.speed_index]), "caption", p.text, mono=True)
        surface.blit(val, val.get_rect(midleft=(self._speed_value_x, self._controls_row.centery)))
        self._draw_stats(surface, snap)

    def _draw_static(self, surface: pygame.Surface, snap: Snapshot) -> None:
        """Background, logo, title and labels: drawn once per layout (the surface is the bar's size)."""
        theme = self.theme
        p = theme.palette
        r = pygame.Rect(0, 0, *self.rect.size)
        pygame.draw.rect(surface, p.topbar, r)
        pygame.draw.line(surface, p.border, (r.x, r.bottom - 1), (r.right, r.bottom - 1), max(1, theme.px(1)))
        x = theme.px(24)
        cy = self._title_row.centery - self.rect.y
        mark = pygame.Rect(x, cy - theme.px(14), theme.px(28), theme.px(28))
        pygame.draw.rect(surface, p.panel_alt, mark, border_radius=theme.px(7))
        pygame.draw.rect(surface, p.positive, mark, width=max(1, theme.px(2)), border_radius=theme.px(7))
        pygame.draw.circle(surface, p.gradient, mark.center, theme.px(4))
        x = mark.right + theme.px(12)
        t = theme.text("Glassbox", "name", p.text, bold=True)
        s = snap.setup
        problem = (f"{s.generator} · {s.points} points" if s.generator
                   else s.problem.upper() if s.problem else "custom data")
        line_limit = self._title_limit - self.rect.x - x
        if s.generator and theme.measure(f"Glassbox · {self.mode} · {problem}", "name")[0] > line_limit:
            problem = s.generator  # the data set's name without its size when the bar is tight
        if self.two_rows:
            # a row of its own: the whole name in one line, the brand first if it fits, smaller if it must
            for role, line in (("name", f"Glassbox · {self.mode} · {problem}"), ("name", f"{self.mode} · {problem}"),
                               ("caption", f"{self.mode} · {problem}"),
                               ("caption", f"{self.mode} · {problem.split(' · ')[0]}")):  # "spiral", not its count
                if theme.measure(line, role)[0] <= line_limit:
                    break
            self.title_text = ellipsize(theme, line, role, line_limit)
            if self.title_text.startswith("Glassbox · "):
                head = theme.text("Glassbox", role, p.text, bold=True)
                rest = theme.text(f" · {self.title_text[len('Glassbox · '):]}", role, p.muted)
                self.title_text = self.title_text[len("Glassbox · "):]
                surface.blit(head, head.get_rect(midleft=(x, cy)))
                surface.blit(rest, rest.get_rect(midleft=(x + head.get_width(), cy)))
            else:
                sub = theme.text(self.title_text, role, p.text)
                surface.blit(sub, sub.get_rect(midleft=(x, cy)))
            self._draw_speed_word(surface)
            return
        brand = t.get_width() + theme.px(10) + theme.measure(f"· {self.mode} · {problem}", "name")[0] <= line_limit
        if not self._two_lines and not brand:
            # Too tight for the brand and the mode: the mode says where you are, the logo stays. A
            # long mode ("Lecture · The backprop story") keeps its first part whole rather than be cut.
            line = f"{self.mode} · {problem}"
            for shorter in (f"{self.mode.split(' · ')[0]} · {problem}", self.mode.split(" · ")[0]):
                if theme.measure(line, "name")[0] <= line_limit:
                    break
                line = shorter
            self.title_text = ellipsize(theme, line, "name", line_limit)
            sub = theme.text(self.title_text, "name", p.text)
            surface.blit(sub, sub.get_rect(midleft=(x, r.centery)))
        elif not self._two_lines:
            surface.blit(t, t.get_rect(midleft=(x, r.centery)))
        x += t.get_width() + theme.px(10)
        if self._two_lines:
            # "Glassbox" above, the mode (a level's number and name) and the problem below it; when
            # even that is too wide, the mode takes both lines: it says more than the brand does.
            x = mark.right + theme.px(12)
            limit = self._title_limit - self.rect.x - x
            line = f"{self.mode} · {problem}"
            if theme.measure(line, "caption")[0] <= limit:
                self.title_text = line
                first = t if self._brand_role == "name" else theme.text("Glassbox", "caption", p.text, bold=True)
                second = theme.text(line, "caption", p.muted)
            else:
                top, rest = _split_title(theme, [*self.mode.split(" · "), problem], limit)
                top, rest = ellipsize(theme, top, "caption", limit, bold=True), ellipsize(theme, rest, "caption", limit)
                self.title_text = f"{top} · {rest}"
                first = theme.text(top, "caption", p.text, bold=True)
                second = theme.text(rest, "caption", p.muted)
            gap = max(0, (r.h - first.get_height() - second.get_height()) // 3)
            surface.blit(first, (x, gap))
            surface.blit(second, (x, gap + first.get_height() + gap // 2))
        elif brand:
            limit = self._title_limit - self.rect.x - x
            dot_w = theme.measure("· ", "name")[0]
            self.title_text = ellipsize(theme, f"{self.mode} · {problem}", "name", limit - dot_w)
            sub = theme.text(f"· {self.title_text}", "name", p.muted)
            surface.blit(sub, sub.get_rect(midleft=(x, r.centery)))
        self._draw_speed_word(surface)

    def _draw_speed_word(self, surface: pygame.Surface) -> None:
        if self._speed_word:
            lab = self.theme.text("Speed", "caption", self.theme.palette.muted)
            pos = (self._speed_label_pos[0] - self.rect.x, self._speed_label_pos[1] - self.rect.y)
            surface.blit(lab, lab.get_rect(midleft=pos))

    def _draw_stats(self, surface: pygame.Surface, snap: Snapshot) -> None:
        theme = self.theme
        p = theme.palette
        r = self.rect
        # the phase breadcrumbs, right-aligned
        right = r.right - theme.px(24)
        cy = self._controls_row.centery
        pills = []
        for name in reversed(PHASES):
            active = snap.begun and name == snap.phase and (snap.animated or not snap.playing)
            txt = theme.text(name, "caption", p.bg if active else p.muted, bold=active)
            pill = txt.get_rect().inflate(theme.px(12 if self._tight_phases else 20), theme.px(10))
            pill.midright = (right, cy)
            pills.append((pill, txt, active))
            right = pill.left - theme.px(10 if self._tight_phases else 18)
        for k, (pill, txt, active) in enumerate(pills):
            if active:
                pygame.draw.rect(surface, p.gradient if snap.phase == "backward" else p.select, pill,
                                 border_radius=pill.h // 2)
            else:
                pygame.draw.rect(surface, p.border, pill, width=max(1, theme.px(1)), border_radius=pill.h // 2)
            surface.blit(txt, txt.get_rect(center=pill.center))
            if k > 0:
                arrow = theme.text("›", "caption", p.muted)
                surface.blit(arrow, arrow.get_rect(center=((pill.right + pills[k - 1][0].left) // 2, cy)))
        self.phases_left = pills[-1][0].left if pills else r.right
        # epoch and loss, left of the phases
        x = right - theme.px(8)
        cy = self._title_row.centery
        if self.two_rows:  # the figures have the top row's right end to themselves
            x = r.right - theme.px(24)
        for label, value, ready in self.stats:
            v = theme.text(value, "key" if self.two_rows or not self._tight_phases else "name",
                           p.text if ready else p.muted, bold=ready, mono=True)
            v_rect = v.get_rect(midright=(x, cy))
            lab = theme.text(label, "caption", p.muted)
            l_rect = lab.get_rect(midright=(v_rect.left - theme.px(8), cy + theme.px(3)))
            if l_rect.left < self._stats_x:  # the word and its number show together or not at all
                continue
            surface.blit(v, v_rect)
            surface.blit(lab, l_rect)
            x = l_rect.left - theme.px(24)

    def targets(self) -> dict[str, pygame.Rect]:
        out = {key: r for key, r in self._button_rects.items()}
        out["speed"] = self._speed_rect
        return out
