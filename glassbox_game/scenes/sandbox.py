"""The sandbox: every control unlocked, every panel shown; save and open level files, type custom data."""

from __future__ import annotations

import functools
from pathlib import Path

import pygame

from glassbox_game.engine.setup import Setup
from glassbox_game.kit.component import Component
from glassbox_game.kit.layout import sandbox_layout
from glassbox_game.kit.theme import Theme
from glassbox_game.levels.scenarios import DEFAULT_SCENARIO, SCENARIOS, scenario
from glassbox_game.render.chain_rule_panel import ChainRulePanel
from glassbox_game.render.insight_panel import InsightPanel
from glassbox_game.render.loss_chart import LossChartPanel
from glassbox_game.render.network_view import NetworkView
from glassbox_game.render.tables_panel import TablesPanel
from glassbox_game.scenes.base import Host
from glassbox_game.scenes.overlays import _MenuOverlay
from glassbox_game.scenes.sim_scene import SimScene
from glassbox_game.sim import commands as c
from glassbox_game.ui.menu import MenuItem
from glassbox_game.ui.params_panel import ParamsPanel
from glassbox_game.ui.topbar import TopBar


class SandboxScene(SimScene):
    name = "sandbox"
    mode_label = "Sandbox"

    def __init__(self, app: Host, setup: Setup | None = None) -> None:
        # no set-up given: open on a run that teaches (XOR that learns), not one that stalls
        super().__init__(app, setup or scenario(DEFAULT_SCENARIO).setup())

    def build_components(self) -> dict[str, Component]:
        return {
            "network": NetworkView(editable=True),
            "chain": ChainRulePanel(),
            "tables": TablesPanel(),
            "chart": LossChartPanel(),
            "insight": InsightPanel(),
            "params": ParamsPanel(on_open=self.open_dialog, on_save=self.save_dialog, on_data=self.data_editor,
                                  on_scenarios=self.scenario_picker),
            "topbar": TopBar(self.mode_label),
        }

    def rects(self, size: tuple[int, int], theme: Theme) -> dict[str, pygame.Rect]:
        return sandbox_layout(size, theme)

    def handle_key(self, event: pygame.event.Event) -> bool:
        ctrl = bool(event.mod & pygame.KMOD_CTRL)
        if event.key == pygame.K_l and not ctrl:
            self.app.show("lecture", None, setup=self.sim.setup)
            return True
        if ctrl and event.key == pygame.K_s:
            self.save_dialog()
            return True
        if ctrl and event.key == pygame.K_o:
            self.open_dialog()
            return True
        if event.key == pygame.K_t and not ctrl:
            self.data_editor()
            return True
        if event.key == pygame.K_c and not ctrl:
            self.scenario_picker()
            return True
        return super().handle_key(event)

    # -- scenarios -------------------------------------------------------------------------------
    def scenario_picker(self) -> None:
        """The Scenarios… menu: one click loads a set-up, a notice says what to watch."""
        self.sim.submit(c.Pause())
        self.app.push(ScenarioScene(self.app, self.load_scenario))

    def load_scenario(self, key: str) -> None:
        s = scenario(key)
        self.sim.submit(c.LoadSetup(s.setup()))
        self.app.notify(f"{s.title}: {s.watch}", 10.0)

    # -- save as level -----------------------------------------------------------------------------
    def save_dialog(self) -> None:
        """The Save… dialog: my-level.toml in the last folder used, else in ~/glassbox-levels (made on saving)."""
        from glassbox_game.levels.saving import DEFAULT_NAME, default_save_path

        self.sim.submit(c.Pause())
        last = self.app.last_level_folder
        initial = last / DEFAULT_NAME if last is not None and last.is_dir() else default_save_path()
        self.app.show("file_dialog", "save", initial, self._save_picked)

    def _save_picked(self, path: Path) -> None:
        from glassbox_game.levels.saving import is_shipped, with_suffix

        path = with_suffix(path)
        if path.exists() and not is_shipped(path) and not path.is_dir():
            self.app.show("confirm", f"Replace {path.name}?", "A file with this name exists; saving replaces it.",
                          on_yes=lambda: self._save_quietly(path), name="confirm-overwrite")
            return
        self.save_to(path)

    def _save_quietly(self, path: Path) -> None:
        self.save_to(path)  # the notice reports the outcome

    def save_to(self, path: Path) -> bool:
        """Write the current setup (its starting point) to ``path``; a notice says what happened."""
        from glassbox_game.levels.saving import SaveRefused, save_setup

        try:
            written = save_setup(self.sim.setup, path)
        except SaveRefused as exc:
            self.app.notify(exc.message, 6.0)
            return False
        self.app.notify(f"Saved {written}", 4.0)
        return True

    # -- open ------------------------------------------------------------------------------------
    def open_dialog(self) -> None:
        """The Open… dialog, in the last folder used, else the user's levels folder, else the shipped levels."""
        from glassbox_game.levels.saving import start_folder

        self.sim.submit(c.Pause())
        self.app.show("file_dialog", "open", start_folder(self.app.last_level_folder), self._open_quietly)

    def _open_quietly(self, path: Path) -> None:
        self.open_from(path)

    def open_from(self, path: Path) -> bool:
        """Load any level file's setup into the sandbox; a bad file leaves everything as it was."""
        from glassbox_game.levels import LevelError
        from glassbox_game.levels.saving import open_setup

        try:
            setup = open_setup(path)
        except LevelError as exc:
            self.app.notify(exc.message, 8.0)
            return False
        self.sim.submit(c.LoadSetup(setup))
        self.app.notify(f"Opened {path.name}", 3.0)
        return True

    # -- custom data -------------------------------------------------------------------------------
    def data_editor(self) -> None:
        """Data… (T): a generated set opens the data-set dialog, anything else the truth-table editor."""
        from glassbox_game.levels.truth_table import cells_from_setup

        self.sim.submit(c.Pause())
        setup = self.sim.setup
        if setup.generator is not None:
            self.app.show("data_set", setup, self.set_data_set)
            return
        cells = cells_from_setup(setup)
        note = ""
        if cells is None:
            cells = cells_from_setup(Setup(problem="xor"))
            assert cells is not None
            note = (f"This data has {setup.layers[0]} inputs and {setup.layers[-1]} outputs; the editor makes "
                    "2-input, 1-target data, so it starts from XOR.")
        self.app.show("truth_table", cells, setup.output_activation, self.set_custom_data, note)

    def set_data_set(self, changes: tuple[tuple[str, object], ...], notice: str | None) -> None:
        """The data-set dialog's form, applied as the Problem menu applies a data set."""
        self.sim.submit(c.ChangeSetup(changes))
        if notice:
            self.app.notify(notice, 6.0)

    def set_custom_data(self, inputs: tuple[tuple[float, ...], ...], targets: tuple[tuple[float, ...], ...]) -> None:
        from glassbox_game.levels.truth_table import custom_data_changes

        self.sim.submit(c.ChangeSetup(custom_data_changes(self.sim.setup, inputs, targets)))

    # -- scripts ---------------------------------------------------------------------------------
    def script_command(self, words: list[str]) -> bool:
        """Adds ``save PATH``, ``open PATH`` and ``data "x1 x2 y; …"`` to the shared verbs."""
        verb, args = words[0], words[1:]
        if verb in ("save", "open") and args:
            path = Path(" ".join(args)).expanduser()
            if verb == "save":
                self.save_to(path)  # a script means it: no overwrite question
            else:
                self.open_from(path)
            return True
        if verb == "scenario" and args:
            try:
                self.load_scenario(args[0])
            except KeyError as exc:
                self.app.notify(f"Script: {exc.args[0]}", 6.0)
            return True
        if verb == "scenarios" and not args:
            self.scenario_picker()
            return True
        if verb == "data" and args:
            from glassbox_game.levels.truth_table import TableError, check_table, parse_table_text

            try:
                inputs, targets = check_table(parse_table_text(" ".join(args)), self.sim.setup.output_activation)
            except TableError as exc:
                self.app.notify(f"Script data: {exc.message} The data is unchanged.", 6.0)
                return True
            self.set_custom_data(inputs, targets)
            return True
        return super().script_command(words)


