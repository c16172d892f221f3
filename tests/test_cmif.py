"""CMIF export: correspondence metadata for correspSearch, valid TEI."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline.cli import main
from pipeline.render.cmif import export_cmif
from tests.fixtures.render.corpus import FIXTURE, all_tei

NS = {"t": "http://www.tei-c.org/ns/1.0"}


def test_every_message_with_authority_uris_and_source() -> None:
    root = etree.fromstring(export_cmif([FIXTURE], date="2026-01-01"))
    descs = root.xpath("//t:profileDesc/t:correspDesc", namespaces=NS)
    assert len(descs) == 2                       # the telegram and the one it quotes
    first = descs[0]
    assert first.get("ref") == "https://digitalarchive.wilsoncenter.org/document/900001"
    bibl_id = first.get("source").lstrip("#")
    assert root.xpath(f"//t:sourceDesc/t:bibl[@xml:id='{bibl_id}']", namespaces=NS)
    sent = first.xpath("t:correspAction[@type='sent']", namespaces=NS)[0]
    assert sent.xpath("t:persName/@ref", namespaces=NS) == ["http://www.wikidata.org/entity/Q5816"]
    assert sent.xpath("t:date/@when", namespaces=NS) == ["1952-07-18"]
    received = first.xpath("t:correspAction[@type='received']/t:persName", namespaces=NS)
    assert received[0].text == "Stalin, Joseph"   # the regularised name, not "Filippov"
    assert root.xpath("//t:publicationStmt/t:date/@when", namespaces=NS) == ["2026-01-01"]
    assert root.xpath("//t:licence/@target", namespaces=NS)


def test_person_without_authority_has_no_ref() -> None:
    root = etree.fromstring(export_cmif([FIXTURE]))
    names = root.xpath("//t:persName[not(@ref)]", namespaces=NS)
    assert all(n.text for n in names)
    assert not root.xpath("//t:publicationStmt/t:date", namespaces=NS)  # no clock


def test_export_command_writes_valid_tei(tmp_path: Path, tei_all_rng: Path) -> None:
    out = tmp_path / "cmif.xml"
    result = CliRunner().invoke(main, ["export", "--cmif", *map(str, all_tei()), "-o", str(out),
                                       "--date", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert "exported" in result.output
    if shutil.which("jing") is None:
        pytest.skip("jing is not installed")
    run = subprocess.run(["jing", str(tei_all_rng), str(out)], capture_output=True, text=True)
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert not errors, errors[:5]


def test_export_is_deterministic(tmp_path: Path) -> None:
    assert export_cmif(all_tei()) == export_cmif(all_tei())


# --- what correspSearch harvests (issue 12) ---------------------------------------

SEEDS_TEI = sorted((Path(__file__).resolve().parent.parent / "tei").glob("wcda-*.xml"))
OPTIONS = ["--date", "2026-01-01", "--url", "https://example.org/edition/",
           "--editor", "A. Editor", "--editor-email", "editor@example.org"]


@pytest.fixture(scope="module")
def cmif_dir() -> Path:
    from tests.conftest import find_shared

    shared = find_shared()
    folder = shared / "cmif" if shared else None
    if folder is None or not (folder / "cmi-customization.rng").exists():
        pytest.skip("../shared/cmif (the official CMIF schema) is not beside this clone")
    return folder


def _export_seeds(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "letters.xml"
    result = CliRunner().invoke(main, ["export", "cmif", *map(str, SEEDS_TEI), "-o", str(out),
                                       *OPTIONS, *extra])
    assert result.exit_code == 0, result.output
    assert "deprecated" not in result.output and "warning" not in result.output
    return out


def test_seeds_cmif_passes_the_official_relax_ng(tmp_path: Path, cmif_dir: Path) -> None:
    out = _export_seeds(tmp_path)
    rng = etree.RelaxNG(etree.parse(str(cmif_dir / "cmi-customization.rng")))
    assert rng.validate(etree.parse(str(out))), [str(e) for e in rng.error_log][:5]
    if shutil.which("jing"):
        run = subprocess.run(["jing", str(cmif_dir / "cmi-customization.rng"), str(out)],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stdout[:2000]


def test_seeds_cmif_has_no_schematron_findings(tmp_path: Path, cmif_dir: Path) -> None:
    from pipeline.validate import schemas

    out = _export_seeds(tmp_path)
    sch = schemas.load(cmif_dir / "cmif.sch")
    problems = schemas.validate([sch], out)
    assert problems == [], [p.format() for p in problems]  # no error, not even W0001


def test_seeds_cmif_carries_what_correspsearch_needs(tmp_path: Path) -> None:
    root = etree.parse(str(_export_seeds(tmp_path))).getroot()
    stmt = root.xpath("//t:publicationStmt", namespaces=NS)[0]
    assert stmt.xpath("t:idno[@type='url']/text()", namespaces=NS) == \
        ["https://example.org/edition/letters.xml"]
    assert stmt.xpath("t:date/@when", namespaces=NS) == ["2026-01-01"]
    assert stmt.xpath("t:publisher/t:ref/@target", namespaces=NS) == \
        ["https://example.org/edition/"]
    assert root.xpath("//t:titleStmt/t:editor/t:email/text()", namespaces=NS) == \
        ["editor@example.org"]
    refs = root.xpath("//t:correspDesc/@ref", namespaces=NS)
    assert refs and all(re.fullmatch(r"https://digitalarchive\.wilsoncenter\.org/document/\d+", r)
                        for r in refs), refs
    assert "dvincitest" not in etree.tostring(root, encoding="unicode")
    assert root.xpath("//t:sourceDesc/t:bibl//t:ref/@target", namespaces=NS) == \
        ["https://digitalarchive.wilsoncenter.org"]
    stalin = root.xpath("//t:persName[starts-with(., 'Stalin')]/@ref", namespaces=NS)
    assert set(stalin) == {"http://www.wikidata.org/entity/Q855"}
    assert root.xpath("//t:persName[not(@ref)]", namespaces=NS)  # no authority, no @ref
    assert set(root.xpath("//@cert", namespaces=NS)) <= {"low"}
    # the converter's "medium" inferences stay marked as doubtful
    assert root.xpath("//t:date[@cert='low']", namespaces=NS)


def test_seeds_cmif_is_deterministic(tmp_path: Path) -> None:
    first = _export_seeds(tmp_path / "a").read_bytes()
    assert _export_seeds(tmp_path / "b").read_bytes() == first


def test_staging_mirrors_map_to_the_archive_by_number(tmp_path: Path) -> None:
    text = SEEDS_TEI[0].read_text(encoding="utf-8")
    number = re.search(r'<idno type="wcda">(\d+)</idno>', text).group(1)
    # without the number idno, the URL's own number is used, whatever mirror it names
    text = re.sub(r'<idno type="wcda">\d+</idno>', "", text)
    text = re.sub(r'<idno type="URI">[^<]*</idno>',
                  f'<idno type="URI">http://wilson-center.drivingcreative.com/document/{number}'
                  "</idno>", text)
    doc = tmp_path / "doc.xml"
    doc.write_text(text, encoding="utf-8")
    root = etree.fromstring(export_cmif([doc], date="2026-01-01"))
    assert set(root.xpath("//t:correspDesc/@ref", namespaces=NS)) == \
        {f"https://digitalarchive.wilsoncenter.org/document/{number}"}


def test_export_cmif_without_url_warns(tmp_path: Path) -> None:
    out = tmp_path / "letters.xml"
    result = CliRunner().invoke(main, ["export", "cmif", str(SEEDS_TEI[0]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning [cmif-url]" in result.output and "warning [cmif-editor]" in result.output
    root = etree.parse(str(out)).getroot()
    assert root.xpath("//t:publicationStmt/t:date/@when", namespaces=NS)  # today, never none


def test_export_dash_dash_cmif_still_works_with_a_note(tmp_path: Path) -> None:
    out = tmp_path / "letters.xml"
    result = CliRunner().invoke(main, ["export", "--cmif", str(SEEDS_TEI[0]), "-o", str(out),
                                       *OPTIONS])
    assert result.exit_code == 0, result.output
    assert "deprecated" in result.output and "teipipe export cmif" in result.output
    assert out.is_file()


def test_places_carry_the_gazetteers_authority(tmp_path: Path) -> None:
    # the gazetteer has no identifiers yet: a place given one gets it as @ref
    source = next(p for p in SEEDS_TEI if 'xml:id="place-moscow"' in p.read_text("utf-8"))
    text = source.read_text(encoding="utf-8").replace(
        '<placeName type="reg">Moscow</placeName>',
        '<placeName type="reg">Moscow</placeName><idno type="wikidata">Q649</idno>', 1)
    doc = tmp_path / source.name
    doc.write_text(text, encoding="utf-8")
    root = etree.fromstring(export_cmif([doc], date="2026-01-01"))
    assert set(root.xpath("//t:placeName[. = 'Moscow']/@ref", namespaces=NS)) == \
        {"http://www.wikidata.org/entity/Q649"}
    assert not root.xpath("//t:placeName[. != 'Moscow']/@ref", namespaces=NS)


def test_export_cmif_takes_what_the_options_do_not_say_from_the_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "teipipe.toml").write_text('''[edition]
title = "Telegrams"
editors = [{ name = "B. Editor", email = "b@example.org" }]
publisher = "Example Library"
licence = { name = "CC BY-SA 4.0", url = "https://creativecommons.org/licenses/by-sa/4.0/" }
base-url = "https://example.org/telegrams"
date = "2026-02-01"
''', encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "cmif", *map(str, SEEDS_TEI), "-o", "cmif.xml"])
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    root = etree.parse(str(tmp_path / "cmif.xml")).getroot()
    get = lambda xpath: root.xpath(xpath, namespaces=NS)  # noqa: E731
    assert get("//t:titleStmt/t:title/text()") == ["Telegrams: correspondence metadata"]
    assert get("normalize-space(//t:titleStmt/t:editor/text()[1])") == "B. Editor"
    assert get("//t:titleStmt/t:editor/t:email/text()") == ["b@example.org"]
    assert get("//t:publisher/t:ref/text()") == ["Example Library"]
    assert get("//t:publicationStmt/t:idno/text()") == ["https://example.org/telegrams/cmif.xml"]
    assert get("//t:publicationStmt/t:date/@when") == ["2026-02-01"]
    assert get("//t:licence/@target") == ["https://creativecommons.org/licenses/by-sa/4.0/"]
    # an option still wins over the file
    result = CliRunner().invoke(main, ["export", "cmif", *map(str, SEEDS_TEI), "-o", "c2.xml",
                                       "--editor", "C. Editor", "--date", "2026-03-01"])
    root = etree.parse(str(tmp_path / "c2.xml")).getroot()
    assert root.xpath("normalize-space(//t:titleStmt/t:editor/text()[1])", namespaces=NS) == \
        "C. Editor"
    assert root.xpath("//t:publicationStmt/t:date/@when", namespaces=NS) == ["2026-03-01"]
