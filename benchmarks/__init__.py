"""Reproducible performance benchmarks: `python -m benchmarks.<name>`."""
