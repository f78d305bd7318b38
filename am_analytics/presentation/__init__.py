"""Presentation layer: one `Scope` (France, a region, a background at a counting date), one catalogue of
published tables, and disclosure control applied once to every frame the report, the notebooks and the site show."""
