"""Every record the converter's tests convert: the seeds and tests/records/*.txt.

Converted once per test session (the personography is loaded once).
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
RECORDS = sorted((ROOT / "tests" / "records").glob("*.txt"))
ALL_SOURCES = SEEDS + RECORDS


@lru_cache(maxsize=1)
def converter():
    from pipeline.convert import Converter

    return Converter()


@cache
def conversion(path: Path):
    return converter().convert_file(path)


def convert(text: str, name: str = "test.txt"):
    return converter().convert_text(text, name)
