"""An activation is one record: every one of them reaches the levels, the sandbox, the trace and every panel.

Adding an activation means adding its record to ``engine/activations.py`` (ELU was added that way);
these tests then cover it with no further edits.
"""

from __future__ import annotations

import pygame
import pytest

from glassbox_game.engine import ACTIVATIONS
from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.kit.component import ViewContext
from glassbox_game.kit.theme import make_theme
from glassbox_game.levels import level_to_toml, loads_level
from glassbox_game.render import explain as e
from glassbox_game.render.chain_rule_panel import ChainRulePanel
from glassbox_game.render.network_view import NetworkView
from glassbox_game.render.tables_panel import TablesPanel
from glassbox_game.sim import commands as c
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import Simulation
from tests.app.helpers import frames, make_app

NAMES = list(ACTIVATIONS)


@pytest.mark.parametrize("name", NAMES)
def test_a_level_file_may_use_it_and_round_trips(name: str) -> None:
    level = loads_level(f'[network]\nlayers = [2, 3, 1]\nhidden_activation = "{name}"\n'
                        f'output_activation = "{name}"\n[data]\nproblem = "and"\n')
    assert (level.setup.hidden_activation, level.setup.output_activation) == (name, name)
    assert loads_level(level_to_toml(level)).setup == level.setup


@pytest.mark.parametrize("name", NAMES)
def test_its_trace_and_the_chain_rule_use_its_record(name: str) -> None:
    act = ACTIVATIONS[name]
    tr = build_trainer(Setup(hidden_activation=name, output_activation=name, learning_rate=0.1))
    tr.train(20)
    t = tr.peek()
    for sample in (0, 3):
        for sel in (Selection.neuron(1, 0), Selection.edge(0, 1, 0), Selection.neuron(2, 0)):
            v = e.chain_view(t, sel, sample)
            assert v.slope_symbol == act.slope_symbol
            assert v.boxes is not None and v.boxes.slope.formula == act.slope_formula
            layer = sel.layer if sel.kind == "neuron" else sel.layer + 1
            assert v.boxes.slope.symbol == act.slope_symbol
            assert v.boxes.slope.value.value == float(t.slope[layer - 1][sample][sel.j])
            assert act.slope_symbol in v.boxes.delta_formula or v.boxes.struck
        forward = e.forward_view(t, 1, 0, sample)
        assert forward.act == act.symbol


def _pygame() -> None:
    pygame.init()
    if pygame.display.get_surface() is None:
        pygame.display.set_mode((1, 1))


@pytest.mark.parametrize("name", NAMES)
def test_every_panel_draws_it_and_the_tooltip_names_its_slope(name: str) -> None:
    _pygame()
    act = ACTIVATIONS[name]
    sim = Simulation(Setup(hidden_activation=name))
    sim.submit(c.Select(Selection.neuron(1, 0)))
    sim.submit(c.SetSample(1))
    sim.update(1 / 120)
    snap = sim.snapshot()
    theme = make_theme("dark", (1920, 1080))
    screen = pygame.Surface((1920, 1080))
    for panel, rect in ((NetworkView(), pygame.Rect(24, 80, 1120, 672)),
                        (ChainRulePanel(), pygame.Rect(1160, 80, 740, 560)),
                        (TablesPanel(), pygame.Rect(1160, 650, 740, 400))):
        panel.layout(rect, ViewContext(theme))
        panel.refresh(snap)
        panel.draw(screen, snap)
    view = NetworkView()
    view.layout(pygame.Rect(24, 80, 1120, 672), ViewContext(theme))
    view.refresh(snap)
    view.draw(screen, snap)
    _, lines = view.tooltip(snap, Selection.neuron(1, 0))
    assert any(line.startswith(act.slope_symbol) for line in lines)


def test_the_sandbox_offers_every_activation_by_its_label() -> None:
    app = make_app("sandbox", "--resolution", "1280x720")
    try:
        frames(app, 2)
        scene = app.top
        menu = scene.components["params"].widgets["hidden_activation"]
        offered = [item[0] if isinstance(item, tuple) else item for item in menu.options_list]
        assert offered == [ACTIVATIONS[n].label for n in NAMES]
        scene.sim.submit(c.ChangeSetup((("hidden_activation", "elu"),)))
        frames(app, 3)
        assert scene.sim.setup.hidden_activation == "elu"
    finally:
        app.shutdown()
