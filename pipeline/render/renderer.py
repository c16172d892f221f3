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

import base64
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree
from saxonche import PySaxonApiError, PySaxonProcessor, PyXdmNode, PyXsltExecutable

from pipeline import resources, xmlsafe
from pipeline.errors import InputError, Problem
from pipeline.files import UnsafePath, inside, safe_id
from pipeline.settings import Settings

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

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

_FEATURE = "http://saxon.sf.net/feature/"
_PARSER = _FEATURE + "parserFeature?uri=http%3A//"
_ALLOWED = _FEATURE + "allowedProtocols"
#: What a Saxon processor may do with the documents it is given. Documents reach Saxon
#: only as the root element lxml serialised after pipeline.xmlsafe read the file, so
#: they never carry a DOCTYPE; these settings make sure that even a document that did
#: (or a stylesheet calling doc(), document(), unparsed-text(), collection() on a value
#: from a document) makes Saxon read nothing from the disk or the network.
_HARDENING = {
    _PARSER + "apache.org/xml/features/disallow-doctype-decl": "true",
    _PARSER + "apache.org/xml/features/nonvalidating/load-external-dtd": "false",
    _PARSER + "xml.org/sax/features/external-general-entities": "false",
    _PARSER + "xml.org/sax/features/external-parameter-entities": "false",
    _FEATURE + "xinclude-aware": "false",
}
#: Processors that may open no file any more (see seal()); held here, so that no other
#: processor can ever be mistaken for one of them.
_SEALED: list[PySaxonProcessor] = []


def harden(proc: PySaxonProcessor) -> PySaxonProcessor:
    """Configure a Saxon processor so that it resolves no URI by itself (see _HARDENING
    and :func:`seal`)."""
    for key, value in _HARDENING.items():
        proc.set_configuration_property(key, value)
    return proc


def seal(proc: PySaxonProcessor) -> None:
    """From now on ``proc`` resolves no URI but ``data:`` ones (which hold their content):
    doc(), document(), unparsed-text(), collection() of a file or a web address fail.

    Called before the processor first sees a document. Saxon's protocol restriction
    only tightens (it cannot be opened again), so stylesheets compiled later are
    handed over with their imports inlined as ``data:`` URIs (compile_stylesheet).
    """
    if not _is_sealed(proc):
        proc.set_configuration_property(_ALLOWED, "data")
        _SEALED.append(proc)


def _is_sealed(proc: PySaxonProcessor) -> bool:
    return any(p is proc for p in _SEALED)


def processor() -> PySaxonProcessor:
    """The process's one Saxon processor (starting it costs; it is shared), hardened."""
    global _PROCESSOR
    if _PROCESSOR is None:
        _PROCESSOR = harden(PySaxonProcessor(license=False))
    return _PROCESSOR


_XSL = "http://www.w3.org/1999/XSL/Transform"
#: Compiled stylesheets of the shared processor, by role and the state of their files.
_EXECUTABLES: dict[tuple, PyXsltExecutable] = {}


def stylesheet_files(path: Path, root: Path) -> list[Path]:
    """The stylesheet and every module it imports or includes, each confirmed to be a
    file inside ``root`` (the stylesheet folder) and read through pipeline.xmlsafe.

    A stylesheet's own imports are the one thing Saxon resolves; checking them here
    lets it open only these files. Raises :class:`InputError` naming the import.
    """
    root = root.resolve()
    seen: list[Path] = []
    todo = [(path, str(path), 0)]
    while todo:
        file, where, line = todo.pop()
        real = file.resolve()
        if real in seen:
            continue
        try:
            real.relative_to(root)
        except ValueError:
            raise InputError(Problem(where, line, 0, "error", "xslt-import",
                                     f"{file} lies outside the stylesheet folder {root}",
                                     "a stylesheet imports only files beside it")) from None
        if not real.is_file():
            raise InputError(Problem(where, line, 0, "error", "xslt-import",
                                     f"{file} does not exist", "restore the stylesheet"))
        seen.append(real)
        tree = xmlsafe.parse(real)
        for el in tree.getroot().iter(f"{{{_XSL}}}import", f"{{{_XSL}}}include"):
            href = el.get("href", "")
            if not href or urlsplit(href).scheme or href.startswith(("/", "\\")):
                raise InputError(Problem(str(real), el.sourceline or 0, 0, "error",
                                         "xslt-import", f"the import href=\"{href}\" is not "
                                         "a relative path", "import a file beside the stylesheet"))
            todo.append((real.parent / unquote(href), str(real), el.sourceline or 0))
    return seen


