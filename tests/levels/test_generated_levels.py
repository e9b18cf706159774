"""Levels 14–18, built on generated data: each premise, hint number and goal, checked against the engine.

Every number a briefing, hint or debrief of these levels quotes is computed here from the level's
own file (the same data, seed and network), not remembered, and it must come out the same under every
last-digit nudge of the learning rate (helpers.NUDGES): another CPU's BLAS rounds differently, and a
figure that holds for one trajectory only is not a fact about the network. A sweep of k from −9 to 9, and
out to ±100,000, moved none of the figures of levels 14, 15, 16 and 18 (level 17's did).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from glassbox_game.engine import Setup, Trainer, build_trainer, vectorised
from glassbox_game.levels import Level, load_level
from glassbox_game.levels.goals_check import MET, GoalTracker
from glassbox_game.sim import commands as c
from glassbox_game.sim.simulation import SPEEDS, Simulation, nearest_speed
from tests.levels.helpers import NUDGES, nudge_params, nudged, run

LEVELS = Path(__file__).resolve().parents[2] / "levels"
OVERFITTING = LEVELS / "14-learning-the-noise.toml"
PENALTY = LEVELS / "15-a-penalty-on-big-weights.toml"
FEATURES = LEVELS / "16-features-instead-of-depth.toml"
SPIRAL = LEVELS / "17-the-spiral-needs-depth.toml"
MINIBATCH = LEVELS / "18-mini-batch-noise.toml"


def curves(s: Setup, epochs: int) -> tuple[Trainer, np.ndarray, np.ndarray]:
    tr = build_trainer(s)
    result = tr.train(epochs)
    assert result.halt is None and result.epochs == epochs
    return tr, np.array(result.losses), np.array(result.test_losses)


def accuracy(tr: Trainer, test: bool = False) -> float:
    data = tr.test_data if test else tr.data
    assert data is not None
    return vectorised.accuracy(tr.network.predict(data.x), data.y)


def accuracy_curve(s: Setup, epochs: int, every: int, test: bool = False) -> list[tuple[int, float]]:
    """(epoch, accuracy) every ``every`` epochs."""
    tr = build_trainer(s)
    out = []
    for _ in range(epochs // every):
        tr.train(every)
        out.append((tr.epoch, accuracy(tr, test)))
    return out


def first(curve: list[tuple[int, float]], share: float) -> int | None:
    return next((e for e, a in curve if a >= share), None)


def play(level: Level, setup: Setup, epochs: int, chunk: int) -> tuple[GoalTracker, int | None]:
    """Train ``setup`` as the level's simulation, the goals watching every ``chunk`` epochs."""
    tracker = GoalTracker(level)
    sim = Simulation(setup)
    tracker.observe(sim.snapshot())
    for epoch in range(chunk, epochs + 1, chunk):
        tracker.observe(run(sim, c.RunToEpoch(epoch)))
        if tracker.won:
            return tracker, epoch
    return tracker, None


def test_the_five_levels_are_the_end_of_the_campaign() -> None:
    from glassbox_game.levels import shipped_levels

    campaign = shipped_levels()
    tail = [lv.path.name for lv in campaign[-5:] if lv.path is not None]
    assert tail == [p.name for p in (OVERFITTING, PENALTY, FEATURES, SPIRAL, MINIBATCH)]
    assert [lv.order for lv in campaign] == list(range(1, len(campaign) + 1))  # the card numbers are the order
    for lv in campaign[-5:]:
        assert lv.setup.generator is not None and lv.hints and lv.debrief and lv.briefing
        assert {g.type for g in lv.goals} & {"test_loss_below", "test_loss_rises", "accuracy_above", "loss_below"}


