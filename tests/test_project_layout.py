"""The project's shape: stage packages whose imports point down the data flow, tests that
mirror them, and no paper's id in the code (paper knowledge lives in raw_data/)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src" / "sciteff"
#: The stages in data-flow order; a module may import its own stage and those before it.
FLOW = ["core", "ingest", "efficiency", "transfer", "audit", "figures", "report", "cli"]
#: How a paper id looks (the seed papers' ids; any folder name under raw_data/papers/).
PAPER_IDS = sorted(p.name for p in (ROOT / "raw_data" / "papers").iterdir() if p.is_dir())


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "sciteff" and parts[1] in FLOW else None


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def test_every_module_lives_in_a_stage_package():
    loose = [p.name for p in SRC.glob("*.py") if p.name != "__init__.py"]
    assert loose == [], f"modules outside the stage packages: {loose}"
    assert {p.name for p in SRC.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(FLOW)


def test_imports_point_down_the_flow():
    against = []
    for path in sorted(SRC.rglob("*.py")):
        own = _stage(".".join(("sciteff", *path.relative_to(SRC).parts)))
        if own is None:
            continue
        for line, module in _imports(path):
            other = _stage(module)
            if other is not None and FLOW.index(other) > FLOW.index(own):
                against.append(f"{path.relative_to(ROOT)}:{line} ({own}) imports {module}")
    assert against == []


def test_the_layout_test_catches_an_upward_import(tmp_path):
    """The check above would see a transfer module importing the audit."""
    bad = tmp_path / "bad.py"
    bad.write_text("from sciteff.audit.findings import load_checks\n", encoding="utf-8")
    (line, module), *_ = _imports(bad)
    assert (line, _stage(module)) == (1, "audit")
    assert FLOW.index("audit") > FLOW.index("transfer")


def test_tests_mirror_the_stage_packages():
    folders = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name[0] != "_"}
    assert set(FLOW) <= folders, sorted(set(FLOW) - folders)


def test_no_paper_id_in_code():
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, PAPER_IDS)) + r")\b")
    code = [ROOT / "Snakefile", *sorted((ROOT / "src").rglob("*.py"))]
    code += sorted((ROOT / "workflow").rglob("*.py")) + sorted((ROOT / "workflow").rglob("*.smk"))
    hits = []
    for path in code:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert PAPER_IDS, "the papers folder holds papers"
    assert hits == []
