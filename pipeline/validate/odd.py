"""Compile a TEI ODD customisation into RELAX NG, XSD and Schematron, without Java.

The TEI's own ODD processor is XSLT that cannot be shipped with this project, so
this module does the same job over the TEI source (``p5subset.xml``):

1. collect the specs of every module the ``schemaSpec`` names with ``moduleRef``
   (``@include``/``@except`` filter its elements; its classes, macros and
   datatypes come along, as in the TEI's processor);
2. apply the customisation's own ``elementSpec``/``classSpec``/``macroSpec``/
   ``dataSpec`` in ``@mode`` add, replace, change or delete (``attDef`` and
   ``valList`` changes merge by ``@ident``, ``memberOf`` with ``@mode='delete'``
   drops a membership, ``constraintSpec`` merges by ``@ident``);
3. write RELAX NG from the pure-ODD content models (``sequence``, ``alternate``,
   ``elementRef``, ``classRef`` with ``@expand``, ``macroRef``, ``dataRef``,
   ``textNode``, ``empty``, ``anyElement``, ``valList``), with each element's
   attributes expanded from its attribute classes, so an element's local
   override of a class attribute wins;
4. write an XSD 1.0 approximation (see :func:`_xsd`) and the Schematron of the
   customisation's ``constraintSpec``\\s.

A chained ODD (``schemaSpec/@source`` naming another ODD, relative to it) is
compiled over the customisation of the ODD it names, which is compiled first;
only local files are read, never the network (``@source="tei:4.12.0"`` compiles
against the source at hand, with a warning). What the TEI's processor
(odd2odd.xsl) silently passes over -- a change to a spec the source lacks, a
dangling ``specGrpRef``, an unknown ``dataRef`` key -- is a warning for a
third-party ODD and an error for the project's own (``strict``).
:func:`compile_cached` keeps compiled schemas in a user cache, keyed by the
content of the ODD, its chain, the TEI source and this compiler.

Not supported (an :class:`OddError` says so): ``moduleRef/@url`` (external RELAX
NG), ``rng:`` patterns inside content (p5subset has none), ``specGrpRef`` to
another file. Nested ``attList[@org='choice']`` becomes a set of optional
attributes.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
import lzma
import os
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline import resources, xmlsafe
from pipeline.files import write_atomic

TEI = "http://www.tei-c.org/ns/1.0"
RNG = "http://relaxng.org/ns/structure/1.0"
XSD = "http://www.w3.org/2001/XMLSchema"
SCH = "http://purl.oclc.org/dsdl/schematron"
XML = "http://www.w3.org/XML/1998/namespace"
XSD_TYPES = "http://www.w3.org/2001/XMLSchema-datatypes"
T = f"{{{TEI}}}"

SPEC_KINDS = ("elementSpec", "classSpec", "macroSpec", "dataSpec")


class OddError(Exception):
    """The ODD cannot be compiled; the message says where and why."""


@dataclass
class Compiled:
    """The schemas compiled from one ODD."""

    rng: bytes
    xsd: bytes
    sch: bytes | None
    elements: list[str] = field(default_factory=list)
    #: what was compiled differently from what the ODD asked, and why (a change
    #: to a spec the source lacks, a TEI release that is not at hand...)
    warnings: list[str] = field(default_factory=list)


def _q(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _tei_children(el: etree._Element, name: str | None = None) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and c.tag.startswith(T)
            and (name is None or _q(c) == name)]


def read_source_bytes(path: str | Path) -> bytes:
    """The bytes of a TEI source, decompressed when it is ``.xz`` or ``.gz``."""
    data = xmlsafe.read(path)
    # the shipped source is compressed; the suffix is not trusted, the magic is
    if data[:6] == b"\xfd7zXZ\x00":
        data = lzma.decompress(data)
    elif data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


class Source:
    """The TEI source: every spec of p5subset.xml, by kind and ident.

    A chained ODD's source is another ODD compiled first (:meth:`chained`):
    its specs, as customised, are then what ``moduleRef`` selects from.
    """

    def __init__(self, path: str | Path | None = None, data: bytes | None = None):
        self.specs: dict[str, dict[str, etree._Element]] = {k: {} for k in SPEC_KINDS}
        self.modules: set[str] = set()
        #: document order of each spec: class expansions (``classRef/@expand``)
        #: list members in the order of the Guidelines, as the TEI's processor does
        self.order: dict[str, int] = {}
        self.version = ""
        self.digest = ""
        if path is None and data is None:
            return
        if data is None:
            data = read_source_bytes(path)
        self.digest = hashlib.sha256(data).hexdigest()
        # read like every other document (pipeline.xmlsafe: no DTD, no entity, no
        # network); the comments are dropped, their tails kept
        tree = _parse(str(path or "p5subset.xml"), data)
        etree.strip_elements(tree, etree.Comment, with_tail=False)
        self.tree = tree
        for i, spec in enumerate(tree.iter(*(T + k for k in SPEC_KINDS))):
            self.specs[_q(spec)][spec.get("ident")] = spec
            self.order.setdefault(spec.get("ident"), i)
        for m in tree.iter(T + "moduleSpec"):
            self.modules.add(m.get("ident"))
        ed = tree.find(f".//{T}editionStmt/{T}edition")
        if ed is not None:
            self.version = " ".join("".join(ed.itertext()).split())

    @classmethod
    def chained(cls, cust: Customisation, digest: str) -> Source:
        """The specs a customisation ends up with, as the source of an ODD chained on it.

        Datatypes and macros the base left out stay available (the TEI's
        processor copies each one a spec refers to), so a chained ODD that
        uses one the base never named still compiles.
        """
        out = cls()
        base = cust.source
        out.order = dict(base.order)
        out.version = base.version
        out.digest = digest
        for kind in SPEC_KINDS:
            out.specs[kind] = dict(cust.specs[kind])
        for kind in ("dataSpec", "macroSpec"):
            for ident, spec in base.specs[kind].items():
                out.specs[kind].setdefault(ident, spec)
        for kind in SPEC_KINDS:
            for spec in out.specs[kind].values():
                if spec.get("module"):
                    out.modules.add(spec.get("module"))
        out.modules |= base.modules
        return out


def _parse(name: str, data: bytes) -> etree._ElementTree:
    """Parse an ODD or a source through :mod:`pipeline.xmlsafe` (which lets through
    example ids that repeat or are not names, as real ODDs carry: ``xml:id="1"``)."""
    return xmlsafe.parse(name, data)


_SOURCE_CACHE: dict[str, Source] = {}


def load_source(path: str | Path | None = None) -> Source:
    """The TEI source at ``path`` (default: the one shipped with teipipe), read once."""
    p = Path(path) if path is not None else default_source_path()
    key = str(p.resolve())
    if key not in _SOURCE_CACHE:
        _SOURCE_CACHE[key] = Source(p)
    return _SOURCE_CACHE[key]


def default_source_path() -> Path:
    """The TEI source shipped inside the package (see schema/p5subset.SOURCE.md)."""
    return resources.p5subset_path()


# --------------------------------------------------------------------------- #
# Step 1-2: the customised set of specs
# --------------------------------------------------------------------------- #

def _merge_attlist(base: etree._Element | None, change: etree._Element) -> etree._Element:
    """Merge a changing attList into a base one, attDef by attDef."""
    out = copy.deepcopy(base) if base is not None else etree.Element(T + "attList")
    for ad in change.iter(T + "attDef"):
        ident = ad.get("ident")
        mode = ad.get("mode", "add")
        old = next((a for a in out.iter(T + "attDef") if a.get("ident") == ident), None)
        if mode == "delete":
            if old is not None:
                old.getparent().remove(old)
            else:
                # deleting an inherited (class) attribute: remember it
                out.append(copy.deepcopy(ad))
            continue
        if mode == "change" and old is not None:
            _merge_attdef(old, ad)
        elif old is not None:
            old.getparent().replace(old, copy.deepcopy(ad))
        else:
            out.append(copy.deepcopy(ad))
    return out


def _merge_attdef(old: etree._Element, change: etree._Element) -> None:
    """Apply an ``attDef mode="change"`` to the attDef it changes.

    As odd2odd.xsl's mergeAttribute: each part given replaces the old one,
    except a ``valList`` in ``mode="change"``, whose ``valItem``s are merged
    by ``@ident`` (``mode="delete"`` removes one), and ``mode="delete"``, which
    drops the list.
    """
    for k, v in change.attrib.items():
        if k != "mode":
            old.set(k, v)
    for child in _tei_children(change):
        name = _q(child)
        prev = old.find(T + name)
        if name == "valList":
            mode = child.get("mode")
            if mode == "delete":
                if prev is not None:
                    old.remove(prev)
                continue
            if mode == "change" and prev is not None:
                merged = copy.deepcopy(prev)
                for item in _tei_children(child, "valItem"):
                    same = next((i for i in merged.iter(T + "valItem")
                                 if i.get("ident") == item.get("ident")), None)
                    if same is not None:
                        same.getparent().remove(same)
                    if item.get("mode") != "delete":
                        merged.append(copy.deepcopy(item))
                for k, v in child.attrib.items():
                    if k != "mode":
                        merged.set(k, v)
                old.replace(prev, merged)
                continue
        if prev is not None:
            old.replace(prev, copy.deepcopy(child))
        else:
            old.append(copy.deepcopy(child))


def _merge_spec(base: etree._Element, change: etree._Element) -> etree._Element:
    """Apply a spec in ``@mode='change'`` to the source spec."""
    out = copy.deepcopy(base)
    for k, v in change.attrib.items():
        if k not in ("mode",):
            out.set(k, v)
    for child in _tei_children(change):
        name = _q(child)
        if name == "attList":
            prev = out.find(T + "attList")
            merged = _merge_attlist(prev, child)
            if prev is not None:
                out.replace(prev, merged)
            else:
                out.append(merged)
        elif name == "classes":
            # <classes> without mode="change" replaces the memberships (its
            # @mode defaults to "replace" in the Guidelines, as in odd2odd.xsl)
            prev = out.find(T + "classes")
            if prev is None or child.get("mode") != "change":
                if prev is not None:
                    out.remove(prev)
                kept = copy.deepcopy(child)
                for m in list(kept):
                    if _q(m) == "memberOf" and m.get("mode") == "delete":
                        kept.remove(m)
                out.append(kept)
                continue
            for m in _tei_children(child, "memberOf"):
                same = [x for x in prev if _q(x) == "memberOf" and x.get("key") == m.get("key")]
                if m.get("mode") == "delete":
                    for x in same:
                        prev.remove(x)
                elif not same:
                    prev.append(copy.deepcopy(m))
        elif name == "constraintSpec":
            ident = child.get("ident")
            prev = next((c for c in out.findall(T + "constraintSpec")
                         if c.get("ident") == ident), None)
            if child.get("mode") == "delete":
                if prev is not None:
                    out.remove(prev)
            elif prev is not None:
                out.replace(prev, copy.deepcopy(child))
            else:
                out.append(copy.deepcopy(child))
        else:
            prev = out.find(T + name)
            if prev is not None:
                out.replace(prev, copy.deepcopy(child))
            else:
                out.append(copy.deepcopy(child))
    return out


def _split(value: str | None) -> set[str] | None:
    return set(value.split()) if value else None


class Customisation:
    """The specs selected and changed by one ``schemaSpec``."""

    def __init__(self, odd: etree._ElementTree, source: Source, strict: bool = True):
        self.source = source
        self.strict = strict
        spec = odd.find(f".//{T}schemaSpec")
        if spec is None:
            raise OddError("the ODD has no schemaSpec")
        self.schema_spec = spec
        self.ident = spec.get("ident", "tei")
        self.start = (spec.get("start") or "TEI").split()
        self.ns = spec.get("ns", TEI)
        self.specs: dict[str, dict[str, etree._Element]] = {k: {} for k in SPEC_KINDS}
        self.local_constraints: list[tuple[str, etree._Element]] = []
        self.warnings: list[str] = []
        self._select(odd)

    def warn(self, message: str) -> None:
        """Something the TEI's processor passes over: an error when ``strict``.

        The project's own ODD is compiled strictly (a typo in it must not pass);
        third-party ODDs as odd2odd.xsl does, with a warning.
        """
        if self.strict:
            raise OddError(message)
        if message not in self.warnings:
            self.warnings.append(message)

    def _select(self, odd: etree._ElementTree) -> None:
        src = self.source.specs
        items = list(self._items(self.schema_spec, odd))
        for item in items:
            name = _q(item)
            if name == "moduleRef":
                if item.get("url"):
                    raise OddError(f"moduleRef/@url ({item.get('url')}, line {item.sourceline}) "
                                   "is not supported: "
                                   "only TEI modules can be referenced")
                key = item.get("key")
                if key not in self.source.modules:
                    raise OddError(f"moduleRef key='{key}' (line {item.sourceline}): no such "
                                   "module in the TEI source")
                include, exclude = _split(item.get("include")), _split(item.get("except"))
                for kind in SPEC_KINDS:
                    for ident, sp in src[kind].items():
                        if sp.get("module") != key:
                            continue
                        if kind == "elementSpec":
                            if include is not None and ident not in include:
                                continue
                            if exclude is not None and ident in exclude:
                                continue
                        self.specs[kind][ident] = sp
                if include:
                    missing = sorted(i for i in include if i not in src["elementSpec"]
                                     or src["elementSpec"][i].get("module") != key)
                    if missing:
                        # e.g. an element of a newer TEI release (DraCor includes
                        # transcr's ellipsis, new in 4.11): odd2odd.xsl just
                        # finds nothing to include
                        self.warn(f"moduleRef key='{key}' (line {item.sourceline}) includes "
                                  "unknown element(s): " + ", ".join(missing))
            elif name in ("elementRef", "classRef", "macroRef", "dataRef"):
                kind = {"elementRef": "elementSpec", "classRef": "classSpec",
                        "macroRef": "macroSpec", "dataRef": "dataSpec"}[name]
                key = item.get("key")
                if key not in src[kind]:
                    raise OddError(f"{name} key='{key}' (line {item.sourceline}): not in the "
                                   "TEI source")
                self.specs[kind][key] = src[kind][key]
        # then the changes, in document order
        for item in items:
            name = _q(item)
            if name not in SPEC_KINDS:
                continue
            ident = item.get("ident")
            mode = item.get("mode", "add")
            table = self.specs[name]
            if mode == "delete":
                table.pop(ident, None)
            elif mode == "change":
                base = table.get(ident)
                if base is None:
                    base = src[name].get(ident)
                    if base is None:
                        # odd2odd.xsl drops a change to a spec its source lacks
                        # (tei_jtei changes att.responsibility, gone from TEI
                        # since 4.x): so does this compiler, saying so
                        self.warn(f"{name} ident='{ident}' mode='change' (line "
                                  f"{item.sourceline}): not in the TEI source, ignored")
                        continue
                    if name == "elementSpec":
                        # odd2odd.xsl changes only what was selected
                        # (tei_simplePrint changes transcr's am without it)
                        self.warn(f"elementSpec ident='{ident}' mode='change' (line "
                                  f"{item.sourceline}): the element's module is not "
                                  "selected (add a moduleRef), ignored")
                        continue
                table[ident] = _merge_spec(base, item)
            else:  # add / replace
                table[ident] = item
            for cs in item.iter(T + "constraintSpec"):
                if cs.get("mode") != "delete":
                    self.local_constraints.append((ident, cs))

    def _items(self, parent: etree._Element, odd: etree._ElementTree):
        for child in _tei_children(parent):
            if _q(child) == "specGrpRef":
                target = child.get("target", "")
                if not target.startswith("#"):
                    raise OddError(f"specGrpRef target='{target}' (line {child.sourceline}): "
                                   "only local specGrps "
                                   "are supported")
                grp = odd.find(f".//{T}specGrp[@{{{XML}}}id='{target[1:]}']")
                if grp is None:
                    # odd2odd.xsl expands a dangling reference to nothing
                    # (tei_simplePrint points at a #simplechanges it lacks)
                    self.warn(f"specGrpRef target='{target}' (line {child.sourceline}) "
                              "does not resolve, ignored")
                    continue
                yield from self._items(grp, odd)
            elif _q(child) == "specGrp":
                yield from self._items(child, odd)
            else:
                yield child


# --------------------------------------------------------------------------- #
# Step 3: RELAX NG
# --------------------------------------------------------------------------- #

def _occurs(el: etree._Element) -> tuple[int, int | None]:
    lo = int(el.get("minOccurs", "1"))
    hi_s = el.get("maxOccurs", "1")
    return lo, (None if hi_s == "unbounded" else int(hi_s))


class _Rng:
    def __init__(self, cust: Customisation):
        self.c = cust
        self.el = cust.specs["elementSpec"]
        self.cl = cust.specs["classSpec"]
        self.ma = cust.specs["macroSpec"]
        self.da = cust.specs["dataSpec"]
        # model-class membership among what is selected
        self.members: dict[str, list[tuple[str, str]]] = {k: [] for k in self.cl}
        for kind, table in (("element", self.el), ("class", self.cl)):
            for ident, spec in table.items():
                for m in spec.iterfind(f"{T}classes/{T}memberOf"):
                    key = m.get("key")
                    if key in self.cl and self.cl[key].get("type") == "model":
                        self.members[key].append((kind, ident))
        far = len(cust.source.order)
        for v in self.members.values():
            v.sort(key=lambda m: (cust.source.order.get(m[1], far), m[1]))
        self.used_any = False

    # -- names ------------------------------------------------------------ #
    @staticmethod
    def r(tag: str, **attrs: str) -> etree._Element:
        el = etree.Element(f"{{{RNG}}}{tag}", nsmap={None: RNG})
        for k, v in attrs.items():
            el.set(k, v)
        return el

    def ref(self, name: str) -> etree._Element:
        return self.r("ref", name=name)

    def class_empty(self, key: str, seen: frozenset = frozenset()) -> bool:
        if key not in self.cl or key in seen:
            return True
        return all(self.class_empty(i, seen | {key}) if k == "class" else False
                   for k, i in self.members.get(key, []))

    def class_elements(self, key: str, seen: frozenset = frozenset()) -> list[str]:
        out: list[str] = []
        for kind, ident in self.members.get(key, []):
            if kind == "element":
                out.append(ident)
            elif ident not in seen:
                out.extend(self.class_elements(ident, seen | {key}))
        return list(dict.fromkeys(out))

    # -- content ---------------------------------------------------------- #
    def repeat(self, pat: etree._Element, lo: int, hi: int | None) -> etree._Element:
        if (lo, hi) == (1, 1):
            return pat
        if (lo, hi) == (0, 1):
            o = self.r("optional")
            o.append(pat)
            return o
        if hi is None:
            g = self.r("group")
            for _ in range(max(lo - 1, 0)):
                g.append(copy.deepcopy(pat))
            w = self.r("zeroOrMore" if lo == 0 else "oneOrMore")
            w.append(pat)
            g.append(w)
            return g if len(g) > 1 else w
        g = self.r("group")
        for _ in range(lo):
            g.append(copy.deepcopy(pat))
        for _ in range(hi - lo):
            o = self.r("optional")
            o.append(copy.deepcopy(pat))
            g.append(o)
        if len(g) == 0:
            return self.r("empty")
        return g if len(g) > 1 else g[0]

    def content(self, node: etree._Element) -> etree._Element:
        name = _q(node)
        if name == "content":
            kids = [self.content(c) for c in _tei_children(node)]
            return self.group(kids, "group")
        if name in ("sequence", "alternate"):
            kids = [self.content(c) for c in _tei_children(node)]
            pat = self.group(kids, "group" if name == "sequence" else "choice")
            return self.repeat(pat, *_occurs(node))
        if name == "elementRef":
            key = node.get("key")
            pat = self.ref(key) if key in self.el else self.r("notAllowed")
            return self.repeat(pat, *_occurs(node))
        if name == "classRef":
            key = node.get("key")
            expand = node.get("expand")
            if self.class_empty(key):
                pat = self.r("notAllowed")
            elif expand in ("sequence", "sequenceOptional", "sequenceOptionalRepeatable",
                            "sequenceRepeatable"):
                pat = self.r("group")
                for e in self.class_elements(key):
                    wrap = {"sequence": None, "sequenceOptional": "optional",
                            "sequenceOptionalRepeatable": "zeroOrMore",
                            "sequenceRepeatable": "oneOrMore"}[expand]
                    if wrap:
                        w = self.r(wrap)
                        w.append(self.ref(e))
                        pat.append(w)
                    else:
                        pat.append(self.ref(e))
            else:
                pat = self.ref(key)
            return self.repeat(pat, *_occurs(node))
        if name == "macroRef":
            key = node.get("key")
            pat = self.ref(key) if key in self.ma else self.r("notAllowed")
            return self.repeat(pat, *_occurs(node))
        if name == "dataRef":
            return self.dataref(node)
        if name == "textNode":
            return self.r("text")
        if name == "empty":
            return self.r("empty")
        if name == "anyElement":
            self.used_any = True
            el = self.r("element")
            anyname = self.r("anyName")
            excepted = (node.get("except") or "").split()
            required = (node.get("require") or "").split()
            if required:
                ch = self.r("choice")
                for ns in required:
                    ch.append(self.r("nsName", ns=ns))
                el.append(ch)
            else:
                if excepted:
                    ex = self.r("except")
                    for ns in excepted:
                        ex.append(self.r("nsName", ns=ns))
                    anyname.append(ex)
                el.append(anyname)
            el.append(self.ref("teipipe.anyContent"))
            return self.repeat(el, *_occurs(node))
        if name == "valList":
            return self.vallist(node)
        if name == "valItem":
            v = self.r("value")
            v.text = node.get("ident")
            return v
        if name in ("datatype",):
            kids = [self.content(c) for c in _tei_children(node)]
            return self.group(kids, "group")
        raise OddError(f"unsupported content construct <{name}> "
                       f"(line {node.sourceline})")

    def group(self, kids: list[etree._Element], tag: str) -> etree._Element:
        if not kids:
            return self.r("empty")
        if len(kids) == 1:
            return kids[0]
        g = self.r(tag)
        for k in kids:
            g.append(k)
        return g

    def dataref(self, node: etree._Element) -> etree._Element:
        if node.get("key"):
            key = node.get("key")
            if key in self.da:
                return self.ref(key)
            src = self.c.source.specs["dataSpec"].get(key)
            if src is None:
                # odd2relax.xsl writes nothing for it, which RELAX NG reads as
                # text (DraCor's dataRef key="ID" for name="ID")
                self.c.warn(f"dataRef key='{key}' (line {node.sourceline}): no such "
                            "datatype, any text allowed")
                return self.r("text")
            self.da[key] = src  # datatypes are pulled in on use
            return self.ref(key)
        if node.get("ref"):
            raise OddError(f"dataRef/@ref (external datatype, line {node.sourceline}) "
                           "is not supported")
        d = self.r("data", type=node.get("name"), datatypeLibrary=XSD_TYPES)
        if node.get("restriction"):
            p = self.r("param", name="pattern")
            p.text = node.get("restriction")
            d.append(p)
        for facet in _tei_children(node, "dataFacet"):
            p = self.r("param", name=facet.get("name"))
            p.text = facet.get("value")
            d.append(p)
        return d

    def vallist(self, vl: etree._Element) -> etree._Element:
        ch = self.r("choice")
        for item in vl.iter(T + "valItem"):
            v = self.r("value")
            v.text = item.get("ident")
            ch.append(v)
        return ch if len(ch) != 1 else ch[0]

    # -- attributes ------------------------------------------------------- #
    def class_attdefs(self, key: str, seen: set[str]) -> dict[str, etree._Element]:
        """Attributes an attribute class gives, with those of its superclasses."""
        out: dict[str, etree._Element] = {}
        if key in seen or key not in self.cl:
            return out
        seen.add(key)
        spec = self.cl[key]
        for m in spec.iterfind(f"{T}classes/{T}memberOf"):
            sup = m.get("key")
            if sup in self.cl and self.cl[sup].get("type") == "atts":
                out.update(self.class_attdefs(sup, seen))
        for ad in spec.iterfind(f"{T}attList//{T}attDef"):
            if ad.get("mode") == "delete":
                out.pop(ad.get("ident"), None)
            elif ad.get("mode") == "change" and ad.get("ident") in out:
                merged = copy.deepcopy(out[ad.get("ident")])
                _merge_attdef(merged, ad)
                out[ad.get("ident")] = merged
            else:
                out[ad.get("ident")] = ad
        return out

    def attdefs(self, spec: etree._Element) -> list[etree._Element]:
        out: dict[str, etree._Element] = {}
        seen: set[str] = set()
        for m in spec.iterfind(f"{T}classes/{T}memberOf"):
            key = m.get("key")
            if key in self.cl and self.cl[key].get("type") == "atts":
                out.update(self.class_attdefs(key, seen))
        for ad in spec.iterfind(f"{T}attList//{T}attDef"):
            ident = ad.get("ident")
            if ad.get("mode") == "delete":
                out.pop(ident, None)
            elif ad.get("mode") == "change" and ident in out:
                merged = copy.deepcopy(out[ident])
                _merge_attdef(merged, ad)
                out[ident] = merged
            else:
                out[ident] = ad
        return [out[k] for k in sorted(out)]

    def attr_value(self, ad: etree._Element) -> etree._Element:
        vl = ad.find(T + "valList")
        dt = ad.find(T + "datatype")
        lo, hi = _occurs(dt) if dt is not None else (1, 1)
        if vl is not None and vl.get("type") == "closed":
            pat = self.vallist(vl)
        elif dt is not None and len(_tei_children(dt)):
            pat = self.content(dt)
        else:
            pat = self.r("text")
        if (lo, hi) != (1, 1):
            if self.has_text(pat):
                return self.r("text")
            lst = self.r("list")
            lst.append(self.repeat(pat, max(lo, 0), hi))
            return lst
        return pat

    def has_text(self, pat: etree._Element, seen: frozenset = frozenset()) -> bool:
        for e in pat.iter(f"{{{RNG}}}text", f"{{{RNG}}}ref"):
            if _q(e) == "text":
                return True
            n = e.get("name")
            if n in self.da and n not in seen:
                if self.has_text(self.content(self.da[n].find(T + "content")), seen | {n}):
                    return True
        return False

    def attribute(self, ad: etree._Element) -> etree._Element:
        ident = ad.get("ident")
        if ident.startswith("xml:"):
            a = self.r("attribute", name=ident[4:], ns=XML)
        else:
            a = self.r("attribute", name=ident)
            if ad.get("ns"):
                a.set("ns", ad.get("ns"))
        a.append(self.attr_value(ad))
        if ad.get("usage") == "req":
            return a
        o = self.r("optional")
        o.append(a)
        return o

    # -- the grammar ------------------------------------------------------ #
    def build(self) -> etree._Element:
        g = self.r("grammar", ns=self.c.ns, datatypeLibrary=XSD_TYPES)
        start = self.r("start")
        ch = self.r("choice")
        for s in self.c.start:
            if s not in self.el:
                raise OddError(f"schemaSpec/@start names '{s}' (line "
                               f"{self.c.schema_spec.sourceline}), which is not in the schema")
            ch.append(self.ref(s))
        start.append(ch if len(ch) > 1 else ch[0])
        g.append(start)
        defines: dict[str, etree._Element] = {}
        for ident in sorted(self.el):
            spec = self.el[ident]
            d = self.r("define", name=ident)
            name = spec.findtext(T + "altIdent") or ident
            e = self.r("element", name=name.strip())
            ns = spec.get("ns")
            if ns and ns != self.c.ns:
                e.set("ns", ns)
            cont = spec.find(T + "content")
            body = self.r("group")
            body.append(self.content(cont) if cont is not None else self.r("empty"))
            for ad in self.attdefs(spec):
                body.append(self.attribute(ad))
            if len(body) == 1:
                e.append(body[0])
            else:
                for c in list(body):
                    e.append(c)
            d.append(e)
            defines[ident] = d
        for ident in sorted(self.cl):
            spec = self.cl[ident]
            if spec.get("type") != "model":
                continue
            d = self.r("define", name=ident)
            ch = self.r("choice")
            for kind, member in self.members[ident]:
                if kind == "class" and self.class_empty(member):
                    continue
                ch.append(self.ref(member))
            if len(ch) == 0:
                d.append(self.r("notAllowed"))
            else:
                d.append(ch if len(ch) > 1 else ch[0])
            defines[ident] = d
        for ident in sorted(self.ma):
            d = self.r("define", name=ident)
            d.append(self.content(self.ma[ident].find(T + "content")))
            defines[ident] = d
        done: set[str] = set()
        while set(self.da) - done:  # datatypes can pull in others
            for ident in sorted(set(self.da) - done):
                done.add(ident)
                d = self.r("define", name=ident)
                d.append(self.content(self.da[ident].find(T + "content")))
                defines[ident] = d
        if self.used_any:
            d = self.r("define", name="teipipe.anyContent")
            z = self.r("zeroOrMore")
            ch = self.r("choice")
            a = self.r("attribute")
            a.append(self.r("anyName"))
            a.append(self.r("text"))
            ch.append(a)
            ch.append(self.r("text"))
            e = self.r("element")
            e.append(self.r("anyName"))
            e.append(self.ref("teipipe.anyContent"))
            ch.append(e)
            z.append(ch)
            d.append(z)
            defines[d.get("name")] = d
        for name in sorted(defines):
            g.append(defines[name])
        _simplify(g)
        return g


def _simplify(grammar: etree._Element) -> None:
    """Fold ``notAllowed`` and ``empty`` away, as RELAX NG's own simplification does.

    Content models that refer to elements or classes left out of the customisation
    become ``notAllowed``; libxml2 rejects some patterns that keep them (e.g.
    ``zeroOrMore`` of ``notAllowed`` among attributes), so they are removed.
    """
    na, em = f"{{{RNG}}}notAllowed", f"{{{RNG}}}empty"

    def simp(el: etree._Element) -> None:
        for c in list(el):
            simp(c)
        tag = _q(el)
        kids = list(el)
        if tag in ("zeroOrMore", "optional", "oneOrMore") and kids:
            if all(k.tag == na for k in kids):
                _become(el, na if tag == "oneOrMore" else em)
            elif all(k.tag == em for k in kids):
                _become(el, em)
        elif tag == "choice":
            for k in kids:
                if k.tag == na:
                    el.remove(k)
            if len(el) == 0:
                _become(el, na)
            elif len(el) == 1:
                _unwrap(el)
        elif tag == "group":
            if any(k.tag == na for k in kids):
                _become(el, na)
                return
            for k in kids:
                if k.tag == em and len(el) > 1:
                    el.remove(k)
            if len(el) == 1:
                _unwrap(el)

    for define in grammar:
        if _q(define) == "define":
            for c in list(define):
                simp(c)


def _become(el: etree._Element, tag: str) -> None:
    for c in list(el):
        el.remove(c)
    el.attrib.clear()
    el.tag = tag


def _unwrap(el: etree._Element) -> None:
    child = el[0]
    parent = el.getparent()
    if parent is None:
        return
    child.tail = el.tail
    parent.replace(el, child)


# --------------------------------------------------------------------------- #
# Step 4: XSD (an approximation) and Schematron
# --------------------------------------------------------------------------- #

def _xsd(rng: _Rng, grammar: etree._Element | None = None) -> etree._Element:
    """An XSD 1.0 that accepts at least what the RELAX NG accepts.

    XSD cannot say what RELAX NG can (interleave, choices between attributes,
    content that is ambiguous under the Unique Particle Attribution rule), so
    each element's content becomes an unordered, repeatable choice of the
    elements its RELAX NG content allows, ``mixed`` where text is allowed.
    Order and counts are checked by the RELAX NG; element nesting, attribute
    names, required attributes and closed value lists by both.
    """
    x = etree.Element(f"{{{XSD}}}schema", nsmap={"xs": XSD, None: rng.c.ns,
                                                  "xml": XML})
    x.set("targetNamespace", rng.c.ns)
    x.set("elementFormDefault", "qualified")
    imp = etree.SubElement(x, f"{{{XSD}}}import", namespace=XML, schemaLocation="xml.xsd")
    del imp
    # the grammar compile_odd has built already (building it costs seconds for
    # large customisations)
    if grammar is None:
        grammar = rng.build()
    defs = {d.get("name"): d for d in grammar.iter(f"{{{RNG}}}define")}

    def reach(pat: etree._Element, seen: set[str], names: set[str], flags: dict) -> None:
        for e in pat.iter():
            tag = _q(e)
            # a datatype as element content (CMIF's idno holds a teidata.pointer)
            # is text for the XSD too
            if tag == "text" or tag in ("data", "value") or (
                    tag == "ref" and e.get("name") in rng.da):
                p = e.getparent()
                inside_attr = False
                while p is not None:
                    if _q(p) == "attribute":
                        inside_attr = True
                        break
                    p = p.getparent()
                if not inside_attr:
                    flags["text"] = True
            elif tag == "element" and e.get("name") is None:
                flags["any"] = True
            elif tag == "ref":
                n = e.get("name")
                if n in rng.el:
                    names.add(n)
                elif n in defs and n not in seen and n not in rng.da:
                    seen.add(n)
                    reach(defs[n], seen, names, flags)

    for ident in sorted(rng.el):
        spec = rng.el[ident]
        ns = spec.get("ns")
        if ns and ns != rng.c.ns:
            continue  # elements of other namespaces are matched by xs:any
        el = etree.SubElement(x, f"{{{XSD}}}element", name=ident)
        ct = etree.SubElement(el, f"{{{XSD}}}complexType")
        cont = spec.find(T + "content")
        names: set[str] = set()
        flags: dict = {}
        if cont is not None:
            reach(rng.content(cont), set(), names, flags)
        if flags.get("text"):
            ct.set("mixed", "true")
        local = sorted(n for n in names if not (rng.el[n].get("ns")
                                                 and rng.el[n].get("ns") != rng.c.ns))
        if local or flags.get("any") or len(local) < len(names):
            choice = etree.SubElement(ct, f"{{{XSD}}}choice", minOccurs="0",
                                      maxOccurs="unbounded")
            for n in local:
                etree.SubElement(choice, f"{{{XSD}}}element", ref=n)
            if flags.get("any") or len(local) < len(names):
                etree.SubElement(choice, f"{{{XSD}}}any", namespace="##other",
                                 processContents="lax")
        for ad in rng.attdefs(spec):
            ident_a = ad.get("ident")
            if ident_a.startswith("xml:"):
                a = etree.SubElement(ct, f"{{{XSD}}}attribute", ref=ident_a)
            else:
                a = etree.SubElement(ct, f"{{{XSD}}}attribute", name=ident_a)
                _xsd_type(rng, ad, a)
            if ad.get("usage") == "req":
                a.set("use", "required")
    return x


def _xsd_type(rng: _Rng, ad: etree._Element, a: etree._Element) -> None:
    vl = ad.find(T + "valList")
    dt = ad.find(T + "datatype")
    is_list = dt is not None and _occurs(dt) != (1, 1)
    if vl is not None and vl.get("type") == "closed":
        st = etree.Element(f"{{{XSD}}}simpleType")
        r = etree.SubElement(st, f"{{{XSD}}}restriction", base="xs:token")
        for item in vl.iter(T + "valItem"):
            etree.SubElement(r, f"{{{XSD}}}enumeration", value=item.get("ident"))
        if is_list:
            outer = etree.SubElement(a, f"{{{XSD}}}simpleType")
            lst = etree.SubElement(outer, f"{{{XSD}}}list")
            lst.append(st)
        else:
            a.append(st)
        return
    key = None
    if dt is not None:
        ref = dt.find(T + "dataRef")
        key = ref.get("key") if ref is not None else None
    if is_list:
        a.set("type", "xs:string")
    elif key == "teidata.temporal.w3c":
        st = etree.SubElement(a, f"{{{XSD}}}simpleType")
        etree.SubElement(st, f"{{{XSD}}}union", memberTypes=(
            "xs:date xs:gYear xs:gMonth xs:gDay xs:gYearMonth xs:gMonthDay xs:time xs:dateTime"))
    elif key == "teidata.count":
        a.set("type", "xs:nonNegativeInteger")
    elif key == "teidata.truthValue":
        a.set("type", "xs:boolean")
    else:
        a.set("type", "xs:string")


XML_XSD = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- The attributes of the XML namespace, for the compiled XSD (written by teipipe,
     so that validating never fetches http://www.w3.org/2001/xml.xsd). -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           targetNamespace="http://www.w3.org/XML/1998/namespace" xml:lang="en">
  <xs:attribute name="lang">
    <xs:simpleType>
      <xs:union memberTypes="xs:language">
        <xs:simpleType>
          <xs:restriction base="xs:string">
            <xs:enumeration value=""/>
          </xs:restriction>
        </xs:simpleType>
      </xs:union>
    </xs:simpleType>
  </xs:attribute>
  <xs:attribute name="space">
    <xs:simpleType>
      <xs:restriction base="xs:NCName">
        <xs:enumeration value="default"/>
        <xs:enumeration value="preserve"/>
      </xs:restriction>
    </xs:simpleType>
  </xs:attribute>
  <xs:attribute name="base" type="xs:anyURI"/>
  <xs:attribute name="id" type="xs:ID"/>
</xs:schema>
"""


