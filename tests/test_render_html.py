"""The HTML page of one telegram: structure, brackets, languages, metadata, fallback."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from lxml import etree, html

from pipeline.render import Renderer
from pipeline.xmlsafe import parse
from tests.fixtures.render.corpus import FIXTURE, seed_tei


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.fixture(scope="module")
def page(renderer: Renderer) -> html.HtmlElement:
    return html.fromstring(renderer.html(parse(FIXTURE)).encode("utf-8"))


def text_of(el: html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def test_page_is_html5_with_language_and_viewport(renderer: Renderer) -> None:
    out = renderer.html(parse(FIXTURE))
    assert out.startswith("<!DOCTYPE HTML>")
    doc = html.fromstring(out.encode())
    assert doc.get("lang") == "en"
    assert doc.xpath("//meta[@name='viewport']")
    assert doc.xpath("//main") and doc.xpath("//article") and doc.xpath("//aside")


def test_original_and_translation_side_by_side_with_their_languages(page) -> None:
    parallel = page.xpath("//div[contains(@class,'parallel')]")
    assert len(parallel) == 1
    versions = parallel[0].xpath("./section")
    assert [v.get("lang") for v in versions] == ["ru", "en"]
    assert "Посылаю Вам" in text_of(versions[0])
    assert "I send you" in text_of(versions[1])


def test_metadata_panel_has_messages_holdings_and_citation(page) -> None:
    panel = page.xpath("//aside[contains(@class,'meta')]")[0]
    t = text_of(panel)
    assert "Sent" in t and "Mao Zedong" in t and "Beijing" in t and "18 July 1952, 12:15" in t
    assert "Copies to" in t and "Molotov" in t
    shelf = {dt.text_content(): dt.getnext().text_content()
             for dt in panel.xpath(".//dl[@class='shelf']//dt")}
    assert shelf["fond"] in ("45", "059a") and "opis" in shelf and "delo" in shelf
    assert "listy" in shelf and "papka" in shelf
    assert "Archive of the President of the Russian Federation" in t
    assert panel.xpath(".//a[@type='application/tei+xml'][@href='tei/wcda-900001.xml']")
    cite = text_of(panel.xpath(".//p[@class='cite-line']")[0])
    assert cite.startswith("“Ciphered Telegram No. 21646") and "wcda-900001" in cite


def test_editorial_brackets_rendered_back(page) -> None:
    t = text_of(page.xpath("//section[@lang='en']")[0])
    assert "VVS [air force]" in t
    assert "FILIPPOV [Stalin]" in t
    assert "enemy [territory]" in t
    assert "[…]" in t
    assert "was [sic]" in t
    assert page.xpath("//abbr[@title='air force'][.='VVS']")


def test_notes_are_footnotes_linked_both_ways(page) -> None:
    calls = page.xpath("//sup[@class='fnref']/a")
    notes = page.xpath("//section[contains(@class,'footnotes')]//li")
    assert [a.text for a in calls] == ["1", "2", "3"]
    assert len(notes) == 3
    for a in calls:
        target = a.get("href")[1:]
        assert page.xpath(f"//li[@id='{target}']")
    assert "AM" in text_of(notes[0])                      # the editor who signed it
    assert text_of(notes[1]).startswith("Translator’s note:")
    assert text_of(notes[2]).startswith("Stamp:")


def test_persons_and_places_link_to_their_pages(page) -> None:
    hrefs = set(page.xpath("//article//a/@href"))
    assert "persons/stalin.html" in hrefs and "persons/kim-il-sung.html" in hrefs
    assert "places/place-pyongyang.html" in hrefs


def test_no_network_requests(page) -> None:
    for url in page.xpath("//link/@href | //script/@src | //img/@src | //iframe/@src"):
        assert not url.startswith(("http:", "https:", "//")), url


def test_seed_pages_render_with_their_archive_and_languages(renderer: Renderer) -> None:
    for path in seed_tei():
        doc = html.fromstring(renderer.html(parse(path)).encode())
        assert doc.xpath("//h1[@id='doc-title']")[0].text_content().strip()
        assert doc.xpath("//aside//section[contains(@class,'holdings')]"), path.name
        for section in doc.xpath("//section[contains(@class,'version')]"):
            assert section.get("lang") in ("en", "ru") or section.get("class") == "version single"


def test_bilingual_seed_is_side_by_side(renderer: Renderer) -> None:
    bilingual = [p for p in seed_tei() if b'type="original"' in p.read_bytes()]
    assert bilingual, "a seed has the Russian original"
    doc = html.fromstring(renderer.html(parse(bilingual[0])).encode())
    sections = doc.xpath("//div[contains(@class,'parallel')]/section")
    assert [s.get("lang") for s in sections] == ["ru", "en"]


def test_html_is_deterministic(renderer: Renderer) -> None:
    tree = parse(FIXTURE)
    assert renderer.html(tree) == Renderer().html(parse(FIXTURE))


def test_foreign_tei_renders_with_its_text(renderer: Renderer, foreign_tei) -> None:
    """Anyone's TEI reads: unknown elements fall back to their text."""
    if not foreign_tei:
        pytest.skip("no foreign TEI files in ../shared/foreign-tei")
    for path in foreign_tei:
        tree = parse(path)
        out = renderer.html(tree, name=str(path))
        doc = html.fromstring(out.encode())
        page_text = " ".join(doc.text_content().split())
        body = tree.getroot().find(".//{http://www.tei-c.org/ns/1.0}body")
        if body is None:
            continue
        words = [w for w in " ".join(etree.tostring(body, method="text", encoding="unicode")
                                     .split()).split(" ") if len(w) > 3][:40]
        found = sum(w in page_text for w in words)
        assert found >= 0.8 * len(words), f"{path.name}: {found}/{len(words)} words shown"