def compile_stylesheet(proc: PySaxonProcessor, xslt: object, path: Path,
                       root: Path) -> PyXsltExecutable:
    """Compile the stylesheet ``path`` after checking that it and its imports are
    files inside ``root`` (:func:`stylesheet_files`).

    Before the processor is sealed Saxon reads the checked files itself; after, it
    may open no file, and gets the stylesheet as text with each import inlined.
    """
    stylesheet_files(path, root)
    if _is_sealed(proc):
        exe = xslt.compile_stylesheet(stylesheet_text=_inlined(path.resolve()))
    else:
        exe = xslt.compile_stylesheet(stylesheet_file=str(path))
    if exe is None:  # pragma: no cover - saxonche raises instead
        raise PySaxonApiError(f"{path} did not compile")
    return exe


_DATA_URI = "data:application/xml;base64,"


def _inlined(path: Path) -> str:
    """The stylesheet's text with every xsl:import/xsl:include href replaced by a
    ``data:`` URI holding the (likewise inlined) module: the one scheme a sealed
    processor still resolves, and one that reads nothing."""
    tree = xmlsafe.parse(path)
    for el in tree.getroot().iter(f"{{{_XSL}}}import", f"{{{_XSL}}}include"):
        module = _inlined((path.parent / unquote(el.get("href", ""))).resolve())
        el.set("href", _DATA_URI + base64.b64encode(module.encode("utf-8")).decode("ascii"))
    return etree.tostring(tree, encoding="unicode")


def for_saxon(tree: etree._ElementTree | etree._Element) -> str:
    """The document as text for Saxon: the root element (with the comments and
    processing instructions around it) and never the DOCTYPE, which is what would
    make Saxon's parser read a DTD and its entities."""
    if isinstance(tree, etree._ElementTree):
        root = tree.getroot()
        parts = [etree.tostring(n, encoding="unicode", with_tail=False)
                 for n in reversed(list(root.itersiblings(preceding=True)))]
        parts.append(etree.tostring(root, encoding="unicode", with_tail=False))
        parts += [etree.tostring(n, encoding="unicode", with_tail=False)
                  for n in root.itersiblings()]
        return "\n".join(parts)
    return etree.tostring(tree, encoding="unicode", with_tail=False)


def doc_id(tree: etree._ElementTree | etree._Element, fallback: str = "document") -> str:
    """The id a document is known by: ``TEI/@xml:id``, else the fallback (a file stem)."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    return root.get("{http://www.w3.org/XML/1998/namespace}id") or fallback


#: Ids that would name a file the corpus outputs use, by the format that writes it.
RESERVED_IDS = {"html": {"index": "html/index.html, the list of telegrams",
                         "search": "html/search.html, the full-text search"},
                "pdf": {"book": "pdf/book.pdf, the corpus as a book"}}
_STEM = re.compile(r"\w[\w.-]*")


def output_id(tree: etree._ElementTree | etree._Element, name: str,
              formats: Iterable[str] = ("html", "text", "pdf")) -> str:
    """The id that names a document's output files, checked to be safe as a file name.

    ``TEI/@xml:id``, else the file stem of ``name``; see :func:`check_output_id`.
    Raises :class:`InputError` (``unsafe-id``, ``reserved-id``).
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    ident = root.get(XML_ID)
    if ident is None:
        return check_output_id(Path(name).stem, name, formats, from_stem=True)
    return check_output_id(ident, name, formats, line=root.sourceline or 1)


