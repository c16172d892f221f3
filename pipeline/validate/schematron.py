"""ISO Schematron with XPath 2/3 (``queryBinding`` xslt2, xslt3), run by Saxon (saxonche).

lxml's ISO skeleton runs XPath 1.0 only, and the Schematron that real projects and
ODDs carry is XPath 2 (``matches()``, ``tokenize()``, ``xs:date`` casts). This
module turns a Schematron into one XSLT 3.0 stylesheet and runs it with Saxon-HE:

- one mode per pattern; in it, each rule is a template whose priority follows
  document order, so a node is caught by the first rule that matches it in each
  pattern, as ISO Schematron says;
- ``let`` (schema, pattern and rule level) become variables; ``assert``/``report``
  messages keep ``value-of`` and ``name``; ``role`` error/fatal is an error,
  warning/info a warning; ``ns`` declarations are honoured;
- abstract rules (``extends``) and abstract patterns (``is-a`` with ``param``) are
  expanded; ``sqf:`` quick fixes, ``diagnostics`` and ``phase`` are ignored.

Each failure comes back with the ``path()`` of its node, which is looked up in the
lxml tree the validator parsed, for the line. The document given to Saxon is the
root element serialised from that tree, so Saxon never sees a DOCTYPE (no DTD or
entity is loaded). An expression Saxon cannot compile is reported with its rule.
"""

from __future__ import annotations

import copy
import re
from xml.sax.saxutils import quoteattr

from lxml import etree

from pipeline.errors import Problem

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
S = f"{{{SCH}}}"

_PROC = None


def _processor():
    global _PROC
    if _PROC is None:
        from saxonche import PySaxonProcessor

        _PROC = PySaxonProcessor(license=False)
    return _PROC


class SchematronError(Exception):
    """The Schematron cannot be run; the message names the rule (and line) at fault."""


def _expand(schema: etree._Element) -> etree._Element:
    """Abstract patterns and rules expanded in a copy of the schema."""
    s = copy.deepcopy(schema)
    abstract_rules = {r.get("id"): r for r in s.iter(S + "rule") if r.get("abstract") == "true"}
    for r in s.iter(S + "rule"):
        for ext in list(r.findall(S + "extends")):
            base = abstract_rules.get(ext.get("rule"))
            if base is not None:
                for c in base:
                    r.insert(list(r).index(ext), copy.deepcopy(c))
            r.remove(ext)
    abstract_patterns = {p.get("id"): p for p in s.findall(S + "pattern")
                         if p.get("abstract") == "true"}
    for p in list(s.findall(S + "pattern")):
        if p.get("is-a") in abstract_patterns:
            params = {x.get("name"): x.get("value") for x in p.findall(S + "param")}
            body = etree.tostring(abstract_patterns[p.get("is-a")]).decode()
            for name in sorted(params, key=len, reverse=True):
                body = re.sub(r"\$" + re.escape(name) + r"\b",
                              lambda _m, v=params[name]: v, body)
            new = etree.fromstring(body)
            new.attrib.pop("abstract", None)
            if p.get("id"):
                new.set("id", p.get("id"))
            s.replace(p, new)
    for p in abstract_patterns.values():
        if p.getparent() is not None:
            p.getparent().remove(p)
    for r in abstract_rules.values():
        if r.getparent() is not None:
            r.getparent().remove(r)
    return s


def _message_xslt(msg: etree._Element) -> str:
    """The message of an assert/report as XSLT content (value-of and name kept)."""
    out = [_text(msg.text)]
    for c in msg:
        if c.tag == S + "value-of":
            out.append(f"<xsl:value-of select={quoteattr(c.get('select', '.'))}/>")
        elif c.tag == S + "name":
            out.append(f"<xsl:value-of select={quoteattr('name(' + c.get('path', '.') + ')')}/>")
        elif isinstance(c.tag, str):
            out.append(_message_xslt(c))
        out.append(_text(c.tail))
    return "".join(out)


def _text(t: str | None) -> str:
    if not t:
        return ""
    return "<xsl:text>" + t.replace("&", "&amp;").replace("<", "&lt;") + "</xsl:text>"


def _let(let: etree._Element) -> str:
    tag = "xsl:variable"
    if let.get("value") is not None:
        return f"<{tag} name={quoteattr(let.get('name'))} select={quoteattr(let.get('value'))}/>"
    inner = "".join(etree.tostring(c).decode() for c in let)
    return f"<{tag} name={quoteattr(let.get('name'))}>{inner}</{tag}>"


