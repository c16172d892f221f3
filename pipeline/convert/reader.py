"""Source text -> record model.

The archive's export is a date line, a title, labelled sections (``Citation:``,
``Summary:``, ``Original Language:``, ``Contents:``), then the body. Labels may
be wrapped in ``**``, the date and title may share a line, the URL may or may not
be in ``<>``, titles wrap over lines ending in two spaces. Whatever cannot be
parsed is kept as text and reported as a warning with its line.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable
from pathlib import PurePath

from pipeline.convert.model import Block, Citation, Holding, Locus, Record, Version
from pipeline.errors import InputError, Problem

MONTHS = ("January February March April May June July August September October "
          "November December").split()
_MONTH_RE = "|".join(MONTHS) + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
#: "July 16, 1952", "July 1952", "1952", "c. 1950", at the start of a line.
RECORD_DATE = re.compile(
    rf"^(?:(?:c\.|ca\.|circa)\s*)?(?:(?:{_MONTH_RE})\.?\s+(?:\d{{1,2}},?\s+)?)?(?:1[89]|20)\d\d\b")
LABEL = re.compile(r"^\s*(?:\*\*)?\s*([A-Z][A-Za-z&' ]{1,40}?)\s*:\s*(?:\*\*)?\s*$")
KNOWN_LABELS = {"citation", "summary", "original language", "contents", "credits",
                "keywords", "subjects", "associated people & organizations",
                "associated places", "record type", "source"}
#: Lines of the ``Contents:`` section that name versions rather than start the body.
VERSION_LINE = re.compile(
    r"^(?:Translation|Transcription|Transcript|Original(?: Scan)?|Scan)"
    r"(?:\s*[-–—:]\s*[A-Z][a-z]+)?\s*$")
# case-blind: a record typed in capitals writes "HTTPS://.../DOCUMENT/113640"
URL = re.compile(r"<?(https?://[^\s<>]+)>?\s*$", re.I)
LANG_CODES = {"russian": "ru", "english": "en", "korean": "ko", "chinese": "zh",
              "german": "de", "french": "fr", "japanese": "ja", "mongolian": "mn",
              "polish": "pl", "czech": "cs", "hungarian": "hu", "romanian": "ro",
              "bulgarian": "bg", "vietnamese": "vi", "albanian": "sq", "serbian": "sr"}


def read_document(text: str, name: str = "<input>", authority: object | None = None,
                  resolver_factory: Callable[[str], object] | None = None) -> Record:
    """Read one export into the full document model: the record, its versions, their
    messages with the role of every block, and who sent each message to whom.

    ``authority`` finds the people, places and bodies (pipeline.convert.names), and
    ``resolver_factory(body)`` gives a date resolver for a version's body
    (pipeline.convert.dates); without them the parties and dates are not read.
    """
    from pipeline.convert.messages import group
    from pipeline.convert.parties import read_parties

    rec = read_record(text, name)
    group(rec.versions, rec.id, authority)
    read_parties(rec, authority, resolver_factory)
    return rec


def read_record(text: str, name: str = "<input>") -> Record:
    """Read one export. Raises :class:`InputError` if there is no body at all."""
    lines = text.split("\n")
    rec = Record(name=name, id="")
    labels = _labels(lines)
    first_label = labels[0][0] if labels else len(lines)
    _read_preamble(rec, lines[:first_label])
    sections: dict[str, tuple[int, list[str]]] = {}
    body_start = None
    for i, (ln, label) in enumerate(labels):
        end = labels[i + 1][0] if i + 1 < len(labels) else len(lines)
        key = label.lower()
        if key == "contents":
            body_start = _contents(rec, lines, ln + 1)
            break
        sections[key] = (ln + 1, lines[ln + 1:end])
        if key not in ("citation", "summary", "original language"):
            rec.extra.append((label, _para(lines[ln + 1:end])))
    if body_start is None:
        body_start = _guess_body(rec, lines, labels)
    for key, _code, hint in (("citation", "no-citation", "the header has no archival data"),
                            ("summary", "no-summary", "the header has no abstract"),
                            ("original language", "no-language", "language taken from the body")):
        if key not in sections:
            rec.problems.append(Problem(name, 1, 0, "warning", "missing-section",
                                        f"no {key.title()}: section", hint))
    if "citation" in sections:
        ln, cl = sections["citation"]
        rec.citation = read_citation(_para(cl), ln + _first_nonblank(cl), rec)
        rec.url = rec.citation.url
    if "summary" in sections:
        rec.summary = _para(sections["summary"][1])
    if "original language" in sections:
        langs = _para(sections["original language"][1])
        rec.languages = [s.strip() for s in re.split(r",|\band\b|/", langs) if s.strip()]
    rec.id = make_id(rec.url, name)
    rec.canonical_url = canonical_url(rec.url)
    rec.credits = credits(" ".join([rec.citation.text if rec.citation else ""]
                                   + [t for _, t in rec.extra]))
    while body_start < len(lines) and not lines[body_start].strip():
        body_start += 1
    body_lines = lines[body_start:]
    while body_lines and not body_lines[-1].strip():
        body_lines.pop()
    rec.body = "\n".join(body_lines)
    rec.body_line = body_start + 1
    if not rec.body.strip():
        raise InputError(Problem(name, body_start + 1, 0, "error", "no-body",
                                 "the record has no text after its header",
                                 "the export is truncated: export the record again"))
    cut = _looks_cut_short(body_lines)
    if cut:
        rec.problems.append(Problem(name, body_start + len(body_lines), 0, "warning",
                                    "truncated", f"the text ends {cut}: is the file cut short?",
                                    "compare with the archive's record and export it again"))
    blocks = split_blocks(body_lines, body_start + 1)
    rec.versions = split_versions(blocks, rec)
    return rec


# Words a sentence does not end on, in the archive's languages.
_FUNCTION_WORDS = frozenset(
    "a an the of to and or in on for with by from that which is was are were be as at "
    "и в на с к по о от для не что как".split())
_OPEN_QUOTE = "\"“„«"
_CLOSE_QUOTE = "\"”“»"


def _looks_cut_short(body_lines: list[str]) -> str | None:
    """Say how the body ends if it ends the way a cut-off export does, else None.

    Records end on a signature, a date, a number or a full sentence; an export cut
    short ends inside a sentence or inside a quotation that it opened last.
    """
    last = body_lines[-1].rstrip()
    para = last.strip()
    if para[:1] in _OPEN_QUOTE and para[-1:] not in _CLOSE_QUOTE and para.count(para[0]) == 1 \
            and not para.endswith((".", "!", "?", ":", "]", ")")):
        return "inside a quotation it opens"
    words = para.split()
    tail = re.split(r"[.!?:]\s", para)[-1].split()
    if (words[-1].lower() in _FUNCTION_WORDS or para[-1] in ",;-–(" or (
            len(tail) >= 6 and para[-1].isalpha() and para[-1].islower()
            and not any(c.isdigit() for c in " ".join(tail)))):
        return f"in the middle of a sentence (\"…{' '.join(words[-4:])}\")"
    return None


#: The archive's own address; exports also come from its mirrors and staging copies.
CANONICAL_HOST = "https://digitalarchive.wilsoncenter.org"
_CREDIT = re.compile(r"\b(?P<resp>(?:Translated|Obtained|Transcribed|Contributed|Donated|Edited)"
                     r"(?: for [^.;]{1,80}?)? by)\s+(?P<name>[A-Z][^.;()]{1,120}?)\s*(?:[.;]|$)")


def canonical_url(url: str) -> str:
    """The record's URL on digitalarchive.wilsoncenter.org when ``url`` is a mirror's
    ("https://wilson-center-digital-archive.dvincitest.com/document/113642"); else ""."""
    m = re.match(r"https?://([^/]+)(/document/[^\s?#]+?)/?$", url or "")
    if not m or m.group(1).lower() == CANONICAL_HOST.split("//")[1]:
        return ""
    return CANONICAL_HOST + m.group(2)


def credits(text: str) -> list[tuple[str, str]]:
    """"... Translated by Danny Rozas." -> [("Translated by", "Danny Rozas")]."""
    return [(m.group("resp"), m.group("name").strip()) for m in _CREDIT.finditer(text)]


def make_id(url: str, name: str) -> str:
    """``wcda-<n>`` from the record URL, else ``rec-<slug of the file name>``.

    The id is an ASCII NCName whatever the URL or file name holds: it names the
    output file and every id inside it. A URL tail that is not plain ASCII letters,
    digits, ``.``, ``_`` and ``-`` ("113640¹", "１１３６４０", "1:2") is slugged and
    given a short hash of the tail as cited, so that two such tails never share an
    id and the same tail always gets the same one.
    """
    m = re.search(r"/document/([^/?#\s]+)/?$", url or "", re.I)
    if m:
        tail = m.group(1)
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", tail):
            return "wcda-" + tail.lower()
        slug = re.sub(r"[^a-z0-9]+", "-", tail.lower(), flags=re.A).strip("-")
        digest = hashlib.sha1(tail.encode("utf-8")).hexdigest()[:8]
        return f"wcda-{slug}-{digest}" if slug else f"wcda-{digest}"
    slug = re.sub(r"[^a-z0-9]+", "-", PurePath(name).stem.lower()).strip("-") or "record"
    return "rec-" + slug


def _labels(lines: list[str]) -> list[tuple[int, str]]:
    found = []
    for i, line in enumerate(lines):
        m = LABEL.match(line)
        if m and (m.group(1).lower() in KNOWN_LABELS or "**" in line):
            found.append((i, m.group(1).strip()))
            if m.group(1).lower() == "contents":
                break
    return found


def _strip_md(s: str) -> str:
    s = s.strip()
    if s.startswith("**") and s.endswith("**") and len(s) > 4:
        s = s[2:-2]
    return s.strip()


def _para(lines: list[str]) -> str:
    """Join a section's lines into one string (wrapped lines joined by a space)."""
    text = " ".join(ln.strip() for ln in lines if ln.strip())
    return _strip_md(text)


