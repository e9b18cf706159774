"""Typed readers for parsed TOML values: each returns a clean value or raises :class:`FieldError`.

A ``FieldError`` carries the dotted field path (``network.weights[0][1]``) and what is wrong; the
loader adds the file name in front. Messages are one line: values are shown with ``repr`` (which
escapes newlines) and long ones are shortened.
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

#: categories that draw nothing by themselves: format characters (U+200B zero-width space, U+FEFF,
#: bidi marks …) are removed from text; marks, separators and unassigned code points stay but do not
#: count as something to read
# line breaks that are not glyphs (built with chr, so no string literal holds them)
_NEL, _LINE_SEP, _PARA_SEP = chr(0x85), chr(0x2028), chr(0x2029)
_LINE_BREAKS = "\n\r" + _NEL + _LINE_SEP + _PARA_SEP
_INVISIBLE = frozenset(("Cf", "Cc", "Cn", "Co", "Cs", "Mn", "Me", "Zl", "Zp", "Zs"))


class FieldError(Exception):
    """What is wrong with one field: ``field`` is its dotted path ("" for the whole file)."""

    def __init__(self, field: str, what: str) -> None:
        super().__init__(f"{field}: {what}" if field else what)
        self.field = field
        self.what = what


def show(value: Any) -> str:
    """A short one-line picture of a TOML value and its kind, for messages."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int):
        return f"{value} (a whole number)"
    if isinstance(value, float):
        return f"{value!r} (a number)"
    if isinstance(value, str):
        return f"{short(value)} (a string)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"  # TOML dates and times


def short(text: str, limit: int = 40) -> str:
    r = repr(text)
    return r if len(r) <= limit else r[: limit - 4] + "…" + r[-1]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" when ``word`` is close to one of ``choices``, else ""."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def check_keys(table: dict[str, Any], allowed: Sequence[str], path: str) -> None:
    for key in table:
        if key not in allowed:
            where = f"{path}.{key}" if path else key
            hint = did_you_mean(key, allowed)
            if not hint:
                hint = f" (allowed: {', '.join(allowed)})" if allowed else " (this table takes no keys)"
            raise FieldError(where, f"unknown key{hint}")


def table(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FieldError(path, f"expected a table, got {show(value)}")
    return value


def number(value: Any, path: str, lo: float = -math.inf, hi: float = math.inf, *,
           above: bool = False) -> float:
    """A finite int or float (never a bool) within [lo, hi], or (lo, hi] when ``above``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(path, f"expected a number, got {show(value)}")
    v = float(value)
    if not math.isfinite(v):
        raise FieldError(path, f"{value!r} is not a finite number")
    if (v <= lo if above else v < lo) or v > hi:
        low = f"> {lo:g}" if above else f"≥ {lo:g}"
        if math.isinf(lo):
            raise FieldError(path, f"{value!r} is too large: expected ≤ {hi:g}")
        if math.isinf(hi):
            raise FieldError(path, f"{value!r} is out of range: expected {low}")
        raise FieldError(path, f"{value!r} is out of range: expected {low} and ≤ {hi:g}")
    return v


def whole(value: Any, path: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(path, f"expected a whole number, got {show(value)}")
    if not lo <= value <= hi:
        raise FieldError(path, f"{value} is out of range: expected {lo} to {hi}")
    return value


def boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise FieldError(path, f"expected true or false, got {show(value)}")
    return value


def text(value: Any, path: str, limit: int, *, one_line: bool = False, empty: bool = True) -> str:
    """A string of at most ``limit`` characters, normalised for the screen (see :func:`clean_text`).

    Text with nothing visible in it (only spaces, zero-width or combining characters) is refused
    where the field must not be empty, and becomes ``""`` elsewhere.
    """
    if not isinstance(value, str):
        raise FieldError(path, f"expected a string, got {show(value)}")
    if len(value) > limit:
        raise FieldError(path, f"is {len(value)} characters long; the limit is {limit}")
    if one_line and any(ch in value for ch in _LINE_BREAKS):
        raise FieldError(path, "must be a single line")
    cleaned = clean_text(value, path)
    if not visible(cleaned):
        if not empty:
            if value.strip():
                raise FieldError(path, "must not be empty (it holds only invisible characters)")
            raise FieldError(path, "must not be empty")
        return "" if value.strip() or not value else value
    return cleaned


def clean_text(value: str, path: str) -> str:
    """Text fit to draw: tabs become spaces, line and paragraph separators ``\\n``, format characters
    (U+200B, U+FEFF, bidi controls …) are dropped; NUL and other control characters are refused."""
    if "\x00" in value:
        raise FieldError(path, "contains a NUL character (U+0000); text must not hold binary data")
    out = value.replace("\r\n", "\n").replace("\r", "\n").replace(_LINE_SEP, "\n").replace(_PARA_SEP, "\n")
    out = out.replace(_NEL, "\n").replace("\t", " ")
    for ch in out:
        cat = unicodedata.category(ch)
        if cat == "Cc" and ch != "\n":
            raise FieldError(path, f"contains a control character (U+{ord(ch):04X}); only text, spaces and "
                                   "line breaks are allowed")
    if any(unicodedata.category(ch) == "Cf" for ch in out):
        out = "".join(ch for ch in out if unicodedata.category(ch) != "Cf")
    return out


def visible(value: str) -> bool:
    """True when ``value`` has at least one character that draws something (a letter, digit, sign …)."""
    return any(unicodedata.category(ch) not in _INVISIBLE for ch in value)


def choice(value: Any, path: str, choices: Sequence[str]) -> str:
    if not isinstance(value, str):
        raise FieldError(path, f"expected one of {', '.join(choices)}, got {show(value)}")
    if value not in choices:
        hint = did_you_mean(value, choices)
        raise FieldError(path, f"{short(value)} is not one of {', '.join(choices)}{hint}")
    return value


def choices(value: Any, path: str, allowed: Sequence[str]) -> tuple[str, ...]:
    """A list of distinct names from ``allowed``."""
    items = list_of(value, path)
    out = [choice(v, f"{path}[{k}]", allowed) for k, v in enumerate(items)]
    for k, v in enumerate(out):
        if v in out[:k]:
            raise FieldError(f"{path}[{k}]", f"{v!r} is listed twice")
    return tuple(out)


def list_of(value: Any, path: str, length: int | None = None, noun: str = "item", why: str = "") -> list[Any]:
    """A list, of exactly ``length`` items if given; ``noun`` (singular) and ``why`` explain the length."""
    if not isinstance(value, list):
        raise FieldError(path, f"expected a list, got {show(value)}")
    if length is not None and len(value) != length:
        plural = "s" if length != 1 else ""
        because = f" ({why})" if why else ""
        raise FieldError(path, f"expected {length} {noun}{plural}{because}, got {len(value)}")
    return value


def vector(value: Any, path: str, length: int, why: str, limit: float) -> tuple[float, ...]:
    """A list of exactly ``length`` finite numbers with |v| ≤ limit; ``why`` explains the length."""
    items = list_of(value, path)
    if len(items) != length:
        plural = "s" if length != 1 else ""
        raise FieldError(path, f"expected {length} number{plural} ({why}), got {len(items)}")
    return tuple(number(v, f"{path}[{k}]", -limit, limit) for k, v in enumerate(items))
