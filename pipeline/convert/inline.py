"""Inline markup: a paragraph's text -> TEI mixed content.

Three layers are merged here, in this order:

1. the export's Markdown decorations (``**bold**``, ``*italic*``, ``\\*`` escapes,
   hard line breaks) -> ``hi/@rendition``, ``lb``;
2. editorial brackets, encoded by meaning (``gap``, ``choice/abbr+expan``,
   ``note[@type='gloss']``, ``supplied``, ``sic``, typed and signed notes);
3. in the remaining plain text, names (``pipeline.convert.names``) and dates
   (``pipeline.convert.dates``) -> ``persName``/``placeName``/``orgName`` and ``date``/``time``.

Every character of the input stays recoverable: the text nodes hold the source
text, and elements that stand for markup (brackets, ``**``) are restored by the
diplomatic stylesheet ``xslt/diplomatic.xsl``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def T(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


@dataclass
class InlineContext:
    """What the annotator needs from the document and what it counts."""

    authority: object | None = None  # pipeline.convert.names.Authority
    resolver: object | None = None  # pipeline.convert.dates.DateResolver
    lang: str = "en"
    line: int = 0
    warn: Callable[[int, str, str, str], None] | None = None  # (line, code, message, hint)
    refs: set[str] = field(default_factory=set)  # every @ref used, for standOff
    unknown: set[str] = field(default_factory=set)
    editors: set[str] = field(default_factory=set)  # initials of signed editor notes
    persons: int = 0
    dates: int = 0
    inferred: set[str] = field(default_factory=set)  # inference reasons used

    def warning(self, code: str, message: str, hint: str = "") -> None:
        if self.warn:
            self.warn(self.line, code, message, hint)


# --- text helpers ----------------------------------------------------------

def add_text(parent: etree._Element, s: str) -> None:
    """Append text at the end of ``parent``'s content; a line break becomes ``lb``."""
    if not s:
        return
    if "\n" in s:
        first, *rest = s.split("\n")
        add_text(parent, first.rstrip(" "))
        for line in rest:
            etree.SubElement(parent, T("lb")).tail = "\n" + line
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + s
    else:
        parent.text = (parent.text or "") + s


def _last_text(parent: etree._Element) -> str:
    return (parent[-1].tail or "") if len(parent) else (parent.text or "")


def _set_last_text(parent: etree._Element, s: str) -> None:
    if len(parent):
        parent[-1].tail = s or None
    else:
        parent.text = s or None


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    name = _TAG_NAMES.get(tag)
    if name is None:
        name = _TAG_NAMES[tag] = T(tag)
    el = etree.SubElement(parent, name)
    for k, v in attrs.items():
        if v is None:
            continue
        name = _ATTR_NAMES.get(k)
        if name is None:
            name = _ATTR_NAMES[k] = f"{{{XML_NS}}}{k[4:]}" if k.startswith("xml_") \
                else k.replace("_", "-")
        el.set(name, v)
    if text:
        el.text = text
    return el


#: Clark names of the tags and attribute keywords ``sub`` has seen (it runs per element).
_TAG_NAMES: dict[str, str] = {}
_ATTR_NAMES: dict[str, str] = {}


# --- layer 1: Markdown -------------------------------------------------------

_MD = re.compile(
    r"(?P<bold>\*\*(?=\S)(?P<b>.+?)(?<=\S)\*\*)"
    r"|(?P<ital>(?<![\*\\])\*(?=[^\s*])(?P<i>[^*\n]+?)(?<=[^\s\\])\*(?!\*))"
    r"|(?P<esc>\\(?P<e>[\\`*_{}\[\]()#+\-.!|<>~\"]))", re.S)


