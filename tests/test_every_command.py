"""Every command on every hostile and crash file: no traceback, one message, the batch goes on.

Issue 13: files from anyone reach every command (validate, render, build, export,
schema build), in CI on strangers' pull requests too. Whatever a file does, the
command prints ``file:line: error [code] message`` for it, processes the other files
of the batch and exits non-zero; it never prints a traceback, never reads a file or
an address a document names, and never writes outside its output folder.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

HERE = Path(__file__).parent
HOSTILE = HERE / "fixtures" / "hostile"
GOOD = HERE / "fixtures" / "rules" / "tel-sender" / "pass.xml"
#: Where the id-traversal fixture's person page would land if its id were taken.
ESCAPED = Path("/tmp/teipipe-escaped.html")

#: Files every command must refuse (or report an error for), with the error code
#: that validate gives; the crash reproducers of issue 13 among them.
ATTACKS = {
    "billion-laughs.xml": "entity-declaration",
    "external-entity.xml": "entity-declaration",
    "parameter-entity.xml": "entity-declaration",
    "external-dtd.xml": "external-dtd",
    "external-dtd-network.xml": "external-dtd",
    "external-dtd-file-entity.xml": "external-dtd",
    "truncated.xml": "not-well-formed",
    "binary.xml": "binary",
    "empty.xml": "empty",
    "cp1251-undeclared.xml": "not-well-formed",
}
#: Files that are read, but that crashed a stage or wrote outside the output: validate
#: reports them (the code given), the others process them safely.
CRASHES = {
    "year-9999.xml": "date-plausible",
    "year-0001.xml": None,
    "year-0000.xml": "date-iso",
    # a BCE year is valid TEI (teidata.temporal.w3c): implausible for a telegram, not
    # a bad date (issue 11)
    "year-negative.xml": "date-plausible",
    "text-after-comment.xml": "text-not-allowed",
    "id-traversal.xml": "xml-id-name",
    "id-index.xml": "tei-id-filename",
}
EVERY = sorted(HOSTILE.glob("*.xml"))


def _message_for(output: str, path: Path) -> re.Match | None:
    """The report line ``path[:line[:col]]: error [code] ...`` for ``path``."""
    return re.search(re.escape(str(path)) + r"(?::\d+){0,2}: error \[[\w-]+\] \S", output)


def _invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


def _no_escape(before: set[Path], tmp_path: Path, out: Path) -> None:
    """Nothing was written in tmp_path outside ``out``, and nothing at ESCAPED."""
    after = {p for p in tmp_path.rglob("*") if not p.is_relative_to(out)}
    assert after - before == set()
    assert not ESCAPED.exists()


@pytest.fixture()
def batch(tmp_path: Path) -> list[Path]:
    """The hostile fixtures and a good document, copied together (the DTD beside them)."""
    if ESCAPED.exists():
        ESCAPED.unlink()
    src = tmp_path / "in"
    src.mkdir()
    for f in HOSTILE.iterdir():
        shutil.copy(f, src / f.name)
    shutil.copy(GOOD, src / "pass.xml")
    # a control character in a file name (no xml:id): render could not name its outputs
    text = GOOD.read_text(encoding="utf-8").replace(' xml:id="pass"', "")
    (src / "ctrl\x01name.xml").write_text(text, encoding="utf-8")
    return sorted(src.glob("*.xml"))


def test_validate_reports_every_file_and_goes_on(batch):
    result = _invoke("validate", *map(str, batch))
    assert result.exit_code == 2  # unreadable files among them
    folder = batch[0].parent
    for name, code in {**ATTACKS, **CRASHES}.items():
        if code is None:
            continue
        assert re.search(re.escape(str(folder / name)) + r":\d+(?::\d+)?: \w+ \[" + code + r"\]",
                         result.output), (name, result.output)
    assert not [line for line in result.output.splitlines()
                if line.startswith(str(folder / "pass.xml"))]
    assert f"{len(batch)} file(s)" in result.output


def test_validate_tei_all_reports_every_file_and_goes_on(batch, tei_all_rng):
    result = _invoke("validate", "--tei-all", *map(str, batch))
    assert result.exit_code == 2
    for name in ATTACKS:
        assert _message_for(result.output, batch[0].parent / name), (name, result.output)
    assert f"{len(batch)} file(s)" in result.output


def test_render_every_format_reports_every_file_and_goes_on(batch, tmp_path):
    out = tmp_path / "out"
    before = set(tmp_path.rglob("*"))
    result = _invoke("render", "--to", "html,text,pdf", *map(str, batch), "-o", str(out))
    assert result.exit_code == 1
    folder = batch[0].parent
    for name in ATTACKS:
        assert _message_for(result.output, folder / name), (name, result.output)
    # the control character is shown, not printed raw; the file is refused by name
    assert "ctrl\\x01name.xml: error [unsafe-id]" in result.output
    assert "ctrl\x01" not in result.output
    assert _message_for(result.output, folder / "id-index.xml")  # would overwrite index.html
    for ident in ("pass", "year-9999", "year-0001", "text-after-comment", "id-traversal"):
        for rel in (f"html/{ident}.html", f"text/{ident}.txt", f"pdf/{ident}.pdf"):
            assert (out / rel).is_file(), rel
    assert (out / "html" / "index.html").read_text().count("<tr") > 1  # the list, not a page
    assert (out / "pdf" / "book.pdf").is_file()
    persons = {p.name for p in (out / "html" / "persons").iterdir()}
    assert "shtykov.html" in persons and not [p for p in persons if "escaped" in p]
    _no_escape(before, tmp_path, out)


def test_build_reports_every_file_and_goes_on(batch, tmp_path):
    out = tmp_path / "site"
    before = set(tmp_path.rglob("*"))
    result = _invoke("build", *map(str, batch), "-o", str(out), "-j", "1", "--no-progress")
    assert result.exit_code == 1
    folder = batch[0].parent
    for name in ATTACKS:
        assert _message_for(result.output, folder / name), (name, result.output)
    assert _message_for(result.output, folder / "id-index.xml")
    assert "[unsafe-id]" in result.output and "[xml-id-name]" in result.output
    for ident in ("pass", "year-9999", "id-traversal"):
        assert (out / "html" / f"{ident}.html").is_file()
        assert (out / "text" / f"{ident}.txt").is_file()
    assert not (out / "tei" / "index.xml").exists()
    _no_escape(before, tmp_path, out)


def test_export_cmif_reports_every_file_and_goes_on(batch, tmp_path):
    target = tmp_path / "cmif.xml"
    result = _invoke("export", "--cmif", *map(str, batch), "-o", str(target))
    assert result.exit_code == 1
    for name in ATTACKS:
        assert _message_for(result.output, batch[0].parent / name), (name, result.output)
    data = target.read_text(encoding="utf-8")
    assert "Shtykov" in data and "root:" not in data


@pytest.mark.parametrize("path", EVERY, ids=[p.name for p in EVERY])
def test_schema_build_refuses_or_reports(path, tmp_path, shared_dir):
    # schema build takes one ODD: a hostile one is refused like any document
    source = shared_dir / "tei" / "p5subset.xml"
    result = _invoke("schema", "build", "--odd", str(path), "--source", str(source),
                     "-o", str(tmp_path / "schema"))
    assert result.exit_code != 0
    assert re.search(re.escape(str(path)) + r"(?::\d+){0,2}: error \[[\w-]+\] \S",
                     result.output), result.output


# --- nothing a document names is read -------------------------------------------

_SERVER = """
import socket, sys
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
sock.listen(16)
print(sock.getsockname()[1], flush=True)
while True:
    conn, _ = sock.accept()
    with open(sys.argv[1], "a") as log:
        log.write("connection\\n")
    conn.close()
