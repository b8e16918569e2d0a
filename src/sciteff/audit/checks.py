"""The check vocabulary of the audit: each kind recomputes published numbers from others.

Checks are declared per paper in ``raw_data/papers/<paper>/checks.yaml`` (format and the
meaning of every kind in ``docs/audit.md``); :func:`run_check` turns one declaration into one
:class:`Result` per checked published number. Every comparison is rounding-aware: a published
number is ``inconsistent`` only if its interval and the recomputed interval do not intersect.

Row-wise kinds (``product``, ``ratio``/``rate``/``average``, ``growth``, ``share``,
``formula``) are rewritten as formulas over the cells of one row, so one evaluator serves them
all; ``sum`` and ``mean`` work down a column; the claim kinds compare a sentence of the text
with a table; ``official`` compares with the province panel.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd

from sciteff.core import units
from sciteff.core.errors import InputError
from sciteff.core.intervals import (
    Interval,
    arithmetic_mean,
    fmt,
    geometric_mean,
    interval_sum,
)
from sciteff.ingest.published import Number, PaperNumbers, placeholder_number

#: ``ambiguous``: the text allows several readings (listed, each with its own arithmetic) and
#: some hold while others do not; ``inconsistent``: no reading the text allows can hold.
VERDICTS = ("consistent", "inconsistent", "ambiguous", "differs", "not_checkable")
SEVERITIES = ("info", "minor", "major")
#: A relative gap above this makes an arithmetic inconsistency ``major`` (below: ``minor``).
MAJOR_GAP = 0.10

ROW_KINDS = frozenset({"product", "ratio", "rate", "average", "growth", "share", "formula"})
CELL_KINDS = frozenset({"equation", "same_value", "ratio_claim"})
KINDS = (
    ROW_KINDS
    | CELL_KINDS
    | {
        "sum",
        "mean",
        "count_claim",
        "rank_claim",
        "threshold_claim",
        "unit_consistency",
        "official",
        "order_claim",
        "malmquist_levels",
        "malmquist_span",
        "correction",
    }
)


@dataclass
class Result:
    """One check applied to one published number."""

    check_id: str
    kind: str
    target: Number
    verdict: str
    explanation: str
    recomputed: Interval | None = None
    recomputed_value: float | None = None
    severity: str = "info"
    operands: tuple[str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)


def severity_for(
    target: Number, recomputed: Interval | None, verdict: str, declared: str | None
) -> str:
    """``info`` unless inconsistent; then the declared severity, else ``major`` when the gap
    exceeds :data:`MAJOR_GAP` of the recomputed value (or cannot be measured), else ``minor``.
    """
    if verdict != "inconsistent":
        return "info"
    if declared:
        return declared
    if recomputed is None or not recomputed.bounded or not target.interval.bounded:
        return "major"
    gap = target.interval.distance(recomputed)
    scale = max(abs(recomputed.mid), 1e-12)
    return "major" if gap / scale > MAJOR_GAP else "minor"


def compare(target: Number, recomputed: Interval) -> str:
    """``consistent`` when the intervals meet, ``not_checkable`` when the recomputation is
    unbounded (e.g. division by a printed 0), else ``inconsistent``."""
    if math.isinf(recomputed.lo) and math.isinf(recomputed.hi):
        return "not_checkable"
    return "consistent" if target.interval.intersects(recomputed) else "inconsistent"


def show(value: float, unit: str) -> str:
    """A canonical value in a reader's form: fractions as percentages."""
    if unit == "fraction":
        return f"{fmt(value * 100, 5)}%"
    if unit == "yuan" and math.isfinite(value) and abs(value) >= 1e8:
        return f"{fmt(value / 1e9, 6)} billion yuan"
    return fmt(value, 7)


def show_interval(iv: Interval, unit: str) -> str:
    """An interval in a reader's form ("0.9805...0.9815", "31.80%...31.83%")."""
    return f"{show(iv.lo, unit)}...{show(iv.hi, unit)}"


def _noted(check: dict, text: str) -> str:
    """``text`` followed by the declaration's ``note``, if it has one."""
    return f"{text}. {check['note']}" if check.get("note") else text


def _result(
    check: dict,
    kind: str,
    target: Number,
    verdict: str,
    explanation: str,
    severity: str | None = None,
    **fields: object,
) -> Result:
    """The :class:`Result` of ``check`` on ``target``; without ``severity``, the one
    :func:`severity_for` gives when there is no recomputed interval to measure a gap on."""
    if severity is None:
        severity = severity_for(target, None, verdict, check.get("severity"))
    return Result(
        check_id=str(check["id"]),
        kind=kind,
        target=target,
        verdict=verdict,
        explanation=explanation,
        severity=severity,
        **fields,  # type: ignore[arg-type]
    )


