"""Overlays drawn over the scene below: pause menu, a yes/no confirmation, and the help card."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from glassbox_game.scenes.base import Host, Scene
from glassbox_game.scenes.keys import HELP_ROWS
from glassbox_game.ui.menu import Menu, MenuItem
from glassbox_game.ui.overlay_card import wrap_text


def _dim(surface: pygame.Surface, alpha: int = 170) -> None:
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((0, 0, 0, alpha))
    surface.blit(shade, (0, 0))


class _MenuOverlay(Scene):
    opaque = False
    title = ""
    subtitle = ""

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        self.menu = Menu(self.items(), self.name)
        self.card = pygame.Rect(0, 0, 0, 0)

    def items(self) -> list[MenuItem]:
        return []

    def layout(self, size: tuple[int, int]) -> None:
        theme = self.app.theme(getattr(self.app.scenes[0], "theme_family", "main") if self.app.scenes else "main")
        self.theme = theme
        # as wide as the longest label beside its value needs (large text), within the window
        w = min(size[0] - theme.px(48), max(theme.px(640), self.menu.needed_width(theme) + theme.px(96)))
        n = len(self.menu.items)
        h = theme.px(140) + n * (self.menu.row_height(theme, w - theme.px(96)) + theme.px(12)) + theme.px(60)
        self.card = pygame.Rect(0, 0, w, min(size[1] - theme.px(24), h))
        self.card.center = (size[0] // 2, size[1] // 2)
        menu_area = pygame.Rect(self.card.x, self.card.y + theme.px(110), self.card.w,
                                self.card.h - theme.px(140))
        self.menu.layout(menu_area, theme, width=w - theme.px(96))

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
            return True
        self.menu.handle_event(event)
        return True  # modal: nothing reaches the scene below

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        p = theme.palette
        _dim(surface)
        pygame.draw.rect(surface, p.panel, self.card, border_radius=theme.px(14))
        pygame.draw.rect(surface, p.border, self.card, width=max(1, theme.px(1)), border_radius=theme.px(14))
        t = theme.text(self.title, "title", p.text, bold=True)
        surface.blit(t, t.get_rect(midtop=(self.card.centerx, self.card.y + theme.px(28))))
        if self.subtitle:
            s = theme.text(self.subtitle, "caption", p.muted)
            surface.blit(s, s.get_rect(midtop=(self.card.centerx, self.card.y + theme.px(28) + t.get_height()
                                               + theme.px(8))))
        self.menu.draw(surface)

    def targets(self) -> dict[str, pygame.Rect]:
        return self.menu.targets()


class PauseScene(_MenuOverlay):
    name = "pause"
    title = "Paused"
    subtitle = "Training is paused while this menu is open."

    def items(self) -> list[MenuItem]:
        app = self.app
        return [
            MenuItem("Resume", app.pop, key="resume"),
            MenuItem("Help and keys", lambda: app.show("help"), key="help"),
            MenuItem("Settings", self._settings, key="settings"),
            MenuItem("Title menu", self._title, key="title"),
            MenuItem("Quit Glassbox", app.request_quit, key="quit"),
        ]

    def _settings(self) -> None:
        self.app.show("settings")

    def _title(self) -> None:
        self.app.show("title", how="reset")


class ConfirmScene(_MenuOverlay):
    """Yes / No. Esc and "No" both cancel."""

    def __init__(self, app: Host, title: str, subtitle: str, on_yes: Callable[[], None], name: str = "confirm") -> None:
        self.title = title
        self.subtitle = subtitle
        self._on_yes = on_yes
        self.name = name
        super().__init__(app)
        self.menu.focus = 1  # "No" is the safe default for a stray Enter from a remote

    def items(self) -> list[MenuItem]:
        return [MenuItem("Yes", self._yes, key="yes"), MenuItem("No", self.app.pop, key="no")]

    def _yes(self) -> None:
        self.app.pop()
        self._on_yes()


class HelpScene(Scene):
    """Every shortcut, on one card (pages of it when big text does not fit: → turns). Any other key
    or a click closes it."""

    opaque = False
    name = "help"

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        self.page = 0
        self.pages: list[list[tuple[str, str]]] = []

    def layout(self, size: tuple[int, int]) -> None:
        self.theme = self.app.theme("main")
        self.size = size
        theme = self.theme
        rows = list(HELP_ROWS)  # generated from the key table (scenes/keys.py)
        line_h, room_w, room_h = self._room(theme)
        # as many rows a page as fit in two columns (one page at any ordinary size)
        self.pages = []
        start = 0
        if self._fits(theme, rows, line_h, room_w, room_h):  # the usual case: one card
            start, self.pages = len(rows), [rows]
        while start < len(rows):
            end = start + 1
            while end < len(rows) and self._fits(theme, rows[start:end + 1], line_h, room_w, room_h):
                end += 1
            while end < len(rows) and end - start > 1 and not rows[end - 1][1]:
                end -= 1  # a section heading (or the gap before it) starts the next page
            self.pages.append(rows[start:end])
            start = end
        self.page = min(self.page, len(self.pages) - 1)

    def _room(self, theme) -> tuple[int, int, int]:
        line_h = theme.text_px("caption") + theme.px(14)
        head = theme.px(40) + theme.measure("Keys", "title", bold=True)[1]
        room_w = self.size[0] - theme.px(48) - theme.px(48)
        room_h = self.size[1] - theme.px(24) - head - theme.measure("Ag", "caption")[1] - theme.px(32)
        return line_h, room_w, room_h

    def _fits(self, theme, rows, line_h: int, room_w: int, room_h: int) -> bool:
        for n_cols in (1, 2):
            plan = self._help_columns(theme, rows, n_cols, room_w)
            if line_h * max(sum(len(d) for _, d in col) for col, _ in plan) <= room_h:
                return True
        return False

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RIGHT, pygame.K_PAGEDOWN) \
                and self.page + 1 < len(self.pages):
            self.page += 1
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_LEFT, pygame.K_PAGEUP) and self.page > 0:
            self.page -= 1
        elif event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
            self.app.pop()
        return True

    @staticmethod
    def _key_w(theme, rows) -> int:
        return max((theme.measure(k, "caption", bold=True)[0] for k, d in rows if d), default=0) + theme.px(32)

    def _help_columns(self, theme, rows, n_cols: int, room_w: int):
        """``rows`` in ``n_cols`` columns: [(rows with their descriptions wrapped into lines, column width)].

        Two columns split where the taller one is shortest (a section heading stays with its keys)."""
        col_room = (room_w - theme.px(48) * (n_cols - 1)) // n_cols

        def column(group):
            group = [r for r in group] if group and group[0] != ("", "") else group[1:]
            key_w = self._key_w(theme, group) if any(d for _, d in group) else 0
            desc_room = max(theme.px(120), col_room - key_w)
            out = [(k, wrap_text(theme, d, "caption", desc_room) if d else [""]) for k, d in group]
            width = key_w + max((theme.measure(line, "caption")[0] for k, d in out if k for line in d), default=0)
            return out, width + theme.px(48)

        if n_cols == 1:
            return [column(rows)]
        best = None
        for k in range(1, len(rows)):
            if rows[k - 1][0] and not rows[k - 1][1]:  # never leave a heading at a column's foot
                continue
            cols = [column(rows[:k]), column(rows[k:])]
            tall = max(sum(len(d) for _, d in col) for col, _ in cols)
            if best is None or tall < best[0]:
                best = (tall, cols)
        assert best is not None
        return best[1]

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        p = theme.palette
        _dim(surface, 190)
        rows = self.pages[self.page]
        line_h, room_w, room_h = self._room(theme)
        title = theme.text("Keys", "title", p.text, bold=True)
        head = theme.px(40) + title.get_height()
        more = f"Page {self.page + 1} of {len(self.pages)} · ← → turn · any other key closes"
        foot = theme.text("Press any key to close" if len(self.pages) == 1 else more, "caption", p.muted)
        plan = self._help_columns(theme, rows, 1, room_w)
        if line_h * max(sum(len(d) for _, d in col) for col, _ in plan) > room_h:
            plan = self._help_columns(theme, rows, 2, room_w)
        tallest = max(sum(len(d) for _, d in col) for col, _ in plan)
        w = min(self.size[0] - theme.px(48), max(sum(cw for _, cw in plan), foot.get_width() + theme.px(32))
                + theme.px(48))
        h = min(self.size[1] - theme.px(24), head + line_h * tallest + foot.get_height() + theme.px(40))
        card = pygame.Rect(0, 0, w, h)
        card.center = (self.size[0] // 2, self.size[1] // 2)
        pygame.draw.rect(surface, p.panel, card, border_radius=theme.px(14))
        pygame.draw.rect(surface, p.border, card, width=max(1, theme.px(1)), border_radius=theme.px(14))
        surface.blit(title, (card.x + theme.px(48), card.y + theme.px(28)))
        x = card.x + theme.px(48)
        for col, col_w in plan:
            key_w = self._key_w(theme, [(k, " ".join(d)) for k, d in col])
            y = card.y + head
            for key, desc in col:
                if key and desc == [""]:  # a section heading
                    surface.blit(theme.text(key.upper(), "caption", p.muted, bold=True), (x, y))
                    y += line_h
                elif key:
                    surface.blit(theme.text(key, "caption", p.select, bold=True), (x, y))
                    for line in desc:
                        surface.blit(theme.text(line, "caption", p.text), (x + key_w, y))
                        y += line_h
                else:
                    y += line_h
            x += col_w
        surface.blit(foot, foot.get_rect(bottomright=(card.right - theme.px(32), card.bottom - theme.px(20))))
