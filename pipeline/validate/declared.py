"""Validate each file against what its own ``<?xml-model?>`` processing instructions name.

A TEI file of another project says which schema it follows::

    <?xml-model href="https://dracor.org/schema.rng"
                schematypens="http://relaxng.org/ns/structure/1.0"?>

and is judged by that, not by the telegram encoding. How an ``href`` is read:

- a path is relative to the file (``file:`` URLs too);
- the TEI's published ``tei_all`` URLs, teipipe's own published schema URLs and the
  CMIF Schematron map to the copies bundled with teipipe (:func:`resources.bundled_schema`);
- any other URL is fetched only when the network is allowed (``--allow-network``), with a
  timeout and a size cap, through :mod:`pipeline.xmlsafe`; otherwise it is refused with
  one message for all the files that name it.

``schematypens`` tells RELAX NG from Schematron (and XSD); a Schematron PI naming a
RELAX NG grammar means the Schematron embedded in it (as ODD-compiled grammars carry).
Each distinct schema is loaded once per run (:class:`Declared` keeps them).

A file is a *telegram file* when it declares the telegram schema or nothing at all; the
caller validates those with the full telegram encoding (:class:`Validator`).
"""

from __future__ import annotations

import html
import re
import tempfile
import urllib.parse
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from pipeline import resources, xmlsafe
from pipeline.errors import InputError, Problem, internal
from pipeline.validate import rules, schemas
from pipeline.validate.validator import _decode

RNG_NS = resources.RELAXNG_NS
SCH_NS = resources.SCHEMATRON_NS
XSD_NS = "http://www.w3.org/2001/XMLSchema"
TEI = "http://www.tei-c.org/ns/1.0"
XI = "http://www.w3.org/2001/XInclude"


@dataclass(frozen=True)
class Model:
    """One ``<?xml-model?>`` PI: what it names and how it says to read it."""

    href: str
    schematypens: str
    type: str
    line: int

    @property
    def kind(self) -> str:
        """"rng", "sch", "xsd" or "rnc" (compact syntax), from schematypens, type, suffix."""
        ns = self.schematypens.strip()
        if "compact" in self.type or self.href.lower().endswith(".rnc"):
            return "rnc"
        if ns == SCH_NS or ns.startswith("http://www.ascc.net/xml/schematron"):
            return "sch"
        if ns == XSD_NS:
            return "xsd"
        if ns == RNG_NS:
            return "rng"
        suffix = self.href.lower().rsplit(".", 1)[-1]
        return {"sch": "sch", "xsd": "xsd"}.get(suffix, "rng")


