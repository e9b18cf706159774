"""The tables card: tabs, clicks that select, decimal alignment, caching."""

from __future__ import annotations

from dataclasses import replace

import pygame
import pytest

from glassbox_game.engine.setup import Setup
from glassbox_game.kit.component import ViewContext
from glassbox_game.kit.theme import make_theme
from glassbox_game.render.tables_panel import TABS, TablesPanel
from glassbox_game.sim import commands as c
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import Simulation
from glassbox_game.sim.snapshot import Snapshot

TABLES = pygame.Rect(1160, 504, 736, 248)


@pytest.fixture(scope="module", autouse=True)
def display():
    pygame.init()
    pygame.display.set_mode((1, 1))
    yield


@pytest.fixture
def snap() -> Snapshot:
    sim = Simulation(Setup())
    sim.submit(c.RunToEpoch(300))
    sim.submit(c.SetSample(2))
    for _ in range(3):
        sim.update(1 / 120)
    return sim.snapshot()


def laid_out(snap: Snapshot, tab: str = "loss") -> TablesPanel:
    p = TablesPanel()
    p.layout(TABLES, ViewContext(make_theme("dark", (1920, 1080))))
    p.select_tab(tab)
    p.draw(pygame.Surface((1920, 1080)), snap)
    return p


def click(p: TablesPanel, snap: Snapshot, name: str) -> list[c.Command]:
    pos = p.targets()[name].center
    return p.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=pos), snap)


def test_tabs_switch_by_click_and_by_name(snap: Snapshot) -> None:
    p = laid_out(snap)
    assert {f"tab:{k}" for k, _ in TABS} <= set(p.targets())
    assert click(p, snap, "tab:delta") == [] and p.tab == "delta"
    p.select_tab("w")
    assert p.tab == "w"
    with pytest.raises(ValueError):
        p.select_tab("nope")


def test_clicking_cells_selects_neurons_weights_and_samples(snap: Snapshot) -> None:
    p = laid_out(snap, "a")
    assert click(p, snap, "cell:a:h1:3") == [c.Select(Selection.neuron(1, 0)), c.SetSample(3)]
    assert click(p, snap, "row:a:1") == [c.SetSample(1)]
    p = laid_out(snap, "w")
    assert click(p, snap, "cell:w:h1->y:grad") == [c.Select(Selection.edge(1, 0, 0))]
    assert click(p, snap, "cell:w:b:h2") == [c.Select(Selection.neuron(1, 1))]
    p = laid_out(snap, "loss")
    assert click(p, snap, "row:loss:0") == [c.SetSample(0)] or click(p, snap, "cell:loss:y:0") == [c.SetSample(0)]


def test_every_table_fits_the_card(snap: Snapshot) -> None:
    for key, _ in TABS:
        p = laid_out(snap, key)
        card = TABLES
        for name, r in p.targets().items():
            assert card.contains(r.clip(card)) and r.colliderect(card), name


def test_numbers_share_their_decimal_point(snap: Snapshot) -> None:
    p = laid_out(snap, "delta")
    cells = [p.targets()[f"cell:delta:y:{k}"] for k in range(4)]
    # Same column: the hit boxes share their x; the digits are aligned by draw_decimal (see mathtext).
    assert len({r.x for r in cells}) == 1


def test_caches_until_something_changes(snap: Snapshot) -> None:
    p = laid_out(snap)
    n = p.builds
    p.refresh(snap)
    assert p.builds == n
    p.select_tab("a")
    p.refresh(snap)
    assert p.builds == n + 1
    p.refresh(replace(snap, sample=1))
    assert p.builds == n + 2


def test_a_short_card_keeps_the_displayed_samples_row_in_view(snap: Snapshot) -> None:
    """Room for one row only: the highlighted (displayed) sample's row is the one shown, not row 1."""
    p = TablesPanel()
    p.layout(pygame.Rect(0, 0, 736, 150), ViewContext(make_theme("dark", (1920, 1080))))
    surface = pygame.Surface((1920, 1080))
    for _ in range(2):  # the scroll it chose is part of the card's key: the next frame draws it
        p.draw(surface, snap)
    rows = {name.rsplit(":", 1)[1] for name in p.targets() if name.startswith("cell:loss:")}
    assert rows == {"2"}, rows
    p.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False), snap)  # the wheel still scrolls


def by_hand_snapshot() -> Snapshot:
    """Level 13's network (two outputs, one sample) after its forward pass."""
    from pathlib import Path

    from glassbox_game.levels.loader import load_level

    level = load_level(Path(__file__).parents[2] / "levels" / "13-backprop-by-hand.toml")
    sim = Simulation(level.setup)
    return sim.snapshot()


def shown_cells(p: TablesPanel) -> set[str]:
    return {name.split(":")[2] for name in p.targets() if name.startswith("cell:loss:")}


@pytest.mark.parametrize("width", [700, 760])
def test_a_two_output_loss_row_wraps_its_written_loss_instead_of_hiding_columns(width: int) -> None:
    """Level 13 at 1080p: the written loss takes a second line (at its +), and the one-row bar (always
    full, so it says nothing) gives way, so every column is on the card without Shift+scroll."""
    snap = by_hand_snapshot()
    p = TablesPanel()
    card = pygame.Rect(0, 0, width, 248)
    p.layout(card, ViewContext(make_theme("dark", (1920, 1080))))
    p.draw(pygame.Surface((1920, 1080)), snap)
    assert shown_cells(p) == {"x1", "x2", "y", "yhat1", "yhat2", "written", "loss"}
    written = p.targets()["cell:loss:written:0"]
    row = p.targets()["cell:loss:loss:0"]
    assert written.h > 1.6 * row.h / 2 and card.contains(written) and card.contains(row)
    assert p.shown_grid is not None
    assert p.shown_grid.rows[0][5].pieces == ("½(0.751 − 0.0100)²", " + ½(0.773 − 0.990)²")


def test_a_wrap_that_cannot_make_the_row_fit_is_not_made() -> None:
    """Too narrow even wrapped: the row keeps one line and the columns slide, as before."""
    snap = by_hand_snapshot()
    p = TablesPanel()
    p.layout(pygame.Rect(0, 0, 380, 248), ViewContext(make_theme("dark", (1920, 1080))))
    p.draw(pygame.Surface((1920, 1080)), snap)
    assert "loss" not in shown_cells(p)
    row = p.targets()["cell:loss:x1:0"]
    assert all(r.h == row.h for name, r in p.targets().items() if name.startswith("cell:loss:"))


def test_level_13_shows_its_whole_loss_table_at_every_size() -> None:
    """The real level at 1280×720, 1920×1080 and 3840×2160: every column, nothing cut or overlapping."""
    from glassbox_game import tour
    from glassbox_game.kit import text_log
    from tests.app.helpers import frames, make_app, press

    text_log.start()
    try:
        for size in ("1280x720", "1920x1080", "3840x2160"):
            app = make_app("play", "13", "--resolution", size)
            try:
                press(app, "return")  # close the briefing
                frames(app, 3)
                cap = tour.capture(app, f"level 13 {size}")
                texts = [r.text for _, layer in cap.layers for r in layer if r.panel == "tables"]
                assert "loss" in texts and "+ ½(0.773 − 0.990)²" in texts, (size, texts)
                assert not any("Shift+scroll" in s or "more column" in s for s in texts), (size, texts)
                assert tour.problems(cap) == [], size
            finally:
                app.shutdown()
    finally:
        text_log.stop()
