"""A paper folder read straight from ``raw_data`` (tables and quotes), as the ingest stage
writes them: for the library's users, the command line and tests, which have no workflow
results to read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sciteff.ingest.corrections import apply_corrections, load_corrections
from sciteff.ingest.tables import ingest_quotes, ingest_table, load_table_spec


def load_paper_sources(
    folder: str | Path,
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame | None]:
    """Ingest a paper's transcriptions: ``({table: cells}, quotes or None)``, the tables with
    the paper's declared corrections applied and the quotes checked against ``source.txt``
    where the folder has one, as the ingest stage does. The paper's id is the folder's name."""
    folder = Path(folder)
    corrections = load_corrections(folder / "corrections.yaml")
    tables = {}
    for sidecar in sorted(folder.glob("table*.yaml")):
        spec = load_table_spec(sidecar)
        cells = ingest_table(sidecar.with_suffix(".csv"), spec)
        tables[spec.table] = apply_corrections(cells, corrections)
    quotes_csv = folder / "quotes.csv"
    source = folder / "source.txt"
    quotes = (
        ingest_quotes(quotes_csv, folder.name, source=source if source.exists() else None)
        if quotes_csv.exists()
        else None
    )
    return tables, quotes
