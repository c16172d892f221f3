"""teipipe validate --schema: any project's ODD, RELAX NG, XSD or Schematron."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema"
TEI_FILE = sorted((ROOT / "tei").glob("wcda-*.xml"))[0]

TINY_RNG = """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><element name="doc"><attribute name="n"><text/></attribute><text/></element></start>
</grammar>"""
TINY_XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="doc"><xs:complexType><xs:simpleContent><xs:extension base="xs:string">
    <xs:attribute name="n" type="xs:integer" use="required"/>
  </xs:extension></xs:simpleContent></xs:complexType></xs:element>
</xs:schema>"""
TINY_SCH = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <pattern><rule context="doc">
    <assert id="E0001" test="@n &gt; 0">n must be positive</assert>
    <report id="W0001" role="warning" test="@n &gt; 100">n is large</report>
  </rule></pattern>
</schema>"""


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    # compiled ODDs go to a test folder, not the user's cache
    monkeypatch.setenv("TEIPIPE_CACHE_DIR", str(tmp_path / "cache"))


def validate(*args: str):
    result = CliRunner().invoke(main, ["validate", *args])
    if result.exc_info and result.exc_info[0] is not SystemExit:
        traceback.print_exception(*result.exc_info)
    return result


def write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return str(tmp_path / name)


def test_odd_corpus_verdicts_through_the_cli(odd_corpus):
    # the same verdicts as the corpus test, file by file, through the command
    d = odd_corpus / "tei_lite"
    rows = [line.split("\t") for line in (d / "verdicts.tsv").read_text().splitlines()]
    for name, verdict in [(r[0], r[1]) for r in rows[:8]] + [(r[0], r[1]) for r in rows[-4:]]:
        result = validate("-q", "--schema", str(d / "tei_lite.odd"), str(d / name))
        assert result.exit_code == (0 if verdict == "valid" else 1), (name, result.output)
        assert "Traceback" not in result.output


def test_project_odd_gives_the_telegram_grammar_verdict(tmp_path):
    assert validate("-q", "--schema", str(SCHEMA / "telegram.odd"), str(TEI_FILE)).exit_code == 0
    bad = write(tmp_path, "bad.xml", TEI_FILE.read_text(encoding="utf-8").replace(
        "<teiHeader", "<bogus/><teiHeader", 1))
    result = validate("--schema", str(SCHEMA / "telegram.odd"), bad)
    assert result.exit_code == 1 and "[odd]" in result.output


def test_rng_xsd_and_schematron(tmp_path):
    rng = write(tmp_path, "t.rng", TINY_RNG)
    xsd = write(tmp_path, "t.xsd", TINY_XSD)
    sch = write(tmp_path, "t.sch", TINY_SCH)
    good = write(tmp_path, "good.xml", '<doc n="3">x</doc>')
    big = write(tmp_path, "big.xml", '<doc n="300">x</doc>')
    neg = write(tmp_path, "neg.xml", '<doc n="-1">x</doc>')
    odd_ = write(tmp_path, "odd.xml", '<doc m="1">x</doc>')
    assert validate("--schema", rng, "--schema", xsd, "--schema", sch, good).exit_code == 0
    r = validate("--schema", sch, big)
    assert r.exit_code == 0 and "warning [W0001] n is large" in r.output
    r = validate("--schema", sch, neg)
    assert r.exit_code == 1 and "error [E0001] n must be positive" in r.output
    r = validate("--schema", xsd, odd_)
    assert r.exit_code == 1 and "[xsd]" in r.output
    r = validate("--schema", rng, odd_)
    assert r.exit_code == 1 and "[rng]" in r.output


@pytest.mark.parametrize("name,text,words", [
    ("broken.odd", '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><schemaSpec '
     'ident="x" start="TEI"><moduleRef key="nonesuch"/></schemaSpec></body></text></TEI>',
     "moduleRef key='nonesuch' (line 1)"),
    ("broken.rng", '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start>'
     '<ref name="nowhere"/></start></grammar>', "does not load"),
    ("outside.rng", '<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
     '<include href="/etc/passwd"/></grammar>', "not followed"),
    ("hostile.rng", '<!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     '<grammar xmlns="http://relaxng.org/ns/structure/1.0">&x;</grammar>', "entity"),
    ("xpath2.sch", '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
     '<pattern><rule id="r-bad" context="*"><assert test="matches(.,">x</assert></rule>'
     '</pattern></schema>', "rule 'r-bad' (line 1)"),
    ("neither.xml", "<html/>", "not a schema"),
    ("reads.sch", '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
     '<pattern><rule context="*"><assert test="doc(\'file:///etc/passwd\')">x</assert>'
     '</rule></pattern></schema>', "reads external resources"),
    ("reads1.sch", '<schema xmlns="http://purl.oclc.org/dsdl/schematron">'
     '<pattern><rule context="*"><assert test="document(\'/etc/passwd\')">x</assert>'
     '</rule></pattern></schema>', "reads external resources"),
])
def test_unusable_schemas_exit_2_with_a_message(tmp_path, name, text, words):
    result = validate("--schema", write(tmp_path, name, text), str(TEI_FILE))
    assert result.exit_code == 2, result.output
    assert words in result.output and "Traceback" not in result.output


def test_without_schema_the_telegram_encoding_stays_the_default():
    assert validate("-q", str(TEI_FILE)).exit_code == 0


XPATH2_SCH = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/>
  <let name="limit" value="xs:date('2000-01-01')"/>
  <pattern id="dates">
    <rule abstract="true" id="has-n"><assert id="E-n" test="@n">no n on <name/></assert></rule>
    <rule context="doc[@when]">
      <let name="d" value="xs:date(@when)"/>
      <extends rule="has-n"/>
      <assert id="E-old" test="$d lt $limit">date <value-of select="@when"/> is too late</assert>
      <report id="W-tok" role="warning" test="count(tokenize(., '\\s+')) gt 2">many words</report>
    </rule>
    <rule context="doc"><assert id="E-when" test="false()">never reached for dated docs</assert>
    </rule>
  </pattern>
</schema>"""


