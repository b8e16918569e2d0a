"""Efficiency: configured DEA and Malmquist analyses -> results/efficiency/<analysis>/."""

TARGETS.extend(
    [f"{RESULTS}/efficiency/{a}/dea.csv" for a in analyses_by("dea")]
    + [f"{RESULTS}/efficiency/{a}/malmquist.csv" for a in analyses_by("malmquist")]
)


rule dea_analysis:
    """DEAP-style VRS summary (with super-efficiency) for each period of an analysis."""
    input:
        analysis_source,
    output:
        summary=f"{RESULTS}/efficiency/{{analysis}}/dea.csv",
        data=f"{RESULTS}/efficiency/{{analysis}}/dea_input.csv",
        dropped=f"{RESULTS}/efficiency/{{analysis}}/dea_dropped.csv",
    log:
        f"{RESULTS}/logs/dea_analysis/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/dea_analysis/{{analysis}}.tsv"
    conda:
        ENV
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/dea_analysis.py"


rule malmquist_analysis:
    """Adjacent-period Malmquist indices and DEAP's summary tables for an analysis."""
    input:
        analysis_source,
    output:
        indices=f"{RESULTS}/efficiency/{{analysis}}/malmquist.csv",
        pairs=f"{RESULTS}/efficiency/{{analysis}}/malmquist_pairs.csv",
        annual=f"{RESULTS}/efficiency/{{analysis}}/malmquist_annual_means.csv",
        firms=f"{RESULTS}/efficiency/{{analysis}}/malmquist_firm_means.csv",
        data=f"{RESULTS}/efficiency/{{analysis}}/malmquist_input.csv",
        dropped=f"{RESULTS}/efficiency/{{analysis}}/malmquist_dropped.csv",
    log:
        f"{RESULTS}/logs/malmquist_analysis/{{analysis}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/malmquist_analysis/{{analysis}}.tsv"
    conda:
        ENV
    params:
        spec=lambda wildcards: ANALYSES[wildcards.analysis],
    script:
        "../scripts/malmquist_analysis.py"
