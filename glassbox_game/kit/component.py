"""The shape every on-screen component shares, and small drawing helpers used by all of them.

A component is laid out into a rectangle, draws a :class:`Snapshot`, and turns input events into
simulation :class:`Command` objects (it may keep purely visual state of its own — hover position,
open tab, cached surfaces — but never changes the simulation directly).

A component never keeps a clock: which step it shows is the scene's choice (``sim/display.py``),
and a cached picture is keyed on the snapshot's ``step_id``. ``drawn_step`` says which step (and
phase) the component drew last, so a test can check that every panel of a frame drew the same one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from glassbox_game.kit.theme import Theme
from glassbox_game.sim.commands import Command
from glassbox_game.sim.snapshot import Snapshot


@dataclass
class ViewContext:
    """What a component needs to lay itself out: the theme and the scene's pygame_gui manager."""

    theme: Theme
    manager: object | None = None  # pygame_gui.UIManager (None when a component needs no widgets)
    panels: frozenset[str] = frozenset()  # optional panels the current mode shows
    #: a level is waiting for typed answers: views hide slopes, δs and gradients until they are in
    quiz: bool = False
    #: the (quantity, layer, neuron) a level asks to be typed and not yet answered: views show "?"
    asked: frozenset[tuple[str, int, int]] = frozenset()

    def hides(self, quantity: str, layer: int, j: int) -> bool:
        """A pending typed answer is this number: do not show it."""
        return (quantity, layer, j) in self.asked


class Component:
    """Base class: override what you need."""

    name = "component"

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.ctx: ViewContext | None = None
        self.drawn_step: tuple | None = None  # Snapshot.step_id of the last draw

    @property
    def theme(self) -> Theme:
        assert self.ctx is not None, "layout() first"
        return self.ctx.theme

    def layout(self, rect: pygame.Rect, ctx: ViewContext) -> None:
        """Place the component (called on start, resize, theme or text-scale change)."""
        self.rect = pygame.Rect(rect)
        self.ctx = ctx

    def handle_event(self, event: pygame.event.Event, snap: Snapshot) -> list[Command]:
        """Turn an input event into commands (return [] when the event is not ours)."""
        return []

    def refresh(self, snap: Snapshot) -> None:
        """Called once a frame before draw: update pygame_gui widgets or cached text from the snapshot."""

    def draw(self, surface: pygame.Surface, snap: Snapshot) -> None:
        """Draw the snapshot. Never changes the simulation."""

    def targets(self) -> dict[str, pygame.Rect]:
        """Named screen regions a script can click (e.g. "play", "edge:h1->y")."""
        return {}


def draw_card(surface: pygame.Surface, rect: pygame.Rect, theme: Theme, title: str | None = None,
              subtitle: str | None = None) -> pygame.Rect:
    """A panel: rounded background, 1 px border, optional small-caps title. Returns the inner rect."""
    p = theme.palette
    radius = theme.px(10)
    pygame.draw.rect(surface, p.panel, rect, border_radius=radius)
    pygame.draw.rect(surface, p.border, rect, width=max(1, theme.px(1)), border_radius=radius)
    pad = theme.px(24) if not theme.lecture else theme.px(28)
    inner = rect.inflate(-2 * pad, -2 * pad)
    if title:
        surf = theme.text(title.upper(), "caption", p.muted, bold=True)
        surface.blit(surf, (inner.x, inner.y))
        x = inner.x + surf.get_width() + theme.px(12)
        if subtitle:
            sub = theme.text(subtitle, "caption", p.muted)
            surface.blit(sub, (x, inner.y + (surf.get_height() - sub.get_height()) // 2))
        top = surf.get_height() + theme.px(16)
        inner = pygame.Rect(inner.x, inner.y + top, inner.w, inner.h - top)
    return inner


def blit_text(surface: pygame.Surface, theme: Theme, text: str, pos: tuple[int, int], role: str = "caption",
              colour: tuple[int, int, int] | None = None, bold: bool = False, mono: bool = False,
              anchor: str = "topleft") -> pygame.Rect:
    """Draw one line of text anchored at ``pos`` (any pygame.Rect anchor name); returns its rect."""
    surf = theme.text(text, role, colour, bold, mono)
    r = surf.get_rect(**{anchor: pos})
    surface.blit(surf, r)
    return r


