"""Full-text search for the static site: a Pagefind index over the written pages.

`Pagefind <https://pagefind.app>`_ reads the finished HTML and writes a static, chunked
index plus its search interface to ``html/pagefind/``; ``search.html`` (site.xsl, with
``assets/search.js``) shows it. No server: any static web server serves the folder.
Browsers refuse ``fetch()`` on ``file://``, so search needs one (the page says so).

What is indexed is chosen in the stylesheets: the ``data-pagefind-body`` element of each
telegram page (its text, both versions, and metadata, not "cite this") and of each
person and place page (the entry, not its list of telegrams). The index and filter pages
have none and are not indexed.

The binary comes from the ``pagefind_bin_extended`` (or ``pagefind_bin``) package on
PyPI, or a ``pagefind`` on PATH. Its output is byte-stable: two runs over the same pages
write the same files (checked by tests/test_search.py), so a build stays deterministic --
as long as the pages use no ``data-pagefind-filter``: Pagefind 1.5's filter files come out
in a different order from run to run, so the pages label their kind with
``data-pagefind-meta`` (shown with each result), which is stable.
Pagefind always reads the whole site; :func:`index_site` skips it when no page changed
since the index was written (a hash of the pages, kept beside the index).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: The folder Pagefind's bundle lives in, inside the site (search.js loads it from there).
BUNDLE = "pagefind"
#: Kept in the bundle: the hash of the pages it was made from, and a mark that teipipe owns it.
STAMP = ".teipipe-search"

#: One index for the whole site. The pages are English editions with Russian passages;
#: per-language indexes would hide the Russian words from the English search page.
LANGUAGE = "en"


@dataclass
class SearchResult:
    """What :func:`index_site` did: ``indexed`` False when the index was already current."""

    indexed: bool
    pages: int
    seconds: float = 0.0


class SearchUnavailable(RuntimeError):
    """Pagefind is not installed, or failed (the message says which and what to do)."""


def pagefind_executable() -> Path | None:
    """The Pagefind binary: from its PyPI package if installed, else from PATH."""
    for module in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            mod = __import__(module)
            return Path(mod.get_executable())
        except Exception:  # noqa: BLE001, S112 - not installed, or no binary for this platform
            continue
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(found) if found else None


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html")
                  if p.is_file() and BUNDLE not in p.relative_to(site).parts)


def pages_hash(site: str | Path) -> str:
    """A hash of every page of the site (paths and bytes): what the index depends on."""
    site = Path(site)
    h = hashlib.sha256()
    for p in _pages(site):
        h.update(p.relative_to(site).as_posix().encode("utf-8") + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def index_site(site: str | Path, *, force: bool = False, unchanged: bool = False,
               timeout: float = 600) -> SearchResult:
    """Write (or keep) the search index of the static site in ``site`` (OUT/html).

    ``unchanged``: the caller knows no page was written since the last run (a rebuild
    that did nothing): an existing index is kept without hashing the pages.

    The new bundle is written beside the old one and swapped in, so a page being served
    never sees half an index. Raises :class:`SearchUnavailable` when Pagefind is missing
    or fails; the site itself is unaffected.
    """
    import time

    site = Path(site)
    bundle = site / BUNDLE
    stamp = bundle / STAMP
    if unchanged and not force and stamp.is_file():
        return SearchResult(False, 0)
    pages = _pages(site)
    digest = pages_hash(site)
    if not force and stamp.is_file() and stamp.read_text("utf-8").strip() == digest:
        return SearchResult(False, len(pages))
    if bundle.is_symlink() or (bundle.exists() and not stamp.is_file()):
        # Not ours: someone's own folder of that name is never replaced.
        raise SearchUnavailable(f"{bundle} exists and was not written by teipipe; "
                                "move it away to get search")
    exe = pagefind_executable()
    if exe is None:
        raise SearchUnavailable("Pagefind is not installed (pip install 'pagefind[extended]'); "
                                "the site has no search index")
    t0 = time.perf_counter()
    for left in site.glob(".pagefind-*"):  # a run killed before its swap
        shutil.rmtree(left, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site))
    try:
        run = subprocess.run(
            # absolute paths: Pagefind runs in the site folder, where a relative "site/html"
            # (teipipe build seeds/ -o site/) would name a folder that is not there
            [str(exe), "--site", str(site.resolve()), "--output-path",
             str((work / BUNDLE).resolve()),
             "--force-language", LANGUAGE, "--silent"],
            capture_output=True, text=True, timeout=timeout, cwd=site,
            env={**os.environ, "NO_COLOR": "1"})
        if run.returncode != 0:
            detail = (run.stderr or run.stdout).strip().splitlines()
            raise SearchUnavailable("Pagefind failed: " + (detail[-1] if detail else
                                                           f"exit status {run.returncode}"))
        (work / BUNDLE / STAMP).write_text(digest + "\n", "utf-8")
        for f in (work / BUNDLE).rglob("*"):
            # World-readable, as every file the build writes (a web server must read them).
            os.chmod(f, 0o755 if f.is_dir() else 0o644)
        os.chmod(work / BUNDLE, 0o755)
        old = None
        if bundle.exists():
            old = work / "old"
            bundle.rename(old)
        (work / BUNDLE).rename(bundle)
    except subprocess.TimeoutExpired as e:
        raise SearchUnavailable(f"Pagefind took longer than {timeout:.0f} s") from e
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return SearchResult(True, len(pages), time.perf_counter() - t0)


def remove_index(site: str | Path) -> bool:
    """Remove the search index teipipe wrote into ``site`` (and nothing else: a folder
    without teipipe's stamp, or a link, is left alone). Returns whether it was there.

    For a build that no longer makes the site, or makes it without search: an index
    left behind would list pages that are gone or changed.
    """
    bundle = Path(site) / BUNDLE
    if bundle.is_symlink() or not (bundle / STAMP).is_file():
        return False
    shutil.rmtree(bundle)
    return True