"""


class _Listener:
    """A local TCP server, in its own process (Saxon holds the GIL while it waits on a
    socket, so a thread here could not answer), that logs the connections it gets
    and closes them at once."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.proc = subprocess.Popen([sys.executable, "-c", _SERVER, str(log)],
                                     stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    @property
    def connections(self) -> int:
        return len(self.log.read_text().splitlines()) if self.log.exists() else 0

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture()
def listener(tmp_path: Path):
    server = _Listener(tmp_path / "connections.log")
    yield server
    server.close()


def _bait(tmp_path: Path, port: int) -> tuple[list[Path], str]:
    """Documents that would pull a canary file or a local address into the outputs."""
    canary = "teipipe-canary-" + tmp_path.name
    (tmp_path / "secret.txt").write_text(canary)
    (tmp_path / "bait.dtd").write_text(
        f'<!ENTITY secret SYSTEM "{(tmp_path / "secret.txt").as_uri()}">\n'
        f'<!ENTITY remote SYSTEM "http://127.0.0.1:{port}/entity">\n')
    good = GOOD.read_text(encoding="utf-8")
    src = tmp_path / "bait"
    src.mkdir()
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    docs = {
        "local-dtd": f'<!DOCTYPE TEI SYSTEM "{(tmp_path / "bait.dtd").as_uri()}">\n',
        "relative-dtd": '<!DOCTYPE TEI SYSTEM "../bait.dtd">\n',
        "network-dtd": f'<!DOCTYPE TEI SYSTEM "http://127.0.0.1:{port}/tei.dtd">\n',
        "public-dtd": f'<!DOCTYPE TEI PUBLIC "-//TEI//DTD TEI P5//EN" '
                      f'"http://127.0.0.1:{port}/public.dtd">\n',
    }
    paths = []
    for ident, doctype in docs.items():
        text = good.replace(head, head + doctype).replace('xml:id="pass"', f'xml:id="{ident}"')
        text = text.replace("The situation is", "The situation is &secret; &remote;")
        paths.append(src / f"{ident}.xml")
        paths[-1].write_text(text, encoding="utf-8")
    # a document pointing at the canary and the address where a stylesheet might look
    linked = good.replace('xml:id="pass"', 'xml:id="linked"').replace(
        '<ref target="https://digitalarchive.wilsoncenter.org/document/113640">'
        "https://digitalarchive.wilsoncenter.org/document/113640</ref>",
        f'<ref target="{(tmp_path / "secret.txt").as_uri()}">the file</ref>')
    assert "secret.txt" in linked
    paths.append(src / "linked.xml")
    paths[-1].write_text(linked, encoding="utf-8")
    return paths, canary


