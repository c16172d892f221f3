"""Parsing XML that may come from anyone, safely.

TEI files arrive from colleagues and CI; a hostile or broken file must get a
clear message, never a fetch from the network, an expanded entity bomb or a
crash. Every stage that reads XML goes through :func:`parse`.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from pipeline.errors import InputError, Problem

#: Files larger than this are refused before parsing.
MAX_BYTES = 50 * 1024 * 1024
#: Elements nested deeper than this are refused (real TEI stays far below).
MAX_DEPTH = 1000


def _parser() -> etree.XMLParser:
    # No DTD loading, no entity resolution, no network, no huge-tree mode:
    # libxml2 then refuses entity bombs and absurd nesting itself.
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse(path: str | Path, data: bytes | None = None) -> etree._ElementTree:
    """Parse an XML file (or its bytes) with every external access switched off.

    Raises :class:`InputError` naming the file and line for anything that is not
    plain, well-formed XML: a DOCTYPE declaring entities, an over-large file,
    nesting deeper than :data:`MAX_DEPTH`, a syntax error.
    """
    name = str(path)
    if data is None:
        try:
            size = Path(path).stat().st_size
            if size > MAX_BYTES:
                raise InputError(Problem(name, 0, 0, "error", "too-large",
                                         f"file is {size} bytes, over the limit of {MAX_BYTES}",
                                         "split the file or raise the limit"))
            data = Path(path).read_bytes()
        except OSError as e:
            raise InputError(Problem(name, 0, 0, "error", "unreadable", e.strerror or str(e),
                                     "check the path and permissions")) from None
    if len(data) > MAX_BYTES:
        raise InputError(Problem(name, 0, 0, "error", "too-large",
                                 f"input is {len(data)} bytes, over the limit of {MAX_BYTES}",
                                 "split the file"))
    if not data.strip():
        raise InputError(Problem(name, 1, 1, "error", "empty", "file is empty",
                                 "give a TEI XML file"))
    try:
        tree = etree.fromstring(data, _parser(), base_url=None).getroottree()
    except etree.XMLSyntaxError as e:
        line, col = (e.position if e.position else (0, 0))
        raise InputError(Problem(name, line or 0, col or 0, "error", "not-well-formed",
                                 _clean(e.msg or str(e)),
                                 "fix the XML syntax; the file must be well-formed")) from None
    docinfo = tree.docinfo
    if docinfo.internalDTD is not None and _declares_entities(docinfo.internalDTD):
        raise InputError(Problem(name, 1, 1, "error", "entity-declaration",
                                 "the DOCTYPE declares entities, which are refused",
                                 "replace entities with the characters they stand for"))
    if docinfo.system_url or docinfo.public_id:
        # An external DTD is never fetched; say so rather than silently ignoring it.
        pass
    depth = _depth(tree.getroot())
    if depth > MAX_DEPTH:
        raise InputError(Problem(name, 0, 0, "error", "too-deep",
                                 f"elements are nested {depth} deep, over the limit of {MAX_DEPTH}",
                                 "this is not a real document; check where it came from"))
    return tree


def _declares_entities(dtd: etree.DTD) -> bool:
    return any(True for _ in dtd.iterentities())


def _depth(root: etree._Element) -> int:
    deepest = 0
    stack = [(root, 1)]
    while stack:
        el, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((c, d + 1) for c in el)
    return deepest


def _clean(msg: str) -> str:
    return msg.split(", line ")[0].strip()