@pytest.mark.parametrize("k", nudge_params())
def test_14_overfitting_the_test_loss_turns_up_while_the_training_loss_falls(k: int) -> None:
    level = load_level(OVERFITTING)
    s = nudged(level.setup, k)
    assert s.points == 40 and s.test_fraction == 0.5 and len(s.dataset().x) == 20
    assert sum(a * b + b for a, b in zip(s.layers, s.layers[1:], strict=False)) == 205  # "205 parameters"
    tr, train_loss, test_loss = curves(s, 3000)
    best = int(test_loss.argmin())
    assert best + 1 == 181 and round(test_loss[best], 2) == 0.60  # hint: lowest near epoch 181, about 0.60
    wobble = int(test_loss[:best].argmax())  # briefing: "wobbles at first" (up, then down to the lowest) …
    assert 10 < wobble + 1 < 60 and test_loss[wobble] < 1.5 * test_loss[0]  # (never the goal's 50 % of epoch 1)
    assert test_loss[-1] > 3 * test_loss[best]  # then climbs far above its best …
    assert np.all(np.diff(train_loss[best:]) < 0)  # … while the training loss keeps falling
    assert train_loss[-1] < 0.01 < train_loss[best]
    up = np.flatnonzero(test_loss[best:] >= 1.5 * test_loss[best])[0] + best + 1
    assert up == 393  # hint: by epoch 393 the test loss is 50 % above its lowest
    assert first(accuracy_curve(s, 400, 10), 1.0) == 300  # hint: by epoch 300 every training point is right
    assert accuracy(tr, test=True) < 0.7  # memorised: the test points fare little better than a guess
    tracker, won = play(level, s, 600, 10)
    assert won == 400 and all(st.state == MET for st in tracker.statuses)  # the goals, as the game sees them
    assert 400 / SPEEDS[nearest_speed(level.speed or 1)] <= 15  # at its start speed the win takes seconds


@pytest.mark.parametrize("k", nudge_params(quick=(0,)))  # about 4 s each: the quick suite runs one
def test_15_an_l2_penalty_tames_the_overfitting(k: int) -> None:
    level = load_level(PENALTY)
    start = level.setup
    assert start == load_level(OVERFITTING).setup  # the same experiment: the player adds the penalty
    assert "regularization" in level.controls
    start = nudged(start, k)

    def l2(lam: float) -> Setup:
        return replace(start, regularization="l2", regularization_rate=lam)

    _, train_plain, test_plain = curves(start, 3000)
    assert round(test_plain.min(), 3) == 0.595  # briefing: never below 0.595 …
    assert int(test_plain.argmin()) + 1 == 181  # … "near epoch 181"
    _, train_l2, test_l2 = curves(l2(0.06), 3000)  # its first 2,000 epochs are the goal's run
    runs = {lam: curves(l2(lam), 1100 if lam == 0.05 else 2000) for lam in (0.001, 0.03, 0.05, 0.1)}
    below = {lam: np.flatnonzero(t < 0.5) for lam, (_, _, t) in runs.items()}
    below[0.06] = np.flatnonzero(test_l2[:2000] < 0.5)
    assert below[0.06][0] + 1 == 920 and below[0.05][0] + 1 == 1089  # "try 0.05 or 0.06": within 2,000
    assert below[0.001].size == 0 and below[0.03].size == 0  # too small still overfits …
    assert round(runs[0.03][2].min(), 2) == 0.52  # … "λ = 0.03 still stalls at 0.52"
    assert below[0.1].size == 0 and runs[0.1][1][-1] > 0.55  # too large: the training loss stays high
    # the penalty gives a lower final test loss than λ = 0 on the same data and seed, and no turn upwards
    assert test_l2[-1] < 0.25 * test_plain[-1]
    assert test_l2[-1] < 1.05 * test_l2.min()
    assert train_l2[-1] > 10 * train_plain[-1]  # the training loss no longer heads for zero
    # the goal: missed without the penalty, met with λ = 0.06
    _, won = play(level, start, 2100, 100)
    assert won is None
    tracker, won = play(level, l2(0.06), 2000, 20)
    assert won == 920 and tracker.failures == 0
    assert 920 / SPEEDS[nearest_speed(level.speed or 1)] <= 15


