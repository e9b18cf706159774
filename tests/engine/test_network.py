"""The network: weights[l][j][i], one flat parameter vector, seeded initialisation schemes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from glassbox_game.engine import Network, Setup

RNG_SEEDS = range(40)


def pooled(scheme: str, layers: tuple[int, ...], **kw: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
    nets = [Network.initialise(layers, np.random.default_rng(s), scheme, **kw) for s in RNG_SEEDS]  # type: ignore[arg-type]
    ws = [np.concatenate([n.weights[l].ravel() for n in nets]) for l in range(len(layers) - 1)]
    bs = [np.concatenate([n.biases[l] for n in nets]) for l in range(len(layers) - 1)]
    return ws, bs


def test_weights_index_as_to_from() -> None:
    w = [[[1, 2], [3, 4], [5, 6]], [[7, 8, 9]]]
    net = Network((2, 3, 1), w, [[0.1, 0.2, 0.3], [0.4]], "linear", "linear")
    assert net.weights[0][2][1] == 6.0  # from x₂ to h₃
    zs, _acts = net.forward(np.array([[1.0, 10.0]]))
    np.testing.assert_allclose(zs[0], [[21.1, 43.2, 65.3]])
    np.testing.assert_allclose(zs[1], [[7 * 21.1 + 8 * 43.2 + 9 * 65.3 + 0.4]])
    assert net.parameters() == [1, 2, 3, 4, 5, 6, 0.1, 0.2, 0.3, 7, 8, 9, 0.4]


def test_weights_and_biases_are_views_of_theta() -> None:
    net = Setup().network()
    net.set_parameters([float(k) for k in range(9)])
    assert net.weights[1][0][1] == 7.0 and net.biases[0][1] == 5.0
    net.weights[0][1][0] = -1.0
    assert net.parameters()[2] == -1.0
    copy = net.copy()
    copy.biases[1][0] = 99.0
    assert net.biases[1][0] == 8.0


@pytest.mark.parametrize(("layers", "weights", "biases"), [
    ((2, 2, 1), [[[1, 2]], [[1]]], [[0, 0], [0]]),
    ((2, 2, 1), [[[1, 2], [3, 4]], [[1, 2]]], [[0], [0]]),
    ((2, 2, 1), [[[1, 2], [3, 4]]], [[0, 0]]),
])
def test_shapes_that_do_not_fit_are_refused(layers, weights, biases) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        Network(layers, weights, biases)


def test_unknown_scheme_names_the_choices() -> None:
    with pytest.raises(ValueError, match="uniform, xavier, he"):
        Network.initialise((2, 2, 1), np.random.default_rng(0), "glorot")


@pytest.mark.parametrize("radius", [0.1, 1.0, 3.0])
def test_uniform_fills_the_radius(radius: float) -> None:
    ws, bs = pooled("uniform", (4, 6, 2), radius=radius)
    for arr in ws + bs:
        assert np.all(np.abs(arr) <= radius)
        assert np.max(np.abs(arr)) > 0.9 * radius
        assert abs(arr.mean()) < 0.15 * radius
    allw = np.concatenate(ws)
    assert allw.std() == pytest.approx(radius / np.sqrt(3), rel=0.05)  # U(−r, r) has σ = r/√3


def test_xavier_range_and_spread() -> None:
    layers = (8, 16, 4)
    ws, bs = pooled("xavier", layers)
    for (n_in, n_out), w, b in zip(itertools.pairwise(layers), ws, bs, strict=True):
        r = np.sqrt(6.0 / (n_in + n_out))
        assert np.all(np.abs(w) <= r) and np.max(np.abs(w)) > 0.95 * r
        assert w.std() == pytest.approx(r / np.sqrt(3), rel=0.06)
        assert np.all(b == 0.0)


def test_he_spread() -> None:
    layers = (8, 16, 4)
    ws, bs = pooled("he", layers)
    for n_in, w, b in zip(layers[:-1], ws, bs, strict=True):
        assert w.std() == pytest.approx(np.sqrt(2.0 / n_in), rel=0.06)
        assert abs(w.mean()) < 0.1 * np.sqrt(2.0 / n_in)
        assert np.all(b == 0.0)


def test_neuron_names() -> None:
    assert [Setup().network().neuron_name(l, j) for l, j in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0)]] == [
        "x₁", "x₂", "h₁", "h₂", "ŷ"]
    deep = Network.initialise((2, 3, 3, 2), np.random.default_rng(0))
    assert [deep.neuron_name(l, j) for l, j in [(1, 2), (2, 0), (3, 1)]] == ["h¹₃", "h²₁", "ŷ₂"]


def test_eight_layers_of_sixteen_forward() -> None:
    layers = (16,) * 9
    net = Network.initialise(layers, np.random.default_rng(1), "xavier", hidden_activation="tanh")
    out = net.predict(np.ones((3, 16)))
    assert out.shape == (3, 16) and np.all(np.isfinite(out))