def to_xslt(schema: etree._Element) -> str:
    """The XSLT 3.0 stylesheet that runs ``schema`` and writes one ``<f>`` per failure."""
    s = _expand(schema)
    ns = {n.get("prefix"): n.get("uri") for n in s.iter(S + "ns")}
    decls = " ".join(f"xmlns:{p}={quoteattr(u)}" for p, u in ns.items() if p)
    parts = [f'<xsl:stylesheet version="3.0" xmlns:xsl="{XSL}" {decls} '
             'exclude-result-prefixes="#all">']
    for let in s.findall(S + "let"):
        parts.append(_let(let))
    patterns = [p for p in s.findall(S + "pattern")]
    parts.append('<xsl:template match="/"><r>')
    for i, _p in enumerate(patterns):
        parts.append(f'<xsl:apply-templates select="." mode="p{i}"/>')
    parts.append("</r></xsl:template>")
    for i, p in enumerate(patterns):
        lets = "".join(_let(x) for x in p.findall(S + "let"))
        rules = [r for r in p.findall(S + "rule")]
        for j, r in enumerate(rules):
            body = [lets, "".join(_let(x) for x in r.findall(S + "let"))]
            for c in r:
                if c.tag not in (S + "assert", S + "report"):
                    continue
                test = c.get("test", "true()")
                cond = f"not({test})" if c.tag == S + "assert" else test
                rid = r.get("id") or p.get("id") or ""
                body.append(
                    f"<xsl:if test={quoteattr(cond)}><f path='{{path()}}' "
                    f"id={quoteattr(c.get('id') or '')} role={quoteattr(c.get('role') or '')} "
                    f"rule={quoteattr(rid)} line={quoteattr(str(c.sourceline or 0))}>"
                    f"{_message_xslt(c)}</f></xsl:if>")
            parts.append(
                f"<xsl:template match={quoteattr(r.get('context', '/'))} mode='p{i}' "
                f"priority='{len(rules) - j + 1}'>{''.join(body)}"
                f"<xsl:apply-templates select='@*|node()' mode='p{i}'/></xsl:template>")
        parts.append(f"<xsl:template match='text()|comment()|processing-instruction()' "
                     f"mode='p{i}' priority='0'/>")
        parts.append(f"<xsl:template match='@*|node()' mode='p{i}' priority='-1'>"
                     f"<xsl:apply-templates select='@*|node()' mode='p{i}'/></xsl:template>")
    parts.append("</xsl:stylesheet>")
    return "".join(parts)


class Schematron:
    """An XPath 2/3 Schematron compiled once, run on any number of documents."""

    def __init__(self, schema: etree._ElementTree | etree._Element, name: str = "schema"):
        root = schema.getroot() if isinstance(schema, etree._ElementTree) else schema
        self.name = name
        proc = _processor()
        self._xslt = proc.new_xslt30_processor()
        text = to_xslt(root)
        try:
            self._exe = self._xslt.compile_stylesheet(stylesheet_text=text)
        except Exception as e:  # saxonche raises PySaxonApiError
            raise SchematronError(self._culprit(root) or _first(e)) from None

    @staticmethod
    def _culprit(root: etree._Element) -> str | None:
        """The first rule whose context or test Saxon cannot compile, named."""
        proc = _processor()
        xp = proc.new_xpath_processor()
        for n in root.iter(S + "ns"):
            xp.declare_namespace(n.get("prefix"), n.get("uri"))
        for let in root.iter(S + "let"):
            xp.declare_variable(let.get("name"))
        for r in root.iter(S + "rule"):
            exprs = [("context", r.get("context") or ".")]
            exprs += [(f"{etree.QName(c).localname}/@test", c.get("test") or "true()")
                      for c in r if c.tag in (S + "assert", S + "report")]
            for what, expr in exprs:
                try:
                    xp.evaluate("(" + expr + ")[false()]")
                except Exception as e:
                    if "XPST0008" in str(e) or "XPDY0002" in str(e):
                        continue  # a variable or context needed at run time only
                    rid = r.get("id") or r.get("context")
                    return (f"rule '{rid}' (line {r.sourceline}): {what} {expr!r} does not "
                            f"compile: {_first(e)}")
        return None

    def check(self, tree: etree._ElementTree, name: str) -> list[Problem]:
        proc = _processor()
        root = tree.getroot()
        doc = proc.parse_xml(xml_text=etree.tostring(root, encoding="unicode"))
        try:
            out = self._exe.transform_to_string(xdm_node=doc)
        except Exception as e:
            return [Problem(name, 0, 0, "error", "schematron",
                            f"{self.name}: the Schematron failed while running: {_first(e)}")]
        problems = []
        for f in etree.fromstring(out.encode("utf-8")):
            role = (f.get("role") or "error").lower()
            severity = "warning" if role in ("warning", "warn", "info", "information") \
                else "error"
            text = " ".join("".join(f.itertext()).split())
            line = _line(tree, f.get("path") or "")
            problems.append(Problem(name, line, 0, severity, f.get("id") or "schematron", text))
        return problems


_STEP = re.compile(r"Q\{([^}]*)\}([\w.\-]+)")


def _line(tree: etree._ElementTree, path: str) -> int:
    """The line of the node Saxon's ``path()`` names, in the lxml tree."""
    if not path or path == "/":
        return tree.getroot().sourceline or 0
    # /Q{ns}TEI[1]/Q{ns}text[1]/@source -> lxml XPath with local-name()/namespace-uri()
    xp = _STEP.sub(lambda m: f"*[local-name()='{m.group(2)}' and namespace-uri()='{m.group(1)}']",
                   path)
    xp = re.sub(r"/text\(\)\[\d+\]$|/comment\(\)\[\d+\]$", "", xp)
    try:
        hit = tree.xpath(xp)
    except etree.XPathError:
        return 0
    if not hit:
        return 0
    node = hit[0]
    if isinstance(node, str) and hasattr(node, "getparent"):
        node = node.getparent()  # an attribute: its element's line
    return getattr(node, "sourceline", 0) or 0


def _first(e: BaseException) -> str:
    lines = [x.strip() for x in str(e).strip().splitlines() if x.strip()]
    return " ".join(lines[:2]) if lines else type(e).__name__
