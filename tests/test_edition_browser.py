"""The reading edition as a scholar reads it, in a real browser (headless chromium over the
DevTools protocol): the bilingual telegram's linked paragraphs start level with each other,
its wide table scrolls in its own box, a phone shows the original behind toggles without
sideways scrolling; and the full-text search, served by ``python -m http.server``, finds a
word of a telegram's body with a snippet and says so when nothing matches.

Screenshots go to the test's temporary folder; with TEIPIPE_SCREENSHOTS=docs/img they are
written there (how docs/img/edition-*.png were made). Skipped, saying why, where chromium,
websocket-client or Pagefind is missing.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from pipeline.build import build
from pipeline.render.search import pagefind_executable
from tests.conftest import ROOT
from tests.test_browser import CHROMIUM

pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="chromium is not installed (apt-get install chromium)")
Browser = pytest.importorskip("tests.test_serve_browser").Browser

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
BILINGUAL = ROOT / "tei" / "wcda-113642.xml"
#: "Starts level": the top edges of a linked pair differ by at most this many CSS pixels.
LEVEL = 4.0
DESKTOP = (1280, 900)
PHONE = (390, 844)


def linked_pairs(tei: Path) -> list[tuple[str, str]]:
    """(translation id, original id) of every element the TEI links across the versions."""
    doc = etree.parse(str(tei))
    ids = {e.get(XML_ID): e for e in doc.iter() if isinstance(e.tag, str) and e.get(XML_ID)}
    pairs = []
    for div in doc.iter(f"{TEI}div"):
        if div.get("type") != "translation":
            continue
        for e in div.iter():
            ref = (e.get("corresp") or "").split(" ")[0]
            if e is div or not isinstance(e.tag, str) or not e.get(XML_ID) or not ref[:1] == "#":
                continue
            o = ids.get(ref[1:])
            if o is not None and any(a.get("type") == "original" for a in o.iterancestors()) \
                    and e.tag in (f"{TEI}p", f"{TEI}item", f"{TEI}ab"):
                pairs.append((e.get(XML_ID), ref[1:]))
    return pairs


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("edition-site")
    result = build([ROOT / "tei"], out, jobs=1, formats=("html",))
    assert not result.errors, [p.format() for p in result.errors]
    return out / "html"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    b = Browser(tmp_path, "about:blank")
    try:
        yield b
    finally:
        b.close()


def open_page(b: Browser, url: str, size: tuple[int, int], mobile: bool = False) -> None:
    b.call("Emulation.setDeviceMetricsOverride", width=size[0], height=size[1],
           deviceScaleFactor=1, mobile=mobile)
    b.call("Page.navigate", url=url)
    deadline = time.monotonic() + 60
    while b.eval("document.readyState === 'complete' && location.href") != url:
        assert time.monotonic() < deadline, f"{url} did not load"
        time.sleep(0.05)


def screenshot(b: Browser, tmp: Path, name: str, width: int, height: int, y: float = 0) -> Path:
    """A PNG of the page from y down; into TEIPIPE_SCREENSHOTS if set (docs/img)."""
    folder = Path(os.environ.get("TEIPIPE_SCREENSHOTS") or tmp)
    folder.mkdir(parents=True, exist_ok=True)
    shot = b.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                  clip={"x": 0, "y": y, "width": width, "height": height, "scale": 1})
    png = folder / name
    png.write_bytes(base64.b64decode(shot["data"]))
    return png


def tops(b: Browser, pairs: list[tuple[str, str]]) -> list[list]:
    return b.eval(
        "(" + json_list(pairs) + ").map(function (p) {"
        " var t = document.getElementById(p[0]), o = document.getElementById(p[1]);"
        " return [p[0], t ? t.getBoundingClientRect().top : null,"
        "         o ? o.getBoundingClientRect().top : null]; })")


def json_list(pairs: list[tuple[str, str]]) -> str:
    import json

    return json.dumps([list(p) for p in pairs])


# ===== The aligned parallel view =====

def test_linked_paragraphs_start_level_on_a_desktop(site: Path, browser, tmp_path: Path) -> None:
    pairs = linked_pairs(BILINGUAL)
    assert len(pairs) >= 10, pairs
    open_page(browser, (site / "wcda-113642.html").as_uri(), DESKTOP)
    measured = tops(browser, pairs)
    offsets = {tid: round(o - t, 1) for tid, t, o in measured if t is not None and o is not None}
    assert len(offsets) == len(pairs), f"ids missing from the page: {measured}"
    print("\noriginal top - translation top (px):", offsets)
    assert all(abs(d) <= LEVEL for d in offsets.values()), offsets
    # The original is beside its translation, not under it.
    lefts = browser.eval(f"[document.getElementById('{pairs[0][1]}').getBoundingClientRect().left,"
                         f" document.getElementById('{pairs[0][0]}').getBoundingClientRect().left]")
    assert lefts[0] + 200 < lefts[1]
    y = browser.eval("document.querySelector('.parallel').getBoundingClientRect().top"
                     " + scrollY") - 60
    png = screenshot(browser, tmp_path, "edition-aligned-desktop.png", DESKTOP[0], 1500, y)
    assert png.stat().st_size > 10_000


def test_wide_table_scrolls_in_its_box_on_a_desktop(site: Path, browser) -> None:
    open_page(browser, (site / "wcda-113642.html").as_uri(), DESKTOP)
    # the hint is shown by an animation on the box's scroll timeline, which a loaded
    # machine may start a few frames after the load event: wait for it (up to 3 s)
    for _ in range(30):
        if browser.eval("(function () { var h = document.querySelector('.scroll-hint');"
                        " return !!h && h.offsetHeight > 0; })()"):
            break
        time.sleep(0.1)
    box = browser.eval(
        "(function () { var w = document.querySelector('.table-scroll');"
        " var col = w.closest('.cell').getBoundingClientRect(), r = w.getBoundingClientRect();"
        " var hint = w.parentNode.querySelector('.scroll-hint');"
        " var before = w.scrollWidth > w.clientWidth;"
        " var last = w.querySelector('tr:last-child td:last-child');"
        " var hidden = last.getBoundingClientRect().right > r.right;"
        # the hint is read before the box is scrolled: its scroll-timeline animation may
        # not have caught up with a scroll made in the same script
        " var hinted = hint && hint.offsetHeight > 0"
        "   && hint.getBoundingClientRect().left >= r.left;"
        " w.scrollLeft = w.scrollWidth;"
        " return {scrolls: before, lastHidden: hidden, scrolled: w.scrollLeft,"
        "  lastShown: last.getBoundingClientRect().right <= r.right + 1,"
        "  lastText: last.textContent, right: r.right, colRight: col.right,"
        "  page: document.documentElement.scrollWidth, view: innerWidth,"
        "  hint: hinted,"
        "  overflowX: getComputedStyle(w).overflowX}; })()")
    assert box["overflowX"] == "auto"
    assert box["scrolls"] and box["lastHidden"], box  # columns beyond the box: it scrolls...
    assert box["scrolled"] > 0 and box["lastShown"], box  # ...to the last column (№ 18)
    assert "18" in box["lastText"]
    assert box["right"] <= box["colRight"] + 1, box  # the box stays in its column
    assert box["page"] <= box["view"], box  # and the page does not scroll sideways
    assert box["hint"], box


def test_a_phone_shows_the_original_behind_toggles_without_sideways_scrolling(
        site: Path, browser, tmp_path: Path) -> None:
    open_page(browser, (site / "wcda-113642.html").as_uri(), PHONE, mobile=True)
    state = browser.eval(
        "(function () { var d = document.querySelectorAll('.parallel details.cell');"
        " var closed = Array.prototype.every.call(d, function (x) { return !x.open; });"
        " var p = document.getElementById('wcda-113642-msg1-p1');"
        " var t = document.getElementById('wcda-113642-msg4-p1');"
        " return {toggles: d.length, closed: closed, origShown: p.checkVisibility(),"
        "  transShown: t.checkVisibility(), summaryBelow: p.closest('details')"
        "   .querySelector('summary').getBoundingClientRect().top"
        "   > t.getBoundingClientRect().bottom,"
        "  page: document.documentElement.scrollWidth, view: innerWidth}; })()")
    assert state["toggles"] >= 10 and state["closed"], state
    assert state["transShown"] and not state["origShown"], state
    assert state["summaryBelow"], state  # the toggle is under its translated paragraph
    assert state["page"] <= state["view"], state
    png = screenshot(browser, tmp_path, "edition-aligned-phone.png", PHONE[0], 1700)
    assert png.stat().st_size > 10_000
    # Opened, the originals (and the wide table among them) still fit the phone.
    opened = browser.eval(
        "(function () { document.querySelectorAll('details')"
        "  .forEach(function (d) { d.open = true; });"
        " return {origShown: document.getElementById('wcda-113642-msg1-p1').checkVisibility(),"
        "  page: document.documentElement.scrollWidth, view: innerWidth}; })()")
    assert opened["origShown"] and opened["page"] <= opened["view"], opened
    # On the phone the table wraps and fits its box: no hint to scroll it.
    fits = browser.eval(
        "(function () { var w = document.querySelector('.table-scroll');"
        " var hint = w.parentNode.querySelector('.scroll-hint');"
        " return [w.scrollWidth <= w.clientWidth, hint.offsetHeight];"
        " })()")
    if fits[0]:
        assert fits[1] == 0, fits


# ===== Full-text search, served over http =====

@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    if pagefind_executable() is None:
        pytest.skip("Pagefind is not installed (pip install 'pagefind[extended]')")
    assert (site / "pagefind" / "pagefind-ui.js").is_file(), "the build wrote no search index"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1",
                               "-d", str(site), str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "search.html", timeout=5).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "python -m http.server did not start"
            time.sleep(0.1)
    try:
        yield url
    finally:
        server.kill()
        server.wait()


def search(b: Browser, url: str, query: str) -> dict:
    open_page(b, f"{url}search.html?q={urllib.parse.quote(query)}", DESKTOP)
    deadline = time.monotonic() + 60
    while True:
        state = b.eval(
            "(function () { var m = document.querySelector('.pagefind-ui__message');"
            " return {ready: document.body.getAttribute('data-search'),"
            "  message: m ? m.textContent : '',"
            "  results: Array.prototype.map.call(document.querySelectorAll('.pagefind-ui__result'),"
            "   function (r) { var a = r.querySelector('a'),"
            "     e = r.querySelector('.pagefind-ui__result-excerpt');"
            "     return {href: a ? a.getAttribute('href') : '',"
            "             excerpt: e ? e.innerHTML : ''}; })};"
            " })()")
        if state and state["message"] and "Searching" not in state["message"] and \
                (all(r["href"] for r in state["results"]) and state["results"]
                 or "No results" in state["message"]):
            return state
        assert time.monotonic() < deadline, f"no search result shown: {state}"
        time.sleep(0.1)


def test_a_word_of_a_telegram_body_is_found_with_a_snippet(site: Path, served: str, browser,
                                                            tmp_path: Path) -> None:
    word = "bombardment"
    pages = [p for p in sorted(site.glob("wcda-*.html")) if word in p.read_text("utf-8")]
    assert pages and all(word not in etree.HTML(p.read_bytes()).findtext(".//h1").lower()
                         for p in pages), "the word is in a body, not in a title"
    state = search(browser, served, word)
    assert state["ready"] == "ready"
    hrefs = [r["href"] for r in state["results"]]
    assert any(h.rsplit("/", 1)[-1].split("#")[0] == pages[0].name for h in hrefs), hrefs
    assert any(f"<mark>{word}" in r["excerpt"] for r in state["results"]), state["results"]
    assert f"result for {word}" in state["message"] or f"results for {word}" in state["message"]
    png = screenshot(browser, tmp_path, "edition-search.png", DESKTOP[0], 800)
    assert png.stat().st_size > 10_000


def test_people_places_and_the_original_are_searched(served: str, browser) -> None:
    assert any("/persons/" in r["href"] for r in search(browser, served, "Molotov")["results"])
    assert any("/places/" in r["href"] for r in search(browser, served, "Pyongyang")["results"])
    found = search(browser, served, "бомбардировкам")  # a word of the Russian original only
    assert any("wcda-113642" in r["href"] for r in found["results"]), found


def test_a_nonsense_word_says_no_results(served: str, browser) -> None:
    state = search(browser, served, "qzxvwkplm")
    assert state["results"] == []
    assert "No results for qzxvwkplm" in state["message"]


def test_from_a_folder_the_search_page_says_how_to_serve_it(site: Path, browser) -> None:
    open_page(browser, (site / "search.html").as_uri(), DESKTOP)
    state = browser.eval("[document.body.getAttribute('data-search'),"
                         " document.getElementById('search-help').checkVisibility(),"
                         " document.getElementById('search-help').textContent]")
    assert state[0] == "unavailable" and state[1], state
    assert "python -m http.server -d html" in state[2]


def test_an_empty_index_filter_says_so_and_offers_the_full_text(site: Path, browser) -> None:
    open_page(browser, (site / "index.html").as_uri() + "#q=qzxvwkplm", DESKTOP)
    state = browser.eval("[document.getElementById('none').checkVisibility(),"
                         " document.getElementById('fulltext').getAttribute('href'),"
                         " document.getElementById('count').textContent]")
    assert state[0], state
    assert state[1] == "search.html?q=qzxvwkplm"
    assert state[2].startswith("0 of ")
