"""Transfer: technology-transfer metrics (conversion rates, per-contract averages,
compositions, growth) recomputed from a paper's printed numbers."""