def _schematron(cust: Customisation) -> etree._Element | None:
    if not cust.local_constraints:
        return None
    # The project's constraints are XPath 1 (run by lxml); other projects write
    # theirs for the TEI's processors, which extract them as queryBinding xslt2.
    s = etree.Element(f"{{{SCH}}}schema", nsmap={"sch": SCH},
                      queryBinding="xslt" if cust.strict else "xslt2")
    etree.SubElement(s, f"{{{SCH}}}ns", prefix="tei", uri=TEI)
    if not cust.strict:
        # namespace declarations inside constraints are schema-wide in ISO Schematron
        declared = {"tei"}
        for _owner, cs in cust.local_constraints:
            for ns in cs.iter(f"{{{SCH}}}ns"):
                if ns.get("prefix") not in declared:
                    declared.add(ns.get("prefix"))
                    etree.SubElement(s, f"{{{SCH}}}ns", prefix=ns.get("prefix", ""),
                                     uri=ns.get("uri", ""))
    for owner, cs in cust.local_constraints:
        for con in cs.iter(T + "constraint"):
            pat = etree.SubElement(s, f"{{{SCH}}}pattern", id=cs.get("ident"))
            rules = [c for c in con if isinstance(c.tag, str) and c.tag == f"{{{SCH}}}rule"]
            if rules:
                for r in rules:
                    pat.append(copy.deepcopy(r))
            else:
                r = etree.SubElement(pat, f"{{{SCH}}}rule", context=f"tei:{owner}")
                for c in con:
                    if (isinstance(c.tag, str) and c.tag.startswith(f"{{{SCH}}}")
                            and c.tag != f"{{{SCH}}}ns"):
                        r.append(copy.deepcopy(c))
    etree.cleanup_namespaces(s)
    return s


