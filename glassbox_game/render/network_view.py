"""The network card: the glass box itself — neurons, weighted edges, packets, locks and selection.

Drawn in three layers so a frame stays cheap:

1. a *static* surface (card, title, legend, column headers, training-data table, hints), rebuilt
   when the layout, the setup or the displayed sample changes;
2. a *base* surface = static + edges, weight labels, neurons, biases, locks and annotations,
   rebuilt when the displayed numbers change (at most four times a second while training fast,
   every frame only while an update eases widths at slow speed);
3. per frame: the base is blitted, then packets (one ``fblits``) and the hover tooltip.

Clicks and hovers become :mod:`glassbox_game.sim.commands`; ``targets()`` names every clickable
thing for scripts: ``edge:x1->h1``, ``neuron:h2``, ``sample:2``, ``sample:batch``, the architecture
editor's ``arch:add-layer``, ``arch:remove-layer``, ``arch:add-neuron:1``, ``arch:remove-neuron:1``
(hidden layer 1) and the heat-map toggle ``network:heatmaps`` (neuron and
edge keys are those of :mod:`glassbox_game.engine.names`: x1, h1, y; ``h1_2`` = layer 1 neuron 2
in deeper nets).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pygame

from glassbox_game.engine import names
from glassbox_game.engine.activations import get_activation
from glassbox_game.engine.network import MAX_LAYERS, MAX_NEURONS
from glassbox_game.kit import mathtext as mt
from glassbox_game.kit import text_log
from glassbox_game.kit.component import Component, ViewContext, draw_card, draw_toggle, toggle_box, toggle_size
from glassbox_game.kit.icons import draw_lock
from glassbox_game.kit.memo import Memo
from glassbox_game.kit.palette import RGB, contrast, mix
from glassbox_game.numfmt import compact, fmt
from glassbox_game.render import insight_math as im
from glassbox_game.render.network_layout import (
    W_FULL,
    NetworkGeometry,
    clear_point,
    column_title,
    compute_geometry,
    dash_segments,
    edge_style,
    edge_width,
    place_labels,
)
from glassbox_game.render.packets_draw import PacketPainter, draw_direction_marks
from glassbox_game.sim import commands as c
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.snapshot import Snapshot

Point = tuple[float, float]
CLICK_HINT = "Click any connection to see its chain rule."
SELECTED_HINT = "Tab / Shift+Tab moves the selection · click empty space to clear it."
HEAT_LABEL = "heat maps"
FLASH_MIN_GAP = 1.0 / 3.0  # never more than three flashes a second
ALL_LABELS_MAX_EDGES = 9  # bigger nets label only the selected / hovered edge


def _num(v: float) -> str:
    """Short input/target values for the table and title: 1, 0, 0.5, −1."""
    return f"{v:g}".replace("-", "−")


def weight_text(w: float, digits: int = 2) -> str:
    if not math.isfinite(w):
        return fmt(w)
    if abs(w) >= 1e4:  # a pill or a neuron has room for a few characters: 9.6e5, never −961529
        return compact(w)
    if abs(w) >= 100:
        digits = 0
    elif abs(w) >= 10:
        digits = min(digits, 1)
    if w != 0 and abs(w) < 0.5 * 10.0 ** -digits:
        return fmt(w, 2)  # never "−0.00": a tiny weight shows as 3.1e−3
    return f"{w:.{digits}f}".replace("-", "−")


@dataclass(frozen=True, kw_only=True)
class Shown:
    """The numbers the base layer shows (also its cache key, via ``key``)."""

    row: int | None  # trace row of the displayed sample; None = batch view
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    acts: tuple[np.ndarray, ...]  # displayed a per layer
    reached: int  # layers lit so far in the forward phase (all when not animating it)
    flash: float  # 0 … 1 brightness of the update flash
    key: tuple


class NetworkView(Component):
    """The network card (see the module docstring). ``drawn_locks`` lists the (layer, j) of every
    locked neuron the last draw put a lock on; ``drawn_packets`` how many packets it drew."""

    name = "network"

    def __init__(self, editable: bool = False) -> None:
        super().__init__()
        #: the architecture editor (+ / − for hidden layers and their neurons): the sandbox, and a
        #: level that lets the player change the layers
        self.editable = editable
        #: heat maps of what each neuron computes: None follows the data (on for generated data)
        self.heat_choice: bool | None = None
        self.notices: list[str] = []
        self.editor_rects: dict[str, pygame.Rect] = {}  # local coordinates
        self._heat_toggle = pygame.Rect(0, 0, 0, 0)  # local; empty when not shown
        self._heat_discs: tuple[tuple, dict[tuple[int, int], pygame.Surface]] | None = None
        self._heat_big: tuple[tuple, pygame.Surface] | None = None
        self.drawn_heat: tuple | None = None  # the NeuronPlanes key the last base drew (tests)
        self.drawn_big_heat: tuple[int, int] | None = None  # the neuron the hover card showed large
        self._bottom_free = 0
        self.drawn_locks: list[tuple[int, int]] = []
        self.drawn_packets = 0
        self._layout_key: tuple | None = None
        self.geom: NetworkGeometry | None = None
        self._static: Memo[pygame.Surface] = Memo()  # card, legend, headers, table: per layout and sample
        self.hint = ""  # the line at the bottom left (changes once something is selected)
        self._base: Memo[pygame.Surface] = Memo()  # the static layer plus edges, neurons, labels: per Shown.key
        self._base_step: tuple | None = None
        self._painter: Memo[PacketPainter] = Memo()  # packet sprites: per palette and scale
        self._labels: dict[tuple[int, int, int], Point] = {}
        self._pills: list[pygame.Rect] = []  # weight labels drawn into the base
        #: every label plate on the graph (pills, the lines under the neurons) as drawn into the base,
        #: blitted again over the packets so a passing stream never hides a number
        self._front: list[tuple[pygame.Surface, tuple[int, int]]] = []
        self.pill_texts: dict[tuple[int, int, int], str] = {}  # (layer, j, i) → the weight label drawn
        self._value_style: str | None = "a="
        self._edges: list[tuple[int, int, int]] = []
        self._segments: list[tuple[Point, Point]] = []
        self._locks: tuple[tuple[bool, ...], ...] = ()
        self._w_prefix = "w = "
        self._rows: list[tuple[int | None, pygame.Rect]] = []
        self._table = pygame.Rect(0, 0, 0, 0)
        self._graph = pygame.Rect(0, 0, 0, 0)
        self._header_h = 0  # the column headers' row (or the halt banner's) above the graph
        #: the last hover card (screen coordinates) and what it had to leave in view
        self.hover_card: pygame.Rect | None = None
        self.hover_keep: list[pygame.Rect] = []
        self._bottom_y = 0
        self._legend_rows = 1
        self._targets: dict[str, pygame.Rect] = {}
        self._mouse: tuple[int, int] | None = None  # local coordinates
        self._hover: Selection | None = None
        self._flash_step = -1
        self._flash_ok = False
        self._last_flash = -1e9
        self._dataset: tuple[np.ndarray, np.ndarray] | None = None
        self._drawn: Shown | None = None

    # -- what the last draw showed (read-only, for tests and tools) ------------------------------
    @property
    def shown(self) -> Shown | None:
        """The numbers the last draw showed (weights eased mid-update, the displayed row's a)."""
        return self._drawn

    @property
    def weight_label_boxes(self) -> tuple[pygame.Rect, ...]:
        """Where the last draw put its weight labels (card coordinates)."""
        return tuple(r.copy() for r in self._pills)

    @property
    def label_plates(self) -> tuple[tuple[pygame.Rect, pygame.mask.Mask], ...]:
        """Every label plate the last base drew on the graph (pills, the lines under the neurons): its box
        in card coordinates and the pixels it covers (a pill's round ends leave its corners to the edge).
        The packets pass under these."""
        return tuple((pygame.Rect(pos, plate.get_size()), pygame.mask.from_surface(plate)) for plate, pos in self._front)

    def tooltip(self, snap: Snapshot, target: Selection) -> tuple[str, list[str]]:
        """The tooltip's title and lines for hovering ``target``, over the numbers the last draw showed."""
        assert self._drawn is not None, "draw first"
        return self._tooltip_lines(snap, self._drawn, target)

    # -- layout --------------------------------------------------------------------------------
    def layout(self, rect: pygame.Rect, ctx: ViewContext) -> None:
        super().layout(rect, ctx)
        self._layout_key = None

    def _ensure_layout(self, snap: Snapshot) -> None:
        th = self.theme
        key = (self.rect.size, id(th), th.scale, th.text_scale, th.palette.name, snap.setup_version,
               snap.setup.layers, self.editable, snap.halt_message)
        if key == self._layout_key:
            return
        self._layout_key = key
        self._static.clear()
        self._base.clear()
        ds = snap.setup.dataset()
        self._dataset = (ds.x, ds.y)
        layers = snap.setup.layers
        inner = draw_card(pygame.Surface((1, 1)), pygame.Rect((0, 0), self.rect.size), th, "Network")
        # the legend sits on the title row when it fits beside the subtitle, else on its own row
        longest = max(("showing sample (" + ", ".join(_num(v) for v in row) + ")" for row in ds.x.tolist()),
                      key=lambda t: th.measure(t, "caption")[0])
        title_w = th.measure("NETWORK", "caption", bold=True)[0] + th.px(12) + \
            th.measure(self._subtitle(snap, longest), "caption")[0]
        self._legend_rows = 1 if title_w + self._legend_width() + th.px(24) <= inner.w else 2
        # no room beside the title: sandbox gives the legend its own row, lecture the free bottom row
        top = inner.y + (th.text_px("caption") + th.px(12) if self._legend_rows == 2 and not th.lecture else 0)
        line = th.text_px("caption") + th.px(8)
        self._btn = max(24, th.px(28), th.text_px("caption") + th.px(8))  # an editor button's side
        editor = self.editable and not th.lecture
        if not th.lecture and (editor or self._plane_inputs(snap)):  # the bottom row holds buttons
            line = max(line, max(self._btn, toggle_box(th)) + th.px(4))
        self._bottom_y = inner.bottom - line  # hint and width scale (sandbox), lock caption
        body = pygame.Rect(inner.x, top, inner.w, self._bottom_y - th.px(8) - top)
        # training-data table on the left, if it leaves the graph most of the card
        table_w = self._table_width(layers)
        if table_w <= 0.3 * body.w and not th.lecture:  # lecture: the network alone, large
            self._table = pygame.Rect(body.x, body.y, table_w, body.h)
            gx = body.x + table_w + th.px(40)
        else:
            self._table = pygame.Rect(body.x, body.y, 0, 0)
            gx = body.x + th.px(8)
        header_h = th.text_px("caption") + th.px(20)
        if editor and len(layers) > 2:  # a row of − n + under the hidden columns' titles
            header_h += self._btn + th.px(10)
        if snap.halt_message:  # a halt banner takes the header row, and as many rows as it wraps to
            header_h = max(header_h, self._halt_box(snap.halt_message)[0].h + th.px(8))
        below = th.text_px("caption") + th.px(10)  # the bottom neurons' bias line
        # the output's "a − y = …" line is centred under it: keep it inside the card
        right_pad = max(th.px(16), th.measure("a − y = −0.000", "caption", mono=True)[0] // 2 - th.px(30))
        self._header_h = header_h
        graph = pygame.Rect(gx, body.y + header_h, body.right - gx - right_pad,
                            body.h - header_h - below)
        self._graph = graph
        # a neuron must hold its name and "a=0.00"; big nets shrink it and show the name only
        value_w = th.measure("a=−0.00", "caption", mono=True)[0]
        r_text = max(value_w / 2 + th.px(7), (th.text_px("name") + th.text_px("caption")) / 2 + th.px(6))
        self.geom = compute_geometry((graph.x, graph.y, graph.w, graph.h), layers, th.scale,
                                     max_radius=max(th.px(38), r_text))
        # inside a neuron: "a=0.73" if it fits, else just "0.73", else only the name
        r = self.geom.radius
        self._edges = [self.geom.edge_of(k) for k in range(self.geom.n_edges)]
        self._segments = [((float(x0), float(y0)), (float(x1), float(y1))) for x0, y0, x1, y1 in
                          zip(self.geom.x0, self.geom.y0, self.geom.x1, self.geom.y1, strict=True)]
        self._value_style = "a=" if r >= r_text - 0.5 else \
            "" if r >= th.measure("−0.00", "caption", mono=True)[0] / 2 + th.px(4) and \
            r >= (th.text_px("name") + th.text_px("caption")) / 2 + th.px(2) else None
        self._name_role = "name"
        if self._value_style is None and r >= th.measure("−0.00", "caption", mono=True)[0] / 2 + th.px(2) \
                and r >= th.text_px("caption") + th.px(1):
            # small circles (a projector at 720p): the name in caption size keeps the value in view
            self._value_style, self._name_role = "", "caption"
        # names in neighbouring circles must not touch (16 neurons a column at large text): else the
        # circles go unnamed and the hover card names them
        pitches = [col[1][1] - col[0][1] for col in self.geom.centres if len(col) > 1]
        name_h = th.fonts.font(th.text_px(self._name_role if self._value_style is not None else "caption")
                               ).get_height()
        self._names_fit = not pitches or min(pitches) >= name_h * 0.8 + th.px(2)
        self._place_labels(layers)
        self._rows = self._table_rows(layers)
        self._place_bottom(snap, editor)
        self._place_editor(layers, editor)
        self._targets = self._make_targets(layers)

    def _subtitle(self, snap: Snapshot, row_text: str | None) -> str:
        s = snap.setup
        act = s.hidden_activation if s.hidden_activation == s.output_activation or len(s.layers) == 2 \
            else f"{s.hidden_activation} → {s.output_activation}"
        shape = " – ".join(str(n) for n in s.layers)
        return f"{shape}  ·  {act}" + (f"  ·  {row_text}" if row_text else "")

    def _fitting_subtitle(self, snap: Snapshot, row_text: str | None) -> str | None:
        """The subtitle, losing its least important parts (the sample, then the activations) to fit."""
        th = self.theme
        pad = th.px(28) if th.lecture else th.px(24)
        room = self.rect.w - 2 * pad - th.measure("NETWORK", "caption", bold=True)[0] - th.px(12)
        shape = " – ".join(str(n) for n in snap.setup.layers)
        for text in (self._subtitle(snap, row_text), self._subtitle(snap, None), shape):
            if th.measure(text, "caption")[0] <= room:
                return text
        return None

    def _legend_items(self) -> tuple[str, ...]:
        items: tuple[str, ...] = ("gradient", "w < 0", "w > 0") if self.theme.lecture else \
            ("thickness ∝ |w|", "gradient", "w < 0", "w > 0")
        th = self.theme
        room = self.rect.w - 2 * (th.px(28) if th.lecture else th.px(24))
        while len(items) > 1 and self._items_width(items) > room:
            items = items[1:]  # the least needed first: thickness (the |w| scale shows it), then gradient
        return items

    def _items_width(self, items: tuple[str, ...]) -> int:
        th = self.theme
        return sum(th.measure(t, "caption")[0] + th.px(36) for t in items) + th.px(16) * (len(items) - 1)

    def _legend_width(self) -> int:
        return self._items_width(self._legend_items())

    def _table_width(self, layers: tuple[int, ...]) -> int:
        th = self.theme
        assert self._dataset is not None
        cells = [*self._dataset[0].ravel().tolist(), *self._dataset[1].ravel().tolist()]
        cell = max([th.measure(_num(v), "caption", mono=True)[0] for v in cells] +
                   [th.measure("x₁", "caption")[0]]) + th.px(14)
        n_cols = layers[0] + layers[-1] + 1  # + the row number (rows are numbered from 1 on screen)
        cols_w = n_cols * cell + th.measure("→", "caption")[0] + th.px(14) + th.px(16)
        return max(cols_w, th.measure("TRAINING DATA", "caption", bold=True)[0] + th.px(4),
                   th.measure("▸ displayed sample", "caption")[0] + th.px(8))

    def _table_rows(self, layers: tuple[int, ...]) -> list[tuple[int | None, pygame.Rect]]:
        if not self._table.w:
            return []
        th = self.theme
        assert self._dataset is not None
        n = self._dataset[0].shape[0]
        pitch = th.text_px("caption") + th.px(14)
        head = th.text_px("caption") + th.px(16) + pitch  # title + column header
        avail = self._table.h - head - pitch * 2
        shown = max(1, min(n, avail // pitch))
        more = shown < n  # a "+k more rows" line under the hint needs its own row
        if more:
            shown = max(1, min(n, (avail - pitch) // pitch))
        total = head + pitch * (shown + 1) + th.px(8) + pitch * (2 if more else 1)
        y = self._table.y + max(0, (self._table.h - total) // 2) + head
        rows: list[tuple[int | None, pygame.Rect]] = []
        for r in range(shown):
            rows.append((r, pygame.Rect(self._table.x, y + r * pitch, self._table.w, pitch)))
        rows.append((None, pygame.Rect(self._table.x, y + shown * pitch + th.px(8), self._table.w, pitch)))
        return rows

    def _place_labels(self, layers: tuple[int, ...]) -> None:
        geom = self.geom
        assert geom is not None
        th = self.theme
        # big type (lecture, or a large text setting) keeps the bare number: the pill is on the edge
        self._w_prefix = "" if th.lecture or th.text_scale > 1.25 else "w = "
        w, h = th.measure(self._w_prefix + "−00.00", "caption", mono=True)
        size = (w + th.px(14), h + th.px(6))
        keys = [geom.edge_of(k) for k in range(geom.n_edges)]
        if len(keys) <= ALL_LABELS_MAX_EDGES:
            # crossing edges (source row ≠ target row) go last: they yield the middle to straight ones
            keys.sort(key=lambda e: (e[1] != e[2], e))
            # the lines under each neuron (bias; target and error under the output) are kept clear too
            line_h = self._line_h()
            avoid: list[tuple[float, float, float, float]] = []
            for layer, col in enumerate(geom.centres):
                if layer == 0:
                    continue
                n_lines = 3 if layer == len(geom.centres) - 1 else 1
                bw = th.measure("target y = 0.00" if n_lines > 1 else "b = −0.00", "caption", mono=True)[0] \
                    + th.px(8)
                for cx, cy in col:
                    top = cy + geom.radius + th.px(4)
                    avoid.append((cx - bw / 2, top, bw, n_lines * line_h + th.px(4)))
            self._labels = place_labels(geom, dict.fromkeys(keys, size), avoid)
        else:
            self._labels = {}
        self._taken: list[pygame.Rect] = []
        self._scale_left = self.rect.w
        self._pill_boxes = [pygame.Rect(0, 0, *size).move(round(cx - size[0] / 2), round(cy - size[1] / 2))
                            for cx, cy in self._labels.values()]

    def _make_targets(self, layers: tuple[int, ...]) -> dict[str, pygame.Rect]:
        geom = self.geom
        assert geom is not None
        out: dict[str, pygame.Rect] = {}
        ox, oy = self.rect.topleft
        r = round(geom.radius)
        for layer, col in enumerate(geom.centres):
            for j, (cx, cy) in enumerate(col):
                out[f"neuron:{names.neuron_key(layers, layer, j)}"] = pygame.Rect(
                    round(cx) - r + ox, round(cy) - r + oy, 2 * r, 2 * r)
        s = self.theme.px(10)
        for k in range(geom.n_edges):
            l, j, i = geom.edge_of(k)
            px, py = clear_point(geom, l, j, i)
            out[f"edge:{names.connection_key(layers, l, j, i)}"] = pygame.Rect(
                round(px) - s // 2 + ox, round(py) - s // 2 + oy, s, s)
        for idx, rect in self._rows:
            out[f"sample:{'batch' if idx is None else idx}"] = rect.move(ox, oy)
        for name, rect in self.editor_rects.items():
            out[f"arch:{name}"] = rect.move(ox, oy)
        if self._heat_toggle.w:
            out["network:heatmaps"] = self._heat_toggle.move(ox, oy)
        return out

    def targets(self) -> dict[str, pygame.Rect]:
        return dict(self._targets)

    @property
    def pill_rects(self) -> list[pygame.Rect]:
        """The weight labels the last draw put on the edges, on screen."""
        return [r.move(self.rect.topleft) for r in self._pills]

    # -- the architecture editor and the heat-map toggle ----------------------------------------
    @staticmethod
    def _plane_inputs(snap: Snapshot) -> bool:
        """The inputs are a 2-D plane (x₁, x₂, or features of them): heat maps can be drawn."""
        return snap.setup.layers[0] == 2 or snap.setup.features is not None

    def heat_on(self, snap: Snapshot) -> bool:
        """Are the neurons' heat maps shown? The toggle's choice, else on for generated data."""
        if not self._plane_inputs(snap):
            return False
        return self.heat_choice if self.heat_choice is not None else snap.setup.generator is not None

    def _scale_width(self) -> int:
        """How wide the |w| scale at the bottom right is (as _draw_bottom draws it)."""
        th = self.theme
        w = th.measure("|w|:", "caption")[0]
        for v in (W_FULL, 2.0, 0.5):
            w += th.measure(f"{_num(v)}{'+' if v == W_FULL else ''}", "caption", mono=True)[0] + th.px(6 + 28 + 14)
        return w

    def _place_bottom(self, snap: Snapshot, editor: bool) -> None:
        """The bottom row's left end: the heat-map toggle, then hidden layers − n + (editor); the words
        shorten (large text, a narrow card) before anything runs into the |w| scale."""
        th = self.theme
        self.editor_rects = {}
        self._heat_toggle = pygame.Rect(0, 0, 0, 0)
        left = self._table.x if self._table.w else self._graph.x
        self._bottom_free = left
        if th.lecture:
            return
        cy = self._bottom_y + th.text_px("caption") // 2
        room = self._graph.right + th.px(16) - self._scale_width() - th.px(16) - left
        b = self._btn
        count_w = th.measure("8", "caption", mono=True)[0] + th.px(12)
        plane = self._plane_inputs(snap)
        self.heat_label, self.layers_label = HEAT_LABEL, "hidden layers"
        for heat_label, layers_label in ((HEAT_LABEL, "hidden layers"), (HEAT_LABEL, "layers"), ("heat", "layers"),
                                         ("heat", "")):
            width = (toggle_size(th, heat_label)[0] + th.px(24) if plane else 0) + \
                ((th.measure(layers_label, "caption")[0] + th.px(10) if layers_label else 0) + 2 * b + count_w
                 if editor else 0)
            self.heat_label, self.layers_label = heat_label, layers_label
            if width <= room:
                break
        x = left
        if plane:
            w, h = toggle_size(th, self.heat_label)
            self._heat_toggle = pygame.Rect(x, cy - h // 2, w, h)
            x = self._heat_toggle.right + th.px(24)
        if editor:
            self._layers_label = (x, cy)
            if self.layers_label:
                x += th.measure(self.layers_label, "caption")[0] + th.px(10)
            self.editor_rects["remove-layer"] = pygame.Rect(x, cy - b // 2, b, b)
            x += b + count_w
            self.editor_rects["add-layer"] = pygame.Rect(x, cy - b // 2, b, b)
            x += b + th.px(24)
        self._bottom_free = x

    def _place_editor(self, layers: tuple[int, ...], editor: bool) -> None:
        """− n + centred under each hidden column's title, just above its top neuron."""
        geom = self.geom
        assert geom is not None
        if not editor or len(layers) <= 2:
            return
        th = self.theme
        b = self._btn
        top = min(cy for col in geom.centres for _, cy in col) - geom.radius
        y = round(top - th.px(10) - b)
        count_w = th.measure("16", "caption", mono=True)[0] + th.px(10)
        for layer in range(1, len(layers) - 1):
            x = round(geom.centres[layer][0][0])
            half = b + count_w // 2
            self.editor_rects[f"remove-neuron:{layer}"] = pygame.Rect(x - half, y, b, b)
            self.editor_rects[f"add-neuron:{layer}"] = pygame.Rect(x + half - b, y, b, b)
        self._editor_y = y

    def _edit(self, name: str, layers: tuple[int, ...]) -> list[c.Command]:
        """The layers an editor button asks for, as the Layers drop-down sends them (or a notice)."""
        hidden = list(layers[1:-1])
        if name == "add-layer":
            if len(layers) >= MAX_LAYERS:
                self.notices.append(f"At most {MAX_LAYERS} layers (inputs and output included): "
                                    "the network is unchanged.")
                return []
            hidden.append(hidden[-1] if hidden else 2)
        elif name == "remove-layer":
            if not hidden:
                self.notices.append("No hidden layer left to remove: inputs connect straight to the output.")
                return []
            hidden.pop()
        else:
            verb, layer_text = name.split(":")
            k = int(layer_text) - 1
            if verb == "add-neuron":
                if hidden[k] >= MAX_NEURONS:
                    self.notices.append(f"A layer holds at most {MAX_NEURONS} neurons: the network is unchanged.")
                    return []
                hidden[k] += 1
            else:
                if hidden[k] <= 1:
                    self.notices.append("A hidden layer needs at least one neuron (− layer removes it).")
                    return []
                hidden[k] -= 1
        sizes = (layers[0], *hidden, layers[-1])
        return [c.ChangeSetup((("layers", sizes), ("weights", None), ("biases", None)))]

    # -- what is shown -------------------------------------------------------------------------
    def _row(self, snap: Snapshot) -> int | None:
        tr = snap.trace
        if snap.sample is None:
            return None
        if snap.sample in tr.sample_indices:
            return tr.sample_indices.index(snap.sample)
        return 0

    def _shown(self, snap: Snapshot) -> Shown:
        tr = snap.trace
        row = self._row(snap)
        if snap.applied and snap.phase == "update" and snap.playing and not self.theme.reduced_motion:
            p = snap.phase_progress
            e = p * p * (3 - 2 * p)
            weights = tuple(a + (b - a) * e for a, b in zip(tr.weights, tr.weights_after, strict=True))
            biases = tuple(a + (b - a) * e for a, b in zip(tr.biases, tr.biases_after, strict=True))
        elif snap.applied:
            weights, biases = tr.weights_after, tr.biases_after
        else:
            weights, biases = tr.weights, tr.biases
        acts = tuple(a[row] if row is not None else a.mean(axis=0) for a in tr.a)
        n = len(tr.layers)
        reached = n
        if snap.animated and snap.phase == "forward" and (snap.playing or snap.phase_progress > 0):
            reached = 1 + int(snap.phase_progress * (n - 1))
        flash = self._flash_level(snap)
        self._locks = self._locked(snap)
        key = (snap.step_id, row, tuple(w.tobytes() for w in weights), tuple(b.tobytes() for b in biases),
               reached, round(flash, 2), snap.selection, self._hover_target(snap), self._locks,
               snap.lock_threshold, snap.halt_message, snap.sample,
               (self.ctx.asked, self.ctx.quiz) if self.ctx is not None else None, self.heat_on(snap))
        return Shown(row=row, weights=weights, biases=biases, acts=acts, reached=reached, flash=flash, key=key)

    def _flash_level(self, snap: Snapshot) -> float:
        if not (snap.applied and snap.phase == "update" and snap.playing) or self.theme.reduced_motion:
            return 0.0
        if snap.trace.step != self._flash_step:
            self._flash_step = snap.trace.step
            self._flash_ok = snap.time - self._last_flash >= FLASH_MIN_GAP
            if self._flash_ok:
                self._last_flash = snap.time
        return math.sin(math.pi * snap.phase_progress) if self._flash_ok else 0.0

    def _hover_target(self, snap: Snapshot) -> Selection | None:
        return self._hover if self._mouse is not None else snap.hover

    # -- events --------------------------------------------------------------------------------
    def _hit(self, local: tuple[int, int], snap: Snapshot) -> tuple[str, object] | None:
        """What is under a local point: ("sample", idx) / ("neuron", Selection) / ("edge", Selection)."""
        for idx, rect in self._rows:
            if rect.collidepoint(local):
                return "sample", idx
        geom = self.geom
        assert geom is not None
        n = geom.neuron_at(local)
        if n is not None:
            return "neuron", Selection.neuron(*n)
        widths = np.array([edge_width(float(snap.trace.weights[l][j][i]), geom.unit, geom.max_width)
                           for l, j, i in self._edges])
        e = geom.edge_at(local, widths)
        if e is not None:
            return "edge", Selection.edge(*e)
        return None

    def handle_event(self, event: pygame.event.Event, snap: Snapshot) -> list[c.Command]:
        if self.ctx is None:
            return []
        self._ensure_layout(snap)
        if event.type == pygame.MOUSEMOTION:
            inside = self.rect.collidepoint(event.pos)
            self._mouse = (event.pos[0] - self.rect.x, event.pos[1] - self.rect.y) if inside else None
            hit = self._hit(self._mouse, snap) if self._mouse is not None else None
            target = hit[1] if hit is not None and hit[0] != "sample" else None
            assert target is None or isinstance(target, Selection)
            if target != self._hover:
                self._hover = target
                return [c.Hover(target)]
            return []
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            local = (event.pos[0] - self.rect.x, event.pos[1] - self.rect.y)
            if self._heat_toggle.collidepoint(local):
                self.heat_choice = not self.heat_on(snap)
                self._static.clear()
                self._base.clear()
                return []
            for name, r in self.editor_rects.items():
                if r.collidepoint(local) and not (name.startswith(("add-n", "remove-n")) and snap.halt_message):
                    return self._edit(name, snap.setup.layers)
            hit = self._hit(local, snap)
            if hit is None:
                return [c.Select(None)]
            kind, what = hit
            if kind == "sample":
                assert what is None or isinstance(what, int)
                return [c.SetSample(what)]
            assert isinstance(what, Selection)
            if kind == "neuron" and what.layer == 0:
                return []  # inputs have no bias to explain
            return [c.Select(what)]
        return []

    # -- drawing -------------------------------------------------------------------------------
    def refresh(self, snap: Snapshot) -> None:
        if self.ctx is not None:
            self._ensure_layout(snap)

    def draw(self, surface: pygame.Surface, snap: Snapshot) -> None:
        if self.ctx is None or self.rect.w < 10 or self.rect.h < 10:
            return
        self._ensure_layout(snap)
        assert self.geom is not None
        th = self.theme
        shown = self._drawn = self._shown(snap)
        base = self._base.get(shown.key, lambda: self._build_base(snap, shown))
        self.drawn_step = self._base_step
        view = surface.subsurface(self.rect)
        view.blit(base, (0, 0))
        packets = snap.packets
        if th.reduced_motion:
            self.drawn_packets = 0
            marks = draw_direction_marks(view, self.geom, packets, th.palette.forward, th.palette.gradient)
        else:
            marks = self.drawn_packets = self._packet_painter().draw(view, self.geom, packets)
        if marks:  # packets pass under the labels: every number on the graph stays legible
            view.fblits(self._front)
        self._draw_tooltip(view, snap, shown)

    def _packet_painter(self) -> PacketPainter:
        th = self.theme
        key = (th.palette.forward, th.palette.gradient, th.scale, th.palette.dark)
        return self._painter.get(key, lambda: PacketPainter(*key))

    # static layer ------------------------------------------------------------------------------
    def _static_layer(self, snap: Snapshot, row: int | None) -> pygame.Surface:
        key = (self._layout_key, snap.sample, row, snap.selection is not None, snap.halt_message is not None,
               self.heat_on(snap))
        return self._static.get(key, lambda: self._build_static(snap))

    def _build_static(self, snap: Snapshot) -> pygame.Surface:
        th = self.theme
        p = th.palette
        surf = text_log.canvas(self.rect.size)
        surf.fill(p.bg)
        ds = self._dataset
        assert ds is not None and self.geom is not None
        if snap.sample is None:
            row_text = "batch view"
        else:
            idx = min(snap.sample, ds[0].shape[0] - 1)
            row_text = "showing sample (" + ", ".join(_num(v) for v in ds[0][idx]) + ")"
        draw_card(surf, pygame.Rect((0, 0), self.rect.size), th, "Network", self._fitting_subtitle(snap, row_text))
        self._draw_legend(surf)
        layers = snap.setup.layers
        top = min(cy for col in self.geom.centres for _, cy in col) - self.geom.radius
        head_y = max(self._graph.y - th.text_px("caption") - th.px(20),
                     round(top - th.text_px("caption") - th.px(28)))
        if any(k.startswith("add-neuron") for k in self.editor_rects):  # the titles sit above the − n + row
            head_y = self._editor_y - th.px(8) - th.measure("Ag", "caption", bold=True)[1]
        xs = [round(col[0][0]) for col in self.geom.centres]
        for layer, x in enumerate(xs if snap.halt_message is None else []):  # a halt banner takes the row
            # Room for this header: up to halfway to each neighbouring column (the card edge for
            # the outer ones), less a gap.
            # The outer columns may lean inward, towards the card's edge.
            left = (x - xs[layer - 1]) / 2 if layer else x - th.px(24)
            right = (xs[layer + 1] - x) / 2 if layer + 1 < len(xs) else self.rect.w - x - th.px(24)
            outer = layer == 0 or layer + 1 == len(xs)
            room = (left + right if outer and len(xs) > 1 else 2 * min(left, right)) - th.px(12)
            t = self._column_header(column_title(layers, layer), room)
            r = t.get_rect(midbottom=(x, head_y + th.measure("Ag", "caption", bold=True)[1]))
            if outer:
                r.clamp_ip(pygame.Rect(th.px(24), 0, self.rect.w - 2 * th.px(24), self.rect.h))
            surf.blit(t, r)
        self._draw_table(surf, snap)
        if snap.halt_message is None:  # the halt banner takes the row (the Layers drop-down still works)
            self._draw_editor_row(surf, layers)
        self._draw_bottom(surf, snap, snap.selection is not None)
        return surf

    def _column_header(self, title: str, room: float) -> pygame.Surface:
        """A column's title in words: smaller type, then two lines, before an abbreviation."""
        th = self.theme
        colour = th.palette.muted
        full = th.text_px("caption")
        for size in (full, round(full * 0.85), round(full * 0.72)):
            if th.fonts.size(title, size, True, False)[0] <= room:
                return th.fonts.render(title, size, colour, True, False)
        if " " in title:  # "HIDDEN 1" → "HIDDEN" over "1"
            lines = title.split(" ", 1)
            size = round(full * 0.85)
            if max(th.fonts.size(ln, size, True, False)[0] for ln in lines) <= room:
                imgs = [th.fonts.render(ln, size, colour, True, False) for ln in lines]
                out = text_log.canvas((max(i.get_width() for i in imgs), sum(i.get_height() for i in imgs)),
                                      pygame.SRCALPHA)
                out.blit(imgs[0], imgs[0].get_rect(midtop=(out.get_width() // 2, 0)))
                out.blit(imgs[1], imgs[1].get_rect(midtop=(out.get_width() // 2, imgs[0].get_height())))
                return out
        short = {"INPUT": "IN", "OUTPUT": "OUT"}.get(title, title.replace("HIDDEN", "H").replace(" ", ""))
        return th.fonts.render(short, round(full * 0.85), colour, True, False)

    def _draw_legend(self, surf: pygame.Surface) -> None:
        th = self.theme
        p = th.palette
        pad = th.px(28) if th.lecture else th.px(24)
        y = pad + th.text_px("caption") // 2 + 1
        if self._legend_rows == 2:
            y = self._bottom_y + th.text_px("caption") // 2 if th.lecture else \
                y + th.text_px("caption") + th.px(12)
        x = self.rect.w - pad
        gap = th.px(16)
        sw = th.px(24)
        for text in self._legend_items():
            t = th.text(text, "caption", p.muted)
            x -= t.get_width()
            surf.blit(t, t.get_rect(midleft=(x, y)))
            x -= th.px(8) + sw
            if text == "w > 0":
                pygame.draw.line(surf, p.positive, (x, y), (x + sw, y), th.px(4))
            elif text == "w < 0":
                for (ax, ay), (bx, by) in dash_segments((x, y), (x + sw, y), th.px(6), th.px(4)):
                    pygame.draw.line(surf, p.negative, (ax, ay), (bx, by), th.px(4))
            elif text == "gradient":
                cx = x + sw // 2
                pygame.draw.circle(surf, mix(p.panel, p.gradient, 0.35), (cx, y), th.px(8))
                pygame.draw.circle(surf, p.gradient, (cx, y), th.px(5))
            else:
                pygame.draw.line(surf, p.muted, (x, y), (x + sw // 2, y), th.px(2))
                pygame.draw.line(surf, p.muted, (x + sw // 2, y), (x + sw, y), th.px(7))
            x -= gap
        if self._legend_rows == 2 and th.lecture:
            self._scale_left = x  # a lock caption in the bottom row stops short of the legend

    def _draw_table(self, surf: pygame.Surface, snap: Snapshot) -> None:
        if not self._rows:
            return
        th = self.theme
        p = th.palette
        ds = self._dataset
        assert ds is not None
        xs, ys = ds
        layers = snap.setup.layers
        first = self._rows[0][1]
        cap = th.text_px("caption")
        pitch = first.h
        t = th.text("TRAINING DATA", "caption", p.muted, bold=True)
        title_y = first.y - pitch - cap - th.px(16)
        surf.blit(t, (self._table.x, title_y))
        cells = ["#", *(f"x{str(i + 1).translate(str.maketrans('0123456789', '₀₁₂₃₄₅₆₇₈₉'))}"
                   for i in range(layers[0])), "→",
                 *("y" if layers[-1] == 1 else f"y{str(k + 1).translate(str.maketrans('0123456789', '₀₁₂₃₄₅₆₇₈₉'))}"
                   for k in range(layers[-1]))]
        cell = (self._table.w - th.px(16)) / len(cells)
        head_y = first.y - pitch // 2
        for n, text in enumerate(cells):
            h = th.text(text, "caption", p.muted)
            surf.blit(h, h.get_rect(center=(round(self._table.x + th.px(12) + cell * (n + 0.5)), head_y)))
        pygame.draw.line(surf, p.border, (self._table.x, first.y - 1), (self._table.right, first.y - 1))
        for idx, rect in self._rows:
            active = idx == snap.sample
            colour = p.select if active else p.text
            if active:
                pygame.draw.rect(surf, mix(p.panel, p.select, 0.14), rect, border_radius=th.px(4))
                pygame.draw.rect(surf, p.select, (rect.x, rect.y, th.px(3), rect.h))
            if idx is None:
                t = th.text("batch (mean)", "caption", colour, bold=active)
                surf.blit(t, t.get_rect(midleft=(rect.x + th.px(12), rect.centery)))
                continue
            values = [str(idx + 1), *(_num(v) for v in xs[idx]), "", *(_num(v) for v in ys[idx])]
            for n, text in enumerate(values):
                if not text:
                    continue
                v = th.text(text, "caption", colour if n else (colour if active else p.muted), bold=active,
                            mono=True)
                surf.blit(v, v.get_rect(center=(round(self._table.x + th.px(12) + cell * (n + 0.5)), rect.centery)))
        last = self._rows[-1][1]
        hint = "▸ displayed sample" if snap.sample is not None else "▸ mean gradients"
        t = th.text(hint, "caption", p.select)
        surf.blit(t, (self._table.x, last.bottom + th.px(12)))
        if len(self._rows) - 1 < xs.shape[0]:
            more = th.text(f"+{xs.shape[0] - len(self._rows) + 1} more rows", "caption", p.muted)
            surf.blit(more, (self._table.x, last.bottom + th.px(12) + cap + th.px(6)))

    def _draw_button(self, surf: pygame.Surface, rect: pygame.Rect, glyph: str, enabled: bool) -> None:
        th = self.theme
        p = th.palette
        pygame.draw.rect(surf, p.panel_alt if enabled else p.panel, rect, border_radius=th.px(6))
        pygame.draw.rect(surf, p.muted if enabled else mix(p.panel, p.muted, 0.5), rect, max(1, th.px(2)),
                         border_radius=th.px(6))
        # the sign as two bars (not a glyph): the same weight and centre in every font and size
        ink = p.text if enabled else mix(p.panel, p.muted, 0.6)
        arm = max(3, round(rect.w * 0.28))
        width = max(2, round(rect.w * 0.11))
        cx, cy = rect.center
        pygame.draw.rect(surf, ink, (cx - arm, cy - width // 2, 2 * arm + 1, width))
        if glyph == "+":
            pygame.draw.rect(surf, ink, (cx - width // 2, cy - arm, width, 2 * arm + 1))

    def _button_enabled(self, name: str, layers: tuple[int, ...]) -> bool:
        if name == "add-layer":
            return len(layers) < MAX_LAYERS
        if name == "remove-layer":
            return len(layers) > 2
        k = int(name.split(":")[1])
        return layers[k] < MAX_NEURONS if name.startswith("add") else layers[k] > 1

    def _draw_editor_row(self, surf: pygame.Surface, layers: tuple[int, ...]) -> None:
        """− n + under each hidden column's title: the neurons of that layer."""
        th = self.theme
        for name, rect in self.editor_rects.items():
            if not name.startswith(("add-neuron", "remove-neuron")):
                continue
            self._draw_button(surf, rect, "+" if name.startswith("add") else "−", self._button_enabled(name, layers))
            if name.startswith("add"):
                k = int(name.split(":")[1])
                left = self.editor_rects[f"remove-neuron:{k}"]
                t = th.text(str(layers[k]), "caption", th.palette.text, mono=True)
                surf.blit(t, t.get_rect(center=((left.right + rect.x) // 2, rect.centery)))

    def _draw_bottom(self, surf: pygame.Surface, snap: Snapshot, selected: bool) -> None:
        """Hint on the left; the width scale of the legend on the right (|w| → thickness)."""
        th = self.theme
        if th.lecture:
            return
        if self._heat_toggle.w:
            draw_toggle(surf, th, self._heat_toggle.topleft, self.heat_label, self.heat_on(snap))
        if "add-layer" in self.editor_rects:
            layers = snap.setup.layers
            lx, ly = self._layers_label
            if self.layers_label:
                t = th.text(self.layers_label, "caption", th.palette.muted)
                surf.blit(t, t.get_rect(midleft=(lx, ly)))
            minus, plus = self.editor_rects["remove-layer"], self.editor_rects["add-layer"]
            self._draw_button(surf, minus, "−", self._button_enabled("remove-layer", layers))
            self._draw_button(surf, plus, "+", self._button_enabled("add-layer", layers))
            n = th.text(str(len(layers) - 2), "caption", th.palette.text, mono=True)
            surf.blit(n, n.get_rect(center=((minus.right + plus.x) // 2, plus.centery)))
        p = th.palette
        geom = self.geom
        assert geom is not None
        cy = self._bottom_y + th.text_px("caption") // 2
        x = self._graph.right + th.px(16)
        samples = (W_FULL, 2.0, 0.5)
        sw = th.px(28)
        for w in samples:
            t = th.text(f"{_num(w)}{'+' if w == W_FULL else ''}", "caption", p.muted, mono=True)
            x -= t.get_width()
            surf.blit(t, t.get_rect(midleft=(x, cy)))
            x -= th.px(6) + sw
            width = max(1, round(edge_width(w, geom.unit, geom.max_width)))
            pygame.draw.line(surf, p.muted, (x, cy), (x + sw, cy), width)
            x -= th.px(14)
        t = th.text("|w|:", "caption", p.muted)
        x -= t.get_width()
        self._scale_left = x  # a lock caption in this row stops short of the scale
        surf.blit(t, t.get_rect(midleft=(x, cy)))
        left = self._bottom_free
        self.hint = SELECTED_HINT if selected else CLICK_HINT
        if th.lecture:
            self.hint = ""  # lecture mode shows no learner instructions
            return
        hint = th.text(self.hint, "caption", p.muted)
        if left + hint.get_width() + th.px(24) <= x and not any(any(row) for row in self._locks):
            surf.blit(hint, hint.get_rect(midleft=(left, cy)))  # (a lock caption takes the row instead)

    # base layer --------------------------------------------------------------------------------
    def _build_base(self, snap: Snapshot, shown: Shown) -> pygame.Surface:
        static = self._static_layer(snap, shown.row)
        old = self._base.value  # reused when the size still fits
        base = old if old is not None and old.get_size() == static.get_size() else text_log.canvas(static.get_size())
        base.blit(static, (0, 0))
        hover = self._hover_target(snap)
        self._front = []
        self._draw_edges(base, snap, shown, hover)
        self.drawn_locks = self._draw_neurons(base, snap, shown, hover)
        self._draw_labels(base, snap, shown, hover)
        self._draw_neuron_lines(base, snap, shown)  # after the pills: a line never goes under one
        self._draw_lock_caption(base, snap)
        if snap.halt_message:
            self._draw_halt(base, snap.halt_message)
        self._base_step = snap.step_id
        return base

    def _edge_colour(self, role: str, flash: float) -> RGB:
        p = self.theme.palette
        colour: RGB = getattr(p, role)
        if flash > 0:
            colour = mix(colour, p.text if p.dark else p.select, 0.55 * flash)
        return colour

    def _draw_edges(self, surf: pygame.Surface, snap: Snapshot, shown: Shown, hover: Selection | None) -> None:
        geom = self.geom
        assert geom is not None
        p = self.theme.palette
        sel = snap.selection
        before = snap.trace.weights
        # big nets: many short dashes; plain quads keep the rebuild within the frame budget
        smooth = geom.n_edges <= 24
        ws = [w.tolist() for w in shown.weights]
        for k, (l, j, i) in enumerate(self._edges):
            w = ws[l][j][i]
            style = edge_style(w, geom.unit, geom.max_width)
            a, b = self._segments[k]
            if sel is not None and sel.kind == "edge" and (sel.layer, sel.j, sel.i) == (l, j, i):
                for extra, amount in ((22, 0.10), (15, 0.18), (9, 0.32)):
                    pygame.draw.line(surf, mix(p.panel, p.select, amount), a, b,
                                     round(style.width + extra * geom.unit))
            changed = shown.flash > 0 and abs(w - float(before[l][j][i])) > 1e-12
            colour = self._edge_colour(style.colour_role, shown.flash if changed else 0.0)
            width = style.width + (2 * geom.unit if hover is not None and hover.kind == "edge"
                                   and (hover.layer, hover.j, hover.i) == (l, j, i) else 0)
            segs = dash_segments(a, b, style.dash, style.gap) if style.dashed else [(a, b)]
            for s0, s1 in segs:
                self._thick_line(surf, colour, s0, s1, width, smooth)

    @staticmethod
    def _thick_line(surf: pygame.Surface, colour: RGB, a: Point, b: Point, width: float,
                    smooth: bool = True) -> None:
        if width < 2.5:
            pygame.draw.aaline(surf, colour, a, b, max(1, round(width)))
            return
        if not smooth:
            pygame.draw.line(surf, colour, a, b, round(width))
            return
        # a filled quad with antialiased long sides: crisp at any angle
        dx, dy = b[0] - a[0], b[1] - a[1]
        d = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / d * width / 2, dx / d * width / 2
        quad = [(a[0] + nx, a[1] + ny), (b[0] + nx, b[1] + ny), (b[0] - nx, b[1] - ny), (a[0] - nx, a[1] - ny)]
        pygame.draw.polygon(surf, colour, quad)
        if smooth:
            pygame.draw.aaline(surf, colour, quad[0], quad[1])
            pygame.draw.aaline(surf, colour, quad[3], quad[2])

    @staticmethod
    def _locked(snap: Snapshot) -> tuple[tuple[bool, ...], ...]:
        """Locked per non-input layer: the trainer's state (judged again the moment the lock threshold
        changes), or before the first step the displayed step's own judgement (a fresh setup is
        judged by the trainer only after its first step; the trace already knows)."""
        if snap.epoch:
            return snap.locked
        return tuple(tuple(a or b for a, b in zip(r1, r2, strict=True))
                     for r1, r2 in zip(snap.locked, snap.trace.locked, strict=True))

    def _neuron_activation(self, snap: Snapshot, layer: int) -> str:
        s = snap.setup
        return s.output_activation if layer == len(s.layers) - 1 else s.hidden_activation

    def _draw_neurons(self, surf: pygame.Surface, snap: Snapshot, shown: Shown,
                      hover: Selection | None) -> list[tuple[int, int]]:
        geom = self.geom
        assert geom is not None
        th = self.theme
        p = th.palette
        layers = snap.setup.layers
        r = geom.radius
        ri = round(r)
        sel = snap.selection
        locks: list[tuple[int, int]] = []
        # what the lines under the neurons must not run into: every circle, then the lines drawn so far
        self._taken = [pygame.Rect(round(cx - r), round(cy - r), 2 * ri, 2 * ri)
                       for col in geom.centres for cx, cy in col]
        discs = self._heat_surfaces(snap, ri)
        for layer, col in enumerate(geom.centres):
            act_name = self._neuron_activation(snap, layer) if layer else "input"
            for j, (cx, cy) in enumerate(col):
                centre = (round(cx), round(cy))
                a = float(shown.acts[layer][j])
                locked = layer >= 1 and self._locks[layer - 1][j]
                act = get_activation(act_name) if layer else None
                dead = locked and act is not None and act.lock_rule == "dead"
                lit = layer < shown.reached
                lo, hi = act.output_range if act is not None else (0.0, 1.0)
                level = (a - lo) / (hi - lo) if math.isfinite(hi - lo) else a  # a bounded range fills 0 → 1
                level = min(1.0, max(0.0, level)) if math.isfinite(level) else 0.0
                fill = mix(p.neuron_empty, p.neuron_fill, level if lit else 0.0)
                if dead:
                    fill = mix(p.panel_alt, p.muted, 0.18)
                if sel is not None and sel.kind == "neuron" and (sel.layer, sel.j) == (layer, j):
                    for extra, amount in ((16, 0.10), (11, 0.18), (6, 0.32)):
                        pygame.draw.circle(surf, mix(p.panel, p.select, amount), centre, ri + round(extra * geom.unit))
                pygame.draw.aacircle(surf, fill, centre, ri)
                disc = discs.get((layer, j)) if lit else None
                if disc is not None and not dead:  # what this neuron computes over the input plane
                    surf.blit(disc, (centre[0] - ri, centre[1] - ri))
                if dead:
                    self._hatch(surf, centre, ri, mix(fill, p.muted, 0.55))
                ring = p.border if p.dark else mix(p.border, p.muted, 0.4)
                if layer == len(layers) - 1 or level < 0.35:
                    ring = mix(p.border, p.muted, 0.5)
                if hover is not None and hover.kind == "neuron" and (hover.layer, hover.j) == (layer, j):
                    ring = p.text
                if locked:
                    ring = p.select
                width = th.px(2) if locked or ring == p.text else max(1, th.px(1))
                pygame.draw.aacircle(surf, ring, centre, ri, width)
                if locked:
                    pygame.draw.aacircle(surf, mix(p.panel, p.select, 0.45), centre, ri + th.px(5), max(1, th.px(1)))
                self._neuron_text(surf, snap, shown, layer, j, centre, fill, dead, lit, (layer, j) in discs)
                if locked:
                    locks.append((layer, j))
                    d = r * 0.72
                    badge = (round(cx + d), round(cy - d))
                    size = max(th.px(12), round(r * 0.42))
                    pygame.draw.circle(surf, p.panel, badge, round(size * 0.8))
                    pygame.draw.circle(surf, p.select, badge, round(size * 0.8), max(1, th.px(1)))
                    draw_lock(surf, badge, size, p.select, p.panel)
                if dead:
                    tag = th.text("dead", "caption", p.muted, bold=True)
                    box = tag.get_rect(center=(centre[0], round(cy + r)))
                    self._plate(surf, box.inflate(th.px(10), th.px(2)), tag, p.muted)
        return locks

    @staticmethod
    def _hatch(surf: pygame.Surface, centre: tuple[int, int], r: int, colour: RGB) -> None:
        """Diagonal hatching inside a circle: the "switched off" look of a dead ReLU."""
        cx, cy = centre
        step = max(4, r // 4)
        for k in range(-2 * r, 2 * r + 1, step):
            # chord of the line x − y = k (through the centre frame) with the circle
            half = (2 * r * r - k * k / 1) / 2
            if half <= 0:
                continue
            s = math.sqrt(half)
            mx, my = k / 2, -k / 2
            a = (cx + mx - s * 0.7071 * 0.93, cy + my - s * 0.7071 * 0.93)
            b = (cx + mx + s * 0.7071 * 0.93, cy + my + s * 0.7071 * 0.93)
            pygame.draw.aaline(surf, colour, a, b)

    def _neuron_text(self, surf: pygame.Surface, snap: Snapshot, shown: Shown, layer: int, j: int,
                     centre: tuple[int, int], fill: RGB, dead: bool, lit: bool, heat: bool = False) -> None:
        th = self.theme
        p = th.palette
        geom = self.geom
        assert geom is not None
        dark_ink = p.text if not p.dark else p.bg
        light_ink = p.text if p.dark else p.panel
        ink = dark_ink if contrast(dark_ink, fill) >= contrast(light_ink, fill) else light_ink
        if heat and not dead:  # on a heat map: light text with a dark halo (or dark on light)
            fill, ink = p.panel, p.text
        if dead:
            ink = p.muted
        layers = snap.setup.layers
        features = snap.setup.features
        # an input computed from (x₁, x₂) is named by its feature: x₁², sin x₁ …
        label = names.neuron_name(layers, layer, j, features)
        a = float(shown.acts[layer][j])
        inside = self._value_style is not None
        name = th.text(label, getattr(self, "_name_role", "name") if inside else "caption", ink, bold=True)
        if inside:
            # a layer the forward pass has not reached yet shows its number faded
            shown_a = "?" if self.ctx is not None and self.ctx.hides("a", layer, j) else weight_text(a)
            value = th.text(f"{self._value_style}{shown_a}", "caption", ink if lit else mix(ink, fill, 0.55),
                            mono=True)
            total = name.get_height() + value.get_height() - th.px(4)
            top = centre[1] - total // 2
            halo = heat and not dead
            self._blit_ink(surf, name, name.get_rect(midtop=(centre[0], top)), halo)
            self._blit_ink(surf, value, value.get_rect(midtop=(centre[0], top + name.get_height() - th.px(4))), halo)
        elif getattr(self, "_names_fit", True):
            box = name.get_rect(center=centre)
            # a long input feature (sin x₂) beside a small neuron stays inside the card
            box.clamp_ip(pygame.Rect(0, 0, surf.get_width(), surf.get_height()).inflate(-th.px(8), -th.px(8)))
            self._blit_ink(surf, name, box, heat and not dead)

    def _draw_neuron_lines(self, surf: pygame.Surface, snap: Snapshot, shown: Shown) -> None:
        """Under each neuron its bias, then (output only) target and error, as far as room allows."""
        th = self.theme
        p = th.palette
        geom = self.geom
        assert geom is not None
        layers = snap.setup.layers
        line_h = self._line_h()
        # what a line must not touch: the layout's pill spots and the pills really drawn (a hover pill)
        pills = getattr(self, "_pill_boxes", []) + self._pills
        for layer in range(1, len(layers)):
            act = get_activation(self._neuron_activation(snap, layer))
            col = geom.centres[layer]
            for j, (cx, cy) in enumerate(col):
                centre = (round(cx), round(cy))
                below_next = col[j + 1][1] - geom.radius if j + 1 < len(col) else self._bottom_y - th.px(8)
                y0 = centre[1] + geom.radius + th.px(6)
                if self._locks[layer - 1][j] and act.lock_rule == "dead":
                    y0 += th.px(8)  # clear the "dead" tag
                room = int((below_next - th.px(4) - y0) // line_h)
                for n, forms in enumerate(self._neuron_lines(snap, shown, layer, j)[:max(0, room)]):
                    for text in forms:
                        t = th.text(text, "caption", p.muted if n == 0 else p.text, mono=True)
                        box = t.get_rect(midtop=(centre[0], round(y0 + n * line_h)))
                        if box.inflate(th.px(6), 0).collidelist(pills) < 0 and box.collidelist(self._taken) < 0:
                            break
                    else:  # a pill, a neuron or a neighbour's line is here in every form: left out
                        if n:  # (tables and hover have it); a − y is not shown without its target
                            break
                        continue
                    self._taken.append(box)
                    self._plate(surf, box.inflate(th.px(6), 0), t, radius=th.px(3))

    def _neuron_lines(self, snap: Snapshot, shown: Shown, layer: int, j: int) -> list[tuple[str, ...]]:
        """The lines under neuron (layer, j), each as its forms, longest first."""
        lines: list[tuple[str, ...]] = [(f"b = {weight_text(float(shown.biases[layer - 1][j]))}",)]
        if layer == len(snap.setup.layers) - 1 and snap.reveals("loss"):  # known once the loss phase begins
            tr = snap.trace
            if shown.row is not None:
                y = _num(float(tr.y[shown.row][j]))
                lines.append((f"target y = {y}", f"y = {y}"))
                if not (self.ctx is not None and self.ctx.quiz):  # a level asking for it hides it
                    # a − y from the trace: the raw error under MSE, δ under cross-entropy
                    err = float(tr.delta[-1][shown.row][j] if tr.slope_cancelled else tr.raw_error[shown.row][j])
                    lines.append((f"a − y = {fmt(err, 3)}",))
            else:
                lines.append((f"batch L = {fmt(tr.loss, 4)}",))
        return lines

    def _line_h(self) -> int:
        """The pitch of the lines under a neuron: never less than the text is high (they must not touch)."""
        th = self.theme
        return max(th.text_px("caption") + th.px(4), th.measure("Ag", "caption", mono=True)[1])

    def _plate(self, surf: pygame.Surface, box: pygame.Rect, text: pygame.Surface, border: RGB | None = None,
               radius: int | None = None) -> None:
        """A label on a plate of the card's colour, drawn into ``surf`` and kept to draw over the packets."""
        th = self.theme
        plate = text_log.canvas(box.size, pygame.SRCALPHA)
        local = plate.get_rect()
        r = local.h // 2 if radius is None else radius
        pygame.draw.rect(plate, th.palette.panel, local, border_radius=r)
        if border is not None:
            pygame.draw.rect(plate, border, local, max(1, th.px(1)), border_radius=r)
        plate.blit(text, text.get_rect(center=local.center))
        surf.blit(plate, box)
        self._front.append((plate, box.topleft))

    def _blit_ink(self, surf: pygame.Surface, text: pygame.Surface, rect: pygame.Rect, halo: bool) -> None:
        """Text on a neuron; on a heat map with a thin halo of the card's colour around each glyph
        (legible on any colour of the map, while hiding as little of it as a plate would)."""
        if halo:
            edge = pygame.mask.from_surface(text, 96).to_surface(setcolor=(*self.theme.palette.panel, 255),
                                                                 unsetcolor=(0, 0, 0, 0))
            d = max(1, self.theme.px(1.5))
            for dx, dy in ((-d, 0), (d, 0), (0, -d), (0, d), (-d, -d), (d, d), (-d, d), (d, -d)):
                surf.blit(edge, rect.move(dx, dy))
        surf.blit(text, rect)

    # heat maps ---------------------------------------------------------------------------------
    def _heat_surfaces(self, snap: Snapshot, ri: int) -> dict[tuple[int, int], pygame.Surface]:
        """Each hidden and output neuron's heat map as a disc of radius ``ri`` (cached per step)."""
        if not self.heat_on(snap) or ri < 4:
            self.drawn_heat = None
            return {}
        planes = im.neuron_planes(snap)
        if planes is None:
            self.drawn_heat = None
            return {}
        p = self.theme.palette
        key = (planes.key, ri, p.name)
        if self._heat_discs is None or self._heat_discs[0] != key:
            size = (2 * ri, 2 * ri)
            mask = pygame.Surface(size, pygame.SRCALPHA)
            pygame.draw.circle(mask, (255, 255, 255, 255), (ri, ri), ri - max(1, self.theme.px(2)))
            scale = pygame.transform.scale if planes.corners else pygame.transform.smoothscale
            out: dict[tuple[int, int], pygame.Surface] = {}
            for layer in range(1, len(planes.grids) + 1):
                for j in range(planes.grids[layer - 1].shape[0]):
                    rgb = im.heat_rgb(planes.levels(layer, j), p)
                    small = pygame.surfarray.make_surface(np.ascontiguousarray(rgb.transpose(1, 0, 2)))
                    disc = pygame.Surface(size, pygame.SRCALPHA)
                    disc.blit(scale(small, size), (0, 0))
                    disc.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MULT)
                    out[(layer, j)] = disc
            self._heat_discs = (key, out)
        self.drawn_heat = planes.key
        return self._heat_discs[1]

    def heat_map_surface(self, snap: Snapshot, layer: int, j: int, side: int) -> pygame.Surface | None:
        """Neuron (layer, j)'s heat map as a square of ``side`` px (the hover card's large view)."""
        planes = im.neuron_planes(snap) if self.heat_on(snap) and layer >= 1 else None
        if planes is None:
            return None
        p = self.theme.palette
        key = (planes.key, layer, j, side, p.name)
        if self._heat_big is None or self._heat_big[0] != key:
            rgb = im.heat_rgb(planes.levels(layer, j), p)
            small = pygame.surfarray.make_surface(np.ascontiguousarray(rgb.transpose(1, 0, 2)))
            scale = pygame.transform.scale if planes.corners else pygame.transform.smoothscale
            self._heat_big = (key, scale(small, (side, side)))
        return self._heat_big[1]

    def _draw_labels(self, surf: pygame.Surface, snap: Snapshot, shown: Shown, hover: Selection | None) -> None:
        geom = self.geom
        assert geom is not None
        th = self.theme
        p = th.palette
        sel = snap.selection
        keys = dict(self._labels)
        self._pills = []
        self.pill_texts = {}
        for extra in (hover, sel):
            if extra is not None and extra.kind == "edge" and (extra.layer, extra.j, extra.i) not in keys:
                # big nets label only this edge: a spot on it clear of every neuron
                tw, th_ = th.measure(self._w_prefix + "−00.000", "caption", mono=True)
                keys.update(place_labels(geom, {(extra.layer, extra.j, extra.i): (tw + th.px(14), th_ + th.px(6))}))
        for (l, j, i), (cx, cy) in keys.items():
            w = float(shown.weights[l][j][i])
            chosen = sel is not None and sel.kind == "edge" and (sel.layer, sel.j, sel.i) == (l, j, i)
            border = p.select if chosen else (p.positive if w >= 0 else p.negative)
            text = f"{self._w_prefix}{weight_text(w, 3 if chosen else 2)}"
            self.pill_texts[(l, j, i)] = text
            t = th.text(text, "caption", p.select if chosen else p.text, mono=True)
            box = t.get_rect(center=(round(cx), round(cy))).inflate(th.px(14), th.px(6))
            self._plate(surf, box, t, border)
            self._pills.append(box)

    def _draw_lock_caption(self, surf: pygame.Surface, snap: Snapshot) -> None:
        """One line under the graph naming the locked neurons and why (threshold from the snapshot)."""
        locked = [(l + 1, j) for l, row in enumerate(self._locks) for j, v in enumerate(row) if v]
        if not locked:
            return
        th = self.theme
        p = th.palette
        layers = snap.setup.layers
        groups: dict[str, list[str]] = {}
        for layer, j in locked:
            act = get_activation(self._neuron_activation(snap, layer))
            reason = "dead: z ≤ 0 on all samples" if act.lock_rule == "dead" else \
                f"{act.slope_symbol} < {_num(snap.lock_threshold)} on all samples"
            groups.setdefault(reason, []).append(names.neuron_name(layers, layer, j))
        size = th.text_px("caption")
        # in the bottom row, over the click hint (the least important thing there)
        y = self._bottom_y
        x = self._bottom_free  # after the heat-map toggle and the layer buttons
        room = getattr(self, "_scale_left", self.rect.w) - th.px(16) - (x + size + th.px(8))
        every = [n for ns in groups.values() for n in ns]
        forms = ["   ".join(f"{', '.join(ns)} locked · {reason}" for reason, ns in groups.items()),
                 f"{', '.join(every)} locked", f"{len(every)} locked"]
        # the shortest form that fits; none fits (big text, the width scale beside it): the lock alone,
        # the locked neurons carry their own
        text = next((f for f in forms if th.measure(f, "caption")[0] <= room), "")
        t = th.text(text, "caption", p.select) if text else pygame.Surface((0, 0))
        # (the click hint is not drawn while a lock caption is: the box covers the caption only)
        box = pygame.Rect(x - th.px(8), y - th.px(4), t.get_width() + size + th.px(24), size + th.px(12))
        pygame.draw.rect(surf, p.panel, box)
        draw_lock(surf, (x + size // 2, y + size // 2 + th.px(2)), size, p.select, p.panel)
        surf.blit(t, (x + size + th.px(8), y))

    def _halt_box(self, message: str) -> tuple[pygame.Rect, list, list[tuple[int, int]]]:
        """The halt banner's box (size only), its lines and their sizes."""
        th = self.theme
        # As wide as the card allows; a long message (the reason and the advice) wraps.
        width = self.rect.w - 2 * th.px(24) - th.px(32)
        role = "name" if th.measure(message, "name", bold=True)[0] <= width else "caption"
        lines = mt.wrap(th, mt.words(message, "danger", role, bold=True), width)
        sizes = [mt.measure(th, ln) for ln in lines]
        w, h = max(s[0] for s in sizes), sum(s[1] for s in sizes)
        return pygame.Rect(0, 0, w, h).inflate(th.px(32), th.px(16)), lines, sizes

    def _draw_halt(self, surf: pygame.Surface, message: str) -> None:
        th = self.theme
        p = th.palette
        box, lines, sizes = self._halt_box(message)
        # in the header row, which the layout made as tall as the banner (the graph starts below it)
        box.midtop = (self._graph.centerx, self._graph.y - self._header_h)
        box.clamp_ip(pygame.Rect(th.px(12), 0, self.rect.w - 2 * th.px(12), self.rect.h))
        pygame.draw.rect(surf, mix(p.panel, p.danger, 0.12), box, border_radius=th.px(8))
        pygame.draw.rect(surf, p.danger, box, max(1, th.px(2)), border_radius=th.px(8))
        y = box.y + th.px(8)
        for ln, (lw, lh) in zip(lines, sizes, strict=True):
            mt.draw(surf, th, ln, (box.centerx - lw // 2, y))
            y += lh

    # tooltip -----------------------------------------------------------------------------------
    def _tooltip_lines(self, snap: Snapshot, shown: Shown, target: Selection) -> tuple[str, list[str]]:
        tr = snap.trace
        layers = tr.layers
        row = shown.row
        where = "batch mean" if row is None else "sample (" + ", ".join(_num(v) for v in tr.x[row]) + ")"
        if target.kind == "edge":
            l, j, i = target.layer, target.j, target.i
            g = float(tr.mean_grad_w[l][j][i]) if row is None else float(tr.grad_w[l][row][j][i])
            title = f"w  {names.neuron_name(layers, l, i, tr.features)} → {names.neuron_name(layers, l + 1, j)}"
            if self._quiz() or not snap.reveals("backward"):
                return title, [f"w     = {fmt(float(shown.weights[l][j][i]), 4)}", where]
            return title, [f"w     = {fmt(float(shown.weights[l][j][i]), 4)}", f"∂L/∂w = {fmt(g, 4)}", where]
        layer, j = target.layer, target.j
        title = names.neuron_name(layers, layer, j, tr.features)
        if layer == 0:
            return title, [f"x = {_num(float(shown.acts[0][j]))}", where]

        def pick(arr: np.ndarray) -> float:
            return float(arr[:, j].mean()) if row is None else float(arr[row][j])

        slope = get_activation(self._neuron_activation(snap, layer)).slope_symbol
        a_text = "?" if self.ctx is not None and self.ctx.hides("a", layer, j) else fmt(pick(tr.a[layer]), 4)
        if self._quiz() or not snap.reveals("backward"):  # typed answers pending, or not computed yet: z and a only
            return title, [f"z  = {fmt(pick(tr.z[layer - 1]), 4)}", f"a  = {a_text}", where]
        return title, [f"z  = {fmt(pick(tr.z[layer - 1]), 4)}", f"a  = {fmt(pick(tr.a[layer]), 4)}",
                       f"{slope} = {fmt(pick(tr.slope[layer - 1]), 4)}", f"δ  = {fmt(pick(tr.delta[layer - 1]), 4)}",
                       where]

    def _quiz(self) -> bool:
        return self.ctx is not None and self.ctx.quiz

    def _hover_keep(self, target: Selection) -> list[pygame.Rect]:
        """What a hover card must leave in view: the hovered neuron (an edge's two ends) and the outputs."""
        geom = self.geom
        assert geom is not None
        r = round(geom.radius) + self.theme.px(4)
        spots = [geom.centres[-1][j] for j in range(len(geom.centres[-1]))]
        if target.kind == "neuron":
            spots.append(geom.centres[target.layer][target.j])
        else:
            spots += [geom.centres[target.layer][target.i], geom.centres[target.layer + 1][target.j]]
        return [pygame.Rect(round(x) - r, round(y) - r, 2 * r, 2 * r) for x, y in spots]

    def _hover_card_box(self, target: Selection, w: int, h: int) -> pygame.Rect:
        """Beside the pointer (or the hovered thing), on whichever side covers none of ``_hover_keep``."""
        th = self.theme
        geom = self.geom
        assert geom is not None
        d = th.px(16)
        spots: list[tuple[float, float]]
        if self._mouse is not None:
            mx, my = self._mouse
            spots = [(mx + d, my + d), (mx + d, my - d - h), (mx - d - w, my + d), (mx - d - w, my - d - h)]
        elif target.kind == "neuron":
            cx, cy = geom.centres[target.layer][target.j]
            rr = geom.radius + th.px(10)
            spots = [(cx + rr, cy - h / 2), (cx - rr - w, cy - h / 2), (cx - w / 2, cy + rr), (cx - w / 2, cy - rr - h)]
        else:
            cx, cy = clear_point(geom, target.layer, target.j, target.i)
            e = th.px(14)
            spots = [(cx + e, cy + e), (cx + e, cy - e - h), (cx - e - w, cy + e), (cx - e - w, cy - e - h)]
        bounds = pygame.Rect((0, 0), self.rect.size).inflate(-th.px(8), -th.px(8))
        # a card too big for any side (big text, a small card): the panel's corners, clear of the graph's ends
        spots += [(bounds.x, bounds.y), (bounds.right - w, bounds.y), (bounds.x, bounds.bottom - h),
                  (bounds.right - w, bounds.bottom - h)]
        keep = self._hover_keep(target)
        best: tuple[int, int, pygame.Rect] | None = None
        for k, (x, y) in enumerate(spots):
            box = pygame.Rect(round(x), round(y), w, h)
            box.clamp_ip(bounds)
            covered = sum(box.clip(r).w * box.clip(r).h for r in keep)
            if best is None or (covered, k) < best[:2]:
                best = (covered, k, box)
            if covered == 0:
                break
        assert best is not None
        self.hover_card, self.hover_keep = best[2].move(self.rect.topleft), [r.move(self.rect.topleft) for r in keep]
        return best[2]

    def _draw_tooltip(self, view: pygame.Surface, snap: Snapshot, shown: Shown) -> None:
        target = self._hover_target(snap)
        geom = self.geom
        self.hover_card = None
        if target is None or geom is None or not target.fits(snap.setup.layers):
            return
        th = self.theme
        p = th.palette
        title, lines = self._tooltip_lines(snap, shown, target)
        surfs = [th.text(title, "caption", p.text, bold=True)]
        surfs += [th.text(s, "caption", p.muted if n == len(lines) - 1 else p.text, mono=n < len(lines) - 1)
                  for n, s in enumerate(lines)]
        pad = th.px(10)
        big = None
        if target.kind == "neuron" and target.layer >= 1:  # what it computes, large
            side = max(th.px(150), 6 * th.text_px("caption"))
            big = self.heat_map_surface(snap, target.layer, target.j, side)
            if big is not None:
                surfs.append(th.text("a over the input plane", "caption", p.muted))
        w = max([s.get_width() for s in surfs] + [big.get_width() if big is not None else 0]) + 2 * pad
        h = sum(s.get_height() for s in surfs) + 2 * pad + (big.get_height() + th.px(8) if big is not None else 0)
        box = self._hover_card_box(target, w, h)
        text_log.cover(view, box, partly=True)  # a hover card lies over the picture by design
        pygame.draw.rect(view, p.topbar, box, border_radius=th.px(6))
        pygame.draw.rect(view, p.select if target == snap.selection else p.border, box, max(1, th.px(1)),
                         border_radius=th.px(6))
        y = box.y + pad
        for s in surfs:
            view.blit(s, (box.x + pad, y))
            y += s.get_height()
        if big is not None:
            at = (box.x + pad, y + th.px(8))
            view.blit(big, at)
            pygame.draw.rect(view, p.border, pygame.Rect(at, big.get_size()), 1)
            self.drawn_big_heat = (target.layer, target.j)

