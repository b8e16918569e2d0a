"""What a paper's ``transfer.yaml`` declares, read as the workflow needs it.

The workflow asks three things of a declaration, without computing anything: which metrics
and recomputed tables a paper has (its outputs), and which of its tables and quotes each one
reads (its inputs, so a job reruns exactly when what it reads changes).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from sciteff.ingest.sidecars import load_sidecar
from sciteff.transfer.metrics import METRICS

#: The key of a declaration that lists recomputed tables rather than a metric.
RECOMPUTED = "recomputed_tables"


def load_transfer(path: str | Path) -> dict[str, Any]:
    """Read and validate a ``transfer.yaml`` (schema ``transfer``)."""
    return load_sidecar(path, "transfer")


def metrics(declaration: Mapping[str, Any]) -> list[str]:
    """The declared metrics, in :data:`METRICS` order."""
    return [m for m in METRICS if m in declaration]


def recomputed_tables(declaration: Mapping[str, Any]) -> list[str]:
    """The tables declared with recomputed columns."""
    return list(declaration.get(RECOMPUTED) or {})


def _tables_named(spec: Any) -> Iterator[str]:
    """Every ``table`` value anywhere in a (nested) declaration."""
    if isinstance(spec, Mapping):
        for key, value in spec.items():
            if key == "table" and isinstance(value, str):
                yield value
            else:
                yield from _tables_named(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _tables_named(item)


def metric_reads(declaration: Mapping[str, Any], metric: str) -> tuple[list[str], bool]:
    """(tables, whether the quotes are read) for one declared metric."""
    spec = declaration[metric]
    return sorted(set(_tables_named(spec))), metric == "growth_claims"


def table_reads(declaration: Mapping[str, Any], table: str) -> list[str]:
    """The tables one recomputed table reads: itself and any other its formulas name."""
    formulas = declaration[RECOMPUTED][table]
    return sorted({table, *_tables_named(formulas)})