def check_output_id(ident: str, name: str, formats: Iterable[str] = ("html", "text", "pdf"),
                    *, from_stem: bool = False, line: int = 0) -> str:
    """``ident`` if it may name a document's output files, else :class:`InputError`.

    A ``TEI/@xml:id`` must be an NCName (:func:`pipeline.files.safe_id`); a file stem
    (a document without one) must be a plain name (letters, digits, ``_``, ``.``,
    ``-``). An id that would overwrite a corpus output of one of ``formats``
    (``index`` with html, ``book`` with pdf) is refused too.
    """
    if from_stem:
        if not (_STEM.fullmatch(ident) and safe_id("_" + ident)):
            raise InputError(Problem(
                name, 0, 0, "error", "unsafe-id",
                f"the file name \"{_printable(ident)}\" cannot name an output file and the "
                "document has no xml:id", "give the TEI element an xml:id"))
    elif not safe_id(ident):
        raise InputError(Problem(
            name, line, 0, "error", "unsafe-id",
            f"TEI/@xml:id \"{_printable(ident)}\" cannot name an output file (it is "
            "not an XML name, or longer than 200 bytes)",
            "give the TEI element an xml:id of letters, digits, '.', '-' and '_', "
            "starting with a letter"))
    for fmt in formats:
        taken = RESERVED_IDS.get(fmt, {}).get(ident)
        if taken:
            raise InputError(Problem(
                name, line, 0, "error", "reserved-id",
                f"the id \"{ident}\" would overwrite {taken}", "give the document another id"))
    return ident


def _printable(text: str) -> str:
    """A value from a document, printable on one line."""
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return shown if len(shown) <= 80 else shown[:77] + "..."


