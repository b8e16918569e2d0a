"""sciteff: reproducible S&T finance efficiency and technology-transfer analysis."""

__version__ = "0.1.0"