@pytest.mark.parametrize("k", nudge_params(quick=NUDGES))  # under a second each
def test_16_features_instead_of_depth_no_hidden_layer(k: int) -> None:
    level = load_level(FEATURES)
    s = nudged(level.setup, k)
    assert s.layers == (4, 1) and s.features == ("x1", "x2", "x1^2", "x2^2") and s.test_fraction == 0.5
    with_features = accuracy_curve(s, 150, 1, test=True)
    met = first(with_features, 0.95)
    assert met == 66  # 95 % of the test points right by epoch 66 (the file says so)
    raw = replace(s, layers=(2, 1), features=None)
    without = accuracy_curve(raw, 2000, 20, test=True)
    assert max(a for _, a in without) <= 0.68  # one straight line in (x1, x2): two thirds at best
    assert first(without, 0.95) is None
    _, won = play(level, s, 200, 1)
    assert won == met
    assert met / SPEEDS[nearest_speed(level.speed or 1)] <= 15


def epoch_reaching(s: Setup, share: float, epochs: int, every: int = 20) -> int | None:
    """The first multiple of ``every`` by which ``s`` gets ``share`` of its training points right."""
    tr = build_trainer(s)
    while tr.epoch < epochs:
        tr.train(every)
        if accuracy(tr) >= share:
            return tr.epoch
    return None


def test_17_the_spiral_needs_depth() -> None:
    level = load_level(SPIRAL)
    s = level.setup
    assert s.layers == (2, 3, 1) and "architecture" in level.controls
    budget = next(g.within_epochs for g in level.goals if g.type == "accuracy_above")
    assert budget == 5000
    best = {arch: max(a for _, a in accuracy_curve(replace(s, layers=arch), budget, 50))
            for arch in [(2, 3, 1), (2, 16, 1), (2, 8, 8, 1), (2, 4, 4, 4, 1)]}
    assert best[(2, 3, 1)] < 0.7 and best[(2, 16, 1)] < 0.7  # "two thirds", "even 16 neurons"
    assert 0.93 < best[(2, 8, 8, 1)] < 0.97  # "two layers of eight stall near 95 %"
    assert 0.82 < best[(2, 4, 4, 4, 1)] < 0.88  # "2-4-4-4-1 stalls near 85 %"
    assert 2100 <= epoch_reaching(replace(s, layers=(2, 8, 8, 8, 1)), 0.98, budget) <= 2300  # "about 2,200"
    _, won = play(level, s, budget + 100, 250)
    assert won is None
    _, won = play(level, replace(s, layers=(2, 8, 8, 8, 1)), budget, 20)
    assert won is not None and 2100 <= won <= 2300 and won / SPEEDS[nearest_speed(level.speed or 1)] <= 15
    _, won = play(level, replace(s, layers=(2, 8, 8, 8, 1)), 2600, 2600)  # the solution script's one jump
    assert won == 2600


@pytest.mark.slow
@pytest.mark.parametrize("k", [k for k in NUDGES if k])
def test_17s_figures_hold_for_any_rounding(k: int) -> None:
    """Level 17's figures for every last-digit nudge: with η = 0.3 they scattered from 1,410 to
    2,600 epochs and two nudges in 21 never won within 3,000; with η = 0.2 three layers of eight take
    2,140–2,260, and the deeper 2-8-8-8-8-1 still wins within the 5,000."""
    s = nudged(load_level(SPIRAL).setup, k)
    assert 2100 <= epoch_reaching(replace(s, layers=(2, 8, 8, 8, 1)), 0.98, 5000) <= 2300
    # it wavers about 98 % for a while, then stays: the solution script's epoch 2,600 is past that
    tr = build_trainer(replace(s, layers=(2, 8, 8, 8, 1)))
    tr.train(2600)
    assert accuracy(tr) >= 0.98
    assert epoch_reaching(replace(s, layers=(2, 8, 8, 8, 8, 1)), 0.98, 5000) is not None
    assert max(a for _, a in accuracy_curve(replace(s, layers=(2, 8, 8, 1)), 5000, 50)) < 0.97


