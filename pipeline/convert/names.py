"""Finding people, places and bodies in the telegrams' text.

Every name comes from the authority files, ``tei/people.xml`` (persons and
orgs) and ``tei/places.xml`` (places); nothing is listed here. At load, each
``persName``/``placeName``/``orgName`` becomes one or more *forms*, each
compiled to a small regular expression that tolerates the archive's ways of
writing a name:

- any case ("STALIN", "Kim Il Sung"), but a form written with a capital must
  start with one in the text, so "joy" or "lie" are never names;
- spaces and hyphens between syllables optional ("PAK HEONYEONG", "Fin-Si");
- a doubled letter may be written single ("ФИЛИПОВУ" for Филиппов): the one
  misspelling the seeds show, and a common slip of typists;
- е for ё; an apostrophe optional ("Peoples Army");
- Russian case endings on Cyrillic forms ("Сталину", "Вышинскому", "КИМ ИР СЕНА",
  "Берии"), chosen from the ending of each word;
- initials before or after a person's name ("A.Ia. Vyshinsky", "STALIN I.V."),
  taken into the mention; a possessive "'s" is left outside it;
- letter-spaced text ("S H T Y K O V", "М А О  Ц З Е - Д У Н") is matched on a
  collapsed copy of the text, and the mention says so.

Short all-capital forms (KPA, USSR, UN) match only in capitals. A form shared
by two entries (two people called "Andrei Andreyevich") is dropped: a mention
is better missed than pointed at the wrong person.

Names that are clearly people but not in the file (after "Comrade", "тов.",
a rank, "Deciphered by", "Расп.", or in a distribution list) are returned
with ``ref=None`` so an editor can add them; see :data:`_TRIGGER`.
"""

from __future__ import annotations

import bisect
import copy
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline import resources, xmlsafe

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_ENTITY_TAGS = {"person": "person", "place": "place", "org": "org"}
_NAME_TAGS = {"person": "persName", "place": "placeName", "org": "orgName"}


@dataclass(frozen=True)
class Mention:
    """A name found in a text: ``text[start:end]`` is the surface form."""

    start: int
    end: int
    kind: str  # "person" | "place" | "org"
    ref: str | None  # xml:id in the authority file; None for an unknown person
    pseudonym: bool  # the surface form is a cover name of ``ref``
    letterspaced: bool  # the surface form was written "S H T Y K O V"
    text: str  # the surface text as in the source
    name: str  # the surface text with letter-spacing removed


@dataclass(frozen=True)
class _Form:
    ref: str
    kind: str
    pseudonym: bool
    capital: bool  # the form starts with a capital: so must the text


# --- building patterns ---------------------------------------------------------

_CYR = re.compile(r"[\u0400-\u04FF]")
#: Hangul syllables and CJK ideographs: scripts written without spaces between words.
_CJK = re.compile(r"[\uac00-\ud7a3\u4e00-\u9fff\u3400-\u4dbf]")
#: Between the words/syllables of a name: optional. The only capturing group of a
#: form's pattern, so a closed-up letter-spaced name can get its word breaks back.
_SEP = r"([\s\-\u2010\u2013]*)"
_PATRONYMIC = re.compile(r"(?:ovich|evich|ich|ovna|evna|ична|ович|евич|ич|овна|евна)$", re.I)


def _ru_endings(word: str, last: bool = False) -> tuple[str, list[str]]:
    """Stem and the case endings a Russian word of this shape takes.

    Words of two letters decline only at the end of a name ("ПАК ХЕН ЕНУ"), never
    inside it ("КИМ ИР СЕНУ", not "ИРУ").
    """
    w = word.lower()
    if len(word) < (2 if last else 3) or not _CYR.search(word):
        return word, [""]
    if w.endswith(("ий", "ый", "ой")):
        return word[:-2], ["ий", "ый", "ой", "ого", "его", "ому", "ему", "им", "ым", "ом", "ем",
                           "ая", "ую", "ые", "ых", "ей"]
    if w.endswith(("ая", "яя")):
        return word[:-2], ["ая", "яя", "ой", "ей", "ую", "юю", "ою"]
    if w.endswith("ия"):
        return word[:-1], ["я", "и", "ю", "ей", "ею"]
    if w.endswith(("а", "я")):
        return word[:-1], [word[-1], "ы", "и", "е", "у", "ю", "ой", "ою", "ей", "ею"]
    if w.endswith("ь"):
        return word[:-1], ["ь", "я", "ю", "ем", "е", "и", "ью"]
    if w.endswith("й"):
        return word[:-1], ["й", "я", "ю", "ем", "е"]
    if w[-1] in "оеуиюэё":
        return word, [""]
    return word, ["", "а", "у", "ом", "ым", "ем", "е", "ым"]


