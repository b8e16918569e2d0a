"""Configured efficiency analyses: pick the data a config entry names, then run DEA or Malmquist.

An analysis is a few lines of ``config/config.yaml``: its source (a panel dataset or a paper's
table), the years, inputs, outputs, orientation and the DMUs to leave out with the reason.
This module turns such an entry into a long frame (one row per DMU and period) and runs the
library on it. Every DMU left out, by the config or for missing data, is listed in a
``dropped`` table that travels with the results; nothing is dropped silently.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import pandas as pd

from sciteff.core.errors import InputError
from sciteff.efficiency.bootstrap import Replications, bootstrap_dea, rts_test
from sciteff.efficiency.cost import cost_summary
from sciteff.efficiency.malmquist import MalmquistResult, malmquist
from sciteff.efficiency.sbm import sbm
from sciteff.efficiency.shards import scored_periods
from sciteff.efficiency.validate import allowing_zeros
from sciteff.efficiency.window import WindowResult, window_analysis
from sciteff.ingest.panels import load_panel_spec, universe_drops
from sciteff.ingest.tables import NUMERIC_KINDS

DROPPED_COLUMNS = ["dmu", "period", "reason"]

log = logging.getLogger("sciteff.analyses")
T = TypeVar("T")


def supported_years(panel: pd.DataFrame, variables: Sequence[str]) -> list[int]:
    """The longest run of consecutive years, ending at the latest such year, in which every
    variable has a value for at least one non-aggregate DMU.

    This is how ``years: auto`` is resolved: a new year's file extends the run as soon as it
    holds all the variables; a year where a variable is absent everywhere (technology-market
    turnover in 2011, say) ends the run, because Malmquist compares adjacent years only.
    """
    rows = panel[~panel["is_aggregate"]]
    present = rows.groupby("year")[list(variables)].apply(lambda g: g.notna().any().all())
    years = sorted(int(y) for y, ok in present.items() if ok)
    if not years:
        return []
    run = [years[-1]]
    for year in reversed(years[:-1]):
        if year != run[-1] - 1:
            break
        run.append(year)
    return sorted(run)


def panel_data(
    panel: pd.DataFrame, spec: Mapping[str, object], *, source: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The analysis' rows of an ingested panel, long (``dmu, period, <variables>``), and the
    table of DMU-periods left out by the config's ``exclude`` (with its reason)."""
    variables = [*spec["inputs"], *spec["outputs"], *spec.get("prices", [])]
    variables += [v for v in spec.get("undesirable", []) if v not in variables]
    for name in variables:
        if name not in panel.columns:
            raise InputError(f"no indicator {name!r} in the panel", file=source, column=name)
    years = spec.get("years", "auto")
    years = supported_years(panel, variables) if years == "auto" else [int(y) for y in years]
    missing_years = sorted(set(years) - set(panel["year"]))
    if missing_years:
        raise InputError(f"the panel has no year(s) {missing_years}", file=source, column="year")
    rows = panel[~panel["is_aggregate"] & panel["year"].isin(years)]
    # Complete or explicitly not: a province missing from (or unknown to) a year file stops the
    # analysis unless it declares that the DMU may be dropped (may_drop), then it is listed.
    rows, absent = universe_drops(rows, dict(spec.get("may_drop") or {}))
    exclude = dict(spec.get("exclude") or {})
    unknown = sorted(set(exclude) - set(rows["region"]))
    if unknown:
        raise InputError(f"exclude names unknown DMU(s) {unknown}", file=source, column="region")
    left_out = rows[rows["region"].isin(exclude)]
    dropped = pd.DataFrame(
        {
            "dmu": left_out["region"],
            "period": left_out["year"],
            "reason": [f"excluded in config: {exclude[r]}" for r in left_out["region"]],
        },
        columns=DROPPED_COLUMNS,
    )
    kept = rows[~rows["region"].isin(exclude)]
    provenance = [c for c in ("source_file", "source_row", "source_line") if c in kept.columns]
    data = kept[["region", "year", *variables, *provenance]].rename(
        columns={"region": "dmu", "year": "period"}
    )
    dropped = pd.concat([absent, dropped], ignore_index=True) if len(absent) else dropped
    data = data.reset_index(drop=True)
    data.attrs["source_columns"] = _panel_columns(panel)  # errors name the raw file's columns
    return data, dropped.reset_index(drop=True)