class ScenarioScene(_MenuOverlay):
    """Pick a scenario (AND, XOR, vanishing gradient, dying ReLU, cross-entropy, deep sigmoid).

    The focused one's "what to watch" line shows under the list; Esc closes without a change.
    """

    name = "scenarios"
    title = "Scenarios"
    subtitle = "One click loads the set-up; the line below says what to watch."

    def __init__(self, app, on_pick) -> None:
        self._on_pick = on_pick
        super().__init__(app)

    def items(self) -> list[MenuItem]:
        return [MenuItem(s.title, functools.partial(self._pick, s.key), key=s.key) for s in SCENARIOS]

    def layout(self, size: tuple[int, int]) -> None:
        super().layout(size)
        # room under the list for the focused scenario's line, wrapped to the card
        extra = 3 * self.theme.text_px("caption") + self.theme.px(16)
        self.card.h = min(size[1] - self.theme.px(24), self.card.h + extra)
        self.card.centery = size[1] // 2
        area = pygame.Rect(self.card.x, self.card.y + self.theme.px(110), self.card.w,
                           self.card.h - self.theme.px(140) - extra)
        self.menu.layout(area, self.theme, width=self.card.w - self.theme.px(96))

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        from glassbox_game.kit import mathtext as mt

        t = self.theme
        k = self.menu.focus
        if not (0 <= k < len(SCENARIOS)) or not self.menu.rects:
            return
        width = self.card.w - t.px(96)
        y = self.menu.rects[-1].bottom + t.px(16)
        for line in mt.wrap(t, mt.words(SCENARIOS[k].watch, "muted"), width):
            w, h = mt.measure(t, line)
            mt.draw(surface, t, line, (self.card.centerx - w // 2, y))
            y += h

    def _pick(self, key: str) -> None:
        self.app.pop()
        self._on_pick(key)