def annotate(parent: etree._Element, text: str, ctx: InlineContext) -> None:
    """Append ``text`` (a paragraph, may hold newlines) as mixed content of ``parent``."""
    pos = 0
    for m in _MD.finditer(text):
        _brackets(parent, text[pos:m.start()], ctx)
        if m.group("bold") is not None:
            annotate(sub(parent, "hi", rendition="#md-bold"), m.group("b"), ctx)
        elif m.group("ital") is not None:
            annotate(sub(parent, "hi", rendition="#md-italic"), m.group("i"), ctx)
        else:
            # The backslash is Markdown, not the document: the diplomatic comparison
            # drops Markdown escapes on both sides.
            _brackets(parent, m.group("e"), ctx, literal=True)
        pos = m.end()
    _brackets(parent, text[pos:], ctx)


# --- layer 2: editorial brackets --------------------------------------------

_BRACKET = re.compile(r"\[([^\[\]\n]{1,400})\]")
# ASCII spaces only: the bracket goes whole into gap/@rend, a list of tokens
_GAP = re.compile(r"^[ \t]*(?:\.[ \t]*){2,}\.?[ \t]*$|^[ \t]*…[ \t]*$")
_TYPED = re.compile(
    r"^(?P<label>translator'?s?\s+note|note\s+of\s+the\s+translator|editor'?s?\s+note|note|"
    r"stamp|handwritten(?:\s+note)?|in\s+handwriting|hand-?written|signature|illegible|"
    r"resolution|marginal\s+note|underlined|typed)\b\s*[:.\-–—]?",
    re.I)
_SIGNED = re.compile(r"^(?P<body>.*\S)\s+[-–—]\s*(?P<who>[A-Z][A-Za-z]?[A-Z]{0,2}\.?)\s*$", re.S)
_ABBR = re.compile(
    r"(?P<abbr>(?:(?:[A-ZА-Я][A-ZА-Я]{0,4}|[A-ZА-Я]{2,}[a-zа-я]?(?:\([a-zа-я]\))?)\s){0,2}"
    r"[A-ZА-Я0-9-]*[A-ZА-Я]{2,}[A-Za-zА-Яа-я0-9-]*(?:\([a-zа-я]\))?)(?P<sp>\s+)$")
_ABBR_WORD = re.compile(r"[A-ZА-Я][A-ZА-Я0-9()\-.]{1,7}[a-z]?(?:\([a-zа-я]\))?")
_NOTE_TYPES = {"translator": "translator", "note of the translator": "translator",
               "editor": "editorial", "note": "editorial", "stamp": "stamp",
               "handwritten": "handwritten", "in handwriting": "handwritten",
               "hand-written": "handwritten", "signature": "handwritten",
               "resolution": "handwritten", "marginal note": "handwritten",
               "underlined": "editorial", "typed": "editorial"}


def _brackets(parent: etree._Element, text: str, ctx: InlineContext,
              literal: bool = False) -> None:
    if literal:
        _plain(parent, text, ctx)
        return
    pos = 0
    for m in _BRACKET.finditer(text):
        _plain(parent, text[pos:m.start()], ctx)
        _bracket(parent, m.group(1), ctx)
        pos = m.end()
    _plain(parent, text[pos:], ctx)


