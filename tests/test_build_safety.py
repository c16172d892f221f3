"""``teipipe build`` on anyone's files, and killed at any moment (issue 13).

A build killed (kill -9, Ctrl-C) keeps the records it finished and its workers stop;
the next build does the rest and cleans up after it; two builds never interleave
in one folder; and nothing outside the output folder is written or removed, whatever
the manifest or the ids say.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import files as files_mod
from pipeline.build import JOURNAL, LOCK, MANIFEST, BuildLocked, build
from pipeline.cli import main
from tests.test_build import files

pytest.importorskip("pipeline.convert", reason="the converter has not landed yet")
pytest.importorskip("pipeline.validate", reason="the validator has not landed yet")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
LINUX_PROC = Path("/proc/self/stat").exists()


def listing(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` (temporary ones included) with its size."""
    return {str(p.relative_to(folder)): p.stat().st_size
            for p in sorted(folder.rglob("*")) if p.is_file()}


def journaled(out: Path) -> set[str]:
    """The sources whose records the journal holds."""
    found = set()
    try:
        lines = (out / JOURNAL).read_bytes().splitlines()
    except OSError:
        return found
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if "record" in item:
            found.add(item["record"])
    return found


def _run(*args: str, output: int = subprocess.PIPE) -> subprocess.Popen:
    """``python -m pipeline ARGS`` from this clone (not whatever ``teipipe`` is installed)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env,
                            stdout=output, stderr=output, text=True)


# --- killed ------------------------------------------------------------------

def _descendants(pid: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(d.name))
    found, todo = [], [pid]
    while todo:
        for child in kids.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not LINUX_PROC, reason="finds the workers through /proc")
def test_kill_9_of_the_main_process_stops_the_workers_and_the_next_build_resumes(tmp_path):
    n = 24
    src, out = tmp_path / "src", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "benchmarks", "generate", "-n", str(n), "--seed", "13",
                    "-o", str(src)], cwd=ROOT, check=True, capture_output=True)
    # No pipes: workers that outlived the build would hold them open.
    build_ = _run("build", str(src), "-o", str(out), "--jobs", "2", "--formats", "text",
                  "--no-progress", output=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(journaled(out)) < n // 4 and build_.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert build_.poll() is None, "the build finished before it could be killed"
    workers = _descendants(build_.pid)  # the forkserver, its workers, the resource tracker
    assert len(workers) >= 3
    os.kill(build_.pid, signal.SIGKILL)
    build_.wait()
    killed = time.monotonic()
    while any(_alive(p) for p in workers) and time.monotonic() - killed < 5:
        time.sleep(0.05)
    assert not [p for p in workers if _alive(p)], "workers outlived the build by 5 s"
    # ... and nothing more is written
    before = listing(out)
    time.sleep(1)
    assert listing(out) == before
    kept = journaled(out)
    assert n // 4 <= len(kept) < n
    assert not (out / MANIFEST).exists()  # only the journal kept them

    # The next build is not blocked by the dead one's lock, keeps what it finished
    # and does only the rest.
    again = build([src], out, jobs=2, formats=("text",))
    assert (again.processed, again.reused, again.resumed) == (n - len(kept), len(kept), len(kept))
    assert not again.failed
    assert not (out / JOURNAL).exists()
    assert not [p for p in listing(out) if p.endswith(".tmp")]
    assert len(list((out / "text").glob("*.txt"))) == n
    # and the result is the one an uninterrupted build gives
    assert build([src], out, jobs=1, formats=("text",)).processed == 0
    fresh = tmp_path / "fresh"
    build([src], fresh, jobs=2, formats=("text",))
    assert files(out) == files(fresh)


def test_an_interrupted_build_keeps_the_records_it_finished(sources, tmp_path):
    """Ctrl-C (or any exception) in the middle: the journal keeps what was done."""
    out = tmp_path / "site"

    def interrupt(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build([sources], out, jobs=1, formats=("html", "text"), progress=interrupt)
    assert not (out / MANIFEST).exists()
    assert len(journaled(out)) == 2  # the third was being recorded when it stopped
    with open(out / JOURNAL, "ab") as f:  # and a kill may cut the last line short
        f.write(b'{"record": "/x.txt", "entry": {"hash"')
    again = build([sources], out, jobs=1, formats=("html", "text"))
    assert (again.processed, again.resumed) == (3, 2)
    fresh = tmp_path / "fresh"
    build([sources], fresh, jobs=1, formats=("html", "text"))
    assert files(out) == files(fresh)  # the corpus pages too


def test_leftovers_of_a_killed_build_are_removed_by_the_next(sources, tmp_path):
    out = tmp_path / "site"
    build([sources], out, jobs=1, formats=("html",))
    # What kill -9 leaves while Renderer.run_pages writes the site, and in write_atomic.
    pages = out / "html" / ".pages-k1ll3d"
    (pages / "persons").mkdir(parents=True)
    (pages / "index.html").write_text("half a site")
    (pages / "persons" / "p.html").write_text("half a page")
    (out / "html" / ".index.html.x9q2.tmp").write_text("half")
    (out / "tei" / ".wcda-1.xml.4242.tmp").write_text("half")
    (out / f".{MANIFEST}.4242.tmp").write_text("half")
    # ... and what is not the build's: kept
    (out / "html" / ".well-known").mkdir()
    (out / "html" / ".well-known" / ".x.tmp").write_text("mine")
    (out / ".git").mkdir()
    (out / ".git" / ".y.tmp").write_text("mine")
    (out / "notes.tmp").write_text("mine")
    r = build([sources], out, jobs=1, formats=("html",))
    assert r.cleaned == 4 and r.processed == 0
    assert "4 leftovers of an interrupted build cleaned" in r.line()
    assert not pages.exists()
    assert {p for p in listing(out) if p.endswith(".tmp")} == \
        {"html/.well-known/.x.tmp", ".git/.y.tmp", "notes.tmp"}


def test_files_a_killed_build_wrote_but_did_not_record_are_removed(sources, tmp_path):
    """A worker notes its outputs in the journal before it writes them."""
    out = tmp_path / "site"
    build([sources], out, jobs=1, formats=("text",))
    (out / "text" / "ghost.txt").write_text("written, then the build was killed")
    (out / "text" / "mine.txt").write_text("the user's own")
    with open(out / JOURNAL, "ab") as f:
        f.write(b'{"writing": ["text/ghost.txt", "tei/ghost.xml"]}\n')
    r = build([sources], out, jobs=1, formats=("text",))
    assert r.removed == 1
    assert not (out / "text" / "ghost.txt").exists()
    assert (out / "text" / "mine.txt").exists()  # never recorded: never removed


# --- one build at a time --------------------------------------------------------

def test_a_second_build_into_a_locked_folder_fails_with_one_message(sources, tmp_path):
    out = tmp_path / "site"
    with files_mod.FolderLock(out, LOCK):
        r = CliRunner().invoke(main, ["build", str(sources), "-o", str(out), "--formats", "text"])
        with pytest.raises(BuildLocked):
            build([sources], out, jobs=1, formats=("text",))
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [
        f"{out}: error [build-locked] another teipipe build is writing into this folder "
        "(let it finish, or pass --wait to start when it has)"]
    assert not (out / "tei").exists()


def test_wait_starts_when_the_other_build_is_done(sources, tmp_path):
    out = tmp_path / "site"
    lock = files_mod.FolderLock(out, LOCK).__enter__()
    threading.Timer(1.0, lock.__exit__).start()
    started = time.monotonic()
    r = CliRunner().invoke(main, ["build", str(sources), "-o", str(out), "--formats", "text",
                                  "--jobs", "1", "--wait"])
    assert r.exit_code in (0, 1), r.output
    assert time.monotonic() - started >= 0.9
    assert "5 records, 5 built" in r.output


def test_two_concurrent_builds_never_interleave(sources, tmp_path):
    out = tmp_path / "site"
    first = _run("build", str(sources), "-o", str(out), "--jobs", "2", "--formats", "text")
    deadline = time.monotonic() + 60
    while not (out / JOURNAL).exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # the journal is begun with the lock held, before the workers start
    assert first.poll() is None
    second = _run("build", str(sources), "-o", str(out), "--jobs", "1", "--formats", "text")
    _, err = second.communicate(timeout=60)
    assert second.returncode == 1
    assert "[build-locked]" in err and "Traceback" not in err
    _, err = first.communicate(timeout=120)
    assert first.returncode in (0, 1), err
    assert "5 records, 5 built" in err
    manifest = json.loads((out / MANIFEST).read_text())
    assert len(manifest["records"]) == 5


# --- the output folder and nothing else ------------------------------------------

def test_a_tampered_manifest_cannot_make_the_build_touch_files_outside(sources, tmp_path):
    out = tmp_path / "site"
    build([sources], out, jobs=1, formats=("text",))
    victim = tmp_path / "victim.txt"
    victim.write_text("not the build's")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "victim.txt").write_text("not the build's either")
    (out / "link").symlink_to(elsewhere, target_is_directory=True)
    m = json.loads((out / MANIFEST).read_text())
    bad = ["../victim.txt", "text/../../victim.txt", str(victim), "link/victim.txt",
           "./../victim.txt", "text//../../victim.txt"]
    first, second = sorted(m["records"])[:2]
    m["records"][first]["outputs"] += bad
    m["records"][first]["id"] = "../../victim"  # the TEI a re-render would read
    m["records"][str(tmp_path / "gone.txt")] = {"hash": "x", "outputs": bad, "formats": ["text"]}
    m["corpus"]["outputs"] = m["corpus"].get("outputs", []) + bad
    m["records"][second] = "not a record"  # ignored: its source is simply built again
    (out / MANIFEST).write_text(json.dumps(m))
    with open(out / JOURNAL, "ab") as f:
        f.write(json.dumps({"writing": bad}).encode() + b"\n")
        f.write(json.dumps({"corpus": bad}).encode() + b"\n")
    Path(first).unlink()  # its outputs go, and only they
    r = build([sources], out, jobs=1, formats=("text",))
    assert not r.errors, [p.format() for p in r.errors]
    assert victim.read_text() == "not the build's"
    assert (elsewhere / "victim.txt").read_text() == "not the build's either"
    fresh = tmp_path / "fresh"
    build([sources], fresh, jobs=1, formats=("text",))
    assert {k: v for k, v in files(out).items() if not k.startswith("link")} == files(fresh)


def test_an_id_that_is_not_a_name_names_no_file(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    tei = (ROOT / "tests" / "fixtures" / "render" / "wcda-900001.xml").read_text(encoding="utf-8")
    assert 'xml:id="wcda-900001"' in tei
    (src / "evil.xml").write_text(tei.replace('xml:id="wcda-900001"', 'xml:id="../../evil"', 1),
                                  encoding="utf-8")
    out = tmp_path / "deep" / "site"
    r = build([src], out, jobs=1, formats=("html", "text"))
    assert r.failed == 1 and r.errors
    assert [p.relative_to(tmp_path) for p in tmp_path.rglob("evil*")] == [Path("src/evil.xml")]
    assert not [p for p in listing(out) if not p.startswith(".teipipe")]


@pytest.mark.parametrize("force", [False, True])
def test_two_builds_of_different_sources_into_one_folder_leave_no_untracked_outputs(
        sources, tmp_path, force):
    out = tmp_path / "site"
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    names = sorted(p.name for p in sources.glob("*.txt"))
    for name in names[:3]:
        shutil.copy(sources / name, a / name)
    for name in names[2:]:
        shutil.copy(sources / name, b / name)
    build([a], out, jobs=1, formats=("html", "text"))
    build([b], out, jobs=1, formats=("html", "text"), force=force)
    fresh = tmp_path / "fresh"
    build([b], fresh, jobs=1, formats=("html", "text"))
    assert files(out) == files(fresh)


@pytest.mark.parametrize("rel", ["../x", "a/../../x", "/etc/passwd", "", ".", "a//b", "a/./b",
                                 "a\\..\\x", "a\0b", "link/x"])
def test_inside_refuses_paths_that_leave_the_folder(tmp_path, rel):
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(tmp_path, target_is_directory=True)
    assert files_mod.Inside(root)(rel) is None


def test_inside_accepts_paths_in_the_folder(tmp_path):
    root = tmp_path / "root"
    (root / "html").mkdir(parents=True)
    (root / "inner").symlink_to(root / "html", target_is_directory=True)
    assert files_mod.inside(root, "html/persons/p1.html") == \
        root.resolve() / "html" / "persons" / "p1.html"
    # a link is refused even where it leads back inside: no link on the way, ever
    assert files_mod.Inside(root)("inner/x.html") is None


def test_a_text_build_after_an_html_build_of_other_sources_leaves_no_site_behind(
        sources, tmp_path):
    """The site's assets are recorded too: nothing of the first build is left untracked."""
    out = tmp_path / "site"
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    names = sorted(p.name for p in sources.glob("*.txt"))
    for name in names[:2]:
        shutil.copy(sources / name, a / name)
    for name in names[2:]:
        shutil.copy(sources / name, b / name)
    build([a], out, jobs=1, formats=("html",))
    assert (out / "html" / "assets" / "teipipe.css").is_file()
    build([b], out, jobs=1, formats=("text",))
    fresh = tmp_path / "fresh"
    build([b], fresh, jobs=1, formats=("text",))
    assert files(out) == files(fresh)


