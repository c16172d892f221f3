"""Validate any TEI file against schemas given on the command line (``--schema``).

A schema file is recognised by its root element, not by its name:

- a TEI ODD (a ``schemaSpec`` inside): compiled by teipipe's own compiler
  (:mod:`pipeline.validate.odd`, as a third-party ODD) and cached by content, then
  its RELAX NG is used -- the verdicts are those of the corpus test;
- a RELAX NG grammar in XML syntax;
- a W3C XML Schema (with the pure-Python ``xmlschema``; imports only from local
  files, never from the network);
- an ISO Schematron: ``queryBinding`` xslt/xslt1/exslt (XPath 1.0) with lxml's ISO
  skeleton, xslt2/xslt3 (XPath 2/3) with Saxon (:mod:`pipeline.validate.schematron`).

Every schema file is read through :mod:`pipeline.xmlsafe`, as a document is
(entities, external DTDs and the network refused). A schema that cannot be used
raises :class:`~pipeline.errors.InputError` whose problem names the file, the
line where known and what is wrong (the CLI exits 2), never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline import xmlsafe
from pipeline.errors import InputError, Problem
from pipeline.validate import odd

RNG = "http://relaxng.org/ns/structure/1.0"
XSD = "http://www.w3.org/2001/XMLSchema"
SCH = "http://purl.oclc.org/dsdl/schematron"
SVRL = "http://purl.oclc.org/dsdl/svrl"
TEI = "http://www.tei-c.org/ns/1.0"


def _unusable(path: str, line: int, message: str, hint: str) -> InputError:
    return InputError(Problem(path, line, 0, "error", "bad-schema", message, hint))


@dataclass
class Schema:
    """One loaded schema: ``check(tree, name)`` gives its problems for a document."""

    path: str
    kind: str  # "odd" | "rng" | "xsd" | "sch"
    _impl: object
    warnings: tuple[str, ...] = ()

    def check(self, tree: etree._ElementTree, name: str) -> list[Problem]:
        if self.kind in ("odd", "rng"):
            return _check_rng(self._impl, tree, name, self.kind)
        if self.kind == "xsd":
            return _check_xsd(self._impl, tree, name)
        return _check_sch(self._impl, tree, name)


def load(path: str | Path, source: str | Path | None = None) -> Schema:
    """Load the schema at ``path``; an unusable one raises :class:`InputError`."""
    name = str(path)
    # refuses entities, external DTDs, bad XML, with the line (as for documents)
    tree = odd.read_schema_file(path)
    root = tree.getroot()
    ns = etree.QName(root).namespace
    if ns == RNG:
        return Schema(name, "rng", _load_rng(tree, name))
    if ns == XSD and etree.QName(root).localname == "schema":
        return Schema(name, "xsd", _load_xsd(path))
    if ns == SCH and etree.QName(root).localname == "schema":
        return Schema(name, "sch", _load_sch(tree, name))
    if ns == TEI and root.find(f".//{{{TEI}}}schemaSpec") is not None:
        try:
            compiled = odd.compile_cached(path, source)
        except odd.OddError as e:
            raise _unusable(name, 0, f"the ODD does not compile: {e}",
                            "fix the spec named; `teipipe schema build --odd` says the same"
                            ) from None
        rng = odd.load_relaxng(etree.fromstring(compiled.rng))
        return Schema(name, "odd", rng, tuple(compiled.warnings))
    raise _unusable(name, root.sourceline or 1,
                    f"not a schema teipipe knows: root element {root.tag}",
                    "give a TEI ODD, a RELAX NG grammar (XML syntax), an XSD or an "
                    "ISO Schematron")


def _load_rng(tree: etree._ElementTree, name: str) -> etree.RelaxNG:
    for el in tree.iter(f"{{{RNG}}}include", f"{{{RNG}}}externalRef"):
        # libxml2 would read the target itself, outside xmlsafe
        raise _unusable(name, el.sourceline or 0,
                        f"<{etree.QName(el).localname} href='{el.get('href')}'> is not "
                        "followed (the file it names would be read unchecked)",
                        "give a single-file grammar (e.g. as compiled by `teipipe schema "
                        "build` or trang)")
    try:
        return odd.load_relaxng(tree)
    except etree.RelaxNGParseError as e:
        err = e.error_log.last_error if e.error_log else None
        raise _unusable(name, err.line if err is not None else 0,
                        f"the RELAX NG does not load: {err.message if err else e}",
                        "fix the grammar") from None


def _load_xsd(path: str | Path) -> object:
    import xmlschema

    try:
        # "local": imports and includes from local files only, never the network;
        # "defuse": the XSD files themselves are read without entities
        return xmlschema.XMLSchema(str(path), allow="local", defuse="always")
    except (xmlschema.XMLSchemaException, OSError, etree.LxmlError) as e:
        line = getattr(getattr(e, "elem", None), "sourceline", None) or 0
        raise _unusable(str(path), line, f"the XSD does not load: {_first_line(e)}",
                        "fix the schema; it may import only local files") from None


#: XPath functions that read outside the document
_READS = re.compile(r"\b(document|doc|doc-available|unparsed-text|unparsed-text-lines|"
                    r"unparsed-text-available|collection|uri-collection|json-doc|"
                    r"environment-variable|available-environment-variables|transform|"
                    r"load-xquery-module)\s*\(")


def _load_sch(tree: etree._ElementTree, name: str) -> object:
    from lxml import isoschematron

    for el in tree.iter():
        for attr in ("test", "context", "select", "value", "path"):
            expr = el.get(attr) if isinstance(el.tag, str) else None
            if expr and _READS.search(expr):
                # document(), doc(), unparsed-text()... would read files or the
                # network from the schema: refused like an external entity
                raise _unusable(name, el.sourceline or 0,
                                f"the Schematron reads external resources ({attr}="
                                f"{expr[:60]!r})", "remove document()/doc()/unparsed-text() "
                                "calls; teipipe never fetches what a schema names")
    binding = (tree.getroot().get("queryBinding") or "xslt").lower()
    if binding in ("xslt2", "xslt3", "xpath2", "xpath3", "xpath31"):
        from pipeline.validate.schematron import Schematron, SchematronError

        try:
            return Schematron(tree, name)
        except SchematronError as e:
            raise _unusable(name, 0, f"the Schematron does not compile: {e}",
                            "fix the XPath of the rule named") from None
    if binding not in ("xslt", "xslt1", "exslt", "xpath"):
        raise _unusable(name, tree.getroot().sourceline or 1,
                        f"Schematron queryBinding='{binding}' is not supported",
                        "use xslt (XPath 1), xslt2 or xslt3")
    try:
        return isoschematron.Schematron(tree, store_report=True)
    except (etree.SchematronParseError, etree.XSLTParseError, etree.XSLTApplyError,
            etree.XPathError) as e:
        raise _unusable(name, 0, f"the Schematron does not compile: {_first_line(e)}",
                        "check the XPath of its rules") from None


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def _check_rng(rng: etree.RelaxNG, tree: etree._ElementTree, name: str,
               kind: str) -> list[Problem]:
    if rng.validate(tree):
        return []
    out = [Problem(name, err.line, err.column if err.column > 0 else 0, "error", kind,
                   err.message) for err in rng.error_log if err.line > 0]
    return out or [Problem(name, 0, 0, "error", kind, "not valid against the grammar")]


def _check_xsd(schema: object, tree: etree._ElementTree, name: str) -> list[Problem]:
    out = []
    for err in schema.iter_errors(tree):  # type: ignore[attr-defined]
        line = getattr(err.elem, "sourceline", 0) or 0
        out.append(Problem(name, line, 0, "error", "xsd", err.reason or str(err)))
    return out


def _check_sch(sch: object, tree: etree._ElementTree, name: str) -> list[Problem]:
    if not hasattr(sch, "validation_report"):  # XPath 2/3, run by Saxon
        return sch.check(tree, name)  # type: ignore[attr-defined]
    sch.validate(tree)  # type: ignore[attr-defined]
    report = sch.validation_report  # type: ignore[attr-defined]
    out = []
    for fail in report.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        text = " ".join("".join(fail.itertext()).split())
        role = (fail.get("role") or "error").lower()
        severity = "warning" if role in ("warning", "warn", "info", "information") else "error"
        line = 0
        try:
            hit = tree.xpath(fail.get("location") or "/")
            if hit and hasattr(hit[0], "sourceline"):
                line = hit[0].sourceline or 0
        except etree.XPathError:
            pass
        code = fail.get("id") or "schematron"
        out.append(Problem(name, line, 0, severity, code, text))
    return out


def validate(schemas: list[Schema], path: str | Path) -> list[Problem]:
    """The problems of one file against every schema (an unreadable file is one problem)."""
    name = str(path)
    try:
        tree = xmlsafe.parse(path)
    except InputError as e:
        return [e.problem]
    out: list[Problem] = []
    for s in schemas:
        out += s.check(tree, name)
    return out
