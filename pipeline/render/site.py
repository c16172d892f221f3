"""The static HTML site: one page per telegram plus index, person and place pages.

The pages come from the stylesheets (``xslt/html.xsl`` per document, ``xslt/site.xsl``
over the concatenated summaries); this module only feeds them and writes files::

    site/index.html             filterable, sortable list of telegrams (assets/site.js)
    site/<id>.html              one page per telegram
    site/tei/<id>.xml           the TEI file the page was made from
    site/persons/<id>.html      one page per person (and persons/index.html)
    site/places/<id>.html       one page per place (and places/index.html)
    site/assets/teipipe.css, site.js

No page loads anything from the network.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from html import unescape
from pathlib import Path

from lxml import etree

from pipeline.errors import InputError, Problem, printable
from pipeline.files import UnsafePath, inside, safe_id, write_atomic
from pipeline.render import Renderer, output_id
from pipeline.render.summary import pack_summary

ASSETS = ("teipipe.css", "site.js", "search.js")

def write_page(renderer: Renderer, tree: etree._ElementTree, out_dir: str | Path,
               name: str = "<tree>", tei_bytes: bytes | None = None) -> tuple[str, etree._Element]:
    """Write one telegram's page (and its TEI copy); return its id and summary."""
    out = Path(out_dir)
    ident = output_id(tree, name, ("html",))
    page = renderer.html(tree, name=name)
    if tei_bytes is None:
        tei_bytes = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    summary = renderer.summary(tree, name=name, file=f"{ident}.xml")
    try:
        targets = [inside(out, f"{ident}.html"), inside(out, f"tei/{ident}.xml")]
    except UnsafePath as e:
        raise InputError(Problem(name, 0, 0, "error", "unsafe-path", str(e),
                                 "nothing was written for this file")) from None
    write_atomic(targets[0], page)
    write_atomic(targets[1], tei_bytes)
    return ident, summary


def write_assets(renderer: Renderer, out_dir: str | Path) -> None:
    """Copy the site's stylesheet and script (local files only: no CDN, no web fonts)."""
    for asset in ASSETS:
        try:
            target = inside(out_dir, f"assets/{asset}")
        except UnsafePath as e:
            raise InputError(Problem(str(out_dir), 0, 0, "error", "unsafe-path", str(e),
                                     "remove the link from the output folder")) from None
        write_atomic(target, (renderer.xslt_dir / asset).read_bytes())


_MENTION_REF = re.compile(r'<mention\b[^>]*?\sref="([^"]*)"')


def unsafe_refs(corpus: str) -> tuple[set[str], set[str]]:
    """The person and place ids in the corpus document that cannot name a page
    (not NCNames; summary.xsl leaves them out, so they come only from elsewhere),
    and those that are NCNames but taken by an index page (``index``)."""
    refs = {unescape(r) for r in _MENTION_REF.findall(corpus)}
    bad = {r for r in refs if r and not safe_id(r)}
    return bad, refs & RESERVED_PAGES


#: Page names the site uses for itself in persons/ and places/.
RESERVED_PAGES = {"index"}


_DOC_TAG = re.compile(r"<doc\b[^>]*>")
_ATTR = re.compile(r'\s([\w:.-]+)="([^"]*)"')


def _sort_key(summary: str) -> tuple[str, str]:
    m = _DOC_TAG.search(summary)
    attrs = dict(_ATTR.findall(m.group(0))) if m else {}
    return unescape(attrs.get("sort", "")), unescape(attrs.get("id", ""))


