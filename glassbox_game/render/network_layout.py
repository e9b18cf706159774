"""Pure geometry of the network drawing: where neurons sit, where edges run, how wide they are.

No drawing and no pygame surfaces here, so every rule a student would notice — width grows with
|w|, negative edges are dashed, a click lands on the edge under the pointer — is easy to test.

Edges are indexed in weight order (the order of :func:`glassbox_game.sim.packets.edge_table`):
edge ``k`` of weight layer ``l`` is ``offsets[l] + j * layers[l] + i`` for weights[l][j][i]. Edge
segments run from the source neuron's rim to the target neuron's rim, so a packet at t = 0 or 1
is still visible beside its neuron.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # x, y, w, h

# Edge width mapping (reference pixels at 1080p): linear in |w| from WIDTH_MIN at w = 0 up to
# WIDTH_MAX at |w| ≥ W_FULL, then clamped — thin edges stay visible, huge weights stay readable.
WIDTH_MIN = 1.5
WIDTH_MAX = 12.0
W_FULL = 4.0
HIT_SLOP = 6.0  # reference px: how far from an edge's centre line a click still counts
NEURON_RADIUS = 38.0  # reference px for a small net; shrinks to fit big ones


@dataclass(frozen=True)
class EdgeStyle:
    """How one edge looks: sign by colour *and* dash pattern, magnitude by width."""

    sign: int  # +1 for w ≥ 0, −1 for w < 0
    colour_role: str  # palette field: "positive" or "negative"
    dashed: bool
    width: float  # px
    dash: float  # px on (0 when solid)
    gap: float  # px off (0 when solid)


def edge_width(w: float, unit: float = 1.0, max_px: float | None = None) -> float:
    """Width in px for a weight: monotonic in |w|, clamped to [WIDTH_MIN, WIDTH_MAX]·unit."""
    lo = WIDTH_MIN * unit
    hi = WIDTH_MAX * unit if max_px is None else max(lo, min(WIDTH_MAX * unit, max_px))
    m = abs(w) if math.isfinite(w) else W_FULL
    return lo + (hi - lo) * min(1.0, m / W_FULL)


def edge_style(w: float, unit: float = 1.0, max_px: float | None = None) -> EdgeStyle:
    """The style of the edge carrying weight ``w``: blue solid if w ≥ 0, red dashed if w < 0."""
    width = edge_width(w, unit, max_px)
    if w < 0:
        dash = max(10.0 * unit, 2.0 * width)
        return EdgeStyle(-1, "negative", True, width, dash, max(6.0 * unit, 1.1 * width))
    return EdgeStyle(1, "positive", False, width, 0.0, 0.0)


def dash_segments(p0: Point, p1: Point, dash: float, gap: float) -> list[tuple[Point, Point]]:
    """The "on" pieces of a dashed line from p0 to p1, centred so both ends look alike."""
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    length = math.hypot(dx, dy)
    if length <= dash or dash <= 0:
        return [(p0, p1)]
    period = dash + gap
    n = max(1, int((length + gap) // period))
    start = (length - (n * period - gap)) / 2
    ux, uy = dx / length, dy / length
    out = []
    for k in range(n):
        a = start + k * period
        b = a + dash
        out.append(((p0[0] + ux * a, p0[1] + uy * a), (p0[0] + ux * b, p0[1] + uy * b)))
    return out


@dataclass(frozen=True, kw_only=True)
class NetworkGeometry:
    """Neuron centres and rim-to-rim edge segments inside ``area``."""

    layers: tuple[int, ...]
    area: Box
    unit: float
    radius: float
    centres: tuple[tuple[Point, ...], ...]
    offsets: tuple[int, ...]  # first edge index of each weight layer
    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    max_width: float  # px: the widest an edge may be here (narrower than a neuron)

    @property
    def n_edges(self) -> int:
        return int(self.x0.size)

    def edge_index(self, layer: int, j: int, i: int) -> int:
        return self.offsets[layer] + j * self.layers[layer] + i

    def edge_of(self, k: int) -> tuple[int, int, int]:
        """(layer, j, i) of edge index ``k``."""
        l = max(q for q in range(len(self.offsets)) if self.offsets[q] <= k)
        j, i = divmod(k - self.offsets[l], self.layers[l])
        return l, j, i

    def segment(self, layer: int, j: int, i: int) -> tuple[Point, Point]:
        k = self.edge_index(layer, j, i)
        return (float(self.x0[k]), float(self.y0[k])), (float(self.x1[k]), float(self.y1[k]))

    def point_on(self, layer: int, j: int, i: int, t: float) -> Point:
        (ax, ay), (bx, by) = self.segment(layer, j, i)
        return ax + t * (bx - ax), ay + t * (by - ay)

    def packet_xy(self, layer: np.ndarray, j: np.ndarray, i: np.ndarray,
                  t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Screen positions of packets: source + t·(target − source) along their edges."""
        lay = np.asarray(layer, dtype=np.int64)
        k = np.asarray(self.offsets, dtype=np.int64)[lay] + np.asarray(j, dtype=np.int64) * \
            np.asarray(self.layers, dtype=np.int64)[lay] + np.asarray(i, dtype=np.int64)
        tt = np.asarray(t, dtype=float)
        x0, y0 = self.x0[k], self.y0[k]
        return x0 + tt * (self.x1[k] - x0), y0 + tt * (self.y1[k] - y0)

    def edge_angles(self) -> np.ndarray:
        """Direction of travel source → target of every edge, radians (screen y down)."""
        return np.arctan2(self.y1 - self.y0, self.x1 - self.x0)

    # -- hit-testing ---------------------------------------------------------------------------
    def neuron_at(self, point: Point, slop: float = 0.0) -> tuple[int, int] | None:
        """(layer, j) of the neuron under ``point``, if any."""
        px, py = point
        best, best_d = None, self.radius + slop
        for layer, col in enumerate(self.centres):
            for j, (cx, cy) in enumerate(col):
                d = math.hypot(px - cx, py - cy)
                if d <= best_d:
                    best, best_d = (layer, j), d
        return best

    def edge_distances(self, point: Point) -> np.ndarray:
        """Distance from ``point`` to every edge segment."""
        px, py = point
        dx, dy = self.x1 - self.x0, self.y1 - self.y0
        ll = dx * dx + dy * dy
        t = np.clip(((px - self.x0) * dx + (py - self.y0) * dy) / np.where(ll > 0, ll, 1.0), 0.0, 1.0)
        return np.hypot(self.x0 + t * dx - px, self.y0 + t * dy - py)

    def edge_at(self, point: Point, widths: np.ndarray | None = None) -> tuple[int, int, int] | None:
        """(layer, j, i) of the nearest edge within max(HIT_SLOP·unit, width/2) of ``point``."""
        if not self.n_edges:
            return None
        d = self.edge_distances(point)
        reach = np.full(d.shape, HIT_SLOP * self.unit)
        if widths is not None:
            reach = np.maximum(reach, np.asarray(widths, dtype=float) / 2)
        hit = d <= reach
        if not hit.any():
            return None
        k = int(np.argmin(np.where(hit, d, np.inf)))
        return self.edge_of(k)


