"""The conda environment and pyproject.toml pin the same versions (pins live in one place)."""

from __future__ import annotations

import re
import tomllib

import yaml


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for req in requirements:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*==\s*([^\s;]+)\s*", req)
        assert match, f"not an exact pin: {req!r}"
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_conda_env_mirrors_pyproject_pins(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    runtime = _pins(project["dependencies"])
    env = yaml.safe_load((root / "envs" / "sciteff.yaml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_pins = _pins([line for line in pip_section if not line.startswith("-")])
    assert conda_pins == runtime
    assert "python=3.11" in env["dependencies"]
    assert "-e .." in pip_section, "the conda env must install this checkout's library"


def test_every_dependency_is_pinned_exactly(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    everything = project["dependencies"] + project["optional-dependencies"]["dev"]
    pins = _pins(everything)
    assert len(pins) == len(everything)
    assert project["requires-python"].startswith(">=3.11")
