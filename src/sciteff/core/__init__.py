"""Core: errors, the number grammar, units, rounding intervals and atomic file io; every stage
builds on it and it imports no stage."""
