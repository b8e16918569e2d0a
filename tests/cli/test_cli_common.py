"""The shared command-line arguments (sciteff.cli.common) and the lazy start-up they allow."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from sciteff.cli import common
from sciteff.cli.main import COMMANDS, build_parser

HEAVY = ("numpy", "pandas", "scipy", "highspy", "pyarrow", "openpyxl")

#: The data-reading commands and one valid argument list each (the data file need not exist:
#: parsing never opens it).
READERS = {
    "dea": ["d.csv", "--inputs", "x", "--outputs", "y"],
    "cost": ["d.csv", "--inputs", "x", "--outputs", "y", "--prices", "w"],
    "sbm": ["d.csv", "--inputs", "x", "--outputs", "y"],
    "bootstrap": ["d.csv", "--inputs", "x", "--outputs", "y"],
    "malmquist": ["d.csv", "--inputs", "x", "--outputs", "y", "--dmu", "d", "--period", "t"],
    "window": [
        *("d.csv", "--inputs", "x", "--outputs", "y", "--dmu", "d", "--period", "t"),
        *("--width", "2"),
    ],
}

SHARED = ("--inputs", "--outputs", "--dmu", "--sheet", "--encoding", "--decimal", "--out")


def test_choices_repeat_the_library_constants():
    from sciteff.efficiency.cost import COST_RTS
    from sciteff.efficiency.malmquist import FRONTIERS
    from sciteff.efficiency.slacks import SLACK_METHODS
    from sciteff.efficiency.window import WINDOW_ORIENTATIONS, WINDOW_RTS

    assert tuple(SLACK_METHODS) == common.SLACK_METHODS
    assert tuple(FRONTIERS) == common.FRONTIERS
    assert common.RTS == tuple(COST_RTS) == tuple(WINDOW_RTS)
    assert tuple(WINDOW_ORIENTATIONS) == common.ORIENTATIONS


@pytest.mark.parametrize("argv", [["--help"], ["dea", "--help"], ["dea", "d.csv"]])
def test_parsing_imports_no_numerical_library(argv):
    """Start-up (issue 17): building the parser and parsing a command (or failing to) loads
    none of the numerical libraries; they are imported when the command runs."""
    code = (
        "import sys, json\n"
        "from sciteff.cli.main import build_parser\n"
        f"try:\n    build_parser().parse_args({argv!r})\n"
        "except SystemExit:\n    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def _option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action | None:
    for action in parser._actions:
        if flag in action.option_strings:
            return action
    return None


def _subparser(name: str) -> argparse.ArgumentParser:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[name]


def test_every_command_is_registered():
    assert set(READERS) <= set(COMMANDS)


@pytest.mark.parametrize("flag", SHARED)
def test_shared_options_mean_the_same_everywhere(flag):
    """One definition (common.add_*): the same default, type and help text in every
    data-reading command."""
    seen = []
    for name in READERS:
        action = _option(_subparser(name), flag)
        assert action is not None, f"{name} has no {flag}"
        seen.append((action.default, action.type, action.choices, action.metavar))
    assert len(set(map(repr, seen))) == 1, seen
    helps = {_option(_subparser(n), flag).help for n in READERS}
    if flag not in ("--dmu", "--outputs"):  # panels require --dmu; sbm's outputs are good ones
        assert len(helps) == 1, helps


@pytest.mark.parametrize("name", list(READERS))
def test_reading_defaults(name):
    args = build_parser().parse_args([name, *READERS[name]])
    assert (args.encoding, args.decimal, args.sheet, args.out) == (None, ".", None, None)
    assert args.digits is None


@pytest.mark.parametrize("name", list(READERS))
def test_unknown_encoding_is_a_usage_error(name, capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args([name, *READERS[name], "--encoding", "klingon"])
    assert exc.value.code == 2
    assert "unknown encoding 'klingon'" in capsys.readouterr().err


@pytest.mark.parametrize("name", list(READERS))
def test_decimal_is_dot_or_comma(name, capsys):
    args = build_parser().parse_args([name, *READERS[name], "--decimal", ","])
    assert args.decimal == ","
    with pytest.raises(SystemExit):
        build_parser().parse_args([name, *READERS[name], "--decimal", ";"])


def test_dmu_column_cannot_be_a_variable():
    from sciteff.core.errors import InputError

    assert common.label_columns(None, ["x"]) == []
    assert common.label_columns("firm", ["x"], ["y"]) == ["firm"]
    with pytest.raises(InputError, match="DMU column"):
        common.label_columns("x", ["y"], ["x"])


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_deap_help_is_its_own_usage(flag, capsys):
    """``sciteff deap`` parses its three forms itself; its --help is not an argparse error."""
    from sciteff.cli.main import main

    assert main(["deap", flag]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: sciteff deap JOB.ins")
    assert "[--encoding NAME]" in out and "[--decimal .|,]" in out


def test_unknown_option_is_still_a_usage_error(capsys):
    from sciteff.cli.main import main

    with pytest.raises(SystemExit) as exc:
        main(["dea", "d.csv", "--inputs", "x", "--outputs", "y", "--bogus"])
    assert exc.value.code == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err
