"""YAML sidecars validated against their JSON Schemas, with errors that name file, key and line.

Every kind of declaration beside a transcription (a table's ``tableN.yaml``, ``checks.yaml``,
``transfer.yaml``, ``figures.yaml``, ``corrections.yaml``, a panel's ``dataset.yaml``) has a
schema in :mod:`sciteff.ingest.schemas`. :func:`load_sidecar` reads the file once, validates it
and, when it is malformed, raises one :class:`~sciteff.core.errors.InputError` whose message
points at the offending key with the line the YAML parser recorded for it, so the user edits
the right place without reading a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from sciteff.core.errors import InputError

#: Sidecar kinds with a schema: kind -> file name of the schema in ``sciteff/ingest/schemas``.
SCHEMAS = {
    "table": "table.schema.json",
    "checks": "checks.schema.json",
    "transfer": "transfer.schema.json",
    "figures": "figures.schema.json",
    "corrections": "corrections.schema.json",
    "dataset": "dataset.schema.json",
}


class SidecarError(InputError):
    """A malformed sidecar, located: ``key`` is the dotted key path, ``line`` the editor line
    of that key where the YAML parser recorded one. The message reads ``file F: line N: key
    K: reason``."""

    def __init__(self, reason: str, *, file: str, key: str, line: int | None) -> None:
        super().__init__(f"{f'line {line}: ' if line else ''}key {key}: {reason}", file=file)
        self.key = key
        self.line = line


@cache
def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one sidecar kind (a key of :data:`SCHEMAS`)."""
    if kind not in SCHEMAS:
        raise KeyError(f"no schema for sidecar kind {kind!r}; known: {sorted(SCHEMAS)}")
    text = resources.files("sciteff.ingest.schemas").joinpath(SCHEMAS[kind]).read_text("utf-8")
    return json.loads(text)


def available(kind: str) -> bool:
    """Whether the schema of ``kind`` ships with this version (some kinds are optional)."""
    return resources.files("sciteff.ingest.schemas").joinpath(SCHEMAS[kind]).is_file()


def load_sidecar(path: str | Path, kind: str) -> dict[str, Any]:
    """Read the YAML mapping in ``path`` and validate it against the schema of ``kind``.

    Raises :class:`InputError` naming the file, the key path (``periods.2023.count_total``)
    and its line, with the schema's reason, for the first (most specific) violation.
    """
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", file=file) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=file) from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{where}not valid YAML ({problem})", file=file) from None
    if not isinstance(data, dict):
        raise InputError("the file must hold a YAML mapping (key: value lines)", file=file)
    for keys, line in duplicate_keys(node):
        # YAML keeps the last of two equal keys silently: a declaration would vanish unseen
        raise SidecarError("given twice", file=file, key=".".join(keys), line=line)
    validator = jsonschema.Draft202012Validator(schema(kind))
    errors = sorted(validator.iter_errors(data), key=_specificity)
    if errors:
        error = errors[0]
        keys = [str(k) for k in error.absolute_path]
        reason = _reason(error)
        unexpected = _unexpected_keys(error)
        if unexpected:  # point at the misspelt key itself, not at its parent
            keys.append(unexpected[0])
            known = sorted(error.schema.get("properties", {}))
            reason = "unknown key (a misspelling?)"
            if known:
                reason += "; known keys: " + ", ".join(known)
        key = ".".join(keys) or "(top level)"
        raise SidecarError(reason, file=file, key=key, line=line_of(node, keys))
    return data


def _unexpected_keys(error: jsonschema.ValidationError) -> list[str]:
    """The keys an ``additionalProperties: false`` violation is about, in file order."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    schema = error.schema if isinstance(error.schema, dict) else {}
    allowed = set(schema.get("properties", {}))
    return [str(k) for k in error.instance if str(k) not in allowed]


def duplicate_keys(node: yaml.Node | None, path: tuple[str, ...] = ()) -> list:
    """(key path, line) of every mapping key given twice in a YAML node tree."""
    found = []
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            if key.value in seen:
                found.append(((*path, str(key.value)), key.start_mark.line + 1))
            seen.add(key.value)
            found += duplicate_keys(value, (*path, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found += duplicate_keys(item, (*path, str(i)))
    return found


def _specificity(error: jsonschema.ValidationError) -> tuple[int, int, str]:
    """Deepest path first, so the message names the innermost offending key; at one depth
    an unknown key first, since a misspelt required key is reported both ways."""
    return (-len(error.absolute_path), error.validator != "additionalProperties", error.message)


def _reason(error: jsonschema.ValidationError) -> str:
    """The schema's complaint in words a user reads: the value's description where given."""
    described = error.schema.get("description") if isinstance(error.schema, dict) else None
    if described and error.validator in ("pattern", "enum", "type", "const"):
        return f"{error.message}; expected: {described}"
    return error.message


def line_of(node: yaml.Node | None, keys: Sequence[str]) -> int | None:
    """The 1-based line of the YAML node at ``keys`` (or of its deepest existing parent)."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if str(k.value) == key), None)
            key_node = next((k for k, _ in node.value if str(k.value) == key), None)
            if match is None:
                return line
            line = key_node.start_mark.line + 1 if key_node is not None else line
            node = match
        elif isinstance(node, yaml.SequenceNode) and key.isdigit() and int(key) < len(node.value):
            node = node.value[int(key)]
            line = node.start_mark.line + 1
        else:
            return line
    return line