def _panel_columns(panel: pd.DataFrame) -> dict[str, str]:
    """Indicator name -> the year files' column, from the dataset.yaml beside them."""
    if "source_file" not in panel.columns or panel.empty:
        return {}
    spec_file = Path(str(panel["source_file"].iloc[0])).parent / "dataset.yaml"
    if not spec_file.exists():
        return {}
    return {i.name: i.column for i in load_panel_spec(spec_file).indicators}


def table_data(cells: pd.DataFrame, spec: Mapping[str, object]) -> pd.DataFrame:
    """A paper table printed wide by period (``<variable>_<period>`` columns, each with its
    period in the sidecar) as a long frame ``dmu, period, <variables>`` in canonical units."""
    numeric = cells[cells["kind"].isin(NUMERIC_KINDS) & cells["period"].notna()].copy()
    suffix = "_" + numeric["period"].astype(str)
    if not all(c.endswith(s) for c, s in zip(numeric["column"], suffix, strict=True)):
        raise InputError("wide columns must be named <variable>_<period>", file=_file(cells))
    numeric["variable"] = [c[: -len(s)] for c, s in zip(numeric["column"], suffix, strict=True)]
    long = numeric.pivot_table(
        index=["row_label", "period"], columns="variable", values="canonical_value", aggfunc="first"
    ).reset_index()
    long = long.rename(columns={"row_label": "dmu"})
    long.columns.name = None
    variables = [*spec["inputs"], *spec["outputs"], *spec.get("prices", [])]
    variables += [v for v in spec.get("undesirable", []) if v not in variables]
    for name in variables:
        if name not in long.columns:
            raise InputError(f"no variable {name!r} in the table", file=_file(cells), column=name)
    exclude = dict(spec.get("exclude") or {})
    long = long[~long["dmu"].isin(exclude)]
    order = {label: i for i, label in enumerate(dict.fromkeys(cells["row_label"]))}
    long = long.sort_values(["period", "dmu"], key=lambda s: s.map(order) if s.name == "dmu" else s)
    provenance = []
    if "source_line" in cells.columns:  # errors then name the transcription's file and line
        first = cells.drop_duplicates("row_label").set_index("row_label")
        long["source_file"] = long["dmu"].map(first["source_file"])
        long["source_line"] = long["dmu"].map(first["source_line"])
        provenance = ["source_file", "source_line"]
    out = long[["dmu", "period", *variables, *provenance]].reset_index(drop=True)
    raw: dict[str, dict[str, str]] = {}
    for var, period, column in zip(
        numeric["variable"], numeric["period"], numeric["column"], strict=True
    ):
        raw.setdefault(str(var), {})[str(period)] = str(column)
    out.attrs["source_columns"] = raw  # errors name the transcription's column
    return out


def _file(cells: pd.DataFrame) -> str:
    return str(cells["source_file"].iloc[0]) if len(cells) else "<table>"


