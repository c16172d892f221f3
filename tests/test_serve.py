"""`teipipe serve` without a browser: what is served and how, what is watched, and the
rebuild loop in this process (tests/test_serve_browser.py has the page reloading in chromium).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import resources
from pipeline.build import build
from pipeline.cli import main
from pipeline.serve import (
    EVENTS_PATH,
    Reloader,
    SiteServer,
    Watched,
    content_type,
    inject,
    live_script,
    resolve,
    serve,
)
from tests.conftest import ROOT, SEEDS

#: A sentence of the English translation of seeds/001 (telegram wcda-113642).
SENTENCE = "when the enemy is subjecting us to furious bombardment"
PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>word</p></BODY></html>"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small output folder, as build lays it out, and a secret beside it."""
    out = tmp_path / "out"
    (out / "html" / "persons").mkdir(parents=True)
    (out / "html" / "tei").mkdir()
    (out / "html" / "index.html").write_bytes(PAGE)
    (out / "html" / "persons" / "index.html").write_bytes(PAGE)
    (out / "html" / "tei" / "x.xml").write_bytes(b"<TEI/>")
    (out / "html" / "style.css").write_bytes(b"body{}")
    (out / "text").mkdir()
    (out / "text" / "x.txt").write_bytes("Телеграмма\n".encode())
    (out / ".teipipe-build.json").write_bytes(b"{}")
    (tmp_path / "secret.txt").write_bytes(b"secret")
    return out


