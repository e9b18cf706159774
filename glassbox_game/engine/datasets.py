"""Generated 2-D data sets, as TensorFlow Playground makes them, and the input features built on them.

Every generator takes ``(points, noise, rng)`` and returns the points' coordinates ``xy`` (n × 2,
roughly within ±6) and their targets (n × 1). The definitions follow TensorFlow Playground's
``dataset.ts``:

* ``circle``: half the points inside radius 2.5, half in the ring 3.5…5; the label is judged at
  the point moved by noise × U(−5, 5) on each axis (so noise mislabels points near the boundary).
* ``xor``: x, y ~ U(−5, 5) pushed 0.3 away from the axes; label x·y ≥ 0, judged at the noisy point.
* ``gaussians``: two Gaussian blobs at (2, 2) and (−2, −2) whose variance grows from 0.5 (noise 0)
  to 4 (noise 0.5).
* ``spiral``: two interleaved arms, r = 5·i/n, t = 1.75·2π·i/n (+π for the second arm), each
  coordinate jittered by noise × U(−1, 1).
* ``plane`` (regression): x, y ~ U(−6, 6), target (x + y)/10 at the noisy point, within −1…1.
* ``hill`` (regression, Playground's "multi-Gaussian"): six bumps of height ±1 and radius 2 at
  (±4 | 0, ±2.5); the target is the bump with the largest |value| at the noisy point.

Classification targets are 1 (Playground's +1) and 0 (its −1), so a sigmoid output and
cross-entropy fit them; regression targets lie in −1…1 (a tanh or linear output).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from glassbox_game.engine.names import FEATURE_LABELS
from glassbox_game.engine.problems import Dataset

Array = np.ndarray

CLASSIFIERS: tuple[str, ...] = ("circle", "xor", "gaussians", "spiral")
REGRESSORS: tuple[str, ...] = ("plane", "hill")
GENERATORS: tuple[str, ...] = CLASSIFIERS + REGRESSORS

MIN_POINTS = 10
MAX_POINTS = 1000
MAX_NOISE = 0.5
MAX_TEST_FRACTION = 0.9

FEATURES: tuple[str, ...] = tuple(FEATURE_LABELS)
_FEATURE_FN: dict[str, Callable[[Array, Array], Array]] = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1^2": lambda a, b: a * a,
    "x2^2": lambda a, b: b * b,
    "x1*x2": lambda a, b: a * b,
    "sin(x1)": lambda a, b: np.sin(a),
    "sin(x2)": lambda a, b: np.sin(b),
}


def is_classification(generator: str) -> bool:
    return generator in CLASSIFIERS


def _halves(points: int) -> tuple[int, int]:
    first = points // 2
    return first, points - first


def _circle(points: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    radius = 5.0
    xs, labels = [], []
    for count, (lo, hi) in zip(_halves(points), ((0.0, radius * 0.5), (radius * 0.7, radius)), strict=True):
        r = rng.uniform(lo, hi, count)
        angle = rng.uniform(0.0, 2 * math.pi, count)
        xy = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
        moved = xy + rng.uniform(-radius, radius, (count, 2)) * noise
        xs.append(xy)
        labels.append(np.hypot(moved[:, 0], moved[:, 1]) < radius * 0.5)
    return np.concatenate(xs), np.concatenate(labels).astype(float)


def _xor(points: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    xy = rng.uniform(-5.0, 5.0, (points, 2))
    xy += np.where(xy > 0, 0.3, -0.3)
    moved = xy + rng.uniform(-5.0, 5.0, (points, 2)) * noise
    return xy, (moved[:, 0] * moved[:, 1] >= 0).astype(float)


def _gaussians(points: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    variance = 0.5 + (4.0 - 0.5) * (noise / 0.5)
    pos, neg = _halves(points)
    xy = np.concatenate([rng.normal(2.0, math.sqrt(variance), (pos, 2)),
                         rng.normal(-2.0, math.sqrt(variance), (neg, 2))])
    return xy, np.concatenate([np.ones(pos), np.zeros(neg)])


def _spiral(points: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    xs, labels = [], []
    for count, turn, label in zip(_halves(points), (0.0, math.pi), (1.0, 0.0), strict=True):
        i = np.arange(count)
        r = i / count * 5.0
        t = 1.75 * i / count * 2 * math.pi + turn
        xy = np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + rng.uniform(-1.0, 1.0, (count, 2)) * noise
        xs.append(xy)
        labels.append(np.full(count, label))
    return np.concatenate(xs), np.concatenate(labels)


def _plane(points: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    xy = rng.uniform(-6.0, 6.0, (points, 2))
    moved = xy + rng.uniform(-6.0, 6.0, (points, 2)) * noise
    return xy, np.clip((moved[:, 0] + moved[:, 1]) / 10.0, -1.0, 1.0)


_BUMPS = ((-4.0, 2.5, 1.0), (0.0, 2.5, -1.0), (4.0, 2.5, 1.0), (-4.0, -2.5, -1.0), (0.0, -2.5, 1.0),
          (4.0, -2.5, -1.0))


def hill_height(x: Array, y: Array) -> Array:
    """The ``hill`` surface: of the six bumps, the one with the largest |value| at each point."""
    label = np.zeros_like(np.asarray(x, dtype=float))
    for cx, cy, sign in _BUMPS:
        value = sign * np.clip(1.0 - np.hypot(x - cx, y - cy) / 2.0, 0.0, 1.0)
        label = np.where(np.abs(value) > np.abs(label), value, label)
    return label


def _hill(points: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    xy = rng.uniform(-6.0, 6.0, (points, 2))
    moved = xy + rng.uniform(-6.0, 6.0, (points, 2)) * noise
    return xy, hill_height(moved[:, 0], moved[:, 1])


_GENERATE: dict[str, Callable[[int, float, np.random.Generator], tuple[Array, Array]]] = {
    "circle": _circle, "xor": _xor, "gaussians": _gaussians, "spiral": _spiral, "plane": _plane, "hill": _hill,
}


def generate(generator: str, points: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """``points`` samples of ``generator``: coordinates (n × 2) and targets (n × 1)."""
    if generator not in _GENERATE:
        raise KeyError(f"unknown generator {generator!r}; choose one of {', '.join(GENERATORS)}")
    if not MIN_POINTS <= points <= MAX_POINTS:
        raise ValueError(f"points must be {MIN_POINTS} to {MAX_POINTS}, not {points}")
    if not 0.0 <= noise <= MAX_NOISE:
        raise ValueError(f"noise must be 0 to {MAX_NOISE}, not {noise}")
    xy, target = _GENERATE[generator](points, float(noise), rng)
    return xy, target.reshape(-1, 1)


def expand(xy: Array, features: tuple[str, ...] | list[str]) -> Array:
    """The input features (columns, in the order given) of 2-D points ``xy``."""
    xy = np.asarray(xy, dtype=float)
    a, b = xy[:, 0], xy[:, 1]
    for name in features:
        if name not in _FEATURE_FN:
            raise KeyError(f"unknown feature {name!r}; choose from {', '.join(FEATURES)}")
    return np.stack([_FEATURE_FN[name](a, b) for name in features], axis=1)


@dataclass(frozen=True)
class DataSpec:
    """What a level file's ``[data]`` generator keys say (``features`` from ``[network]``)."""

    generator: str
    points: int = 200
    noise: float = 0.0
    test_fraction: float = 0.0
    seed: int = 0
    features: tuple[str, ...] = ("x1", "x2")


@dataclass(frozen=True)
class Split:
    """The generated training and test sets (``test`` None when no points are held out)."""

    train: Dataset
    test: Dataset | None


def held_out_count(points: int, test_fraction: float) -> int:
    """How many of ``points`` are held out: round(points × fraction), leaving at least one to train on."""
    return min(points - 1, round(points * test_fraction))


def build(spec: DataSpec) -> Split:
    """Generate, shuffle (seeded) and split the points, then expand the features: same spec ⇒ same data."""
    rng = np.random.default_rng([spec.seed, 15])
    xy, target = generate(spec.generator, spec.points, spec.noise, rng)
    order = rng.permutation(spec.points)
    xy, target = xy[order], target[order]
    n_test = held_out_count(spec.points, spec.test_fraction)
    n_train = spec.points - n_test

    def part(lo: int, hi: int, name: str) -> Dataset:
        pts = np.ascontiguousarray(xy[lo:hi])
        return Dataset(name, expand(pts, spec.features), np.ascontiguousarray(target[lo:hi]), points=pts)

    train = part(0, n_train, spec.generator)
    test = part(n_train, spec.points, f"{spec.generator} (test)") if n_test else None
    return Split(train, test)