# --- formulas over numbers ----------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_OPS: dict[type, Callable[[object, object], object]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def evaluate(formula: str, resolve: Callable[[str], Number]) -> tuple[Interval, float, str, list]:
    """Evaluate ``formula`` ("{a} / {b} - 1") over intervals and over printed values.

    Returns the interval, the point value from the printed numbers (NaN if it divides by 0),
    the formula with printed tokens shown, and the operand numbers.
    """
    numbers: list[Number] = []

    def sub(match: re.Match[str]) -> str:
        numbers.append(resolve(match.group(1).strip()))
        return f"v{len(numbers) - 1}"

    source = _PLACEHOLDER.sub(sub, formula)
    tree = ast.parse(source, mode="eval")
    shown = _PLACEHOLDER.sub(lambda m: "{}", formula)
    shown = shown.format(*[n.published for n in numbers])

    def run(node: ast.AST, env: list[object]) -> object:
        if isinstance(node, ast.Expression):
            return run(node.body, env)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](run(node.left, env), run(node.right, env))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -run(node.operand, env)  # type: ignore[operator]
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id.startswith("v"):
            return env[int(node.id[1:])]
        raise InputError(f"unsupported element in formula {formula!r}")

    interval = run(tree, [n.interval for n in numbers])
    if not isinstance(interval, Interval):
        interval = Interval.point(float(interval))  # a formula of constants only
    try:
        point = float(run(tree, [n.point for n in numbers]))  # type: ignore[arg-type]
    except ZeroDivisionError:
        point = float("nan")
    return interval, point, shown, numbers


def _arith_result(
    check: dict, target: Number, interval: Interval, point: float, shown: str, operands: list
) -> Result:
    verdict = compare(target, interval)
    unit = target.canonical_unit
    what = f"{target.published} printed"
    if verdict == "not_checkable":
        text = f"{what}; {shown} cannot be bounded (division by a number printed as 0)"
    else:
        text = (
            f"{what} ({show_interval(target.interval, unit)}); {shown} = "
            f"{show(point, unit) if math.isfinite(point) else 'n/a'} "
            f"({show_interval(interval, unit)} within rounding)"
        )
        text += " - agrees within rounding" if verdict == "consistent" else " - CANNOT agree"
    return _result(
        check,
        str(check["kind"]),
        target,
        verdict,
        _noted(check, text),
        severity=severity_for(target, interval, verdict, check.get("severity")),
        recomputed=interval,
        recomputed_value=point,
        operands=tuple(n.ref for n in operands),
    )


def _row_formula(check: dict) -> str:
    kind = check["kind"]
    if kind == "product":
        return " * ".join(f"{{{c}}}" for c in check["factors"])
    if kind in ("ratio", "rate", "average"):
        return f"{{{check['numerator']}}} / {{{check['denominator']}}}"
    if kind == "growth":
        return f"{{{check['new']}}} / {{{check['old']}}} - 1"
    if kind == "share":
        part = check.get("part")
        return f"{{{part}}} / {{{check['table']}:{check['total_row']}:{part}}}"
    return str(check["formula"])


def row_wise(check: dict, nums: PaperNumbers) -> list[Result]:
    """``product``, ``ratio``/``rate``/``average``, ``growth``, ``share``, ``formula``:
    the target column of each selected row recomputed from other cells of the same row.

    A placeholder is a column of the same row (``{vrste}``), a column of another table joined
    by ``join`` (``{table5.n_projects}``; join ``row`` = same ingest row, ``label`` = same
    label), or an absolute reference (``{table2:Total:volume_2023}``).
    """
    table = check["table"]
    formula = _row_formula(check)
    join = check.get("join", "label")
    results = []
    for row in nums.select_rows(table, check.get("rows"), check.get("exclude")):
        if not nums.is_number(table, row, check["target"]):
            continue

        def resolve(ref: str, row: int = row) -> Number:
            if ":" in ref:
                return nums.resolve(ref)
            if "." in ref:
                other, column = ref.split(".", 1)
                if join == "row":
                    return nums.cell(other, row, column)
                return nums.cell(other, nums.row_number(other, nums.label(table, row)), column)
            return nums.cell(table, row, ref)

        target = nums.cell(table, row, check["target"])
        interval, point, shown, operands = evaluate(formula, resolve)
        results.append(_arith_result(check, target, interval, point, shown, operands))
    return results


def cell_equation(check: dict, nums: PaperNumbers) -> list[Result]:
    """``equation``/``same_value``/``ratio_claim``: one published number (a cell or a text
    figure, whose qualifier sets its interval) against a formula of other numbers."""
    target = _target(check, nums)
    formula = check.get("formula") or f"{{{check['value_of']}}}"
    interval, point, shown, operands = evaluate(str(formula), nums.resolve)
    return [_arith_result(check, target, interval, point, shown, operands)]


