"""The three jobs of a sharded Malmquist analysis: frontiers, scoring shards, gather.

A configured Malmquist analysis with ``shards: N`` (or ``shard_size:``) runs as one frontier
job (every technology's frontier, :func:`frontier_job`), N scoring jobs (each a run of DMU
blocks, every distance of those DMUs against the stored frontiers, :func:`shard_job`) and a
gather job (:func:`gather_job`) that writes exactly the files of the unsharded
``malmquist_analysis``: the gather hands the gathered distances to the same
:func:`~sciteff.efficiency.analyses.run_malmquist`, and the unsharded run computes the same
blocks (:mod:`sciteff.efficiency.malmquist_shards`), so the bytes agree.

Every job re-reads the analysis' data and repeats the panel checks (cheap next to the LPs), so
a job needs only its input files and the pickled frontier, never a shared temporary folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from sciteff.efficiency import malmquist_shards as ms
from sciteff.efficiency.analyses import analysis_data, malmquist_tables, run_malmquist
from sciteff.efficiency.malmquist import MalmquistResult, Panel, prepare_panel
from sciteff.efficiency.shards import shard_count, shard_units
from sciteff.ingest.corrections import cells_for


def _settings(spec: Mapping[str, object]) -> tuple[str, str]:
    return str(spec.get("orientation", "in")), str(spec.get("frontier", "adjacent"))


def analysis_panel(
    frame: pd.DataFrame, spec: Mapping[str, object], *, source: str
) -> tuple[pd.DataFrame, pd.DataFrame, Panel]:
    """The analysis' long data, the DMU-periods its config excluded, and the checked panel
    (the rows and checks of :func:`~sciteff.efficiency.analyses.run_malmquist`)."""
    if "paper" in spec["source"]:  # corrected cells, or as printed with `cells: printed`
        frame = cells_for(frame, spec["source"])
    data, excluded = analysis_data(frame, spec, source=source)
    panel = prepare_panel(
        data,
        dmu="dmu",
        period="period",
        inputs=list(spec["inputs"]),
        outputs=list(spec["outputs"]),
        drop_incomplete=bool(spec.get("drop_incomplete", False)),
        source=source,
    )
    return data, excluded, panel


def frontier_job(frame: pd.DataFrame, spec: Mapping[str, object], *, source: str) -> dict:
    """Step 1: every technology's frontier and the plan of the scoring shards:
    ``{"blocks", "runs", "fronts", "dmus", "periods"}``."""
    _, _, panel = analysis_panel(frame, spec, source=source)
    orientation, frontier = _settings(spec)
    blocks = ms.plan_blocks(len(panel.dmus))
    runs = shard_units(blocks, shard_count(spec, len(panel.dmus) * len(panel.periods)))
    fronts = ms.frontiers(panel, orientation, frontier)
    return {
        "blocks": blocks,
        "runs": runs,
        "fronts": fronts,
        "dmus": list(panel.dmus),
        "periods": list(panel.periods),
    }


def _same_panel(panel: Panel, plan: Mapping[str, Any]) -> None:
    if list(panel.dmus) != plan["dmus"] or list(panel.periods) != plan["periods"]:
        raise ValueError("the data changed since the frontier job planned this analysis")


def shard_job(
    frame: pd.DataFrame, spec: Mapping[str, object], plan: Mapping[str, Any], shard: int, *,
    source: str,
) -> list[tuple[ms.Block, dict]]:  # fmt: skip
    """Step 2: shard ``shard``'s blocks, every distance against the stored frontiers."""
    _, _, panel = analysis_panel(frame, spec, source=source)
    _same_panel(panel, plan)
    orientation, frontier = _settings(spec)
    return ms.score_blocks(panel, plan["runs"][shard], plan["fronts"], orientation, frontier)


def gather_job(
    frame: pd.DataFrame, spec: Mapping[str, object], plan: Mapping[str, Any], parts: list, *,
    source: str,
) -> tuple[MalmquistResult, dict[str, pd.DataFrame], pd.DataFrame]:  # fmt: skip
    """Step 3: the result, the tables of ``malmquist_analysis`` and the analysis' data, from
    every shard's parts (an error if a block is missing or the data changed)."""
    data, excluded, panel = analysis_panel(frame, spec, source=source)
    _same_panel(panel, plan)
    distances = ms.gather_blocks(parts, plan["blocks"])
    result = run_malmquist(data, spec, source=source, distances=distances)
    return result, malmquist_tables(result, excluded), data


def frontier_sizes(plan: Mapping[str, Any]) -> dict[str, int]:
    """``{"<rts> <kind> <period>": units}`` of a plan's frontiers, for the logs."""
    return {" ".join(map(str, key)): f.size for key, f in plan["fronts"].items()}
