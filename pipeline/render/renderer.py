"""Render TEI into reading editions with the project's XSLT 3.0 stylesheets.

All mapping from TEI to HTML or text lives in ``xslt/``; this module only runs
the stylesheets through saxonche. A :class:`Renderer` compiles each stylesheet
once (the first time it is needed) and reuses the compiled executable for every
document of the run::

    r = Renderer()
    page = r.html(tree)                  # one HTML5 page (str)
    txt = r.text(tree, width=72)         # the plain-text reading edition
    dip = r.text(tree, diplomatic=True)  # the source body, brackets restored
    meta = r.summary(tree)               # small metadata XML for the indexes

Corpus-level outputs build on it: :mod:`pipeline.render.site` (index, person and
place pages), :mod:`pipeline.render.pdf` (the book and one PDF per telegram) and
:mod:`pipeline.render.cmif` (correspondence metadata for correspSearch).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from lxml import etree
from saxonche import PySaxonApiError, PySaxonProcessor, PyXdmNode, PyXsltExecutable

from pipeline import resources
from pipeline.errors import InputError, Problem

TEI_NS = "http://www.tei-c.org/ns/1.0"

#: The stylesheets a Renderer knows, by role.
STYLESHEETS = {
    "html": "html.xsl",
    "text": "text.xsl",
    "diplomatic": "diplomatic.xsl",
    "summary": "summary.xsl",
    "site": "site.xsl",
    "print": "print.xsl",
    "cmif": "cmif.xsl",
}

_PROCESSOR: PySaxonProcessor | None = None


def processor() -> PySaxonProcessor:
    """The process's one Saxon processor (starting it costs; it is shared)."""
    global _PROCESSOR
    if _PROCESSOR is None:
        _PROCESSOR = PySaxonProcessor(license=False)
    return _PROCESSOR


