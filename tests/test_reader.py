"""Source text -> record model: the export's header conventions."""

from __future__ import annotations

import datetime

import pytest

from pipeline.convert.model import Record
from pipeline.convert.reader import make_id, read_holdings, read_record
from pipeline.errors import InputError

HEADER = "\n".join([
    "",
    "",
    "**July 16, 1952**",
    "",
    "**Ciphered Telegram No. 502597, Razuvaev to Cdes.  ",
    "Vasilevsky and Vyshinsky**",
    "",
    "**Citation:**",
    "",
    '"Ciphered Telegram No. 502597, Razuvaev to Cdes. Vasilevsky and Vyshinsky", July 16, '
    "1952, Wilson Center Digital Archive, APRF, Fond 45, Opis 1, Delo 348, Listy 65-68; and "
    "RGASPI, f. 558, op. 11, d. 348, ll. 0065-0068.  ",
    "<https://wilson-center.drivingcreative.com/document/113640>",
    "",
    "**Summary:**",
    "",
    "Telegram from Kim Il Sung to Stalin.",
    "",
    "**Original Language:**",
    "",
    "Russian",
    "",
    "**Contents:**",
    "",
    "Translation - English",
    "",
    "To Comrade A. Vasilevsky",
    "",
    "RAZUVAEV",
    "",
])


def test_bold_header_wrapped_title_and_sections():
    rec = read_record(HEADER, "a.txt")
    assert rec.date == datetime.date(1952, 7, 16)
    assert rec.title == ("Ciphered Telegram No. 502597, Razuvaev to Cdes. Vasilevsky and "
                         "Vyshinsky")
    assert rec.id == "wcda-113640"
    assert rec.summary == "Telegram from Kim Il Sung to Stalin."
    assert rec.languages == ["Russian"]
    assert rec.contents == ["Translation - English"]
    assert rec.body == "To Comrade A. Vasilevsky\n\nRAZUVAEV"
    assert [b.line for b in rec.versions[0].blocks] == [25, 27]
    assert not rec.problems


def test_citation_parts():
    cit = read_record(HEADER, "a.txt").citation
    assert cit.title.startswith("Ciphered Telegram No. 502597")
    assert cit.date == "July 16, 1952"
    assert cit.publisher == "Wilson Center Digital Archive"
    assert cit.url == "https://wilson-center.drivingcreative.com/document/113640"
    assert [h.siglum for h in cit.holdings] == ["APRF", "RGASPI"]


def test_plain_header_date_and_title_on_one_line_url_without_brackets():
    text = ("August 28, 1950 Ciphered telegram from Feng Xi [Stalin] to Kim II Sung\n\n"
            "Citation:\n\n\"Ciphered telegram\", August 28, 1950, Wilson Center Digital Archive, "
            "APRF, Fond 45, Opis 1, Delo 347, Listy 5-6, 10-11 (original copy) "
            "https://example.org/document/110696\n\nSummary:\n\nS.\n\nOriginal Language:\n\n"
            "Russian\n\nContents:\n\nTranslation - English\n\nBody.\n")
    rec = read_record(text, "b.txt")
    assert rec.date == datetime.date(1950, 8, 28)
    assert rec.title == "Ciphered telegram from Feng Xi [Stalin] to Kim II Sung"
    assert rec.id == "wcda-110696"
    [h] = rec.citation.holdings
    assert h.ids == [("fond", "45"), ("opis", "1"), ("delo", "347")]
    assert [(x.start, x.end) for x in h.loci] == [("5", "6"), ("10", "11")]
    assert h.note == "original copy"


@pytest.mark.parametrize("cited, siglum, ids, loci", [
    ("TsAMO, f. 5, op. 918795, d. 122, ll. 0045ob-0046", "TsAMO",
     [("fond", "5"), ("opis", "918795"), ("delo", "122")], [("0045ob", "0046")]),
    ("AVP RF, f. 059a, op. 5a, d. 5, p. 11, ll. 90-93", "AVP RF",
     [("fond", "059a"), ("opis", "5a"), ("delo", "5"), ("papka", "11")], [("90", "93")]),
    ("AVPRF, Fond 059a, Opis 5a, Delo 4, Papka 11, Listy 40-43", "AVPRF",
     [("fond", "059a"), ("opis", "5a"), ("delo", "4"), ("papka", "11")], [("40", "43")]),
    ("APRF, fond 3, opis 65, delo 827, list 101", "APRF",
     [("fond", "3"), ("opis", "65"), ("delo", "827")], [("101", "101")]),
    ("RGASPI, f. 17, op. 162, d. 44, l. 3", "RGASPI",
     [("fond", "17"), ("opis", "162"), ("delo", "44")], [("3", "3")]),
])
def test_holding_styles(cited, siglum, ids, loci):
    rec = Record("x.txt", "x")
    [h] = read_holdings(cited, 1, rec)
    assert (h.siglum, h.ids, [(x.start, x.end) for x in h.loci]) == (siglum, ids, loci)
    assert h.parsed and not rec.problems


