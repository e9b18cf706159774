"""Pointer aids for a lecture: a spotlight that dims everything but a circle around the pointer,
and a laser dot that the back row can follow.

Both are drawn over the finished frame. The spotlight multiplies the screen by a grey (a cheap
``BLEND_RGB_MULT`` fill, ~1 ms at 1080p) with a pre-rendered soft-edged hole, so it works on light
and dark themes alike and costs the same wherever the pointer is.
"""

from __future__ import annotations

import pygame

from glassbox_game.kit.theme import Theme

MODES = ("off", "spotlight", "laser")
DIM = 70  # of 255: what is left of the light outside the circle
SPOT_RADIUS = 230  # reference pixels at 1080p
LASER_RADIUS = 11


class Spotlight:
    """``mode`` is one of MODES; ``cycle()`` goes off → spotlight → laser → off (the P key)."""

    def __init__(self) -> None:
        self.mode = "off"
        self._mask: pygame.Surface | None = None
        self._mask_key: tuple | None = None
        self._dot: pygame.Surface | None = None
        self._dot_key: tuple | None = None

    @property
    def active(self) -> bool:
        return self.mode != "off"

    def cycle(self) -> str:
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        return self.mode

    def set(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown pointer mode {mode!r}; choose one of {', '.join(MODES)}")
        self.mode = mode

    def draw(self, surface: pygame.Surface, pos: tuple[int, int], theme: Theme) -> None:
        if self.mode == "spotlight":
            self._draw_spot(surface, pos, theme)
        elif self.mode == "laser":
            self._draw_laser(surface, pos, theme)

    # -- spotlight -------------------------------------------------------------------------------
    def _mask_for(self, theme: Theme) -> pygame.Surface:
        r = theme.px(SPOT_RADIUS)
        key = (r,)
        if self._mask is None or self._mask_key != key:
            size = 2 * r
            # drawn at 3× and smooth-scaled down for a clean, soft rim
            big = pygame.Surface((size * 3, size * 3))
            big.fill((DIM, DIM, DIM))
            feather = max(3, r // 6) * 3
            for k in range(feather, 0, -3):
                level = DIM + round((255 - DIM) * (1 - k / feather))
                pygame.draw.circle(big, (level, level, level), (size * 3 // 2, size * 3 // 2), r * 3 - feather + k)
            pygame.draw.circle(big, (255, 255, 255), (size * 3 // 2, size * 3 // 2), r * 3 - feather)
            self._mask = pygame.transform.smoothscale(big, (size, size))
            self._mask_key = key
        return self._mask

    def _draw_spot(self, surface: pygame.Surface, pos: tuple[int, int], theme: Theme) -> None:
        mask = self._mask_for(theme)
        hole = mask.get_rect(center=pos)
        grey = (DIM, DIM, DIM)
        w, h = surface.get_size()
        flags = pygame.BLEND_RGB_MULT
        # four bands around the hole, then the hole's own square with its soft mask
        surface.fill(grey, pygame.Rect(0, 0, w, max(0, hole.top)), special_flags=flags)
        surface.fill(grey, pygame.Rect(0, hole.bottom, w, max(0, h - hole.bottom)), special_flags=flags)
        surface.fill(grey, pygame.Rect(0, hole.top, max(0, hole.left), hole.h), special_flags=flags)
        surface.fill(grey, pygame.Rect(hole.right, hole.top, max(0, w - hole.right), hole.h), special_flags=flags)
        surface.blit(mask, hole, special_flags=flags)

    # -- laser dot -------------------------------------------------------------------------------
    def _dot_for(self, theme: Theme) -> pygame.Surface:
        r = theme.px(LASER_RADIUS)
        key = (r,)
        if self._dot is None or self._dot_key != key:
            glow = r * 3
            s = 3
            big = pygame.Surface((2 * glow * s, 2 * glow * s), pygame.SRCALPHA)
            c = (glow * s, glow * s)
            for k in range(glow * s, r * s, -s):
                a = round(90 * (1 - (k - r * s) / ((glow - r) * s)) ** 2)
                pygame.draw.circle(big, (255, 30, 30, a), c, k)
            pygame.draw.circle(big, (255, 255, 255, 255), c, (r + max(1, r // 4)) * s)  # a rim for red areas
            pygame.draw.circle(big, (235, 20, 20, 255), c, r * s)
            pygame.draw.circle(big, (255, 160, 150, 255), c, max(1, r // 3) * s)
            self._dot = pygame.transform.smoothscale(big, (2 * glow, 2 * glow))
            self._dot_key = key
        return self._dot

    def _draw_laser(self, surface: pygame.Surface, pos: tuple[int, int], theme: Theme) -> None:
        dot = self._dot_for(theme)
        surface.blit(dot, dot.get_rect(center=pos))