def complete_rows(
    data: pd.DataFrame, variables: Sequence[str], *, drop: bool, source: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows with a value for every variable, and the rows left out for a missing value.

    Without ``drop`` a missing value is an error naming the source file, row and column of the
    first one (a DEA score cannot be computed for a DMU with a missing input or output).
    """
    missing = data[list(variables)].isna()
    bad = missing.any(axis=1)
    if bad.any() and not drop:
        i = int(bad.to_numpy().argmax())
        column = str(missing.columns[missing.iloc[i].to_numpy().argmax()])
        rec = data.iloc[i]
        raise InputError(
            f"{rec['dmu']} {rec['period']} has no value (set drop_incomplete: true to leave "
            f"the {int(bad.sum())} incomplete DMU-period(s) out, listed)",
            file=str(rec.get("source_file", source)),
            row=rec.get("source_row"),
            line=_line(rec),
            column=column,
        )
    reasons = [
        "missing value: "
        + ", ".join(c for c in variables if missing.at[i, c])
        + _raw_place(data.loc[i])
        for i in data.index[bad]
    ]
    for i, reason in zip(data.index[bad], reasons, strict=True):
        log.warning("dropped %s %s: %s", data.at[i, "dmu"], data.at[i, "period"], reason)
    dropped = pd.DataFrame(
        {"dmu": data.loc[bad, "dmu"], "period": data.loc[bad, "period"], "reason": reasons},
        columns=DROPPED_COLUMNS,
    )
    return data[~bad].reset_index(drop=True), dropped.reset_index(drop=True)


def _line(rec: pd.Series) -> int | None:
    """The raw file line of a panel record (None for data without one)."""
    line = rec.get("source_line")
    return int(line) if line is not None and not pd.isna(line) and int(line) > 0 else None


def _raw_place(rec: pd.Series) -> str:
    """`` (raw_data/.../2020.csv line 28)`` for a panel record, empty for other data."""
    line = _line(rec)
    return f" ({rec['source_file']} line {line})" if line is not None else ""


def _zero_policy(run: Callable[..., T]) -> Callable[..., T]:
    """Run a model under the analysis' zero policy (``allow_zero: true`` lets radial models
    take zero inputs; :mod:`sciteff.efficiency.validate` holds the one policy)."""

    @functools.wraps(run)
    def wrapped(data: pd.DataFrame, spec: Mapping[str, object], **kwargs: object) -> T:
        with allowing_zeros(bool(spec.get("allow_zero", False))):
            return run(data, spec, **kwargs)

    return wrapped


@_zero_policy
def run_dea(data: pd.DataFrame, spec: Mapping[str, object], *, source: str) -> pd.DataFrame:
    """DEAP's VRS summary (plus Andersen-Petersen super-efficiency) for each period's
    cross-section, stacked with a ``period`` column first.

    Large periods are scored in blocks against their frontier (:mod:`.shards`), exactly as a
    sharded run scores them, so both write the same bytes."""
    return dea_table(scored_periods(data, spec, source=source))


def dea_table(scored: Iterable[tuple[object, pd.DataFrame, pd.DataFrame]]) -> pd.DataFrame:
    """The ``dea.csv`` table from each period's (period, VRS summary, super-efficiency
    columns), in order; shared by the unsharded analysis and the sharded gather."""
    frames = []
    for period, summary, ranks in scored:
        summary.insert(0, "period", period)
        # super_te / super_te_status (VRS, the original columns) first, then both named models.
        at = 6
        named = [c for c in ranks if c.startswith(("super_te_crs", "super_te_vrs"))]
        for name in ["super_te", "super_te_status", *named]:
            summary.insert(at, name, ranks[name].to_numpy())
            at += 1
        # Place among the period's DMUs by overall (CRS) efficiency as DEAP prints it (3
        # decimals): 1 = best, ties share the best place.
        printed = summary["crste"].round(3)
        summary.insert(at, "crste_rank", printed.rank(ascending=False, method="min").astype(int))
        summary.insert(at + 1, "dmus_in_period", len(summary))
        frames.append(summary)
    return pd.concat(frames, ignore_index=True)


def _per_period(
    data: pd.DataFrame, source: str, model: Callable[[object, pd.DataFrame, str], pd.DataFrame]
) -> pd.DataFrame:
    """``model(period, DMUs, file)`` on each period's cross-section (``file`` names the period
    in errors), stacked in period order with a ``period`` column first."""
    frames = []
    for period, group in data.groupby("period", sort=True):
        result = model(period, group.reset_index(drop=True), f"{source} (period {period})")
        result.insert(0, "period", period)
        frames.append(result)
    return pd.concat(frames, ignore_index=True)


@_zero_policy
def run_cost(data: pd.DataFrame, spec: Mapping[str, object], *, source: str) -> pd.DataFrame:
    """Cost efficiency DEA (DEAP 2.1's model 1: te, ae = ce/te, ce and the cost-minimising
    inputs) for each period's cross-section, stacked with a ``period`` column first. The
    analysis names one price variable per input (``prices``) and ``rts`` (crs or vrs)."""
    return _per_period(
        data,
        source,
        lambda _, group, where: cost_summary(
            group,
            spec["inputs"],
            spec["outputs"],
            spec.get("prices") or [],
            dmu="dmu",
            rts=str(spec.get("rts", "crs")),
            file=where,
        ),
    )


def run_sbm(data: pd.DataFrame, spec: Mapping[str, object], *, source: str) -> pd.DataFrame:
    """Tone's SBM (with super-SBM when ``super: true``) for each period's cross-section,
    stacked with a ``period`` column first."""
    return _per_period(
        data,
        source,
        lambda _, group, where: sbm(
            group,
            spec["inputs"],
            spec["outputs"],
            dmu="dmu",
            orientation=str(spec.get("orientation", "non")),
            rts=str(spec.get("rts", "crs")),
            undesirable=list(spec.get("undesirable") or []),
            super_sbm=bool(spec.get("super", False)),
            file=where,
        ),
    )


@_zero_policy
def run_window(data: pd.DataFrame, spec: Mapping[str, object], *, source: str) -> WindowResult:
    """DEA window analysis of the panel (``width`` periods per window); DMUs with missing
    DMU-periods or values are dropped and listed only with ``drop_incomplete: true``."""
    return window_analysis(
        data,
        dmu="dmu",
        period="period",
        inputs=spec["inputs"],
        outputs=spec["outputs"],
        width=int(spec["width"]),
        rts=str(spec.get("rts", "crs")),
        orientation=str(spec.get("orientation", "in")),
        drop_incomplete=bool(spec.get("drop_incomplete", False)),
        source=source,
    )


def window_dropped(result: WindowResult, excluded: pd.DataFrame) -> pd.DataFrame:
    """Every DMU left out of a window analysis: by the config, or for missing data."""
    dropped = result.dropped.copy()
    dropped.insert(1, "period", "")
    return pd.concat([excluded, dropped[DROPPED_COLUMNS]], ignore_index=True)


def bootstrap_settings(spec: Mapping[str, object]) -> tuple[dict[str, object], dict[str, object]]:
    """Keyword arguments of :func:`bootstrap_dea` and of :func:`rts_test` for an analysis."""
    common: dict[str, object] = {
        "orientation": str(spec.get("orientation", "in")),
        "reps": int(spec.get("reps", 2000)),
        "seed": int(spec.get("seed", 0)),
        "bandwidth_override": spec.get("bandwidth"),
    }
    scores = {**common, "rts": str(spec.get("rts", "vrs")), "alpha": float(spec.get("alpha", 0.05))}
    return scores, common


@_zero_policy
def run_bootstrap(
    data: pd.DataFrame,
    spec: Mapping[str, object],
    *,
    source: str,
    replications: Mapping[object, tuple[Replications, Replications]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simar-Wilson bootstrap of each period's radial scores and Simar-Wilson's (2002) test of
    constant returns to scale per period: (scores with a ``period`` column first, tests).
    ``replications`` (a sharded run's gathered replications per period: scores, test) skips
    the LPs, see :mod:`sciteff.efficiency.bootstrap_shards`."""
    tests: list[dict[str, object]] = []
    warnings: list[str] = []
    scores_kw, test_kw = bootstrap_settings(spec)
    given = replications or {}

    def period_scores(period: object, group: pd.DataFrame, where: str) -> pd.DataFrame:
        args = (group, spec["inputs"], spec["outputs"])
        boot, test = given.get(period, (None, None))
        result = bootstrap_dea(*args, dmu="dmu", file=where, replications=boot, **scores_kw)
        warnings.extend(result.attrs.get("warnings", []))
        test_result = rts_test(*args, dmu="dmu", file=where, replications=test, **test_kw)
        tests.append({"period": period, **test_result})
        return result

    scores = _per_period(data, source, period_scores)
    scores.attrs["warnings"] = warnings
    return scores, pd.DataFrame(tests)