def _first_nonblank(lines: list[str]) -> int:
    return next((i for i, ln in enumerate(lines) if ln.strip()), 0)


def _read_preamble(rec: Record, lines: list[str]) -> None:
    paras: list[tuple[int, list[str]]] = []
    for i, line in enumerate(lines):
        if line.strip():
            if paras and i > 0 and lines[i - 1].strip():
                paras[-1][1].append(line)
            else:
                paras.append((i + 1, [line]))
    if not paras:
        rec.problems.append(Problem(rec.name, 1, 0, "warning", "no-title",
                                    "no date line and no title before the first section",
                                    "the record is titled after its file"))
        return
    texts = [" ".join(ln.strip() for ln in p) for _, p in paras]
    texts = [re.sub(r"\*\*", "", t).strip() for t in texts]
    m = RECORD_DATE.match(texts[0])
    if m:
        rec.date_text = m.group(0).strip()
        rest = texts[0][m.end():].strip(" ,.-–—")
        title_parts = ([rest] if rest else []) + texts[1:]
    else:
        rec.problems.append(Problem(rec.name, paras[0][0], 0, "warning", "no-date",
                                    f"the record has no date line (found {texts[0][:40]!r})",
                                    "dates without a year cannot be completed"))
        title_parts = texts
    rec.title = " ".join(title_parts)
    rec.date = record_date(rec.date_text)
    if rec.date_text and rec.date is None:
        rec.problems.append(Problem(rec.name, paras[0][0], 0, "warning", "date-unresolved",
                                    f"record date {rec.date_text!r} is not a full date",
                                    "years of partial dates in the body are not inferred"))


