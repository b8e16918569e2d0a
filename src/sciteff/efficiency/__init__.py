"""Efficiency: DEA (radial scores, slacks, DEAP summary), Malmquist indices, the configured
analyses and the replication of published DEA tables. :mod:`.dea` is the public face of DEA."""
