"""The title menu: levels, sandbox, lecture, settings, quit."""

from __future__ import annotations

import pygame

from glassbox_game.scenes.base import Host, Scene
from glassbox_game.ui.menu import Menu, MenuItem


class TitleScene(Scene):
    name = "title"

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        self.menu = Menu([
            MenuItem("Levels", self._levels, hint="Scenario challenges, one idea each", key="levels"),
            MenuItem("Sandbox", self._sandbox, hint="Every control unlocked", key="sandbox"),
            MenuItem("Lecture mode", self._lecture, hint="Big type and presenter-remote keys", key="lecture"),
            MenuItem("Settings", self._settings, hint="Theme, text size, motion, colours", key="settings"),
            MenuItem("Quit", app.request_quit, key="quit"),
        ], "title")

    def layout(self, size: tuple[int, int]) -> None:
        self.theme = self.app.theme("main")
        self.size = size
        area = pygame.Rect(0, round(size[1] * 0.30), size[0], round(size[1] * 0.62))
        self.menu.layout(area, self.theme)

    def _levels(self) -> None:
        self.app.show("level_select")

    def _sandbox(self) -> None:
        self.app.show("sandbox", None)

    def _lecture(self) -> None:
        self.app.show("lecture", None)

    def _settings(self) -> None:
        self.app.show("settings")

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.request_quit()
            return True
        return self.menu.handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        p = theme.palette
        surface.fill(p.bg)
        cx = self.size[0] // 2
        title = theme.fonts.render("Glassbox", theme.px(96), p.text, bold=True)
        y = round(self.size[1] * 0.10)
        surface.blit(title, title.get_rect(midtop=(cx, y)))
        sub = theme.text("Watch backpropagation train a tiny network — every number on show.", "name", p.muted)
        surface.blit(sub, sub.get_rect(midtop=(cx, y + title.get_height() + theme.px(8))))
        self._draw_emblem(surface, (cx, y + title.get_height() // 2), title.get_width())
        self.menu.draw(surface)
        foot = theme.text("↑ ↓ to choose · Enter to open · F1 for every key", "caption", p.muted)
        surface.blit(foot, foot.get_rect(midbottom=(cx, self.size[1] - theme.px(24))))

    def _draw_emblem(self, surface: pygame.Surface, centre: tuple[int, int], title_w: int) -> None:
        """A tiny 2-2-1 network beside the title: the game's idea in one glance."""
        theme = self.theme
        p = theme.palette
        s = theme.px(1)
        x0 = centre[0] - title_w // 2 - 150 * s
        y0 = centre[1]
        nodes = [(x0, y0 - 30 * s), (x0, y0 + 30 * s), (x0 + 55 * s, y0 - 30 * s), (x0 + 55 * s, y0 + 30 * s),
                 (x0 + 110 * s, y0)]
        edges = [(0, 2, p.positive), (0, 3, p.negative), (1, 2, p.negative), (1, 3, p.positive), (2, 4, p.positive),
                 (3, 4, p.negative)]
        for a, b, col in edges:
            pygame.draw.line(surface, col, nodes[a], nodes[b], max(2, 4 * s))
        pygame.draw.circle(surface, p.gradient, ((nodes[2][0] + nodes[4][0]) // 2, (nodes[2][1] + nodes[4][1]) // 2),
                           6 * s)
        for n in nodes:
            pygame.draw.circle(surface, p.neuron_fill, n, 12 * s)
            pygame.draw.circle(surface, p.border, n, 12 * s, max(1, 2 * s))

    def targets(self) -> dict[str, pygame.Rect]:
        return self.menu.targets()
