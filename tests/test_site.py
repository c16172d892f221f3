"""The static site: every page there, every link resolving, nothing from the network."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urldefrag

import pytest
from click.testing import CliRunner
from lxml import html

from pipeline.cli import main
from tests.fixtures.render.corpus import FIXTURE, all_tei


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    args = ["render", "--to", "html", *map(str, all_tei()), "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out / "html"


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_site_has_index_telegram_person_and_place_pages(site: Path) -> None:
    assert (site / "index.html").exists()
    assert (site / "persons" / "index.html").exists() and (site / "places" / "index.html").exists()
    assert (site / "wcda-900001.html").exists() and (site / "tei" / "wcda-900001.xml").exists()
    assert (site / "persons" / "stalin.html").exists()
    assert (site / "places" / "place-pyongyang.html").exists()
    assert (site / "assets" / "teipipe.css").exists() and (site / "assets" / "site.js").exists()


def test_every_local_link_resolves(site: Path) -> None:
    broken = []
    for page in pages(site):
        doc = html.fromstring(page.read_bytes())
        ids = set(doc.xpath("//@id"))
        for href in doc.xpath("//a/@href | //link/@href | //script/@src"):
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            path, frag = urldefrag(href)
            if not path:
                if frag and frag not in ids:
                    broken.append(f"{page.relative_to(site)} -> #{frag}")
                continue
            if not (page.parent / path).resolve().exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert not broken, broken[:10]


def test_nothing_is_loaded_from_the_network(site: Path) -> None:
    for page in pages(site):
        doc = html.fromstring(page.read_bytes())
        for url in doc.xpath("//link/@href | //script/@src | //img/@src | //iframe/@src"
                             " | //source/@src | //video/@src | //audio/@src"):
            assert not url.startswith(("http:", "https:", "//")), (page, url)
    css = (site / "assets" / "teipipe.css").read_text()
    assert "@import" not in css and "url(http" not in css and "@font-face" not in css


def test_every_page_declares_its_language(site: Path) -> None:
    for page in pages(site):
        assert html.fromstring(page.read_bytes()).get("lang") == "en", page


def test_index_lists_every_telegram_in_date_order(site: Path) -> None:
    doc = html.fromstring((site / "index.html").read_bytes())
    rows = doc.xpath("//table[@id='telegrams']/tbody/tr")
    assert len(rows) == len(all_tei())
    dates = [r.get("data-date") for r in rows]
    assert dates == sorted(dates)
    first = rows[0]
    assert first.xpath("./td[@class='title']/a/@href")[0].endswith(".html")
    assert first.xpath("./td[@class='route']")[0].text_content().strip()
    assert doc.xpath("//input[@id='q']") and doc.xpath("//select[@id='sender']/option[2]")


def test_person_page_says_who_and_lists_every_telegram(site: Path) -> None:
    doc = html.fromstring((site / "persons" / "stalin.html").read_bytes())
    assert "Stalin" in doc.xpath("//h1")[0].text_content()
    card = doc.xpath("//div[@class='person-card']")[0].text_content()
    assert "Filippov" in card and "cover name" in card
    assert doc.xpath("//div[@class='person-card']//a[contains(@href,'wikidata.org')]")
    titles = doc.xpath("//table[@class='index']//td[@class='title']/a/@href")
    assert "../wcda-900001.html" in titles
    assert len(titles) >= 2
    assert doc.xpath("//span[contains(@class,'badge') and contains(@class,'recipient')]")


def test_site_is_deterministic(tmp_path: Path) -> None:
    outs = []
    for n in (1, 2):
        out = tmp_path / str(n)
        CliRunner().invoke(main, ["render", "--to", "html", *map(str, all_tei()), "-o", str(out)])
        files = sorted(p for p in out.rglob("*") if p.is_file())
        outs.append({p.relative_to(out): p.read_bytes() for p in files})
    assert outs[0] == outs[1]


def test_render_command_text_and_folders(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wcda-900001.xml").write_bytes(FIXTURE.read_bytes())
    result = CliRunner().invoke(main, ["render", "--to", "text", "--width", "60", str(folder),
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    txt = (tmp_path / "out" / "text" / "wcda-900001.txt").read_text("utf-8")
    # only a URL, which is never cut, may stand longer than the width, alone after its label
    assert all(len(line) <= 60 or line.split()[-1].startswith("http") and len(line.split()) <= 2
               for line in txt.splitlines())
    assert "rendered 1 document as text" in result.output


def test_a_bad_file_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "broken.xml"
    bad.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader>", "utf-8")
    result = CliRunner().invoke(main, ["render", "--to", "html,text", str(bad), str(FIXTURE),
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "broken.xml:1:" in result.output and "error [not-well-formed]" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "out" / "html" / "wcda-900001.html").exists()
    assert not (tmp_path / "out" / "html" / "broken.html").exists()
    assert "1 failed" in result.output


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render", "--to", "docx", str(FIXTURE), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "docx" in result.output
