"""The engine, the simulation and the level code never import pygame (so they test and reuse fast)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE = ("glassbox_game.engine", "glassbox_game.sim", "glassbox_game.levels")

PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if m == "pygame" or m.startswith(("pygame.", "pygame_gui")))))
"""


def exists(name: str) -> bool:
    sys.path.insert(0, str(ROOT))
    try:
        return importlib.util.find_spec(name) is not None
    finally:
        sys.path.remove(str(ROOT))


@pytest.mark.parametrize("package", PURE)
def test_importing_does_not_import_pygame(package: str) -> None:
    if not exists(package):
        pytest.skip(f"{package} does not exist yet")
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYGAME_HIDE_SUPPORT_PROMPT="1")
    proc = subprocess.run([sys.executable, "-c", PROBE, package], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]", f"{package} imports {proc.stdout.strip()}"


def test_the_probe_notices_pygame() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYGAME_HIDE_SUPPORT_PROMPT="1")
    proc = subprocess.run([sys.executable, "-c", PROBE, "pygame"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0 and '"pygame"' in proc.stdout
