"""Dates and times: an expression in, its ISO value and what was inferred out.

Every style the archive uses, the inferences it needs (year, century,
day/month order, "of this year") and the numbers that are not dates.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipeline.convert.dates import DateMention, DateResolver, parse_record_date

JULY_1952 = dt.date(1952, 7, 18)


def one(text: str, doc: dt.date | None = JULY_1952, body: str = "", lang: str = "en"):
    ms = DateResolver(doc, body or text).find(text, lang)
    assert len(ms) == 1, ms
    m = ms[0]
    assert text[m.start:m.end] == m.text
    return m.text, m.when, m.cert, m.reasons


# --- full dates ------------------------------------------------------------------

@pytest.mark.parametrize("text, surface, when", [
    ("Sent 17.7.52", "17.7.52", "1952-07-17"),
    ("Pyongyang 16.7.52.", "16.7.52", "1952-07-16"),
    ("12:15 18.7.1952", "12:15 18.7.1952", "1952-07-18T12:15:00"),
    ("24.III.50", "24.III.50", "1950-03-24"),
    ("Вх. № 2707 от 18/III 1952 г.", "18/III 1952 г.", "1952-03-18"),
    ("КИМ ИР СЕН. 21.00 16 июля 1952г.\"", "21.00 16 июля 1952г.", "1952-07-16T21:00:00"),
    ("16 июля 1952г.", "16 июля 1952г.", "1952-07-16"),
    ("29 September 1950", "29 September 1950", "1950-09-29"),
    ("our note of January 10, 1952 and", "January 10, 1952", "1952-01-10"),
    ("in the note of October 6, 1951, within", "October 6, 1951", "1951-10-06"),
    ("on 16.9.50, the U.S. performed", "16.9.50", "1950-09-16"),
    ("28 August 1950 No. 483/sh", "28 August 1950", "1950-08-28"),
    ("Sept. 3, 1950", "Sept. 3, 1950", "1950-09-03"),
    ("1952-07-16", "1952-07-16", "1952-07-16"),
    ("in June 1950", "June 1950", "1950-06"),
    ("KIM IL SUNG. 21:00 16 July 1952.", "21:00 16 July 1952", "1952-07-16T21:00:00"),
])
def test_dates_with_their_year(text: str, surface: str, when: str) -> None:
    got = one(text)
    assert got[:2] == (surface, when)


def test_two_digit_years_are_marked_as_an_inferred_century() -> None:
    assert one("Sent 17.7.52") == ("17.7.52", "1952-07-17", "high", ("infer-century",))
    assert one("29 September 1950") == ("29 September 1950", "1950-09-29", None, ())


# --- times ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, surface, when", [
    ("Sent from Pyongyang by wire on 09/30/50 at 20:35 p.m.", "09/30/50 at 20:35 p.m.",
     "1950-09-30T20:35:00"),  # "20:35 p.m." is 20:35, not 08:35 the next day
    ("Deciphered by Mikhaylenko on 10/01/50 at 0:35 a.m.", "10/01/50 at 0:35 a.m.",
     "1950-10-01T00:35:00"),
    ("Sent by wire on 10/09/50 at 7:05 a.m.", "10/09/50 at 7:05 a.m.", "1950-10-09T07:05:00"),
    ("on 10/09/50 at 3:15 p.m.", "10/09/50 at 3:15 p.m.", "1950-10-09T15:15:00"),
    ("on 10/09/50 at 12:10 a.m.", "10/09/50 at 12:10 a.m.", "1950-10-09T00:10:00"),
    ("Received 17.7 20:50", "17.7 20:50", "1952-07-17T20:50:00"),
    ("Sent to 8th Administration 17.7 21:10", "17.7 21:10", "1952-07-17T21:10:00"),
    ("MAO ZEDONG, 3:00, 15.7.52\"", "3:00, 15.7.52", "1952-07-15T03:00:00"),
    ("Расп. Ваганов 14.20 18.7", "14.20 18.7", "1952-07-18T14:20:00"),
    ("Отп. Чередикина 15.00 18.7", "15.00 18.7", "1952-07-18T15:00:00"),
])
def test_date_and_time_together(text: str, surface: str, when: str) -> None:
    assert one(text, dt.date(1950, 10, 9) if "/50" in text else JULY_1952)[:2] == (surface, when)


def test_a_time_alone() -> None:
    assert one("18:45 Received") == ("18:45", "18:45:00", None, ())
    assert one("at 5.30 hrs") == ("5.30 hrs", "05:30:00", None, ())
    assert one("at 23.00 we") == ("23.00", "23:00:00", None, ())  # a dotted time after "at"
    assert one("в 23.00 по московскому") == ("23.00", "23:00:00", None, ())
    assert one("11 P.M.") == ("11 P.M.", "23:00:00", None, ())
    assert one("at 24:00") == ("24:00", "00:00:00", None, ())


@pytest.mark.parametrize("text, surface, when", [
    ("1950년 6월 26일", "1950년 6월 26일", "1950-06-26"),
    ("6월 25일 새벽에", "6월 25일", "1950-06-25"),
    ("6월 25일 20시 35분", "6월 25일 20시 35분", "1950-06-25T20:35:00"),
    ("于1950年6月26日", "1950年6月26日", "1950-06-26"),  # no space before the year
    ("6月25日20时35分", "6月25日20时35分", "1950-06-25T20:35:00"),
])
def test_korean_and_chinese_dates(text: str, surface: str, when: str) -> None:
    assert one(text, dt.date(1950, 6, 26), lang="ko")[:2] == (surface, when)


@pytest.mark.parametrize("text, surface, when", [
    ("at 4 a.m. on 1 November", "4 a.m. on 1 November", "1950-11-01T04:00:00"),
    ("в 23 ч. 30 м. 1 ноября 1950 г.", "23 ч. 30 м. 1 ноября 1950 г.", "1950-11-01T23:30:00"),
    ("at 13 hours 30 minutes 1 November", "13 hours 30 minutes 1 November",
     "1950-11-01T13:30:00"),
    ("в 4.00 3.11.50", "4.00 3.11.50", "1950-11-03T04:00:00"),
    ("07.10.1950 г. 23 ч. 45 м.", "07.10.1950 г. 23 ч. 45 м.", "1950-10-07T23:45:00"),
    ("October 7, 1950, at 3:00 a.m.", "October 7, 1950, at 3:00 a.m.", "1950-10-07T03:00:00"),
    ("1 November 1950, 23:00", "1 November 1950, 23:00", "1950-11-01T23:00:00"),
    ("at 23:00 on 1 November", "23:00 on 1 November", "1950-11-01T23:00:00"),
    ("24:00 1 November", "24:00 1 November", "1950-11-02T00:00:00"),  # the end of the day
    ("5.X.50", "5.X.50", "1950-10-05"),
    ("Oct. 5", "Oct. 5", "1950-10-05"),
    ("the 5th of October", "5th of October", "1950-10-05"),
    ("в июле 1952 г.", "июле 1952 г.", "1952-07"),
])
def test_more_styles(text: str, surface: str, when: str) -> None:
    assert one(text, dt.date(1950, 11, 2))[:2] == (surface, when)


def test_the_printed_form_with_quoted_blanks() -> None:
    text = "Из ПЕКИНА получена „ 12 “ ч. “ 15 “ м. “ 18 “ 7 1952 г. Экз. № 2"
    assert one(text) == ("„ 12 “ ч. “ 15 “ м. “ 18 “ 7 1952 г.", "1952-07-18T12:15:00", None, ())


# --- inferred years -----------------------------------------------------------------------

@pytest.mark.parametrize("text, surface, when, reasons", [
    ("(on July 11 and", "July 11", "1952-07-11", ("infer-year",)),
    ("the night of July 12)", "July 12", "1952-07-12", ("infer-year",)),
    ("of 16.7 we", "16.7", "1952-07-16", ("infer-year",)),
    ("15.7 с.г.", "15.7 с.г.", "1952-07-15", ("infer-relative",)),
    ("от 18.00 14-го июля с.г.", "18.00 14-го июля с.г.", "1952-07-14T18:00:00",
     ("infer-relative",)),
    ("3 часа 00 минут 15.7 с.г.", "3 часа 00 минут 15.7 с.г.", "1952-07-15T03:00:00",
     ("infer-relative",)),
    ("от 3.00 15 июля сего года", "3.00 15 июля сего года", "1952-07-15T03:00:00",
     ("infer-relative",)),
    ("my telegram of 3:00 15 July of this year to", "3:00 15 July of this year",
     "1952-07-15T03:00:00", ("infer-relative",)),
    ("your telegram of 18:00 14 July of this year.", "18:00 14 July of this year",
     "1952-07-14T18:00:00", ("infer-relative",)),
    ("15 July of this year", "15 July of this year", "1952-07-15", ("infer-relative",)),
])
def test_missing_year_comes_from_the_document(text, surface, when, reasons) -> None:
    got = one(text)
    assert got[:2] == (surface, when)
    assert got[3] == reasons
    assert got[2] == "high"


def test_a_date_after_the_document_is_last_years() -> None:
    # A telegram of 10 January 1953 that speaks of "December 25": 1952.
    assert one("on December 25", dt.date(1953, 1, 10)) == (
        "December 25", "1952-12-25", "high", ("infer-year",))
    # Far before the document: still that year, but less sure.
    assert one("on March 3", JULY_1952)[1:] == ("1952-03-03", "medium", ("infer-year",))


def test_without_a_document_date_the_body_gives_the_year() -> None:
    body = "Sent 17.7.52. Received 18.7 10:00."
    r = DateResolver(None, body)
    whens = [(m.when, m.cert) for m in r.find(body)]
    assert whens == [("1952-07-17", "high"), ("1952-07-18T10:00:00", "low")]
    assert DateResolver(None, "July 11").find("July 11")[0].when is None
    body = "Pyongyang, 16 July 1952. Received 17.7 20:50."
    m = DateResolver(None, body).find(body)[1]
    assert (m.when, m.cert, m.reasons) == ("1952-07-17T20:50:00", "low", ("infer-year",))


# --- day/month order ----------------------------------------------------------------------

SEED_113658 = """Sent from Pyongyang by wire on 09/30/50 at 20:35 p.m.
Received in Moscow on 09/30/50 at 23:32 p.m.
Deciphered by Mikhaylenko on 10/01/50 at 0:35 a.m.
This letter was cabled to Comrade Stalin on 10.01.50 at 12:50 p.m.
Typed by Shcherbakova on 10/01/50 at 1:45 a.m."""


def test_ambiguous_order_follows_the_other_dates_of_the_body() -> None:
    r = DateResolver(dt.date(1950, 9, 29), SEED_113658)
    got = {m.text: (m.when, m.cert, m.reasons) for m in r.find(SEED_113658)}
    assert got["10.01.50 at 12:50 p.m."] == (
        "1950-10-01T12:50:00", "medium", ("infer-century", "infer-order"))
    assert got["09/30/50 at 20:35 p.m."] == ("1950-09-30T20:35:00", "high", ("infer-century",))
    # The same line in a body whose dates are day-first reads 10 January.
    body = "Sent 30.09.50. Cabled on 10.01.50 at 12:50."
    m = DateResolver(dt.date(1950, 1, 12), body).find(body)[1]
    assert (m.when, m.reasons) == ("1950-01-10T12:50:00", ("infer-century", "infer-order"))


def test_ambiguous_order_without_evidence() -> None:
    # Near the document's date only one reading makes sense.
    assert one("on 10/09/50", dt.date(1950, 10, 9))[1:] == (
        "1950-10-09", "medium", ("infer-century", "infer-order"))
    # Nothing to go by: the separator's convention, with low certainty.
    assert one("on 03.04.50", None)[1:] == ("1950-04-03", "low", ("infer-century", "infer-order"))
    assert one("on 03/04/50", None)[1:] == ("1950-03-04", "low", ("infer-century", "infer-order"))


# --- not dates ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "No. 2250", "Fond 45, Opis 1, Delo 348, Listy 65-68", "ll. 65-68", "ll. 0065-0068",
    "10 regiments", "200-300 pilots", "at the 38th parallel", "No. 502597/sh", "Экз. № 2",
    "Лист „ 2 “", "1.5 million", "version 4.12", "1,000 tankists", "6,000 peaceful inhabitants",
    "ИТ МВО 296с-49", "Beria -1, Mikoyan - 1", "one 24 hour period", "May we ask",
    "in 1919", "f. 059a, op. 5a, d. 4, p. 11", "From Correspondent 20 Sent", "18.7",
    "points 1. 2. 3.", "Отп. 14 экз.", "I am 5 am", "costs 14.20 rubles",
    "a total of 1.5 million", "an area of 2.5 square km", "от 1.5 тыс. человек",
])
def test_not_dates(text: str) -> None:
    assert DateResolver(JULY_1952, text).find(text) == []


def test_impossible_dates_keep_their_text_without_when() -> None:
    assert one("on 31.02.51") == ("31.02.51", None, None, ())
    assert one("on 30 February 1951") == ("30 February 1951", None, None, ())
    assert one("on 09/30/50 at 25:10") [1] == "1950-09-30"  # 25:10 is no time: the date stands


def test_mentions_are_sorted_and_complete() -> None:
    text = "Sent 17.7.52\n\n18:45 Received 17.7 20:50"
    ms = DateResolver(JULY_1952, text).find(text)
    assert ms == [
        DateMention(5, 12, "17.7.52", "1952-07-17", "date", "high", ("infer-century",)),
        DateMention(14, 19, "18:45", "18:45:00", "time", None, ()),
        DateMention(29, 39, "17.7 20:50", "1952-07-17T20:50:00", "date", "high", ("infer-year",)),
    ]


# --- the record's date line -----------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("July 16, 1952", dt.date(1952, 7, 16)),
    ("**July 16, 1952**", dt.date(1952, 7, 16)),
    ("16 July 1952", dt.date(1952, 7, 16)),
    ("1952-07-16", dt.date(1952, 7, 16)),
    ("August 28, 1950", dt.date(1950, 8, 28)),
    ("Ciphered telegram", None),
    ("February 30, 1951", None),
])
def test_parse_record_date(text: str, expected: dt.date | None) -> None:
    assert parse_record_date(text) == expected


def test_any_text_gives_well_formed_dates() -> None:
    import random

    rng = random.Random(7)
    pieces = ["17", ".", "7", "52", "/", ":", "20", "50", " ", "\n", "July", "июля", "с.г.",
              "III", "г.", "at", "p.m.", "„", "“", "ч.", "м.", "1952", "-", "of this year",
              "31", "02", "0", "24", "00", "No.", "x"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        ms = DateResolver(JULY_1952, text).find(text)
        assert all(0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text
                   for m in ms), text
        assert all(a.end <= b.start for a, b in zip(ms, ms[1:], strict=False)), text
        for m in ms:
            if m.when:
                assert re.fullmatch(r"\d{4}-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2})?)?|\d{2}:\d{2}:\d{2}",
                                    m.when), (text, m)


def test_a_date_a_little_ahead_of_the_document_stays_in_its_year():
    # "by 20 October" in a telegram of 8 October 1950 looks ahead, not back to 1949.
    r = DateResolver(dt.date(1950, 10, 8), "")
    [m] = r.find("to be ready by 20 October")
    assert m.when == "1950-10-20" and "infer-year" in m.reasons and m.cert == "medium"
