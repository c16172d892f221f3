"""Words kept by a rendering: the word multiset of a TEI file's ``<text>`` against the
words of its HTML page or text edition (issue 12: at least 95 % on any TEI).

The TEI side is read as a reader reads it: a line break (``lb``) parts words unless it
says ``break="no"``, where the two halves are one word. On the rendered side the Leiden
signs ``( ) [ ]`` are not letters: ``Imp(eratori)`` and ``[Caesar]is`` are one word each.
Words are runs of letters, so numbers (line numbers, note calls) never count, and case
is folded (the text edition prints headings in capitals). Elements that are never part of
a word (an index entry, a role and its description, a speaker, a stage direction, any
block) part the words around them, as they do for a reader of the TEI.
"""

from __future__ import annotations

import copy
import re
from collections import Counter

from lxml import etree, html

TEI = "{http://www.tei-c.org/ns/1.0}"
_WORD = re.compile(r"[^\W\d_]+")
_LEIDEN = re.compile(r"[()\[\]]")
_PARTING = {f"{TEI}{n}" for n in (
    "index", "term", "role", "roleDesc", "castItem", "speaker", "stage", "head", "p", "ab", "l",
    "lg", "sp", "item", "cell", "row", "div", "list", "label", "space", "note", "castList")}


def words(s: str) -> Counter:
    return Counter(_WORD.findall(_LEIDEN.sub("", s).casefold()))


def tei_words(tree: etree._ElementTree) -> Counter:
    root = copy.deepcopy(tree.getroot())
    texts = [t for t in root.iter(f"{TEI}text")
             if not any(a.tag == f"{TEI}text" for a in t.iterancestors())]
    for t in texts:
        for el in t.iter(*_PARTING):
            el.text = " " + (el.text or "")
            el.tail = " " + (el.tail or "")
        for lb in t.iter(f"{TEI}lb"):
            if lb.get("break") == "no":
                prev = lb.getprevious()
                if prev is not None:
                    prev.tail = (prev.tail or "").rstrip()
                else:
                    lb.getparent().text = (lb.getparent().text or "").rstrip()
                lb.tail = (lb.tail or "").lstrip()
            else:
                lb.tail = " " + (lb.tail or "")
    return words(" ".join(etree.tostring(t, method="text", encoding="unicode") for t in texts))


_BLOCKS = {"p", "div", "section", "li", "ul", "ol", "br", "td", "th", "tr", "h1", "h2", "h3",
           "h4", "h5", "h6", "dt", "dd", "blockquote", "figure", "figcaption", "header", "footer"}


def html_words(page: str) -> Counter:
    """The words a reader sees: inline elements join, blocks and line breaks part."""
    body = html.fromstring(page.encode()).xpath("//body")[0]
    for el in body.iter():
        if el.tag in _BLOCKS or "blk" in (el.get("class") or "").split():
            el.text = " " + (el.text or "")
            el.tail = " " + (el.tail or "")
    return words(body.text_content())


def kept(source: Counter, rendered: Counter) -> float:
    total = sum(source.values())
    return sum(min(n, rendered[w]) for w, n in source.items()) / total if total else 1.0


def missing(source: Counter, rendered: Counter) -> dict[str, int]:
    return {w: n - rendered[w] for w, n in source.items() if rendered[w] < n}
