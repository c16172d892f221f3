"""The aligned parallel view's rows (html.xsl, template "aligned"), without a browser: each
linked pair shares a grid row, each version keeps its whole text in order, no id is
repeated, and a long bilingual document is cut in one pass (not once per row).
"""

from __future__ import annotations

import re
import time

import pytest
from lxml import etree, html

from pipeline.render import Renderer
from pipeline.xmlsafe import parse
from tests.conftest import ROOT

BILINGUAL = ROOT / "tei" / "wcda-113642.xml"


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def row_of(el: html.HtmlElement) -> int:
    cell = next(a for a in el.iterancestors() if "cell" in (a.get("class") or "").split())
    return int(re.search(r"grid-row: (\d+)", cell.get("style")).group(1))


def words(el) -> list[str]:
    return " ".join(el.itertext()).split()


def test_each_linked_pair_shares_a_row(renderer: Renderer) -> None:
    page = html.fromstring(renderer.html(parse(BILINGUAL)).encode("utf-8"))
    tei = etree.parse(str(BILINGUAL))
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    pairs = [(e.get(xml_id), e.get("corresp")[1:]) for e in tei.iter()
             if isinstance(e.tag, str) and e.get(xml_id) and e.get("corresp", "").startswith("#")
             and etree.QName(e).localname in ("p", "item")
             and any(a.get("type") == "translation" for a in e.iterancestors())]
    assert len(pairs) == 10
    for t, o in pairs:
        assert row_of(page.get_element_by_id(t)) == row_of(page.get_element_by_id(o)), (t, o)
    rows = [row_of(page.get_element_by_id(t)) for t, _ in pairs]
    assert rows == sorted(set(rows)), "one pair per row, in reading order"
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids)), "no id repeated by the cutting"


def test_each_version_keeps_its_whole_text_in_order(renderer: Renderer) -> None:
    cut = html.fromstring(renderer.html(parse(BILINGUAL)).encode("utf-8"))
    tei = etree.parse(str(BILINGUAL))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    for lang, kind in (("ru", "original"), ("en", "translation")):
        section = cut.xpath(f"//div[contains(@class,'parallel')]/section[@lang='{lang}']")[0]
        # The cells' words, without the toggles' labels ("Original (Russian)").
        shown = [w for c in section.xpath("./*[contains(@class,'cell')]")
                 for w in words(c) if w not in ("Original", "(Russian)")]
        div = tei.xpath(f"//t:body/t:div[@type='{kind}']", namespaces=ns)[0]
        # Every word of the TEI's paragraphs appears, in the same order.
        expected = [w for p in div.xpath(".//t:p[not(ancestor::t:p)]", namespaces=ns)
                    for w in " ".join(p.xpath(".//text()[not(ancestor::t:note[@type!='gloss'])]",
                                              namespaces=ns)).split()]
        it = iter(shown)
        missing = [w for w in expected if not any(w in s for s in it)]
        assert not missing, missing[:10]


def test_a_long_bilingual_document_is_cut_in_one_pass(renderer: Renderer, tmp_path) -> None:
    n = 400
    orig = "".join(f'<p xml:id="o{i}" corresp="#t{i}">Абзац {i}.</p>' for i in range(n))
    trans = "".join(f'<p xml:id="t{i}" corresp="#o{i}">Paragraph {i}.</p>' for i in range(n))
    f = tmp_path / "long.xml"
    f.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="long"><teiHeader><fileDesc>'
        "<titleStmt><title>Long</title></titleStmt><publicationStmt><p/></publicationStmt>"
        "<sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body>"
        f'<div type="original" xml:lang="ru">{orig}</div>'
        f'<div type="translation" xml:lang="en">{trans}</div></body></text></TEI>', "utf-8")
    tree = parse(f)
    renderer.html(tree)
    t0 = time.perf_counter()
    page = html.fromstring(renderer.html(tree).encode("utf-8"))
    took = time.perf_counter() - t0
    assert took < 10, f"{took:.1f} s for {n} linked paragraphs"
    assert row_of(page.get_element_by_id("t399")) == row_of(page.get_element_by_id("o399"))
