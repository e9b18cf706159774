"""A scene that owns a Simulation and a set of components (sandbox, level play, lecture).

Input reaches, in order: the pygame_gui manager (widgets), the components (clicks on the network,
tables, charts → commands), then the keyboard shortcuts shared by every mode.
"""

from __future__ import annotations

import pygame
import pygame_gui

from glassbox_game.engine.names import parse_connection, parse_neuron
from glassbox_game.engine.setup import Setup
from glassbox_game.kit import text_log
from glassbox_game.kit.component import Component, ViewContext
from glassbox_game.kit.fonts import FONT_FILES
from glassbox_game.kit.theme import Theme
from glassbox_game.scenes.base import Host, Scene
from glassbox_game.scenes.keys import binding_for
from glassbox_game.sim import commands as c
from glassbox_game.sim.display import DisplayedStep
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import PHASE_STEP_SECONDS, SPEEDS, Simulation
from glassbox_game.sim.snapshot import Snapshot

TAB_KEYS = {pygame.K_1: "loss", pygame.K_2: "a", pygame.K_3: "delta", pygame.K_4: "w"}


def parse_selection(words: list[str], layers: tuple[int, ...]) -> Selection | None:
    """``edge h1->y`` or ``neuron h2`` (or ``none``) → a Selection that exists in ``layers``."""
    try:
        if len(words) >= 2 and words[0] == "edge":
            l, j, i = parse_connection(layers, words[1].lower())
            return Selection.edge(l, j, i)
        if len(words) >= 2 and words[0] == "neuron":
            layer, j = parse_neuron(layers, words[1].lower())
            return Selection.neuron(layer, j) if layer >= 1 else None
    except ValueError:
        return None
    return None


