"""``glassbox bench``: how fast the engine (and, later, a frame) is, as lines or one JSON object.

Each section is a function ``(quick) -> (name, figures)``; :data:`SECTIONS` lists them in order and
the output holds one entry per section, e.g. ``{"engine": {"xor_2_2_1_epochs_per_s": …}}``. Add a
section (a frame benchmark, say) by appending its function to :data:`SECTIONS`.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from glassbox_game.bench_setups import CIRCLE_500
from glassbox_game.engine import Setup, Trainer, build_trainer

Figures = dict[str, float]
Section = Callable[[bool], tuple[str, Any]]

# name → (unit, what it measures), for the human-readable report
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "xor_2_2_1_epochs_per_s": ("epochs/s", "XOR 2-2-1 full-batch training on the fast path (best run)"),
    "trace_step_us": ("µs", "one traced Trainer.step() on XOR 2-2-1 (median)"),
    "circle_2_8_8_1_n500_epochs_per_s": ("epochs/s", "circle, 500 points, 2-8-8-1 tanh/sigmoid, cross-entropy, "
                                                     "full batch, vectorised path (best run)"),
    "circle_trace_step_us": ("µs", "one traced step of that run, every sample recorded (median)"),
    "trace_step_full_us": ("µs", "a traced step plus reading every array view of its trace (median)"),
    "median_ms": ("ms", "sandbox frame, every panel, training at top speed (median)"),
    "p95_ms": ("ms", "sandbox frame, every panel, training at top speed (95th percentile)"),
    "render_training_epochs_per_s": ("epochs/s", "XOR epochs trained while rendering at 60 frames/s"),
    "startup_s": ("s", "process start to first frame (whole run of one frame)"),
    "draw_1k_epochs_ms": ("ms", "loss chart draw, 1,000-epoch history (history growing every frame)"),
    "draw_1m_epochs_ms": ("ms", "loss chart draw, 1,000,000-epoch history (history growing every frame)"),
    "ratio_1m_to_1k": ("×", "cost of the 1M-epoch chart relative to the 1k one (target ≤ 2)"),
}

_TRACE_VIEWS = ("x", "y", "a", "z", "slope", "delta", "backprop_sum", "raw_error", "grad_w", "grad_b",
                "sample_loss", "weights", "biases", "weights_after", "biases_after", "mean_grad_w",
                "mean_grad_b")


def _xor() -> Trainer:
    return build_trainer(Setup())  # XOR 2-2-1, sigmoid, MSE, η = 0.5, full batch: never halts


def _circle() -> Trainer:
    return build_trainer(CIRCLE_500)


def _fast_path_epochs_per_s(epochs: int, runs: int, make: Callable[[], Trainer] = _xor) -> float:
    best = 0.0
    for _ in range(runs):
        tr = make()
        tr.train(1)  # compile the unrolled runner outside the timing
        start = time.perf_counter()
        result = tr.train(epochs)
        elapsed = time.perf_counter() - start
        assert result.epochs == epochs, "the benchmark run halted"
        best = max(best, epochs / elapsed)
    return best


def _step_us(steps: int, read_views: bool, make: Callable[[], Trainer] = _xor) -> float:
    tr = make()
    tr.step()  # compile the traced step outside the timing
    clock = time.perf_counter_ns
    times = []
    for _ in range(steps):
        start = clock()
        t = tr.step()
        if read_views:
            for name in _TRACE_VIEWS:
                getattr(t, name)
        times.append(clock() - start)
    return statistics.median(times) / 1000.0


def engine_figures(quick: bool) -> Figures:
    """Engine speed on XOR 2-2-1: fast-path epochs per second and the cost of a traced step."""
    epochs, runs, steps = (5_000, 2, 300) if quick else (100_000, 5, 5_000)
    circle_epochs, circle_runs, circle_steps = (500, 2, 20) if quick else (5_000, 5, 200)
    return {
        "xor_2_2_1_epochs_per_s": round(_fast_path_epochs_per_s(epochs, runs), 1),
        "trace_step_us": round(_step_us(steps, read_views=False), 2),
        "trace_step_full_us": round(_step_us(steps, read_views=True), 2),
        "circle_2_8_8_1_n500_epochs_per_s": round(_fast_path_epochs_per_s(circle_epochs, circle_runs, _circle), 1),
        "circle_trace_step_us": round(_step_us(circle_steps, read_views=False, make=_circle), 1),
    }


def _engine_section(quick: bool) -> tuple[str, Figures]:
    return "engine", engine_figures(quick)


def _lazy(name: str) -> Section:
    """A section from bench_frames, imported only when it runs (it starts pygame)."""

    def section(quick: bool) -> tuple[str, Any]:
        from glassbox_game import bench_frames

        return getattr(bench_frames, name)(quick)  # type: ignore[no-any-return]

    section.__name__ = name
    return section


SECTIONS: list[Section] = [_engine_section, *(_lazy(n) for n in (
    "frame_section", "data_frame_section", "heatmap_frame_section", "render_training_section", "startup_section", "chart_section"))]


def _lines(section: str, value: Any) -> list[str]:
    if isinstance(value, dict):
        out = []
        for key, sub in value.items():
            if isinstance(sub, dict):
                out += [_format(section, f"{key} {k}", v) for k, v in sub.items()]
            else:
                out.append(_format(section, key, sub))
        return out
    return [_format("", section, value)]


def _format(section: str, name: str, value: float) -> str:
    unit, text = DESCRIPTIONS.get(name.split()[-1], ("", name))
    number = f"{value:,.0f}" if value >= 1000 else f"{value:.2f}"
    return f"{section:<8} {name:<26} {number:>12} {unit:<9} {text}"


def bench_main(as_json: bool, quick: bool) -> int:
    """Run every section; print lines, or one JSON object ``{section: {figure: value}}``."""
    report: dict[str, Any] = {}
    for section in SECTIONS:
        name, figures = section(quick)
        report[name] = figures
        if not as_json:
            for line in _lines(name, figures):
                print(line, flush=True)
    if as_json:
        print(json.dumps(report))
    return 0
