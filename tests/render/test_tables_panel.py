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
