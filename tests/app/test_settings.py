"""Settings survive bad files: the app starts with defaults and says why, and never crashes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from glassbox_game.settings import Settings, load_settings, save_settings, settings_path
from tests.app.helpers import frames, make_app


def _write(raw: bytes) -> Path:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return path


@pytest.mark.parametrize(("raw", "reason"), [
    (b'{"version": 1, "theme": "light"', "damaged"),
    (b"", "empty"),
    (bytes(range(256)) * 4, "damaged"),
    (b'{"version": 99, "theme": "light"}', "newer Glassbox"),
    (b"[1, 2, 3]", "not a JSON object"),
    (b'{"theme": "light"}', "no version"),
])
def test_bad_settings_file_means_defaults_and_a_notice(raw: bytes, reason: str) -> None:
    _write(raw)
    settings, notice = load_settings()
    assert settings == Settings()
    assert notice is not None and reason in notice
    app = make_app("sandbox")
    frames(app, 2)
    assert app.settings == Settings()
    assert any(reason in text for text, _ in app.notices)
    app.shutdown()


def test_newer_file_is_never_overwritten() -> None:
    path = _write(b'{"version": 99, "theme": "light", "future": true}')
    app = make_app()
    app.update_settings(theme="high-contrast")
    app.shutdown()
    assert json.loads(path.read_text())["version"] == 99
    assert any("newer" in text for text, _ in app.notices)


def test_unusable_directory_means_a_notice_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("GLASSBOX_CONFIG_DIR", str(blocker / "config"))  # a directory inside a file
    app = make_app("sandbox")
    frames(app, 1)
    app.update_settings(theme="light")
    assert app.settings.theme == "light"  # the change applies for this run
    assert any("Could not save settings" in text for text, _ in app.notices)
    app.shutdown()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    monkeypatch.setenv("GLASSBOX_CONFIG_DIR", str(ro))
    assert save_settings(Settings(theme="light")) is not None
    assert load_settings() == (Settings(), None)


def test_settings_round_trip_and_out_of_range_values_are_cleaned() -> None:
    assert save_settings(Settings(theme="light", text_scale=1.5, reduced_motion=True)) is None
    assert load_settings()[0] == Settings(theme="light", text_scale=1.5, reduced_motion=True)
    _write(json.dumps({"version": 1, "theme": "neon", "text_scale": 9.0, "speed_index": -4,
                       "reduced_motion": "yes"}).encode())
    settings, notice = load_settings()
    assert notice is None
    assert settings.theme == "dark" and settings.text_scale == 2.0 and settings.speed_index == 0
    assert settings.reduced_motion is False  # a string is not a boolean
