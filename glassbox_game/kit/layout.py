"""Screen layouts: where each card goes, for any window size (1280×720 … 3840×2160 and beyond).

Rects are computed on the 1920×1080 reference grid (8 px base, 24 px margins, 16 px gutters,
64 px top bar) and scaled; the proportions follow the design sketch.
"""

from __future__ import annotations

import pygame

from glassbox_game.kit.theme import Theme


def bar_height(theme: Theme) -> int:
    """The top bar's height in one row (the sandbox and the levels); a scene may give it more (two rows)."""
    top = theme.px(64)
    if theme.text_scale > 1.0:  # bigger text needs a taller bar
        top = round(top * min(1.6, theme.text_scale))
    return top


def lecture_bar_height(theme: Theme) -> int:
    return max(theme.px(72), theme.text_px("key") + theme.px(24))


def sandbox_layout(size: tuple[int, int], theme: Theme, top: int | None = None) -> dict[str, pygame.Rect]:
    """Top bar (``top`` high, one row by default); network + (chain rule over tables); loss chart,
    insight card, parameters."""
    w, h = size
    m, g = theme.px(24), theme.px(16)
    top = bar_height(theme) if top is None else top
    body_top = top + g
    body_h = h - body_top - m
    # larger text needs a taller bottom row (the parameters card stacks its controls two a row)
    main_share = 0.70 - 0.08 * min(1.0, max(0.0, theme.text_scale - 1.0))
    main_h = round((body_h - g) * main_share)
    bottom_y = body_top + main_h + g
    bottom_h = h - m - bottom_y
    left_w = round((w - 2 * m - g) * 0.60)
    right_x = m + left_w + g
    right_w = w - m - right_x
    # large text: the tables need a header, a row and the mean at the least; the chain rule gives way
    chain_h = round((main_h - g) * (0.62 - 0.10 * min(1.0, max(0.0, theme.text_scale - 1.0))))
    chart_w = round((left_w - g) * 0.70)
    return {
        "topbar": pygame.Rect(0, 0, w, top),
        "network": pygame.Rect(m, body_top, left_w, main_h),
        "chain": pygame.Rect(right_x, body_top, right_w, chain_h),
        "tables": pygame.Rect(right_x, body_top + chain_h + g, right_w, main_h - chain_h - g),
        "chart": pygame.Rect(m, bottom_y, chart_w, bottom_h),
        "insight": pygame.Rect(m + chart_w + g, bottom_y, left_w - chart_w - g, bottom_h),
        "params": pygame.Rect(right_x, bottom_y, right_w, bottom_h),
    }


def lecture_layout(size: tuple[int, int], theme: Theme, show: frozenset[str] = frozenset(),
                   caption_h: int = 0, top: int | None = None) -> dict[str, pygame.Rect]:
    """The lecture hall: the network, the chain rule and the loss chart, big; more if asked for.

    ``caption_h`` > 0 reserves a full-width caption bar at the bottom (lecture scripts), so the
    panels never move from one beat to the next.
    """
    w, h = size
    m, g = theme.px(24), theme.px(16)
    top = lecture_bar_height(theme) if top is None else top
    body_top = top + g
    left_w = round((w - 2 * m - g) * 0.57)
    right_x = m + left_w + g
    right_w = w - m - right_x
    bottom = h - m - (caption_h + g if caption_h else 0)
    body_h = bottom - body_top
    net_h = round((body_h - g) * 0.64)
    rects = {
        "topbar": pygame.Rect(0, 0, w, top),
        "network": pygame.Rect(m, body_top, left_w, net_h),
        "chart": pygame.Rect(m, body_top + net_h + g, left_w, body_h - net_h - g),
        "chain": pygame.Rect(right_x, body_top, right_w, body_h),
    }
    if caption_h:
        rects["caption"] = pygame.Rect(m, h - m - caption_h, w - 2 * m, caption_h)
    if "tables" in show:
        ch = round((body_h - g) * 0.64)  # the chain rule is the lecture's headline: it keeps most room
        rects["chain"] = pygame.Rect(right_x, body_top, right_w, ch)
        rects["tables"] = pygame.Rect(right_x, body_top + ch + g, right_w, body_h - ch - g)
    if "insight" in show:
        iw = round((left_w - g) * 0.38)
        chart = rects["chart"]
        rects["chart"] = pygame.Rect(chart.x, chart.y, chart.w - iw - g, chart.h)
        rects["insight"] = pygame.Rect(chart.right - iw, chart.y, iw, chart.h)
    return rects
