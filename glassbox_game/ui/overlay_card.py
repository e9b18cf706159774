"""A centred card over a dimmed screen: a title, wrapped paragraphs, an optional extra band (stars),
and a row of buttons operable by mouse and keyboard (←/→ or Tab move the focus, Enter presses).

Used by the level briefing and debrief. Pure drawing and hit-testing; the owner decides what a
pressed button does.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from glassbox_game.kit.theme import Theme


def wrap_text(theme: Theme, text: str, role: str, width: int, bold: bool = False) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` pixels (words longer than a line stay whole)."""
    lines: list[str] = []
    for para_line in text.split("\n"):
        words = para_line.split()
        if not words:
            lines.append("")
            continue
        line = words[0]
        for word in words[1:]:
            trial = f"{line} {word}"
            if theme.measure(trial, role, bold=bold)[0] <= width:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs with their inner line breaks joined."""
    return [" ".join(p.split()) for p in text.strip().split("\n\n") if p.strip()]


@dataclass
class CardButton:
    key: str  # script target suffix and the value returned when pressed
    label: str
    primary: bool = False


class OverlayCard:
    """Lays out and draws one card; ``handle_event`` returns the key of a pressed button."""

    def __init__(self, name: str, title: str, text: str, buttons: list[CardButton], kicker: str = "",
                 band_height: int = 0) -> None:
        self.name = name
        self.title = title
        self.kicker = kicker  # a small line above the title, e.g. "LEVEL 3"
        self.text = text
        self.buttons = buttons
        self.band_height = band_height  # reference px reserved under the title (e.g. stars)
        self.focus = next((k for k, b in enumerate(buttons) if b.primary), 0)
        self.card = pygame.Rect(0, 0, 0, 0)
        self.band = pygame.Rect(0, 0, 0, 0)
        self.button_rects: list[pygame.Rect] = []
        self._lines: list[tuple[str, bool]] = []  # (line, starts a new paragraph)
        self.theme: Theme | None = None

    _role = "name"  # the body's text role (caption when the text would not fit at name size)

    def layout(self, size: tuple[int, int], theme: Theme) -> None:
        self.theme = theme
        pad = theme.px(48)
        para_gap = theme.px(12)
        btn_h = max(theme.px(52), theme.text_px("name") + theme.px(24))
        head = theme.px(40) + (theme.text_px("caption") + theme.px(10) if self.kicker else 0) \
            + theme.text_px("title") + theme.px(20)
        band = theme.px(self.band_height) if self.band_height else 0
        widest = size[0] - theme.px(48)
        # the text is never cut: a long text (or large type) widens the card, then takes the smaller size
        for w, role in ((min(widest, max(theme.px(760), round(size[0] * 0.46))), "name"), (widest, "name"),
                        (widest, "caption")):
            text_w = w - 2 * pad
            self._lines = []
            for k, para in enumerate(paragraphs(self.text)):
                for n, line in enumerate(wrap_text(theme, para, role, text_w)):
                    self._lines.append((line, k > 0 and n == 0))
            line_h = round(theme.text_px(role) * 1.45)
            body = len(self._lines) * line_h + sum(para_gap for _, new in self._lines if new)
            h = head + band + body + theme.px(36) + btn_h + theme.px(40)
            if h <= size[1] - theme.px(24):
                break
        self._role = role
        h = min(size[1] - theme.px(24), h)
        self.card = pygame.Rect(0, 0, w, h)
        self.card.center = (size[0] // 2, size[1] // 2)
        self.band = pygame.Rect(self.card.x + pad, self.card.y + head, text_w, band)
        self._body_top = self.band.bottom + (theme.px(8) if band else 0)
        self._line_h, self._para_gap = line_h, para_gap
        # buttons: right-aligned row at the bottom, primary last (rightmost)
        gap = theme.px(16)
        widths = [theme.measure(b.label, "name", bold=True)[0] + theme.px(56) for b in self.buttons]
        x = self.card.right - pad - sum(widths) - gap * (len(widths) - 1)
        y = self.card.bottom - theme.px(32) - btn_h
        self.button_rects = []
        for bw in widths:
            self.button_rects.append(pygame.Rect(x, y, bw, btn_h))
            x += bw + gap
        self._body_bottom = y - theme.px(20)

    def handle_event(self, event: pygame.event.Event) -> str | None:
        if event.type == pygame.MOUSEMOTION:
            for k, r in enumerate(self.button_rects):
                if r.collidepoint(event.pos):
                    self.focus = k
            return None
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for k, r in enumerate(self.button_rects):
                if r.collidepoint(event.pos):
                    self.focus = k
                    return self.buttons[k].key
            return None
        if event.type != pygame.KEYDOWN or not self.buttons:
            return None
        back = event.key == pygame.K_LEFT or (event.key == pygame.K_TAB and event.mod & pygame.KMOD_SHIFT)
        if back:
            self.focus = (self.focus - 1) % len(self.buttons)
        elif event.key in (pygame.K_RIGHT, pygame.K_TAB):
            self.focus = (self.focus + 1) % len(self.buttons)
        elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            return self.buttons[self.focus].key
        return None

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        assert theme is not None
        p = theme.palette
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 175))
        surface.blit(shade, (0, 0))
        radius = theme.px(16)
        pygame.draw.rect(surface, p.panel, self.card, border_radius=radius)
        pygame.draw.rect(surface, p.border, self.card, width=max(1, theme.px(1)), border_radius=radius)
        pad = theme.px(48)
        x, y = self.card.x + pad, self.card.y + theme.px(40)
        if self.kicker:
            k = theme.text(self.kicker.upper(), "caption", p.select, bold=True)
            surface.blit(k, (x, y))
            y += k.get_height() + theme.px(10)
        t = theme.text(self.title, "title", p.text, bold=True)
        surface.blit(t, (x, y))
        y = self._body_top
        clip = surface.get_clip()
        surface.set_clip(pygame.Rect(self.card.x, y, self.card.w, max(0, self._body_bottom - y)))
        for line, new_para in self._lines:
            if new_para:
                y += self._para_gap
            surface.blit(theme.text(line, self._role, p.text), (x, y))
            y += self._line_h
        surface.set_clip(clip)
        for k, (button, r) in enumerate(zip(self.buttons, self.button_rects, strict=True)):
            focused = k == self.focus
            fill = p.positive if button.primary else p.panel_alt
            pygame.draw.rect(surface, fill, r, border_radius=theme.px(10))
            pygame.draw.rect(surface, p.select if focused else p.border, r,
                             width=max(2, theme.px(3)) if focused else max(1, theme.px(1)),
                             border_radius=theme.px(10))
            label = theme.text(button.label, "name", p.bg if button.primary else p.text, bold=True)
            surface.blit(label, label.get_rect(center=r.center))

    def targets(self) -> dict[str, pygame.Rect]:
        return {f"{self.name}:{b.key}": r for b, r in zip(self.buttons, self.button_rects, strict=True)}
