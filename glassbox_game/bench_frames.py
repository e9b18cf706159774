"""Frame figures for ``glassbox bench``: the real sandbox, headless, training flat out.

Measured exactly as a student's screen runs: every panel shown, an edge selected (so the chain
rule and the loss slice are live), packets streaming, training at the top speed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from typing import Any

SIZES = ((1920, 1080), (3840, 2160))


def _sandbox_app(size: tuple[int, int], setup: Any = None, heat: bool | None = None):
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "dummy"
    from glassbox_game.app import App, app_options
    from glassbox_game.scenes.sandbox import SandboxScene
    from glassbox_game.sim import commands as c
    from glassbox_game.sim.selection import Selection
    from glassbox_game.sim.simulation import SPEEDS

    args = app_options(headless=True, resolution=size)
    app = App(args, [])
    app.start("sandbox", args)
    scene = app.top
    assert isinstance(scene, SandboxScene)
    sim = scene.sim
    sim.use_worker = True  # measure what a real window does: turbo training on the second core
    scene.components["network"].heat_choice = heat  # type: ignore[attr-defined]  # None: as the data says
    if setup is not None:
        sim.submit(c.LoadSetup(setup))
    sim.submit(c.Select(Selection.edge(0, 0, 0)))
    sim.submit(c.SetSpeed(len(SPEEDS) - 1))
    sim.submit(c.Play())
    return app, sim


def frame_times(size: tuple[int, int], frames: int, warmup: int = 30,
                fps: float | None = None, setup: Any = None,
                heat: bool | None = None) -> tuple[list[float], int, float]:
    """Per-frame milliseconds, epochs trained, and wall seconds for ``frames`` frames.

    ``fps``: run in real time at that frame rate, sleeping out each frame as a window does (the
    game's own loop is capped at 120); None: back to back, each frame one 60th of a second of game time.
    ``heat``: the neurons' heat maps on or off (None: the sandbox's default for the data).
    """
    from glassbox_game.app import FRAME_DT

    frame_dt = FRAME_DT if fps is None else 1.0 / fps

    app, sim = _sandbox_app(size, setup, heat)
    try:
        for _ in range(warmup):
            app.frame_once(FRAME_DT)
        deadline = time.perf_counter() + 5.0
        while sim.worker is not None and not sim.worker.ready and time.perf_counter() < deadline:
            app.frame_once(FRAME_DT)  # the worker process is still starting
        start_epoch = sim.trainer.epoch
        times = []
        t_start = time.perf_counter()
        for _ in range(frames):
            t0 = time.perf_counter()
            app.frame_once(frame_dt)
            times.append((time.perf_counter() - t0) * 1000.0)
            if fps is not None:
                time.sleep(max(0.0, t_start + len(times) * frame_dt - time.perf_counter()))
        wall = time.perf_counter() - t_start
        return times, sim.trainer.epoch - start_epoch, wall
    finally:
        sim.close()
        app.shutdown()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def frame_section(quick: bool) -> tuple[str, Any]:
    """Frame times in real time at the game's own frame cap (120 a second), training at the top speed."""
    figures: dict[str, dict[str, float]] = {}
    for size in SIZES:
        times, _, _ = frame_times(size, 40 if quick else 600, warmup=10 if quick else 30, fps=120.0)
        figures[f"{size[0]}x{size[1]}"] = {"median_ms": round(statistics.median(times), 2),
                                           "p95_ms": round(_p95(times), 2)}
    return "frame", figures


def _circle_figures(quick: bool, heat: bool) -> dict[str, dict[str, float]]:
    from glassbox_game.bench_setups import CIRCLE_500

    figures: dict[str, dict[str, float]] = {}
    for size in SIZES:
        times, _, _ = frame_times(size, 40 if quick else 600, fps=120.0, setup=CIRCLE_500, heat=heat)
        figures[f"{size[0]}x{size[1]}"] = {"median_ms": round(statistics.median(times), 2),
                                           "p95_ms": round(_p95(times), 2)}
    return figures


def data_frame_section(quick: bool) -> tuple[str, Any]:
    """The same, on the 500-point circle (2-8-8-1, the engine bench's run): 500 points on the decision
    map, tables of 500 rows, a traced step of 500 samples each time the displayed step moves on
    (the neurons' heat maps off, as before there were any)."""
    return "frame_circle_500", _circle_figures(quick, heat=False)


def heatmap_frame_section(quick: bool) -> tuple[str, Any]:
    """The same scene with every hidden and output neuron's heat map drawn (issue 15's frame budget:
    p95 ≤ 8.3 ms at 1920×1080, ≤ 16.7 ms at 3840×2160): 500 points, heat maps, training flat out."""
    return "frame_circle_500_heatmaps", _circle_figures(quick, heat=True)


def render_training_section(quick: bool) -> tuple[str, Any]:
    """Epochs trained per wall second while the sandbox renders at (up to) 60 frames a second."""
    frames = 30 if quick else 300
    _, epochs, wall = frame_times((1920, 1080), frames, warmup=10 if quick else 30, fps=60.0)
    return "render_training_epochs_per_s", round(epochs / wall)


def startup_section(quick: bool) -> tuple[str, Any]:
    """Seconds from launching the process to its first frame drawn (best of a few; includes exit)."""
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    best = float("inf")
    for _ in range(1 if quick else 5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "glassbox_game", "sandbox", "--headless", "--frames", "1"],
                       check=True, env=env, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return "startup_s", round(best, 3)


def chart_section(quick: bool) -> tuple[str, Any]:
    """The loss chart's draw cost for a 1,000- and a 1,000,000-epoch history (same screen, same card)."""
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    import pygame

    from glassbox_game.render.loss_chart import chart_draw_cost_ms

    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode((1, 1))
    frames = 10 if quick else 120
    small = chart_draw_cost_ms(1_000, frames=frames)
    big = chart_draw_cost_ms(1_000_000, frames=frames)
    return "chart", {"draw_1k_epochs_ms": round(small, 3), "draw_1m_epochs_ms": round(big, 3),
                     "ratio_1m_to_1k": round(big / small, 2) if small > 0 else None}
