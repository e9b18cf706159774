"""The numbers behind the insight card, vectorised in numpy (no pygame).

* :func:`decision_grid` — the network's output ŷ over a grid of the input plane: one forward pass
  over every grid point at once.
* :func:`loss_slice` — the mean loss as one weight or bias varies (others held): the layers below
  the parameter are computed once, and the layers from it upwards once for all values together by
  broadcasting over a leading "value" axis.
* :func:`layer_gradient_magnitudes` — the mean |∂L/∂w| of each weight layer, per sample.

These are display computations on the trace's own weights; every number that the game calls
"the gradient" still comes from the trace itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from glassbox_game.engine import planes
from glassbox_game.engine.activations import get_activation
from glassbox_game.engine.losses import get_loss
from glassbox_game.engine.trace import Trace
from glassbox_game.kit.palette import RGB, Palette, mix
from glassbox_game.sim.snapshot import Snapshot

Arrays = Sequence[np.ndarray]


def _activations(n_weight_layers: int, hidden: str, output: str) -> list:
    return [get_activation(hidden)] * (n_weight_layers - 1) + [get_activation(output)]


def forward_output(weights: Arrays, biases: Arrays, hidden: str, output: str, x: np.ndarray) -> np.ndarray:
    """The output layer's activations for rows of ``x`` (any leading shape), with (z, a) of the last layer."""
    a = np.asarray(x, dtype=float)
    with np.errstate(all="ignore"):
        for w, b, act in zip(weights, biases, _activations(len(weights), hidden, output), strict=True):
            a = act.f(a @ np.asarray(w).T + np.asarray(b))
    return a


grid_axis = planes.grid_axis


def decision_grid(weights: Arrays, biases: Arrays, hidden: str, output: str,
                  bounds: tuple[float, float, float, float], n: int = 64,
                  features: tuple[str, ...] | None = None) -> np.ndarray:
    """ŷ (first output) on an n×n grid: row r is x₂ from high (top) to low, column c is x₁ low to high.

    ``bounds`` is (x₁ lo, x₁ hi, x₂ lo, x₂ hi); with ``features`` the network's inputs are those
    features of each grid point (x₁, x₂). The output layer of :func:`planes.plane_activations`: the
    same numbers the output neuron's heat map shows.
    """
    return planes.plane_activations(weights, biases, hidden, output, bounds, n, features)[-1][0]


def current_weights(snap: Snapshot) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """The weights the network has now: after the shown step's update once it has been applied."""
    tr = snap.trace
    return (tr.weights_after, tr.biases_after) if snap.applied else (tr.weights, tr.biases)


@dataclass(frozen=True)
class NeuronPlanes:
    """Every hidden and output neuron over the input plane, for one displayed step.

    ``grids[l - 1]`` is layer l's (neurons, n, n) activations; ``corners``: a truth table on the four
    corners of the unit square, shown as its four cells (n = 2) — the plane between them is not data.
    """

    key: tuple
    bounds: tuple[float, float, float, float]
    n: int
    grids: tuple[np.ndarray, ...]
    activations: tuple[str, ...]  # per non-input layer
    corners: bool

    def levels(self, layer: int, j: int) -> np.ndarray:
        """Neuron (layer, j)'s grid on the 0 … 1 colour scale of the decision map."""
        return planes.colour_level(self.grids[layer - 1][j], self.activations[layer - 1])


def heat_colours(p_low: RGB, p_mid: RGB, p_high: RGB, n: int = 256) -> np.ndarray:
    """A (n, 3) colour table: low → mid at 0.5 → high."""
    t = np.linspace(0.0, 1.0, n)[:, None]
    lo, mid, hi = (np.array(c, dtype=float) for c in (p_low, p_mid, p_high))
    out = np.where(t < 0.5, lo + (mid - lo) * (t / 0.5), mid + (hi - mid) * ((t - 0.5) / 0.5))
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def heat_ends(p: Palette) -> tuple[RGB, RGB, RGB]:
    """The decision map's colour scale (low, middle, high): one scale for the map and every heat map."""
    return p.positive, mix(p.panel, p.panel_alt, 0.5), mix(p.negative, p.select, 0.55)


def heat_rgb(levels: np.ndarray, p: Palette) -> np.ndarray:
    """Colours (…, 3) of values on the 0 … 1 scale (NaN: the middle)."""
    lut = heat_colours(*heat_ends(p))
    idx = np.clip(np.nan_to_num(levels, nan=0.5) * 255.0, 0, 255).astype(np.uint8)
    return lut[idx]  # type: ignore[no-any-return]


HEAT_GRID = 24  # cells a side of a neuron's heat map (scaled up on screen)
_CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_planes_cache: dict[tuple, NeuronPlanes] = {}


