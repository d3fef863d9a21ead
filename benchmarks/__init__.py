"""Reproducible speed and memory runs. `python -m benchmarks` runs the whole-pipeline benchmark."""