def _target(check: dict, nums: PaperNumbers) -> Number:
    target = check["target"]
    if isinstance(target, dict):
        return nums.literal(target)
    return nums.resolve(str(target))


def column_wise(check: dict, nums: PaperNumbers) -> list[Result]:
    """``sum`` (the total row = the sum of the other rows) and ``mean`` (the mean row =
    arithmetic or geometric mean of the rows) for each listed column."""
    table = check["table"]
    kind = check["kind"]
    result_row_name = check["total_row"] if kind == "sum" else check["mean_row"]
    result_row = nums.row_number(table, result_row_name)
    exclude = [*check.get("exclude", []), f"#{result_row}"]
    rows = nums.select_rows(table, check.get("rows"), exclude)
    method = check.get("method", "arithmetic")
    results = []
    for column in check["columns"]:
        target = nums.cell(table, result_row, column)
        parts = [nums.cell(table, r, column) for r in rows if nums.is_number(table, r, column)]
        ivs = [p.interval for p in parts]
        points = [p.point for p in parts]
        if kind == "sum":
            interval, point = interval_sum(ivs), sum(points)
            shown = f"sum of {len(parts)} rows"
        elif method == "geometric":
            interval = geometric_mean(ivs)
            point = math.exp(sum(math.log(p) for p in points) / len(points))
            shown = f"geometric mean of {len(parts)} rows"
        else:
            interval, point = arithmetic_mean(ivs), sum(points) / len(points)
            shown = f"arithmetic mean of {len(parts)} rows"
        results.append(_arith_result(check, target, interval, point, shown, parts))
    return results


# --- claims of the text about tables ------------------------------------------------------

_RELATIONS: dict[str, Callable[[float, float], bool]] = {
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "eq": lambda a, b: a == b,
}
_SYMBOLS = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "="}
_QUALIFIER_RELATION = {
    "over": "gt",
    "more_than": "gt",
    "at_least": "ge",
    "below": "lt",
    "exact": "eq",
}


def _condition(nums: PaperNumbers, table: str, row: int, cond: dict) -> bool:
    """Whether one row satisfies one condition of a count, judged on the PRINTED value (a
    claim about a table is a claim about what it prints: 1.000 counts as "= 1")."""
    column = cond["column"]
    if "in" in cond:
        text = str(nums.raw_cell(table, row, column)["text"])
        return text in [str(v) for v in cond["in"]]
    if not nums.is_number(table, row, column):
        return False
    rel = next(k for k in _RELATIONS if k in cond)
    return _RELATIONS[rel](nums.cell(table, row, column).declared.mid, float(cond[rel]))


def count_claim(check: dict, nums: PaperNumbers) -> list[Result]:
    """A count (or, with ``as_share``, a share of rows) stated in the text against the number
    of table rows (``rows``/``exclude``) whose printed cells satisfy every condition in
    ``where`` (``{column, in: [...]}`` for categories; ``{column, eq|gt|ge|lt|le: x}``)."""
    target = _target(check, nums)
    table = check["table"]
    rows = nums.select_rows(table, check.get("rows"), check.get("exclude"))
    certain = sum(
        all(_condition(nums, table, row, c) for c in check.get("where", [])) for row in rows
    )
    possible = certain
    scale = 1.0 / len(rows) if check.get("as_share") else 1.0
    interval = Interval(certain * scale, possible * scale)
    verdict = compare(target, interval)
    unit = target.canonical_unit
    conds = (
        " and ".join(_describe_condition(c) for c in check.get("where", []))
        or "no condition (all rows)"
    )
    counted = f"{certain}" if certain == possible else f"{certain}-{possible}"
    text = (
        f"claim {target.published} ({show_interval(target.interval, unit)}); {table} has "
        f"{counted} of {len(rows)} rows with {conds}"
    )
    if check.get("as_share"):
        text += f" = {show_interval(interval, unit)}"
    text += " - consistent" if verdict == "consistent" else " - the claim does NOT match"
    return [
        _result(
            check,
            "count_claim",
            target,
            verdict,
            _noted(check, text),
            recomputed=interval,
            recomputed_value=interval.mid,
        )
    ]


def _describe_condition(cond: dict) -> str:
    if "in" in cond:
        return f"{cond['column']} in {list(cond['in'])}"
    rel = next(k for k in _RELATIONS if k in cond)
    return f"{cond['column']} {_SYMBOLS[rel]} {cond[rel]}"


