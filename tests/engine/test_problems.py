"""Built-in problems are the right truth tables; data sets are read-only and must fit the network."""

from __future__ import annotations

import numpy as np
import pytest

from glassbox_game.engine import PROBLEMS, Dataset, Network, Trainer, problem

TRUTH = {
    "and": lambda p, q: p and q,
    "or": lambda p, q: p or q,
    "nand": lambda p, q: not (p and q),
    "nor": lambda p, q: not (p or q),
    "xor": lambda p, q: p != q,
    "xnor": lambda p, q: p == q,
}


@pytest.mark.parametrize("name", PROBLEMS)
def test_truth_tables(name: str) -> None:
    d = problem(name)
    assert d.x.shape == (4, 2) and d.y.shape == (4, 1) and d.n_samples == 4
    assert {tuple(r) for r in d.x.tolist()} == {(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)}
    for (p, q), (t,) in zip(d.x.tolist(), d.y.tolist(), strict=True):
        assert t == float(TRUTH[name](bool(p), bool(q))), (p, q)


def test_all_six_gates_and_case_insensitive_names() -> None:
    assert set(PROBLEMS) == set(TRUTH)
    assert problem("XOR").name == "xor"
    with pytest.raises(KeyError, match="and, or, nand, nor, xor, xnor"):
        problem("xorr")


def test_data_sets_are_read_only() -> None:
    d = Dataset.from_lists([[0.0, 1.0]], [[1.0]])
    with pytest.raises(ValueError):
        d.x[0, 0] = 5.0
    with pytest.raises(ValueError):
        problem("and").y[0, 0] = 1.0


def test_data_that_does_not_fit_the_layers_is_refused() -> None:
    net = Network.initialise((3, 2, 1), np.random.default_rng(0))
    with pytest.raises(ValueError, match="does not fit layers"):
        Trainer(net, problem("xor"))
    net2 = Network.initialise((2, 2, 2), np.random.default_rng(0))
    with pytest.raises(ValueError, match="does not fit layers"):
        Trainer(net2, problem("xor"))
    with pytest.raises(ValueError, match="batch or online"):
        Trainer(Network.initialise((2, 2, 1), np.random.default_rng(0)), problem("xor"), mode="minibatch")
