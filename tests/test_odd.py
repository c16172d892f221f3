"""The ODD compiler: what a customisation says is what the schema enforces."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from pipeline.validate import odd

HEADER = """<TEI xmlns="http://www.tei-c.org/ns/1.0"
 xmlns:sch="http://purl.oclc.org/dsdl/schematron"><teiHeader><fileDesc><titleStmt>
<title>t</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/>
</sourceDesc></fileDesc></teiHeader><text><body>{spec}</body></text></TEI>"""

MINIMAL = """<moduleRef key="tei"/>
<moduleRef key="core" include="p hi title list item"/>
<moduleRef key="header" include="teiHeader fileDesc titleStmt publicationStmt sourceDesc"/>
<moduleRef key="textstructure" include="TEI text body div"/>"""


def doc(body: str, header: bool = True) -> etree._ElementTree:
    h = ("<teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt>"
         "<p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>")
    return etree.ElementTree(etree.fromstring(
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{h if header else ""}'
        f"<text><body>{body}</body></text></TEI>"))


@pytest.fixture(scope="module")
def p5(shared_dir: Path) -> Path:
    return shared_dir / "tei" / "p5subset.xml"


def compile_spec(tmp_path: Path, p5: Path, inner: str, start: str = "TEI"):
    path = tmp_path / "t.odd"
    path.write_text(HEADER.format(spec=f'<schemaSpec ident="t" start="{start}">{inner}'
                                       "</schemaSpec>"))
    return odd.compile_odd(path, p5)


def rng(compiled) -> etree.RelaxNG:
    return etree.RelaxNG(etree.fromstring(compiled.rng))


def test_module_include_limits_the_elements(tmp_path, p5):
    c = compile_spec(tmp_path, p5, MINIMAL)
    assert "p" in c.elements and "note" not in c.elements and "persName" not in c.elements
    v = rng(c)
    assert v.validate(doc("<div><p>x <hi>y</hi></p></div>"))
    assert not v.validate(doc("<div><p>x <note>y</note></p></div>"))


def test_except_removes_elements(tmp_path, p5):
    c = compile_spec(tmp_path, p5, MINIMAL.replace(
        '<moduleRef key="core" include="p hi title list item"/>',
        '<moduleRef key="core" except="hi note"/>'))
    assert "hi" not in c.elements and "list" in c.elements


def test_closed_vallist_on_an_element(tmp_path, p5):
    c = compile_spec(tmp_path, p5, MINIMAL + """
      <elementSpec ident="div" mode="change"><attList>
        <attDef ident="type" mode="change" usage="req">
          <valList type="closed" mode="replace"><valItem ident="a"/><valItem ident="b"/>
          </valList></attDef></attList></elementSpec>""")
    v = rng(c)
    assert v.validate(doc('<div type="a"><p>x</p></div>'))
    assert not v.validate(doc('<div type="c"><p>x</p></div>'))
    assert not v.validate(doc("<div><p>x</p></div>"))  # usage="req"
    (tmp_path / "xml.xsd").write_bytes(odd.XML_XSD)
    (tmp_path / "t.xsd").write_bytes(c.xsd)
    xsd = etree.XMLSchema(etree.parse(str(tmp_path / "t.xsd")))
    assert not xsd.validate(doc('<div type="c"><p>x</p></div>'))


def test_class_attribute_changed_for_every_member(tmp_path, p5):
    c = compile_spec(tmp_path, p5, MINIMAL + """
      <classSpec ident="att.global.rendition" type="atts" mode="change"><attList>
        <attDef ident="rendition" mode="change"><valList type="closed" mode="replace">
          <valItem ident="#x"/></valList></attDef></attList></classSpec>""")
    v = rng(c)
    assert v.validate(doc('<div><p rendition="#x">x</p></div>'))
    assert not v.validate(doc('<div><p rendition="#y">x</p></div>'))


def test_attribute_deleted(tmp_path, p5):
    c = compile_spec(tmp_path, p5, MINIMAL + """
      <elementSpec ident="p" mode="change"><attList>
        <attDef ident="n" mode="delete"/></attList></elementSpec>""")
    v = rng(c)
    assert v.validate(doc('<div n="1"><p>x</p></div>'))
    assert not v.validate(doc('<div><p n="1">x</p></div>'))


def test_element_deleted_and_content_replaced(tmp_path, p5):
    c = compile_spec(tmp_path, p5, MINIMAL + """
      <elementSpec ident="hi" mode="delete"/>
      <elementSpec ident="item" mode="change"><content><textNode/></content></elementSpec>""")
    v = rng(c)
    assert "hi" not in c.elements
    assert v.validate(doc("<div><list><item>x</item></list></div>"))
    assert not v.validate(doc("<div><list><item><p>x</p></item></list></div>"))


def test_new_element_added(tmp_path, p5):
    c = compile_spec(tmp_path, p5, MINIMAL + """
      <elementSpec ident="cipher" mode="add" ns="http://www.tei-c.org/ns/1.0">
        <classes><memberOf key="model.phrase"/><memberOf key="att.global"/></classes>
        <content><textNode/></content></elementSpec>""")
    assert rng(c).validate(doc("<div><p>key <cipher>XQ</cipher></p></div>"))


def test_constraints_become_schematron(tmp_path, p5):
    c = compile_spec(tmp_path, p5, MINIMAL + """
      <elementSpec ident="div" mode="change"><constraintSpec ident="x-head" scheme="schematron">
        <constraint><sch:assert test="tei:p">a div needs a p</sch:assert></constraint>
      </constraintSpec></elementSpec>""")
    from lxml import isoschematron

    sch = isoschematron.Schematron(etree.fromstring(c.sch))
    assert sch.validate(doc("<div><p>x</p></div>"))
    assert not sch.validate(doc("<div><list><item>x</item></list></div>"))


def test_output_is_deterministic(tmp_path, p5):
    a = compile_spec(tmp_path, p5, MINIMAL)
    b = compile_spec(tmp_path, p5, MINIMAL)
    assert (a.rng, a.xsd) == (b.rng, b.xsd)


@pytest.mark.parametrize("inner,words", [
    ('<moduleRef key="nonesuch"/>', "no such module"),
    ('<moduleRef key="core" include="p nonesuch"/>', "unknown element"),
    ('<moduleRef url="http://example.org/x.rng"/>', "not supported"),
    (MINIMAL + '<elementSpec ident="persName" mode="change"/>', "not selected"),
])
def test_errors_say_what_is_wrong(tmp_path, p5, inner, words):
    with pytest.raises(odd.OddError, match=words):
        compile_spec(tmp_path, p5, inner)


def test_start_must_be_in_the_schema(tmp_path, p5):
    with pytest.raises(odd.OddError, match="start"):
        compile_spec(tmp_path, p5, MINIMAL, start="teiCorpus")


def test_class_expansion_keeps_the_guidelines_order(tmp_path, p5):
    # msDesc's physDesc parts are a sequence in the order of the Guidelines
    c = compile_spec(tmp_path, p5, MINIMAL + '<moduleRef key="msdescription"/>')
    text = c.rng.decode()
    phys = text[text.index('<define name="physDesc">'):]
    phys = phys[:phys.index("</define>")]
    assert phys.index('"objectDesc"') < phys.index('"handDesc"') < phys.index('"bindingDesc"')


# -- third-party ODDs: what odd2odd.xsl does ------------------------------- #

def compile_lenient(tmp_path: Path, p5: Path, inner: str, **attrs: str):
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    path = tmp_path / "t.odd"
    path.write_text(HEADER.format(spec=f'<schemaSpec ident="t" start="TEI"{extra}>{inner}'
                                       "</schemaSpec>"))
    return odd.compile_odd(path, p5, strict=False)


def test_classes_without_mode_replace_the_memberships(tmp_path, p5):
    # <classes> defaults to mode="replace" (tei_drama's att.global relies on it)
    c = compile_lenient(tmp_path, p5, MINIMAL + """
      <elementSpec ident="hi" mode="change"><classes><memberOf key="att.global"/>
      </classes></elementSpec>""")
    v = rng(c)
    assert v.validate(doc("<div><p>x</p></div>"))
    assert not v.validate(doc("<div><p>x <hi>y</hi></p></div>"))  # no longer model.hiLike
    c = compile_lenient(tmp_path, p5, MINIMAL + """
      <elementSpec ident="hi" mode="change"><classes mode="change">
      <memberOf key="att.global.rendition" mode="delete"/></classes></elementSpec>""")
    assert rng(c).validate(doc("<div><p>x <hi>y</hi></p></div>"))


@pytest.mark.parametrize("mode,ok,bad", [
    ("change", ["a", "b", "c"], ["zzz"]),   # merged with the old list
    ("replace", ["c"], ["a"]),              # the old list is gone
    ("add", ["c"], ["a"]),                  # odd2odd.xsl: add replaces too
])
def test_vallist_modes_in_a_changed_attribute(tmp_path, p5, mode, ok, bad):
    c = compile_lenient(tmp_path, p5, MINIMAL + f"""
      <elementSpec ident="div" mode="change"><attList>
        <attDef ident="type" mode="replace"><valList type="closed">
          <valItem ident="a"/><valItem ident="b"/></valList></attDef></attList></elementSpec>
      <elementSpec ident="div" mode="change"><attList>
        <attDef ident="type" mode="change"><valList type="closed" mode="{mode}">
          <valItem ident="c"/></valList></attDef></attList></elementSpec>""")
    v = rng(c)
    for value in ok:
        assert v.validate(doc(f'<div type="{value}"><p>x</p></div>')), value
    for value in bad:
        assert not v.validate(doc(f'<div type="{value}"><p>x</p></div>')), value


@pytest.mark.parametrize("inner,words", [
    ('<classSpec ident="att.nonesuch" type="atts" mode="change"/>', "not in the TEI source"),
    ('<elementSpec ident="persName" mode="change"/>', "not selected"),
    ('<specGrpRef target="#nowhere"/>', "does not resolve"),
])
def test_what_odd2odd_passes_over_is_a_warning_for_third_party_odds(tmp_path, p5, inner,
                                                                     words):
    c = compile_lenient(tmp_path, p5, MINIMAL + inner)
    assert any(words in w for w in c.warnings), c.warnings
    with pytest.raises(odd.OddError, match=words):  # and an error for our own ODD
        compile_spec(tmp_path, p5, MINIMAL + inner)


def test_source_naming_a_tei_release_compiles_with_a_warning(tmp_path, p5):
    c = compile_lenient(tmp_path, p5, MINIMAL, source="tei:9.9.9")
    assert any("9.9.9" in w for w in c.warnings)


def test_source_url_is_never_fetched(tmp_path, p5):
    with pytest.raises(odd.OddError, match="not fetched"):
        compile_lenient(tmp_path, p5, MINIMAL, source="https://example.org/base.odd")


def test_chained_odd_selects_from_its_base(tmp_path, p5):
    base = tmp_path / "base.odd"
    base.write_text(HEADER.format(spec='<schemaSpec ident="b" start="TEI">' + MINIMAL +
                                  '<elementSpec ident="hi" mode="delete"/></schemaSpec>'))
    path = tmp_path / "chain.odd"
    path.write_text(HEADER.format(spec='<schemaSpec ident="c" start="TEI" source="base.odd">'
                                  + MINIMAL + "</schemaSpec>"))
    c = odd.compile_odd(path, p5, strict=False)
    # the base deleted hi: the chained ODD's moduleRef cannot bring it back
    assert "hi" not in c.elements and "p" in c.elements


def test_odd_examples_with_odd_ids_are_read(tmp_path, p5):
    path = tmp_path / "t.odd"
    path.write_text(HEADER.format(spec='<schemaSpec ident="t" start="TEI">' + MINIMAL +
                                  "</schemaSpec><p xml:id='1'/><p xml:id='d'/><p xml:id='d'/>"))
    assert "p" in odd.compile_odd(path, p5).elements


def test_the_shipped_source_is_the_default():
    c = odd.compile_odd(Path(__file__).resolve().parent.parent / "schema" / "telegram.odd")
    assert "4.10.0a" in c.rng.decode()[:400]
