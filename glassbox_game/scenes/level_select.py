"""The level select: one card per shipped level with its number, title, stars and lock state.

Arrow keys move the focus through the grid, Enter (or a click) opens a level, Esc goes back. When
the cards do not all fit (large text on a small window) the grid scrolls by rows (the wheel, or the
focus moving off the last row in view).
Locked levels say which level unlocks them. Script targets: ``level:<id>`` and ``level:<nn>``.
"""

from __future__ import annotations

import pygame

from glassbox_game.kit.icons import draw_lock
from glassbox_game.levels import Level, LevelError, shipped_levels
from glassbox_game.levels.progress import Progress, level_key, load_progress
from glassbox_game.scenes.base import Host, Scene
from glassbox_game.ui.level_hud import draw_stars
from glassbox_game.ui.menu import hit_index
from glassbox_game.ui.overlay_card import wrap_text


class LevelSelectScene(Scene):
    name = "level-select"

    def __init__(self, app: Host, progress: Progress | None = None) -> None:
        super().__init__(app)
        try:
            self.levels: list[Level] = shipped_levels()
        except LevelError as exc:  # a broken shipped file: say which, show the rest of the game
            app.notify(str(exc), 8.0)
            self.levels = []
        self.progress = progress if progress is not None else load_progress()
        if self.progress.notice:
            app.notify(self.progress.notice, 6.0)
            self.progress.notice = None
        self.focus = self._first_unfinished()
        self.rects: list[pygame.Rect] = []
        self.cols = 4
        self.size = (0, 0)
        self.scroll = 0  # the first row of cards in view
        self.visible_rows = 1
        self.card = (0, 0, 0)
        self.grid = pygame.Rect(0, 0, 0, 0)
        self.sub_y = 0

    def resume(self) -> None:
        """Back on top (a level was closed): read progress again and focus the next unfinished level."""
        self.progress = load_progress()
        self.focus = self._first_unfinished()
        if self.size != (0, 0):
            self._keep_focus_in_view()

    def _order(self) -> list[str]:
        return [_key(lv) for lv in self.levels]

    def unlocked(self, k: int) -> bool:
        return self.progress.is_unlocked(_key(self.levels[k]), self._order())

    def _first_unfinished(self) -> int:
        for k, lv in enumerate(self.levels):
            if self.progress.stars(_key(lv)) == 0 and self.unlocked(k):
                return k
        return 0

    # -- layout -------------------------------------------------------------------------------------
    def layout(self, size: tuple[int, int]) -> None:
        self.theme = theme = self.app.theme("main")
        self.size = size
        m, g = theme.px(48), theme.px(20)
        # the header and footer as tall as their text is (large text makes them taller)
        self.sub_y = m + theme.text("Levels", "title", bold=True).get_height() + theme.px(8)
        top = max(theme.px(150), self.sub_y + theme.text("0", "name").get_height() + theme.px(24))
        foot = max(theme.px(70), theme.text("0", "caption").get_height() + theme.px(48))
        n = max(1, len(self.levels))
        self.cols = 4 if size[0] / max(1, size[1]) >= 1.5 else 3
        rows = -(-n // self.cols)
        card_w = (size[0] - 2 * m - (self.cols - 1) * g) // self.cols
        avail = size[1] - top - foot
        fit_h = (avail - (rows - 1) * g) // rows
        need_h = self._card_height(card_w)
        card_h = min(theme.px(190), fit_h) if fit_h >= need_h else need_h
        # more rows than fit: the grid scrolls by whole rows, keeping the focused card in view
        self.visible_rows = max(1, min(rows, (avail + g) // (card_h + g)))
        self.grid = pygame.Rect(m, top, size[0] - 2 * m, self.visible_rows * (card_h + g) - g)
        self.card = (card_w, card_h, g)
        self.scroll = max(0, min(self.scroll, rows - self.visible_rows))
        self._keep_focus_in_view()

    def _card_height(self, card_w: int) -> int:
        """The height a card needs for its badge, its title (wrapped, at most three lines) and its status row."""
        theme = self.theme
        pad, badge = theme.px(20), theme.px(48)
        text_w = card_w - 2 * pad - badge - theme.px(16)
        lines = max((min(3, len(wrap_text(theme, lv.title, "name", text_w, bold=True))) for lv in self.levels),
                    default=1)
        title_h = max(badge, lines * (theme.text_px("name") + theme.px(8)))
        status_h = max(theme.px(32), theme.text_px("caption") + theme.px(8))
        return 2 * pad + title_h + theme.px(8) + status_h

    def _keep_focus_in_view(self) -> None:
        row = self.focus // max(1, self.cols)
        if row < self.scroll:
            self.scroll = row
        elif row >= self.scroll + self.visible_rows:
            self.scroll = row - self.visible_rows + 1
        self._place()

    def _place(self) -> None:
        """Card rects for the rows in view; cards scrolled out of view get an empty rect (no clicks)."""
        card_w, card_h, g = self.card
        self.rects = []
        for k in range(len(self.levels)):
            r, col = divmod(k, self.cols)
            r -= self.scroll
            if 0 <= r < self.visible_rows:
                self.rects.append(pygame.Rect(self.grid.x + col * (card_w + g), self.grid.y + r * (card_h + g),
                                              card_w, card_h))
            else:
                self.rects.append(pygame.Rect(0, 0, 0, 0))

    def scroll_rows(self, delta: int) -> None:
        rows = -(-len(self.levels) // max(1, self.cols))
        self.scroll = max(0, min(self.scroll + delta, rows - self.visible_rows))
        self._place()

    def shown_levels(self) -> tuple[int, int]:
        """The first and last level number (1-based) whose cards are in view."""
        first = self.scroll * self.cols
        return first + 1, min(len(self.levels), (self.scroll + self.visible_rows) * self.cols)

    # -- input ----------------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        if not self.levels:
            if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
                self.app.pop()
                return True
            return False
        if event.type == pygame.MOUSEWHEEL:
            self.scroll_rows(-int(event.y))
            return True
        if event.type == pygame.MOUSEMOTION:
            k = hit_index(self.rects, event.pos)
            if k is not None:
                self.focus = k
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            k = hit_index(self.rects, event.pos)
            if k is None:
                return False
            self.focus = k
            self.open(k)
            return True
        if event.type != pygame.KEYDOWN:
            return False
        n = len(self.levels)
        moves = {pygame.K_RIGHT: 1, pygame.K_LEFT: -1, pygame.K_DOWN: self.cols, pygame.K_UP: -self.cols}
        if event.key in moves:
            self.focus = max(0, min(n - 1, self.focus + moves[event.key]))
            self._keep_focus_in_view()
            return True
        if event.key == pygame.K_TAB:
            self.focus = (self.focus + (-1 if event.mod & pygame.KMOD_SHIFT else 1)) % n
            self._keep_focus_in_view()
            return True
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.open(self.focus)
            return True
        if event.key in (pygame.K_ESCAPE, pygame.K_BACKSPACE):
            self.app.pop()
            return True
        return False

    def open(self, k: int) -> None:
        if not self.unlocked(k):
            before = self.levels[k - 1]
            self.app.notify(f"Locked: win level {before.order} ({before.title}) first.", 3.0)
            return
        self.app.show("level_play", self.levels[k], self.progress)

    def script_command(self, words: list[str]) -> bool:
        if words[0] == "back":
            self.app.pop()
            return True
        return False

    # -- drawing ----------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        p = theme.palette
        surface.fill(p.bg)
        m = theme.px(48)
        title = theme.text("Levels", "title", p.text, bold=True)
        surface.blit(title, (m, theme.px(48)))
        total = self.progress.total_stars()
        rows = -(-len(self.levels) // max(1, self.cols))
        if rows > self.visible_rows:  # the grid scrolls: say which cards are in view
            a, b = self.shown_levels()
            words = f"{total} of {3 * len(self.levels)} stars · levels {a}–{b} of {len(self.levels)}: scroll for more"
        else:
            words = f"{total} of {3 * len(self.levels)} stars · each level teaches one idea of backpropagation"
        sub = theme.text(words, "name", p.muted)
        surface.blit(sub, (m, self.sub_y))
        for k, (level, r) in enumerate(zip(self.levels, self.rects, strict=False)):
            if r.w:
                self._draw_card(surface, k, level, r)
        foot = theme.text("Arrow keys to choose · Enter to play · Esc to go back", "caption", p.muted)
        surface.blit(foot, foot.get_rect(midbottom=(self.size[0] // 2, self.size[1] - theme.px(24))))

    def _draw_card(self, surface: pygame.Surface, k: int, level: Level, r: pygame.Rect) -> None:
        theme = self.theme
        p = theme.palette
        open_ = self.unlocked(k)
        focused = k == self.focus
        stars = self.progress.stars(_key(level))
        pygame.draw.rect(surface, p.panel if open_ else p.bg, r, border_radius=theme.px(12))
        pygame.draw.rect(surface, p.select if focused else p.border, r,
                         width=max(2, theme.px(3)) if focused else max(1, theme.px(1)), border_radius=theme.px(12))
        pad = theme.px(20)
        badge_r = theme.px(24)
        centre = (r.x + pad + badge_r, r.y + pad + badge_r)
        pygame.draw.circle(surface, p.panel_alt if open_ else p.panel, centre, badge_r)
        pygame.draw.circle(surface, p.positive if stars else p.border, centre, badge_r, max(1, theme.px(2)))
        num = theme.text(str(level.order or k + 1), "name", p.text if open_ else p.muted, bold=True)
        surface.blit(num, num.get_rect(center=centre))
        text_x = centre[0] + badge_r + theme.px(16)
        text_w = r.right - pad - text_x
        y = r.y + pad
        colour = p.text if open_ else p.muted
        lines = wrap_text(theme, level.title, "name", text_w, bold=True)[:3]
        for line in lines:
            surf = theme.text(line, "name", colour, bold=True)
            surface.blit(surf, (text_x, y), area=pygame.Rect(0, 0, text_w, surf.get_height()))
            y += theme.text_px("name") + theme.px(8)
        bottom = r.bottom - pad - theme.px(16)
        if open_:
            draw_stars(surface, (r.x + pad + theme.px(16) + round(theme.px(16) * 2.5), bottom), theme.px(16), stars,
                       p.select, p.muted)
            rec = self.progress.levels.get(_key(level))
            note = "not played yet" if rec is None or not rec.wins else \
                f"best: epoch {rec.best_epochs:,}" if rec.best_epochs else "solved"
            txt = theme.text(note, "caption", p.muted)
            surface.blit(txt, txt.get_rect(midright=(r.right - pad, bottom)))
        else:
            draw_lock(surface, (r.x + pad + theme.px(12), bottom), theme.px(24), p.muted, p.bg)
            before = self.levels[k - 1].order if k > 0 else 0
            txt = theme.text(f"win level {before} to unlock", "caption", p.muted)
            surface.blit(txt, txt.get_rect(midleft=(r.x + pad + theme.px(32), bottom)))

    def targets(self) -> dict[str, pygame.Rect]:
        out: dict[str, pygame.Rect] = {}
        for k, (level, r) in enumerate(zip(self.levels, self.rects, strict=False)):
            if not r.w:  # scrolled out of view
                continue
            out[f"level:{level.id}"] = r
            out[f"level:{k + 1:02d}"] = r
        return out


def _key(level) -> str:
    """Progress key of a listed level (its shipped path; the id for levels from elsewhere)."""
    return level_key(level) or str(level.id)
