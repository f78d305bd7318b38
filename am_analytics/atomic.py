"""Atomic output: every file is written to a temporary name in its final folder, then renamed over the target.

A crash (or SIGKILL) at any moment leaves either the previous good file or the new complete one, never a
half-written file where a good one stood: `os.replace` is atomic on POSIX within one file system, which is
why the temporary file lives in the destination folder rather than in /tmp.

A killed writer leaves its temporary file (`.<name>.<8 random characters>.tmp`) behind; the next successful
write of the same target removes such leftovers when they are older than the current process and no live
writer holds them, so a concurrent writer's file is never taken away from it. "Held" is an exclusive lock
on a marker beside the temporary file (`….tmp.lock`), taken with `filelock` (`flock` on POSIX, `msvcrt` on
Windows, so the package imports and runs there too); the operating system drops that lock when a process
dies, which is how a cleaner tells a killed writer's leftovers from a live writer's file.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`, on failure it is removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A unique name per writer, so two concurrent runs never write into the same temporary file. The handle is
    # closed at once: the writer opens the path itself, and Windows renames no file that is still open.
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX, dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    in_use = _marker(temporary)
    in_use.acquire()  # "in use": leftover cleaning skips it while this process lives
    try:
        # mkstemp creates the file readable by its owner only; outputs get the usual permissions instead
        temporary.chmod(0o666 & ~_current_umask())
        yield temporary
        _fsync(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        _drop(in_use)
    remove_leftovers(target)


TEMPORARY_SUFFIX = ".tmp"
MARKER_SUFFIX = ".lock"
_RANDOM_PART = r"[a-z0-9_]{8}"  # what tempfile.mkstemp puts between prefix and suffix
_PROCESS_STARTED = time.time()


def _marker(temporary: Path) -> FileLock:
    """The lock that says a temporary file's writer is alive (never waited for: taken or refused at once)."""
    return FileLock(f"{temporary}{MARKER_SUFFIX}", timeout=0)


def _drop(marker: FileLock) -> None:
    marker.release()
    Path(marker.lock_file).unlink(missing_ok=True)  # POSIX filelock leaves the lock file behind


def leftover_pattern(target: Path | str) -> re.Pattern[str]:
    """Names of the temporary files (and their in-use markers) this module makes for `target`, nothing else."""
    name = Path(target).name
    return re.compile(
        re.escape(f".{name}.") + _RANDOM_PART + re.escape(TEMPORARY_SUFFIX) + f"(?:{re.escape(MARKER_SUFFIX)})?"
    )


def remove_leftovers(target: Path | str, older_than: float | None = None) -> list[Path]:
    """Remove the temporary files of `target` that killed writers left behind (and their markers): only names
    of our own pattern, last modified before `older_than` (default: this process's start) and held by no
    live writer. Returns the temporary files removed."""
    target = Path(target)
    cutoff = _PROCESS_STARTED if older_than is None else older_than
    pattern = leftover_pattern(target)
    temporaries = sorted({target.parent / candidate.name.removesuffix(MARKER_SUFFIX)
                          for candidate in target.parent.iterdir() if pattern.fullmatch(candidate.name)})
    removed = []
    for temporary in temporaries:
        if _modified(temporary) >= cutoff:
            continue
        marker = _marker(temporary)
        try:
            marker.acquire()
        except (Timeout, OSError):  # a live writer holds it, or it cannot be locked here: not ours to force
            continue
        try:
            if temporary.exists():
                temporary.unlink(missing_ok=True)
                removed.append(temporary)
        finally:
            _drop(marker)
    return removed


def _modified(temporary: Path) -> float:
    """When a temporary file (or, once it is gone, its marker) was last written; +inf when both are gone."""
    for path in (temporary, Path(f"{temporary}{MARKER_SUFFIX}")):
        try:
            return path.stat().st_mtime
        except OSError:
            continue
    return float("inf")


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync(path: Path) -> None:
    with open(path, "rb") as stream:
        os.fsync(stream.fileno())


def write_bytes(target: Path | str, data: bytes) -> Path:
    """Write bytes atomically; returns the target path."""
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)
    return Path(target)


def write_text(target: Path | str, text: str, encoding: str = "utf-8") -> Path:
    """Write text atomically (no newline translation: what is given is what is written)."""
    return write_bytes(target, text.encode(encoding))


def write_json(target: Path | str, payload: Any) -> Path:
    """Write JSON atomically, with sorted keys and a final newline so identical content gives identical bytes."""
    text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
    return write_text(target, text)


def write_with(target: Path | str, writer: Callable[[Path], object]) -> Path:
    """Let `writer(path)` write a file (a Parquet or Excel writer, say) and publish it atomically."""
    with atomic_path(target) as temporary:
        writer(temporary)
    return Path(target)
