"""What a paper's ``transfer.yaml`` declares, read as the workflow needs it.

The workflow asks three things of a declaration, without computing anything: which metrics
and recomputed tables a paper has (its outputs), and which of its tables and quotes each one
reads (its inputs, so a job reruns exactly when what it reads changes).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from sciteff.core.errors import InputError
from sciteff.ingest.published import PaperNumbers
from sciteff.ingest.sidecars import SidecarError, line_of, load_sidecar
from sciteff.transfer.metrics import METRICS, compute, recomputed_table

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


def _located(path: str | Path, keys: list[str], exc: InputError) -> SidecarError:
    """A declaration that names a table, row, column or quote the paper lacks, pointed at the
    declaration's key and line (the user edits transfer.yaml, not the table)."""
    node = yaml.compose(Path(path).read_text(encoding="utf-8"))
    return SidecarError(exc.reason, file=str(path), key=".".join(keys), line=line_of(node, keys))


def compute_declared(nums: PaperNumbers, path: str | Path, metric: str) -> pd.DataFrame:
    """The metric ``metric`` as ``path`` (a transfer.yaml) declares it."""
    declaration = load_transfer(path)
    try:
        return compute(nums, metric, declaration[metric])
    except InputError as exc:
        raise _located(path, [metric], exc) from None


def recompute_declared(nums: PaperNumbers, path: str | Path, table: str) -> pd.DataFrame:
    """The recomputed table ``table`` as ``path`` (a transfer.yaml) declares it."""
    declaration = load_transfer(path)
    try:
        return recomputed_table(nums, table, declaration[RECOMPUTED][table])
    except InputError as exc:
        raise _located(path, [RECOMPUTED, table], exc) from None
