"""The bundled fonts (DejaVu: it has every maths symbol the game uses) and a text cache."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pygame

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
FONT_DIR = ASSETS / "fonts"
FONT_FILES = {
    (False, False): FONT_DIR / "DejaVuSans.ttf",
    (True, False): FONT_DIR / "DejaVuSans-Bold.ttf",
    (False, True): FONT_DIR / "DejaVuSansMono.ttf",
    (True, True): FONT_DIR / "DejaVuSansMono-Bold.ttf",
}


class Fonts:
    """Fonts by pixel size, and rendered text surfaces cached by (text, size, colour, style)."""

    def __init__(self, cache_size: int = 4000) -> None:
        self._fonts: dict[tuple[int, bool, bool], pygame.font.Font] = {}
        self._text: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self._cache_size = cache_size
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
            surf = self.font(size, bold, mono).render(text, True, colour)
            self._text[key] = surf
            if len(self._text) > self._cache_size:
                self._text.popitem(last=False)
        else:
            self._text.move_to_end(key)
        return surf

    def size(self, text: str, size: int, bold: bool = False, mono: bool = False) -> tuple[int, int]:
        """The size ``text`` would render at (measured once, then remembered)."""
        key = (text, int(size), bold, mono)
        found = self._sizes.get(key)
        if found is None:
            if len(self._sizes) > 50_000:
                self._sizes.clear()
            found = self._sizes[key] = self.font(size, bold, mono).size(text)
        return found
