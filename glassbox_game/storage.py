"""Small files that must never be lost: written atomically, read defensively.

A write goes to a temporary file in the same directory, is flushed and fsynced, then replaces the
old file with ``os.replace`` (atomic on POSIX and Windows). The previous good file is kept as
``NAME.bak`` by linking (or copying) it there first, so there is never a moment without a valid
main file. A reader falls back to the backup, then to defaults, and says why.

Every user file (levels, lecture and input scripts, settings, progress) is read through
:func:`read_regular`: regular files only, never more than a size cap, so a FIFO, a device or a
symlink to ``/dev/zero`` is refused with one line instead of hanging or filling memory. Two games
running at once serialise their settings and progress writes with :func:`locked` (``flock`` on
``NAME.lock``) and merge with what is on disk.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; writes are still atomic
    fcntl = None  # type: ignore[assignment]

import platformdirs

APP = "glassbox"


def config_dir() -> Path:
    """Where settings live (GLASSBOX_CONFIG_DIR overrides, e.g. for tests)."""
    return Path(os.environ.get("GLASSBOX_CONFIG_DIR") or platformdirs.user_config_dir(APP))


def data_dir() -> Path:
    """Where progress lives (GLASSBOX_DATA_DIR overrides)."""
    return Path(os.environ.get("GLASSBOX_DATA_DIR") or platformdirs.user_data_dir(APP))


def atomic_write_json(path: Path, data: dict[str, Any], keep_backup: bool = True) -> None:
    """Write ``data`` as JSON so that a crash at any point leaves the old or the new file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, sort_keys=True, allow_nan=False)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if keep_backup and path.exists():
            # the current file is good (it was written the same way): keep it as the backup, without
            # ever moving it away (a crash between two renames would leave no main file)
            _copy_to_backup(path, path.with_name(path.name + ".bak"))
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) so that a crash at any point leaves the old or the new file whole.

    Same recipe as :func:`atomic_write_json` without the backup: a user's own file (a saved level,
    say) is replaced only once the new text is safely on disk.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); a level file is meant to be shared, like any document
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _copy_to_backup(path: Path, backup: Path) -> None:
    """Make ``backup`` a copy of ``path`` (a hard link where possible), atomically; ``path`` stays put."""
    fd, tmp = tempfile.mkstemp(prefix=f".{backup.name}.", suffix=".tmp", dir=backup.parent)
    os.close(fd)
    try:
        try:
            os.unlink(tmp)
            os.link(path, tmp)
        except OSError:  # no hard links here (some file systems): copy the bytes
            data = read_regular(path, MAX_STORE_BYTES)
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, backup)
    except (OSError, ReadProblem):
        with contextlib.suppress(OSError):
            os.unlink(tmp)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``NAME.lock`` next to ``path`` (another game waits for it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def remove_stale_temps(path: Path) -> int:
    """Delete temporary files a killed save of ``path`` (or its backup) left behind; call under :func:`locked`."""
    removed = 0
    for pattern in (f".{path.name}.*.tmp", f".{path.name}.bak.*.tmp"):
        for tmp in path.parent.glob(pattern):
            with contextlib.suppress(OSError):
                tmp.unlink()
                removed += 1
    return removed


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


MAX_STORE_BYTES = 1_000_000  # settings.json, progress.json: a few KB in practice
MAX_JSON_DEPTH = 32  # settings and progress nest 3 deep


class ReadProblem(Exception):
    """Why a stored file could not be used (one line, for a notice).

    ``kind`` sorts the reasons for callers that word them their own way: "missing", "directory",
    "special", "large", "name", "error" (from :func:`read_regular`) or "content".
    """

    def __init__(self, message: str, kind: str = "content") -> None:
        super().__init__(message)
        self.kind = kind


def size_words(limit: int) -> str:
    """1000000 → "1 MB", 65536 → "64 KB" (decimal units, as file managers show them)."""
    if limit >= 1_000_000 and limit % 1_000_000 == 0:
        return f"{limit // 1_000_000} MB"
    if limit >= 1000 and limit % 1000 == 0:
        return f"{limit // 1000} KB"
    return f"{limit:,} bytes"


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), at most ``limit`` of them.

    Raises :class:`ReadProblem` ("no such file", "is a directory", "is not a regular file (…)",
    "is larger than 1 MB", "cannot be read (…)", "is not a usable file name"); never blocks on a
    FIFO and never reads a device.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ReadProblem("no such file", "missing") from None
    except ValueError:  # a NUL in the name
        raise ReadProblem("is not a usable file name", "name") from None
    except OSError as exc:
        raise ReadProblem(f"cannot be read ({exc.strerror or type(exc).__name__})", "error") from None
    _check_kind(st.st_mode)
    if st.st_size > limit:
        raise ReadProblem(f"is larger than {size_words(limit)}", "large")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise ReadProblem(f"cannot be read ({exc.strerror or type(exc).__name__})", "error") from None
    try:
        _check_kind(os.fstat(fd).st_mode)  # it may have been swapped since the stat
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise ReadProblem(f"cannot be read ({exc.strerror or type(exc).__name__})", "error") from None
    finally:
        os.close(fd)
    if total > limit:
        raise ReadProblem(f"is larger than {size_words(limit)}", "large")
    return b"".join(chunks)


def _check_kind(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise ReadProblem("is a directory", "directory")
    if not stat.S_ISREG(mode):
        what = "a pipe" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) \
            else "a socket" if stat.S_ISSOCK(mode) else "a special file"
        raise ReadProblem(f"is not a regular file ({what})", "special")


def _json_depth_ok(text: str, limit: int) -> bool:
    """False when brackets nest deeper than ``limit`` (checked before json.loads recurses)."""
    if text.count("[") + text.count("{") <= limit:
        return True
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def read_json(path: Path, version: int) -> dict[str, Any]:
    """Read a JSON object with ``"version" <= version``; raise ReadProblem with a reason otherwise."""
    try:
        raw = read_regular(path, MAX_STORE_BYTES)
    except ReadProblem as exc:
        if exc.kind == "missing":
            raise ReadProblem("not found", "missing") from None
        raise
    if not raw.strip():
        raise ReadProblem("is empty")
    try:
        text = raw.decode("utf-8")
        if not _json_depth_ok(text, MAX_JSON_DEPTH):
            raise ReadProblem(f"is damaged (nested more than {MAX_JSON_DEPTH} deep)")
        data = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ReadProblem("is damaged (not valid JSON)") from None
    if not isinstance(data, dict):
        raise ReadProblem("is damaged (not a JSON object)")
    v = data.get("version")
    if not isinstance(v, int) or isinstance(v, bool):
        raise ReadProblem("has no version number")
    if v > version:
        raise ReadProblem(f"was written by a newer Glassbox (format {v}; this one reads up to {version})")
    return data
