"""The loss chart: markers where the events happened, the log toggle, hover, long runs, the ghost."""

from __future__ import annotations

import os
from dataclasses import replace

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np
import pygame
import pytest

from glassbox_game.engine.locks import LockEvent
from glassbox_game.engine.setup import Setup
from glassbox_game.kit import text_log
from glassbox_game.kit.component import ViewContext
from glassbox_game.kit.layout import lecture_layout, sandbox_layout
from glassbox_game.kit.theme import make_theme
from glassbox_game.levels import LEVELS_DIR, load_level
from glassbox_game.numfmt import fmt
from glassbox_game.render.loss_chart import LossChartPanel, chart_draw_cost_ms
from glassbox_game.sim import commands as c
from glassbox_game.sim.history import LossHistory
from glassbox_game.sim.simulation import Simulation

SIZE = (1920, 1080)


@pytest.fixture(scope="module", autouse=True)
def display():
    pygame.init()
    pygame.display.set_mode((1, 1))
    yield


def trained(epochs: int = 400, **setup) -> Simulation:
    sim = Simulation(Setup(**{"problem": "xor", "seed": 1, **setup}))
    sim.submit(c.RunToEpoch(epochs))
    while sim.trainer.epoch < epochs:
        sim.update(1 / 120)
    return sim


def chart_for(size=SIZE, theme="dark") -> tuple[LossChartPanel, pygame.Surface]:
    th = make_theme(theme, size)
    chart = LossChartPanel()
    layout = lecture_layout if th.lecture else sandbox_layout
    chart.layout(layout(size, th)["chart"], ViewContext(th))
    return chart, pygame.Surface(size)


def level_run(number: int, epochs: int) -> Simulation:
    """A shipped level's network trained for ``epochs`` (or until it halts)."""
    path = next(LEVELS_DIR.glob(f"{number:02d}-*.toml"))
    sim = Simulation(load_level(path).setup)
    sim.submit(c.RunToEpoch(epochs))
    for _ in range(10_000):
        if sim.trainer.epoch >= epochs or sim.trainer.halt is not None:
            break
        sim.update(1 / 120)
    return sim


def chart_texts(chart: LossChartPanel, snap, size=SIZE) -> list[text_log.Placed]:
    """The chart's texts as the layout-fit test sees them (the glyphs' boxes on screen)."""
    text_log.start()
    try:
        screen = text_log.screen(size)
        chart._data_key = None  # rebuild the layers while the log is on
        chart.draw(screen, snap)
        return [r for r in screen.records if r.text.strip()]
    finally:
        text_log.stop()


def gap(box: pygame.Rect, point: tuple[int, int]) -> float:
    """The distance from ``box`` to ``point`` (0 inside)."""
    x, y = point
    return float(np.hypot(max(box.left - x, 0, x - box.right), max(box.top - y, 0, y - box.bottom)))


def curve_through(chart: LossChartPanel, box: pygame.Rect) -> bool:
    """The run's line (between its points, too) passes through ``box``."""
    xs, ys = chart.curve
    cols = np.arange(max(box.left, int(np.ceil(xs[0]))), min(box.right, int(xs[-1]) + 1))
    y = np.interp(cols, xs, ys)
    return bool(np.any((y >= box.top) & (y < box.bottom)))


def test_a_lock_event_puts_its_marker_at_the_epochs_x() -> None:
    snap = trained(400).snapshot()
    snap = replace(snap, lock_events=(LockEvent(310, 1, 1, True, "saturated"), LockEvent(350, 1, 1, False, "recovered")))
    chart, surface = chart_for()
    chart.draw(surface, snap)
    lock = [m for m in chart.markers if m.kind == "lock"]
    assert [m.epoch for m in lock] == [310]
    assert lock[0].x == chart.x_of_epoch(310)
    # the mapping is linear from the plot's left edge (epoch 0) to its right edge (the axis end)
    assert chart.x_of_epoch(0) == chart.plot.x and chart.x_of_epoch(chart.view.x_max) == chart.plot.right - 1
    assert chart.x_of_epoch(155) == pytest.approx((chart.x_of_epoch(0) + chart.x_of_epoch(310)) / 2, abs=1)
    assert "h₂ locked · epoch 310" in lock[0].label
    # the dashed line is drawn in the lock colour at that x
    select = make_theme("dark", SIZE).palette.select
    column = [tuple(surface.get_at((lock[0].x, y)))[:3] for y in range(chart.plot.y, chart.plot.bottom)]
    assert column.count(select) > chart.plot.h // 4
    assert [m.kind for m in chart.markers].count("unlock") == 1


