"""Provenance of every output: the rule that made it, its inputs with SHA-256 hashes, the code
version and the package versions.

Snakemake already records, for each output file, the rule and the input files of the job that
wrote it (``.snakemake/metadata/<base64 of the path>``, JSON). We read those records rather
than keep a second bookkeeping of our own, hash every file ourselves (the record's checksums
are optional), and add what Snakemake does not know: the git commit and package versions.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
from collections.abc import Iterable
from importlib import metadata as importlib_metadata
from pathlib import Path

#: Packages whose versions are part of every provenance record.
PACKAGES = ("sciteff", "snakemake", "pandas", "numpy", "scipy", "pyarrow", "matplotlib", "highspy")


def sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str]:
    """Installed version of each package ("not installed" where absent)."""
    versions = {}
    for name in names:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def code_version(workdir: str | Path = ".") -> dict[str, object]:
    """The git commit of the working tree and whether it has uncommitted changes.

    Outside a git checkout (e.g. a copied project) the commit is reported as unknown, not
    guessed.
    """
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=workdir, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=workdir,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        return {"git_commit": "unknown (not a git checkout)", "dirty": None}
    return {"git_commit": commit, "dirty": bool(status.strip())}


def job_record(output: str, metadata_dir: str | Path = ".snakemake/metadata") -> dict | None:
    """Snakemake's record of the job that wrote ``output`` (None if it has none)."""
    name = base64.b64encode(output.encode("utf-8")).decode("ascii").replace("/", "@")
    path = Path(metadata_dir) / name
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def provenance(
    outputs: Iterable[str], *, metadata_dir: str | Path = ".snakemake/metadata", workdir: str = "."
) -> dict[str, object]:
    """For every output file: its hash, the rule that wrote it and its inputs with hashes;
    plus, once for all, the code version and package versions."""
    files = []
    for output in sorted(set(outputs)):
        record = job_record(output, metadata_dir) or {}
        inputs = [
            {"path": p, "sha256": sha256(p) if Path(p).is_file() else None}
            for p in record.get("input", [])
        ]
        files.append(
            {
                "path": output,
                "sha256": sha256(output),
                "rule": record.get("rule", "unknown (no Snakemake record)"),
                "inputs": inputs,
                "params": record.get("params", []),
            }
        )
    return {"code": code_version(workdir), "packages": package_versions(), "outputs": files}
