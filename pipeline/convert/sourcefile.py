"""Bytes of an archive export -> text, or one clear message saying why not.

The archive's exports are UTF-8 text, but files travel: a BOM, UTF-16 from a
Windows editor, cp1251 from an old Russian workstation, CRLF line ends. All of
these are read; cp1251 is only a guess, so it is reported as a warning. Binary
data and empty files are refused with an :class:`InputError` naming the file,
the line and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError, Problem

#: Exports are a few pages; anything far larger is not one record.
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class SourceText:
    """Decoded text of one source file, with what the decoding had to guess."""

    name: str
    text: str
    encoding: str
    problems: list[Problem] = field(default_factory=list)


def read_source(path: str | Path) -> SourceText:
    """Read and decode one export file (see :func:`decode`)."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise InputError(Problem(name, 0, 0, "error", "too-large",
                                     f"file is {size} bytes, over the limit of {MAX_BYTES}",
                                     "give one archive record per file"))
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise InputError(Problem(name, 0, 0, "error", "unreadable", "is a directory",
                                 "give a .txt export or a folder of them")) from None
    except OSError as e:
        raise InputError(Problem(name, 0, 0, "error", "unreadable", e.strerror or str(e),
                                 "check the path and permissions")) from None
    return decode(data, name)


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
                text, enc = data.decode("cp1251"), "cp1251"
            except UnicodeDecodeError:
                raise InputError(Problem(name, line, 0, "error", "encoding",
                                         "the file is neither UTF-8 nor cp1251",
                                         "save the export as UTF-8")) from None
            problems.append(Problem(name, line, 0, "warning", "encoding",
                                    "not UTF-8; read as cp1251 (Cyrillic Windows)",
                                    "check the Russian text, then save the file as UTF-8"))
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(Problem(name, line, 0, "error", "binary",
                                 "the file contains NUL characters: it is not a text export",
                                 "give the archive's .txt export"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(Problem(name, 1, 0, "error", "empty", "the file is empty",
                                 "give the archive's .txt export of one record"))
    return SourceText(name, text, enc, problems)


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
