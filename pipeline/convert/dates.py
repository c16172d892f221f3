"""Dates and times of the telegrams, normalised to ISO 8601.

The archive writes dates every way a cipher clerk or translator might:
``17.7.52``, ``17.7 20:50``, ``09/30/50 at 20:35 p.m.``, ``24.III.50``,
``18/III 1952 г.``, ``16 июля 1952г.``, ``14-го июля с.г.``, ``15 July of this
year``, ``July 11``, ``3 часа 00 минут 15.7 с.г.``, and the printed form with
quoted blanks ``„ 12 “ ч. “ 15 “ м. “ 18 “ 7 1952 г.``.

:class:`DateResolver` finds them in a text and resolves each to an ISO value.
What the text leaves out is inferred, and every inference is named (the
reasons are the categories of the ``date-inference`` taxonomy of the encoding):

``infer-century``
    a two-digit year ("52") read as 19xx (the one nearest the document's date);
``infer-year``
    no year written: the document's year, or the year before when the date
    would otherwise fall more than four months after the document;
``infer-order``
    ``10.01.50`` could be 10 January or 1 October: decided by the other
    numeric dates of the same body (any with a part over 12 shows the order);
    without such evidence, by nearness to the document's date, then by the
    convention of the separator (dots day-first, slashes month-first in English);
``infer-relative``
    "с.г.", "сего года", "of this year": the document's year.

``cert`` is "high", "medium" or "low" whenever something was inferred (the
weakest of the inferences made), else None. A date that looks like one but
cannot exist (``31.02.51``) is returned with ``when=None``.

Numbers that are not dates are left alone: a day-month pair without a year
(``17.7``) or a dotted time (``14.20``) is only taken next to the other half of
a date-time, after "of"/"от"/"on", or before "с.г."/"of this year".
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

_CERT_ORDER = {"low": 0, "medium": 1, "high": 2}
#: Dates within this of the document's date are "near" it (clocks and dates drift a little).
_SLACK = dt.timedelta(days=7)
#: How far after the document's date an inferred-year date may fall and still be
#: this year's: telegrams refer back, but also ahead ("by 20 October" in a telegram of
#: 8 October). Further ahead than this, it is last year's ("December 25" in January).
_AHEAD = dt.timedelta(days=120)


@dataclass(frozen=True)
class DateMention:
    """A date or time found in a text: ``text[start:end]``."""

    start: int
    end: int
    text: str
    when: str | None  # "1952-07-17", "1952-07-17T20:50:00", "20:50:00"; None if impossible
    kind: str  # "date" | "time"
    cert: str | None  # "high" | "medium" | "low" when something was inferred
    reasons: tuple[str, ...]  # subset of infer-year, infer-century, infer-order, infer-relative


# --- the pieces ----------------------------------------------------------------

_D = r"(?:[12]\d|3[01]|0?[1-9])"
_M = r"(?:1[0-2]|0?[1-9])"
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8,
          "IX": 9, "X": 10, "XI": 11, "XII": 12}
_ROMAN_RE = r"(?:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"

_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_RU_MONTHS = {}
for _i, _stem in enumerate(["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август",
                            "сентябр", "октябр", "ноябр", "декабр"], start=1):
    for _end in ("я", "ь", "е", "а", ""):
        _RU_MONTHS[_stem + _end] = _i
_RU_MONTHS = {k: v for k, v in _RU_MONTHS.items() if len(k) >= 3 and k not in {"мае"}}
_RU_MONTHS["мая"] = 5
_RU_MONTHS["май"] = 5

_EN_MON_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
              r"|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
_RU_MON_RE = ("(?:" + "|".join(sorted((k for k in _RU_MONTHS), key=len, reverse=True)) + ")")
_MON = rf"(?P<mon>{_EN_MON_RE}|{_RU_MON_RE})"
_YSUF = r"(?:[ \t]*(?:г\.|года|г)(?!\w))?"
_REL = (r"(?P<rel>[ \t]*,?[ \t]*(?:с\.[ \t]?г\.|сего[ \t]+года|текущего[ \t]+года"
        r"|of[ \t]+this[ \t]+year|of[ \t]+the[ \t]+current[ \t]+year|this[ \t]+year))?")

_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\w-])(?P<y>1[89]\d\d|20\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)"
                       r"(?![\w-])")),
    ("num3", re.compile(r"(?<![\w.,/-])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)"
                        r"(?P<y>\d{4}|\d{2})" + _YSUF + r"(?![\w/]|[.,]\d)")),
    ("roman", re.compile(rf"(?<![\w.,/-])(?P<d>{_D})[./][ \t]?(?P<rm>{_ROMAN_RE})"
                         rf"(?:[./ \t][ \t]?(?P<y>\d{{4}}|\d{{2}}){_YSUF})?(?![\w/]|[.,]\d)"
                         + _REL)),
    ("daymon", re.compile(rf"(?i)(?<![\w.,/-])(?P<d>{_D})(?:-?(?:го|е|ое|st|nd|rd|th))?"
                          rf"[ \t]+(?:of[ \t]+)?{_MON}(?!\w)"
                          rf"(?:[ \t]*,?[ \t]*(?P<y>1[89]\d\d|20\d\d){_YSUF})?(?![\w/])" + _REL)),
    ("monday", re.compile(rf"(?i)(?<![\w-]){_MON}[ \t]+(?P<d>{_D})(?:st|nd|rd|th)?(?![\w:./])"
                          r"(?:,?[ \t]+(?P<y>1[89]\d\d|20\d\d)(?!\w))?" + _REL)),
    ("monyear", re.compile(rf"(?i)(?<![\w-]){_MON}[ \t]+(?P<y>1[89]\d\d|20\d\d){_YSUF}"
                           r"(?!\w)")),
    # Korean and Chinese: 1950년 6월 26일, 6월 25일, 1950年6月26日
    ("cjk", re.compile(r"(?<!\d)(?:(?P<y>\d{4}|\d{2})[ \t]*[년年][ \t]*)?"
                       r"(?P<m>1[0-2]|0?[1-9])[ \t]*[월月][ \t]*"
                       r"(?P<d>[12]\d|3[01]|0?[1-9])[ \t]*[일日号號]")),
    ("num2", re.compile(rf"(?<![\w.,/-])(?P<a>{_D})\.(?P<b>{_M})(?![\w/]|[.,]\d)" + _REL)),
]

_TIME_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("cjktime", re.compile(r"(?<!\d)(?P<h>[01]?\d|2[0-4])[ \t]*[시時时点點][ \t]*"
                           r"(?P<mi>[0-5]?\d)[ \t]*[분分]")),
    ("colon", re.compile(r"(?<![\w.:/])(?P<h>[01]?\d|2[0-4]):(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?"
                         r"(?![\w:]|[.,]\d)"
                         r"(?:[ \t]*(?P<ap>[AaPp])\.?[ \t]?[Mm](?:\.|(?!\w)))?")),
    ("hours", re.compile(r"(?i)(?<![\w.])(?P<h>[01]?\d|2[0-4])[ \t]*"
                         r"(?:час(?:а|ов)?|ч\.|hours?|hrs?\.?)[ \t]*(?P<mi>[0-5]?\d)[ \t]*"
                         r"(?:мин(?:ут[аы]?|\.)?|м\.|minutes?|mins?\.?)(?!\w)")),
    # "4 a.m.", "11 P.M.": an hour alone, only with the dotted or capital forms ("I am").
    ("ampm", re.compile(r"(?<![\w.:])(?P<h>1[0-2]|0?[1-9])[ \t]*"
                        r"(?P<ap>[ap])(?:\.[ \t]?m\.|(?-i:(?<=[AP])M)\b)", re.I)),
    ("dotted", re.compile(r"(?<![\w.,/:])(?P<h>[01]?\d|2[0-4])\.(?P<mi>[0-5]\d)(?![\w/]|[.,]\d)"
                          r"(?P<unit>[ \t]*(?:ч\.|час(?:а|ов)?|hrs\.?|hours|h)(?!\w))?")),
]

_Q = r"[„“”\"«»]"
#: The printed form of the General Staff: „ 12 “ ч. “ 15 “ м. “ 18 “ 7 1952 г.
_FORM = re.compile(
    rf"{_Q}?[ \t]*(?P<h>\d{{1,2}})[ \t]*{_Q}[ \t]*ч\.?[ \t]*{_Q}[ \t]*(?P<mi>\d{{1,2}})[ \t]*{_Q}"
    rf"[ \t]*м\.?[ \t]*{_Q}[ \t]*(?P<d>\d{{1,2}})[ \t]*{_Q}[ \t]*(?P<m>\d{{1,2}})[ \t]+"
    rf"(?P<y>\d{{4}}|\d{{2}}){_YSUF}")

_DIGITS = re.compile(r"\d+")
_YEAR_FIRST = re.compile(r"-|[ \t]*[년年]")  # a year that begins an ISO, Korean or Chinese date
_CJK_CHAR = re.compile(r"[\uac00-\ud7a3\u4e00-\u9fff\u3400-\u4dbf]")
#: Words that may be a month: its first letters, then the dictionary decides.
_MONTH_CANDIDATE = re.compile(r"[JFMASONDjfmasondЯФМАИСОНДяфмаисонд](?<!\w.)[^\W\d_]{2,8}\.?")
_MONTH_FIRST = {"monday", "monyear"}
_DIGIT_DATE_PATTERNS = [(k, p) for k, p in _DATE_PATTERNS if k not in _MONTH_FIRST]
_MONTH_DATE_PATTERNS = [(k, p) for k, p in _DATE_PATTERNS if k in _MONTH_FIRST]
_MONTH_WORDS = {k for k in _EN_MONTHS} | set(_RU_MONTHS)
#: The most that may stand between a date and its time (", at ", " в ").
_GAP = 8

#: How far (characters) from the last text found the next is looked for first, and
#: how many lookups of one body may search all of it (see DateResolver._locate).
_WINDOW = 20_000
_FAR_SEARCHES = 16

_SEP_DT = re.compile(r"[ \t]*,?[ \t]*(?:(?:at|в)[ \t]+)?$")
_SEP_TD = re.compile(r"[ \t]*,?[ \t]*(?:(?:on|of)[ \t]+)?$")
_UNIT_AFTER = re.compile(
    r"(?i)[ \t]*(?:%|per[ \t]?cent|percent|millions?|thousands?|billions?|km|kilomet|miles?|tons?"
    r"|tonnes?|kg|square|sq\.|hours?|minutes?|times|процент|млн|миллион|тыс|км|тонн|час|раз)")
_AT_BEFORE = re.compile(r"(?i)(?<!\w)(?:at|в)[ \t]+$")
_CONTEXT_BEFORE = re.compile(r"(?i)(?<!\w)(?:от|of|on|dated|from|by|until|до|к|на|с)[ \t]+$")


@dataclass
class _Atom:
    start: int
    end: int
    kind: str  # "date" | "time"
    sub: str  # pattern name
    m: re.Match[str]


def _valid_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


class DateResolver:
    """Resolves the dates of one document, knowing its date and its body."""

    def __init__(self, document_date: dt.date | None, body_text: str) -> None:
        self.document_date = document_date
        # Day/month order from the body's unambiguous numeric dates ("30.09.50" is
        # day-first, "09/30/50" month-first), with their places in the body.
        self._body = body_text or ""
        self._evidence: list[tuple[int, str]] = []
        for m in _DATE_PATTERNS[1][1].finditer(self._body):
            a, b = int(m["a"]), int(m["b"])
            if a > 12 and b <= 12:
                self._evidence.append((m.start(), "dmy"))
            elif b > 12 and a <= 12:
                self._evidence.append((m.start(), "mdy"))
        self._evidence_at = [at for at, _ in self._evidence]  # in body order: bisected
        self._offset = -1
        self._cursor = 0  # where the last text was found in the body
        self._far = 0  # whole-body searches made (see _locate)
        self._reference = document_date
        self._reference_cert: str | None = None
        if document_date is None and self._body:
            # Without a document date, the latest date the body writes out in full
            # (with its year) stands in for it, and what is inferred from it is uncertain.
            full = [m.when[:10] for m in self.find(self._body)
                    if m.when and len(m.when) >= 10 and m.when[4] == "-"
                    and not {"infer-year", "infer-relative", "infer-order"} & set(m.reasons)]
            if full:
                self._reference = dt.date.fromisoformat(max(full))
                self._reference_cert = "low"

    # -- public ------------------------------------------------------------------

    def find(self, text: str, lang: str = "en") -> list[DateMention]:
        """Every date and time expression of ``text``, sorted and non-overlapping."""
        # Where this text sits in the body, so that the nearest evidence decides.
        self._offset = self._locate(text)
        if not _DIGITS.search(text):
            return []  # every date and time pattern has a number in it
        dates: list[_Atom] = []
        times: list[_Atom] = []
        # Patterns are tried only where a number or a month name starts: one pass
        # over the text for each, instead of one pass per pattern.
        for tok in _DIGITS.finditer(text):
            s = tok.start()
            n = tok.end() - s
            if n > 2 and not (n == 4 and _YEAR_FIRST.match(text, tok.end())):
                continue  # "2250", "502597": a number; only a year may start a date
            if s and text[s - 1].isalnum() and not _CJK_CHAR.match(text, s - 1):
                continue  # inside a word (but Chinese has no spaces: "于1950年")
            for sub, pat in _DIGIT_DATE_PATTERNS:
                m = pat.match(text, s)
                if m:
                    dates.append(_Atom(m.start(), m.end(), "date", sub, m))
            for sub, pat in _TIME_PATTERNS:
                m = pat.match(text, s)
                if m:
                    times.append(_Atom(m.start(), m.end(), "time", sub, m))
        for tok in _MONTH_CANDIDATE.finditer(text):
            if tok.group().lower().rstrip(".") not in _MONTH_WORDS:
                continue
            s = tok.start()
            for sub, pat in _MONTH_DATE_PATTERNS:
                m = pat.match(text, s)
                if m and _month_ok(m["mon"]):
                    dates.append(_Atom(m.start(), m.end(), "date", sub, m))
        # Candidates: (start, end, preference, builder)
        cands: list[tuple[int, int, int, tuple]] = []
        for m in (_FORM.finditer(text) if "ч" in text else ()):
            cands.append((m.start(), m.end(), 3, ("form", m)))
        # Times are in text order; a date pairs only with a time within _GAP of it,
        # so only those are looked at (all of them: quadratic in a long text).
        t_starts = [t.start for t in times]
        t_longest = max((t.end - t.start for t in times), default=0)
        for d in dates:
            lo = bisect.bisect_left(t_starts, d.start - _GAP - t_longest)
            hi = bisect.bisect_right(t_starts, d.end + _GAP)
            for t in times[lo:hi]:
                if t.end <= d.start and d.start - t.end <= _GAP and t.start < d.start \
                        and _SEP_TD.match(text[t.end:d.start]):
                    pref = 2 if lang == "ru" or t.sub != "dotted" else 1
                    cands.append((t.start, d.end, pref, ("td", t, d)))
                elif d.end <= t.start and t.start - d.end <= _GAP \
                        and _SEP_DT.match(text[d.end:t.start]):
                    pref = 2 if lang != "ru" else 1
                    cands.append((d.start, t.end, pref, ("dt", d, t)))
            if d.sub == "num2" and not d.m["rel"] and (
                    not _CONTEXT_BEFORE.search(text[max(0, d.start - 12):d.start])
                    or _UNIT_AFTER.match(text, d.end)):
                continue  # "17.7" alone may be a number; "of 1.5 million" is one
            cands.append((d.start, d.end, 0, ("d", d)))
        for t in times:
            if t.sub == "dotted" and not t.m["unit"] and not _AT_BEFORE.search(
                    text[max(0, t.start - 6):t.start]):
                continue  # "14.20" alone may be a number or a date; "at 14.20" is a time
            cands.append((t.start, t.end, 0, ("t", t)))
        # Longest first, then the preferred reading, then the earliest.
        cands.sort(key=lambda c: (-(c[1] - c[0]), -c[2], c[0]))
        # Characters already taken by a chosen expression: checking a candidate
        # costs its own length, not the number chosen so far.
        taken = bytearray(len(text))
        chosen = []
        for s, e, _p, build in cands:
            if taken.find(1, s, e) >= 0:
                continue
            taken[s:e] = b"\x01" * (e - s)
            chosen.append((s, e, build))
        chosen.sort(key=lambda c: c[0])
        out = []
        for s, e, build in chosen:
            # Trailing spaces (from an optional suffix) are not part of the expression.
            seg = text[s:e].rstrip()
            e = s + len(seg)
            out.append(self._resolve(s, e, seg, build, lang))
        return out

    def _locate(self, text: str) -> int:
        """Where ``text`` sits in the body, or -1.

        Texts are asked for in the body's order, so the search starts where the last
        one was found and looks a window ahead, then a window back: each lookup
        costs about the distance moved, not the body's length (a search from the
        start for each of 100,000 paragraphs made conversion quadratic). Only a few
        lookups per body may search all of it (a text far away, or not in the body).
        """
        if not text:
            return -1
        body, cur = self._body, self._cursor
        at = body.find(text, cur, cur + _WINDOW + len(text))
        if at < 0:
            at = body.rfind(text, max(0, cur - _WINDOW), cur + len(text))
        if at < 0 and self._far < _FAR_SEARCHES:
            self._far += 1
            at = body.find(text)
        if at >= 0:
            self._cursor = at
        return at

    def _nearest(self, here: int) -> str:
        """The order ("dmy"/"mdy") of the evidence nearest to ``here``; the earlier on a tie."""
        i = bisect.bisect_left(self._evidence_at, here)
        if i == 0:
            return self._evidence[0][1]
        if i == len(self._evidence) or here - self._evidence_at[i - 1] <= \
                self._evidence_at[i] - here:
            return self._evidence[i - 1][1]
        return self._evidence[i][1]

    # -- resolution --------------------------------------------------------------

    def _resolve(self, s: int, e: int, seg: str, build: tuple, lang: str) -> DateMention:
        how = build[0]
        if how == "form":
            m = build[1]
            date, cert, reasons = self._ymd(int(m["y"]), int(m["m"]), int(m["d"]), len(m["y"]))
            clock = _clock(int(m["h"]), int(m["mi"]), 0, None)
            return _mention(s, e, seg, date, clock, cert, reasons)
        if how == "t":
            t = build[1]
            clock = _time_of(t)
            if clock == "24:00:00":
                clock = "00:00:00"  # midnight, with no day to carry it to
            return DateMention(s, e, seg, clock, "time", None, ())
        d = build[2] if how == "td" else build[1]
        date, cert, reasons = self._date_of(d, lang)
        clock = None
        if how in ("td", "dt"):
            t = build[1] if how == "td" else build[2]
            clock = _time_of(t)
            if clock is None:
                date = None
        return _mention(s, e, seg, date, clock, cert, reasons)

    def _date_of(self, atom: _Atom, lang: str) -> tuple[str | None, str | None, list[str]]:
        m = atom.m
        sub = atom.sub
        if sub == "iso":
            d = _valid_date(int(m["y"]), int(m["m"]), int(m["d"]))
            return (d.isoformat() if d else None), None, []
        if sub == "num3":
            return self._numeric(int(m["a"]), int(m["b"]), m["sep"], m["y"], lang, atom.start)
        rel = bool(m.groupdict().get("rel"))
        y = m.groupdict().get("y")
        if sub == "roman":
            month, day = _ROMAN[m["rm"]], int(m["d"])
        elif sub in ("daymon", "monday"):
            month, day = _month_number(m["mon"]), int(m["d"])
        elif sub == "cjk":
            month, day = int(m["m"]), int(m["d"])
        elif sub == "monyear":
            return f"{int(m['y']):04d}-{_month_number(m['mon']):02d}", None, []
        else:  # num2: day.month
            month, day = int(m["b"]), int(m["a"])
        if y:
            return self._ymd(int(y), month, day, len(y))
        return self._no_year(month, day, rel)

    def _numeric(self, a: int, b: int, sep: str, ys: str, lang: str, at: int):
        reasons: list[str] = []
        cert = "high"
        if a > 12 and b > 12:
            return None, None, []
        if a > 12:
            day, month = a, b
        elif b > 12:
            month, day = a, b
        elif a == b:
            day = month = a
        else:
            order, cert = self._order(sep, lang, a, b, ys, at)
            reasons.append("infer-order")
            day, month = (a, b) if order == "dmy" else (b, a)
        date, c2, r2 = self._ymd(int(ys), month, day, len(ys))
        reasons.extend(r2)
        if not reasons:
            return date, None, []
        return date, _weakest(cert, c2) if c2 else cert, reasons

    def _order(self, sep: str, lang: str, a: int, b: int, ys: str, at: int) -> tuple[str, str]:
        """Day-first or month-first for an ambiguous numeric date, and how sure."""
        if self._evidence:
            if self._offset >= 0:
                # The unambiguous date nearest to this one in the body decides.
                here = self._offset + at
                return self._nearest(here), "medium"
            dmy = sum(1 for _, o in self._evidence if o == "dmy")
            mdy = len(self._evidence) - dmy
            if dmy != mdy:
                return ("dmy" if dmy > mdy else "mdy"), "medium"
        ref = self._reference
        if ref is not None:
            # Only one reading close to the document's date: a header's sent/received line.
            y = int(ys) if len(ys) == 4 else _century(int(ys), ref)
            dmy_d, mdy_d = _valid_date(y, b, a), _valid_date(y, a, b)
            if dmy_d and mdy_d:
                near_dmy = abs((dmy_d - ref).days) <= _SLACK.days
                near_mdy = abs((mdy_d - ref).days) <= _SLACK.days
                if near_dmy != near_mdy:
                    return ("dmy" if near_dmy else "mdy"), "medium"
        # The separator's convention: slashes month-first in English, dots day-first.
        if sep == "/" and lang == "en":
            return "mdy", "low"
        return "dmy", "low"

    def _ymd(self, y: int, month: int, day: int, ylen: int):
        reasons: list[str] = []
        cert = None
        if ylen <= 2:
            y = _century(y, self._reference)
            reasons.append("infer-century")
            cert = "high"
        d = _valid_date(y, month, day)
        return (d.isoformat() if d else None), (cert if d else None), (reasons if d else [])

    def _no_year(self, month: int, day: int, relative: bool):
        ref = self._reference
        if ref is None:
            return None, None, []
        y = ref.year
        if relative:
            d = _valid_date(y, month, day)
            cert = self._reference_cert or "high"
            return (d.isoformat() if d else None), (cert if d else None), (
                ["infer-relative"] if d else [])
        d = _valid_date(y, month, day)
        if d is None:
            d = _valid_date(y - 1, month, day)  # 29 February of a leap year before
            if d is None:
                return None, None, []
        if d > ref + _AHEAD:
            d = _valid_date(y - 1, month, day)
            if d is None:
                return None, None, []
        gap = (ref - d).days
        cert = "high" if -_SLACK.days <= gap <= 31 else "medium"
        if self._reference_cert:
            cert = self._reference_cert
        return d.isoformat(), cert, ["infer-year"]


# --- helpers -------------------------------------------------------------------

def _month_ok(mon: str) -> bool:
    # English month names must be capitalised: "may" and "march" are words.
    if mon[0].isascii():
        return mon[0].isupper()
    return True


def _month_number(mon: str) -> int:
    k = mon.lower().rstrip(".")
    if k in _EN_MONTHS:
        return _EN_MONTHS[k]
    return _RU_MONTHS[k]


def _century(yy: int, ref: dt.date | None) -> int:
    if ref is None:
        return 1900 + yy
    base = ref.year - ref.year % 100
    return min((base - 100 + yy, base + yy, base + 100 + yy), key=lambda y: abs(y - ref.year))


def _clock(h: int, mi: int, s: int, ap: str | None) -> str | None:
    if ap:
        ap = ap.lower()
        if ap == "p" and h < 12:
            h += 12  # "20:35 p.m." in the archive is 20:35: already on the 24-hour clock
        elif ap == "a" and h == 12:
            h = 0
    if h == 24 and mi == 0 and s == 0:
        return "24:00:00"  # the end of the day: the next day's 00:00 when a date is given
    if h > 23 or mi > 59 or s > 59:
        return None
    return f"{h:02d}:{mi:02d}:{s:02d}"


def _time_of(t: _Atom) -> str | None:
    m = t.m
    gd = m.groupdict()
    return _clock(int(m["h"]), int(gd.get("mi") or 0), int(gd.get("s") or 0), gd.get("ap"))


def _weakest(*certs: str | None) -> str | None:
    real = [c for c in certs if c]
    return min(real, key=lambda c: _CERT_ORDER[c]) if real else None


def _mention(s: int, e: int, seg: str, date: str | None, clock: str | None,
             cert: str | None, reasons: list[str]) -> DateMention:
    if date is None:
        return DateMention(s, e, seg, None, "date", None, ())
    if clock == "24:00:00" and len(date) == 10:
        date = (dt.date.fromisoformat(date) + dt.timedelta(days=1)).isoformat()
        clock = "00:00:00"
    when = f"{date}T{clock}" if clock else date
    ordered = tuple(r for r in ("infer-year", "infer-century", "infer-order", "infer-relative")
                    if r in reasons)
    return DateMention(s, e, seg, when, "date", cert if ordered else None, ordered)


_RECORD_PATTERNS = [
    re.compile(rf"^(?P<mon>{_EN_MON_RE})[ \t]+(?P<d>{_D}),?[ \t]+(?P<y>\d{{4}})$"),
    re.compile(rf"^(?P<d>{_D})[ \t]+(?P<mon>{_EN_MON_RE}|{_RU_MON_RE}),?[ \t]+(?P<y>\d{{4}})"
               rf"{_YSUF}$", re.I),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$"),
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$"),
]


def parse_record_date(text: str) -> dt.date | None:
    """The date of a record's date line: "July 16, 1952", "16 July 1952", "1952-07-16"."""
    s = " ".join(text.replace("*", " ").split()).strip(" .,")
    for pat in _RECORD_PATTERNS:
        m = pat.match(s)
        if m:
            gd = m.groupdict()
            month = int(gd["m"]) if gd.get("m") else _month_number(gd["mon"])
            return _valid_date(int(gd["y"]), month, int(gd["d"]))
    return None