def _letters(s: str) -> str:
    """The regex for a literal run, with the archive's tolerances."""
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c.lower() in "её":
            out.append("[еёЕЁ]")
        elif c in "'’":
            out.append("['’]?")
        elif c.isalpha() and i + 1 < len(s) and s[i + 1].lower() == c.lower() and len(s) >= 5:
            out.append(re.escape(c) + "{1,2}")
            i += 1
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _token_regex(tok: str, decline: bool, last: bool = False) -> str:
    if not decline:
        return _letters(tok)
    stem, endings = _ru_endings(tok, last)
    if endings == [""]:
        return _letters(tok)
    alts = sorted({e for e in endings}, key=len, reverse=True)
    return _letters(stem) + "(?:" + "|".join(re.escape(e) for e in alts) + ")"


def _form_regex(form: str) -> str:
    tokens = [t for t in re.split(r"[\s\-\u2010\u2013]+", form) if t]
    cyr = bool(_CYR.search(form))
    body = _SEP.join(_token_regex(t, cyr, i == len(tokens) - 1) for i, t in enumerate(tokens))
    letters = sum(c.isalpha() for c in form)
    if form == form.upper() and letters <= 6:
        body = f"(?-i:{body})"  # KPA, USSR, UN: capitals only
    return rf"(?<!\w){body}(?!\w)"


def _key(form: str) -> str:
    """Index key of a form: the first three letters of its first word, folded (ё as е)."""
    first = re.split(r"[\s\-\u2010\u2013]+", form.strip())[0].replace("'", "").replace("’", "")
    m = re.match(r"\w+", first)
    word = m.group() if m else first
    return word[:3].casefold().replace("ё", "е")


_WORD = re.compile(r"\w+")


def _norm_form(s: str) -> str:
    return re.sub(r"[\s\-\u2010\u2013'’]+", "", s.casefold().replace("ё", "е"))


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _forms_of(name_el: etree._Element, kind: str) -> list[str]:
    """The surface forms one name element stands for."""
    full = _text(name_el)
    forms = [full] if full else []
    if kind == "person":
        sur = name_el.find(f"{{{TEI}}}surname")
        fore = name_el.find(f"{{{TEI}}}forename")
        if sur is not None and _text(sur):
            s = _text(sur)
            forms.append(s)
            if fore is not None and _text(fore):
                f = _text(fore)
                forms.append(f"{s} {f}")  # "STALIN Iosif Vissarionovich"
                if len(f.split()) >= 2 and _PATRONYMIC.search(f):
                    forms.append(f)  # "Iosif Vissarionovich": name and patronymic
    out = []
    for f in forms:
        if sum(c.isalnum() for c in f) >= 2 and any(c.isalpha() for c in f) and f not in out:
            out.append(f)
    return out


# --- letter-spacing ------------------------------------------------------------

_SPACED = re.compile(r"(?<!\w)[^\W\d_](?=[ \t])(?:[ \t]{1,3}(?:[^\W\d_]|-)(?!\w)){2,}")


def _collapse(text: str) -> tuple[str, list[int], list[tuple[int, int]]]:
    """Text with letter-spaced runs closed up, the map back, and the runs' spans.

    Inside a run one space separates letters and two or more separate words:
    "М А О  Ц З Е - Д У Н" becomes "МАО ЦЗЕ-ДУН".
    """
    runs = [(m.start(), m.end()) for m in _SPACED.finditer(text)]
    if not runs:
        return text, [], []
    out: list[str] = []
    pos: list[int] = []
    last = 0
    for a, b in runs:
        out.append(text[last:a])
        pos.extend(range(last, a))
        i = a
        while i < b:
            c = text[i]
            if c in " \t":
                j = i
                while j < b and text[j] in " \t":
                    j += 1
                if j - i >= 2:
                    out.append(" ")
                    pos.append(i)
                i = j
                continue
            out.append(c)
            pos.append(i)
            i += 1
        last = b
    out.append(text[last:])
    pos.extend(range(last, len(text)))
    pos.append(len(text))
    return "".join(out), pos, runs


