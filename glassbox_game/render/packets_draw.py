"""Drawing the snapshot's packets: pre-rendered glowing sprites blitted in one ``fblits`` call.

A packet sprite is a bright core, a soft halo and a short tail pointing back along its path, so a
still frame already says which way it travels. Sprites are rendered once per theme (colour, scale)
for a few sizes and 16 directions; a frame only computes positions with numpy and blits. Forward
packets use the palette's ``forward`` colour, backward (δ) packets its green ``gradient`` colour;
size and brightness grow with the packet's magnitude.

With reduced motion nothing moves: :func:`draw_direction_marks` puts one static chevron on each
active edge instead.
"""

from __future__ import annotations

import math
import operator

import numpy as np
import pygame

from glassbox_game.kit.palette import RGB, mix
from glassbox_game.render.network_layout import NetworkGeometry
from glassbox_game.sim.packets import BACKWARD, PacketArrays

ANGLES = 16
SIZES = 4


def _sprite(colour: RGB, core_colour: RGB, core_r: float, halo_r: float, tail: float, angle: float,
            strength: float) -> tuple[pygame.Surface, tuple[int, int]]:
    """One premultiplied-alpha sprite and the offset from the packet's centre to its top-left."""
    ext = math.ceil(max(halo_r * 1.2, tail + core_r) + 1)
    size = 2 * ext + 1
    c = np.arange(size, dtype=float) - ext
    dx, dy = np.meshgrid(c, c)  # rows are y
    d = np.hypot(dx, dy)
    ux, uy = math.cos(angle), math.sin(angle)
    along = -(dx * ux + dy * uy)  # distance behind the head
    across = -dx * uy + dy * ux
    core = np.clip(core_r + 0.5 - d, 0.0, 1.0)
    halo = 0.55 * strength * np.exp(-3.0 * (d / halo_r) ** 2)
    frac = np.clip(along / tail, 0.0, 1.0)
    trail = np.where((along > 0) & (along < tail),
                     0.7 * strength * (1.0 - frac) ** 1.6 * np.exp(-(across / (0.75 * core_r)) ** 2), 0.0)
    rest = 1.0 - (1.0 - halo) * (1.0 - trail)
    alpha = core + (1.0 - core) * rest
    rgb = np.empty((size, size, 3))
    for ch in range(3):
        rgb[..., ch] = core_colour[ch] * core + colour[ch] * (1.0 - core) * rest
    rgba = np.dstack([np.clip(rgb, 0, 255), np.clip(alpha * 255.0, 0, 255)]).astype(np.uint8)
    surf = pygame.image.frombuffer(rgba.tobytes(), (size, size), "RGBA").convert_alpha() \
        if pygame.display.get_surface() is not None else \
        pygame.image.frombuffer(rgba.tobytes(), (size, size), "RGBA").copy()
    box = surf.get_bounding_rect(min_alpha=6)
    if box.w == 0:
        box = pygame.Rect(ext, ext, 1, 1)
    return surf.subsurface(box).copy(), (box.x - ext, box.y - ext)


