"""Every project rule has a passing and a failing fixture, and behaves on them.

tests/fixtures/rules/<rule-id>/pass.xml is a complete, valid telegram document;
fail.xml is the same document with one fault that the rule <rule-id> reports.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from pipeline.validate import Validator, rules

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
RULE_DIRS = sorted(d for d in FIXTURES.iterdir() if d.is_dir())
ODD = Path(__file__).resolve().parent.parent / "schema" / "telegram.odd"


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


def _odd_constraint_ids() -> set[str]:
    odd = etree.parse(str(ODD))
    return {c.get("ident") for c in odd.iter("{http://www.tei-c.org/ns/1.0}constraintSpec")}


def test_every_rule_has_its_two_fixtures():
    have = {d.name for d in RULE_DIRS}
    wanted = set(rules.RULES) | _odd_constraint_ids() - {"tel-sender-named"}
    assert wanted - have == set()
    for d in RULE_DIRS:
        assert (d / "pass.xml").exists() and (d / "fail.xml").exists(), d.name


def test_rules_have_message_and_hint():
    for r in rules.RULES.values():
        assert r.message and r.hint and r.severity in ("error", "warning"), r.id


@pytest.mark.parametrize("rule_dir", RULE_DIRS, ids=[d.name for d in RULE_DIRS])
def test_pass_fixture_is_clean(validator, rule_dir):
    problems = validator.validate_file(rule_dir / "pass.xml")
    assert [p.format() for p in problems] == []


@pytest.mark.parametrize("rule_dir", RULE_DIRS, ids=[d.name for d in RULE_DIRS])
def test_fail_fixture_is_reported_by_its_rule(validator, rule_dir):
    problems = validator.validate_file(rule_dir / "fail.xml")
    mine = [p for p in problems if p.code == rule_dir.name]
    assert mine, [p.format() for p in problems]
    for p in mine:
        assert p.line > 0 and p.message and p.hint


def test_sender_named_is_a_warning(validator, tmp_path):
    src = (FIXTURES / "tel-sender" / "pass.xml").read_text()
    src = src.replace('<correspAction type="sent"><persName ref="#shtykov">Shtykov</persName>',
                      '<correspAction type="sent"><note type="unnamed">not named</note>')
    problems = validator.validate_bytes(src.encode(), "pass.xml")
    assert [(p.code, p.severity) for p in problems] == [("tel-sender-named", "warning")]


@pytest.mark.parametrize("value,ok", [
    ("1952", True), ("1952-07", True), ("1952-07-17", True), ("1952-07-17T20:50:00", True),
    ("1952-07-17T20:50", True), ("20:50:00", True), ("--07-11", True),
    ("1951-02-29", False), ("1952-02-29", True),
    ("1952-13-01", False), ("17.07.1952", False), ("1952-7-17", False), ("", False),
    ("1952-07-17T25:00:00", False), (" 1952", False),
])
def test_iso_dates(value, ok):
    assert (rules.parse_iso(value) is not None) is ok


def test_date_rules_ignore_sheet_ranges(validator):
    # locus/@from is a sheet number, not a date
    problems = validator.validate_file(FIXTURES / "date-iso" / "pass.xml")
    assert not [p for p in problems if p.code.startswith("date")]


def test_every_rule_is_documented():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "validate.md").read_text()
    for rule_id in set(rules.RULES) | _odd_constraint_ids():
        assert f"| `{rule_id}` |" in doc, rule_id
