"""Render the loss chart and insight card for a few scripted runs to PNGs (for looking at them).

Usage: SDL_VIDEODRIVER=dummy .venv/bin/python tools/render_charts.py [OUT_DIR] [--sizes 1920x1080,...]
Only the chart and insight cards are drawn (the rest of the window is left as background).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pygame

from glassbox_game.engine.setup import Setup
from glassbox_game.kit.component import ViewContext
from glassbox_game.kit.layout import lecture_layout, sandbox_layout
from glassbox_game.kit.theme import make_theme
from glassbox_game.render.insight_panel import InsightPanel
from glassbox_game.render.loss_chart import LossChartPanel
from glassbox_game.sim import commands as c
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import Simulation


def run(sim: Simulation, *cmds: c.Command) -> Simulation:
    for cmd in cmds:
        sim.submit(cmd)
        sim.update(1 / 120)
    while sim.run_to is not None:
        sim.update(1 / 120)
    return sim


def saturated_221(loss: str = "mse") -> Setup:
    """XOR 2-2-1 whose output starts saturated: MSE crawls, cross-entropy does not."""
    return Setup(problem="xor", loss=loss, weights=(((3.0, 3.0), (-3.0, -3.0)), ((1.0, 1.0),)),
                 biases=((-1.0, 1.0), (6.0,)))


def scenarios() -> dict[str, Callable[[], tuple[Simulation, str, Selection | None]]]:
    def and_gate():
        return run(Simulation(Setup(problem="and", seed=1)), c.RunToEpoch(1500)), "map", None

    def xor_plateau():
        return run(Simulation(Setup(problem="xor", seed=XOR_SEED)), c.RunToEpoch(XOR_EPOCHS)), "map", None

    def vanishing():
        s = Setup(layers=(2, 4, 4, 4, 1), problem="xor", seed=5, init_radius=4.0)
        return run(Simulation(s), c.RunToEpoch(4000)), "bars", None

    def ghost():
        sim = run(Simulation(saturated_221("mse")), c.RunToEpoch(3000))
        return run(sim, c.ChangeSetup((("loss", "cross_entropy"),)), c.RunToEpoch(3000)), "slice", \
            Selection.edge(1, 0, 0)

    def slice_hidden():
        sim = run(Simulation(Setup(problem="xor", seed=XOR_SEED)), c.RunToEpoch(600),
                  c.Select(Selection.edge(0, 1, 0)), c.SetSample(None))
        return sim, "slice", Selection.edge(0, 1, 0)

    return {"and-converging": and_gate, "xor-plateau-then-converging": xor_plateau,
            "vanishing-gradient-locks": vanishing, "mse-vs-cross-entropy-ghost": ghost,
            "xor-slice-hidden-weight": slice_hidden}


XOR_SEED = 1
XOR_EPOCHS = 4000


def render(name: str, sim: Simulation, tab: str, sel: Selection | None, size: tuple[int, int], theme_name: str,
           out: Path, log: bool = False) -> Path:
    if sel is not None:
        run(sim, c.Select(sel))
    snap = sim.snapshot()
    theme = make_theme(theme_name, size)
    rects = lecture_layout(size, theme, frozenset({"insight"})) if theme.lecture else sandbox_layout(size, theme)
    surface = pygame.Surface(size)
    surface.fill(theme.palette.bg)
    chart, insight = LossChartPanel(), InsightPanel()
    ctx = ViewContext(theme)
    chart.layout(rects["chart"], ctx)
    insight.layout(rects["insight"], ctx)
    insight.select_tab(tab)
    if log:
        chart.toggle_log()
    for comp in (chart, insight):
        comp.refresh(snap)
        comp.draw(surface, snap)
    crop = rects["chart"].union(rects["insight"]).inflate(theme.px(16), theme.px(16)).clip(surface.get_rect())
    path = out / f"{name}-{theme_name}-{size[0]}x{size[1]}.png"
    pygame.image.save(surface.subsurface(crop), str(path))
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default="docs/screenshots/charts")
    ap.add_argument("--sizes", default="1920x1080,3840x2160")
    ap.add_argument("--themes", default="dark")
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    pygame.init()
    pygame.display.set_mode((1, 1))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    for name, make in scenarios().items():
        if args.only and args.only not in name:
            continue
        for theme_name in args.themes.split(","):
            for size in sizes:
                sim, tab, sel = make()
                print(render(name, sim, tab, sel, size, theme_name, out, log=name.startswith(("vanishing", "mse-vs"))))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
