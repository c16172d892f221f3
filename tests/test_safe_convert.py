"""Issue 13's reproducers for the converter: each record that once gave invalid TEI,
lost a record to a stray character, altered text or cost quadratic time."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from click.testing import CliRunner
from lxml import etree

from benchmarks.fuzz import Checker
from benchmarks.generator import record_text
from pipeline.convert import Converter
from pipeline.convert.dates import _FAR_SEARCHES, DateResolver
from pipeline.convert.messages import MAX_NESTING
from pipeline.convert.reader import make_id
from pipeline.errors import InputError
from pipeline.render.diplomatic import diplomatic, normalise

NCNAME_ASCII = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


@lru_cache(maxsize=1)
def checker() -> Checker:
    return Checker()


def assert_sound(text: str, name: str = "case.txt"):
    """Converts, valid (schema, rules, tei_all), nothing lost, deterministic."""
    outcome = checker().check(text, name)
    assert not outcome.refused and not outcome.failures, outcome
    return checker().converter.convert_text(text, name)


def base(seed: int = 5, size: int = 4) -> str:
    return record_text(seed, size)


# -- ids -------------------------------------------------------------------------

@pytest.mark.parametrize("tail", ["113640¹", "11364０", "١١٣٦٤٠", "113640²³", "a(b)", "x:y",
                                  "ä", "1%20", "_", "-1"])
def test_ids_are_ascii_ncnames_from_any_url(tail):
    got = make_id(f"https://digitalarchive.wilsoncenter.org/document/{tail}", "f.txt")
    assert NCNAME_ASCII.fullmatch(got) and got.isascii(), got
    assert got == make_id(f"https://digitalarchive.wilsoncenter.org/document/{tail}", "g.txt")


def test_plain_record_numbers_keep_their_id():
    assert make_id("https://digitalarchive.wilsoncenter.org/document/113640", "f") == \
        "wcda-113640"
    assert make_id("HTTPS://DIGITALARCHIVE.WILSONCENTER.ORG/DOCUMENT/113640", "f") == \
        "wcda-113640"


def test_superscript_tails_differ_from_the_plain_number():
    url = "https://digitalarchive.wilsoncenter.org/document/113640"
    assert len({make_id(url, "f"), make_id(url + "¹", "f"), make_id(url + "²", "f")}) == 3


def test_a_url_ending_in_a_superscript_digit_converts_to_valid_tei():
    text = re.sub(r"(/document/\d+)", r"\1¹", base(), count=1)
    assert_sound(text)


# -- capitals, digits, dashes, URLs, empty parts ----------------------------------

def test_a_record_in_capitals_is_valid():
    conv = assert_sound(base().upper())
    assert b"<settlement>" in conv.tei  # the archive is still recognised


@pytest.mark.parametrize("digit", ["٢", "２", "२"])
def test_copy_counts_in_other_digits_give_an_ascii_value(digit):
    conv = assert_sound(base() + f"\n\nCopies: Stalin ({digit}), Molotov, Beria.")
    assert b'<num type="copies" value="2">' + digit.encode() + b"</num>" in conv.tei


def test_dashes_in_a_holding():
    text = base(7).replace(", Delo", ", --- Delo", 1).replace(", d.", ", --- d.", 1)
    assert "---" in text
    conv = assert_sound(text)
    assert b"- - -" in conv.tei  # the comment that cites the holding


@pytest.mark.parametrize("tail", ["[1]", "%zz", "#a#b", "|x", "ä"])
def test_odd_urls_give_valid_ref_targets(tail):
    assert_sound(re.sub(r"(/document/\d+)", r"\g<1>" + tail, base(), count=1))


def test_an_unknown_archive_makes_no_invalid_msdesc():
    text = base(11).replace("Wilson Center Digital Archive, ",
                            "Wilson Center Digital Archive, XYZA, f. 1, op. 2, d. 3, l. 4; ", 1)
    conv = assert_sound(text)
    assert any(p.code == "repository" and "XYZA" in p.message for p in conv.problems)


@pytest.mark.parametrize("extra", ["Copies:", "Copies: .", "[ ]", "Text [ ] more.",
                                   "Distribution list - 3 copies:"])
def test_empty_lists_and_notes(extra):
    assert_sound(base() + f"\n\n{extra}")


def test_an_empty_header_section():
    assert_sound(base().replace("Contents:", "Keywords:\n\n\n\nContents:", 1))


@pytest.mark.parametrize("rule", ["\\* \\* \\*\u3000\\* \\*", "-----\u00a0-----", "=====",
                                  "* * *\n* * *"])
def test_rule_lines(rule):
    assert_sound(base() + f"\n\nText.\n\n{rule}\n\nMore text [.\u3000..].")


def test_quotations_that_never_close_nest_a_bounded_depth():
    text = base(3, 2) + "\n\n" + "\n\n".join(f'"Paragraph {i} opens a quotation.'
                                                for i in range(300))
    conv = assert_sound(text)
    tree = etree.fromstring(conv.tei)
    ft = "{http://www.tei-c.org/ns/1.0}floatingText"
    depth = max(sum(1 for a in el.iterancestors(ft)) + 1 for el in tree.iter(ft))
    assert depth == MAX_NESTING - 1  # the telegram's div, then the embedded messages


# -- characters XML cannot hold -----------------------------------------------------

@pytest.mark.parametrize("char", ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ufffe",
                                  "\uffff"])
def test_a_character_xml_cannot_hold_is_marked_and_reported_with_its_line(char):
    text = base()
    lines = text.split("\n")
    n = next(i for i, s in enumerate(lines) if s.startswith("I consider") or len(s) > 80)
    lines[n] = lines[n][:10] + char + lines[n][10:]
    conv = assert_sound("\n".join(lines))
    assert "\ufffd".encode() in conv.tei
    found = [p for p in conv.problems if p.code == "character"]
    assert [(p.line, p.severity) for p in found] == [(n + 1, "warning")]
    assert f"U+{ord(char):04X}" in found[0].message


def test_characters_in_a_holding_and_a_lone_surrogate():
    text = base(7).replace(", Delo", ", \x02Delo", 1).replace(", d.", ", \x02d.", 1)
    assert_sound(text)
    conv = Converter().convert_text(base() + "\n\nA lone \ud800 surrogate.", "s.txt")
    assert any(p.code == "character" and "U+D800" in p.message for p in conv.problems)


# -- nothing lost, character for character -------------------------------------------

def test_a_distribution_list_written_without_spaces_comes_back_as_written():
    conv = assert_sound(base() + "\n\nCopies: Stalin (2),Molotov, Beria,Malenkov.")
    text = diplomatic(conv.tei)
    assert "Stalin (2),Molotov, Beria,Malenkov." in text


@pytest.mark.parametrize("line", ["Copies: Stalin - 1,000, Molotov - 2.",
                                  "Distribution list - 1,000 copies: Stalin - 2, Molotov - 1.",
                                  "The enemy has up to 1,000 troops and 12,000 wagons."])
def test_thousands_come_back_as_written(line):
    conv = assert_sound(base() + "\n\n" + line)
    assert normalise(line) in normalise(diplomatic(conv.tei))


def test_the_check_sees_a_space_added_after_a_comma():
    assert normalise("Stalin (2),Molotov") != normalise("Stalin (2), Molotov")
    assert normalise("1,000") != normalise("1, 000")


# -- bounded size, linear cost ---------------------------------------------------------

def test_the_library_refuses_a_source_over_its_limit(tmp_path):
    conv = Converter(max_bytes=1000)
    with pytest.raises(InputError) as e:
        conv.convert_text("x" * 1001)
    assert e.value.problem.code == "too-large" and "1000" in e.value.problem.message
    path = tmp_path / "big.txt"
    path.write_text(base() + "\n\n" + "More text. " * 200, encoding="utf-8")
    with pytest.raises(InputError) as e:
        conv.convert_file(path)
    assert e.value.problem.code == "too-large"
    assert Converter(max_bytes=10**6).convert_file(path).id


def test_the_cli_limit_is_configurable(tmp_path):
    from pipeline.cli import main

    src = tmp_path / "r.txt"
    src.write_text(base(), encoding="utf-8")
    r = CliRunner().invoke(main, ["convert", str(src), "-o", str(tmp_path / "o"),
                                  "--max-bytes", "100"])
    assert r.exit_code == 1 and "[too-large]" in r.output
    assert r.output.count("[too-large]") == 1
    r = CliRunner().invoke(main, ["convert", str(src), "-o", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output


def test_date_lookups_walk_the_body_instead_of_searching_it_from_the_start():
    paras = [f"Report {i} of {1 + i % 12}.7.52 and 17.{1 + i % 12}.52." for i in range(3000)]
    resolver = DateResolver(None, "\n\n".join(paras))
    for p in paras:
        resolver.find(p)
    # in body order, every paragraph is found near the last: no whole-body search
    assert resolver._far == 0
    for i in range(50):
        resolver.find(f"not in the body {i} 1.2.52")
    assert resolver._far == _FAR_SEARCHES  # bounded, however many are missing
