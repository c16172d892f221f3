"""Record model -> TEI P5 tree (the writer).

The body of each version is read as a sequence of blocks (paragraphs of the
export) and classified by the archive's conventions: transmission lines
(sent/received/deciphered, with dates), telegram numbers, urgency and
classification, salutations, distribution lists, numbered points, quoted
embedded telegrams, signatures and closing datelines, sheet breaks and form
furniture of the original. Each message becomes a ``div`` (the outer telegram,
and each embedded one nested in ``quote/floatingText``) with its ``opener``, its
text and its ``closer``, and a ``correspDesc`` in the header.
"""

from __future__ import annotations

import copy
import re
import weakref
from dataclasses import dataclass, field
from urllib.parse import quote

from lxml import etree

from pipeline import __version__, resources
from pipeline.convert.inline import TEI_NS, XML_NS, InlineContext, T, add_text, annotate, sub
from pipeline.convert.model import Block, Holding, Record, Version

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


# --- block classification --------------------------------------------------

_Q_OPEN = "\"“„«"
_Q_CLOSE = "\"”“»"
_TRAIL = re.compile(r"[\s=]*$")
RX = {
    "heading": re.compile(r"^(#{1,6})\s+\S"),
    # a rule is its marks and XML's white space only: it goes whole into
    # milestone/@rend, a list of tokens, where a no-break or ideographic space is invalid
    "separator": re.compile(r"^(?:(?:\\?\*[ \t\n]*){3,}|(?:-[ \t\n]*){3,}|(?:=[ \t\n]*){3,}|"
                            r"(?:_[ \t\n]*){3,}|(?:\\_[ \t\n]*){3,})$"),
    "catch": re.compile(r"^\(\s*(?:см|СМ)\.?\s*(?:сл|СЛ)\.?\s*(?:лист|ЛИСТ|стр|СТР)\.?\s*\)$|"
                        r"^\((?:see|continued on)\s+(?:the\s+)?next\s+(?:sheet|page)\)$", re.I),
    "sheet": re.compile(r"^(?:Лист|ЛИСТ|Sheet|SHEET|Page|PAGE|Стр\.?|List)\s*[„\"“]?\s*(\d+)\s*"
                        r"[“\"”]?\.?$|^-\s*(\d{1,3})\s*-$"),
    "item": re.compile(r"^(?:(?P<dash>[-*] )\s*)?(?P<n>\d{1,2}|[a-zа-я])(?P<d>[.)])\s+\S"),
    "distribution": re.compile(
        r"^(?:Copies|Copy list|Distribution(?: list)?|Distributed|Sent to|Рассылка|Разослано|"
        r"Копии)\b[^:]{0,40}:", re.I),
    "telnum": re.compile(
        r"^(?:[A-Za-z]+\s+)?(?:CIPHERED|CIPHER|ШИФР|Шифр|SPECIAL|Special|Ciphered|Cipher)?\s*"
        r"(?:TELEGRAM|Telegram|telegram|ТЕЛЕГРАММА|ШИФРТЕЛЕГРАММА|Шифртелеграмма|CABLE|Cable)"
        r"\s*(?:No\.?|#|№|N)\s*\d"),
    "number": re.compile(r"^(?:No\.?|#|№|N)\s*\d[\w/\-.]*\.?$"),
    "urgency": re.compile(r"^(?:Extremely|Very|Most)?\s*Urgent[.!]?$|^(?:Top )?Priority[.!]?$|"
                          r"^(?:Весьма |Особо )?(?:С|с)рочно[.!]?$|^Вне очереди[.!]?$|"
                          r"^(?:EXTREMELY |VERY )?URGENT[.!]?$|^(?:ВЕСЬМА )?СРОЧНО[.!]?$", re.I),
    "classification": re.compile(
        r"^(?:Top Secret|Strictly Secret|Secret|Special Folder|Особая папка|Совершенно секретно|"
        r"Секретно|Copying prohibited|"
        r"Making copies (?:is )?prohibited|Снятие копий воспрещается)[.!]?(?:\n.*)?$", re.I),
    "dateline": re.compile(
        r"\b(?:Sent|Received|Arrived|Deciphered|Decoded|Decrypted|Typed|Transmitted|Dispatched|"
        r"Cabled|Copied|Relayed|Delivered|Handed)\b|"
        r"(?:^|\s)(?:Отп\.|Расп\.|Вх\.|Исх\.)|^(?:(?:Из|ИЗ)\s+\S+\s+)?(?:[Пп]олучена|[Оо]тправлена)|"
        r"^(?:FROM|From|Из|ИЗ)\b(?::|\s+[A-ZА-Я]{3,})"),
    "salute": re.compile(
        r"^(?:To|TO|Dear|DEAR|Respected|RESPECTED|Deeply respected|DEEPLY RESPECTED|Esteemed|"
        r"Comrade|COMRADE|Cde\.|Товарищу|ТОВАРИЩУ|Тов\.|тов\.|Дорогой|Уважаемый|Глубокоуважаемый|"
        r"Председателю|Послу|Посол)\b"),
    "cc": re.compile(r"^(?:Copy|Copies|Копия|Копии)\s+(?:to|товарищу|тов\.)\s", re.I),
    "closing": re.compile(
        r"^(?:With|Respectfully|Sincerely|Yours|Greetings|Best regards|Warm regards|"
        r"С приветом|С уважением|С высочайшим|С коммунистическим|С глубоким|Привет)\b", re.I),
    "formcode": re.compile(r"^[A-ZА-Я]{1,4}\s+[A-ZА-Я]{2,5}\s+[\wа-я-]+$"),
    # How many copies were made ("Отп. 14 экз.") or which copy this is ("Copy No. 1").
    "copy": re.compile(r"^(?:Отп\.|Отпеч\.)\s*\d+\s*экз\.?$|"
                       r"^(?:Printed|Typed)\s+(?:in\s+)?\d+\s+copies\.?$|"
                       r"^(?:Copy|COPY|Экз\.?)\s*(?:No\.?|№)\s*\d+\.?$"),
}
_DATEISH = re.compile(
    r"^(?:[A-ZА-Я][a-zа-я]+,?\s+)?(?:\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?|\d{1,2}[./][IVX]+[./]\d{2,4}"
    r"|\d{1,2}\s+[A-Za-zА-Яа-я]+\.?\s+\d{4}\s*(?:г\.?|года)?|[A-Z][a-z]+\s+\d{1,2},?\s+\d{4})"
    r"[\s.,]*(?:\d{1,2}[.:]\d{2})?[\s.]*$")


#: Parts of a header or closing line that the archive's forms run together
#: ("28 August 1950 No. 483/sh Copy No. 1 To Stalin"), each matched at the start.
_LINE_PARTS = [
    ("telnum", re.compile(
        r"(?:[A-Za-z]+\s+)?(?:CIPHERED|CIPHER|ШИФР|Шифр|SPECIAL|Special|Ciphered|Cipher)?\s*"
        r"(?:TELEGRAM|Telegram|telegram|ТЕЛЕГРАММА|ШИФРТЕЛЕГРАММА|Шифртелеграмма|CABLE|Cable)"
        r"\s*(?:No\.?|#|№|N)\s*\d[\w/-]*\.?")),
    # A copy number, with the addressee of the copy ("Copy No. 1 To Stalin", "Экз. № 2").
    ("copy", re.compile(r"(?:Copy|COPY|Экз\.?)\s*(?:No\.?|№)\s*\d+\.?"
                        r"(?:\s+(?:To|TO|to|тов\.|товарищу)\s+\S.*)?$")),
    ("number", re.compile(r"(?:No\.?|№|#)\s*\d[\w/-]*\.?")),
    ("date", re.compile(
        r"(?:\d{1,2}[.:]\d{2},?\s+)?"
        r"(?:\d{1,2}\s+[A-Za-zА-Яа-я]{3,}\.?\s+\d{4}(?:\s*г\.?|\s+года)?"
        r"|[A-Z][a-z]+\s+\d{1,2},\s+\d{4}|\d{1,2}[./]\d{1,2}[./]\d{2,4}\.?"
        r"|\d{1,2}[./][IVX]+[./]\d{2,4}\.?)(?:,?\s+\d{1,2}[.:]\d{2})?")),
    ("address", re.compile(r"(?:To|TO)\s+\S.*$")),
]


