"""The bundled fonts (DejaVu: it has every maths symbol the game uses) and a text cache."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pygame

from glassbox_game.kit import text_log

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
FONT_DIR = ASSETS / "fonts"
FONT_FILES = {
    (False, False): FONT_DIR / "DejaVuSans.ttf",
    (True, False): FONT_DIR / "DejaVuSans-Bold.ttf",
    (False, True): FONT_DIR / "DejaVuSansMono.ttf",
    (True, True): FONT_DIR / "DejaVuSansMono-Bold.ttf",
}


#: pixels of cached text surfaces kept at most (4 bytes each: 8 MB), whatever the run's length —
#: ever-changing numbers (the epoch counter, the loss) would otherwise fill the cache to its count
#: limit; a frame's own text at 4K takes about half of this
MAX_CACHED_PIXELS = 2_000_000


class Fonts:
    """Fonts by pixel size, and rendered text surfaces cached by (text, size, colour, style)."""

    def __init__(self, cache_size: int = 4000, max_pixels: int = MAX_CACHED_PIXELS) -> None:
        self._fonts: dict[tuple[int, bool, bool], pygame.font.Font] = {}
        self._text: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self._cache_size = cache_size
        self._max_pixels = max_pixels
        self._pixels = 0
        self._sizes: dict[tuple[str, int, bool, bool], tuple[int, int]] = {}

    def font(self, size: int, bold: bool = False, mono: bool = False) -> pygame.font.Font:
        key = (max(6, int(size)), bold, mono)
        f = self._fonts.get(key)
        if f is None:
            f = pygame.font.Font(str(FONT_FILES[(bold, mono)]), key[0])
            self._fonts[key] = f
        return f

    def render(self, text: str, size: int, colour: tuple[int, int, int], bold: bool = False,
               mono: bool = False) -> pygame.Surface:
        key = (text, int(size), colour, bold, mono)
        surf = self._text.get(key)
        if surf is None:
            surf = _render(self.font(size, bold, mono), text, colour)
            self._text[key] = surf
            self._pixels += surf.get_width() * surf.get_height()
            while len(self._text) > 1 and (len(self._text) > self._cache_size or self._pixels > self._max_pixels):
                _, old = self._text.popitem(last=False)
                self._pixels -= old.get_width() * old.get_height()
        else:
            self._text.move_to_end(key)
        if text_log.ACTIVE is not None:
            text_log.note(surf, text)
        return surf

    def cached_bytes(self) -> int:
        """Bytes of pixels in the text cache (at 4 bytes a pixel)."""
        return self._pixels * 4

    def size(self, text: str, size: int, bold: bool = False, mono: bool = False) -> tuple[int, int]:
        """The size ``text`` would render at (measured once, then remembered)."""
        key = (text, int(size), bold, mono)
        found = self._sizes.get(key)
        if found is None:
            if len(self._sizes) > 50_000:
                self._sizes.clear()
            found = self._sizes[key] = self.font(size, bold, mono).size(text)
        return found


def _render(font: pygame.font.Font, text: str, colour: tuple[int, int, int]) -> pygame.Surface:
    """``font.render``, except that text drawing nothing (U+200B …) or holding a NUL never raises.

    Level and lecture text is cleaned when it is loaded; this is the last guard for what no
    loader can foresee (a lone combining mark, an unassigned code point): an empty surface.
    """
    try:
        return font.render(text, True, colour)
    except (pygame.error, ValueError):
        cleaned = text.replace("\x00", "")
        if cleaned and font.size(cleaned)[0] > 0:
            try:
                return font.render(cleaned, True, colour)
            except (pygame.error, ValueError):
                pass
        return pygame.Surface((1, font.get_linesize()), pygame.SRCALPHA)
