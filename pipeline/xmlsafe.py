"""Parsing XML that may come from anyone, safely.

TEI files arrive from colleagues and CI; a hostile or broken file must get a
clear message, never a fetch from the network or the disk, an expanded entity
bomb or a crash. Every stage that reads XML goes through :func:`parse`.

What is refused, each with one :class:`~pipeline.errors.Problem`:

- files over :data:`MAX_BYTES` (checked before reading them whole);
- empty files and binary data;
- any entity declaration in a DOCTYPE (internal, external, parameter entities):
  refused *before* the parser sees it, so nothing is expanded or fetched;
- nesting deeper than :data:`MAX_DEPTH`;
- anything that is not well-formed (truncated files, wrong encodings).

What is never done: loading an external DTD (a DOCTYPE naming one is parsed
without it), resolving entities, network access, processing XInclude (an
``xi:include`` stays an element; the validator reports it).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from pipeline.errors import InputError, Problem

#: Files larger than this are refused before parsing.
MAX_BYTES = 50 * 1024 * 1024
#: Elements nested deeper than this are refused (real TEI stays far below;
#: libxml2 itself stops at 256 without its "huge" mode, which is never used).
MAX_DEPTH = 256

_DOCTYPE = re.compile(r"<!DOCTYPE\b(?:[^\[>\"']|\"[^\"]*\"|'[^']*')*(\[.*?\]\s*)?>", re.S)


_DOCTYPE_BYTES = re.compile(rb"<!DOCTYPE\b(?:[^\[>\"']|\"[^\"]*\"|'[^']*')*(\[.*?\]\s*)?>", re.S)


def _parser(collect_ids: bool = True) -> etree.XMLParser:
    # No DTD loading, no entity resolution, no network, no huge-tree mode:
    # libxml2 then also refuses absurd nesting itself.
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        collect_ids=collect_ids,
        remove_blank_text=False,
    )


def _refuse(name: str, line: int, code: str, message: str, hint: str) -> InputError:
    return InputError(Problem(name, line, 1 if line else 0, "error", code, message, hint))


def read(path: str | Path) -> bytes:
    """The bytes of a file, refusing over-large or unreadable ones with a Problem."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise _refuse(name, 0, "too-large",
                          f"file is {size:,} bytes, over the limit of {MAX_BYTES:,}",
                          "split the file; real TEI documents are far smaller")
        return Path(path).read_bytes()
    except OSError as e:
        raise _refuse(name, 0, "unreadable", e.strerror or str(e),
                      "check the path and permissions") from None


def _head_text(data: bytes) -> str:
    """The start of the document as text, for looking at its prolog."""
    head = data[:200_000]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    if head[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", errors="replace")
    return head.decode("latin-1")  # structure characters are ASCII in UTF-8 too


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False
    if head[:4] in (b"<\x00?\x00", b"\x00<\x00?", b"<\x00\x00\x00", b"\x00\x00\x00<"):
        return False
    return b"\x00" in head or not head.lstrip()[:1] == b"<"


def parse(path: str | Path, data: bytes | None = None) -> etree._ElementTree:
    """Parse an XML file (or its bytes) with every external access switched off.

    Raises :class:`InputError` naming the file and line for anything that is not
    plain, well-formed XML: a DOCTYPE declaring entities, an over-large file,
    nesting deeper than :data:`MAX_DEPTH`, a syntax error.
    """
    name = str(path)
    if data is None:
        data = read(path)
    if len(data) > MAX_BYTES:
        raise _refuse(name, 0, "too-large",
                      f"input is {len(data):,} bytes, over the limit of {MAX_BYTES:,}",
                      "split the file")
    if not data.strip():
        raise _refuse(name, 1, "empty", "file is empty", "give a TEI XML file")
    if _looks_binary(data):
        raise _refuse(name, 1, "binary", "this is not an XML file (it does not start with "
                      "'<' or holds binary data)", "give a TEI XML file")
    # most files have no DOCTYPE: a byte search says so without decoding the head
    # (UTF-16/32 heads are decoded, their bytes are not ASCII)
    ascii_head = not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in data[:4]
    if ascii_head and data.find(b"<!DOCTYPE", 0, 200_000) < 0:
        m = None
    else:
        head = _head_text(data)
        m = _DOCTYPE.search(head)
    if m and m.group(1) and "<!ENTITY" in m.group(1):
        at = m.start(1) + m.group(1).index("<!ENTITY")
        line = head.count("\n", 0, at) + 1
        kind = "parameter entity" if re.match(r"<!ENTITY\s+%", head[at:]) else "entity"
        external = re.match(r"<!ENTITY\s+(?:%\s+)?\S+\s+(SYSTEM|PUBLIC)", head[at:])
        raise _refuse(name, line, "entity-declaration",
                      f"the DOCTYPE declares an {'external ' if external else ''}{kind}, "
                      "which is refused (entities can fetch files or expand without end)",
                      "replace entities with the characters they stand for and remove "
                      "the DOCTYPE")
    try:
        try:
            tree = etree.fromstring(data, _parser(), base_url=None).getroottree()
        except etree.XMLSyntaxError as e:
            if "already defined" not in (e.msg or "") or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
                raise
            # A duplicate xml:id is a validity problem the rules report with both
            # lines. Parse again without the ID table; lxml then reads the DTD a
            # DOCTYPE names, so the DOCTYPE is blanked first (newlines kept).
            blank = _DOCTYPE_BYTES.sub(lambda m: b"\n" * m.group(0).count(b"\n"), data, 1)
            tree = etree.fromstring(blank, _parser(collect_ids=False),
                                    base_url=None).getroottree()
    except etree.XMLSyntaxError as e:
        line = e.position[0] if e.position else (e.lineno or 0)
        msg = _clean(e.msg or str(e))
        if "depth" in msg.lower():
            raise _refuse(name, line, "too-deep",
                          f"elements are nested too deep (over {MAX_DEPTH} levels)",
                          "this is not a real document; check where it came from") from None
        if "entit" in msg.lower() and ("loop" in msg.lower() or "amplif" in msg.lower()):
            raise _refuse(name, line, "entity-declaration", msg,
                          "remove the entity declarations") from None
        raise _refuse(name, line, "not-well-formed", msg,
                      "fix the XML syntax; the file must be well-formed"
                      + (" (is it cut short?)" if "end of data" in msg.lower()
                         or "premature" in msg.lower() else "")) from None
    except ValueError as e:  # e.g. an unsupported encoding declaration
        raise _refuse(name, 1, "not-well-formed", str(e), "save the file as UTF-8") from None
    docinfo = tree.docinfo
    if docinfo.internalDTD is not None and any(True for _ in docinfo.internalDTD.iterentities()):
        raise _refuse(name, 1, "entity-declaration",
                      "the DOCTYPE declares entities, which are refused",
                      "replace entities with the characters they stand for")
    # deeper nesting than MAX_DEPTH never gets here: libxml2 refuses it while parsing
    return tree


def _clean(msg: str) -> str:
    return msg.split(", line ")[0].strip()