def rank_claim(check: dict, nums: PaperNumbers) -> list[Result]:
    """ "ranked first", "the highest", "followed by X" (second lowest): the rank of a row in a
    column (``order: desc`` - 1 is the largest, ``asc`` - 1 is the smallest), as a range
    allowing ties within rounding, against the claimed ``rank`` (default the figure's value)."""
    target = _target(check, nums)
    table, column = check["table"], check["column"]
    row = nums.row_number(table, check["row"])
    claimed = int(check.get("rank", round(target.point)))
    mine = nums.cell(table, row, column).interval
    others = [
        nums.cell(table, r, column)
        for r in nums.select_rows(table, check.get("rows"), check.get("exclude"))
        if r != row and nums.is_number(table, r, column)
    ]
    desc = check.get("order", "desc") == "desc"
    ahead_certain = [
        o for o in others if (o.interval.lo > mine.hi if desc else o.interval.hi < mine.lo)
    ]
    ahead_possible = [
        o for o in others if (o.interval.hi >= mine.lo if desc else o.interval.lo <= mine.hi)
    ]
    best, worst = len(ahead_certain) + 1, len(ahead_possible) + 1
    verdict = "consistent" if best <= claimed <= worst else "inconsistent"
    word = "largest" if desc else "smallest"
    rank_text = f"{best}" if best == worst else f"{best}-{worst}"
    text = (
        f"claimed rank {claimed} ({word} first) of {nums.label(table, row)} by {column}; "
        f"{table} gives rank {rank_text} of {len(others) + 1}"
    )
    if verdict == "inconsistent" and ahead_certain:
        lead = ", ".join(f"{o.row_label} {o.published}" for o in ahead_certain[: max(claimed, 3)])
        text += f" ({lead} ahead of {nums.cell(table, row, column).published})"
    return [
        _result(
            check,
            "rank_claim",
            target,
            verdict,
            _noted(check, text),
            recomputed=Interval(best, worst),
            recomputed_value=float(best),
            operands=(nums.cell_ref(table, row, column),),
        )
    ]


def possible_and_certain(iv: Interval, rel: str, threshold: float) -> tuple[bool, bool]:
    """Whether some value (possible) / every value (certain) of a printed number's rounding
    interval satisfies ``value <rel> threshold``. The interval's upper end is exclusive: a
    printed 1.000 covers [0.9995, 1.0005), so "1.000 > 1" is possible (if the unrounded value
    lies in (1, 1.0005)) and "1.000 >= 1.0005" is not."""
    lo, hi = iv.lo, iv.hi
    if rel == "gt":
        return hi > threshold, lo > threshold
    if rel == "ge":
        return hi > threshold if lo != hi else hi >= threshold, lo >= threshold
    if rel == "lt":
        return lo < threshold, hi <= threshold if lo != hi else hi < threshold
    if rel == "le":
        return lo <= threshold, hi <= threshold
    return lo <= threshold < hi or lo == threshold == hi, lo == threshold == hi


def boundary_note(cell: Number, rel: str, threshold: float) -> str:
    """The range of unrounded values in which a boundary claim holds ("(1, 1.0005)")."""
    lo, hi = cell.declared.lo, cell.declared.hi
    t = fmt(threshold)
    span = {
        "gt": f"({t}, {fmt(hi)})",
        "ge": f"[{t}, {fmt(hi)})",
        "lt": f"[{fmt(lo)}, {t})",
        "le": f"[{fmt(lo)}, {t}]",
        "eq": f"{t}",
    }[rel]
    where = f"{cell.row_label} {cell.column} {cell.published}"
    return f"{where} holds only if its unrounded value lies in {span}"


def threshold_claim(check: dict, nums: PaperNumbers) -> list[Result]:
    """ "above 1", "less than 0.9", "mostly below 0.5": the named rows' printed values against
    a threshold, by the rounding rule: a printed value satisfies the claim when some value it
    rounds from does (a printed 1.000 covers [0.9995, 1.0005), so "1.000 is above 1" holds,
    with the note that it holds only if the unrounded value lies in (1, 1.0005)).
    ``min_fraction`` (default 1) is the share of (row, column) cells that must satisfy the
    relation ("mostly": 0.5)."""
    target = _target(check, nums)
    table = check["table"]
    columns = check.get("columns") or [check["column"]]
    rel = check.get("relation") or _QUALIFIER_RELATION[target.qualifier]
    threshold = float(check.get("threshold", target.point))
    rows = nums.select_rows(table, check.get("rows"), check.get("exclude"))
    cells = [nums.cell(table, r, c) for r in rows for c in columns]
    judged = [(c, *possible_and_certain(c.declared, rel, threshold)) for c in cells]
    passing = [c for c, possible, _ in judged if possible]
    boundary = [c for c, possible, certain in judged if possible and not certain]
    failing = [c for c in cells if c not in passing]
    need = float(check.get("min_fraction", 1.0))
    ok = len(passing) / len(cells) > need if need < 1 else not failing
    verdict = "consistent" if ok else "inconsistent"
    text = (
        f"claim: {_SYMBOLS[rel]} {fmt(threshold)} for {len(cells)} printed cells; "
        f"{len(passing)} hold"
    )
    if failing:
        text += "; not: " + ", ".join(f"{c.row_label} {c.column} {c.published}" for c in failing)
    if boundary:
        text += (
            " (rounding boundary: "
            + "; ".join(boundary_note(c, rel, threshold) for c in boundary)
            + ")"
        )
    return [
        _result(
            check,
            "threshold_claim",
            target,
            verdict,
            _noted(check, text),
            recomputed=Interval(len(passing), len(passing)),
            recomputed_value=float(len(passing)),
            operands=tuple(c.ref for c in cells),
            extra={"boundary": [c.ref for c in boundary]},
        )
    ]


