"""Shared test helpers: the project root and a writer for small transcription fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def root() -> Path:
    """The project's root folder."""
    return ROOT


def write_table(
    folder: Path, name: str, header: list[str], rows: list[list[str]], spec: dict
) -> tuple[Path, Path]:
    """Write ``name``.csv and ``name``.yaml into the paper folder; return both paths.

    A paper's id is its folder's name, so a spec naming a ``paper`` other than ``folder``'s
    name is written into ``folder/<paper>/`` (and the key is left out of the sidecar).
    """
    spec = dict(spec)
    paper = spec.pop("paper", None)
    if paper is not None and paper != folder.name:
        folder = folder / str(paper)
        folder.mkdir(exist_ok=True)
    csv_path = folder / f"{name}.csv"
    lines = [",".join(header)] + [",".join(_quote(c) for c in r) for r in rows]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    yaml_path = folder / f"{name}.yaml"
    yaml_path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
    return csv_path, yaml_path


def _quote(cell: str) -> str:
    return f'"{cell}"' if ("," in cell or '"' in cell) else cell
