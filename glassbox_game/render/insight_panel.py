"""The insight card: three small tabs on what the network believes and how blame flows.

* **Decision map** — ŷ over the input plane (2-input problems), the 0.5 contour, the samples; the
  "test points" toggle (a chip under the map, with room for more toggles beside it) adds the held-out
  points, drawn as squares (training points are circles).
* **Loss slice** — the loss as the selected weight or bias varies, the tangent whose slope is the
  trace's ∂L/∂w, and the step the update takes.
* **Gradients** — |mean ∂L/∂w| per connection on a log scale for a small net (what the level goals
  compare), mean |∂L/∂w| per weight layer for a deeper one: the vanishing gradient.

The card's content is drawn into a cached surface, rebuilt when the step, the selection, the tab or
the layout change — at most a few times a second while training fast — and blitted every frame.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

from glassbox_game.engine import planes
from glassbox_game.engine.activations import get_activation
from glassbox_game.engine.names import connection_name, neuron_name
from glassbox_game.engine.problems import Dataset
from glassbox_game.kit import text_log
from glassbox_game.kit.component import Component, ViewContext, blit_text
from glassbox_game.kit.palette import RGB, mix
from glassbox_game.numfmt import compact, fmt
from glassbox_game.render import insight_math as im
from glassbox_game.render import ticks
from glassbox_game.sim import commands as c
from glassbox_game.sim.commands import Command
from glassbox_game.sim.snapshot import Snapshot

TABS = ("map", "slice", "bars")
TAB_LABELS = (("Decision map", "Loss slice", "Gradients"), ("Decision map", "Loss slice", "Gradients"),
              ("Map", "Slice", "Grads"))
GRID = 64
#: the decision map's toggles, in the chip row under the map: name → label
MAP_TOGGLES: dict[str, str] = {"test_points": "test points", "discretize": "discretize"}


heat_colours = im.heat_colours
current_weights = im.current_weights


def sample_row(snap: Snapshot) -> int | None:
    """The trace row of the displayed training sample (None in the batch view)."""
    if snap.sample is None or snap.sample not in snap.trace.sample_indices:
        return None
    return snap.trace.sample_indices.index(snap.sample)


def _num(v: float) -> str:
    return f"{v:g}".replace("-", "−")


def _weight_text(w: float) -> str:
    """A weight under the slice: two decimals, a runaway one as its pill on the network writes it (−5.3e5)."""
    return compact(w) if abs(w) >= 1e4 else ticks.format_value(w, 0.01)


class InsightPanel(Component):
    """Decision map / loss slice / gradients by layer, one at a time."""

    name = "insight"

    def __init__(self) -> None:
        super().__init__()
        self.tab = "map"
        self.tab_rects: dict[str, pygame.Rect] = {}
        self.content = pygame.Rect(0, 0, 0, 0)
        self._labels: tuple[str, ...] = TAB_LABELS[0]
        self._surface: pygame.Surface | None = None
        self._key: tuple | None = None
        self._built_step: tuple | None = None
        self._data: tuple[int, Dataset] | None = None
        self.last_grid: np.ndarray | None = None  # the ŷ grid last drawn (for tests and tools)
        # the decision map's square and each training point's centre, on screen (for clicks)
        self.map_points: tuple[pygame.Rect, np.ndarray] | None = None
        self.last_slice: im.SliceData | None = None
        self.last_bars: np.ndarray | None = None
        #: the decision map's toggles: test_points draws the held-out points too; discretize shows
        #: the class the network would answer (ŷ cut at the output's threshold) instead of ŷ
        self.map_options: dict[str, bool] = dict.fromkeys(MAP_TOGGLES, False)
        self.last_threshold: float | None = None  # where "discretize" cut ŷ (from the output's record)
        self.toggle_rects: dict[str, pygame.Rect] = {}  # the map's toggle chips on screen (when shown)
        self._test: tuple[int, Dataset | None] | None = None
        self.test_points_drawn = 0  # how many test points the last map drew (tests and tools)

    # -- layout and input ----------------------------------------------------------------------
    def layout(self, rect: pygame.Rect, ctx: ViewContext) -> None:
        super().layout(rect, ctx)
        t = self.theme
        pad = t.px(16)
        inner = self.rect.inflate(-2 * pad, -2 * pad)
        gap = t.px(14)
        for labels in TAB_LABELS:
            widths = [t.measure(s, "caption")[0] for s in labels]
            if sum(widths) + gap * (len(labels) - 1) <= inner.w:
                break
        self._labels = labels
        h = t.measure("Ag", "caption")[1] + t.px(10)
        x = inner.x
        self.tab_rects = {}
        for name, w in zip(TABS, widths, strict=True):
            self.tab_rects[name] = pygame.Rect(x, inner.y, w, h)
            x += w + gap
        top = inner.y + h + t.px(12)
        self.content = pygame.Rect(inner.x, top, inner.w, inner.bottom - top)
        self._key = None

    def select_tab(self, name: str) -> None:
        """Show "map", "slice" or "bars" (the ``insight:`` target names work too)."""
        name = name.removeprefix("insight:")
        if name not in TABS:
            raise ValueError(f"unknown insight tab {name!r}; choose one of {', '.join(TABS)}")
        if name != self.tab:
            self.tab = name
            self._key = None

    def handle_event(self, event: pygame.event.Event, snap: Snapshot) -> list[Command]:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for name, r in self.tab_rects.items():
                if r.inflate(self.theme.px(6), self.theme.px(6)).collidepoint(event.pos):
                    self.select_tab(name)
            for name, r in self.toggle_rects.items():
                if self.tab == "map" and r.collidepoint(event.pos):
                    self.toggle(name)
                    return []
            hit = self.point_at(event.pos)
            if hit is not None:
                return [c.SetSample(hit)]  # a point on the map becomes the displayed sample
        return []

    def toggle(self, name: str) -> None:
        """Switch a decision-map toggle ("test_points", "discretize"; the ``insight:`` target names work too)."""
        name = name.removeprefix("insight:")
        if name not in MAP_TOGGLES:
            raise ValueError(f"unknown decision-map toggle {name!r}; choose one of {', '.join(MAP_TOGGLES)}")
        self.map_options[name] = not self.map_options[name]
        self._key = None

    @property
    def show_test(self) -> bool:
        return self.map_options["test_points"]

    def point_at(self, pos: tuple[int, int]) -> int | None:
        """The training sample drawn nearest ``pos`` on the decision map (within a few pixels), if any."""
        if self.tab != "map" or self.map_points is None:
            return None
        square, centres = self.map_points
        if not square.collidepoint(pos) or not len(centres):
            return None
        d2 = ((centres - np.array(pos, dtype=float)) ** 2).sum(axis=1)
        k = int(d2.argmin())
        return k if d2[k] <= (max(3, self.theme.px(6)) + self.theme.px(4)) ** 2 else None

    def targets(self) -> dict[str, pygame.Rect]:
        out = {f"insight:{name}": pygame.Rect(r) for name, r in self.tab_rects.items()}
        if self.tab == "map":
            out.update({f"insight:{name}": pygame.Rect(r) for name, r in self.toggle_rects.items()})
        return out

    # -- caching -------------------------------------------------------------------------------
    def refresh(self, snap: Snapshot) -> None:
        if self.ctx is None:
            return
        t = self.theme
        key = (snap.step_id, snap.applied, snap.sample, snap.selection, self.tab, tuple(self.map_options.values()),
               self.rect.size, t.palette.name, t.scale, t.text_scale, self.ctx.quiz)
        if key == self._key and self._surface is not None:
            return
        self._key, self._built_step = key, snap.step_id
        self._surface = self._build(snap)

    def draw(self, surface: pygame.Surface, snap: Snapshot) -> None:
        if self.ctx is None:
            return
        self.refresh(snap)
        assert self._surface is not None
        self.drawn_step = self._built_step
        surface.blit(self._surface, self.rect)

    def _build(self, snap: Snapshot) -> pygame.Surface:
        t, p = self.theme, self.theme.palette
        surf = text_log.canvas(self.rect.size)
        surf.fill(p.bg)
        local = surf.get_rect()
        pygame.draw.rect(surf, p.panel, local, border_radius=t.px(10))
        pygame.draw.rect(surf, p.border, local, width=max(1, t.px(1)), border_radius=t.px(10))
        self._draw_tabs(surf)
        area = self.content.move(-self.rect.x, -self.rect.y)
        if self.tab == "map":
            self._draw_map(surf, area, snap)
        elif self.ctx is not None and self.ctx.quiz:  # a level waits for typed answers: these are gradients
            self._message(surf, area, ["Work it out first: the gradients appear here",
                                       "once your typed answers are in."])
            self.last_bars = self.last_slice = None
        elif not snap.reveals("backward"):  # the slope and the gradients are not known before backward
            self._message(surf, area, ["The gradients are worked out in the backward phase:",
                                       "they appear here when it begins."])
        elif self.tab == "slice":
            self._draw_slice(surf, area, snap)
        else:
            self._draw_bars(surf, area, snap)
        return surf

    def _draw_tabs(self, surf: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        for (name, r), label in zip(self.tab_rects.items(), self._labels, strict=True):
            lr = r.move(-self.rect.x, -self.rect.y)
            on = name == self.tab
            blit_text(surf, t, label, (lr.x, lr.y), "caption", p.text if on else p.muted)
            if on:  # underlined as well as brighter
                pygame.draw.line(surf, p.select, (lr.x, lr.bottom - 1), (lr.right, lr.bottom - 1), t.px(2))
        first = self.tab_rects[TABS[0]].move(-self.rect.x, -self.rect.y)
        y = first.bottom + t.px(2)
        pygame.draw.line(surf, p.border, (first.x, y), (surf.get_width() - first.x, y), 1)

    def _message(self, surf: pygame.Surface, area: pygame.Rect, lines: list[str]) -> None:
        t, p = self.theme, self.theme.palette
        words = " ".join(lines).split()
        rows, cur = [], ""
        for w in words:  # wrap to the card's width
            trial = f"{cur} {w}".strip()
            if t.measure(trial, "caption")[0] > area.w and cur:
                rows.append(cur)
                cur = w
            else:
                cur = trial
        rows.append(cur)
        h = t.measure("Ag", "caption")[1]
        y = area.centery - h * len(rows) // 2
        for row in rows:
            blit_text(surf, t, row, (area.centerx, y), "caption", p.muted, anchor="midtop")
            y += h

    # -- decision map --------------------------------------------------------------------------
    def _dataset(self, snap: Snapshot) -> Dataset:
        if self._data is None or self._data[0] != snap.setup_version:
            self._data = (snap.setup_version, snap.setup.dataset())
        return self._data[1]

    def _test_set(self, snap: Snapshot) -> Dataset | None:
        if self._test is None or self._test[0] != snap.setup_version:
            self._test = (snap.setup_version, snap.setup.test_dataset())
        return self._test[1]

    def _draw_toggles(self, surf: pygame.Surface, area: pygame.Rect, test: bool) -> int:
        """The toggle chips at the bottom of ``area``, in as many rows as the width needs (large text):
        filled when on, outlined when off. Returns the height they take."""
        t, p = self.theme, self.theme.palette
        h = t.measure("Ag", "caption")[1] + t.px(6)
        icon = h // 2
        gap = t.px(8)
        self.toggle_rects = {}
        chips = [(name, label, icon + t.px(26) + t.measure(label, "caption", bold=True)[0])
                 for name, label in MAP_TOGGLES.items() if name != "test_points" or test]  # no test set: no chip
        rows: list[list[tuple[str, str, int]]] = [[]]
        for chip in chips:
            if rows[-1] and sum(w for *_, w in rows[-1]) + gap * len(rows[-1]) + chip[2] > area.w:
                rows.append([])
            rows[-1].append(chip)
        y = area.bottom - len(rows) * h - (len(rows) - 1) * t.px(6)
        for row in rows:
            x = area.x
            for name, label, w in row:
                on = self.map_options[name]
                chip_r = pygame.Rect(x, y, w, h)
                if on:
                    pygame.draw.rect(surf, p.positive, chip_r, border_radius=h // 2)
                else:
                    pygame.draw.rect(surf, p.border, chip_r, width=max(1, t.px(1)), border_radius=h // 2)
                ink = p.panel if on else p.muted
                sq = pygame.Rect(0, 0, icon, icon)
                sq.midleft = (chip_r.x + t.px(10), chip_r.centery)
                pygame.draw.rect(surf, ink, sq, max(1, t.px(2)))  # a test point's mark
                if name == "discretize":  # half filled: two classes, no shades between
                    pygame.draw.rect(surf, ink, (sq.x, sq.y, sq.w // 2, sq.h))
                blit_text(surf, t, label, (sq.right + t.px(6), chip_r.centery), "caption", ink, bold=on,
                          anchor="midleft")
                self.toggle_rects[name] = chip_r.move(self.rect.topleft)
                x = chip_r.right + gap
            y += h + t.px(6)
        return len(rows) * h + (len(rows) - 1) * t.px(6)

    def _heat(self) -> tuple[RGB, RGB, RGB]:
        return im.heat_ends(self.theme.palette)

    def _draw_map(self, surf: pygame.Surface, area: pygame.Rect, snap: Snapshot) -> None:
        t, p = self.theme, self.theme.palette
        tr = snap.trace
        features = snap.setup.features
        if tr.layers[0] != 2 and features is None:
            self._message(surf, area, [f"The decision map needs 2 inputs; this network has {tr.layers[0]}.",
                                       "Try a logic gate (AND, XOR …)."])
            self.last_grid = None
            self.map_points = None
            return
        data = self._dataset(snap)
        plane = data.points if data.points is not None else data.x  # features: plot the points, not the inputs
        test = self._test_set(snap)
        self.toggle_rects = {}
        self.test_points_drawn = 0
        chip_h = self._draw_toggles(surf, area, test is not None)  # the toggles' chips under the map
        area = pygame.Rect(area.x, area.y, area.w, area.h - chip_h - t.px(6))
        test_plane = None
        if test is not None and self.show_test:
            test_plane = test.points if test.points is not None else test.x
        bounds = im.plane_bounds(plane if test_plane is None else np.concatenate([plane, test_plane]))
        weights, biases = current_weights(snap)
        grid = im.decision_grid(weights, biases, tr.hidden_activation, tr.output_activation, bounds, GRID,
                                features)
        self.last_grid = grid
        out_act = get_activation(tr.output_activation)
        threshold = out_act.decision_threshold  # the class boundary: 0.5 for a sigmoid, 0 for tanh
        discrete = self.map_options["discretize"]
        self.last_threshold = threshold if discrete else None
        # each cell: the class the network would answer (discretized), else ŷ on the output's colour scale
        levels = np.where(grid >= threshold, 1.0, 0.0) if discrete else planes.colour_level(grid, tr.output_activation)
        x_ticks, y_ticks = im.axis_ticks(bounds[0], bounds[1]), im.axis_ticks(bounds[2], bounds[3])
        label_w = max(t.measure(f"{v:g}", "caption", mono=True)[0] for v in y_ticks)
        label_h = t.measure("Ag", "caption")[1]
        bar_w = t.px(10)
        # measured: the axis name and ticks at the left, the colour bar and its labels, then the key
        left = t.measure("x₂", "caption")[0] + t.px(8) + label_w + t.px(6)
        lo_v, hi_v = out_act.output_range
        top_label = _num(hi_v) if math.isfinite(hi_v) else "max"
        low_label = _num(lo_v) if math.isfinite(lo_v) else "min"
        bar_side = t.px(12) + bar_w + t.px(5) + max(t.measure(s, "caption", mono=s != "ŷ")[0]
                                                    for s in (top_label, low_label, "ŷ", "0.5"))
        r = max(3, t.px(6))
        key_w = 2 * r + t.px(5) + max(t.measure(s, "caption")[0] for s in ("y = 0", "y = 1"))
        tall = area.h - label_h - t.px(6)
        side = min(tall, area.w - left - bar_side - key_w)
        with_key = side >= min(tall, t.px(60))  # the key goes when it would squeeze the map too small
        if not with_key:
            side = min(tall, area.w - left - bar_side)
        side = max(8, side)
        sq = pygame.Rect(area.x + left, area.y, side, side)
        low, mid, high = self._heat()
        small = pygame.surfarray.make_surface(np.ascontiguousarray(im.heat_rgb(levels, p).transpose(1, 0, 2)))
        surf.blit((pygame.transform.scale if discrete else pygame.transform.smoothscale)(small, sq.size), sq)
        cell = side / GRID
        for (c0, r0), (c1, r1) in im.contour_segments(grid, threshold):  # the decision boundary
            a = (sq.x + (c0 + 0.5) * cell, sq.y + (r0 + 0.5) * cell)
            b = (sq.x + (c1 + 0.5) * cell, sq.y + (r1 + 0.5) * cell)
            pygame.draw.line(surf, p.text, a, b, max(1, t.px(2)))
        pygame.draw.rect(surf, p.border, sq, 1)

        def to_px(v: np.ndarray) -> tuple[int, int]:
            fx = (v[0] - bounds[0]) / (bounds[1] - bounds[0])
            fy = (v[1] - bounds[2]) / (bounds[3] - bounds[2])
            return round(sq.x + fx * side), round(sq.bottom - fy * side)

        # axis ticks (0 and 1 on the unit square, 0 and ±a round number on a wider plane) and the names
        # the ends first, then the middle ones where they clear the labels already placed (a small map, big text)
        placed: list[pygame.Rect] = []
        for vals, axis in ((x_ticks, 0), (y_ticks, 1)):
            order = [*vals[:1], *vals[-1:], *vals[1:-1]] if len(vals) > 1 else list(vals)
            for val in order:
                text = f"{val:g}"
                w, h_ = t.measure(text, "caption", mono=True)
                if axis == 0:
                    x, _ = to_px(np.array([val, 0.0]))
                    box = pygame.Rect(0, 0, w, h_)
                    box.midtop = (x, sq.bottom + t.px(3))
                else:
                    _, y = to_px(np.array([0.0, val]))
                    box = pygame.Rect(0, 0, w, h_)
                    box.midright = (sq.x - t.px(6), y)
                if box.inflate(t.px(4), 0).collidelist(placed) >= 0:
                    continue
                placed.append(box)
                blit_text(surf, t, text, box.topleft, "caption", p.muted, mono=True)
        # the axis name sits between the ticks 0 and +a on a wider plane, clear of both labels
        name_x = sq.centerx if len(x_ticks) == 2 else (to_px(np.array([0.0, 0.0]))[0]
                                                       + to_px(np.array([x_ticks[-1], 0.0]))[0]) // 2
        if len(x_ticks) > 2:  # no room between the two tick labels (large text, a small map): after the last
            lo_x, hi_x = to_px(np.array([0.0, 0.0]))[0], to_px(np.array([x_ticks[-1], 0.0]))[0]
            half = (t.measure("0", "caption", mono=True)[0] + t.measure(f"{x_ticks[-1]:g}", "caption", mono=True)[0]) // 2
            if hi_x - lo_x - half < t.measure("x₁", "caption")[0] + t.px(8):
                name_x = hi_x + t.measure(f"{x_ticks[-1]:g}", "caption", mono=True)[0] // 2 + t.px(6) \
                    + t.measure("x₁", "caption")[0] // 2
        name_box = pygame.Rect((0, 0), t.measure("x₁", "caption"))
        name_box.midtop = (name_x, sq.bottom + t.px(3))
        if name_box.inflate(t.px(4), 0).collidelist(placed) >= 0:  # a small map: the name goes under its ticks
            name_box.top = max(b.bottom for b in placed if b.colliderect(name_box.inflate(t.px(4), 0)))
        if name_box.bottom <= area.bottom:
            blit_text(surf, t, "x₁", name_box.topleft, "caption", p.muted)
        blit_text(surf, t, "x₂", (sq.x - t.px(6) - label_w - t.px(8), sq.centery), "caption", p.muted,
                  anchor="midright")
        # samples: colour by target and a second cue — filled for y ≥ 0.5, a ring for y < 0.5
        row = sample_row(snap)
        shown = snap.trace.sample_indices[row] if row is not None else None
        centres = np.array([to_px(v) for v in plane], dtype=float).reshape(-1, 2)
        self.map_points = (sq.move(self.rect.topleft), centres + np.array(self.rect.topleft, dtype=float))
        for k, (xv, yv) in enumerate(zip(plane, data.y[:, 0], strict=True)):
            c = to_px(xv)
            if yv >= 0.5:
                pygame.draw.circle(surf, high, c, r)
                pygame.draw.circle(surf, p.text, c, r, max(1, t.px(1)))
            else:
                pygame.draw.circle(surf, p.panel, c, r)
                pygame.draw.circle(surf, low, c, r, max(2, t.px(3)))
                pygame.draw.circle(surf, p.text, c, r + 1, 1)
            if k == shown:
                pygame.draw.circle(surf, p.select, c, r + t.px(4), max(2, t.px(2)))
        if test is not None and test_plane is not None:
            # held-out points: squares (not circles), the same fill rule for the class
            for xv, yv in zip(test_plane, test.y[:, 0], strict=True):
                box = pygame.Rect(0, 0, max(4, round(1.7 * r)), max(4, round(1.7 * r)))
                box.center = to_px(xv)
                if yv >= 0.5:
                    pygame.draw.rect(surf, high, box)
                else:
                    pygame.draw.rect(surf, p.panel, box)
                    pygame.draw.rect(surf, low, box, max(2, t.px(3)))
                pygame.draw.rect(surf, p.text, box.inflate(2, 2), 1)
            self.test_points_drawn = len(test_plane)
        # colour bar with the 0.5 mark, then the key to the sample marks
        bar = pygame.Rect(sq.right + t.px(12), sq.y, bar_w, side)
        col = heat_colours(low, mid, high, max(2, side))[::-1]
        strip = pygame.surfarray.make_surface(np.ascontiguousarray(np.repeat(col[None, :, :], bar_w, axis=0)))
        surf.blit(strip, bar)
        pygame.draw.rect(surf, p.border, bar, 1)
        pygame.draw.line(surf, p.text, (bar.x - t.px(2), bar.centery), (bar.right + t.px(1), bar.centery),
                         max(1, t.px(2)))
        marks: tuple[tuple[str, int, str], ...] = ((top_label, bar.y, "topleft"), ("ŷ", bar.centery, "midleft"),
                                                   (low_label, bar.bottom, "bottomleft"))
        if side < 3 * label_h + t.px(4):  # a short bar: its ends only, or nothing when even they touch
            marks = marks[::2] if side >= 2 * label_h + t.px(2) else ()
        for text, y, anchor in marks:
            blit_text(surf, t, text, (bar.right + t.px(5), y), "caption", p.muted, mono=text != "ŷ", anchor=anchor)
        key_x = sq.right + bar_side
        if with_key and key_x + key_w <= min(area.right, self.content.right - self.rect.x):
            self._sample_key(surf, key_x, sq.bottom, r, low, high)

    def _sample_key(self, surf: pygame.Surface, x: int, bottom: int, r: int, low: RGB, high: RGB) -> None:
        t, p = self.theme, self.theme.palette
        h = t.measure("Ag", "caption")[1]
        y = bottom - h // 2
        for text, fill in (("y = 0", False), ("y = 1", True)):
            c = (x + r, y)
            if fill:
                pygame.draw.circle(surf, high, c, r)
                pygame.draw.circle(surf, p.text, c, r, max(1, t.px(1)))
            else:
                pygame.draw.circle(surf, low, c, r, max(2, t.px(3)))
            blit_text(surf, t, text, (x + 2 * r + t.px(5), y), "caption", p.muted, anchor="midleft")
            y -= h + t.px(4)

    # -- loss slice ----------------------------------------------------------------------------
    def _draw_slice(self, surf: pygame.Surface, area: pygame.Rect, snap: Snapshot) -> None:
        t, p = self.theme, self.theme.palette
        sel, tr = snap.selection, snap.trace
        layers = tr.layers
        if sel is None or (sel.kind == "neuron" and sel.layer == 0):
            self.last_slice = None
            msg = "Select a connection to see its slice." if sel is None else \
                "Inputs have no bias: select a connection or a neuron."
            self._message(surf, area, [msg])
            return
        if sel.kind == "edge":  # a weight
            kind, layer, j, i = "w", sel.layer, sel.j, sel.i
            pname = f"w({neuron_name(layers, layer, i, tr.features)}→{neuron_name(layers, layer + 1, j)})"
            gname = "∂L/∂w"
        else:
            kind, layer, j, i = "b", sel.layer - 1, sel.j, 0
            pname = f"b({neuron_name(layers, sel.layer, j)})"
            gname = "∂L/∂b"
        row = sample_row(snap)
        data = im.slice_for(tr, kind, layer, j, i, row)
        self.last_slice = data
        if row is not None:
            x_row = tr.x[row]
            source = "sample (" + ", ".join(f"{v:g}" for v in x_row) + ")"
        else:
            source = "mean over the step" if tr.n_samples > 1 else "this step"
        h = t.measure("Ag", "caption")[1]
        losses = np.where(np.isfinite(data.losses), data.losses, np.nan)
        if not np.isfinite(losses).any():
            self._message(surf, area, ["The loss is not finite anywhere on this slice."])
            return
        lo_l, hi_l = float(np.nanmin(losses)), float(np.nanmax(losses))
        step = -tr.learning_rate * data.slope
        arrow = "→" if step > 0 else "←" if step < 0 else ""
        grad_text = f"{gname} = {fmt(data.slope, 3)}"
        step_text = f"step {'+' if step > 0 else ''}{fmt(step, 2)} {arrow}"
        # the header: as few lines as the card's width allows
        fits = lambda s, bold=False: t.measure(s, "caption", bold=bold)[0] <= area.w  # noqa: E731
        y = area.y
        head = blit_text(surf, t, pname, (area.x, y), "caption", p.select, bold=True)
        if head.w + t.px(8) + t.measure(grad_text, "caption", mono=True)[0] <= area.w:
            blit_text(surf, t, grad_text, (head.right + t.px(8), y), "caption", p.gradient, mono=True)
        else:
            y += h
            blit_text(surf, t, grad_text, (area.x, y), "caption", p.gradient, mono=True)
        y += h
        if fits(f"{source} · {step_text}"):
            blit_text(surf, t, f"{source} · {step_text}", (area.x, y), "caption", p.muted)
        else:
            blit_text(surf, t, source, (area.x, y), "caption", p.muted)
            y += h
            blit_text(surf, t, step_text, (area.x, y), "caption", p.muted)
        y += h
        y_step = max(hi_l - lo_l, 1e-12) / 10  # enough decimals to tell the two labels apart
        label_w = max(t.measure(ticks.format_value(v, y_step), "caption", mono=True)[0] for v in (lo_l, hi_l))
        plot = pygame.Rect(area.x + label_w + t.px(8), y + t.px(10), 0, 0)
        plot.w = area.right - plot.x - t.px(4)
        plot.h = area.bottom - h - t.px(6) - plot.y
        if plot.h < 20 or plot.w < 40:
            return
        lo, hi = lo_l, hi_l
        if not hi > lo:
            hi = lo + 1e-3
        pad = (hi - lo) * 0.08
        lo, hi = lo - pad, hi + pad
        x0, x1 = float(data.values[0]), float(data.values[-1])

        def px(v: float | np.ndarray, loss: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return (plot.x + (np.asarray(v) - x0) / (x1 - x0) * (plot.w - 1),
                    plot.bottom - 1 - (np.asarray(loss) - lo) / (hi - lo) * (plot.h - 1))

        pygame.draw.line(surf, p.muted, plot.bottomleft, plot.bottomright, 1)
        pygame.draw.line(surf, p.border, plot.topleft, plot.bottomleft, 1)
        for val in (lo + pad, hi - pad):
            ty = int(px(0.0, val)[1])
            blit_text(surf, t, ticks.format_value(val, y_step), (plot.x - t.px(6), ty), "caption", p.muted,
                      mono=True, anchor="midright")
        wx, wy = px(data.w, data.loss_at_w)
        pygame.draw.line(surf, mix(p.panel, p.select, 0.5), (int(wx), plot.y), (int(wx), plot.bottom), 1)
        w_text = _weight_text(data.w)
        w_rect = blit_text(surf, t, w_text, (int(wx), plot.bottom + t.px(3)), "caption",
                           p.select, mono=True, anchor="midtop")
        for val, anchor in ((x0, "topleft"), (x1, "topright")):  # the ends, where they do not crowd w
            text = _weight_text(val)
            if text == w_text:  # a runaway weight: the ends read as w does and would say nothing
                continue
            r = t.text(text, "caption", p.muted, mono=True).get_rect(**{anchor: (int(px(val, lo)[0]),
                                                                                 plot.bottom + t.px(3))})
            if not r.inflate(t.px(8), 0).colliderect(w_rect):
                blit_text(surf, t, text, r.topleft, "caption", p.muted, mono=True)
        xs, ys = px(data.values, losses)
        ok = np.isfinite(ys)
        surf.set_clip(plot)
        pts = np.column_stack([xs[ok], ys[ok]]).tolist()
        if len(pts) >= 2:
            pygame.draw.lines(surf, mix(p.panel, p.text, 0.75), False, pts, max(1, t.px(2)))
        # the tangent: slope exactly the trace's gradient, drawn over half the plot
        half = (x1 - x0) / 4
        tx = np.array([data.w - half, data.w + half])
        tx0, ty0 = px(tx, data.loss_at_w + data.slope * (tx - data.w))
        self._dashed(surf, (tx0[0], ty0[0]), (tx0[1], ty0[1]), p.gradient, max(2, t.px(3)))
        # the update: w − η·∂L/∂w, an arrow along the curve's x
        nx, ny = px(data.new_w, data.loss_at_new)
        self._arrow(surf, (float(wx), float(wy)), (float(nx), float(ny)), p.gradient)
        pygame.draw.circle(surf, p.select, (int(wx), int(wy)), t.px(5))
        pygame.draw.circle(surf, p.panel, (int(wx), int(wy)), t.px(5), max(1, t.px(1)))
        surf.set_clip(None)

    def _dashed(self, surf: pygame.Surface, a: tuple[float, float], b: tuple[float, float], colour: RGB,
                width: int) -> None:
        length = math.hypot(b[0] - a[0], b[1] - a[1])
        dash = self.theme.px(6)
        n = max(1, int(length // dash))
        for k in range(0, n, 2):
            s, e = k / n, min(1.0, (k + 1) / n)
            pygame.draw.line(surf, colour, (a[0] + (b[0] - a[0]) * s, a[1] + (b[1] - a[1]) * s),
                             (a[0] + (b[0] - a[0]) * e, a[1] + (b[1] - a[1]) * e), width)

    def _arrow(self, surf: pygame.Surface, a: tuple[float, float], b: tuple[float, float], colour: RGB) -> None:
        t = self.theme
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = math.hypot(dx, dy)
        if length < t.px(3):  # a tiny step: just a mark where it lands
            pygame.draw.circle(surf, colour, (round(b[0]), round(b[1])), t.px(3))
            return
        ux, uy = dx / length, dy / length
        head = min(t.px(8), length)
        base = (b[0] - ux * head, b[1] - uy * head)
        pygame.draw.line(surf, colour, a, base, max(2, t.px(2)))
        wing = head * 0.55
        pygame.draw.polygon(surf, colour, [b, (base[0] - uy * wing, base[1] + ux * wing),
                                           (base[0] + uy * wing, base[1] - ux * wing)])

    # -- gradients by layer --------------------------------------------------------------------
    def _draw_bars(self, surf: pygame.Surface, area: pygame.Rect, snap: Snapshot) -> None:
        t, p = self.theme, self.theme.palette
        tr = snap.trace
        per_edge = sum(g.size for g in tr.mean_grad_w) <= im.PER_CONNECTION_MAX
        if per_edge:  # a small net: one bar per connection, |mean ∂L/∂w| — the gradient applied
            mags, edges = im.connection_gradient_magnitudes(tr)
            labels = [connection_name(tr.layers, *e, tr.features) for e in edges]
            # names alternate between two rows at most: when even that is too narrow (big text, a
            # narrow card), one bar per layer says it with fewer names
            slot = (area.w - t.px(56)) / max(1, len(labels))
            per_edge = 2 * slot >= max(t.measure(lab, "caption")[0] for lab in labels) + t.px(8)
            title = "|mean ∂L/∂w| per weight · log"
        if not per_edge:
            mags = im.layer_gradient_magnitudes(tr)
            labels = [im.layer_label(tr.layers, l) for l in range(len(mags))]
            title = "mean |∂L/∂w| per sample, per layer · log"
        self.last_bars = mags
        h = t.measure("Ag", "caption")[1]
        # the title sheds words to fit a narrow card (large text): never cut
        for shorter in (title.replace(" per sample, per layer", " per layer"), title.replace(" per weight", ""),
                        "|∂L/∂w| · log"):
            if t.measure(title, "caption")[0] <= area.w:
                break
            title = shorter
        blit_text(surf, t, title, area.topleft, "caption", p.muted)
        positive = mags[mags > 0]
        lo_v = float(positive.min()) if positive.size else 1e-6
        hi_v = float(positive.max()) if positive.size else 1.0
        exps = ticks.decade_ticks(lo_v, hi_v)
        if len(exps) < 3:
            exps = list(range(exps[0] - (3 - len(exps)), exps[-1] + 1))
        label_w = max(t.measure(ticks.format_decade(e), "caption", mono=True)[0] for e in exps)
        plot = pygame.Rect(area.x + label_w + t.px(8), area.y + h + t.px(14), 0, 0)
        plot.w = area.right - plot.x
        values = [fmt(float(v), 2) if v > 0 else "0" for v in mags]
        show_values = plot.w / len(mags) >= max(t.measure(s, "caption", mono=True)[0] for s in values) + t.px(4)
        if show_values:  # the tallest bar's figure stands above the plot: room for it under the title
            plot.y += h
        plot.h = area.bottom - 2 * h - t.px(8) - plot.y
        if plot.h < 20:
            return
        e0, e1 = exps[0], exps[-1]

        def y_of(v: float) -> int:
            f = (math.log10(max(v, 10.0**e0)) - e0) / (e1 - e0)
            return round(plot.bottom - f * plot.h)

        step = max(1, math.ceil(len(exps) * (h + t.px(4)) / plot.h))
        for e in exps[::step]:
            y = y_of(10.0**e)
            pygame.draw.line(surf, mix(p.panel, p.border, 0.8), (plot.x, y), (plot.right, y), 1)
            blit_text(surf, t, ticks.format_decade(e), (plot.x - t.px(6), y), "caption", p.muted, mono=True,
                      anchor="midright")
        n = len(mags)
        slot = plot.w / n
        bar_w = max(4, min(t.px(40), round(slot * 0.55)))
        small_labels = slot < max(t.measure(lab, "caption")[0] for lab in labels) + t.px(6)
        # narrow slots: the names alternate between two rows; values show only where they fit
        stagger = slot < max(t.measure(lab if per_edge else lab.replace("→", ""), "caption")[0]
                             for lab in labels) + t.px(6)
        for l, v in enumerate(mags):
            cx = round(plot.x + slot * (l + 0.5))
            y = y_of(v) if v > 0 else plot.bottom
            bar = pygame.Rect(cx - bar_w // 2, y, bar_w, plot.bottom - y)
            pygame.draw.rect(surf, p.gradient, bar, border_top_left_radius=t.px(3), border_top_right_radius=t.px(3))
            if show_values:
                blit_text(surf, t, values[l], (cx, y - t.px(2)), "caption", p.text, mono=True, anchor="midbottom")
            label = labels[l]
            if small_labels and not per_edge:
                label = label.replace("→", "")
            drop = h if stagger and l % 2 else 0
            # a name never runs past the card's edge nor under the axis labels
            half = t.measure(label, "caption")[0] // 2
            lx = min(max(cx, plot.x + half), area.right - half)
            blit_text(surf, t, label, (lx, plot.bottom + t.px(4) + drop), "caption", p.muted, anchor="midtop")
        pygame.draw.line(surf, p.muted, plot.bottomleft, plot.bottomright, 1)