def unit_consistency(check: dict, nums: PaperNumbers) -> list[Result]:
    """The same quantity printed with different units: rows of column ``b`` whose printed
    numbers equal (within rounding) those of column ``a``; if any match and the declared units
    differ, ``b``'s unit is inconsistent. The finding is on ``b``'s column header."""
    a, b = check["a"], check["b"]
    a_cells, b_cells = _column_numbers(nums, a), _column_numbers(nums, b)
    matched = [(x, y) for y in b_cells for x in a_cells if x.declared.intersects(y.declared)]
    a_unit, b_unit = a_cells[0].unit, b_cells[0].unit
    raw = nums.raw_cell(b["table"], b_cells[0].row or 1, b["column"])
    printed_unit = str(raw["printed_unit"] or b_unit)
    target = placeholder_number(
        f"{b['table']}:header:{b['column']}",
        nums.paper,
        b["table"],
        b["column"],
        "(column unit)",
        printed_unit,
        b_unit,
    )
    if not matched:
        verdict, text = "not_checkable", "no printed number is shared by the two columns"
    else:
        same = a_unit == b_unit
        verdict = "consistent" if same else "inconsistent"
        example = ", ".join(f"{y.published}" for _, y in matched[:3])
        text = (
            f"{len(matched)} of {len(b_cells)} numbers of {b['table']}.{b['column']} "
            f"({printed_unit}) are printed identically in {a['table']}.{a['column']} "
            f"({a_unit}), e.g. {example}"
        )
        if not same:
            text += f": the same numbers cannot be in both '{a_unit}' and '{b_unit}'"
    factor = units.lookup(a_unit).factor / units.lookup(b_unit).factor
    return [
        _result(
            check,
            "unit_consistency",
            target,
            verdict,
            _noted(check, text),
            operands=tuple(x.ref for x, _ in matched),
            extra={
                "factor": max(factor, 1 / factor) if factor > 0 else 0.0,
                "columns": [(a["table"], a["column"]), (b["table"], b["column"])],
            },
        )
    ]


def _column_numbers(nums: PaperNumbers, where: dict) -> list[Number]:
    """The numbers printed in column ``where["column"]`` of table ``where["table"]``."""
    table, column = where["table"], where["column"]
    return [
        nums.cell(table, r, column) for r, _ in nums.rows(table) if nums.is_number(table, r, column)
    ]


def official(check: dict, nums: PaperNumbers, panel: pd.DataFrame | None) -> list[Result]:
    """A level (or growth) the paper states for a region and year against the official
    province panel; reported as information: ``consistent`` or ``differs``, with the gap and
    the definitions that may differ (``definitions`` in the declaration)."""
    target = _target(check, nums)
    if panel is None:
        return [_not_checkable(check, target, "the province panel is not available")]
    region, indicator = check["region"], check["indicator"]
    years = [int(y) for y in check.get("years") or _years(target.extra.get("year", ""))]
    series = panel[(panel["region"] == region)].set_index("year")[indicator].dropna()
    measure = check.get("measure", "level")
    parts, verdicts, values = [], [], []
    for year in years:
        if measure == "growth":
            if year not in series.index or year - 1 not in series.index:
                parts.append(f"{year}: no panel value")
                continue
            value = series[year] / series[year - 1] - 1
        else:
            if year not in series.index:
                parts.append(f"{year}: no panel value")
                continue
            value = float(series[year])
        values.append(value)
        ok = target.interval.contains(value)
        verdicts.append(ok)
        gap = (target.point - value) / value if value else float("nan")
        parts.append(
            f"{year}: official {show(value, target.canonical_unit)}"
            + ("" if ok else f" (published is {gap:+.1%} off)")
        )
    if not verdicts:
        return [_not_checkable(check, target, "; ".join(parts))]
    verdict = "consistent" if all(verdicts) else "differs"
    text = (
        f"published {target.published} ({show_interval(target.interval, target.canonical_unit)})"
        f" vs panel {indicator} for {region}: " + "; ".join(parts)
    )
    if measure == "level" and verdict == "differs":
        near = (series - target.point).abs().idxmin()
        if abs(series[near] - target.point) <= 0.02 * abs(series[near]) and near not in years:
            text += (
                f"; the panel's {near} value is close: "
                f"{show(float(series[near]), target.canonical_unit)}"
            )
    if check.get("definitions"):
        text += f". Definitions: {check['definitions']}"
    return [
        _result(
            check,
            "official",
            target,
            verdict,
            text,
            severity="info",
            recomputed=Interval(min(values), max(values)),
            recomputed_value=values[-1],
        )
    ]


