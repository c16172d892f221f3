"""Every command that writes, given an output path it cannot use: one message, no traceback.

Issue 12: a file where a folder is wanted, a read-only folder, a missing parent (made only
under the current folder, or the folder ``--output`` itself names: never at the
filesystem root), ``export -o`` into a missing or an existing folder. Each command is
driven through CliRunner with each fault; the message is ``path: error [output-path] ...``,
the exit status 2, and nothing is written.

Read-only folders: the tests run as root, for whom every folder is writable, and no other
user can run this Python (it lives under /root). So read-only is simulated where teipipe
asks the system, ``os.access``, and a write the system refuses anyway (a folder made
read-only after the check, a full disk) is simulated by making the write raise
PermissionError.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = str(sorted((ROOT / "seeds").glob("*.txt"))[0])
TEI = str(ROOT / "tei" / "wcda-113640.xml")

#: Each command that writes a folder, as a function of the output path.
FOLDER_COMMANDS = {
    "convert": lambda out: ["convert", SEED, "-o", out],
    "render": lambda out: ["render", "--to", "text", TEI, "-o", out],
    "build": lambda out: ["build", SEED, "-o", out, "-j", "1", "--no-progress",
                          "--formats", "text"],
    "build --out": lambda out: ["build", SEED, "--out", out, "-j", "1", "--no-progress",
                                "--formats", "text"],
    "serve": lambda out: ["serve", SEED, "-o", out, "--port", "0"],
    "serve --out": lambda out: ["serve", SEED, "--out", out, "--port", "0"],
    "schema build": lambda out: ["schema", "build", "-o", out],
    "schema build --out": lambda out: ["schema", "build", "--out", out],
}
#: And those that write one file: export's CMIF, validate's report.
FILE_COMMANDS = {
    "export cmif": lambda out: ["export", "cmif", TEI, "-o", out],
    "validate": lambda out: ["validate", "--format", "junit", TEI, "-o", out],
}
EXPORT = FILE_COMMANDS["export cmif"]


def _fails_once(args: list[str], where: str) -> str:
    """Run, and check the run ended in one output-path message about ``where``."""
    result = CliRunner().invoke(main, args)
    assert "Traceback" not in result.output, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if "error [output-path]" in line]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(where + ":"), lines
    return lines[0]


@pytest.fixture()
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current folder of its own, beside which the faults are laid."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    (tmp_path / "a-file").write_text("not a folder")
    return cwd


def _listing(tmp_path: Path) -> set[Path]:
    return set(tmp_path.rglob("*"))


@pytest.mark.parametrize("name", FOLDER_COMMANDS)
def test_a_file_where_a_folder_is_wanted(name: str, here: Path, tmp_path: Path) -> None:
    before = _listing(tmp_path)
    target = str(tmp_path / "a-file")
    assert "is a file, not a folder" in _fails_once(FOLDER_COMMANDS[name](target), target)
    inside = str(tmp_path / "a-file" / "site")
    assert "is a file" in _fails_once(FOLDER_COMMANDS[name](inside), inside)
    assert _listing(tmp_path) == before


@pytest.mark.parametrize("name", FOLDER_COMMANDS)
def test_a_read_only_folder(name: str, here: Path, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if Path(path).resolve() == locked.resolve() and mode & os.W_OK:
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    assert "read-only" in _fails_once(FOLDER_COMMANDS[name](str(locked)), str(locked))
    new = str(locked / "new")  # cannot be made in it either
    assert "read-only" in _fails_once(FOLDER_COMMANDS[name](new), new)
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize("name", FOLDER_COMMANDS)
def test_a_missing_parent_outside_the_current_folder(name: str, here: Path,
                                                     tmp_path: Path) -> None:
    before = _listing(tmp_path)
    target = str(tmp_path / "no-such" / "deeper" / "site")
    assert "does not exist" in _fails_once(FOLDER_COMMANDS[name](target), target)
    assert _listing(tmp_path) == before
    assert not (tmp_path / "no-such").exists()


def test_the_output_folder_itself_and_parents_under_the_current_folder_are_made(
        here: Path, tmp_path: Path) -> None:
    # what --output names is made wherever it is; missing parents under the current folder
    result = CliRunner().invoke(main, ["convert", SEED, "-o", str(tmp_path / "made")])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["convert", SEED, "-o", "deep/er/tei"])
    assert result.exit_code == 0, result.output
    assert list((here / "deep" / "er" / "tei").glob("*.xml"))


# --- export (and validate's report) write one file ----------------------------------

@pytest.mark.parametrize("name", FILE_COMMANDS)
def test_output_file_into_an_existing_folder(name: str, here: Path, tmp_path: Path) -> None:
    line = _fails_once(FILE_COMMANDS[name](str(tmp_path)), str(tmp_path))
    assert "is a folder" in line and "e.g. " + str(tmp_path) in line


@pytest.mark.parametrize("name", FILE_COMMANDS)
def test_output_file_into_a_missing_folder(name: str, here: Path, tmp_path: Path) -> None:
    before = _listing(tmp_path)
    target = str(tmp_path / "missing") + "/"
    assert "names a folder" in _fails_once(FILE_COMMANDS[name](target), target)
    deep = str(tmp_path / "missing" / "deeper" / "out.xml")
    assert "does not exist" in _fails_once(FILE_COMMANDS[name](deep), deep)
    assert _listing(tmp_path) == before


@pytest.mark.parametrize("name", FILE_COMMANDS)
def test_output_file_through_a_file_or_into_a_read_only_folder(
        name: str, here: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    through = str(tmp_path / "a-file" / "out.xml")
    assert "is a file" in _fails_once(FILE_COMMANDS[name](through), through)
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, m, *a, **k:
                        False if Path(p).resolve() == tmp_path.resolve() else real(p, m, *a, **k))
    target = str(tmp_path / "out.xml")
    assert "read-only" in _fails_once(FILE_COMMANDS[name](target), target)


def test_export_makes_the_folder_it_names(here: Path, tmp_path: Path) -> None:
    target = tmp_path / "new" / "letters.xml"
    result = CliRunner().invoke(main, EXPORT(str(target)))
    assert result.exit_code == 0, result.output
    assert target.is_file()


# --- a write the system refuses after the checks ----------------------------------

def _refuse(*args: object, **kwargs: object) -> None:
    raise PermissionError(13, "Permission denied", "refused-path")


@pytest.mark.parametrize("module,args", [
    ("pipeline.cli.export", lambda out: EXPORT(str(out / "letters.xml"))),
    ("pipeline.cli.render", lambda out: ["render", "--to", "text", TEI, "-o", str(out)]),
    ("pipeline.files", lambda out: ["validate", TEI, "-o", str(out / "report.txt")]),
])
def test_a_refused_write_is_one_message(module: str, args, here: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    monkeypatch.setattr(importlib.import_module(module), "write_atomic", _refuse)
    result = CliRunner().invoke(main, args(tmp_path / "out"))
    assert "Traceback" not in result.output and "[internal]" not in result.output, \
        result.output
    assert result.exit_code != 0
    assert re.search(r"refused-path: error \[output-path\] cannot be written: Permission denied",
                     result.output), result.output


# --- the options every command shares ---------------------------------------------

COMMANDS = [["convert"], ["validate"], ["render"], ["build"], ["serve"], ["schema", "build"],
            ["schema", "check"], ["export", "cmif"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_quiet_and_verbose(command: list[str]) -> None:
    text = CliRunner().invoke(main, [*command, "--help"]).output
    assert "-q, --quiet" in text and "-v, --verbose" in text, text
    if command != ["schema", "check"]:  # it writes nothing
        assert "-o, --output" in text, text
    assert "--out " not in text and "--out," not in text  # the old name works, unshown
    both = CliRunner().invoke(main, [*command, "-q", "-v", "x"])
    assert both.exit_code == 2 and "not both" in both.output


def test_build_exits_1_when_there_is_no_record(here: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, ["build", str(empty), "-o", "site", "-j", "1",
                                       "--no-progress"])
    assert result.exit_code == 1, result.output
    assert "no records found" in result.output and "Traceback" not in result.output


def test_strict_makes_warnings_fail(here: Path, tmp_path: Path) -> None:
    # a bracket left in the text: a warning, nothing wrong otherwise
    doc = str(ROOT / "tests" / "fixtures" / "rules" / "leftover-bracket" / "fail.xml")
    plain = CliRunner().invoke(main, ["validate", doc])
    assert plain.exit_code == 0 and "warning [leftover-bracket]" in plain.output, plain.output
    strict = CliRunner().invoke(main, ["validate", "--strict", doc])
    assert strict.exit_code == 1, strict.output
    quiet = CliRunner().invoke(main, ["validate", "--strict", "-q", doc])
    assert quiet.exit_code == 1 and "warning" not in quiet.output, quiet.output


def test_build_strict_makes_warnings_fail(here: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    text = (ROOT / "tests" / "fixtures" / "rules" / "leftover-bracket" / "fail.xml").read_text(
        encoding="utf-8")
    ident = re.search(r'<TEI[^>]*xml:id="([^"]+)"', text).group(1)
    (src / f"{ident}.xml").write_text(text, encoding="utf-8")
    args = ["build", str(src), "-o", "site", "-j", "1", "--no-progress", "--formats", "text"]
    plain = CliRunner().invoke(main, args)
    assert plain.exit_code == 0 and "[leftover-bracket]" in plain.output, plain.output
    strict = CliRunner().invoke(main, [*args, "--strict", "--force"])
    assert strict.exit_code == 1, strict.output


@pytest.mark.parametrize("name,inner", [("render", "text"), ("build", "tei"),
                                        ("build", "text")])
def test_a_file_where_a_folder_inside_the_output_is_wanted(name: str, inner: str, here: Path,
                                                           tmp_path: Path) -> None:
    # the output folder is fine, but one of the folders made inside it is a file
    out = tmp_path / "out"
    out.mkdir()
    (out / inner).write_text("in the way")
    result = CliRunner().invoke(main, FOLDER_COMMANDS[name](str(out)))
    assert "Traceback" not in result.output and "[internal]" not in result.output, \
        result.output
    assert result.exit_code != 0
    assert f"{out / inner}: error [output-path] is a file where a folder is needed" \
        in result.output
    assert (out / inner).read_text() == "in the way"
