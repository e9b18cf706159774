"""The loss of every epoch, stored compactly and summarised per pixel column for drawing.

Values are float32 (4 bytes an epoch: 4 MB per million epochs). ``columns`` reduces any epoch
range to min/max per column through a pyramid of block minima and maxima, so drawing a
million-epoch run costs about what drawing a thousand-epoch run does.
"""

from __future__ import annotations

import numpy as np

_BLOCK = 8  # each pyramid level summarises blocks of 8 entries of the level below


class LossHistory:
    """Append-only per-epoch losses (epoch 1 is index 0)."""

    def __init__(self) -> None:
        self._raw = np.empty(1024, dtype=np.float32)
        self._n = 0
        self._mins: list[np.ndarray] = []  # level k covers blocks of 8**(k+1) epochs
        self._maxs: list[np.ndarray] = []

    def __len__(self) -> int:
        return self._n

    @property
    def values(self) -> np.ndarray:
        """A read-only view of all losses so far."""
        v = self._raw[: self._n]
        v.flags.writeable = False
        return v

    def last(self) -> float | None:
        return float(self._raw[self._n - 1]) if self._n else None

    def at(self, epoch: int) -> float | None:
        """The loss of ``epoch`` (1-based), or None outside the run."""
        return float(self._raw[epoch - 1]) if 1 <= epoch <= self._n else None

    def extend(self, losses: list[float] | np.ndarray) -> None:
        new = np.asarray(losses, dtype=np.float64)
        if new.size == 0:
            return
        need = self._n + new.size
        if need > self._raw.size:
            grown = np.empty(max(need, self._raw.size * 2), dtype=np.float32)
            grown[: self._n] = self._raw[: self._n]
            self._raw = grown
        with np.errstate(all="ignore"):
            self._raw[self._n : need] = new
        old_n, self._n = self._n, need
        self._update_pyramid(old_n)

    def append(self, loss: float) -> None:
        self.extend([loss])

    def _update_pyramid(self, old_n: int) -> None:
        below_min = below_max = self._raw[: self._n]
        count_below, old_below = self._n, old_n
        level = 0
        while count_below >= _BLOCK:
            full = count_below // _BLOCK
            done = old_below // _BLOCK
            if level == len(self._mins):
                self._mins.append(np.empty(0, dtype=np.float32))
                self._maxs.append(np.empty(0, dtype=np.float32))
            if full > done:
                seg_min = below_min[done * _BLOCK : full * _BLOCK].reshape(-1, _BLOCK).min(axis=1)
                seg_max = below_max[done * _BLOCK : full * _BLOCK].reshape(-1, _BLOCK).max(axis=1)
                self._mins[level] = np.concatenate([self._mins[level][:done], seg_min])
                self._maxs[level] = np.concatenate([self._maxs[level][:done], seg_max])
            below_min, below_max = self._mins[level], self._maxs[level]
            count_below, old_below = full, done
            level += 1

    def columns(self, first: int, last: int, n_cols: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Min and max loss in each of ``n_cols`` equal slices of epochs ``first..last`` (1-based).

        Returns (start epoch of each column, minima, maxima); columns with no data hold NaN.
        """
        first = max(1, first)
        last = min(self._n, last)
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
        if level < 0:
            mins = maxs = self._raw[first - 1 : last].astype(np.float64)
            idx = starts - first
        else:
            lo_b, hi_b = (first - 1) // block, min((last - 1) // block + 1, len(self._mins[level]))
            mins = self._mins[level][lo_b:hi_b].astype(np.float64)
            maxs = self._maxs[level][lo_b:hi_b].astype(np.float64)
            tail_from = hi_b * block  # raw epochs after the last full block
            if tail_from < last:
                tail = self._raw[tail_from:last].astype(np.float64)
                mins = np.concatenate([mins, tail])
                maxs = np.concatenate([maxs, tail])
                pos = np.concatenate([np.arange(lo_b, hi_b) * block, np.arange(tail_from, last)])
            else:
                pos = np.arange(lo_b, hi_b) * block
            idx = np.searchsorted(pos, starts - 1, side="right") - 1
        idx = np.clip(idx, 0, len(mins) - 1)
        # drop duplicate starts (more columns than entries) so reduceat stays well defined
        uniq, first_of = np.unique(idx, return_index=True)
        col_min = np.full(n_cols, np.nan)
        col_max = np.full(n_cols, np.nan)
        with np.errstate(all="ignore"):
            col_min[first_of] = np.minimum.reduceat(mins, uniq)
            col_max[first_of] = np.maximum.reduceat(maxs, uniq)
        return starts, col_min, col_max

    def nbytes(self) -> int:
        return int(self._raw.nbytes + sum(a.nbytes for a in self._mins) + sum(a.nbytes for a in self._maxs))
