"""The full-text search index (pipeline/render/search.py): Pagefind over the written site,
byte-stable, rerun only when a page changed, removed with the site, never touching a
folder it did not write. (Searching in the browser: tests/test_edition_browser.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.build import build
from pipeline.cli import main
from pipeline.render.search import (
    BUNDLE,
    SearchUnavailable,
    index_site,
    pagefind_executable,
    remove_index,
)
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    pagefind_executable() is None,
    reason="Pagefind is not installed (pip install 'pagefind[extended]')")


def bundle_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted((site / BUNDLE).rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("search-site")
    result = CliRunner().invoke(main, ["render", "--to", "html", str(ROOT / "tei"),
                                       "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out / "html"


def test_the_index_is_byte_stable(site: Path) -> None:
    first = index_site(site, force=True)
    assert first.indexed and first.pages > 0
    one = bundle_files(site)
    assert "pagefind/pagefind-ui.js" in one and any(k.startswith("pagefind/fragment/") for k in one)
    # Filters are the one part of Pagefind's output that changes from run to run.
    assert not any(k.startswith("pagefind/filter/") for k in one)
    for _ in range(2):
        index_site(site, force=True)
        assert bundle_files(site) == one


def test_the_index_is_rerun_only_when_a_page_changed(site: Path) -> None:
    index_site(site)
    stamp = site / BUNDLE / ".teipipe-search"
    before = stamp.stat().st_mtime_ns
    assert not index_site(site).indexed
    assert not index_site(site, unchanged=True).indexed
    assert stamp.stat().st_mtime_ns == before
    page = site / "wcda-113642.html"
    text = page.read_text("utf-8")
    try:
        page.write_text(text.replace("furious bombardment", "furious zeppelinbombardment"), "utf-8")
        assert index_site(site).indexed
    finally:
        page.write_text(text, "utf-8")
    assert index_site(site).indexed


def test_a_folder_teipipe_did_not_write_is_left_alone(tmp_path: Path) -> None:
    site = tmp_path / "html"
    (site / BUNDLE).mkdir(parents=True)
    (site / BUNDLE / "mine.txt").write_text("keep", "utf-8")
    (site / "index.html").write_text("<html><body><main data-pagefind-body>x</main></body></html>",
                                     "utf-8")
    with pytest.raises(SearchUnavailable, match="not written by teipipe"):
        index_site(site)
    assert not remove_index(site)
    assert (site / BUNDLE / "mine.txt").read_text("utf-8") == "keep"


def test_build_writes_the_index_and_no_search_removes_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([ROOT / "tei"], out, jobs=1, formats=("html",))
    assert (out / "html" / BUNDLE / "pagefind-ui.js").is_file()
    assert (out / "html" / "search.html").is_file()
    mode = (out / "html" / BUNDLE / "pagefind-ui.js").stat().st_mode & 0o777
    assert mode & 0o044 == 0o044  # world-readable: a web server serves it
    result = CliRunner().invoke(main, ["build", str(ROOT / "tei"), "-o", str(out), "--formats",
                                       "html", "--no-search", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert not (out / "html" / BUNDLE).exists()


def test_without_pagefind_the_build_warns_and_the_site_stands(tmp_path: Path,
                                                              monkeypatch) -> None:
    import pipeline.render.search as search

    monkeypatch.setattr(search, "pagefind_executable", lambda: None)
    result = build([ROOT / "tei" / "wcda-113642.xml"], tmp_path / "out", jobs=1,
                   formats=("html",))
    assert not result.errors
    assert [p.code for p in result.warnings] == ["search"]
    assert "pip install" in result.warnings[0].message
    assert (tmp_path / "out" / "html" / "search.html").is_file()
    assert not (tmp_path / "out" / "html" / BUNDLE).exists()


def test_a_relative_output_folder_gets_its_index(tmp_path, monkeypatch):
    """The README's `teipipe build seeds/ -o site/` gives a relative folder."""
    from pipeline.render.search import index_site, pagefind_executable

    if pagefind_executable() is None:
        pytest.skip("Pagefind is not installed")
    site = tmp_path / "site" / "html"
    site.mkdir(parents=True)
    (site / "a.html").write_text("<html lang='en'><body><main data-pagefind-body>"
                                 "<h1>Telegram</h1><p>bombardment of the bridges</p></main>"
                                 "</body></html>", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    index_site(Path("site/html"))
    assert (site / "pagefind" / "pagefind.js").is_file()
