"""Glue: provenance of every output (snakemake rule provenance)."""

import json

from sciteff.core.io import write_text
from sciteff.core.runlog import logged
from sciteff.report.provenance import provenance

with logged(snakemake.log[0]) as log:
    record = provenance(list(snakemake.input))
    write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", snakemake.output[0])
    log.info("%d outputs recorded", len(record["outputs"]))