def doc_id(tree: etree._ElementTree | etree._Element, fallback: str = "document") -> str:
    """The id a document is known by: ``TEI/@xml:id``, else the fallback (a file stem)."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    return root.get("{http://www.w3.org/XML/1998/namespace}id") or fallback


class Renderer:
    """Runs the project's stylesheets; each is compiled once per Renderer and reused.

    ``xslt_dir`` lets an editor point at a customised copy of the stylesheets.
    """

    def __init__(self, xslt_dir: str | Path | None = None, *, eager: bool = False,
                 tei_base: str = "tei/"):
        self.xslt_dir = Path(xslt_dir) if xslt_dir else resources.xslt_dir()
        #: Where a telegram page finds its TEI file, relative to the page ("tei/" in a
        #: site made by pipeline.render.site; "../tei/" when pages sit in html/ beside tei/).
        self.tei_base = tei_base
        self._proc = processor()
        self._xslt = self._proc.new_xslt30_processor()
        self._compiled: dict[str, PyXsltExecutable] = {}
        if eager:
            for role in ("html", "text", "summary", "site"):
                self.executable(role)

    # -- compiling -------------------------------------------------------
    def executable(self, role: str) -> PyXsltExecutable:
        """The compiled stylesheet for ``role`` (compiled on first use, then cached)."""
        exe = self._compiled.get(role)
        if exe is None:
            path = self.xslt_dir / STYLESHEETS[role]
            if not path.exists():
                raise InputError(Problem(str(path), 0, 0, "error", "no-stylesheet",
                                         f"the stylesheet for {role} output is missing",
                                         "reinstall teipipe or restore the file in xslt/"))
            try:
                exe = self._xslt.compile_stylesheet(stylesheet_file=str(path))
            except PySaxonApiError as e:
                raise InputError(Problem(str(path), 0, 0, "error", "xslt-compile",
                                         _first_line(str(e)), "fix the stylesheet")) from None
            self._compiled[role] = exe
        return exe

    # -- running ---------------------------------------------------------
    def node(self, tree: etree._ElementTree | etree._Element | bytes | str) -> PyXdmNode:
        """An lxml tree (or XML bytes or text) as a Saxon document node."""
        if isinstance(tree, (etree._ElementTree, etree._Element)):
            data = etree.tostring(tree, encoding="unicode")
        elif isinstance(tree, str):
            data = tree
        else:
            data = tree.decode("utf-8")
        return self._proc.parse_xml(xml_text=data)

    def run(self, role: str, tree: etree._ElementTree | etree._Element | bytes | PyXdmNode,
            name: str = "<tree>", **params: str) -> str:
        """Apply the stylesheet for ``role`` to a document and return the serialised result."""
        exe = self.executable(role)
        node = tree if isinstance(tree, PyXdmNode) else self.node(tree)
        exe.clear_parameters()
        for key, value in params.items():
            exe.set_parameter(key.replace("_", "-"), self._proc.make_string_value(str(value)))
        try:
            out = exe.transform_to_string(xdm_node=node)
        except PySaxonApiError as e:
            raise InputError(Problem(name, 0, 0, "error", f"render-{role}", _first_line(str(e)),
                                     "check that the file is TEI; report the stylesheet error"
                                     )) from None
        return out or ""

    def run_pages(self, role: str, tree: etree._ElementTree | etree._Element | bytes | str,
                  out_dir: str | Path, name: str = "<corpus>", **params: str) -> list[str]:
        """Run a stylesheet that writes several pages (xsl:result-document) into ``out_dir``.

        Saxon writes the pages into a temporary folder inside ``out_dir``; only when the
        whole transformation succeeded are they moved into place, so a failure leaves no
        half-written site. Returns the relative paths written, sorted.
        """
        exe = self.executable(role)
        node = self.node(tree)
        exe.clear_parameters()
        for key, value in params.items():
            exe.set_parameter(key.replace("_", "-"), self._proc.make_string_value(str(value)))
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".pages-", dir=out))
        try:
            exe.set_base_output_uri(tmp.resolve().as_uri() + "/")
            exe.transform_to_string(xdm_node=node)
            written = sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file())
            for rel in written:
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp / rel, out / rel)
        except PySaxonApiError as e:
            raise InputError(Problem(name, 0, 0, "error", f"render-{role}", _first_line(str(e)),
                                     "report the stylesheet error")) from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return written

    # -- the public outputs ----------------------------------------------
    def html(self, tree: etree._ElementTree, *, root: str = "", tei_href: str = "",
             name: str = "<tree>") -> str:
        """One HTML5 page for a TEI document (links to persons/, places/, assets/ under root)."""
        ident = doc_id(tree, Path(name).stem)
        return self.run("html", tree, name, root=root,
                        tei_href=tei_href or f"{self.tei_base}{ident}.xml", doc_id=ident)

    def text(self, tree: etree._ElementTree, diplomatic: bool = False, width: int = 78,
             *, name: str = "<tree>") -> str:
        """The plain-text reading edition wrapped at ``width`` (20 or more), or the diplomatic text.

        The diplomatic text (``xslt/diplomatic.xsl``) reproduces the source body with the
        editorial brackets restored; it is what the nothing-lost test compares.
        """
        if diplomatic:
            return self.run("diplomatic", tree, name)
        width = max(20, int(width))
        return self.run("text", tree, name, width=str(width), doc_id=doc_id(tree, Path(name).stem))

    def summary(self, tree: etree._ElementTree, *, name: str = "<tree>",
                file: str = "") -> etree._Element:
        """Per-document metadata for the corpus pages: id, title, date, senders, ..."""
        stem = Path(file or name).stem
        out = self.run("summary", tree, name, doc_id=doc_id(tree, stem), file=file or "")
        return etree.fromstring(out.encode("utf-8"))


    # -- corpus-level conveniences (the build calls these) -----------------
    def site(self, summaries: Iterable[etree._Element | str], out_dir: str | Path,
             **options: object) -> list[str]:
        """Index, person and place pages and the assets, from document summaries
        (``options``: see :func:`pipeline.render.site.write_indexes`)."""
        from pipeline.render.site import write_indexes

        return write_indexes(self, summaries, out_dir, **options)

    def pdf(self, tree: etree._ElementTree, *, name: str = "<tree>") -> bytes:
        """One telegram as a PDF (bytes)."""
        from pipeline.render.pdf import telegram_pdf_bytes

        return telegram_pdf_bytes(tree, renderer=self, name=name)

    def book(self, tei_paths: Iterable[str | Path], out_pdf: str | Path) -> None:
        """The whole corpus as one PDF book."""
        from pipeline.render.pdf import book

        book(tei_paths, out_pdf, renderer=self)


def corpus(summaries: Iterable[etree._Element | str | bytes]) -> etree._Element:
    """The summaries of a corpus as one document, sorted by date then id (deterministic)."""
    root = etree.Element("corpus")
    summaries = [etree.fromstring(s.encode() if isinstance(s, str) else s)
                 if isinstance(s, (str, bytes)) else s for s in summaries]
    for s in sorted(summaries, key=lambda s: (s.get("sort", ""), s.get("id", ""))):
        root.append(s)
    return root




def _first_line(msg: str) -> str:
    lines = [m.strip() for m in msg.strip().splitlines() if m.strip()]
    return lines[0] if lines else "stylesheet error"
