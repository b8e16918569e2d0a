"""Which paper a figure belongs to and what its caption says, from the figure declarations.

The figure rules declare each figure with a title, the source of its data and, optionally, the
paper it rebuilds, a caption and an order. The report reads only those declarations (never the
file name) to place a figure under its paper, so a new figure needs no change here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

#: Keys of a figure declaration the report reads.
DECLARATION_KEYS = ("title", "caption", "source", "paper", "order", "position", "input")


def declarations(namespace: Mapping[str, object]) -> dict[str, dict]:
    """Title, caption, source, paper and order of every declared figure, by name, from the
    workflow's namespace: every ``*_FIGURES`` mapping of figure name -> declaration (the
    figure rules keep their declarations there)."""
    found: dict[str, dict] = {}
    for variable, table in namespace.items():
        if not (str(variable).endswith("_FIGURES") and isinstance(table, Mapping)):
            continue
        for name, spec in table.items():
            if isinstance(spec, Mapping):
                found[str(name)] = {k: spec[k] for k in DECLARATION_KEYS if k in spec}
    return found


def caption(declaration: dict) -> str:
    """What a figure shows and from which data: title, then caption or source lines."""
    lines = [str(declaration.get(k)).strip() for k in ("title", "caption", "source")]
    return "\n".join(line for line in lines if line and line != "None")


def paper_of(declaration: dict, papers: list[str]) -> str | None:
    """The paper a figure belongs to: declared, else the paper whose table it draws."""
    declared = declaration.get("paper")
    if declared in papers:
        return str(declared)
    source = declaration.get("input")
    for item in source if isinstance(source, list) else [source]:
        match = re.search(r"(?:^|/)tables/([^/]+)/", str(item or ""))
        if match and match.group(1) in papers:
            return match.group(1)
    return None


def place_figures(
    figures: list[Path], declarations: dict[str, dict], papers: list[str]
) -> tuple[dict[str, list[Path]], list[Path], dict[str, str]]:
    """Figures per paper, figures of no paper, and every figure's caption (by file stem).

    Within a paper, figures keep their declared ``order`` and ``position`` (then their name).
    """
    by_paper: dict[str, list[Path]] = {p: [] for p in papers}
    others: list[Path] = []
    captions: dict[str, str] = {}
    for figure in figures:
        declaration = declarations.get(figure.stem, {})
        captions[figure.stem] = caption(declaration)
        owner = paper_of(declaration, papers)
        (by_paper[owner] if owner else others).append(figure)

    def key(path: Path) -> tuple[float, float, str]:
        declared = declarations.get(path.stem, {})
        order, position = declared.get("order"), declared.get("position")
        return (
            float(order) if isinstance(order, int | float) else float("inf"),
            float(position) if isinstance(position, int | float) else float("inf"),
            path.name,
        )

    return {p: sorted(f, key=key) for p, f in by_paper.items()}, sorted(others, key=key), captions
