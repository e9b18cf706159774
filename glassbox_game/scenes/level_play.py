"""Playing one level: the sandbox's views for the panels the level shows, a goals card, the briefing
on start, hints, typed answers, retry, and the debrief with stars on a win (saved to progress).

Script verbs (besides SimScene's): ``answer NUMBER``, ``hint``, ``retry``; on the debrief ``next``,
``retry`` and ``back``; on the briefing ``start``.
"""

from __future__ import annotations

import pygame

from glassbox_game.kit.component import Component
from glassbox_game.kit.layout import bar_height
from glassbox_game.kit.theme import Theme
from glassbox_game.levels import Level, SelectConnection, shipped_levels
from glassbox_game.levels.goals_check import GoalTracker, describe
from glassbox_game.levels.progress import Progress, level_key, load_progress
from glassbox_game.render.chain_rule_panel import ChainRulePanel
from glassbox_game.render.insight_panel import InsightPanel
from glassbox_game.render.loss_chart import LossChartPanel
from glassbox_game.render.network_view import NetworkView
from glassbox_game.render.tables_panel import TablesPanel
from glassbox_game.scenes.base import Host, Scene
from glassbox_game.scenes.sim_scene import SimScene
from glassbox_game.sim import commands as c
from glassbox_game.sim.simulation import nearest_speed
from glassbox_game.ui.level_hud import LevelHud, draw_stars
from glassbox_game.ui.overlay_card import CardButton, OverlayCard
from glassbox_game.ui.params_panel import ParamsPanel
from glassbox_game.ui.topbar import TopBar

# level control name → the parameter-card controls it unlocks
PARAM_CONTROLS = {
    "learning_rate": ("learning_rate",), "activation": ("hidden_activation", "output_activation"),
    "loss": ("loss",), "mode": ("batch_size",), "init": ("init",), "seed": ("seed",), "problem": ("problem",),
    "architecture": ("layers",), "lock_threshold": ("lock_threshold",),
    "regularization": ("regularization",),
}
# level control name → top-bar buttons it unlocks (play and pause are always there)
BAR_CONTROLS = {"step": ("phase", "epoch", "back"), "reset": ("reset",), "speed": ("speed",)}
INSIGHT_TABS = {"decision_map": "map", "landscape": "slice", "gradient_bars": "bars"}


def level_layout(size: tuple[int, int], theme: Theme, shown: frozenset[str],
                 top: int | None = None) -> dict[str, pygame.Rect]:
    """The sandbox grid with the goals card at the left of the main row; absent panels give room."""
    w, h = size
    m, g = theme.px(24), theme.px(16)
    top = bar_height(theme) if top is None else top
    body_top = top + g
    body_h = h - body_top - m
    main_h = round((body_h - g) * 0.70)
    bottom_y = body_top + main_h + g
    bottom_h = h - m - bottom_y
    left_w = round((w - 2 * m - g) * 0.60)
    right_x = m + left_w + g
    right_w = w - m - right_x
    hud_w = max(theme.px(360), round(left_w * 0.34))
    right = [k for k in ("chain", "tables") if k in shown]
    below = [k for k in ("chart", "insight") if k in shown]
    left_h = main_h if below else body_h  # nothing below: the goals and the network grow down
    net_x = m + hud_w + g
    net_right = m + left_w if right else w - m
    rects = {
        "topbar": pygame.Rect(0, 0, w, top),
        "hud": pygame.Rect(m, body_top, hud_w, left_h),
        "network": pygame.Rect(net_x, body_top, net_right - net_x, left_h if right else main_h),
        "params": pygame.Rect(right_x, bottom_y, right_w, bottom_h),
    }
    if right == ["chain", "tables"]:
        chain_h = round((main_h - g) * 0.62)
        rects["chain"] = pygame.Rect(right_x, body_top, right_w, chain_h)
        rects["tables"] = pygame.Rect(right_x, body_top + chain_h + g, right_w, main_h - chain_h - g)
    elif right:
        rects[right[0]] = pygame.Rect(right_x, body_top, right_w, main_h)
    if len(below) == 2:
        chart_w = round((left_w - g) * 0.70)
        rects["chart"] = pygame.Rect(m, bottom_y, chart_w, bottom_h)
        rects["insight"] = pygame.Rect(m + chart_w + g, bottom_y, left_w - chart_w - g, bottom_h)
    elif below:
        rects[below[0]] = pygame.Rect(m, bottom_y, left_w, bottom_h)
    return rects


