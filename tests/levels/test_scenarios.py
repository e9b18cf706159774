"""Every sandbox scenario loads and does what its one line promises (against the engine)."""

from __future__ import annotations

import numpy as np

from glassbox_game.engine.setup import build_trainer
from glassbox_game.levels.scenarios import DEFAULT_SCENARIO, SCENARIOS, scenario
from glassbox_game.sim import plateau


def all_right(t) -> bool:
    return bool(np.all((t.network.predict(t.data.x) > 0.5) == (t.data.y > 0.5)))


def test_six_scenarios_each_with_a_line_to_watch() -> None:
    assert [s.key for s in SCENARIOS] == ["and", "xor", "vanishing", "dying-relu", "cross-entropy", "deep-sigmoid"]
    for s in SCENARIOS:
        assert s.title and 20 < len(s.watch) < 110
        build_trainer(s.setup()).peek()


def test_the_default_run_teaches_it_learns_xor_without_a_plateau() -> None:
    t = build_trainer(scenario(DEFAULT_SCENARIO).setup())
    r = t.train(2000)
    assert all_right(t) and r.losses[-1] < 0.05
    assert plateau.detect(np.array(r.losses)) is None


def test_each_scenario_shows_what_it_promises() -> None:
    t = build_trainer(scenario("and").setup())
    t.train(500)
    assert all_right(t)
    v = build_trainer(scenario("vanishing").setup()).peek()
    assert v.raw_error[0][0] > 0.99 and abs(v.delta[-1][0][0]) < 1e-4 and v.locked[-1] == (True,)
    d = build_trainer(scenario("dying-relu").setup()).peek()
    assert np.all(d.z[0][:, 1] <= 0) and np.all(d.slope[0][:, 1] == 0)
    ce = build_trainer(scenario("cross-entropy").setup()).peek()
    assert abs(ce.delta[-1][0][0]) > 0.99 and ce.locked[-1] == (False,)
    deep = build_trainer(scenario("deep-sigmoid").setup()).peek()
    means = [float(np.abs(g).mean()) for g in deep.grad_w]
    assert means == sorted(means)  # the blame fades towards the input