_PROLOG_ITEM = re.compile(r"<\?(.*?)\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|\s+", re.S)
_PSEUDO = re.compile(r"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def xml_models(data: bytes) -> list[Model]:
    """The ``<?xml-model?>`` PIs of the prolog (before the root element), in order."""
    head = xmlsafe._head_text(data)
    if head.startswith("\ufeff") or head.startswith("ï»¿"):
        head = head[1:] if head.startswith("\ufeff") else head[3:]
    out: list[Model] = []
    at = 0
    while at < len(head):
        m = _PROLOG_ITEM.match(head, at)
        if not m or m.end() == at:
            break  # the root element (or something that is not prolog)
        body = m.group(1)
        if body and body.startswith("xml-model") and body[9:10].isspace():
            attrs = {k: html.unescape(a if a else b) for k, a, b in _PSEUDO.findall(body[9:])}
            if attrs.get("href", "").strip():
                out.append(Model(attrs["href"].strip(), attrs.get("schematypens", ""),
                                 attrs.get("type", ""), head.count("\n", 0, m.start()) + 1))
        at = m.end()
    return out


def is_telegram(models: list[Model]) -> bool:
    """A telegram file declares the telegram schema, or no schema at all."""
    return not models or any(resources.is_telegram_schema(m.href) for m in models)


class Declared:
    """The schemas files declare, each loaded once; the problems of each file."""

    def __init__(self, allow_network: bool = False):
        self.allow_network = allow_network
        #: loaded schema (or the problem that stops it) by resolved location and kind
        self._cache: dict[tuple[str, str], schemas.Schema | Problem] = {}
        #: problems said once per schema, with the files (and PI lines) they concern
        self.refused: dict[tuple[str, str], list[tuple[str, int]]] = {}
        self._tmp: tempfile.TemporaryDirectory | None = None

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    # -- resolving ------------------------------------------------------------ #
    def _location(self, model: Model, path: Path) -> tuple[str, Path | None]:
        """(key, local file) for a PI's href; the file is None for a remote URL."""
        href = model.href
        bundled = resources.bundled_schema(href)
        if bundled is not None:
            return str(bundled), bundled
        scheme = urllib.parse.urlsplit(href).scheme.lower()
        if scheme == "file":
            local = Path(urllib.parse.unquote(urllib.parse.urlsplit(href).path))
            return str(local), local
        if scheme in ("http", "https"):
            return href, None
        if len(scheme) > 1:  # not a Windows drive letter: an unknown scheme
            return href, None
        local = path.parent / urllib.parse.unquote(href)
        return str(local.resolve()), local

    def schema(self, model: Model, path: Path) -> schemas.Schema | Problem:
        """The loaded schema a PI names, or the one Problem saying why it is not used."""
        key, local = self._location(model, path)
        kind = model.kind
        if (key, kind) in self._cache:
            return self._cache[(key, kind)]
        result = self._load(model, key, local, kind)
        self._cache[(key, kind)] = result
        return result

    def _load(self, model: Model, key: str, local: Path | None,
              kind: str) -> schemas.Schema | Problem:
        def problem(code: str, message: str, hint: str,
                    severity: str = "warning") -> Problem:
            return Problem(key, 0, 0, severity, code, message, hint)

        if kind == "rnc":
            return problem("schema-unsupported",
                           f"the RELAX NG compact syntax schema {model.href} is not read "
                           "(teipipe reads the XML syntax)",
                           "convert it with trang, or give the .rng with --schema")
        if local is None:
            if not model.href.lower().startswith(("http://", "https://")):
                return problem("schema-unsupported",
                               f"the schema {model.href} is at an address teipipe does "
                               "not read", "give the schema as a local file with --schema")
            if not self.allow_network:
                return problem("schema-not-fetched",
                               f"the schema {model.href} is not fetched (network access "
                               "is off); the file is checked with the generic TEI rules only",
                               "run with --allow-network to fetch it, or give a local "
                               "copy with --schema")
            try:
                data = xmlsafe.fetch(model.href)
            except InputError as e:
                return problem(e.problem.code, e.problem.message, e.problem.hint)
            if self._tmp is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="teipipe-schemas-")
            name = re.sub(r"[^\w.-]", "_", model.href.rsplit("/", 1)[-1])[-60:] or "schema"
            local = Path(self._tmp.name) / f"{len(self._cache)}-{name}"
            local.write_bytes(data)
        elif not local.is_file():
            return problem("schema-missing",
                           f"the schema {model.href} that the file names is not found "
                           f"({local})", "put it where the file says, or give it with "
                           "--schema")
        try:
            loaded = schemas.load(local)
        except InputError as e:
            p = e.problem
            return Problem(model.href if local.name != Path(p.path).name else p.path,
                           p.line, p.col, "error", p.code, p.message, p.hint)
        if kind == "sch" and loaded.kind != "sch":
            return self._embedded(model, local, key)
        return loaded

    def _embedded(self, model: Model, local: Path, key: str) -> schemas.Schema | Problem:
        """The Schematron embedded in a RELAX NG or ODD (a Schematron PI naming it)."""
        tree = xmlsafe.parse(local)
        s = f"{{{SCH_NS}}}"
        parts = [el for el in tree.getroot().iter(f"{s}ns", f"{s}pattern")]
        parts += [el for el in tree.getroot().iter(f"{s}rule")
                  if el.getparent() is not None and el.getparent().tag != f"{s}pattern"]
        if not parts:
            return Problem(key, 0, 0, "warning", "schema-unsupported",
                           f"{model.href} is named as Schematron but holds no Schematron "
                           "rules", "")
        # prefixed: the embedded elements often carry a default namespace of their own
        # (TEI), which a default-namespace root would clash with when serialised
        root = etree.Element(f"{s}schema", nsmap={"sch": SCH_NS})
        root.set("queryBinding", "xslt2")
        ns_done = set()
        for el in parts:
            if el.tag == f"{s}ns":
                if el.get("prefix") in ns_done:
                    continue
                ns_done.add(el.get("prefix"))
                root.insert(0, etree.Element(f"{s}ns", prefix=el.get("prefix") or "",
                                             uri=el.get("uri") or ""))
            elif el.tag == f"{s}pattern":
                root.append(_copy(el))
            else:  # a bare rule inside an ODD constraint: a pattern of its own
                pat = etree.SubElement(root, f"{s}pattern")
                pat.append(_copy(el))
        if "tei" not in ns_done:
            ns = etree.Element(f"{s}ns", prefix="tei", uri=TEI)
            root.insert(0, ns)
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="teipipe-schemas-")
        out = Path(self._tmp.name) / f"embedded-{len(self._cache)}.sch"
        out.write_bytes(etree.tostring(root))
        try:
            loaded = schemas.load(out)
        except InputError as e:
            return Problem(model.href, 0, 0, "error", e.problem.code,
                           "its embedded Schematron: " + e.problem.message, e.problem.hint)
        return schemas.Schema(model.href, "sch", loaded._impl, loaded.warnings)

    # -- checking ------------------------------------------------------------- #
    def check(self, path: Path, data: bytes, models: list[Model],
              generic: bool = True) -> list[Problem]:
        """The problems of one (non-telegram) file: its declared schemas and (unless
        ``generic`` is False: a telegram file, whose rules the Validator ran) the
        project rules that hold for any TEI file."""
        name = str(path)
        try:
            tree = xmlsafe.parse(name, data)
        except InputError as e:
            return [e.problem]
        try:
            return self._check_tree(path, tree, data, models, generic)
        except Exception as e:  # noqa: BLE001 - a bug on one file must not lose the batch
            return [internal(name, e)]

    def _check_tree(self, path: Path, tree: etree._ElementTree, data: bytes,
                    models: list[Model], generic: bool = True) -> list[Problem]:
        name = str(path)
        out: list[Problem] = []
        for model in models:
            if resources.is_telegram_schema(model.href):
                continue
            s = self.schema(model, path)
            if isinstance(s, Problem):
                self.refused.setdefault((s.path, s.code), []).append((name, model.line))
                continue
            out += s.check(tree, name)
        root = tree.getroot()
        if not generic or etree.QName(root).namespace != TEI:
            return out  # the grammar said what it had to; the TEI rules do not apply
        text = _decode(data)
        doc = rules.Doc(tree, name, text)
        found = rules.run(tree, name, text, doc=doc, telegram=False)
        # the grammar says an id is doubled or a date bad in its own words: the rule's
        # message (with both lines, or the value) is kept where both speak
        lines = {p.line for p in found if p.code in ("xml-id-unique", "date-iso",
                                                     "xml-id-name")}
        out = [p for p in out if not (p.code in ("rng", "odd") and p.line in lines)]
        # Another project's pointers may lead into its other files (a taxonomy, a
        # charDecl, a personography kept apart): no schema requires them to resolve
        # within the file, so it is said, not counted against the file.
        found = [replace(p, severity="warning") if p.code == "pointer-resolves" else p
                 for p in found]
        return out + found

    def refusals(self) -> dict[str, list[Problem]]:
        """One problem per schema that was not used, on the first file naming it."""
        out: dict[str, list[Problem]] = {}
        for (key, _code), files in self.refused.items():
            p = next(c for c in self._cache.values()
                     if isinstance(c, Problem) and c.path == key and c.code == _code)
            others = len(files) - 1
            msg = p.message + (f" ({others} other file{'s' if others > 1 else ''} "
                               "name it too)" if others else "")
            first, line = files[0]
            out.setdefault(first, []).append(
                Problem(first, line, 1, p.severity, p.code, msg, p.hint))
        return out


def _copy(el: etree._Element) -> etree._Element:
    from copy import deepcopy

    return deepcopy(el)
