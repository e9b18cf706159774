"""Packets: what a student sees flowing along the edges.

Two sources, one format. While a step is animated slowly, the packets of the current phase are a
pure function of (trace, phase, progress) — one per edge of the active layer. At turbo speed a
numpy particle system carries streams whose density follows each edge's gradient.

A packet is (layer, j, i, t, kind, magnitude): on edge weights[layer][j][i], at fraction ``t``
from the source neuron (0) to the target (1); kind 0 forward (carries a), 1 backward (carries δ,
moving from target to source); magnitude in [0, 1] for size/brightness.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

FORWARD, BACKWARD = 0, 1


@dataclass(frozen=True)
class PacketArrays:
    """Read-only arrays, one entry per packet."""

    layer: np.ndarray
    j: np.ndarray
    i: np.ndarray
    t: np.ndarray
    kind: np.ndarray
    magnitude: np.ndarray

    def __len__(self) -> int:
        return int(self.t.size)

    @staticmethod
    def empty() -> PacketArrays:
        z = np.zeros(0)
        zi = np.zeros(0, dtype=np.int16)
        return PacketArrays(zi, zi, zi, z, zi, z)



@lru_cache(maxsize=32)
def edge_table(layers: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(layer, j, i) of every edge, in weight order."""
    ls, js, is_ = [], [], []
    for l in range(len(layers) - 1):
        for j in range(layers[l + 1]):
            for i in range(layers[l]):
                ls.append(l)
                js.append(j)
                is_.append(i)
    return np.array(ls, dtype=np.int16), np.array(js, dtype=np.int16), np.array(is_, dtype=np.int16)


def phase_packets(
    layers: tuple[int, ...], kind: int, progress: float, magnitudes: list[np.ndarray]
) -> PacketArrays:
    """The packets of a forward or backward phase at ``progress`` ∈ [0, 1).

    The phase crosses the weight layers one after another (forward: input first; backward:
    output first); ``magnitudes[l]`` is shaped like weights[l].
    """
    n = len(layers) - 1
    stage = min(int(progress * n), n - 1)
    local = progress * n - stage
    l = stage if kind == FORWARD else n - 1 - stage
    rows, cols = layers[l + 1], layers[l]
    jj, ii = np.divmod(np.arange(rows * cols, dtype=np.int16), cols)
    t = np.full(rows * cols, local if kind == FORWARD else 1.0 - local)
    mag = np.clip(np.asarray(magnitudes[l], dtype=float).ravel(), 0.0, 1.0)
    return PacketArrays(np.full(rows * cols, l, dtype=np.int16), jj.astype(np.int16), ii.astype(np.int16),
                        t, np.full(rows * cols, kind, dtype=np.int16), mag)


class ParticleStreams:
    """Turbo-speed streams: particles spawned per edge at a rate that follows |∂L/∂w|."""

    CAPACITY = 700
    TRAVEL_SECONDS = 0.6

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.clear()

    def clear(self) -> None:
        self.layer = np.zeros(0, dtype=np.int16)
        self.j = np.zeros(0, dtype=np.int16)
        self.i = np.zeros(0, dtype=np.int16)
        self.t = np.zeros(0)
        self.kind = np.zeros(0, dtype=np.int16)
        self.magnitude = np.zeros(0)

    def __len__(self) -> int:
        return int(self.t.size)

    def update(self, dt: float) -> None:
        """Move every particle; drop those that arrived."""
        if not self.t.size:
            return
        step = dt / self.TRAVEL_SECONDS
        self.t = self.t + np.where(self.kind == FORWARD, step, -step)
        keep = (self.t >= 0.0) & (self.t <= 1.0)
        if not keep.all():
            for name in ("layer", "j", "i", "t", "kind", "magnitude"):
                setattr(self, name, getattr(self, name)[keep])

    def spawn(self, layers: tuple[int, ...], dt: float, forward_mag: np.ndarray, backward_mag: np.ndarray,
              rate: float = 6.0) -> None:
        """Spawn for one fixed step: each edge emits on average ``rate × magnitude`` packets a second."""
        ls, js, is_ = edge_table(layers)
        room = self.CAPACITY - self.t.size
        if room <= 0:
            return
        parts = []
        for kind, mag in ((FORWARD, forward_mag), (BACKWARD, backward_mag)):
            m = np.clip(mag, 0.0, 1.0)
            hit = self.rng.random(m.size) < m * rate * dt
            if hit.any():
                k = int(hit.sum())
                start = 0.0 if kind == FORWARD else 1.0
                parts.append((ls[hit], js[hit], is_[hit], np.full(k, start), np.full(k, kind, dtype=np.int16),
                              m[hit]))
        for lay, jj, ii, t, kd, mg in parts:
            take = min(room, t.size)
            if take <= 0:
                break
            self.layer = np.concatenate([self.layer, lay[:take]])
            self.j = np.concatenate([self.j, jj[:take]])
            self.i = np.concatenate([self.i, ii[:take]])
            self.t = np.concatenate([self.t, t[:take]])
            self.kind = np.concatenate([self.kind, kd[:take]])
            self.magnitude = np.concatenate([self.magnitude, mg[:take]])
            room -= take

    def arrays(self) -> PacketArrays:
        out = PacketArrays(self.layer.copy(), self.j.copy(), self.i.copy(), self.t.copy(), self.kind.copy(),
                           self.magnitude.copy())
        for f in ("layer", "j", "i", "t", "kind", "magnitude"):
            getattr(out, f).setflags(write=False)
        return out
