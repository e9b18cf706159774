"""The chain-rule card: ∂L/∂w = δ × a with live numbers, the delta row, the update and the gradient check.

The card is drawn once into a cached surface and blitted every frame; it is rebuilt only when what
it shows changes (trace, selection or hover, sample, layout) — and while training fast at most
``MAX_REBUILDS_PER_SECOND`` times a second, so the numbers stay readable and the frame stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from glassbox_game.kit import mathtext as mt
from glassbox_game.kit import text_log
from glassbox_game.kit.component import Component, ViewContext, draw_card
from glassbox_game.kit.icons import draw_check, draw_cross
from glassbox_game.kit.mathtext import Piece
from glassbox_game.kit.palette import mix
from glassbox_game.render.explain import (
    TAB_HINT,
    ChainRuleView,
    DeltaBoxes,
    GradCheckCache,
    factor,
    mean_symbol,
    slope_answer,
    snapshot_chain_view,
)
from glassbox_game.sim.snapshot import Snapshot

STATE_TONE = {"listening": "gradient", "barely": "select", "saturated": "select", "dead": "select",
              "cancels": "gradient"}


# How expendable each block is when the card is short (lecture type, tables open, a neuron
# selected): the highest number goes first. 0 = kept while anything else can go.
DROP_DETAIL = 14  # the arithmetic under the boxes (the boxes already show each value)
DROP_SLOPE_NOTE = 12  # the standing "slope depends only on the state" note
DROP_CHECK = 10  # the gradient check
COMPACT_BOXES = 8  # the plain-language captions inside the delta boxes
DROP_ETA = 6  # the η / gradient line under the update (also the cross-entropy note)
INLINE_BOXES = 5  # the delta boxes become one written line: raw error × slope = δ
DROP_FORWARD = 4  # z = Σ w·a + b for a selected neuron
SUM_TERMS = 3  # a hidden neuron's Σ w·δ = w × δ + … line, the last of the worked arithmetic to go
SMALL_FORMULA = 3  # ∂L/∂w = δ × a in body type instead of key type
ONE_LINE_FORMULA = 2  # ∂L/∂w = δ × a = the product, numbers only, one line
SHORT_UPDATE = 2  # the update as one line in body type: UPDATE w 1.207 → 1.243
DROP_UPDATE = 1  # w ← w − η·∂L/∂w, before → after


@dataclass
class Block:
    """A horizontal band of the card: its height, how to draw it at y, and how expendable it is."""

    height: int
    paint: Callable[[int], None]
    priority: int = 0  # 0 = always shown; higher numbers are dropped first when space runs out
    tight: bool = False  # sits right under the block before it (no gap)
    # A shorter version to use before dropping anything less expendable, built only when asked for
    # (most cards fit as they are, and rebuilds must stay cheap while training fast).
    shorter: Callable[[], Block] | None = None
    compact_priority: int = 0
    _compact: Block | None = None

    @property
    def compact(self) -> Block | None:
        if self._compact is None and self.shorter is not None:
            self._compact = self.shorter()
        return self._compact


def _dashed_rect(surf: pygame.Surface, rect: pygame.Rect, colour: tuple[int, int, int], width: int, dash: int) -> None:
    for x0 in range(rect.left, rect.right, 2 * dash):
        x1 = min(x0 + dash, rect.right - 1)
        pygame.draw.line(surf, colour, (x0, rect.top), (x1, rect.top), width)
        pygame.draw.line(surf, colour, (x0, rect.bottom - 1), (x1, rect.bottom - 1), width)
    for y0 in range(rect.top, rect.bottom, 2 * dash):
        y1 = min(y0 + dash, rect.bottom - 1)
        pygame.draw.line(surf, colour, (rect.left, y0), (rect.left, y1), width)
        pygame.draw.line(surf, colour, (rect.right - 1, y0), (rect.right - 1, y1), width)


class ChainRulePanel(Component):
    """The chain rule for the hovered (else selected) connection or bias, for the displayed sample."""

    name = "chain_rule"

    def __init__(self) -> None:
        super().__init__()
        self.view: ChainRuleView | None = None
        self.builds = 0
        self._surface: pygame.Surface | None = None
        self._key: tuple | None = None
        self._built_step: tuple | None = None
        #: (backward, update) shown yet: in the forward and loss phases δ and ∂L/∂w are not known yet
        self.reveal = (True, True)
        self._checks = GradCheckCache()
        self.placed: list[Block] = []  # the blocks on the card now (tests read which ones fitted)
        self.spans: list[tuple[int, int]] = []  # their (top, bottom) on the card, and the card's floor
        self.floor = 0

    @property
    def answers_hidden(self) -> bool:
        """The card explains why it is empty (typed answers pending) instead of showing δ and σ′."""
        return self._key is not None and bool(self._key[-1])

    def layout(self, rect: pygame.Rect, ctx: ViewContext) -> None:
        super().layout(rect, ctx)
        self._surface = None

    # -- caching -----------------------------------------------------------------------------------
    def refresh(self, snap: Snapshot) -> None:
        quiz = self.ctx is not None and self.ctx.quiz
        key = (snap.step_id, snap.hover, snap.selection, snap.sample, snap.lock_threshold, tuple(self.rect),
               id(self.theme), quiz)
        if self._surface is not None and key == self._key:
            return
        self._key, self._built_step = key, snap.step_id
        if quiz:
            self._surface = self._build_hidden()
            return
        self.view = snapshot_chain_view(snap, self._checks)
        self.reveal = (snap.reveals("backward"), snap.reveals("update"))
        self._surface = self._build(self.view, preview=snap.hover is not None and snap.hover != snap.selection)
        self.builds += 1

    def draw(self, surface: pygame.Surface, snap: Snapshot) -> None:
        self.refresh(snap)
        assert self._surface is not None
        self.drawn_step = self._built_step
        surface.blit(self._surface, self.rect.topleft)

    # -- building ----------------------------------------------------------------------------------
    def _build_hidden(self) -> pygame.Surface:
        """While a level waits for typed answers the card explains why it is empty, instead of giving them away."""
        t = self.theme
        surf = text_log.canvas(self.rect.size)
        surf.fill(t.palette.bg)
        inner = draw_card(surf, surf.get_rect(), t, "Chain rule")
        text = ("Work it out first. Type your answers in the goals card: the chain rule for every "
                "connection appears here, with all its numbers, once they are in.")
        y = inner.y
        for line in mt.wrap(t, mt.words(text, "muted"), inner.w):
            y = mt.draw(surf, t, line, (inner.x, y)).bottom + t.px(4)
            if y > inner.bottom:
                break
        return surf

    def _build(self, view: ChainRuleView, preview: bool) -> pygame.Surface:
        t = self.theme
        surf = text_log.canvas(self.rect.size)
        surf.fill(t.palette.bg)
        inner = draw_card(surf, surf.get_rect(), t)
        y = self._header(surf, inner, view, preview)
        if view.kind in ("none", "input"):
            self._message(surf, inner, y, view)
            return surf
        blocks = self._blocks(surf, inner, view)
        self.spans, self.floor = [], inner.bottom
        self._place(blocks, y + t.px(4), inner.bottom)
        return surf

    def _header(self, surf: pygame.Surface, inner: pygame.Rect, view: ChainRuleView, preview: bool) -> int:
        t = self.theme
        label = t.text("CHAIN RULE", "caption", t.palette.muted, bold=True)
        title: mt.Run = ()
        if view.kind in ("edge", "bias"):
            sym = Piece(view.symbol, "select", bold=True)
            if view.kind == "edge":
                title = (Piece("— ", "muted"), sym, Piece(" from ", "muted"), Piece(view.source, bold=True),
                         Piece(" to ", "muted"), Piece(view.target, bold=True))
            else:
                title = (Piece("— bias ", "muted"), sym, Piece(" of ", "muted"), Piece(view.target, bold=True))
            if preview:
                title += (Piece("  preview", "muted", "caption"),)
        pill_text = view.pill if view.kind != "none" else ""
        # beside the card's name: the whole pill, else its first part ("sample 1"), else none (big text)
        room = inner.w - label.get_width() - t.px(12) - 2 * t.px(12)
        for form in (pill_text, pill_text.split(" (")[0].split(" · ")[0], ""):
            if t.measure(form, "caption")[0] <= room:
                pill_text = form
                break
        pill_w = t.measure(pill_text, "caption")[0] + 2 * t.px(12) if pill_text else 0
        title_w, title_h = mt.measure(t, title)
        line_h = max(label.get_height(), title_h, t.measure("Ag", "caption")[1] + t.px(8))
        gap = t.px(12)
        one_line = label.get_width() + gap + title_w + gap + pill_w <= inner.w
        surf.blit(label, (inner.x, inner.y + (line_h - label.get_height()) // 2))
        if pill_text:
            self._pill(surf, pill_text, pygame.Rect(inner.right - pill_w, inner.y, pill_w, line_h))
        if not title:
            return inner.y + line_h
        if one_line:
            mt.draw(surf, t, title, (inner.x + label.get_width() + gap, inner.y), height=line_h)
            return inner.y + line_h
        mt.draw(surf, t, title[1:] if title[0].text.startswith("—") else title, (inner.x, inner.y + line_h))
        return inner.y + line_h + title_h

    def _pill(self, surf: pygame.Surface, text: str, rect: pygame.Rect) -> None:
        t = self.theme
        img = t.text(text, "caption", t.palette.select)
        r = pygame.Rect(0, 0, rect.w, img.get_height() + t.px(6))
        r.midright = rect.midright
        pygame.draw.rect(surf, t.palette.select, r, width=max(1, t.px(1)), border_radius=r.h // 2)
        surf.blit(img, img.get_rect(center=r.center))

    def _message(self, surf: pygame.Surface, inner: pygame.Rect, y: int, view: ChainRuleView) -> None:
        t = self.theme
        y += t.px(24)
        if t.lecture and view.kind == "none":
            return  # lecture mode: the presenter picks the connection; no learner instructions
        for text, tone, role in ((view.message, "text", "name"), (TAB_HINT, "muted", "caption")):
            for line in mt.wrap(t, mt.words(text, tone, role), inner.w):
                y = mt.draw(surf, t, line, (inner.x, y)).bottom
            y += t.px(12)

    def _place(self, blocks: list[Block], top: int, bottom: int) -> list[Block]:
        """Shorten or drop the most expendable blocks until the rest fit, then share the spare height
        as gaps. A block that still does not fit is left out whole: text is never cut mid-line."""
        gap_min, gap_max = self.theme.px(6), self.theme.px(18)
        chosen: list[Block | None] = list(blocks)  # None = dropped; the order on the card stays

        def gaps(bs: list[Block]) -> int:
            return sum(1 for b in bs[1:] if not b.tight)

        def fits(bs: list[Block | None]) -> bool:
            kept = [b for b in bs if b is not None]
            return sum(b.height for b in kept) + gap_min * gaps(kept) <= bottom - top

        while not fits(chosen):
            options = [(b.priority, k, False) for k, b in enumerate(chosen) if b is not None and b.priority]
            options += [(b.compact_priority, k, True) for k, b in enumerate(chosen)
                        if b is not None and b.shorter is not None]
            if not options:
                break
            _, k, compact = max(options)
            current = chosen[k]
            assert current is not None
            chosen[k] = current.compact if compact else None
        # Shortening a big block may have freed room for one shortened or dropped earlier: give
        # it back its fullest version that fits, the least expendable first.
        for k in sorted(range(len(blocks)), key=lambda k: (blocks[k].priority, k)):
            if blocks[k].tight and k and chosen[k - 1] is None:
                continue
            variant: Block | None = blocks[k]
            while variant is not None and variant is not chosen[k]:
                trial = [*chosen[:k], variant, *chosen[k + 1:]]
                if fits(trial):
                    chosen = trial
                    break
                variant = variant.compact
        shown = [b for b in chosen if b is not None]
        spare = bottom - top - sum(b.height for b in shown)
        gap = max(gap_min, min(gap_max, spare // max(1, gaps(shown))))
        y = top
        painted = []
        for k, b in enumerate(shown):
            if k and not b.tight:
                y += gap
            if y + b.height > bottom:
                break
            b.paint(y)
            painted.append(b)
            self.spans.append((y, y + b.height))
            y += b.height
        self.placed = painted
        return painted

    def _blocks(self, surf: pygame.Surface, inner: pygame.Rect, view: ChainRuleView) -> list[Block]:
        blocks: list[Block] = []
        if view.forward is not None:
            blocks.append(self._forward_block(surf, inner, view))
        def small_formula() -> Block:
            small = self._formula_block(surf, inner, view, "name")
            small.shorter, small.compact_priority = lambda: self._formula_line(surf, inner, view), ONE_LINE_FORMULA
            return small

        backward, update = self.reveal
        if not backward:
            blocks.append(self._waiting_block(surf, inner, "Raw error, slope, δ and ∂L/∂w are worked out in the "
                                              "backward phase: they appear here when it begins."))
            return blocks
        formula = self._formula_block(surf, inner, view, "key")
        formula.shorter, formula.compact_priority = small_formula, SMALL_FORMULA
        blocks.append(formula)
        if view.boxes is not None:
            blocks.append(self._boxes_block(surf, inner, view.boxes))
            detail = self._detail_block(surf, inner, view.boxes)
            if not view.boxes.output:  # a hidden card always lists its Σ w·δ terms: that line goes last
                boxes = view.boxes
                detail.shorter, detail.compact_priority = (lambda: self._text_lines_block(
                    surf, inner, self._sum_pieces(boxes), SUM_TERMS)), DROP_DETAIL
            blocks.append(detail)
        else:
            blocks.append(self._rows_block(surf, inner, view))
        cancelled = view.output and view.slope_cancelled
        blocks.append(self._text_block(surf, inner, view.note, "gradient" if cancelled else "muted",
                                       DROP_ETA if cancelled else DROP_SLOPE_NOTE))
        if update:
            blocks += self._update_blocks(surf, inner, view)
        else:
            blocks.append(self._waiting_block(surf, inner, f"The update {view.symbol} ← {view.symbol} − η·{view.lhs} "
                                              "is applied in the update phase."))
        blocks.append(self._check_block(surf, inner, view))
        return blocks

    def _waiting_block(self, surf: pygame.Surface, inner: pygame.Rect, text: str) -> Block:
        """A dimmed, dashed box where numbers of a later phase will be (never a number before its phase)."""
        t = self.theme
        lines = mt.wrap(t, mt.words(text, "muted"), inner.w - 2 * t.px(12))
        heights = [mt.measure(t, line)[1] for line in lines]
        pad = t.px(10)

        def paint(y: int) -> None:
            box = pygame.Rect(inner.x, y, inner.w, sum(heights) + 2 * pad)
            _dashed_rect(surf, box, t.palette.border, max(1, t.px(1)), t.px(6))
            yy = y + pad
            for line, h in zip(lines, heights, strict=True):
                mt.draw(surf, t, line, (inner.x + t.px(12), yy))
                yy += h

        return Block(sum(heights) + 2 * pad, paint, 0)

    # -- the blocks ----------------------------------------------------------------------------------
    def _lines_block(self, surf: pygame.Surface, inner: pygame.Rect, lines: list[mt.Run], priority: int) -> Block:
        t = self.theme
        heights = [mt.measure(t, line)[1] for line in lines]

        def paint(y: int) -> None:
            for line, h in zip(lines, heights, strict=True):
                mt.draw(surf, t, line, (inner.x, y))
                y += h

        return Block(sum(heights), paint, priority)

    def _text_block(self, surf: pygame.Surface, inner: pygame.Rect, text: str, tone: str, priority: int) -> Block:
        return self._lines_block(surf, inner, mt.wrap(self.theme, mt.words(text, tone), inner.w), priority)

    def _forward_block(self, surf: pygame.Surface, inner: pygame.Rect, view: ChainRuleView) -> Block:
        fw = view.forward
        assert fw is not None
        label = Piece("FORWARD  ", "muted", "caption", bold=True)
        if fw.z is None or fw.a is None or fw.bias is None:
            run: mt.Run = (label, Piece(f"z → a = {fw.act}(z) for each sample:", "muted", "caption"))
            for k, (name, z, a) in enumerate(fw.per_sample):
                run += (Piece(("  · " if k else "  ") + f"{name} ", "muted", "caption", brk=True),
                        Piece(f"{z.text} → {a.text}", role="caption", mono=True))
            return self._lines_block(surf, inner, mt.wrap(self.theme, run, inner.w), DROP_FORWARD)
        cap = "caption"
        run = (label, Piece("z = Σ w·a + b = ", "muted", cap))
        for k, term in enumerate(fw.terms):
            text = ("" if k == 0 else " + ") + f"{factor(term.left)} × {factor(term.right)}"
            run += (Piece(text, role=cap, mono=True, brk=k > 0),)
        run += (Piece(f" + {factor(fw.bias)}", role=cap, mono=True, brk=True), Piece(" = ", "muted", cap, brk=True),
                Piece(fw.z.text, role=cap, mono=True, bold=True),
                Piece("   a = ", "muted", cap, brk=True), Piece(f"{fw.act}(z)", "muted", cap), Piece(" = ", "muted", cap),
                Piece(fw.a.text, role=cap, mono=True, bold=True))
        return self._lines_block(surf, inner, mt.wrap(self.theme, run, inner.w), DROP_FORWARD)

    def _formula_block(self, surf: pygame.Surface, inner: pygame.Rect, view: ChainRuleView, role: str) -> Block:
        t, p = self.theme, self.theme.palette
        dsym = (Piece("δ", "gradient", role), Piece(view.target, "gradient", role, sub=True))
        asym: mt.Run = (Piece("a", role=role), Piece(view.source, role=role, sub=True)) if view.kind == "edge" \
            else (Piece("1", role=role),)
        lhs = (Piece(view.lhs, role=role),)
        eq, times = Piece(" = ", "muted", role), Piece(" × ", "muted", role)
        grad = view.grad
        if not view.batch:
            assert view.delta is not None
            nums = [(Piece(view.delta.text, "gradient", role, mono=True),),
                    (Piece(view.factor.text if view.factor else "1", role=role, mono=True),)]
            syms = [dsym, asym]
        else:
            nums, syms = [], []
        box_img = t.text(grad.text, role, p.gradient, bold=True, mono=True)
        pad = t.px(10)
        box_w, box_h = box_img.get_width() + 2 * pad, box_img.get_height() + t.px(4)
        lhs_w = mt.measure(t, lhs)[0]
        line_h = max(mt.measure(t, lhs)[1], box_h)
        if not view.batch and view.kind == "bias":
            one: mt.Run = (*lhs, eq, *dsym, eq)

            def paint_bias(y: int) -> None:
                r = mt.draw(surf, t, one, (inner.x, y), height=line_h)
                self._boxed(surf, box_img, pygame.Rect(r.right, y + (line_h - box_h) // 2, box_w, box_h))

            return Block(line_h, paint_bias, 0)
        if not view.batch:
            widths = [max(mt.measure(t, n)[0], mt.measure(t, s)[0]) for n, s in zip(nums, syms, strict=True)]
            eq_w, times_w = mt.measure(t, (eq,))[0], mt.measure(t, (times,))[0]
            need = lhs_w + eq_w + widths[0] + times_w + widths[1] + eq_w + box_w
            if need <= inner.w:
                def paint(y: int) -> None:
                    x = inner.x
                    mt.draw(surf, t, lhs, (x, y), height=line_h)
                    x += lhs_w
                    cols = [x, x + eq_w, x + eq_w + widths[0], x + eq_w + widths[0] + times_w]
                    mt.draw(surf, t, (eq,), (cols[0], y), height=line_h)
                    mt.draw(surf, t, (eq,), (cols[0], y + line_h), height=line_h)
                    mt.draw(surf, t, (times,), (cols[2], y), height=line_h)
                    mt.draw(surf, t, (times,), (cols[2], y + line_h), height=line_h)
                    for k, left in enumerate((cols[1], cols[3])):
                        cx = left + widths[k] // 2
                        mt.draw(surf, t, syms[k], (cx, y), anchor="midtop", height=line_h)
                        mt.draw(surf, t, nums[k], (cx, y + line_h), anchor="midtop", height=line_h)
                    x = cols[3] + widths[1]
                    mt.draw(surf, t, (eq,), (x, y + line_h), height=line_h)
                    self._boxed(surf, box_img, pygame.Rect(x + eq_w, y + line_h + (line_h - box_h) // 2, box_w, box_h))

                return Block(2 * line_h, paint, 0)
        # Batch view (or too narrow for the aligned form): the symbolic line, then the numbers wrapped.
        first: mt.Run = (*lhs, eq)
        if view.batch:
            first += (Piece("mean of ", "muted", role), *dsym)
            if view.kind == "edge":
                first += (times, *asym)
            products = [r.product for r in view.rows]
            what = "δ·a" if view.kind == "edge" else "δ"
            if len(products) <= 4:
                run: mt.Run = (Piece(f"= {mean_symbol(len(products))}(", "muted", "name"),)
                for k, prod in enumerate(products):
                    run += (Piece(f" + {factor(prod)}" if k else prod.text, "gradient", "caption", mono=True,
                                  brk=k > 0),)
                run += (Piece(")  =", "muted", "name"),)
            else:
                run = (Piece(f"= mean of the {len(products)} values of {what} below  =", "muted", "name"),)
        else:
            assert view.delta is not None
            first += (*dsym, times, *asym)
            run = (Piece("= ", "muted", "name"), Piece(view.delta.text, "gradient", "name", mono=True),
                   Piece(f" × {view.factor.text if view.factor else '1'}  =", "text", "name", mono=True, brk=True))
        first_lines = mt.wrap(t, first, inner.w)
        lines = mt.wrap(t, run, inner.w - box_w - t.px(8))
        heights = [mt.measure(t, line)[1] for line in first_lines]
        lh = max(mt.measure(t, line)[1] for line in lines)

        def paint_batch(y: int) -> None:
            for line, h in zip(first_lines, heights, strict=True):
                mt.draw(surf, t, line, (inner.x, y))
                y += h
            y += t.px(4)
            for k, line in enumerate(lines):
                r = mt.draw(surf, t, line, (inner.x, y), height=max(lh, box_h))
                if k == len(lines) - 1:
                    self._boxed(surf, box_img, pygame.Rect(r.right + t.px(8), y + (max(lh, box_h) - box_h) // 2,
                                                           box_w, box_h))
                y += max(lh, box_h)

        return Block(sum(heights) + t.px(4) + len(lines) * max(lh, box_h), paint_batch, 0)

    def _formula_line(self, surf: pygame.Surface, inner: pygame.Rect, view: ChainRuleView) -> Block:
        """∂L/∂w with its numbers only (the symbols are in the boxes below): for very short cards."""
        run: mt.Run = (Piece(view.lhs), Piece(" = ", "muted"))
        if not view.batch and view.delta is not None:
            run += (Piece(view.delta.text, "gradient", mono=True), Piece(" × ", "muted", brk=True),
                    Piece(view.factor.text if view.factor else "1", mono=True), Piece(" = ", "muted", brk=True))
        elif view.batch:
            run += (Piece("mean  ", "muted", brk=True),)
        run += (Piece(view.grad.text, "gradient", mono=True, bold=True),)
        return self._lines_block(surf, inner, mt.wrap(self.theme, run, inner.w), 0)

    def _boxed(self, surf: pygame.Surface, img: pygame.Surface, r: pygame.Rect) -> None:
        p = self.theme.palette
        pygame.draw.rect(surf, mix(p.panel, p.gradient, 0.14), r, border_radius=self.theme.px(6))
        pygame.draw.rect(surf, p.gradient, r, width=max(1, self.theme.px(1)), border_radius=self.theme.px(6))
        surf.blit(img, img.get_rect(center=r.center))

    def _boxes_block(self, surf: pygame.Surface, inner: pygame.Rect, boxes: DeltaBoxes) -> Block:
        def short() -> Block:
            block = self._boxes_variant(surf, inner, boxes, captions=False)
            block.shorter, block.compact_priority = lambda: self._boxes_inline(surf, inner, boxes), INLINE_BOXES
            return block

        full = self._boxes_variant(surf, inner, boxes, captions=True)
        full.shorter, full.compact_priority = short, COMPACT_BOXES
        return full

    def _boxes_inline(self, surf: pygame.Surface, inner: pygame.Rect, boxes: DeltaBoxes) -> Block:
        """The delta row written as one sentence, for cards too short for boxes."""
        first = "raw error" if boxes.output else "backprop sum"
        slope_tone = "muted" if boxes.struck else "text"
        run: mt.Run = (Piece("δ = ", "gradient", bold=True), Piece(f"{first} ", "muted", "caption"),
                       Piece(boxes.first.text, mono=True, bold=True),
                       Piece(" × ", "muted", brk=True), Piece(f"slope {boxes.slope.symbol} ", "muted", "caption"),
                       Piece(boxes.slope.value.text, slope_tone, mono=True, bold=True, strike=boxes.struck),
                       Piece(" = ", "muted", brk=True), Piece(boxes.delta.text, "gradient", mono=True, bold=True))
        return self._lines_block(surf, inner, mt.wrap(self.theme, run, inner.w), 0)

    def _boxes_variant(self, surf: pygame.Surface, inner: pygame.Rect, boxes: DeltaBoxes, captions: bool) -> Block:
        """The three delta boxes; without ``captions`` they lose the plain-language lines (shorter)."""
        t, p = self.theme, self.theme.palette
        slope_title = "SLOPE"
        specs = [
            (boxes.first_title, f"{boxes.first_formula}", boxes.first.text, boxes.first_caption, "", "text", False),
            (slope_title, f"{boxes.slope.symbol} = {boxes.slope.formula}", boxes.slope.value.text,
             boxes.slope_caption, "cancelled" if boxes.struck else boxes.slope.state,
             "muted" if boxes.struck else "text", boxes.struck),
            ("DELTA", boxes.delta_formula, boxes.delta.text, boxes.delta_caption, "", "gradient", False),
        ]
        ops = ["×", "="]
        op_w = t.measure("×", "key")[0] + 2 * t.px(6)
        pad = t.px(10)
        bw = (inner.w - 2 * op_w) // 3
        content = bw - 2 * pad
        need = max(max(t.measure(s[2], "key", True, True)[0], t.measure(s[1], "name")[0],
                       t.measure(s[0], "caption", True)[0] + (t.measure(s[4], "caption")[0] + pad if s[4] else 0))
                   for s in specs)
        stacked = need > content or self.rect.h > 1.25 * self.rect.w
        cap_h = t.measure("Ag", "caption")[1]
        if not stacked:
            # Captions may use half the right padding before they wrap.
            caps = [mt.wrap(t, mt.words(s[3], "muted"), content + pad // 2) if captions else [] for s in specs]
            h = 2 * pad + cap_h + t.measure("Ag", "name")[1] + t.measure("0", "key", True, True)[1] \
                + max(len(c) for c in caps) * cap_h + (t.px(4) if captions else 0)

            def paint(y: int) -> None:
                x = inner.x
                for k, s in enumerate(specs):
                    r = pygame.Rect(x, y, bw, h)
                    self._box(surf, r, s, k == 2)
                    yy = r.y + pad
                    surf.blit(t.text(s[0], "caption", p.muted, bold=True), (r.x + pad, yy))
                    if s[4]:
                        tag = t.text(s[4], "caption", getattr(p, STATE_TONE.get(s[4], "gradient")))
                        surf.blit(tag, tag.get_rect(topright=(r.right - pad, yy)))
                    yy += cap_h
                    f_img = t.text(mt.ellipsize(t, s[1], "name", content), "name", getattr(p, s[5]) if k != 2
                                   else p.text)
                    surf.blit(f_img, (r.x + pad, yy))
                    yy += f_img.get_height()
                    v_img = t.text(s[2], "key", getattr(p, s[5]), bold=True, mono=True)
                    surf.blit(v_img, (r.x + pad, yy))
                    if s[6]:
                        self._strike(surf, pygame.Rect(r.x + pad, yy - f_img.get_height(),
                                                       max(v_img.get_width(), f_img.get_width()),
                                                       f_img.get_height() + v_img.get_height()))
                    yy += v_img.get_height() + t.px(4)
                    for line in caps[k]:
                        yy = mt.draw(surf, t, line, (r.x + pad, yy)).bottom
                    if k < 2:
                        op = t.text(ops[k], "key", p.muted)
                        surf.blit(op, op.get_rect(center=(r.right + op_w // 2, r.centery)))
                    x += bw + op_w

            return Block(h, paint, 0)
        # Stacked: one full-width box per factor, the operator between them (the lecture layout).
        val_w = max(t.measure(s[2], "key", True, True)[0] for s in specs)
        text_w = inner.w - 2 * pad - val_w - t.px(16)
        rows = []
        # The slope's caption answers its own question ("Is the neuron listening? Yes.") rather than
        # echoing the state tag the side-by-side boxes show.
        answers = ["", "Cancelled by cross-entropy." if boxes.struck else slope_answer(boxes.slope), ""]
        for s, answer in zip(specs, answers, strict=True):
            # the formula may wrap between its words ("leaky′ = 1 if z > 0, else 0.01" is long)
            head = (Piece(s[0].title() + " ", "text", "name", bold=True),
                    *mt.words(s[1], s[5] if s[5] != "gradient" else "text", "name"))
            head_lines = mt.wrap(t, (*head, Piece("", brk=True)), text_w)
            cap_lines = mt.wrap(t, mt.words(s[3] + (f" {answer}" if answer else ""), "muted"), text_w) \
                if captions else []
            text_h = sum(mt.measure(t, ln)[1] for ln in head_lines) + len(cap_lines) * cap_h
            rows.append((head_lines, cap_lines, max(text_h, t.measure("0", "key", True, True)[1]) + 2 * pad))
        op_h = t.measure("×", "key")[1]
        total = sum(r[2] for r in rows) + 2 * op_h

        def paint_stacked(y: int) -> None:
            for k, (s, (head_lines, cap_lines, bh)) in enumerate(zip(specs, rows, strict=True)):
                r = pygame.Rect(inner.x, y, inner.w, bh)
                self._box(surf, r, s, k == 2)
                text_h = sum(mt.measure(t, ln)[1] for ln in head_lines) + len(cap_lines) * cap_h
                yy = r.y + (bh - text_h) // 2
                for ln in head_lines:
                    yy = mt.draw(surf, t, ln, (r.x + pad, yy)).bottom
                for ln in cap_lines:
                    yy = mt.draw(surf, t, ln, (r.x + pad, yy)).bottom
                v_img = t.text(s[2], "key", getattr(p, s[5]), bold=True, mono=True)
                vr = surf.blit(v_img, v_img.get_rect(midright=(r.right - pad, r.centery)))
                if s[6]:
                    self._strike(surf, vr)
                y += bh
                if k < 2:
                    op = t.text(ops[k], "key", p.muted)
                    surf.blit(op, op.get_rect(center=(r.right - pad - val_w // 2, y + op_h // 2)))
                    y += op_h

        return Block(total, paint_stacked, 0)

    def _box(self, surf: pygame.Surface, r: pygame.Rect, spec: tuple, is_delta: bool) -> None:
        p, t = self.theme.palette, self.theme
        fill = mix(p.panel, p.gradient, 0.10) if is_delta else (p.panel if spec[6] else p.panel_alt)
        border = p.gradient if is_delta else p.border
        pygame.draw.rect(surf, fill, r, border_radius=t.px(8))
        pygame.draw.rect(surf, border, r, width=max(1, t.px(1)), border_radius=t.px(8))

    def _strike(self, surf: pygame.Surface, r: pygame.Rect) -> None:
        # A diagonal through the slope: it is there, but cross-entropy cancels it.
        w = max(2, self.theme.px(2))
        pygame.draw.line(surf, self.theme.palette.muted, r.bottomleft, r.topright, w)

    def _text_lines_block(self, surf: pygame.Surface, inner: pygame.Rect, text: str | tuple[Piece, ...],
                          priority: int) -> Block:
        run = (Piece(text, "muted", "caption", mono=True),) if isinstance(text, str) else text
        return self._lines_block(surf, inner, mt.wrap(self.theme, run, inner.w), priority)

    @staticmethod
    def _sum_pieces(boxes: DeltaBoxes) -> tuple[Piece, ...]:
        """A hidden neuron's Σ w·δ line in pieces that may break before each "+" and "=": a deep net's
        eight terms wrap onto lines inside the card instead of running off it."""
        terms = boxes.terms
        if boxes.output or len(terms) < 2:
            return (Piece(boxes.first_line, "muted", "caption", mono=True),)
        texts = [f"Σ w·δ = {factor(terms[0].left)} × {factor(terms[0].right)}"]
        texts += [f" + {factor(t.left)} × {factor(t.right)}" for t in terms[1:]]
        texts += [f" = {factor(terms[0].product)}"] + [f" + {factor(t.product)}" for t in terms[1:]]
        texts.append(f" = {boxes.first.text}")
        return tuple(Piece(x, "muted", "caption", mono=True, brk=k > 0) for k, x in enumerate(texts))

    def _detail_block(self, surf: pygame.Surface, inner: pygame.Rect, boxes: DeltaBoxes) -> Block:
        # each factor's worked line, then the product: every line adds up as shown
        run = (*self._sum_pieces(boxes),
               Piece("   ·   " + boxes.slope.line, "muted", "caption", mono=True, brk=True),
               Piece("   ·   " + boxes.delta_line, "muted", "caption", mono=True, brk=True))
        return self._lines_block(surf, inner, mt.wrap(self.theme, run, inner.w), DROP_DETAIL)

    def _rows_block(self, surf: pygame.Surface, inner: pygame.Rect, view: ChainRuleView) -> Block:
        """Batch view: each sample's δ (and δ·a) in a small aligned table."""
        t, p = self.theme, self.theme.palette
        output = view.output
        first_h = ("∂L/∂a" if view.slope_cancelled else "a − y") if output else "Σ w·δ"
        heads = ["sample", first_h, f"× {view.slope_symbol}", "= δ"]
        cols = [[r.label for r in view.rows], [r.first.text for r in view.rows], [r.slope.text for r in view.rows],
                [r.delta.text for r in view.rows]]
        if view.kind == "edge":
            heads += [f"× a {view.source}", "= δ·a"]
            cols += [[r.factor.text if r.factor else "1" for r in view.rows], [r.product.text for r in view.rows]]
        role = "caption"
        row_h = t.measure("Ag", role)[1] + t.px(4)
        widths = [max(t.measure(h, role)[0], *(t.measure(c, role, False, True)[0] for c in col)) + t.px(16)
                  for h, col in zip(heads, cols, strict=True)]
        n = len(view.rows)
        struck = False  # cross-entropy: ∂L/∂a × σ′ really is δ, nothing is struck out

        def paint(y: int) -> None:
            x = inner.x
            for k, (h, col) in enumerate(zip(heads, cols, strict=True)):
                w = widths[k]
                head = t.text(h, role, p.muted, bold=True)
                surf.blit(head, head.get_rect(topright=(x + w - t.px(8), y)) if k else (x, y))
                _, rw = mt.decimal_widths(t, col, role)
                point = x + w - t.px(8) - rw
                for r, text in enumerate(col):
                    yy = y + (r + 1) * row_h
                    tone = p.muted if k == 0 or (k == 2 and struck) else p.gradient if h.startswith("= ") else p.text
                    if k == 0:
                        surf.blit(t.text(text, role, tone), (x, yy))
                    else:
                        rect = mt.draw_decimal(surf, t, text, point, yy, role, tone)
                        if k == 2 and struck:
                            pygame.draw.line(surf, p.muted, rect.midleft, rect.midright, max(1, t.px(1)))
                x += w

        return Block((n + 1) * row_h, paint, 0)

    def _update_blocks(self, surf: pygame.Surface, inner: pygame.Rect, view: ChainRuleView) -> list[Block]:
        t, p = self.theme, self.theme.palette
        u = view.update
        assert u is not None
        label = (Piece("UPDATE  ", "muted", "caption", bold=True), Piece(u.rule, role="name"))
        before = t.text(u.before.text, "key", p.text, mono=True)
        arrow = t.text(" → ", "key", p.muted)
        after = t.text(u.after.text, "key", p.select, bold=True, mono=True)
        nums_w = before.get_width() + arrow.get_width() + after.get_width()
        lw, lh = mt.measure(t, label)
        one_line = lw + t.px(16) + nums_w <= inner.w
        grad_name = f"∂L/∂{u.symbol}"
        note = f"η = {u.lr.text}  ·  " + (f"mean {grad_name} over {view.n_samples} samples = {u.grad.text}"
                                          if u.grad_note else f"{grad_name} = {u.grad.text}")
        if u.data_grad is not None:  # regularised: the applied gradient is data part + penalty term
            pen = u.penalty or "penalty 0 (biases are not regularised)"
            note = (f"η = {u.lr.text}  ·  {grad_name} = mean δ × a ({u.data_grad.text}) + {pen}"
                    f" = {u.grad.text}")
        note += f"  ·  Δ{u.symbol} = {u.change.text}"
        note_lines = mt.wrap(t, mt.words(note, "muted", mono=True), inner.w)
        top_h = max(lh, before.get_height()) if one_line else lh + before.get_height()

        def paint(y: int) -> None:
            mt.draw(surf, t, label, (inner.x, y), height=max(lh, before.get_height()) if one_line else None)
            ny = y + (top_h - before.get_height()) // 2 if one_line else y + lh
            x = inner.right - nums_w if one_line else inner.x
            for img in (before, arrow, after):
                surf.blit(img, (x, ny))
                x += img.get_width()

        # The η line may go when space is short: the rule and before → after say the essential.
        eta = self._lines_block(surf, inner, note_lines, DROP_ETA)
        eta.tight = True
        short: mt.Run = (Piece("UPDATE  ", "muted", "caption", bold=True), Piece(f"{u.symbol}  ", "muted"),
                         Piece(u.before.text, mono=True), Piece(" → ", "muted", brk=True),
                         Piece(u.after.text, "select", mono=True, bold=True))
        block = Block(top_h, paint, DROP_UPDATE)
        block.shorter = lambda: self._lines_block(surf, inner, mt.wrap(t, short, inner.w), DROP_UPDATE)
        block.compact_priority = SHORT_UPDATE
        return [block, eta]

    def _check_block(self, surf: pygame.Surface, inner: pygame.Rect, view: ChainRuleView) -> Block:
        t, p = self.theme, self.theme.palette
        c = view.check
        assert c is not None
        icon = t.text_px("caption")
        text = (Piece("gradient check", role="caption"),
                Piece(f" · finite difference {c.finite_difference.text}", "muted", "caption", brk=True),
                Piece(f" · backprop {c.backprop.text}", "muted", "caption", brk=True),
                Piece(" · |Δ| ", "muted", "caption", brk=True),
                Piece(c.diff.text, "gradient" if c.ok else "danger", "caption", mono=True))
        lines = mt.wrap(t, text, inner.w - icon - t.px(8))
        heights = [mt.measure(t, ln)[1] for ln in lines]

        def paint(y: int) -> None:
            centre = (inner.x + icon // 2, y + heights[0] // 2)
            if c.ok:
                draw_check(surf, centre, icon, p.gradient, p.panel)
            else:
                draw_cross(surf, centre, icon, p.danger, p.panel)
            for ln, h in zip(lines, heights, strict=True):
                mt.draw(surf, t, ln, (inner.x + icon + t.px(8), y))
                y += h

        return Block(sum(heights), paint, DROP_CHECK)
