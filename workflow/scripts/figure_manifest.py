"""Glue: the figures manifest, every declared figure in report order (rule figures_manifest)."""

import json

from sciteff.core.io import write_text
from sciteff.core.runlog import logged

with logged(snakemake.log[0]) as log:
    entries = snakemake.params.entries
    write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", snakemake.output[0])
    log.info("%d figures", len(entries))