class LevelPlayScene(SimScene):
    name = "level"

    def __init__(self, app: Host, level: Level, progress: Progress | None = None) -> None:
        super().__init__(app, level.setup)
        self.level = level
        self.mode_label = f"Level {level.order}" if level.order else "Level"
        self.tracker = GoalTracker(level)
        self.progress = progress if progress is not None else load_progress()
        if self.progress.notice:
            app.notify(self.progress.notice, 6.0)
            self.progress.notice = None
        controls = set(level.controls)
        self.param_allowed = frozenset(n for k in controls for n in PARAM_CONTROLS.get(k, ()))
        self.bar_allowed = frozenset({"play", "pause"} | {n for k in controls for n in BAR_CONTROLS.get(k, ())})
        panels = set(level.panels)
        shown = {"network", "hud", "params", "topbar"}
        if "chain_rule" in panels:
            shown.add("chain")
        if panels & {"tables", "loss_calc"}:
            shown.add("tables")
        if "loss_chart" in panels:
            shown.add("chart")
        if panels & set(INSIGHT_TABS):
            shown.add("insight")
        self.shown_panels = frozenset(shown)
        self.panels = frozenset(panels)
        self.won = False
        self.stars = 0
        self._briefed = False
        self._debrief_pending = False
        self._level_speed: int | None = None
        pace = level.speed
        if pace is not None:  # the level's own pace; the player's setting is left as it was
            self._level_speed = nearest_speed(pace)
            self.sim.speed_index = self._level_speed

    # -- building ---------------------------------------------------------------------------------
    def build_components(self) -> dict[str, Component]:
        panels = self.level.panels
        comps: dict[str, Component] = {
            "topbar": TopBar(f"{self.mode_label} · {self.level.title}", self.bar_allowed),
            "hud": LevelHud(self.tracker, self.submit_answer, self.show_hint, self.retry),
            "network": NetworkView(editable="layers" in self.param_allowed),
            "params": ParamsPanel(self.param_allowed),
        }
        if "chain" in self.shown_panels:
            comps["chain"] = ChainRulePanel()
        if "tables" in self.shown_panels:
            comps["tables"] = TablesPanel("loss" if "loss_calc" in panels or "tables" not in panels else "a")
        if "chart" in self.shown_panels:
            comps["chart"] = LossChartPanel()
        if "insight" in self.shown_panels:
            insight = InsightPanel()
            first = next(INSIGHT_TABS[p] for p in panels if p in INSIGHT_TABS)
            insight.select_tab(first)
            comps["insight"] = insight
        return comps

    def rects(self, size: tuple[int, int], theme: Theme) -> dict[str, pygame.Rect]:
        return level_layout(size, theme, self.shown_panels, self.top_bar_height(size, theme, bar_height(theme)))

    @property
    def hud(self) -> LevelHud:
        hud = self.components["hud"]
        assert isinstance(hud, LevelHud)
        return hud

    def enter(self) -> None:
        if not self._briefed:
            self._briefed = True
            if any(isinstance(g, SelectConnection) for g in self.level.goals):
                # the goal compares |mean ∂L/∂w|: open on the batch view, where that is what is shown
                self.sim.submit(c.SetSample(None))
            self.app.push(BriefingScene(self.app, self))

    # -- the player's actions ---------------------------------------------------------------------
    def submit_answer(self, text: str) -> None:
        result = self.tracker.answer(text, self.sim.snapshot())
        self.hud.answered(result.message, result.ok)
        self._flush_tracker()

    def show_hint(self) -> None:
        hint = self.tracker.request_hint()
        if hint is None:
            self.app.notify("No more hints for this level.", 3.0)

    def retry(self) -> None:
        if "reset" in self.level.controls:
            self.sim.submit(c.Reset())

    def handle_key(self, event: pygame.event.Event) -> bool:
        if event.key == pygame.K_h:
            self.show_hint()
            return True
        return super().handle_key(event)

    def control_allowed(self, control: str | None) -> bool:
        return control is None or control in self.level.controls

    def _weights_allowed(self) -> bool:
        return "weights" in self.level.controls

    def script_command(self, words: list[str]) -> bool:
        verb, args = words[0], words[1:]
        if verb == "answer" and args:
            self.submit_answer(" ".join(args))
            return True
        if verb == "hint":
            self.show_hint()
            return True
        if verb == "retry":
            self.retry()
            return True
        if verb == "set" and args and not self._may_set(args[0]):
            self.app.notify(f"This level does not let you change {args[0]}.", 3.0)
            return True
        return super().script_command(words)

    def _may_set(self, field: str) -> bool:
        wanted = {"layers": "layers", "hidden_activation": "hidden_activation", "mode": "batch_size",
                  "output_activation": "output_activation", "regularization_rate": "regularization"}.get(field, field)
        return wanted in self.param_allowed

    # -- time ---------------------------------------------------------------------------------------
    def frame(self, frame_dt: float) -> None:
        # while a typed answer is pending, the panels must not show it (they show it once it is in)
        self.quiz = self.tracker.pending_typed() is not None
        if self.ctx is not None:
            self.ctx.quiz = self.quiz
            self.ctx.asked = self.tracker.asked()
        super().frame(frame_dt)
        self.tracker.observe(self.snap)
        self._flush_tracker()
        if self.tracker.won and not self.won:
            self.win()

    def _flush_tracker(self) -> None:
        # The tracker's news is a hint revealed after a failed attempt. Its home is the goals card, which
        # scrolls it into view; a pop-up as well would only cover the cards below it (the chart's x axis).
        self.tracker.messages.clear()

    def win(self) -> None:
        """The level is won: pause, score the stars, record them (a shipped level only), debrief."""
        self.won = True
        self.sim.submit(c.Pause())
        self.stars = self.tracker.stars()
        nxt = self.next_level()
        key = level_key(self.level)
        if key is not None and self._is_shipped():
            problem = self.progress.record_win(key, self.stars, self.tracker.won_epoch or 0,
                                               level_key(nxt) if nxt else None)
            if problem:
                self.app.notify(problem, 5.0)
        if self.app.top is self:
            self.app.push(DebriefScene(self.app, self))
        else:  # e.g. the help card is open: show the debrief when it closes
            self._debrief_pending = True

    def _is_shipped(self) -> bool:
        """A shipped level's own file (its path, not just its id: a user level may borrow the id)."""
        key = level_key(self.level)
        return key is not None and any(level_key(lv) == key and lv.id == self.level.id for lv in _campaign())

    def next_level(self) -> Level | None:
        levels = _campaign()
        ids = [lv.id for lv in levels]
        if self.level.id in ids:
            k = ids.index(self.level.id)
            return levels[k + 1] if k + 1 < len(levels) else None
        return None

    def exit(self) -> None:
        if self._level_speed is not None and self.sim.speed_index == self._level_speed:
            self.sim.speed_index = self.app.settings.speed_index  # the level's pace is not the player's setting
        super().exit()

    def resume(self) -> None:
        if self._debrief_pending and self.app.top is self:
            self._debrief_pending = False
            self.app.push(DebriefScene(self.app, self))


