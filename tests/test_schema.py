"""The compiled schemas are current, load where they must, and the ODD is real TEI."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner
from lxml import etree

from pipeline import resources
from pipeline.cli import main
from pipeline.validate import odd

SCHEMA = Path(__file__).resolve().parent.parent / "schema"


@pytest.fixture(scope="session")
def p5subset(shared_dir: Path) -> Path:
    path = shared_dir / "tei" / "p5subset.xml"
    if not path.exists():
        pytest.skip("p5subset.xml is not in ../shared/tei")
    return path


def test_committed_schemas_are_current(p5subset):
    fresh = odd.outputs(SCHEMA / "telegram.odd", p5subset)
    stale = [n for n, data in fresh.items() if (SCHEMA / n).read_bytes() != data]
    assert stale == [], "run `teipipe schema build` and commit schema/"


def test_schema_check_command(p5subset):
    result = CliRunner().invoke(main, ["schema", "check", "--source", str(p5subset)])
    assert result.exit_code == 0, result.output
    assert "current" in result.output


def test_build_is_deterministic(p5subset, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    r1 = CliRunner().invoke(main, ["schema", "build", "--source", str(p5subset), "-o", str(a)])
    r2 = CliRunner().invoke(main, ["schema", "build", "--source", str(p5subset), "-o", str(b)])
    assert r1.exit_code == r2.exit_code == 0, r1.output + r2.output
    for f in sorted(a.iterdir()):
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name
    assert not list(a.glob("*.tmp"))


def test_rng_loads_in_libxml2():
    etree.RelaxNG(etree.parse(str(SCHEMA / "telegram.rng")))


def test_xsd_loads_in_lxml_and_xmlschema():
    etree.XMLSchema(etree.parse(str(SCHEMA / "telegram.xsd")))
    schema = xmlschema.XMLSchema10(str(SCHEMA / "telegram.xsd"))
    assert "TEI" in schema.elements
    fixture = Path(__file__).parent / "fixtures" / "rules" / "date-iso" / "pass.xml"
    assert schema.is_valid(str(fixture))


def test_xsd_accepts_the_project_corpus():
    # the XSD is the permissive approximation: whatever the RELAX NG accepts, it accepts
    xsd = etree.XMLSchema(etree.parse(str(SCHEMA / "telegram.xsd")))
    fixtures = Path(__file__).parent / "fixtures" / "rules"
    for f in sorted(fixtures.glob("*/pass.xml")):
        assert xsd.validate(etree.parse(str(f))), (f, xsd.error_log)


def test_schematron_is_iso_schematron():
    from lxml import isoschematron

    isoschematron.Schematron(etree.parse(str(SCHEMA / "telegram.sch")))


def test_odd_is_valid_tei(tei_all_rng):
    if not shutil.which("jing"):
        pytest.skip("jing is not installed")
    run = subprocess.run(["jing", str(tei_all_rng), str(SCHEMA / "telegram.odd")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout


def test_odd_declares_what_the_encoding_fixes():
    tree = etree.parse(str(SCHEMA / "telegram.odd"))
    t = {"t": "http://www.tei-c.org/ns/1.0"}
    spec = tree.find(".//t:schemaSpec", t)
    assert spec.get("ident") == "telegram" and spec.get("start") == "TEI"
    closed = {(e.getparent().getparent().getparent().get("ident"), e.getparent().get("ident"))
              for e in tree.iterfind(".//t:attDef/t:valList[@type='closed']/..", t)
              for e in [e.find("t:valList", t)]}
    for need in [("div", "type"), ("correspAction", "type"), ("correspAction", "subtype"),
                 ("idno", "type"), ("note", "type"), ("list", "type"), ("fw", "type"),
                 ("seg", "type"), ("gap", "reason"), ("supplied", "reason"),
                 ("date", "cert"), ("date", "ana"), ("att.global.rendition", "rendition")]:
        assert need in closed, need


def test_resources_find_p5subset():
    # the TEI source ships inside the package (xz), so no ../shared is needed
    assert resources.p5subset_path().name == "p5subset.xml.xz"
    assert resources.p5subset_path().exists()
    assert (resources.schema_dir() / "p5subset.SOURCE.md").exists()


def test_shipped_source_is_the_one_the_schemas_come_from(p5subset):
    # the compressed copy is the same TEI source: same schemas, without --source
    assert odd.read_source_bytes(resources.p5subset_path()) == p5subset.read_bytes()
    fresh = odd.outputs(SCHEMA / "telegram.odd", resources.p5subset_path())
    for name, data in fresh.items():
        assert (SCHEMA / name).read_bytes() == data, name


def test_schema_check_needs_no_shared_folder():
    result = CliRunner().invoke(main, ["schema", "check"])
    assert result.exit_code == 0, result.output


def test_own_schematron_agrees_with_iso_schematron():
    # the validator runs the ODD's Schematron with compiled XPath; the reference
    # implementation (ISO skeleton XSLT in lxml) must find the same failures
    from lxml import isoschematron

    from pipeline.validate import Validator, rules

    svrl = "{http://purl.oclc.org/dsdl/svrl}"
    iso = isoschematron.Schematron(etree.parse(str(SCHEMA / "telegram.sch")),
                                   store_report=True)
    validator = Validator()
    fixtures = sorted((Path(__file__).parent / "fixtures" / "rules").glob("*/*.xml"))
    for f in fixtures:
        if "xml-id-unique" in str(f) or "xml-id-name" in str(f):
            continue  # lxml's own parser refuses the duplicate id, the id that is no name
        tree = etree.parse(str(f))
        if not tree.getroot().tag.startswith("{http://www.tei-c.org/ns/1.0}TEI"):
            continue
        iso.validate(tree)
        expected = []
        for fa in iso.validation_report.iter(f"{svrl}failed-assert", f"{svrl}successful-report"):
            pattern = fa.getprevious()
            while pattern.tag != f"{svrl}active-pattern":
                pattern = pattern.getprevious()
            expected.append((pattern.get("id"), tree.xpath(fa.get("location"))[0].sourceline))
        got = [(p.code, p.line) for p in validator._schematron(rules.Doc(tree, str(f)))]
        assert sorted(got) == sorted(expected), f
