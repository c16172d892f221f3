"""The convert stage: archive text exports -> TEI P5 files.

    >>> from pipeline.convert import Converter
    >>> c = Converter()                      # loads the personography once
    >>> result = c.convert_file("seeds/000_52bc27a42b43e391.txt")
    >>> result.id, len(result.tei) > 0
    ('wcda-113640', True)

``convert_paths`` runs a batch: it carries on past bad records, writes each file
atomically (temporary file, then rename) and sums up at the end.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.convert.messages import group
from pipeline.convert.parties import read_parties
from pipeline.convert.reader import read_record
from pipeline.convert.serialise import serialise
from pipeline.convert.sourcefile import MAX_BYTES, check_size, decode, read_source
from pipeline.convert.writer import Writer
from pipeline.errors import InputError, Problem
from pipeline.files import write_atomic


@dataclass
class Conversion:
    """One record converted: its id, the TEI bytes, and what was found on the way."""

    id: str
    tei: bytes
    problems: list[Problem] = field(default_factory=list)
    unknown_names: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


@dataclass
class Summary:
    """What a batch did, for the closing lines of a run."""

    converted: list[tuple[str, Path]] = field(default_factory=list)  # (source, output)
    failed: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown_names: Counter = field(default_factory=Counter)
    persons: int = 0
    dates: int = 0

    @property
    def warnings_by_kind(self) -> Counter:
        return Counter(p.code for p in self.problems if p.severity == "warning")

    def lines(self) -> list[str]:
        out = [f"{len(self.converted)} record(s) converted, {len(self.failed)} failed; "
               f"{self.persons} person mention(s) tagged, {self.dates} date(s) normalised"]
        kinds = self.warnings_by_kind
        if kinds:
            out.append("warnings: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
        if self.unknown_names:
            out.append("unknown names (tagged without @ref; add them to tei/people.xml): "
                       + ", ".join(f"{n} ({c})" if c > 1 else n
                                   for n, c in sorted(self.unknown_names.items())))
        return out


class Converter:
    """Converts records; the personography and gazetteer are loaded once.

    ``max_bytes`` bounds the size of a source (its UTF-8 bytes for ``convert_text``):
    a larger one is refused with one ``too-large`` problem before any work is done.
    The default, :data:`pipeline.convert.sourcefile.MAX_BYTES` (5 MiB), is some
    hundred times the longest record of the archive.
    """

    def __init__(self, people: Path | None = None, places: Path | None = None,
                 max_bytes: int = MAX_BYTES) -> None:
        self.authority = _load_authority(people, places)
        self._resolver_cls = _resolver_class()
        self.max_bytes = max_bytes

    def convert_file(self, path: str | Path) -> Conversion:
        """Convert one export file. Raises :class:`InputError` if nothing can be produced."""
        src = read_source(path, self.max_bytes)
        return self._convert(src.text, str(path), src.problems)

    def convert_text(self, text: str | bytes, name: str = "<input>") -> Conversion:
        """Convert the text (or bytes) of one export."""
        if isinstance(text, str):
            # lone surrogates go through, to be marked and reported like control
            # characters, instead of failing to encode
            text = text.encode("utf-8", "surrogatepass")
        check_size(len(text), name, self.max_bytes)
        src = decode(text, name)
        return self._convert(src.text, name, src.problems)

    def _convert(self, text: str, name: str, problems: list[Problem]) -> Conversion:
        rec = read_record(text, name)
        rec.problems[:0] = problems
        factory = None
        if self._resolver_cls is not None:
            cls = self._resolver_cls

            def factory(body: str):  # noqa: ANN202 - one resolver per version
                return cls(rec.date, body)
        try:
            # The reader's second half: messages, roles, parties (the record is read).
            group(rec.versions, rec.id, self.authority)
            read_parties(rec, self.authority, factory)
            writer = Writer(rec, self.authority, factory)
            tree = writer.build()
        except InputError:
            raise
        except Exception as e:  # a bug must name the file, not crash the batch
            raise InputError(Problem(name, 0, 0, "error", "internal",
                                     f"the converter failed: {type(e).__name__}: {e}",
                                     "report this record to the teipipe developers")) from e
        tei = serialise(tree)
        stats = {"persons": writer.ctx.persons, "dates": writer.ctx.dates,
                 "messages": len(writer.messages), "versions": len(rec.versions)}
        return Conversion(rec.id, tei, list(rec.problems), sorted(writer.ctx.unknown), stats)


def _load_authority(people: Path | None, places: Path | None):
    try:
        from pipeline.convert.names import Authority
    except ImportError:
        return None
    return Authority.load(people, places)


def _resolver_class():
    try:
        from pipeline.convert.dates import DateResolver
    except ImportError:
        return None
    return DateResolver


def iter_sources(paths: list[str | Path]) -> list[Path]:
    """Files given, and the ``*.txt`` files of folders given, in a stable order."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += sorted(x for x in p.rglob("*.txt") if x.is_file())
        else:
            out.append(p)
    return out




def convert_paths(paths: list[str | Path], out_dir: str | Path,
                  converter: Converter | None = None) -> Summary:
    """Convert every source under ``paths`` into ``out_dir/<xml:id>.xml``; never stops early."""
    converter = converter or Converter()
    out = Path(out_dir)
    summary = Summary()
    seen: dict[str, str] = {}
    for src in iter_sources(paths):
        try:
            conv = converter.convert_file(src)
        except InputError as e:
            summary.failed.append(e.problem)
            continue
        summary.problems += conv.problems
        if conv.id in seen:
            summary.failed.append(Problem(str(src), 0, 0, "error", "duplicate-id",
                                          f"{conv.id} was already written from {seen[conv.id]}",
                                          "two exports of the same record; remove one"))
            continue
        seen[conv.id] = str(src)
        target = out / f"{conv.id}.xml"
        try:
            write_atomic(target, conv.tei)
        except OSError as e:
            summary.failed.append(Problem(str(target), 0, 0, "error", "unwritable",
                                          e.strerror or str(e), "check the output folder"))
            continue
        summary.converted.append((str(src), target))
        summary.unknown_names.update(conv.unknown_names)
        summary.persons += conv.stats.get("persons", 0)
        summary.dates += conv.stats.get("dates", 0)
    return summary
