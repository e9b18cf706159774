"""A modal file picker (pygame_gui's UIFileDialog) over the dimmed scene below.

The scene owns its own UI manager so nothing reaches the sandbox while it is open. Keyboard:
the path field has the focus from the start, Enter picks the typed path (when it is usable), Esc
cancels. The dialog's delete button is hidden: a teaching game has no business deleting files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pygame
import pygame_gui
from pygame_gui.windows import UIFileDialog

from glassbox_game.kit.fonts import FONT_FILES
from glassbox_game.scenes.base import Host, Scene


def dim(surface: pygame.Surface, alpha: int = 170) -> None:
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((0, 0, 0, alpha))
    surface.blit(shade, (0, 0))


def make_manager(size: tuple[int, int], theme) -> pygame_gui.UIManager:
    """A UI manager in the game's theme (the same recipe as the training screens)."""
    manager = pygame_gui.UIManager(size, theme.gui_theme(), enable_live_theme_updates=False)
    manager.add_font_paths("dejavu", str(FONT_FILES[(False, False)]), str(FONT_FILES[(True, False)]))
    return manager


class FileDialogScene(Scene):
    """``mode`` "save" (any name in an existing folder) or "open" (an existing .toml file).

    ``on_pick(path)`` runs after the dialog has closed, so it may push another overlay (a confirmation).
    """

    opaque = False

    def __init__(self, app: Host, mode: str, initial: Path, on_pick: Callable[[Path], None]) -> None:
        super().__init__(app)
        assert mode in ("save", "open")
        self.mode = mode
        self.name = f"{mode}-dialog"
        self.initial = initial
        self.on_pick = on_pick
        self.manager: pygame_gui.UIManager | None = None
        self.dialog: UIFileDialog | None = None
        self.done = False
        self.hint_surface: pygame.Surface | None = None

    # -- building ------------------------------------------------------------------------------
    def layout(self, size: tuple[int, int]) -> None:
        theme = self.app.theme("main")
        self.theme = theme
        if self.dialog is not None:  # a resize keeps what the user has typed or chosen
            current = self.dialog.current_file_path
            self.initial = Path(current) if current is not None else Path(self.dialog.current_directory_path)
        self.manager = make_manager(size, theme)
        w = min(size[0] - theme.px(48), theme.px(960))
        h = min(size[1] - theme.px(140), theme.px(640))
        rect = pygame.Rect(0, 0, max(w, 300), max(h, 320))
        rect.center = (size[0] // 2, size[1] // 2)
        title = "Save the setup as a level file" if self.mode == "save" else "Open a level file in the sandbox"
        self.dialog = UIFileDialog(rect, self.manager, window_title=title, allowed_suffixes={".toml"},
                                   initial_file_path=str(self.initial),
                                   allow_existing_files_only=self.mode == "open")
        self.dialog.delete_button.hide()
        # close the gap the hidden delete button leaves between the home and parent buttons
        for button, x in ((self.dialog.parent_directory_button, 32), (self.dialog.refresh_button, 54)):
            button.set_relative_position((x, button.relative_rect.y))
        self.dialog.ok_button.set_text("Save" if self.mode == "save" else "Open")
        self.manager.set_focus_set(self.dialog.file_path_text_line)
        keys = "Enter saves  ·  Esc cancels" if self.mode == "save" else "Enter opens  ·  Esc cancels"
        if self.mode == "save":
            keys += "  ·  the file holds the starting point: network, data and settings"
        self.hint_surface = theme.text(keys, "caption", theme.palette.text)
        self.hint_pos = self.hint_surface.get_rect(midtop=(rect.centerx, rect.bottom + theme.px(12)))

    # -- input ---------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        assert self.manager is not None and self.dialog is not None
        if self.done:
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self._close()
            return True
        used = self.manager.process_events(event)
        dialog = self.dialog
        if event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is dialog.ok_button:
            self._pick()
        elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is dialog.file_path_text_line:
            self._pick()  # Enter in the path field: the dialog has just taken the typed path in
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and not used:
            self._pick()
        if not self.done and not dialog.alive():  # Cancel or the window's close button
            self._close()
        return True  # modal

    def chosen(self) -> Path | None:
        """The path the dialog would pick now, or None when it has none that fits the mode."""
        dialog = self.dialog
        if dialog is None or dialog.current_file_path is None:
            return None
        path = Path(dialog.current_file_path)
        if self.mode == "open":
            return path if path.is_file() else None
        return path if path.name and path.parent.is_dir() and not path.is_dir() else None

    def pick(self, path: Path) -> None:
        """Choose ``path`` as if typed and confirmed (tests and scripts)."""
        assert self.dialog is not None
        self.dialog.current_file_path = path
        self._pick()

    def _pick(self) -> None:
        path = self.chosen()
        if path is None or self.done:
            return
        self._close()
        self.on_pick(path)

    def _close(self) -> None:
        if self.done:
            return
        self.done = True
        if self.dialog is not None and self.dialog.alive():
            self.dialog.kill()
        if self.app.top is self:
            self.app.pop()

    # -- time and drawing ------------------------------------------------------------------------
    def frame(self, frame_dt: float) -> None:
        if self.manager is not None:
            self.manager.update(frame_dt)

    def draw(self, surface: pygame.Surface, alpha: float) -> None:
        if self.manager is None:
            return
        dim(surface)
        self.manager.draw_ui(surface)
        if self.hint_surface is not None:
            theme = self.theme
            box = self.hint_pos.inflate(theme.px(28), theme.px(12))
            pygame.draw.rect(surface, theme.palette.panel, box, border_radius=theme.px(8))
            surface.blit(self.hint_surface, self.hint_pos)

    def targets(self) -> dict[str, pygame.Rect]:
        d = self.dialog
        if d is None:
            return {}
        return {f"{self.name}:ok": pygame.Rect(d.ok_button.get_abs_rect()),
                f"{self.name}:cancel": pygame.Rect(d.cancel_button.get_abs_rect()),
                f"{self.name}:path": pygame.Rect(d.file_path_text_line.get_abs_rect())}
