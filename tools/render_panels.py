"""Render the chain-rule and tables panels into PNGs (headless) for looking at them.

    .venv/bin/python tools/render_panels.py [OUT_DIR]

Lays the panels into the reference rects of the sandbox (chain rule x=1160..1896, y=80..488;
tables y=504..752 at 1080p, scaled to the window) and the lecture rect, for several selections.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame

from glassbox_game.engine.setup import Setup
from glassbox_game.kit.component import ViewContext
from glassbox_game.kit.theme import make_theme
from glassbox_game.render.chain_rule_panel import ChainRulePanel
from glassbox_game.render.tables_panel import TablesPanel
from glassbox_game.sim import commands as c
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import Simulation
from glassbox_game.sim.snapshot import Snapshot

CHAIN = (1160, 80, 736, 408)
TABLES = (1160, 504, 736, 248)
LECTURE_CHAIN = (1136, 24, 760, 1032)


def scaled(rect: tuple[int, int, int, int], size: tuple[int, int]) -> pygame.Rect:
    sx, sy = size[0] / 1920, size[1] / 1080
    return pygame.Rect(round(rect[0] * sx), round(rect[1] * sy), round(rect[2] * sx), round(rect[3] * sy))


def snapshot(setup: Setup, epochs: int, selection: Selection | None, sample: int | None) -> Snapshot:
    sim = Simulation(setup)
    sim.submit(c.RunToEpoch(epochs))
    sim.submit(c.Select(selection))
    sim.submit(c.SetSample(sample))
    for _ in range(3):
        sim.update(1 / 120)
    return sim.snapshot()


def render(snap: Snapshot, size: tuple[int, int], theme_name: str, tab: str | None, out: Path,
           lecture_rect: bool = False) -> None:
    theme = make_theme(theme_name, size)
    surface = pygame.Surface(size)
    surface.fill(theme.palette.bg)
    ctx = ViewContext(theme)
    chain = ChainRulePanel()
    chain.layout(scaled(LECTURE_CHAIN if lecture_rect else CHAIN, size), ctx)
    chain.refresh(snap)
    chain.draw(surface, snap)
    if not lecture_rect:
        tables = TablesPanel()
        tables.layout(scaled(TABLES, size), ctx)
        if tab:
            tables.select_tab(tab)
        tables.refresh(snap)
        tables.draw(surface, snap)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Save the right column only (plus its margin): the rest of the frame belongs to other cards.
    area = chain.rect.union(tables.rect) if not lecture_rect else chain.rect
    area = area.inflate(2 * theme.px(16), 2 * theme.px(16)).clip(surface.get_rect())
    pygame.image.save(surface.subsurface(area), str(out))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/panels")
    pygame.init()
    pygame.display.set_mode((1, 1))
    xor = Setup()
    ce = Setup(loss="cross_entropy")
    cases = [
        ("output-weight", xor, Selection.edge(1, 0, 0), 2, "loss"),
        ("hidden-weight", xor, Selection.edge(0, 0, 0), 2, "a"),
        ("cross-entropy", ce, Selection.edge(1, 0, 1), 2, "delta"),
        ("bias-batch", xor, Selection.neuron(1, 1), None, "w"),
        ("edge-batch", xor, Selection.edge(1, 0, 0), None, "loss"),
        ("nothing", xor, None, 0, "loss"),
    ]
    for name, setup, sel, sample, tab in cases:
        snap = snapshot(setup, 300, sel, sample)
        for size in ((1920, 1080), (3840, 2160), (1280, 720)):
            render(snap, size, "dark", tab, out / f"{name}-{size[0]}x{size[1]}.png")
    for name, setup, sel, sample, _tab in cases[:3]:
        snap = snapshot(setup, 300, sel, sample)
        render(snap, (1920, 1080), "lecture-light", None, out / f"lecture-{name}-1920x1080.png", True)
        render(snap, (1920, 1080), "light", "w", out / f"light-{name}-1920x1080.png")


if __name__ == "__main__":
    main()
