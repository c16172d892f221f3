"""Project rules: what a careful editor checks that a grammar cannot say.

Each rule has an id (the ``[code]`` of its messages), a message, a hint and a
pair of fixtures in ``tests/fixtures/rules/<id>/`` (``pass.xml``, ``fail.xml``).
Rules that are facts of the encoding itself (every message has a sender, an
``msIdentifier`` names settlement, repository and idno, ...) are Schematron in the
ODD (``schema/telegram.odd``, ids ``tel-*``) and run by :mod:`pipeline.validate`;
the rules here are the ones that need more than XPath 1: pointers, ids, dates.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.errors import Problem
from pipeline.files import is_ncname

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: Attributes whose values are (lists of) pointers; a ``#`` value must resolve.
POINTER_ATTRS = ("ref", "corresp", "target", "ana", "resp", "who", "rendition", "sameAs",
                 "copyOf", "next", "prev", "hand", "decls", "wit", "change", "scheme",
                 "source", "spanTo", "synch", "inst", "facs")
DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
_POINTERS = set(POINTER_ATTRS)
_DATES = set(DATE_ATTRS)
#: Elements whose @from/@to are not dates (sheets, spans of text, graph arcs).
NOT_DATES = {"locus", "locusGrp", "span", "spanGrp", "arc", "relation", "when", "move",
             "alt", "link", "fsdLink", "timeline", "lacunaStart", "lacunaEnd",
             # att.citing: @from/@to are page, line or section numbers ("12", "iv")
             "biblScope", "citedRange",
             # the apparatus: app/@from and @to point at the lemma's ends
             "app"}
#: How far (in years) a date in the text may be from the document's own date.
DATE_WINDOW_YEARS = 5


@dataclass(frozen=True)
class Rule:
    id: str
    message: str
    hint: str
    severity: str
    check: Callable[[Doc], Iterator[tuple[etree._Element, str]]]
    #: "tei": true of any TEI file (run on other projects' files too);
    #: "telegram": a convention of the telegram encoding (run on telegram files only)
    scope: str = "tei"


RULES: dict[str, Rule] = {}


def rule(id: str, message: str, hint: str, severity: str = "error", scope: str = "tei"):
    """Register a check; it yields ``(element, specific message)`` pairs."""

    def wrap(fn: Callable[[Doc], Iterator[tuple[etree._Element, str]]]):
        RULES[id] = Rule(id, message, hint, severity, fn, scope)
        return fn

    return wrap


class Doc:
    """A parsed document with what the rules look up more than once."""

    def __init__(self, tree: etree._ElementTree, name: str, text: str | None = None):
        self.tree = tree
        self.root = tree.getroot()
        self.name = name
        self._text = text
        self.ids: dict[str, list[etree._Element]] = {}
        # One walk collects what the rules look up, so each rule visits only
        # its few candidates (in document order) instead of the whole tree.
        ids = self.ids
        self.pointers: list[tuple[etree._Element, str, str]] = []  # with a '#'
        self.dates: list[tuple[etree._Element, str, str]] = []
        self.langs: list[tuple[etree._Element, str]] = []
        #: elements the rules look at, by rule (see _GROUPS)
        self.groups: dict[str, list[etree._Element]] = {g: [] for g in _GROUP_NAMES}
        pointers, dates, langs, groups = self.pointers, self.dates, self.langs, self.groups
        for el in self.root.iter(etree.Element):
            in_groups = _GROUPS.get(el.tag)
            if in_groups:
                for g in in_groups:
                    groups[g].append(el)
            for k, v in el.items():
                if k in _POINTERS:
                    if "#" in v:
                        pointers.append((el, k, v))
                elif k in _DATES:
                    dates.append((el, k, v))
                if k[0] == "{":
                    if k == XML_ID:
                        ids.setdefault(v, []).append(el)
                    elif k == XML_LANG:
                        langs.append((el, v))

    @property
    def lines(self) -> list[str]:
        # only needed to give a column, i.e. when there is something to report
        if not hasattr(self, "_lines"):
            self._lines = self._text.splitlines() if self._text is not None else []
        return self._lines

    def attributes(self, names: set[str]) -> Iterator[tuple[etree._Element, str, str]]:
        """(element, attribute, value) for every attribute of these names, in order."""
        if not hasattr(self, "_attrs"):
            # one walk in C over every attribute of the document, shared by the rules
            self._attrs = [(v.attrname, v) for v in self.root.xpath("//@*")]
        for name, value in self._attrs:
            if name in names:
                yield value.getparent(), name, str(value)

    def elements(self, *local: str) -> Iterator[etree._Element]:
        tags = [f"{{{TEI}}}{n}" for n in local] if local else None
        for el in self.root.iter(*tags) if tags else self.root.iter():
            if isinstance(el.tag, str):
                yield el

    def column(self, el: etree._Element) -> int:
        """The column of the element's start tag (lxml only knows the line)."""
        line = el.sourceline or 0
        if not isinstance(el.tag, str) or not (0 < line <= len(self.lines)):
            return 0  # a comment or processing instruction (text after one): no tag to find
        if not hasattr(self, "_on_line"):
            self._on_line: dict[int, list[etree._Element]] = {}
            for e in self.root.iter():
                if isinstance(e.tag, str):
                    self._on_line.setdefault(e.sourceline or 0, []).append(e)
        q = etree.QName(el)
        name = f"{el.prefix}:{q.localname}" if el.prefix else q.localname
        # the n-th start tag of this name on the line is the n-th such element there
        same = [e for e in self._on_line.get(line, []) if e.tag == el.tag]
        nth = next((i for i, e in enumerate(same) if e is el), 0)
        found = list(re.finditer(r"<" + re.escape(name) + r"(?=[\s/>])", self.lines[line - 1]))
        if not found:
            return 0
        return found[min(nth, len(found) - 1)].start() + 1

    def doc_date(self) -> _dt.date | None:
        """The document's own date: the first sent action, else the citation's date."""
        for xp in _DOC_DATE:
            for v in xp(self.root):
                d = parse_iso(v)
                if d is not None:
                    return d[0]
        return None


