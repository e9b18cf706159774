"""LossHistory: exact per-column min/max for small runs, bounded memory for long ones."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from glassbox_game.sim.history import LossHistory


def brute_columns(values: np.ndarray, first: int, last: int, n_cols: int) -> tuple[np.ndarray, np.ndarray]:
    starts = np.linspace(first, last + 1, n_cols + 1).astype(np.int64)
    mins, maxs = np.full(n_cols, np.nan), np.full(n_cols, np.nan)
    for k in range(n_cols):
        lo, hi = starts[k], max(starts[k + 1], starts[k] + 1) if k + 1 < n_cols else last + 1
        seg = values[lo - 1 : hi - 1]
        if seg.size and (k == 0 or starts[k] != starts[k - 1]):
            mins[k], maxs[k] = seg.min(), seg.max()
    return mins, maxs


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 10, width=32), min_size=1, max_size=300), st.integers(1, 400), st.data())
def test_small_runs_give_exact_min_and_max_per_column(values: list[float], n_cols: int, data) -> None:
    h = LossHistory()
    for k in range(0, len(values), 7):  # appended in uneven chunks, like turbo training
        h.extend(values[k : k + 7])
    first = data.draw(st.integers(1, len(values)))
    last = data.draw(st.integers(first, len(values)))
    if (last - first + 1) / n_cols >= 16:  # beyond this the pyramid is used (tested below)
        return
    _, mins, maxs = h.columns(first, last, n_cols)
    want_min, want_max = brute_columns(np.array(values, dtype=np.float32), first, last, n_cols)
    np.testing.assert_array_equal(mins, want_min)
    np.testing.assert_array_equal(maxs, want_max)


def test_long_runs_keep_the_envelope_and_bounded_memory() -> None:
    rng = np.random.default_rng(0)
    n = 1_000_000
    values = (0.25 * np.exp(-np.arange(n) / 2e5) + 0.01 * rng.random(n)).astype(np.float32)
    h = LossHistory()
    for chunk in np.array_split(values, 300):
        h.extend(chunk)
    assert len(h) == n and h.at(n) == float(values[-1]) and h.last() == float(values[-1])
    _, mins, maxs = h.columns(1, n, 700)
    assert np.all(np.isfinite(mins)) and np.all(mins <= maxs)
    # the envelope of all columns is the true global min and max
    assert mins.min() == values.min() and maxs.max() == values.max()
    # values (4 B) + pyramid (≈1.1 B) per epoch, with at most doubling slack: under 12 MB / million
    assert h.nbytes() < 12_000_000


def test_one_at_a_time_appends_build_the_same_pyramid_as_chunks() -> None:
    values = np.linspace(1, 0, 5000)
    a, b = LossHistory(), LossHistory()
    for v in values:
        a.append(float(v))
    b.extend(values)
    for cols in (50, 700):
        for x, y in zip(a.columns(1, 5000, cols), b.columns(1, 5000, cols), strict=True):
            np.testing.assert_array_equal(x, y)


def test_nan_epochs_do_not_blank_a_column_and_empty_ranges_are_nan() -> None:
    h = LossHistory()
    h.extend([0.5] * 100 + [float("nan")] + [0.4] * 100)
    _, mins, _maxs = h.columns(1, 201, 10)
    assert np.all(np.isfinite(mins))
    _, mins, _ = LossHistory().columns(1, 10, 5)
    assert np.all(np.isnan(mins))
    assert h.at(0) is None and h.at(202) is None and not h.values.flags.writeable


def test_memory_stays_flat_however_long_the_run() -> None:
    """Every buffer keeps a bounded window: 2M and 8M epochs take the same bytes (a few MB)."""
    h = LossHistory()
    rng = np.random.default_rng(1)
    sizes = {}
    lo_seen, hi_seen = np.inf, -np.inf
    for k in range(80):  # 8M epochs in turbo-sized chunks, generated as they go
        chunk = (0.2 + 0.1 * rng.random(100_000)).astype(np.float32)
        lo_seen, hi_seen = min(lo_seen, chunk.min()), max(hi_seen, chunk.max())
        h.extend(chunk)
        if len(h) in (2_000_000, 8_000_000):
            sizes[len(h)] = h.nbytes()
        if k == 79:
            last = float(chunk[-1])
    assert sizes[8_000_000] <= sizes[2_000_000] + 2_500_000 < 8_000_000
    assert len(h) == 8_000_000 and h.last() == last and h.at(8_000_000) == last
    _, mins, maxs = h.columns(1, len(h), 3840)  # a 4K-wide chart still reaches back to epoch 1
    assert np.all(np.isfinite(mins)) and mins.min() == lo_seen and maxs.max() == hi_seen
    old = h.at(10)  # before the exact window: the midpoint of a kept block
    assert old is not None and lo_seen <= old <= hi_seen


def test_stepping_back_keeps_the_run_before() -> None:
    h = LossHistory()
    h.extend(np.linspace(1, 0, 300_000))
    back = h.truncated(299_990)
    assert len(back) == 299_990 and back.at(299_990) == h.at(299_990)
    back.extend([5.0])
    assert len(back) == 299_991 and back.last() == 5.0 and len(h) == 300_000
    _, mins, maxs = back.columns(1, len(back), 500)
    assert np.nanmax(maxs) == 5.0 and np.all(np.isfinite(mins))