def split_line(text: str) -> list[tuple[str, str, str]] | None:
    """A one-line header or closing block made of several parts -> [(kind, part, space)].

    Only when the whole line is parts the archive's forms use (telegram number, date,
    "No. NNNN", "Copy No. N [To X]", an address "To X"); after a telegram number the rest
    of the line is the address ("CIPHERED TELEGRAM No. 75021 Pyongyang Soviet Ambassador.").
    Quotation marks and rules at the end stay with the last part. None otherwise.
    """
    if "\n" in text:
        return None
    core = _TRAIL.sub("", text).rstrip()
    core = core.rstrip(_Q_CLOSE).rstrip()
    tail = text[len(core):]
    pos, parts = 0, []
    while pos < len(core):
        found = next(((k, m) for k, rx in _LINE_PARTS if (m := rx.match(core, pos))
                      and (m.end() == len(core) or core[m.end()].isspace())), None)
        if found is None:
            if not (parts and parts[-1][0] == "telnum" and core[pos:pos + 1].isupper()):
                return None
            found = ("address", re.compile(r".+$").match(core, pos))
        kind, m = found
        gap = re.compile(r"\s*").match(core, m.end())
        parts.append((kind, m.group(0), gap.group(0)))
        pos = gap.end()
    if len(parts) < 2:
        return None
    kind, part, _ = parts[-1]
    parts[-1] = (kind, part + tail, "")
    return parts


#: A copy number at the end of a transmission line ("... 18 7 1952 г. Экз. № 2").
_TRAILING_COPY = re.compile(r"^(.*\S)(\s+)((?:Copy|COPY|Экз\.?)\s*(?:No\.?|№)\s*\d+\.?)$", re.S)


#: A margin note of the Russian form: registry number, addressee, sheet ("7. Сталину 72").
_MARGIN_NOTE = re.compile(r"^(\d{1,3}\.)(\s+)(\S.*?)(\s+)(\d{1,4})$")


def _bare(text: str) -> str:
    """Text without quotation marks, trailing '=' rules and Markdown emphasis, for classifying."""
    s = _TRAIL.sub("", text).strip()
    s = s.strip(_Q_OPEN + _Q_CLOSE).strip()
    return s.replace("**", "").strip()


def classify(block: Block, authority: object | None = None) -> str:
    """The kind of a body block by the archive's conventions (see module doc)."""
    key = (block.text, id(authority))
    kind = _KIND_CACHE.get(key)
    if kind is None:
        if len(_KIND_CACHE) > 20000:
            _KIND_CACHE.clear()
        kind = _KIND_CACHE[key] = _classify(block, authority)
    return kind


#: Blocks are classified more than once (structure, then layout): remember the answer.
_KIND_CACHE: dict[tuple[str, int], str] = {}


def _classify(block: Block, authority: object | None) -> str:
    text = block.text
    s = _bare(text)
    if "\t" in text:
        return "table"
    if re.fullmatch(r"\[(?:\.\s*){3}\]|\[…\]", s):
        return "gap"
    if re.match(r"^\[\d{1,3}\]\s+\S", text):
        return "footnote"
    if len(block.lines) > 1 and all(
            RX["number"].match(_bare(ln)) or (len(_bare(ln)) <= 60 and _DATEISH.match(_bare(ln)))
            for ln in block.lines):
        return "dateline"
    for kind in ("heading", "separator", "catch", "sheet"):
        if RX[kind].match(s if kind != "heading" else text):
            return kind
    if RX["telnum"].match(s) and len(s) < 160:
        return "telnum"
    if RX["distribution"].match(s):
        return "distribution"
    if RX["cc"].match(s) and len(s) < 100:
        return "cc"
    if RX["item"].match(text):
        return "item"
    if RX["number"].match(s):
        return "number"
    if RX["copy"].match(s):
        return "copy"
    if RX["urgency"].match(s):
        return "urgency"
    if RX["classification"].match(s):
        return "classification"
    short = len(s) <= 110
    if short and RX["closing"].match(s):
        return "closing"
    if short and RX["dateline"].search(s) and (
            _has_date(s) or s.startswith(("FROM", "From", "Из"))):
        return "dateline"
    if len(s) <= 60 and _DATEISH.match(s):
        return "date"
    if short and re.match(r"^\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\b|^[A-Z][a-z]+ \d{1,2}, \d{4}\b",
                          s):
        return "dateline"
    if short and RX["salute"].match(s) and not re.search(r"[.;:]\s+\S.*[.!?]$", s) \
            and len(re.findall(r"(?<![\w'-])[a-zа-я]{2,}\b", s)) <= 3:
        return "salute"
    if short and _is_signature(s, authority):
        return "signature"
    if short and _place_date(s, authority):
        return "placedate"
    letters = [c for c in s if c.isalpha()] if len(s) <= 200 else []
    if len(s) <= 200 and len(letters) >= 10 and not re.search(r"[.;!?]$", s) \
            and sum(c.isupper() for c in letters) >= 0.85 * len(letters):
        return "formline"  # printed form text in capitals ("ПОДЛЕЖИТ ВОЗВРАТУ ...")
    if len(s) <= 90 and not re.search(r"[.:;,!?]$|\w-$", s) and not re.match(r"^[a-zа-я]", s):
        return "formline"
    if RX["formcode"].match(s):
        return "formline"
    return "p"


_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|"
          r"ноября|декабря)")
_TIME_OR_DATE = re.compile(r"\d{1,2}[./:]\d{1,2}|\d{1,2}\s+[A-Za-zА-Яа-я]{3,}\s+\d{4}|"
                           r"[A-Z][a-z]+ \d{1,2}, \d{4}|„\s*\d|\d{1,2}\s*[./]\s*[IVX]+\b|"
                           # a yearless date ("Received January 10", "25 December")
                           rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}\b")


def _has_date(s: str) -> bool:
    return bool(_TIME_OR_DATE.search(s))


def _is_signature(s: str, authority: object | None) -> bool:
    core = re.sub(r"\[[^\]]*\]|\([^)]*\)|[*\"“”.,!]", " ", s).strip()
    if not core or len(core) > 60 or re.search(r"\d", core):
        return False
    if re.fullmatch(r"(?:[A-ZА-ЯЁ] (?:- )?){2,}[A-ZА-ЯЁ]", core):
        return True
    if re.match(r"^(?:Your|Yours|Ваш|Ваша)\s+\S", core):
        return True
    if re.match(r"^\*[^*]+\*", s):
        return True
    if authority is not None:
        try:
            other = [x for x in authority.find(core) if x.kind != "person"]
        except Exception:  # noqa: BLE001
            other = []
        if sum(x.end - x.start for x in other) >= 0.6 * len(core):
            return False  # "MOSCOW", "KPA": a place or a body, not a signature
    letters = [c for c in core if c.isalpha()]
    if len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters) \
            and len(core.split()) <= 8:
        return True
    if authority is not None:
        try:
            ms = [m for m in authority.find(core) if m.kind == "person"]
        except Exception:  # noqa: BLE001
            ms = []
        covered = sum(m.end - m.start for m in ms)
        return bool(ms) and covered >= 0.6 * len(core.replace(" ", "")) and len(core.split()) <= 5
    return False


def _place_date(s: str, authority: object | None) -> bool:
    """"Pyongyang 16.7.52." / "Moscow, Kremlin." — a place line of a closer or opener."""
    if re.match(r"^[A-ZА-Я][\w-]+,?\s+(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|Kremlin|Кремль)\.?$", s):
        return True
    return bool(re.fullmatch(r"[A-ZА-Я][A-ZА-Я-]{2,}\.?", s))


OPENER_KINDS = {"heading", "telnum", "dateline", "urgency", "classification", "salute", "cc",
                "formline", "placedate", "number", "copy", "date", "catch", "sheet", "gap"}
CLOSER_KINDS = {"closing", "signature", "number", "copy", "date", "placedate", "dateline",
                "formline", "catch", "sheet", "gap"}


# --- message structure -----------------------------------------------------

