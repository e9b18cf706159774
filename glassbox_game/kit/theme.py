"""The theme: a palette, a UI scale and the type sizes derived from them.

Everything on screen is sized from ``Theme.px`` so the layout grows with the window (pygame_gui
does not scale by itself: its theme dictionary is generated here for the current scale).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from glassbox_game.kit.fonts import FONT_FILES, Fonts
from glassbox_game.kit.palette import LECTURE_THEMES, PALETTES, Palette, colour_blind, mix

REFERENCE = (1920, 1080)


def ui_scale(size: tuple[int, int], text_scale: float = 1.0) -> float:
    """1.0 at 1920×1080, 2.0 at 3840×2160; never so small that captions become unreadable."""
    base = min(size[0] / REFERENCE[0], size[1] / REFERENCE[1])
    return max(0.6, base)


@dataclass(frozen=True)
class TypeScale:
    """Pixel sizes at 1920×1080 (before scaling)."""

    key: int  # key numbers
    name: int  # names and formulas
    caption: int  # captions, table cells
    title: int


SANDBOX_TYPE = TypeScale(key=28, name=20, caption=16, title=30)
LECTURE_TYPE = TypeScale(key=48, name=36, caption=28, title=48)


@lru_cache(maxsize=256)
def _text_px(lecture: bool, scale: float, text_scale: float, role: str) -> int:
    base = getattr(LECTURE_TYPE if lecture else SANDBOX_TYPE, role)
    floor = 28 if lecture else 12
    return max(round(floor * min(1.0, scale)), round(base * scale * text_scale))


@dataclass(frozen=True)
class Theme:
    """What every view needs to draw: colours, sizes, fonts."""

    palette: Palette
    scale: float  # layout scale (window size)
    text_scale: float = 1.0  # the user's text-size setting, 0.8 … 2.0
    lecture: bool = False
    reduced_motion: bool = False
    fonts: Fonts = field(default_factory=Fonts, compare=False, repr=False)

    @property
    def type(self) -> TypeScale:
        return LECTURE_TYPE if self.lecture else SANDBOX_TYPE

    def px(self, n: float) -> int:
        """A length in reference pixels, scaled to this window."""
        return max(1, round(n * self.scale))

    def text_px(self, role: str) -> int:
        """The pixel size of a text role: key, name, caption, title."""
        return _text_px(self.lecture, self.scale, self.text_scale, role)

    def text(self, s: str, role: str, colour: tuple[int, int, int] | None = None, bold: bool = False,
             mono: bool = False):  # -> pygame.Surface
        return self.fonts.render(s, self.text_px(role), colour or self.palette.text, bold, mono)

    def measure(self, s: str, role: str, bold: bool = False, mono: bool = False) -> tuple[int, int]:
        return self.fonts.size(s, self.text_px(role), bold, mono)

    def gui_theme(self) -> dict:
        """A pygame_gui theme dictionary matching this palette and scale."""
        p = self.palette

        def col(c: tuple[int, int, int]) -> str:
            return "#{:02X}{:02X}{:02X}".format(*c)

        size = str(self.text_px("caption"))
        font = {"name": "dejavu", "size": size, "bold": "0", "italic": "0",
                "regular_path": str(FONT_FILES[(False, False)]), "bold_path": str(FONT_FILES[(True, False)])}
        accent = p.positive
        # pygame_gui takes fonts per element type (the "defaults" block only sets colours)
        per_element = {k: {"font": font} for k in (
            "button", "label", "text_entry_line", "drop_down_menu", "tool_tip", "text_box", "horizontal_slider",
            "selection_list", "window", "file_dialog", "text_entry_box", "tab_container")}
        theme: dict = {
            "defaults": {
                "colours": {
                    # a fixed (disabled) control is flat on the panel, its text readable but quieter
                    "normal_bg": col(p.panel_alt), "hovered_bg": col(p.border), "disabled_bg": col(p.panel),
                    "selected_bg": col(accent), "active_bg": col(accent), "dark_bg": col(p.panel),
                    "normal_text": col(p.text), "hovered_text": col(p.text), "selected_text": col(p.bg),
                    "active_text": col(p.bg), "disabled_text": col(p.muted), "normal_border": col(p.border),
                    "hovered_border": col(p.select), "selected_border": col(p.select),
                    "active_border": col(p.select), "disabled_border": col(mix(p.panel, p.border, 0.6)),
                    "text_cursor": col(p.text), "filled_bar": col(accent), "unfilled_bar": col(p.border),
                    "link_text": col(accent), "link_hover": col(p.select), "link_selected": col(p.select),
                },
                "font": font,
                "misc": {"shape": "rounded_rectangle", "shape_corner_radius": str(self.px(8)),
                         "border_width": str(max(1, self.px(1))), "shadow_width": "0",
                         "tool_tip_delay": "0.6"},
            },
            "button": {"misc": {"text_horiz_alignment": "center"}},
            "#primary": {"colours": {"normal_bg": col(accent), "normal_text": col(p.bg),
                                     "hovered_bg": col(p.select), "hovered_text": col(p.bg)}},
            "#selected_tab": {"colours": {"normal_bg": col(p.panel), "normal_text": col(p.text),
                                          "normal_border": col(p.select)}},
            "label": {"colours": {"normal_text": col(p.muted), "dark_bg": "#00000000"}},
            # the track a step off the panel (never the border colour: white in high contrast), the knob in text colour
            "horizontal_slider": {"colours": {"dark_bg": col(mix(p.panel_alt, p.muted, 0.3)), "normal_bg": col(p.text),
                                              "hovered_bg": col(p.select)},
                                  "misc": {"enable_arrow_buttons": "0", "sliding_button_width": str(self.px(18)),
                                           "shape_corner_radius": str(self.px(9))}},
            "horizontal_slider.#sliding_button": {"colours": {"normal_bg": col(p.text), "hovered_bg": col(p.select),
                                                              "active_bg": col(p.select),
                                                              "normal_border": col(p.text)}},
            "drop_down_menu": {"misc": {"expand_direction": "up", "open_button_width": str(self.px(28))}},
            # the title bar grows with the text (pygame_gui's default is 28 px at every size)
            "selection_list": {"misc": {"list_item_height": str(max(20, round(self.text_px("caption") * 1.5)))}},
            "window": {"misc": {"title_bar_height": str(max(28, round(self.text_px("caption") * 1.75)))}},
            "tool_tip": {"colours": {"dark_bg": col(p.topbar), "normal_text": col(p.text)}},
        }
        # a drop-down's arrow button is looked up by its own ids, never by "button": without this block
        # it falls back to pygame_gui's 14 px default font, a dot at 4K
        # (only where the button is wide enough for the caption-size glyph: pygame_gui's text layout
        # never ends on a glyph wider than its button, so small windows keep the default)
        if self.px(28) >= 40:
            for key in ("drop_down_menu.#expand_button", "#expand_button"):
                per_element[key] = {"font": font}
        for key, block in per_element.items():
            theme.setdefault(key, {}).update(block)
        return theme


def make_theme(name: str, size: tuple[int, int], text_scale: float = 1.0, colour_blind_safe: bool = False,
               reduced_motion: bool = False, fonts: Fonts | None = None) -> Theme:
    """The theme called ``name`` (see PALETTES) for a window of ``size``."""
    palette = PALETTES.get(name, PALETTES["dark"])
    if colour_blind_safe:
        palette = colour_blind(palette)
    return Theme(palette, ui_scale(size, text_scale), text_scale, name in LECTURE_THEMES, reduced_motion,
                 fonts or Fonts())