def test_a_stopped_run_gets_a_divergence_marker_at_the_epoch_that_failed() -> None:
    # the failed epoch's update was not applied, so it is the one after the history (as the message says)
    snap = replace(trained(200).snapshot(), halt_message="the loss became NaN at epoch 201")
    chart, surface = chart_for()
    chart.draw(surface, snap)
    halt = [m for m in chart.markers if m.kind == "halt"]
    assert len(halt) == 1 and halt[0].epoch == 201 and halt[0].x == chart.x_of_epoch(201)
    assert halt[0].label == "training stopped at epoch 201"


def test_the_log_chip_is_a_target_and_toggles_the_scale_without_commands() -> None:
    snap = trained(300).snapshot()
    chart, surface = chart_for()
    chart.draw(surface, snap)
    chip = chart.targets()["chart:log"]
    assert chart.rect.contains(chip)
    click = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=chip.center, button=1)
    assert chart.handle_event(click, snap) == []
    chart.draw(surface, snap)
    assert chart.log and chart.view.log
    lo, hi = chart.view.y_lo, chart.view.y_hi
    assert np.log10(lo) == int(np.log10(lo)) and np.log10(hi) == int(np.log10(hi))  # whole decades
    chart.handle_event(click, snap)
    chart.draw(surface, snap)
    assert not chart.view.log and chart.view.y_lo == 0


def test_hover_reads_out_epoch_and_loss_and_is_visual_state_only() -> None:
    snap = trained(400).snapshot()
    chart, surface = chart_for()
    chart.draw(surface, snap)
    before = surface.copy()
    x = chart.x_of_epoch(200)
    move = pygame.event.Event(pygame.MOUSEMOTION, pos=(x, chart.plot.centery), rel=(0, 0), buttons=(0, 0, 0))
    assert chart.handle_event(move, snap) == []
    assert chart.hover_pos == (x, chart.plot.centery)
    assert round(chart.epoch_at_x(x)) == 200
    chart.draw(surface, snap)
    assert any(before.get_at((x + dx, chart.plot.y + 10)) != surface.get_at((x + dx, chart.plot.y + 10))
               for dx in range(0, 200))
    away = pygame.event.Event(pygame.MOUSEMOTION, pos=(0, 0), rel=(0, 0), buttons=(0, 0, 0))
    chart.handle_event(away, snap)
    assert chart.hover_pos is None


def test_a_million_epochs_draw_and_the_line_reaches_the_current_epoch() -> None:
    hist = LossHistory()
    hist.extend(np.linspace(0.3, 0.01, 1_000_000))
    snap = replace(trained(10).snapshot(), history=hist, epoch=1_000_000)
    chart, surface = chart_for()
    chart.draw(surface, snap)
    assert chart.view.x_max >= 1_000_000
    xs, _ = chart.curve
    assert xs.size <= chart.plot.w + 1  # one point per pixel column, not per epoch
    assert xs.max() == pytest.approx(chart.x_of_epoch(1_000_000), abs=2)


def test_a_run_of_another_loss_leaves_no_ghost() -> None:
    # cross-entropy and MSE are not on one scale: the MSE run is not drawn behind the new one
    sim = trained(300)
    sim.submit(c.ChangeSetup((("loss", "cross_entropy"),)))
    sim.update(1 / 120)
    assert sim.snapshot().ghost is None


def test_the_ghost_run_sets_the_x_range_and_is_drawn() -> None:
    sim = trained(300)
    sim.submit(c.ChangeSetup((("learning_rate", 0.3), ("seed", 4))))
    sim.update(1 / 120)
    sim.submit(c.RunToEpoch(50))
    while sim.trainer.epoch < 50:
        sim.update(1 / 120)
    snap = sim.snapshot()
    assert snap.ghost is not None and len(snap.ghost) == 300
    chart, surface = chart_for()
    chart.draw(surface, snap)
    assert chart.view.x_max >= 300
    ghost = chart.ghost_colour
    x = chart.x_of_epoch(250)
    column = [tuple(surface.get_at((x, y)))[:3] for y in range(chart.plot.y, chart.plot.bottom)]
    assert ghost in column


@pytest.mark.parametrize(("size", "theme"), [((1280, 720), "dark"), ((3840, 2160), "light"),
                                             ((1920, 1080), "lecture-light")])