class Renderer:
    """Runs the project's stylesheets; each is compiled once per Renderer and reused.

    ``xslt_dir`` lets an editor point at a customised copy of the stylesheets;
    ``settings`` (the edition's title, editors, licence, ...: :mod:`pipeline.settings`)
    reach every stylesheet as parameters.
    """

    def __init__(self, xslt_dir: str | Path | None = None, *, eager: bool = False,
                 tei_base: str = "tei/", settings: Settings | None = None):
        self.xslt_dir = Path(xslt_dir) if xslt_dir else resources.xslt_dir()
        self.settings = settings or Settings()
        # Made once: every transformation of the run gets them.
        self._settings_params = self.settings.xslt_params()
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
            # Renderers of one process share the compiled stylesheets (the same files,
            # unchanged): once the processor is sealed, compiling costs more.
            files = stylesheet_files(path, self.xslt_dir)
            key = (role, tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size)
                               for f in files))
            exe = _EXECUTABLES.get(key) if self._proc is _PROCESSOR else None
            if exe is None:
                try:
                    exe = compile_stylesheet(self._proc, self._xslt, path, self.xslt_dir)
                except PySaxonApiError as e:
                    raise InputError(Problem(str(path), 0, 0, "error", "xslt-compile",
                                             _first_line(str(e)), "fix the stylesheet")
                                     ) from None
                if role != "site":
                    # Only run_pages lets a stylesheet write files (into a checked
                    # folder): pages the others ask for with xsl:result-document stay
                    # in memory.
                    exe.set_capture_result_documents(True)
                if self._proc is _PROCESSOR:
                    _EXECUTABLES[key] = exe
            self._compiled[role] = exe
        return exe

    # -- running ---------------------------------------------------------
    def node(self, tree: etree._ElementTree | etree._Element | bytes | str,
             name: str = "<tree>") -> PyXdmNode:
        """An lxml tree (or XML bytes or text) as a Saxon document node.

        A tree goes over without its DOCTYPE (:func:`for_saxon`); text is parsed by the
        hardened processor, which refuses a DOCTYPE and reads nothing a document names.
        """
        if isinstance(tree, (etree._ElementTree, etree._Element)):
            data = for_saxon(tree)
        elif isinstance(tree, str):
            data = tree
        else:
            data = tree.decode("utf-8", errors="replace")
        seal(self._proc)
        try:
            return self._proc.parse_xml(xml_text=data)
        except PySaxonApiError as e:
            raise InputError(Problem(name, 0, 0, "error", "render-parse", _first_line(str(e)),
                                     "check the file with teipipe validate")) from None

    def run(self, role: str, tree: etree._ElementTree | etree._Element | bytes | PyXdmNode,
            name: str = "<tree>", **params: str) -> str:
        """Apply the stylesheet for ``role`` to a document and return the serialised result."""
        exe = self.executable(role)
        node = tree if isinstance(tree, PyXdmNode) else self.node(tree, name)
        seal(self._proc)
        self._set_parameters(exe, params)
        try:
            out = exe.transform_to_string(xdm_node=node)
        except PySaxonApiError as e:
            raise InputError(Problem(name, 0, 0, "error", f"render-{role}", _first_line(str(e)),
                                     "check that the file is TEI; report the stylesheet error"
                                     )) from None
        return out or ""

    def _set_parameters(self, exe: PyXsltExecutable, params: dict[str, str]) -> None:
        """The settings' parameters and the call's own (which win), on a fresh slate."""
        exe.clear_parameters()
        merged = dict(self._settings_params)
        merged.update((key.replace("_", "-"), value) for key, value in params.items())
        for key, value in merged.items():
            exe.set_parameter(key, self._proc.make_string_value(str(value)))

    def run_pages(self, role: str, tree: etree._ElementTree | etree._Element | bytes | str,
                  out_dir: str | Path, name: str = "<corpus>", **params: str) -> list[str]:
        """Run a stylesheet that writes several pages (xsl:result-document) into ``out_dir``.

        Saxon writes the pages into a temporary folder inside ``out_dir``; only when the
        whole transformation succeeded are they moved into place, so a failure leaves no
        half-written site. Returns the relative paths written, sorted.
        """
        exe = self.executable(role)
        node = self.node(tree, name)
        self._set_parameters(exe, params)
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".pages-", dir=out))
        try:
            exe.set_base_output_uri(tmp.resolve().as_uri() + "/")
            exe.transform_to_string(xdm_node=node)
            written = []
            for p in sorted(tmp.rglob("*")):
                rel = p.relative_to(tmp).as_posix()
                if p.is_symlink() or not (p.is_file() or p.is_dir()):
                    raise UnsafePath(f"{rel} is not a plain file")
                if p.is_file():
                    written.append(rel)
            # Every page is confirmed to go inside out_dir, through no symbolic link,
            # before any is moved: the names came from ids in the documents.
            targets = [(rel, inside(out, rel)) for rel in written]
            for rel, target in targets:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp / rel, target)
        except PySaxonApiError as e:
            raise InputError(Problem(name, 0, 0, "error", f"render-{role}", _first_line(str(e)),
                                     "report the stylesheet error")) from None
        except UnsafePath as e:
            raise InputError(Problem(name, 0, 0, "error", "unsafe-path", str(e),
                                     "nothing was written; remove the link or fix the id")
                             ) from None
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
        try:
            return etree.fromstring(out.encode("utf-8"))
        except etree.XMLSyntaxError as e:  # e.g. a control character from a file name
            raise InputError(Problem(name, 0, 0, "error", "render-summary", str(e),
                                     "check the file's id and name")) from None


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
    msg = re.sub(re.escape(_DATA_URI) + r"[A-Za-z0-9+/=]*", "(an imported module)", msg)
    lines = [m.strip() for m in msg.strip().splitlines() if m.strip()]
    return lines[0] if lines else "stylesheet error"