def _serialise(el: etree._Element, header: str) -> bytes:
    etree.indent(el, space="  ")
    body = etree.tostring(el, encoding="UTF-8", xml_declaration=False)
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n' + header.encode() + b"\n" + body
            + b"\n")


#: chained ODDs deeper than this are refused (a loop, or a mistake)
MAX_CHAIN = 8


def _read_odd(path: str | Path) -> tuple[bytes, etree._ElementTree]:
    data = xmlsafe.read(path)
    return data, _parse(str(path), data)


def read_schema_file(path: str | Path) -> etree._ElementTree:
    """A schema or ODD file, read as :func:`pipeline.xmlsafe.parse` reads documents,
    but with example ids that repeat or are not names let through (real ODDs have them)."""
    return _read_odd(path)[1]


def _resolve_source(odd: etree._ElementTree, odd_path: Path, source_path: str | Path | None,
                    base: str | Path | None, depth: int,
                    warnings: list[str], strict: bool = True) -> Source:
    """The source a ``schemaSpec`` is compiled against.

    ``schemaSpec/@source`` may name a TEI release (``tei:4.12.0``), a file (the
    ODD this one is chained on, or a p5subset.xml) or a URL. Only local files are
    read, relative to the ODD; a release other than the source at hand is
    compiled against that source with a warning; a URL is refused (nothing is
    fetched). ``base`` stands in for ``@source`` (for a chain whose path is a
    placeholder, as DTABf's ``/path/to/file/basisformat_all.xml``).
    """
    spec = odd.find(f".//{T}schemaSpec")
    declared = spec.get("source") if spec is not None else None
    if base is None and declared and not declared.startswith("tei:"):
        if "://" in declared:
            raise OddError(
                f"schemaSpec/@source='{declared}' (line {spec.sourceline}) is a URL, which "
                "is not fetched: download it and give it with --base (an ODD) or "
                "--source (a p5subset.xml)")
        base = odd_path.parent / declared
        if not base.exists():
            raise OddError(
                f"schemaSpec/@source='{declared}' (line {spec.sourceline}): no such file "
                f"(looked for {base}); give the ODD this one is chained on with --base")
    if base is None:
        source = load_source(source_path)
        if declared and declared.startswith("tei:"):
            wanted = declared[4:]
            if wanted not in ("current", "latest") and wanted not in source.version:
                warnings.append(
                    f"schemaSpec/@source asks for TEI {wanted}; compiled against the "
                    f"source at hand, {source.version or 'of unknown version'} "
                    "(give another with --source)")
        return source
    if depth >= MAX_CHAIN:
        raise OddError(f"chain of ODDs deeper than {MAX_CHAIN} at {base} (a loop?)")
    base = Path(base)
    data, tree = _read_odd(base)
    if tree.find(f".//{T}schemaSpec") is None:
        if tree.find(f".//{T}elementSpec") is None:
            raise OddError(f"{base}: neither an ODD (no schemaSpec) nor a TEI source "
                           "(no elementSpec)")
        return Source(base, data)  # a p5subset.xml
    under = _resolve_source(tree, base, source_path, None, depth + 1, warnings, strict)
    cust = Customisation(tree, under, strict)
    warnings.extend(f"{base.name}: {w}" for w in cust.warnings)
    digest = hashlib.sha256(data + under.digest.encode()).hexdigest()
    return Source.chained(cust, digest)