_CAMPAIGN: list[Level] | None = None


def _campaign() -> list[Level]:
    global _CAMPAIGN
    if _CAMPAIGN is None:
        _CAMPAIGN = shipped_levels()
    return _CAMPAIGN


class _CardScene(Scene):
    """An overlay holding one :class:`OverlayCard`."""

    opaque = False

    def __init__(self, app: Host, card: OverlayCard) -> None:
        super().__init__(app)
        self.card = card

    def layout(self, size: tuple[int, int]) -> None:
        self.theme = self.app.theme("main")
        self.card.layout(size, self.theme)

    def handle_event(self, event: pygame.event.Event) -> bool:
        pressed = self.card.handle_event(event)
        if pressed is not None:
            self.press(pressed)
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.press("escape")
        return True  # modal

    def press(self, key: str) -> None:
        raise NotImplementedError

    def draw(self, surface: pygame.Surface) -> None:
        self.card.draw(surface)

    def targets(self) -> dict[str, pygame.Rect]:
        return self.card.targets()


class BriefingScene(_CardScene):
    """The level's title and briefing; Start (or Enter) begins."""

    name = "briefing"

    def __init__(self, app: Host, play: LevelPlayScene) -> None:
        level = play.level
        layers = level.setup.layers
        goals = "Goals: " + "; ".join(g.label or describe(g, layers) for g in level.goals) + "."
        card = OverlayCard("briefing", level.title, f"{level.briefing.strip()}\n\n{goals}",
                           [CardButton("select", "Level select"), CardButton("start", "Start", primary=True)],
                           kicker=f"Level {level.order}" if level.order else "Level")
        super().__init__(app, card)
        self.play = play

    def press(self, key: str) -> None:
        if key in ("start", "escape"):
            self.app.pop()
        elif key == "select":
            _back_to_select(self.app)

    def script_command(self, words: list[str]) -> bool:
        if words[0] in ("start", "next"):
            self.press("start")
            return True
        if words[0] == "back":
            self.press("select")
            return True
        return False


