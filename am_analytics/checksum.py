"""SHA-256 of files, read in blocks: how inputs and outputs are fingerprinted everywhere in the package."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(path: Path | str) -> str:
    """Hex SHA-256 of a file's bytes (the standard library reads it in blocks, without loading it whole)."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
