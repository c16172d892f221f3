"""Serve a built site on localhost, rebuild what changes, and reload the browser.

``serve(sources, out_dir)`` is what ``teipipe serve`` runs: it builds as
:func:`pipeline.build.build` does, serves ``out_dir`` over HTTP on 127.0.0.1,
watches the sources, the personography and gazetteer and the stylesheets (with
``watchfiles``), rebuilds when they change (the build is incremental, so one
edited record redoes that record, the index and the pages of whom it names) and
tells every open page to reload.

The reload is a small script added to HTML *as it is served*, never to the files
on disk: the output folder stays byte for byte what ``teipipe build`` makes. The
script listens on a Server-Sent Events stream (``/__teipipe__/events``) that
announces a new build generation; a page that was served by an older generation
reloads.

The process stays up between rebuilds, and so do its converter, validator and
stylesheets (:func:`warm_stages`): a one-record rebuild does not pay for starting
Python and compiling XSLT again.
"""

from __future__ import annotations

import html
import mimetypes
import multiprocessing
import os
import queue
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipeline import resources
from pipeline.build import FORMATS, BuildResult, Stages, build, collect_sources
from pipeline.errors import InputError, Problem

#: The Server-Sent Events stream the injected script listens to.
EVENTS_PATH = "/__teipipe__/events"
#: Seconds between keep-alive comments on the event stream: they also notice a closed tab.
KEEPALIVE = 15.0
#: The stages factory handed to build(): a warm, reusable set in this process.
STAGES_FACTORY = "pipeline.serve:warm_stages"

# Types given explicitly: mimetypes reads the system's tables, which differ between
# machines (some map .xml to text/xml, some .js to application/x-javascript).
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def content_type(path: str | Path) -> str:
    """The Content-Type header for a file, by its extension."""
    suffix = Path(path).suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(str(path))
    return guessed or "application/octet-stream"


def resolve(root: str | Path, url_path: str) -> Path | None:
    """The file under ``root`` that ``url_path`` names, or None when there is none.

    A path that leaves ``root`` (``..``, an absolute path, a symbolic link pointing
    out), names a hidden file (the build's manifest is one) or holds a NUL is None:
    only the site is served. A folder gives its ``index.html``.
    """
    path = unquote(urlsplit(url_path).path)
    if "\0" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if any(p.startswith(".") for p in parts):  # "..", ".teipipe-build.json", ".git"
        return None
    base = Path(root).resolve()
    try:
        target = base.joinpath(*parts).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    if target != base and base not in target.parents:
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def live_script(generation: int) -> bytes:
    """The script added to served HTML: reload when a build newer than this page's ends.

    The page carries the generation it was served from, and the stream sends the
    current one on connecting, so a build that ended between serving the page and
    opening the stream is not missed. ``window.teipipeLive`` tells (a test, a curious
    editor in the console) that the page is listening.
    """
    return (
        f'<script data-teipipe-serve="{generation}">(function () {{\n'
        f'  var seen = {generation}, es = new EventSource("{EVENTS_PATH}");\n'
        "  es.onopen = function () { window.teipipeLive = true; };\n"
        '  es.addEventListener("build", function (e) {\n'
        '    if (Number(e.data) > seen) { es.close(); location.reload(); }\n'
        "  });\n"
        "})();</script>\n"
    ).encode("ascii")


def inject(page: bytes, script: bytes) -> bytes:
    """``page`` with ``script`` before its last ``</body>`` (or at the end if it has none)."""
    at = page.lower().rfind(b"</body>")
    if at < 0:
        return page + script
    return page[:at] + script + page[at:]


