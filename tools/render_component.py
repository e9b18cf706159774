"""Render one component of the game to a PNG, headless — for screenshots and for eyeballing changes.

    .venv/bin/python tools/render_component.py --component network --theme dark --size 1920x1080 \
        --problem xor --phase backward --progress 0.5 --out /tmp/net.png

The component is laid out in the rect the real screen layout gives it (``kit/layout.py``; the
lecture layout for lecture themes), drawn over the theme background, and the whole window is saved
(``--crop`` saves only the component's rect). A scenario is a Setup plus a script: train some
epochs, then play at a slow speed until the requested phase and progress. ``--shots network``
regenerates the committed screenshots under docs/screenshots/network/.

Components: ``--component NAME`` (see COMPONENTS) or ``--component package.module:Class``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pygame

from glassbox_game.engine.setup import Setup
from glassbox_game.kit.component import Component, ViewContext
from glassbox_game.kit.theme import Theme, make_theme
from glassbox_game.sim import commands as c
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import Simulation
from glassbox_game.sim.snapshot import Snapshot

# name → (class path, layout key)
COMPONENTS = {
    "network": ("glassbox_game.render.network_view:NetworkView", "network"),
}
DT = 1 / 120


def load_component(spec: str) -> tuple[Component, str]:
    path, key = COMPONENTS.get(spec, (spec, spec.rsplit(":", 1)[-1].lower().removesuffix("view")))
    module, cls = path.split(":")
    return getattr(importlib.import_module(module), cls)(), key


def component_rect(key: str, size: tuple[int, int], theme: Theme) -> pygame.Rect:
    """The rect the real layout gives ``key`` (falls back to the 1080p sketch, scaled)."""
    try:
        from glassbox_game.kit import layout

        rects = layout.lecture_layout(size, theme) if theme.lecture else layout.sandbox_layout(size, theme)
        if key in rects:
            return rects[key]
    except ImportError:
        pass
    sx, sy = size[0] / 1920, size[1] / 1080
    return pygame.Rect(round(24 * sx), round(80 * sy), round(1120 * sx), round(672 * sy))


def parse_weights(text: str) -> tuple:
    """"a,b;c,d|e,f" → weight layers separated by |, rows by ;, values by ,."""
    return tuple(tuple(tuple(float(v) for v in row.split(",")) for row in lay.split(";")) for lay in text.split("|"))


def parse_biases(text: str) -> tuple:
    return tuple(tuple(float(v) for v in lay.split(",")) for lay in text.split("|"))


def build_setup(args: argparse.Namespace) -> Setup:
    layers = tuple(int(n) for n in args.layers.split("-"))
    kw: dict = dict(layers=layers, problem=args.problem, seed=args.seed, hidden_activation=args.hidden,
                    output_activation=args.output, learning_rate=args.lr, init_radius=args.init_radius)
    if args.weights:
        kw["weights"] = parse_weights(args.weights)
        kw["biases"] = parse_biases(args.biases)
    return Setup(**kw)


def parse_selection(text: str | None, layers: tuple[int, ...]) -> Selection | None:
    """"edge:1,0,0" / "neuron:1,1" → Selection."""
    if not text:
        return None
    kind, nums = text.split(":")
    v = [int(n) for n in nums.split(",")]
    return Selection.edge(*v) if kind == "edge" else Selection.neuron(*v)


def run_scenario(args: argparse.Namespace) -> Snapshot:
    setup = build_setup(args)
    sim = Simulation(setup)
    if args.epochs:
        sim.submit(c.RunToEpoch(args.epochs))
        for _ in range(10000):
            sim.update(DT)
            if sim.trainer.epoch >= args.epochs or sim.trainer.halt is not None:
                break
    sim.submit(c.SetSample(None if args.sample == "batch" else int(args.sample)))
    sel = parse_selection(args.select, setup.layers)
    if sel is not None:
        sim.submit(c.Select(sel))
    if args.hover:
        sim.submit(c.Hover(parse_selection(args.hover, setup.layers)))
    if args.phase:
        sim.submit(c.SetSpeed(args.speed))
        sim.submit(c.Play())
        for _ in range(20000):
            sim.update(DT)
            snap = sim.snapshot()
            if snap.phase == args.phase and snap.phase_progress >= args.progress:
                break
    else:
        sim.update(DT)
    return sim.snapshot()


def render(args: argparse.Namespace) -> Path:
    size = tuple(int(v) for v in args.size.lower().split("x"))
    assert len(size) == 2
    pygame.init()
    if pygame.display.get_surface() is None:
        pygame.display.set_mode((1, 1))
    theme = make_theme(args.theme, size, reduced_motion=args.reduced_motion)
    comp, key = load_component(args.component)
    rect = component_rect(key, size, theme)
    comp.layout(rect, ViewContext(theme))
    snap = run_scenario(args)
    screen = pygame.Surface(size)
    screen.fill(theme.palette.bg)
    comp.refresh(snap)
    comp.draw(screen, snap)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(screen.subsurface(rect) if args.crop else screen, str(out))
    return out


# -- the committed screenshot sets ---------------------------------------------------------------
SATURATED = ("--weights=12,-12;-12,12|12,12", "--biases=-6,-6|-6")
SHOTS = {
    "network": [
        ("and-forward", ["--problem", "and", "--epochs", "200", "--phase", "forward", "--progress", "0.3",
                         "--sample", "3", "--select", "edge:1,0,0"]),
        ("xor-backward", ["--problem", "xor", "--lr", "2", "--epochs", "1500", "--phase", "backward", "--progress", "0.15",
                          "--sample", "2", "--select", "edge:1,0,0"]),
        ("vanishing-locks", ["--problem", "xor", *SATURATED, "--phase", "backward", "--progress", "0.6",
                             "--sample", "1", "--select", "neuron:1,1"]),
        ("dying-relu", ["--problem", "or", "--hidden", "relu", "--weights", "0.8,-0.5;0.6,0.9|1.2,-0.7",
                        "--biases=-3,-2.5|0.1", "--epochs", "20", "--phase", "forward", "--progress", "0.4",
                        "--sample", "1"]),
        ("deep-2-4-4-1", ["--problem", "xor", "--layers", "2-4-4-1", "--epochs", "300", "--phase", "backward",
                          "--progress", "0.55", "--sample", "batch", "--select", "edge:1,2,1",
                          "--hover", "neuron:2,3"]),
    ],
}
SIZES = ("1280x720", "1920x1080", "3840x2160")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--component", default="network")
    ap.add_argument("--theme", default="dark")
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--out", default="/tmp/component.png")
    ap.add_argument("--crop", action="store_true", help="save only the component's rect")
    ap.add_argument("--reduced-motion", action="store_true")
    ap.add_argument("--problem", default="xor")
    ap.add_argument("--layers", default="2-2-1")
    ap.add_argument("--hidden", default="sigmoid", help="hidden activation")
    ap.add_argument("--output", default="sigmoid", help="output activation")
    ap.add_argument("--lr", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init-radius", type=float, default=1.0)
    ap.add_argument("--weights", help='e.g. "12,-12;-12,12|12,12" (layers |, rows ;)')
    ap.add_argument("--biases", help='e.g. "-6,-6|-6"')
    ap.add_argument("--epochs", type=int, default=0, help="train this many epochs first")
    ap.add_argument("--phase", choices=("forward", "loss", "backward", "update"), help="play until this phase")
    ap.add_argument("--progress", type=float, default=0.5)
    ap.add_argument("--speed", type=int, default=2, help="speed index while playing to the phase")
    ap.add_argument("--sample", default="0", help='row index or "batch"')
    ap.add_argument("--select", help='"edge:l,j,i" or "neuron:layer,j"')
    ap.add_argument("--hover", help="like --select")
    ap.add_argument("--shots", help="regenerate a committed screenshot set (e.g. network)")
    ap.add_argument("--shots-dir", default="docs/screenshots")
    args = ap.parse_args(argv)
    if args.shots:
        for name, extra in SHOTS[args.shots]:
            for size in SIZES:
                for theme in ("dark",) if size != "1920x1080" else ("dark", "lecture-light"):
                    suffix = "" if theme == "dark" else f"-{theme}"
                    out = f"{args.shots_dir}/{args.shots}/{name}-{size}{suffix}.png"
                    sub = ap.parse_args(["--component", args.shots, "--size", size, "--theme", theme,
                                         "--out", out, *extra])
                    print(render(sub))
        return
    print(render(args))


if __name__ == "__main__":
    main()