def test_no_command_reads_what_a_document_names(tmp_path, listener, monkeypatch):
    monkeypatch.chdir(tmp_path)  # outs/ is made only under the current folder (issue 12)
    paths, canary = _bait(tmp_path, listener.port)
    outs = tmp_path / "outs"
    runs = [
        ("validate", *map(str, paths)),
        ("render", "--to", "html,text,pdf", *map(str, paths), "-o", str(outs / "render")),
        ("build", *map(str, paths), "-o", str(outs / "build"), "-j", "1", "--no-progress"),
        ("export", "--cmif", *map(str, paths), "-o", str(outs / "cmif.xml")),
    ]
    results = [(args[0], _invoke(*args)) for args in runs]
    # first what matters most: nothing read, nothing fetched
    written = [p for p in outs.rglob("*") if p.is_file()]
    for p in written:
        data = p.read_bytes()
        assert canary.encode() not in data, p
        assert b"root:x:0:0" not in data, p
    assert listener.connections == 0
    assert any(p.suffix == ".pdf" for p in written) and (outs / "cmif.xml").is_file()
    # then: each command refused each such file, the same way
    for command, result in results:
        assert canary not in result.output
        assert result.exit_code != 0, command
        for p in paths[:-1]:
            assert f"{p}:2:1: error [external-dtd]" in result.output, (command, result.output)


