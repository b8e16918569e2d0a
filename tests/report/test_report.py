"""Mirrored tables, the HTML report and provenance, on small constructed inputs."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from conftest import write_table

from sciteff.core.io import write_parquet
from sciteff.ingest.tables import ingest_table, load_table_spec, table_metadata
from sciteff.report.html import AnalysisInputs, PaperInputs, build_report, verdict_counts
from sciteff.report.mirror import cell_verdicts, mirror
from sciteff.report.provenance import job_record, provenance, sha256

SPEC = {
    "paper": "demo",
    "table": "table1",
    "number": "Table 1",
    "title": "Demo <rates>",
    "key": ["name"],
    "label": "name",
    "columns": {
        "name": {"kind": "label"},
        "total": {"kind": "number", "unit": "items"},
        "local": {"kind": "number", "unit": "items"},
        "rate": {"kind": "percent", "unit": "%"},
    },
}
ROWS = [["A", "10", "4", "40.0%"], ["B", "20", "5", "30.0%"]]


def _cells(tmp_path):
    csv_path, yaml_path = write_table(tmp_path, "table1", list(SPEC["columns"]), ROWS, SPEC)
    spec = load_table_spec(yaml_path)
    return ingest_table(csv_path, spec), spec


def _findings():
    return pd.DataFrame(
        [
            # Two findings on B's rate: the worst (inconsistent) must win.
            {
                "finding_id": "demo-F1",
                "paper": "demo",
                "table": "table1",
                "row": 2,
                "column": "rate",
                "ref": "",
                "verdict": "consistent",
                "recomputed": "25.0%",
                "explanation": "ok",
            },
            {
                "finding_id": "demo-F2",
                "paper": "demo",
                "table": "table1",
                "row": 2,
                "column": "rate",
                "ref": "",
                "verdict": "inconsistent",
                "recomputed": "25.0%",
                "explanation": "5 / 20 = 25.0%, printed 30.0%",
            },
            {
                "finding_id": "demo-F3",
                "paper": "demo",
                "table": "table1",
                "row": 1,
                "column": "rate",
                "ref": "",
                "verdict": "consistent",
                "recomputed": "40.0%",
                "explanation": "4 / 10 = 40.0%",
            },
        ]
    )


def test_worst_verdict_per_cell():
    worst = cell_verdicts(_findings(), "demo", "table1").set_index(["row", "column"])
    assert worst.at[(2, "rate"), "verdict"] == "inconsistent"
    assert worst.at[(1, "rate"), "verdict"] == "consistent"


def test_mirror_keeps_the_print_and_adds_recomputed_and_verdict(tmp_path):
    cells, _ = _cells(tmp_path)
    table = mirror(cells, _findings())
    assert list(table["name"]) == ["A", "B"]
    assert list(table["rate"]) == ["40.0%", "30.0%"]  # printed tokens
    assert list(table["rate_verdict"]) == ["consistent", "inconsistent"]
    assert list(table["total_verdict"]) == ["", ""]  # no finding: left empty, not invented
    assert "name_verdict" not in table.columns


def test_verdict_counts():
    counts = verdict_counts(_findings())
    assert counts.loc[0, "consistent"] == 2 and counts.loc[0, "inconsistent"] == 1


def _png(path):
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    fig.savefig(path)
    plt.close(fig)
    return path


def test_report_is_self_contained_and_escapes_text(tmp_path):
    cells, spec = _cells(tmp_path)
    write_parquet(cells, tmp_path / "table1.parquet", metadata=table_metadata(spec))
    figure = _png(tmp_path / "demo_rates.png")
    dea = tmp_path / "dea.csv"
    pd.DataFrame({"dmu": ["A"], "crste": [0.5]}).to_csv(dea, index=False)
    page = build_report(
        [
            PaperInputs(
                "demo",
                {"title": "A & B", "authors": ["X"]},
                [tmp_path / "table1.parquet"],
                figures=[figure],
            )
        ],
        [AnalysisInputs("demo_dea", {"method": "dea", "description": "d"}, {"summary": dea})],
        _findings(),
        {"code": {"git_commit": "abc"}, "packages": {"pandas": "3"}, "outputs": []},
    )
    assert "Demo &lt;rates&gt;" in page and "A &amp; B" in page  # escaped
    # The inconsistent cell's arithmetic is visible text beside it, not a hover title.
    assert "5 / 20 = 25.0%" in page and 'title="inconsistent: ' not in page
    srcs = re.findall(r'src="([^"]+)"', page)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert base64.b64decode(srcs[0].split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    ids = set(re.findall(r'id="([^"]+)"', page))
    links = [link for link in re.findall(r'href="([^"]+)"', page) if link != "changes.md"]
    assert links and all(link.startswith("#") and link[1:] in ids for link in links)
    assert "http" not in page.split("<body>", 1)[1]  # nothing fetched from the network


def test_provenance_hashes_and_snakemake_records(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "raw.csv").write_text("a\n1\n")
    (tmp_path / "out.csv").write_text("b\n2\n")
    meta = tmp_path / ".snakemake" / "metadata"
    meta.mkdir(parents=True)
    name = base64.b64encode(b"out.csv").decode().replace("/", "@")
    (meta / name).write_text(json.dumps({"rule": "make_out", "input": ["raw.csv"], "params": []}))
    assert job_record("out.csv")["rule"] == "make_out"
    record = provenance(["out.csv"])
    out = record["outputs"][0]
    assert out["rule"] == "make_out"
    assert out["sha256"] == hashlib.sha256(b"b\n2\n").hexdigest()
    assert out["inputs"] == [{"path": "raw.csv", "sha256": sha256(tmp_path / "raw.csv")}]
    assert record["code"]["git_commit"].startswith("unknown")  # tmp_path is no git checkout
    assert record["packages"]["pandas"] == pd.__version__