@_zero_policy
def run_malmquist(
    data: pd.DataFrame,
    spec: Mapping[str, object],
    *,
    source: str,
    distances: Mapping[tuple, object] | None = None,
) -> MalmquistResult:
    """Adjacent-period Malmquist indices; DMUs with missing DMU-periods or values are dropped
    and listed only when the analysis says ``drop_incomplete: true``; every drop is also
    printed (a warning), with the raw file and line of its first missing value. ``distances``
    (a sharded run's gathered distances) skips the LPs, see :func:`malmquist`."""
    result = malmquist(
        data,
        dmu="dmu",
        period="period",
        inputs=spec["inputs"],
        outputs=spec["outputs"],
        orientation=str(spec.get("orientation", "in")),
        drop_incomplete=bool(spec.get("drop_incomplete", False)),
        source=source,
        frontier=str(spec.get("frontier", "adjacent")),
        distances=distances,
    )
    variables = [*spec["inputs"], *spec["outputs"]]
    for dmu, reason in zip(result.dropped["dmu"], result.dropped["reason"], strict=True):
        rows = data[data["dmu"] == dmu]
        gaps = rows[rows[variables].isna().any(axis=1)]
        where = _raw_place(gaps.iloc[0]) if len(gaps) else ""
        log.warning("dropped %s: %s%s", dmu, reason, where)
    return result


