"""Validate TEI files: the project's schema, its Schematron, its rules, and tei_all.

    >>> v = Validator()                      # compiles the schemas once
    >>> v.validate_file("tei/wcda-113640.xml")
    []

Checks, in order, each reported as :class:`pipeline.errors.Problem`:

1. safe parsing (:mod:`pipeline.xmlsafe`): hostile or broken XML is one problem;
2. the root: a ``teiCorpus``, a file outside the TEI namespace or XIncludes are
   named plainly instead of drowning in grammar errors;
3. the grammar compiled from ``schema/telegram.odd``: first an own pass over the
   tree with the element and attribute tables of the compiled schema, which says
   exactly which element is not allowed where and what is; then libxml2's RELAX NG
   for what remains (order, counts, datatypes), its messages translated;
4. the ODD's Schematron constraints (``tel-*``) and the project rules
   (:mod:`pipeline.validate.rules`);
5. with ``tei_all=True``, conformance to the official ``tei_all.rng``: jing once
   over the whole batch where it is installed, else libxml2 (slower to compile).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline import resources, xmlsafe
from pipeline.errors import InputError, Problem, internal
from pipeline.validate import rules

TEI = "http://www.tei-c.org/ns/1.0"
XSD = "http://www.w3.org/2001/XMLSchema"
XI = "http://www.w3.org/2001/XInclude"
SCH = "http://purl.oclc.org/dsdl/schematron"
XML_NS = "http://www.w3.org/XML/1998/namespace"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
_XML_PREFIX = "{" + XML_NS + "}"


@dataclass
class _ElementInfo:
    children: set[str] = field(default_factory=set)
    mixed: bool = False
    any_other: bool = False
    attrs: dict[str, tuple[bool, list[str] | None]] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)


def _load_tables(xsd_path: Path) -> dict[str, _ElementInfo]:
    """Element and attribute tables of the compiled schema, for precise messages."""
    tree = xmlsafe.parse(xsd_path)
    out: dict[str, _ElementInfo] = {}
    x = f"{{{XSD}}}"
    for el in tree.getroot().iterfind(f"{x}element"):
        info = _ElementInfo()
        ct = el.find(f"{x}complexType")
        info.mixed = ct.get("mixed") == "true"
        for ref in ct.iterfind(f"{x}choice/{x}element"):
            info.children.add(ref.get("ref"))
        info.any_other = ct.find(f"{x}choice/{x}any") is not None
        for a in ct.iterfind(f"{x}attribute"):
            name = a.get("name") or a.get("ref")
            enum = [e.get("value") for e in a.iter(f"{x}enumeration")] or None
            if name.startswith("xml:"):
                enum = ["default", "preserve"] if name == "xml:space" else None
            info.attrs[name] = (a.get("use") == "required", enum)
            if a.get("use") == "required":
                info.required.append(name)
        out[el.get("name")] = info
    return out


def _own_schema(path: Path, folder: Path) -> etree._ElementTree:
    """A RELAX NG schema, read through xmlsafe, whose include/externalRef (which libxml2
    resolves itself) name only files inside ``folder``: the bundled schemas have none,
    a schema folder given instead may not reach elsewhere."""
    tree = xmlsafe.parse(path)
    root = folder.resolve()
    for el in tree.getroot().iter(f"{{{RNG_NS}}}include", f"{{{RNG_NS}}}externalRef"):
        href = el.get("href", "")
        target = (path.parent / href).resolve()
        if ":" in href or not target.is_relative_to(root) or not target.is_file():
            raise InputError(Problem(str(path), el.sourceline or 0, 0, "error", "schema-ref",
                                     f"the schema refers to {href!r}, outside {folder}",
                                     "a schema may only include files beside it"))
    return tree


def _listing(names: Iterable[str], limit: int = 12) -> str:
    names = sorted(names, key=str.lower)
    shown = ", ".join(names[:limit])
    return shown + (f", … ({len(names) - limit} more)" if len(names) > limit else "")


class Validator:
    """Compiles the project's schemas once; validates any number of files."""

    def __init__(self, tei_all: bool = False, schema_dir: str | Path | None = None):
        d = Path(schema_dir) if schema_dir else resources.schema_dir()
        self.schema_dir = d
        self._rng = etree.RelaxNG(_own_schema(d / "telegram.rng", d))
        self._tables = _load_tables(d / "telegram.xsd")
        sch = d / "telegram.sch"
        self._sch = _Schematron(xmlsafe.parse(sch)) if sch.exists() else None
        self.tei_all = tei_all
        self._tei_all_rng: etree.RelaxNG | None = None
        # the copy shipped in schema/ (TEI P5 4.12.0, BSD-2/CC-BY, see
        # schema/tei_all.SOURCE.md), else the installed package's
        shipped = d / "tei_all.rng"
        self._tei_all_path = shipped if shipped.exists() else resources.tei_all_path()
        if tei_all and not self._tei_all_path.exists():
            raise InputError(Problem(str(self._tei_all_path), 0, 0, "error", "tei-all",
                                     "tei_all.rng is not at hand",
                                     "it ships with teipipe: reinstall it"))

    # -- public ----------------------------------------------------------- #
    def validate_file(self, path: str | Path) -> list[Problem]:
        """All problems of one file (an unreadable file is one problem)."""
        return self.validate_many([path])[str(path)]

    def validate_bytes(self, data: bytes, name: str) -> list[Problem]:
        """All problems of a document given as bytes; ``name`` is used in messages."""
        problems, tree = self._check(data, name)
        if self.tei_all and tree is not None:
            problems += self.tei_all_check({name: data}).get(name, [])
        return _tidy(problems)

    def validate_tree(self, tree: etree._ElementTree, name: str, data: bytes) -> list[Problem]:
        """All problems of a document its caller has parsed already (the build).

        ``tree`` must come from :func:`pipeline.xmlsafe.parse` of ``data`` (the
        columns of the messages are read from ``data``) and is not changed. The
        messages are exactly those of ``validate_bytes(data, name)``.
        """
        problems = self._check_tree(tree, name, data)
        if self.tei_all:
            problems += self.tei_all_check({name: data}).get(name, [])
        return _tidy(problems)

    def validate_many(self, paths: Iterable[str | Path]) -> dict[str, list[Problem]]:
        """Problems per file, for a batch (tei_all: one jing run for all of them)."""
        results: dict[str, list[Problem]] = {}
        datas: dict[str, bytes] = {}
        for p in paths:
            name = str(p)
            try:
                data = xmlsafe.read(p)
            except InputError as e:
                results[name] = [e.problem]
                continue
            problems, tree = self._check(data, name)
            results[name] = problems
            if tree is not None:
                datas[name] = data
        if self.tei_all and datas:
            for name, extra in self.tei_all_check(datas).items():
                results[name] += extra
        return {k: _tidy(v) for k, v in results.items()}

    # -- the checks ------------------------------------------------------- #
    def _check(self, data: bytes, name: str) -> tuple[list[Problem], etree._ElementTree | None]:
        try:
            tree = xmlsafe.parse(name, data)
        except InputError as e:
            return [e.problem], None
        try:
            return self._check_tree(tree, name, data), tree
        except Exception as e:  # noqa: BLE001 - a bug on one file must not lose the batch
            return [internal(name, e)], None

    def _check_tree(self, tree: etree._ElementTree, name: str, data: bytes) -> list[Problem]:
        text = _decode(data)
        doc = rules.Doc(tree, name, text)
        problems: list[Problem] = []
        root = tree.getroot()
        problems += self._notices(tree, doc)
        q = etree.QName(root)
        if q.namespace != TEI:
            problems.append(Problem(
                name, root.sourceline or 1, doc.column(root), "error", "not-tei",
                f"the root element <{q.localname}> is not in the TEI namespace"
                + (f" (it is in {q.namespace})" if q.namespace else ""),
                f"a TEI file starts <TEI xmlns=\"{TEI}\">"))
            return problems
        if q.localname != "TEI":
            problems.append(Problem(
                name, root.sourceline or 1, doc.column(root), "error", "root",
                f"the root element is <{q.localname}>; this encoding has one telegram per "
                "<TEI> file",
                "validate the TEI documents of the corpus one by one; --tei-all checks "
                "the corpus file against the TEI Guidelines"))
            return problems
        # libxml2's RELAX NG first; only where it fails does the own pass look for
        # the exact messages (its tables are permissive: a valid file has nothing
        # for it to find)
        if not self._rng.validate(tree):
            log = self._rng.error_log
            grammar = self._structure(doc)
            problems += grammar
            problems += self._translate(doc, log, grammar)
        problems += self._schematron(doc)
        found = rules.run(tree, name, text, doc=doc)
        # a bad date is said once, by the rule that explains it
        dated = {(p.line, p.col) for p in found if p.code == "date-iso"}
        # libxml2 checks xml:id uniqueness (xsd:ID) with confusing cascades around
        # both elements: the rule's message replaces them
        doubled: set[int] = set()
        if any(p.code == "xml-id-unique" for p in found):
            for els in doc.ids.values():
                if len(els) > 1:
                    for e in els:
                        doubled.add(e.sourceline or 0)
                        if e.getparent() is not None:
                            doubled.add(e.getparent().sourceline or 0)
        # an id that is not a name: the rule says so, not the datatype's "invalid"
        unnamed = {p.line for p in found if p.code == "xml-id-name"}
        problems = [p for p in problems if not (
            p.code == "grammar" and (((p.line, p.col) in dated and "valid value" in p.message)
                                     or p.line in doubled
                                     or (p.line in unnamed and "@id" in p.message)))]
        problems += found
        return problems

    def _notices(self, tree: etree._ElementTree, doc: rules.Doc) -> list[Problem]:
        out = []
        name = doc.name
        # A DOCTYPE naming an external DTD never gets here: xmlsafe refuses the file
        # (external-dtd), the same way in every command.
        for inc in tree.getroot().iter(f"{{{XI}}}include"):
            out.append(Problem(name, inc.sourceline or 0, doc.column(inc), "error", "xinclude",
                               f"xi:include of \"{inc.get('href', '')}\" is not processed "
                               "(nothing is fetched)",
                               "validate the assembled document (e.g. xmllint --xinclude) "
                               "or its parts one by one"))
        return out

    def _structure(self, doc: rules.Doc) -> list[Problem]:
        """Own pass with the schema's tables: exact 'X not allowed in Y' messages."""
        out: list[Problem] = []
        t = self._tables
        name = doc.name

        def problem(el, code, msg, hint):
            out.append(Problem(name, el.sourceline or 0, doc.column(el), "error", code,
                               msg, hint))

        tei = f"{{{TEI}}}"
        n = len(tei)
        for el in doc.root.iter():
            tag = el.tag
            if not isinstance(tag, str) or not tag.startswith(tei):
                continue
            local = tag[n:]
            info = t.get(local)
            if info is None:
                problem(el, "not-in-schema",
                        f"element <{local}> is not part of the telegram encoding",
                        "use an element of schema/telegram.odd (see docs/schema.md); "
                        "--tei-all tells whether it is valid TEI at all")
                continue
            for child in el:
                ctag = child.tag
                if not isinstance(ctag, str):
                    continue
                if ctag.startswith(tei):
                    clocal = ctag[n:]
                    if clocal in t and clocal not in info.children:
                        problem(child, "not-allowed",
                                f"element <{clocal}> is not allowed inside <{local}>",
                                (f"allowed inside <{local}>: {_listing(info.children)}"
                                 if info.children else f"<{local}> takes no elements"))
                    continue
                cq = etree.QName(child)
                if cq.namespace == XI:
                    continue  # reported once as [xinclude]
                if not info.any_other:
                    problem(child, "not-allowed",
                            f"element <{cq.localname}> of namespace {cq.namespace or '(none)'}"
                            f" is not allowed inside <{local}>",
                            "only TEI elements belong here: put it in the TEI "
                            "namespace or remove it")
            if not info.mixed:
                texts = [(el, el.text)] + [(c, c.tail) for c in el]
                for where, s in texts:
                    if s and s.strip():
                        line_el = el if where is el else where
                        problem(line_el, "text-not-allowed",
                                f"text \"{' '.join(s.split())[:30]}\" is not allowed directly "
                                f"inside <{local}>",
                                f"wrap it in an element allowed there ("
                                f"{_listing(info.children, 6)})")
                        break
            for attr, value in el.attrib.items():
                if attr[0] == "{":
                    if not attr.startswith(_XML_PREFIX):
                        continue  # attributes of other namespaces: left to the grammar
                    key = "xml:" + attr[len(_XML_PREFIX):]
                else:
                    key = attr
                if key not in info.attrs:
                    problem(el, "attribute-not-allowed",
                            f"attribute @{key} is not allowed on <{local}>",
                            f"attributes of <{local}>: {_listing(info.attrs, 15)}")
                    continue
                enum = info.attrs[key][1]
                if enum is not None:
                    bad = [v for v in value.split() if v not in enum] if value.split() \
                        else [value]
                    if bad:
                        problem(el, "value-not-allowed",
                                f"@{key}=\"{value}\" on <{local}> is not one of the "
                                f"values this encoding allows",
                                f"use one of: {_listing(enum, 15)} (or add a valItem in "
                                "schema/telegram.odd)")
            for key in info.required:
                real = f"{_XML_PREFIX}{key[4:]}" if key.startswith("xml:") else key
                if el.get(real) is None:
                    problem(el, "attribute-required",
                            f"<{local}> lacks the required attribute @{key}",
                            "add it" + (f": one of {_listing(info.attrs[key][1], 10)}"
                                        if info.attrs[key][1] else ""))
        return out

    def _translate(self, doc: rules.Doc, log, known: list[Problem]) -> list[Problem]:
        """libxml2's RELAX NG messages, made into something a person can act on."""
        out: list[Problem] = []
        by_line: dict[int, list[etree._Element]] = {}
        for el in doc.root.iter():
            if isinstance(el.tag, str):
                by_line.setdefault(el.sourceline or 0, []).append(el)
        known_lines = {p.line for p in known}
        # an element whose content holds a problem already explained: its own
        # generic "failed to validate" is a cascade, not news
        spans = []
        for el in doc.root.iter():
            if isinstance(el.tag, str):
                last = max((d.sourceline or 0) for d in el.iter() if isinstance(d.tag, str))
                spans.append((el.sourceline or 0, last))

        def covered(line: int) -> bool:
            return any(line <= k <= _span_end(line) for k in known_lines)

        def _span_end(line: int) -> int:
            ends = [e for s, e in spans if s == line]
            return max(ends) if ends else line

        generic: list[Problem] = []
        for err in log:
            line = err.line if err.line and err.line > 0 else 0
            msg = err.message
            kind = err.type_name
            if line == 0 or line in known_lines:
                continue  # that element's problem is already said, precisely
            if kind in _GENERIC and covered(line):
                continue  # "X failed to validate": a cascade of a problem inside X
            m = re.search(r"element (\S+)", msg, re.I)
            elname = m.group(1).rstrip(",") if m else ""
            cands = [e for e in by_line.get(line, []) if etree.QName(e).localname == elname]
            el = cands[0] if cands else (by_line.get(line) or [doc.root])[0]
            if etree.QName(el).namespace == XI:
                continue  # reported once as [xinclude]
            col = doc.column(el)
            parent = el.getparent()
            pname = etree.QName(parent).localname if parent is not None else ""
            name = etree.QName(el).localname
            if kind in ("RELAXNG_ERR_ELEMWRONG", "RELAXNG_ERR_EXTRACONTENT"):
                m2 = re.search(r"extra content: (\S+)", msg)
                child = m2.group(1) if m2 else name
                where = elname if m2 else pname
                text = f"element <{child}> is out of place inside <{where}> (wrong order, " \
                       "or one too many)"
                hint = f"<{where}> expects: {self._model(where)}"
            elif kind == "RELAXNG_ERR_NOELEM":
                m2 = re.search(r"Expecting an element (\S*),", msg)
                want = m2.group(1) if m2 and m2.group(1) else ""
                text = f"<{name}> is incomplete: " + (f"<{want}> is missing" if want
                                                     else "a required element is missing")
                hint = f"<{name}> expects: {self._model(name)}"
            elif kind == "RELAXNG_ERR_ELEMNAME":
                m2 = re.search(r"Expecting element (\S+), got (\S+)", msg)
                want, got = (m2.group(1).rstrip(","), m2.group(2)) if m2 else ("?", name)
                text = f"<{want}> is required here, found <{got}>"
                hint = f"<{pname}> expects: {self._model(pname)}"
            elif kind in ("RELAXNG_ERR_INVALIDATTR", "RELAXNG_ERR_NOTALLOWED"):
                m2 = re.search(r"attribute (\S+) for element (\S+)", msg)
                attr = m2.group(1) if m2 else "?"
                value = el.get(attr) if m2 else None
                text = f"@{attr}=\"{value}\" on <{name}> is not a valid value" \
                    if value is not None else f"attribute @{attr} on <{name}> is invalid"
                hint = "check the value's form (dates: ISO 8601; pointers: #id; " \
                       "numbers: digits)"
            elif kind in ("RELAXNG_ERR_CONTENTVALID", "RELAXNG_ERR_ATTRVALID",
                          "RELAXNG_ERR_INTERSEQ", "RELAXNG_ERR_INTEREXTRA"):
                if kind == "RELAXNG_ERR_ATTRVALID":
                    text = f"an attribute of <{name}> has an invalid value"
                    hint = "check the attribute values of this element"
                else:
                    text = f"<{name}> does not match its content model"
                    hint = f"<{name}> expects: {self._model(name)}"
                generic.append(Problem(doc.name, line, col, "error", "grammar", text, hint))
                continue
            else:
                text = msg
                hint = "see the content model of the element in schema/telegram.rng"
            out.append(Problem(doc.name, line, col, "error", "grammar", text, hint))
        # a generic "failed to validate" only where nothing more specific was said
        # about that element or its content
        said = {p.line for p in out}
        for p in generic:
            if not any(p.line <= k <= _span_end(p.line) for k in said):
                out.append(p)
                said.add(p.line)
        return out

    def _model(self, element: str) -> str:
        """A compact rendering of an element's content model, for hints."""
        cache = self.__dict__.setdefault("_model_cache", {})
        if element not in cache:
            cache[element] = _compact(self._rng_tree(), element)
        return cache[element]

    def _rng_tree(self) -> etree._Element:
        if "_rng_doc" not in self.__dict__:
            self._rng_doc = xmlsafe.parse(self.schema_dir / "telegram.rng").getroot()
            self._defines = {d.get("name"): d for d in self._rng_doc
                             if isinstance(d.tag, str) and etree.QName(d).localname == "define"}
        return self._rng_doc

    def _schematron(self, doc: rules.Doc) -> list[Problem]:
        return self._sch.run(doc) if self._sch is not None else []

    # -- tei_all ----------------------------------------------------------- #
    def tei_all_check(self, datas: dict[str, bytes]) -> dict[str, list[Problem]]:
        """Problems against tei_all, per document (jing where installed)."""
        jing = shutil.which("jing")
        if jing and not os.environ.get("TEIPIPE_NO_JING"):
            return _jing(jing, self._tei_all_path, datas)
        if self._tei_all_rng is None:
            self._tei_all_rng = etree.RelaxNG(_own_schema(self._tei_all_path,
                                                          self._tei_all_path.parent))
        out: dict[str, list[Problem]] = {}
        for name, data in datas.items():
            tree = xmlsafe.parse(name, data)
            if self._tei_all_rng.validate(tree):
                continue
            for err in self._tei_all_rng.error_log:
                if err.line > 0:
                    out.setdefault(name, []).append(Problem(
                        name, err.line, 0, "error", "tei-all", err.message,
                        "not valid TEI: see the TEI Guidelines for this element"))
        return out


