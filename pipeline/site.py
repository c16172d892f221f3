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

import shutil
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from pipeline.files import write_atomic
from pipeline.render import Renderer, corpus, doc_id

ASSETS = ("teipipe.css", "site.js")


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


def write_indexes(renderer: Renderer, summaries: Iterable[etree._Element],
                  out_dir: str | Path) -> list[str]:
    """Write index.html and the person and place pages; return the paths written."""
    pages = renderer.run_pages("site", corpus(summaries), out_dir)
    write_assets(renderer, out_dir)
    return pages


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