@dataclass
class Message:
    """A telegram or letter in the body: its blocks and the messages quoted in it."""

    kind: str  # "telegram" | "embedded"
    items: list = field(default_factory=list)  # Block | Message
    closed: bool = False
    div: etree._Element | None = None
    roles: dict[str, list[etree._Element]] = field(default_factory=dict)
    line: int = 0
    version_id: str = ""
    twin: Message | None = None  # the same message in the other version
    # An enclosure whose letter is quoted: the blocks after its closing quotation mark
    # (the telegram's distribution list, number, date) are the telegram's.
    outer: Message | None = None
    tail_from: int | None = None
    # The message that quotes or encloses this one, and its paragraph that introduces it
    # ("I herewith transmit a letter ... from comrade KIM IL SUNG:").
    context: Message | None = None
    intro: etree._Element | None = None

    def owner(self, index: int) -> Message:
        """The message the item at ``index`` speaks for (its roles go there)."""
        if self.outer is not None and self.tail_from is not None and index >= self.tail_from:
            return self.outer
        return self

    def role(self, name: str, el: etree._Element) -> None:
        self.roles.setdefault(name, []).append(el)


#: Kinds of block that give only milestones and forme work (TEI's model.global):
#: never the text a div must have before its closer.
_FURNITURE = frozenset({"separator", "sheet", "catch"})

#: Embedded messages nest at most this deep: the archive quotes a telegram inside a
#: telegram inside a letter, not more; quotation marks that open and never close
#: would otherwise nest once per paragraph, past what the writer can recurse into.
MAX_NESTING = 12


def _opens_quote(text: str) -> bool:
    return text[:1] in _Q_OPEN and text[1:2].isalpha() and not _closes_quote(text, whole=True)


def _closes_quote(text: str, whole: bool = False) -> bool:
    s = _TRAIL.sub("", text).rstrip()
    if whole:
        # A one-block quotation: "... " opened and closed in the same paragraph.
        return len(s) > 1 and s[-1] in _Q_CLOSE and s.count('"') % 2 == 0 and s[0] in _Q_OPEN \
            and ("\n" not in s) and len(s) < 60
    return s[-1:] in _Q_CLOSE and len(s) > 1


def structure(blocks: list[Block], authority: object | None) -> list[Message]:
    """Group blocks into messages: quotations open and close embedded messages.

    A block starting with a quotation mark opens an embedded message; a block
    ending with one closes the innermost open message (a closing mark with no
    open quotation is text). Unclosed quotations end with the version. A rule of
    asterisks at the top level followed by more text starts an enclosed message.
    """
    top = Message("telegram", line=blocks[0].line if blocks else 0)
    messages = [top]
    stack = [top]
    for i, b in enumerate(blocks):
        kind = classify(b, authority)
        if kind == "separator" and len(stack) == 1 and i + 3 < len(blocks) \
                and i > 0 and re.match(r"^(?:\\?\*\s*){3,}$", b.text.strip()):
            new = Message("embedded", line=b.line, outer=top)
            new.items.append(b)
            messages.append(new)
            stack = [new]
            continue
        if kind in ("sheet", "catch", "table", "heading", "separator"):
            stack[-1].items.append(b)  # form furniture never opens or closes a quotation
            continue
        fresh_enclosure = (len(stack) == 1 and stack[0] is not top and len(stack[0].items) == 1
                           and classify(stack[0].items[0], authority) == "separator")
        if _opens_quote(b.text) and stack == [top] and _signed_off(top, authority):
            # The telegram is signed and numbered, then the letter it reports follows in
            # quotation marks: an enclosure beside the telegram (TEI puts nothing after a
            # closer), as after a rule of asterisks.
            new = Message("embedded", line=b.line, outer=top)
            new.items.append(b)
            messages.append(new)
            stack = [new]
            continue
        if len(stack) == 1 and stack[0] is not top and stack[0].tail_from is None \
                and len(stack[0].items) > 1 and _closes_quote(b.text) \
                and kind in ("closing", "signature", "placedate", "date", "dateline") \
                and _opens_quote(next(x.text for x in stack[0].items
                                      if isinstance(x, Block) and classify(x, authority)
                                      != "separator")):
            # The enclosed letter's own closing quotation mark: what follows is the
            # telegram's again (its distribution list, number and date).
            stack[0].items.append(b)
            stack[0].tail_from = len(stack[0].items)
            continue
        if _opens_quote(b.text) and not fresh_enclosure and len(stack) < MAX_NESTING:
            # (A quotation right after the rule is the enclosed letter itself.)
            new = Message("embedded", line=b.line)
            stack[-1].items.append(new)
            stack.append(new)
        stack[-1].items.append(b)
        if len(stack) > 1 and _closes_quote(b.text) and not (
                _opens_quote(b.text) and stack[-1].items == [b] and "\n" not in b.text
                and len(_bare(b.text)) < 1):
            stack[-1].closed = True
            stack.pop()
    return messages


def _signed_off(msg: Message, authority: object | None) -> bool:
    """The message so far ends with its text, a signature, and perhaps the distribution
    list, number and date under it."""
    after = {"distribution", "table", "number", "copy", "date", "dateline", "placedate",
             "catch", "sheet", "cc"}
    kinds = [classify(x, authority) if isinstance(x, Block) else "message" for x in msg.items]
    k = len(kinds)
    while k > 0 and kinds[k - 1] in after:
        k -= 1
    if k == 0 or kinds[k - 1] not in ("signature", "closing"):
        return False
    return "p" in kinds[:k - 1] or "item" in kinds[:k - 1]


# --- the writer -------------------------------------------------------------

