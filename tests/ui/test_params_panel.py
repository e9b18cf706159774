"""Script targets for the parameter controls: the number field beside a slider takes typed text."""

from __future__ import annotations

import pytest

from glassbox_game.script import parse_script
from tests.app.helpers import frames, make_app


@pytest.mark.parametrize("target", ["param:learning_rate:number", "param:learning_rate_entry"])
def test_click_the_rate_number_then_type_sets_the_rate(target: str) -> None:
    app = make_app("sandbox", "--resolution", "1280x720")
    frames(app, 2)
    assert "param:learning_rate" in app.top.targets(), "the slider target is still there"
    for action in parse_script(f"at 0 click {target}\nat 0 key ctrl+a\nat 0 type 0.25\nat 0 key return\n"):
        app.perform(action)
        frames(app, 1)
    frames(app, 3)
    assert app.top.sim.setup.learning_rate == pytest.approx(0.25)
    app.shutdown()



def test_escape_closes_an_open_drop_down_before_pausing() -> None:
    from glassbox_game.scenes.sandbox import SandboxScene
    from tests.app.helpers import click, press

    app = make_app("sandbox", "--resolution", "1280x720")
    frames(app, 2)
    menu = app.top.components["params"].widgets["loss"]
    click(app, menu.get_abs_rect().center)
    frames(app, 2)
    assert menu.current_state is menu.menu_states["expanded"]
    press(app, "escape")
    frames(app, 2)
    assert menu.current_state is menu.menu_states["closed"]
    assert isinstance(app.top, SandboxScene), "the first Esc only closes the drop-down"
    app.shutdown()