def _years(text: str) -> list[int]:
    text = text.strip()
    if "-" in text:
        lo, hi = text.split("-", 1)
        return list(range(int(lo), int(hi) + 1))
    return [int(text)] if text else []


def _not_checkable(check: dict, target: Number, reason: str) -> Result:
    return _result(check, str(check["kind"]), target, "not_checkable", reason)


# --- order claims ("lower than", "higher than") -------------------------------------------


def order_claim(check: dict, nums: PaperNumbers) -> list[Result]:
    """ "A and B are lower than C, D and E": every row of ``lower`` against every row of
    ``higher`` in ``column`` of ``table``, by the rounding rule (a pair holds when some values
    the two prints round from satisfy the order; equal prints hold only at the boundary, which
    the explanation says). ``bound`` caps both intervals (DEA scores are at most 1)."""
    target = _target(check, nums)
    table, column = check["table"], check["column"]
    bound = float(check.get("bound", math.inf))
    low = [nums.cell(table, nums.row_number(table, r), column) for r in check["lower"]]
    high = [nums.cell(table, nums.row_number(table, r), column) for r in check["higher"]]
    failing, boundary = [], []
    for a in low:
        for b in high:
            b_hi = min(b.declared.hi, bound)
            a_hi = min(a.declared.hi, bound)
            possible = a.declared.lo < b_hi
            certain = a_hi <= b.declared.lo
            pair = f"{a.row_label} {a.published} < {b.row_label} {b.published}"
            if not possible:
                failing.append(pair)
            elif not certain:
                boundary.append(pair)
    verdict = "consistent" if not failing else "inconsistent"
    n = len(low) * len(high)
    text = f"claim: each of {len(low)} rows lower than each of {len(high)} by {table}.{column}"
    text += f"; {n - len(failing)} of {n} pairs hold"
    if failing:
        text += "; not: " + ", ".join(failing)
    if boundary:
        text += (
            "; at the rounding boundary (equal prints; holds only if the unrounded values "
            "differ in that order): " + ", ".join(boundary)
        )
    return [
        _result(
            check,
            "order_claim",
            target,
            verdict,
            _noted(check, text),
            operands=tuple(c.ref for c in low + high),
        )
    ]


# --- Malmquist indices against DEA levels ---------------------------------------------------

LEVEL_READINGS = ("first", "last", "mean")


def _floor(check: dict, nums: PaperNumbers) -> float:
    """The lowest printed score of the declared columns (``floor_from``), or ``floor``."""
    if "floor" in check:
        return float(check["floor"])
    values = []
    for spec in check.get("floor_from") or []:
        for r in nums.select_rows(spec["table"], None, spec.get("exclude", check.get("exclude"))):
            if nums.is_number(spec["table"], r, spec["column"]):
                values.append(nums.cell(spec["table"], r, spec["column"]).declared.lo)
    return min(values) if values else 0.0


def _closest_to_one(lo: float, hi: float) -> float:
    return min(max(1.0, lo), hi)


