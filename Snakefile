"""sciteff: rebuild every table, figure and audit of the source papers from raw_data/."""

from snakemake.utils import min_version, validate

from sciteff.core import runlog

min_version("9.0")


configfile: "config/config.yaml"


# A data error prints its one located message, not Snakemake's repetitions of it; a dry run
# (-n) writes no results/FAILED.md.
runlog.install_snakemake_filter(
    config.get("results_dir", "results"), dry_run=runlog.is_dry_run(workflow)
)

runlog.stop_on_data_error(
    config.get("results_dir", "results"),
    lambda: runlog.check_config(config, "config/config.yaml", "config/schema.yaml"),
)
validate(config, "config/schema.yaml")


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/efficiency.smk"
include: "workflow/rules/bootstrap_shards.smk"
include: "workflow/rules/replication.smk"
include: "workflow/rules/transfer.smk"
include: "workflow/rules/audit.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/report.smk"


track_library_code(workflow.rules)


rule all:
    default_target: True
    input:
        TARGETS,


# A failed run writes results/FAILED.md and marks the previous report stale; the next
# successful run removes both.
onsuccess:
    runlog.record_success(config.get("results_dir", "results"))


onerror:
    runlog.record_failure(config.get("results_dir", "results"), log)
