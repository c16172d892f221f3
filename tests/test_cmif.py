"""CMIF export: correspondence metadata for correspSearch, valid TEI."""

from __future__ import annotations

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
