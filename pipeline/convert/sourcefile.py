"""Bytes of an archive export -> text, or one clear message saying why not.

The archive's exports are UTF-8 text, but files travel: a BOM, UTF-16 from a
Windows editor, cp1251 from an old Russian workstation, CRLF line ends. All of
these are read; cp1251 is only a guess, so it is reported as a warning. Binary
data and empty files are refused with an :class:`InputError` naming the file,
the line and what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError, Problem

#: Exports are a few pages; anything far larger is not one record. The default
#: of :class:`pipeline.convert.Converter`'s ``max_bytes`` and of ``convert --max-bytes``.
MAX_BYTES = 5 * 1024 * 1024

#: Characters XML 1.0 cannot hold (C0 controls other than tab and line end, lone
#: surrogates, U+FFFE and U+FFFF). NUL is not here: it means binary data or
#: undetected UTF-16 and refuses the file.
NOT_XML = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: What such a character becomes: visible in every rendering, and itself a character.
MARK = "\ufffd"


@dataclass
class SourceText:
    """Decoded text of one source file, with what the decoding had to guess."""

    name: str
    text: str
    encoding: str
    problems: list[Problem] = field(default_factory=list)


def read_source(path: str | Path, max_bytes: int = MAX_BYTES) -> SourceText:
    """Read and decode one export file (see :func:`decode`); refuse one over ``max_bytes``."""
    name = str(path)
    try:
        check_size(Path(path).stat().st_size, name, max_bytes)
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise InputError(Problem(name, 0, 0, "error", "unreadable", "is a directory",
                                 "give a .txt export or a folder of them")) from None
    except OSError as e:
        raise InputError(Problem(name, 0, 0, "error", "unreadable", e.strerror or str(e),
                                 "check the path and permissions")) from None
    return decode(data, name)


def check_size(size: int, name: str, max_bytes: int = MAX_BYTES) -> None:
    """Refuse a source over ``max_bytes`` with one problem, before any work is done on it:
    the converter's cost grows with the text, and no archive record comes near the limit."""
    if size > max_bytes:
        raise InputError(Problem(name, 0, 0, "error", "too-large",
                                 f"file is {size} bytes, over the limit of {max_bytes}",
                                 "give one archive record per file, or raise the limit "
                                 "(convert --max-bytes, Converter(max_bytes=...))"))


def decode(data: bytes, name: str = "<input>") -> SourceText:
    """Decode the bytes of an export; normalise line ends to ``\\n``.

    Order of trust: a BOM (UTF-8, UTF-16 LE/BE), UTF-16 without BOM (recognised
    by its NUL pattern), UTF-8, then cp1251 with a warning.
    """
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        text, enc = _strict(data[3:], "utf-8", name), "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, enc = _strict(data, "utf-16", name), "utf-16"
    elif _looks_utf16(data):
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        text = _strict(data, enc, name)
    else:
        _refuse_binary(data, name)
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            try:
                # UTF-8 but for encoded surrogates (a str with lone surrogates handed
                # to convert_text, CESU-8): they are marked below, not read as cp1251
                text, enc = data.decode("utf-8", "surrogatepass"), "utf-8"
            except UnicodeDecodeError:
                pass
            else:
                return _finish(text, enc, name, problems)
            try:
                text, enc = data.decode("cp1251"), "cp1251"
            except UnicodeDecodeError:
                raise InputError(Problem(name, line, 0, "error", "encoding",
                                         "the file is neither UTF-8 nor cp1251",
                                         "save the export as UTF-8")) from None
            problems.append(Problem(name, line, 0, "warning", "encoding",
                                    "not UTF-8; read as cp1251 (Cyrillic Windows)",
                                    "check the Russian text, then save the file as UTF-8"))
    return _finish(text, enc, name, problems)


def _finish(text: str, enc: str, name: str, problems: list[Problem]) -> SourceText:
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(Problem(name, line, 0, "error", "binary",
                                 "the file contains NUL characters: it is not a text export",
                                 "give the archive's .txt export"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _mark_not_xml(text, name, problems)
    if not text.strip():
        raise InputError(Problem(name, 1, 0, "error", "empty", "the file is empty",
                                 "give the archive's .txt export of one record"))
    return SourceText(name, text, enc, problems)


def _mark_not_xml(text: str, name: str, problems: list[Problem]) -> str:
    """Replace each character XML cannot hold by :data:`MARK`, one warning per line.

    One stray control character from a copy and paste must not cost the record:
    the rest converts, and the mark shows where the character was.
    """
    if not NOT_XML.search(text):
        return text
    lines = text.split("\n")
    for n, line in enumerate(lines):
        found = NOT_XML.findall(line)
        if found:
            codes = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in found))
            col = NOT_XML.search(line).start() + 1
            problems.append(Problem(name, n + 1, col, "warning", "character",
                                    f"{codes} cannot be written in XML; replaced by U+FFFD",
                                    "check the source here: a character was lost in "
                                    "copying"))
            lines[n] = NOT_XML.sub(MARK, line)
    return "\n".join(lines)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(Problem(name, 0, 0, "error", "encoding",
                                 f"broken {encoding} at byte {e.start}",
                                 "save the export again as UTF-8")) from None


def _looks_utf16(data: bytes) -> bool:
    # UTF-16 text of Latin/Cyrillic script has a NUL in every other byte.
    sample = data[:400]
    if len(sample) < 4 or len(sample) % 2:
        return False
    even, odd = sample[0::2], sample[1::2]
    return (odd.count(0) > 0.4 * len(odd)) != (even.count(0) > 0.4 * len(even))


def _refuse_binary(data: bytes, name: str) -> None:
    sample = data[:4096]
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in sample or bad > max(2, len(sample) // 100):
        pos = next((i for i, b in enumerate(sample) if b < 32 and b not in (9, 10, 12, 13)), 0)
        line = sample[:pos].count(b"\n") + 1
        raise InputError(Problem(name, line, 0, "error", "binary",
                                 "this is binary data, not a text export",
                                 "give the archive's .txt export"))