def compute_geometry(area: Box, layers: tuple[int, ...], unit: float = 1.0,
                     max_radius: float | None = None) -> NetworkGeometry:
    """Lay out ``layers`` in columns across ``area`` (inputs left, output right).

    Columns are evenly spaced; each layer's neurons are centred vertically with a pitch of
    area height / n, but never spread more than twice the pitch of the fullest layer (a 2-neuron
    input beside an 8-neuron layer stays compact). The radius shrinks with the pitches so that
    8 layers × 8 neurons still leave room between neurons for edges and labels.
    """
    x, y, w, h = area
    n_cols = len(layers)
    widest = max(layers)
    base_pitch = h / widest
    r_max = NEURON_RADIUS * unit if max_radius is None else max_radius
    col_gap = w / max(1, n_cols - 1) if n_cols > 1 else w
    radius = max(6.0 * unit, min(r_max, 0.36 * base_pitch, 0.2 * col_gap))
    # keep the outer columns' neurons inside the area
    left, right = x + radius, x + w - radius
    xs = [left + (right - left) * c / max(1, n_cols - 1) for c in range(n_cols)]
    cols = []
    for c, n in enumerate(layers):
        pitch = min(h / n, 2.0 * base_pitch)
        top = y + h / 2 - pitch * (n - 1) / 2
        cols.append(tuple((xs[c], top + pitch * r) for r in range(n)))
    offsets, k = [], 0
    x0, y0, x1, y1 = [], [], [], []
    for l in range(n_cols - 1):
        offsets.append(k)
        for j in range(layers[l + 1]):
            tx, ty = cols[l + 1][j]
            for i in range(layers[l]):
                sx, sy = cols[l][i]
                d = math.hypot(tx - sx, ty - sy) or 1.0
                ux, uy = (tx - sx) / d, (ty - sy) / d
                x0.append(sx + ux * radius)
                y0.append(sy + uy * radius)
                x1.append(tx - ux * radius)
                y1.append(ty - uy * radius)
                k += 1
    max_width = max(WIDTH_MIN * unit, min(WIDTH_MAX * unit, 0.3 * radius))
    return NetworkGeometry(layers=layers, area=(x, y, w, h), unit=unit, radius=radius, centres=tuple(cols),
                           offsets=tuple(offsets), x0=np.array(x0), y0=np.array(y0), x1=np.array(x1),
                           y1=np.array(y1), max_width=max_width)


