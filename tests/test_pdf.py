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


# --- issue 12: fonts for every script, a tagged PDF, URLs and dates kept whole ---------

CJK_NAMES = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="scripts" xml:lang="en"><teiHeader>
<fileDesc><titleStmt><title>Names in four scripts</title></titleStmt>
<publicationStmt><p>test</p></publicationStmt><sourceDesc><p>test</p></sourceDesc></fileDesc>
</teiHeader><text><body>
<p>Kim Il Sung (<persName xml:lang="ko">김일성</persName>,
<persName xml:lang="zh">金日成</persName>,
<persName xml:lang="ru">Ким Ир Сен</persName>) wrote to Stalin. See
https://digitalarchive.wilsoncenter.org/document/international/communication/transliteration/113640
for the record.</p>
</body></text></TEI>"""


def _has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True)
    return bool(out.stdout.strip())


def _fonts(path: Path) -> set[str]:
    fonts = set()
    for page in PdfReader(str(path)).pages:
        for f in (page.get("/Resources") or {}).get("/Font", {}).values():
            fonts.add(str(f.get_object().get("/BaseFont")))
    return fonts


def test_korean_and_chinese_names_have_a_font(tmp_path: Path) -> None:
    """Chinese and Korean names were empty boxes: no font for them."""
    if not _has_cjk_font():
        pytest.skip("no font for Korean is installed (.ci/run installs fonts-noto-cjk)")
    src = tmp_path / "scripts.xml"
    src.write_text(CJK_NAMES, encoding="utf-8")
    out = tmp_path / "scripts.pdf"
    telegram_pdf(parse(src), out)
    fonts = _fonts(out)
    assert any("CJK" in f or "WenQuanYi" in f for f in fonts), fonts
    text = "".join(page_texts(out))
    # every character comes back: none was drawn as .notdef (an empty box has no text)
    for word in ("김일성", "金日成", "Ким Ир Сен"):
        assert word in text, text
    if shutil.which("pdftotext"):
        back = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True)
        assert "김일성" in back.stdout and "金日成" in back.stdout


def test_urls_are_never_hyphenated(tmp_path: Path) -> None:
    src = tmp_path / "scripts.xml"
    src.write_text(CJK_NAMES, encoding="utf-8")
    out = tmp_path / "scripts.pdf"
    telegram_pdf(parse(src), out)
    text = "".join(page_texts(out))
    # the address may break across lines, but only where it has a character of its own
    joined = re.sub(r"\s+", "", text)
    # (a hyphen the layout added would be an extra character: the words are long enough
    # to be hyphenated anywhere else in the text)
    assert "https://digitalarchive.wilsoncenter.org/document/international/communication/" \
           "transliteration/113640for" in joined


def test_pdf_is_tagged_with_language_and_title(book_pdf: Path) -> None:
    reader = PdfReader(str(book_pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("en")
    assert (reader.metadata or {}).get("/Title") == "Korean War Telegrams"


def test_book_is_deterministic_and_world_readable(tmp_path: Path, book_pdf: Path) -> None:
    again = tmp_path / "book.pdf"
    book(all_tei(), again)
    assert again.read_bytes() == book_pdf.read_bytes()
    assert again.stat().st_mode & 0o044 == 0o044  # a web server can serve it (umask 022)


def test_contents_keep_each_date_on_one_line(book_pdf: Path) -> None:
    contents = page_texts(book_pdf)[1]
    for date in re.findall(r"\d{1,2} (?:January|February|March|April|May|June|July|August|"
                           r"September|October|November|December)(?:\s+\d{4})?", contents):
        assert "\n" not in date and re.search(r"\d{4}$", date), date


def test_title_page_shows_editors_date_and_licence(tmp_path: Path) -> None:
    from pipeline.render import Renderer
    from pipeline.settings import load_settings

    example = Path(__file__).resolve().parent.parent / "docs" / "teipipe.example.toml"
    out = tmp_path / "book.pdf"
    book(all_tei()[:2], out, renderer=Renderer(settings=load_settings(example)))
    first = page_texts(out)[0]
    assert "Edited by A. Editor and B. Editor" in first
    assert "15 January 2026" in first and "CC BY 4.0" in first
    assert "Encoded and typeset" in first  # it all fits on the title page
    assert (PdfReader(str(out)).metadata or {}).get("/Title") == "Korean War Telegrams"


def test_every_file_a_build_writes_is_readable_by_a_web_server(tmp_path: Path) -> None:
    """book.pdf was written with mode 0600, which a web server refuses."""
    import os

    from pipeline.build import build

    old = os.umask(0o022)
    try:
        seed = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))[0]
        result = build([seed], tmp_path / "out", jobs=1, formats=("html", "pdf"))
    finally:
        os.umask(old)
    assert not result.errors, [p.format() for p in result.errors]
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert any(p.name == "book.pdf" for p in written)
    unreadable = [str(p) for p in written if p.stat().st_mode & 0o044 != 0o044]
    assert not unreadable
