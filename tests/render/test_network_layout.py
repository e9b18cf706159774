"""Geometry of the network drawing: widths, sign cues, placement, hit-testing (no pixels)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from glassbox_game.engine import names
from glassbox_game.render.network_layout import (
    WIDTH_MAX,
    WIDTH_MIN,
    clear_point,
    column_title,
    compute_geometry,
    dash_segments,
    edge_style,
    edge_width,
    place_labels,
)

AREA = (300.0, 150.0, 700.0, 460.0)
SHAPES = [(2, 2, 1), (2, 4, 4, 1), (2, 2, 2), (8,) * 8, (2, 8, 8, 8, 8, 8, 8, 1)]


@given(st.floats(-50, 50), st.floats(-50, 50))
def test_edge_width_is_monotonic_in_abs_w(a: float, b: float) -> None:
    if abs(a) <= abs(b):
        assert edge_width(a) <= edge_width(b)


def test_edge_width_is_clamped_and_scaled() -> None:
    assert edge_width(0.0) == pytest.approx(WIDTH_MIN)
    assert edge_width(1e6) == pytest.approx(WIDTH_MAX)
    assert edge_width(-1e6) == pytest.approx(WIDTH_MAX)
    assert edge_width(float("nan")) <= WIDTH_MAX
    assert edge_width(2.0, unit=2.0) == pytest.approx(2 * edge_width(2.0))
    assert edge_width(100.0, max_px=5.0) == pytest.approx(5.0)
    # strictly growing over the readable range, so a student can compare weights by eye
    ws = np.linspace(0, 4, 9)
    assert all(edge_width(a) < edge_width(b) for a, b in itertools.pairwise(ws))


def test_sign_is_encoded_by_colour_and_dash_pattern() -> None:
    pos, neg = edge_style(1.5), edge_style(-1.5)
    assert (pos.colour_role, pos.dashed, pos.sign) == ("positive", False, 1)
    assert (neg.colour_role, neg.dashed, neg.sign) == ("negative", True, -1)
    assert neg.dash > 0 and neg.gap > 0
    assert pos.width == neg.width  # magnitude, not sign, sets the width


def test_dash_segments_leave_gaps_and_stay_on_the_line() -> None:
    segs = dash_segments((0.0, 0.0), (100.0, 0.0), 10.0, 6.0)
    assert len(segs) >= 5
    covered = sum(b[0] - a[0] for a, b in segs)
    assert 50 < covered < 70
    assert all(0 <= a[0] < b[0] <= 100 and a[1] == b[1] == 0 for a, b in segs)


@pytest.mark.parametrize("layers", SHAPES)
def test_neurons_sit_in_columns_inside_the_area_without_overlap(layers: tuple[int, ...]) -> None:
    g = compute_geometry(AREA, layers)
    x, y, w, h = AREA
    xs = [col[0][0] for col in g.centres]
    assert xs == sorted(xs) and len(set(xs)) == len(layers)
    pts = [p for col in g.centres for p in col]
    assert len(pts) == sum(layers)
    for px, py in pts:
        assert x + g.radius - 1e-6 <= px <= x + w - g.radius + 1e-6
        assert y <= py <= y + h
    for (ax, ay), (bx, by) in itertools.combinations(pts, 2):
        assert math.hypot(ax - bx, ay - by) >= 2 * g.radius + 4  # room for an edge between
    assert g.n_edges == sum(a * b for a, b in itertools.pairwise(layers))


def test_edges_run_rim_to_rim_and_packets_interpolate() -> None:
    g = compute_geometry(AREA, (2, 2, 1))
    (sx, sy), (tx, ty) = g.centres[1][0], g.centres[2][0]
    (ax, ay), (bx, by) = g.segment(1, 0, 0)
    assert math.hypot(ax - sx, ay - sy) == pytest.approx(g.radius)
    assert math.hypot(bx - tx, by - ty) == pytest.approx(g.radius)
    xs, ys = g.packet_xy(np.array([1, 1]), np.array([0, 0]), np.array([0, 0]), np.array([0.0, 1.0]))
    assert (xs[0], ys[0]) == pytest.approx((ax, ay)) and (xs[1], ys[1]) == pytest.approx((bx, by))


@pytest.mark.parametrize("layers", SHAPES[:4])
def test_hit_testing_finds_each_edge_at_its_clear_point(layers: tuple[int, ...]) -> None:
    g = compute_geometry(AREA, layers)
    for k in range(g.n_edges):
        edge = g.edge_of(k)
        assert g.edge_index(*edge) == k
        assert g.edge_at(clear_point(g, *edge)) == edge
    for layer, col in enumerate(g.centres):
        for j, p in enumerate(col):
            assert g.neuron_at(p) == (layer, j)
    assert g.edge_at((AREA[0] - 50, AREA[1] - 50)) is None
    assert g.neuron_at((AREA[0] - 50, AREA[1] - 50)) is None


def test_hit_slop_grows_with_edge_width() -> None:
    g = compute_geometry(AREA, (2, 2, 1))
    (ax, ay), (bx, by) = g.segment(0, 0, 0)  # x1 → h1, level
    mid = ((ax + bx) / 2, (ay + by) / 2 + 9)  # 9 px off the centre line
    widths = np.full(g.n_edges, 2.0)
    assert g.edge_at(mid, widths) is None
    widths[g.edge_index(0, 0, 0)] = 20.0
    assert g.edge_at(mid, widths) == (0, 0, 0)


def test_weight_labels_of_a_2_2_1_net_do_not_overlap() -> None:
    g = compute_geometry(AREA, (2, 2, 1))
    size = (90.0, 24.0)
    keys = [g.edge_of(k) for k in range(g.n_edges)]
    spots = place_labels(g, dict.fromkeys(keys, size))
    boxes = [(x - size[0] / 2, y - size[1] / 2) for x, y in spots.values()]
    for (ax, ay), (bx, by) in itertools.combinations(boxes, 2):
        assert abs(ax - bx) >= size[0] or abs(ay - by) >= size[1]
    for x, y in spots.values():  # and none covers a neuron
        for col in g.centres:
            for cx, cy in col:
                assert abs(x - cx) >= size[0] / 2 + g.radius or abs(y - cy) >= size[1] / 2 + g.radius


def test_names_and_keys() -> None:
    assert [names.neuron_name((2, 2, 1), 0, 0), names.neuron_name((2, 2, 1), 1, 1),
            names.neuron_name((2, 2, 1), 2, 0)] == ["x₁", "h₂", "ŷ"]
    assert names.neuron_name((2, 4, 4, 1), 2, 0) == "h²₁"
    assert names.connection_key((2, 2, 1), 0, 0, 0) == "x1->h1"
    assert names.connection_key((2, 2, 1), 1, 0, 1) == "h2->y"
    assert names.connection_key((2, 4, 4, 1), 1, 2, 0) == "h1_1->h2_3"
    assert names.neuron_key((2, 2, 2), 2, 1) == "y2"
    assert column_title((2, 4, 4, 1), 2) == "HIDDEN 2"