class DebriefScene(_CardScene):
    """The win: stars, the debrief paragraph, Next level / Retry / Level select."""

    name = "debrief"

    def __init__(self, app: Host, play: LevelPlayScene) -> None:
        level = play.level
        self.play = play
        self.next = play.next_level()
        buttons = [CardButton("select", "Level select"), CardButton("retry", "Retry")]
        if self.next is not None:
            buttons.append(CardButton("next", "Next level", primary=True))
        else:
            buttons[0].primary = True
        t = play.tracker
        summary = (f"Won at epoch {t.won_epoch or 0:,} with {t.hints_requested} hint"
                   f"{'s' if t.hints_requested != 1 else ''} asked and {t.failures} failed attempt"
                   f"{'s' if t.failures != 1 else ''}.")
        card = OverlayCard("debrief", f"{level.title}: solved!", f"{level.debrief.strip()}\n\n{summary}", buttons,
                           kicker=f"Level {level.order} complete" if level.order else "Level complete",
                           band_height=96)
        super().__init__(app, card)

    def press(self, key: str) -> None:
        app = self.app
        if key == "next" and self.next is not None:
            app.pop()
            app.replace(LevelPlayScene(app, self.next, self.play.progress))
        elif key == "retry":
            app.pop()
            app.replace(LevelPlayScene(app, self.play.level, self.play.progress))
        elif key in ("select", "escape"):
            _back_to_select(app)

    def script_command(self, words: list[str]) -> bool:
        verb = words[0]
        if verb in ("next", "retry", "back"):
            self.press("select" if verb == "back" else verb)
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        theme = self.theme
        p = theme.palette
        band = self.card.band
        radius = theme.px(34)
        draw_stars(surface, (band.centerx, band.centery), radius, self.play.stars, p.select, p.muted)


def _back_to_select(app: Host) -> None:
    """Close the level and show the level select (re-reading progress), whatever was under it."""
    while app.scenes and app.scenes[-1].name != "level-select" and len(app.scenes) > 1:
        app.pop()  # the level select, on top again, re-reads progress as it resumes
    if not app.scenes or app.scenes[-1].name != "level-select":
        app.show("level_select")
