"""Lecture mode: the training screen in the lecture theme, driven by a presenter remote.

Keys (also in the help card): Page Down / → / Space = next (the next phase, or the next beat of a
lecture script), Page Up / ← = back, B or . = black screen, W = white screen (any key returns),
F5 = start or resume fullscreen, V = presenter view (a second window), Enter = play / pause, M = slow motion, P = spotlight → laser dot →
off, Z = zoom on the panel under the pointer or the selection, T / I = tables / insight panel.
Esc opens the pause menu as everywhere; quitting from there asks first.

With a script, each beat's state is *defined* by replaying the script from the last beat that
loaded a setup: going back rebuilds that state exactly, and pressing Next while a beat is still
animating first settles it at its end state, so a beat looks the same however it was reached.
"""

from __future__ import annotations

from dataclasses import replace

import pygame

from glassbox_game.engine.names import connection_key, neuron_key, neuron_name
from glassbox_game.engine.setup import Setup
from glassbox_game.kit.component import Component, ViewContext
from glassbox_game.kit.layout import lecture_layout
from glassbox_game.kit.theme import LECTURE_TYPE, SANDBOX_TYPE, Theme
from glassbox_game.lecture_script import (
    INSIGHT_TABS,
    PANELS,
    TABLE_TABS,
    Beat,
    LectureScript,
    LectureScriptError,
    load_lecture_script,
)
from glassbox_game.render.chain_rule_panel import ChainRulePanel
from glassbox_game.render.insight_panel import InsightPanel
from glassbox_game.render.loss_chart import LossChartPanel
from glassbox_game.render.network_view import NetworkView
from glassbox_game.render.tables_panel import TablesPanel
from glassbox_game.render.zoom import Zoom
from glassbox_game.scenes.base import Host
from glassbox_game.scenes.presenter import TOGGLE_KEY as PRESENTER_KEY
from glassbox_game.scenes.presenter import toggle_presenter
from glassbox_game.scenes.sim_scene import SimScene
from glassbox_game.sim import commands as c
from glassbox_game.sim.display import DisplayedStep
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import SLOW_MOTION, Simulation
from glassbox_game.sim.snapshot import PHASES
from glassbox_game.ui.caption_bar import CaptionBar, bar_height
from glassbox_game.ui.spotlight import Spotlight
from glassbox_game.ui.topbar import TopBar

SYNC_DT = 1.0 / 120.0
SYNC_LIMIT = 100_000  # fixed steps a rebuild may take (RunToEpoch trains 5,000 epochs a step)
NEXT_KEYS = (pygame.K_PAGEDOWN, pygame.K_RIGHT, pygame.K_SPACE)
BACK_KEYS = (pygame.K_PAGEUP, pygame.K_LEFT)
BLANK_KEYS = {pygame.K_b: (0, 0, 0), pygame.K_PERIOD: (0, 0, 0), pygame.K_w: (255, 255, 255)}
PANEL_KEYS = {pygame.K_t: "tables", pygame.K_i: "insight"}
ZOOMABLE = ("network", "chain", "chart", "tables", "insight")
PANEL_LABELS = {"network": "network", "chain": "chain rule", "chart": "loss chart", "tables": "tables",
                "insight": "insight"}


