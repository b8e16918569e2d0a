"""sciteff: rebuild every table, figure and audit of the source papers from raw_data/."""

from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "config/config.yaml"


validate(config, "config/schema.yaml")


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/efficiency.smk"
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
