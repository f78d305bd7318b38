"""Preparation of raw extracts into processed tables (`python -m am_analytics.prepare`)."""
