"""The scene protocol (Tuxemon-style): a stack of scenes, each with enter/pause/resume/update/draw.

``draw`` never changes state; ``update`` runs at the fixed simulation step; ``handle_event``
returns True when it used the event.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import pygame

from glassbox_game.kit.theme import Theme
from glassbox_game.settings import Settings


class Host(Protocol):
    """What a scene may ask of the application that runs it (``App`` is the one implementation).

    Scenes never import the application or each other's modules to move between screens: they
    name the scene they want (``host.show("settings")``), and the host builds it from the one
    table of scenes, :data:`glassbox_game.scenes.factory.SCENES`.
    """

    settings: Settings
    scenes: list[Scene]
    seed: int | None
    headless: bool
    fullscreen: bool
    black_screen: tuple[int, int, int] | None
    last_level_folder: Path | None  # where the last level file was opened or saved (file dialogs start there)

    @property
    def top(self) -> Scene | None: ...
    def theme(self, family: str = "main") -> Theme: ...
    def notify(self, text: str, seconds: float = 3.0) -> None: ...
    def show(self, name: str, /, *args: Any, how: str = "push", **kwargs: Any) -> None:
        """Build the scene called ``name`` and push it ("push"), swap it for the top ("replace"),
        or clear the stack for it ("reset")."""
        ...
    def push(self, scene: Scene) -> None: ...
    def pop(self) -> None: ...
    def replace(self, scene: Scene) -> None: ...
    def update_settings(self, **changes: Any) -> None: ...
    def request_quit(self) -> None: ...
    def toggle_fullscreen(self) -> None: ...


class Scene:
    """Base class for every scene."""

    #: an overlay (opaque False) lets the scene below draw first
    opaque = True
    #: which theme family the scene uses: "main" (the user's theme) or "lecture"
    theme_family = "main"
    name = "scene"

    def __init__(self, app: Host) -> None:
        self.app = app

    def enter(self) -> None:
        """Pushed onto the stack."""

    def exit(self) -> None:
        """Popped off the stack."""

    def pause(self) -> None:
        """Another scene was pushed on top."""

    def resume(self) -> None:
        """The scene on top was popped."""

    def layout(self, size: tuple[int, int]) -> None:
        """(Re)build widgets for a window of ``size`` and the current theme."""

    def handle_event(self, event: pygame.event.Event) -> bool:
        return False

    def update(self, dt: float) -> None:
        """One fixed simulation step."""

    def frame(self, frame_dt: float) -> None:
        """Once per rendered frame, before draw (widget animation, pygame_gui update)."""

    def draw(self, surface: pygame.Surface) -> None:
        """Draw; never change state."""

    def targets(self) -> dict[str, pygame.Rect]:
        """Named clickable regions for input scripts."""
        return {}

    def script_command(self, words: list[str]) -> bool:
        """Handle a script command such as ``select edge h1->y``; False if not understood here."""
        return False
