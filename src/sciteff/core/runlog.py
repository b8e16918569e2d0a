"""Send a pipeline step's log messages, warnings and any traceback to its log file.

Snakemake shows a failed job's log path; putting the full traceback there (as well as the
one-line reason on standard error) means the user reads the cause, not just "job failed".
"""

from __future__ import annotations

import contextlib
import logging
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def logged(log_path: str | Path, name: str = "sciteff") -> Iterator[logging.Logger]:
    """Log to ``log_path`` (overwritten) for the duration of the block; re-raise errors after
    writing their traceback there, so the job still fails."""
    path = Path(log_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)
    logger = logging.getLogger(name)
    try:
        yield logger
    except BaseException as exc:
        logger.error("failed: %s\n%s", exc, traceback.format_exc())
        print(f"error: {exc} (details in {path})", file=sys.stderr)
        raise
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        handler.close()
