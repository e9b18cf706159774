"""Zoom: a magnified, still-sharp view of one panel or of the selected neuron or connection.

Pixels are never blown up: a second instance of the component is laid out at a larger theme scale
and drawn again, so text and lines stay crisp at any magnification. For a neuron or connection the
network is drawn ``NEURON_FACTOR`` times larger offscreen and the window around the selection is
cut out of it (components draw into subsurfaces of their rect, so the rect must lie on the canvas).
"""

from __future__ import annotations

from dataclasses import replace

import pygame

from glassbox_game.kit.component import Component, ViewContext
from glassbox_game.kit.theme import Theme
from glassbox_game.sim.snapshot import Snapshot

NEURON_FACTOR = 2.0


class Zoom:
    """Open with :meth:`open_panel` or :meth:`open_point`; ``draw`` over the finished frame."""

    def __init__(self) -> None:
        self.active = False
        self.label = ""
        self.window = pygame.Rect(0, 0, 0, 0)
        self._comp: Component | None = None
        self._canvas: pygame.Surface | None = None
        self._theme: Theme | None = None
        self._crop = pygame.Rect(0, 0, 0, 0)

    def close(self) -> None:
        self.active = False
        self._comp = None
        self._canvas = None

    def open_panel(self, source: Component, area: pygame.Rect, theme: Theme, label: str) -> None:
        """Magnify the whole of ``source`` into the largest window of its shape that fits ``area``."""
        k = min(area.w * 0.94 / max(1, source.rect.w), area.h * 0.94 / max(1, source.rect.h))
        k = max(1.0, k)
        w, h = round(source.rect.w * k), round(source.rect.h * k)
        self.window = pygame.Rect(0, 0, w, h)
        self.window.center = area.center
        self._open(source, theme, k, pygame.Rect(0, 0, w, h), label)

    def open_point(self, source: Component, point: tuple[int, int], area: pygame.Rect, theme: Theme,
                   label: str) -> None:
        """Magnify ``source`` around ``point`` (screen coordinates) into a window in ``area``."""
        k = NEURON_FACTOR
        self.window = pygame.Rect(0, 0, round(area.w * 0.7), round(area.h * 0.8))
        self.window.center = area.center
        big = pygame.Rect(0, 0, round(source.rect.w * k), round(source.rect.h * k))
        self._open(source, theme, k, big, label)
        self._canvas = pygame.Surface(big.size)
        # the part of the enlarged component around ``point``, kept inside the canvas
        crop = pygame.Rect(0, 0, min(self.window.w, big.w), min(self.window.h, big.h))
        crop.center = (round((point[0] - source.rect.x) * k), round((point[1] - source.rect.y) * k))
        self._crop = crop.clamp(big)
        self.window.size = crop.size
        self.window.center = area.center

    def _open(self, source: Component, theme: Theme, k: float, rect: pygame.Rect, label: str) -> None:
        comp = type(source)()
        for attr in ("tab",):  # keep the open tab of tables and insight panels
            if hasattr(source, attr) and hasattr(comp, "select_tab"):
                comp.select_tab(getattr(source, attr))
        self._theme = replace(theme, scale=theme.scale * k)
        comp.layout(rect, ViewContext(self._theme, None, frozenset()))
        self._comp = comp
        self._canvas = pygame.Surface(self.window.size)
        self._crop = pygame.Rect((0, 0), self.window.size)
        self._base_theme = theme
        self.label = label
        self.active = True

    def refresh(self, snap: Snapshot) -> None:
        if self._comp is not None:
            self._comp.refresh(snap)

    def draw(self, surface: pygame.Surface, snap: Snapshot) -> None:
        if not self.active or self._comp is None or self._canvas is None:
            return
        theme = self._base_theme
        p = theme.palette
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 150))
        surface.blit(shade, (0, 0))
        self._canvas.fill(p.bg)
        self._comp.draw(self._canvas, snap)
        surface.blit(self._canvas, self.window, self._crop)
        frame = self.window.inflate(theme.px(6), theme.px(6))
        pygame.draw.rect(surface, p.select, frame, width=max(2, theme.px(3)), border_radius=theme.px(12))
        tag = theme.text(f"ZOOM · {self.label}   ·   Z closes", "caption", p.bg, bold=True)
        box = tag.get_rect().inflate(theme.px(24), theme.px(10))
        box.bottomleft = (frame.x, frame.y + box.h // 2)
        box.y = max(0, box.y)
        pygame.draw.rect(surface, p.select, box, border_radius=theme.px(8))
        surface.blit(tag, tag.get_rect(center=box.center))
