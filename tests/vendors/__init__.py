"""Vendors: cost comparison, scoring, knock-outs, ranking and sensitivity (SPEC 4.5, 4.6)."""
