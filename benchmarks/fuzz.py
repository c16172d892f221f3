"""Fuzzing the converter: plausible records from the generator, then mutated the way
files that travel get mutated, each checked for the converter's four promises.

A case is ``(seed, size, ops)``: the generator's record for ``seed`` with ``size``
paragraphs, then each mutation of ``ops`` applied in order. A mutation is
``(kind, a, b)``: ``a`` and ``b`` are plain integers that pick the place and the
variant, so a case is a small tuple of numbers -- hypothesis can draw and shrink it
(tests/test_fuzz_convert.py), and ``python -m benchmarks fuzz -n N`` can draw it from
one ``random.Random`` and count outcomes over a long run.

For every case, :class:`Checker` checks:

- no exception (a clean refusal with one :class:`~pipeline.errors.Problem` is fine:
  a record cut before its body cannot be converted; an "internal" refusal is a bug);
- valid TEI: the project's schema, Schematron and rules, and tei_all (libxml2's
  RELAX NG over the tei_all.rng the Validator uses);
- nothing lost: the diplomatic text equals the source body after
  :func:`pipeline.render.diplomatic.normalise`;
- deterministic: converting the record again gives the same bytes.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.generator import record_text

#: The mutation kinds, each a way the archive's exports (or an editor's copy of
#: them) have been seen to differ from the clean form.
MUTATIONS: tuple[str, ...] = (
    "control",          # a C0 control character or DEL from a bad copy and paste
    "nonchar",          # U+FFFE / U+FFFF, not characters at all
    "url-digit",        # the record URL ends in a superscript or non-ASCII digit
    "digits",           # digits of another script (Arabic-Indic, fullwidth, superscript)
    "capitals",         # a line, or the whole record, in capitals
    "comma-no-space",   # "Stalin (2),Molotov"
    "thousands",        # "1,000" / "12,000" in running text or a list
    "dashes",           # "---" (and other dash runs) in a holding or a line
    "empty-section",    # a section label with nothing under it, an empty list
    "truncate",         # the export cut short anywhere
    "bracket",          # stray brackets, quotation marks, Markdown marks
    "rule",             # rule lines of all kinds between paragraphs
    "drop-line",        # a line missing
    "dup-line",         # a line doubled
    "space",            # tabs, no-break spaces, doubled spaces
    "markdown",         # a heading mark, emphasis around a word
    "quotes",           # quotation marks that open paragraphs and never close
    "url-chars",        # characters a URI cannot hold in the record URL
    "section",          # another labelled header section, with or without text
)

_CONTROLS = [chr(c) for c in range(1, 32) if c not in (9, 10, 13)] + ["\x7f", "\x85"]
_NONCHARS = ["\ufffe", "\uffff"]
_DIGIT_SETS = ("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "०१२३४५६७८९", "０１２３４５６７８９",
               "⁰¹²³⁴⁵⁶⁷⁸⁹", "₀₁₂₃₄₅₆₇₈₉", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗")
_DASHES = ("---", "--", "—", "–", "- - -", "----------")
_EMPTY_LABELS = ("Copies:", "Copies: .", "Distribution list - 3 copies:", "Copy to Comrade",
                 "1.", "a)", "[]", "[ ]", "()", "**", "*", "\\*", "#", "-", "No.", "Sent",
                 "Received", "Copy No.", "To Comrade", "Listy")
_BRACKETS = ("[", "]", "(", ")", '"', "“", "”", "«", "»", "*", "**", "_", "\\", "<", ">",
             "&", "{", "}", "[...]", "[sic]", "[?]", "[illegible]", "|", "`", "~")
_RULES = ("-----", "\\* \\* \\*", "* * *", "***", "___", "=====", "- - -", "——————",
          "~~~", "\\* \\* \\* \\* \\*", "---", "* * * * *", "-------------------")
_SPACES = ("\t", "\u00a0", "  ", " \t ", "\u2003", "\u200b", "\u3000")
_URL_CHARS = ("[1]", "|", "%", "%zz", "#a#b", "ä", "¹", " ", "{x}", "\\", "^", "`", '"', "..",
              "/", "?q=1&r=2", "#", "%41", "-", "_")
_SECTIONS = ("Keywords", "Credits", "Subjects", "Record Type", "Associated Places", "Source",
             "Notes")
_MARKDOWN = ("# ", "## ", "**", "*", "- ", "> ", "1. ")


def _nth(matches: list[re.Match], a: int) -> re.Match | None:
    return matches[a % len(matches)] if matches else None


def _lines(text: str) -> list[str]:
    return text.split("\n")


def mutate(text: str, kind: str, a: int, b: int) -> str:
    """``text`` with one mutation of ``kind``; ``a`` and ``b`` pick where and which."""
    n = max(len(text), 1)
    pos = a % n
    if kind == "control":
        return text[:pos] + _CONTROLS[b % len(_CONTROLS)] + text[pos:]
    if kind == "nonchar":
        return text[:pos] + _NONCHARS[b % 2] + text[pos:]
    if kind == "url-digit":
        m = _nth(list(re.finditer(r"/document/\d+", text)), a)
        if not m:
            return text
        digits = _DIGIT_SETS[b % len(_DIGIT_SETS)]
        d = digits[(b // len(_DIGIT_SETS)) % 10]
        if (b // 70) % 2:  # the last digit replaced, else one appended
            return text[: m.end() - 1] + d + text[m.end():]
        return text[: m.end()] + d + text[m.end():]
    if kind == "digits":
        m = _nth(list(re.finditer(r"\d+", text)), a)
        if not m:
            return text
        digits = _DIGIT_SETS[b % len(_DIGIT_SETS)]
        new = "".join(digits[int(c)] if c.isascii() else c for c in m.group(0))
        return text[: m.start()] + new + text[m.end():]
    if kind == "capitals":
        if b % 3 == 0:
            return text.upper()
        lines = _lines(text)
        k = a % len(lines)
        lines[k] = lines[k].upper()
        return "\n".join(lines)
    if kind == "comma-no-space":
        m = _nth(list(re.finditer(r"[,;] (?=\S)", text)), a)
        return text if not m else text[: m.start() + 1] + text[m.end():]
    if kind == "thousands":
        nums = list(re.finditer(r"\b\d{4,6}\b", text))
        m = _nth(nums, a)
        if m and b % 2:
            s = m.group(0)
            return text[: m.start()] + f"{int(s):,}" + text[m.end():]
        number = f"{(b % 997 + 1) * 1000:,}"
        lines = _lines(text)
        k = a % len(lines)
        lines[k] = lines[k] + (f" {number}" if b % 3 else f" ({number})")
        return "\n".join(lines)
    if kind == "dashes":
        dash = _DASHES[b % len(_DASHES)]
        m = _nth(list(re.finditer(r", (?=(?:f|Fond|fond|op|Opis|opis|d|Delo|delo|Listy|listy|ll|l)"
                                  r"\b)", text)), a)
        if m and b % 2:  # inside a holding
            return text[: m.end()] + dash + " " + text[m.end():]
        lines = _lines(text)
        k = a % len(lines)
        lines[k] = f"{lines[k]} {dash}" if (b // 2) % 2 else dash
        return "\n".join(lines)
    if kind == "empty-section":
        lines = _lines(text)
        labels = [i for i, s in enumerate(lines)
                  if re.fullmatch(r"\**(Citation|Summary|Original Language|Contents):\**", s)]
        if labels and b % 2:
            i = labels[a % len(labels)]
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            while j < len(lines) and lines[j].strip():
                lines[j] = ""
                j += 1
            return "\n".join(lines)
        k = a % len(lines)
        return "\n".join(lines[:k] + ["", _EMPTY_LABELS[b % len(_EMPTY_LABELS)], ""]
                         + lines[k:])
    if kind == "truncate":
        return text[: max(pos, 1)]
    if kind == "bracket":
        return text[:pos] + _BRACKETS[b % len(_BRACKETS)] + text[pos:]
    if kind == "rule":
        lines = _lines(text)
        k = a % len(lines)
        return "\n".join(lines[:k] + ["", _RULES[b % len(_RULES)], ""] + lines[k:])
    if kind == "drop-line":
        lines = _lines(text)
        if len(lines) > 1:
            del lines[a % len(lines)]
        return "\n".join(lines)
    if kind == "dup-line":
        lines = _lines(text)
        k = a % len(lines)
        return "\n".join(lines[: k + 1] + ([""] if b % 2 else []) + lines[k:])
    if kind == "space":
        return text[:pos] + _SPACES[b % len(_SPACES)] + text[pos:]
    if kind == "markdown":
        mark = _MARKDOWN[b % len(_MARKDOWN)]
        lines = _lines(text)
        k = a % len(lines)
        if mark in ("**", "*") and lines[k].strip():
            words = lines[k].split(" ")
            w = (b // 7) % len(words)
            words[w] = f"{mark}{words[w]}{mark}"
            lines[k] = " ".join(words)
        else:
            lines[k] = mark + lines[k]
        return "\n".join(lines)
    if kind == "quotes":
        lines = _lines(text)
        for k in range(a % len(lines), len(lines), 1 + b % 3):
            if lines[k][:1].isalpha():
                lines[k] = "\u201c" + lines[k] if (b // 3) % 2 else '"' + lines[k]
        return "\n".join(lines)
    if kind == "url-chars":
        m = _nth(list(re.finditer(r"/document/[^\s>]*", text)), a)
        if not m:
            return text
        at = m.start() + 10 + (b // 20) % max(1, m.end() - m.start() - 9)
        return text[:at] + _URL_CHARS[b % len(_URL_CHARS)] + text[at:]
    if kind == "section":
        m = _nth(list(re.finditer(r"^\**Contents:", text, re.M)), a)
        if not m:
            return text
        label = _SECTIONS[b % len(_SECTIONS)]
        body = ("" if b % 3 == 0 else "Korean War; armistice" if b % 3 == 1
                else "**Keywords:** none")
        return text[: m.start()] + f"{label}:\n\n{body}\n\n" + text[m.start():]
    raise ValueError(f"unknown mutation {kind!r}")


Op = tuple[str, int, int]


def case_text(seed: int, size: int, ops: list[Op] | tuple[Op, ...]) -> str:
    """The record of one fuzz case: generated from ``seed``, then mutated by ``ops``."""
    text = record_text(seed, size)
    for kind, a, b in ops:
        text = mutate(text, kind, a, b)
    return text


def random_case(rng: random.Random) -> tuple[int, int, list[Op]]:
    """A case drawn from ``rng``: mostly one or two mutations, sometimes none or four."""
    seed = rng.randrange(2**32)
    size = rng.choice((1, 2, 3, 4, 6, 9, 14))
    k = rng.choice((0, 1, 1, 1, 2, 2, 3, 4))
    ops = [(rng.choice(MUTATIONS), rng.randrange(10**6), rng.randrange(10**6))
           for _ in range(k)]
    return seed, size, ops


@dataclass
class Outcome:
    """What one case did: ``failures`` is empty when every promise held."""

    refused: str = ""  # the problem's code when the record was refused cleanly
    failures: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail)


class Checker:
    """Converts and checks records; the converter, validator and schemas are loaded once."""

    def __init__(self) -> None:
        from lxml import etree

        from pipeline import xmlsafe
        from pipeline.convert import Converter
        from pipeline.validate.validator import Validator

        self.converter = Converter()
        self.validator = Validator()
        # the tei_all.rng the Validator itself would use, with libxml2 (one jing
        # start per case would cost more than the conversion)
        self.tei_all = etree.RelaxNG(xmlsafe.parse(self.validator._tei_all_path))

    def check(self, text: str, name: str = "fuzz.txt") -> Outcome:
        """Convert ``text`` and check it (see the module's docstring)."""
        from pipeline import xmlsafe
        from pipeline.convert.reader import read_record
        from pipeline.convert.sourcefile import decode
        from pipeline.errors import InputError
        from pipeline.render.diplomatic import diplomatic, normalise

        out = Outcome()
        try:
            conv = self.converter.convert_text(text, name)
        except InputError as e:
            if e.problem.code == "internal":
                out.failures.append(("exception", e.problem.message))
            else:
                out.refused = e.problem.code
            return out
        except Exception as e:  # noqa: BLE001 - any exception is the finding
            out.failures.append(("exception", f"{type(e).__name__}: {e}"))
            return out
        target = f"{conv.id}.xml"
        errors = [p for p in self.validator.validate_bytes(conv.tei, target)
                  if p.severity == "error"]
        if errors:
            out.failures.append(("invalid", "; ".join(p.format() for p in errors[:3])))
        try:
            tree = xmlsafe.parse(target, conv.tei)
        except InputError as e:
            out.failures.append(("tei-all", e.problem.format()))
        else:
            if not self.tei_all.validate(tree):
                out.failures.append(("tei-all", str(self.tei_all.error_log.last_error)))
        # the body as the converter sees it: after decoding (which marks the
        # characters XML cannot hold), before any encoding
        body = read_record(decode(text.encode("utf-8"), name).text, name).body
        a, b = normalise(body), normalise(diplomatic(conv.tei))
        if a != b:
            out.failures.append(("lost", first_difference(a, b)))
        if self.converter.convert_text(text, name).tei != conv.tei:
            out.failures.append(("nondeterministic", "a second conversion differs"))
        return out


def first_difference(a: str, b: str) -> str:
    """Where ``a`` (the source) and ``b`` (the TEI's text) first part, for a message."""
    import difflib

    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "equal":
            return (f"{op}: source {a[max(0, i1 - 30):i2 + 30]!r} / "
                    f"TEI {b[max(0, j1 - 30):j2 + 30]!r}")
    return ""


def run(n: int, seed: int = 1, out: str | Path | None = None, progress: int = 500) -> Counter:
    """Check ``n`` random cases; count outcomes; write each failing record to ``out``."""
    rng = random.Random(seed)
    checker = Checker()
    counts: Counter = Counter()
    folder = Path(out) if out else None
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        case = random_case(rng)
        text = case_text(*case)
        result = checker.check(text)
        counts["cases"] += 1
        if result.refused:
            counts["refused"] += 1
            counts[f"refused:{result.refused}"] += 1
        for kind, detail in result.failures:
            counts[kind] += 1
            print(f"case {i} {case!r}: {kind}: {detail}", flush=True)
        if result.failures:
            counts["failed"] += 1
            if folder:
                (folder / f"case-{i:06d}.txt").write_text(text, encoding="utf-8")
        if progress and (i + 1) % progress == 0:
            print(f"... {i + 1} cases: {dict(sorted(counts.items()))}", flush=True)
    return counts
