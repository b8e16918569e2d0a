"""Glue: previous-year levels implied by growth claims (snakemake rule transfer_growth_claims)."""

import pandas as pd

from sciteff.audit.findings import load_checks
from sciteff.core.io import write_csv
from sciteff.core.runlog import logged
from sciteff.ingest.published import PaperNumbers
from sciteff.transfer.metrics import implied_previous_levels

with logged(snakemake.log[0]) as log:
    figures = pd.read_parquet(snakemake.input.figures)
    nums = PaperNumbers(snakemake.params.paper, {}, figures)
    claims = load_checks(snakemake.input.checks).get("growth_claims") or []
    frame = implied_previous_levels(nums, claims)
    write_csv(frame, snakemake.output[0])
    log.info("%s: %d growth claims", snakemake.params.paper, len(frame))
