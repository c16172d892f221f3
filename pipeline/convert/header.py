"""Record model -> teiHeader: the title, the sources and holdings, the correspondence,
the encoding's declarations and the standOff of the people and places pointed at."""

from __future__ import annotations

import copy
import re
import weakref

from lxml import etree

from pipeline import __version__
from pipeline.convert.inline import TEI_NS, XML_NS, InlineContext, T, add_text, annotate, sub
from pipeline.convert.model import Action, Correspondence, Holding, Message
from pipeline.convert.parties import main_version

# --- repositories ----------------------------------------------------------
#: Archives cited by the Wilson Center's Russian, Chinese and Korean collections:
#: siglum (spaces and dots removed, upper case) -> (full name, settlement, country).
REPOSITORIES = {
    "APRF": ("Archive of the President of the Russian Federation", "Moscow", "Russia"),
    "AVPRF": ("Archive of Foreign Policy of the Russian Federation", "Moscow", "Russia"),
    "RGASPI": ("Russian State Archive of Socio-Political History", "Moscow", "Russia"),
    "RTSKHIDNI": ("Russian Centre for the Preservation and Study of Documents of Recent "
                  "History", "Moscow", "Russia"),
    "TSAMO": ("Central Archive of the Ministry of Defence of the Russian Federation",
              "Podolsk", "Russia"),
    "TSAMORF": ("Central Archive of the Ministry of Defence of the Russian Federation",
                "Podolsk", "Russia"),
    "RGANI": ("Russian State Archive of Contemporary History", "Moscow", "Russia"),
    "TSKHSD": ("Storage Centre for Contemporary Documentation", "Moscow", "Russia"),
    "GARF": ("State Archive of the Russian Federation", "Moscow", "Russia"),
    "RGAE": ("Russian State Archive of the Economy", "Moscow", "Russia"),
    "RGVA": ("Russian State Military Archive", "Moscow", "Russia"),
    "RGAVMF": ("Russian State Archive of the Navy", "Saint Petersburg", "Russia"),
    "PRCFMA": ("Foreign Ministry Archive of the People's Republic of China", "Beijing", "China"),
    "AMVNR": ("Archive of the Ministry of Foreign Affairs of Hungary", "Budapest", "Hungary"),
}

RENDITIONS = {
    "letterspaced": ("letter-spacing: 0.3em;", "letter-spaced in the source; the text is given "
                     "without the spaces so that search finds the word"),
    "md-h1": ("font-size: 1.6em; font-weight: bold;", "Markdown level-1 heading (#) in the export"),
    "md-h2": ("font-size: 1.3em; font-weight: bold;", "Markdown level-2 heading (##)"),
    "md-h3": ("font-size: 1.1em; font-weight: bold;", "Markdown level-3 heading (###)"),
    "md-h4": ("font-weight: bold;", "Markdown level-4 heading (####)"),
    "md-h5": ("font-weight: bold;", "Markdown level-5 heading (#####)"),
    "md-h6": ("font-weight: bold;", "Markdown level-6 heading (######)"),
    "md-bold": ("font-weight: bold;", "Markdown bold (**) in the export"),
    "md-italic": ("font-style: italic;", "Markdown italic (*) in the export"),
    "md-bullet": ("list-style-type: disc;", "item marked with a Markdown dash (- ) in the export"),
}

DATE_REASONS = {
    "infer-year": "the year is not in the text and is taken from the document's date",
    "infer-century": "a two-digit year, completed with the century of the document's date",
    "infer-order": "the order of day and month is decided by the other dates of the document",
    "infer-relative": "a relative expression (\"of this year\", \"с.г.\") resolved against "
                      "the document's date",
    "infer-month": "the month is not in the text and is taken from the dates around it",
    "infer-day": "the day is not in the text",
}

EDITORIAL_PRACTICE = [
    "The text is transcribed from the Wilson Center Digital Archive's text export. Every "
    "character of the export's body is kept: the diplomatic rendering of this file "
    "(teipipe's xslt/diplomatic.xsl) gives the body back.",
    "Editorial brackets of the translators and editors are encoded by what they mean: "
    "[...] as gap, an abbreviation followed by its expansion as choice with abbr and expan, "
    "a name followed by the identity behind it as persName followed by a note of type gloss, "
    "words added for sense as supplied, [sic] as sic with a note of type sic, notes signed "
    "with initials as note of type editorial with @resp, [Translator's note: ...], "
    "[Stamp: ...], [handwritten: ...] as notes of the matching type.",
    "Dates and times are normalised to ISO 8601 in @when. Parts that the text does not give "
    "are inferred from the document's date; each inference is marked with @cert and @ana "
    "pointing into the taxonomy date-inference. A date that cannot be resolved has no @when.",
    "Markdown decorations of the export (headings, bold, italic, backslash escapes, list "
    "dashes) are recorded as renditions; letter-spaced words are given without the spaces "
    "and marked with the rendition letterspaced.",
]

