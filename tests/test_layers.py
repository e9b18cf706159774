"""Imports point down the layers and never form a circle.

Every module of ``glassbox_game`` is parsed (not imported) and every import counted — at module
level, inside functions, and under ``TYPE_CHECKING`` — so a cycle cannot hide in a function body.
The order, lowest first (a module may import its own layer or any lower one):

    errors < engine < sim < levels < kit < render, ui < scenes < app < cli
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "glassbox_game"

#: the layer of each top-level package or module (a new one must be placed here)
LAYER = {
    "errors": 0, "optional": 0, "numfmt": 0,  # leaves: errors; optional packages, loaded on demand; how numbers are written
    "engine": 1,  # numpy only: network, records, trainer, trace, reference engine
    "sim": 2,  # no pygame: simulation, commands, snapshot
    "levels": 3, "lecture_script": 3, "storage": 3, "settings": 3, "script": 3, "export": 3,
    "kit": 4,  # theme, palette, fonts, the Component base, math text, icons
    "render": 5, "ui": 5,  # panels and widgets; they may share, never import each other
    "scenes": 6,
    "app": 7, "script_events": 7, "bench": 7, "bench_frames": 7, "bench_setups": 7,
    "record": 7, "slides": 7, "worksheet": 7, "tour": 7,  # tools that run the app or read levels through the scene table
    "cli": 8, "__main__": 8, "__init__": 8,
}


def _modules() -> dict[str, Path]:
    mods = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        mods[".".join(parts)] = path
    return mods


MODULES = _modules()


def _owner(name: str) -> str | None:
    """The module a dotted import name refers to (``a.b.c`` may be module a.b's attribute c)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            names = [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            owner = _owner(name) if name.startswith("glassbox_game") else None
            if owner is not None and owner != module:
                found.add(owner)
    return found


GRAPH = {m: imports_of(m) for m in MODULES}


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYER[parts[1] if len(parts) > 1 else "__init__"]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_every_module_has_a_layer() -> None:
    unplaced = sorted({m.split(".")[1] for m in MODULES if "." in m} - set(LAYER))
    assert not unplaced, f"place these in LAYER: {unplaced}"


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


def test_imports_point_down_the_layers() -> None:
    upward = sorted(f"{m} (layer {layer(m)}) imports {t} (layer {layer(t)})"
                    for m, targets in GRAPH.items() for t in targets if layer(t) > layer(m))
    assert upward == []


def test_render_and_ui_do_not_import_each_other() -> None:
    def pkg(m: str) -> str:
        return m.split(".")[1] if "." in m else ""

    crossing = sorted(f"{m} imports {t}" for m, targets in GRAPH.items() for t in targets
                      if {pkg(m), pkg(t)} == {"render", "ui"})
    assert crossing == []


def test_the_kit_and_errors_are_leaves_of_the_drawing_and_error_layers() -> None:
    assert all(layer(t) == 0 for t in GRAPH["glassbox_game.errors"]) and not GRAPH["glassbox_game.errors"]
    kit = [m for m in MODULES if m.startswith("glassbox_game.kit")]
    assert kit and all(layer(t) <= layer(kit[0]) for m in kit for t in GRAPH[m])


def test_the_checker_sees_function_level_imports() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert "glassbox_game.cli" in GRAPH["glassbox_game.__main__"]
    assert "glassbox_game.app" in GRAPH["glassbox_game.cli"]  # imported inside main()