def record_date(text: str) -> datetime.date | None:
    """"July 16, 1952" -> date(1952, 7, 16); partial dates -> None."""
    if not text:
        return None
    try:
        from pipeline.convert.dates import parse_record_date
    except ImportError:  # pragma: no cover - the dates module is another stage's
        parse_record_date = None
    if parse_record_date is not None:
        try:
            d = parse_record_date(text)
            if d is not None:
                return d
        except Exception:  # noqa: BLE001 - fall back to the plain form below
            pass
    for fmt in ("%B %d, %Y", "%B %d %Y", "%b %d, %Y"):
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _contents(rec: Record, lines: list[str], start: int) -> int:
    i = start
    while i < len(lines):
        s = _strip_md(lines[i])
        if not s:
            i += 1
            continue
        if VERSION_LINE.match(s):
            rec.contents.append(s)
            i += 1
            continue
        break
    if not rec.contents:
        rec.problems.append(Problem(rec.name, start, 0, "warning", "missing-section",
                                    "Contents: lists no version", "the body is taken as the "
                                    "English translation"))
    return i


def _guess_body(rec: Record, lines: list[str], labels: list[tuple[int, str]]) -> int:
    if labels:
        ln = labels[-1][0] + 1
        while ln < len(lines) and not lines[ln].strip():
            ln += 1
        while ln < len(lines) and lines[ln].strip():  # the last section's paragraph
            ln += 1
        rec.problems.append(Problem(rec.name, labels[-1][0] + 1, 0, "warning",
                                    "missing-section", "no Contents: section",
                                    "the body is taken to start after the last section"))
        return ln
    # No sections at all: the body follows the date and title paragraph(s).
    ln = 0
    while ln < len(lines) and not lines[ln].strip():
        ln += 1
    while ln < len(lines) and lines[ln].strip():
        ln += 1
    rec.problems.append(Problem(rec.name, 1, 0, "warning", "missing-section",
                                "no Citation:/Summary:/Contents: sections",
                                "the body is taken to start after the title"))
    return ln


