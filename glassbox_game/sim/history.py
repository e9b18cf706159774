"""The loss of every epoch, stored compactly and summarised per pixel column for drawing.

Values are float32 (4 bytes an epoch). A pyramid of block minima and maxima (blocks of 8, 64,
512 … epochs) summarises the run, so ``columns`` reduces any epoch range to min/max per column
from the coarsest level that still resolves a column: drawing a million-epoch run costs about
what drawing a thousand-epoch run does.

Memory is bounded for any length of run: every buffer (the raw losses and each pyramid level)
keeps only its most recent ``WINDOW`` … 2 × ``WINDOW`` entries. Older raw losses are dropped once a
coarser level summarises them — the oldest part of each level is coarsened into the next — so a
run of any length takes at most a few MB (about 1 MB per buffer, and only the levels with more
than ``WINDOW`` blocks are full: 3 at 20 million epochs). ``at`` answers exactly inside the raw
window and with the midpoint of the finest block still kept before it.

NaN losses (a diverged step) are ignored by the minima and maxima (``fmin``/``fmax``) so one bad
epoch does not blank out a whole block of the chart.
"""

from __future__ import annotations

import numpy as np

_BLOCK = 8  # each pyramid level summarises blocks of 8 entries of the level below
WINDOW = 1 << 17  # entries every buffer keeps at least (131,072: 512 KB of float32)


class _Buffer:
    """The most recent ≥ WINDOW entries of a float32 sequence; entry ``k`` is the k-th ever appended.

    ``start`` is the index of the oldest entry still held, ``n`` the count ever appended. The array
    grows by doubling up to 2 × WINDOW, then the newest WINDOW entries move to the front (so
    appending stays amortised O(1)).
    """

    __slots__ = ("data", "n", "start")

    def __init__(self, capacity: int = 64) -> None:
        self.data = np.empty(capacity, dtype=np.float32)
        self.start = 0
        self.n = 0

    def view(self) -> np.ndarray:
        return self.data[: self.n - self.start]

    def get(self, lo: int, hi: int) -> np.ndarray:
        """Entries ``lo`` … ``hi − 1`` (clamped to what is held)."""
        lo, hi = max(lo, self.start), min(hi, self.n)
        return self.data[lo - self.start : max(lo, hi) - self.start]

    def value(self, k: int) -> float | None:
        return float(self.data[k - self.start]) if self.start <= k < self.n else None

    def put(self, pos: int, values: np.ndarray) -> None:
        """Write ``values`` as entries ``pos`` …; anything held from ``pos`` on is replaced."""
        if pos < self.start or pos > self.n:  # before the window, or after a gap: nothing known before
            self.start = self.n = pos
        self.n = pos
        size, total = self.n - self.start, values.size
        if size + total > self.data.size:
            limit = 2 * WINDOW
            if self.data.size < limit:
                grown = np.empty(min(limit, max(size + total, self.data.size * 2)), dtype=np.float32)
                grown[:size] = self.data[:size]
                self.data = grown
            if size + total > self.data.size:  # full: keep the newest entries
                keep = max(0, min(size, self.data.size - total, WINDOW))
                self.data[:keep] = self.data[size - keep : size]
                self.start = self.n - keep
                size = keep
        with np.errstate(all="ignore"):
            self.data[size : size + total] = values
        self.n += total

    def copy(self, n: int) -> _Buffer:
        """A copy holding the entries before ``n``."""
        out = _Buffer(max(64, self.data.size))
        n = min(n, self.n)
        if n < self.start:  # before the window: nothing held
            out.start = out.n = n
            return out
        out.start, out.n = self.start, n
        out.data[: n - self.start] = self.data[: n - self.start]
        return out


