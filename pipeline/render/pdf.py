"""The print edition: PDFs through WeasyPrint from the HTML that ``xslt/print.xsl`` makes.

    book(tei_paths, "book.pdf")          the corpus as a book (title page, contents with
                                         page numbers, one chapter per telegram, running
                                         heads, footnotes, person index with page numbers)
    telegram_pdf(tree, "wcda-1.pdf")     one telegram

The layout lives in ``xslt/print.xsl`` and ``xslt/print.css``; fonts are the system's
DejaVu (Latin and Cyrillic) and Noto CJK (Chinese, Korean, Japanese), referenced by
family name, never downloaded. The PDF is tagged (PDF/UA-1: headings, paragraphs,
tables and the reading order for screen readers, the language of each passage).
Output is deterministic: no creation date, a PDF identifier derived from the content.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from lxml import etree

from pipeline import resources, xmlsafe
from pipeline.errors import InputError, Problem
from pipeline.files import safe_id, write_atomic
from pipeline.render import TEI_NS, Renderer

# WeasyPrint reports every CSS property it does not know; the print CSS is ours and tested.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def _own_file(url: str, root: Path) -> Path:
    """The file a ``file:`` URL names, if it lies inside ``root``; else ValueError."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ValueError(f"refused: {url} (only the stylesheet folder's own files are read)")
    path = Path(url2pathname(unquote(parts.path))).resolve()
    try:
        path.relative_to(root.resolve())
    except ValueError:
        raise ValueError(f"refused: {url} lies outside {root}") from None
    if not path.is_file():
        raise ValueError(f"refused: {url} is not a file")
    return path


def _fetcher(root: Path | None = None):  # noqa: ANN202
    """Resources come from the stylesheet folder only (print.css): nothing from the
    network, nothing else from the disk, whatever URL a document put in the page."""
    root = root or resources.xslt_dir()
    try:  # WeasyPrint >= 68: a fetcher object
        from weasyprint.urls import URLFetcher

        class OwnFiles(URLFetcher):
            def fetch(self, url, headers=None):  # noqa: ANN001, ANN202
                _own_file(url, root)
                return super().fetch(url, headers)

        return OwnFiles(allowed_protocols={"file"})
    except ImportError:  # older WeasyPrint: a function
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            _own_file(url, root)
            return default_url_fetcher(url, *args, **kwargs)

        return fetch


def html_to_pdf(html: str, base_dir: Path, name: str = "<tree>") -> bytes:
    """Lay out paged HTML with WeasyPrint; byte-identical for the same input."""
    from weasyprint import HTML

    ident = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    try:
        doc = HTML(string=html, base_url=str(base_dir.resolve()) + "/",
                   url_fetcher=_fetcher(base_dir))
        # PDF/UA-1 writes the structure tree (tags) and the document's language and
        # title; unlike PDF/A it needs no random document id, so the bytes stay the same.
        return doc.write_pdf(pdf_identifier=ident, uncompressed_pdf=False,
                             pdf_variant="pdf/ua-1")
    except Exception as e:  # noqa: BLE001 - a layout engine failure is one file's problem
        raise InputError(Problem(name, 0, 0, "error", "pdf-layout",
                                 f"WeasyPrint could not lay out the page: {e}",
                                 "render html or text for this file; report it with the file")
                         ) from None


def print_html(tree: etree._ElementTree | etree._Element, renderer: Renderer | None = None,
               name: str = "<tree>") -> str:
    """The paged HTML for one TEI document or a teiCorpus (before WeasyPrint)."""
    renderer = renderer or Renderer()
    return renderer.run("print", tree, name)


def telegram_pdf_bytes(tree: etree._ElementTree, renderer: Renderer | None = None,
                       name: str = "<tree>") -> bytes:
    """One telegram as PDF bytes."""
    renderer = renderer or Renderer()
    return html_to_pdf(print_html(tree, renderer, name), renderer.xslt_dir, name)


def telegram_pdf(tree: etree._ElementTree, out_pdf: str | Path,
                 renderer: Renderer | None = None) -> None:
    """Write one telegram's PDF (whole or not at all)."""
    write_atomic(out_pdf, telegram_pdf_bytes(tree, renderer))


def gather(tei_paths: Iterable[str | Path]) -> etree._Element:
    """The TEI files as one teiCorpus (in the order of their dates; print.xsl sorts)."""
    corpus = etree.Element(f"{{{TEI_NS}}}teiCorpus", nsmap={None: TEI_NS})
    header = etree.SubElement(corpus, f"{{{TEI_NS}}}teiHeader")
    fd = etree.SubElement(header, f"{{{TEI_NS}}}fileDesc")
    for parent, child, text in (("titleStmt", "title", "Corpus"),
                                ("publicationStmt", "p", "teipipe"),
                                ("sourceDesc", "p", "TEI files")):
        el = etree.SubElement(etree.SubElement(fd, f"{{{TEI_NS}}}{parent}"), f"{{{TEI_NS}}}{child}")
        el.text = text
    for n, path in enumerate(sorted(Path(p) for p in tei_paths), 1):
        root = xmlsafe.parse(path).getroot()
        if root.tag == f"{{{TEI_NS}}}TEI":
            if root.get("{http://www.w3.org/XML/1998/namespace}id") is None:
                # the file stem stands in for the id unless XML cannot hold it (a file
                # name may have control characters)
                stem = path.stem if path.stem.isprintable() and safe_id("_" + path.stem) \
                    else f"document-{n}"
                root.set("{http://www.w3.org/XML/1998/namespace}id", stem)
            corpus.append(root)
    return corpus


def book(tei_paths: Iterable[str | Path], out_pdf: str | Path,
         renderer: Renderer | None = None) -> None:
    """The corpus as one PDF book, written whole or not at all."""
    renderer = renderer or Renderer()
    html = print_html(gather(tei_paths), renderer, "<book>")
    write_atomic(out_pdf, html_to_pdf(html, renderer.xslt_dir, str(out_pdf)))
