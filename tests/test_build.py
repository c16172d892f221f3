"""``teipipe build``: the whole corpus in one go, incrementally, over worker processes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import resources
from pipeline.build import MANIFEST, build
from pipeline.cli import main

pytest.importorskip("pipeline.convert", reason="the converter has not landed yet")
pytest.importorskip("pipeline.validate", reason="the validator has not landed yet")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}


def mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}


def test_build_the_seeds_into_the_documented_layout(sources, tmp_path):
    out = tmp_path / "site"
    r = CliRunner().invoke(main, ["build", str(sources), "-o", str(out), "--jobs", "1"])
    # Exit 1 would mean findings of the validator, which are reported, not fatal.
    assert r.exit_code in (0, 1), r.output
    assert "failed" not in r.output.splitlines()[-1]
    ids = sorted(p.stem for p in (out / "tei").glob("*.xml"))
    assert len(ids) == len(SEEDS)
    for i in ids:
        assert (out / "html" / f"{i}.html").is_file()
        assert (out / "html" / "tei" / f"{i}.xml").is_file()  # the page's "TEI file" link
        assert (out / "text" / f"{i}.txt").is_file()
        assert (out / "pdf" / f"{i}.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "html" / "index.html").is_file()
    assert list((out / "html" / "persons").glob("*.html"))
    assert (out / "pdf" / "book.pdf").is_file()
    assert "5 records, 5 built" in r.output
    # the summary line says what was done, not a traceback
    assert "Traceback" not in r.output


def test_rebuild_with_nothing_changed_does_no_work(sources, tmp_path):
    out = tmp_path / "site"
    first = build([sources], out, jobs=1, formats=("html", "text"))
    assert first.processed == 5 and not first.failed
    before = mtimes(out)
    manifest = (out / MANIFEST).read_bytes()
    again = build([sources], out, jobs=1, formats=("html", "text"))
    assert (again.processed, again.reused, again.corpus_pages) == (0, 5, 0)
    assert mtimes(out) == before
    assert (out / MANIFEST).read_bytes() == manifest


def test_a_changed_record_rerenders_itself_only(sources, tmp_path):
    out = tmp_path / "site"
    build([sources], out, jobs=1, formats=("html", "text"))
    before = mtimes(out)
    edited = sorted(sources.glob("*.txt"))[2]
    edited.write_text(edited.read_text(encoding="utf-8").replace(" the ", " the very ", 1),
                      encoding="utf-8")
    r = build([sources], out, jobs=1, formats=("html", "text"))
    assert (r.processed, r.reused) == (1, 4)
    entry = json.loads((out / MANIFEST).read_text())["records"][str(edited)]
    after = mtimes(out)
    changed = {k for k in after if after[k] != before.get(k)}
    own = set(entry["outputs"])
    # its own outputs changed, and no other record's
    assert changed & own
    assert not {k for k in changed - own if k.startswith(("tei/", "text/"))}
    others = {f"html/{Path(k).stem}.html" for k in before if k.startswith("tei/")} - own
    assert not changed & others


def _listed(summary: str) -> set[str]:
    return {f"html/{kind}s/{ref}.html"
            for ref, kind in re.findall(r'<mention ref="([^"]*)" kind="(person|place)"', summary)}


def test_a_changed_record_rewrites_only_the_corpus_pages_that_list_it(sources, tmp_path):
    out = tmp_path / "site"
    build([sources], out, jobs=1, formats=("html",))
    edited = sorted(sources.glob("*.txt"))[2]
    old = json.loads((out / MANIFEST).read_text())["records"][str(edited)]["summary"]
    before = mtimes(out)
    edited.write_text(edited.read_text(encoding="utf-8").replace(" the ", " the very ", 1),
                      encoding="utf-8")
    r = build([sources], out, jobs=1, formats=("html",))
    new = json.loads((out / MANIFEST).read_text())["records"][str(edited)]["summary"]
    after = mtimes(out)
    corpus = {k for k in after if after[k] != before.get(k)
              and k.startswith(("html/persons/", "html/places/", "html/index.html"))}
    indexes = {"html/index.html", "html/persons/index.html", "html/places/index.html"}
    # the index pages, and the pages of whom and what the record names (before and after)
    assert corpus <= indexes | _listed(old) | _listed(new)
    assert 0 < r.corpus_pages <= len(indexes | _listed(old) | _listed(new))
    # and the site is the one a build from nothing makes
    fresh = tmp_path / "fresh"
    build([sources], fresh, jobs=1, formats=("html",))
    assert files(out) == files(fresh)


def test_a_removed_record_takes_the_pages_only_it_listed(sources, tmp_path):
    out = tmp_path / "site"
    build([sources], out, jobs=1, formats=("html",))
    gone = sorted(sources.glob("*.txt"))[0]
    gone.unlink()
    build([sources], out, jobs=1, formats=("html",))
    fresh = tmp_path / "fresh"
    build([sources], fresh, jobs=1, formats=("html",))
    assert files(out) == files(fresh)  # no ghost person or place pages either


def test_the_rebuild_key_counts_teipipe_s_own_code(tmp_path, monkeypatch):
    """A developer who edits the converter gets fresh outputs without a new version."""
    from pipeline import build as b

    code = tmp_path / "pipeline"
    shutil.copytree(b._PACKAGE, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(b, "_PACKAGE", code)
    first = b.Environment.current()
    names = code / "convert" / "names.py"
    names.write_text(names.read_text() + "\n# edited\n")
    second = b.Environment.current()
    assert second.convert_key != first.convert_key and second.render_key == first.render_key
    renderer = code / "render" / "renderer.py"
    renderer.write_text(renderer.read_text() + "\n# edited\n")
    third = b.Environment.current()  # a rendering module: render again, no reconversion
    assert third.convert_key == second.convert_key and third.render_key != second.render_key
    (code / "cli" / "build.py").write_text((code / "cli" / "build.py").read_text() + "\n#\n")
    assert b.Environment.current() == third  # the command line changes no output


def test_a_changed_stylesheet_rerenders_everything(sources, tmp_path):
    xslt = tmp_path / "xslt"
    shutil.copytree(resources.xslt_dir(), xslt)
    out = tmp_path / "site"
    build([sources], out, jobs=1, formats=("text",), xslt_dir=xslt)
    text_xsl = xslt / "text.xsl"
    text_xsl.write_text(text_xsl.read_text(encoding="utf-8") + "\n<!-- edited -->\n",
                        encoding="utf-8")
    r = build([sources], out, jobs=1, formats=("text",), xslt_dir=xslt)
    assert r.processed == 5
    assert r.converted == 0  # the TEI is current: it is rendered again, not reconverted


def test_a_bad_source_is_reported_and_the_build_goes_on(sources, tmp_path):
    (sources / "zz_empty.txt").write_text("", encoding="utf-8")
    (sources / "zz_binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    out = tmp_path / "site"
    r = CliRunner().invoke(main, ["build", str(sources), "-o", str(out), "--jobs", "2",
                                  "--formats", "text"])
    assert r.exit_code == 1
    assert "2 failed" in r.output.splitlines()[-1]
    assert re.search(r"zz_empty\.txt:\d+", r.output) and re.search(r"zz_binary\.txt:\d+", r.output)
    assert "error" in r.output and "Traceback" not in r.output
    assert len(list((out / "text").glob("*.txt"))) == len(SEEDS)
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    # the same bad input is reported again on a rebuild, without being retried
    again = build([sources], out, jobs=1, formats=("text",))
    assert again.processed == 0
    assert {p.path for p in again.errors} >= {str(sources / "zz_empty.txt"),
                                              str(sources / "zz_binary.txt")}


def test_one_and_two_jobs_give_the_same_bytes(sources, tmp_path):
    a, b = tmp_path / "one", tmp_path / "two"
    build([sources], a, jobs=1, formats=("html", "text"))
    build([sources], b, jobs=2, formats=("html", "text"))
    assert files(a) == files(b)


def test_formats_text_only_renders_text(sources, tmp_path):
    out = tmp_path / "site"
    r = CliRunner().invoke(main, ["build", str(sources), "-o", str(out), "--formats", "text"])
    assert r.exit_code in (0, 1), r.output
    assert len(list((out / "text").glob("*.txt"))) == len(SEEDS)
    assert not (out / "html").exists() and not (out / "pdf").exists()


def test_a_removed_source_takes_its_outputs_with_it(sources, tmp_path):
    out = tmp_path / "site"
    build([sources], out, jobs=1, formats=("text",))
    gone = sorted(sources.glob("*.txt"))[0]
    entry = json.loads((out / MANIFEST).read_text())["records"][str(gone)]
    gone.unlink()
    r = build([sources], out, jobs=1, formats=("text",))
    assert r.removed >= 2
    assert not any((out / rel).exists() for rel in entry["outputs"])


def test_unknown_format_is_a_usage_error(tmp_path):
    r = CliRunner().invoke(main, ["build", str(ROOT / "seeds"), "-o", str(tmp_path),
                                  "--formats", "html,docx"])
    assert r.exit_code == 2
    assert "docx" in r.output


def test_the_build_renders_as_the_renderer_does():
    """The build parses each record once for all stylesheets; the pages must not differ."""
    from lxml import etree

    from pipeline import xmlsafe
    from pipeline.build import Stages

    stages = Stages()
    r = stages.renderer
    for path in sorted((ROOT / "tei").glob("wcda-*.xml"))[:2] or \
            [ROOT / "tests" / "fixtures" / "render" / "wcda-900001.xml"]:
        tree = xmlsafe.parse(path)
        name = f"tei/{path.name}"
        assert stages.html(tree, name) == r.html(tree, name=name)
        assert stages.text(tree, name) == r.text(tree, name=name)
        assert stages.summary(tree, name, path.name) == etree.tostring(
            r.summary(tree, name=name, file=path.name), encoding="unicode")


def test_progress_bar_when_asked_one_summary_line_otherwise(sources, tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["build", str(sources), "-o", str(tmp_path / "a"), "--jobs", "1",
                             "--formats", "text", "--progress"])
    assert "] 5/5 records" in r.output
    r = runner.invoke(main, ["build", str(sources), "-o", str(tmp_path / "b"), "--jobs", "1",
                             "--formats", "text"])  # CliRunner's stderr is no terminal
    assert "] 5/5" not in r.output
    assert r.output.splitlines()[-1].startswith("5 records, 5 built, 0 current")