def compile_odd(odd_path: str | Path, source_path: str | Path | None = None, *,
                base: str | Path | None = None, strict: bool = True) -> Compiled:
    """Compile the ODD at ``odd_path`` against the TEI source at ``source_path``.

    ``source_path`` defaults to the TEI source shipped with teipipe; ``base``
    is the ODD this one is chained on, when its ``schemaSpec/@source`` cannot
    be used as it stands. With ``strict`` (the project's own ODD), what the
    TEI's processor would pass over with a warning is an :class:`OddError`.
    """
    odd_path = Path(odd_path)
    _data, odd = _read_odd(odd_path)
    warnings: list[str] = []
    source = _resolve_source(odd, odd_path, source_path, base, 0, warnings, strict)
    cust = Customisation(odd, source, strict)
    rng = _Rng(cust)
    grammar = rng.build()
    warnings.extend(cust.warnings)  # after build: content models can warn too
    note = (f"<!-- Compiled by teipipe (pipeline/validate/odd.py) from {odd_path.name} "
            f"over the TEI source {source.version or 'p5subset.xml'}. Do not edit: "
            "run `teipipe schema build`. -->")
    rng_bytes = _serialise(grammar, note)
    _check_rng(rng_bytes)
    xsd_bytes = _serialise(_xsd(rng, grammar), note)
    sch = _schematron(cust)
    return Compiled(rng=rng_bytes, xsd=xsd_bytes,
                    sch=_serialise(sch, note) if sch is not None else None,
                    elements=sorted(rng.el), warnings=warnings)


