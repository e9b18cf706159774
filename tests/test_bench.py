"""``glassbox bench --json --quick`` prints one JSON object with positive engine figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from glassbox_game import bench

ROOT = Path(__file__).resolve().parents[1]
ENGINE_KEYS = {"xor_2_2_1_epochs_per_s", "trace_step_us", "trace_step_full_us",
               "circle_2_8_8_1_n500_epochs_per_s", "circle_trace_step_us"}


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1",
               PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "glassbox_game", "bench", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow
def test_json_quick_prints_one_object_with_positive_engine_figures() -> None:
    proc = run_bench("--json", "--quick")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)  # exactly one JSON document on stdout
    assert isinstance(report, dict) and "engine" in report
    engine = report["engine"]
    assert set(engine) >= ENGINE_KEYS
    for key in ENGINE_KEYS:
        assert isinstance(engine[key], int | float) and engine[key] > 0, key
    # the shell's figures, in the shape issue 3 names
    for size in ("1920x1080", "3840x2160"):
        frame = report["frame"][size]
        assert 0 < frame["median_ms"] <= frame["p95_ms"]
    assert report["render_training_epochs_per_s"] > 0
    assert 0 < report["startup_s"] < 30
    chart = report["chart"]
    assert chart["draw_1k_epochs_ms"] > 0 and chart["draw_1m_epochs_ms"] > 0


def test_engine_section_is_registered_and_described() -> None:
    names = [section(True)[0] for section in bench.SECTIONS[:1]]
    assert names == ["engine"]
    assert set(bench.DESCRIPTIONS) >= ENGINE_KEYS


def test_human_readable_output_names_each_engine_figure(capsys) -> None:  # type: ignore[no-untyped-def]
    original = list(bench.SECTIONS)
    try:
        bench.SECTIONS[:] = [bench.SECTIONS[0]]
        assert bench.bench_main(as_json=False, quick=True) == 0
    finally:
        bench.SECTIONS[:] = original
    out = capsys.readouterr().out
    for key in ENGINE_KEYS:
        line = next(line for line in out.splitlines() if key in line)
        assert "engine" in line and any(u in line for u in ("epochs/s", "µs"))
