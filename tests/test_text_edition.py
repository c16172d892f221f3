"""The plain-text reading edition: header block, wrapping, brackets, endnotes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from pipeline import resources
from pipeline.render import Renderer
from pipeline.xmlsafe import parse
from tests.fixtures.render.corpus import FIXTURE, all_tei, seed_tei

TEI_DIR = Path(__file__).resolve().parent.parent / "tei"
#: a line holding nothing but a label and one URL (which is never cut)
URL_ALONE = re.compile(r"^\s*(\w+:\s+)?\S*(https?://|www\.)\S+$")


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.fixture(scope="module")
def text(renderer: Renderer) -> str:
    return renderer.text(parse(FIXTURE))


def test_header_block_gives_title_date_route_and_archive(text: str) -> None:
    head = text.split("\n\n")[0:2]
    assert head[0].startswith("CIPHERED TELEGRAM NO. 21646")
    fields = head[1]
    assert "Date:" in fields and "18 July 1952, 12:15" in fields
    assert "From:" in fields and "Mao Zedong" in fields
    assert "To:" in fields and "Joseph Stalin" in fields
    assert "Archive:" in fields and "APRF, f. 45, op. 1, d. 343, ll. 72-75" in fields


@pytest.mark.parametrize("width", [40, 60, 72, 78])
def test_no_line_is_longer_than_the_width(renderer: Renderer, width: int) -> None:
    for path in all_tei():
        out = renderer.text(parse(path), width=width)
        # a URL is never cut: one longer than the width stands alone on its line
        too_long = [line for line in out.splitlines() if len(line) > width
                    and not URL_ALONE.match(line)]
        assert not too_long, f"{path.name}: {too_long[:2]}"


def test_any_width_is_honoured(renderer: Renderer) -> None:
    out = renderer.text(parse(FIXTURE), width=200)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 200
    assert max(len(line) for line in lines) > 78  # the rule under the title is 200 wide


def test_urls_are_never_broken(renderer: Renderer) -> None:
    for path in all_tei():
        tree = parse(path)
        urls = {u.strip() for u in tree.xpath("//tei:publicationStmt/tei:idno[@type='URI']/text()",
                                              namespaces={"tei": "http://www.tei-c.org/ns/1.0"})}
        out = renderer.text(tree, width=40)
        for url in urls:
            assert any(url in line for line in out.splitlines()), (path.name, url)


def test_numbered_points_hang(renderer: Renderer) -> None:
    """The later lines of a numbered point start under its text, not under its number."""
    out = renderer.text(parse(TEI_DIR / "wcda-112696.xml"), width=50).splitlines()
    first = next(i for i, line in enumerate(out) if line.lstrip().startswith("1. "))
    text_col = out[first].index("1. ") + 3
    follow = out[first + 1]
    assert follow.strip() and len(follow) - len(follow.lstrip()) == text_col, out[first:first + 2]


def test_brackets_restored(text: str) -> None:
    flat = " ".join(text.split())
    for expected in ("VVS [air force]", "FILIPPOV [Stalin]", "enemy [territory]", "[…]",
                     "was [sic]", "PVO [Anti-aircraft Defense]"):
        assert expected in flat


def test_notes_are_numbered_endnotes(text: str) -> None:
    body, notes = text.split("\nNOTES\n")
    assert "[1]" in body and "[2]" in body and "[3]" in body
    lines = [n for n in notes.strip().splitlines() if n.startswith("[")]
    assert lines[0] == "[1] captured in South Korea — AM"
    assert lines[1].startswith("[2] Translator’s note:")
    assert lines[2] == "[3] Stamp: Received 18.7"


def test_both_versions_have_headings(text: str) -> None:
    assert "ORIGINAL (Russian)" in text and "TRANSLATION (English)" in text
    assert "Посылаю Вам для ознакомления" in " ".join(text.split())


def test_numbered_points_keep_their_numbers(text: str) -> None:
    assert "    1. To strengthen antiaircraft artillery" in text


def test_seed_texts_contain_their_body(renderer: Renderer) -> None:
    for path in seed_tei():
        tree = parse(path)
        out = " ".join(renderer.text(tree).split())
        body = tree.getroot().find(".//{http://www.tei-c.org/ns/1.0}body")
        words = etree.tostring(body, method="text", encoding="unicode").split()
        missing = [w for w in words if w not in out]
        assert len(missing) <= len(words) * 0.02, f"{path.name}: {missing[:10]}"


def test_text_is_utf8_and_deterministic(renderer: Renderer) -> None:
    a = renderer.text(parse(FIXTURE))
    b = Renderer().text(parse(FIXTURE))
    assert a == b
    a.encode("utf-8")


def test_diplomatic_mode_runs_the_converters_stylesheet(renderer: Renderer) -> None:
    if not (resources.xslt_dir() / "diplomatic.xsl").exists():
        pytest.skip("xslt/diplomatic.xsl (the converter's) is not there yet")
    out = renderer.text(parse(FIXTURE), diplomatic=True)
    assert "VVS [air force]" in out
    assert "[...]" in out or "[…]" in out


def test_foreign_tei_reads_as_text(renderer: Renderer, foreign_tei) -> None:
    if not foreign_tei:
        pytest.skip("no foreign TEI files in ../shared/foreign-tei")
    for path in foreign_tei:
        tree = parse(path)
        out = renderer.text(tree, width=70)
        assert all(len(line) <= 70 for line in out.splitlines()), path.name
        body = tree.getroot().find(".//{http://www.tei-c.org/ns/1.0}body")
        if body is None:
            continue
        flat = " ".join(out.split())
        words = [w for w in etree.tostring(body, method="text", encoding="unicode").split()
                 if len(w) > 3][:40]
        assert sum(w in flat for w in words) >= 0.8 * len(words), path.name
