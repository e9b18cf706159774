"""Where every piece of text landed on screen, and which panel drew it — for the layout-fit test.

Off unless a test calls :func:`start`. While on, :class:`glassbox_game.kit.fonts.Fonts` names every
text surface it renders, panels draw their cached pictures on :func:`canvas` surfaces (which keep
the text blitted on them), and a scene says which panel is drawing (:func:`panel`). The test draws a
frame onto a :class:`RecordingSurface` and reads :attr:`RecordingSurface.records`: each piece of
text with the box of its glyphs in screen pixels, its panel and whether a clip or edge cut it.
When off, none of this costs more than one global look-up per rendered text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import pygame


@dataclass
class Placed:
    """One piece of text as it landed."""

    text: str
    rect: pygame.Rect  # the glyphs' bounding box, in the coordinates of the surface holding the record
    panel: str | None = None
    panel_rect: pygame.Rect | None = None
    cut: bool = False  # part of the glyphs fell outside the surface, its clip or the blitted area
    elided: bool = False  # the text was shortened with "…" to fit

    def moved(self, dx: int, dy: int) -> Placed:
        return Placed(self.text, self.rect.move(dx, dy), self.panel, self.panel_rect, self.cut, self.elided)


class TextLog:
    """What the fonts rendered (surface id → text) and which panel is drawing now."""

    def __init__(self) -> None:
        self.texts: dict[int, tuple[str, pygame.Surface, pygame.Rect]] = {}
        self.elided: set[str] = set()
        self.panels: list[tuple[str, pygame.Rect]] = []

    def note(self, surf: pygame.Surface, text: str) -> None:
        if id(surf) not in self.texts and text.strip():
            # keep the surface alive so its id cannot be reused by another picture
            self.texts[id(surf)] = (text, surf, surf.get_bounding_rect())

    def current_panel(self) -> tuple[str, pygame.Rect] | None:
        return self.panels[-1] if self.panels else None

    def records_of(self, source: pygame.Surface) -> list[Placed]:
        found = self.texts.get(id(source))
        if found is not None and found[1] is source:
            text, _, box = found
            return [Placed(text, pygame.Rect(box), elided=text in self.elided)]
        if isinstance(source, RecordingSurface):
            return source.own_records()
        return []


ACTIVE: TextLog | None = None


def start() -> TextLog:
    """Turn recording on (tests only)."""
    global ACTIVE
    ACTIVE = TextLog()
    return ACTIVE


def stop() -> None:
    global ACTIVE
    ACTIVE = None


def note(surf: pygame.Surface, text: str) -> None:
    """Called by the font cache for every text surface it hands out."""
    if ACTIVE is not None:
        ACTIVE.note(surf, text)


def note_elided(text: str) -> None:
    """Called by whatever shortens a text with "…" to make it fit."""
    if ACTIVE is not None:
        ACTIVE.elided.add(text)


@contextlib.contextmanager
def panel(name: str, rect: pygame.Rect) -> Iterator[None]:
    """Text that reaches the screen inside this block belongs to panel ``name`` (bounds ``rect``)."""
    if ACTIVE is None:
        yield
        return
    ACTIVE.panels.append((name, pygame.Rect(rect)))
    try:
        yield
    finally:
        ACTIVE.panels.pop()


class RecordingSurface(pygame.Surface):
    """A surface that remembers the text blitted onto it (directly or inside another recording surface)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.records: list[Placed] = []
        self.is_screen = False

    def blit(self, source, dest, area=None, special_flags=0):  # type: ignore[override]
        if area is None and not special_flags and source.get_size() == self.get_size() \
                and tuple(dest)[:2] == (0, 0) and not source.get_flags() & pygame.SRCALPHA:
            self._forget(self.get_rect())  # an opaque picture over the whole surface hides what was there
        done = super().blit(source, dest, area, special_flags)
        self._landed(source, dest, area)
        return done

    def blits(self, blit_sequence, doreturn=True):  # type: ignore[override]
        out = [self.blit(*item) for item in blit_sequence]
        return out if doreturn else None

    def fblits(self, blit_sequence, special_flags=0):  # type: ignore[override]
        for source, dest in blit_sequence:
            self.blit(source, dest, None, special_flags)

    def fill(self, color, rect=None, special_flags=0):  # type: ignore[override]
        done = super().fill(color, rect, special_flags)
        if len(color) < 4 or color[3] == 255 if isinstance(color, tuple) else True:
            self._forget(self.get_rect() if rect is None else pygame.Rect(rect))
        return done

    def _sink(self) -> tuple[RecordingSurface, int, int]:
        """Where records go: this surface, or (for a subsurface) its top parent, with the offset."""
        if "records" in self.__dict__:
            return self, 0, 0
        parent = self.get_abs_parent()
        ox, oy = self.get_abs_offset()
        return parent, ox, oy  # type: ignore[return-value]

    def _forget(self, cover: pygame.Rect, partly: bool = False) -> None:
        sink, ox, oy = self._sink()
        if not isinstance(sink, RecordingSurface) or "records" not in sink.__dict__:
            return
        cover = cover.clip(self.get_rect()).move(ox, oy)
        hidden = cover.colliderect if partly else cover.contains
        sink.records = [r for r in sink.records if not hidden(r.rect)]

    def copy(self):  # type: ignore[override]
        out = RecordingSurface(self.get_size(), self.get_flags(), self)
        pygame.Surface.blit(out, self, (0, 0))
        out.records = self.own_records()
        return out

    def own_records(self) -> list[Placed]:
        """The text on this surface in its own coordinates (a subsurface reads its parent's)."""
        sink, ox, oy = self._sink()
        if "records" not in sink.__dict__:
            return []
        if sink is self:
            return [r.moved(0, 0) for r in self.records]
        mine = self.get_rect().move(ox, oy)
        return [r.moved(-ox, -oy) for r in sink.records if mine.colliderect(r.rect)]

    def _landed(self, source, dest, area) -> None:
        log = ACTIVE
        if log is None:
            return
        found = log.records_of(source)
        if not found:
            return
        src_area = pygame.Rect(area) if area is not None else source.get_rect()
        x, y = (dest[0], dest[1]) if not isinstance(dest, pygame.Rect) else dest.topleft
        dx, dy = int(x) - src_area.x, int(y) - src_area.y
        window = src_area.move(dx, dy).clip(self.get_clip()).clip(self.get_rect())
        sink, ox, oy = self._sink()
        if "records" not in sink.__dict__:
            return
        owner = log.current_panel() if sink.is_screen else None
        for rec in found:
            r = rec.moved(dx, dy)
            seen = r.rect.clip(window)
            if seen.w == 0 or seen.h == 0:
                continue  # wholly outside (scrolled away): not on screen at all
            if seen != r.rect:
                r.cut = True
            r = r.moved(ox, oy)
            if r.panel is None and owner is not None:
                r.panel, r.panel_rect = owner
            sink.records.append(r)


def cover(surface: pygame.Surface, rect: pygame.Rect, partly: bool = False) -> None:
    """An opaque box (a notice, a card) is drawn over ``rect``: text wholly under it is no longer seen.

    ``partly``: a box meant to lie over the picture for a moment (a hover card) hides whatever text
    it touches, by design — that text is not a collision."""
    if ACTIVE is not None and isinstance(surface, RecordingSurface):
        surface._forget(pygame.Rect(rect), partly)


def canvas(size: tuple[int, int], flags: int = 0) -> pygame.Surface:
    """A surface for a panel's cached picture (a recording one while the log is on)."""
    if ACTIVE is not None:
        return RecordingSurface(size, flags)
    return pygame.Surface(size, flags)


def screen(size: tuple[int, int]) -> RecordingSurface:
    """The surface a test draws a whole frame onto."""
    out = RecordingSurface(size)
    out.is_screen = True
    return out
