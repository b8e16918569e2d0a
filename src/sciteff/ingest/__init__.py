"""Ingest: faithful transcriptions (tables, quotes) and input-output panels read into typed,
unit-canonical frames with provenance; :mod:`.published` addresses a paper's printed numbers."""
