"""Fixtures for the scene tests that save and open files through the real sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.helpers import frames, make_app


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A private home directory: nothing a test saves lands in the real one."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    return home


@pytest.fixture
def app(home):
    app = make_app("sandbox", "--resolution", "1280x720")
    frames(app, 2)
    yield app
    app.shutdown()
