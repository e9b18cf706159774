"""Every screen the game can show, one frame each: for the layout-fit test and the contact sheets.

:func:`tour` puts a running (headless) :class:`App` on each screen in turn — title, level select,
each level's briefing, play and debrief, the sandbox with each layer preset, each lecture beat,
every dialog and overlay — and :func:`capture` draws one frame onto a recording surface
(:mod:`glassbox_game.kit.text_log`), returning where every text landed, scene by scene.
:func:`problems` turns a capture into one line per defect a person would see.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pygame

from glassbox_game.kit import text_log
from glassbox_game.kit.text_log import Placed

FRAME_DT = 1.0 / 60.0
LECTURE = Path(__file__).resolve().parent.parent / "lectures" / "backprop-story.toml"
#: the playground screens (issue 15): the spiral with every neuron's heat map and one shown large in the
#: hover card, the decision map discretized; then the architecture editor at the engine's limits; then
#: input features, a mini-batch and L2 with the test points and the accuracy shown, and the data-set dialog;
#: then a hover card over the connection into ŷ (issue 13: it must leave ŷ in view)
PLAYGROUND_SCREENS = ("playground-heatmaps", "playground-editor-limits", "playground-test-points",
                      "playground-data-dialog", "playground-hover-into-output")
#: what the "dialogs" part visits, in order (the layout-fit test counts its screens from here)
DIALOG_SCREENS = ("dialog-pause", "dialog-help", "dialog-settings", "dialog-confirm-quit", "dialog-open",
                  "dialog-save", "dialog-data")


@dataclass
class Capture:
    name: str
    surface: pygame.Surface
    layers: list[tuple[str, list[Placed]]]  # (scene name, texts it drew), bottom to top
    covered: list[str] = field(default_factory=list)  # a hover card over what it must leave in view


# -- visiting screens -----------------------------------------------------------------------------
def _settle(app, frames: int = 2) -> None:
    for _ in range(frames):
        for _ in range(app.clock.advance(FRAME_DT)):
            for scene in app.scenes:
                scene.update(app.clock.dt)
        for scene in list(app.scenes):
            scene.frame(FRAME_DT)


def _reset(app, scene) -> None:
    from glassbox_game.scenes.title import TitleScene

    app.reset_to(TitleScene(app))
    if scene is not None:
        app.push(scene)


def tour(app, parts: frozenset[str] | None = None, levels: list[int] | None = None,
         beats: list[int] | None = None, presets: list[str] | None = None) -> Iterator[str]:
    """Put ``app`` on each screen in turn and yield its name (then call :func:`capture`).

    ``parts`` picks groups (menu, levels, sandbox, playground, dialogs, lecture); ``levels``/``beats`` pick
    level numbers (1-based), lecture beats (0-based) and sandbox layer presets; None means all.
    """
    from glassbox_game.lecture_script import load_lecture_script
    from glassbox_game.levels import shipped_levels
    from glassbox_game.scenes.factory import SCENES
    from glassbox_game.scenes.level_play import DebriefScene

    def lecture_scene(app, path):
        return SCENES["lecture"](app, path)

    def level_play_scene(app, level):
        return SCENES["level_play"](app, level)

    def level_select_scene(app):
        return SCENES["level_select"](app)

    def sandbox_scene(app, setup):
        return SCENES["sandbox"](app, setup)
    from glassbox_game.scenes.overlays import ConfirmScene, HelpScene, PauseScene
    from glassbox_game.scenes.settings_scene import SettingsScene
    from glassbox_game.sim import commands as c
    from glassbox_game.ui.params_panel import LAYER_PRESETS

    def want(part: str) -> bool:
        return parts is None or part in parts

    if want("menu"):
        _reset(app, None)
        _settle(app)
        yield "title"
        _reset(app, level_select_scene(app))
        _settle(app)
        yield "level-select"
    if want("levels"):
        all_levels = shipped_levels()
        for k, level in enumerate(all_levels, start=1):
            if levels is not None and k not in levels:
                continue
            _reset(app, level_play_scene(app, level))  # pushes its briefing on entering
            _settle(app)
            yield f"level-{k:02d}-briefing"
            app.pop()
            play = app.top
            play.sim.submit(c.RunToEpoch(30))
            play.sim.submit(c.Select(None))
            _settle(app, 3)
            yield f"level-{k:02d}-play"
            play.stars = 2
            app.push(DebriefScene(app, play))
            _settle(app)
            yield f"level-{k:02d}-debrief"
    if want("sandbox"):
        for preset in LAYER_PRESETS:
            if presets is not None and preset not in presets:
                continue
            _reset(app, sandbox_scene(app, None))
            sandbox = app.top
            sandbox.script_command(["set", "layers", preset])
            _settle(app)
            sandbox.sim.submit(c.RunToEpoch(200))
            _settle(app, 3)
            yield f"sandbox-{preset}"
    if want("playground"):
        from glassbox_game.engine.network import MAX_LAYERS, MAX_NEURONS
        from glassbox_game.sim.selection import Selection

        _reset(app, sandbox_scene(app, None))
        sandbox = app.top
        for words in (["set", "data", "spiral"], ["set", "hidden_activation", "tanh"],
                      ["set", "loss", "cross_entropy"], ["set", "layers", "2-8-8-8-1"]):
            sandbox.script_command(words)
        _settle(app)
        sandbox.sim.submit(c.RunToEpoch(200))
        sandbox.sim.submit(c.Hover(Selection.neuron(3, 1)))  # the hover card: h³₂'s heat map, large
        insight = sandbox.components["insight"]
        if not insight.map_options["discretize"]:
            insight.toggle("discretize")
        _settle(app, 3)
        yield PLAYGROUND_SCREENS[0]
        full = "-".join(["2", *[str(MAX_NEURONS)] * (MAX_LAYERS - 2), "1"])
        sandbox.script_command(["set", "layers", full])
        sandbox.sim.submit(c.Hover(None))
        _settle(app, 3)
        yield PLAYGROUND_SCREENS[1]
        # generated data: the sandbox with test points and accuracy, then the data-set dialog over it
        sandbox.script_command(["set", "data", "spiral"])
        sandbox.sim.submit(c.ChangeSetup((("features", ("x1", "x2", "x1^2", "sin(x2)")), ("layers", (4, 6, 1)),
                                          ("weights", None), ("biases", None), ("batch_size", 10),
                                          ("regularization", "l2"), ("regularization_rate", 0.001))))
        _settle(app)
        sandbox.sim.submit(c.RunToEpoch(40))
        if not insight.show_test:
            insight.toggle("test_points")
        _settle(app, 3)
        yield PLAYGROUND_SCREENS[2]
        sandbox.data_editor()
        _settle(app)
        yield PLAYGROUND_SCREENS[3]
        if app.top is not sandbox and hasattr(app.top, "cancel"):
            app.top.cancel()
        # a hover card over the connection into ŷ: it must not cover ŷ nor the hidden neuron
        _reset(app, sandbox_scene(app, None))
        sandbox = app.top
        sandbox.script_command(["set", "layers", "2-2-1"])
        _settle(app)
        sandbox.sim.submit(c.Hover(Selection.edge(1, 0, 0)))
        _settle(app, 3)
        yield PLAYGROUND_SCREENS[4]
        sandbox.sim.submit(c.Hover(None))
    if want("dialogs"):
        _reset(app, sandbox_scene(app, None))
        _settle(app)
        sandbox = app.top
        for name, make in (("pause", lambda: PauseScene(app)), ("help", lambda: HelpScene(app)),
                           ("settings", lambda: SettingsScene(app)),
                           ("confirm-quit", lambda: ConfirmScene(app, "Quit Glassbox?",
                                                                 "Your settings are saved; the current run is not.",
                                                                 on_yes=lambda: None))):
            app.push(make())
            _settle(app)
            yield f"dialog-{name}"
            for page in range(1, len(getattr(app.top, "pages", ()))):  # big text: the help in pages
                app.top.page = page
                yield f"dialog-{name}-page-{page + 1}"
            app.pop()
        for name, opener in (("open", sandbox.open_dialog), ("save", sandbox.save_dialog),
                             ("data", sandbox.data_editor)):
            opener()
            _settle(app)
            yield f"dialog-{name}"
            top = app.top
            if top is not sandbox:
                if hasattr(top, "cancel"):
                    top.cancel()
                elif hasattr(top, "_close"):
                    top._close()
                else:
                    app.pop()
    if want("lecture"):
        script = load_lecture_script(LECTURE)
        _reset(app, lecture_scene(app, str(LECTURE)))
        lecture = app.top
        for k in range(len(script.beats)):
            if beats is not None and k not in beats:
                continue
            lecture.go_to(k)
            _settle(app, 3)
            yield f"lecture-beat-{k + 1:02d}"


# -- drawing one frame ----------------------------------------------------------------------------
_GLYPHS: dict[tuple[int, str], pygame.Rect] = {}


def _glyph_box(font, text: str) -> pygame.Rect:
    key = (id(font), text)
    box = _GLYPHS.get(key)
    if box is None:
        box = _GLYPHS[key] = font.render_premul(text, (255, 255, 255)).get_bounding_rect()
    return box


def widget_texts(manager) -> list[Placed]:
    """The text pygame_gui widgets show (buttons, labels, drop-downs), as placed text."""
    import pygame_gui
    from pygame_gui.core.utility import translate

    out: list[Placed] = []
    if manager is None:
        return out
    for el in manager.get_sprite_group().sprites():
        if not isinstance(el, (pygame_gui.elements.UIButton, pygame_gui.elements.UILabel)):
            continue
        if not el.visible or not getattr(el, "text", ""):
            continue
        font = getattr(el, "font", None)
        if font is None:
            continue
        text = translate(str(el.text), **getattr(el, "text_kwargs", {}) or {})
        w, _ = font.size(text)
        rect = pygame.Rect(el.rect)
        glyphs = _glyph_box(font, text)  # the inked part: a line's height includes leading
        box = pygame.Rect(0, 0, w, glyphs.h)
        box.center = rect.center
        inner = rect.inflate(-4, 0)
        cut = w > inner.w
        clip = el.get_image_clipping_rect() if hasattr(el, "get_image_clipping_rect") else None
        if clip is not None:  # inside a scrolling list: only the part its container shows is on screen
            shown = pygame.Rect(clip).move(rect.topleft)
            if shown.w == 0 or shown.h == 0 or not shown.colliderect(box):
                continue  # scrolled out of view
            cut = cut or not shown.contains(box)
        p = Placed(text, box, f"widget:{type(el).__name__}", inner, cut=cut)
        out.append(p)
    return out


def capture(app, name: str = "") -> Capture:
    """Draw the current screen once onto a recording surface: every scene's text, bottom to top."""
    screen = text_log.screen(app.size)
    start = 0
    for k in range(len(app.scenes) - 1, -1, -1):
        if app.scenes[k].opaque:
            start = k
            break
    layers: list[tuple[str, list[Placed]]] = []
    for scene in app.scenes[start:]:
        screen.records.clear()
        scene.draw(screen)
        texts = [r for r in screen.records if r.text.strip()]
        texts += widget_texts(getattr(scene, "manager", None))
        layers.append((getattr(scene, "name", type(scene).__name__), texts))
    covered = []
    for scene in app.scenes[start:]:
        for comp in getattr(scene, "components", {}).values():
            card = getattr(comp, "hover_card", None)
            if card is not None and card.collidelist(getattr(comp, "hover_keep", [])) >= 0:
                covered.append(f"{name} [{getattr(scene, 'name', '')}]: the hover card {tuple(card)} covers the "
                               f"hovered neuron or an output")
    return Capture(name, screen, layers, covered)


