"""A level that asks for typed numbers does not show them until they are typed."""

from __future__ import annotations

from glassbox_game.levels.goals_check import engine_value
from glassbox_game.levels.model import TypedValue
from glassbox_game.scenes.level_play import LevelPlayScene
from glassbox_game.sim.selection import Selection
from tests.app.helpers import frames, make_app, press


def test_the_answers_stay_hidden_until_they_are_typed() -> None:
    app = make_app("play", "raw-error-times-slope")
    press(app, "return")  # close the briefing
    frames(app, 2)
    scene = app.top
    assert isinstance(scene, LevelPlayScene)
    chain, tables, network = scene.components["chain"], scene.components["tables"], scene.components["network"]
    assert scene.ctx is not None and scene.ctx.quiz
    assert chain.answers_hidden  # the card explains why it is empty instead of showing δ and σ′
    assert [k for k, _ in tables.tabs()] == ["loss", "a"]  # no δ table, no gradients
    output = Selection.neuron(2, 0)
    _, lines = network.tooltip(scene.snap, output)
    assert not any(line.startswith("δ") or "σ′" in line for line in lines)  # z and a only
    # type every answer the level asks for, from the engine's own numbers
    for goal in scene.level.goals:
        if isinstance(goal, TypedValue):
            value = engine_value(scene.snap.trace, goal)
            assert value is not None
            scene.script_command(["answer", f"{value:.6f}"])
            frames(app, 1)
    frames(app, 2)
    assert not scene.ctx.quiz
    assert not chain.answers_hidden and chain.view is not None  # now the whole chain rule shows
    assert [k for k, _ in tables.tabs()] == ["loss", "a", "delta", "w"]
    _, lines = network.tooltip(scene.snap, output)
    assert any(line.startswith("δ") for line in lines)
    app.shutdown()
