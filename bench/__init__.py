"""Benchmarks (``make bench``, ``python -m bench [all|build|scraper|search|corpus|profile]``).

Figures only, never assertions: the machine is shared and noisy, so every figure is a ratio against
a baseline measured in the same run, or a median over several runs.  See docs/performance.md.
"""
