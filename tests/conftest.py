"""Every test runs headless and never touches the real user's settings or progress."""

from __future__ import annotations

import os

import pytest

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # One folder a test (config and data appear inside only when written): the next session's clean-up
    # of old temporary folders then removes one directory per test, not three.
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("GLASSBOX_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("GLASSBOX_DATA_DIR", str(base / "data"))
    # saving from the sandbox defaults to ~/glassbox-levels: tests must never write into the real home
    monkeypatch.setenv("HOME", str(base))