# --- initials and unknown names ------------------------------------------------

_UP = "A-ZА-ЯЁ"
_LO = "a-zа-яё"
_INITIALS_BEFORE = re.compile(rf"(?<![\w.])((?:[{_UP}][{_LO}]?\.[ \t]?){{1,3}})$")
_INITIALS_AFTER = re.compile(
    rf"^([ \t]?(?:[{_UP}]\.[ \t]?[{_UP}]\.(?:[ \t]?[{_UP}]\.)?"
    rf"|[{_UP}]\.(?=[ \t]*(?:[,;:)\]\n]|$))))")
_NOT_INITIALS = {"No.", "Nr.", "Mr.", "Dr.", "St.", "Ms.", "Сл.", "См.", "Ст."}

def _trie_regex(words: list[str]) -> str:
    """One regex for literal words, factored by their common prefixes: the engine then
    tries a few letters at each position instead of every word."""
    trie: dict = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not alts:
            return ""
        optional = "" in node
        body = alts[0] if len(alts) == 1 and not optional else "(?:" + "|".join(alts) + ")"
        if optional:
            body = "(?:" + "|".join(alts) + ")?" if len(alts) > 1 else f"(?:{alts[0]})?"
        return body

    return build(trie)


def _trigger_words() -> list[str]:
    """Words after which a capitalised word is a person's name, in every case they take."""
    both = ["comrade", "comrades", "cde.", "cdes.", "tov.", "adviser", "advisers", "advisor",
            "advisors", "deciphered by", "typed by", "signed by", "enciphered by", "ciphered by",
            "recorded by", "тов.", "посол", "послу", "советник", "советнику", "советника"]
    capital = ["General", "Gen.", "Marshal", "Ambassador", "Admiral", "Colonel", "Col.",
               "Lieutenant-General", "Lieutenant General", "Major-General", "Major General",
               "Lieutenant-Colonel", "Lieutenant Colonel", "Lieutenant", "Captain", "Commander",
               "Расп.", "Отп."]
    for stem, ends in (("товарищ", ("", "у", "а", "ем", "и", "ам", "ами")),
                       ("генерал", ("", "у", "а", "ом")), ("маршал", ("", "у", "а", "ом")),
                       ("полковник", ("", "у", "а", "ом")), ("подполковник", ("", "у", "а", "ом")),
                       ("капитан", ("", "у", "а", "ом")), ("расшифровал", ("", "а", "и")),
                       ("отпечатал", ("", "а", "и")), ("зашифровал", ("", "а", "и"))):
        both += [stem + e for e in ends]
    for rank in ("лейтенант", "майор", "полковник"):
        both += ["генерал-" + rank + e for e in ("", "у", "а", "ом")]
    words = set(capital)
    for w in both:
        words |= {w, w[0].upper() + w[1:], w.upper()}
    words |= {w.upper() for w in ("comrade", "comrades", "tov.", "товарищ", "товарищу")}
    return sorted(words, key=lambda w: (-len(w), w))


#: A trigger word and the space after it. Literal alternatives only, so the regex
#: engine scans for their first letters quickly; that a trigger does not follow a
#: letter or a dot is checked in code.
_TRIGGER = re.compile(_trie_regex(_trigger_words()) + r"[ \t]+")
_CAPWORD = rf"[{_UP}][\w'’]+(?:-[\w'’]+)*"  # two letters at least: "A" of "A.I." is an initial
_UNKNOWN_NAME = re.compile(
    rf"((?:[{_UP}][{_LO}]?\.[ \t]?){{0,3}}{_CAPWORD}(?:[ \t]{_CAPWORD}){{0,2}})(?!\w)")
_DISTRIBUTION = re.compile(
    "|".join(v for w in ("copies", "distribution list", "distribution", "рассылка", "разослано")
             for v in (w, w.capitalize(), w.upper())) + r"(?!\w)")
#: An item of a distribution list: a capitalised surname before its copy count
#: ("Stalin (2)", "Shvernik - 1"), or standing alone between list punctuation
#: ("Copies: Stalin (2), Suslov, Shvernik.").
_DIST_ITEM = re.compile(
    rf"(?<![\w.])([{_UP}][{_LO}]+(?:-[{_UP}][{_LO}]+)?)"
    r"(?=[ \t]*(?:\([ \t]*\d+[ \t]*\)|-[ \t]*\d+)|[ \t]*(?:[,.;]|$))", re.M)