@pytest.mark.parametrize("k", nudge_params())
def test_18_mini_batches_descend_faster_per_epoch_and_jitter(k: int) -> None:
    level = load_level(MINIBATCH)
    full_setup = nudged(level.setup, k)
    assert full_setup.batch_size is None and "mode" in level.controls  # the player sets the batch size
    _, full, _ = curves(full_setup, 200)
    assert round(full[19], 1) == 0.3  # briefing: after 20 epochs still near 0.3
    assert full.min() > 0.1  # the full batch needs hundreds of epochs
    mini_setup = replace(full_setup, batch_size=5)
    tr, mini, _ = curves(mini_setup, 200)
    assert tr.steps == 200 * 40
    assert np.flatnonzero(mini < 0.1)[0] + 1 == 10  # debrief: 0.1 in about ten epochs
    # noisier, quantified: epochs whose loss is higher than the epoch before
    ups_full, ups_mini = int(np.sum(np.diff(full) > 0)), int(np.sum(np.diff(mini) > 0))
    assert ups_full == 0 and ups_mini >= 80  # "up again nearly every other epoch" (87 of 199)
    late = np.abs(np.diff(np.log(mini[20:])))
    assert late.mean() > 1.5 * np.abs(np.diff(np.log(full[20:]))).mean()
    _, won = play(level, full_setup, 30, 1)
    assert won is None
    _, won = play(level, mini_setup, 20, 1)
    assert won == 10 and 10 / SPEEDS[nearest_speed(level.speed or 1)] <= 15


@pytest.mark.parametrize("path", [OVERFITTING, PENALTY, FEATURES, SPIRAL, MINIBATCH], ids=lambda p: p.stem)
def test_the_trace_export_holds_everything_to_recompute_the_numbers(
        path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """docs/trace-format.md: the (feature-expanded) training set, the test set, a test loss per step, and
    with regularisation (level 15 as the player sets it up) a penalty per step."""
    import json

    from glassbox_game.cli import main
    from glassbox_game.levels import level_to_toml

    s = load_level(path).setup
    if path == PENALTY:
        s = replace(s, regularization="l2", regularization_rate=0.06)
    file = tmp_path / "setup.toml"
    file.write_text(level_to_toml(s), encoding="utf-8")
    assert main(["trace", str(file), "--epochs", "2"]) == 0
    doc = json.loads(capsys.readouterr().out)
    data = s.dataset()
    assert np.array_equal(doc["inputs"], data.x) and np.array_equal(doc["targets"], data.y)  # feature-expanded
    assert len(doc["inputs"][0]) == s.layers[0]
    test = s.test_dataset()
    if s.test_fraction > 0:
        assert test is not None
        assert np.array_equal(doc["test_inputs"], test.x) and np.array_equal(doc["test_targets"], test.y)
        assert doc["steps"] and all("test_loss" in step for step in doc["steps"])
    else:
        assert "test_inputs" not in doc and all("test_loss" not in step for step in doc["steps"])
    assert all(("penalty" in step) == (s.regularization != "none") for step in doc["steps"])


#: level id → the test above that checks its premise (test_shipped_levels asks every level for one)
GENERATED_PREMISES = {
    "learning-the-noise": test_14_overfitting_the_test_loss_turns_up_while_the_training_loss_falls,
    "a-penalty-on-big-weights": test_15_an_l2_penalty_tames_the_overfitting,
    "features-instead-of-depth": test_16_features_instead_of_depth_no_hidden_layer,
    "the-spiral-needs-depth": test_17_the_spiral_needs_depth,
    "mini-batch-noise": test_18_mini_batches_descend_faster_per_epoch_and_jitter,
}
