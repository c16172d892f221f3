"""Benchmarks of teipipe: a synthetic corpus generator and the corpus-build benchmark.

Not shipped with the package; run from the repository root::

    python -m benchmarks generate -n 1000 --seed 1 -o /tmp/corpus
    python -m benchmarks run --sizes 100,1000,10000 --jobs 2
    python -m benchmarks fuzz -n 10000 --seed 1 -o /tmp/fuzz-failures   # benchmarks/fuzz.py
    python -m benchmarks paragraphs --sizes 25000,50000,100000          # benchmarks/scaling.py
"""
