"""User settings (theme, text scale, speed, last mode …), remembered between runs."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from glassbox_game.storage import ReadProblem, atomic_write_json, config_dir, read_json

VERSION = 1
THEMES = ("dark", "light", "lecture-dark", "lecture-light", "high-contrast")


@dataclass(frozen=True)
class Settings:
    theme: str = "dark"
    lecture_theme: str = "lecture-light"
    text_scale: float = 1.0
    speed_index: int = 3
    reduced_motion: bool = False
    colour_blind: bool = False
    window_width: int = 1600
    window_height: int = 900

    def cleaned(self) -> Settings:
        """Out-of-range values replaced by defaults (a hand-edited file must not break the game)."""
        d = Settings()
        return replace(
            self,
            theme=self.theme if self.theme in THEMES else d.theme,
            lecture_theme=self.lecture_theme if self.lecture_theme in THEMES else d.lecture_theme,
            text_scale=min(2.0, max(0.8, self.text_scale)),
            speed_index=min(10, max(0, self.speed_index)),
            window_width=min(7680, max(1280, self.window_width)),
            window_height=min(4320, max(720, self.window_height)),
        )


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The stored settings, or defaults and a one-line notice saying why."""
    path = path or settings_path()
    try:
        data = read_json(path, VERSION)
    except ReadProblem as exc:
        if str(exc) == "not found":
            return Settings(), None
        return Settings(), f"Settings file {path} {exc}; using defaults."
    kwargs: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name in data and type(data[f.name]) is type(getattr(Settings(), f.name)):
            kwargs[f.name] = data[f.name]
        elif f.name in data and f.type == "float" and type(data[f.name]) is int:
            kwargs[f.name] = float(data[f.name])
    return Settings(**kwargs).cleaned(), None


def save_settings(settings: Settings, path: Path | None = None) -> str | None:
    """Save atomically; a failure (read-only directory, full disk) is returned as a notice."""
    path = path or settings_path()
    try:
        atomic_write_json(path, {"version": VERSION, **asdict(settings)})
    except OSError as exc:
        return f"Could not save settings to {path}: {exc.strerror or exc}."
    return None


def newer_file_present(path: Path | None = None) -> bool:
    """True when the settings file was written by a newer version (then it is never overwritten)."""
    path = path or settings_path()
    try:
        read_json(path, VERSION)
    except ReadProblem as exc:
        return "newer" in str(exc)
    return False