def _check_rng(data: bytes) -> None:
    try:
        load_relaxng(etree.fromstring(data))
    except etree.RelaxNGParseError as e:
        raise OddError(f"the compiled RELAX NG does not load: {e}") from None


#: content models reaching at least this many elements are not turned into
#: automata by libxml2 (see :func:`load_relaxng`)
BIG_CONTENT = 40


def load_relaxng(grammar: etree._Element | etree._ElementTree) -> etree.RelaxNG:
    """Load a RELAX NG grammar into libxml2, fast also for large TEI schemas.

    libxml2 compiles each content model it can into an automaton and checks
    that automaton for determinism, pairwise over its transitions: for TEI's
    paragraph content (hundreds of elements), used by hundreds of elements,
    loading tei_ms took 7-15 s (the official tei_ms.rng and dracor.rng take
    longer still). A content model that may hold an element with a name class
    is not compiled, so an optional element that can never occur (a name in a
    namespace nobody uses, with notAllowed content) is added to each large
    content model: same verdicts (the whole corpus agrees), loads in 0.2 s;
    the messages for those elements name the parent ("failed to validate
    content") rather than the child. Small content models keep their automata
    and precise messages. The grammar given is not changed.
    """
    root = grammar.getroot() if isinstance(grammar, etree._ElementTree) else grammar
    g = copy.deepcopy(root)
    R = f"{{{RNG}}}"
    if g.tag != R + "grammar":
        return etree.RelaxNG(g)
    defs = {d.get("name"): d for d in g.iter(R + "define")}
    memo: dict[str, tuple[bool, frozenset]] = {}

    def scan(node: etree._Element, seen: frozenset) -> tuple[bool, frozenset]:
        # (a data/value/list at this level?, the elements reachable at this level)
        simple, names = False, set()
        for c in node:
            if not isinstance(c.tag, str) or not c.tag.startswith(R):
                continue
            t = c.tag[len(R):]
            if t == "attribute":
                continue
            if t == "element":
                names.add(id(c))
                continue
            if t in ("data", "value", "list"):
                simple = True
                continue
            if t == "ref":
                n = c.get("name")
                if n in seen or n not in defs:
                    continue
                if n not in memo:
                    memo[n] = scan(defs[n], seen | {n})
                s2, n2 = memo[n]
            else:
                s2, n2 = scan(c, seen)
            simple |= s2
            names |= n2
        return simple, frozenset(names)

    big = []
    for el in g.iter(R + "element"):
        if el.get("name") is None:
            continue
        simple, names = scan(el, frozenset())
        # text-only content (data, value) cannot be grouped with an element
        if not simple and len(names) >= BIG_CONTENT:
            big.append(el)
    if big:
        never = "teipipe.never-occurs"
        d = etree.SubElement(g, R + "define", name=never)
        e = etree.SubElement(d, R + "element")
        etree.SubElement(e, R + "nsName", ns="urn:x-teipipe:never")
        etree.SubElement(e, R + "notAllowed")
        for el in big:
            o = etree.SubElement(el, R + "optional")
            etree.SubElement(o, R + "ref", name=never)
    return etree.RelaxNG(g)


