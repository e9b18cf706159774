"""Overlays drawn over the scene below: pause menu, a yes/no confirmation, and the help card."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from glassbox_game.scenes.base import Host, Scene
from glassbox_game.scenes.keys import HELP_ROWS
from glassbox_game.ui.menu import Menu, MenuItem


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
        w = min(size[0] - theme.px(48), theme.px(640))
        n = len(self.menu.items)
        h = theme.px(140) + n * (max(theme.px(56), theme.text_px("name") + theme.px(28)) + theme.px(12)) \
            + theme.px(60)
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
    """Every shortcut, on one card. Any key or click closes it."""

    opaque = False
    name = "help"

    def layout(self, size: tuple[int, int]) -> None:
        self.theme = self.app.theme("main")
        self.size = size

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
            self.app.pop()
        return True

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        p = theme.palette
        _dim(surface, 190)
        rows = HELP_ROWS  # generated from the key table (scenes/keys.py)
        line_h = theme.text_px("caption") + theme.px(14)
        key_w = max(theme.measure(k, "caption", bold=True)[0] for k, _ in rows) + theme.px(32)
        desc_w = max(theme.measure(d, "caption")[0] for _, d in rows)
        w = min(self.size[0] - theme.px(48), key_w + desc_w + theme.px(96))
        h = min(self.size[1] - theme.px(24), theme.px(120) + line_h * len(rows) + theme.px(40))
        card = pygame.Rect(0, 0, w, h)
        card.center = (self.size[0] // 2, self.size[1] // 2)
        pygame.draw.rect(surface, p.panel, card, border_radius=theme.px(14))
        pygame.draw.rect(surface, p.border, card, width=max(1, theme.px(1)), border_radius=theme.px(14))
        title = theme.text("Keys", "title", p.text, bold=True)
        surface.blit(title, (card.x + theme.px(48), card.y + theme.px(28)))
        y = card.y + theme.px(40) + title.get_height()
        for key, desc in rows:
            if key and not desc:
                surface.blit(theme.text(key.upper(), "caption", p.muted, bold=True), (card.x + theme.px(48), y))
            elif key:
                surface.blit(theme.text(key, "caption", p.select, bold=True), (card.x + theme.px(48), y))
                surface.blit(theme.text(desc, "caption", p.text), (card.x + theme.px(48) + key_w, y))
            y += line_h
        foot = theme.text("Press any key to close", "caption", p.muted)
        surface.blit(foot, foot.get_rect(bottomright=(card.right - theme.px(32), card.bottom - theme.px(20))))
