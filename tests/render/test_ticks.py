"""Axis ticks: nice numbers whose labels do not overlap, at the chart widths the game really uses."""

from __future__ import annotations

import math
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import itertools

import pygame
import pytest

from glassbox_game.kit.layout import sandbox_layout
from glassbox_game.kit.theme import make_theme
from glassbox_game.render import ticks


def is_nice(v: float) -> bool:
    if v == 0:
        return True
    e = math.floor(math.log10(abs(v)))
    return any(math.isclose(abs(v), m * 10.0**e) for m in (1, 2, 5))


@pytest.fixture(scope="module")
def chart_width_720p() -> tuple[int, object]:
    pygame.init()
    theme = make_theme("dark", (1280, 720))
    # the plot is the chart card minus padding and the y labels: take the card's width less 25 %
    return round(sandbox_layout((1280, 720), theme)["chart"].w * 0.75), theme


@pytest.mark.parametrize(("epochs", "labels_in"), [(10, {"0", "10"}), (1_000, {"0", "1,000"}),
                                                   (1_000_000, {"0", "1M"})])
def test_epoch_ticks_are_nice_and_their_labels_do_not_overlap(epochs: int, labels_in: set[str],
                                                             chart_width_720p) -> None:
    width, theme = chart_width_720p
    upper = ticks.epoch_upper(epochs)
    assert upper >= epochs

    def measure(s: str) -> int:
        return theme.measure(s, "caption", mono=True)[0]

    values, labels = ticks.choose_linear(0, upper, width, measure, lambda v, s: ticks.format_count(v), gap=12)
    assert len(values) >= 4
    steps = {round(b - a, 6) for a, b in itertools.pairwise(values)}
    assert len(steps) == 1 and is_nice(steps.pop())
    assert all(is_nice(v) or v % (values[1] - values[0]) == 0 for v in values)
    assert labels_in <= set(labels)
    positions = [v / upper * width for v in values]
    spans = ticks.label_spans(positions, labels, measure)
    assert all(b[0] - a[1] >= 12 for a, b in itertools.pairwise(spans))


def test_labels_read_like_numbers() -> None:
    assert [ticks.format_count(v) for v in (0, 250, 1000, 7500, 10000, 250000, 1e6, 1.5e6)] == \
        ["0", "250", "1,000", "7,500", "10k", "250k", "1M", "1.5M"]
    assert ticks.format_value(0.1, 0.05) == "0.10" and ticks.format_value(-0.5, 0.5) == "−0.5"
    assert ticks.format_loss(0.08731) == "0.0873" and ticks.format_loss(0.00871) == "0.0087"
    assert [ticks.format_decade(e) for e in (-3, -1, 0, 2, 4)] == ["10⁻³", "0.1", "1", "100", "10⁴"]


def test_the_axis_end_grows_in_steps_not_every_epoch() -> None:
    ends = sorted({ticks.epoch_upper(n) for n in range(0, 5001)})
    assert len(ends) <= 30  # about ten re-scalings a decade, each at least 20 % wider
    assert all(b >= 1.2 * a for a, b in itertools.pairwise(ends))
    assert all(ticks.epoch_upper(n) >= n for n in range(0, 5001, 7))
    assert ticks.nice_upper(0.27) == pytest.approx(0.3) and ticks.nice_upper(0.3) == pytest.approx(0.3)


def test_overlap_check_detects_crowded_labels() -> None:
    assert not ticks.labels_fit([0, 10, 20], ["1,000", "2,000", "3,000"], lambda s: 9 * len(s))
    assert ticks.labels_fit([0, 100, 200], ["1,000", "2,000", "3,000"], lambda s: 9 * len(s))


def test_log_ticks_are_decades_with_in_betweens_on_short_ranges() -> None:
    assert ticks.decade_ticks(0.0012, 0.3) == [-3, -2, -1, 0]
    assert ticks.log_ticks(0.1, 1.0) == pytest.approx([0.1, 0.2, 0.5, 1.0])
    assert ticks.log_ticks(1e-6, 1.0) == pytest.approx([10.0**e for e in range(-6, 1)])


def test_runaway_values_keep_labels_apart_and_short() -> None:
    """Level 11's loss slice: two y labels 1e8 apart near 4.62e11 read 4.62e11 twice, and the x end
    labels were 12-digit integers. Labels a step apart differ; a value never takes more than six figures."""
    lo, hi = 4.6227e11, 4.6228e11
    step = (hi - lo) / 10
    assert ticks.format_value(lo, step) != ticks.format_value(hi, step)
    assert ticks.format_value(4.615e11, 1e8) == "4.615e11" and ticks.format_value(3e11, 1e11) == "3e11"
    for v in (-527562.79, 123456789.0, 4.6227e11):
        text = ticks.format_value(v, 0.01)
        assert "e" in text and sum(ch.isdigit() for ch in text.split("e")[0]) <= 5, text
    assert ticks.format_value(250000, 50000) == "250000" and ticks.format_value(1234.5678, 0.01) == "1234.57"
