"""`teipipe serve` in a real browser: a telegram page open in headless chromium reloads
itself and shows a word an editor has just typed into the source record.

The server runs as a separate process, as an editor runs it (``python -m pipeline serve
seeds-copy/ -o out --port 0``); chromium is driven over the DevTools protocol (its
``--remote-debugging-port`` websocket). Skipped, saying why, where chromium is not
installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_browser import CHROMIUM
from tests.test_serve import SENTENCE, Serve

websocket = pytest.importorskip("websocket", reason="websocket-client is not installed "
                                "(pip install -e '.[test]')")
pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="chromium is not installed (apt-get install chromium)")

#: Seconds the whole save-to-reload loop may take on a busy two-core machine.
RELOAD_LIMIT = 10.0


class Browser:
    """Headless chromium with one page, driven over the DevTools protocol."""

    def __init__(self, tmp: Path, url: str) -> None:
        profile = tmp / "profile"
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-extensions", "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", f"--user-data-dir={profile}", url],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            assert time.monotonic() < deadline, "chromium did not open its debugging port"
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        page = None
        while page is None:
            assert time.monotonic() < deadline, "chromium opened no page"
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
                pages = [t for t in json.load(r) if t.get("type") == "page"]
            page = pages[0] if pages else None
            time.sleep(0.1)
        # No Origin header: chromium refuses websocket clients from origins it was not told of.
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30,
                                              suppress_origin=True)
        self._id = 0

    def call(self, method: str, **params: object) -> dict:
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self._id:
                assert "error" not in msg, msg
                return msg["result"]

    def eval(self, expression: str) -> object:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Serve, Path, Path]]:
    seeds = tmp_path / "seeds-copy"
    shutil.copytree(ROOT / "seeds", seeds)
    server = Serve(["seeds-copy/", "-o", "out", "--port", "0"], tmp_path)
    try:
        yield server, seeds, tmp_path / "out"
    finally:
        server.kill()


def test_an_open_page_reloads_with_the_edited_word(served, tmp_path: Path) -> None:
    server, seeds, out = served
    url = server.wait_for(r"at (http://127\.0\.0\.1:\d+/)html/").group(1)
    server.wait_for(r"\d+ records, ")  # the first build is done
    record = next(p for p in sorted(seeds.glob("*.txt")) if SENTENCE in p.read_text("utf-8"))
    page = next(p for p in sorted((out / "html").glob("wcda-*.html"))
                if SENTENCE in p.read_text("utf-8"))

    browser = Browser(tmp_path, url + "html/" + page.name)
    try:
        deadline = time.monotonic() + 60
        while "bombardment" not in str(browser.eval("document.body && document.body.innerText")):
            assert time.monotonic() < deadline, "the page did not load"
            time.sleep(0.1)
        # Wait until the page listens for builds: an edit before that would be missed.
        while browser.eval("window.teipipeLive === true") is not True:
            assert time.monotonic() < deadline, "the page has no live-reload stream"
            time.sleep(0.1)
        browser.eval("window.teipipeMark = 1")  # gone once the page reloads

        word = "thunderous"
        text = record.read_text("utf-8")
        saved = time.monotonic()
        record.write_text(text.replace(SENTENCE, SENTENCE.replace("furious", word)), "utf-8")
        while True:
            state = browser.eval("[window.teipipeMark === undefined,"
                                 " document.body ? document.body.innerText : '']")
            if state and state[0] and f"{word} bombardment" in state[1]:
                break
            assert time.monotonic() - saved < RELOAD_LIMIT, (
                f"the page did not show {word!r} within {RELOAD_LIMIT} s:\n{server.output()}")
            time.sleep(0.02)
        took = time.monotonic() - saved
    finally:
        browser.close()
    server.wait_for(r"changed: .*" + re.escape(record.name))
    rebuilt = server.wait_for(r"\d+ records, .*", count=2).group(0)
    print(f"\nsaved the record -> page reloaded with the new word: {took:.2f} s ({rebuilt})")
    assert f"{word} bombardment" in page.read_text("utf-8")
    # The file on disk is what `teipipe build` writes: the reload script is only served.
    assert "data-teipipe-serve" not in page.read_text("utf-8")

    assert server.interrupt() == 0
    assert "Traceback" not in server.output(), server.output()
    assert server.lines[-1] == "Stopped."
