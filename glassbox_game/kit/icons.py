"""Small vector icons (emoji fonts are not reliable on projectors or in DejaVu)."""

from __future__ import annotations

import pygame

RGB = tuple[int, int, int]


def draw_lock(surface: pygame.Surface, center: tuple[int, int], size: int, colour: RGB,
              background: RGB | None = None) -> pygame.Rect:
    """A padlock ``size`` px tall centred on ``center``: a shackle arc over a rounded body with a keyhole."""
    cx, cy = center
    w = max(6, round(size * 0.78))
    body_h = max(4, round(size * 0.55))
    body = pygame.Rect(0, 0, w, body_h)
    body.midbottom = (cx, cy + size // 2)
    thick = max(2, round(size * 0.13))
    shackle = pygame.Rect(0, 0, round(w * 0.66), round(size * 0.62))
    shackle.midbottom = (cx, body.top + thick)
    if background is not None:
        pygame.draw.circle(surface, background, center, round(size * 0.75))
    pygame.draw.rect(surface, colour, shackle, width=thick, border_radius=shackle.w // 2)
    pygame.draw.rect(surface, colour, body, border_radius=max(1, size // 8))
    hole = background if background is not None else (0, 0, 0)
    r = max(1, round(size * 0.08))
    pygame.draw.circle(surface, hole, (cx, body.centery - r // 2), r)
    return body.union(shackle)


def draw_check(surface: pygame.Surface, center: tuple[int, int], size: int, colour: RGB, mark: RGB) -> None:
    """A filled circle with a tick: "this agrees"."""
    cx, cy = center
    r = size // 2
    pygame.draw.circle(surface, colour, center, r)
    t = max(2, size // 7)
    pts = [(cx - r * 0.45, cy), (cx - r * 0.1, cy + r * 0.38), (cx + r * 0.5, cy - r * 0.35)]
    pygame.draw.lines(surface, mark, False, [(round(x), round(y)) for x, y in pts], t)


def draw_cross(surface: pygame.Surface, center: tuple[int, int], size: int, colour: RGB, mark: RGB) -> None:
    """A filled circle with a cross: "this disagrees"."""
    cx, cy = center
    r = size // 2
    pygame.draw.circle(surface, colour, center, r)
    t = max(2, size // 7)
    d = round(r * 0.4)
    pygame.draw.line(surface, mark, (cx - d, cy - d), (cx + d, cy + d), t)
    pygame.draw.line(surface, mark, (cx - d, cy + d), (cx + d, cy - d), t)
