"""Snakemake's terminal output condensed to progress and errors (the quiet ``make results``).

Snakemake prints, for every job, its rule, inputs, outputs, log and benchmark: over a thousand
lines on a fresh clone, in which the progress line is lost. This filter reads that output and
prints instead: how many jobs will run, the progress (jobs done / total and the job that just
finished) as one line that is rewritten on a terminal, or one line per tenth of the work when
the output is a file or pipe, warnings, and every error in full (from the first error line on,
everything passes through). Snakemake's own complete log stays in ``.snakemake/log/``.

Use: ``snakemake ... 2>&1 | python -m sciteff.report.terminal``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import TextIO

_TOTAL = re.compile(r"^total\s+(\d+)\s*$")
_FINISHED = re.compile(r"Finished job(?:id)?:? (\d+)(?: \(Rule: ([^)]+)\))?")
_RULE = re.compile(r"^(?:local)?rule (\S+):$")
_STEPS = re.compile(r"^(\d+) of (\d+) steps \((\d+)%\) done")
_ERROR = re.compile(
    r"(Error in rule|Exception|Error:|Error in|Traceback|Exiting because|"
    r"MissingInput|IncompleteFiles|LockException|Error$)"
)
_KEEP = re.compile(r"^(Nothing to be done|Complete log|Warning|WARNING|Building DAG)")


class Condenser:
    """State of the condensed output: the jobs in flight and the last milestone printed."""

    def __init__(self, out: TextIO, *, live: bool) -> None:
        self.out = out
        self.live = live
        self.failed = False
        self.milestone = -1
        self.last_rule = ""
        self.rules: dict[str, str] = {}
        self.pending_rule = ""
        self.dirty = False

    def _line(self, text: str) -> None:
        if self.dirty:
            self.out.write("\n")
            self.dirty = False
        self.out.write(text + "\n")
        self.out.flush()

    def feed(self, line: str) -> None:
        """Take one line of Snakemake's output."""
        text = line.rstrip("\n")
        if self.failed:
            self._line(text)
            return
        if _ERROR.search(text):
            self.failed = True
            self._line(text)
            return
        stripped = text.strip()
        total = _TOTAL.match(stripped)
        if total:
            self._line(f"sciteff: {total.group(1)} jobs to run")
            return
        rule = _RULE.match(stripped)
        if rule:
            self.pending_rule = rule.group(1)
            return
        jobid = re.match(r"^jobid: (\d+)", stripped)
        if jobid and self.pending_rule:
            self.rules[jobid.group(1)] = self.pending_rule
            return
        finished = _FINISHED.search(stripped)
        if finished:
            self.last_rule = finished.group(2) or self.rules.get(finished.group(1), "")
            return
        steps = _STEPS.match(stripped)
        if steps:
            self._progress(int(steps.group(1)), int(steps.group(2)), int(steps.group(3)))
            return
        if _KEEP.match(stripped):
            self._line(text)

    def _progress(self, done: int, total: int, percent: int) -> None:
        width = len(str(total))
        text = f"[{done:>{width}}/{total} {percent:>3}%] finished {self.last_rule}".rstrip()
        if self.live:
            self.out.write("\r" + text.ljust(72))
            self.out.flush()
            self.dirty = True
            if done == total:
                self._line("")
            return
        tenth = percent // 10
        if tenth > self.milestone or done == total:
            self.milestone = tenth
            self._line(text)

    def close(self) -> None:
        """End a rewritten progress line."""
        if self.dirty:
            self.out.write("\n")
            self.out.flush()
            self.dirty = False


def condense(lines: Iterable[str], out: TextIO, *, live: bool) -> bool:
    """Condense ``lines`` onto ``out``; True if an error was seen."""
    state = Condenser(out, live=live)
    for line in lines:
        state.feed(line)
    state.close()
    return state.failed


def main() -> int:
    """Filter standard input to standard output; exit status 1 if an error was seen."""
    failed = condense(sys.stdin, sys.stdout, live=sys.stdout.isatty())
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
