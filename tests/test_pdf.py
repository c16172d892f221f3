"""The print edition: the book's pages (title, contents with page numbers, chapters,
index), one PDF per telegram, fonts, determinism; pages rendered to PNG by pdftoppm."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.render.pdf import book, telegram_pdf
from pipeline.xmlsafe import parse
from tests.fixtures.render.corpus import FIXTURE, all_tei


@pytest.fixture(scope="module")
def book_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "book.pdf"
    book(all_tei(), out)
    return out


def page_texts(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(str(path)).pages]


def test_book_has_title_page_contents_chapters_and_index(book_pdf: Path) -> None:
    texts = page_texts(book_pdf)
    n_docs = len(all_tei())
    assert len(texts) >= 2 + n_docs + 1
    assert "Korean War Telegrams" in texts[0]
    assert texts[1].startswith("Contents")
    # Every chapter in the contents with its page number; the numbers are real pages.
    entries = re.findall(r"\.\s(\d+)\s*$", texts[1], flags=re.M)
    assert len(entries) == n_docs + 1, texts[1]
    pages = [int(e) for e in entries]
    assert pages == sorted(pages) and pages[-1] <= len(texts)
    for page in pages[:-1]:
        assert "From" in texts[page - 1] or "TEI" in texts[page - 1]
    index_page = pages[-1]
    assert "Index of persons" in texts[index_page - 1]


def test_person_index_gives_page_numbers(book_pdf: Path) -> None:
    texts = page_texts(book_pdf)
    index = "\n".join(t for t in texts if "Index of persons" in t or "Stalin, " in t)
    stalin = re.search(r"Stalin, [^\n]*(?:\n[^\n]*){0,3}", index)
    assert stalin, index[:500]
    numbers = [int(n) for n in re.findall(r"\b(\d{1,3})\b", stalin.group(0))]
    assert any(2 < n <= len(texts) for n in numbers)


def test_running_heads_and_footnotes(book_pdf: Path) -> None:
    texts = page_texts(book_pdf)
    assert sum("Korean War Telegrams" in t for t in texts[2:]) >= 2       # verso heads
    fixture_pages = [t for t in texts if "captured in South Korea" in t]
    assert fixture_pages, "the editor's note is at the foot of a page"
    assert "AM" in fixture_pages[0]


def test_fonts_cover_cyrillic(book_pdf: Path) -> None:
    reader = PdfReader(str(book_pdf))
    fonts = set()
    for page in reader.pages:
        for f in (page.get("/Resources") or {}).get("/Font", {}).values():
            fonts.add(str(f.get_object().get("/BaseFont")))
    assert any("DejaVu" in f for f in fonts), fonts
    assert any("Посылаю Вам" in t for t in page_texts(book_pdf))


def test_pdf_has_no_creation_date_and_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    telegram_pdf(parse(FIXTURE), a)
    telegram_pdf(parse(FIXTURE), b)
    assert a.read_bytes() == b.read_bytes()
    meta = PdfReader(str(a)).metadata or {}
    assert "/CreationDate" not in meta and "/ModDate" not in meta


def test_telegram_pdf_pages_render_to_png(tmp_path: Path) -> None:
    out = tmp_path / "t.pdf"
    telegram_pdf(parse(FIXTURE), out)
    texts = page_texts(out)
    assert "Ciphered Telegram No. 21646" in texts[0]
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "2", str(out),
                    str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert pngs and all(p.stat().st_size > 5000 for p in pngs)
