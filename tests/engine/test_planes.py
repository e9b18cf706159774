"""What each neuron computes over the input plane: one forward pass over a grid, held to the reference."""

from __future__ import annotations

import numpy as np
import pytest

from glassbox_game.engine import datasets, planes, reference
from glassbox_game.engine.activations import ACTIVATIONS, get_activation
from glassbox_game.engine.network import Network

BOUNDS = (-6.0, 6.0, -5.0, 4.0)


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "elu"])
@pytest.mark.parametrize("features", [None, ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"),
                                      ("x1^2", "sin(x2)")])
def test_every_layer_on_the_grid_is_the_reference_forward_of_its_points(hidden, features) -> None:
    rng = np.random.default_rng(7)
    n_in = 2 if features is None else len(features)
    net = Network.initialise([n_in, 5, 3, 1], rng, "xavier", hidden_activation=hidden, output_activation="sigmoid")
    grids = planes.plane_activations(net.weights, net.biases, hidden, "sigmoid", BOUNDS, 9, features)
    pts = planes.grid_points(BOUNDS, 9)
    x = pts if features is None else datasets.expand(pts, features)
    _, a, _ = reference.forward(net.weights, net.biases, net.activations, x)
    assert [g.shape for g in grids] == [(5, 9, 9), (3, 9, 9), (1, 9, 9)]
    for layer, g in enumerate(grids, start=1):
        np.testing.assert_allclose(g.reshape(g.shape[0], -1).T, a[layer], rtol=1e-12, atol=1e-12)


def test_the_grid_runs_x1_left_to_right_and_x2_top_to_bottom_from_high() -> None:
    pts = planes.grid_points((0.0, 4.0, 0.0, 2.0), 2)
    # row 0 is the top (x₂ high), column 0 the left (x₁ low); cells are sampled at their centres
    np.testing.assert_allclose(pts, [[1.0, 1.5], [3.0, 1.5], [1.0, 0.5], [3.0, 0.5]])


def test_a_neuron_that_reads_x1_alone_shows_a_left_to_right_ramp() -> None:
    w = [np.array([[3.0, 0.0]]), np.array([[1.0]])]
    b = [np.zeros(1), np.zeros(1)]
    hidden = planes.plane_activations(w, b, "tanh", "linear", (-1.0, 1.0, -1.0, 1.0), 6)[0][0]
    assert np.all(np.diff(hidden, axis=1) > 0)  # grows with x₁ …
    assert np.allclose(np.diff(hidden, axis=0), 0.0)  # … and ignores x₂


def test_colour_levels_use_the_activations_own_range() -> None:
    np.testing.assert_allclose(planes.colour_level(np.array([0.0, 0.5, 1.0]), "sigmoid"), [0.0, 0.5, 1.0])
    np.testing.assert_allclose(planes.colour_level(np.array([-1.0, 0.0, 1.0]), "tanh"), [0.0, 0.5, 1.0])
    # unbounded: scaled by the largest |a| shown; ReLU from 0, linear around 0
    np.testing.assert_allclose(planes.colour_level(np.array([0.0, 2.0, 4.0]), "relu"), [0.0, 0.5, 1.0])
    np.testing.assert_allclose(planes.colour_level(np.array([-2.0, 0.0, 4.0]), "linear"), [0.25, 0.5, 1.0])
    assert np.all(planes.colour_level(np.array([np.nan, np.inf]), "linear") == 0.5)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_the_decision_threshold_is_halfway_between_the_targets_an_output_is_used_with(name) -> None:
    act = get_activation(name)
    lo, _hi = act.output_range
    expected = 0.5 if lo == 0.0 else 0.0  # targets 0 / 1 (sigmoid, ReLU), else −1 / 1
    assert act.decision_threshold == expected