def split_blocks(lines: list[str], first_line: int) -> list[Block]:
    """Paragraphs between blank lines, with their line numbers."""
    blocks: list[Block] = []
    cur: list[str] = []
    start = first_line
    for i, line in enumerate(lines):
        if line.strip():
            if not cur:
                start = first_line + i
            cur.append(line.rstrip())
        elif cur:
            blocks.append(Block(start, cur))
            cur = []
    if cur:
        blocks.append(Block(start, cur))
    return blocks


_CYR = re.compile(r"[\u0400-\u04FF]")
_LAT = re.compile(r"[A-Za-z]")


_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_NOT_CYR = re.compile(r"[^\u0400-\u04FF]+")
_NOT_LAT = re.compile(r"[^A-Za-z]+")
_NOT_HANGUL = re.compile(r"[^\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]+")
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff\u3400-\u4dbf]+")


def script(text: str) -> str | None:
    """The language a block's script suggests: "ru" (Cyrillic), "ko" (Hangul), "zh" (Han),
    "en" (Latin); None without letters."""
    text = re.sub(r"\b[IVXL]+\b", "", text)  # Roman month numbers of dates ("18.III.52")
    # Letters counted by deleting everything else (no list of one-letter matches).
    counts = {"ru": len(_NOT_CYR.sub("", text)), "en": len(_NOT_LAT.sub("", text)),
              "ko": len(_NOT_HANGUL.sub("", text)), "zh": len(_NOT_CJK.sub("", text))}
    # Han characters weigh more: one stands for a word.
    counts["zh"] *= 3
    counts["ko"] *= 2
    lang, n = max(counts.items(), key=lambda kv: kv[1])
    if n < 2:
        return None
    return lang


def split_versions(blocks: list[Block], rec: Record) -> list[Version]:
    """Split the body into its versions: an original (Cyrillic, Korean, Chinese) beside
    the English.

    The split point is where the script changes for good: the index that best
    separates the blocks of one script from the other's. Without such a split, the
    body is one version.
    """
    scripts = [script(b.text) for b in blocks]
    known = [(i, s) for i, s in enumerate(scripts) if s]
    main_kind = _main_kind(rec)
    langs = {s for _, s in known}
    if len(known) >= 4 and len(langs) == 2 and "en" in langs:
        best, best_k, first = -1, 0, known[0][1]
        for k in range(1, len(blocks)):
            score = sum(1 for i, s in known if (i < k) == (s == first))
            if score > best:
                best, best_k = score, k
        sides = (sum(1 for i, _ in known if i < best_k), sum(1 for i, _ in known if i >= best_k))
        if best >= 0.9 * len(known) and 0 < best_k < len(blocks) and min(sides) >= 2:
            first_lang = first
            second_lang = (langs - {first}).pop()
            a, b = blocks[:best_k], blocks[best_k:]
            return [Version(_kind_for(first_lang, rec), first_lang, a),
                    Version(_kind_for(second_lang, rec), second_lang, b)]
    lang = "en"
    for other in ("ru", "ko", "zh"):
        if known and sum(1 for _, s in known if s == other) > len(known) / 2:
            lang = other
    return [Version(main_kind if lang == "en" else _kind_for(lang, rec), lang, blocks)]


def _main_kind(rec: Record) -> str:
    orig = [LANG_CODES.get(x.lower()) for x in rec.languages]
    if "en" in orig and not any("Translation" in c for c in rec.contents):
        return "original"
    return "translation"


def _kind_for(lang: str, rec: Record) -> str:
    if lang == "en":
        return _main_kind(rec)
    return "original"


# --- citation -------------------------------------------------------------