PUBLISHER = "teipipe edition of the Wilson Center Digital Archive telegrams"
LICENCE = ("The encoding is released under CC BY 4.0. The text is that of the Wilson Center "
           "Digital Archive, used for research and teaching.")




class HeaderWriter:
    """The teiHeader half of the writer (see :class:`pipeline.convert.writer.Writer`)."""

    def _declare_editors(self, tei: etree._Element) -> None:
        """A respStmt for the initials that sign editor notes ("[... - AM]"), wherever they are."""
        ts = tei.find(f"{T('teiHeader')}/{T('fileDesc')}/{T('titleStmt')}")
        who = sorted({r[1:] for v in _ALL_RESPS(tei) for r in v.split() if r.startswith("#")})
        anchor = ts.find(T("respStmt"))
        for w in who:
            rs = etree.Element(T("respStmt"))
            rs.set(f"{{{XML_NS}}}id", w)
            sub(rs, "resp", "annotated the translation (notes signed with these initials)")
            sub(rs, "name", w)
            anchor.addprevious(rs)

    # -- body --

    def _header(self, header: etree._Element) -> None:
        rec = self.rec
        fd = sub(header, "fileDesc")
        ts = sub(fd, "titleStmt")
        # The title as given, brackets and all (string(title) must read like the archive's).
        sub(ts, "title", rec.title or rec.name, type="main")
        rs = sub(ts, "respStmt")
        sub(rs, "resp", "TEI encoding generated by")
        sub(rs, "name", f"teipipe {__version__}")
        ps = sub(fd, "publicationStmt")
        sub(ps, "publisher", PUBLISHER)
        if rec.id.startswith("wcda-"):
            sub(ps, "idno", rec.id[5:], type="wcda")
        if rec.url:
            sub(ps, "idno", rec.url, type="URI")
        av = sub(ps, "availability")
        sub(av, "licence", LICENCE, target="https://creativecommons.org/licenses/by/4.0/")
        if rec.contents or rec.extra:
            # The export's list of versions and any other labelled section, kept as given.
            ns = sub(fd, "notesStmt")
            if rec.contents:
                note = sub(ns, "note", type="contents")
                for c in rec.contents:
                    sub(note, "title", c, type="version")
            for label, text in rec.extra:
                sub(ns, "note", text, type="section", n=label)
        sd = sub(fd, "sourceDesc")
        self._citation(sd)
        for n, h in enumerate(rec.citation.holdings if rec.citation else [], 1):
            self._msdesc(sd, h, n)
        self._profile(header)
        self._encoding(header)
        rd = sub(header, "revisionDesc")
        sub(rd, "change", f"Converted by teipipe {__version__} from "
            f"{rec.name.replace(chr(92), '/').rsplit('/', 1)[-1]}")
        # teiHeader order: fileDesc, encodingDesc, profileDesc, revisionDesc.
        enc = header.find(T("encodingDesc"))
        header.remove(enc)
        header.insert(1, enc)

    def _citation(self, sd: etree._Element) -> None:
        cit = self.rec.citation
        bibl = sub(sd, "bibl", type="citation")
        if cit is None:
            annotate(bibl, self.rec.title or self.rec.name, InlineContext())
            return
        if not cit.title:
            bibl.text = cit.text
            return
        # Verbatim: the text between the parts is kept as it was cited.
        text = cit.text
        pieces = []
        for tag, value in (("title", cit.title), ("date", cit.date), ("publisher", cit.publisher),
                           ("archival", cit.archival), ("ref", cit.url)):
            if value:
                at = text.find(value, pieces[-1][2] if pieces else 0)
                if at >= 0:
                    pieces.append((tag, at, at + len(value)))
        pos = 0
        for tag, start, end in pieces:
            add_text(bibl, text[pos:start])
            value = text[start:end]
            if tag == "title":
                sub(bibl, "title", value, level="a")
            elif tag == "date":
                d = sub(bibl, "date", value)
                if self.rec.date and value == self.rec.date_text:
                    d.set("when", self.rec.date.isoformat())
            elif tag == "publisher":
                sub(bibl, "publisher", value)
            elif tag == "archival":
                sub(bibl, "note", value, type="archival")
            else:
                sub(bibl, "ref", value, target=value)
            pos = end
        add_text(bibl, text[pos:])

    def _msdesc(self, sd: etree._Element, h: Holding, n: int) -> None:
        ms = sub(sd, "msDesc", xml_id=f"{self.id}-ms{n}")
        ident = sub(ms, "msIdentifier")
        key = re.sub(r"[\s.]", "", re.sub(r".*\((.+)\).*", r"\1", h.siglum)).upper()
        full = REPOSITORIES.get(key)
        if full:
            sub(ident, "country", full[2])
            sub(ident, "settlement", full[1])
            sub(ident, "repository", full[0])
        else:
            sub(ident, "repository", h.siglum or h.text)
            self._warn(self.rec.citation.line if self.rec.citation else 0, "repository",
                       f"unknown archive {h.siglum!r}",
                       "add it to REPOSITORIES in pipeline/convert/tei.py")
        for kind, value in h.ids:
            sub(ident, "idno", value, type=kind)
        if not h.ids:
            sub(ident, "idno", h.text, type="shelfmark")
        alt = sub(ident, "altIdentifier", type="siglum")
        sub(alt, "idno", h.siglum or h.text, type="siglum")
        mc = sub(ms, "msContents")
        if h.loci or h.note or not h.parsed:
            item = sub(mc, "msItem")
            for loc in h.loci:
                sub(item, "locus", loc.text, **{"from": loc.start, "to": loc.end})
            sub(item, "title", self.rec.title or self.rec.name)
            if h.note:
                sub(item, "note", h.note)
            if not h.parsed:
                sub(item, "note", h.text, type="unparsed")
        else:
            sub(mc, "p", h.text)
        mc.addprevious(etree.Comment(f" as cited: {h.text.replace('--', '- -')} "))

    def _profile(self, header: etree._Element) -> None:
        rec = self.rec
        pd = sub(header, "profileDesc")
        ab = sub(pd, "abstract")
        p = sub(ab, "p")
        if rec.summary:
            annotate(p, rec.summary, InlineContext(authority=self.authority, lang="en"))
        else:
            p.text = rec.title or rec.name
        lu = sub(pd, "langUsage")
        seen = []
        from pipeline.convert.reader import LANG_CODES
        for name in rec.languages:
            code = LANG_CODES.get(name.lower())
            if code and code not in seen:
                seen.append(code)
                sub(lu, "language", f"{name} (original language)", ident=code)
        for code in self.langs:
            if code not in seen:
                seen.append(code)
                label = {"en": "English", "ru": "Russian"}.get(code, code)
                sub(lu, "language", label + (" (translation)" if code == "en" else ""),
                    ident=code)
        if not seen:
            sub(lu, "language", "English", ident="en")
        main = main_version(rec)
        for m in main.all_messages() if main else []:
            self._corresp(pd, m)

    def _declare_languages(self, tei: etree._Element) -> None:
        """Every xml:lang used (header English, standOff name forms) is in langUsage."""
        lu = tei.find(f"{T('teiHeader')}/{T('profileDesc')}/{T('langUsage')}")
        have = {x.get("ident") for x in lu}
        names = {"en": "English", "ru": "Russian", "ko": "Korean", "zh": "Chinese",
                 "ja": "Japanese", "de": "German"}
        used = sorted({str(v) for v in _ALL_LANGS(tei) if v})
        for code in used:
            if code not in have:
                sub(lu, "language", names.get(code, code), ident=code)
                have.add(code)

    def _encoding(self, header: etree._Element) -> None:
        # The same for every document: built once per process, copied in.
        global _ENCODING_DESC
        if _ENCODING_DESC is None:
            holder = etree.Element(T("teiHeader"), nsmap={None: TEI_NS})
            _encoding_desc(holder)
            _ENCODING_DESC = holder[0]
        header.append(copy.deepcopy(_ENCODING_DESC))

    def _standoff(self, tei: etree._Element, refs: list[str]) -> None:
        so = sub(tei, "standOff")
        groups: dict[str, list[etree._Element]] = {}
        # Each entry is cleaned once per authority and process; documents get copies.
        try:
            cache = _CLEAN_ENTRIES.setdefault(self.authority, {})
        except TypeError:  # an authority that cannot be a weak key: clean every time
            cache = {}
        for ref in refs:
            clean = cache.get(ref)
            if clean is None:
                try:
                    entry = self.authority.entry(ref)  # type: ignore[union-attr]
                except Exception:  # noqa: BLE001
                    entry = None
                if entry is None:
                    self._warn(0, "unknown-ref", f"#{ref} is not in the authority files",
                               "add it to tei/people.xml or tei/places.xml")
                    continue
                clean = cache[ref] = _clean_copy(entry)
            entry = copy.deepcopy(clean)
            local = etree.QName(entry).localname
            groups.setdefault(local, []).append(entry)
        for local, lst_tag in (("person", "listPerson"), ("place", "listPlace"),
                               ("org", "listOrg")):
            if groups.get(local):
                lst = sub(so, lst_tag)
                for e in groups[local]:
                    lst.append(e)
        if len(so) == 0:
            tei.remove(so)

    # -- correspondence --
    def _corresp(self, pd: etree._Element, m: Message) -> None:
        """One correspDesc per message, as the reader found its parties; linked to the
        correspDesc of the message that carries it and of those it carries."""
        c = m.corresp or Correspondence()
        cd = sub(pd, "correspDesc", xml_id=f"{m.id}-corresp", corresp=f"#{m.id}")
        _action(cd, "sent", c.sent)
        if c.transmitted is not None and c.transmitted.parties:
            _action(cd, "transmitted", c.transmitted)
        _action(cd, "received", c.received)
        if c.cc:
            _action(cd, "received", Action(c.cc), subtype="cc")
        carried = [x for x in self.messages if x.carrier is m and x.corresp is not None]
        if m.carrier is not None or carried:
            ctx = sub(cd, "correspContext")
            if m.carrier is not None:
                sub(ctx, "ref", "carried by", type="carrier", target=f"#{m.carrier.id}-corresp")
            for x in carried:
                sub(ctx, "ref", "carries", type="carried", target=f"#{x.id}-corresp")


