"""Benchmarks: reported numbers, never timed tests. See bench/README.md."""
