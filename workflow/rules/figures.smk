"""Figures: results/figures/<name>.png and .svg, every one a declaration, drawn by generic rules.

A paper's figures are declared in raw_data/papers/<paper>/figures.yaml (name <paper>_<id>), the
analyses' figures in the `figures:` section of config/config.yaml (name <id>); both are
validated here, at start-up (docs/figures.md). The rules below know no paper, figure or column:
they hand each declaration the outputs of the rules that write what it reads.
"""

from sciteff.figures.spec import (
    declared_figures,
    input_paths,
    manifest,
    name_pattern,
    output_paths,
)

FIGURES = f"{RESULTS}/figures"
DECLARED = declared_figures(PAPERS, config.get("figures", {}), ANALYSES)
# Plain data per figure, by output name (what the report reads).
DECLARED_FIGURES = {name: spec.to_dict() for name, spec in DECLARED.items()}
ANALYSIS_RULES = {"dea": rules.dea_analysis, "malmquist": rules.malmquist_analysis}
# Where each kind of figure input is written: the output patterns of the rules that write it.
FIGURE_SOURCES = {
    "table": rules.ingest_table.output[0],
    "quotes": rules.ingest_quotes.output[0],
    "panel": rules.ingest_panel_year.output[0],
    "analysis": {
        name: dict(ANALYSIS_RULES[spec["method"]].output.items())
        for name, spec in ANALYSES.items()
        if spec["method"] in ANALYSIS_RULES
    },
}


rule figure:
    """One figure a paper folder declares in its figures.yaml."""
    input:
        unpack(lambda w: input_paths(DECLARED[f"{w.paper}_{w.figure}"], FIGURE_SOURCES)),
    output:
        png=report(
            f"{FIGURES}/{{paper}}_{{figure}}.png",
            caption="../report/figure.rst",
            category="Figures",
        ),
        svg=f"{FIGURES}/{{paper}}_{{figure}}.svg",
    log:
        f"{RESULTS}/logs/figures/{{paper}}_{{figure}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/figures/{{paper}}_{{figure}}.tsv"
    wildcard_constraints:
        paper=name_pattern(s.paper for s in DECLARED.values() if s.paper),
        figure=name_pattern(s.figure for s in DECLARED.values() if s.paper),
    conda:
        ENV
    params:
        figure=lambda w: DECLARED[f"{w.paper}_{w.figure}"].to_dict(),
    script:
        "../scripts/figure_draw.py"


rule analysis_figure:
    """One figure of a configured analysis, declared in the config's `figures:` section."""
    input:
        unpack(lambda w: input_paths(DECLARED[w.figure], FIGURE_SOURCES)),
    output:
        png=report(
            f"{FIGURES}/{{figure}}.png",
            caption="../report/figure.rst",
            category="Figures",
        ),
        svg=f"{FIGURES}/{{figure}}.svg",
    log:
        f"{RESULTS}/logs/figures/{{figure}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/figures/{{figure}}.tsv"
    wildcard_constraints:
        figure=name_pattern(s.figure for s in DECLARED.values() if s.paper is None),
    conda:
        ENV
    params:
        figure=lambda w: DECLARED[w.figure].to_dict(),
    script:
        "../scripts/figure_draw.py"


FIGURE_FILES = {
    name: output_paths(
        spec,
        dict(rules.figure.output.items()),
        dict(rules.analysis_figure.output.items()),
    )
    for name, spec in DECLARED.items()
}


rule figures_manifest:
    """Every declared figure with its paper, title, caption, order and files, in report order."""
    input:
        sorted({s.declared_in for s in DECLARED.values() if s.paper}),
    output:
        f"{FIGURES}/manifest.json",
    log:
        f"{RESULTS}/logs/figures/manifest.log",
    benchmark:
        f"{RESULTS}/benchmarks/figures/manifest.tsv"
    conda:
        ENV
    params:
        entries=manifest(DECLARED.values(), FIGURE_FILES),
    script:
        "../scripts/figure_manifest.py"


TARGETS.extend(
    [path for files in FIGURE_FILES.values() for path in files.values()]
    + list(rules.figures_manifest.output)
)
