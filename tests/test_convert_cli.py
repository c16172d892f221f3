"""``teipipe convert`` through click's CliRunner: outputs, messages, exit codes, bad input."""

from __future__ import annotations

import shutil
import stat

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests._corpus import RECORDS, SEEDS


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_converts_a_folder_and_sums_up(runner, tmp_path):
    result = runner.invoke(main, ["convert", str(SEEDS[0].parent), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["wcda-110696.xml", "wcda-112696.xml", "wcda-113640.xml",
                     "wcda-113642.xml", "wcda-113658.xml"]
    assert "5 record(s) converted, 0 failed" in result.output
    assert "person mention(s) tagged" in result.output and "date(s) normalised" in result.output


def test_unknown_names_are_listed_in_the_summary(runner, tmp_path):
    rec = next(r for r in RECORDS if "unknown" in r.name)
    result = runner.invoke(main, ["convert", str(rec), "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert "unknown names" in result.output and "BELOKOSTOV" in result.output


def test_a_batch_carries_on_past_bad_files(runner, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEEDS[3], src / "good.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (src / "cut.txt").write_text(SEEDS[3].read_text().split("Contents:")[0] + "Contents:\n\n"
                                 "Translation - English\n")
    result = runner.invoke(main, ["convert", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    out = result.output
    assert "1 record(s) converted, 3 failed" in out
    assert f"{src / 'empty.txt'}:1: error [empty]" in out
    assert f"{src / 'scan.txt'}:2: error [binary]" in out
    assert "error [no-body]" in out and "Traceback" not in out
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["wcda-110696.xml"]


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-16"),
    lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    lambda t: t.replace("\n", "\r\n").encode("utf-8"),
], ids=["utf-16", "bom", "crlf"])
def test_other_encodings_give_the_same_tei(runner, tmp_path, encode):
    text = SEEDS[0].read_text(encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_bytes(encode(text))
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_bytes(text.encode("utf-8"))
    for d in ("a", "b"):
        assert runner.invoke(main, ["convert", str(tmp_path / d), "-o",
                                    str(tmp_path / f"{d}-out")]).exit_code == 0
    a = (tmp_path / "a-out" / "wcda-113640.xml").read_bytes()
    b = (tmp_path / "b-out" / "wcda-113640.xml").read_bytes()
    assert a.replace(b"from x.txt", b"") == b.replace(b"from x.txt", b"")


def test_cp1251_converts_with_a_warning(runner, tmp_path):
    text = SEEDS[1].read_text(encoding="utf-8").replace("—", "-").replace("„", '"').replace(
        "“", '"').replace("”", '"').replace("!", "!")
    (tmp_path / "old.txt").write_bytes(text.encode("cp1251", errors="replace"))
    result = runner.invoke(main, ["convert", str(tmp_path / "old.txt"), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "warning [encoding]" in result.output
    assert "encoding 1" in result.output  # the summary counts warnings by kind


def test_missing_sections_are_warnings_not_failures(runner, tmp_path):
    rec = next(r for r in RECORDS if "no_sections" in r.name)
    result = runner.invoke(main, ["convert", str(rec), "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert "warning [missing-section]" in result.output
    assert "missing-section 4" in result.output


def test_usage_errors_exit_2(runner, tmp_path):
    missing = runner.invoke(main, ["convert", str(tmp_path / "nope"), "-o", str(tmp_path)])
    assert missing.exit_code == 2
    assert runner.invoke(main, ["convert", str(SEEDS[0])]).exit_code == 2


def test_no_half_written_file_when_writing_fails(tmp_path, monkeypatch):
    from pipeline import files

    target = tmp_path / "out" / "x.xml"
    target.parent.mkdir()
    target.write_bytes(b"old")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(OSError):
        files.write_atomic(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["x.xml"]


def test_help_documents_examples(runner):
    result = runner.invoke(main, ["convert", "--help"])
    assert result.exit_code == 0 and "teipipe convert seeds/ -o tei/" in result.output


def test_written_files_are_readable_by_others(tmp_path):
    """A web server serving the edition runs as another user: files are not 0600."""
    from pipeline.files import FILE_MODE, write_atomic

    out = tmp_path / "book.pdf"
    write_atomic(out, b"%PDF-")
    assert stat.S_IMODE(out.stat().st_mode) == FILE_MODE  # what open() would have made
    assert FILE_MODE & 0o400 and FILE_MODE != 0o600
