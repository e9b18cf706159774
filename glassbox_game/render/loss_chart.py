"""LOSS VS EPOCH: the run's loss, the previous run as a ghost, lock and divergence markers.

Drawing cost does not grow with the run: the line is drawn from ``LossHistory.columns`` — min and
max per pixel column — as a band between them plus a line through its middle, so noisy online
training stays honest and a million epochs cost what a thousand do. Three layers:

* the *frame* (card, title, legend, log chip, tick labels) is cached and rebuilt only when the
  layout, the theme, the axis ranges or the legend change;
* the *data* layer (grid, ghost, band, line, markers) is a copy of the frame with the data drawn
  on, rebuilt only when the history's length, the ghost, the events or the view range change;
* each frame blits the data layer and adds the current point, its value and the hover read-out.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np
import pygame

from glassbox_game.engine.names import neuron_name
from glassbox_game.kit import mathtext as mt
from glassbox_game.kit import text_log
from glassbox_game.kit.component import Component, ViewContext, blit_text, draw_card
from glassbox_game.kit.icons import draw_lock
from glassbox_game.kit.palette import mix
from glassbox_game.numfmt import fmt
from glassbox_game.render import ticks
from glassbox_game.sim import plateau
from glassbox_game.sim.commands import Command
from glassbox_game.sim.history import LossHistory
from glassbox_game.sim.snapshot import Snapshot

LOG_FLOOR = 1e-8  # losses below this sit on the log axis' floor


@dataclass(frozen=True)
class Marker:
    """One event mark the chart drew: ``kind`` "lock", "unlock" or "halt"."""

    kind: str
    epoch: int
    x: int
    label: str
    icon: pygame.Rect | None = None  # the mark's box on screen (padlock, circle or cross)
    label_rect: pygame.Rect | None = None  # where its label was written (None: no free place; see the hover)


@dataclass(frozen=True)
class View:
    """The axis ranges: x in epochs 0 … x_max; y from y_lo to y_hi (decades when ``log``)."""

    x_max: int
    y_lo: float
    y_hi: float
    log: bool


def current_point(snap: Snapshot) -> tuple[int, float, str] | None:
    """The marked point: the displayed step's epoch and loss (the loss of the weights on show).

    An online step's loss is one sample's, not comparable with the curve of epoch means: there the
    point marks the last whole epoch's mean, and its label says so.
    """
    tr = snap.trace
    if tr.mode == "online":
        mean = snap.loss
        return None if mean is None or tr.epoch < 2 else (tr.epoch - 1, mean, f"epoch mean {fmt(mean, 4)}")
    if not snap.reveals("loss") or not math.isfinite(tr.loss):
        return None
    return tr.epoch, tr.loss, fmt(tr.loss, 4)


def percent(share: float) -> str:
    """A share as the chart writes it: 0.975 → "97.5 %"."""
    return f"{100.0 * share:.1f} %"


def accuracy_line(snap: Snapshot) -> str | None:
    """The displayed step's accuracy, as the chart shows it (classification only; None otherwise).

    The trace's numbers at the step's weights: the whole training set's and the test set's share of
    points on the right side of ŷ = 0.5. Hidden, as the loss is, until the step's loss is shown."""
    tr = snap.trace
    if tr.train_accuracy is None or not snap.reveals("loss"):
        return None
    line = f"accuracy  training {percent(tr.train_accuracy)}"
    if tr.test_accuracy is not None:
        line += f"  ·  test {percent(tr.test_accuracy)}"
    return line


