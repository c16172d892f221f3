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


def truncated_variants() -> list[tuple[str, str]]:
    """Each seed cut off at a third and at two thirds of its body: half-formed exports
    (a record cut in the middle of a quotation, a list, a closing) must still convert
    to valid, lossless TEI."""
    out = []
    for src in SEEDS:
        text = src.read_text(encoding="utf-8")
        start = text.index("Translation - English")
        for frac in (3, 2):
            cut = start + (len(text) - start) * (frac - 1) // frac
            out.append((f"{src.stem}-cut{frac}.txt", text[:cut]))
    return out
