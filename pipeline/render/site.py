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

from pipeline.files import write_atomic
from pipeline.render import Renderer, doc_id
from pipeline.render.summary import pack_summary

ASSETS = ("teipipe.css", "site.js", "search.js")

def write_page(renderer: Renderer, tree: etree._ElementTree, out_dir: str | Path,
               name: str = "<tree>", tei_bytes: bytes | None = None) -> tuple[str, etree._Element]:
    """Write one telegram's page (and its TEI copy); return its id and summary."""
    out = Path(out_dir)
    ident = doc_id(tree, Path(name).stem)
    write_atomic(out / f"{ident}.html", renderer.html(tree, name=name))
    if tei_bytes is None:
        tei_bytes = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    write_atomic(out / "tei" / f"{ident}.xml", tei_bytes)
    return ident, renderer.summary(tree, name=name, file=f"{ident}.xml")


def write_assets(renderer: Renderer, out_dir: str | Path) -> None:
    """Copy the site's stylesheet and script (local files only: no CDN, no web fonts)."""
    for asset in ASSETS:
        write_atomic(Path(out_dir) / "assets" / asset, (renderer.xslt_dir / asset).read_bytes())


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
                  pages: Iterable[str] | None = None) -> list[str]:
    """Write index.html and the person and place pages; return the paths written.

    ``pages`` (paths relative to the site): only these; default every page.
    """
    wanted = " ".join(sorted(pages)) if pages is not None else ""
    if pages is not None and not wanted:
        written = []
    else:
        written = renderer.run_pages("site", corpus_xml(summaries, shared), out_dir,
                                     pages=wanted)
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
            src = Path(tei_dir) / s.get("file", "")
            dst = Path(out_dir) / "tei" / s.get("file", "")
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
