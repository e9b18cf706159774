"""The scene protocol (Tuxemon-style): a stack of scenes, each with enter/pause/resume/update/draw.

``draw`` never changes state; ``update`` runs at the fixed simulation step; ``handle_event``
returns True when it used the event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    from glassbox_game.app import App


class Scene:
    """Base class for every scene."""

    #: an overlay (opaque False) lets the scene below draw first
    opaque = True
    #: which theme family the scene uses: "main" (the user's theme) or "lecture"
    theme_family = "main"
    name = "scene"

    def __init__(self, app: App) -> None:
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

    def draw(self, surface: pygame.Surface, alpha: float) -> None:
        """Draw; never change state."""

    def targets(self) -> dict[str, pygame.Rect]:
        """Named clickable regions for input scripts."""
        return {}

    def script_command(self, words: list[str]) -> bool:
        """Handle a script command such as ``select edge h1->y``; False if not understood here."""
        return False
