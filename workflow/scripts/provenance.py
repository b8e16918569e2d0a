"""Glue: provenance of every output (snakemake rule provenance)."""

import json

from sciteff.io import write_text
from sciteff.provenance import provenance
from sciteff.runlog import logged

with logged(snakemake.log[0]) as log:
    record = provenance(list(snakemake.input))
    write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", snakemake.output[0])
    log.info("%d outputs recorded", len(record["outputs"]))
