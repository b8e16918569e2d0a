"""Subcommands of the ``sciteff`` command line.

A command module exposes ``register(subparsers)``, which adds its subparser and sets
``run=<function(args) -> int>`` as a default. Add a module to ``COMMANDS`` to expose it.
"""

from __future__ import annotations

from types import ModuleType

from sciteff.commands import dea, malmquist

COMMANDS: list[ModuleType] = [malmquist, dea]