class Serve:
    """``python -m pipeline serve`` in its own process group, its stderr collected."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", *args],
                                     cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, count: int = 1, timeout: float = 180) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in map(re.compile(pattern).search, list(self.lines)) if m]
            if len(found) >= count:
                return found[count - 1]
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no {pattern!r} (x{count}) from serve:\n{self.output()}")

    def interrupt(self) -> int:
        """Ctrl-C, as a terminal sends it: to the whole process group."""
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            return self.proc.wait(timeout=30)
        finally:
            self._reader.join(timeout=5)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


# --- paths ---------------------------------------------------------------------

def test_resolve_finds_files_and_folder_indexes(site: Path) -> None:
    assert resolve(site, "/html/index.html") == (site / "html/index.html").resolve()
    assert resolve(site, "/html/") == (site / "html/index.html").resolve()
    assert resolve(site, "/html/persons") == (site / "html/persons/index.html").resolve()
    assert resolve(site, "/html/tei/x.xml?v=1#top") == (site / "html/tei/x.xml").resolve()
    assert resolve(site, "/text/x.txt") == (site / "text/x.txt").resolve()
    assert resolve(site, "/html/missing.html") is None
    assert resolve(site, "/") is None  # DIR itself has no index.html


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/html/../../secret.txt", "/%2e%2e/secret.txt",
    "/html/%2E%2E/%2e%2e/secret.txt",
    "/..%2fsecret.txt", "//etc/passwd", "/%2fetc%2fpasswd", "/html/..%5c..%5csecret.txt",
    "/.teipipe-build.json", "/html/index.html%00.txt", "/html/.hidden",
])
def test_resolve_refuses_what_is_outside_or_hidden(site: Path, path: str) -> None:
    (site / "html" / ".hidden").write_text("x")
    assert resolve(site, path) is None


def test_resolve_refuses_a_link_that_points_out(site: Path) -> None:
    (site / "html" / "out.txt").symlink_to(site.parent / "secret.txt")
    (site / "html" / "up").symlink_to(site.parent)
    assert resolve(site, "/html/out.txt") is None
    assert resolve(site, "/html/up/secret.txt") is None


@pytest.mark.parametrize("name, kind", [
    ("index.html", "text/html; charset=utf-8"), ("a.CSS", "text/css; charset=utf-8"),
    ("site.js", "text/javascript; charset=utf-8"), ("x.xml", "application/xml"),
    ("x.txt", "text/plain; charset=utf-8"), ("book.pdf", "application/pdf"),
    ("a.png", "image/png"), ("a.svg", "image/svg+xml"), ("noext", "application/octet-stream"),
])
def test_content_types(name: str, kind: str) -> None:
    assert content_type(name) == kind


# --- the reload script -----------------------------------------------------------

def test_inject_goes_before_the_last_body_end() -> None:
    script = live_script(7)
    page = inject(PAGE, script)
    assert page.endswith(script + b"</BODY></html>")
    assert page.replace(script, b"") == PAGE
    assert inject(b"<p>no body end", script) == b"<p>no body end" + script
    assert b'EventSource("/__teipipe__/events")' in script and b"seen = 7" in script


def test_reloader_counts_up_from_the_clock() -> None:
    r = Reloader()
    first = r.generation
    assert first > 1_600_000_000_000  # milliseconds: a new process is ahead of an old one
    assert r.bump() > first
    assert r.wait(first, timeout=0.01) > first
    assert r.wait(r.generation, timeout=0.01) == r.generation  # times out


# --- serving -------------------------------------------------------------------

@pytest.fixture
def server(site: Path) -> Iterator[SiteServer]:
    s = SiteServer(site, "127.0.0.1", 0)
    threading.Thread(target=s.serve_forever, daemon=True).start()
    try:
        yield s
    finally:
        s.stop()


def get(server: SiteServer, path: str, method: str = "GET",
        headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def test_html_is_served_with_the_script_and_nothing_else_is_touched(server: SiteServer,
                                                                    site: Path) -> None:
    status, headers, body = get(server, "/html/index.html")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert b"data-teipipe-serve" in body and body.replace(
        live_script(server.reloader.generation), b"") == PAGE
    assert int(headers["content-length"]) == len(body)
    assert headers["cache-control"] == "no-store"
    # On disk, the page is as the build wrote it.
    assert (site / "html" / "index.html").read_bytes() == PAGE
    for path, kind, disk in [("/html/tei/x.xml", "application/xml", "html/tei/x.xml"),
                             ("/html/style.css", "text/css; charset=utf-8", "html/style.css"),
                             ("/text/x.txt", "text/plain; charset=utf-8", "text/x.txt")]:
        status, headers, body = get(server, path)
        assert (status, headers["content-type"]) == (200, kind)
        assert body == (site / disk).read_bytes()


def test_without_live_reload_html_is_served_as_it_is(site: Path) -> None:
    s = SiteServer(site, "127.0.0.1", 0, live=False)
    threading.Thread(target=s.serve_forever, daemon=True).start()
    try:
        assert get(s, "/html/index.html")[2] == PAGE
    finally:
        s.stop()


def test_redirects_to_the_site_and_to_folders(server: SiteServer) -> None:
    status, headers, _ = get(server, "/")
    assert (status, headers["location"]) == (302, "/html/")
    status, headers, _ = get(server, "/html/persons")
    assert (status, headers["location"]) == (302, "/html/persons/")
    assert get(server, "/html/persons/")[0] == 200


@pytest.mark.parametrize("path", ["/../secret.txt", "/%2e%2e/secret.txt", "/.teipipe-build.json",
                                  "/html/nothing.html", "/html/..%2f..%2fsecret.txt"])
def test_not_found(server: SiteServer, path: str) -> None:
    status, headers, body = get(server, path)
    assert status == 404 and headers["content-type"].startswith("text/html")
    assert b"secret" not in body.replace(b"secret.txt", b"")
    assert b"data-teipipe-serve" in body  # so the page comes back once it is built


def test_not_found_says_what_the_build_reported(server: SiteServer) -> None:
    server.reloader.errors = ["seeds/x.txt:3: error [no-date] <no> date (add one)"]
    body = get(server, "/html/x.html")[2]
    assert b"seeds/x.txt:3: error [no-date] &lt;no&gt; date (add one)" in body


def test_head_and_other_methods(server: SiteServer) -> None:
    status, headers, body = get(server, "/html/style.css", method="HEAD")
    assert (status, body, headers["content-length"]) == (200, b"", "6")
    assert get(server, "/html/style.css", method="POST")[0] == 501


def test_only_loopback_host_names_are_answered(server: SiteServer) -> None:
    port = server.server_address[1]
    assert get(server, "/html/", headers={"Host": f"evil.example:{port}"})[0] == 403
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "[::1]:80", "localhost"):
        assert get(server, "/html/", headers={"Host": host})[0] == 200


def test_events_announce_each_build(server: SiteServer) -> None:
    sock = socket.create_connection(server.server_address[:2], timeout=10)
    try:
        sock.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        seen = b""
        while f"data: {server.reloader.generation}\n\n".encode() not in seen:
            seen += sock.recv(4096)
        assert b"text/event-stream" in seen
        new = server.reloader.bump()
        while f"data: {new}\n\n".encode() not in seen:
            seen += sock.recv(4096)
        assert b"event: build" in seen
    finally:
        sock.close()


def test_a_port_in_use_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(SEEDS[0]), "-o", str(tmp_path / "o"),
                                           "--port", str(port)])
    finally:
        taken.close()
    assert result.exit_code == 1
    assert f"127.0.0.1:{port}: error [cannot-listen]" in result.output
    assert "--port 0" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()  # refused before building anything


def test_help_has_examples() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "teipipe serve seeds/ -o site/" in result.output and "--port 0" in result.output
    assert "serve" in CliRunner().invoke(main, ["--help"]).output


# --- watching ------------------------------------------------------------------

def test_what_is_watched(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    single = tmp_path / "one.txt"
    xslt = tmp_path / "xslt"
    xslt.mkdir()
    out = src / "site"  # an output folder inside a source folder must not trigger builds
    w = Watched([src, single], out, xslt)
    assert w.kind(src / "a.txt") == "source"
    assert w.kind(src / "sub" / "b.XML") == "source"
    assert w.kind(single) == "source"
    assert w.kind(tmp_path / "two.txt") is None  # beside a single source, not one
    for ignored in (src / ".a.txt.swp", src / "a.txt~", src / ".git" / "x.txt",
                    src / "notes.md", out / "tei" / "x.xml", out / "html" / "x.html"):
        assert w.kind(ignored) is None, ignored
    assert w.kind(resources.people_path()) == "stages"
    assert w.kind(resources.places_path()) == "stages"
    assert w.kind(xslt / "html.xsl") == "stages"
    assert w.kind(xslt / "teipipe.css") == "stages"
    assert w.kind(resources.xslt_dir() / "html.xsl") is None  # another stylesheet folder
    # one.txt's folder holds the others: it is watched once, with all that is inside.
    assert w.roots() == sorted({tmp_path.resolve(), resources.tei_dir().resolve()})
    w = Watched([src], out, xslt)
    assert w.roots() == sorted({src.resolve(), xslt.resolve(), resources.tei_dir().resolve()})


# --- the loop, in this process ---------------------------------------------------

def test_serve_rebuilds_on_save_and_keeps_going_after_an_error(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    seed = next(p for p in SEEDS if SENTENCE in p.read_text("utf-8"))
    record = src / seed.name
    shutil.copy(seed, record)
    out = tmp_path / "out"
    builds: list[tuple[object, list[str]]] = []
    urls: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=([src], out), daemon=True, kwargs=dict(
        port=0, jobs=1, formats=("html", "text"), stop=stop, on_ready=urls.append,
        on_build=lambda r, changed: builds.append((r, changed))))
    thread.start()

    def wait_builds(n: int) -> None:
        deadline = time.monotonic() + 120
        while len(builds) < n:
            assert thread.is_alive() and time.monotonic() < deadline, builds
            time.sleep(0.05)

    try:
        wait_builds(1)
        first, changed = builds[0]
        assert changed == [] and first.processed == 1 and not first.errors
        page = next((out / "html").glob("wcda-*.html"))
        host, port = urls[0].split("//")[1].rstrip("/").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", f"/html/{page.name}")
        assert b"data-teipipe-serve" in conn.getresponse().read()
        conn.close()

        text = record.read_text("utf-8")
        record.write_text(text.replace(SENTENCE, SENTENCE.replace("furious", "thunderous")),
                          "utf-8")
        wait_builds(2)
        rebuilt, changed = builds[1]
        assert changed == [str(record.resolve())]
        assert rebuilt.processed == 1 and not rebuilt.errors
        edition = out / "text" / page.with_suffix(".txt").name
        assert "thunderous bombardment" in edition.read_text("utf-8")

        # A record that cannot be read: reported as the build reports it; the server goes on.
        record.write_bytes(b"\xff\xfe not a record")
        wait_builds(3)
        assert builds[2][0].errors and thread.is_alive()
        record.write_text(text, "utf-8")
        wait_builds(4)
        assert not builds[3][0].errors
        assert "furious bombardment" in page.read_text("utf-8")
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()

    # What serve left on disk is what `teipipe build` writes, byte for byte.
    again = tmp_path / "again"
    build([src], again, jobs=1, formats=("html", "text"))
    ours = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert ours == theirs
    for rel in ours:
        if rel.name != ".teipipe-build.json":  # holds the source's stat stamp
            assert (out / rel).read_bytes() == (again / rel).read_bytes(), rel
    assert os.path.exists(out / ".teipipe-build.json")


def test_a_stylesheet_edit_rerenders_with_the_new_stylesheet(tmp_path: Path) -> None:
    """The stages stay compiled between builds: an edited stylesheet must be compiled again."""
    xslt = tmp_path / "xslt"
    shutil.copytree(resources.xslt_dir(), xslt)
    out = tmp_path / "out"
    builds: list[object] = []
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=([SEEDS[0]], out), daemon=True, kwargs=dict(
        port=0, jobs=1, xslt_dir=xslt, stop=stop,
        on_build=lambda r, changed: builds.append(r)))
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while not builds:
            assert thread.is_alive() and time.monotonic() < deadline
            time.sleep(0.05)
        page = next((out / "html").glob("wcda-*.html"))
        assert "Skip to the text" in page.read_text("utf-8")
        time.sleep(0.5)  # the first build's own writes are not edits
        sheet = xslt / "html.xsl"
        sheet.write_text(sheet.read_text("utf-8").replace("Skip to the text", "Skip to it"),
                         "utf-8")
        while "Skip to it" not in page.read_text("utf-8"):
            assert thread.is_alive() and time.monotonic() < deadline, builds
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=30)


def test_a_change_to_teipipes_code_asks_for_a_restart(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The process has the old code loaded: it must not rebuild and call the result current."""
    import pipeline.serve

    stamps = iter([{"a.py": 1}])
    monkeypatch.setattr(pipeline.serve, "_code_stamp", lambda: next(stamps, {"a.py": 2}))
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEEDS[0], src / SEEDS[0].name)
    builds: list[object] = []
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=([src], tmp_path / "out"), daemon=True,
                              kwargs=dict(port=0, jobs=1, stop=stop,
                                          on_build=lambda r, changed: builds.append(r)))
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while not builds:
            assert thread.is_alive() and time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)
        (src / SEEDS[0].name).write_text("edited", "utf-8")
        while len(builds) < 2:
            assert thread.is_alive() and time.monotonic() < deadline
            time.sleep(0.05)
        assert [p.code for p in builds[1].problems] == ["code-changed"]
        assert builds[1].processed == 0
    finally:
        stop.set()
        thread.join(timeout=30)


def test_ctrl_c_during_a_build_stops_cleanly(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group, build's workers too: no traceback from any."""
    shutil.copytree(SEEDS[0].parent, tmp_path / "seeds-copy")
    server = Serve(["seeds-copy", "-o", "out", "--port", "0", "--jobs", "2"], tmp_path)
    try:
        server.wait_for(r"Serving out at http://127\.0\.0\.1:\d+/html/")
        # The workers are at work once the first record is written (four more to go).
        deadline = time.monotonic() + 120
        while not list((tmp_path / "out" / "tei").glob("*.xml")):
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.01)
        assert server.interrupt() == 0
    finally:
        server.kill()
    # Nothing but what serve itself says: a worker that takes Ctrl-C prints "Process
    # ForkServerPoolWorker-1:" and a traceback, often cut short by the pool's SIGTERM.
    said = re.compile(r"Serving |\d+ records, |Stopped\.$")
    assert [line for line in server.lines if not said.match(line)] == [], server.output()
    assert server.lines[-1] == "Stopped."
