"""A paper folder read straight from ``raw_data`` (tables and quotes), as the ingest stage
would write them: for the library's users, the command line and tests, which have no
workflow results to read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sciteff.ingest.tables import ingest_quotes, ingest_table, load_table_spec


def load_paper_sources(
    folder: str | Path,
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame | None]:
    """Ingest a paper's transcriptions: ``({table: cells}, quotes or None)``. The paper's id
    is the folder's name."""
    folder = Path(folder)
    tables = {}
    for sidecar in sorted(folder.glob("table*.yaml")):
        spec = load_table_spec(sidecar)
        tables[spec.table] = ingest_table(sidecar.with_suffix(".csv"), spec)
    quotes_csv = folder / "quotes.csv"
    quotes = ingest_quotes(quotes_csv, folder.name) if quotes_csv.exists() else None
    return tables, quotes
