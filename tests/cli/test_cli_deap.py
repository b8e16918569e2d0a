"""``sciteff deap``: DEAP 2.1 jobs read as DEAP reads them, and its .out layout line by line.

The reference outputs in tests/cli/data/deap/ were printed by DEAP 2.1 itself (ORIGIN.md).
Hand-made jobs check each model (0-4) against hand-calculated numbers.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from sciteff.cli import main
from sciteff.cli.deap.output import DEAP_FIRST_LINE, FIRST_LINE

DATA = Path(__file__).parent / "data" / "deap"
JOBS = ["eg1", "eg1stg", "eg2stg", "egcost", "111"]


@pytest.fixture
def jobs(tmp_path: Path) -> Path:
    """A writable copy of the DEAP example folder."""
    folder = tmp_path / "deap"
    shutil.copytree(DATA, folder)
    return folder


def _run(args: list[str], capsys) -> tuple[int, str]:
    rc = main(["deap", *args])
    return rc, capsys.readouterr().err


def _lines(path: Path) -> list[str]:
    raw = path.read_bytes()
    assert raw.endswith(b"\r\n")
    return raw.decode("ascii").split("\r\n")


@pytest.mark.parametrize("job", JOBS)
def test_out_matches_deap_line_by_line(jobs, job, capsys):
    ours = jobs / f"{job}.sciteff.out"
    rc, err = _run([str(jobs / f"{job}.ins"), "--out", str(ours)], capsys)
    assert rc == 0, err
    deap, mine = _lines(DATA / f"{job}.out"), _lines(ours)
    assert deap[0] == DEAP_FIRST_LINE and mine[0] == FIRST_LINE
    assert len(mine) == len(deap)
    different = [k for k, (a, b) in enumerate(zip(deap, mine, strict=True)) if a != b and k > 0]
    if job != "egcost":
        assert different == []
        return
    # Cost-DEA: firm 1 (y=1, x=(2,5), w=(1,2)) has several cost-minimising input vectors,
    # all costing 12 (its own, firm 5's (4,4), firm 3's (6,3)); DEAP printed (6,3), HiGHS
    # may pick another. Everything else must be identical, and the cost must be the same.
    assert len(different) <= 1
    for k in different:
        assert mine[k].split()[0] == "1"
        ours_x = np.array(mine[k].split()[1:], dtype=float)
        deap_x = np.array(deap[k].split()[1:], dtype=float)
        assert ours_x @ [1, 2] == pytest.approx(deap_x @ [1, 2]) == pytest.approx(12)


def test_default_output_name_from_ins_case_insensitive_and_old_out_kept(jobs, capsys):
    # 111.ins names "111.dta"; the file is 111.DTA. The output file 111.out exists (DEAP's).
    deap_bytes = (jobs / "111.out").read_bytes()
    rc, err = _run([str(jobs / "111.ins")], capsys)
    assert rc == 0, err
    assert (jobs / "111.deap.out").read_bytes() == deap_bytes
    assert _lines(jobs / "111.out")[0] == FIRST_LINE
    assert "kept DEAP's earlier 111.out as 111.deap.out" in err
    # A second run replaces our own output and leaves the kept DEAP file alone.
    rc, err = _run([str(jobs / "111.ins")], capsys)
    assert rc == 0 and "kept" not in err
    assert (jobs / "111.deap.out").read_bytes() == deap_bytes


def test_lf_and_crlf_instruction_and_data_files_give_the_same_output(jobs, capsys):
    ins = (jobs / "eg1.ins").read_bytes()
    assert b"\r\n" not in ins
    (jobs / "crlf.ins").write_bytes(
        ins.replace(b"\n", b"\r\n").replace(b"eg1.dta", b"EG1CR.DTA").replace(b"eg1.out", b"o")
    )
    (jobs / "eg1cr.dta").write_bytes((jobs / "eg1.dta").read_bytes().replace(b"\n", b"\r\n"))
    assert _run([str(jobs / "crlf.ins")], capsys)[0] == 0
    assert _run([str(jobs / "eg1.ins"), "--out", str(jobs / "lf.out")], capsys)[0] == 0
    crlf, lf = _lines(jobs / "o"), _lines(jobs / "lf.out")
    assert crlf[3].startswith("Data file          = EG1CR.DTA")
    assert crlf[2] == "Instruction file = crlf.ins    "
    assert crlf[4:] == lf[4:] and crlf[:2] == lf[:2]


def test_free_format_variants_deap_reads_correctly_are_accepted(jobs, capsys):
    # Blank lines are skipped by Fortran list-directed reads; commas separate values; "2*2"
    # repeats a value; "4D0" is a Fortran double-precision exponent.
    (jobs / "eg1.dta").write_text("1\t2\t5\n\n2, 2, 4\n3 6 6\n   \n1 3 2\n2 6.0D0 2\n\x1a")
    rc, err = _run([str(jobs / "eg1.ins"), "--out", str(jobs / "a.out")], capsys)
    assert rc == 0, err
    (jobs / "eg1.dta").write_text("1 2 5\n2*2 4\n3 6 6\n1 3 2\n2 6 2\n")
    rc, err = _run([str(jobs / "eg1.ins"), "--out", str(jobs / "b.out")], capsys)
    assert rc == 0, err
    expected = [FIRST_LINE, *_lines(DATA / "eg1.out")[1:]]
    assert _lines(jobs / "a.out") == _lines(jobs / "b.out") == expected


@pytest.mark.parametrize(
    ("dta", "expected"),
    [
        # A short row: DEAP would read the missing input from the next line.
        ("1 2 5\n2 2\n3 6 6\n1 3 2\n2 6 2\n", r"eg1\.dta: line 2, firm 2: 2 numbers, expected 3"),
        # One line with an extra number (a typo DEAP would silently drop).
        ("1 2 5\n2 2 4\n3 6 6\n1 3 2\n2 6 2 7\n", r"line 5, 4 items where line 1 has 3"),
        ("1 2 5 0\n2 2 4 0\n3 6 6\n1 3 2 0\n2 6 2 0\n", r"line 3, 3 items where line 1 has 4"),
        ("1 2 5\n2 2 4\n3 6 x6\n1 3 2\n2 6 2\n", r"line 3, field 3: 'x6' is not a number"),
        ("1 2 5\n2 2 4\n3 6 6\n1 3 2\n", r"4 data lines, the instruction file needs .* = 5"),
        ("1 2 5\n2 2 4\n3 6 6\n1 0 2\n2 6 2\n", r"line 4, field 2 \(input 1\): zero input"),
        ("1 2 5\n2 2 4\n3 -6 6\n1 3 2\n2 6 2\n", r"line 3, field 2 \(input 1\): negative"),
        ("1 2 5\n2,,4\n3 6 6\n1 3 2\n2 6 2\n", r"line 2, field 2: empty field between commas"),
        ("1 2 / 5\n2 2 4\n3 6 6\n1 3 2\n2 6 2\n", r"line 1, field 3: '/' ends a Fortran read"),
    ],
)
def test_malformed_data_file_names_file_line_and_field(jobs, capsys, dta, expected):
    (jobs / "eg1.dta").write_text(dta)
    rc, err = _run([str(jobs / "eg1.ins"), "--out", str(jobs / "x.out")], capsys)
    assert rc == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert re.search(expected, err), err
    assert not (jobs / "x.out").exists()


@pytest.mark.parametrize(
    ("line", "value", "expected"),
    [
        (3, "five", r"line 3, field firms .*'five' is not a whole number"),
        (9, "7", r"line 9, field model .*7 is out of range \(allowed: 0\.\.4\)"),
        (7, "2", r"line 7, field orientation .*out of range \(allowed: 0 or 1\)"),
        (4, "3", r"line 4, field periods: 3 time periods, but model 0"),
        (1, "nofile.dta", r"file 'nofile.dta' named in the instruction file not found"),
    ],
)
def test_malformed_instruction_file_names_line_and_field(jobs, capsys, line, value, expected):
    lines = (jobs / "eg1.ins").read_text().splitlines()
    rest = lines[line - 1].split(maxsplit=1)[1]
    lines[line - 1] = f"{value}   {rest}"
    (jobs / "eg1.ins").write_text("\n".join(lines) + "\n")
    rc, err = _run([str(jobs / "eg1.ins")], capsys)
    assert rc == 2 and len(err.strip().splitlines()) == 1
    assert re.search(expected, err), err


def test_quoted_file_names_and_blank_lines_in_the_instruction_file(jobs, capsys):
    lines = (jobs / "eg1.ins").read_text().splitlines()
    lines[0] = "'eg1.dta'   DATA FILE NAME"
    lines[1] = '"q.out"   OUTPUT FILE NAME'
    (jobs / "eg1.ins").write_text("\n".join([*lines[:4], "", "   ", *lines[4:]]) + "\n")
    rc, err = _run([str(jobs / "eg1.ins")], capsys)
    assert rc == 0, err
    assert _lines(jobs / "q.out")[1:] == _lines(DATA / "eg1.out")[1:]


def test_instruction_file_with_eight_lines_is_rejected(jobs, capsys):
    lines = (jobs / "eg1.ins").read_text().splitlines()[:8]
    (jobs / "eg1.ins").write_text("\n".join(lines) + "\n")
    rc, err = _run([str(jobs / "eg1.ins")], capsys)
    assert rc == 2 and "has 8 value lines, DEAP needs 9 (first missing: 0=DEA" in err


# --- hand-made jobs, one per model, checked against hand calculations -----------------------


def _job(folder: Path, name: str, dta: str, *, firms, periods, outputs, inputs, orient, rts, model):
    values = [f"{name}.dta", f"{name}.out", firms, periods, outputs, inputs, orient, rts, model]
    (folder / f"{name}.ins").write_text("".join(f"{v}\tcomment\n" for v in values))
    (folder / f"{name}.dta").write_text(dta)
    return folder / f"{name}.ins"


def _section(lines: list[str], title: str, width: int) -> list[list[float]]:
    """Numeric rows of the table under ``title`` (first ``width`` numbers after the firm)."""
    start = next(k for k, line in enumerate(lines) if line.strip() == title)
    rows = []
    for line in lines[start + 1 :]:
        words = line.split()
        if words and words[0] == "mean":
            break
        if words and words[0].isdigit() and len(words) > width - 1:
            rows.append([float(w) for w in words[1 : width + 1]])
    return rows


# One input, one output, VRS input orientation. The VRS frontier is (x, y) = (2, 1), (3, 2),
# (6, 3); the best ratio y/x is 2/3 (firm 2), so CRS te = (y/x) / (2/3):
# firm 1 (2,1): crs 0.75, vrs 1, irs; firm 2: 1, 1, -; firm 3 (6,3): crs 0.75, vrs 1, drs;
# firm 4 (4,1): crs 0.375, vrs 2/4 = 0.5 (projected on firm 1), scale 0.75, irs.
HAND_VRS = "1 2\n2 3\n3 6\n1 4\n"
HAND_VRS_TABLE = [
    [0.75, 1.0, 0.75],
    [1.0, 1.0, 1.0],
    [0.75, 1.0, 0.75],
    [0.375, 0.5, 0.75],
]


@pytest.mark.parametrize("model", [0, 3, 4])
def test_hand_made_vrs_dea_job_models_0_3_4(tmp_path, capsys, model):
    ins = _job(tmp_path, "hv", HAND_VRS, firms=4, periods=1, outputs=1, inputs=1, orient=0,
               rts=1, model=model)  # fmt: skip
    rc, err = _run([str(ins)], capsys)
    assert rc == 0, err
    lines = _lines(tmp_path / "hv.out")
    summary = [line for line in lines if re.match(r"^ {4}\d  \d\.\d{3}", line)][:4]
    got = [[float(w) for w in line.split()[1:4]] for line in summary]
    assert got == [[round(v, 3) for v in row] for row in HAND_VRS_TABLE]
    assert [line.split()[-1] for line in summary] == ["irs", "-", "drs", "irs"]
    # Firm 4 is projected radially onto firm 1: input 4 -> 2, peer 1 with weight 1.
    assert _section(lines, "SUMMARY OF INPUT TARGETS:", 1)[3] == [2.0]
    peers = lines[lines.index("  firm  peers:") + 1 : lines.index("  firm  peers:") + 5]
    assert peers[3].split() == ["4", "1"]


def test_hand_made_cost_job_model_1_crs(tmp_path, capsys):
    # y = 1 for all; prices (1, 2) for all. Candidate vectors: (1,3) costs 7, (3,1) costs 5,
    # (2,2) costs 6, (3,3) costs 9. Min cost 5 at (3,1) (unique), so CE = 5 / own cost;
    # TE: firm 4 (3,3) contracts to (2,2): 2/3; the others are on the isoquant: 1.
    dta = "1 1 3 1 2\n1 3 1 1 2\n1 2 2 1 2\n1 3 3 1 2\n"
    ins = _job(tmp_path, "hc", dta, firms=4, periods=1, outputs=1, inputs=2, orient=0, rts=0,
               model=1)  # fmt: skip
    rc, err = _run([str(ins)], capsys)
    assert rc == 0, err
    lines = _lines(tmp_path / "hc.out")
    assert " Cost efficiency DEA" in lines and " Scale assumption: CRS" in lines
    table = _section(lines, "EFFICIENCY SUMMARY:", 3)
    expected = [[1, 5 / 7, 5 / 7], [1, 1, 1], [1, 5 / 6, 5 / 6], [2 / 3, 5 / 6, 5 / 9]]
    assert table == [[round(v, 3) for v in row] for row in expected]
    assert _section(lines, "SUMMARY OF COST MINIMISING INPUT QUANTITIES:", 2) == [[3.0, 1.0]] * 4


def test_hand_made_malmquist_job_model_2(tmp_path, capsys):
    # Two firms, one input, one output, input orientation. Period 1: A (y1, x1), B (y1, x2);
    # period 2: A (y2, x1), B (y1, x1). CRS distances: D1(1) = 1, 0.5; D2(2) = 1, 0.5;
    # D1(2) = 2, 1; D2(1) = 0.5, 0.25. VRS: period 1: 1, 0.5; period 2: 1, 1.
    # effch = 1, 1; techch = sqrt(2/1 * 1/0.5) = 2 and sqrt(1/0.5 * 0.5/0.25) = 2;
    # pech = 1, 2; sech = 1, 0.5; tfpch = 2, 2.
    dta = "1 1\n1 2\n2 1\n1 1\n"
    ins = _job(tmp_path, "hm", dta, firms=2, periods=2, outputs=1, inputs=1, orient=0, rts=0,
               model=2)  # fmt: skip
    rc, err = _run([str(ins)], capsys)
    assert rc == 0, err
    lines = _lines(tmp_path / "hm.out")
    assert " Input orientated Malmquist DEA" in lines
    index = lines.index(" MALMQUIST INDEX SUMMARY")
    rows = [line.split() for line in lines[index:] if re.match(r"^ {5}[12] ", line)][:2]
    assert rows == [
        ["1", "1.000", "2.000", "1.000", "1.000", "2.000"],
        ["2", "1.000", "2.000", "2.000", "0.500", "2.000"],
    ]
    distances = [line.split() for line in lines[:index]]
    year1 = [row for row in distances if len(row) == 5 and row[0] in "12"][:2]
    assert year1 == [
        ["1", "0.000", "1.000", "0.500", "1.000"],
        ["2", "0.000", "0.500", "0.250", "0.500"],
    ]
    # Firm means (geometric over the single pair) equal the indices; annual mean row is the
    # geometric mean over firms: pech sqrt(1 * 2) = 1.414, sech sqrt(0.5) = 0.707.
    annual = lines.index(" MALMQUIST INDEX SUMMARY OF ANNUAL MEANS")
    assert lines[annual + 4].split() == ["2", "1.000", "2.000", "1.414", "0.707", "2.000"]


# --- convert and export ------------------------------------------------------------------------


@pytest.mark.parametrize("job", ["eg1", "egcost", "eg2stg", "111"])
def test_convert_then_export_reproduces_the_job(jobs, tmp_path, job, capsys):
    out = tmp_path / "converted"
    rc, _ = _run(["convert", str(jobs / f"{job}.ins"), "--out", str(out)], capsys)
    assert rc == 0
    command = (out / f"{job}.command.txt").read_text().splitlines()[-1].split()
    assert command[:2] in (["sciteff", "dea"], ["sciteff", "cost"], ["sciteff", "malmquist"])
    opts = dict(zip(command[3::2], command[4::2], strict=True))
    export = ["export", str(out / f"{job}.csv"), "--outputs", opts["--outputs"]]
    export += ["--inputs", opts["--inputs"], "--ins", str(tmp_path / "back" / "job.ins")]
    original = read_ins_values(jobs / f"{job}.ins")
    export += ["--orientation", "out" if original[6] == 1 else "in"]
    export += ["--rts", "vrs" if original[7] == 1 else "crs", "--model", str(original[8])]
    if "--prices" in opts:
        export += ["--prices", opts["--prices"]]
    if "--period" in opts:
        export += ["--period", "period", "--dmu", "firm"]
    rc, err = _run(export, capsys)
    assert rc == 0, err
    assert read_ins_values(tmp_path / "back" / "job.ins")[2:] == original[2:]
    rc, err = _run([str(tmp_path / "back" / "job.ins")], capsys)
    assert rc == 0, err
    again, before = _lines(tmp_path / "back" / "job.out"), _lines(DATA / f"{job}.out")
    # Everything below the file names is what sciteff prints for the original job.
    assert again[4:] == _ours(jobs, job)[4:]
    assert len(again) == len(before)


def read_ins_values(path: Path) -> list[object]:
    values = [line.split()[0] for line in path.read_text().splitlines() if line.strip()][:9]
    return values[:2] + [int(v) for v in values[2:]]


def _ours(jobs: Path, job: str) -> list[str]:
    target = jobs / f"{job}.direct.out"
    assert main(["deap", str(jobs / f"{job}.ins"), "--out", str(target)]) == 0
    return _lines(target)


def test_export_rejects_an_unbalanced_panel(tmp_path, capsys):
    data = tmp_path / "p.csv"
    data.write_text("id,t,y,x\nA,1,1,1\nB,1,1,2\nA,2,2,1\n")
    args = ["export", str(data), "--outputs", "y", "--inputs", "x", "--dmu", "id"]
    rc, err = _run([*args, "--period", "t", "--ins", str(tmp_path / "j.ins")], capsys)
    assert rc == 2 and "period '2': DEAP needs every firm exactly once" in err
    assert "'B'" in err and not (tmp_path / "j.ins").exists()


def test_decimal_commas_are_named_not_misread(jobs, capsys):
    (jobs / "eg1.dta").write_text("1 2 5\n2 2 4\n3 6,5 6\n1 3 2\n2 6 2\n")
    rc, err = _run([str(jobs / "eg1.ins"), "--out", str(jobs / "x.out")], capsys)
    assert rc == 2 and "line 3, 4 items where line 1 has 3" in err
    assert "write decimals with a point" in err


# DEAP guide EG4 (Malmquist, output orientated): lines of the published eg4-out.txt.
EG4_DISTANCES = {
    1: ["0.000 0.500 0.375 1.000", "0.000 0.500 0.375 0.545", "0.000 1.000 0.750 1.000",
        "0.000 0.800 0.600 0.923", "0.000 0.833 0.625 1.000", "0.000 0.727 0.545 0.894"],
    2: ["0.500 0.375 0.375 1.000", "0.750 0.563 0.563 0.667", "1.333 1.000 1.000 1.000",
        "0.600 0.450 0.450 0.600", "1.000 0.750 0.750 1.000", "0.837 0.628 0.628 0.853"],
    3: ["0.375 0.375 0.000 1.000", "0.563 0.563 0.000 0.667", "1.000 1.000 0.000 1.000",
        "0.450 0.450 0.000 0.600", "0.750 0.750 0.000 1.000", "0.628 0.628 0.000 0.853"],
}  # fmt: skip
EG4_YEAR2 = ["0.750 1.333 1.000 0.750 1.000", "1.125 1.333 1.222 0.920 1.500",
             "1.000 1.333 1.000 1.000 1.333", "0.562 1.333 0.650 0.865 0.750",
             "0.900 1.333 1.000 0.900 1.200", "0.844 1.333 0.955 0.883 1.125"]  # fmt: skip
EG4_ANNUAL = ["0.844 1.333 0.955 0.883 1.125", "1.000 1.000 1.000 1.000 1.000",
              "0.918 1.155 0.977 0.940 1.061"]  # fmt: skip


def _block(lines: list[str], start: int, count: int) -> list[str]:
    """The number columns of the next ``count`` firm/mean rows after line ``start``."""
    rows = []
    for line in lines[start:]:
        words = line.split()
        if words and (words[0].isdigit() or words[0] == "mean") and len(words) >= 5:
            rows.append(" ".join(words[1:]))
            if len(rows) == count:
                return rows
    raise AssertionError("block not found")


def test_deap_guide_eg4_malmquist(jobs, capsys):
    rc, err = _run([str(jobs / "eg4.ins"), "--out", str(jobs / "eg4.out")], capsys)
    assert rc == 0, err
    lines = _lines(jobs / "eg4.out")
    for year, expected in EG4_DISTANCES.items():
        # 0.5625 (= 0.75 x 0.75) is a tie at the third decimal: DEAP prints it 0.563 (Fortran
        # rounds ties away from zero); so do we, from the exact binary value.
        assert _block(lines, lines.index(f" year ={year:6d}"), 6) == expected
    index = lines.index(" MALMQUIST INDEX SUMMARY")
    ours = _block(lines, index, 6)
    # Firm 4's effch is 0.45 / 0.8 = 0.5625 exactly; DEAP printed 0.562 because its own LP
    # returned a hair less (its numerical noise). Every other number is as published.
    assert ours[3].split()[0] == "0.563" and EG4_YEAR2[3].split()[0] == "0.562"
    assert [r for k, r in enumerate(ours) if k != 3] == [
        r for k, r in enumerate(EG4_YEAR2) if k != 3
    ]
    assert ours[3].split()[1:] == EG4_YEAR2[3].split()[1:]
    annual = lines.index(" MALMQUIST INDEX SUMMARY OF ANNUAL MEANS")
    assert _block(lines, annual, 3) == EG4_ANNUAL


def test_what_deap_does_not_read_is_ignored_with_one_warning(jobs, capsys):
    # The cost-DEA file run as DEA (model 0): every line has two price columns DEAP skips; a
    # trailing "mean" row pasted from a spreadsheet is after the last firm, DEAP never reads it.
    ins = (
        (jobs / "egcost.ins").read_text().replace("1               0=DEA", "0               0=DEA")
    )
    (jobs / "asdea.ins").write_text(ins.replace("egcost.out", "asdea.out"))
    with (jobs / "egcost.dta").open("a") as fh:
        fh.write("1.8\t4.7\t5.0\t1.07\t1.92\n/ ,, garbage\n")
    rc, err = _run([str(jobs / "asdea.ins")], capsys)
    assert rc == 0, err
    assert "every data line has 5 items; the job reads the first 3" in err
    assert "lines 7-8 come after the firms x periods = 6 data lines and are not read" in err
    assert err.count("warning") == 3  # the two above and the small-sample warning, once each
    rows = (jobs / "egcost.dta").read_text().splitlines()[:6]
    (jobs / "y.dta").write_text("".join("\t".join(r.split("\t")[:3]) + "\n" for r in rows))
    plain = ins.replace("egcost.dta", "y.dta").replace("egcost.out", "y.out")
    (jobs / "y.ins").write_text(plain)
    assert _run([str(jobs / "y.ins")], capsys)[0] == 0
    assert _lines(jobs / "asdea.out")[4:] == _lines(jobs / "y.out")[4:]


def test_old_deap_output_is_compared_and_impossible_scores_are_named(jobs, capsys):
    # DEAP's own eg1.out: identical below the first line.
    rc, err = _run([str(jobs / "eg1.ins")], capsys)
    assert rc == 0 and "identical to eg1.deap.out below the first line" in err
    # A DEAP output with a score above 1 (what DEAP prints when its LP fails on badly scaled
    # data): the differing line and the impossible score are both named.
    bad = _lines(DATA / "eg1.out")
    k = bad.index("    4  0.714")
    bad[k] = "    4  1.214"
    (jobs / "eg1.out").write_bytes("\r\n".join(bad).encode("ascii"))
    (jobs / "eg1.deap.out").unlink()
    rc, err = _run([str(jobs / "eg1.ins")], capsys)
    assert rc == 0
    assert f"1 line(s) differ from eg1.deap.out (first: line {k + 1}" in err
    assert f"1 impossible score(s) above 1 (DEAP's LP failed): line {k + 1}: firm 4: 1.214" in err


def test_output_folder_is_created_like_every_sciteff_output(jobs, capsys):
    rc, err = _run([str(jobs / "eg1.ins"), "--out", str(jobs / "new" / "x.out")], capsys)
    assert rc == 0, err
    assert _lines(jobs / "new" / "x.out")[1:] == _lines(DATA / "eg1.out")[1:]


def test_dos_paths_in_an_old_job_are_looked_for_beside_the_ins(jobs, capsys):
    lines = (jobs / "eg1.ins").read_text().splitlines()
    lines[0] = "C:\\DEAP\\EG1.DTA   DATA FILE NAME"
    lines[1] = "C:\\DEAP\\EG1.OUT   OUTPUT FILE NAME"
    (jobs / "dos.ins").write_text("\n".join(lines) + "\n")
    rc, err = _run([str(jobs / "dos.ins")], capsys)
    assert rc == 0, err
    assert "names the data file by the path 'C:\\\\DEAP\\\\EG1.DTA'; sciteff uses 'EG1.DTA'" in err
    ours, deap = _lines(jobs / "eg1.out"), _lines(DATA / "eg1.out")
    assert ours[3] == "Data file          = C:\\DEAP\\EG1.DTA"  # printed as written, like DEAP
    assert ours[4:] == deap[4:]
    assert (jobs / "eg1.deap.out").read_bytes() == (DATA / "eg1.out").read_bytes()


def test_instruction_file_name_is_case_insensitive_too(jobs, capsys):
    rc, err = _run([str(jobs / "EG1.INS"), "--out", str(jobs / "u.out")], capsys)
    assert rc == 0, err
    lines = _lines(jobs / "u.out")
    assert lines[2] == "Instruction file = EG1.INS     "  # the name as typed, as DEAP prints it
    assert lines[3:] == _lines(DATA / "eg1.out")[3:]
    rc, err = _run([str(jobs / "nosuch.ins")], capsys)
    assert rc == 2 and "nosuch.ins: file not found" in err


def test_export_reads_a_declared_encoding_and_decimal_comma_like_the_clean_table(tmp_path, capsys):
    """``deap export`` takes --encoding and --decimal like every data-reading command: a GBK
    table with decimal commas gives the same DEAP job as the clean UTF-8 one; undeclared, the
    comma is an error naming the line."""
    clean = "firm,y,x\n北京,1,2.5\n上海,2,3\nC,3,4.25\n"
    comma = 'firm,y,x\n北京,1,"2,5"\n上海,2,3\nC,3,"4,25"\n'
    (tmp_path / "a.csv").write_text(clean, encoding="utf-8")
    (tmp_path / "b.csv").write_bytes(comma.encode("gbk"))
    args = ["--outputs", "y", "--inputs", "x", "--dmu", "firm"]
    assert (
        main(["deap", "export", str(tmp_path / "a.csv"), *args, "--ins", str(tmp_path / "a.ins")])
        == 0
    )
    b = ["deap", "export", str(tmp_path / "b.csv"), *args, "--ins", str(tmp_path / "b.ins")]
    assert main([*b, "--encoding", "gbk", "--decimal", ","]) == 0
    assert (tmp_path / "b.dta").read_bytes() == (tmp_path / "a.dta").read_bytes()
    firms = (tmp_path / "b.firms.csv").read_text(encoding="utf-8")
    assert firms == (tmp_path / "a.firms.csv").read_text(encoding="utf-8") and "北京" in firms
    (tmp_path / "b.dta").unlink()
    capsys.readouterr()
    assert main([*b, "--encoding", "gbk"]) == 2
    err = capsys.readouterr().err
    assert "line 2, column 'x'" in err and "'2,5' is ambiguous" in err
    assert not (tmp_path / "b.dta").exists()