CITE = re.compile(r'^\s*"(?P<title>.+?)"\s*,\s*(?P<rest>.*)$', re.S)
ARCHIVE_PLATFORM = re.compile(r"Wilson Center Digital Archive", re.I)
_ID_PARTS = [
    ("fond", r"(?:fond|Fond|FOND|фонд|Фонд|f|F|ф|Ф)\.?"),
    ("opis", r"(?:opis|Opis|OPIS|опись|op|Op|оп)\.?"),
    ("delo", r"(?:delo|Delo|DELO|дело|d|D|д)\.?"),
    ("papka", r"(?:papka|Papka|PAPKA|папка|p|P|п)\.?"),
]
_LOCUS_LABEL = r"(?:listy|Listy|LISTY|list|List|Ll|ll|лл|pp|l|L|л|p)\.?(?=\s|\d)"
_RANGE = re.compile(r"(\d+\s*(?:ob\.?|об\.?)?)\s*(?:[-–—]\s*(\d+\s*(?:ob\.?|об\.?)?))?")
_HIER_START = re.compile(r",\s*(?:f|F|fond|Fond|FOND|ф|Ф)\.?\s*\d")


def read_citation(text: str, line: int, rec: Record) -> Citation:
    """Split the citation into title, date, platform, archival part and URL."""
    cit = Citation(text=text, line=line)
    rest = text
    m = URL.search(rest)
    if m:
        cit.url = m.group(1)
        rest = rest[: m.start()].rstrip()
    else:
        rec.problems.append(Problem(rec.name, line, 0, "warning", "citation",
                                    "the citation has no URL", "the id is made from the file name"))
    m = CITE.match(rest)
    if not m:
        rec.problems.append(Problem(rec.name, line, 0, "warning", "citation",
                                    "the citation does not start with a quoted title",
                                    "kept as text"))
        cit.archival = rest
        return cit
    cit.title = m.group("title")
    rest = m.group("rest")
    p = ARCHIVE_PLATFORM.search(rest)
    if p:
        cit.date = rest[: p.start()].strip(" ,")
        cit.publisher = p.group(0)
        rest = rest[p.end():]
    cit.archival = rest.strip(" ,")
    cit.holdings = read_holdings(cit.archival, line, rec)
    return cit


def read_holdings(text: str, line: int, rec: Record) -> list[Holding]:
    """"APRF, Fond 45, Opis 1, Delo 348, Listy 65-68; and RGASPI, f. 558, ..." -> holdings.

    Parts that are not archival (a published collection, a note) are not holdings;
    a part that starts like a holding but cannot be read is kept and reported.
    """
    text = text.strip().rstrip(".").strip()
    if not text:
        return []
    pieces = re.split(r";\s*(?:and\s+)?|,?\s+and\s+(?=[^,;]{1,40},\s*(?:f|F|fond|Fond|ф)\.?\s*\d)",
                      text)
    holdings = []
    for piece in pieces:
        piece = piece.strip().rstrip(".").strip()
        if not piece:
            continue
        h = _holding(piece)
        if h is None:
            continue
        if not h.parsed:
            rec.problems.append(Problem(rec.name, line, 0, "warning", "holding",
                                        f"could not read the archival reference {piece!r}",
                                        "kept as text in the msDesc"))
        holdings.append(h)
    return holdings


def _holding(piece: str) -> Holding | None:
    m = _HIER_START.search(piece)
    if not m:
        return None
    h = Holding(text=piece, siglum=piece[: m.start()].strip())
    parts = [x.strip() for x in piece[m.start() + 1:].split(",")]
    in_loci = False
    for part in parts:
        if not part:
            continue
        matched = False
        for kind, pat in _ID_PARTS:
            mm = re.fullmatch(rf"{pat}(?:\s+|(?<=\.))(\S+)", part)
            if mm and not in_loci:
                h.ids.append((kind, mm.group(1)))
                matched = True
                break
        if matched:
            continue
        mm = re.fullmatch(rf"({_LOCUS_LABEL})\s*(.+)", part)
        rng = mm.group(2) if mm else (part if in_loci else None)
        if mm:
            h.locus_label = mm.group(1)
            in_loci = True
        if rng is not None:
            note = re.search(r"\s*\((.*)\)\s*$", rng)
            if note:
                h.note = note.group(1)
                rng = rng[: note.start()]
            r = _RANGE.fullmatch(rng.strip())
            if r:
                start = _sheet(r.group(1))
                end = _sheet(r.group(2)) if r.group(2) else start
                h.loci.append(Locus(rng.strip(), start, end))
                continue
        h.parsed = False
    if not h.siglum or not h.ids:
        h.parsed = False
    return h


def _sheet(s: str) -> str:
    """"0045 ob" -> "0045ob": the sheet as a token for @from/@to."""
    return re.sub(r"\s+|\.", "", s).replace("об", "ob")