def _bracket(parent: etree._Element, inner: str, ctx: InlineContext) -> None:
    before = _last_text(parent)
    last = parent[-1] if len(parent) else None
    name_before = (last is not None and not (last.tail or "").strip() and (last.tail or "")
                   and last.tag in (T("persName"), T("placeName"), T("orgName")))
    if not inner.strip():
        # "[ ]" says nothing to encode (an element for it would be empty): kept as text
        add_text(parent, f"[{inner}]")
        return
    if re.fullmatch(r"\d{1,3}", inner):
        # "[1]": a footnote mark of the export; its note text, if any, is a paragraph.
        sub(parent, "ref", inner, type="noteAnchor", n=inner)
        return
    if _GAP.match(inner):
        gap = sub(parent, "gap", reason="omitted")
        if inner != "...":
            gap.set("rend", f"[{inner}]")
        return
    if inner.strip().lower() in ("sic", "sic!", "sic."):
        m = re.search(r"(\S+)(\s*)$", before)
        if m and m.group(1)[-1].isalnum():
            _set_last_text(parent, before[: m.start()])
            sub(parent, "sic", m.group(1))
            add_text(parent, m.group(2))
        sub(parent, "note", inner, type="sic")
        return
    typed = _TYPED.match(inner)
    if typed and (inner[typed.end():typed.end() + 1] in ("", " ") or ":" in typed.group(0)):
        label = re.sub(r"\s+", " ", typed.group("label").lower()).replace("'s", "").replace("'", "")
        label = label.replace("translators", "translator").replace("editors", "editor")
        kind = _NOTE_TYPES.get(label.split(" note")[0] if label.endswith(" note") else label)
        if label == "illegible":
            gap = sub(parent, "gap", reason="illegible")
            sub(gap, "desc", inner)
            return
        if kind == "stamp":
            # "[Stamp: TOP SECRET. Copy No. 2]": TEI's stamp, its label kept inside.
            annotate(sub(parent, "stamp"), inner, ctx)
            return
        if kind:
            note = sub(parent, "note", type=kind)
            signed = _SIGNED.match(inner)
            if signed:  # "[handwritten: reported to Comrade Stalin - KW]"
                ctx.editors.add(signed.group("who").rstrip("."))
                note.set("resp", "#" + signed.group("who").rstrip("."))
            annotate(note, inner, ctx)
            return
    signed = _SIGNED.match(inner)
    if signed:
        who = signed.group("who").rstrip(".")
        ctx.editors.add(who)
        note = sub(parent, "note", type="editorial", resp=f"#{who}")
        annotate(note, inner, ctx)
        return
    if name_before and last.tag != T("persName") \
            and _ABBR_WORD.fullmatch("".join(last.itertext())) and not _is_person(inner, ctx):
        # "KPA [Korean People's Army]": the tagged name is an abbreviation.
        parent.remove(last)  # its whitespace tail goes too: choice implies it
        last.tail = None
        choice = sub(parent, "choice")
        abbr = sub(choice, "abbr")
        abbr.append(last)
        expan = sub(choice, "expan")
        annotate(expan, inner, ctx)
        return
    if name_before:
        _gloss(parent, last, inner, ctx)
        return
    ab = _ABBR.search(before) if not name_before else None
    if ab and inner[:1].isalpha() and not _is_person(inner, ctx):
        _set_last_text(parent, before[: ab.start()])
        choice = sub(parent, "choice")
        abbr = sub(choice, "abbr")
        _plain(abbr, ab.group("abbr"), ctx)
        expan = sub(choice, "expan")
        annotate(expan, inner, ctx)
        return
    if last is not None and last.tag == T("hi") and not (last.tail or "").strip() and last.tail:
        _gloss(parent, None, inner, ctx)
        return
    if (re.search(r"[A-ZА-Я][\w'-]*\s+$", before) and inner[:1].isupper()) \
            or _is_person(inner, ctx):
        _gloss(parent, None, inner, ctx)
        return
    if inner[:1].islower() or inner[:1].isdigit():
        supplied = sub(parent, "supplied", reason="clarity")
        annotate(supplied, inner, ctx)
        return
    note = sub(parent, "note", type="editorial")
    annotate(note, inner, ctx)


def _is_person(inner: str, ctx: InlineContext) -> bool:
    if ctx.authority is None:
        return False
    ms = [m for m in _find_names(inner, ctx) if m.kind == "person" and m.ref]
    return bool(ms) and sum(m.end - m.start for m in ms) >= 0.6 * len(inner.strip())


def _gloss(parent: etree._Element, name_el: etree._Element | None, inner: str,
           ctx: InlineContext) -> None:
    note = sub(parent, "note", type="gloss")
    annotate(note, inner, ctx)
    if name_el is None or name_el.tag != T("persName"):
        return
    # "Filippov [Stalin]": the gloss says who the name stands for.
    target = next((c for c in note.iter(T("persName")) if c.get("ref")), None)
    if target is not None and not name_el.get("ref"):
        name_el.set("ref", target.get("ref"))
        name_el.set("type", "pseudonym")
        ctx.unknown.discard(_name_text(name_el))
    elif target is not None and name_el.get("ref") != target.get("ref") \
            and name_el.get("type") != "pseudonym":
        name_el.set("type", "pseudonym")


