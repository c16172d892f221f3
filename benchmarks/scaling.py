"""How the converter's cost grows with the number of paragraphs of one record.

``python -m benchmarks paragraphs --sizes 25000,50000,100000`` converts one record of
N short paragraphs (numbers, dates that need the nearest unambiguous date to be read,
times) at each size and prints the CPU seconds and the microseconds per paragraph,
which must stay flat: a cost per paragraph that grows with the count is a quadratic
step (issue 13: 100,000 paragraphs, 1.3 MB, took 47 s).
"""

from __future__ import annotations

import time
from pathlib import Path

HEAD = Path(__file__).resolve().parent.parent / "seeds" / "000_52bc27a42b43e391.txt"


def record(n: int, dated: bool = True) -> str:
    """A seed's header, then ``n`` paragraphs of a dozen characters each."""
    text = HEAD.read_text(encoding="utf-8")
    head = text[: text.index("Translation - English") + len("Translation - English")]
    if not dated:  # without a document date the body is read whole for one first
        head = head.replace("**July 16, 1952**", "**Undated**")
    paras = [f"{i} on {1 + i % 12}.7.52." if i % 3 else f"{i} at 17.{1 + i % 12}."
             for i in range(n)]
    return head + "\n\n" + "\n\n".join(paras) + "\n"


def run(sizes: list[int]) -> list[tuple[int, bool, int, float]]:
    """(paragraphs, dated, bytes, CPU seconds) for each size, dated and undated."""
    from pipeline.convert import Converter

    conv = Converter()
    out = []
    for dated in (True, False):
        for n in sizes:
            text = record(n, dated)
            t0 = time.process_time()
            conv.convert_text(text, "paragraphs.txt")
            cpu = time.process_time() - t0
            out.append((n, dated, len(text.encode("utf-8")), cpu))
            print(f"{n:>8} paragraphs {'dated  ' if dated else 'undated'} "
                  f"{len(text.encode('utf-8')):>10,} bytes  {cpu:7.2f} s CPU  "
                  f"{cpu / n * 1e6:7.1f} µs/paragraph", flush=True)
    return out
