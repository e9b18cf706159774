"""A vertical list of large buttons, operable by mouse and keyboard, with a visible focus ring.

Used by the title menu, pause, confirmation and settings screens: Up/Down (or Tab) move the
focus, Enter/Space activate, Left/Right change a setting's value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from glassbox_game.kit.theme import Theme


def hit_index(rects: list[pygame.Rect], pos: tuple[int, int]) -> int | None:
    """The index of the rect under ``pos`` (menus and card grids share it), or None."""
    for k, r in enumerate(rects):
        if r.collidepoint(pos):
            return k
    return None


@dataclass
class MenuItem:
    label: str
    action: Callable[[], None] | None = None
    value: Callable[[], str] | None = None  # shown at the right (settings)
    change: Callable[[int], None] | None = None  # ←/→ or click halves
    hint: str = ""
    key: str = ""  # script target name suffix


class Menu:
    """Lays out items centred in a rect; draws them; handles input."""

    def __init__(self, items: list[MenuItem], name: str = "menu") -> None:
        self.items = items
        self.focus = 0
        self.name = name
        self.rects: list[pygame.Rect] = []
        self.theme: Theme | None = None
        self.stacked = False  # a setting's value under its label (too narrow for both on one line)

    def needed_width(self, theme: Theme) -> int:
        """How wide a row must be for each label and its value side by side (measured, bold when focused)."""
        out = 0
        for item in self.items:
            w = theme.measure(item.label, "name", bold=True)[0] + theme.px(40)
            if item.value is not None:
                w += theme.px(24) + theme.measure(f"‹ {item.value()} ›", "name")[0]
            out = max(out, w)
        return out

    def row_height(self, theme: Theme, width: int) -> int:
        line = theme.text_px("name") + theme.px(28)
        if self.needed_width(theme) > width and any(item.value is not None for item in self.items):
            return max(theme.px(56), 2 * theme.measure("Ag", "name")[1] + theme.px(20))
        return max(theme.px(56), line)

    def layout(self, rect: pygame.Rect, theme: Theme, width: int | None = None) -> None:
        self.theme = theme
        gap = theme.px(12)
        w = width or min(rect.w, theme.px(560))
        self.stacked = self.needed_width(theme) > w and any(item.value is not None for item in self.items)
        h = self.row_height(theme, w)
        total = len(self.items) * h + (len(self.items) - 1) * gap
        y = rect.centery - total // 2
        self.rects = []
        for _ in self.items:
            r = pygame.Rect(0, y, w, h)
            r.centerx = rect.centerx
            self.rects.append(r)
            y += h + gap

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEMOTION:
            k = hit_index(self.rects, event.pos)
            if k is not None:
                self.focus = k
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            k = hit_index(self.rects, event.pos)
            if k is None:
                return False
            self.focus = k
            item, r = self.items[k], self.rects[k]
            if item.change is not None and item.action is None:
                item.change(-1 if event.pos[0] < r.centerx - r.w // 6 else 1)
            elif item.action is not None:
                item.action()
            return True
        if event.type != pygame.KEYDOWN:
            return False
        if event.key in (pygame.K_DOWN, pygame.K_TAB) and not (event.key == pygame.K_TAB and event.mod & pygame.KMOD_SHIFT):
            self.focus = (self.focus + 1) % len(self.items)
            return True
        if event.key in (pygame.K_UP, pygame.K_TAB):
            self.focus = (self.focus - 1) % len(self.items)
            return True
        item = self.items[self.focus]
        if event.key in (pygame.K_LEFT, pygame.K_RIGHT) and item.change is not None:
            item.change(-1 if event.key == pygame.K_LEFT else 1)
            return True
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            if item.action is not None:
                item.action()
            elif item.change is not None:
                item.change(1)
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        assert theme is not None
        p = theme.palette
        for k, (item, r) in enumerate(zip(self.items, self.rects, strict=True)):
            focused = k == self.focus
            pygame.draw.rect(surface, p.panel_alt if not focused else p.border, r, border_radius=theme.px(10))
            pygame.draw.rect(surface, p.select if focused else p.border, r,
                             width=max(2, theme.px(3)) if focused else max(1, theme.px(1)),
                             border_radius=theme.px(10))
            label = theme.text(item.label, "name", p.text, bold=focused)
            if item.value is None:
                surface.blit(label, label.get_rect(center=r.center))
            elif self.stacked:  # the label above, its value below at the right
                val = theme.text(f"‹ {item.value()} ›", "name", p.select if focused else p.muted, mono=False)
                surface.blit(label, label.get_rect(topleft=(r.x + theme.px(20), r.y + theme.px(10))))
                surface.blit(val, val.get_rect(bottomright=(r.right - theme.px(20), r.bottom - theme.px(10))))
            else:
                surface.blit(label, label.get_rect(midleft=(r.x + theme.px(20), r.centery)))
                val = theme.text(f"‹ {item.value()} ›", "name", p.select if focused else p.muted, mono=False)
                surface.blit(val, val.get_rect(midright=(r.right - theme.px(20), r.centery)))
        if 0 <= self.focus < len(self.items) and self.items[self.focus].hint:
            hint = theme.text(self.items[self.focus].hint, "caption", p.muted)
            last = self.rects[-1]
            surface.blit(hint, hint.get_rect(midtop=(last.centerx, last.bottom + theme.px(20))))

    def targets(self) -> dict[str, pygame.Rect]:
        out = {}
        for item, r in zip(self.items, self.rects, strict=True):
            key = item.key or item.label.lower().replace(" ", "-")
            out[f"{self.name}:{key}"] = r
        return out