def malmquist_levels(check: dict, nums: PaperNumbers) -> list[Result]:
    """A mean Malmquist index of each DMU against the efficiency levels it implies.

    DEAP's DMU mean of a component is the geometric mean of its ``periods`` (T-1) yearly
    values, and a component that is a ratio of scores (effch = TE_CRS(t+1)/TE_CRS(t), pech
    for VRS, sech for scale efficiency) telescopes: mean^(T-1) = score(last)/score(first).
    So the mean fixes the ratio r of the last to the first score (an interval, from the
    rounding of the printed mean). Scores lie in (0, 1], and a score below ``floor`` (the
    lowest score the paper prints, ``floor_from``) is implausible.

    - Span (always): both ends within [floor, 1] need floor <= r <= 1/floor; otherwise one end
      must lie below every printed score (effch 0.273 over five periods: the end is 0.0015 of
      the start).
    - With ``levels`` (a DEA table of the same DMUs), each of ``level_readings`` is tried:
      ``first`` (the table is the first year: last = level x r must be <= 1), ``last`` (first
      = level / r <= 1), ``mean`` (the table is the mean over the T years: the largest mean
      with ratio r is (T-1 + min(r, 1/r)) / T, which must reach the printed level).

    One result per DMU (inconsistent when no reading is possible and plausible), and with
    levels one for the whole column: inconsistent when every reading is ruled out by at least
    one DMU, listing which DMUs rule out each reading and their arithmetic.
    """
    index = check["index"]
    levels = check.get("levels")
    periods = int(check["periods"])
    readings = list(check.get("level_readings") or (LEVEL_READINGS if levels else []))
    floor = _floor(check, nums)
    itable, icol = index["table"], index["column"]
    ruled: dict[str, list[str]] = {r: [] for r in readings}
    results = []
    for row in nums.select_rows(itable, index.get("rows"), index.get("exclude")):
        if not nums.is_number(itable, row, icol):
            continue
        g = nums.cell(itable, row, icol)
        r_lo, r_hi = max(g.declared.lo, 0.0) ** periods, g.declared.hi**periods
        p = fmt(periods)
        ratio = f"{g.published}^{p} ({fmt(g.declared.mid**periods, 4)})"
        statuses: list[tuple[str, str, str]] = []  # reading, status, arithmetic
        span_ok = r_hi >= floor and (floor <= 0 or r_lo <= 1 / floor)
        span_text = f"{ratio}: last/first score ratio {fmt(r_lo, 4)}...{fmt(r_hi, 4)}" + (
            "" if span_ok else f", so one end lies below {fmt(floor, 4)}, every printed score"
        )
        operands = [g.ref]
        if levels:
            ltable, lcol = levels["table"], levels["column"]
            lrow = nums.row_number(ltable, nums.label(itable, row))
            lev = nums.cell(ltable, lrow, lcol)
            operands.append(lev.ref)
            l_lo, l_hi = lev.declared.lo, min(lev.declared.hi, 1.0)
            for reading in readings:
                if reading == "first":
                    end_lo, end_hi = l_lo * r_lo, l_hi * r_hi
                    implied = lev.declared.mid * g.declared.mid**periods
                    what = f"last = {lev.published} x {ratio} = {fmt(implied, 4)}"
                    impossible, implausible = end_lo > 1, end_hi < floor
                elif reading == "last":
                    end_lo = l_lo / r_hi if r_hi > 0 else math.inf
                    end_hi = l_hi / r_lo if r_lo > 0 else math.inf
                    implied = lev.declared.mid / max(g.declared.mid**periods, 1e-300)
                    what = f"first = {lev.published} / {ratio} = {fmt(implied, 4)}"
                    impossible, implausible = end_lo > 1, end_hi < floor
                elif reading == "mean":
                    best = _closest_to_one(r_lo, r_hi)
                    top = (periods + min(best, 1 / best if best > 0 else 0.0)) / (periods + 1)
                    what = f"the largest mean of {periods + 1} scores with {ratio} is {fmt(top, 4)}"
                    impossible, implausible = l_lo > top, not span_ok
                    if not impossible:
                        what += f" >= {lev.published}"
                else:
                    raise InputError(f"unknown level reading {reading!r}")
                status = "impossible" if impossible else "implausible" if implausible else "ok"
                if status == "impossible":
                    what += f" < {lev.published}" if reading == "mean" else " > 1"
                elif status == "implausible" and reading == "mean":
                    what += f", but one end lies below {fmt(floor, 4)}, every printed score"
                elif status == "implausible":
                    what += f" (below {fmt(floor, 4)}, every printed score)"
                statuses.append((reading, status, what))
                if status == "impossible":
                    ruled[reading].append(f"{g.row_label} ({what})")
        ok_readings = [r for r, st, _ in statuses if st == "ok"]
        if levels:
            verdict = "consistent" if ok_readings else "inconsistent"
        else:
            verdict = "consistent" if span_ok else "inconsistent"
        parts = [f"{g.row_label} {icol} {g.published} over {p} periods: {span_text}"]
        for reading, status, what in statuses:
            source = f"{levels['table']}.{levels['column']}"
            parts.append(f"reading '{reading}' of {source}: {what} - {status}")
        text = _noted(check, "; ".join(parts))
        severity = "info"
        if verdict == "inconsistent":
            all_impossible = statuses and all(st == "impossible" for _, st, _ in statuses)
            severity = check.get("severity") or ("major" if all_impossible else "minor")
        results.append(
            _result(
                check,
                "malmquist_levels",
                g,
                verdict,
                text,
                severity=severity,
                recomputed=Interval(r_lo, r_hi),
                recomputed_value=g.declared.mid**periods,
                operands=tuple(operands),
                extra={"readings": {r: st for r, st, _ in statuses}},
            )
        )
    if levels and readings:
        every = all(ruled[r] for r in readings)
        text = f"readings of {levels['table']}.{levels['column']} tried: " + "; ".join(
            f"'{r}' ruled out by " + (", ".join(ruled[r]) if ruled[r] else "no DMU")
            for r in readings
        )
        text += (
            " - no reading of the level table agrees with the indices"
            if every
            else " - some reading agrees"
        )
        column_target = placeholder_number(
            f"{itable}:column:{icol}",
            nums.paper,
            itable,
            icol,
            "(column)",
            f"{icol} vs {levels['table']}.{levels['column']}",
            "score",
        )
        results.append(
            _result(
                check,
                "malmquist_levels",
                column_target,
                "inconsistent" if every else "consistent",
                text,
                operands=tuple(op for res in results for op in res.operands),
            )
        )
    return results