# -- judging ---------------------------------------------------------------------------------------
def _overlap(a: pygame.Rect, b: pygame.Rect, slack: int) -> bool:
    r = a.clip(b)
    return r.w > slack and r.h > slack


def problems(cap: Capture, slack: int = 1) -> list[str]:
    """One line per text outside its panel, cut by a clip or an edge, shortened with "…", or on other text."""
    out: list[str] = list(cap.covered)
    screen = cap.surface.get_rect()
    for scene, texts in cap.layers:
        where = f"{cap.name} [{scene}]"
        for t in texts:
            bounds = t.panel_rect if t.panel_rect is not None else screen
            if not bounds.inflate(2 * slack, 2 * slack).contains(t.rect):
                out.append(f"{where}: {t.text!r} runs outside {t.panel or 'the screen'} "
                           f"(text {tuple(t.rect)}, panel {tuple(bounds)})")
            elif t.cut:
                out.append(f"{where}: {t.text!r} is cut off in {t.panel or 'the screen'}")
            if t.elided:
                out.append(f"{where}: {t.text!r} is shortened with … in {t.panel or 'the screen'}")
        for a, b in itertools.combinations(texts, 2):
            if _overlap(a.rect, b.rect, slack) and not (a.text == b.text and a.rect == b.rect):
                out.append(f"{where}: {a.text!r} ({a.panel}) overlaps {b.text!r} ({b.panel})")
    return out
