"""A modal file picker (pygame_gui's UIFileDialog) over the dimmed scene below.

The scene owns its own UI manager so nothing reaches the sandbox while it is open. Keyboard:
the path field has the focus from the start, Enter picks the typed path (when it is usable, else a
line under the dialog says why not), Esc cancels. A folder shows with a trailing separator, so a
typed name joins it as a path; a relative name is read in the folder on show, ``~`` is the home
folder. Hidden (dot) files are not listed. The delete button is hidden: a teaching game has no
business deleting files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pygame
import pygame_gui
from pygame_gui import UI_TEXT_ENTRY_CHANGED, UI_TEXT_ENTRY_FINISHED
from pygame_gui.windows import UIFileDialog

from glassbox_game.kit.fonts import FONT_FILES
from glassbox_game.scenes.base import Host, Scene


def dim(surface: pygame.Surface, alpha: int = 170) -> None:
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((0, 0, 0, alpha))
    surface.blit(shade, (0, 0))


def modal_card(surface: pygame.Surface, theme, card: pygame.Rect, title: str, pad: int) -> tuple[int, int]:
    """A modal editor's frame (the data editors): the screen dimmed, the card and its title; returns
    where the card's text starts below the title."""
    p = theme.palette
    dim(surface, 175)
    radius = theme.px(16)
    pygame.draw.rect(surface, p.panel, card, border_radius=radius)
    pygame.draw.rect(surface, p.border, card, width=max(1, theme.px(1)), border_radius=radius)
    x, y = card.x + pad, card.y + theme.px(32)
    img = theme.text(title, "title", p.text, bold=True)
    surface.blit(img, (x, y))
    return x, y + img.get_height() + theme.px(12)


def make_manager(size: tuple[int, int], theme) -> pygame_gui.UIManager:
    """A UI manager in the game's theme (the same recipe as the training screens)."""
    manager = pygame_gui.UIManager(size, theme.gui_theme(), enable_live_theme_updates=False)
    manager.add_font_paths("dejavu", str(FONT_FILES[(False, False)]), str(FONT_FILES[(True, False)]))
    return manager


def typed_path(text: str, folder: Path) -> Path:
    """The path a person means by ``text`` typed while ``folder`` is on show."""
    path = Path(text.strip()).expanduser()
    return path if path.is_absolute() else folder / path


