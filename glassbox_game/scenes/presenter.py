"""The presenter view: a second window for the lecturer's laptop, beside the audience window.

It shows this beat's notes, the next beat's title and caption, the time since the presenter view
opened and the time on this beat, the remote's last key, a live thumbnail of the audience screen
and whether that screen is blanked. It is not a scene: the lecture (and the scene stack) stays in
the audience window, and this window only reads the lecture's state and the audience's pixels.

Keys pressed in either window go to the lecture as usual; the mouse in this window touches
nothing; closing this window closes only this window. ``--presenter --screenshot PATH`` saves this
window's last frame beside the audience's, as ``PATH`` with ``-presenter`` before ``.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pygame

from glassbox_game.kit.theme import Theme
from glassbox_game.ui.caption_bar import wrap

TITLE = "Glassbox — presenter view"
SUFFIX = "-presenter"
TOGGLE_KEY = pygame.K_v  # in lecture mode: open or close the presenter view
KEY_HINTS = "Page Down / → next   ·   Page Up / ← back   ·   B black   ·   W white   ·   V closes this window"
MIN_SIZE = (640, 400)
THUMB_HZ = 10  # the presenter window redraws this often (and at once on a key or a new beat)
_CENTRED_ON = 0x2FFF0000  # SDL_WINDOWPOS_CENTERED_DISPLAY(n) = this | n
_OWN_EVENTS = {pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEWHEEL,
               pygame.WINDOWENTER, pygame.WINDOWLEAVE, pygame.WINDOWFOCUSGAINED, pygame.WINDOWFOCUSLOST,
               pygame.WINDOWSHOWN, pygame.WINDOWHIDDEN, pygame.WINDOWEXPOSED, pygame.WINDOWMOVED,
               pygame.WINDOWRESIZED, pygame.WINDOWSIZECHANGED, pygame.WINDOWMINIMIZED, pygame.WINDOWMAXIMIZED,
               pygame.WINDOWRESTORED, pygame.VIDEORESIZE, pygame.VIDEOEXPOSE, pygame.ACTIVEEVENT}


def presenter_path(path: str | Path) -> Path:
    """``shot.png`` → ``shot-presenter.png``."""
    p = Path(path)
    return p.with_name(f"{p.stem}{SUFFIX}{p.suffix}")


def clock_text(seconds: float) -> str:
    """``4:05``, or ``1:04:05`` past the hour."""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def key_label(event: pygame.event.Event) -> str:
    """How a key press reads on the presenter window: ``Page Down``, ``Shift + →``."""
    arrows = {pygame.K_RIGHT: "→", pygame.K_LEFT: "←", pygame.K_UP: "↑", pygame.K_DOWN: "↓"}
    name = arrows.get(event.key) or pygame.key.name(event.key).title() or f"key {event.key}"
    mod = getattr(event, "mod", 0)
    mods = [label for flag, label in ((pygame.KMOD_CTRL, "Ctrl"), (pygame.KMOD_ALT, "Alt"),
                                      (pygame.KMOD_SHIFT, "Shift")) if mod & flag]
    return " + ".join([*mods, name])


def find_lecture(app: Any) -> Any:
    """The lecture scene on the stack (under any overlay), or None."""
    return next((s for s in reversed(app.scenes) if getattr(s, "name", "") == "lecture"), None)


def toggle_presenter(app: Any) -> None:
    """Open the presenter view, or close it if it is open."""
    if app.presenter is not None:
        app.presenter.close()
    else:
        app.presenter = PresenterWindow(app, getattr(app.args, "presenter_resolution", None))


class PresenterWindow:
    """The second window. ``shown`` records what the last frame drew (for tests and tools)."""

    def __init__(self, app: Any, size: tuple[int, int] | None = None) -> None:
        self.app = app
        size, position = self._place(size)
        self.window = pygame.Window(TITLE, size, position=position, resizable=True)
        self.window.minimum_size = MIN_SIZE
        self.window_id = self.window.id
        self.opened_at = app.app_time
        self.beat_started = app.app_time
        self._beat_seen: tuple[int, int] | None = None
        self.last_key = "—"
        self.shown: dict[str, Any] = {}
        self._theme: Theme | None = None

    # -- where the two windows go -----------------------------------------------------------------
    def _place(self, size: tuple[int, int] | None) -> tuple[tuple[int, int], Any]:
        """Two displays: this window on the other one, the audience fullscreen on its own.
        One display: side by side, the audience on the left. Headless: nothing to arrange."""
        app = self.app
        if app.headless:
            return size or app.size, pygame.WINDOWPOS_UNDEFINED
        sizes = pygame.display.get_desktop_sizes() or [app.size]
        if len(sizes) > 1:
            other = 0 if app.display_index != 0 else 1
            w, h = sizes[other]
            if not app.fullscreen:
                app.toggle_fullscreen()
            return size or (w * 9 // 10, h * 9 // 10), (_CENTRED_ON | other, _CENTRED_ON | other)
        w, h = sizes[0]
        own_w = size[0] if size else max(MIN_SIZE[0], w * 2 // 5)
        own_h = size[1] if size else max(MIN_SIZE[1], h * 9 // 10)
        if app.fullscreen:
            app.toggle_fullscreen()
        audience_w = max(MIN_SIZE[0], w - own_w)
        app.resize((audience_w, min(own_h, audience_w * 9 // 16)))
        pygame.display.set_window_position((0, max(0, (h - own_h) // 2)))
        return (own_w, own_h), (audience_w, max(0, (h - own_h) // 2))

    def close(self) -> None:
        """Close this window only: the lecture goes on in the audience window."""
        if self.app.presenter is self:
            self.app.presenter = None
        self.window.destroy()

    # -- input ----------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        """True if the event was this window's alone. Keys are noted and passed on to the lecture."""
        window = getattr(event, "window", None)
        ours = window is not None and getattr(window, "id", None) == self.window_id
        if event.type == pygame.WINDOWCLOSE:
            if ours:
                self.close()
            else:  # the audience window: with this one open SDL sends no QUIT, so ask here
                self.app.request_quit()
            return True
        if event.type == pygame.KEYDOWN:
            self.last_key = key_label(event)
            return False
        return ours and event.type in _OWN_EVENTS

    # -- each frame -----------------------------------------------------------------------------
    def frame(self) -> None:
        """Draw and show this window's frame (after the audience frame is drawn)."""
        lecture = find_lecture(self.app)
        if lecture is None:  # lecture mode was left: the notes have nothing to follow
            self.close()
            return
        surface = self.window.get_surface()
        now = self.app.app_time
        sign = (id(lecture), lecture.beat_index, lecture.sub, self.last_key, self.app.black_screen, surface.get_size())
        # its content changes slowly: redraw at THUMB_HZ, or at once when the lecture or a key changed it
        if sign != self._sign or not 0 <= now - self._drawn_at < 1.0 / THUMB_HZ:
            self._sign, self._drawn_at = sign, now
            self.draw(surface, lecture)
            self.window.flip()

    def save_screenshot(self, path: str | Path) -> Path:
        out = presenter_path(path)
        self._thumb = None  # the thumbnail of exactly this audience frame
        lecture = find_lecture(self.app)
        surface = self.window.get_surface()
        if lecture is not None:
            self.draw(surface, lecture)
        pygame.image.save(surface, str(out))
        return out

    def theme(self, size: tuple[int, int]) -> Theme:
        if self._theme is None or self._theme_size != size:
            self._theme = self.app.theme("lecture", size=size)
            self._theme_size = size
        return self._theme

    def draw(self, surface: pygame.Surface, lecture: Any) -> None:
        size = surface.get_size()
        theme = self.theme(size)
        p = theme.palette
        surface.fill(p.bg)
        m = theme.px(24)
        script, index = lecture.script, lecture.beat_index
        beat = lecture.beat
        key = (id(lecture), index)
        if key != self._beat_seen:
            self._beat_seen = key
            self.beat_started = self.app.app_time
        now = self.app.app_time
        total = len(script.beats) if script is not None else 0
        # header: where we are, and the two clocks
        head = f"Beat {index + 1} / {total}  ·  {beat.title or 'untitled'}" if beat else "Free lecture mode"
        clocks = f"elapsed {clock_text(now - self.opened_at)}   ·   this beat {clock_text(now - self.beat_started)}"
        clock_s = theme.text(clocks, "name", p.text, mono=True)
        head_w = size[0] - 3 * m - clock_s.get_width()
        head_s = theme.text(_fit(theme, head, "name", head_w, bold=True), "name", p.text, bold=True)
        surface.blit(head_s, (m, m))
        surface.blit(clock_s, (size[0] - m - clock_s.get_width(), m))
        top = m + max(head_s.get_height(), clock_s.get_height()) + m // 2
        pygame.draw.line(surface, p.border, (m, top), (size[0] - m, top), max(1, theme.px(2)))
        hint_s = theme.text(_fit(theme, KEY_HINTS, "caption", size[0] - 2 * m), "caption", p.muted)
        bottom = size[1] - m - hint_s.get_height()
        surface.blit(hint_s, (m, bottom))
        top += m // 2
        right_w = int((size[0] - 3 * m) * 0.42)
        left = pygame.Rect(m, top, size[0] - 3 * m - right_w, bottom - top - m // 2)
        right = pygame.Rect(left.right + m, top, right_w, left.height)
        notes = beat.notes if beat is not None else ""
        if not notes:
            notes = "No notes for this beat." if script is not None else "Free lecture mode has no script or notes."
        lines = self._draw_notes(surface, theme, left, notes)
        state = self._draw_audience(surface, theme, right)
        next_title, next_text = self._next(lecture)
        self._draw_next(surface, theme, pygame.Rect(right.x, self._below, right.w, right.bottom - self._below),
                        next_title, next_text)
        self.shown = {"beat": index + 1 if beat else 0, "total": total, "notes": lines, "next": next_title,
                      "next_caption": next_text, "state": state, "last_key": self.last_key,
                      "elapsed": clock_text(now - self.opened_at), "on_beat": clock_text(now - self.beat_started)}

    def _draw_notes(self, surface: pygame.Surface, theme: Theme, rect: pygame.Rect, notes: str) -> list[str]:
        p = theme.palette
        label = theme.text("NOTES", "caption", p.muted, bold=True)
        surface.blit(label, rect.topleft)
        area = pygame.Rect(rect.x, rect.y + label.get_height() + theme.px(8), rect.w,
                           rect.h - label.get_height() - theme.px(8))
        for role in ("name", "caption"):  # the largest type whose lines all fit
            line_h = theme.measure("Ag", role)[1]
            gap = line_h // 2
            lines: list[str] = []
            height = 0
            for para in notes.split("\n"):
                if lines:
                    lines.append("")
                    height += gap
                for line in wrap(theme, para, area.w, role):
                    lines.append(line)
                    height += line_h
            if height <= area.h:
                break
        y, cut = area.y, False
        placed: list[tuple[str, int]] = []
        for line in lines:
            step = line_h if line else gap
            if y + step > area.bottom:
                cut = True
                break
            placed.append((line, y))
            y += step
        while placed and not placed[-1][0]:
            placed.pop()
        if cut and placed:
            placed[-1] = (_fit(theme, f"{placed[-1][0]} …", role, area.w), placed[-1][1])
        for line, y in placed:
            surface.blit(theme.text(line, role, p.text), (area.x, y))
        return [line for line, _ in placed if line]

    def _draw_audience(self, surface: pygame.Surface, theme: Theme, rect: pygame.Rect) -> str:
        p = theme.palette
        blank = self.app.black_screen
        state = "live" if blank is None else ("black screen" if blank == (0, 0, 0) else "white screen")
        label = theme.text("AUDIENCE", "caption", p.muted, bold=True)
        surface.blit(label, rect.topleft)
        badge_text = "LIVE" if blank is None else f"{state.upper()}  ·  any key returns"
        badge = theme.text(badge_text, "caption", p.bg if blank is not None else p.text, bold=True)
        box = badge.get_rect().inflate(theme.px(16), theme.px(6))
        box.midleft = (rect.x + label.get_width() + theme.px(16), rect.y + label.get_height() // 2)
        pygame.draw.rect(surface, p.danger if blank is not None else p.panel_alt, box, border_radius=theme.px(6))
        surface.blit(badge, badge.get_rect(center=box.center))
        audience = self.app.screen
        aw, ah = audience.get_size()
        tw = rect.w
        th = max(1, round(tw * ah / max(1, aw)))
        limit = rect.h // 2
        if th > limit:
            th, tw = limit, max(1, round(limit * aw / max(1, ah)))
        top = box.bottom + theme.px(8)
        thumb = self._thumbnail(audience, (tw, th))
        surface.blit(thumb, (rect.x, top))
        pygame.draw.rect(surface, p.border, (rect.x - 1, top - 1, tw + 2, th + 2), max(1, theme.px(2)))
        key_s = theme.text(f"Last key: {self.last_key}", "caption", p.text)
        y = top + th + theme.px(10)
        surface.blit(key_s, (rect.x, y))
        self._below = y + key_s.get_height() + theme.px(18)
        return state

    def _thumbnail(self, audience: pygame.Surface, size: tuple[int, int]) -> pygame.Surface:
        """The audience frame scaled down, refreshed THUMB_HZ times a second (scaling a 1080p frame costs 2–4 ms)."""
        now = self.app.app_time
        if self._thumb is None or self._thumb.get_size() != size or now - self._thumb_at >= 1.0 / THUMB_HZ \
                or now < self._thumb_at:
            self._thumb = pygame.transform.smoothscale(audience, size)
            self._thumb_at = now
        return self._thumb

    def _next(self, lecture: Any) -> tuple[str, str]:
        script, beat = lecture.script, lecture.beat
        if script is None or beat is None:
            return "Next press: the next phase", "forward → loss → backward → update; Page Up steps back an epoch"
        last = lecture.beat_index + 1 >= len(script.beats)
        nxt = None if last else script.beats[lecture.beat_index + 1]
        if lecture.sub < beat.phase_steps:
            then = "then the end of the script" if nxt is None else f"then beat {nxt.number}: {nxt.title or 'untitled'}"
            return f"Next press: phase step {lecture.sub + 1} of {beat.phase_steps}", then
        if nxt is None:
            return "This is the last beat", "Page Up goes back to any beat."
        return f"Next: {nxt.number}  ·  {nxt.title or 'untitled'}", nxt.caption

    def _draw_next(self, surface: pygame.Surface, theme: Theme, rect: pygame.Rect, title: str, text: str) -> None:
        if not title or rect.h <= 0:
            return
        p = theme.palette
        label = theme.text("NEXT", "caption", p.muted, bold=True)
        surface.blit(label, rect.topleft)
        y = rect.y + label.get_height() + theme.px(6)
        for k, line in enumerate(wrap(theme, title, rect.w, "caption")):
            s = theme.text(line, "caption", p.text, bold=True)
            if y + s.get_height() > rect.bottom:
                return
            surface.blit(s, (rect.x, y))
            y += s.get_height() + (theme.px(6) if k == 0 else 0)
        for line in wrap(theme, text, rect.w, "caption"):
            s = theme.text(line, "caption", p.muted)
            if y + s.get_height() > rect.bottom:
                return
            surface.blit(s, (rect.x, y))
            y += s.get_height()

    _below = 0
    _theme_size: tuple[int, int] | None = None
    _thumb: pygame.Surface | None = None
    _thumb_at = 0.0
    _sign: tuple | None = None
    _drawn_at = 0.0


def _fit(theme: Theme, text: str, role: str, width: int, bold: bool = False) -> str:
    """``text``, shortened with … until it fits ``width`` pixels."""
    if theme.measure(text, role, bold=bold)[0] <= width:
        return text
    while len(text) > 1 and theme.measure(text + "…", role, bold=bold)[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"