def _name_text(el: etree._Element) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


# --- layer 3: names and dates ------------------------------------------------

def _find_names(text: str, ctx: InlineContext) -> list:
    try:
        return list(ctx.authority.find(text, ctx.lang))  # type: ignore[union-attr]
    except Exception as e:  # noqa: BLE001 - a names bug must not lose the text
        ctx.warning("names", f"name lookup failed: {e}", "text kept without names")
        return []


def _find_dates(text: str, ctx: InlineContext) -> list:
    try:
        return list(ctx.resolver.find(text, ctx.lang))  # type: ignore[union-attr]
    except Exception as e:  # noqa: BLE001
        ctx.warning("dates", f"date lookup failed: {e}", "text kept without dates")
        return []


_SPACED = re.compile(r"(?<!\w)(?:[A-ZА-ЯЁ] (?:- )?){3,}[A-ZА-ЯЁ](?!\w)")


def _plain(parent: etree._Element, text: str, ctx: InlineContext) -> None:
    if not text:
        return
    spans: list[tuple[int, int, str, object]] = []
    if ctx.authority is not None:
        spans += [(m.start, m.end, "name", m) for m in _find_names(text, ctx)]
    if ctx.resolver is not None:
        spans += [(d.start, d.end, "date", d) for d in _find_dates(text, ctx)]
    for m in _SPACED.finditer(text):
        spans.append((m.start(), m.end(), "spaced", m.group(0)))
    # Longest first at the same start; earlier wins on overlap.
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    pos = 0
    for start, end, kind, obj in spans:
        if start < pos or end <= start or end > len(text):
            continue
        add_text(parent, text[pos:start])
        surface = text[start:end]
        if kind == "name":
            _name(parent, surface, obj, ctx)
        elif kind == "date":
            _date(parent, surface, obj, ctx)
        else:
            hi = sub(parent, "hi", re.sub(r"\s+", "", surface), rendition="#letterspaced")
            del hi
        pos = end
    add_text(parent, text[pos:])


_ELEMENT = {"person": "persName", "place": "placeName", "org": "orgName"}


def _name(parent: etree._Element, surface: str, m: object, ctx: InlineContext) -> None:
    kind = getattr(m, "kind", "person")
    ref = getattr(m, "ref", None)
    spaced = bool(getattr(m, "letterspaced", False)) or bool(_SPACED.fullmatch(surface))
    el = sub(parent, _ELEMENT.get(kind, "name"))
    if ref:
        el.set("ref", "#" + ref.lstrip("#"))
        ctx.refs.add(ref.lstrip("#"))
    if getattr(m, "pseudonym", False):
        el.set("type", "pseudonym")
    if spaced:
        el.set("rendition", "#letterspaced")
        el.text = re.sub(r"\s+", "", surface)
    else:
        add_text(el, surface)
    if kind == "person":
        ctx.persons += 1
        if not ref:
            ctx.unknown.add(re.sub(r"\s+", " ", getattr(m, "name", "") or surface).strip())


def _date(parent: etree._Element, surface: str, d: object, ctx: InlineContext) -> None:
    when = getattr(d, "when", None)
    kind = getattr(d, "kind", "date")
    el = sub(parent, "time" if kind == "time" else "date")
    add_text(el, surface)
    if when:
        el.set("when", when)
        ctx.dates += 1
        cert = getattr(d, "cert", None)
        reasons = tuple(getattr(d, "reasons", ()) or ())
        if cert:
            el.set("cert", cert)
        if reasons:
            el.set("ana", " ".join("#" + r.lstrip("#") for r in reasons))
            ctx.inferred.update(r.lstrip("#") for r in reasons)
    else:
        ctx.warning("date-unresolved", f"date {surface!r} could not be resolved",
                    "kept as text without @when; check the source")
