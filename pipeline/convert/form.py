"""Reading the transmission form: the role of each block of a body.

The archive's telegrams are a form around a message: numbers, classification and
urgency, the cipher office's lines (sent, received, arrived, deciphered, typed), the
address and salutation, the closing and signature, the distribution list, sheet
furniture. ``classify`` gives each block one :class:`~pipeline.convert.model.Role`
(what fits none is body text) and ``transmission`` says what a cipher-office line
records. These are the archive's conventions, not any one record's.
"""

from __future__ import annotations

import re

from pipeline.convert.model import Block, Role, Transmission

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
        r"Председателю|Послу|Посол|Destination|DESTINATION|To whom|TO WHOM|Кому|КОМУ|Куда|КУДА)\b"),
    "cc": re.compile(r"^(?:Copy|Copies|Копия|Копии)\s+(?:to|товарищу|тов\.)\s", re.I),
    "closing": re.compile(
        r"^(?:With|Respectfully|Sincerely|Yours|Greetings|Best regards|Warm regards|"
        r"С приветом|С уважением|С высочайшим|С коммунистическим|С глубоким|Привет)\b", re.I),
    "formcode": re.compile(r"^[A-ZА-Я]{1,4}\s+[A-ZА-Я]{2,5}\s+[\wа-я-]+$"),
    # A note of what goes with the telegram ("Enclosure: 4-page letter.", "Приложение: ...").
    "enclosure": re.compile(r"^(?:Enclosures?|Attachments?|Приложени[ея])\b[^:.\n]{0,30}:\s*\S",
                            re.I),
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


def classify(block: Block, authority: object | None = None) -> Role:
    """The kind of a body block by the archive's conventions (see module doc)."""
    key = (block.text, id(authority))
    kind = _KIND_CACHE.get(key)
    if kind is None:
        if len(_KIND_CACHE) > 20000:
            _KIND_CACHE.clear()
        kind = _KIND_CACHE[key] = Role(_classify(block, authority))
    return kind


#: Blocks are classified more than once (structure, then layout): remember the answer.
_KIND_CACHE: dict[tuple[str, int], Role] = {}


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
    if RX["enclosure"].match(s) and len(s) <= 120:
        return "enclosure"
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
    words = core.split()
    if len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters) \
            and len(words) <= 4 and not _FORM_WORDS & {w.upper() for w in words}:
        # A name in capitals the personography does not know ("BELOKOSTOV"); a line of
        # the form in capitals ("SOVIET AMBASSADOR", "END OF TELEGRAM") is not one.
        return True
    if authority is not None:
        try:
            ms = [m for m in authority.find(core) if m.kind == "person"]
        except Exception:  # noqa: BLE001
            ms = []
        covered = sum(m.end - m.start for m in ms)
        return bool(ms) and covered >= 0.6 * len(core.replace(" ", "")) and len(core.split()) <= 5
    return False


#: Words of the printed form and of offices, never in a name: a line in capitals made
#: with one of them is form text, not a signature.
_FORM_WORDS = frozenset(
    "OF THE AND TO FOR IN ON BY AT END COPY COPIES NO SECRET TOP URGENT TELEGRAM CIPHERED "
    "CIPHER SOVIET AMBASSADOR EMBASSY MINISTRY STAFF DEPARTMENT ADMINISTRATION GENERAL "
    "COMRADE COMRADES CC CPSU VKP(B) MOSCOW PYONGYANG BEIJING PEKING "
    "И В НА ПО ИЗ ОТ ДЛЯ ТЕЛЕГРАММА ШИФРТЕЛЕГРАММА СЕКРЕТНО СОВЕРШЕННО СРОЧНО ПОСОЛ ПОСЛУ "
    "ОТДЕЛ УПРАВЛЕНИЕ ГЕНШТАБА ТОВАРИЩУ ТОВ ЭКЗ".split())


def _place_date(s: str, authority: object | None) -> bool:
    """"Pyongyang 16.7.52." / "Moscow, Kremlin." — a place line of a closer or opener."""
    if re.match(r"^[A-ZА-Я][\w-]+,?\s+(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|Kremlin|Кремль)\.?$", s):
        return True
    return bool(re.fullmatch(r"[A-ZА-Я][A-ZА-Я-]{2,}\.?", s))


OPENER_KINDS = {"heading", "telnum", "dateline", "urgency", "classification", "salute", "cc",
                "formline", "placedate", "number", "copy", "date", "catch", "sheet", "gap"}
CLOSER_KINDS = {"closing", "signature", "number", "copy", "date", "placedate", "dateline",
                "formline", "catch", "sheet", "gap", "enclosure"}

def _closing_parts(text: str, authority: object | None) -> re.Match | None:
    """"With greetings! MAO ZEDONG, 3:00, 15.7.52" -> groups sal, sp, sig, sep, date."""
    mm = re.match(r"^(?P<sal>.+?[,!.])(?P<sp>\s+)(?P<sig>.+?)"
                  r"(?:(?P<sep>(?<=[,.])\s+|,\s*|\n)(?P<date>\d.*))?$", text, re.S)
    if not mm or not _is_signature(_bare(mm.group("sig")), authority):
        return None
    return mm

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



_TRANSMISSION = [
    (Transmission.RECEIVED, re.compile(r"\bReceived\b|[Пп]олучена", re.I)),
    (Transmission.ARRIVED, re.compile(r"\bArrived\b|[Пп]оступила", re.I)),
    (Transmission.DECIPHERED, re.compile(r"\b(?:Deciphered|Decoded|Decrypted)\b|[Рр]асшифр", re.I)),
    (Transmission.TYPED, re.compile(r"\b(?:Typed|Copied)\b|(?:^|\s)Отп\.\s*[А-ЯA-Z][а-яa-z]",
                                    re.I)),
    (Transmission.VERIFIED, re.compile(r"\bVerified\b|\bChecked\b|Проверил", re.I)),
    (Transmission.RELAYED, re.compile(r"\b(?:cabled|relayed|transmitted|delivered|handed)\b|"
                                      r"\bSent to\b", re.I)),
    (Transmission.SENT, re.compile(r"\b(?:Sent|Dispatched)\b|[Оо]тправлена|(?:^|\s)Исх\.", re.I)),
    (Transmission.FROM, re.compile(r"^(?:FROM|From|Из|ИЗ)\b")),
]


def transmission(text: str) -> Transmission:
    """What a cipher-office line records, by its verb: "Sent from Pyongyang by wire on ..."
    is SENT, "Arrived in the 8 MDGS ..." ARRIVED (the office's time, not the
    addressee's). A line with two ("From BEIJING Received 12:15") is the later one, the
    receipt, and its place after "From" is where it was sent from."""
    for kind, rx in _TRANSMISSION:
        if rx.search(text):
            return kind
    return Transmission.OTHER