def neuron_planes(snap: Snapshot, n: int = HEAT_GRID) -> NeuronPlanes | None:
    """The heat maps of the displayed step (None when the inputs are not a 2-D plane).

    Cached by the step on show (``step_id``, applied or not): every panel of a frame that asks gets
    the same object, computed once — at most four times a second while training races.
    """
    tr = snap.trace
    features = snap.setup.features
    if tr.layers[0] != 2 and features is None:
        return None
    key = (snap.step_id, snap.applied, n, snap.setup_version)
    hit = _planes_cache.get(key)
    if hit is not None:
        return hit
    data = snap.setup.dataset()
    plane = data.points if data.points is not None else data.x
    corners = snap.setup.generator is None and plane.shape == (4, 2) and \
        bool(np.array_equal(np.unique(plane, axis=0), _CORNERS))
    bounds = (-0.5, 1.5, -0.5, 1.5) if corners else plane_bounds(plane)
    size = 2 if corners else n
    weights, biases = current_weights(snap)
    grids = planes.plane_activations(weights, biases, tr.hidden_activation, tr.output_activation, bounds, size,
                                     features)
    acts = tuple([tr.hidden_activation] * (len(tr.layers) - 2) + [tr.output_activation])
    out = NeuronPlanes(key, bounds, size, tuple(grids), acts, corners)
    if len(_planes_cache) >= 8:
        _planes_cache.pop(next(iter(_planes_cache)))
    _planes_cache[key] = out
    return out


def axis_ticks(lo: float, hi: float) -> tuple[float, ...]:
    """Tick values for a plane axis from lo to hi: 0 and 1 on the unit square, else 0 and ±a round number."""
    if hi - lo <= 3.0:
        return (0.0, 1.0)
    reach = 0.8 * min(-lo, hi) if lo < 0 < hi else 0.8 * max(abs(lo), abs(hi))
    step = max(v * 10.0 ** e for e in range(-1, 4) for v in (1.0, 2.0, 5.0) if v * 10.0 ** e <= max(reach, 0.1))
    return (-step, 0.0, step) if lo < 0 < hi else (0.0, step if hi > 0 else -step)


def plane_bounds(x: np.ndarray, margin: float = 0.25) -> tuple[float, float, float, float]:
    """The input plane shown: the samples' extent plus a margin (a unit square at least)."""
    lo = np.minimum(x.min(axis=0), 0.0)
    hi = np.maximum(x.max(axis=0), 1.0)
    pad = (hi - lo) * margin
    return float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1])


