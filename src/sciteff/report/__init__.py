"""Report: the HTML report, tables mirrored as the papers print them with their verdicts, and
the provenance record of every output."""
