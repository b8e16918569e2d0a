"""Shared by the benchmark scripts: rewrite their own block of README.md in place.

Each benchmark owns the text between its two markers (``<!-- bench:<name>:start -->`` and
``<!-- bench:<name>:end -->``), so ``make benchmarks`` regenerates every table without
touching the rest of the README.
"""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def markers(name: str) -> tuple[str, str]:
    """The start and end markers of benchmark ``name``'s README block."""
    return f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"


def rewrite_block(name: str, text: str, readme: Path = README) -> None:
    """Replace the README block of benchmark ``name`` with ``text``; an error if it is absent."""
    start, end = markers(name)
    content = readme.read_text(encoding="utf-8")
    if start not in content or end not in content:
        raise SystemExit(f"README.md has no {start} ... {end} block")
    head, rest = content.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")
    print(f"README.md block rewritten ({readme})")