def test_each_stylesheet_is_compiled_once_per_renderer(renderer: Renderer) -> None:
    first = renderer.executable("html")
    renderer.html(parse(FIXTURE))
    assert renderer.executable("html") is first


def test_summary_gives_what_the_indexes_need(renderer: Renderer) -> None:
    s = renderer.summary(parse(FIXTURE), file="wcda-900001.xml")
    assert s.get("id") == "wcda-900001" and s.get("sort").startswith("1952-07-18")
    assert s.findtext("title").startswith("Ciphered Telegram No. 21646")
    assert [f.get("ref") for f in s.findall("from")] == ["mao-zedong"]
    assert [t.get("ref") for t in s.findall("to")] == ["stalin"]
    assert s.findtext("archive") == "APRF; AVP RF"
    roles = {(m.get("ref"), m.get("role")) for m in s.findall("mention")}
    assert ("molotov", "cc") in roles and ("place-pyongyang", "mentioned") in roles
    assert s.find("entry/{http://www.tei-c.org/ns/1.0}person") is not None


class _Nesting(HTMLParser):
    """Finds blocks inside paragraphs or phrases (a browser would re-nest them)."""

    BLOCK = {"div", "p", "ul", "ol", "li", "table", "section", "blockquote", "figure", "dl",
             "h1", "h2", "h3", "h4", "h5", "h6", "article", "aside", "header", "footer", "nav"}
    PHRASING = {"p", "span", "a", "em", "strong", "q", "abbr", "time", "sup", "del",
                "h1", "h2", "h3", "h4", "h5", "h6"}
    VOID = {"meta", "link", "br", "img", "hr", "input", "wbr", "col", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.BLOCK and self.PHRASING.intersection(self.stack):
            self.bad.append(f"{tag} inside {'/'.join(self.stack[-3:])}")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while tag not in self.VOID and self.stack and self.stack.pop() != tag:
            pass


def test_no_block_inside_a_paragraph_in_any_page(renderer: Renderer, shared_dir) -> None:
    files = [FIXTURE, *seed_tei(), *sorted((shared_dir / "foreign-tei").glob("*.xml"))]
    for path in files:
        checker = _Nesting()
        checker.feed(renderer.html(parse(path), name=str(path)))
        assert not checker.bad, f"{path.name}: {checker.bad[:3]}"
