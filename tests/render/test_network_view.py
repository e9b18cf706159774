"""The network card as a student uses it: clicks select, the selection sticks, locks and dashes
are really drawn, every scripted target exists."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import itertools
from dataclasses import replace

import numpy as np
import pygame
import pytest

from glassbox_game.engine.setup import Setup
from glassbox_game.kit.component import ViewContext
from glassbox_game.kit.theme import make_theme
from glassbox_game.render.network_view import NetworkView
from glassbox_game.sim import commands as c
from glassbox_game.sim.packets import BACKWARD, FORWARD, PacketArrays
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.simulation import Simulation
from glassbox_game.sim.snapshot import Snapshot

SIZE = (1920, 1080)
RECT = pygame.Rect(24, 80, 1120, 672)
SATURATED = Setup(weights=(((12.0, -12.0), (-12.0, 12.0)), ((12.0, 12.0),)), biases=((-6.0, -6.0), (-6.0,)))


@pytest.fixture(scope="module", autouse=True)
def _pygame():
    pygame.init()
    if pygame.display.get_surface() is None:
        pygame.display.set_mode((1, 1))
    yield


def _view(theme_name: str = "dark", size=SIZE, rect=RECT, **kw) -> NetworkView:
    v = NetworkView()
    v.layout(rect, ViewContext(make_theme(theme_name, size, **kw)))
    return v


def _snap(setup: Setup | None = None, *cmds: c.Command) -> tuple[Simulation, Snapshot]:
    sim = Simulation(setup or Setup())
    for cmd in cmds:
        sim.submit(cmd)
    sim.update(1 / 120)
    return sim, sim.snapshot()


def _draw(v: NetworkView, snap: Snapshot, size=SIZE) -> pygame.Surface:
    screen = pygame.Surface(size)
    v.refresh(snap)
    v.draw(screen, snap)
    return screen


def _click(v: NetworkView, snap: Snapshot, pos) -> list[c.Command]:
    return v.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=pos), snap)


def test_targets_of_a_2_2_1_net() -> None:
    v = _view()
    _, snap = _snap()
    _draw(v, snap)
    t = v.targets()
    for name in ("edge:x1->h1", "edge:x2->h1", "edge:x1->h2", "edge:h1->y", "edge:h2->y", "neuron:x1",
                 "neuron:h2", "neuron:y", "sample:0", "sample:2", "sample:batch"):
        assert name in t, name
        assert RECT.contains(t[name]), name


def test_clicking_things_returns_the_right_commands() -> None:
    v = _view()
    _, snap = _snap()
    _draw(v, snap)
    t = v.targets()
    assert _click(v, snap, t["edge:h1->y"].center) == [c.Select(Selection.edge(1, 0, 0))]
    assert _click(v, snap, t["edge:x2->h1"].center) == [c.Select(Selection.edge(0, 0, 1))]
    assert _click(v, snap, t["edge:x1->h2"].center) == [c.Select(Selection.edge(0, 1, 0))]
    assert _click(v, snap, t["neuron:h2"].center) == [c.Select(Selection.neuron(1, 1))]
    assert _click(v, snap, t["neuron:y"].center) == [c.Select(Selection.neuron(2, 0))]
    assert _click(v, snap, t["sample:2"].center) == [c.SetSample(2)]
    assert _click(v, snap, t["sample:batch"].center) == [c.SetSample(None)]
    empty = (t["neuron:h2"].centerx, RECT.bottom - 60)
    assert _click(v, snap, empty) == [c.Select(None)]
    assert _click(v, snap, (RECT.right + 50, RECT.centery)) == []  # outside the card


def test_hover_is_reported_only_when_it_changes() -> None:
    v = _view()
    _, snap = _snap()
    _draw(v, snap)
    pos = v.targets()["edge:h2->y"].center

    def move(p):
        return v.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(1, 0), buttons=(0, 0, 0)), snap)

    assert move(pos) == [c.Hover(Selection.edge(1, 0, 1))]
    assert move((pos[0] + 1, pos[1])) == []
    assert move((RECT.right + 40, RECT.y)) == [c.Hover(None)]


def test_selection_survives_training_and_reset_through_the_view() -> None:
    v = _view()
    sim, snap = _snap()
    _draw(v, snap)
    for cmd in _click(v, snap, v.targets()["edge:h1->y"].center):
        sim.submit(cmd)
    for _ in range(100):
        sim.submit(c.StepEpoch())
        sim.update(1 / 120)
    snap = sim.snapshot()
    assert snap.epoch >= 100
    assert snap.selection == Selection.edge(1, 0, 0)
    sim.submit(c.Reset())
    sim.update(1 / 120)
    snap = sim.snapshot()
    assert snap.epoch == 0 and snap.selection == Selection.edge(1, 0, 0)
    # and the glow is drawn: amber-tinted pixels beside the selected edge
    screen = _draw(v, snap)
    theme = v.theme
    (ax, ay), (bx, by) = v.geom.segment(1, 0, 0)
    mx, my = RECT.x + (ax + bx) / 2, RECT.y + (ay + by) / 2
    dx, dy = bx - ax, by - ay
    n = np.array([-dy, dx]) / np.hypot(dx, dy)
    px = screen.get_at((round(mx + n[0] * 9), round(my + n[1] * 9)))[:3]
    sel, panel = np.array(theme.palette.select, float), np.array(theme.palette.panel, float)
    assert np.dot(np.array(px, float) - panel, sel - panel) > 0


def test_negative_edges_are_dashed_on_screen() -> None:
    setup = Setup(weights=(((3.0, -3.0), (-3.0, 3.0)), ((3.0, -3.0),)), biases=((0.0, 0.0), (0.0,)))
    v = _view()
    _, snap = _snap(setup, c.SetSample(0))
    screen = _draw(v, replace(snap, hover=None))
    p = v.theme.palette

    def along(edge):
        (ax, ay), (bx, by) = v.geom.segment(*edge)
        hits = []
        for t in np.linspace(0.05, 0.95, 200):
            x, y = ax + t * (bx - ax), ay + t * (by - ay)
            if any(pill.inflate(8, 8).collidepoint(x, y) for pill in v.weight_label_boxes):
                continue  # under a weight label
            col = np.array(screen.get_at((round(RECT.x + x), round(RECT.y + y)))[:3], float)
            hits.append(np.abs(col - np.array(p.negative)).sum() < 60 or np.abs(col - np.array(p.positive)).sum() < 60)
        return np.array(hits)

    pos, neg = along((1, 0, 0)), along((1, 0, 1))  # h1→ŷ = +3 solid, h2→ŷ = −3 dashed
    assert len(pos) > 100 and len(neg) > 100
    assert pos.all()
    assert 0.2 < (~neg).mean() < 0.6  # panel shows through between the dashes


def test_a_saturated_net_carries_locks() -> None:
    v = _view()
    _, snap = _snap(SATURATED, c.SetSample(1))
    screen = _draw(v, snap)
    assert set(v.drawn_locks) == {(1, 0), (1, 1), (2, 0)}
    # the amber lock badge sits at the upper right of each locked neuron
    r = v.geom.radius
    amber = np.array(v.theme.palette.select, float)
    for layer, j in v.drawn_locks:
        cx, cy = v.geom.centres[layer][j]
        bx, by = RECT.x + cx + r * 0.72, RECT.y + cy - r * 0.72
        box = [np.array(screen.get_at((round(bx) + dx, round(by) + dy))[:3], float)
               for dx in range(-8, 9) for dy in range(-8, 9)]
        assert min(np.abs(b - amber).sum() for b in box) < 30


def test_unlocked_net_draws_no_locks_and_a_dead_relu_is_marked() -> None:
    v = _view()
    _, snap = _snap()
    _draw(v, snap)
    assert v.drawn_locks == []
    dead = Setup(hidden_activation="relu", problem="or", weights=(((0.5, 0.5), (0.5, 0.5)), ((1.0, 1.0),)),
                 biases=((-5.0, 0.2), (0.0,)))
    _, snap = _snap(dead)
    _draw(v, snap)
    assert (1, 0) in v.drawn_locks and (1, 1) not in v.drawn_locks


@pytest.mark.parametrize("layers", [(2, 2, 1), (2, 4, 4, 1), (2, 2, 2), (2, 8, 8, 8, 8, 8, 8, 1)])
@pytest.mark.parametrize(("theme", "size"), [("dark", (1280, 720)), ("lecture-light", (1920, 1080)),
                                             ("light", (3840, 2160))])
def test_every_shape_and_theme_draws_with_targets(layers, theme, size) -> None:
    rect = pygame.Rect(round(24 * size[0] / 1920), round(80 * size[1] / 1080), round(1120 * size[0] / 1920),
                       round(672 * size[1] / 1080))
    v = _view(theme, size, rect)
    setup = Setup(layers=layers)
    if layers[-1] == 2:  # two outputs: AND and XOR side by side
        setup = Setup(layers=layers, problem=None, inputs=((0, 0), (0, 1), (1, 0), (1, 1)),
                      targets=((0, 0), (0, 1), (0, 1), (1, 0)))
    sim, snap = _snap(setup, c.SetSpeed(2), c.Play())
    for _ in range(30):
        sim.update(1 / 120)
    snap = sim.snapshot()
    _draw(v, snap, size)
    t = v.targets()
    assert sum(k.startswith("edge:") for k in t) == sum(a * b for a, b in itertools.pairwise(layers))
    assert sum(k.startswith("neuron:") for k in t) == sum(layers)
    for name, r in t.items():
        assert rect.contains(r), name
    for name in (k for k in t if k.startswith("edge:")):  # every edge clickable at its target
        cmds = _click(v, snap, t[name].center)
        assert len(cmds) == 1 and isinstance(cmds[0], c.Select) and cmds[0].target is not None
        assert cmds[0].target.kind == "edge"


def test_weight_labels_do_not_overlap_on_2_2_1() -> None:
    v = _view()
    _, snap = _snap()
    _draw(v, snap)
    pills = v.weight_label_boxes
    assert len(pills) == 6
    for a in range(len(pills)):
        for b in range(a + 1, len(pills)):
            assert not pills[a].colliderect(pills[b])


def test_halt_message_and_reduced_motion() -> None:
    v = _view(reduced_motion=True)
    sim, snap = _snap(Setup(), c.SetSpeed(2), c.Play())
    for _ in range(60):
        sim.update(1 / 120)
    snap = replace(sim.snapshot(), halt_message="Training stopped: the loss became NaN")
    assert len(snap.packets)
    screen = _draw(v, snap)
    assert v.drawn_packets == 0  # nothing moves with reduced motion
    danger = np.array(v.theme.palette.danger, float)
    region = pygame.surfarray.array3d(screen.subsurface(RECT)).reshape(-1, 3).astype(float)
    assert (np.abs(region - danger).sum(axis=1) < 40).sum() > 200


def test_the_lock_caption_follows_a_threshold_change_at_once() -> None:
    # ŷ's z = 5 on every sample: σ′ ≈ 0.0066 — locked under 0.02, not under 0.005
    setup = Setup(layers=(2, 1), problem="and", weights=(((0.0, 0.0),),), biases=((5.0,),), learning_rate=1e-9)
    v = _view()
    sim, snap = _snap(setup, c.StepEpoch())
    _draw(v, snap)
    assert (1, 0) in v.drawn_locks
    sim.submit(c.SetLockThreshold(0.005))
    sim.update(1 / 120)
    _draw(v, sim.snapshot())
    assert v.drawn_locks == []  # no step needed
    sim.submit(c.SetLockThreshold(0.02))
    sim.update(1 / 120)
    _draw(v, sim.snapshot())
    assert (1, 0) in v.drawn_locks


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160)])
@pytest.mark.parametrize("layers", [(2, 2, 1), (2, 8, 8, 8, 1), (2, 16, 16, 16, 16, 16, 16, 1), (2, 1)])
def test_the_editor_buttons_are_big_enough_and_clear_of_neurons_pills_and_the_card_edge(size, layers) -> None:
    from glassbox_game.kit.layout import sandbox_layout

    th = make_theme("dark", size)
    v = NetworkView(editable=True)
    v.layout(sandbox_layout(size, th)["network"], ViewContext(th))
    _, snap = _snap(Setup(layers=layers))
    _draw(v, snap, size)
    targets = v.targets()
    buttons = {k: r for k, r in targets.items() if k.startswith("arch:")}
    assert {"arch:add-layer", "arch:remove-layer"} <= set(buttons)
    assert sum(k.startswith("arch:add-neuron") for k in buttons) == len(layers) - 2
    neurons = [r for k, r in targets.items() if k.startswith("neuron:")]
    pills = v.pill_rects
    for name, r in buttons.items():
        assert min(r.size) >= 24, name  # a target a finger or a shaky mouse hits
        assert v.rect.contains(r), name
        assert r.collidelist(neurons) < 0 and r.collidelist(pills) < 0, name
        others = [o for k, o in buttons.items() if k != name]
        assert r.collidelist(others) < 0, name


def test_no_editor_unless_asked() -> None:
    v = _view()
    _, snap = _snap()
    _draw(v, snap)
    assert not any(k.startswith("arch:") for k in v.targets())


# -- packets pass under the labels (issue 13: "packets cover the pills they pass") -----------------
def _stream(v: NetworkView, snap: Snapshot, step: float = 0.01):
    """A packet of each kind every ``step`` along every edge: whatever sits on an edge is passed."""
    edges = [v.geom.edge_of(k) for k in range(v.geom.n_edges)]
    ts = np.arange(0.0, 1.0 + 1e-9, step)
    rows = [(l, j, i, t, kind) for l, j, i in edges for t in ts for kind in (FORWARD, BACKWARD)]
    cols = list(zip(*rows, strict=True))
    return PacketArrays(np.array(cols[0], np.int16), np.array(cols[1], np.int16), np.array(cols[2], np.int16),
                        np.array(cols[3], float), np.array(cols[4], np.int16), np.full(len(rows), 0.9))


def _same_under(before: np.ndarray, after: np.ndarray, box: pygame.Rect, mask: pygame.mask.Mask) -> bool:
    """The pixels a plate covers are the same in both frames (arrays indexed [x, y])."""
    sl = (slice(box.left, box.right), slice(box.top, box.bottom))
    covered = np.array([[mask.get_at((x, y)) for y in range(box.h)] for x in range(box.w)], bool)
    return bool((before[sl][covered] == after[sl][covered]).all())


@pytest.mark.parametrize("selected", [False, True])
def test_packets_pass_under_every_weight_pill_and_label(selected: bool) -> None:
    v = _view()
    cmds = [c.Select(Selection.edge(1, 0, 0))] if selected else []
    sim, _ = _snap(Setup(), *cmds, c.SetSpeed(1), c.Play())
    for _ in range(120):  # into the loss phase: the target and a − y lines are shown too
        sim.update(1 / 120)
        if sim.snapshot().reveals("loss"):
            break
    quiet = replace(sim.snapshot(), packets=PacketArrays.empty())
    before = pygame.surfarray.array3d(_draw(v, quiet).subsurface(RECT)).copy()
    busy = replace(quiet, packets=_stream(v, quiet))
    after = pygame.surfarray.array3d(_draw(v, busy).subsurface(RECT)).copy()
    assert v.drawn_packets == len(busy.packets)
    assert (before != after).any()  # the packets are drawn …
    pills = v.weight_label_boxes
    assert len(pills) == 6 and len(v.label_plates) > len(pills)  # (pills, then the lines under neurons)
    xs, ys = v.geom.packet_xy(busy.packets.layer, busy.packets.j, busy.packets.i, busy.packets.t)
    for box in pills:  # … a packet sits on every pill …
        assert any(box.collidepoint(x, y) for x, y in zip(xs.tolist(), ys.tolist(), strict=True)), box
    for box, mask in v.label_plates:  # … and every label is drawn over them, pixel for pixel
        assert _same_under(before, after, box, mask), f"a packet shows over the label at {tuple(box)}"


def test_packets_pass_under_the_lines_with_reduced_motion_too() -> None:
    v = _view(reduced_motion=True)
    _, snap = _snap()
    quiet = _draw(v, snap)
    busy = replace(snap, packets=_stream(v, snap, 0.1))
    b = pygame.surfarray.array3d(quiet.subsurface(RECT)).copy()
    a = pygame.surfarray.array3d(_draw(v, busy).subsurface(RECT)).copy()
    assert (a != b).any()  # the direction marks are drawn
    for box, mask in v.label_plates:
        assert _same_under(b, a, box, mask), tuple(box)


# -- the target under ŷ in the lecture (issue 13: `a − y` stood alone) ------------------------------
@pytest.mark.parametrize("size", ["1280x720", "1920x1080", "3840x2160"])
def test_the_lecture_network_shows_the_target_with_its_error(size: str, tmp_path, monkeypatch) -> None:
    from glassbox_game import tour
    from glassbox_game.kit import text_log
    from tests.app.helpers import make_app

    for var in ("GLASSBOX_CONFIG_DIR", "GLASSBOX_DATA_DIR", "HOME"):
        monkeypatch.setenv(var, str(tmp_path / var))
    text_log.start()
    app = make_app("lecture", str(tour.LECTURE), "--resolution", size)
    try:
        app.top.go_to(7)  # beat 8: ŷ locked on sample (0, 0), a − y = 1.000
        tour._settle(app, 3)
        texts = [t for _, layer in tour.capture(app, "beat-8").layers for t in layer if t.panel == "network"]
    finally:
        app.shutdown()
        text_log.stop()
    shown = {t.text: t.rect for t in texts}
    assert "a − y = 1.000" in shown, sorted(shown)
    target = shown.get("target y = 0") or shown.get("y = 0")
    assert target is not None, sorted(shown)
    assert target.bottom <= shown["a − y = 1.000"].top  # its own line, above the error
    for t in texts:  # nothing on it
        assert t.text == "target y = 0" or t.rect.clip(target).w * t.rect.clip(target).h == 0, t.text
