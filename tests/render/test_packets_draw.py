"""Packets: forward ones travel source → target, backward (green δ) ones target → source, and
the sprites really land on screen in the right colour."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import numpy as np
import pygame
import pytest

from glassbox_game.engine.setup import Setup
from glassbox_game.kit.palette import DARK
from glassbox_game.render.network_layout import compute_geometry
from glassbox_game.render.packets_draw import PacketPainter, draw_direction_marks
from glassbox_game.sim import commands as c
from glassbox_game.sim.packets import BACKWARD, FORWARD, PacketArrays
from glassbox_game.sim.simulation import Simulation

AREA = (100.0, 80.0, 800.0, 440.0)


@pytest.fixture(scope="module", autouse=True)
def _pygame():
    pygame.init()
    if pygame.display.get_surface() is None:
        pygame.display.set_mode((1, 1))
    yield


def _play_until(sim: Simulation, phase: str, progress: float) -> None:
    for _ in range(5000):
        sim.update(1 / 120)
        snap = sim.snapshot()
        if snap.phase == phase and snap.phase_progress >= progress:
            return
    raise AssertionError(f"never reached {phase} {progress}")


def _positions(snap, geom) -> dict[tuple[int, int, int], tuple[float, float]]:
    p = snap.packets
    xs, ys = geom.packet_xy(p.layer, p.j, p.i, p.t)
    return {(int(l), int(j), int(i)): (float(x), float(y))
            for l, j, i, x, y in zip(p.layer, p.j, p.i, xs, ys, strict=True)}


@pytest.mark.parametrize(("phase", "kind"), [("forward", FORWARD), ("backward", BACKWARD)])
def test_packets_move_along_their_edge_in_the_right_direction(phase: str, kind: int) -> None:
    sim = Simulation(Setup(problem="xor"))
    sim.submit(c.SetSpeed(1))  # slow enough to follow
    sim.submit(c.Play())
    geom = compute_geometry(AREA, (2, 2, 1))
    _play_until(sim, phase, 0.05)
    first = sim.snapshot()
    for _ in range(6):
        sim.update(1 / 120)
    second = sim.snapshot()
    assert second.phase == phase and len(first.packets) and len(second.packets)
    assert set(first.packets.kind.tolist()) == {kind}
    a, b = _positions(first, geom), _positions(second, geom)
    shared = a.keys() & b.keys()
    assert shared
    for edge in shared:
        src, dst = geom.segment(*edge)
        start, end = (src, dst) if kind == FORWARD else (dst, src)

        def gone(p, start=start):
            return np.hypot(p[0] - start[0], p[1] - start[1])

        assert gone(b[edge]) > gone(a[edge]) + 0.5, f"{phase} packet on {edge} did not advance"
        assert np.hypot(b[edge][0] - end[0], b[edge][1] - end[1]) < np.hypot(a[edge][0] - end[0],
                                                                             a[edge][1] - end[1])


def _one(kind: int, t: float = 0.5, mag: float = 1.0) -> PacketArrays:
    i16 = np.int16
    return PacketArrays(np.array([1], i16), np.array([0], i16), np.array([0], i16), np.array([t]),
                        np.array([kind], i16), np.array([mag]))


@pytest.mark.parametrize(("kind", "colour"), [(FORWARD, DARK.forward), (BACKWARD, DARK.gradient)])
def test_a_packet_lands_on_its_edge_in_its_colour(kind: int, colour) -> None:
    geom = compute_geometry(AREA, (2, 2, 1))
    painter = PacketPainter(DARK.forward, DARK.gradient, 1.0, True)
    surf = pygame.Surface((1000, 600))
    surf.fill(DARK.panel)
    assert painter.draw(surf, geom, _one(kind)) == 1
    x, y = geom.point_on(1, 0, 0, 0.5)
    core = surf.get_at((round(x), round(y)))[:3]
    assert sum(core) > sum(DARK.panel) + 300  # a bright core
    # the halo a few px out is tinted by the packet's colour (green for δ, pale for forward)
    halo = np.array(surf.get_at((round(x), round(y) + 10))[:3], dtype=float) - np.array(DARK.panel)
    other = DARK.gradient if kind == FORWARD else DARK.forward

    def cos(a: np.ndarray, c) -> float:
        v = np.array(c, dtype=float) - np.array(DARK.panel)
        return float(a @ v / (np.linalg.norm(a) * np.linalg.norm(v)))

    assert np.linalg.norm(halo) > 20 and cos(halo, colour) > cos(halo, other)


def test_magnitude_sets_size() -> None:
    geom = compute_geometry(AREA, (2, 2, 1))
    painter = PacketPainter(DARK.forward, DARK.gradient, 1.0, True)
    small = painter.sprite_indices(geom, _one(BACKWARD, mag=0.05))[0]
    big = painter.sprite_indices(geom, _one(BACKWARD, mag=0.95))[0]
    w = [painter.surfaces[k].get_width() * painter.surfaces[k].get_height() for k in (small, big)]
    assert w[1] > 2 * w[0]


def test_two_thousand_packets_draw_in_one_call() -> None:
    geom = compute_geometry(AREA, (2, 8, 8, 1))
    painter = PacketPainter(DARK.forward, DARK.gradient, 1.0, True)
    rng = np.random.default_rng(0)
    n = 2000
    k = rng.integers(0, geom.n_edges, n)
    edges = np.array([geom.edge_of(int(e)) for e in k], dtype=np.int16)
    p = PacketArrays(edges[:, 0], edges[:, 1], edges[:, 2], rng.random(n), rng.integers(0, 2, n).astype(np.int16),
                     rng.random(n))
    surf = pygame.Surface((1000, 600))
    assert painter.draw(surf, geom, p) == n


def test_reduced_motion_draws_static_marks() -> None:
    geom = compute_geometry(AREA, (2, 2, 1))
    surf = pygame.Surface((1000, 600))
    surf.fill(DARK.panel)
    assert draw_direction_marks(surf, geom, _one(BACKWARD, t=0.2), DARK.forward, DARK.gradient) == 1
    x, y = geom.point_on(1, 0, 0, 0.38)
    assert surf.get_at((round(x), round(y)))[:3] == DARK.gradient