class _Schematron:
    """The ODD's Schematron, run with lxml's compiled XPath.

    ISO Schematron's reference implementation is XSLT (lxml ships it, XSLT 1, as
    ``lxml.isoschematron``; the tests check both agree): the same rules run here
    straight on the tree, several times faster. Supported: ``ns``, ``pattern``,
    ``rule/@context`` (paths, unions), ``let``, ``assert``, ``report``,
    ``@role`` (warning|info for warnings) and the first-rule-wins semantics of a
    pattern.
    """

    def __init__(self, tree: etree._ElementTree):
        s = f"{{{SCH}}}"
        root = tree.getroot()
        self.ns = {n.get("prefix"): n.get("uri") for n in root.iter(f"{s}ns")}
        self.patterns = []
        for pattern in root.iter(f"{s}pattern"):
            compiled_rules = []
            for rule in pattern.iter(f"{s}rule"):
                ctx = " | ".join(p.strip() if p.strip().startswith("/") else "//" + p.strip()
                                 for p in rule.get("context").split("|"))
                lets = [(x.get("name"), etree.XPath(x.get("value"), namespaces=self.ns))
                        for x in rule.iter(f"{s}let")]
                checks = []
                for c in rule:
                    if c.tag in (f"{s}assert", f"{s}report"):
                        text = " ".join("".join(c.itertext()).split())
                        checks.append((c.tag == f"{s}assert",
                                       etree.XPath(f"boolean({c.get('test')})",
                                                   namespaces=self.ns),
                                       text, c.get("role")))
                compiled_rules.append((self._context(ctx), lets, checks))
            self.patterns.append((pattern.get("id") or "schematron", compiled_rules))

    def _context(self, ctx: str):
        """The rule's context as a function of the tree. A plain ``//p:name`` is
        lxml's C iteration by tag (the same elements, in document order), which
        costs a fraction of an XPath call."""
        m = re.fullmatch(r"//([\w.-]+):([\w.-]+)", ctx)
        if m and m.group(1) in self.ns:
            tag = f"{{{self.ns[m.group(1)]}}}{m.group(2)}"
            return lambda tree: tree.getroot().iter(tag)
        return etree.XPath(ctx, namespaces=self.ns)

    def run(self, doc: rules.Doc) -> list[Problem]:
        out = []
        for pid, compiled_rules in self.patterns:
            fired: set = set()
            for ctx, lets, checks in compiled_rules:
                for el in ctx(doc.tree):
                    if not isinstance(el, etree._Element) or el in fired:
                        continue
                    fired.add(el)
                    variables = {}
                    for name, xp in lets:
                        variables[name] = xp(el, **variables)
                    for is_assert, test, text, role in checks:
                        if bool(test(el, **variables)) == is_assert:
                            continue
                        message, _, hint = text.partition(" Hint: ")
                        severity = "warning" if role in ("warning", "warn", "info") \
                            else "error"
                        out.append(Problem(doc.name, el.sourceline or 0, doc.column(el),
                                           severity, pid, message.rstrip("."), hint))
        return out


