"""One place for the encoding's vocabulary: the ODD.

Every element the converter's writer can create, and every value it can give an
attribute whose values the ODD closes, is allowed by schema/telegram.odd -- proven by
reading the writer's source (every ``sub(parent, "tag", attr="value")``, the tables of
seg types, the Markdown heading levels), not only the files it happened to write. The
encodingDesc the documents carry is the ODD's own, so the renditions and the
date-inference categories it declares are exactly the values the schema allows.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from lxml import etree

from pipeline.convert import form, header

ROOT = Path(__file__).resolve().parent.parent
ODD = ROOT / "schema" / "telegram.odd"
RNG = ROOT / "schema" / "telegram.rng"
WRITERS = [ROOT / "pipeline" / "convert" / f for f in
           ("writer.py", "header.py", "inline.py", "serialise.py")]
T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def closed_values() -> dict[tuple[str, str], set[str]]:
    """(element or '*', attribute) -> the values a closed valList of the ODD allows."""
    odd = etree.parse(str(ODD))
    out: dict[tuple[str, str], set[str]] = {}
    for spec in odd.iter(T + "elementSpec", T + "classSpec"):
        owner = spec.get("ident") if spec.tag == T + "elementSpec" else "*"
        for att in spec.iter(T + "attDef"):
            vl = att.find(T + "valList")
            if vl is not None and vl.get("type") == "closed":
                out[(owner, att.get("ident"))] = {v.get("ident") for v in vl.iter(T + "valItem")}
    return out


def emitted() -> tuple[set[str], set[tuple[str, str, str]]]:
    """The element names and (element, attribute, value) literals of the writer's source."""
    tags: set[str] = set()
    values: set[tuple[str, str, str]] = set()
    for path in WRITERS:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "T" and node.args and isinstance(node.args[0], ast.Constant):
                tags.add(node.args[0].value)
            if not isinstance(node.func, ast.Name) or name != "sub" or len(node.args) < 2 \
                    or not isinstance(node.args[1], ast.Constant):
                continue  # (re.sub is not the writer's sub)
            tag = node.args[1].value
            tags.add(tag)
            for kw in node.keywords:
                if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    values.add((tag, kw.arg, kw.value.value))
    return tags, values


def table_values(variable: str) -> set[str]:
    """The values a writer's table can give ``variable``: ``x = {role: "value"}.get(kind,
    "default")`` -> the dict's values and the default (not its keys, which are roles)."""
    src = (ROOT / "pipeline" / "convert" / "writer.py").read_text(encoding="utf-8")
    out = set()
    for node in ast.walk(ast.parse(src)):
        if not (isinstance(node, ast.Assign) and
                any(getattr(t, "id", "") == variable for t in node.targets)):
            continue
        for d in ast.walk(node.value):
            if isinstance(d, ast.Dict):
                out |= {v.value for v in d.values if isinstance(v, ast.Constant)}
            if isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "get" \
                    and len(d.args) == 2 and isinstance(d.args[1], ast.Constant):
                out.add(d.args[1].value)
    return out


def seg_types() -> set[str]:
    """Every @type the writer can give a seg: its tables and the telegram-number test."""
    src = (ROOT / "pipeline" / "convert" / "writer.py").read_text(encoding="utf-8")
    out = table_values("seg_type")
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.FunctionDef) and node.name == "_number_type":
            out |= {r.value.value for r in ast.walk(node) if isinstance(r, ast.Return)
                    and isinstance(r.value, ast.Constant)}
    return out | {t for (tag, attr, t) in emitted()[1] if tag == "seg" and attr == "type"}


def test_every_element_the_writer_can_create_is_in_the_schema():
    schema = set(re.findall(r'<element name="([^"]+)"', RNG.read_text(encoding="utf-8")))
    tags, _ = emitted()
    assert tags - schema == set()


def test_every_attribute_value_the_writer_can_write_is_allowed():
    allowed = closed_values()
    _, values = emitted()
    bad = []
    for tag, attr, value in values:
        for key in ((tag, attr), ("*", attr)):
            if key in allowed and value not in allowed[key]:
                bad.append((tag, attr, value))
    assert bad == []


def test_every_seg_type_is_allowed():
    assert seg_types() - closed_values()[("seg", "type")] == set()


def test_every_markdown_heading_level_is_a_declared_rendition():
    levels = int(re.search(r"#\{1,(\d)\}", form.RX["heading"].pattern).group(1))
    allowed = closed_values()[("*", "rendition")]
    assert {f"#md-h{n}" for n in range(1, levels + 1)} <= allowed


def test_the_documents_declare_what_the_schema_allows():
    """The encodingDesc copied into documents is the ODD's, and its renditions and
    categories are the schema's closed values, one for one."""
    enc = header.encoding_decls()
    renditions = {"#" + r.get(XML_ID) for r in enc.iter(T + "rendition")}
    categories = {"#" + c.get(XML_ID) for c in enc.iter(T + "category")}
    allowed = closed_values()
    assert renditions == allowed[("*", "rendition")]
    assert categories == allowed[("date", "ana")]


def test_no_ab_type_copies_an_element_name():
    """TEI's own elements for the form (opener, closer, salute, signed, dateline), not
    ab/@type values that copy their names."""
    schema = set(re.findall(r'<element name="([^"]+)"', RNG.read_text(encoding="utf-8")))
    ab_types = table_values("ab_type")
    ab_types |= {v for (tag, attr, v) in emitted()[1] if tag == "ab" and attr == "type"}
    assert ab_types & schema == set()
