"""Resident memory of a long top-speed headless sandbox run (not part of the test suite).

    .venv/bin/python tools/measure_rss.py [--epochs 1000000,20000000] [--frame-dt 0.25]

Drives the real App headless at the top speed ("speed max", play) and prints the process's RSS
(VmRSS, Linux) and the loss history's own bytes each time the run passes one of the epoch marks.
``--frame-dt`` is the game time a frame advances: 1/60 s is a fast machine; 0.25 s (the most a
windowed frame ever advances) reaches 20 million epochs in fewer frames, with the same work a frame.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", default="1000000,20000000")
    ap.add_argument("--frame-dt", type=float, default=0.25)
    opts = ap.parse_args()
    marks = sorted(int(x) for x in opts.epochs.split(","))

    from glassbox_game.app import App
    from glassbox_game.cli import build_parser

    args = build_parser().parse_args(["--headless", "sandbox"])
    app = App(args, [])
    app.start("sandbox", args)
    scene = app.top
    scene.script_command(["speed", "max"])
    scene.script_command(["play"])
    t0 = time.perf_counter()
    frames = 0
    print(f"start: RSS {rss_mb():.1f} MB", flush=True)
    try:
        while marks:
            app.frame_once(opts.frame_dt)
            frames += 1
            epoch = len(scene.sim.history)
            if scene.sim.trainer.halt is not None:
                print(f"training halted at epoch {epoch}: {scene.sim.trainer.halt}", flush=True)
                return 1
            if epoch >= marks[0]:
                hist = scene.sim.history.nbytes() / 1e6
                cache = app.fonts.cached_bytes() / 1e6 if hasattr(app.fonts, "cached_bytes") else float("nan")
                print(f"epoch {epoch:,}: RSS {rss_mb():.1f} MB, loss history {hist:.2f} MB, "
                      f"text cache {len(app.fonts._text):,} surfaces / {cache:.1f} MB, "
                      f"{frames:,} frames, {time.perf_counter() - t0:.0f} s", flush=True)
                marks.pop(0)
    finally:
        app.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
