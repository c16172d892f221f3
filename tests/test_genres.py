"""Any TEI renders as its genre expects (issue 12): plays, EpiDoc inscriptions, critical
apparatus and index entries, in the HTML page and the text edition.

The fixtures in ``fixtures/render/genres/`` are short texts written for these tests and
encoded as each genre's projects encode them (DraCor, EpiDoc, the Patristic Text Archive,
the Guidelines' index); the foreign TEI files in ``../shared/foreign-tei`` are real ones.
Every file keeps at least 95 % of the words of its ``<text>`` (see ``tests/_words.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from pipeline.render import Renderer
from pipeline.xmlsafe import parse
from tests._words import html_words, kept, missing, tei_words, words
from tests.fixtures.render.corpus import FIXTURE, seed_tei

GENRES = Path(__file__).resolve().parent / "fixtures" / "render" / "genres"
TEI = "{http://www.tei-c.org/ns/1.0}"
LINE = "//div[contains(concat(' ', @class, ' '), ' l ')]"


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def page(renderer: Renderer, name: str) -> html.HtmlElement:
    path = GENRES / name
    return html.fromstring(renderer.html(parse(path), name=str(path)).encode())


def text(renderer: Renderer, name: str) -> str:
    return renderer.text(parse(GENRES / name))


def lines(s: str) -> list[str]:
    return [" ".join(x.split()) for x in s.splitlines()]


def flat(e) -> str:
    return " ".join(e.text_content().split())


def genre_files() -> list[Path]:
    return sorted(GENRES.glob("*.xml"))


def test_each_genre_has_a_fixture() -> None:
    assert {p.stem for p in genre_files()} >= {"play", "inscription", "apparatus", "index"}


@pytest.mark.parametrize("path", genre_files(), ids=lambda p: p.name)
def test_genre_fixture_keeps_its_words(renderer: Renderer, path: Path) -> None:
    tree = parse(path)
    source = tei_words(tree)
    page_words = html_words(renderer.html(tree, name=str(path)))
    text_words = words(renderer.text(tree))
    assert kept(source, page_words) >= 0.95, missing(source, page_words)
    assert kept(source, text_words) >= 0.95, missing(source, text_words)


def test_foreign_tei_keeps_95_percent_of_its_words(renderer: Renderer, foreign_tei) -> None:
    if not foreign_tei:
        pytest.skip("no foreign TEI files in ../shared/foreign-tei")
    for path in foreign_tei:
        tree = parse(path)
        source = tei_words(tree)
        page_words = html_words(renderer.html(tree, name=str(path)))
        text_words = words(renderer.text(tree))
        assert kept(source, page_words) >= 0.95, (path.name, missing(source, page_words))
        assert kept(source, text_words) >= 0.95, (path.name, missing(source, text_words))


# ===== Drama =====

def test_speaker_is_a_label_apart_from_the_speech(renderer: Renderer) -> None:
    doc = page(renderer, "play.xml")
    speakers = doc.xpath("//*[contains(@class,'speaker')]")
    assert [flat(s) for s in speakers] == ["Marta", "Tobias, at the door", "First gull"]
    for s in speakers:
        assert s.xpath(".//strong"), "the speaker is set off as a label"
        assert not s.xpath("ancestor-or-self::*[contains(concat(' ', @class, ' '), ' l ')]")
    assert "Marta" not in flat(doc.xpath("//*[contains(concat(' ', @class, ' '), ' l ')]")[0])


def test_each_verse_line_is_a_line_of_its_own(renderer: Renderer) -> None:
    doc = page(renderer, "play.xml")
    ls = doc.xpath("//div[contains(concat(' ', @class, ' '), ' l ')]")
    assert len(ls) == 5
    assert flat(ls[0]) == "The lamp is trimmed, the oil is in the well,"
    assert flat(ls[4]).startswith("5 Unbar the latch")   # every fifth line shows its number
    t = lines(text(renderer, "play.xml"))
    assert "The lamp is trimmed, the oil is in the well," in t
    assert "and still the fog comes creeping up the stair." in t
    assert t[t.index("Marta") + 1] == "The lamp is trimmed, the oil is in the well,"


def test_inline_stage_direction_stays_in_its_line(renderer: Renderer) -> None:
    doc = page(renderer, "play.xml")
    inline = doc.xpath(f"{LINE}//em[contains(@class,'stage')]")
    assert [flat(e) for e in inline] == ["(turning to the window)", "(he shakes his coat)"]
    between = doc.xpath("//p[contains(@class,'stage')]")
    assert [flat(e) for e in between][-1] == "Marta opens the door. Tobias enters."
    t = lines(text(renderer, "play.xml"))
    assert "Unbar the latch (he shakes his coat) and pour me something warm." in t
    assert "Tobias, at the door" in t, "a delivery direction reads with the speaker's name"
    assert flat(doc.xpath("//p[contains(@class,'speaker')]")[1]) == "Tobias, at the door"
    assert "(turning to the window) Who knocks so late upon a keeper's door?" in t


def test_cast_list_is_a_list_of_roles(renderer: Renderer) -> None:
    doc = page(renderer, "play.xml")
    items = doc.xpath("//ul[contains(@class,'castList')]/li")
    assert [flat(i) for i in items][:2] == ["Marta, keeper of the northern light",
                                            "Tobias, her brother, a ferryman"]
    assert doc.xpath("//ul[contains(@class,'castList')]//ul[contains(@class,'castGroup')]/li")
    assert "- Marta, keeper of the northern light" in lines(text(renderer, "play.xml"))


def test_a_play_has_pages_and_a_telegram_sheets(renderer: Renderer) -> None:
    assert "[page 7]" in flat(page(renderer, "play.xml"))
    assert "[page 7]" in text(renderer, "play.xml")
    telegram = [p for p in (FIXTURE, *seed_tei()) if b"<pb " in p.read_bytes()]
    assert telegram
    out = renderer.html(parse(telegram[0]), name=str(telegram[0]))
    assert "[sheet " in out and "[page " not in out


# ===== Inscriptions =====

def test_edition_is_headed_by_its_type_and_language(renderer: Renderer) -> None:
    doc = page(renderer, "inscription.xml")
    heads = [flat(h) for h in doc.xpath("//section[contains(@class,'epidoc')]/h2")]
    assert heads == ["Edition (Latin)", "Apparatus", "Translation (English)", "Commentary"]
    assert not doc.xpath("//section[contains(@class,'footnotes')]"), \
        "an apparatus entry's note is not a footnote as well"
    page_wide = ("//h2[contains(@class,'version-h')]"
                 "[not(ancestor::section[contains(@class,'epidoc')])]")
    assert not doc.xpath(page_wide), "no page-wide 'Translation' heading above the Latin"
    t = lines(text(renderer, "inscription.xml"))
    assert "EDITION (Latin)" in t and "TRANSLATION (English)" in t
    assert "NOTES" not in t
    raw = [x for x in text(renderer, "inscription.xml").split("\n") if "The formula" in x]
    assert raw and not raw[0].startswith(" "), \
        "a U+2028 in the source is not taken for a line of the inscription"


def test_inscription_lines_are_lines_numbered_every_fifth(renderer: Renderer) -> None:
    doc = page(renderer, "inscription.xml")
    edition = doc.xpath("//section[contains(@class,'t-edition')]")[0]
    # lines 2-5 start a new line; line 6 continues a word
    assert len(edition.xpath(".//br")) == 4
    assert [flat(n) for n in edition.xpath(".//*[@class='lineno']")] == ["5"]
    t = lines(text(renderer, "inscription.xml"))
    assert "fontem [cum] sig[nis]" in t
    assert "5 vit et dedicavit" in t


def test_abbreviations_and_words_stay_inline(renderer: Renderer) -> None:
    doc = page(renderer, "inscription.xml")
    edition = doc.xpath("//section[contains(@class,'t-edition')]")[0]
    assert not edition.xpath(".//span[contains(@class,'w')]//*[self::div or self::p]")
    s = flat(edition)
    assert "Rufin(us)" in s and "s(ua) p(ecunia) fecit" in s
    assert "dedicavit" in s, "lb break='no' joins the word"
    assert "C Valerius" in s and "·" not in s, "no abbreviation mark in the expansion"
    assert "idem[. . .]" in s, "three lost letters are three dots"


# ===== Apparatus =====

def test_apparatus_gives_lemma_readings_and_witnesses(renderer: Renderer) -> None:
    doc = page(renderer, "apparatus.xml")
    reading = flat(doc.xpath("//div[contains(@class,'body')]")[0])
    assert "opens the hive gently" in reading and "quickly" not in reading
    entries = [" ".join(flat(li).replace("↩", "").split())
               for li in doc.xpath("//section[contains(@class,'apparatus')]/ol/li")]
    assert entries == ["gently A B] quickly C", "drowsy A] om. B C",
                       "thickens B] thickned C; hardens A"]
    assert doc.xpath("//sup[@class='appref']/a[@href='#app1']")
    t = lines(text(renderer, "apparatus.xml"))
    assert "[a2] drowsy A] om. B C" in t
    assert "[a3] thickens B] thickned C; hardens A" in t


def test_foreign_apparatus_readings_are_present(renderer: Renderer, foreign_tei) -> None:
    pta = [p for p in foreign_tei if "apparatus" in p.name]
    if not pta:
        pytest.skip("no apparatus file in ../shared/foreign-tei")
    tree = parse(pta[0])
    n = len(tree.getroot().findall(f".//{TEI}text//{TEI}app"))
    doc = html.fromstring(renderer.html(tree, name=str(pta[0])).encode())
    assert len(doc.xpath("//section[contains(@class,'apparatus')]/ol/li")) == n


# ===== Index =====

def test_index_terms_are_kept_in_an_index(renderer: Renderer) -> None:
    doc = page(renderer, "index.xml")
    body = flat(doc.xpath("//div[contains(@class,'body')]")[0])
    assert "Narrow boats were built" in body, "the entry is not printed in the running text"
    index = "//section[contains(@class,'index-terms')]"
    terms = [flat(t) for t in doc.xpath(f"{index}/ul/li/span[@class='term']")]
    assert terms == ["lock", "narrowboat", "towpath horses"]
    assert doc.xpath(f"{index}//li//li[normalize-space()='width of']")
    assert doc.xpath("//a[@class='index-anchor'][@id='idx1']")
    t = lines(text(renderer, "index.xml"))
    assert "INDEX" in t and "- towpath horses" in t