class Writer:
    """Builds the TEI tree for one record."""

    def __init__(self, rec: Record, authority: object | None, resolver_factory) -> None:
        self.rec = rec
        self.id = rec.id
        self.authority = authority
        self.resolver_factory = resolver_factory
        self.ctx = InlineContext(authority=authority, warn=self._warn)
        self.msg_count = 0
        self.messages: list[Message] = []
        self.langs: list[str] = []

    def _warn(self, line: int, code: str, message: str, hint: str) -> None:
        from pipeline.errors import Problem

        p = Problem(self.rec.name, line, 0, "warning", code, message, hint)
        if p not in self.rec.problems:
            self.rec.problems.append(p)

    # -- top level --
    def build(self) -> etree._Element:
        rec = self.rec
        tei = etree.Element(T("TEI"), nsmap={None: TEI_NS})
        tei.set(f"{{{XML_NS}}}id", self.id)
        tei.set(f"{{{XML_NS}}}lang", "en")
        header = sub(tei, "teiHeader")
        text = sub(tei, "text")
        body = sub(text, "body")
        for v in rec.versions:
            self._version(body, v)
        self._align_messages()
        self._header(header)
        # Every pointer into the authority files, wherever it is (text, abstract, correspDesc).
        refs = sorted({r.lstrip("#") for v in _ALL_REFS(tei) for r in v.split()
                       if r.startswith("#")})
        if refs and self.authority is not None:
            self._standoff(tei, refs)
        self._declare_languages(tei)
        self._declare_editors(tei)
        return tei

    def _align_messages(self) -> None:
        """Original and translation with the same messages: each message points at its twin."""
        by_version: dict[str, list[Message]] = {}
        for m in self.messages:
            version = next(a for a in m.div.iterancestors(T("div"))
                           if a.get("type") in ("original", "translation")
                           and a.getparent().tag == T("body") and a.getparent().getparent().tag
                           == T("text"))
            by_version.setdefault(version.get(f"{{{XML_NS}}}id"), []).append(m)
        groups = list(by_version.values())
        if len(groups) != 2 or len(groups[0]) != len(groups[1]):
            return
        for a, b in zip(groups[0], groups[1], strict=True):
            if a.kind != b.kind:
                return
        for a, b in zip(groups[0], groups[1], strict=True):
            a.div.set("corresp", "#" + b.div.get(f"{{{XML_NS}}}id"))
            b.div.set("corresp", "#" + a.div.get(f"{{{XML_NS}}}id"))
            a.twin, b.twin = b, a
            _align_paragraphs(a.div, b.div)

    def _described(self) -> list[Message]:
        """The messages that get a correspDesc: those of one version only, so each message
        is listed once (the English translation when there is one, else the first version;
        the other version's message divs point at their twins with @corresp)."""
        versions = [v for v in self.rec.versions]
        if len(versions) < 2:
            return list(self.messages)
        main = next((v for v in versions if v.kind == "translation" and v.lang == "en"),
                    versions[0])
        vid = f"{self.id}-{main.lang}"
        return [m for m in self.messages if m.version_id == vid]

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
    def _version(self, body: etree._Element, v: Version) -> None:
        vid = f"{self.id}-{v.lang}"
        div = sub(body, "div", type=v.kind, xml_lang=v.lang, xml_id=vid)
        others = [f"#{self.id}-{o.lang}" for o in self.rec.versions if o is not v]
        if others:
            div.set("corresp", " ".join(others))
        if v.lang not in self.langs:
            self.langs.append(v.lang)
        self.ctx.lang = v.lang
        body_text = "\n\n".join(b.text for b in v.blocks)
        self.ctx.resolver = self.resolver_factory(body_text) if self.resolver_factory else None
        self.version_id = vid
        for m in structure(v.blocks, self.authority):
            self._message(div, m, v.lang)
            if m.outer is not None:
                m.context, m.intro = m.outer, _last_p(m.outer.div)

    def _message(self, parent: etree._Element, m: Message, lang: str) -> None:
        self.msg_count += 1
        m.div = sub(parent, "div", type=m.kind, xml_id=f"{self.id}-msg{self.msg_count}")
        m.lang = lang  # type: ignore[attr-defined]
        m.version_id = self.version_id
        self.messages.append(m)
        div = m.div
        items = m.items
        kinds = [classify(x, self.authority) if isinstance(x, Block) else "message" for x in items]
        for x, kind in enumerate(kinds):
            # "7. Сталину 72": a number that starts no list is not a numbered point.
            if kind == "item" and RX["item"].match(items[x].text).group("n") not in ("1", "a", "а"):
                prev = next((kinds[y] for y in range(x - 1, -1, -1) if kinds[y] != "p"), None)
                if prev != "item":
                    kinds[x] = "formline" if len(items[x].text) <= 90 else "p"
        tail: list = []
        if m.outer is not None and m.tail_from is not None and m.tail_from < len(items):
            # The telegram's lines after the enclosed letter: a div of their own beside it,
            # so that the letter keeps its closer.
            tail, tail_kinds = items[m.tail_from:], kinds[m.tail_from:]
            items, kinds = items[:m.tail_from], kinds[:m.tail_from]
        # Leading headings become the div's head; a separator opening an enclosure is a milestone.
        i = 0
        while i < len(items) and kinds[i] in ("heading", "separator"):
            if kinds[i] == "heading":
                self._heading(div, items[i], "head")
            else:
                self._milestone(div, items[i])
            i += 1
        f = len(items)
        while f > i and kinds[f - 1] == "footnote":
            f -= 1  # the export's footnotes at the end come after the closer
        b = f
        while b > i and kinds[b - 1] in CLOSER_KINDS:
            b -= 1
        a = i
        # An address in capitals at the head ("SOVIET AMBASSADOR") looks like a signature.
        while a < b and (kinds[a] in OPENER_KINDS or kinds[a] == "signature"):
            a += 1
        # Sheet furniture at the edges stays with the text.
        while a > i and kinds[a - 1] in ("catch", "sheet"):
            a -= 1
        # Printed form lines of a header that a list or table interrupted ("Для заметок и
        # резолюций", 'Series "G" T') are header blocks too, not prose.
        k = a
        while k < b and kinds[k] not in ("p", "item", "message"):
            if kinds[k] == "formline":
                kinds[k] = "formhead"
            k += 1
        if b < f and all(kinds[k] in _FURNITURE for k in range(a, b)):
            # TEI wants text between opener and closer: with none (or only rules and
            # sheet furniture, which are not text), the closing lines are the text
            # (as ab) and there is no closer.
            b = f
        if a > i:
            opener = sub(div, "opener")
            for k in range(i, a):
                self._header_block(opener, items[k], kinds[k], m.owner(k), "opener")
        k = a
        while k < b:
            k = self._middle(div, items, kinds, k, b, m.owner(k))
        if b < f:
            closer = sub(div, "closer")
            for k in range(b, f):
                self._header_block(closer, items[k], kinds[k], m.owner(k), "closer")
        for k in range(f, len(items)):
            self._footnote(div, items[k])
        if len(div) == 0:
            sub(div, "p")
        if tail:
            self._after_enclosure(div, tail, tail_kinds, m.outer)

    def _after_enclosure(self, div: etree._Element, items: list, kinds: list[str],
                         outer: Message) -> None:
        """The distribution list, number and date of the telegram that follow the letter it
        encloses: ``div[@type='archival']`` after the letter, their roles the telegram's."""
        arch = etree.Element(T("div"), type="archival")
        div.addnext(arch)
        b = len(items)
        while b > 0 and kinds[b - 1] in CLOSER_KINDS:
            b -= 1
        if all(kinds[k] in _FURNITURE for k in range(b)):
            # a closer needs text before it (a rule is not text): the lines are ab then
            b = len(items)
        k = 0
        while k < b:
            k = self._middle(arch, items, kinds, k, b, outer)
        if b < len(items):
            closer = sub(arch, "closer")
            for k in range(b, len(items)):
                self._header_block(closer, items[k], kinds[k], outer, "closer")

    def _header_block(self, parent: etree._Element, b: Block, kind: str, m: Message,
                      where: str) -> None:
        self.ctx.line = b.line
        if kind in ("catch", "sheet"):
            self._furniture(parent, b, kind)
            return
        if kind == "heading":
            self._furniture(parent, b, "header")
            return
        if kind == "gap":
            annotate(parent, b.text, self.ctx)
            return
        if len(b.lines) > 1:
            line_kinds = [classify(Block(b.line + i, [ln]), self.authority)
                          for i, ln in enumerate(b.lines)]
            # In a closer only numbers and dates run together ("No. 2084" / "18.7.52");
            # a signature over two lines stays one.
            allowed = OPENER_KINDS if where == "opener" else {"number", "copy", "date",
                                                              "dateline", "placedate"}
            if len(set(line_kinds)) > 1 and all(k in allowed for k in line_kinds):
                for i, (ln, lk) in enumerate(zip(b.lines, line_kinds, strict=True)):
                    self._header_block(parent, Block(b.line + i, [ln]), lk, m, where)
                return
        if kind in ("dateline", "date", "telnum", "number", "placedate", "formline", "salute",
                    "copy"):
            parts = split_line(b.text)
            if parts:
                for part_kind, part, space in parts:
                    self._header_part(parent, b.line, part_kind, part, m)
                    add_text(parent, space)
                return
        if kind == "formline" and where == "opener" and self._margin_note(parent, b, m):
            return
        tc = _TRAILING_COPY.match(b.text) if kind == "dateline" else None
        if tc:
            self._header_block(parent, Block(b.line, [tc.group(1)]), kind, m, where)
            add_text(parent, tc.group(2))
            self._header_part(parent, b.line, "copy", tc.group(3), m)
            return
        if kind == "signature" and where == "opener":
            kind = "formline"  # "SOVIET AMBASSADOR" at the head is an address, not a signature
        if kind == "closing" and where == "closer" and self._closing(parent, b, m):
            return
        if kind == "salute" or kind == "closing":
            el = sub(parent, "salute")
            m.role("salute" if where == "opener" else "closing", el)
        elif kind == "signature":
            el = sub(parent, "signed")
            m.role("signed", el)
            self._fill(el, b.text)
            _unknown_signature(el, self.ctx)
            return
        elif kind in ("dateline", "date", "placedate"):
            el = sub(parent, "dateline")
            m.role("dateline", el)
        else:
            seg_type = {"telnum": "telegram-number", "number": _number_type(parent, b.text),
                        "cc": "cc", "copy": "copy", "urgency": "urgency",
                        "classification": "classification"}.get(kind, "form")
            el = sub(parent, "seg", type=seg_type)
            if kind == "cc":
                m.role("cc", el)
            if kind == "telnum":
                m.role("telnum", el)
        self._fill(el, b.text)

    def _header_part(self, parent: etree._Element, line: int, kind: str, text: str,
                     m: Message) -> None:
        """One part of a split header or closing line (see :func:`split_line`)."""
        self.ctx.line = line
        if kind == "date":
            el = sub(parent, "dateline")
            m.role("dateline", el)
        elif kind == "address":
            el = sub(parent, "salute")
            if parent.tag == T("opener"):
                m.role("salute", el)
        else:
            seg_type = {"telnum": "telegram-number", "copy": "copy",
                        "number": _number_type(parent, text)}[kind]
            el = sub(parent, "seg", type=seg_type)
            if kind == "telnum":
                m.role("telnum", el)
        self._fill(el, text)

    def _addressed_by_office(self, m: Message) -> list[etree._Element]:
        """"Respected comrade ambassador, ..." in a letter passed on by a telegram: the
        addressee is the telegram's sender when the personography gives them that office."""
        offices = []
        texts = ["".join(el.itertext()) for el in m.roles.get("salute", [])]
        first = next((c for c in m.div if c.tag == T("p")), None)
        if first is not None:
            # A salutation run into the first paragraph: "Respected comrade ambassador, I ask"
            hail = re.match(r"^[\"“„«]?(?:Respected|Dear|Esteemed|Уважаемый|Дорогой)"
                            r"[^,!.]{0,40}[,!]", "".join(first.itertext()))
            texts += [hail.group(0)] if hail else []
        for text in texts:
            offices += re.findall(r"\b(ambassador|adviser|advisor|envoy)\b", text, re.I)
            offices += ["ambassador" for _ in re.findall(r"\b[Пп]ос(?:ол|лу|ла)\b", text)]
        if not offices or self.authority is None:
            return []
        found = []
        for p in self._parties(m.context)["senders"]:
            try:
                entry = self.authority.entry((p.get("ref") or "").lstrip("#"))
            except Exception:  # noqa: BLE001
                continue
            role = " ".join("".join(o.itertext()) for o in entry.iter(T("occupation"))) \
                if entry is not None else ""
            if any(o.lower() in role.lower() for o in offices):
                found.append(p)
        return found

    def _margin_note(self, parent: etree._Element, b: Block, m: Message) -> bool:
        """"7. Сталину 72" at the head of a Russian form: registry number, addressee
        (a person) and the sheet number, each its own part."""
        mm = _MARGIN_NOTE.match(b.text.strip())
        if not mm or self.authority is None:
            return False
        try:
            people = [x for x in self.authority.find(mm.group(3), lang=self.ctx.lang)
                      if x.kind == "person"]
        except Exception:  # noqa: BLE001
            return False
        if not people or sum(x.end - x.start for x in people) < 0.6 * len(mm.group(3)):
            return False
        self.ctx.line = b.line
        sub(parent, "seg", mm.group(1), type="number")
        add_text(parent, mm.group(2))
        sal = sub(parent, "salute")
        annotate(sal, mm.group(3), self.ctx)
        m.role("salute", sal)
        add_text(parent, mm.group(4))
        sub(parent, "fw", mm.group(5), type="pageNum")
        return True

    def _closing(self, parent: etree._Element, b: Block, m: Message) -> bool:
        """"With greetings! MAO ZEDONG, 3:00, 15.7.52" -> salute, signed, dateline."""
        mm = _closing_parts(b.text, self.authority)
        if not mm:
            return False
        sal = sub(parent, "salute")
        annotate(sal, mm.group("sal"), self.ctx)
        add_text(parent, mm.group("sp"))
        signed = sub(parent, "signed")
        # Punctuation stays in the signature; only white space lies between the parts.
        sep = mm.group("sep") or ""
        annotate(signed, mm.group("sig") + sep.rstrip(), self.ctx)
        m.role("closing", sal)
        m.role("signed", signed)
        if mm.group("date"):
            add_text(parent, sep[len(sep.rstrip()):] or " ")
            dl = sub(parent, "dateline")
            annotate(dl, mm.group("date"), self.ctx)
            m.role("dateline", dl)
        return True

    def _fill(self, el: etree._Element, text: str) -> None:
        m = RX["heading"].match(text)
        if m:
            el.set("rendition", f"#md-h{len(m.group(1))}")
            text = text[m.end() - 1:]
            text = text.lstrip()
        rule = re.search(r"(?<=\S)={3,}$", text)
        if rule:
            # "Pyongyang 16.7.52.”====": the export's end-of-record rule, not the text.
            annotate(el, text[: rule.start()], self.ctx)
            sub(el, "milestone", unit="section", type="rule", rend=rule.group(0))
            return
        annotate(el, text, self.ctx)

    def _heading(self, parent: etree._Element, b: Block, tag: str) -> etree._Element:
        self.ctx.line = b.line
        el = sub(parent, tag)
        self._fill(el, b.text)
        return el

    def _footnote(self, parent: etree._Element, b: Block) -> None:
        """"[1] Mao Zedong." -> note[@type='footnote'][@n='1'] (its mark kept inside)."""
        self.ctx.line = b.line
        n = re.match(r"^\[(\d{1,3})\]", b.text).group(1)
        note = sub(parent, "note", type="footnote", n=n, place="end")
        annotate(note, b.text, self.ctx)

    def _milestone(self, parent: etree._Element, b: Block) -> None:
        sub(parent, "milestone", unit="section", type="separator", rend=b.text.strip())

    def _furniture(self, parent: etree._Element, b: Block, kind: str) -> None:
        self.ctx.line = b.line
        if kind == "sheet":
            mm = RX["sheet"].match(_bare(b.text))
            n = mm.group(1) or mm.group(2)
            sub(parent, "pb", n=n)
            fw = sub(parent, "fw", type="pageNum")
        elif kind == "catch":
            fw = sub(parent, "fw", type="catch")
        else:
            fw = sub(parent, "fw", type="header")
        self._fill(fw, b.text)

    def _middle(self, div: etree._Element, items: list, kinds: list[str], k: int, end: int,
                m: Message) -> int:
        """Write the item at k (and what belongs with it); return the next index."""
        item, kind = items[k], kinds[k]
        if kind == "message":
            item.context = m
            item.intro = _last_p(div)
            quote = sub(div, "quote")
            ft = sub(quote, "floatingText", type="embedded")
            body = sub(ft, "body")
            self._message(body, item, getattr(m, "lang", "en"))
            return k + 1
        self.ctx.line = item.line
        if kind == "separator":
            self._milestone(div, item)
            return k + 1
        if kind == "footnote":
            self._footnote(div, item)
            return k + 1
        if kind == "heading":
            fw = sub(div, "fw", type="header")
            self._fill(fw, item.text)
            return k + 1
        if kind == "catch":
            # A sheet break: catchword, the next sheet's running header, its number.
            j = k + 1
            while j < end and j - k <= 6 and kinds[j] not in ("sheet", "message", "item"):
                j += 1
            group_end = j + 1 if j < end and kinds[j] == "sheet" else k + 1
            self._furniture(div, item, "catch")
            for x in range(k + 1, group_end):
                self._furniture(div, items[x], "sheet" if kinds[x] == "sheet" else "header")
            return group_end
        if kind == "sheet":
            self._furniture(div, item, "sheet")
            return k + 1
        if kind == "table":
            self._table(div, item, m)
            return k + 1
        if kind == "distribution":
            j = k + 1
            blocks = [item]
            while j < end and kinds[j] != "message" and _continues_list(
                    items[j].text, blocks[-1].text):
                blocks.append(items[j])
                j += 1
            self._distribution(div, blocks, m)
            return j
        if kind == "item":
            return self._list(div, items, kinds, k, end, m)
        if kind == "formhead":
            ab = sub(div, "ab", type="form")
            self._fill(ab, item.text)
            return k + 1
        tc = _TRAILING_COPY.match(item.text) if kind == "dateline" else None
        if tc:
            ab = sub(div, "ab", type="dateline")
            m.role("dateline", ab)
            self._fill(ab, tc.group(1))
            ab.tail = tc.group(2)
            self._fill(sub(div, "ab", type="copy"), tc.group(3))
            return k + 1
        if kind in OPENER_KINDS | CLOSER_KINDS and kind not in ("formline", "gap"):
            role = {"signature": "signed", "salute": "salute", "closing": "closing",
                    "dateline": "dateline", "date": "dateline", "placedate": "dateline",
                    "cc": "cc", "telnum": "telnum"}.get(kind)
            ab_type = {"signature": "signed", "telnum": "telegram-number",
                       "date": "dateline", "placedate": "dateline", "formline": "form",
                       "number": _number_type(div, item.text)}.get(kind, kind)
            ab = sub(div, "ab", type=ab_type)
            if role:
                m.role(role, ab)
            if kind == "closing" and _closing_parts(item.text, self.authority):
                m.role("signed", ab)  # "Respectfully, KIM IL SUNG" before more text
            self._fill(ab, item.text)
            if kind == "signature":
                _unknown_signature(ab, self.ctx)
            return k + 1
        p = sub(div, "p")
        self._fill(p, item.text)
        # A paragraph broken by a sheet break ("помо-" ... Лист 2 ... "гать") is one p
        # with the sheet's furniture inside it.
        j = k + 1
        while j < end and kinds[j] == "catch":
            g = j + 1
            while g < end and g - j <= 6 and kinds[g] not in ("sheet", "message", "item"):
                g += 1
            if not (g < end and kinds[g] == "sheet"):
                break
            nxt = g + 1
            if not (nxt < end and kinds[nxt] == "p" and items[nxt].text[:1].islower()
                    and re.search(r"[\w-]$", items[j - 1].text)):
                break
            add_text(p, "\n")
            self._furniture(p, items[j], "catch")
            for x in range(j + 1, g + 1):
                self._furniture(p, items[x], "sheet" if kinds[x] == "sheet" else "header")
            self.ctx.line = items[nxt].line
            add_text(p, "\n")
            annotate(p, items[nxt].text, self.ctx)
            j = nxt + 1
        return j

    def _list(self, div: etree._Element, items: list, kinds: list[str], k: int, end: int,
              m: Message) -> int:
        first = RX["item"].match(items[k].text)
        if first.group("n") not in ("1", "a", "а"):
            p = sub(div, "p")
            self._fill(p, items[k].text)
            return k + 1
        lettered = first.group("n").isalpha()
        lst = sub(div, "list", type="lettered" if lettered else "numbered")
        current: etree._Element | None = None
        sublist: etree._Element | None = None
        j = k
        while j < end:
            kind = kinds[j]
            if kind == "item":
                for line_no, text in _item_lines(items[j]):
                    self.ctx.line = line_no
                    mm = RX["item"].match(text)
                    is_letter = mm.group("n").isalpha()
                    if is_letter and not lettered and current is not None:
                        if sublist is None:
                            sublist = sub(current, "list", type="lettered")
                        it = sub(sublist, "item", n=mm.group("n"))
                    else:
                        sublist = None
                        it = sub(lst, "item", n=mm.group("n"))
                        current = it
                    if mm.group("dash"):
                        it.set("rendition", "#md-bullet")
                        text = text[len(mm.group("dash")):]
                    annotate(it, text, self.ctx)
                j += 1
                continue
            # A paragraph between two points belongs to the point before it.
            nxt = next((x for x in range(j + 1, end) if kinds[x] != "p"), end)
            if kind == "p" and current is not None and nxt < end and kinds[nxt] == "item" \
                    and RX["item"].match(items[nxt].text).group("n") not in ("1", "a", "а"):
                self.ctx.line = items[j].line
                target = current
                add_text(target, "\n")
                sub(target, "lb", type="paragraph")
                annotate(target, items[j].text, self.ctx)
                # the paragraph now follows the sub-points: a later sub-point opens a
                # new sub-list after it, or the text would come back out of order
                sublist = None
                j += 1
                continue
            break
        return j

    def _table(self, div: etree._Element, b: Block, m: Message) -> None:
        table = sub(div, "table", type="distribution")
        m.role("distribution", table)
        for line in b.lines:
            row = sub(table, "row")
            for cell_text in line.split("\t"):
                cell = sub(row, "cell")
                annotate(cell, cell_text, self.ctx)

    def _distribution(self, div: etree._Element, blocks: list[Block], m: Message) -> None:
        lst = sub(div, "list", type="distribution")
        m.role("distribution", lst)
        # The diplomatic text joins head and items with one space, so they are cut
        # only where the source has white space: "Stalin (2),Molotov" stays one item
        # and "1,000" is never two.
        first = blocks[0].text
        hm = re.match(r"^(.*?:)(?:\s+|$)", first, re.S)
        if hm:
            head = sub(lst, "head")
            annotate(head, hm.group(1), self.ctx)
        rest = [first[hm.end():] if hm else first] + [b.text for b in blocks[1:]]
        for chunk in rest:
            for part in re.split(r"(?<=,)\s+", chunk.strip()):
                if part:
                    self._dist_item(lst, part)
        if hm and len(lst) == 1:
            # "Copies:" and nothing after it: a list needs an item, so the label is one
            lst[0].tag = T("item")

    def _dist_item(self, lst: etree._Element, text: str) -> None:
        item = sub(lst, "item")
        mm = re.match(r"^(?P<name>.*?)(?P<sep>\s*[-–—]\s*|\s*\()(?P<n>\d+)(?P<close>\)?)"
                      r"(?P<rest>[,.;]*)$", text, re.S)
        if not mm:
            annotate(item, text, self.ctx)
            return
        annotate(item, mm.group("name"), self.ctx)
        add_text(item, mm.group("sep"))
        n = mm.group("n")
        # @value is a number in ASCII digits; "٢" (any decimal digit \d finds) is 2
        num = sub(item, "num", n, type="copies", value=n if n.isascii() else str(int(n)))
        num.tail = (mm.group("close") or "") + (mm.group("rest") or "") or None

    # -- header --
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
        # a labelled section with nothing under it has nothing to keep (and a note
        # may not be empty)
        extra = [(label, text) for label, text in rec.extra if text.strip()]
        if rec.contents or extra:
            # The export's list of versions and any other labelled section, kept as given.
            ns = sub(fd, "notesStmt")
            if rec.contents:
                note = sub(ns, "note", type="contents")
                for c in rec.contents:
                    sub(note, "title", c, type="version")
            for label, text in extra:
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
                sub(bibl, "ref", value, target=_uri(value))
            pos = end
        add_text(bibl, text[pos:])

    def _msdesc(self, sd: etree._Element, h: Holding, n: int) -> None:
        key = re.sub(r"[\s.]", "", re.sub(r".*\((.+)\).*", r"\1", h.siglum)).upper()
        full = REPOSITORIES.get(key)
        if not full:
            # An msIdentifier needs the archive's city and name (tel-ms-identifier),
            # which only REPOSITORIES knows: the holding stays in the citation only.
            self._warn(self.rec.citation.line if self.rec.citation else 0, "repository",
                       f"unknown archive {h.siglum!r}: the holding is kept in the citation, "
                       "without a manuscript description",
                       "add it to REPOSITORIES in pipeline/convert/tei.py")
            return
        ms = sub(sd, "msDesc", xml_id=f"{self.id}-ms{n}")
        ident = sub(ms, "msIdentifier")
        sub(ident, "country", full[2])
        sub(ident, "settlement", full[1])
        sub(ident, "repository", full[0])
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
        # XML comments cannot hold "--": every dash run is spaced out ("---" -> "- - -")
        mc.addprevious(etree.Comment(f" as cited: {re.sub('-(?=-)', '- ', h.text)} "))

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
        described = self._described()
        for m in described:
            self._corresp(pd, m, first=m is described[0])

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
    def _corresp(self, pd: etree._Element, m: Message, first: bool = False) -> None:
        cd = sub(pd, "correspDesc", xml_id=f"{m.div.get(f'{{{XML_NS}}}id')}-corresp",
                 corresp=f"#{m.div.get(f'{{{XML_NS}}}id')}")
        parts = self._parties(m)
        if m.twin is not None:
            # What this version's text does not say, its twin may (the original's form
            # has the received line, the translation may drop it).
            for key, value in self._parties(m.twin).items():
                if not parts[key]:
                    parts[key] = value
        if not parts["sent_dates"] and first and self.rec.date:
            d = etree.Element(T("date"), when=self.rec.date.isoformat())
            d.text = self.rec.date_text
            parts["sent_dates"].append(d)
        action = sub(cd, "correspAction", type="sent")
        _fill_action(action, parts["senders"], parts["sent_places"][:1],
                     parts["sent_dates"][:1], self.authority)
        if parts["via"]:
            t = sub(cd, "correspAction", type="transmitted")
            _fill_action(t, parts["via"], [], [], self.authority)
        r = sub(cd, "correspAction", type="received")
        _fill_action(r, parts["recipients"], parts["recv_places"][:1],
                     parts["recv_dates"][:1], self.authority)
        if parts["cc"]:
            c = sub(cd, "correspAction", type="received", subtype="cc")
            _fill_action(c, parts["cc"], [], [], self.authority)

    def _parties(self, m: Message) -> dict[str, list[etree._Element]]:
        """Who sent and received a message, where and when, as its text and the title say."""
        senders: list[etree._Element] = []
        recipients: list[etree._Element] = []
        via: list[etree._Element] = []
        if m.kind == "telegram":
            senders, recipients, via = _title_parties(self.rec.title, self.authority)
        if not senders:
            for el in m.roles.get("signed", []):
                senders += _persons(el)
        intro = _intro_parties(m.intro) if m.intro is not None else ([], [])
        if not senders and m.kind == "embedded":
            # "I herewith transmit a letter ... from comrade KIM IL SUNG", else the title's
            # "..., transmitting message from Kim Il Sung to I.V. Stalin".
            senders = intro[0] or _title_parties(self.rec.title, self.authority, second=True)[0]
        if not recipients:
            for el in m.roles.get("salute", []):
                recipients += _persons(el)
        if not recipients and m.context is not None:
            recipients = self._addressed_by_office(m)
        if not recipients and m.kind == "embedded":
            recipients = intro[1]
        sent_dates, recv_dates, sent_places, recv_places = [], [], [], []
        for el in m.roles.get("dateline", []):
            text = "".join(el.itertext())
            dates = [d for d in el.iter(T("date")) if d.get("when")]
            places = list(el.iter(T("placeName")))
            if re.search(r"\b(?:Received|Arrived)\b|получена", text):
                recv_dates += dates[:1]
                recv_places += [p for p in places if re.search(
                    r"(?:\bin|\bat)\s*$", _text_before(el, p) or "")][:1]
                sent_places += [p for p in places if re.search(
                    r"(?:\bfrom|\bFROM:?|Из)\s*$", _text_before(el, p) or "", re.I)][:1]
            elif re.search(r"\bSent\b|\bFrom\b|\bFROM\b|[Оо]тправлена|^Из", text):
                sent_dates += dates[:1]
                sent_places += places[:1]
            elif m.kind == "embedded" and el.getparent().tag == T("opener") and not dates:
                recv_places += places[:1]  # "Moscow, Kremlin." above a letter: its address
            elif m.kind == "embedded":
                sent_dates += dates[:1]  # the place and date under a letter
                sent_places += places[:1]
        sent_refs = {p.get("ref") for p in sent_places}
        for el in m.roles.get("salute", []):
            # An address with its place: "Pyongyang Soviet Ambassador." (never where the
            # telegram was sent from)
            recv_places += [p for p in el.iter(T("placeName"))
                            if p.get("ref") not in sent_refs][:1]
        cc: list[etree._Element] = []
        for el in m.roles.get("cc", []) + m.roles.get("distribution", []):
            cc += _persons(el)
        return {"senders": senders, "recipients": recipients, "via": via,
                "sent_dates": sent_dates, "recv_dates": recv_dates,
                "sent_places": sent_places, "recv_places": recv_places, "cc": cc}