def test_xpath2_schematron(tmp_path):
    sch = write(tmp_path, "x.sch", XPATH2_SCH)
    ok = write(tmp_path, "ok.xml", '<doc n="1" when="1999-05-01">a b</doc>')
    assert validate("--schema", sch, ok).exit_code == 0
    bad = write(tmp_path, "bad.xml", '<doc when="2024-05-01">\na b c d</doc>')
    r = validate("--schema", sch, bad)
    assert r.exit_code == 1
    assert "bad.xml:1: error [E-old] date 2024-05-01 is too late" in r.output
    assert "error [E-n] no n on doc" in r.output
    assert "warning [W-tok] many words" in r.output
    assert "E-when" not in r.output  # the first matching rule of a pattern wins


def test_cmif_schematron_catches_its_errors(shared_dir, tmp_path):
    # the CMIF SIG's own cmif.sch (queryBinding xslt2) on broken copies of its example
    sch = str(shared_dir / "cmif" / "cmif.sch")
    text = (shared_dir / "cmif" / "example01_basic.xml").read_text(encoding="utf-8")
    assert validate("--schema", sch, write(tmp_path, "ok.xml", text)).exit_code == 0
    import re

    for code, broken in [
        ("E0001", re.sub(r'<correspAction type="sent".*?</correspAction>', "", text,
                         count=1, flags=re.S)),
        ("E0002", re.sub(r'<correspAction type="received".*?</correspAction>', "", text,
                         count=1, flags=re.S)),
        ("E0003", text.replace('source="#', 'source="#nope-', 1)),
    ]:
        r = validate("--schema", sch, write(tmp_path, f"{code}.xml", broken))
        assert r.exit_code == 1 and f"[{code}]" in r.output, (code, r.output)


def test_an_odd_whose_examples_have_odd_ids_is_usable_as_schema(odd_corpus):
    # dracor.odd has examples with xml:id values that are not names
    d = odd_corpus / "dracor"
    rows = [line.split("\t") for line in (d / "verdicts.tsv").read_text().splitlines()]
    name, verdict = next((r[0], r[1]) for r in rows if r[1] == "valid")
    result = validate("-q", "--schema", str(d / "dracor.odd"), str(d / name))
    assert result.exit_code == 0, result.output
