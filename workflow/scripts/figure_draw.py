"""Glue: one declared figure, drawn by its plot kind (rules figure and analysis_figure)."""

from sciteff.core.runlog import logged
from sciteff.figures.kinds import draw
from sciteff.figures.style import close, save_figure

with logged(snakemake.log[0]) as log:
    spec = snakemake.params.figure
    inputs = dict(snakemake.input.items())
    fig, summary = draw(spec, inputs)
    save_figure(fig, snakemake.output.png, snakemake.output.svg)
    close(fig)
    log.info(
        "%s (%s, declared in %s): %s", spec["name"], spec["plot"], spec["declared_in"], summary
    )