def corpus_xml(summaries: Iterable[str | etree._Element], shared: dict[str, str] | None = None
               ) -> str:
    """The input of site.xsl: the summaries sorted by date then id, each personography
    entry once.

    A summary is either packed by the build (its entries replaced by keys into
    ``shared``) or as summary.xsl made it (entries inline). Each document keeps
    ``<use key>`` references; the entries follow once each, in the order the sorted
    documents first use them, so "the first document's copy" of an id comes first.
    Strings are joined, not parsed: at 10,000 records this document is the corpus
    pages' whole input.
    """
    shared = {} if shared is None else dict(shared)
    rows = []
    for s in summaries:
        if not isinstance(s, str):
            s = etree.tostring(s, encoding="unicode")
        if "<entry>" in s:
            s = pack_summary(s, shared)
        rows.append((_sort_key(s), s))
    rows.sort(key=lambda r: r[0])
    first_use: dict[str, None] = {}
    parts = ["<corpus>"]
    for _, s in rows:
        pieces = s.split("\x00")
        for i in range(1, len(pieces), 2):
            first_use.setdefault(pieces[i])
            pieces[i] = f'<use key="{pieces[i]}"/>'
        parts.append("".join(pieces))
    parts.append("<entries>")
    parts += [f'<entry key="{k}">{shared[k][len("<entry>"):]}' for k in first_use]
    parts.append("</entries></corpus>")
    return "".join(parts)


def write_indexes(renderer: Renderer, summaries: Iterable[etree._Element | str],
                  out_dir: str | Path, *, shared: dict[str, str] | None = None,
                  pages: Iterable[str] | None = None,
                  problems: list[Problem] | None = None) -> list[str]:
    """Write index.html and the person and place pages; return the paths written.

    ``pages`` (paths relative to the site): only these; default every page.
    ``problems``, if given, receives warnings about entries that get no page.
    """
    wanted = " ".join(sorted(pages)) if pages is not None else ""
    if pages is not None and not wanted:
        written = []
    else:
        corpus = corpus_xml(summaries, shared)
        # The pages are named from these ids by site.xsl (which also takes only
        # NCNames): an id that could leave the folder stops the pages here, before
        # Saxon writes anything.
        bad, reserved = unsafe_refs(corpus)
        if bad:
            raise InputError(Problem(str(out_dir), 0, 0, "error", "unsafe-id",
                                     f"person or place ids that cannot name a page: "
                                     f"{', '.join(sorted(printable(b) for b in bad))[:200]}",
                                     "the summaries were not made by teipipe's summary.xsl; "
                                     "rebuild with --force"))
        if problems is not None:
            for r in sorted(reserved):
                problems.append(Problem(str(out_dir), 0, 0, "warning", "reserved-id",
                                        f"a person or place has the id \"{r}\", the name of "
                                        "an index page: it gets no page of its own",
                                        "give it another xml:id"))
        written = renderer.run_pages("site", corpus, out_dir, pages=wanted)
    write_assets(renderer, out_dir)
    return written


def write_site(summaries: Iterable[etree._Element], tei_dir: str | Path | None,
               out_dir: str | Path, renderer: Renderer | None = None) -> list[str]:
    """Corpus-level pages from document summaries (``Renderer.summary``).

    ``tei_dir``, if given, is a folder of TEI files copied to ``out_dir/tei/`` (the
    telegram pages link to them) when they are not there already.
    """
    renderer = renderer or Renderer()
    summaries = list(summaries)
    if tei_dir is not None:
        for s in summaries:
            try:  # the file name comes from the summary: both ends are checked
                src = inside(tei_dir, s.get("file", ""))
                dst = inside(out_dir, f"tei/{s.get('file', '')}")
            except UnsafePath as e:
                raise InputError(Problem(str(tei_dir), 0, 0, "error", "unsafe-path", str(e),
                                         "nothing was copied")) from None
            if src.is_file() and src.resolve() != dst.resolve():
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)
    return write_indexes(renderer, summaries, out_dir)


def build_site(trees: Iterable[tuple[str, etree._ElementTree]], out_dir: str | Path,
               renderer: Renderer | None = None) -> list[str]:
    """Every telegram page, then the indexes: the whole site from parsed TEI ``(name, tree)``."""
    renderer = renderer or Renderer()
    summaries = []
    for name, tree in trees:
        _, summary = write_page(renderer, tree, out_dir, name)
        summaries.append(summary)
    return write_indexes(renderer, summaries, out_dir)
