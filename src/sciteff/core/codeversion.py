"""The version of the library code a pipeline script runs: a hash of the modules it imports.

Snakemake reruns a job when its inputs, parameters or rule change, but it cannot see the
library a script imports. The workflow therefore gives every scripted rule a ``code``
parameter, :func:`code_version` of its script: a hash over the ``sciteff`` modules the script
imports, directly or through other modules (and the packages that contain them). Editing a
module changes the hash of exactly the scripts that reach it, so Snakemake reruns exactly
those jobs and their descendants. The hash is taken over each module's syntax tree, so
comments and formatting do not trigger reruns; any change of code or docstrings does.
"""

from __future__ import annotations

import ast
import hashlib
from functools import cache
from pathlib import Path

#: The package whose modules are tracked.
PACKAGE = "sciteff"


def _module_file(name: str, src: Path) -> Path | None:
    """The file that defines module ``name`` (``a.b`` -> ``src/a/b.py`` or its package)."""
    base = src.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _with_parents(name: str) -> list[str]:
    """``a.b.c`` -> ``[a, a.b, a.b.c]``: importing a module runs its packages' ``__init__``."""
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _parse(path: Path) -> ast.Module:
    """The syntax tree of a file, parsed once per version of the file."""
    stat = path.stat()
    return _parse_version(path, stat.st_mtime_ns, stat.st_size)


@cache
def _parse_version(path: Path, mtime_ns: int, size: int) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _direct_imports(path: Path, src: Path, own: str | None) -> set[str]:
    """The tracked modules one file imports (``from x import y`` counts ``x.y`` when ``y`` is
    a module); ``own`` is the file's module name, for relative imports. Cached per version of
    the file: the workflow asks for the same modules once per scripted rule."""
    stat = path.stat()
    return set(_direct_imports_version(path, stat.st_mtime_ns, stat.st_size, src, own))


@cache
def _direct_imports_version(
    path: Path, mtime_ns: int, size: int, src: Path, own: str | None
) -> frozenset[str]:
    found: set[str] = set()
    for node in ast.walk(_parse(path)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level and own:
                package = own.split(".")
                if path.name != "__init__.py":
                    package = package[:-1]
                package = package[: len(package) - node.level + 1]
                module = ".".join([*package, module] if module else package)
            names = [module, *(f"{module}.{alias.name}" for alias in node.names)]
        for name in names:
            if name.split(".")[0] == PACKAGE and _module_file(name, src):
                found.update(n for n in _with_parents(name) if _module_file(n, src))
    return frozenset(found)


def imported_modules(script: str | Path, src: str | Path) -> dict[str, Path]:
    """Every tracked module ``script`` imports, directly or transitively: name -> file."""
    src = Path(src)
    seen: dict[str, Path] = {}
    todo = sorted(_direct_imports(Path(script), src, None))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        file = _module_file(name, src)
        assert file is not None  # only resolvable names are queued
        seen[name] = file
        todo.extend(sorted(_direct_imports(file, src, name) - seen.keys()))
    return dict(sorted(seen.items()))


def code_version(script: str | Path, src: str | Path) -> str:
    """A short hash of the code of every tracked module ``script`` imports (see the module
    docstring); the script itself is tracked by Snakemake."""
    digest = hashlib.sha256()
    for name, file in imported_modules(script, src).items():
        digest.update(name.encode())
        digest.update(_tree_text(file))
    return digest.hexdigest()[:16]


def _tree_text(path: Path) -> bytes:
    """``ast.dump`` of a file's syntax tree (what the hash covers), once per file version."""
    stat = path.stat()
    return _tree_text_version(path, stat.st_mtime_ns, stat.st_size)


@cache
def _tree_text_version(path: Path, mtime_ns: int, size: int) -> bytes:
    return ast.dump(_parse_version(path, mtime_ns, size)).encode()


def library_root() -> Path:
    """The folder holding the installed ``sciteff`` package (``src/`` in a checkout)."""
    import sciteff

    return Path(sciteff.__file__).resolve().parents[1]