class PacketPainter:
    """Sprites for one theme, and the per-geometry direction table; draws a PacketArrays."""

    def __init__(self, forward: RGB, gradient: RGB, unit: float, dark: bool) -> None:
        self.unit = unit
        white = (255, 255, 255)
        self.surfaces: list[pygame.Surface] = []
        offs: list[tuple[int, int]] = []
        for kind_colour in (forward, gradient):
            core_colour = mix(kind_colour, white, 0.75) if dark else mix(kind_colour, white, 0.35)
            for s in range(SIZES):
                core_r = (2.6 + 1.1 * s) * unit
                strength = 0.55 + 0.15 * s
                for a in range(ANGLES):
                    surf, off = _sprite(kind_colour, core_colour, core_r, 2.4 * core_r, 3.8 * core_r,
                                        2 * math.pi * a / ANGLES, strength)
                    self.surfaces.append(surf)
                    offs.append(off)
        self.off_x = np.array([o[0] for o in offs], dtype=np.int64)
        self.off_y = np.array([o[1] for o in offs], dtype=np.int64)
        self._geom: NetworkGeometry | None = None
        self._buckets = np.zeros(0, dtype=np.int64)

    def _angle_buckets(self, geom: NetworkGeometry) -> np.ndarray:
        if geom is not self._geom:
            ang = geom.edge_angles()
            self._buckets = np.round(ang / (2 * math.pi) * ANGLES).astype(np.int64) % ANGLES
            self._geom = geom
        return self._buckets

    def sprite_indices(self, geom: NetworkGeometry, packets: PacketArrays) -> np.ndarray:
        """Which sprite each packet uses: by kind, magnitude bucket and direction of travel."""
        lay = packets.layer.astype(np.int64)
        k = np.asarray(geom.offsets, dtype=np.int64)[lay] + packets.j.astype(np.int64) * \
            np.asarray(geom.layers, dtype=np.int64)[lay] + packets.i.astype(np.int64)
        kind = (packets.kind == BACKWARD).astype(np.int64)
        direction = (self._angle_buckets(geom)[k] + kind * (ANGLES // 2)) % ANGLES
        size = np.clip((np.nan_to_num(packets.magnitude) * SIZES).astype(np.int64), 0, SIZES - 1)
        return (kind * SIZES + size) * ANGLES + direction

    def draw(self, surface: pygame.Surface, geom: NetworkGeometry, packets: PacketArrays) -> int:
        """Blit every packet; returns how many were drawn."""
        n = len(packets)
        if n == 0:
            return 0
        xs, ys = geom.packet_xy(packets.layer, packets.j, packets.i, packets.t)
        idx = self.sprite_indices(geom, packets)
        # forward first, so backward (gradient) packets stay on top where streams cross
        order = np.argsort(packets.kind, kind="stable")
        idx = idx[order]
        pos = np.empty((n, 2), dtype=np.int64)
        pos[:, 0] = xs[order].astype(np.int64) + self.off_x[idx]
        pos[:, 1] = ys[order].astype(np.int64) + self.off_y[idx]
        pick = operator.itemgetter(*idx.tolist())
        chosen = pick(self.surfaces) if n > 1 else (pick(self.surfaces),)
        surface.fblits(list(zip(chosen, pos.tolist(), strict=True)), pygame.BLEND_PREMULTIPLIED)
        return n


def draw_direction_marks(surface: pygame.Surface, geom: NetworkGeometry, packets: PacketArrays,
                         forward: RGB, gradient: RGB) -> int:
    """Reduced motion: one static chevron mid-edge per active edge, pointing the way packets go."""
    if not len(packets):
        return 0
    seen: set[tuple[int, int, int, int]] = set()
    size = 7.0 * geom.unit
    for l, j, i, kind in zip(packets.layer.tolist(), packets.j.tolist(), packets.i.tolist(),
                             packets.kind.tolist(), strict=True):
        key = (l, j, i, kind)
        if key in seen:
            continue
        seen.add(key)
        (ax, ay), (bx, by) = geom.segment(l, j, i)
        ang = math.atan2(by - ay, bx - ax) + (math.pi if kind == BACKWARD else 0.0)
        t = 0.62 if kind != BACKWARD else 0.38
        cx, cy = ax + t * (bx - ax), ay + t * (by - ay)
        ux, uy = math.cos(ang), math.sin(ang)
        tip = (cx + ux * size, cy + uy * size)
        back = (cx - ux * size * 0.6, cy - uy * size * 0.6)
        left = (back[0] - uy * size * 0.8, back[1] + ux * size * 0.8)
        right = (back[0] + uy * size * 0.8, back[1] - ux * size * 0.8)
        colour = gradient if kind == BACKWARD else forward
        pygame.draw.polygon(surface, colour, [left, tip, right, (cx, cy)])
    return len(seen)