def test_every_size_and_theme_draws_inside_the_card(size, theme) -> None:
    snap = trained(300).snapshot()
    chart, surface = chart_for(size, theme)
    chart.draw(surface, snap)
    assert chart.rect.contains(chart.plot) and chart.rect.contains(chart.targets()["chart:log"])
    assert chart.plot.w > 100 and chart.plot.h > 40


def test_the_bench_measures_a_draw_cost() -> None:
    assert chart_draw_cost_ms(1000, frames=3) > 0


def _count(outputs: np.ndarray, targets: np.ndarray) -> float:
    return float(np.mean((outputs[:, 0] >= 0.5) == (targets[:, 0] >= 0.5)))


def test_a_classification_shows_the_displayed_steps_training_and_test_accuracy() -> None:
    from glassbox_game.render.loss_chart import accuracy_line, percent

    sim = trained(40, problem=None, generator="gaussians", points=80, noise=0.3, test_fraction=0.5,
                  loss="cross_entropy", batch_size=8)
    snap = sim.snapshot()
    tr, data, test = snap.trace, sim.trainer.data, sim.trainer.test_data
    assert test is not None
    # a direct count over the trace's weights' outputs on the whole training and test sets
    net = sim.trainer.network.copy()
    net.set_parameters(list(tr.params))
    train_acc, test_acc = _count(net.predict(data.x), data.y), _count(net.predict(test.x), test.y)
    assert tr.train_accuracy == train_acc and tr.test_accuracy == test_acc
    line = accuracy_line(snap)
    assert line == f"accuracy  training {percent(train_acc)}  ·  test {percent(test_acc)}"
    chart, surf = chart_for()
    chart.draw(surf, snap)
    assert chart.accuracy_rect is not None and chart.plot.contains(chart.accuracy_rect)
    assert not chart.accuracy_rect.colliderect(chart.value_rect)


def test_a_truth_table_or_a_regression_shows_no_accuracy() -> None:
    from glassbox_game.render.loss_chart import accuracy_line

    for sim in (trained(20), trained(20, problem=None, generator="plane", points=40, output_activation="tanh")):
        snap = sim.snapshot()
        assert accuracy_line(snap) is None
        chart, surf = chart_for()
        chart.draw(surf, snap)
        assert chart.accuracy_rect is None


@pytest.mark.parametrize(("level", "size", "theme"), [(8, SIZE, "dark"), (10, SIZE, "dark"),
                                                       (8, SIZE, "lecture-light"), (8, (1280, 720), "light"),
                                                       (8, (3840, 2160), "lecture-dark")])
def test_a_lock_label_sits_beside_its_padlock_clear_of_the_axis_the_value_and_the_line(level, size, theme) -> None:
    # levels 8 and 10 lock ŷ / h₂ at epoch 1, with the loss at the top of the scale: the padlock is on
    # the top row, where the label used to start under it and the flat line ran through it
    sim = level_run(level, 30)
    snap = sim.snapshot()
    assert snap.lock_events and snap.lock_events[0].epoch == 1
    chart, _ = chart_for(size, theme)
    texts = chart_texts(chart, snap, size)
    t = chart.theme
    lock = next(m for m in chart.markers if m.kind == "lock")
    assert lock.icon is not None and lock.label_rect is not None
    label = lock.label_rect
    # beside its padlock, with a gap, not under it
    assert not label.colliderect(lock.icon)
    assert label.left >= lock.icon.right + t.px(4) or label.right <= lock.icon.left - t.px(4)
    # inside the plot (so off the y-axis tick labels), off the value label and the marked point, off the line
    assert chart.plot.contains(label)
    assert chart.value_rect.w > 0 and not label.colliderect(chart.value_rect)
    assert chart.point_xy is not None and not label.inflate(t.px(6), t.px(6)).collidepoint(chart.point_xy)
    assert not curve_through(chart, label)
    # and as the layout-fit test reads the screen: no text of the chart on another
    drawn = [r for r in texts if "locked" in r.text]
    assert len(drawn) == 1 and label.contains(drawn[0].rect)
    assert not drawn[0].rect.colliderect(lock.icon)
    for a in texts:
        for b in texts:
            if a is not b and a.rect.colliderect(b.rect):
                raise AssertionError(f"{a.text!r} {tuple(a.rect)} overlaps {b.text!r} {tuple(b.rect)}")


