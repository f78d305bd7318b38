"""Atomic output: every file is written to a temporary name in its final folder, then renamed over the target.

A crash (or SIGKILL) at any moment leaves either the previous good file or the new complete one, never a
half-written file where a good one stood: `os.replace` is atomic on POSIX within one file system, which is
why the temporary file lives in the destination folder rather than in /tmp.
"""

from __future__ import annotations

import json
import os
import tempfile
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
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    # mkstemp creates the file readable by its owner only; outputs get the usual permissions instead
    temporary.chmod(0o666 & ~_current_umask())
    try:
        yield temporary
        _fsync(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


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
