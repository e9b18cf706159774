"""Generated data sets: seeded, the size asked for, labelled as TensorFlow Playground labels them."""

from __future__ import annotations

import numpy as np
import pytest

from glassbox_game.engine import Setup, build_trainer, datasets
from glassbox_game.engine.datasets import DataSpec


@pytest.mark.parametrize("generator", datasets.GENERATORS)
@pytest.mark.parametrize("points", [10, 11, 200, 1000])
def test_every_generator_is_seeded_and_makes_exactly_the_points_asked_for(generator: str, points: int) -> None:
    a = datasets.generate(generator, points, 0.2, np.random.default_rng(5))
    b = datasets.generate(generator, points, 0.2, np.random.default_rng(5))
    c = datasets.generate(generator, points, 0.2, np.random.default_rng(6))
    assert a[0].shape == (points, 2) and a[1].shape == (points, 1)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    assert np.all(np.isfinite(a[0])) and np.all(np.abs(a[0]) < 12)
    if datasets.is_classification(generator):
        assert set(np.unique(a[1])) <= {0.0, 1.0}
        assert 0 < a[1].sum() < points  # both classes present
    else:
        assert np.all(np.abs(a[1]) <= 1.0)


def test_noise_free_circle_labels_the_inner_disc_one_and_the_ring_zero() -> None:
    xy, y = datasets.generate("circle", 400, 0.0, np.random.default_rng(1))
    r = np.hypot(xy[:, 0], xy[:, 1])
    assert np.array_equal(y[:, 0] == 1.0, r < 2.5)
    assert np.all((r <= 2.5) | ((r >= 3.5) & (r <= 5.0)))


def test_noise_free_xor_labels_by_quadrant_and_keeps_points_off_the_axes() -> None:
    xy, y = datasets.generate("xor", 400, 0.0, np.random.default_rng(1))
    assert np.array_equal(y[:, 0] == 1.0, xy[:, 0] * xy[:, 1] >= 0)
    assert np.all(np.abs(xy) >= 0.3)


def test_noise_mislabels_some_circle_points_near_the_boundary() -> None:
    xy, y = datasets.generate("circle", 1000, 0.5, np.random.default_rng(2))
    r = np.hypot(xy[:, 0], xy[:, 1])
    wrong = (y[:, 0] == 1.0) != (r < 2.5)
    assert 0 < wrong.sum() < 500


def test_gaussians_spread_grows_with_noise() -> None:
    tight, _ = datasets.generate("gaussians", 1000, 0.0, np.random.default_rng(3))
    wide, _ = datasets.generate("gaussians", 1000, 0.5, np.random.default_rng(3))
    assert wide[:500].std() > 2 * tight[:500].std()


def test_spiral_arms_are_point_symmetric_without_noise() -> None:
    xy, y = datasets.generate("spiral", 100, 0.0, np.random.default_rng(0))
    assert np.allclose(xy[:50], -xy[50:])
    assert np.all(y[:50] == 1.0) and np.all(y[50:] == 0.0)


def test_plane_and_hill_targets_follow_their_surfaces_without_noise() -> None:
    xy, y = datasets.generate("plane", 300, 0.0, np.random.default_rng(0))
    assert np.allclose(y[:, 0], np.clip((xy[:, 0] + xy[:, 1]) / 10, -1, 1))
    assert datasets.hill_height(np.array([-4.0]), np.array([2.5]))[0] == 1.0
    assert datasets.hill_height(np.array([0.0]), np.array([2.5]))[0] == -1.0
    assert datasets.hill_height(np.array([-4.0]), np.array([0.0]))[0] == 0.0  # 2.5 away: beyond every bump


def test_features_are_the_named_functions_of_x1_and_x2_in_the_order_given() -> None:
    xy = np.array([[1.0, 2.0], [-0.5, 3.0]])
    got = datasets.expand(xy, ("x1*x2", "x1", "sin(x2)", "x1^2", "x2^2", "x2", "sin(x1)"))
    want = [[2.0, 1.0, np.sin(2.0), 1.0, 4.0, 2.0, np.sin(1.0)],
            [-1.5, -0.5, np.sin(3.0), 0.25, 9.0, 3.0, np.sin(-0.5)]]
    assert np.allclose(got, want)
    with pytest.raises(KeyError, match="x3"):
        datasets.expand(xy, ("x3",))


@pytest.mark.parametrize(("points", "fraction", "n_test"), [(200, 0.5, 100), (10, 0.9, 9), (11, 0.0, 0),
                                                            (10, 0.25, 2)])
def test_the_split_holds_out_the_test_share_and_never_all_points(points: int, fraction: float,
                                                                 n_test: int) -> None:
    split = datasets.build(DataSpec("circle", points, 0.1, fraction, 4))
    got = 0 if split.test is None else split.test.n_samples
    assert got == n_test and split.train.n_samples == points - n_test
    assert split.train.points is not None and split.train.points.shape == (points - n_test, 2)


def test_build_is_reproducible_and_the_seed_changes_the_data() -> None:
    a = datasets.build(DataSpec("spiral", 100, 0.2, 0.3, 1, ("x1", "x2", "sin(x1)")))
    b = datasets.build(DataSpec("spiral", 100, 0.2, 0.3, 1, ("x1", "x2", "sin(x1)")))
    c = datasets.build(DataSpec("spiral", 100, 0.2, 0.3, 2, ("x1", "x2", "sin(x1)")))
    assert np.array_equal(a.train.x, b.train.x) and a.test is not None and b.test is not None
    assert np.array_equal(a.test.y, b.test.y)
    assert not np.array_equal(a.train.x, c.train.x)
    assert a.train.x.shape == (70, 3)
    assert np.allclose(a.train.x[:, 2], np.sin(a.train.points[:, 0]))  # type: ignore[index]


def test_a_setup_with_a_generator_builds_a_trainer_with_train_and_test_sets() -> None:
    s = Setup(layers=(4, 3, 1), generator="xor", points=80, noise=0.1, test_fraction=0.5, data_seed=2,
              features=("x1", "x2", "x1*x2", "x1^2"), loss="cross_entropy")
    tr = build_trainer(s)
    assert tr.data.n_samples == 40 and tr.test_data is not None and tr.test_data.n_samples == 40
    assert tr.classification and tr.numpy_path
    t = tr.step()
    assert t.test_loss is not None and t.accuracy is not None and t.test_accuracy is not None


def test_features_also_apply_to_a_truth_table() -> None:
    s = Setup(layers=(3, 1), problem="xor", features=("x1", "x2", "x1*x2"))
    data = s.dataset()
    assert data.x.tolist() == [[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 1]]
    assert data.points is not None and data.points.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
