"""The loss of every epoch, stored compactly and summarised per pixel column for drawing.

Values are float32 (4 bytes an epoch). A pyramid of block minima and maxima (blocks of 8, 64,
512 … epochs) adds 2 × 4 / 7 ≈ 1.1 bytes an epoch, so a million epochs take about 5.2 MB of data
(plus at most the same again of spare capacity, since buffers grow by doubling). ``columns``
reduces any epoch range to min/max per column from the coarsest level that still resolves a
column, so drawing a million-epoch run costs about what drawing a thousand-epoch run does.

NaN losses (a diverged step) are ignored by the minima and maxima (``fmin``/``fmax``) so one bad
epoch does not blank out a whole block of the chart.
"""

from __future__ import annotations

import numpy as np

_BLOCK = 8  # each pyramid level summarises blocks of 8 entries of the level below


class _Buffer:
    """A float32 array that grows by doubling, so appending is amortised O(1)."""

    __slots__ = ("data", "n")

    def __init__(self, capacity: int = 64) -> None:
        self.data = np.empty(capacity, dtype=np.float32)
        self.n = 0

    def view(self) -> np.ndarray:
        return self.data[: self.n]

    def put(self, start: int, values: np.ndarray) -> None:
        """Write ``values`` at ``start`` (≤ n), extending the array if needed."""
        end = start + values.size
        if end > self.data.size:
            grown = np.empty(max(end, self.data.size * 2), dtype=np.float32)
            grown[: self.n] = self.data[: self.n]
            self.data = grown
        with np.errstate(all="ignore"):
            self.data[start:end] = values
        self.n = max(self.n, end)


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
        """A read-only view of all losses so far."""
        v = self._raw.view()
        v.flags.writeable = False
        return v

    def last(self) -> float | None:
        n = self._raw.n
        return float(self._raw.data[n - 1]) if n else None

    def at(self, epoch: int) -> float | None:
        """The loss of ``epoch`` (1-based), or None outside the run."""
        return float(self._raw.data[epoch - 1]) if 1 <= epoch <= self._raw.n else None

    def extend(self, losses: list[float] | np.ndarray) -> None:
        new = np.asarray(losses, dtype=np.float64).ravel()
        if new.size == 0:
            return
        old_n = self._raw.n
        self._raw.put(old_n, new)
        self._update_pyramid(old_n)

    def append(self, loss: float) -> None:
        self.extend([loss])

    def _update_pyramid(self, old_n: int) -> None:
        """Summarise only the blocks completed by the new entries, level by level."""
        below_min = below_max = self._raw.view()
        count_below, old_below = self._raw.n, old_n
        level = 0
        while count_below >= _BLOCK:
            full, done = count_below // _BLOCK, old_below // _BLOCK
            if level == len(self._mins):
                self._mins.append(_Buffer())
                self._maxs.append(_Buffer())
            if full > done:
                lo, hi = done * _BLOCK, full * _BLOCK
                with np.errstate(all="ignore"):
                    seg_min = np.fmin.reduce(below_min[lo:hi].reshape(-1, _BLOCK), axis=1)
                    seg_max = np.fmax.reduce(below_max[lo:hi].reshape(-1, _BLOCK), axis=1)
                self._mins[level].put(done, seg_min)
                self._maxs[level].put(done, seg_max)
            below_min, below_max = self._mins[level].view(), self._maxs[level].view()
            count_below, old_below = full, done
            level += 1

    def columns(self, first: int, last: int, n_cols: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Min and max loss in each of ``n_cols`` equal slices of epochs ``first..last`` (1-based).

        Returns (start epoch of each column, minima, maxima); columns with no data hold NaN. When a
        column spans fewer than 16 epochs per pyramid block the raw values are used, so small cases
        are exact; otherwise a block may straddle two columns and counts for the one it starts in.
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
        raw = self._raw.data
        if level < 0:
            mins = maxs = raw[first - 1 : last]
            pos = np.arange(first - 1, last)
        else:
            lo_b = (first - 1) // block
            hi_b = min((last - 1) // block + 1, self._mins[level].n)
            mins = self._mins[level].data[lo_b:hi_b]
            maxs = self._maxs[level].data[lo_b:hi_b]
            pos = np.arange(lo_b, hi_b) * block
            tail_from = hi_b * block  # raw epochs after the last full block
            if tail_from < last:
                tail = raw[tail_from:last]
                mins = np.concatenate([mins, tail])
                maxs = np.concatenate([maxs, tail])
                pos = np.concatenate([pos, np.arange(tail_from, last)])
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
