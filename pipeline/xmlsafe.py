"""Parsing XML that may come from anyone, safely.

TEI files arrive from colleagues and CI; a hostile or broken file must get a
clear message, never a fetch from the network or the disk, an expanded entity
bomb or a crash. Every stage that reads XML goes through :func:`parse`.

What is refused, each with one :class:`~pipeline.errors.Problem`:

- files over :data:`MAX_BYTES` (checked before reading them whole);
- empty files and binary data;
- entity declarations in a DOCTYPE, except plain internal ones (older TEI declares
  ``<!ENTITY mdash "&#8212;">`` and the like): external and parameter entities,
  unparsed ones, more than :data:`MAX_ENTITIES` declarations, replacement text over
  :data:`MAX_ENTITY_TEXT` in all, or entities nested deeper than
  :data:`MAX_ENTITY_DEPTH` are refused *before* the parser sees them, so nothing is
  fetched and no expansion runs away (the accepted ones are expanded by libxml2);
- a DOCTYPE naming an external DTD (``SYSTEM`` or ``PUBLIC``), code ``external-dtd``:
  the engines after the parser (Saxon, jing, a browser reading the published TEI)
  would load it and the entities it declares, so such a file is not taken at all;
- entity references left in the tree (possible only beside a DTD);
- nesting deeper than :data:`MAX_DEPTH`;
- anything that is not well-formed (truncated files, wrong encodings).

What is never done: loading an external DTD, resolving external entities, network access,
processing XInclude (an ``xi:include`` stays an element; the validator reports it).
Every command refuses the same files the same way, because every command reads
through :func:`parse` and hands the tree on; the engines get the root element
serialised without a DOCTYPE (see :func:`pipeline.render.renderer.Renderer.node`).
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


#: Limits on the plain internal entities a DOCTYPE may declare (see :func:`_entities`).
MAX_ENTITIES = 1000
MAX_ENTITY_TEXT = 1024 * 1024
MAX_ENTITY_DEPTH = 3
_PLAIN_ENTITY = re.compile(r"<!ENTITY\s+([^\s%&;<>\"']+)\s+(?:\"([^\"]*)\"|'([^']*)')\s*>")
_ENTITY_REF = re.compile(r"&([^\s#&;<>]+);")
_PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}

_DOCTYPE_BYTES = re.compile(rb"<!DOCTYPE\b(?:[^\[>\"']|\"[^\"]*\"|'[^']*')*(\[.*?\]\s*)?>", re.S)
_EXTERNAL_ID = re.compile(rb"\s(SYSTEM|PUBLIC)[\s\"']")


def _parser(collect_ids: bool = True, entities: bool = False) -> etree.XMLParser:
    # No DTD loading, no entity resolution (unless every declared entity was checked
    # plain, internal and bounded: see _entities), no network, no huge-tree mode:
    # libxml2 then also refuses absurd nesting itself.
    return etree.XMLParser(
        resolve_entities=entities,
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


def _head_text(data: bytes, size: int = 200_000) -> str:
    """The start of the document as text, for looking at its prolog."""
    head = data[:size]
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
        # room for an internal subset at its limit (MAX_ENTITY_TEXT of entity text)
        head = _head_text(data, 2 * MAX_ENTITY_TEXT + 200_000)
        m = _DOCTYPE.search(head)
    entities = False
    if m and m.group(1) and "<!ENTITY" in m.group(1):
        _entities(name, head, m)  # refuses anything but plain, bounded internal entities
        entities = True
    try:
        try:
            tree = etree.fromstring(data, _parser(entities=entities),
                                    base_url=None).getroottree()
        except etree.XMLSyntaxError as e:
            msg = e.msg or ""
            if ("already defined" not in msg and "is not an NCName" not in msg) \
                    or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
                raise
            # A duplicate xml:id, or one that is not a name, is a validity problem
            # the rules report precisely (xml-id-unique with both lines, xml-id-name).
            # Parse again without the ID table; lxml then reads the DTD a DOCTYPE
            # names, so the DOCTYPE is blanked first (newlines kept). Ids in such a
            # tree are unchecked: whatever names a file from one checks it first
            # (pipeline.files.safe_id).
            doctype = _DOCTYPE_BYTES.search(data)
            outer = (doctype.group(0)[:doctype.start(1) - doctype.start(0)]
                     if doctype and doctype.group(1) else doctype.group(0) if doctype else b"")
            if _EXTERNAL_ID.search(outer):
                # blanked below, so the tree would not show it: say so now
                literals = re.findall(rb"\"([^\"]*)\"|'([^']*)'", outer)
                dtd = b"".join(literals[-1]).decode("utf-8", "replace") if literals else ""
                raise _external_dtd(name, data.count(b"\n", 0, doctype.start()) + 1,
                                    dtd) from None
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
    if not entities and docinfo.internalDTD is not None \
            and any(True for _ in docinfo.internalDTD.iterentities()):
        raise _refuse(name, 1, "entity-declaration",
                      "the DOCTYPE declares entities, which are refused",
                      "replace entities with the characters they stand for")
    if docinfo.system_url or docinfo.public_id:
        # Read from the parsed tree, not the text: however the DOCTYPE is written or
        # wherever it sits, libxml2 has it here (and has not loaded it).
        raise _external_dtd(name, _doctype_line(data), docinfo.system_url or docinfo.public_id)
    if m is not None or docinfo.doctype:
        # An entity reference survives parsing only beside a DTD (libxml2 refuses an
        # undeclared one otherwise); an engine parsing the serialised tree again
        # would look it up, so it is refused here.
        ref = next(tree.getroot().iter(etree.Entity), None)
        if ref is not None:
            raise _refuse(name, _line_of(ref), "entity-reference",
                          f"the entity reference {_printable(ref.text or '')} is not "
                          "declared and cannot be expanded",
                          "replace it with the characters it stands for and remove "
                          "the DOCTYPE")
    # deeper nesting than MAX_DEPTH never gets here: libxml2 refuses it while parsing
    return tree


def _entities(name: str, head: str, m: re.Match) -> None:
    """Accept the DOCTYPE's entity declarations only if all are plain internal general
    entities within the limits; else raise the ``entity-declaration`` problem."""
    subset = m.group(1)
    base = m.start(1)

    def refuse(at: int, what: str) -> InputError:
        return _refuse(name, head.count("\n", 0, base + at) + 1, "entity-declaration",
                       f"the DOCTYPE declares {what}, which is refused (entities can fetch "
                       "files or expand without end)",
                       "replace entities with the characters they stand for and remove "
                       "the DOCTYPE")

    bare = re.sub(r"<!--.*?-->", lambda c: " " * len(c.group(0)), subset, flags=re.S)
    values: dict[str, str] = {}
    total = 0
    for at in (x.start() for x in re.finditer(r"<!ENTITY\b", bare)):
        d = _PLAIN_ENTITY.match(bare, at)
        if d is None:
            rest = bare[at:at + 300]
            if re.match(r"<!ENTITY\s+%", rest):
                raise refuse(at, "a parameter entity")
            if re.match(r"<!ENTITY\s+\S+\s+(SYSTEM|PUBLIC)", rest):
                raise refuse(at, "an external entity")
            raise refuse(at, "an entity teipipe does not read (not a plain quoted value)")
        value = d.group(2) if d.group(2) is not None else d.group(3)
        if "%" in value and re.search(r"%[^\s%;]+;", value):
            raise refuse(at, "an entity whose value uses a parameter entity")
        values.setdefault(d.group(1), value)
        total += len(value)
        if len(values) > MAX_ENTITIES:
            raise refuse(at, f"more than {MAX_ENTITIES:,} entities")
        if total > MAX_ENTITY_TEXT:
            raise refuse(at, f"entities with over {MAX_ENTITY_TEXT:,} characters of text")
    if re.search(r"%[^\s%;\"']+;", _PLAIN_ENTITY.sub("", bare)):
        raise refuse(0, "a parameter entity reference")

    # (expanded length, nesting levels) per entity; a loop counts as too deep
    seen: dict[str, tuple[int, int]] = {}

    def expand(ent: str, path: tuple[str, ...]) -> tuple[int, int]:
        if ent in seen:
            return seen[ent]
        if ent in path or len(path) > MAX_ENTITY_DEPTH:
            raise refuse(0, f"entities nested deeper than {MAX_ENTITY_DEPTH} levels")
        size, levels = len(values[ent]), 1
        for ref in _ENTITY_REF.findall(values[ent]):
            if ref in values:
                sub, sublevels = expand(ref, path + (ent,))
                size += sub
                levels = max(levels, sublevels + 1)
            if levels > MAX_ENTITY_DEPTH:
                raise refuse(0, f"entities nested deeper than {MAX_ENTITY_DEPTH} levels")
            if size > MAX_ENTITY_TEXT:
                raise refuse(0, f"an entity that expands to over {MAX_ENTITY_TEXT:,} "
                             "characters")
        seen[ent] = (size, levels)
        return seen[ent]

    for ent in values:
        expand(ent, ())


def _external_dtd(name: str, line: int, dtd: str) -> InputError:
    return _refuse(name, line, "external-dtd",
                   f"the DOCTYPE names an external DTD ({_printable(dtd)}), which is "
                   "refused (it and the entities it declares could be read from the "
                   "disk or the network by the programs the file is given to)",
                   "TEI needs no DTD: remove the DOCTYPE line")


def _doctype_line(data: bytes) -> int:
    """The line the DOCTYPE starts on (1 if it cannot be found in the head)."""
    at = _head_text(data).find("<!DOCTYPE")
    return _head_text(data).count("\n", 0, at) + 1 if at >= 0 else 1


def _line_of(node: etree._Entity) -> int:
    """An entity reference's line: lxml keeps none for it, so its parent's."""
    parent = node.getparent()
    return (node.sourceline or (parent.sourceline if parent is not None else 0)) or 1


def _printable(text: str) -> str:
    """A value from the file, safe to print on one line (no control characters)."""
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return shown if len(shown) <= 120 else shown[:117] + "..."


def _clean(msg: str) -> str:
    return msg.split(", line ")[0].strip()


#: A schema fetched from the network (``validate --allow-network``) may be no larger.
MAX_FETCH_BYTES = 20 * 1024 * 1024
#: Seconds to wait for a schema server before giving up.
FETCH_TIMEOUT = 20


def fetch(url: str, timeout: float = FETCH_TIMEOUT, limit: int = MAX_FETCH_BYTES) -> bytes:
    """The bytes at an http(s) URL, read with a timeout and a size cap.

    Only called when the user allowed the network (``--allow-network``); the bytes
    are then parsed with :func:`parse` like any file. Any failure is one Problem.
    """
    import urllib.error
    import urllib.request

    if not re.match(r"https?://", url, re.I):
        raise _refuse(url, 0, "schema-url", "only http and https URLs are fetched",
                      "give the schema as a local file")
    try:
        req = urllib.request.Request(url, headers={"User-Agent": "teipipe"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) only
            data = resp.read(limit + 1)
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", None) or e
        raise _refuse(url, 0, "schema-url", f"could not fetch the schema: {reason}",
                      "check the URL and the network, or give the schema as a local "
                      "file with --schema") from None
    if len(data) > limit:
        raise _refuse(url, 0, "too-large", f"the schema is over {limit:,} bytes",
                      "give the schema as a local file with --schema")
    return data
