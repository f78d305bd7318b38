"""Deterministic synthetic demo data: contract extracts, open data and survey, each with a provenance sidecar.

No contract-level data, monthly regional series or survey microdata are public, so the package ships
its own stand-in, generated from one seed and calibrated on the published national figures. Every file
says it is synthetic (sidecar `synthetic: true` and a French warning); it must never pass for real data.
"""

from __future__ import annotations

from am_analytics.demo.build import DEFAULT_CONTRACTS, DEFAULT_SEED, generate
from am_analytics.demo.truth import build_truth

__all__ = ["DEFAULT_CONTRACTS", "DEFAULT_SEED", "build_truth", "generate"]
