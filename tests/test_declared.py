"""Without --schema, each file is judged by what its own <?xml-model?> PIs name (issue 11)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pipeline import resources
from pipeline.cli import main
from pipeline.validate import declared, rules

TEI_ALL_HTTP = "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
VAULT = "http://www.tei-c.org/Vault/P5/3.1.0/xml/tei/custom/schema/relaxng/tei_all.rng"
RNG = 'schematypens="http://relaxng.org/ns/structure/1.0"'
SCH = 'schematypens="http://purl.oclc.org/dsdl/schematron"'
BODY = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
        '<title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt>'
        '<sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body>{}</body>'
        '</text></TEI>')


def doc(tmp: Path, name: str, body: str, *models: str) -> Path:
    p = tmp / name
    pis = "".join(f'<?xml-model href="{h}" {t}?>\n' for h, t in models)
    p.write_text(f'<?xml version="1.0"?>\n{pis}' + BODY.format(body), encoding="utf-8")
    return p


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def test_the_pis_are_read_with_their_lines():
    data = (f'<?xml version="1.0"?>\n<!-- c -->\n<?xml-model href="a.rng" {RNG}?>\n'
            f"<?xml-model href='b.sch' {SCH}?>\n<TEI/>").encode()
    models = declared.xml_models(data)
    assert [(m.href, m.kind, m.line) for m in models] == [("a.rng", "rng", 3),
                                                          ("b.sch", "sch", 4)]
    assert declared.xml_models(b"<TEI/><?xml-model href='x.rng'?>") == []


def test_published_tei_all_urls_map_to_the_bundled_schema():
    for url in (TEI_ALL_HTTP, TEI_ALL_HTTP.replace("http:", "https:"), VAULT):
        assert resources.bundled_schema(url) == resources.tei_all_path()
    assert resources.bundled_schema(resources.TELEGRAM_RNG_URL) == \
        resources.schema_dir() / "telegram.rng"
    assert resources.bundled_schema("https://example.org/tei_all.rng") is None


def test_a_tei_all_file_is_judged_by_tei_all_not_the_telegram_encoding(tmp_path):
    good = doc(tmp_path, "good.xml", "<p>Text with <term>words</term>.</p>",
               (TEI_ALL_HTTP, RNG))
    bad = doc(tmp_path, "bad.xml", "<p><nonsense/></p>", (VAULT, RNG))
    result = run(str(good))
    assert result.exit_code == 0, result.output
    result = run(str(bad))
    assert result.exit_code == 1
    assert "bad.xml:" in result.output and "[rng]" in result.output
    assert "not-in-schema" not in result.output  # no telegram verdict


def test_a_remote_schema_is_refused_once_without_network(tmp_path):
    url = "https://example.invalid/their.rng"
    files = [doc(tmp_path, f"f{i}.xml", "<p>x</p>", (url, RNG)) for i in range(3)]
    result = run("--format", "json", *map(str, files))
    assert result.exit_code == 0
    out = result.output[:result.output.rindex("}") + 1]
    import json

    problems = json.loads(out)["problems"]
    refused = [p for p in problems if p["code"] == "schema-not-fetched"]
    assert len(refused) == 1 and "2 other files" in refused[0]["message"]
    assert refused[0]["line"] == 2


def test_a_local_schema_relative_to_the_file(tmp_path):
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "rules.sch").write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/><pattern id="p"><rule '
        'context="tei:p"><assert test="matches(., \'^[A-Z]\')" id="cap">a paragraph '
        'starts with a capital</assert></rule></pattern></schema>')
    (tmp_path / "data").mkdir()
    f = doc(tmp_path / "data", "x.xml", "<p>lower</p>", ("../schema/rules.sch", SCH))
    result = run(str(f))
    assert result.exit_code == 1 and "[cap]" in result.output
    missing = doc(tmp_path / "data", "y.xml", "<p>x</p>", ("../nowhere.rng", RNG))
    result = run(str(missing))
    assert result.exit_code == 0 and "[schema-missing]" in result.output


def test_the_telegram_schema_url_means_a_telegram(tmp_path):
    f = doc(tmp_path, "t.xml", "<p>x</p>", (resources.TELEGRAM_RNG_URL, RNG))
    result = run(str(f))
    assert result.exit_code == 1 and "[tel-" in result.output


def test_generic_rules_run_on_other_projects_files(tmp_path):
    f = doc(tmp_path, "g.xml", '<p xml:id="a">x</p><p xml:id="a">y</p>'
            '<p><date when="1850-13-01">x</date></p>', (TEI_ALL_HTTP, RNG))
    result = run(str(f))
    assert "[xml-id-unique]" in result.output and "[date-iso]" in result.output
    assert "[tei-id-filename]" not in result.output


def test_tei_datatypes_in_the_date_rule():
    for ok in ("-0033", "-0033-03-15", "12000", "0044-03-15", "1852-02-29"):
        assert rules.is_w3c_temporal(ok), ok
    for bad in ("0000", "1850-13", "01234", "33 BC", "", "1851-02-29"):
        assert not rules.is_w3c_temporal(bad), bad


def test_biblscope_pages_are_not_dates(tmp_path):
    f = doc(tmp_path, "b.xml", '<p>x <bibl><biblScope unit="page" from="12" to="14"/>'
            '<citedRange from="iv" to="vi"/><date when="-0033">33 BCE</date></bibl></p>',
            (TEI_ALL_HTTP, RNG))
    result = run(str(f))
    assert "[date-iso]" not in result.output, result.output


def test_only_tei_skips_other_xml(tmp_path):
    pom = tmp_path / "pom.xml"
    pom.write_text('<project xmlns="http://maven.apache.org/POM/4.0.0"/>')
    result = run("--only-tei", str(pom))
    assert result.exit_code == 0 and "skipped, not TEI" in result.output
    assert run(str(pom)).exit_code == 1


def test_repeats_are_grouped_in_json_and_github(tmp_path):
    f = doc(tmp_path, "r.xml", "".join(f'<p><date when="18{i:02d}-13">x</date></p>'
                                       for i in range(12)), (TEI_ALL_HTTP, RNG))
    import json

    result = run("--format", "json", str(f))
    data = json.loads(result.output[:result.output.rindex("}") + 1])
    dated = [p for p in data["problems"] if p["code"] == "date-iso"]
    assert data["errors"] >= 12  # the totals count every occurrence
    assert len(dated) == 12  # each value is its own message...
    same = doc(tmp_path, "s.xml", '<p xml:id="a"/>' + '<p ana="#nowhere">x</p>' * 10,
               (TEI_ALL_HTTP, RNG))
    data = json.loads(run("--format", "json", str(same)).output.rsplit("\n}", 1)[0] + "\n}")
    ptr = [p for p in data["problems"] if p["code"] == "pointer-resolves"]
    assert len(ptr) == 1 and ptr[0]["count"] == 10 and len(ptr[0]["more"]) == 9
    lines = [x for x in run("--format", "github", str(same)).output.splitlines()
             if "pointer-resolves" in x]
    assert len(lines) == 1 and "[+9 more at lines" in lines[0]


def test_allow_network_fetches_once_and_without_it_nothing_is_asked(tmp_path):
    import http.server
    import threading

    grammar = (b'<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.tei-c.org/'
               b'ns/1.0"><start><element name="TEI"><zeroOrMore><element><anyName/>'
               b'<zeroOrMore><choice><attribute><anyName/></attribute><text/><ref name="any"/>'
               b'</choice></zeroOrMore></element></zeroOrMore></element></start><define '
               b'name="any"><element><anyName/><zeroOrMore><choice><attribute><anyName/>'
               b'</attribute><text/><ref name="any"/></choice></zeroOrMore></element></define>'
               b'</grammar>')
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(grammar)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/their.rng"
        files = [str(doc(tmp_path, f"n{i}.xml", "<p>x</p>", (url, RNG))) for i in range(2)]
        result = run(*files)
        assert result.exit_code == 0 and "[schema-not-fetched]" in result.output
        assert hits == []  # network off: nothing asked
        result = run("--allow-network", *files)
        assert result.exit_code == 0, result.output
        assert "[schema-not-fetched]" not in result.output
        assert hits == ["/their.rng"]  # fetched once for both files
    finally:
        server.shutdown()


def test_a_hostile_declared_schema_is_refused_once(tmp_path):
    (tmp_path / "evil.rng").write_text(
        '<!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><text/></start></grammar>')
    files = [str(doc(tmp_path, f"h{i}.xml", "<p>x</p>", ("evil.rng", RNG))) for i in range(2)]
    result = run(*files)
    assert result.exit_code == 2
    assert result.output.count("[entity-declaration]") == 1
    assert "root:" not in result.output and "Traceback" not in result.output


def test_foreign_files_that_declare_a_schema_are_judged_by_it(foreign_tei):
    """jing says 05, 08, 09, 12 are valid against tei_all (or what they declare); 04 and
    07 declare tei_all and are invalid against it."""
    by = {p.name[:2]: str(p) for p in foreign_tei}
    result = run("--format", "json", *(by[k] for k in ("04", "05", "07", "08", "09", "12")))
    import json

    data = json.loads(result.output[:result.output.rindex("}") + 1])
    invalid = {Path(p["path"]).name[:2] for p in data["problems"] if p["severity"] == "error"}
    assert invalid == {"04", "07"}


def test_no_false_invalid_in_the_odd_corpus_among_files_that_declare(odd_corpus):
    import json

    declaring: list[Path] = []
    for verdicts in sorted(odd_corpus.glob("*/verdicts.tsv")):
        for line in verdicts.read_text().splitlines()[1:]:
            name, verdict = line.split("\t")[:2]
            f = verdicts.parent / name
            if verdict == "valid" and declared.xml_models(f.read_bytes()):
                declaring.append(f)
    assert len(declaring) >= 25
    result = run("--format", "json", *map(str, declaring))
    data = json.loads(result.output[:result.output.rindex("}") + 1])
    assert data["invalid"] == 0, [p for p in data["problems"] if p["severity"] == "error"][:3]


def test_a_telegram_naming_a_further_schematron_gets_both(tmp_path):
    (tmp_path / "house.sch").write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/><pattern><rule context="tei:TEI">'
        '<report test="true()" id="house-rule" role="warning">the house rule ran</report>'
        '</rule></pattern></schema>')
    src = Path(__file__).parent.parent / "tei" / "wcda-113640.xml"
    lines = [x for x in src.read_text(encoding="utf-8").splitlines(keepends=True)
             if not x.startswith("<?xml-model")]
    f = tmp_path / "wcda-113640.xml"
    f.write_text(lines[0] + resources.xml_model_pis() + f'<?xml-model href="house.sch" {SCH}?>\n'
                 + "".join(lines[1:]), encoding="utf-8")
    result = run(str(f))
    assert result.exit_code == 0, result.output
    assert "[house-rule]" in result.output


def test_tei_all_reads_a_file_with_internal_entities(tmp_path):
    import shutil

    import pytest

    if not shutil.which("jing"):
        pytest.skip("jing is not installed")
    f = tmp_path / "old.xml"
    f.write_text('<?xml version="1.0"?>\n<!DOCTYPE TEI [\n<!ENTITY mdash "&#8212;">\n]>\n'
                 + BODY.format("<p>a &mdash; b</p>"), encoding="utf-8")
    doc_ = tmp_path / "old2.xml"
    doc_.write_text(f.read_text().replace("<!DOCTYPE", f'<?xml-model href="{TEI_ALL_HTTP}" '
                                          f'{RNG}?>\n<!DOCTYPE'), encoding="utf-8")
    result = run("--tei-all", str(doc_))
    assert result.exit_code == 0, result.output
    assert "tei-all-unchecked" not in result.output