_URI_SAFE = ";/?:@&=+$,-_.!~*'()%"


def _uri(url: str) -> str:
    """The URL as cited, made a valid URI for @target: the text keeps it as cited.

    Characters a URI cannot hold are percent-encoded ("[1]", "ä", "|"), a "%" that
    starts no escape is escaped itself, and only the first "#" starts the fragment.
    """
    url = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url)
    head, hash_, frag = url.partition("#")
    out = quote(head, safe=_URI_SAFE)
    return out + hash_ + quote(frag, safe=_URI_SAFE) if hash_ else out


def _units(div: etree._Element) -> list[etree._Element]:
    """The paragraphs and numbered points of a message, in order (not its quotes)."""
    out = []
    for c in div:
        if c.tag == T("p"):
            out.append(c)
        elif c.tag == T("list") and c.get("type") in ("numbered", "lettered"):
            out += c.findall(T("item"))
    return out


def _align_paragraphs(a: etree._Element, b: etree._Element) -> None:
    """Twin messages of the original and the translation: paragraph points at paragraph
    (@corresp) only when it is certain: the same sequence of paragraphs and numbered
    points, and every pair of about the same length relative to the others (a translator
    who splits one paragraph and joins two others keeps the count but not the match)."""
    ua, ub = _units(a), _units(b)
    if not ua or len(ua) != len(ub):
        return
    if [(u.tag, u.get("n")) for u in ua] != [(u.tag, u.get("n")) for u in ub]:
        return
    lengths = [(len("".join(x.itertext()).strip()), len("".join(y.itertext()).strip()))
               for x, y in zip(ua, ub, strict=True)]
    if any(la == 0 or lb == 0 for la, lb in lengths):
        return
    ratios = sorted(la / lb for la, lb in lengths)
    median = ratios[len(ratios) // 2]
    if any(not 0.6 <= r / median <= 1 / 0.6 for r in ratios):
        return
    for div, units in ((a, ua), (b, ub)):
        base = div.get(f"{{{XML_NS}}}id")
        for n, u in enumerate(units, 1):
            u.set(f"{{{XML_NS}}}id", f"{base}-{'p' if u.tag == T('p') else 'item'}{n}")
    for x, y in zip(ua, ub, strict=True):
        x.set("corresp", "#" + y.get(f"{{{XML_NS}}}id"))
        y.set("corresp", "#" + x.get(f"{{{XML_NS}}}id"))


def _last_p(div: etree._Element | None) -> etree._Element | None:
    """The last paragraph among the children of a message div (its introduction)."""
    if div is None:
        return None
    ps = [c for c in div if c.tag == T("p")]
    return ps[-1] if ps else None


_INTRO_WORD = re.compile(r"\b(?:letter|telegram|message|text|note|cable|appeal)s?\b|"
                         r"письм|телеграмм|послани", re.I)
_PARTY_WORD = re.compile(r"\b(?:from|to)\b|(?<!\w)(?:от|на имя)(?!\w)", re.I)
_BETWEEN = re.compile(r"^[\s,]*(?:(?:and|comrades?|cdes?\.?|the|товарищ\w*|тов\.|и)[\s,]+)*$",
                      re.I)


def _intro_parties(p: etree._Element) -> tuple[list[etree._Element], list[etree._Element]]:
    """"I herewith relay the text of a letter addressed to Comrade STALIN which I received
    from KIM IL SUNG and PAK HEON-YEONG" -> (senders, recipients) named with from/to."""
    flat = p.text or ""
    spans = []
    for child in p:
        start = len(flat)
        flat += "".join(child.itertext())
        if child.tag in (T("persName"), T("orgName")):
            spans.append((start, len(flat), child))
        flat += child.tail or ""
    if not _INTRO_WORD.search(flat):
        return [], []
    senders, recipients = [], []
    for start, _end, el in spans:
        words = [w for w in _PARTY_WORD.finditer(flat, 0, start)]
        if not words:
            continue
        w = words[-1]
        between = flat[w.end():start]
        for s2, e2, _ in spans:  # other names listed between ("KIM IL SUNG and PAK ...")
            if w.end() <= s2 and e2 <= start:
                between = between.replace(flat[s2:e2], " ", 1)
        if not _BETWEEN.match(between):
            continue
        (senders if w.group(0).lower() in ("from", "от") else recipients).append(el)
    return senders, recipients


def _closing_parts(text: str, authority: object | None) -> re.Match | None:
    """"With greetings! MAO ZEDONG, 3:00, 15.7.52" -> groups sal, sp, sig, sep, date."""
    mm = re.match(r"^(?P<sal>.+?[,!.])(?P<sp>\s+)(?P<sig>.+?)"
                  r"(?:(?P<sep>(?<=[,.])\s+|,\s*|\n)(?P<date>\d.*))?$", text, re.S)
    if not mm or not _is_signature(_bare(mm.group("sig")), authority):
        return None
    return mm


def _number_type(parent: etree._Element, text: str) -> str:
    """"No. 1447/sh" (the cipher office's suffix) or a number right under the signature is
    the telegram's own number; any other number line is a registry number."""
    if re.search(r"/\s*(?:sh|ш|Ш|SH)\b", text):
        return "telegram-number"
    last = next((c for c in reversed(parent) if isinstance(c.tag, str)), None)
    if last is not None and (last.tag == T("signed") or last.get("type") == "signed"):
        return "telegram-number"
    return "number"


def _unknown_signature(el: etree._Element, ctx: InlineContext) -> None:
    """A signature in capitals that the personography does not know is still a person."""
    if len(el) or not el.text:
        return
    m = re.fullmatch(
        r"([\"“„«]?)([A-ZА-ЯЁ][A-ZА-ЯЁ'-]+(?: [A-ZА-ЯЁ][A-ZА-ЯЁ.'-]*){0,3})([.,\"”»]*)", el.text)
    if not m:
        return
    el.text = m.group(1) or None
    p = sub(el, "persName", m.group(2))
    p.tail = m.group(3) or None
    ctx.persons += 1
    ctx.unknown.add(m.group(2))


def _text_before(parent: etree._Element, el: etree._Element) -> str:
    """The text of ``parent`` before ``el`` (for 'Received in Moscow')."""
    out = []
    for node in parent.iter():
        if node is el:
            break
        if node is not parent and node.text:
            out.append(node.text)
        if node is parent and node.text:
            out.append(node.text)
        if node is not parent and node.tail and el not in node.iterdescendants():
            out.append(node.tail)
    return "".join(out)


def _persons(el: etree._Element) -> list[etree._Element]:
    return [p for p in el.iter(T("persName"))]


def _fill_action(action: etree._Element, persons: list[etree._Element],
                 places: list[etree._Element], dates: list[etree._Element],
                 authority: object | None = None) -> None:
    """Parties by their regularised names (the surface form is in the text)."""

    def label(el: etree._Element) -> str:
        ref = (el.get("ref") or "").lstrip("#")
        if ref and authority is not None:
            try:
                return authority.reg_name(ref)  # type: ignore[union-attr]
            except Exception:  # noqa: BLE001
                pass
        return " ".join("".join(el.itertext()).split())

    if not persons:
        # Say that the text does not name the party (never an invented name).
        sub(action, "note", "not named in the text", type="unnamed")
    seen = set()
    for p in persons:
        key = p.get("ref") or " ".join("".join(p.itertext()).split())
        if key in seen:
            continue
        seen.add(key)
        n = sub(action, "orgName" if p.tag == T("orgName") else "persName", label(p))
        if p.get("ref"):
            n.set("ref", p.get("ref"))
    for p in places:
        n = sub(action, "placeName", label(p))
        if p.get("ref"):
            n.set("ref", p.get("ref"))
    for d in dates:
        n = sub(action, "date", " ".join("".join(d.itertext()).split()), when=d.get("when"))
        for a in ("cert", "ana"):
            if d.get(a):
                n.set(a, d.get(a))


def _title_parties(title: str, authority: object | None, second: bool = False):
    """"X to Y (via Z)" in the record's title -> sender, recipient, transmitter persNames.

    With ``second``, the parties of the message the title says is passed on
    ("..., transmitting message from A to B"): the "from ... to" after the first.
    """
    if authority is None or not title:
        return [], [], []
    if second:
        first_to = re.search(r"\bto\b", title)
        later = re.search(r"\bfrom\b.*?\bto\b.*", title[first_to.end():]) if first_to else None
        if not later:
            return [], [], []
        return _title_parties(later.group(0), authority)
    scratch = etree.Element(T("title"))
    annotate(scratch, title, InlineContext(authority=authority, lang="en"))
    flat = ""
    positions = []
    if scratch.text:
        flat += scratch.text
    for child in scratch:
        start = len(flat)
        flat += "".join(child.itertext())
        # People, and bodies as parties ("from the CC of the Workers' Party of Korea").
        for n in child.iter(T("persName"), T("orgName")):
            positions.append((start, n))
        flat += child.tail or ""
    via_m = re.search(r"\(?\bvia\b", flat)
    to_m = None
    for mm in re.finditer(r"\bto\b", flat):
        if any(pos < mm.start() for pos, _ in positions):
            to_m = mm
            break
    if to_m is None:
        return [], [], []
    from_m = None
    for mm in re.finditer(r"\bfrom\b", flat[: to_m.start()]):
        from_m = mm
    stop = re.search(r",|\bconveying\b|\btransmitting\b|\babout\b|\bregarding\b|\bon\b|"
                     r"\bconcerning\b|\bwith\b|\(via\b|\bvia\b", flat[to_m.end():])
    r_end = to_m.end() + stop.start() if stop else len(flat)
    senders = [el for pos, el in positions
               if pos < to_m.start() and (from_m is None or pos > from_m.start())]
    recipients = [el for pos, el in positions if to_m.end() <= pos < r_end]
    via = [el for pos, el in positions if via_m and pos > via_m.start()]
    return senders, recipients, via


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


def _item_lines(b: Block) -> list[tuple[int, str]]:
    """A block whose every line is a numbered point is several points."""
    if len(b.lines) > 1 and all(RX["item"].match(ln) for ln in b.lines):
        return [(b.line + i, ln) for i, ln in enumerate(b.lines)]
    return [(b.line, b.text)]


def _continues_list(text: str, before: str) -> bool:
    """"Molotov - 1, Malenkov - 1." continues a distribution list begun in the block before."""
    parts = [p.strip() for p in text.strip().rstrip(".").split(",") if p.strip()]
    counted = sum(1 for p in parts if re.search(r"[-–—]\s*\d+$|\(\d+\)$", p))
    if not before.rstrip().endswith((":", ",")) and counted < max(1, len(parts) / 2):
        return False
    return bool(parts) and all(
        re.fullmatch(r"[A-ZА-Я][\w.'-]*(?:\s[A-ZА-Я][\w.'-]*)?(?:\s*[-–—]\s*\d+|\s*\(\d+\))?", p)
        for p in parts)


# --- serialisation ------------------------------------------------------------

#: Elements whose content is only elements: their children are indented.
_STRUCTURAL = {"TEI", "teiHeader", "fileDesc", "titleStmt", "notesStmt", "respStmt",
               "publicationStmt",
               "availability", "sourceDesc", "msDesc", "msIdentifier", "altIdentifier",
               "msContents", "msItem", "profileDesc", "abstract", "langUsage", "correspDesc",
               "correspAction", "encodingDesc", "editorialDecl", "classDecl", "taxonomy",
               "category", "tagsDecl", "revisionDesc", "text", "body", "div", "opener",
               "closer", "list", "quote", "floatingText", "standOff", "listPerson", "person",
               "listPlace", "place", "listOrg", "org", "table", "row", "location", "birth",
               "death", "occupation", "linkGrp", "bibl"}


def _structural(tag: object) -> bool:
    """Whether an element's children are indented (by its local name; comments never)."""
    known = _STRUCTURAL_TAGS.get(tag)
    if known is None:
        known = _STRUCTURAL_TAGS[tag] = isinstance(tag, str) and \
            tag[tag.rfind("}") + 1:] in _STRUCTURAL
    return known


_STRUCTURAL_TAGS: dict[object, bool] = {}


def indent(el: etree._Element, level: int = 0) -> None:
    """Pretty-print only where whitespace cannot change the text (element-only content)."""
    if _structural(el.tag):
        _indent(el, level)


def _indent(el: etree._Element, level: int) -> None:
    # ``el`` is structural; only structural children are visited (the others are left
    # as they are, so the call would do nothing).
    children = list(el)
    if not children:
        return
    if (el.text and el.text.strip()) or any(c.tail and c.tail.strip() for c in children):
        for c in children:
            if _structural(c.tag):
                _indent(c, level + 1)
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for c in children:
        c.tail = pad
        if _structural(c.tag):
            _indent(c, level + 1)
    children[-1].tail = "\n" + "  " * level


def serialise(tei: etree._Element) -> bytes:
    indent(tei)
    # The <?xml-model?> PIs (TEI Guidelines): an editor opening the file finds its
    # RELAX NG and Schematron, and `teipipe validate` knows it is a telegram.
    return (b"<?xml version='1.0' encoding='UTF-8'?>\n"
            + resources.xml_model_pis().encode("utf-8")
            + etree.tostring(tei, encoding="UTF-8") + b"\n")