def test_saxon_resolves_nothing_a_stylesheet_asks_for(tmp_path, listener):
    # Even a (customised) stylesheet that asks for the file or the address a document
    # names gets nothing: the processor is sealed before it sees the document.
    from pipeline.errors import InputError
    from pipeline.render import Renderer
    from pipeline.xmlsafe import parse

    paths, canary = _bait(tmp_path, listener.port)
    xslt = tmp_path / "xslt"
    shutil.copytree(Path(__file__).resolve().parent.parent / "xslt", xslt)
    (xslt / "text.xsl").write_text(f"""<xsl:stylesheet version="3.0"
        xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:tei="http://www.tei-c.org/ns/1.0">
      <xsl:template match="/">
        <xsl:value-of select="unparsed-text(string((//tei:ref/@target)[last()]))"/>
        <xsl:value-of select="unparsed-text('http://127.0.0.1:{listener.port}/x')"/>
        <xsl:value-of select="count(doc(string((//tei:ref/@target)[last()]))//*)"/>
      </xsl:template>
    </xsl:stylesheet>""")
    renderer = Renderer(xslt)
    tree = parse(paths[-1])
    renderer.html(tree, name="linked.xml")  # the processor has seen a document
    with pytest.raises(InputError) as e:
        renderer.text(tree, name="linked.xml")
    assert canary not in e.value.problem.format()
    assert listener.connections == 0