_TEI_PREFIX = "{" + TEI + "}"
_DOC_DATE = [etree.XPath(xp, namespaces={"t": TEI}) for xp in (
    "//t:correspDesc/t:correspAction[@type='sent']/t:date/@when",
    "//t:sourceDesc//t:bibl/t:date/@when",
    "//t:correspDesc//t:date/@when")]
_T_TEXT = _TEI_PREFIX + "text"
_T_CORRESP_DESC = _TEI_PREFIX + "correspDesc"


def local(el: etree._Element) -> str:
    return el.tag.rpartition("}")[2]


def in_tei(el: etree._Element, *names: str) -> bool:
    tag = el.tag
    return isinstance(tag, str) and tag.startswith(_TEI_PREFIX) and tag[len(_TEI_PREFIX):] in names


def inside(el: etree._Element, name: str) -> bool:
    return any(in_tei(a, name) for a in el.iterancestors())


# --------------------------------------------------------------------------- #
# ISO 8601 as the TEI's W3C datatypes have it
# --------------------------------------------------------------------------- #

_ISO = re.compile(
    r"^(?P<y>-?\d{4,})(?:-(?P<m>\d\d)(?:-(?P<d>\d\d)"
    r"(?:T(?P<t>\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(?P<tz>Z|[+-]\d\d:\d\d)?)?)?)?$"
    r"|^--(?P<m2>\d\d)(?:-(?P<d2>\d\d))?$"
    r"|^---(?P<d3>\d\d)$"
    r"|^(?P<t2>\d\d:\d\d:\d\d(?:\.\d+)?)(?P<tz2>Z|[+-]\d\d:\d\d)?$")


