"""The per-record summaries the corpus pages are made from, packed for the build state.

Kept apart from the engines (no Saxon here) so that the build's parent process can
pack and unpack summaries without loading them.
"""

from __future__ import annotations

import hashlib
import re

# Each record's summary carries copies of the personography entries it points at
# (Stalin's in almost every one): the manifest keeps each distinct entry once and
# the summaries point at it, which makes it ten times smaller and quick to read;
# the corpus pages get the entries once too (pipeline.render.site.corpus_xml).
_ENTRY = re.compile(r"<entry>.*?</entry>", re.S)
MARK = "\x00"


def pack_summary(summary: str | None, shared: dict[str, str]) -> str | None:
    if not summary:
        return summary

    def keep(m: re.Match) -> str:
        key = hashlib.sha1(m.group(0).encode("utf-8")).hexdigest()[:16]
        shared.setdefault(key, m.group(0))
        return f"{MARK}{key}{MARK}"

    return _ENTRY.sub(keep, summary.replace(MARK, ""))