class LossHistory:
    """Append-only per-epoch losses (epoch 1 is index 0)."""

    def __init__(self) -> None:
        self._raw = _Buffer(1024)
        self._mins: list[_Buffer] = []  # level k holds blocks of 8**(k+1) epochs
        self._maxs: list[_Buffer] = []

    def __len__(self) -> int:
        return self._raw.n

    @property
    def values(self) -> np.ndarray:
        """A read-only view of the most recent losses held exactly (the last ``WINDOW`` at least)."""
        v = self._raw.view()
        v.flags.writeable = False
        return v

    @property
    def first_exact(self) -> int:
        """The first epoch (1-based) whose loss is still held exactly (the loss goals read it)."""
        return self._raw.start + 1

    def last(self) -> float | None:
        n = self._raw.n
        return self._raw.value(n - 1) if n else None

    def at(self, epoch: int) -> float | None:
        """The loss of ``epoch`` (1-based), or None outside the run.

        Before the exact window it is the midpoint of the finest kept block around that epoch.
        """
        if not 1 <= epoch <= self._raw.n:
            return None
        exact = self._raw.value(epoch - 1)
        if exact is not None:
            return exact
        block = 1
        for lo, hi in zip(self._mins, self._maxs, strict=True):
            block *= _BLOCK
            a, b = lo.value((epoch - 1) // block), hi.value((epoch - 1) // block)
            if a is not None and b is not None:
                return (a + b) / 2.0
        return None

    def extend(self, losses: list[float] | np.ndarray) -> None:
        new = np.asarray(losses, dtype=np.float64).ravel()
        step = WINDOW // 2  # each piece fits the windows, so every block is summarised before it goes
        for k in range(0, new.size, step):
            old_n = self._raw.n
            self._raw.put(old_n, new[k : k + step])
            self._update_pyramid(old_n)

    def append(self, loss: float) -> None:
        self.extend([loss])

    def _update_pyramid(self, old_n: int) -> None:
        """Summarise only the blocks completed by the new entries, level by level."""
        below_min = below_max = self._raw
        count_below, old_below = self._raw.n, old_n
        level = 0
        while count_below >= _BLOCK:
            full, done = count_below // _BLOCK, old_below // _BLOCK
            if level == len(self._mins):
                self._mins.append(_Buffer())
                self._maxs.append(_Buffer())
            if full > done:
                # blocks whose entries below are no longer all held (after a far step back) are skipped
                first = max(done, -(-below_min.start // _BLOCK))
                lo, hi = first * _BLOCK, full * _BLOCK
                if hi > lo:
                    with np.errstate(all="ignore"):
                        seg_min = np.fmin.reduce(below_min.get(lo, hi).reshape(-1, _BLOCK), axis=1)
                        seg_max = np.fmax.reduce(below_max.get(lo, hi).reshape(-1, _BLOCK), axis=1)
                    self._mins[level].put(first, seg_min)
                    self._maxs[level].put(first, seg_max)
            below_min, below_max = self._mins[level], self._maxs[level]
            count_below, old_below = full, done
            level += 1

    def truncated(self, epochs: int) -> LossHistory:
        """A copy holding only the first ``epochs`` epochs (stepping back)."""
        out = LossHistory()
        epochs = max(0, min(epochs, self._raw.n))
        out._raw = self._raw.copy(epochs)  # empty (from ``epochs`` on) when before the exact window
        block = 1
        for lo, hi in zip(self._mins, self._maxs, strict=True):
            block *= _BLOCK
            count = epochs // block
            if count == 0:
                break
            out._mins.append(lo.copy(count))
            out._maxs.append(hi.copy(count))
        return out

    def columns(self, first: int, last: int, n_cols: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Min and max loss in each of ``n_cols`` equal slices of epochs ``first..last`` (1-based).

        Returns (start epoch of each column, minima, maxima); columns with no data hold NaN. When a
        column spans fewer than 16 epochs per pyramid block the raw values are used, so small cases
        are exact; otherwise a block may straddle two columns and counts for the one it starts in.
        A range reaching back before a level's window is drawn from the next coarser level.
        """
        n = self._raw.n
        first = max(1, first)
        last = min(n, last)
        n_cols = max(1, n_cols)
        starts = np.linspace(first, last + 1, n_cols + 1)[:-1].astype(np.int64)
        if last < first:
            nan = np.full(n_cols, np.nan)
            return starts, nan, nan
        span = last - first + 1
        # the coarsest level whose block still fits at least twice into one column
        level, block = -1, 1
        while level + 1 < len(self._mins) and block * _BLOCK * 2 <= span / n_cols:
            level += 1
            block *= _BLOCK
        # … that still holds the first epoch asked for
        while level + 1 < len(self._mins) and (
                (level < 0 and self._raw.start > first - 1)
                or (level >= 0 and self._mins[level].start * block > first - 1)):
            level += 1
            block *= _BLOCK
        raw = self._raw
        if level < 0:
            lo_e = max(first - 1, raw.start)
            mins = maxs = raw.get(lo_e, last)
            pos = np.arange(lo_e, lo_e + mins.size)
        else:
            lvl = self._mins[level]
            lo_b = max((first - 1) // block, lvl.start)
            hi_b = min((last - 1) // block + 1, lvl.n)
            mins = lvl.get(lo_b, hi_b)
            maxs = self._maxs[level].get(lo_b, hi_b)
            pos = np.arange(lo_b, lo_b + mins.size) * block
            tail_from = max(hi_b * block, raw.start)  # raw epochs after the last full block
            if tail_from < last:
                tail = raw.get(tail_from, last)
                mins = np.concatenate([mins, tail])
                maxs = np.concatenate([maxs, tail])
                pos = np.concatenate([pos, np.arange(tail_from, tail_from + tail.size)])
        if mins.size == 0:
            nan = np.full(n_cols, np.nan)
            return starts, nan, nan
        idx = np.searchsorted(pos, starts - 1, side="right") - 1
        idx = np.clip(idx, 0, len(mins) - 1)
        # drop duplicate starts (more columns than entries) so reduceat stays well defined
        first_of = np.flatnonzero(np.diff(idx, prepend=-1))  # idx is sorted: no need for np.unique
        uniq = idx[first_of]
        col_min = np.full(n_cols, np.nan)
        col_max = np.full(n_cols, np.nan)
        with np.errstate(all="ignore"):
            col_min[first_of] = np.fmin.reduceat(mins, uniq)
            col_max[first_of] = np.fmax.reduceat(maxs, uniq)
        return starts, col_min, col_max

    def nbytes(self) -> int:
        """Bytes allocated for the values and the pyramid (spare capacity included)."""
        return int(self._raw.data.nbytes + sum(b.data.nbytes for b in (*self._mins, *self._maxs)))