class SimScene(Scene):
    """Base for the scenes that show a training run."""

    name = "sim"
    mode_label = "Sandbox"

    def __init__(self, app: Host, setup: Setup) -> None:
        super().__init__(app)
        if app.seed is not None and setup.weights is None:
            from dataclasses import replace

            setup = replace(setup, seed=int(app.seed))
        # an interactive window trains at turbo speed on the second core; headless runs stay reproducible
        self.sim = Simulation(setup, use_worker=not app.headless)
        self.sim.speed_index = app.settings.speed_index
        self.display = DisplayedStep()
        self.components: dict[str, Component] = {}
        self.manager: pygame_gui.UIManager | None = None
        self.live: Snapshot = self.sim.snapshot()  # the simulation as it is (goals judge this)
        self.snap: Snapshot = self.live  # the step every panel of this frame draws (see sim/display.py)
        self.theme: Theme | None = None
        self.size = (0, 0)
        self.panels: frozenset[str] = frozenset()
        self.quiz = False  # a level waiting for typed answers hides the numbers that are the answers
        self.ctx: ViewContext | None = None
        self._quiet_frames = 0
        self._gui_dt = 0.0

    # -- building -----------------------------------------------------------------------------
    def build_components(self) -> dict[str, Component]:
        raise NotImplementedError

    def rects(self, size: tuple[int, int], theme: Theme) -> dict[str, pygame.Rect]:
        raise NotImplementedError

    def make_manager(self, size: tuple[int, int], theme: Theme) -> pygame_gui.UIManager:
        manager = pygame_gui.UIManager(size, theme.gui_theme(), enable_live_theme_updates=False)
        # the theme dictionary names the bundled DejaVu files, so pygame_gui loads them itself
        manager.add_font_paths("dejavu", str(FONT_FILES[(False, False)]), str(FONT_FILES[(True, False)]))
        return manager

    def layout(self, size: tuple[int, int]) -> None:
        self.size = size
        self.theme = self.app.theme(self.theme_family)
        if not self.components:
            self.components = self.build_components()
        self.manager = self.make_manager(size, self.theme)
        ctx = self.ctx = ViewContext(self.theme, self.manager, self.panels, self.quiz)
        rects = self.rects(size, self.theme)
        for name, comp in self.components.items():
            if name in rects:
                comp.layout(rects[name], ctx)
        self._shown = {name for name in self.components if name in rects}

    @property
    def visible_panels(self) -> frozenset[str]:
        """The names of the panels this layout puts on screen."""
        return frozenset(self._shown)

    # -- input -----------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        self._quiet_frames = 0
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and self._close_drop_downs():
            return True  # Esc closes an open drop-down first (the pause menu needs a second press)
        if self.manager is not None and self.manager.process_events(event):
            self._flush_notices()
            return True
        used = False
        for name, comp in self.components.items():
            if name not in self._shown:
                continue
            cmds = comp.handle_event(event, self.snap)
            if cmds:
                for cmd in cmds:
                    self.sim.submit(cmd)
                used = True
                break
        self._flush_notices()
        if used:
            return True
        if event.type == pygame.KEYDOWN:
            return self.handle_key(event)
        return False

    def _close_drop_downs(self) -> bool:
        """Close any open drop-down; True if one was open."""
        if self.manager is None:
            return False
        closed = False
        for el in self.manager.get_sprite_group().sprites():
            if isinstance(el, pygame_gui.elements.UIDropDownMenu) and el.current_state is el.menu_states["expanded"]:
                state = el.menu_states["expanded"]
                state.should_transition, state.target_state = True, "closed"
                el.update(0.0)
                closed = True
        return closed

    def _flush_notices(self) -> None:
        for comp in self.components.values():
            notices = getattr(comp, "notices", None)
            if notices:
                for text in notices:
                    self.app.notify(text, 4.0)
                notices.clear()

    def handle_key(self, event: pygame.event.Event) -> bool:
        """The keys every training screen shares (see the help overlay)."""
        k, shift = event.key, bool(event.mod & pygame.KMOD_SHIFT)
        bound = binding_for(event)
        if bound is not None:  # the shared keys: one table, scenes/keys.py
            if self.control_allowed(bound.control):
                self.sim.submit(bound.command(shift))
            else:
                self.app.notify("This level does not use that control.", 2.0)
        elif k in (pygame.K_LEFTBRACKET, pygame.K_RIGHTBRACKET) and self._weights_allowed():
            self._nudge(-1 if k == pygame.K_LEFTBRACKET else 1, 0.01 if shift else 0.1)
        elif k in TAB_KEYS and "tables" in self.components:
            tab = getattr(self.components["tables"], "select_tab", None)
            if tab is not None:
                tab(TAB_KEYS[k])
        else:
            return False
        return True

    def _weights_allowed(self) -> bool:
        """May the player set weights by hand here? (The sandbox and lecture: yes; levels decide.)"""
        return True

    def control_allowed(self, control: str | None) -> bool:
        """May a key bound to ``control`` be used here? (The sandbox and lecture: all; levels decide.)"""
        return True

    def _nudge(self, sign: int, step: float) -> None:
        """[ and ] change the selected weight or bias by ±0.1 (±0.01 with Shift); training pauses."""
        sel = self.snap.selection
        if sel is None:
            self.app.notify("Select a connection or a neuron first ([ and ] change its weight or bias).", 3.0)
            return
        if sel.kind == "edge":
            self.sim.submit(c.NudgeWeight("w", sel.layer, sel.j, sel.i, sign * step))
        elif sel.layer >= 1:
            self.sim.submit(c.NudgeWeight("b", sel.layer - 1, sel.j, 0, sign * step))

    def script_command(self, words: list[str]) -> bool:
        """Scripted verbs (docs/scripts.md): select, run-to-epoch, speed, play, set …"""
        verb, args = words[0], words[1:]
        submit = self.sim.submit
        layers = self.sim.setup.layers
        simple = {"play": c.Play(), "pause": c.Pause(), "step-phase": c.StepPhase(), "step-epoch": c.StepEpoch(),
                  "step-back": c.StepBack(), "reset": c.Reset()}
        if verb in simple:
            submit(simple[verb])
        elif verb == "select":
            sel = parse_selection(args, layers)
            if sel is None and args[:1] != ["none"]:
                self.app.notify(f"Script: no {' '.join(args)} in this network.", 4.0)
                return True
            submit(c.Select(sel))
        elif verb == "hover":
            submit(c.Hover(parse_selection(args, layers)))
        elif verb == "run-to-epoch":
            submit(c.RunToEpoch(int(args[0])))
        elif verb == "speed" and args:
            try:
                submit(c.SetSpeed(int(args[0])))
            except ValueError:
                if args[0] == "max":
                    submit(c.SetSpeed(len(SPEEDS) - 1))
        elif verb == "sample" and args:
            submit(c.SetSample(None if args[0] == "batch" else int(args[0])))
        elif verb == "set" and len(args) >= 2:
            self._script_set(args[0], args[1])
        elif verb in ("tab", "insight") and args:
            comp = self.components.get("tables" if verb == "tab" else "insight")
            if comp is not None and hasattr(comp, "select_tab"):
                comp.select_tab(args[0])
        else:
            return False
        return True

    def _script_set(self, field: str, value: str) -> None:
        from glassbox_game.script import setting_value

        try:  # scripts are checked before the run; this guards a command typed some other way
            v = setting_value(field, value)
        except ValueError as exc:
            self.app.notify(f"Script: set {field}: {exc}.", 4.0)
            return
        problem = self._script_set_problem(field, v)
        if problem:
            self.app.notify(f"Script: set {field} {value}: {problem}; nothing changed.", 5.0)
        elif field == "learning_rate":
            self.sim.submit(c.SetLearningRate(float(v)))  # type: ignore[arg-type]
        elif field == "lock_threshold":
            self.sim.submit(c.SetLockThreshold(float(v)))  # type: ignore[arg-type]
        elif field == "problem":  # a truth table: any generated data set is dropped
            self.sim.submit(c.ChangeSetup(((field, v), ("generator", None), ("features", None))))
        elif field == "data":  # a generated data set, as the Problem menu picks it
            from glassbox_game.ui.params_panel import generated_changes

            self.sim.submit(c.ChangeSetup(generated_changes(self.sim.setup, str(v))[0]))
        elif field in ("seed", "layers"):
            self.sim.submit(c.ChangeSetup(((field, v), ("weights", None), ("biases", None))))
        elif field in ("batch_size", "regularization", "regularization_rate"):
            self._script_set_training(field, v)
        else:
            self.sim.submit(c.ChangeSetup(((field, v),)))

    def _script_set_training(self, field: str, value: object) -> None:
        """Batch size and regularisation, as the parameters card reads them (the same one-line reasons)."""
        from glassbox_game.ui.params_panel import (
            REGULARIZATION_LABELS,
            parse_batch,
            parse_rate,
            regularization_changes,
        )

        setup = self.sim.setup
        if field == "batch_size":
            changes, why = parse_batch(str(value), setup.dataset().n_samples)
        elif field == "regularization":
            changes, why = regularization_changes(setup, REGULARIZATION_LABELS[str(value)]), None
        else:
            rate, why = parse_rate(str(value), setup)
            changes = None if rate is None else (("regularization_rate", rate),)
        if changes is None:
            self.app.notify(f"Script: {why} Nothing changed.", 5.0)
            return
        self.sim.submit(c.ChangeSetup(changes))

    def _script_set_problem(self, field: str, value: object) -> str | None:
        """Why a checked value still does not fit this run (the data's width, cross-entropy's output)."""
        from dataclasses import replace

        setup = self.sim.setup
        for cmd in self.sim.commands:  # as it will be once the queued changes are in
            if isinstance(cmd, c.ChangeSetup):
                setup = replace(setup, **dict(cmd.changes))  # type: ignore[arg-type]
            elif isinstance(cmd, c.LoadSetup):
                setup = cmd.setup
        if field == "layers":
            sizes = value if isinstance(value, tuple) else ()
            n_in, n_out = (2, 1) if setup.inputs is None or setup.targets is None \
                else (len(setup.inputs[0]), len(setup.targets[0]))
            if setup.features is not None:  # the inputs are the features computed from them
                n_in = len(setup.features)
            if sizes and (sizes[0], sizes[-1]) != (n_in, n_out):
                return f"the data needs {n_in} input{'s' if n_in != 1 else ''} and {n_out} output" \
                       f"{'s' if n_out != 1 else ''}"
        if field == "problem" and (setup.layers[0], setup.layers[-1]) != (2, 1):
            return "the gates need 2 inputs and 1 output"
        loss = value if field == "loss" else setup.loss
        out = value if field == "output_activation" else setup.output_activation
        if loss == "cross_entropy" and out != "sigmoid":
            return "cross_entropy needs a sigmoid output"
        return None

    # -- time ------------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        self.sim.phase_seconds = 0.0 if self.app.settings.reduced_motion else PHASE_STEP_SECONDS
        self.sim.update(dt)

    def frame(self, frame_dt: float) -> None:
        self.live = self.sim.snapshot()
        self.snap = self.display.choose(self.live)
        for name in self._shown:
            self.components[name].refresh(self.snap)
        if self.manager is not None:
            # pygame_gui checks every widget for hover each update; with no input for a second and
            # nothing focused, a third of the updates (with the time summed) look the same and cost less
            self._gui_dt += frame_dt
            self._quiet_frames += 1
            busy = self._quiet_frames < 60 or self.manager.get_focus_set() is not None
            if busy or self._quiet_frames % 3 == 0:
                self.manager.update(self._gui_dt)
                self._gui_dt = 0.0

    def pause(self) -> None:
        self.sim.submit(c.Pause())

    def exit(self) -> None:
        self.sim.close()
        if self.sim.speed_index != self.app.settings.speed_index:
            self.app.settings = type(self.app.settings)(**{**self.app.settings.__dict__,
                                                           "speed_index": self.sim.speed_index})

    # -- drawing ---------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        assert self.theme is not None
        surface.fill(self.theme.palette.bg)
        for name, comp in self.components.items():
            if name in self._shown:
                with text_log.panel(name, comp.rect):
                    comp.draw(surface, self.snap)
        if self.manager is not None:
            self.manager.draw_ui(surface)

    def targets(self) -> dict[str, pygame.Rect]:
        out: dict[str, pygame.Rect] = {}
        for name in self._shown:
            out.update(self.components[name].targets())
        return out
