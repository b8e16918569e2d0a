"""The published numbers as the audit reads them: as printed, quotes hedged by the vocabulary.

The ingested tables carry declared corrections beside the printed cells
(:mod:`sciteff.ingest.corrections`); the audit judges what the paper printed, so it reads the
cells back as printed, and it gives every quote the interval its approximate word declares
in :mod:`sciteff.audit.vocabulary` (one table for all checks).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from sciteff.audit.vocabulary import interval_for, word_in
from sciteff.core import units
from sciteff.ingest.corrections import as_printed
from sciteff.ingest.published import COUNT_UNITS, Number, PaperNumbers, quote_value_text


class AuditNumbers(PaperNumbers):
    """:class:`PaperNumbers` whose quotes take their interval from the audit's vocabulary."""

    def quoted(self, quote_id: str) -> Number:
        """A quote by id, its interval set by its approximate word (``docs/audit.md``)."""
        number = super().quoted(quote_id)
        row = self.quotes.get(number.ref)
        if row is None:
            return number
        unit = units.lookup(row["unit"])
        raw, half = quote_value_text(str(row["value_printed"]), float(row["value"]))
        word = word_in(str(row["quote"]), str(row["qualifier"]))
        exact = unit.name in COUNT_UNITS and "." not in raw
        declared = interval_for(float(raw), half, word, exact=exact)
        return replace(
            number,
            declared=declared,
            interval=declared.scale(unit.factor),
            extra={**number.extra, "word": word},
        )

    def literal(self, spec: dict[str, object]) -> Number:
        """A number declared in a check (a title, or a sentence no quote row holds):
        ``{ref, published, quote}`` and optionally ``unit`` (converted to canonical units) and
        ``word`` (an approximate word of the vocabulary: "the majority" is ``more_than`` 50%)."""
        if "unit" not in spec and "word" not in spec:
            return super().literal(spec)
        unit = units.lookup(spec.get("unit", "items"))
        token = str(spec["published"]).strip().rstrip("%").replace(",", "")
        raw, half = quote_value_text(token, float(token))
        word = str(spec.get("word", "exact"))
        exact = unit.name in COUNT_UNITS and "." not in raw
        declared = interval_for(float(raw), half, word, exact=exact)
        ref = str(spec["ref"])
        return Number(
            ref=ref,
            paper=self.paper,
            table=ref.split(":")[0],
            row=None,
            row_label=str(spec.get("row_label", "(text)")),
            column=str(spec.get("column", "claim")),
            published=str(spec["published"]),
            interval=declared.scale(unit.factor),
            declared=declared,
            unit=unit.name,
            canonical_unit=unit.canonical,
            quote=str(spec.get("quote", "")),
            qualifier=word,
        )


def printed_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every table's cells as printed (declared corrections undone)."""
    return {name: as_printed(cells) for name, cells in tables.items()}