_GENERIC = {"RELAXNG_ERR_CONTENTVALID", "RELAXNG_ERR_ATTRVALID", "RELAXNG_ERR_INTERSEQ",
            "RELAXNG_ERR_INTEREXTRA", "RELAXNG_ERR_NOELEM", "RELAXNG_ERR_ELEMNAME"}


def _compact(rng: etree._Element, element: str) -> str:
    defines = {d.get("name"): d for d in rng
               if isinstance(d.tag, str) and etree.QName(d).localname == "define"}

    def members(name: str, depth: int = 0) -> list[str]:
        """The element names a class stands for (a small class is shown by them)."""
        d = defines.get(name)
        if d is None or depth > 4:
            return [name]
        if len(d) and etree.QName(d[0]).localname == "element":
            return [name]
        out: list[str] = []
        for r in d.iter(f"{{{RNG_NS}}}ref"):
            out += members(r.get("name"), depth + 1)
        return list(dict.fromkeys(out))
    d = defines.get(element)
    if d is None or len(d) == 0:
        return "?"
    el = d[0]
    pats = [c for c in el if etree.QName(c).localname not in ("attribute", "optional")
            or (etree.QName(c).localname == "optional"
                and etree.QName(c[0]).localname != "attribute")]

    def show(p: etree._Element) -> str:
        n = etree.QName(p).localname
        kids = [k for k in p if isinstance(k.tag, str)]
        if n == "ref":
            name = p.get("name")
            if name.startswith(("model.", "macro.")):
                names = members(name)
                if len(names) <= 8:
                    return names[0] if len(names) == 1 else "(" + " | ".join(names) + ")"
            return name
        if n == "text":
            return "text"
        if n == "empty":
            return "empty"
        if n == "notAllowed":
            return "nothing"
        if n in ("optional", "zeroOrMore", "oneOrMore"):
            inner = show(kids[0]) if len(kids) == 1 else "(" + ", ".join(map(show, kids)) + ")"
            if " " in inner and not inner.startswith("("):
                inner = f"({inner})"
            return inner + {"optional": "?", "zeroOrMore": "*", "oneOrMore": "+"}[n]
        if n == "choice":
            return "(" + " | ".join(map(show, kids)) + ")"
        if n in ("group", "interleave"):
            return "(" + ", ".join(map(show, kids)) + ")"
        if n == "element":
            return "any element"
        if n in ("data", "value", "list"):
            return "text"
        return n

    shown = ", ".join(show(p) for p in pats) or "empty"
    if shown.startswith("(") and shown.endswith(")") and shown.count("(") == 1:
        shown = shown[1:-1]
    return shown if len(shown) < 300 else shown[:297] + "…"