def analysis_data(
    frame: pd.DataFrame, spec: Mapping[str, object], *, source: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The long data of an analysis from its ingested source (a panel or a paper table's
    cells), and the DMU-periods the config excluded."""
    if "panel" in spec["source"]:
        return panel_data(frame, spec, source=source)
    data = table_data(frame, spec)
    exclude = dict(spec.get("exclude") or {})
    excluded = pd.DataFrame(
        [
            {"dmu": d, "period": "", "reason": f"excluded in config: {r}"}
            for d, r in exclude.items()
        ],
        columns=DROPPED_COLUMNS,
    )
    return data, excluded


def scored_rows(
    frame: pd.DataFrame, spec: Mapping[str, object], variables: Sequence[str], *, source: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows a per-period analysis scores (every ``variables`` value present) and every row
    it leaves out: the config's exclusions, then, with ``drop_incomplete``, the DMU-periods
    missing a value (without it a missing value is an error, :func:`complete_rows`)."""
    data, excluded = analysis_data(frame, spec, source=source)
    drop = bool(spec.get("drop_incomplete", False))
    data, incomplete = complete_rows(data, list(dict.fromkeys(variables)), drop=drop, source=source)
    return data, pd.concat([excluded, incomplete], ignore_index=True)


def malmquist_tables(result: MalmquistResult, excluded: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The files of a Malmquist analysis: tidy indices, DEAP's per-pair tables stacked with a
    ``period`` column, annual and firm means, and every DMU left out (config or missing data)."""
    pairs = pd.concat(
        [table.assign(period=later) for later, table in result.pair_tables().items()],
        ignore_index=True,
    )
    pairs = pairs[["period", *[c for c in pairs.columns if c != "period"]]]
    dropped = result.dropped.rename(columns={result.dmu: "dmu"})
    if "period" not in dropped.columns:
        dropped.insert(1, "period", "")
    dropped = pd.concat([excluded, dropped[DROPPED_COLUMNS]], ignore_index=True)
    return {
        "indices": result.indices,
        "pairs": pairs,
        "annual": result.annual_means,
        "firms": result.firm_means,
        "dropped": dropped,
    }
