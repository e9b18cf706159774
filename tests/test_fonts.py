"""Every character the UI can draw exists in the bundled DejaVu fonts.

``pygame.font.Font.metrics`` reports a box even for a missing glyph; ``pygame.freetype``'s
``Font.get_metrics`` returns None for it, so that is what is checked. The characters are every
non-ASCII character in any string literal of ``glassbox_game/**/*.py`` (found with ``ast``, so
f-strings and docstrings count too), plus the symbols the chain-rule panels are built from.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame.freetype

ROOT = Path(__file__).resolve().parents[1]
FONTS = ("DejaVuSans.ttf", "DejaVuSansMono.ttf")
REQUIRED = "δσΣ∂′×≈→←ŷ²₀₁₂₃η∇−⁰¹"
# Emoji the UI draws as icons, never as text (DejaVu has no emoji). Keep this list short and
# say where each is drawn.
ICON_ONLY = {
    "🔒": "lock marker on a locked neuron and on the loss chart: drawn as an icon",
    "🔓": "unlock marker: drawn as an icon",
}


def literal_characters() -> dict[str, str]:
    """Each non-ASCII character in a string literal of the package → one file that uses it."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "glassbox_game").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for ch in node.value:
                    if ord(ch) > 127:
                        found.setdefault(ch, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


@pytest.fixture(scope="module", params=FONTS)
def font(request: pytest.FixtureRequest) -> pygame.freetype.Font:
    pygame.freetype.init()
    return pygame.freetype.Font(str(ROOT / "assets" / "fonts" / request.param), 24)


def missing(font: pygame.freetype.Font, chars: str) -> list[str]:
    metrics = font.get_metrics(chars)
    return [ch for ch, m in zip(chars, metrics, strict=True) if m is None]


def test_the_check_detects_a_missing_glyph(font: pygame.freetype.Font) -> None:
    assert missing(font, "a🔒b") == ["🔒"]
    assert missing(font, "\U0001F984") == ["\U0001F984"]  # 🦄


def test_required_symbols_are_in_the_font(font: pygame.freetype.Font) -> None:
    assert missing(font, REQUIRED) == []


def test_every_non_ascii_character_in_the_code_is_in_the_font(font: pygame.freetype.Font) -> None:
    used = literal_characters()
    assert "ŷ" in used  # the collector sees the engine's neuron names
    chars = "".join(ch for ch in sorted(used) if ch not in ICON_ONLY)
    bad = missing(font, chars)
    assert bad == [], "missing glyphs: " + ", ".join(f"{ch!r} (U+{ord(ch):04X}, {used[ch]})" for ch in bad)


def test_fonts_have_their_licence() -> None:
    assert (ROOT / "assets" / "fonts" / "LICENSE-DejaVu.txt").is_file()