def _overlap(a: Box, b: Box) -> float:
    ox = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    oy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0.0, ox) * max(0.0, oy)


LABEL_TS = (0.5, 0.35, 0.65, 0.25, 0.75, 0.42, 0.58)
CROSSING_TS = (0.3, 0.7, 0.22, 0.78, 0.38, 0.62)  # edges that change row keep their label off the middle


FALLBACK_TS = tuple(k / 20 for k in range(3, 18))


def place_labels(geom: NetworkGeometry, sizes: dict[tuple[int, int, int], tuple[float, float]],
                 avoid: list[Box] | None = None) -> dict[tuple[int, int, int], Point]:
    """Centres for weight-label pills of the given sizes, greedily avoiding each other and neurons.

    Each edge tries fractions along itself in order (near the middle for level edges, nearer the
    source for edges that climb or fall, where crossings happen mid-way) and takes the first spot
    that overlaps nothing placed so far; if every spot collides it takes the least-overlapping one.
    """
    blocked: list[Box] = list(avoid or [])
    pad = 3.0 * geom.unit
    for col in geom.centres:
        for cx, cy in col:
            r = geom.radius + pad
            blocked.append((cx - r, cy - r, 2 * r, 2 * r))
    out: dict[tuple[int, int, int], Point] = {}
    for key, (w, h) in sizes.items():
        best: tuple[float, Point, Box] | None = None
        (ax, ay), (bx, by) = geom.segment(*key)
        level = abs(by - ay) < 0.25 * abs(bx - ax) + 1e-9
        # the preferred spots first, then every twentieth of the edge before settling for an overlap
        for t in (*(LABEL_TS if level else CROSSING_TS), *FALLBACK_TS):
            cx, cy = geom.point_on(*key, t)
            box = (cx - w / 2 - pad, cy - h / 2 - pad, w + 2 * pad, h + 2 * pad)
            cost = sum(_overlap(box, b) for b in blocked)
            if best is None or cost < best[0]:
                best = (cost, (cx, cy), box)
            if cost == 0:
                break
        assert best is not None
        out[key] = best[1]
        blocked.append(best[2])
    return out


def clear_point(geom: NetworkGeometry, layer: int, j: int, i: int) -> Point:
    """A point on the edge where hit-testing finds this edge and no other (for script targets).

    Prefers the middle; moves along the edge to the spot farthest from every other edge when
    the middle is a crossing (dense nets cross almost everywhere, so "farthest" is the rule).
    """
    k = geom.edge_index(layer, j, i)
    slop = HIT_SLOP * geom.unit
    best, best_d = geom.point_on(layer, j, i, 0.5), -1.0
    for t in (0.5, *np.linspace(0.06, 0.94, 45).tolist()):
        p = geom.point_on(layer, j, i, t)
        if geom.neuron_at(p, slop) is not None:
            continue
        others = np.delete(geom.edge_distances(p), k)
        d = float(others.min()) if others.size else math.inf
        if d > 2 * slop:
            return p
        if d > best_d:
            best, best_d = p, d
    return best


def column_title(layers: tuple[int, ...], layer: int) -> str:
    """INPUT, HIDDEN (HIDDEN 1, HIDDEN 2 … when there are several), OUTPUT."""
    last = len(layers) - 1
    if layer == 0:
        return "INPUT"
    if layer == last:
        return "OUTPUT"
    return "HIDDEN" if last == 2 else f"HIDDEN {layer}"