_DOCTYPE = re.compile(rb"<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.S)


def _jing(jing: str, rng: Path, datas: dict[str, bytes]) -> dict[str, list[Problem]]:
    """jing once over a batch. Files go through temporary copies whose DOCTYPE is
    blanked (line numbers kept), so jing never fetches a DTD or entity.

    jing stops the whole batch at the first file it cannot parse ("fatal"), and says
    nothing of the files after it: those would pass silently. So the fatal file is
    reported as not checked, and jing runs again on the files after it, until every
    file has been read to its end by jing or reported as unchecked.
    """
    out: dict[str, list[Problem]] = {}
    with tempfile.TemporaryDirectory(prefix="teipipe-jing-") as tmp:
        names: dict[str, str] = {}
        for i, (name, data) in enumerate(datas.items()):
            p = Path(tmp) / f"{i}.xml"
            # a DOCTYPE that declares entities passed xmlsafe: they are plain, internal
            # and bounded, and jing needs them to read the file; any other is blanked
            p.write_bytes(_DOCTYPE.sub(lambda m: m.group(0) if b"<!ENTITY" in m.group(0)
                                       else b"\n" * m.group(0).count(b"\n"), data))
            names[str(p)] = name
        todo = list(names)
        while todo:
            todo = _jing_run(jing, rng, todo, names, out)
    return out


def _jing_run(jing: str, rng: Path, files: list[str], names: dict[str, str],
              out: dict[str, list[Problem]]) -> list[str]:
    """One jing run over ``files``; returns the files it did not get to."""
    def unchecked(paths: Iterable[str], why: str) -> None:
        for f in paths:
            out.setdefault(names[f], []).append(Problem(
                names[f], 0, 0, "error", "tei-all-unchecked",
                f"jing could not check this file against tei_all: {why}",
                "fix the problem named; the file is not known to be valid"))

    try:
        run = subprocess.run([jing, str(rng), *files], capture_output=True, text=True,
                             timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        unchecked(files, f"jing did not run to its end ({e})")
        return []
    for line in run.stdout.splitlines():
        m = re.match(r"(.+?):(\d+):(\d+): (error|warning|fatal): (.*)", line)
        if not m or m.group(1) not in names:
            continue
        name = names[m.group(1)]
        if m.group(4) == "fatal":
            out.setdefault(name, []).append(Problem(
                name, int(m.group(2)), int(m.group(3)), "error", "tei-all-unchecked",
                f"jing could not read this file, so it is not checked: {m.group(5)}",
                "fix the XML so that it can be read without a DTD"))
            at = files.index(m.group(1)) if m.group(1) in files else len(files)
            return files[at + 1:]
        out.setdefault(name, []).append(Problem(
            name, int(m.group(2)), int(m.group(3)),
            "error" if m.group(4) != "warning" else "warning", "tei-all", m.group(5),
            "not valid against tei_all: see the TEI Guidelines for this element"))
    if run.returncode not in (0, 1):  # killed, out of memory: nothing said is complete
        reported = {n for n in out}
        unchecked([f for f in files if names[f] not in reported],
                  f"jing stopped with exit status {run.returncode}")
    return []


def _decode(data: bytes) -> str | None:
    for enc in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def _tidy(problems: list[Problem]) -> list[Problem]:
    """Deduplicated, in file order."""
    seen = set()
    out = []
    for p in sorted(problems, key=lambda p: (p.line, p.col, p.severity != "error", p.code,
                                             p.message)):
        key = (p.line, p.col, p.code, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
