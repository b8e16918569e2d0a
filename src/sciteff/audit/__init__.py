"""Audit: every published number checked against its recomputation (checks, rounding
intervals, reconciliation of tables), one finding per number."""