# --- readings: a claim whose meaning the text leaves open ---------------------------------


def with_readings(check: dict, nums: PaperNumbers, panel: pd.DataFrame | None) -> list[Result]:
    """A check with ``readings`` (each a name, optional ``note`` and the fields it changes)
    is run once per reading; per published number the verdict is ``consistent`` when every
    reading holds, ``inconsistent`` when none does, else ``ambiguous`` - each reading's
    arithmetic is listed in the explanation."""
    base = {k: v for k, v in check.items() if k != "readings"}
    per_target: dict[str, list[tuple[str, Result]]] = {}
    for reading in check["readings"]:
        name = str(reading.get("name") or reading.get("reading"))
        fields = {k: v for k, v in reading.items() if k not in ("name", "reading", "all_of")}
        if reading.get("open"):
            target = _target({**base, **fields}, nums)
            res = _result(
                check,
                "open_reading",
                target,
                "consistent",
                f"no published number constrains this reading: {reading['open']}",
            )
            per_target.setdefault(target.ref, []).append((name, res))
            continue
        parts = [
            res
            for sub in reading.get("all_of") or [{}]
            for res in run_check({**base, **fields, **sub}, nums, panel)
        ]
        for ref in dict.fromkeys(r.target.ref for r in parts):
            mine = [r for r in parts if r.target.ref == ref]
            worst = min(
                mine, key=lambda r: VERDICTS.index(r.verdict) if r.verdict != "consistent" else 9
            )
            res = (
                mine[0]
                if len(mine) == 1
                else replace(
                    worst,
                    explanation=" & ".join(r.explanation for r in mine),
                    operands=tuple(op for r in mine for op in r.operands),
                )
            )
            per_target.setdefault(ref, []).append((name, res))
    out = []
    for pairs in per_target.values():
        held = [r.verdict == "consistent" for _, r in pairs]
        checkable = [r for _, r in pairs if r.verdict != "not_checkable"]
        if not checkable:
            verdict = "not_checkable"
        elif all(r.verdict == "consistent" for r in checkable):
            verdict = "consistent"
        elif not any(held):
            verdict = "inconsistent"
        else:
            verdict = "ambiguous"
        text = f"{len(pairs)} readings: " + " || ".join(
            f"({i}) {name}: {r.verdict} - {r.explanation}" for i, (name, r) in enumerate(pairs, 1)
        )
        first = pairs[0][1]
        if verdict == "inconsistent":
            severity = check.get("severity") or max(
                (r.severity for _, r in pairs), key=SEVERITIES.index
            )
        else:
            severity = "info"
        out.append(
            _result(
                check,
                first.kind,
                first.target,
                verdict,
                text,
                severity=severity,
                recomputed=first.recomputed,
                recomputed_value=first.recomputed_value,
                operands=tuple(dict.fromkeys(op for _, r in pairs for op in r.operands)),
                extra={"readings": {name: r.verdict for name, r in pairs}},
            )
        )
    return out


def run_check(check: dict, nums: PaperNumbers, panel: pd.DataFrame | None = None) -> list[Result]:
    """Apply one declared check; an :class:`InputError` naming the check if it is malformed."""
    kind = check.get("kind")
    if kind not in KINDS:
        raise InputError(f"check {check.get('id')!r}: unknown kind {kind!r}")
    if check.get("readings"):
        return with_readings(check, nums, panel)
    try:
        if kind in ROW_KINDS:
            return row_wise(check, nums)
        if kind in CELL_KINDS:
            return cell_equation(check, nums)
        if kind in ("sum", "mean"):
            return column_wise(check, nums)
        if kind == "official":
            return official(check, nums, panel)
        return {
            "count_claim": count_claim,
            "rank_claim": rank_claim,
            "threshold_claim": threshold_claim,
            "unit_consistency": unit_consistency,
            "order_claim": order_claim,
            "malmquist_levels": malmquist_levels,
            "malmquist_span": malmquist_levels,
        }[kind](check, nums)
    except (KeyError, ValueError) as exc:
        raise InputError(f"check {check.get('id')!r} ({kind}): {exc}") from exc
