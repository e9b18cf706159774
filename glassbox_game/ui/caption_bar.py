"""The lecture caption bar: the beat's caption in large type, its title and the "3 / 12" counter.

The bar's height is chosen once for the whole script (the longest caption, wrapped at the current
width and text size), so panels never move between beats and no caption is ever clipped.
"""

from __future__ import annotations

import pygame

from glassbox_game.kit import text_log
from glassbox_game.kit.theme import Theme

CAPTION_ROLE = "name"  # 36 px at 1080p in the lecture theme: readable from the back row


def wrap(theme: Theme, text: str, width: int, role: str = CAPTION_ROLE) -> list[str]:
    """Greedy word wrap to ``width`` pixels (a single over-long word gets a line of its own)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):  # only plain spaces: a no-break space keeps "δ = a − y" together
        trial = f"{line} {word}" if line else word
        if not line or theme.measure(trial, role)[0] <= width:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def text_width(theme: Theme, bar_w: int) -> int:
    """The width of a caption line: the whole bar (the counter sits on the title row)."""
    return max(theme.px(200), bar_w - 2 * theme.px(28))


def bar_height(theme: Theme, bar_w: int, captions: list[tuple[str, str]], limit: int) -> int:
    """Height that fits every (title, caption) pair of a script, capped at ``limit`` pixels."""
    width = text_width(theme, bar_w)
    line_h = theme.measure("Ag", CAPTION_ROLE)[1]
    title_h = theme.measure("Ag", "caption", bold=True)[1] + theme.px(4)
    need = max(max(1, len(wrap(theme, caption, width))) for _, caption in captions) * line_h
    return min(limit, need + title_h + 2 * theme.px(14))


class CaptionBar:
    """Draws one beat's caption into its rect."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.theme: Theme | None = None
        self._key: tuple | None = None
        self._surface: pygame.Surface | None = None

    def layout(self, rect: pygame.Rect, theme: Theme) -> None:
        self.rect = pygame.Rect(rect)
        self.theme = theme
        self._key = None

    def draw(self, surface: pygame.Surface, title: str, caption: str, number: int, total: int) -> None:
        if self.theme is None or self.rect.w <= 0:
            return
        key = (title, caption, number, total)
        if key != self._key or self._surface is None:
            self._surface = self._render(title, caption, number, total)
            self._key = key
        surface.blit(self._surface, self.rect)

    def _render(self, title: str, caption: str, number: int, total: int) -> pygame.Surface:
        theme = self.theme
        assert theme is not None
        p = theme.palette
        out = text_log.canvas(self.rect.size)
        out.fill(p.bg)
        box = out.get_rect()
        radius = theme.px(10)
        pygame.draw.rect(out, p.panel, box, border_radius=radius)
        pygame.draw.rect(out, p.border, box, width=max(1, theme.px(1)), border_radius=radius)
        # an accent stripe on the left marks the bar as "the lecturer speaking", not a data panel
        stripe = pygame.Rect(0, 0, theme.px(8), box.h - 2 * radius)
        stripe.midleft = (theme.px(2), box.centery)
        pygame.draw.rect(out, p.select, stripe, border_radius=theme.px(4))
        pad = theme.px(28)
        y = theme.px(14)
        counter = theme.text(f"{number} / {total}", "caption", p.muted, bold=True, mono=True)
        out.blit(counter, counter.get_rect(topright=(box.right - pad, y)))
        if title:
            out.blit(theme.text(title.upper(), "caption", p.muted, bold=True), (pad, y))
        y += theme.measure("Ag", "caption", bold=True)[1] + theme.px(4)
        line_h = theme.measure("Ag", CAPTION_ROLE)[1]
        for line in wrap(theme, caption, text_width(theme, box.w)):
            if y + line_h > box.h:
                break  # bar_height made room; this only guards a caption changed after layout
            out.blit(theme.text(line, CAPTION_ROLE, p.text), (pad, y))
            y += line_h
        return out
