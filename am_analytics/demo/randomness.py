"""Named random streams: one independent generator per aspect of the data, all derived from the seed."""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """A generator for one aspect (signing dates, zones...) of the data.

    Separate streams keep aspects independent: changing how zones are drawn does not shift every
    later draw. The name is turned into a number with CRC-32, not `hash()`, whose value changes
    between Python runs.
    """
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def stratified_uniforms(rng: np.random.Generator, n: int, block: int = 50) -> np.ndarray:
    """Uniform draws in (0, 1), stratified within each block of `block` consecutive rows.

    Rows are in signing order, so each block of contracts gets exactly its share of every category
    (to one contract), in a random order inside the block: cumulative shares then follow the
    calibration at every date instead of wandering by sampling noise, which a demo of ~9 000
    contracts would otherwise show as several points.
    """
    index = np.arange(n)
    blocks = index // block
    order = np.lexsort((rng.random(n), blocks))
    rank = np.empty(n)
    rank[order] = index - blocks * block
    size = np.minimum(block, n - blocks * block)
    return (rank + rng.random(n)) / size
