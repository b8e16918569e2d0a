"""JSON Schemas of the sidecar files (see :mod:`sciteff.ingest.sidecars`)."""
