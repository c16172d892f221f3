"""Benchmarks of teipipe: a synthetic corpus generator and the corpus-build benchmark.

Not shipped with the package; run from the repository root::

    python -m benchmarks generate -n 1000 --seed 1 -o /tmp/corpus
    python -m benchmarks run --sizes 100,1000,10000 --jobs 2
"""
