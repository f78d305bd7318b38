"""Atomic output: every file is written to a temporary name in its final folder, then renamed over the target.

A crash (or SIGKILL) at any moment leaves either the previous good file or the new complete one, never a
half-written file where a good one stood: `os.replace` is atomic on POSIX within one file system, which is
why the temporary file lives in the destination folder rather than in /tmp.

A killed writer leaves its temporary file (`.<name>.<8 random characters>.tmp`) behind; the next successful
write of the same target removes such leftovers when they are older than the current process and no live
writer holds them (each writer keeps an exclusive `flock` on its temporary file until it is renamed, and the
kernel drops that lock when a process dies), so a concurrent writer's file is never taken away from it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`, on failure it is removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A unique name per writer, so two concurrent runs never write into the same temporary file.
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX, dir=target.parent)
    fcntl.flock(handle, fcntl.LOCK_EX)  # "in use": leftover cleaning skips it while this process lives
    temporary = Path(name)
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
        os.close(handle)
    remove_leftovers(target)


TEMPORARY_SUFFIX = ".tmp"
_RANDOM_PART = r"[a-z0-9_]{8}"  # what tempfile.mkstemp puts between prefix and suffix
_PROCESS_STARTED = time.time()


def leftover_pattern(target: Path | str) -> re.Pattern[str]:
    """Names of the temporary files this module makes for `target` (and nothing else)."""
    name = Path(target).name
    return re.compile(re.escape(f".{name}.") + _RANDOM_PART + re.escape(TEMPORARY_SUFFIX))


def remove_leftovers(target: Path | str, older_than: float | None = None) -> list[Path]:
    """Remove the temporary files of `target` that killed writers left behind: only names of our own
    pattern, last modified before `older_than` (default: this process's start) and locked by no live writer."""
    target = Path(target)
    cutoff = _PROCESS_STARTED if older_than is None else older_than
    pattern = leftover_pattern(target)
    removed = []
    for candidate in target.parent.iterdir():
        if not pattern.fullmatch(candidate.name):
            continue
        try:
            if candidate.stat().st_mtime >= cutoff:
                continue
            descriptor = os.open(candidate, os.O_RDONLY)
        except OSError:  # gone already (another cleaner), or unreadable: not ours to force
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            continue  # a live writer holds it
        try:
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
        finally:
            os.close(descriptor)
    return removed


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