class LossChartPanel(Component):
    """The loss-vs-epoch card. Visual state of its own: log scale on/off and the hover position."""

    name = "chart"

    def __init__(self) -> None:
        super().__init__()
        self.log = False
        self.hover_pos: tuple[int, int] | None = None
        self.markers: list[Marker] = []
        self._label_rects: list[pygame.Rect] = []  # lock and halt labels on screen (the value label avoids them)
        self._mark_rects: list[pygame.Rect] = []  # the padlocks, unlock circles and the halt cross on screen
        self.plot = pygame.Rect(0, 0, 1, 1)  # screen rect of the plotting area
        self.view = View(10, 0.0, 1.0, False)
        self._chip = pygame.Rect(0, 0, 0, 0)
        self._frame: pygame.Surface | None = None
        self._frame_key: tuple | None = None
        self._layer: pygame.Surface | None = None
        self._data_key: tuple | None = None
        self._x_ticks: tuple[list[float], list[str]] = ([], [])
        self._y_ticks: tuple[list[float], list[str]] = ([], [])
        self._value_text = ""
        self.value_rect = pygame.Rect(0, 0, 0, 0)  # where the current loss was written (tests)
        self.value_off_scale = False  # the marked point is above the scale: drawn as a ▲ at the top edge
        self.point_xy: tuple[int, int] | None = None  # where the marked point was drawn (tests)
        self.plateau_rect: pygame.Rect | None = None  # where the plateau notice was drawn (tests)
        self.accuracy_rect: pygame.Rect | None = None  # where the accuracy line was drawn (tests)
        self._plateau_key: tuple | None = None
        self._plateau: plateau.Plateau | None = None
        self._point: tuple[int, float, str] | None = None  # the displayed step's (epoch, loss, label)
        self._curve: tuple[np.ndarray, np.ndarray] = (np.empty(0), np.empty(0))

    # -- what the last draw showed (read-only) -------------------------------------------------
    @property
    def point(self) -> tuple[int, float, str] | None:
        """The marked point: the displayed step's (epoch, loss, label)."""
        return self._point

    @property
    def curve(self) -> tuple[np.ndarray, np.ndarray]:
        """The run's line as drawn: one (x, y) per pixel column, card coordinates."""
        return self._curve

    @property
    def ghost_colour(self) -> tuple[int, int, int]:
        """The colour of the previous run's line behind this one."""
        p = self.theme.palette
        return mix(p.panel, p.muted, 0.75)

    # -- layout and input ----------------------------------------------------------------------
    def layout(self, rect: pygame.Rect, ctx: ViewContext) -> None:
        super().layout(rect, ctx)
        t = self.theme
        pad = t.px(28) if t.lecture else t.px(24)
        title_h = t.measure("LOSS VS EPOCH", "caption", bold=True)[1]
        inner = self.rect.inflate(-2 * pad, -2 * pad)
        chip_w = t.measure("log", "caption")[0] + t.px(20)
        self._chip = pygame.Rect(0, 0, chip_w, title_h + t.px(6))
        self._chip.topright = (inner.right, inner.y - t.px(3))
        label_w = t.measure("0.000", "caption", mono=True)[0]
        label_h = t.measure("0", "caption", mono=True)[1]
        top = inner.y + title_h + t.px(16) + label_h // 2
        self.plot = pygame.Rect(inner.x + label_w + t.px(10), top, 0, 0)
        self.plot.w = max(10, inner.right - t.px(8) - self.plot.x)
        self.plot.h = max(10, inner.bottom - label_h - t.px(8) - top)
        self._frame_key = self._data_key = None

    def handle_event(self, event: pygame.event.Event, snap: Snapshot) -> list[Command]:
        if event.type == pygame.MOUSEMOTION:
            self.hover_pos = event.pos if self.plot.inflate(4, 4).collidepoint(event.pos) else None
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self._chip.collidepoint(event.pos):
            self.toggle_log()
        return []

    def toggle_log(self) -> None:
        self.log = not self.log
        self._data_key = None

    def targets(self) -> dict[str, pygame.Rect]:
        return {"chart:log": pygame.Rect(self._chip)}

    # -- mapping -------------------------------------------------------------------------------
    def x_of_epoch(self, epoch: float) -> int:
        """The screen x of ``epoch`` in the current view (epoch 0 is the plot's left edge)."""
        return self.plot.x + round(epoch / self.view.x_max * (self.plot.w - 1))

    def epoch_at_x(self, x: float) -> float:
        return (x - self.plot.x) / max(1, self.plot.w - 1) * self.view.x_max

    def y_of_loss(self, loss: np.ndarray | float, reach: float = 1.02) -> np.ndarray:
        """The screen y of ``loss``; beyond the scale's top no higher than ``reach`` plot heights up."""
        v = self.view
        val = np.asarray(loss, dtype=float)
        if v.log:
            with np.errstate(all="ignore"):
                frac = (np.log10(np.maximum(val, LOG_FLOOR)) - math.log10(v.y_lo)) / math.log10(v.y_hi / v.y_lo)
        else:
            frac = (val - v.y_lo) / (v.y_hi - v.y_lo)
        frac = np.clip(np.where(np.isnan(frac), 1.0, frac), -0.02, reach)  # NaN (diverged): the top
        return self.plot.bottom - 1 - frac * (self.plot.h - 1)

    # -- data ----------------------------------------------------------------------------------
    def _columns(self, hist: LossHistory, x_max: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Epochs and min/max per pixel column for the part of the plot ``hist`` covers."""
        n = len(hist)
        if n == 0:
            e = np.empty(0)
            return e, e, e
        cols = max(1, min(n, round((self.plot.w - 1) * n / x_max)))
        starts, lo, hi = hist.columns(1, n, cols)
        ok = np.isfinite(lo) & np.isfinite(hi)
        # a column's x is the middle of its epochs, the last column ends at the last epoch
        ends = np.append(starts[1:] - 1, n)
        mid = (starts + ends) / 2.0
        return mid[ok], lo[ok], hi[ok]

    def _view_for(self, snap: Snapshot, runs: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> View:
        x_max = self.view.x_max  # refresh set it (the runs, the marked point and a halt's epoch)
        lows = [r[1] for r in runs if r[1].size]
        # the run on show sets the scale: a previous run that diverged would flatten it to a line
        # (the ghost leaves through the top); with no epochs yet its marked point sets it, and with
        # no point either, the ghost
        point = current_point(snap)
        highs = [r[2] for r in runs[:1] if r[2].size and np.isfinite(r[2]).any()] \
            or ([] if point is not None else [r[2] for r in runs if r[2].size])
        top = max((float(h[np.isfinite(h)].max()) for h in highs if np.isfinite(h).any()), default=0.0)
        if point is not None:
            top = max(top, point[1])  # the marked point is on the scale, not pinned to its top
        elif not highs:
            top = 1.0
        top = min(top, 1e12)  # beyond that the point is drawn as an off-scale ▲ (see draw)
        if self.log:
            low = min((float(lo[lo > 0].min()) for lo in lows if (lo > 0).any()), default=0.01)
            e = ticks.decade_ticks(max(low, LOG_FLOOR), max(top, LOG_FLOOR * 10))
            return View(x_max, 10.0 ** e[0], 10.0 ** e[-1], True)
        return View(x_max, 0.0, ticks.nice_upper(top if top > 0 else 1.0), False)

    def refresh(self, snap: Snapshot) -> None:
        """Rebuild what changed: the view, the frame, the data layer (cheap when nothing did)."""
        if self.ctx is None:
            return
        ghost = snap.ghost
        test = snap.test_history
        # the curve is redrawn when the displayed step moves on (sim/display.py sets the pace)
        key = (snap.step_id, id(snap.history), id(ghost), len(ghost) if ghost is not None else 0,
               id(test), len(test) if test is not None else 0,
               snap.halt_message is not None, self.log, self.plot.size,
               self.theme.palette.name, self.theme.scale, self.theme.text_scale, snap.setup.layers)
        if key == self._data_key and self._layer is not None:
            return
        self._data_key = key
        self._point = current_point(snap)
        # the view depends on the data's range, so the columns come first
        halted = len(snap.history) + 1 if snap.halt_message is not None else 0  # the epoch that failed
        self.view = replace(self.view, x_max=ticks.epoch_upper(max(len(snap.history), self._point[0] if self._point else 0,
                                                                   halted,
                                                                   len(ghost) if ghost is not None else 0,
                                                                   len(test) if test is not None else 0)))
        run = self._columns(snap.history, self.view.x_max)
        ghost_cols = self._columns(ghost, self.view.x_max) if ghost is not None else None
        test_cols = self._columns(test, self.view.x_max) if test is not None else None
        self.view = self._view_for(snap, [run] + [c for c in (ghost_cols, test_cols) if c is not None])
        legend = (ghost is not None, bool(snap.lock_events), test is not None)
        frame_key = (self.view, legend, self.rect.size, self.theme.palette.name, self.theme.scale,
                     self.theme.text_scale, self.theme.lecture)
        if frame_key != self._frame_key or self._frame is None:
            self._frame_key = frame_key
            self._frame = self._build_frame(legend)
        self._layer = self._build_layer(snap, run, ghost_cols, test_cols)

    # -- the frame -----------------------------------------------------------------------------
    def _local(self, r: pygame.Rect) -> pygame.Rect:
        return r.move(-self.rect.x, -self.rect.y)

    def _build_frame(self, legend: tuple[bool, ...]) -> pygame.Surface:
        t, p = self.theme, self.theme.palette
        surf = text_log.canvas(self.rect.size)
        surf.fill(p.bg)
        draw_card(surf, surf.get_rect(), t, "Loss vs epoch")
        self._draw_chip(surf)
        self._draw_legend(surf, legend)
        plot = self._local(self.plot)
        mono_w = lambda s: t.measure(s, "caption", mono=True)[0]  # noqa: E731
        label_h = t.measure("0", "caption", mono=True)[1]
        v = self.view
        self._x_ticks = ticks.choose_linear(0, v.x_max, plot.w, mono_w,
                                            lambda val, step: ticks.format_count(val), gap=t.px(18))
        for val, text in zip(*self._x_ticks, strict=True):
            x = self.x_of_epoch(val) - self.rect.x
            pygame.draw.line(surf, p.border, (x, plot.bottom), (x, plot.bottom + t.px(4)), max(1, t.px(1)))
            r = blit_text(surf, t, text, (x, plot.bottom + t.px(6)), "caption", p.muted, mono=True, anchor="midtop")
            if r.right > surf.get_width() - t.px(4):  # the last label may not stick out of the card
                surf.fill(p.panel, r)
                blit_text(surf, t, text, (plot.right, plot.bottom + t.px(6)), "caption", p.muted, mono=True,
                          anchor="topright")
        if v.log:
            vals = ticks.log_ticks(v.y_lo, v.y_hi)
            step = max(1, math.ceil(len(vals) * (label_h + t.px(10)) / max(1, plot.h)))
            vals = vals[::step]
            self._y_ticks = (vals, [ticks.format_log_tick(val) for val in vals])
        else:
            self._y_ticks = ticks.choose_linear(v.y_lo, v.y_hi, plot.h, lambda s: label_h, ticks.format_value,
                                                gap=t.px(14), max_ticks=6)
        for val, text in zip(*self._y_ticks, strict=True):
            y = int(self.y_of_loss(val)) - self.rect.y
            blit_text(surf, t, text, (plot.x - t.px(8), y), "caption", p.muted, mono=True, anchor="midright")
        pygame.draw.line(surf, p.muted, (plot.x, plot.bottom), (plot.right, plot.bottom), max(1, t.px(1)))
        return surf

    def _draw_chip(self, surf: pygame.Surface) -> None:
        """The log toggle: filled when on, outlined when off (not colour alone)."""
        t, p = self.theme, self.theme.palette
        chip = self._local(self._chip)
        radius = chip.h // 2
        if self.log:
            pygame.draw.rect(surf, p.positive, chip, border_radius=radius)
            blit_text(surf, t, "log", chip.center, "caption", p.panel, bold=True, anchor="center")
        else:
            pygame.draw.rect(surf, p.border, chip, width=max(1, t.px(1)), border_radius=radius)
            blit_text(surf, t, "log", chip.center, "caption", p.muted, anchor="center")

    def _draw_legend(self, surf: pygame.Surface, legend: tuple[bool, ...]) -> None:
        t, p = self.theme, self.theme.palette
        chip = self._local(self._chip)
        title_w = t.measure("LOSS VS EPOCH", "caption", bold=True)[0]
        pad = t.px(28) if t.lecture else t.px(24)  # as draw_card
        left_limit = pad + title_w + t.px(24)  # clear of the title
        sw, gap = t.px(22), t.px(16)
        items: list[tuple[str, str]] = [("line", "training" if legend[2] else "this run")]
        if legend[2]:
            items.append(("test", "test"))
        if legend[0]:
            items.append(("ghost", "previous run"))
        items.append(("lock", "lock event"))
        widths = [sw + t.px(8) + t.measure(label, "caption")[0] for _, label in items]
        while items and sum(widths) + gap * len(items) > chip.x - left_limit:
            items.pop()  # narrow cards keep the first entries
            widths.pop()
        x = chip.x - gap
        cy = chip.centery
        for (kind, label), w in zip(reversed(items), reversed(widths), strict=True):
            x -= w
            if kind == "line":
                pygame.draw.line(surf, p.text, (x, cy), (x + sw, cy), t.px(3))
            elif kind == "ghost":
                pygame.draw.line(surf, self.ghost_colour, (x, cy), (x + sw, cy), t.px(2))
            elif kind == "test":  # dashed, as the curve is: not told apart by colour alone
                for k in range(3):
                    x0 = x + k * sw // 3
                    pygame.draw.line(surf, p.negative, (x0, cy), (x0 + sw // 5, cy), t.px(3))
            else:
                draw_lock(surf, (x + sw // 2, cy), t.px(14), p.select, p.panel)
            blit_text(surf, t, label, (x + sw + t.px(8), cy), "caption", p.muted, anchor="midleft")
            x -= gap

    # -- the data layer ------------------------------------------------------------------------
    def _build_layer(self, snap: Snapshot, run: tuple[np.ndarray, np.ndarray, np.ndarray],
                     ghost: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
                     test: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> pygame.Surface:
        t, p = self.theme, self.theme.palette
        assert self._frame is not None
        layer = self._frame.copy()
        ox, oy = self.rect.topleft
        plot = self._local(self.plot)
        line_w = max(1, t.px(2))
        if run[0].size:
            xs, top, bot = self._curve_points(run)
            mid = (top + bot) / 2.0
            # the faint fill under the line: every 4th point is plenty (the line is drawn over its
            # edge) and a polygon's cost grows with its vertices times its height
            pts = np.column_stack([xs - ox, mid - oy])
            keep = np.unique(np.append(np.arange(0, len(pts), 4), len(pts) - 1))
            area = [(pts[0, 0], plot.bottom - 1), *pts[keep].tolist(), (pts[-1, 0], plot.bottom - 1)]
            if len(area) >= 3:
                pygame.draw.polygon(layer, mix(p.panel, p.positive, 0.10), area)
            self._curve = (xs, mid)
        else:
            self._curve = (np.empty(0), np.empty(0))
        for val in self._y_ticks[0]:  # grid over the area fill, under the lines
            y = int(self.y_of_loss(val)) - oy
            if y < plot.bottom - 1:
                pygame.draw.line(layer, mix(p.panel, p.border, 0.7), (plot.x, y), (plot.right, y), 1)
        if ghost is not None and ghost[0].size:
            self._draw_curve(layer, ghost, self.ghost_colour, mix(p.panel, p.muted, 0.25), line_w)
        if test is not None and test[0].size:
            self._draw_test_curve(layer, test, line_w)
        if run[0].size:
            self._draw_curve(layer, run, p.text, mix(p.panel, p.text, 0.35), line_w)
        self.markers = []
        self._draw_events(layer, snap)
        return layer

    def _draw_test_curve(self, layer: pygame.Surface, cols: tuple[np.ndarray, np.ndarray, np.ndarray],
                         width: int) -> None:
        """The test set's loss: a dashed line through each column's middle (dashes every few pixels)."""
        ox, oy = self.rect.topleft
        xs, top, bot = self._curve_points(cols)
        pts = np.column_stack([xs - ox, (top + bot) / 2.0 - oy])
        if len(pts) == 1:
            pygame.draw.circle(layer, self.theme.palette.negative, pts[0].tolist(), width + 1)
            return
        dash = max(4, self.theme.px(7))
        # cumulative length along the curve: draw the segments in the "on" half of every dash period
        seg = np.hypot(np.diff(pts[:, 0]), np.diff(pts[:, 1]))
        along = np.concatenate([[0.0], np.cumsum(seg)])
        on = (along // dash) % 2 == 0
        start = None
        for k in range(len(pts)):
            if on[k] and start is None:
                start = k
            if (not on[k] or k == len(pts) - 1) and start is not None:
                piece = pts[start : k + 1]
                if len(piece) >= 2:
                    pygame.draw.lines(layer, self.theme.palette.negative, False, piece.tolist(), width + 1)
                start = None

    def _curve_points(self, cols: tuple[np.ndarray, np.ndarray, np.ndarray],
                      reach: float = 1.02) -> tuple[np.ndarray, ...]:
        epochs, lo, hi = cols
        v = self.view
        xs = self.plot.x + epochs / v.x_max * (self.plot.w - 1)
        return xs, self.y_of_loss(hi, reach), self.y_of_loss(lo, reach)

    def _draw_curve(self, layer: pygame.Surface, cols: tuple[np.ndarray, np.ndarray, np.ndarray],
                    colour: tuple[int, int, int], band: tuple[int, int, int], width: int) -> None:
        """The min–max band (where a column's losses differ visibly) and the line through its middle."""
        ox, oy = self.rect.topleft
        # A stretch above the scale (a previous run that diverged) leaves through the top of the plot
        # and is cut there, not drawn along the top edge as if it had levelled off.
        xs, top, bot = self._curve_points(cols, reach=6.0)
        xs = xs - ox
        top, bot = top - oy, bot - oy
        clip = layer.get_clip()
        layer.set_clip(self._local(self.plot).inflate(2 * width, 2 * width).clip(clip))
        self._draw_line_and_band(layer, xs, top, bot, colour, band, width)
        layer.set_clip(clip)

    @staticmethod
    def _draw_line_and_band(layer: pygame.Surface, xs: np.ndarray, top: np.ndarray, bot: np.ndarray,
                            colour: tuple[int, int, int], band: tuple[int, int, int], width: int) -> None:
        if np.any(bot - top > width):
            # in short pieces: each piece's polygon is only as tall as its own stretch of band
            upper = np.column_stack([xs, top - 0.5]).tolist()
            lower = np.column_stack([xs, bot + 0.5]).tolist()
            for k in range(0, len(xs) - 1, 96):
                end = min(len(xs), k + 97)
                pygame.draw.polygon(layer, band, upper[k:end] + lower[k:end][::-1])
        mid = np.column_stack([xs, (top + bot) / 2.0]).tolist()
        if len(mid) >= 2:
            pygame.draw.lines(layer, colour, False, mid, width)
        else:
            pygame.draw.circle(layer, colour, mid[0], width)

    def _draw_events(self, layer: pygame.Surface, snap: Snapshot) -> None:
        """Lock markers (dashed line, padlock on the curve, a label where it fits), unlocks, the halt.

        The marks come first, the labels after: each label takes the first free place beside its mark
        (``_free_spot``), clear of every mark, every other label and, where it can be, the curve."""
        t, p = self.theme, self.theme.palette
        ox, oy = self.rect.topleft
        plot = self._local(self.plot)
        layers = snap.setup.layers
        self._label_rects = []
        self._mark_rects = []
        by_x: dict[tuple[str, int], list] = {}
        for ev in snap.lock_events:
            if ev.epoch > self.view.x_max:
                continue
            by_x.setdefault(("lock" if ev.locked else "unlock", self.x_of_epoch(ev.epoch)), []).append(ev)
        r_lock = round(t.px(16) * 0.75)
        # kind, epoch, x, text, reach (the mark's half size), ink, the mark's box
        labels: list[tuple[str, int, int, str, int, tuple[int, int, int], pygame.Rect]] = []
        for (kind, x), evs in sorted(by_x.items(), key=lambda kv: (kv[0][0] != "lock", kv[0][1])):
            lx = x - ox
            loss = snap.history.at(evs[0].epoch)
            cy = int(self.y_of_loss(loss)) - oy if loss is not None else plot.centery
            names = ", ".join(neuron_name(layers, e.layer, e.neuron) for e in evs[:2])
            if len(evs) > 2:
                names += f" +{len(evs) - 2} more"
            if kind == "lock":
                self._dashed_vline(layer, lx, plot.y, plot.bottom - 1, p.select, max(1, t.px(2)))
                draw_lock(layer, (lx, cy), t.px(16), p.select, p.panel)
                pygame.draw.circle(layer, p.select, (lx, cy), r_lock, max(1, t.px(2)))
                mark = pygame.Rect(0, 0, 2 * r_lock + 1, 2 * r_lock + 1).move(x - r_lock, cy + oy - r_lock)
                labels.append((kind, evs[0].epoch, x, f"{names} locked · epoch {evs[0].epoch:,}", r_lock, p.select,
                               mark))
            else:
                faint = mix(p.panel, p.select, 0.45)
                self._dashed_vline(layer, lx, plot.y + plot.h // 3, plot.bottom - 1, faint, 1)
                pygame.draw.circle(layer, faint, (lx, cy), t.px(4), max(1, t.px(1)))
                mark = pygame.Rect(0, 0, 2 * t.px(4) + 1, 2 * t.px(4) + 1).move(x - t.px(4), cy + oy - t.px(4))
                self.markers.append(Marker(kind, evs[0].epoch, x, f"{names} unlocked · epoch {evs[0].epoch:,}", mark))
            self._mark_rects.append(mark)
        halt = self.halt_mark(snap)
        if halt is not None:
            epoch, x, y, d = halt
            for a, b in (((x - d, y - d), (x + d, y + d)), ((x - d, y + d), (x + d, y - d))):
                pygame.draw.line(layer, p.danger, (a[0] - ox, a[1] - oy), (b[0] - ox, b[1] - oy), t.px(3))
            cross = pygame.Rect(x - d - 1, y - d - 1, 2 * d + 3, 2 * d + 3)
            self._mark_rects.append(cross)
            # as the halt message says: the epoch that failed (its update was not applied, so it is
            # not in the history)
            labels.append(("halt", epoch, x, f"training stopped at epoch {epoch:,}", d, p.danger, cross))
        # the labels: lock labels first (in epoch order), the halt's last; clear of the marked point, too
        dot = []
        if self._point is not None:
            r = t.px(7)
            px, py = self.x_of_epoch(self._point[0]), self.point_y(self._point[1])
            dot = [pygame.Rect(px - r, py - r, 2 * r + 1, 2 * r + 1)]
            # and clear of the value's first free place, so the value stays beside its point
            mine = self._free_spot(self._value_spots(snap, px, py), self._mark_rects, curve=False, margin=0)
            dot += [mine] if mine is not None else []
        row_h = t.measure("h", "caption")[1] + t.px(2)
        rows = max(1, self.plot.h // row_h)
        for kind, epoch, x, text, reach, ink, icon in labels:
            w, h = t.measure(text, "caption")
            gap = reach + t.px(6)
            spots = []
            for row in range(rows):
                y = self.plot.y + row * row_h
                for right in (True, False):
                    spots.append(pygame.Rect(x + gap if right else x - gap - w, y, w, h))
            spot = self._free_spot(spots, self._label_rects + self._mark_rects + dot, curve=True)
            if spot is not None:
                blit_text(layer, t, text, (spot.x - ox, spot.y - oy), "caption", ink)
                self._label_rects.append(spot)
            self.markers.append(Marker(kind, epoch, x, text, icon, spot))
        self.markers.sort(key=lambda m: (("lock", "unlock", "halt").index(m.kind), m.epoch))

    def halt_mark(self, snap: Snapshot) -> tuple[int, int, int, int] | None:
        """Where the halt's cross goes (None: no halt): the epoch that failed, its screen x and y, half its size.

        The failed epoch is the one after the history (its update was not applied); its loss is the
        displayed step's when that step is the failed one, else the cross sits at the plot's top (a
        NaN loss is off every scale)."""
        if snap.halt_message is None:
            return None
        epoch = len(snap.history) + 1
        point = self._point
        if point is not None and point[0] == epoch:
            y = self.point_y(point[1])
        else:
            y = self.plot.y + self.theme.px(10)
        return epoch, self.x_of_epoch(epoch), y, self.theme.px(7)

    def point_y(self, loss: float) -> int:
        """The screen y of the marked point: on the scale, or at the top edge when above it (an off-scale ▲)."""
        if self.off_scale(loss):
            return self.plot.y + self.theme.px(7)
        return int(self.y_of_loss(loss))

    def off_scale(self, loss: float) -> bool:
        """The loss is above the chart's top (the scale stops at 1e12)."""
        return loss > self.view.y_hi

    def _value_spots(self, snap: Snapshot, x: int, y: int) -> list[pygame.Rect]:
        """Where the marked point's value may go, best first: beside the point at (x, y) — left of it,
        unless that would run into the y-axis labels (early epochs); below it when the point is high,
        above when low; then the other side, then a line or two further off."""
        t = self.theme
        assert self._point is not None
        w, h = t.measure(self._point[2], "caption", bold=True, mono=True)
        dx = t.px(8)
        halt = self.halt_mark(snap)
        if halt is not None and abs(halt[1] - x) <= halt[3] and abs(halt[2] - y) <= halt[3]:
            dx = halt[3] + t.px(6)  # the point carries the halt's cross: clear of its arms
        below = y > self.plot.y + self.plot.h // 3
        left = x - dx - w >= self.plot.x + t.px(4)
        spots = []
        for lift in (0, h, 2 * h):
            for up in (below, not below):
                for to_left in ((left, not left) if left else (False,)):
                    box = pygame.Rect(0, 0, w, h)
                    dy = t.px(6) + lift
                    setattr(box, ("bottom" if up else "top") + ("right" if to_left else "left"),
                            (x - dx if to_left else x + dx, y - dy if up else y + dy))
                    spots.append(box)
        return spots

    def _curve_hits(self, box: pygame.Rect) -> int:
        """How many pixel columns of the run's line pass through ``box`` (the line between its points, too)."""
        xs, ys = self._curve
        if xs.size == 0:
            return 0
        cols = np.arange(max(box.left, math.ceil(xs[0])), min(box.right, math.floor(xs[-1]) + 1))
        if cols.size == 0:
            return 0
        y = np.interp(cols, xs, ys)
        return int(np.count_nonzero((y >= box.top - 1) & (y <= box.bottom)))

    def _free_spot(self, spots: list[pygame.Rect], avoid: list[pygame.Rect], curve: bool,
                   margin: int | None = None) -> pygame.Rect | None:
        """The first of ``spots`` (in order of preference) inside the plot and clear of ``avoid`` (with a
        margin) — clear of the curve, too, when ``curve`` and some spot is; None when every spot is taken."""
        m = self.theme.px(4) if margin is None else margin
        first: pygame.Rect | None = None
        for box in spots:
            if not self.plot.contains(box) or box.inflate(2 * m, 2 * m).collidelist(avoid) >= 0:
                continue
            if not curve or self._curve_hits(box.inflate(2 * m, 2 * m)) == 0:
                return box
            first = first or box
        return first

    @staticmethod
    def _dashed_vline(surf: pygame.Surface, x: int, y0: int, y1: int, colour: tuple[int, int, int],
                      width: int) -> None:
        dash = max(3, width * 3)
        for y in range(y0, y1, dash * 2):
            pygame.draw.line(surf, colour, (x, y), (x, min(y + dash, y1)), width)

    # -- each frame ----------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, snap: Snapshot) -> None:
        if self.ctx is None:
            return
        self.refresh(snap)
        assert self._layer is not None
        surface.blit(self._layer, self.rect)
        t, p = self.theme, self.theme.palette
        self.drawn_step = self._data_key[0] if self._data_key else None
        point = self._point
        acc = self._accuracy_box(snap)
        avoid = self._label_rects + self._mark_rects + ([acc[1]] if acc is not None else [])
        self.value_rect = pygame.Rect(0, 0, 0, 0)
        self.value_off_scale = False
        self.point_xy = None
        if point is not None:
            epoch, loss, self._value_text = point
            x, y = self.x_of_epoch(epoch), self.point_y(loss)
            self.value_off_scale = self.off_scale(loss)
            if self.value_off_scale:  # above the scale's top: a ▲ at the top edge, and the label says the value
                s = t.px(7)
                pygame.draw.polygon(surface, p.text, [(x, y - s), (x - s, y + s // 2), (x + s, y + s // 2)])
            else:
                pygame.draw.circle(surface, p.text, (x, y), t.px(5))
                pygame.draw.circle(surface, p.panel, (x, y), t.px(5), max(1, t.px(2)))
            self.point_xy = (x, y)
            spots = self._value_spots(snap, x, y)
            spot = self._free_spot(spots, avoid, curve=False, margin=0)
            if spot is None and not avoid:
                spot = spots[0]
            if spot is not None:
                self.value_rect = blit_text(surface, t, self._value_text, spot.topleft, "caption", p.text, bold=True,
                                            mono=True)
            # else: a small chart full of lock labels (or the accuracy plate): the loss is in the top bar
        under = self._draw_accuracy(surface, acc)
        self._draw_plateau(surface, snap, under)
        if self.hover_pos is not None:
            self._draw_hover(surface, snap)

    def plateau_notice(self, snap: Snapshot) -> plateau.Plateau | None:
        """The plateau the run is on (sim/plateau.py), judged once per new epoch."""
        key = (id(snap.history), len(snap.history), snap.halt_message is not None)
        if key != self._plateau_key:
            self._plateau_key = key
            self._plateau = None if snap.halt_message is not None else plateau.detect(snap.history.values)
        return self._plateau

    def _accuracy_box(self, snap: Snapshot) -> tuple[str, pygame.Rect] | None:
        """The accuracy line and its plate at the plot's top right (None: not a classification)."""
        line = accuracy_line(snap)
        if line is None:
            return None
        t = self.theme
        w, h = t.measure(line, "caption")
        if w + t.px(16) > self.plot.w - t.px(8):  # a narrow chart: the shorter form
            line = line.replace("accuracy  training", "acc.").replace("  ·  test", " · test")
            w, h = t.measure(line, "caption")
        box = pygame.Rect(0, 0, w + t.px(16), h + t.px(6))
        # top right, unless the curve, the marked point or a mark or its label is there: then bottom right,
        # or top left
        xs, ys = self._curve
        dot = None
        if self._point is not None:
            dot = (self.x_of_epoch(self._point[0]), self.point_y(self._point[1]))
        best: tuple[int, pygame.Rect] | None = None
        for corner, pos in (("topright", (self.plot.right - t.px(8), self.plot.y + t.px(4))),
                            ("bottomright", (self.plot.right - t.px(8), self.plot.bottom - t.px(6))),
                            ("topleft", (self.plot.x + t.px(8), self.plot.y + t.px(4)))):
            cand = box.copy()
            setattr(cand, corner, pos)
            near = cand.inflate(t.px(8), t.px(8))
            inside = (xs >= near.left) & (xs < near.right) & (ys >= near.top) & (ys < near.bottom)
            score = int(np.count_nonzero(inside)) + (1000 if dot is not None and near.collidepoint(dot) else 0) \
                + 1000 * len(near.collidelistall(self._label_rects + self._mark_rects))
            if best is None or score < best[0]:
                best = (score, cand)
            if score == 0:
                break
        assert best is not None
        return line, best[1]

    def _draw_accuracy(self, surface: pygame.Surface, found: tuple[str, pygame.Rect] | None) -> int:
        """Draw the accuracy plate; returns the y below it when it is at the top (where the plateau box may
        start)."""
        t = self.theme
        self.accuracy_rect = None
        if found is None:
            return self.plot.y + t.px(4)
        self._plate(surface, *found)
        at_top = found[1].y <= self.plot.y + t.px(4)
        return found[1].bottom + t.px(4) if at_top else self.plot.y + t.px(4)

    def _plate(self, surface: pygame.Surface, line: str, box: pygame.Rect) -> None:
        t, p = self.theme, self.theme.palette
        pygame.draw.rect(surface, p.panel, box, border_radius=t.px(6))
        text_log.cover(surface, box)
        pygame.draw.rect(surface, p.border, box, max(1, t.px(1)), border_radius=t.px(6))
        blit_text(surface, t, line, (box.x + t.px(8), box.centery), "caption", p.text, anchor="midleft")
        self.accuracy_rect = box

    def _draw_plateau(self, surface: pygame.Surface, snap: Snapshot, top: int | None = None) -> None:
        """No progress for a long stretch: say so over the chart (under the accuracy line), with what to try."""
        found = self.plateau_notice(snap)
        self.plateau_rect = None
        if found is None:
            return
        t, p = self.theme, self.theme.palette
        pad = t.px(8)
        width = min(self.plot.w - 2 * pad, t.px(560))
        # inside the plot, never over the axis and its ticks: a small chart gets the first sentence only
        message = found.message
        first = message.split(". ")[0].rstrip(".") + "."
        # below the lock and halt labels of the top rows that it would cover
        top = top if top is not None else self.plot.y + t.px(4)
        span = pygame.Rect(self.plot.right - pad - width, self.plot.y, width, self.plot.h // 2)
        for r in sorted(self._label_rects, key=lambda r: r.top):
            if r.colliderect(span) and r.bottom + t.px(4) > top:
                top = r.bottom + t.px(4)
        for text in (message, first):
            lines = mt.wrap(t, mt.words(text, "select"), width - 2 * pad)
            heights = [mt.measure(t, ln)[1] for ln in lines]
            if sum(heights) + 2 * pad <= self.plot.bottom - top - t.px(8):
                break
        else:
            return  # no room at all: the curve itself shows the plateau
        box = pygame.Rect(0, 0, width, sum(heights) + 2 * pad)
        box.topright = (self.plot.right - pad, top)
        pygame.draw.rect(surface, p.panel, box, border_radius=t.px(6))
        text_log.cover(surface, box)
        pygame.draw.rect(surface, p.select, box, max(1, t.px(1)), border_radius=t.px(6))
        y = box.y + pad
        for ln, h in zip(lines, heights, strict=True):
            mt.draw(surface, t, ln, (box.x + pad, y))
            y += h
        self.plateau_rect = box

    def _draw_hover(self, surface: pygame.Surface, snap: Snapshot) -> None:
        """A guide line and "epoch N · loss L" at the pointer (and the nearest marker's label)."""
        t, p = self.theme, self.theme.palette
        assert self.hover_pos is not None
        hx = max(self.plot.x, min(self.plot.right - 1, self.hover_pos[0]))
        n = len(snap.history)
        epoch = max(1, min(max(n, 1), round(self.epoch_at_x(hx))))
        loss = snap.history.at(epoch)
        x = self.x_of_epoch(epoch) if loss is not None else hx
        pygame.draw.line(surface, p.muted, (x, self.plot.y), (x, self.plot.bottom - 1), 1)
        lines = [f"epoch {epoch:,} · loss {ticks.format_loss(loss)}" if loss is not None else "no epochs yet"]
        ghost_loss = snap.ghost.at(epoch) if snap.ghost is not None else None
        if ghost_loss is not None:
            lines.append(f"previous run {ticks.format_loss(ghost_loss)}")
        test_loss = snap.test_history.at(epoch) if snap.test_history is not None else None
        if test_loss is not None:
            lines.append(f"test loss {ticks.format_loss(test_loss)}")
        near = [m for m in self.markers if abs(m.x - hx) <= t.px(6)]
        lines += [m.label for m in near[:2]]
        if loss is not None:
            pygame.draw.circle(surface, p.select, (x, int(self.y_of_loss(loss))), t.px(4))
        surfs = [t.text(s, "caption", p.text if k == 0 else p.muted) for k, s in enumerate(lines)]
        w = max(s.get_width() for s in surfs) + t.px(16)
        h = sum(s.get_height() for s in surfs) + t.px(10)
        box = pygame.Rect(0, 0, w, h)
        box.topleft = (x + t.px(10), self.plot.y + t.px(4))
        if box.right > self.plot.right:
            box.topright = (x - t.px(10), self.plot.y + t.px(4))
        pygame.draw.rect(surface, p.panel_alt, box, border_radius=t.px(6))
        pygame.draw.rect(surface, p.border, box, width=1, border_radius=t.px(6))
        y = box.y + t.px(5)
        for s in surfs:
            surface.blit(s, (box.x + t.px(8), y))
            y += s.get_height()


def chart_draw_cost_ms(n_epochs: int, size: tuple[int, int] = (1920, 1080), frames: int = 120) -> float:
    """Mean ms to draw the chart while a run of ``n_epochs`` grows by one epoch a frame (worst case:
    the data layer is rebuilt every frame). Needs pygame initialised with a display mode set."""
    from glassbox_game.engine.setup import Setup
    from glassbox_game.kit.layout import sandbox_layout
    from glassbox_game.kit.theme import make_theme
    from glassbox_game.sim.simulation import Simulation

    theme = make_theme("dark", size)
    rng = np.random.default_rng(0)
    hist = LossHistory()
    base = 0.25 * np.exp(-np.arange(n_epochs) / max(1.0, n_epochs / 5)) + 0.02 * rng.random(n_epochs)
    hist.extend(base)
    snap = replace(Simulation(Setup()).snapshot(), history=hist, epoch=n_epochs, playing=True, animated=False)
    chart = LossChartPanel()
    ctx = ViewContext(theme)
    chart.layout(sandbox_layout(size, theme)["chart"], ctx)
    surface = pygame.Surface(size)
    chart.draw(surface, snap)
    total = 0.0
    for k in range(frames):
        hist.append(float(base[-1]) * (1 - 1e-6 * k))
        snap = replace(snap, epoch=snap.epoch + 1)  # every frame shows a new step: the curve is redrawn
        chart._data_key = None
        start = time.perf_counter()
        chart.draw(surface, snap)
        total += time.perf_counter() - start
    return total / frames * 1000.0
