"""The record model: what the reader finds in one archive export.

The reader fills it, the TEI writer reads it; nothing else. Every part keeps
the source line it came from, so problems can point at it, and the raw text,
so nothing is lost when a part cannot be parsed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from pipeline.errors import Problem


@dataclass
class Block:
    """A paragraph of the body: lines between blank lines, as in the source."""

    line: int  # 1-based line number of the first line
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Locus:
    """A range of sheets as cited: "65-68", "0045ob", "5-6"."""

    text: str
    start: str
    end: str


@dataclass
class Holding:
    """One archival holding from the citation (APRF, f. 45, op. 1, d. 348, ll. 65-68)."""

    text: str  # verbatim
    siglum: str = ""  # "APRF", "AVP RF" as cited
    ids: list[tuple[str, str]] = field(default_factory=list)  # ("fond", "45"), ...
    locus_label: str = ""  # "Listy", "ll."
    loci: list[Locus] = field(default_factory=list)
    note: str = ""  # "(original copy)"
    parsed: bool = True


@dataclass
class Citation:
    """The ``Citation:`` section, verbatim and in parts."""

    text: str
    line: int
    title: str = ""
    date: str = ""
    publisher: str = ""
    archival: str = ""  # the archival / publication part, verbatim
    url: str = ""
    holdings: list[Holding] = field(default_factory=list)


@dataclass
class Version:
    """One version of the text in the body: the English translation, the Russian original."""

    kind: str  # "translation" | "original"
    lang: str  # "en" | "ru" | ...
    blocks: list[Block]


@dataclass
class Record:
    """One archive export, read."""

    name: str  # source file name, for messages
    id: str  # TEI/@xml:id
    date_text: str = ""
    date: datetime.date | None = None
    title: str = ""
    url: str = ""
    citation: Citation | None = None
    summary: str = ""
    languages: list[str] = field(default_factory=list)  # "Russian", as given
    contents: list[str] = field(default_factory=list)  # "Translation - English", ...
    extra: list[tuple[str, str]] = field(default_factory=list)  # other sections, kept
    body: str = ""  # the source body, verbatim (what the diplomatic text must give back)
    body_line: int = 0
    versions: list[Version] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
