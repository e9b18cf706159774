"""Memo: a panel's cached layer is rebuilt when (and only when) its key changes."""

from __future__ import annotations

from glassbox_game.kit.memo import Memo


def test_builds_once_per_key_and_again_after_clear() -> None:
    built: list[int] = []
    memo: Memo[str] = Memo()

    def build(n: int) -> str:
        built.append(n)
        return f"layer {n}"

    assert memo.get(("size", 1), lambda: build(1)) == "layer 1"
    assert memo.get(("size", 1), lambda: build(2)) == "layer 1"  # same key: the cached layer
    assert memo.get(("size", 2), lambda: build(3)) == "layer 3"  # new key: rebuilt
    memo.clear()
    assert memo.value == "layer 3"  # still readable (a surface to reuse) …
    assert memo.get(("size", 2), lambda: build(4)) == "layer 4"  # … but rebuilt on the next get
    assert built == [1, 3, 4]
