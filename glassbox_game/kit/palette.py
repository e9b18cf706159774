"""Colour palettes. Sign and state are never shown by colour alone (views add a second cue)."""

from __future__ import annotations

from dataclasses import dataclass, replace

RGB = tuple[int, int, int]


def hex_rgb(text: str) -> RGB:
    text = text.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


@dataclass(frozen=True)
class Palette:
    """Every colour a view may use."""

    name: str
    dark: bool
    bg: RGB
    topbar: RGB
    panel: RGB
    panel_alt: RGB  # boxes inside panels, table stripes
    border: RGB
    text: RGB
    muted: RGB
    positive: RGB  # w > 0 (solid edges)
    negative: RGB  # w < 0 (dashed edges)
    gradient: RGB  # δ, ∂L/∂w, backward packets
    select: RGB  # selection, locks
    forward: RGB  # forward packets
    neuron_fill: RGB  # a neuron at a = 1
    neuron_empty: RGB  # a neuron at a = 0
    danger: RGB


def _p(name: str, dark: bool, **colours: str) -> Palette:
    return Palette(name, dark, **{k: hex_rgb(v) for k, v in colours.items()})


DARK = _p("dark", True, bg="#0F1420", topbar="#121827", panel="#161C2B", panel_alt="#1D2436",
          border="#263049", text="#E6EAF2", muted="#8A94A8", positive="#4C9BE8", negative="#E8684C",
          gradient="#39D98A", select="#F2C14E", forward="#DCE6F5", neuron_fill="#E6EAF2",
          neuron_empty="#1D2436", danger="#FF6B6B")
LIGHT = _p("light", False, bg="#F7F7F2", topbar="#EEEEE6", panel="#FFFFFF", panel_alt="#F0F1EC",
           border="#D9DBD3", text="#171C28", muted="#4E576A", positive="#1F6FC5", negative="#D0472A",
           gradient="#0B8A4E", select="#A36A00", forward="#2B3650", neuron_fill="#252C3D",
           neuron_empty="#F0F1EC", danger="#B3261E")
# Lecture variants: the same hues pushed to AAA contrast for washed-out projectors.
LECTURE_LIGHT = replace(LIGHT, name="lecture-light", text=hex_rgb("#0B0F19"), muted=hex_rgb("#3A4254"),
                        positive=hex_rgb("#1A5FA8"), negative=hex_rgb("#B23A1F"), gradient=hex_rgb("#08713F"),
                        select=hex_rgb("#8A5900"))
LECTURE_DARK = replace(DARK, name="lecture-dark", bg=hex_rgb("#05070C"), panel=hex_rgb("#0C111C"),
                       text=hex_rgb("#FFFFFF"), muted=hex_rgb("#B8C0D0"), positive=hex_rgb("#6CB4FF"),
                       negative=hex_rgb("#FF8A6B"), gradient=hex_rgb("#4DF0A0"), select=hex_rgb("#FFD45E"))
HIGH_CONTRAST = _p("high-contrast", True, bg="#000000", topbar="#000000", panel="#000000", panel_alt="#141414",
                   border="#FFFFFF", text="#FFFFFF", muted="#E0E0E0", positive="#5CC8FF", negative="#FF9E5C",
                   gradient="#5CFF9D", select="#FFE14D", forward="#FFFFFF", neuron_fill="#FFFFFF",
                   neuron_empty="#141414", danger="#FF6B6B")

PALETTES: dict[str, Palette] = {p.name: p for p in (DARK, LIGHT, LECTURE_DARK, LECTURE_LIGHT, HIGH_CONTRAST)}
LECTURE_THEMES = ("lecture-dark", "lecture-light")


def colour_blind(p: Palette) -> Palette:
    """Okabe–Ito blue / orange / bluish green instead of blue / red / green."""
    if p.dark:
        return replace(p, name=p.name + "+cb", positive=hex_rgb("#56B4E9"), negative=hex_rgb("#E69F00"),
                       gradient=hex_rgb("#2FD4A8"), select=hex_rgb("#F0E442"))
    return replace(p, name=p.name + "+cb", positive=hex_rgb("#0072B2"), negative=hex_rgb("#A65500"),
                   gradient=hex_rgb("#007A5A"), select=hex_rgb("#8A5900"))


def luminance(c: RGB) -> float:
    def lin(v: int) -> float:
        s = v / 255.0
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two colours (1 … 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    t = min(1.0, max(0.0, t))
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))