def _tei_naming_a_person(ident: str) -> str:
    """A TEI file whose person "molotov" is renamed ``ident``, after a duplicated xml:id
    (after which the XML parser stops checking that ids are names)."""
    tei = (ROOT / "tests" / "fixtures" / "render" / "wcda-900001.xml").read_text(encoding="utf-8")
    assert 'xml:id="molotov"' in tei and "#molotov" in tei
    tei = tei.replace('<respStmt xml:id="AM">', '<respStmt xml:id="AM"><name xml:id="AM">x</name>',
                      1)
    return tei.replace('xml:id="molotov"', f'xml:id="{ident}"').replace("#molotov", f"#{ident}")


def test_a_person_id_that_is_not_a_name_writes_no_page_outside(tmp_path):
    """The issue's traversal: a person's xml:id of ../ segments named a page outside -o."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "evil.xml").write_text(_tei_naming_a_person("../../../../evil"), encoding="utf-8")
    out = tmp_path / "deep" / "site"
    r = build([src], out, jobs=1, formats=("html",))
    # the validator names the bad id (xml-id-name); the site is never handed it (unsafe-id)
    bad_id = ("unsafe-id", "xml-id-name")
    assert any(p.code in bad_id and "../../../../evil" in p.message for p in r.errors)
    assert [p.relative_to(tmp_path) for p in tmp_path.rglob("evil*")] == [Path("src/evil.xml")]
    assert (out / "html" / "wcda-900001.html").is_file()  # its own page is still made
    # and so again on a rebuild, from the manifest
    again = build([src], out, jobs=1, formats=("html",))
    assert again.processed == 0 and any(p.code in bad_id for p in again.errors)


def test_a_summary_edited_in_the_manifest_writes_no_page_outside(sources, tmp_path):
    out = tmp_path / "deep" / "site"
    build([sources], out, jobs=1, formats=("html",))
    # A person every page would list, renamed in the summaries and entries of the manifest.
    raw = (out / MANIFEST).read_text()
    assert 'ref=\\"molotov\\"' in raw and 'xml:id=\\"molotov\\"' in raw
    raw = raw.replace('ref=\\"molotov\\"', 'ref=\\"../../../../victim\\"')
    raw = raw.replace('xml:id=\\"molotov\\"', 'xml:id=\\"../../../../victim\\"')
    (out / MANIFEST).write_text(raw)
    (out / "html" / "index.html").unlink()  # the corpus pages are written again
    build([sources], out, jobs=1, formats=("html",))
    assert not list(tmp_path.rglob("victim*"))
    assert (out / "html" / "index.html").is_file()


def test_corpus_pages_a_killed_build_was_writing_are_all_written_again(sources, tmp_path):
    """Killed while the site pages were moved into place: some are new, some old."""
    out = tmp_path / "site"
    build([sources], out, jobs=1, formats=("html",))
    page = sorted((out / "html" / "persons").glob("*.html"))[1]
    good = page.read_bytes()
    page.write_bytes(b"<p>a page of a build that was killed</p>")
    m = json.loads((out / MANIFEST).read_text())
    with open(out / JOURNAL, "ab") as f:  # what the killed build noted before the pages
        f.write(json.dumps({"corpus": m["corpus"]["outputs"]}).encode() + b"\n")
    r = build([sources], out, jobs=1, formats=("html",))
    assert r.processed == 0 and r.corpus_pages > 0
    assert page.read_bytes() == good