class Reloader:
    """The build generation, and a way for event streams to wait for the next one."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        # Counted from the clock, not from 0: a page left open across a restart of serve
        # holds an older number than any build of the new process, and reloads.
        self.generation = time.time_ns() // 1_000_000
        self.closed = False
        #: The last build's error lines, shown on the not-found page.
        self.errors: list[str] = []

    def bump(self) -> int:
        with self._cond:
            self.generation = max(self.generation + 1, time.time_ns() // 1_000_000)
            self._cond.notify_all()
            return self.generation

    def wait(self, seen: int, timeout: float) -> int:
        """Wait until the generation passes ``seen`` (or ``timeout``); return it."""
        with self._cond:
            self._cond.wait_for(lambda: self.generation > seen or self.closed, timeout)
            return self.generation

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


class SiteHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the files of the site, and the reload event stream."""

    server: SiteServer
    protocol_version = "HTTP/1.1"
    server_version = "teipipe-serve"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._respond(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if self.server.log:
            self.server.log(f"{self.address_string()} {format % args}")

    def _respond(self, head: bool) -> None:
        if not self._host_ok():
            self._send(HTTPStatus.FORBIDDEN, b"forbidden host\n", "text/plain; charset=utf-8",
                       head)
            return
        # Taken before the file is read: a build that ends in between makes the page reload.
        generation = self.server.reloader.generation
        path = urlsplit(self.path).path
        if path == EVENTS_PATH and not head:
            self._events()
            return
        if path == "/":
            # The site is DIR/html/; DIR also holds text/ and pdf/, served as well.
            if (self.server.root / "html" / "index.html").is_file():
                self._redirect("/html/")
                return
        target = resolve(self.server.root, path)
        if target is None:
            self._not_found(head, generation)
            return
        if target.name == "index.html" and not path.endswith(("/", "index.html")):
            self._redirect(path + "/")  # so the folder's relative links work
            return
        try:
            body = target.read_bytes()
        except OSError:
            self._not_found(head, generation)
            return
        kind = content_type(target)
        if self.server.live and kind.startswith("text/html"):
            body = inject(body, live_script(generation))
        self._send(HTTPStatus.OK, body, kind, head)

    def _host_ok(self) -> bool:
        # A page elsewhere could make the browser ask this server under a name of its own
        # (DNS rebinding): on loopback, only loopback names are answered.
        if not self.server.loopback:
            return True
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[1:].split("]")[0]
        return name in _LOOPBACK

    def _send(self, status: HTTPStatus, body: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        # The files change under the browser's feet: never serve it a cached copy.
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_found(self, head: bool, generation: int) -> None:
        # A telegram whose record now fails is removed from the site: say why, and keep
        # the reload script so the page comes back when the record is fixed.
        errors = self.server.reloader.errors
        lines = "".join(f"<li>{html.escape(e)}</li>" for e in errors[:50])
        page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Not found</title>"
                "</head><body><h1>Not found</h1><p>" + html.escape(unquote(self.path)) +
                " is not in the site.</p>" +
                ("<p>This page reloads by itself when a build makes it. "
                 '<a href="/">The index</a>.</p>' if self.server.live else "") +
                (f"<p>The last build reported:</p><ul>{lines}</ul>" if lines else "") +
                "</body></html>").encode("utf-8")
        if self.server.live:
            page = inject(page, live_script(generation))
        self._send(HTTPStatus.NOT_FOUND, page, "text/html; charset=utf-8", head)

    def _events(self) -> None:
        reloader = self.server.reloader
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen = -1
        try:
            while not reloader.closed and not self.server.stopping.is_set():
                now = reloader.wait(seen, KEEPALIVE)
                if now != seen:
                    self.wfile.write(f"event: build\ndata: {now}\n\n".encode())
                    seen = now
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except OSError:  # the tab was closed or reloaded
            pass


class SiteServer(ThreadingHTTPServer):
    """The site in ``root`` over HTTP, with live reload; one thread per connection."""

    daemon_threads = True  # open event streams must not hold up stopping
    # Two servers on one port would split the requests between them: refuse instead.
    allow_reuse_address = False

    def __init__(self, root: str | Path, host: str = "127.0.0.1", port: int = 8000,
                 reloader: Reloader | None = None, *, live: bool = True,
                 log: Callable[[str], None] | None = None) -> None:
        self.root = Path(root)
        self.reloader = reloader or Reloader()
        self.live = live
        self.log = log
        self.stopping = threading.Event()
        self.loopback = host in _LOOPBACK or host.startswith("127.")
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), SiteHandler)

    def handle_error(self, request: object, client_address: object) -> None:
        # A reload cancels the page's requests in flight: a closed connection is routine,
        # not a traceback on the editor's terminal.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}/"

    def stop(self) -> None:
        self.stopping.set()
        self.reloader.close()
        self.shutdown()
        self.server_close()


# --- the warm stages ---------------------------------------------------------

