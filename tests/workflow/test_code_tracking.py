"""Editing the library reruns exactly the jobs whose script imports the edited module
(directly or through other modules) and their descendants, and nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_new_year import _scheduled
from test_workflow import copy_project, snakemake

from sciteff.core.codeversion import code_version, imported_modules


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small sciteff package: a imports b (absolute), b imports c (relative), d is unused."""
    return _package(
        tmp_path / "src",
        {
            "sciteff/__init__.py": "",
            "sciteff/x/__init__.py": "",
            "sciteff/x/a.py": "from sciteff.x import b\n",
            "sciteff/x/b.py": "from .c import f\n",
            "sciteff/x/c.py": "def f():\n    return 1\n",
            "sciteff/x/d.py": "def g():\n    return 2\n",
            "script.py": "import os\nfrom sciteff.x.a import *\n",
        },
    )


def test_imports_are_followed_transitively_and_through_relative_imports(tree):
    found = imported_modules(tree / "script.py", tree)
    assert list(found) == ["sciteff", "sciteff.x", "sciteff.x.a", "sciteff.x.b", "sciteff.x.c"]


def test_the_hash_follows_code_not_comments(tree):
    script = tree / "script.py"
    before = code_version(script, tree)
    c = tree / "sciteff/x/c.py"
    c.write_text("# a comment\ndef f():\n    return 1  # same code\n", encoding="utf-8")
    assert code_version(script, tree) == before
    c.write_text("def f():\n    return 3\n", encoding="utf-8")
    changed = code_version(script, tree)
    assert changed != before
    (tree / "sciteff/x/d.py").write_text("def g():\n    return 4\n", encoding="utf-8")
    assert code_version(script, tree) == changed  # d is imported by nobody


TARGETS = [
    "results/replication/provinces_2020/agreement.csv",  # ingest -> dea_analysis -> replicate
    "results/transfer/seed003/conversion_rates.csv",  # ingest -> transfer_metric
]


def _rules(work: Path) -> set[str]:
    run = snakemake(work, "-n", *TARGETS)
    assert run.returncode == 0, run.stderr[-3000:]
    return {rule for rule, _ in _scheduled(run.stdout)}


def _edit(work: Path, module: str) -> str:
    """Add a function to a module of the copy; return the module's text before the edit."""
    path = work / "src" / "sciteff" / module
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n\ndef _edited():\n    pass\n", encoding="utf-8")
    return text


@pytest.mark.workflow
def test_editing_a_module_reruns_exactly_the_jobs_that_import_it(tmp_path, request):
    root = Path(request.config.rootpath)
    work = copy_project(root, tmp_path / "project")
    shutil.copytree(root / "src", work / "src", ignore=shutil.ignore_patterns("*.egg-info"))
    first = snakemake(work, *TARGETS)
    assert first.returncode == 0, first.stderr[-3000:]
    assert _rules(work) == set()

    # only the replication script reaches efficiency/replication.py
    replication = _edit(work, "efficiency/replication.py")
    assert _rules(work) == {"replicate_dea"}
    # transfer metrics: the transfer jobs only, no ingest and no efficiency job
    metrics = _edit(work, "transfer/metrics.py")
    assert _rules(work) == {"replicate_dea", "transfer_metric"}
    # undone edits leave nothing to do
    (work / "src/sciteff/efficiency/replication.py").write_text(replication, encoding="utf-8")
    (work / "src/sciteff/transfer/metrics.py").write_text(metrics, encoding="utf-8")
    assert _rules(work) == set()
    # the engine: the DEA analysis and its descendant, the replication
    _edit(work, "efficiency/summary.py")
    assert _rules(work) == {"dea_analysis", "replicate_dea"}