def contour_segments(grid: np.ndarray, level: float = 0.5) -> np.ndarray:
    """Marching squares on cell centres: (k, 2, 2) segments in grid coordinates (col, row).

    Each square of four neighbouring cells whose values straddle ``level`` contributes a segment
    between the interpolated crossings on its edges (saddles pair the crossings in edge order).
    """
    g = np.asarray(grid, dtype=float) - level
    a, b, c, d = g[:-1, :-1], g[:-1, 1:], g[1:, 1:], g[1:, :-1]  # corners clockwise from top-left
    rows, cols = np.mgrid[0 : g.shape[0] - 1, 0 : g.shape[1] - 1]

    def cross(p: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(all="ignore"):
            t = p / (p - q)
        return (p > 0) != (q > 0), np.nan_to_num(t, nan=0.5)

    edges = []
    for (p, q), (x0, y0, dx, dy) in (((a, b), (0, 0, 1, 0)), ((b, c), (1, 0, 0, 1)),
                                     ((d, c), (0, 1, 1, 0)), ((a, d), (0, 0, 0, 1))):
        hit, t = cross(p, q)
        edges.append((hit, cols + x0 + dx * t, rows + y0 + dy * t))
    hits = np.stack([e[0] for e in edges], axis=-1)
    xs = np.stack([e[1] for e in edges], axis=-1)
    ys = np.stack([e[2] for e in edges], axis=-1)
    segs = []
    for want in (2, 4):
        mask = hits.sum(axis=-1) == want
        if not mask.any():
            continue
        h, x, y = hits[mask], xs[mask], ys[mask]
        order = np.argsort(~h, axis=-1, kind="stable")[:, :want]  # crossing edges first
        px = np.take_along_axis(x, order, axis=-1)
        py = np.take_along_axis(y, order, axis=-1)
        for k in range(0, want, 2):
            segs.append(np.stack([np.stack([px[:, k], py[:, k]], -1), np.stack([px[:, k + 1], py[:, k + 1]], -1)],
                                 axis=1))
    return np.concatenate(segs) if segs else np.empty((0, 2, 2))


def loss_slice(weights: Arrays, biases: Arrays, hidden: str, output: str, loss_name: str,
               x: np.ndarray, y: np.ndarray, kind: str, layer: int, j: int, i: int,
               values: np.ndarray) -> np.ndarray:
    """The mean loss over the rows of (x, y) with parameter (kind, layer, j, i) set to each of ``values``.

    ``kind`` "w" is ``weights[layer][j, i]``, "b" is ``biases[layer][j]``. Equals
    :func:`glassbox_game.engine.gradcheck.loss_along`, without its Python loop over values.
    """
    acts = _activations(len(weights), hidden, output)
    loss = get_loss(loss_name)
    v = np.asarray(values, dtype=float)
    a = np.asarray(x, dtype=float)
    with np.errstate(all="ignore"):
        for l in range(layer):  # unchanged below the parameter: one pass
            a = acts[l].f(a @ np.asarray(weights[l]).T + np.asarray(biases[l]))
        z = a @ np.asarray(weights[layer]).T + np.asarray(biases[layer])  # (n, out)
        base = float(weights[layer][j, i]) if kind == "w" else float(biases[layer][j])
        # only neuron j's z moves: by (v − base)·aᵢ for a weight, by (v − base) for a bias
        move = a[:, i] if kind == "w" else np.ones(a.shape[0])
        zv = np.broadcast_to(z, (v.size, *z.shape)).copy()  # (V, n, out)
        zv[:, :, j] += (v - base)[:, None] * move[None, :]
        av = acts[layer].f(zv)
        for l in range(layer + 1, len(weights)):
            zv = av @ np.asarray(weights[l]).T + np.asarray(biases[l])
            av = acts[l].f(zv)
        per = loss.per_sample(zv, av, np.asarray(y, dtype=float)[None, :, :])  # (V, n)
    return per.mean(axis=-1)


@dataclass(frozen=True, kw_only=True)
class SliceData:
    """What the loss-slice plot shows for one parameter."""

    values: np.ndarray  # parameter values across the plot
    losses: np.ndarray  # loss at each value
    w: float  # the parameter now
    loss_at_w: float
    slope: float  # ∂L/∂w from the trace: the tangent's slope
    new_w: float  # w − η·∂L/∂w
    loss_at_new: float
    per_sample: bool  # slope is the displayed sample's gradient (else the step's mean)


def slice_for(trace: Trace, kind: str, layer: int, j: int, i: int, sample: int | None,
              half_width: float = 3.0, n: int = 121) -> SliceData:
    """The loss slice around the trace's weights (before its update), for the whole step or one sample.

    The tangent's slope is the trace's own ∂L/∂w (``mean_grad_w`` or, for a displayed sample,
    ``grad_w[sample]``); the loss drawn is the one that gradient belongs to.
    """
    ws, bs = trace.weights, trace.biases
    w = float(ws[layer][j, i]) if kind == "w" else float(bs[layer][j])
    if sample is not None:
        rows = slice(sample, sample + 1)
        slope = float(trace.grad_w[layer][sample, j, i] if kind == "w" else trace.grad_b[layer][sample, j])
    else:
        rows = slice(None)
        slope = float(trace.mean_grad_w[layer][j, i] if kind == "w" else trace.mean_grad_b[layer][j])
    x, y = trace.x[rows], trace.y[rows]
    new_w = w - trace.learning_rate * slope
    values = np.concatenate([np.linspace(w - half_width, w + half_width, n), [w, new_w]])
    losses = loss_slice(ws, bs, trace.hidden_activation, trace.output_activation, trace.loss_name, x, y,
                        kind, layer, j, i, values)
    return SliceData(values=values[:-2], losses=losses[:-2], w=w, loss_at_w=float(losses[-2]), slope=slope,
                     new_w=new_w, loss_at_new=float(losses[-1]), per_sample=sample is not None)


def layer_gradient_magnitudes(trace: Trace) -> np.ndarray:
    """Per weight layer: the mean over samples and weights of |∂L/∂w| (per-sample gradients).

    Per-sample magnitudes, not the magnitude of the mean, so opposite gradients of two samples
    do not cancel and hide how much blame actually reaches the layer.
    """
    return np.array([float(np.mean(np.abs(g))) for g in trace.grad_w])


#: up to this many weights the gradient bars are drawn per connection (what a level's goal compares)
PER_CONNECTION_MAX = 12


def connection_gradient_magnitudes(trace: Trace) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
    """Per connection (l, j, i), in reading order: |mean ∂L/∂w| of the step — the gradient that is
    applied, and what "steepest" / "flattest" weight goals compare."""
    edges, mags = [], []
    for l, g in enumerate(trace.mean_grad_w):
        for j in range(g.shape[0]):
            for i in range(g.shape[1]):
                edges.append((l, j, i))
                mags.append(abs(float(g[j, i])))
    return np.array(mags), edges


def layer_label(layers: Sequence[int], l: int) -> str:
    """"x→h¹", "h¹→h²", "h²→ŷ" (or "x→h", "h→ŷ" with one hidden layer) for weight layer l."""
    sup = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    last = len(layers) - 1

    def name(m: int) -> str:
        if m == 0:
            return "x"
        if m == last:
            return "ŷ"
        return "h" if last == 2 else "h" + str(m).translate(sup)

    return f"{name(l)}→{name(l + 1)}"