def files_of(compiled: Compiled, stem: str) -> dict[str, bytes]:
    """The files a compiled ODD is written as, by name."""
    files = {f"{stem}.rng": compiled.rng, f"{stem}.xsd": compiled.xsd, "xml.xsd": XML_XSD}
    if compiled.sch is not None:
        files[f"{stem}.sch"] = compiled.sch
    return files


def write(compiled: Compiled, stem: str, out_dir: str | Path) -> list[Path]:
    """Write ``<stem>.rng``, ``.xsd`` (+ ``xml.xsd``) and ``.sch``; the paths written.

    Each file is written whole or not at all, so a failed build never leaves
    half a schema behind.
    """
    out = Path(out_dir)
    written = []
    for name, data in files_of(compiled, stem).items():
        write_atomic(out / name, data)
        written.append(out / name)
    return written


def build(odd_path: str | Path, source_path: str | Path | None, out_dir: str | Path, *,
          base: str | Path | None = None, strict: bool = True) -> list[Path]:
    """Compile the ODD and :func:`write` its schemas; the paths written."""
    compiled = compile_odd(odd_path, source_path, base=base, strict=strict)
    return write(compiled, Path(odd_path).stem, out_dir)


def outputs(odd_path: str | Path, source_path: str | Path | None = None) -> dict[str, bytes]:
    """What :func:`build` would write, by file name (for staleness checks)."""
    return files_of(compile_odd(odd_path, source_path), Path(odd_path).stem)


