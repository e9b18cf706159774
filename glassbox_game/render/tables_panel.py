"""The tables card: tabs "Loss calc", "Activations a", "Deltas δ", "Weights w".

Numbers are in the mono font, aligned on the decimal point, coloured by sign and always written
with a real minus sign. Clicking a cell selects that neuron or weight (and its sample); clicking a
row's sample label shows that sample. Drawn into a cached surface, rebuilt only when what it shows
changes (and at most a few times a second while training fast).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pygame

from glassbox_game.kit import mathtext as mt
from glassbox_game.kit import text_log
from glassbox_game.kit.component import Component, ViewContext, draw_card
from glassbox_game.kit.palette import mix
from glassbox_game.render.explain import (
    LossCalcView,
    Table,
    activations_table,
    deltas_table,
    loss_calc_view,
    weights_table,
)
from glassbox_game.sim import commands as c
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.snapshot import Snapshot

TABS = (("loss", "Loss calc"), ("a", "Activations a"), ("delta", "Deltas δ"), ("w", "Weights w"))
QUIZ_TABS = ("loss", "a")


@dataclass
class GridCell:
    text: str
    tone: str = "text"
    numeric: bool = False
    bold: bool = False
    target: str = ""
    actions: list[c.Command] = field(default_factory=list)
    pieces: tuple[str, ...] = ()  # ``text`` split where a line may break (a narrow card wraps the cell there)


@dataclass
class Grid:
    headers: list[str]
    numeric: list[bool]
    rows: list[list[GridCell]]
    highlighted: int | None = None
    bars: list[float] | None = None  # loss calc: one bar per row, 0 … 1
    footer: tuple[str, str] | None = None  # (formula, value)


def _tone(value: float | None, signed: bool) -> str:
    if value is None or value == 0:
        return "text"
    if value < 0:
        return "negative"
    return "positive" if signed else "text"


def _actions(select: Selection | None, sample: int | None) -> list[c.Command]:
    out: list[c.Command] = []
    if select is not None:
        out.append(c.Select(select))
    if sample is not None:
        out.append(c.SetSample(sample))
    return out


def _blank(grid: Grid, columns: Iterable[int], mark: str = "—") -> Grid:
    """``grid`` with ``columns`` not computed yet (or asked by the level: ``mark`` "?"): a muted mark
    instead of each number, no bars or mean."""
    cols = set(columns)
    rows = [[replace(cell, text=mark, tone="muted", bold=False, pieces=()) if k in cols else cell for k, cell in enumerate(row)]
            for row in grid.rows]
    footer = (grid.footer[0], mark) if grid.footer is not None else None
    return replace(grid, rows=rows, bars=None, footer=footer)


def table_grid(table: Table) -> Grid:
    rows = []
    for row in table.rows:
        rows.append([GridCell(cell.text, _tone(cell.value, cell.signed) if k else "muted", table.numeric[k],
                              target=cell.target, actions=_actions(cell.select, cell.sample))
                     for k, cell in enumerate(row)])
    return Grid(list(table.headers), list(table.numeric), rows, table.highlighted)


def _listed(values: tuple[str, ...]) -> tuple[str, ...]:
    """``values`` as the pieces of "a, b, c": a narrow card breaks the list after a comma."""
    if len(values) < 2:
        return ()
    return tuple(("" if k == 0 else " ") + v + ("," if k < len(values) - 1 else "") for k, v in enumerate(values))


def loss_grid(view: LossCalcView, sample_ids: tuple[int, ...], output_select: list[Selection]) -> Grid:
    headers = [*view.input_names, "y" if len(view.output_names) == 1 else "targets", *view.output_names,
               view.formula_header, "loss"]
    n_in, n_out = len(view.input_names), len(view.output_names)
    numeric = [True] * n_in + [False] + [True] * n_out + [False, True]
    rows = []
    for r in view.rows:
        s = sample_ids[r.row]
        row = [GridCell(v, "muted", True, target=f"cell:loss:x{k + 1}:{r.row}", actions=_actions(None, s))
               for k, v in enumerate(r.inputs)]
        row.append(GridCell(", ".join(r.targets), target=f"cell:loss:y:{r.row}", actions=_actions(None, s),
                            pieces=_listed(r.targets)))
        row += [GridCell(p.text, "select" if r.highlighted else "text", True, target=f"cell:loss:yhat{k + 1}:{r.row}",
                         actions=_actions(output_select[k], s)) for k, p in enumerate(r.prediction)]
        row.append(GridCell(r.written, "muted", target=f"cell:loss:written:{r.row}", actions=_actions(None, s),
                            pieces=(r.terms[0], *(f" + {term}" for term in r.terms[1:])) if len(r.terms) > 1 else ()))
        row.append(GridCell(r.loss.text, "select" if r.highlighted else "text", True, bold=r.highlighted,
                            target=f"cell:loss:loss:{r.row}", actions=_actions(None, s)))
        rows.append(row)
    highlighted = next((r.row for r in view.rows if r.highlighted), None)
    value = view.mean.text if view.penalty is None else f"{view.mean.text}  + penalty {view.penalty.text}"
    return Grid(headers, numeric, rows, highlighted, [r.bar for r in view.rows], (view.mean_formula, value))


class TablesPanel(Component):
    """Loss calculation and the a / δ / w tables of the displayed step."""

    name = "tables"

    def __init__(self, tab: str = "loss") -> None:
        super().__init__()
        self.tab = tab
        self.builds = 0
        self.scroll: dict[str, list[int]] = {key: [0, 0] for key, _ in TABS}
        self._surface: pygame.Surface | None = None
        self._key: tuple | None = None
        self._built_step: tuple | None = None
        self.shown_grid: Grid | None = None  # the table on the card now
        self._followed: dict[str, int] = {}  # per tab, the highlighted row last scrolled into view
        self._targets: dict[str, pygame.Rect] = {}
        self._actions: dict[str, list[c.Command]] = {}

    def layout(self, rect: pygame.Rect, ctx: ViewContext) -> None:
        super().layout(rect, ctx)
        self._surface = None

    def tabs(self) -> tuple[tuple[str, str], ...]:
        """The tabs offered now: while a level waits for typed answers, not the δ and gradient tables."""
        if self.ctx is not None and self.ctx.quiz:
            return tuple(tab for tab in TABS if tab[0] in QUIZ_TABS)
        return TABS

    def select_tab(self, name: str) -> None:
        """Show tab ``name`` ("loss", "a", "delta", "w"; a "tab:" prefix is accepted)."""
        key = name.removeprefix("tab:")
        if key not in dict(TABS):
            raise ValueError(f"unknown tab {name!r}; choose one of {', '.join(k for k, _ in TABS)}")
        if key != self.tab:
            self.tab = key
            self._surface = None

    def targets(self) -> dict[str, pygame.Rect]:
        return {name: r.move(self.rect.topleft) for name, r in self._targets.items()}

    def handle_event(self, event: pygame.event.Event, snap: Snapshot) -> list[c.Command]:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            local = (event.pos[0] - self.rect.x, event.pos[1] - self.rect.y)
            for name, r in self._targets.items():
                if r.collidepoint(local):
                    if name.startswith("tab:"):
                        self.select_tab(name)
                        return []
                    return list(self._actions.get(name, []))
        if event.type == pygame.MOUSEWHEEL and self.rect.collidepoint(pygame.mouse.get_pos()):
            axis = 1 if pygame.key.get_mods() & pygame.KMOD_SHIFT or event.x else 0
            step = -(event.x or event.y) if axis else -event.y
            self.scroll[self.tab][axis] = max(0, self.scroll[self.tab][axis] + step)
            self._surface = None
        return []

    # -- caching -----------------------------------------------------------------------------------
    def refresh(self, snap: Snapshot) -> None:
        if self.tab not in dict(self.tabs()):
            self.tab = "loss"  # a level hid the tab that was open
        key = (snap.step_id, snap.sample, snap.selection, self.tab, tuple(self.scroll[self.tab]), tuple(self.rect),
               id(self.theme), self.tabs(), self.ctx.asked if self.ctx is not None else None)
        if self._surface is not None and key == self._key:
            return
        self._key, self._built_step = key, snap.step_id
        self._surface = self._build(snap)
        self.builds += 1

    def draw(self, surface: pygame.Surface, snap: Snapshot) -> None:
        self.refresh(snap)
        assert self._surface is not None
        self.drawn_step = self._built_step
        surface.blit(self._surface, self.rect.topleft)

    def grid(self, snap: Snapshot) -> Grid:
        """The open tab's table for the displayed step; what a later phase computes shows as a dash."""
        tr = snap.trace
        asked = self.ctx.asked if self.ctx is not None else frozenset()
        if self.tab == "a":
            grid = table_grid(activations_table(tr, snap.sample))
            # a level asking for an activation shows "?" until it is answered
            flat = [(m, j) for m, n in enumerate(tr.layers) for j in range(n)]
            cols = [1 + k for k, (m, j) in enumerate(flat) if ("a", m, j) in asked]
            return _blank(grid, cols, "?") if cols else grid
        if self.tab == "delta":
            grid = table_grid(deltas_table(tr, snap.sample))
            return grid if snap.reveals("backward") else _blank(grid, range(1, len(grid.headers)))
        if self.tab == "w":
            grid = table_grid(weights_table(tr, snap.sample))
            return grid if snap.reveals("backward") else _blank(grid, [2])
        outs = [Selection.neuron(len(tr.layers) - 1, k) for k in range(tr.layers[-1])]
        grid = loss_grid(loss_calc_view(tr, snap.sample), tr.sample_indices, outs)
        n_in, n_out, last = tr.layers[0], tr.layers[-1], len(tr.layers) - 1
        asked_out = [n_in + 1 + k for k in range(n_out) if ("a", last, k) in asked]
        if asked_out:  # ŷ is asked: its column, and the loss written from it, wait for the answer
            return _blank(grid, [*asked_out, len(grid.headers) - 2, len(grid.headers) - 1], "?")
        return grid if snap.reveals("loss") else _blank(grid, [len(grid.headers) - 2, len(grid.headers) - 1])

    # -- drawing ---------------------------------------------------------------------------------------
    def _build(self, snap: Snapshot) -> pygame.Surface:
        t = self.theme
        surf = text_log.canvas(self.rect.size)
        surf.fill(t.palette.bg)
        inner = draw_card(surf, surf.get_rect(), t)
        inner.y -= t.px(8)  # the tab strip sits a little higher than a card title
        inner.h += t.px(8)
        self._targets, self._actions = {}, {}
        y = self._tabs(surf, inner)
        self.shown_grid = self.grid(snap)
        self._grid(surf, pygame.Rect(inner.x, y, inner.w, inner.bottom - y), self.shown_grid)
        return surf

    def _tabs(self, surf: pygame.Surface, inner: pygame.Rect) -> int:
        t, p = self.theme, self.theme.palette
        x, gap = inner.x, t.px(24)
        h = t.measure("Ag", "caption", True)[1]
        tabs = self.tabs()
        widths = [t.measure(label, "caption", True)[0] for _, label in tabs]
        if sum(widths) + gap * (len(tabs) - 1) > inner.w:  # narrow card: drop the words, keep the symbols
            gap = max(t.px(8), (inner.w - sum(widths)) // max(1, len(tabs) - 1))
        for key, label in tabs:
            active = key == self.tab
            img = t.text(label, "caption", p.text if active else p.muted, bold=active)
            surf.blit(img, (x, inner.y))
            if active:
                pygame.draw.rect(surf, p.select, (x, inner.y + h + t.px(5), img.get_width(), max(2, t.px(3))))
            self._targets[f"tab:{key}"] = pygame.Rect(x - t.px(6), inner.y - t.px(6), img.get_width() + t.px(12),
                                                      h + t.px(14))
            x += img.get_width() + gap
        rule_y = inner.y + h + t.px(8)
        pygame.draw.line(surf, p.border, (inner.x, rule_y), (inner.right, rule_y), max(1, t.px(1)))
        return rule_y + t.px(8)

    def _col_widths(self, grid: Grid, role: str) -> tuple[list[int], list[tuple[int, int]]]:
        t = self.theme
        widths, splits = [], []
        for k, head in enumerate(grid.headers):
            texts = [row[k].text for row in grid.rows]
            if grid.numeric[k]:
                lw, rw = mt.decimal_widths(t, texts, role)
                splits.append((lw, rw))
                widths.append(max(lw + rw, t.measure(head, role, True)[0]))
            else:
                splits.append((0, 0))
                widths.append(max([t.measure(head, role, True)[0]] + [t.measure(s, role)[0] for s in texts]))
        return widths, splits

    def _squeeze(self, grid: Grid, widths: list[int], room: int, gap: int, role: str) -> list[int]:
        """``widths`` with the columns whose cells may wrap (``GridCell.pieces``) narrowed, widest first,
        until the row fits ``room``; none narrower than its header or its longest piece."""
        t = self.theme
        out = list(widths)
        wrappable = [k for k in range(len(widths)) if any(row[k].pieces for row in grid.rows)]
        for k in sorted(wrappable, key=lambda k: -widths[k]):
            over = sum(out) + gap * (len(out) - 1) - room
            if over <= 0:
                break
            least = max([t.measure(grid.headers[k], role, True)[0]]
                        + [t.measure(piece.lstrip(), role)[0] for row in grid.rows for piece in row[k].pieces])
            out[k] = max(least, out[k] - over)
        return out

    def _lines(self, cell: GridCell, width: int, role: str) -> list[str]:
        """The cell's text in lines no wider than ``width``, broken only between its pieces."""
        t = self.theme
        if not cell.pieces or t.measure(cell.text, role, cell.bold)[0] <= width:
            return [cell.text]
        lines = [cell.pieces[0]]
        for piece in cell.pieces[1:]:
            if t.measure(lines[-1] + piece, role, cell.bold)[0] <= width:
                lines[-1] += piece
            else:
                lines.append(piece.lstrip())
        return lines

    def _grid(self, surf: pygame.Surface, area: pygame.Rect, grid: Grid) -> None:
        t, p = self.theme, self.theme.palette
        role = "caption"
        line_h = t.measure("Ag", role)[1]
        row_h = line_h + t.px(6)
        gap = t.px(18)
        # the mean's line: its figure is set in the larger name size
        footer_h = max(row_h, t.measure("Ag", "name", True, True)[1]) + t.px(10) if grid.footer else 0
        widths, splits = self._col_widths(grid, role)
        n = len(grid.rows)
        # A loss bar compares a row with the largest: with one row it is always full and says nothing.
        bar_w = t.px(140) if grid.bars is not None and n > 1 else 0
        avail = area.w - (bar_w + gap if bar_w else 0)
        # Too wide: cells that may wrap (the written loss, a list of targets) take a second line first;
        # then the bars give way; only then do columns slide (Shift+scroll).
        def width_of(ws: list[int]) -> int:
            return sum(ws) + gap * (len(ws) - 1)

        narrow = self._squeeze(grid, widths, avail, gap, role)
        if bar_w and width_of(narrow) > avail:
            bar_w, avail = 0, area.w
            narrow = self._squeeze(grid, widths, avail, gap, role)
        wrapped = narrow != widths and width_of(narrow) <= avail  # a wrap that still leaves columns out is no help
        if wrapped:
            widths = narrow
        lines = [[self._lines(cell, widths[k], role) for k, cell in enumerate(row)] for row in grid.rows]
        body_h = row_h + line_h * (max((len(ls) for row in lines for ls in row), default=1) - 1)
        group_w = width_of(widths)

        def fit_rows(note_h: int) -> tuple[int, int]:
            """(rows per group, groups): long tables (every weight) flow into side-by-side groups
            before they need scrolling."""
            capacity = max(1, (area.h - footer_h - note_h - row_h) // body_h)
            groups = 1
            while groups * capacity < n and (groups + 1) * group_w + groups * gap * 2 <= area.w:
                groups += 1
            return capacity, groups

        if grid.footer and area.h - footer_h < row_h + body_h:
            footer_h = 0  # a card too short for a row and the mean keeps the row (the top bar has the loss)
        capacity, groups = fit_rows(0)
        if n > groups * capacity or (groups == 1 and group_w > avail):
            # The "more rows / columns" note gets a line of its own, under the footer.
            capacity, groups = fit_rows(row_h)
        scroll = self.scroll[self.tab]
        hidden_rows = max(0, n - groups * capacity)
        hl = grid.highlighted
        if hl is not None and hl != self._followed.get(self.tab) and groups == 1:
            # the displayed sample changed: bring its row into view (the wheel may scroll away again)
            self._followed[self.tab] = hl
            if not scroll[0] <= hl < scroll[0] + capacity:
                scroll[0] = max(0, hl - capacity + 1)
        scroll[0] = min(scroll[0], hidden_rows)
        # Too many columns: keep the first (the row's name) and slide the rest.
        cols = list(range(len(widths)))
        hidden_cols = 0
        if groups == 1 and group_w > avail:
            fixed = widths[0] + gap
            fit, used = 0, fixed
            for k in range(1, len(widths)):
                if used + widths[k] > avail:
                    break
                used, fit = used + widths[k] + gap, fit + 1
            hidden_cols = len(widths) - 1 - fit
            scroll[1] = min(scroll[1], hidden_cols)
            cols = [0, *range(1 + scroll[1], 1 + scroll[1] + fit)]
        else:
            scroll[1] = 0
        shown_w = sum(widths[k] for k in cols) + gap * (len(cols) - 1)
        if groups == 1 and bar_w == 0 and not wrapped and shown_w < area.w:
            # Spread the columns over the card so the table does not huddle on the left.
            extra = (area.w - shown_w) // max(1, len(cols))
            widths = [w + extra if k in cols else w for k, w in enumerate(widths)]
            shown_w = sum(widths[k] for k in cols) + gap * (len(cols) - 1)
        first, shown_rows = scroll[0], min(n, groups * capacity)
        for g in range(groups):
            x0 = area.x + g * (group_w + 2 * gap)
            self._header(surf, grid, cols, widths, x0, area.y, gap, role)
            for slot in range(capacity):
                idx = first + g * capacity + slot
                if idx >= n or idx >= first + shown_rows:
                    break
                y = area.y + row_h + slot * body_h
                row_w = shown_w if groups == 1 else group_w
                self._row(surf, grid, idx, cols, widths, splits, pygame.Rect(x0, y, row_w, body_h), gap, role,
                          area, bar_w, lines[idx])
        if hidden_rows or hidden_cols:
            parts = []
            if hidden_rows:
                parts.append(f"rows {first + 1}–{first + shown_rows} of {n} · scroll")
            if hidden_cols:
                parts.append(f"{hidden_cols} more column{'s' if hidden_cols > 1 else ''} · Shift+scroll")
            text = "   ".join(parts)
            if t.measure(text, role)[0] > area.w:  # big type: the short form, then cut
                text = "  ".join(part.split(" · ")[0] for part in parts)
            note = t.text(mt.ellipsize(t, text, role, area.w), role, p.muted)
            note_rect = note.get_rect(bottomright=area.bottomright)
            rows_bottom = area.y + row_h + min(capacity, n) * body_h
            if note_rect.y >= rows_bottom + (footer_h + t.px(4) if grid.footer else 0):  # never over the mean
                surf.blit(note, note_rect)
        if grid.footer and footer_h:
            fy = area.y + row_h + min(capacity, n) * body_h + t.px(4)
            pygame.draw.line(surf, p.border, (area.x, fy), (area.right, fy), max(1, t.px(1)))
            fy += t.px(6)
            val = t.text(grid.footer[1], "name", p.text, bold=True, mono=True)
            lab = t.text("mean = " if n > 1 else "this sample's loss = ", role, p.muted)
            right = area.right - bar_w - gap if bar_w else area.right
            if right - val.get_width() - lab.get_width() < area.x:
                right = area.right  # big type: the mean may use the bars' column
            vr = val.get_rect(topright=(right, fy - t.px(2)))
            surf.blit(val, vr)
            lr = surf.blit(lab, lab.get_rect(bottomright=(vr.x, vr.bottom - t.px(2))))
            formula = t.text(grid.footer[0], role, p.muted)
            if area.x + formula.get_width() + gap <= lr.x:  # the formula only where it fits whole
                surf.blit(formula, (area.x, fy))
            self._targets["loss:mean"] = vr

    def _header(self, surf: pygame.Surface, grid: Grid, cols: list[int], widths: list[int], x: int, y: int,
                gap: int, role: str) -> None:
        t, p = self.theme, self.theme.palette
        for k in cols:
            img = t.text(grid.headers[k], role, p.muted)
            if grid.numeric[k]:
                surf.blit(img, img.get_rect(topright=(x + widths[k], y)))
            else:
                surf.blit(img, (x, y))
            x += widths[k] + gap

    def _row(self, surf: pygame.Surface, grid: Grid, idx: int, cols: list[int], widths: list[int],
             splits: list[tuple[int, int]], rect: pygame.Rect, gap: int, role: str, area: pygame.Rect,
             bar_w: int, lines: list[list[str]]) -> None:
        t, p = self.theme, self.theme.palette
        row = grid.rows[idx]
        hl = idx == grid.highlighted
        if hl:
            band = pygame.Rect(area.x - t.px(8), rect.y, area.w + t.px(16), rect.h)
            pygame.draw.rect(surf, mix(p.panel, p.select, 0.14), band, border_radius=t.px(4))
            pygame.draw.rect(surf, p.select, (band.x, band.y, max(2, t.px(3)), band.h))
        x = rect.x
        ty = rect.y + t.px(3)
        line_h = t.measure("Ag", role)[1]
        for k in cols:
            cell = row[k]
            colour = getattr(p, cell.tone)
            if hl and cell.tone in ("muted", "text") and k == 0:
                colour = p.select
            if grid.numeric[k]:
                _, rw = splits[k]
                point = x + widths[k] - rw
                r = mt.draw_decimal(surf, t, cell.text, point, ty, role, colour, cell.bold)
            else:  # a wrapped cell's lines go down the row, the first beside the row's numbers
                r = pygame.Rect(x, ty, 0, 0)
                for i, line in enumerate(lines[k]):
                    img = t.text(mt.ellipsize(t, line, role, widths[k]), role, colour, cell.bold)
                    r = r.union(surf.blit(img, (x, ty + i * line_h)))
            if cell.target:
                hit = pygame.Rect(x - gap // 2, rect.y, widths[k] + gap, rect.h)
                self._targets[cell.target] = hit.union(r)
                self._actions[cell.target] = cell.actions
            x += widths[k] + gap
        if grid.bars is not None and bar_w:
            track = pygame.Rect(area.right - bar_w, rect.centery - t.px(3), bar_w, max(3, t.px(6)))
            pygame.draw.rect(surf, p.panel_alt if p.dark else p.border, track, border_radius=track.h // 2)
            fill = track.copy()
            fill.w = max(track.h, round(track.w * grid.bars[idx]))
            pygame.draw.rect(surf, p.select if hl else p.muted, fill, border_radius=track.h // 2)
        if grid.bars is not None:  # a loss row is one target: clicking anywhere on it shows that sample
            self._targets[f"row:loss:{idx}"] = pygame.Rect(area.x, rect.y, area.w, rect.h)
            self._actions[f"row:loss:{idx}"] = [a for a in row[0].actions if isinstance(a, c.SetSample)]
