"""Pseudonymisation of doctor identifiers: a keyed hash replaces the RPPS number on ingest.

A plain hash of an 11-digit number is reversible by brute force (10^11 candidates take minutes), so the
hash is an HMAC-SHA256 under a secret key. The key comes from the environment variable
`AM_ANALYTICS_KEY`, or from a local key file created on first use (readable by its owner only, and
ignored by git). The same key gives the same pseudonym, so a doctor's contracts stay linked across runs.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import pandas as pd

from am_analytics import paths
from am_analytics.distinct import resolve_distinct

KEY_ENVIRONMENT_VARIABLE = "AM_ANALYTICS_KEY"
KEY_FILE_NAME = ".am_analytics_key"
PSEUDONYM_LENGTH = 16  # hex characters: 64 bits, no collision to fear among a few hundred thousand doctors


def default_key_file() -> Path:
    return paths.project_root() / KEY_FILE_NAME


def load_key(key_file: Path | None = None) -> bytes:
    """The pseudonymisation key: from the environment, else from the key file (created if missing)."""
    from_environment = os.environ.get(KEY_ENVIRONMENT_VARIABLE)
    if from_environment:
        return from_environment.encode("utf-8")
    key_file = key_file or default_key_file()
    if not key_file.exists():
        _create_key_file(key_file)
    return key_file.read_text(encoding="utf-8").strip().encode("utf-8")


def _create_key_file(key_file: Path) -> None:
    """Write a new random key, readable by its owner only, unless another process got there first.

    The key is written completely under a temporary name, then linked to its final name, which fails if
    the file exists: two runs starting together end up with the same key, never with two.
    """
    key_file.parent.mkdir(parents=True, exist_ok=True)
    temporary = key_file.with_name(f".{key_file.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(secrets.token_hex(32) + "\n")
        try:
            os.link(temporary, key_file)
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)


def pseudonymise(identifiers: pd.Series, key: bytes) -> pd.Series:
    """Replace each identifier by `m_` + a truncated HMAC-SHA256; missing stays missing.

    The prefix makes a pseudonym impossible to confuse with an RPPS number (which is all digits).
    Each distinct identifier is hashed once.
    """

    def pseudonym(value: object) -> tuple[str | None]:
        if value is None:
            return (None,)
        # the one-shot hmac.digest runs in OpenSSL: as fast as copying a keyed state, with less code
        return ("m_" + hmac.digest(key, str(value).encode("utf-8"), "sha256").hex()[:PSEUDONYM_LENGTH],)

    if len(identifiers) <= _FEW:
        # A handful of values (one quarantined record): hashing them directly skips the frame machinery of
        # `resolve_distinct`, which costs a millisecond a call.
        hashed = [pseudonym(None if pd.isna(value) else value)[0] for value in identifiers.to_numpy(dtype=object)]
        return pd.Series(pd.array(hashed, dtype="string"), index=identifiers.index, name=identifiers.name)
    result = resolve_distinct(identifiers, pseudonym, ("pseudonym",))["pseudonym"]
    return result.rename(identifiers.name)


_FEW = 16


def key_fingerprint(key: bytes) -> str:
    """A short identifier of the key (not the key): processed data built under another key is stale."""
    return hmac.new(key, b"am_analytics key fingerprint", hashlib.sha256).hexdigest()[:12]