def test_level_11s_halt_shows_the_failed_epochs_loss_at_its_point_on_the_scale() -> None:
    sim = level_run(11, 50)
    snap = sim.snapshot()
    tr = snap.trace
    assert snap.halt_message is not None and f"epoch {tr.epoch}" in snap.halt_message
    assert tr.epoch == len(snap.history) + 1 == 23  # the failed epoch is not in the history
    chart, _ = chart_for()
    texts = chart_texts(chart, snap)
    # the marked point is the displayed step's, drawn where its loss is: the scale includes it
    assert chart.point == (tr.epoch, tr.loss, fmt(tr.loss, 4))
    assert chart.view.y_hi >= tr.loss and not chart.value_off_scale
    assert chart.point_xy == (chart.x_of_epoch(23), int(chart.y_of_loss(tr.loss)))
    assert chart.point_xy[1] > chart.plot.y + chart.theme.px(8)  # not pinned to the top edge
    # the value label says that loss and sits beside that point (not beside epoch 22's)
    value = [r for r in texts if r.text == fmt(tr.loss, 4)]
    assert len(value) == 1 and chart.value_rect.contains(value[0].rect)
    px, py = chart.point_xy
    near = chart.value_rect.inflate(2 * chart.theme.px(16), 2 * chart.theme.px(16))
    assert near.collidepoint(px, py)
    before = (chart.x_of_epoch(22), int(chart.y_of_loss(snap.history.at(22))))
    assert gap(chart.value_rect, (px, py)) < gap(chart.value_rect, before)  # nearer its point than epoch 22's
    # the halt's cross marks the same epoch and point; no text lies under it
    halt = next(m for m in chart.markers if m.kind == "halt")
    assert halt.epoch == tr.epoch and halt.label == f"training stopped at epoch {tr.epoch}"
    assert halt.icon is not None and halt.icon.collidepoint(px, py)
    assert all(not r.rect.colliderect(halt.icon) for r in texts), [r.text for r in texts if r.rect.colliderect(halt.icon)]
    assert halt.label_rect is not None and not halt.label_rect.colliderect(chart.value_rect)


def test_a_point_above_the_scales_cap_is_a_marker_at_the_top_edge_labelled_with_its_value() -> None:
    snap = trained(30).snapshot()
    snap = replace(snap, trace=replace(snap.trace, loss=4.2e15))  # beyond the 1e12 the scale stops at
    chart, _ = chart_for()
    texts = chart_texts(chart, snap)
    assert chart.view.y_hi <= 1e12 and chart.value_off_scale
    assert chart.point_xy is not None and chart.point_xy[1] <= chart.plot.y + chart.theme.px(8)
    value = [r for r in texts if r.text == fmt(4.2e15, 4)]
    assert len(value) == 1 and chart.plot.contains(chart.value_rect)


@pytest.mark.parametrize("trained_epochs", [0, 20])
def test_after_a_diverged_run_the_new_run_sets_the_scale_and_the_ghost_leaves_through_the_top(
        trained_epochs: int) -> None:
    """Level 11: diverge, Reset. Before a single epoch (only the marked point) the ghost's 3e11 set the
    scale and the new run was a dot on zero; after some epochs the ghost ran along the top edge as if it
    had levelled off at the scale's top."""
    sim = level_run(11, 30)
    assert sim.trainer.halt is not None
    sim.submit(c.ChangeSetup((("learning_rate", 0.05),)))
    sim.submit(c.Reset())
    sim.update(1 / 120)
    if trained_epochs:
        sim.submit(c.RunToEpoch(trained_epochs))
        while sim.trainer.epoch < trained_epochs:
            sim.update(1 / 120)
    snap = sim.snapshot()
    assert snap.ghost is not None and max(snap.ghost.at(e) or 0 for e in range(1, 23)) > 1e10
    chart, surface = chart_for()
    chart.draw(surface, snap)
    assert float(snap.trace.loss) <= chart.view.y_hi <= 4.0  # the new run's (from 3.625): 0 … 4, not 3e11
    ghost = chart.ghost_colour
    top_rows = range(chart.plot.y - 8, chart.plot.y + 3)
    xs = range(chart.x_of_epoch(5), chart.x_of_epoch(20))
    on_top = sum(tuple(surface.get_at((x, y)))[:3] == ghost for x in xs for y in top_rows)
    assert on_top == 0, f"the ghost runs along the top edge ({on_top} pixels)"
