"""Formula runs: a line of pieces in mixed fonts, colours and sizes, with lowered subscripts.

pygame has no markup, so "∂L/∂w = δ_ŷ × a_h₁" is a tuple of :class:`Piece` drawn on one baseline.
Pieces name a palette colour (``tone``) and a text role, so a run is plain data until drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from glassbox_game.kit import text_log
from glassbox_game.kit.theme import Theme

SUB_SCALE = 0.68  # subscript size relative to its role
SUB_DROP = 0.30  # how far a subscript's baseline sits below the line's, in role sizes


@dataclass(frozen=True)
class Piece:
    text: str
    tone: str = "text"  # a Palette field name: text, muted, gradient, select, positive, negative …
    role: str = "name"
    mono: bool = False
    bold: bool = False
    sub: bool = False
    strike: bool = False
    brk: bool = False  # a wrapped line may start with this piece


Run = tuple[Piece, ...]


def _size(theme: Theme, p: Piece) -> int:
    size = theme.text_px(p.role)
    return max(8, round(size * SUB_SCALE)) if p.sub else size


def _surface(theme: Theme, p: Piece) -> pygame.Surface:
    return theme.fonts.render(p.text, _size(theme, p), getattr(theme.palette, p.tone), p.bold, p.mono)


def _metrics(theme: Theme, run: Run) -> tuple[int, int, int]:
    """(width, ascent, descent) of the run on a common baseline."""
    width, asc, desc = 0, 1, 0
    for p in run:
        font = theme.fonts.font(_size(theme, p), p.bold, p.mono)
        w = theme.fonts.size(p.text, _size(theme, p), p.bold, p.mono)[0]
        drop = round(theme.text_px(p.role) * SUB_DROP) if p.sub else 0
        width += w
        asc = max(asc, font.get_ascent() - drop)
        desc = max(desc, -font.get_descent() + drop)
    return width, asc, desc


def measure(theme: Theme, run: Run) -> tuple[int, int]:
    w, a, d = _metrics(theme, run)
    return w, a + d


def draw(surface: pygame.Surface, theme: Theme, run: Run, pos: tuple[int, int], anchor: str = "topleft",
         height: int | None = None) -> pygame.Rect:
    """Draw ``run`` with its bounding box anchored at ``pos``; ``height`` centres it in a taller line."""
    w, asc, desc = _metrics(theme, run)
    h = asc + desc
    box = pygame.Rect(0, 0, w, height or h)
    setattr(box, anchor, pos)
    baseline = box.y + (box.h - h) // 2 + asc
    x = box.x
    for p in run:
        surf = _surface(theme, p)
        font = theme.fonts.font(_size(theme, p), p.bold, p.mono)
        drop = round(theme.text_px(p.role) * SUB_DROP) if p.sub else 0
        top = baseline + drop - font.get_ascent()
        surface.blit(surf, (x, top))
        if p.strike:
            y = baseline + drop - font.get_ascent() // 3
            pygame.draw.line(surface, getattr(theme.palette, p.tone), (x - 1, y), (x + surf.get_width(), y),
                             max(2, theme.px(2)))
        x += surf.get_width()
    return box


def wrap(theme: Theme, run: Run, width: int) -> list[Run]:
    """Split ``run`` into lines no wider than ``width``, breaking only before pieces marked ``brk``."""
    groups: list[list[Piece]] = []
    for p in run:
        if p.brk or not groups:
            groups.append([])
        groups[-1].append(p)
    def width_of(pieces: list[Piece]) -> int:  # a run is as wide as its pieces side by side
        return sum(theme.fonts.size(p.text, _size(theme, p), p.bold, p.mono)[0] for p in pieces)

    lines: list[list[Piece]] = [[]]
    line_w = 0
    for g in groups:
        group_w = width_of(g)
        if lines[-1] and line_w + group_w > width:
            first = g[0]
            lstripped = Piece(first.text.lstrip(), first.tone, first.role, first.mono, first.bold, first.sub,
                              first.strike)
            lines.append([lstripped, *g[1:]])
            line_w = width_of(lines[-1])
        else:
            lines[-1].extend(g)
            line_w += group_w
    return [tuple(line) for line in lines]


def words(text: str, tone: str = "text", role: str = "caption", mono: bool = False, bold: bool = False) -> Run:
    """Plain prose as a run that may wrap between words."""
    parts = text.split(" ")
    return tuple(Piece(("" if k == 0 else " ") + w, tone, role, mono, bold, brk=k > 0) for k, w in enumerate(parts))


def ellipsize(theme: Theme, text: str, role: str, width: int, bold: bool = False, mono: bool = False) -> str:
    """``text`` cut with "…" so it fits ``width`` (whole if it fits)."""
    if theme.measure(text, role, bold, mono)[0] <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if theme.measure(text[:mid].rstrip() + "…", role, bold, mono)[0] <= width:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo].rstrip() + "…"
    text_log.note_elided(cut)
    return cut


def split_decimal(text: str) -> tuple[str, str]:
    """"−0.0998" → ("−0", ".0998"); text without a decimal point is all left part."""
    k = text.find(".")
    return (text, "") if k < 0 else (text[:k], text[k:])


def decimal_widths(theme: Theme, texts: list[str], role: str, bold: bool = False) -> tuple[int, int]:
    """Widest left and right parts of a column of numbers, so their decimal points line up."""
    lw = rw = 0
    for t in texts:
        left, right = split_decimal(t)
        lw = max(lw, theme.measure(left, role, bold, True)[0])
        rw = max(rw, theme.measure(right, role, bold, True)[0] if right else 0)
    return lw, rw


def draw_decimal(surface: pygame.Surface, theme: Theme, text: str, point_x: int, y: int, role: str,
                 colour: tuple[int, int, int], bold: bool = False) -> pygame.Rect:
    """Draw a number in the mono font with its decimal point (or its end) at ``point_x``."""
    left, _ = split_decimal(text)
    surf = theme.text(text, role, colour, bold, True)
    x = point_x - theme.measure(left, role, bold, True)[0]
    surface.blit(surf, (x, y))
    return pygame.Rect(x, y, surf.get_width(), surf.get_height())