@functools.lru_cache(maxsize=4096)  # a record's dates repeat; three rules ask each
def parse_iso(value: str) -> tuple[_dt.date, _dt.date] | None:
    """The first and last day a W3C date value covers; None if not a valid date.

    A time alone (``20:50:00``) or a date without a year (``--07-11``) is valid
    but covers no day: ``(date.min, date.max)``.
    """
    m = _ISO.match(value.strip())
    if not m or value != value.strip():
        return None
    if m.group("t2") or m.group("m2") or m.group("d3"):
        if m.group("t2") and not _valid_time(m.group("t2")):
            return None
        if m.group("m2"):
            mo, d = int(m.group("m2")), int(m.group("d2") or 1)
            try:
                _dt.date(2000, mo, d)  # a leap year admits --02-29
            except ValueError:
                return None
        return (_dt.date.min, _dt.date.max)
    y = int(m.group("y"))
    if not 1 <= y <= 9999:
        return None  # outside what a telegram can carry; valid XSD but not plausible
    try:
        if m.group("d"):
            d = _dt.date(y, int(m.group("m")), int(m.group("d")))
            if m.group("t") and not _valid_time(m.group("t")):
                return None
            return (d, d)
        if m.group("m"):
            mo = int(m.group("m"))
            first = _dt.date(y, mo, 1)
            nxt = _dt.date(y + (mo == 12), mo % 12 + 1, 1) if y < 9999 or mo < 12 else None
            return (first, (nxt - _dt.timedelta(days=1)) if nxt else _dt.date(9999, 12, 31))
        return (_dt.date(y, 1, 1), _dt.date(y, 12, 31))
    except ValueError:
        return None


def _valid_time(t: str) -> bool:
    parts = t.split(":")
    h, mi = int(parts[0]), int(parts[1])
    s = float(parts[2]) if len(parts) > 2 else 0
    return (h < 24 and mi < 60 and s < 60) or (h == 24 and mi == 0 and s == 0)


# --------------------------------------------------------------------------- #
# The rules
# --------------------------------------------------------------------------- #

@rule("pointer-resolves", "a #pointer does not resolve inside the document",
      "add the xml:id it points at (people and places: copy the entry into standOff), "
      "or fix the pointer")
def _pointers(doc: Doc):
    for el, attr, value in doc.pointers:
        for token in value.split():
            if token.startswith("#") and token[1:] not in doc.ids:
                yield el, f"@{attr}=\"{token}\" on <{local(el)}> points at nothing " \
                          "in this document"


@rule("xml-id-unique", "an xml:id is used more than once",
      "give each element its own id (prefix ids with the document's id)")
def _unique_ids(doc: Doc):
    for ident, els in doc.ids.items():
        for el in els[1:]:
            yield el, f"xml:id=\"{ident}\" is used {len(els)} times " \
                      f"(first on line {els[0].sourceline})"


@rule("xml-id-name", "an xml:id is not an XML name",
      "an id starts with a letter or _ and holds only letters, digits, '.', '-' and '_'")
def _id_names(doc: Doc):
    for ident, els in doc.ids.items():
        if not is_ncname(ident):
            yield els[0], f"xml:id=\"{_shown(ident)}\" on <{local(els[0])}> is not a name " \
                          "(it can name no page and no pointer can reach it)"


