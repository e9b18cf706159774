"""One cached value and the key it was built for: the pattern every layered panel repeats."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    """``get(key, build)`` returns the value built for ``key``, calling ``build`` only when the key
    changed (or after :meth:`clear`). ``value`` is the last value built, whatever its key."""

    def __init__(self) -> None:
        self.key: Hashable | None = None
        self.value: T | None = None
        self._valid = False

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        if not self._valid or key != self.key:
            self.value, self.key, self._valid = build(), key, True
        assert self.value is not None
        return self.value

    def clear(self) -> None:
        """Rebuild on the next get (the old value stays readable, e.g. to reuse its surface)."""
        self._valid = False