_LIST_BEFORE = re.compile(r"[:,][ \t\n]*$")
#: Capitalised words that follow a trigger but are not names.
_STOP = {
    w.casefold() for w in """
    ambassador ambassadors commander commander-in-chief minister chairman general marshal colonel
    staff secretary premier president comrade comrades the of and army soviet korean chinese
    embassy government headquarters command ministry administration department deputy chief
    representative consul counsellor adviser advisor council committee party people people's
    i we you he she it they my your our his her their this that these those to from for in on
    copies copy distribution list extremely urgent top secret series no
    assembly secretariat directorate office plan consulate mission delegation in-chief
    командования армии штаба
    посол послу генерал маршал председатель председателю министр министру командующий
    командующему главнокомандующему советской советского посольство посольства экз
    """.split()
}


#: Texts whose names an Authority remembers (then it starts again): bounded memory.
_MEMO_SIZE = 4096


class Authority:
    """The personography and gazetteer, compiled once for fast lookups."""

    def __init__(self, entries: dict[str, etree._Element], kinds: dict[str, str],
                 forms: list[tuple[str, _Form]]) -> None:
        self._entries = entries
        self._kinds = kinds
        # Drop forms that would name two different entries.
        owners: dict[str, set[str]] = defaultdict(set)
        for text, f in forms:
            owners[_norm_form(text)].add(f.ref)
        #: Forms dropped because they would name more than one entry (folded form -> ids).
        self.ambiguous = {k: v for k, v in owners.items() if len(v) > 1}
        index: dict[str, list[tuple[str, _Form]]] = defaultdict(list)
        seen: set[tuple[str, str]] = set()
        cjk: dict[str, _Form] = {}
        for text, f in forms:
            nk = _norm_form(text)
            if _CJK.search(text):
                # Korean and Chinese forms: matched as written, inside words (no spaces
                # between words in Chinese; particles attach to names in Korean).
                if len(owners[nk]) == 1:
                    cjk.setdefault(text.replace(" ", ""), f)
                continue
            rx = _form_regex(text)
            # The same pattern once per entry; "Zhou Enlai" and "Zhou En-lai" are two.
            if len(owners[nk]) > 1 or (rx, f.ref) in seen:
                continue
            seen.add((rx, f.ref))
            index[_key(text)].append((rx, f))
        # Patterns are compiled the first time a text has a word with their key: most
        # of the authority's forms never occur in a given run, and loading stays quick.
        self._raw = dict(index)
        self._cjk = cjk
        self._cjk_re = re.compile(_trie_regex(sorted(cjk, key=lambda w: (-len(w), w)))) \
            if cjk else None
        self._index: dict[str, list[tuple[re.Pattern[str], _Form]]] = {}
        self._memo: dict[tuple[str, str], tuple[Mention, ...]] = {}
        # First words of known names that are not names alone ("Kim", "Pak", "Mao Zedong"'s
        # "Mao" is listed on its own): "Comrade Kim" is ambiguous, not an unknown person.
        self._first_words = {
            re.split(r"[\s\-]+", text)[0].casefold().replace("ё", "е")
            for text, f in forms if f.kind == "person" and len(text.split()) > 1}
        self._first_words -= {_norm_form(text) for text, f in forms if f.kind == "person"}

    # -- loading -----------------------------------------------------------------

    @classmethod
    def load(cls, people: Path | None = None, places: Path | None = None) -> Authority:
        """Read the authority files (defaults: the project's tei/people.xml and tei/places.xml)."""
        entries: dict[str, etree._Element] = {}
        kinds: dict[str, str] = {}
        forms: list[tuple[str, _Form]] = []
        for path in (people or resources.people_path(), places or resources.places_path()):
            root = xmlsafe.parse(path).getroot()
            for kind, tag in _ENTITY_TAGS.items():
                for el in root.iter(f"{{{TEI}}}{tag}"):
                    ref = el.get(XML_ID)
                    if not ref:
                        continue
                    entries[ref] = el
                    kinds[ref] = kind
                    for name_el in el.findall(f"{{{TEI}}}{_NAME_TAGS[kind]}"):
                        pseudo = name_el.get("type") == "pseudonym"
                        for text in _forms_of(name_el, kind):
                            forms.append((text, _Form(ref, kind, pseudo, text[0].isupper())))
        return cls(entries, kinds, forms)

    # -- lookups -----------------------------------------------------------------

    def entry(self, ref: str) -> etree._Element:
        """A deep copy of the person/place/org element with this xml:id (KeyError if none)."""
        return copy.deepcopy(self._entries[ref.lstrip("#")])

    def kind(self, ref: str) -> str:
        """"person", "place" or "org" for an xml:id of the authority files."""
        return self._kinds[ref.lstrip("#")]

    def reg_name(self, ref: str) -> str:
        """The regularised name of an entry ("Iosif Vissarionovich Stalin")."""
        el = self._entries[ref.lstrip("#")]
        for name_el in el:
            if isinstance(name_el.tag, str) and name_el.get("type") == "reg":
                return _text(name_el)
        return ref

    @property
    def refs(self) -> list[str]:
        """Every xml:id of the authority files, in file order."""
        return list(self._entries)

    # -- finding -----------------------------------------------------------------

    def find(self, text: str, lang: str = "en") -> list[Mention]:
        """Names in ``text``: sorted, non-overlapping, the longest match at the leftmost start."""
        # The same short runs recur (glosses, unit names, "the Chinese comrades", a
        # bracket tested as a person and then annotated): each is looked up once.
        memo = self._memo
        key = (text, lang)
        found = memo.get(key)
        if found is None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            found = memo[key] = tuple(self._find(text))
        return list(found)

    def _compile_key(self, key: str) -> list[tuple[re.Pattern[str], _Form]]:
        """The patterns of the forms whose first word begins with ``key``."""
        return [(re.compile(p, re.IGNORECASE), f) for p, f in self._raw.get(key, ())]

    def _find(self, text: str) -> list[Mention]:
        norm, pos, runs = _collapse(text)
        # (start, end, ref, kind, pseudonym, implied word breaks) in the collapsed text
        found: list[tuple[int, int, str | None, str, bool, tuple[int, ...]]] = []
        last = 0
        index = self._index
        low = norm.lower().replace("ё", "е")
        if len(low) != len(norm):  # a character whose lower case is longer: fold per word
            low = "".join(c.lower()[:1] for c in norm).replace("ё", "е")
        for w in _WORD.finditer(norm):
            s, we = w.span()
            if s < last:
                continue  # inside the previous name
            if we - s >= 3:
                key = low[s:s + 3]
            elif norm[we:we + 1] in ("'", "’"):
                key = (low[s:we] + low[we + 1:we + 3])[:3]  # P'eng
            else:
                key = low[s:we]
            cands = index.get(key)
            if cands is None:
                cands = index[key] = self._compile_key(key)
            if not cands:
                continue
            best = None
            upper = norm[s].isupper()
            for pat, form in cands:
                # The case test first: "and" is tried against no "Andrei" pattern.
                if form.capital and not upper:
                    continue
                mm = pat.match(norm, s)
                if not mm:
                    continue
                if best is None or mm.end() > best[0]:
                    best = (mm.end(), form, mm)
            if best is None:
                continue
            e, form, mm = best
            breaks = tuple(mm.start(g) for g in range(1, (mm.re.groups or 0) + 1)
                           if mm.start(g) == mm.end(g) and mm.start(g) >= 0)
            if form.kind == "person":
                s2, e = self._with_initials(norm, s, e)
                s = s2 if s2 >= last else s  # initials already taken by the name before
            found.append((s, e, form.ref, form.kind, form.pseudonym, breaks))
            last = e
        if self._cjk_re is not None and _CJK.search(norm):
            found.extend(self._find_cjk(norm, found))
            found.sort()
        found.extend(self._unknown(norm, found))
        found.sort()
        mentions = []
        last_end = -1
        for s, e, ref, kind, pseudo, breaks in found:
            if s < last_end:
                continue
            last_end = e
            name = norm[s:e]
            if pos:
                os_, oe = pos[s], pos[e - 1] + 1
                spaced = any(a < oe and os_ < b for a, b in runs)
                if spaced and breaks:
                    # "М А О Ц З Е - Д У Н" closes up to "МАОЦЗЕ-ДУН": put back the
                    # word break the authority's form has ("МАО ЦЗЕ-ДУН").
                    cut = [b - s for b in breaks if s < b < e]
                    for c in reversed(cut):
                        name = name[:c] + " " + name[c:]
            else:
                os_, oe, spaced = s, e, False
            mentions.append(Mention(os_, oe, kind, ref, pseudo, spaced, text[os_:oe], name))
        return mentions

    def _find_cjk(self, text: str, known: list[tuple]) -> list[tuple]:
        """Korean and Chinese names, longest first, where no other name stands."""
        out = []
        spans = [(k[0], k[1]) for k in known]
        for m in self._cjk_re.finditer(text):  # type: ignore[union-attr]
            a, b = m.span()
            if any(x < b and a < y for x, y in spans):
                continue
            f = self._cjk[m.group()]
            out.append((a, b, f.ref, f.kind, f.pseudonym, ()))
        return out

    @staticmethod
    def _with_initials(text: str, s: int, e: int) -> tuple[int, int]:
        before = _INITIALS_BEFORE.search(text[max(0, s - 12):s])
        if before and before.group(1).split()[0] not in _NOT_INITIALS:
            s -= len(before.group(1))
        after = _INITIALS_AFTER.match(text[e:e + 12])
        if after:
            e += len(after.group(1).rstrip())
        return s, e

    def _unknown(self, text: str, known: list[tuple]) -> list[tuple]:
        """People not in the file: capitalised names after a trigger or in a distribution list."""
        known_starts = [k[0] for k in known]
        starts = list(known_starts)  # known mentions and those added here: sorted, disjoint
        ends = [k[1] for k in known]

        def free(a: int, b: int) -> bool:
            i = bisect.bisect_right(starts, a) - 1
            if i >= 0 and ends[i] > a:
                return False
            return not (i + 1 < len(starts) and starts[i + 1] < b)

        def take(a: int, b: int) -> None:
            i = bisect.bisect_left(starts, a)
            starts.insert(i, a)
            ends.insert(i, b)

        out = []
        for t in _TRIGGER.finditer(text):
            if t.start() and (text[t.start() - 1].isalnum() or text[t.start() - 1] in "._"):
                continue
            m = _UNKNOWN_NAME.match(text, t.end())
            if not m:
                continue
            words = m.group(1).split(" ")
            # Cut at the first word that is not a name (a title, "the", ...).
            keep = []
            for w in words:
                if w.rstrip(".").casefold() in _STOP:
                    break
                keep.append(w)
            while keep and re.fullmatch(rf"[{_UP}][{_LO}]?\.", keep[-1]):
                keep.pop()  # initials alone are not a name
            if not keep or not any(len(w.strip(".")) >= 2 and not w.endswith(".") for w in keep):
                continue
            if len(keep) == 1 and keep[0].casefold().replace("ё", "е") in self._first_words:
                continue  # "Comrade Kim": one of several known people
            name = " ".join(keep)
            a, b = self._with_initials(text, m.start(1), m.start(1) + len(name))
            if free(a, b):
                out.append((a, b, None, "person", False, ()))
                take(a, b)
        for d in _DISTRIBUTION.finditer(text):
            if d.start() and text[d.start() - 1].isalnum():
                continue
            region = _distribution_region(text, d.end())
            # Bare words count only in a real list: one that names a known person.
            i = bisect.bisect_left(known_starts, d.end())
            listed = any(k[3] == "person" and k[0] < region for k in known[i:i + 40]
                         if k[0] >= d.end())
            for m in _DIST_ITEM.finditer(text, d.end(), region):
                a, b = m.span(1)
                counted = not re.match(r"[ \t]*(?:[,.;]|$)", text[b:b + 3])
                if not counted and not (listed and _LIST_BEFORE.search(text[max(0, a - 4):a])):
                    continue  # a bare word counts only between list punctuation
                if m.group(1).casefold() not in _STOP and free(a, b):
                    out.append((a, b, None, "person", False, ()))
                    take(a, b)
        return out


def _distribution_region(text: str, start: int) -> int:
    """End of a distribution list: its paragraph, continued while a paragraph ends with a comma."""
    end = start
    limit = min(len(text), start + 600)
    while end < limit:
        brk = text.find("\n\n", end, limit)
        if brk < 0:
            return limit
        if text[start:brk].rstrip().endswith((",", ":")):
            end = brk + 2
            continue
        return brk
    return limit


_DEFAULT: Authority | None = None


def default_authority() -> Authority:
    """The project's authority files, loaded once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Authority.load()
    return _DEFAULT