def _shown(value: str) -> str:
    """A value from the file, printable on one line."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in value)
    return text if len(text) <= 80 else text[:77] + "..."


def is_w3c_temporal(value: str) -> bool:
    """Whether a value is a valid ``teidata.temporal.w3c`` (XSD date, gYear, ...):
    unlike :func:`parse_iso`, which covers the years a calendar of days can hold,
    BCE years (``-0033``) and years past 9999 are valid here, as in the TEI."""
    m = _ISO.match(value)
    if m and m.group("y"):
        digits = m.group("y").lstrip("-")
        if int(digits) == 0 or (len(digits) > 4 and digits[0] == "0"):
            return False  # XSD 1.0 has no year 0000, and no leading zeros past four digits
    if parse_iso(value) is not None:
        return True
    if not m or value != value.strip() or not m.group("y") or 1 <= int(m.group("y")) <= 9999:
        return False  # in the calendar's years parse_iso has said it all
    try:  # month and day checked in a leap year stand-in (2000), the time as such
        if m.group("m"):
            _dt.date(2000, int(m.group("m")), int(m.group("d") or 1))
        return not m.group("t") or _valid_time(m.group("t"))
    except ValueError:
        return False


@rule("date-iso", "a date attribute is not a valid ISO 8601 date",
      "write it as YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss")
def _dates_iso(doc: Doc):
    for el, attr, value in doc.dates:
        if local(el) not in NOT_DATES and not is_w3c_temporal(value):
            yield el, f"@{attr}=\"{value}\" on <{local(el)}> is not a valid date"


@rule("date-order", "a date range ends before it starts",
      "swap the values, or check the day/month order")
def _dates_order(doc: Doc):
    ranged = {id(el): el for el, attr, _ in doc.dates if attr in ("from", "notBefore")}
    for el in ranged.values():
        if local(el) in NOT_DATES:
            continue
        for a, b in (("from", "to"), ("notBefore", "notAfter")):
            va, vb = el.get(a), el.get(b)
            if va and vb:
                pa, pb = parse_iso(va), parse_iso(vb)
                if pa and pb and pa[0] != _dt.date.min and pb[0] != _dt.date.min \
                        and pa[0] > pb[1]:
                    yield el, f"@{a}=\"{va}\" is after @{b}=\"{vb}\" on <{local(el)}>"


@rule("date-plausible", "a date is implausible for this document",
      f"check the year (dates in a telegram lie within {DATE_WINDOW_YEARS} years of its "
      "own date and never in the future)", severity="warning", scope="telegram")
def _dates_plausible(doc: Doc):
    today = _dt.date.today()
    own = doc.doc_date()
    window = _dt.timedelta(days=365 * DATE_WINDOW_YEARS + 1)
    # the telegram's dates: its text and its correspDescs (not birth dates in a
    # standOff, nor the edition's own header)
    for el, attr, value in doc.dates:
        if local(el) in NOT_DATES or not _in_scope(el):
            continue
        span = parse_iso(value)
        if not span and is_w3c_temporal(value):
            # valid TEI (a BCE year, a year past 9999), but no telegram's date
            yield el, f"@{attr}=\"{value}\" on <{local(el)}> lies outside the years 1-9999"
            continue
        if not span or span[0] == _dt.date.min:
            continue
        if span[0] > today:
            yield el, f"@{attr}=\"{value}\" on <{local(el)}> is in the future"
        elif own and (span[0] > _shift(own, window) or span[1] < _shift(own, -window)):
            yield el, f"@{attr}=\"{value}\" on <{local(el)}> is more than " \
                      f"{DATE_WINDOW_YEARS} years from the document's date {own}"


def _shift(day: _dt.date, delta: _dt.timedelta) -> _dt.date:
    """``day + delta``, stopping at the calendar's ends (years 1 and 9999) instead of
    overflowing: the converter writes the year 9999 from a source that says so."""
    try:
        return day + delta
    except OverflowError:
        return _dt.date.max if delta > _dt.timedelta(0) else _dt.date.min


def _in_scope(el: etree._Element) -> bool:
    """Inside the text or a correspDesc (or one itself)."""
    return el.tag in (_T_TEXT, _T_CORRESP_DESC) or \
        next(el.iterancestors(_T_TEXT, _T_CORRESP_DESC), None) is not None


@rule("date-unresolved", "a date in the text has no normalised value",
      "add @when (or @from/@to, @notBefore/@notAfter) in ISO 8601, marking inferences "
      "with @cert and @ana", severity="warning", scope="telegram")
def _dates_unresolved(doc: Doc):
    for el in doc.groups["date"]:
        if not any(el.get(a) for a in DATE_ATTRS) and \
                next(el.iterancestors(_T_TEXT), None) is not None:
            yield el, f"<date>{' '.join(''.join(el.itertext()).split())}</date> has no @when"


@rule("tei-id-filename", "the document's xml:id does not match its file name",
      "name the file <xml:id>.xml, or change TEI/@xml:id", scope="telegram")
def _tei_id(doc: Doc):
    if doc.root.find(f"{{{TEI}}}text") is None:
        return  # authority files (people.xml, places.xml) are named for what they hold
    ident = doc.root.get(XML_ID)
    stem = Path(doc.name).stem
    if ident is not None and Path(doc.name).suffix and ident != stem:
        yield doc.root, f"TEI/@xml:id is \"{ident}\" but the file is named \"{stem}.xml\""


@rule("empty-element", "an element that must carry text is empty",
      "remove it, or put in the text it stands for", scope="telegram")
def _empty(doc: Doc):
    for el in doc.groups["must-have-text"]:
        if len(el) == 0 and not (el.text or "").strip():
            yield el, f"<{local(el)}> is empty"


#: What a name's @ref must point at.
REF_KINDS = {"persName": ("person", "personGrp", "persona"), "placeName": ("place",),
             "orgName": ("org",), "settlement": ("place",), "country": ("place",)}


_REF_TAGS = {_TEI_PREFIX + k: {_TEI_PREFIX + n for n in v} for k, v in REF_KINDS.items()}


@rule("ref-kind", "a name points at the wrong kind of entry",
      "persName/@ref points at a person, placeName/@ref at a place, orgName/@ref at an org")
def _ref_kind(doc: Doc):
    for el in doc.groups["named"]:
        for token in (el.get("ref") or "").split():
            targets = doc.ids.get(token[1:]) if token.startswith("#") else None
            if targets and targets[0].tag not in _REF_TAGS[el.tag]:
                yield el, f"<{local(el)} ref=\"{token}\"> points at a " \
                          f"<{local(targets[0])}>, not a {' or '.join(REF_KINDS[local(el)])}"


@rule("lang-declared", "a language is used but not declared in langUsage",
      "add <language ident=\"..\"> to profileDesc/langUsage", severity="warning",
      scope="telegram")
def _langs(doc: Doc):
    declared = {x.get("ident") for x in doc.groups["language"]}
    if doc.root.find(f"{{{TEI}}}text") is None and not declared:
        return  # an authority file (people.xml) has no text to describe
    seen: set[str] = set()
    for el, lang in doc.langs:
        if lang and lang not in declared and lang not in seen:
            seen.add(lang)
            yield el, f"xml:lang=\"{lang}\" is not declared in langUsage"


@rule("leftover-bracket", "a square bracket is left in the text",
      "encode what the bracket means: gap, supplied, choice/abbr+expan, note",
      severity="warning", scope="telegram")
def _brackets(doc: Doc):
    body = doc.root.find(f"{{{TEI}}}text")
    if body is None:
        return
    everything = _STRING(body)  # every text node below, in C: most texts have no bracket
    if "[" not in everything and "]" not in everything:
        return
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        own = (el.text or "") + "".join((c.tail or "") for c in el)
        if "[" in own or "]" in own:
            snippet = next(s for s in ((el.text or ""), *((c.tail or "") for c in el))
                           if "[" in s or "]" in s)
            snippet = " ".join(snippet.split())[:40]
            yield el, f"square bracket in the text of <{local(el)}>: \"{snippet}\""


#: The elements the walk in :class:`Doc` files by name.
_MUST_HAVE_TEXT = ("persName", "placeName", "orgName", "p", "head", "title", "salute",
                   "signed", "item", "note", "abbr", "expan")
_GROUP_NAMES = {"must-have-text": _MUST_HAVE_TEXT, "named": tuple(REF_KINDS),
                "date": ("date",), "language": ("language",)}
_GROUPS: dict[str, tuple[str, ...]] = {}
for _g, _names in _GROUP_NAMES.items():
    for _n in _names:
        _GROUPS[_TEI_PREFIX + _n] = _GROUPS.get(_TEI_PREFIX + _n, ()) + (_g,)
_STRING = etree.XPath("string()")


def run(tree: etree._ElementTree, name: str, text: str | None = None,
        only: set[str] | None = None, doc: Doc | None = None,
        telegram: bool = True) -> list[Problem]:
    """Every project rule over one parsed document; ``telegram=False`` runs only the
    rules true of any TEI file (another project's files follow other conventions)."""
    doc = doc or Doc(tree, name, text)
    out: list[Problem] = []
    for r in RULES.values():
        if only is not None and r.id not in only:
            continue
        if not telegram and r.scope != "tei":
            continue
        for el, message in r.check(doc):
            out.append(Problem(name, el.sourceline or 0, doc.column(el), r.severity, r.id,
                               message, r.hint))
    return out