def _action(cd: etree._Element, kind: str, a: Action, subtype: str | None = None) -> None:
    """A correspAction: parties by their regularised names (the surface form is in the text)."""
    action = sub(cd, "correspAction", type=kind, subtype=subtype)
    if not a.parties:
        # Say that the text does not name the party (never an invented name).
        sub(action, "note", "not named in the text", type="unnamed")
    for p in a.parties:
        sub(action, "orgName" if p.kind == "org" else "persName", p.name,
            ref=f"#{p.ref}" if p.ref else None)
    if a.place is not None:
        sub(action, "placeName", a.place.name, ref=f"#{a.place.ref}" if a.place.ref else None)
    if a.date is not None:
        sub(action, "date", a.date.text, when=a.date.when, cert=a.date.cert, ana=a.date.ana)


_ENCODING_DESC: etree._Element | None = None


def _encoding_desc(header: etree._Element) -> None:
    """The encodingDesc: editorial practice, the date-inference taxonomy, renditions."""
    ed = sub(header, "encodingDesc")
    ep = sub(ed, "editorialDecl")
    for text in EDITORIAL_PRACTICE:
        sub(ep, "p", text)
    cd = sub(ed, "classDecl")
    tax = sub(cd, "taxonomy", xml_id="date-inference")
    for key, desc in DATE_REASONS.items():
        cat = sub(tax, "category", xml_id=key)
        sub(cat, "catDesc", desc)
    td = sub(ed, "tagsDecl")
    for key, (css, desc) in RENDITIONS.items():
        r = sub(td, "rendition", css, xml_id=key, scheme="css")
        r.addprevious(etree.Comment(f" {key}: {desc} "))


#: Every @ref, @resp and @xml:lang of a document, collected in C rather than by a Python walk.
_ALL_REFS = etree.XPath("//@ref")
_ALL_RESPS = etree.XPath("//@resp")
_ALL_LANGS = etree.XPath("//@xml:lang")

#: Authority -> {xml:id: cleaned entry}: the entries a document's standOff copies.
_CLEAN_ENTRIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _clean_copy(entry: etree._Element) -> etree._Element:
    """A copy of an authority entry without whitespace-only text, for re-indenting."""
    e = etree.fromstring(etree.tostring(entry))
    for el in e.iter():
        # Only indentation goes ("<forename/> <surname/>" keeps its space).
        if el.text is not None and not el.text.strip() and "\n" in el.text and len(el):
            el.text = None
        if el.tail is not None and not el.tail.strip() and "\n" in el.tail:
            el.tail = None
    return e