class GameFileDialog(UIFileDialog):
    """pygame_gui's file dialog, with dot files hidden and typed paths joined properly."""

    #: a folder that does not exist yet but may be saved into (it is made on saving)
    pending_folder: Path | None = None

    def update_current_file_list(self, should_try_again: bool = True) -> None:
        super().update_current_file_list(should_try_again)
        self.current_file_list = [item for item in self.current_file_list
                                  if not (item[0] if isinstance(item, tuple) else item).startswith(".")]

    skipped = 0  # names in the folder shown that are not valid UTF-8 (the scene says so)

    def _create_list_of_directories_and_files_on_current_path(self) -> None:
        super()._create_list_of_directories_and_files_on_current_path()
        kept = []
        for item in self.current_file_list:
            name = item[0] if isinstance(item, tuple) else item
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:  # undecodable bytes in the name would crash the list's text
                continue
            kept.append(item)
        self.skipped = len(self.current_file_list) - len(kept)
        self.current_file_list = kept

    def _process_file_path_entry_events(self, event: pygame.event.Event) -> None:
        line = getattr(self, "file_path_text_line", None)
        if line is None or event.type not in (UI_TEXT_ENTRY_FINISHED, UI_TEXT_ENTRY_CHANGED) \
                or event.ui_element != line:
            return
        text = line.get_text()
        if not os.path.isabs(os.path.expanduser(text.strip())):
            if event.type == UI_TEXT_ENTRY_CHANGED:
                return  # half-typed and relative: read it in the folder on show when it is finished
            line.set_text(str(typed_path(text, Path(self.current_directory_path))))
        entered = typed_path(line.get_text(), Path(self.current_directory_path))
        if self.pending_folder is not None and entered.parent == self.pending_folder and entered.name:
            self.current_file_path = entered
            self.ok_button.enable()
            return
        if self.allow_existing_files_only and not entered.exists():
            self._set_no_file_selected_state()  # keep the typed text: the scene says what is wrong with it
            return
        super()._process_file_path_entry_events(event)
        self.show_folder_with_separator()

    def _change_directory_path(self, new_directory_path: Path) -> None:
        super()._change_directory_path(new_directory_path)
        self.show_folder_with_separator()

    def show_folder_with_separator(self) -> None:
        """A folder in the path field ends in a separator, so what is typed next joins it."""
        line = getattr(self, "file_path_text_line", None)
        if line is not None and line.get_text() == str(self.current_directory_path) \
                and not line.get_text().endswith(os.sep):
            line.set_text(line.get_text() + os.sep)


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
        self._skipped_told: tuple[str | None, int] = (None, 0)
        self.problem: str | None = None  # why the typed path cannot be used (shown under the dialog)

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
        initial = self.initial
        pending_folder = not initial.parent.is_dir() and not initial.is_dir()  # the default, made on saving
        self.dialog = GameFileDialog(rect, self.manager, window_title=title, allowed_suffixes={".toml"},
                                     initial_file_path=str(initial.parent.parent if pending_folder else initial),
                                     allow_existing_files_only=self.mode == "open")
        if pending_folder:
            self.dialog.pending_folder = initial.parent
            self.dialog.current_file_path = initial
            self.dialog.file_path_text_line.set_text(str(initial))
            self.dialog.ok_button.enable()
        self.dialog.show_folder_with_separator()
        self.dialog.delete_button.hide()
        # (the gap the hidden delete button leaves between the home and parent buttons closes in _fit_buttons)
        self.dialog.ok_button.set_text("Save" if self.mode == "save" else "Open")
        self._fit_buttons(theme)
        self.manager.set_focus_set(self.dialog.file_path_text_line)
        keys = "Enter saves  ·  Esc cancels" if self.mode == "save" else "Enter opens  ·  Esc cancels"
        if self.mode == "save":
            keys += "  ·  the file holds the starting point: network, data and settings"
        self.hint_surface = theme.text(keys, "caption", theme.palette.text)
        self.hint_pos = self.hint_surface.get_rect(midtop=(rect.centerx, rect.bottom + theme.px(12)))

    def _fit_buttons(self, theme) -> None:
        """pygame_gui makes the dialog's buttons 30 px high at every size: they follow their text here,
        and the file list above them gives way."""
        d = self.dialog
        assert d is not None
        gap = 10
        font = d.ok_button.font
        assert font is not None
        h = max(30, font.size("Ag")[1] + theme.px(12))
        x = -gap
        for button in (d.cancel_button, d.ok_button):
            w = font.size(str(button.text if button is d.ok_button else "Cancel"))[0] + theme.px(32)
            x -= w
            button.set_anchors({"left": "right", "right": "right", "top": "bottom", "bottom": "bottom"})
            button.set_relative_position((x, -gap - h))
            button.set_dimensions((w, h))
            x -= gap
        # the home / parent / refresh buttons, the path line and the list follow the text size too
        icon = max(20, theme.px(28))
        for k, button in enumerate((d.home_button, d.parent_directory_button, d.refresh_button)):
            button.set_relative_position((gap + k * (icon + 2), gap))
            button.set_dimensions((icon, icon))
        line = d.file_path_text_line
        line_font = getattr(line, "font", None)
        line_h = max(line.relative_rect.h, line_font.size("Ag")[1] + theme.px(12)) if line_font is not None \
            else line.relative_rect.h
        line.set_relative_position((gap, 2 * gap + icon))
        line.set_dimensions((line.relative_rect.w, line_h))
        lst = d.file_selection_list
        top = 3 * gap + icon + line_h
        lst.set_relative_position((gap, top))
        room = d.get_container().get_size()[1] - top - h - 2 * gap
        # whole rows only: a half-shown row at the bottom would run under the Open button's margin
        item_h = int(getattr(lst, "list_item_height", 0) or 0)
        inner = getattr(lst, "list_and_scroll_bar_container", None)  # the list inside its border and shadow
        frame = lst.relative_rect.h - inner.relative_rect.h if inner is not None else 6
        if item_h > 0 and room > item_h + frame:
            room = (room - frame) // item_h * item_h + frame
        lst.set_dimensions((lst.relative_rect.w, max(40, room)))

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
        return path if self._problem_with(path) is None else None

    def _problem_with(self, path: Path) -> str | None:
        from glassbox_game.levels.saving import open_problem, save_problem

        return open_problem(path) if self.mode == "open" else save_problem(path)

    def typed(self) -> Path | None:
        """The path in the text field, read as a person means it."""
        if self.dialog is None:
            return None
        text = self.dialog.file_path_text_line.get_text()
        return typed_path(text, Path(self.dialog.current_directory_path)) if text.strip() else None

    def pick(self, path: Path) -> None:
        """Choose ``path`` as if typed and confirmed (tests and scripts)."""
        assert self.dialog is not None
        self.dialog.current_file_path = path
        self._pick()

    def _pick(self) -> None:
        if self.done:
            return
        path = self.chosen()
        if path is None:
            typed = self.typed()
            self.problem = self._problem_with(typed) if typed is not None else \
                ("Type or pick a level file." if self.mode == "open" else "Type a file name.")
            return
        self.problem = None
        self.app.last_level_folder = path.parent
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
        self._tell_skipped()

    def _tell_skipped(self) -> None:
        d = self.dialog
        if not isinstance(d, GameFileDialog) or not d.skipped:
            return
        seen = (d.current_directory_path, d.skipped)
        if seen != self._skipped_told:
            self._skipped_told = seen
            n = d.skipped
            self.app.notify(f"{n} name{'s' if n != 1 else ''} in this folder {'are' if n != 1 else 'is'} not "
                            "valid UTF-8, so not listed (rename it to open it).", 6.0)

    def draw(self, surface: pygame.Surface) -> None:
        if self.manager is None:
            return
        dim(surface)
        self.manager.draw_ui(surface)
        if self.hint_surface is not None:
            theme = self.theme
            box = self.hint_pos.inflate(theme.px(28), theme.px(12))
            pygame.draw.rect(surface, theme.palette.panel, box, border_radius=theme.px(8))
            surface.blit(self.hint_surface, self.hint_pos)
            if self.problem:
                line = theme.text(self.problem, "caption", theme.palette.negative)
                at = line.get_rect(midtop=(box.centerx, box.bottom + theme.px(8)))
                pygame.draw.rect(surface, theme.palette.panel, at.inflate(theme.px(28), theme.px(12)),
                                 border_radius=theme.px(8))
                surface.blit(line, at)

    def targets(self) -> dict[str, pygame.Rect]:
        d = self.dialog
        if d is None:
            return {}
        return {f"{self.name}:ok": pygame.Rect(d.ok_button.get_abs_rect()),
                f"{self.name}:cancel": pygame.Rect(d.cancel_button.get_abs_rect()),
                f"{self.name}:path": pygame.Rect(d.file_path_text_line.get_abs_rect())}
