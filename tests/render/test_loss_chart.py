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
from glassbox_game.kit.component import ViewContext
from glassbox_game.kit.layout import sandbox_layout
from glassbox_game.kit.theme import make_theme
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
    chart.layout(sandbox_layout(size, th)["chart"], ViewContext(th))
    return chart, pygame.Surface(size)


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


def test_a_stopped_run_gets_a_divergence_marker_at_its_last_epoch() -> None:
    snap = replace(trained(200).snapshot(), halt_message="the loss became NaN at epoch 200")
    chart, surface = chart_for()
    chart.draw(surface, snap)
    halt = [m for m in chart.markers if m.kind == "halt"]
    assert len(halt) == 1 and halt[0].epoch == 200 and halt[0].x == chart.x_of_epoch(200)


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