class ServeStages(Stages):
    """Stages that stay compiled between builds, and are recompiled when their inputs change."""

    def refresh(self) -> None:
        """Forget the compiled stages: the personography or stylesheets changed."""
        self._converter = self._validator = self._renderer = None
        self._last = None

    def compile(self, sample: Path | None = None, formats: Iterable[str] = ("html",)) -> None:
        """Build every stage and compile the stylesheets now, not on the first edit.

        With ``sample`` (a source), also take it through every stage in memory, writing
        nothing: the engines' first run of each step is several times slower than the
        next, and the editor's first save should not pay for it.
        """
        self.warm()
        compile_one = getattr(self.renderer, "executable", None)
        if compile_one is not None:
            for role in ("summary", "html", "text", "site"):
                try:
                    compile_one(role)
                except InputError:
                    pass  # a broken stylesheet is reported by the build that uses it
        if sample is None:
            return
        from pipeline import xmlsafe

        try:
            if sample.suffix.lower() == ".xml":
                data = sample.read_bytes()
            else:
                _, data, _ = self.convert(sample)
            tree = xmlsafe.parse(str(sample), data)
            self.validate(tree, data, str(sample))
            self.summary(tree, str(sample), sample.name)
            if "html" in formats:
                self.html(tree, str(sample))
            if "text" in formats:
                self.text(tree, str(sample))
        except Exception:  # noqa: BLE001, S110 - a rehearsal only; the build reports problems
            pass
        finally:
            self._last = None


_WARM: dict[str, ServeStages] = {}
_WARM_LOCK = threading.Lock()


def warm_stages(xslt_dir: Path | None = None) -> ServeStages:
    """The one :class:`ServeStages` of this process for ``xslt_dir`` (build's stages factory).

    ``build()`` keeps the stages it makes in its own process for the next build; making
    them here as well lets ``serve`` compile them ahead of the first edit and refresh
    them when a stylesheet or the personography changes.
    """
    if multiprocessing.parent_process() is not None:
        # A worker of build()'s pool. Ctrl-C reaches every process of the terminal's group;
        # the serving process stops the pool itself, so a worker has no traceback to print.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    key = str(Path(xslt_dir) if xslt_dir else resources.xslt_dir())
    with _WARM_LOCK:
        if key not in _WARM:
            _WARM[key] = ServeStages(Path(key))
        return _WARM[key]


# --- watching ----------------------------------------------------------------

_RECORD_SUFFIXES = (".txt", ".xml")
_STYLE_SUFFIXES = (".xsl", ".css", ".js", ".xml")


class Watched:
    """What a served build depends on: the folders to watch and which of their files count."""

    def __init__(self, sources: Iterable[str | Path], out_dir: str | Path,
                 xslt_dir: str | Path | None = None) -> None:
        self.out = Path(out_dir).resolve()
        self.source_dirs: list[Path] = []
        self.source_files: set[Path] = set()
        for s in sources:
            p = Path(s).resolve()
            if p.is_dir():
                self.source_dirs.append(p)
            else:
                self.source_files.add(p)
        self.authority = {resources.people_path().resolve(), resources.places_path().resolve()}
        self.xslt = Path(xslt_dir).resolve() if xslt_dir else resources.xslt_dir().resolve()

    def roots(self) -> list[Path]:
        """The folders to watch (a file's folder: editors often save by renaming over it)."""
        folders = {*self.source_dirs, *(f.parent for f in self.source_files),
                   *(f.parent for f in self.authority), self.xslt}
        existing = sorted(f for f in folders if f.is_dir())
        # A folder inside another watched one is watched already.
        return [f for f in existing if not any(o in f.parents for o in existing)]

    def kind(self, path: str | Path) -> str | None:
        """"source", "stages" (personography, gazetteer, stylesheets) or None (ignored)."""
        p = Path(os.path.abspath(path))
        if p == self.out or self.out in p.parents:
            return None
        if p in self.authority:
            return "stages"
        if (p == self.xslt or self.xslt in p.parents) and \
                p.suffix.lower() in _STYLE_SUFFIXES and not p.name.startswith("."):
            return "stages"
        if p in self.source_files:
            return "source"
        for d in self.source_dirs:
            if d in p.parents:
                rel = p.relative_to(d).parts
                if not any(part.startswith(".") for part in rel) and \
                        p.suffix.lower() in _RECORD_SUFFIXES:
                    return "source"
        return None

    def __call__(self, change: object, path: str) -> bool:
        """A watchfiles filter."""
        return self.kind(path) is not None


def _watch(watched: Watched, changes: queue.Queue, stop: threading.Event) -> None:
    """Put each debounced set of changed paths on ``changes`` until ``stop`` is set."""
    import watchfiles

    # watchfiles groups a burst (an editor's save is often several events) and yields it
    # once no event came for `step` ms, or after `debounce` ms of continuous changes.
    try:
        for batch in watchfiles.watch(*watched.roots(), watch_filter=watched, debounce=1600,
                                      step=50, stop_event=stop, raise_interrupt=False,
                                      ignore_permission_denied=True):
            changes.put({path for _, path in batch})
    except Exception as e:  # noqa: BLE001 - reported by the loop, which stops
        changes.put(e)
    finally:
        changes.put(None)


