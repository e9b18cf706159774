"""Every command has one row in the simulation's command table, and view-only ones leave the run alone."""

from __future__ import annotations

import inspect

from glassbox_game.engine.setup import Setup
from glassbox_game.sim import commands as c
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import COMMANDS, Simulation


def test_every_command_class_has_a_handler() -> None:
    kinds = {obj for _, obj in inspect.getmembers(c, inspect.isclass)
             if issubclass(obj, c.Command) and obj is not c.Command}
    assert kinds == set(COMMANDS)


def test_view_only_commands_do_not_change_the_run() -> None:
    sim = Simulation(Setup())
    sim.update(1 / 120)
    before = (sim.trainer.epoch, sim.trainer.network.parameters(), sim.playing)
    for cmd in (c.Select(Selection.edge(1, 0, 0)), c.Hover(None), c.CycleSelection(1), c.SetSample(2),
                c.CycleSample(1), c.ChangeSpeed(1), c.SetSpeed(0)):
        assert COMMANDS[type(cmd)].view_only
        sim.submit(cmd)
    sim.update(1 / 120)
    assert (sim.trainer.epoch, sim.trainer.network.parameters(), sim.playing) == before
    assert sim.speed_index == 0 and sim.sample == 3 and sim.hover is None


def test_play_pause_and_toggle_share_one_handler() -> None:
    sim = Simulation(Setup())
    for cmd, playing in ((c.Play(), True), (c.Pause(), False), (c.TogglePlay(), True), (c.TogglePlay(), False)):
        sim.submit(cmd)
        sim.update(1 / 120)
        assert sim.playing is playing