class LectureScene(SimScene):
    """``script_path`` names a lecture script (None: free lecture mode on ``setup``)."""

    name = "lecture"
    mode_label = "Lecture"
    theme_family = "lecture"

    def __init__(self, app: Host, script_path: str | None = None, setup: Setup | None = None) -> None:
        self.script: LectureScript | None = None
        if script_path is not None:
            try:
                self.script = load_lecture_script(script_path)
            except LectureScriptError as exc:
                app.notify(exc.message, 8.0)
        first = self.script.beats[0].setup if self.script else None
        super().__init__(app, first or setup or Setup())
        self.beat_index = 0
        self.sub = 0  # phase steps taken inside the current beat
        self.target: int | None = None  # epoch a playing beat animates towards
        self.show: frozenset[str] = frozenset()
        self.tabs: dict[str, str] = {}  # the tab a script chose for "tables" and "insight"
        self.spotlight = Spotlight()
        self.zoom = Zoom()
        self.caption = CaptionBar()
        self.pointer: tuple[int, int] | None = None
        self.slow_from: int | None = None  # speed to return to when slow motion ends
        self._rects: dict[str, pygame.Rect] = {}
        self._shown: set[str] = set()
        if self.script is not None:
            self.mode_label = f"Lecture · {self.script.title}"
            self._rebuild(0, 0)

    # -- building -------------------------------------------------------------------------------
    def build_components(self) -> dict[str, Component]:
        return {
            "network": NetworkView(),
            "chain": ChainRulePanel(),
            "tables": TablesPanel(),
            "chart": LossChartPanel(),
            "insight": InsightPanel(),
            "topbar": TopBar(self.mode_label),
        }

    def lecture_theme(self) -> Theme:
        """The user's lecture theme, always with lecture type sizes (high-contrast is offered too).

        Lecture type is already 175 % of the sandbox's, so the text-size setting is measured against
        the sandbox: 200 % gives every role at least twice its sandbox size (35 px captions, 60 px key
        numbers), not twice the lecture size, which would no longer fit a 1080p projector.
        """
        theme = self.app.theme(self.theme_family)
        ratio = max(getattr(SANDBOX_TYPE, r) / getattr(LECTURE_TYPE, r) for r in ("key", "name", "caption", "title"))
        return replace(theme, lecture=True, text_scale=max(1.0, theme.text_scale * ratio))

    def rects(self, size: tuple[int, int], theme: Theme) -> dict[str, pygame.Rect]:
        caption_h = 0
        if self.script is not None:
            m = theme.px(24)
            pairs = [(b.title, b.caption) for b in self.script.beats]
            caption_h = bar_height(theme, size[0] - 2 * m, pairs, size[1] // 3)
        return lecture_layout(size, theme, self.show, caption_h)

    def layout(self, size: tuple[int, int]) -> None:
        self.size = size
        self.theme = self.lecture_theme()
        if not self.components:
            self.components = self.build_components()
            for name, tab in self.tabs.items():
                self.components[name].select_tab(tab)  # type: ignore[attr-defined]
        self.manager = self.make_manager(size, self.theme)
        ctx = ViewContext(self.theme, self.manager, self.show)
        self._rects = self.rects(size, self.theme)
        for name, comp in self.components.items():
            if name in self._rects:
                comp.layout(self._rects[name], ctx)
        self._shown = {name for name in self.components if name in self._rects}
        self.caption.layout(self._rects.get("caption", pygame.Rect(0, 0, 0, 0)), self.theme)
        self.zoom.close()

    def _relayout(self) -> None:
        if self.size != (0, 0):
            self.layout(self.size)

    # -- the script -----------------------------------------------------------------------------
    @property
    def beat(self) -> Beat | None:
        return self.script.beats[self.beat_index] if self.script else None

    def next(self) -> None:
        """Page Down: the next phase step of this beat, the next beat, or (no script) the next phase."""
        beat = self.beat
        if self.script is None or beat is None:
            self._step_phase()
            return
        self.settle()
        if self.sub < beat.phase_steps:
            self.sub += 1
            self._step_phase()
        elif self.beat_index + 1 < len(self.script.beats):
            self.beat_index += 1
            self.sub = 0
            self._enter_beat(self.script.beats[self.beat_index])
        else:
            self.app.notify("That was the last beat. Page Up goes back.", 3.0)

    def _step_phase(self) -> None:
        """One phase on; a press that leaves a finished update for the next step says so on screen."""
        sim = self.sim
        if sim.begun and sim.phase == len(PHASES) - 1:
            self.app.notify(f"Step {sim.current.step + 1} begins: the forward pass with the updated weights.", 3.0)
        sim.submit(c.StepPhase())

    def back(self) -> None:
        """Page Up: undo one press of Next (rebuilt from the script), or (no script) step back."""
        if self.script is None:
            self.sim.submit(c.StepBack())
            return
        if self.sub > 0:
            self._rebuild(self.beat_index, self.sub - 1)
        elif self.beat_index > 0:
            prev = self.beat_index - 1
            self._rebuild(prev, self.script.beats[prev].phase_steps)
        else:
            self.app.notify("This is the first beat.", 3.0)

    def go_to(self, index: int) -> None:
        """Jump straight to the start of beat ``index`` (0-based)."""
        if self.script is not None:
            self._rebuild(max(0, min(len(self.script.beats) - 1, index)), 0)

    def go_to_end(self, index: int) -> None:
        """Jump to the end of beat ``index``: every phase step taken (a slide's final state)."""
        if self.script is not None:
            index = max(0, min(len(self.script.beats) - 1, index))
            self._rebuild(index, self.script.beats[index].phase_steps)

    def _enter_beat(self, beat: Beat) -> None:
        """Arrive at ``beat`` going forwards: its animation (if any) plays live."""
        if beat.setup is not None:
            self._new_sim(beat.setup)
        self._apply_view(beat)
        self._apply_sim(beat, live=True)

    def _rebuild(self, index: int, sub: int) -> None:
        """The exact state after ``sub`` phase steps in beat ``index``, replayed from the script."""
        assert self.script is not None
        beats = self.script.beats
        base = max(k for k in range(index + 1) if beats[k].setup is not None)
        setup = beats[base].setup
        assert setup is not None
        self.beat_index, self.sub, self.target = index, 0, None
        self.show = frozenset()
        self.tabs = {}
        speed = self.sim.speed_index
        self._new_sim(setup, relayout=False)
        self.sim.speed_index = speed
        for k in range(index + 1):
            self._apply_view(beats[k], relayout=False)
            if k >= base:
                self._apply_sim(beats[k], live=False)
                # a beat left behind was stepped through all its phases before Next moved on
                for _ in range(sub if k == index else beats[k].phase_steps):
                    self.sim.submit(c.StepPhase())
                self._sync()
        self.sub = sub
        self._relayout()
        if self._shown:
            self.frame(0.0)

    def _new_sim(self, setup: Setup, relayout: bool = True) -> None:
        speed = self.sim.speed_index
        self.sim = Simulation(setup)
        self.sim.speed_index = speed
        self.display = DisplayedStep()  # a new run: nothing of the old one's steps stays on show
        self.target = None
        # fresh components: their caches are keyed on the old simulation's setup versions
        self.components = {}
        if relayout:
            self._relayout()

    def _apply_view(self, beat: Beat, relayout: bool = True) -> None:
        for name, tab in (("tables", beat.tab), ("insight", beat.insight)):
            if tab is not None:
                self.tabs[name] = tab
                if name in self.components:
                    self.components[name].select_tab(tab)  # type: ignore[attr-defined]
        show = (set(self.show) | set(beat.show)) - set(beat.hide)
        if frozenset(show) != self.show:
            self.show = frozenset(show)
            if relayout:
                self._relayout()

    def _apply_sim(self, beat: Beat, live: bool) -> None:
        submit = self.sim.submit
        if beat.changes:
            submit(c.ChangeSetup(beat.changes))
        if beat.speed is not None:
            submit(c.SetSpeed(beat.speed))
        if beat.select is not None or beat.clear_selection:
            submit(c.Select(beat.select))
        if beat.sample is not None or beat.batch_view:
            submit(c.SetSample(beat.sample))
        if beat.run_to_epoch is not None:
            if live and beat.play:
                submit(c.Play())
                self.target = beat.run_to_epoch
            else:
                submit(c.RunToEpoch(beat.run_to_epoch))

    def settle(self) -> None:
        """Finish a beat that is still animating, at exactly the state a rebuild gives."""
        if self.target is None:
            return
        target, self.target = self.target, None
        self.sim.submit(c.Pause())
        self.sim.submit(c.RunToEpoch(target))
        self._sync()
        if self.sim.begun:
            self.sim.submit(c.StepEpoch())  # finish the update phase the animation was in
            self._sync()

    def _sync(self) -> None:
        """Apply queued commands and any run-to-epoch now (a rebuild happens between two frames)."""
        for _ in range(SYNC_LIMIT):
            self.sim.update(SYNC_DT)
            if not self.sim.commands and self.sim.run_to is None:
                return

    # -- time -----------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        sim = self.sim
        if self.target is not None and sim.playing and not sim.animated \
                and sim.trainer.epoch + sim.speed * dt + 2 >= self.target:
            sim.submit(c.RunToEpoch(self.target))  # land on the target exactly, never past it
        super().update(dt)
        if self.target is not None and (sim.trainer.epoch >= self.target or sim.trainer.halt is not None):
            self.target = None
            sim.submit(c.Pause())
            if sim.begun:
                sim.submit(c.StepEpoch())

    def frame(self, frame_dt: float) -> None:
        super().frame(frame_dt)
        self.zoom.refresh(self.snap)

    # -- input ----------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.pointer = tuple(event.pos)  # type: ignore[assignment]
        if self.app.black_screen is not None:
            if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
                self.app.black_screen = None
                if event.type == pygame.KEYDOWN and event.key == pygame.K_F5:
                    self.start_fullscreen()
                return True
            return event.type != pygame.QUIT
        if event.type == pygame.KEYDOWN and self._lecture_key(event):
            return True
        return super().handle_event(event)

    def _lecture_key(self, event: pygame.event.Event) -> bool:
        """Remote keys come before the widgets: a remote's Page Down must never move a slider."""
        k, mod = event.key, event.mod
        shift, ctrl = bool(mod & pygame.KMOD_SHIFT), bool(mod & pygame.KMOD_CTRL)
        if k == pygame.K_ESCAPE and self.zoom.active:
            self.zoom.close()
        elif k in NEXT_KEYS and not shift and not ctrl:
            self.next()
        elif k in BACK_KEYS and not shift and not ctrl:
            self.back()
        elif k in BLANK_KEYS and not ctrl:
            self.app.black_screen = BLANK_KEYS[k]
        elif k == pygame.K_F5:
            self.start_fullscreen()
        elif k == PRESENTER_KEY and not ctrl:
            toggle_presenter(self.app)
        elif k in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.sim.submit(c.TogglePlay())
        elif k == pygame.K_m:
            self.toggle_slow_motion()
        elif k == pygame.K_p:
            mode = self.spotlight.cycle()
            if mode == "spotlight" and self.pointer is None:
                self.pointer = (self.size[0] // 2, self.size[1] // 2)
        elif k == pygame.K_z:
            self.toggle_zoom()
        elif k in PANEL_KEYS:
            self.toggle_panel(PANEL_KEYS[k])
        else:
            return False
        return True

    def start_fullscreen(self) -> None:
        """F5, as in slide software: go fullscreen (staying there if already), on the chosen display."""
        if not self.app.fullscreen:
            self.app.toggle_fullscreen()

    def toggle_slow_motion(self) -> None:
        if self.slow_from is None or self.sim.speed_index != SLOW_MOTION:
            self.slow_from = self.sim.speed_index
            self.sim.submit(c.SetSpeed(SLOW_MOTION))
            self.app.notify("Slow motion: one pass takes ten seconds (M again to leave).", 3.0)
        else:
            self.sim.submit(c.SetSpeed(self.slow_from))
            self.slow_from = None

    def toggle_panel(self, name: str, on: bool | None = None) -> None:
        if name not in PANELS:
            raise ValueError(f"unknown panel {name!r}; choose one of {', '.join(PANELS)}")
        want = (name not in self.show) if on is None else on
        self.show = self.show | {name} if want else self.show - {name}
        self._relayout()

    def toggle_zoom(self) -> None:
        if self.zoom.active:
            self.zoom.close()
            return
        assert self.theme is not None
        area = pygame.Rect(0, 0, *self.size)
        area.top = self._rects["topbar"].bottom
        area.height = self._rects.get("caption", pygame.Rect(0, self.size[1], 0, 0)).top - area.top
        under = None
        if self.pointer is not None:
            under = next((n for n in ZOOMABLE if n in self._shown and self._rects[n].collidepoint(self.pointer)),
                         None)
        sel = self.snap.selection
        if under in (None, "network") and sel is not None:
            point, label = self._selection_point(sel)
            if point is not None:
                self.zoom.open_point(self.components["network"], point, area, self.theme, label)
                return
        name = under or "network"
        self.zoom.open_panel(self.components[name], area, self.theme, PANEL_LABELS[name])

    def _selection_point(self, sel: Selection) -> tuple[tuple[int, int] | None, str]:
        layers = self.sim.setup.layers
        targets = self.components["network"].targets()
        if sel.kind == "neuron":
            rect = targets.get(f"neuron:{neuron_key(layers, sel.layer, sel.j)}")
            return (rect.center if rect else None), neuron_name(layers, sel.layer, sel.j)
        a, b = neuron_name(layers, sel.layer, sel.i), neuron_name(layers, sel.layer + 1, sel.j)
        rect = targets.get(f"edge:{connection_key(layers, sel.layer, sel.j, sel.i)}")
        return (rect.center if rect else None), f"w {a} → {b}"

    # -- scripts --------------------------------------------------------------------------------
    def script_command(self, words: list[str]) -> bool:
        """Adds next, back, beat N, panel show|hide|toggle NAME, spotlight on|laser|off, zoom, blank."""
        verb, args = words[0], words[1:]
        if verb == "next":
            self.next()
        elif verb == "back":
            self.back()
        elif verb == "beat" and args and args[0].isdigit():
            self.go_to(int(args[0]) - 1)
        elif verb == "panel" and args:
            action, name = (args[0], args[1]) if len(args) >= 2 else ("toggle", args[0])
            if name not in PANELS or action not in ("show", "hide", "toggle"):
                self.app.notify(f"Script: panel takes show/hide/toggle and one of {', '.join(PANELS)}.", 4.0)
                return True
            self.toggle_panel(name, None if action == "toggle" else action == "show")
        elif verb == "spotlight":
            mode = {"on": "spotlight", "spotlight": "spotlight", "laser": "laser", "off": "off"}.get(
                args[0] if args else "on", "off")
            self.spotlight.set(mode)
        elif verb == "zoom":
            if (args[:1] == ["off"]) == self.zoom.active:
                self.toggle_zoom()
        elif verb == "blank":
            colour = {"black": (0, 0, 0), "white": (255, 255, 255)}.get(args[0] if args else "black")
            self.app.black_screen = colour
        elif verb in ("tab", "insight") and args and args[0] in (TABLE_TABS if verb == "tab" else INSIGHT_TABS):
            name = "tables" if verb == "tab" else "insight"
            self.tabs[name] = args[0]
            self.components[name].select_tab(args[0])  # type: ignore[attr-defined]
        else:
            return super().script_command(words)
        return True

    def targets(self) -> dict[str, pygame.Rect]:
        out = super().targets()
        for name in ("network", "chain", "chart", "tables", "insight", "caption"):
            if name in self._rects and (name == "caption" or name in self._shown):
                out[f"panel:{name}"] = pygame.Rect(self._rects[name])
        return out

    # -- drawing --------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        if self.app.black_screen is not None:
            surface.fill(self.app.black_screen)
            return
        super().draw(surface)
        beat = self.beat
        if beat is not None and self.script is not None:
            self.caption.draw(surface, beat.title, beat.caption, beat.number, len(self.script.beats))
        self.zoom.draw(surface, self.snap)
        if self.spotlight.active:
            assert self.theme is not None
            self.spotlight.draw(surface, self.pointer or (self.size[0] // 2, self.size[1] // 2), self.theme)