def test_several_holdings_split_on_semicolons_and_and():
    rec = Record("x.txt", "x")
    hs = read_holdings("APRF, fond 45, opis 1, delo 347, listy 41-45 and APRF, fond 3, opis 65, "
                       "delo 828, listy 5-8; and RGASPI, f. 558, op. 11, d. 348, ll. 0065-0068.",
                       1, rec)
    assert [h.siglum for h in hs] == ["APRF", "APRF", "RGASPI"]


def test_published_collection_is_no_holding():
    rec = Record("x.txt", "x")
    assert read_holdings("Published in CWIHP Bulletin 6-7 (Winter 1995/1996), p. 114", 1, rec) == []


def test_unreadable_holding_is_kept_and_reported():
    rec = Record("x.txt", "x")
    [h] = read_holdings("APRF, f. 45, op. 1, bundle of loose sheets", 7, rec)
    assert not h.parsed and h.text == "APRF, f. 45, op. 1, bundle of loose sheets"
    [p] = rec.problems
    assert (p.line, p.code, p.severity) == (7, "holding", "warning")


def test_ids():
    assert make_id("https://x.org/document/113640", "a.txt") == "wcda-113640"
    assert make_id("https://x.org/document/feng-xi-to-shtykov/", "a.txt") == \
        "wcda-feng-xi-to-shtykov"
    assert make_id("", "dir/001_8EB0 x.txt") == "rec-001-8eb0-x"


def test_missing_sections_are_warnings_and_the_body_follows_the_title():
    rec = read_record("March 18, 1952 Telegram\n\nFirst line of the body.\n\nSecond.\n", "m.txt")
    assert rec.body == "First line of the body.\n\nSecond."
    codes = [p.code for p in rec.problems]
    assert codes.count("missing-section") == 4


def test_truncated_record_without_body_is_an_error():
    text = HEADER.split("Translation - English")[0] + "Translation - English\n"
    with pytest.raises(InputError) as e:
        read_record(text, "cut.txt")
    assert e.value.problem.code == "no-body"
    assert e.value.problem.format().startswith("cut.txt:")


def test_russian_original_beside_translation():
    body = "\n\n".join(["Товарищу ФИЛИППОВУ", "Докладываю, что письмо получено.", "РАЗУВАЕВ",
                        "To Comrade FILIPPOV", "I report that the letter was received.",
                        "RAZUVAEV"])
    rec = read_record(HEADER.split("To Comrade A.")[0] + body + "\n", "ru.txt")
    assert [(v.kind, v.lang, len(v.blocks)) for v in rec.versions] == [
        ("original", "ru", 3), ("translation", "en", 3)]


@pytest.mark.parametrize("ending, how", [
    ('"Respected comrade ', "inside a quotation"),
    ("The enemy took over Incheon and is engaged in street combats in the", "middle of a sentence"),
    ("Such a", "middle of a sentence"),
    ("we cannot help asking You to provide us with,", "middle of a sentence"),
])
def test_a_body_cut_off_mid_sentence_or_mid_quotation_is_a_warning(ending, how):
    rec = read_record(HEADER + "\n\nRAZUVAEV\n\n" + ending, "cut.txt")
    [warning] = [p for p in rec.problems if p.code == "truncated"]
    assert how in warning.message and warning.line == len((HEADER + "\n\nRAZUVAEV\n\n").split("\n"))


@pytest.mark.parametrize("ending", [
    "S H T Y K O V", "29 September 1950", "28 August 1950 No. 483/sh Copy No. 1 To Stalin",
    "[...]", "Typed by Kravchuk on 10/09/50 at 11:20 a.m.", 'Pyongyang 16.7.52.”',
    "With deep respect and esteem",
])
def test_the_archive_s_usual_endings_are_not_taken_for_a_cut(ending):
    rec = read_record(HEADER + "\n\n" + ending, "whole.txt")
    assert not [p for p in rec.problems if p.code == "truncated"]
