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


def toggle_size(theme: Theme, label: str) -> tuple[int, int]:
    """The size of a :func:`draw_toggle` with ``label``: the box, a gap, the caption."""
    w, h = theme.measure(label, "caption")
    box = toggle_box(theme)
    return box + theme.px(8) + w, max(box, h)


def toggle_box(theme: Theme) -> int:
    """A toggle's check box side: large enough to hit (at least 18 px on any screen)."""
    return max(18, theme.px(20), theme.text_px("caption"))


def draw_toggle(surface: pygame.Surface, theme: Theme, pos: tuple[int, int], label: str, on: bool,
                enabled: bool = True) -> pygame.Rect:
    """A check box and its caption, top-left at ``pos``; returns the whole clickable rect."""
    p = theme.palette
    w, h = toggle_size(theme, label)
    side = toggle_box(theme)
    box = pygame.Rect(pos[0], pos[1] + (h - side) // 2, side, side)
    ink = p.text if enabled else p.muted
    pygame.draw.rect(surface, p.panel_alt if on else p.panel, box, border_radius=theme.px(4))
    pygame.draw.rect(surface, p.select if on and enabled else p.muted, box, max(1, theme.px(2)),
                     border_radius=theme.px(4))
    if on:  # a tick, so the state does not rest on colour alone
        s = box.w
        pts = [(box.x + s * 0.22, box.y + s * 0.52), (box.x + s * 0.42, box.y + s * 0.72),
               (box.x + s * 0.78, box.y + s * 0.30)]
        pygame.draw.lines(surface, p.select if enabled else p.muted, False, pts, max(2, theme.px(3)))
    blit_text(surface, theme, label, (box.right + theme.px(8), pos[1] + h // 2), "caption",
              ink if on else p.muted, anchor="midleft")
    return pygame.Rect(pos[0], pos[1], w, h)