def test_a_stylesheet_imports_only_from_its_folder(tmp_path):
    from pipeline.errors import InputError
    from pipeline.render import Renderer

    xslt = tmp_path / "xslt"
    shutil.copytree(Path(__file__).resolve().parent.parent / "xslt", xslt)
    (tmp_path / "elsewhere.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>')
    text = (xslt / "text.xsl").read_text()
    (xslt / "text.xsl").write_text(text.replace(
        '<xsl:import href="common.xsl"/>',
        '<xsl:import href="common.xsl"/><xsl:import href="../elsewhere.xsl"/>'))
    with pytest.raises(InputError) as e:
        Renderer(xslt).executable("text")
    assert e.value.problem.code == "xslt-import"


def test_site_pages_never_go_through_a_link(tmp_path):
    # a symbolic link planted in the output folder cannot carry the pages elsewhere
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    (out / "html").mkdir(parents=True)
    (out / "html" / "persons").symlink_to(elsewhere, target_is_directory=True)
    result = _invoke("render", "--to", "html", str(GOOD), "-o", str(out))
    assert result.exit_code == 1
    assert "[unsafe-path]" in result.output
    assert list(elsewhere.iterdir()) == []


def test_two_documents_with_one_id_do_not_overwrite_each_other(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    text = GOOD.read_text(encoding="utf-8")
    (src / "a.xml").write_text(text, encoding="utf-8")
    (src / "b.xml").write_text(text.replace("The situation is", "The other is"),
                               encoding="utf-8")
    out = tmp_path / "out"
    result = _invoke("render", "--to", "text", str(src / "a.xml"), str(src / "b.xml"),
                     "-o", str(out))
    assert result.exit_code == 1
    assert f"{src / 'b.xml'}:2: error [duplicate-id]" in result.output
    assert "The situation is" in (out / "text" / "pass.txt").read_text()


def test_only_the_site_pages_are_written_by_a_stylesheet(tmp_path):
    # a (customised) stylesheet asking for xsl:result-document outside run_pages
    # writes nothing: the result is kept in memory and dropped
    from pipeline.render import Renderer
    from pipeline.xmlsafe import parse

    xslt = tmp_path / "xslt"
    shutil.copytree(Path(__file__).resolve().parent.parent / "xslt", xslt)
    target = tmp_path / "written.html"
    (xslt / "text.xsl").write_text(f"""<xsl:stylesheet version="3.0"
        xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
      <xsl:template match="/">text<xsl:result-document href="{target.as_uri()}"><p/>
        </xsl:result-document></xsl:template>
    </xsl:stylesheet>""")
    assert Renderer(xslt).text(parse(GOOD), name="pass.xml").endswith("text")
    assert not target.exists()


def test_the_pdf_reads_only_the_stylesheet_folder(tmp_path, listener):
    from pipeline import resources
    from pipeline.render.pdf import _own_file, html_to_pdf

    root = resources.xslt_dir()
    assert _own_file((root / "print.css").as_uri(), root) == (root / "print.css").resolve()
    secret = tmp_path / "secret.css"
    secret.write_text("p { color: red }")
    for url in (f"http://127.0.0.1:{listener.port}/x.css", secret.as_uri(),
                (root.parent / "README.md").as_uri(), "data:text/css,p{}"):
        with pytest.raises(ValueError):
            _own_file(url, root)
    html = (f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{listener.port}/a.css">'
            f'<link rel="stylesheet" href="{secret.as_uri()}"></head><body><p>x</p>'
            f'<img src="http://127.0.0.1:{listener.port}/i.png"></body></html>')
    assert html_to_pdf(html, root).startswith(b"%PDF")
    assert listener.connections == 0


@pytest.mark.parametrize("ident,formats,code", [
    ("wcda-113640", ("html", "text", "pdf"), None),
    ("../../x", ("text",), "unsafe-id"),
    ("a/b", ("text",), "unsafe-id"),
    ("x" * 201, ("text",), "unsafe-id"),
    ("index", ("html",), "reserved-id"),
    ("search", ("html",), "reserved-id"),
    ("index", ("text",), None),
    ("book", ("pdf",), "reserved-id"),
    ("book", ("html", "text"), None),
])
def test_output_ids_are_checked(ident, formats, code):
    from pipeline.errors import InputError
    from pipeline.render.renderer import check_output_id

    if code is None:
        assert check_output_id(ident, "f.xml", formats) == ident
    else:
        with pytest.raises(InputError) as e:
            check_output_id(ident, "f.xml", formats)
        assert e.value.problem.code == code


def test_a_root_id_that_is_no_name_names_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a/b/ is made only under the current folder (issue 12)
    # the lenient parse (a doubled id) lets the root's id through unchecked by libxml2
    text = GOOD.read_text(encoding="utf-8").replace('xml:id="pass"', 'xml:id="../../up"')
    text = text.replace('xml:id="pass-ms1"', 'xml:id="AM"')
    (tmp_path / "up.xml").write_text(text, encoding="utf-8")
    out = tmp_path / "a" / "b" / "out"
    result = _invoke("render", "--to", "html,text", str(tmp_path / "up.xml"), "-o", str(out))
    assert result.exit_code == 1 and "up.xml:2: error [unsafe-id]" in result.output
    assert [p.name for p in tmp_path.rglob("up*")] == ["up.xml"]


def test_a_file_name_cannot_forge_a_report_line(tmp_path):
    # a newline in a file name must not start a line of its own in any report format
    name = tmp_path / "x\n::error file=forged.xml::forged\x1b[2J.xml"
    name.write_bytes(b"<TEI")
    for fmt in ("text", "github", "junit"):
        result = _invoke("validate", "--format", fmt, str(name))
        assert result.exit_code == 2
        lines = result.output.splitlines()
        assert not [line for line in lines if line.startswith("::error file=forged")]
        assert "\x1b" not in result.output


def test_whatever_escapes_a_command_is_one_line(monkeypatch):
    # the last net under every command: an unforeseen failure is reported, not a traceback
    from pipeline.validate import Validator

    def broken(self, paths):  # noqa: ANN001, ANN202
        raise RuntimeError("unforeseen")

    monkeypatch.setattr(Validator, "validate_many", broken)
    result = _invoke("validate", str(GOOD))
    assert result.exit_code == 1
    assert "teipipe: error [internal] RuntimeError: unforeseen" in result.output
