"""teipipe validate: the project's corpus passes, anyone's TEI gets sensible messages."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline.cli import main
from pipeline.validate import Validator

ROOT = Path(__file__).resolve().parent.parent
TEI_DIR = ROOT / "tei"
RULES = Path(__file__).parent / "fixtures" / "rules"
GOOD = RULES / "tel-sender" / "pass.xml"
BAD = RULES / "not-allowed" / "fail.xml"
LINE = re.compile(r"^(.+?):(\d+)(?::(\d+))?: (error|warning) \[([\w-]+)\] .+$")


def validate(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


def test_the_project_corpus_is_valid():
    files = sorted(TEI_DIR.glob("*.xml"))
    assert files, "tei/ holds no TEI files"
    result = validate("-q", str(TEI_DIR))
    assert result.exit_code == 0, result.output


def test_the_project_corpus_is_valid_tei_all(tei_all_rng):
    result = validate("-q", "--tei-all", str(TEI_DIR))
    assert result.exit_code == 0, result.output


def test_valid_file_exit_0_and_summary():
    result = validate(str(GOOD))
    assert result.exit_code == 0
    assert "1 valid, 0 invalid" in result.output


def test_invalid_file_exit_1_with_actionable_message():
    result = validate(str(BAD))
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    m = LINE.match(first)
    assert m, first
    assert m.group(1) == str(BAD) and m.group(5) == "not-allowed"
    assert "element <opener> is not allowed inside <p>" in first
    assert "(allowed inside <p>:" in first


def test_missing_path_exit_2():
    result = validate("no/such/file.xml")
    assert result.exit_code == 2
    assert "no/such/file.xml: error [unreadable]" in result.output


def test_no_arguments_is_a_usage_error():
    assert validate().exit_code == 2


def test_folder_without_xml_exit_2(tmp_path):
    assert validate(str(tmp_path)).exit_code == 2


def test_repeated_messages_are_grouped(tmp_path):
    src = GOOD.read_text().replace('<gap reason="omitted"/>',
                                   "<mentioned>a</mentioned> <mentioned>b</mentioned> "
                                   "<mentioned>c</mentioned>")
    f = tmp_path / "pass.xml"
    f.write_text(src)
    result = validate(str(f))
    lines = [x for x in result.output.splitlines() if "[not-in-schema]" in x]
    assert len(lines) == 1 and "[+2 more at line" in lines[0]


def test_json_format():
    result = validate("--format", "json", str(BAD), str(GOOD))
    data = json.loads(result.output[:result.output.rindex("}") + 1])
    assert data["files"] == 2 and data["invalid"] == 1
    p = data["problems"][0]
    assert {"path", "line", "col", "severity", "code", "message", "hint"} <= set(p)


def test_junit_format():
    result = validate("--format", "junit", str(BAD), str(GOOD))
    suite = etree.fromstring(result.output.encode())
    assert suite.tag == "testsuite" and suite.get("tests") == "2" and suite.get("failures") == "1"
    assert len(suite.findall("testcase/failure")) == 1


def test_github_format():
    result = validate("--format", "github", str(BAD))
    line = result.output.splitlines()[0]
    assert re.match(r"^::error file=.+,line=\d+,col=\d+,title=teipipe not-allowed::", line), line


def test_validate_bytes_names_the_document(validator):
    problems = validator.validate_bytes(BAD.read_bytes(), "mailed.xml")
    assert problems and all(p.path == "mailed.xml" for p in problems)


def test_validate_tree_says_what_validate_bytes_says(validator):
    # the build parses a record once and hands the tree over: same messages
    from pipeline import xmlsafe
    for f in (GOOD, BAD, *sorted(RULES.glob("*/fail.xml"))):
        data = f.read_bytes()
        try:
            tree = xmlsafe.parse(f, data)
        except Exception:  # noqa: BLE001 - refused files have no tree to hand over
            continue
        assert validator.validate_tree(tree, "r.xml", data) == \
            validator.validate_bytes(data, "r.xml"), f


def test_a_validator_is_reused(validator):
    # the schemas are compiled once; many documents go through the same object
    for _ in range(3):
        assert validator.validate_file(GOOD) == []


def test_not_tei_namespace(validator):
    problems = validator.validate_bytes(b"<TEI><text/></TEI>", "x.xml")
    assert [p.code for p in problems] == ["not-tei"]


def test_grammar_errors_are_translated(validator):
    # an element in the wrong order gets the content model of its parent as hint
    problems = validator.validate_file(RULES / "grammar" / "fail.xml")
    [p] = [p for p in problems if p.code == "grammar"]
    assert "<repository> is out of place inside <msIdentifier>" in p.message
    assert "repository?" in p.hint and "idno*" in p.hint


# --------------------------------------------------------------------------- #
# Other projects' TEI: never a crash, always file:line messages
# --------------------------------------------------------------------------- #

def test_all_foreign_files_get_sensible_messages(foreign_tei, validator):
    assert len(foreign_tei) == 13
    for f in foreign_tei:
        problems = validator.validate_file(f)
        assert problems, f  # none of them follows this encoding
        for p in problems:
            assert p.path == str(f)
            assert p.message and p.hint, p
            assert p.code, p
            assert not p.message.startswith("RELAXNG"), p
        assert sum(p.line > 0 for p in problems) >= len(problems) - 1, f


def test_foreign_corpus_root_and_xinclude(foreign_tei, validator):
    corpus = next(f for f in foreign_tei if "teicorpus" in f.name)
    codes = {p.code for p in validator.validate_file(corpus)}
    assert "root" in codes and "xinclude" in codes


def test_foreign_namespaces_are_named(foreign_tei, validator):
    vangogh = next(f for f in foreign_tei if "vangogh" in f.name)
    messages = [p.message for p in validator.validate_file(vangogh)]
    assert any("of namespace http://www.vangoghletters.org/ns/" in m for m in messages)


def test_foreign_folder_through_the_cli(shared_dir):
    result = validate(str(shared_dir / "foreign-tei"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    body = [x for x in result.output.splitlines() if x.startswith(str(shared_dir))]
    assert body and all(LINE.match(x) for x in body)


def test_foreign_files_with_tei_all(foreign_tei):
    if not shutil.which("jing"):
        pytest.skip("jing is not installed")
    v = Validator(tei_all=True)
    results = v.validate_many(foreign_tei)
    cmif = next(k for k in results if "05_cmif" in k)
    assert not [p for p in results[cmif] if p.code == "tei-all"]  # valid TEI
    frus = next(k for k in results if "07_frus" in k)
    assert [p for p in results[frus] if p.code == "tei-all"]      # tei_all finds a fault


def test_tei_all_batch_goes_on_past_a_file_jing_cannot_read(tmp_path):
    """jing stops a batch at a file it cannot parse; the files after it must still be
    judged (an invalid one never passes because it came later), and the unreadable
    one is reported as unchecked, never as valid."""
    jing = shutil.which("jing")
    if not jing:
        pytest.skip("jing is not installed")
    from pipeline.validate.validator import _jing

    stub = b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>'
    unreadable = b'<TEI xmlns="http://www.tei-c.org/ns/1.0">&undeclared;</TEI>'
    datas = {"first.xml": stub, "unreadable.xml": unreadable, "later.xml": stub,
             "last.xml": unreadable, "after-last.xml": stub}
    out = _jing(jing, ROOT / "schema" / "tei_all.rng", datas)
    for name in ("first.xml", "later.xml", "after-last.xml"):
        assert any(p.code == "tei-all" for p in out[name]), name
    for name in ("unreadable.xml", "last.xml"):
        assert [p.code for p in out[name]] == ["tei-all-unchecked"], name