# --------------------------------------------------------------------------- #
# Compile once, validate many: a cache keyed by content
# --------------------------------------------------------------------------- #

def cache_dir() -> Path:
    """Where compiled ODDs are kept: ``$TEIPIPE_CACHE_DIR``, else the user's cache folder."""
    env = os.environ.get("TEIPIPE_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "teipipe" / "odd"


def _chain_bytes(odd_path: Path, base: str | Path | None, depth: int = 0) -> bytes:
    """The bytes of the ODD and of every ODD it is chained on, for the cache key."""
    data, tree = _read_odd(odd_path)
    if depth >= MAX_CHAIN:
        return data
    spec = tree.find(f".//{T}schemaSpec")
    declared = spec.get("source") if spec is not None else None
    if base is None and declared and not declared.startswith("tei:") and "://" not in declared:
        base = odd_path.parent / declared
    if base is None or not Path(base).exists():
        return data
    return data + b"\0" + _chain_bytes(Path(base), None, depth + 1)


def cache_key(odd_path: str | Path, source_path: str | Path | None = None, *,
              base: str | Path | None = None, strict: bool = False) -> str:
    """A digest of everything a compiled ODD depends on.

    The ODD's content and its chain's, the TEI source's content and this
    compiler's own code (a fix in the compiler must not serve stale schemas).
    """
    src = Path(source_path) if source_path is not None else default_source_path()
    h = hashlib.sha256()
    for part in (_chain_bytes(Path(odd_path), base), xmlsafe.read(src),
                 Path(__file__).read_bytes(), b"strict" if strict else b"lenient"):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def compile_cached(odd_path: str | Path, source_path: str | Path | None = None, *,
                   base: str | Path | None = None, strict: bool = False,
                   cache: str | Path | None = None) -> Compiled:
    """:func:`compile_odd`, or what it gave last time for the same content.

    A cache that cannot be written (read-only home, CI sandbox) only costs a
    compile each time; a damaged entry is compiled again.
    """
    key = cache_key(odd_path, source_path, base=base, strict=strict)
    folder = Path(cache) if cache is not None else cache_dir()
    entry = folder / key[:2] / key
    try:
        meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        sch = entry / "schema.sch"
        return Compiled(rng=(entry / "schema.rng").read_bytes(),
                        xsd=(entry / "schema.xsd").read_bytes(),
                        sch=sch.read_bytes() if sch.exists() else None,
                        elements=meta["elements"], warnings=meta["warnings"])
    except (OSError, ValueError, KeyError):
        pass
    compiled = compile_odd(odd_path, source_path, base=base, strict=strict)
    try:
        write_atomic(entry / "schema.rng", compiled.rng)
        write_atomic(entry / "schema.xsd", compiled.xsd)
        if compiled.sch is not None:
            write_atomic(entry / "schema.sch", compiled.sch)
        # meta.json last: an entry without it is not complete, so not used
        write_atomic(entry / "meta.json", json.dumps(
            {"odd": str(odd_path), "elements": compiled.elements,
             "warnings": compiled.warnings}, ensure_ascii=False))
    except OSError:
        pass
    return compiled