def _code_stamp() -> dict[str, int]:
    """The modification times of teipipe's own modules."""
    package = Path(__file__).resolve().parent
    return {str(p): p.stat().st_mtime_ns for p in package.rglob("*.py")}


def serve(sources: Iterable[str | Path], out_dir: str | Path, *, host: str = "127.0.0.1",
          port: int = 8000, jobs: int | None = None, formats: Iterable[str] = ("html",),
          xslt_dir: str | Path | None = None, live: bool = True,
          on_build: Callable[[BuildResult, list[str]], None] | None = None,
          on_ready: Callable[[str], None] | None = None,
          log: Callable[[str], None] | None = None,
          stop: threading.Event | None = None) -> None:
    """Build ``sources`` into ``out_dir``, serve it, and rebuild on every change until stopped.

    ``on_build(result, changed)`` is called after each build (``changed``: the paths that
    set it off, empty for the first), ``on_ready(url)`` once the server listens.
    Stops when ``stop`` is set or on KeyboardInterrupt (which propagates). A rebuild that
    fails outright is reported through ``on_build``'s problems where it can be, and the
    server keeps serving the last good site.
    """
    sources = [Path(s) for s in sources]
    out = Path(out_dir)
    formats = tuple(f for f in FORMATS if f in set(formats))
    stop = stop or threading.Event()
    watched = Watched(sources, out, xslt_dir)
    reloader = Reloader()
    changes: queue.Queue = queue.Queue()
    code = _code_stamp()

    def run_build(changed: list[str]) -> None:
        result = build(sources, out, jobs=jobs, formats=formats, xslt_dir=xslt_dir,
                       stages_factory=STAGES_FACTORY)
        reloader.errors = [p.format() for p in result.errors]
        if on_build:
            on_build(result, changed)
        if result.processed or result.corpus_pages or result.removed or not changed:
            reloader.bump()

    # Listen first: a port in use is reported at once, not after the first build, and a
    # page opened during that build shows "not found" and reloads when it is done.
    try:
        server = SiteServer(out, host, port, reloader, live=live, log=log)
    except OSError as e:
        raise InputError(Problem(f"{host}:{port}", 0, 0, "error", "cannot-listen",
                                 f"cannot serve there: {e.strerror or e}",
                                 "choose another --port, or --port 0 for any free one")) from None
    threading.Thread(target=server.serve_forever, name="teipipe-http", daemon=True).start()
    if on_ready:
        on_ready(server.url)
    # Watch before the first build, so an edit made while it runs is not lost.
    watcher = threading.Thread(target=_watch, args=(watched, changes, stop),
                               name="teipipe-watch", daemon=True)
    watcher.start()
    try:
        run_build([])
        files, _ = collect_sources(sources)
        warm_stages(xslt_dir).compile(files[0] if files else None, formats)
        while not stop.is_set():
            try:
                batch = changes.get(timeout=0.5)
            except queue.Empty:
                continue
            if batch is None:
                break
            if isinstance(batch, Exception):
                raise batch
            # Changes that arrived while building are folded into one more build.
            while True:
                try:
                    more = changes.get_nowait()
                except queue.Empty:
                    break
                if more is None or isinstance(more, Exception):
                    changes.put(more)
                    break
                batch |= more
            changed = sorted(batch)
            if _code_stamp() != code:
                # build() would see the new code's hash, redo every record with the old
                # code this process has loaded, and record the result as current.
                problem = Problem(str(Path(__file__).resolve().parent), 0, 0, "error",
                                  "code-changed", "teipipe's own code changed since serve "
                                  "started; nothing was rebuilt", "restart teipipe serve")
                reloader.errors = [problem.format()]
                if on_build:
                    on_build(BuildResult(problems=[problem]), changed)
                continue
            if any(watched.kind(p) == "stages" for p in changed):
                warm_stages(xslt_dir).refresh()
            started = time.perf_counter()
            try:
                run_build(changed)
            except Exception as e:  # noqa: BLE001 - the server outlives a failed build
                problem = e.problem if isinstance(e, InputError) else Problem(
                    str(out), 0, 0, "error", "internal", f"rebuild: {type(e).__name__}: {e}",
                    "the site shown is the last one built; save again to retry")
                reloader.errors = [problem.format()]
                if on_build:
                    on_build(BuildResult(problems=[problem],
                                         wall=time.perf_counter() - started), changed)
    finally:
        stop.set()
        server.stop()
        watcher.join(timeout=5)
