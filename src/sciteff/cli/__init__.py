"""The ``sciteff`` command line: the library's computations on a user's own files.

Each subcommand is a module here exposing ``register(subparsers)``, which adds its subparser
and sets ``run=<function(args) -> int>`` as a default; :mod:`sciteff.cli.main` lists them.
"""

from sciteff.cli.main import main

__all__ = ["main"]
