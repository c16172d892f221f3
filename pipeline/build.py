"""Build a whole corpus in one go: convert, validate and render, incrementally.

``build(sources, out_dir)`` is what ``teipipe build`` runs. It composes the three
stages (``pipeline.convert``, ``pipeline.validate``, ``pipeline.render``) over a
pool of worker processes, each of which compiles the stylesheets and schemas
once, and streams the records through it one at a time, so memory stays flat
however large the corpus is.

Rebuilds are incremental. ``DIR/.teipipe-build.json`` (the manifest) keeps, per
source, the hash of its bytes, the outputs it gave and the small summary the
index pages are made from. A record is processed again only when its source
changed, or when something it depends on changed: the personography and
gazetteer or teipipe's own code (reconvert; its source files are hashed, so an
edit counts without a new version), the schema (revalidate), the stylesheets, the
rendering modules or the edition's settings (teipipe.toml: re-render). The corpus pages
(index, person and place pages, the PDF book) are rebuilt when the summaries they list
change.

Output layout::

    DIR/tei/<id>.xml     the TEI of every record
    DIR/html/            the site: index.html, one page per telegram, persons, places
    DIR/text/<id>.txt    plain-text reading editions
    DIR/pdf/<id>.pdf     one PDF per telegram, and the book of the corpus

Builds survive being killed (see docs/build.md): a build holds a lock on DIR so two
never interleave; it appends each finished record to a journal beside the manifest,
which the next build merges, so a killed build keeps what it finished; its workers
exit when the main process dies; and the next build removes the temporary files
and folders a kill left behind. It removes only files it recorded itself, and
every path it writes or removes is confirmed to lie inside DIR.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__, files, resources
from pipeline.errors import InputError, Problem
from pipeline.render.summary import MARK as _MARK
from pipeline.render.summary import pack_summary
from pipeline.settings import Settings

FORMATS = ("html", "text", "pdf")
MANIFEST = ".teipipe-build.json"
#: Appended as records finish, merged by the next build, removed when the manifest is written.
JOURNAL = ".teipipe-build.journal"
#: Held (flock) for the whole build: two builds into one folder never interleave.
LOCK = ".teipipe-build.lock"
#: Bumped when the manifest's shape changes: an old manifest then means "rebuild all".
MANIFEST_VERSION = 2
#: Records per task sent to a worker: small, so the bar moves and memory stays flat.
CHUNK = 4


# --- hashing the inputs ----------------------------------------------------

def _hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hash_files(paths: Iterable[Path], root: Path | None = None) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        name = str(p.relative_to(root)) if root else p.name
        h.update(name.encode() + b"\0")
        try:
            h.update(p.read_bytes())
        except OSError:
            h.update(b"<missing>")
        h.update(b"\0")
    return h.hexdigest()


def _tree_files(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for pat in patterns for p in folder.rglob(pat) if p.is_file())


@dataclass(frozen=True)
class Environment:
    """What every output depends on besides its own source: hashed once per build."""

    xslt_dir: Path
    convert_key: str  # personography, gazetteer, teipipe's version
    validate_key: str  # the schema
    render_key: str  # the stylesheets and the edition's settings
    settings: Settings = Settings()

    @classmethod
    def current(cls, xslt_dir: Path | None = None,
                settings: Settings | None = None) -> Environment:
        settings = settings or Settings()
        xslt = Path(xslt_dir) if xslt_dir else resources.xslt_dir()
        # teipipe's own code counts by its source, not only its version: a developer
        # who changes the converter without bumping the version still gets fresh
        # outputs. Reading and hashing the package's .py files takes a few ms.
        convert_code, render_code = _code_files()
        convert = (_hash_files([resources.people_path(), resources.places_path()])
                   + __version__ + _hash_files(convert_code, _PACKAGE))
        schema = _hash_files(_tree_files(resources.schema_dir(),
                                         ("*.odd", "*.rng", "*.xsd", "*.sch")),
                             resources.schema_dir())
        render = _hash_files(_tree_files(xslt, ("*.xsl", "*.css", "*.js", "*.xml")), xslt)
        # The settings (teipipe.toml) are in every page's header and footer: a new title
        # or editor renders everything again, from the current TEI.
        render = _hash_bytes((render + _hash_files(render_code, _PACKAGE)
                              + settings.key()).encode())
        return cls(xslt, _hash_bytes(convert.encode()), schema, render, settings)


_PACKAGE = Path(__file__).resolve().parent
#: The stage whose code only renders: a change to it re-renders from the current TEI
#: instead of converting again. The command line (cli/) changes no output.
_RENDER_STAGE = "render"


def _code_files() -> tuple[list[Path], list[Path]]:
    """The package's own sources, as (converting and validating, rendering)."""
    convert, render = [], []
    for p in sorted(_PACKAGE.rglob("*.py")):
        rel = p.relative_to(_PACKAGE)
        # the command line and the dev server change no output
        if rel.parts[0] == "cli" or rel.name in ("__main__.py", "serve.py"):
            continue
        (render if rel.parts[0] == _RENDER_STAGE else convert).append(p)
    return convert, render


# --- the stages, as one object per worker -----------------------------------

class Stages:
    """One Converter, Validator and Renderer, built once per worker process.

    The stage modules are imported here, not at the top of the module, so a
    worker that only needs some of them does not pay for the others, and so the
    parent process of a pool never starts an XSLT engine before forking.
    """

    def __init__(self, xslt_dir: Path | None = None, settings: Settings | None = None):
        self.xslt_dir = xslt_dir
        self.settings = settings
        self._converter = self._validator = self._renderer = None
        self._last = None  # (lxml tree, Saxon node) of the record being rendered

    # Built on first use: the corpus pages need only the renderer.
    @property
    def converter(self):  # noqa: ANN201
        if self._converter is None:
            from pipeline.convert import Converter

            self._converter = Converter()
        return self._converter

    @property
    def validator(self):  # noqa: ANN201
        if self._validator is None:
            from pipeline.validate import Validator

            self._validator = Validator()
        return self._validator

    @property
    def renderer(self):  # noqa: ANN201
        if self._renderer is None:
            from pipeline.render import Renderer

            self._renderer = _make_renderer(Renderer, self.xslt_dir, self.settings)
        return self._renderer

    def warm(self) -> None:
        """Compile everything now (in a worker's initializer), not during the first record."""
        _ = self.converter, self.validator, self.renderer

    def convert(self, path: Path) -> tuple[str, bytes, list[Problem]]:
        conv = self.converter.convert_file(path)
        return conv.id, conv.tei, list(conv.problems)

    def validate(self, tree, data: bytes, name: str) -> list[Problem]:  # noqa: ANN001
        return list(self.validator.validate_tree(tree, name, data))

    # The telegram pages sit at the root of DIR/html/, beside index.html; each
    # links to its TEI copy in DIR/html/tei/, so the html/ folder can be
    # published on its own.
    def html(self, tree, name: str) -> str:  # noqa: ANN001 - lxml tree
        r = self.renderer
        if not hasattr(r, "run"):
            return r.html(tree, name=name)
        ident = _doc_id(tree, name)
        # The same parameters as Renderer.html, on the Saxon tree parsed once per record
        # (parsing it for each stylesheet costs as much as a small transformation).
        return r.run("html", self._node(tree), name, root="",
                     tei_href=f"{r.tei_base}{ident}.xml", doc_id=ident)

    def text(self, tree, name: str) -> str:  # noqa: ANN001
        r = self.renderer
        if not hasattr(r, "run"):
            return r.text(tree, name=name)
        return r.run("text", self._node(tree), name, width="78", doc_id=_doc_id(tree, name))

    def summary(self, tree, name: str, file: str) -> str:  # noqa: ANN001
        r = self.renderer
        if not hasattr(r, "run"):
            from lxml import etree

            return etree.tostring(r.summary(tree, name=name, file=file), encoding="unicode")
        return r.run("summary", self._node(tree), name, doc_id=_doc_id(tree, file or name),
                     file=file).strip()

    def _node(self, tree):  # noqa: ANN001, ANN202
        """The Saxon document for ``tree``, parsed once and kept for the record's outputs."""
        if self._last is None or self._last[0] is not tree:
            self._last = (tree, self.renderer.node(tree))
        return self._last[1]

    def pdf(self, tree, name: str) -> bytes:  # noqa: ANN001
        return self.renderer.pdf(tree, name=name)

    def corpus(self, summaries: list[str], tei_files: list[Path], out_dir: Path,
               formats: tuple[str, ...], shared: dict[str, str] | None = None,
               pages: Iterable[str] | None = None) -> list[str]:
        """Write the corpus-level pages; return the files written (relative to out_dir).

        ``summaries`` may be packed (see :func:`pack_summary`, entries in ``shared``);
        ``pages`` (relative to DIR/html/) limits the site pages written. The site's
        assets, written with every run, are among the files returned, so that the
        build records them as its own too.
        """
        from pipeline.render.site import ASSETS, write_indexes

        written: list[str] = []
        if "html" in formats:
            done = write_indexes(self.renderer, summaries, out_dir / "html", shared=shared,
                                 pages=pages)
            written += [f"html/{rel}" for rel in done]
            written += [f"{_ASSETS}{name}" for name in ASSETS]
        if "pdf" in formats:
            from pipeline.files import inside

            target = inside(out_dir, "pdf/book.pdf")  # no link planted in the output
            self.renderer.book(tei_files, target)
            written.append("pdf/book.pdf")
        return written


#: Where Stages.corpus writes the site's stylesheet and script (not pages: not counted as such).
_ASSETS = "html/assets/"


def _doc_id(tree, name: str) -> str:  # noqa: ANN001
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return root.get("{http://www.w3.org/XML/1998/namespace}id") or Path(name).stem


def _make_renderer(cls, xslt_dir: Path | None, settings: Settings | None = None):  # noqa: ANN001, ANN202
    options = {"settings": settings} if settings is not None else {}
    return cls(xslt_dir, **options) if xslt_dir is not None else cls(**options)


# --- the worker side ---------------------------------------------------------

_STAGES: Stages | None = None


def _init_worker(factory: str, xslt_dir: str | None, parent_alive=None,  # noqa: ANN001
                 settings: Settings | None = None) -> None:
    """Pool initializer: build the stages once for the life of the worker."""
    global _STAGES
    # Ctrl-C reaches the whole process group: the main process handles it and ends the
    # pool; a worker that also raised KeyboardInterrupt would print its own traceback.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent_alive is not None:
        _follow_parent(parent_alive)
    module, _, name = factory.partition(":")
    import importlib

    cls = getattr(importlib.import_module(module), name)
    _STAGES = _new_stages(cls, Path(xslt_dir) if xslt_dir else None, settings)
    _STAGES.warm()


def _new_stages(cls, xslt_dir: Path | None, settings: Settings | None) -> Stages:  # noqa: ANN001
    # A Stages class of someone else's (serve's, a test's) may take the stylesheets only;
    # it is given the settings when they are not the defaults.
    if settings is None or settings == Settings():
        return cls(xslt_dir)
    return cls(xslt_dir, settings)


#: Exit status of a worker whose build is gone.
_ORPHANED = 75


def _follow_parent(parent_alive) -> None:  # noqa: ANN001 - a multiprocessing Connection
    """End this worker as soon as the build's main process is gone.

    A worker is a child of the forkserver, not of the main process, so it cannot
    watch its own parent for the main one. It watches instead the read end of a
    pipe whose only write end the main process holds: the kernel closes that end
    when the main process dies, however it dies, and the read returns. A thread
    does the watching, so it needs the interpreter lock; for the long stretches a
    stylesheet runs in C without releasing it, Linux also gets SIGKILL when the
    worker's parent dies (prctl PR_SET_PDEATHSIG): the forkserver exits as soon
    as the main process is gone, since it watches a pipe of its own the same way.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass  # the pipe alone will do

    def watch() -> None:
        try:
            parent_alive.recv_bytes()  # the main process never sends: this waits for EOF
        except (EOFError, OSError):
            pass
        os._exit(_ORPHANED)  # now: a half-written temporary file is cleaned by the next build

    threading.Thread(target=watch, name="teipipe-watch-parent", daemon=True).start()

    def check() -> None:
        # The thread may not have run yet when a record is ready to be written (the
        # interpreter switches threads every few ms): look once more, without waiting.
        if parent_alive.poll():
            os._exit(_ORPHANED)

    global _BEFORE_WRITE
    _BEFORE_WRITE = check


#: In a worker, called before a record's files are written: exits if the build is gone.
_BEFORE_WRITE: Callable[[], None] | None = None


#: An XML name (NCName): what an output may be named from. Python's \w is wider in a few
#: scripts, but it has no "/", "\\", ":", space or control character, and "." cannot start it.
_NCNAME = re.compile(r"[^\W\d][\w.\-\u00B7\u0300-\u036F\u203F\u2040]*\Z")


def is_ncname(name: object) -> bool:
    """True when ``name`` can name an output file (an XML NCName, as xml:id must be)."""
    return isinstance(name, str) and bool(_NCNAME.match(name))


def _journal_line(obj: object) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _append(path: Path, line: bytes) -> None:
    """One line onto a journal, in one write: appends of several processes never interleave."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary name beside the target and rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


@dataclass
class Task:
    source: str  # path of the source (text record or TEI file)
    source_hash: str
    formats: tuple[str, ...]
    out_dir: str
    tei_from: str | None = None  # reuse this TEI (already converted and validated)


def _process(task: Task) -> dict:
    """Convert, validate and render one record; write its outputs; return what the parent keeps."""
    assert _STAGES is not None, "worker not initialised"
    return process_record(_STAGES, task)


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _lap(timings: dict[str, float], stage: str, t0: tuple[float, float]) -> None:
    """Wall seconds of a stage, and the CPU seconds of this process (the XSLT and schema
    engines run in it too): CPU time is what a stage costs whatever else the machine runs."""
    timings[stage] = time.perf_counter() - t0[0]
    timings[f"{stage}_cpu"] = time.process_time() - t0[1]


def process_record(stages: Stages, task: Task) -> dict:
    from pipeline import xmlsafe
    from pipeline.render.renderer import XML_ID, check_output_id

    out = Path(task.out_dir)
    src = Path(task.source)
    timings: dict[str, float] = {}
    problems: list[Problem] = []
    result = {"source": task.source, "hash": task.source_hash, "ok": False, "id": None,
              "outputs": [], "summary": None, "problems": [], "timings": timings,
              "converted": task.tei_from is None}
    try:
        t0 = _clock()
        if task.tei_from is not None:
            data = Path(task.tei_from).read_bytes()
            tree = xmlsafe.parse(task.tei_from, data)
            doc_id = tree.getroot().get("{http://www.w3.org/XML/1998/namespace}id") or src.stem
        elif src.suffix.lower() == ".xml":
            # A TEI file given directly is taken as it is.
            data = src.read_bytes()
            tree = xmlsafe.parse(src, data)
            doc_id = tree.getroot().get("{http://www.w3.org/XML/1998/namespace}id") or src.stem
            _lap(timings, "parse", t0)
        else:
            doc_id, data, conv_problems = stages.convert(src)
            problems += conv_problems
            _lap(timings, "convert", t0)
            tree = None
        # The id names every output file of the record: checked before it names any.
        check_output_id(doc_id, task.source, task.formats,
                        from_stem=tree is not None and tree.getroot().get(XML_ID) is None)
        result["id"] = doc_id
        if not is_ncname(doc_id):
            # Every output is named from the id: one like "../x" would be written outside.
            raise InputError(Problem(task.source, 0, 0, "error", "unsafe-id",
                                     f"the record's id {doc_id!r} is not an XML name, and "
                                     "its outputs are named from it; nothing is written",
                                     "give TEI/@xml:id a name: a letter, then letters, "
                                     "digits, '.', '-' or '_'"))
        tei_rel = f"tei/{doc_id}.xml"
        if task.tei_from is None:
            # Parsed once here for validation and every rendering.
            t0 = _clock()
            if tree is None:
                tree = xmlsafe.parse(tei_rel, data)
            problems += stages.validate(tree, data, tei_rel)
            _lap(timings, "validate", t0)
            # Validation findings do not stop rendering: a reader's edition of a
            # slightly invalid file is still useful, and the build reports them.
        outputs: list[tuple[str, bytes]] = []
        if task.tei_from is None:
            outputs.append((tei_rel, data))
        t0 = _clock()
        summary = stages.summary(tree, tei_rel, f"{doc_id}.xml")
        _lap(timings, "summary", t0)
        for fmt in task.formats:
            t0 = _clock()
            if fmt == "html":
                outputs.append((f"html/{doc_id}.html",
                                stages.html(tree, tei_rel).encode("utf-8")))
                outputs.append((f"html/tei/{doc_id}.xml", data))
            elif fmt == "text":
                outputs.append((f"text/{doc_id}.txt", stages.text(tree, tei_rel).encode("utf-8")))
            elif fmt == "pdf":
                outputs.append((f"pdf/{doc_id}.pdf", stages.pdf(tree, tei_rel)))
            _lap(timings, fmt, t0)
        # Everything rendered: only now write, so a failure leaves no partial set.
        t0 = _clock()
        confined = files.Inside(out)
        targets = [(confined(rel), blob) for rel, blob in outputs]
        if any(path is None for path, _ in targets):  # named from a checked id: cannot happen
            raise InputError(Problem(task.source, 0, 0, "error", "unsafe-id",
                                     f"an output of {doc_id!r} would lie outside the output "
                                     "folder; nothing is written", ""))
        if _BEFORE_WRITE is not None:
            _BEFORE_WRITE()
        # Recorded before it is written: should the build be killed before it records
        # the record, the next one still knows these files are its own.
        _append(out / JOURNAL, _journal_line({"writing": [rel for rel, _ in outputs]}))
        for path, blob in targets:
            _write_atomic(path, blob)
        _lap(timings, "write", t0)
        result.update(ok=True, outputs=sorted({tei_rel, *(rel for rel, _ in outputs)}),
                      summary=summary)
    except InputError as e:
        problems.append(e.problem)
    except Exception as e:  # noqa: BLE001 - one bad record must not stop the corpus
        problems.append(Problem(task.source, 0, 0, "error", "internal",
                                f"{type(e).__name__}: {e}",
                                "this is a bug in teipipe; please report it with the file"))
    result["problems"] = [_problem_to_json(p) for p in problems]
    if any(p.severity == "error" for p in problems) and result["ok"]:
        result["invalid"] = True
    return result


def _problem_to_json(p: Problem) -> list:
    return [p.path, p.line, p.col, p.severity, p.code, p.message, p.hint]


def _problem_from_json(x: list) -> Problem:
    return Problem(*x)


# --- the parent side ---------------------------------------------------------

@dataclass
class BuildResult:
    """What a build did, for the summary line and for the benchmark."""

    records: int = 0  # sources seen
    processed: int = 0  # records converted/rendered in this run
    reused: int = 0  # records whose outputs were current
    converted: int = 0
    failed: int = 0
    corpus_pages: int = 0
    removed: int = 0
    cleaned: int = 0  # temporary files and folders a killed build had left
    resumed: int = 0  # records current from the journal of a killed build (among reused)
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # summed over records (CPU-ish)
    wall: float = 0.0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def line(self) -> str:
        """The one-line summary printed at the end of a build."""
        rate = self.processed / self.wall if self.wall and self.processed else 0
        parts = [f"{self.records} records", f"{self.processed - self.failed} built"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        parts.append(f"{self.reused} current")
        if self.removed:
            parts.append(f"{self.removed} removed")
        if self.cleaned:
            parts.append(f"{self.cleaned} leftovers of an interrupted build cleaned")
        parts.append(f"{len(self.errors)} errors, {len(self.warnings)} warnings")
        text = ", ".join(parts) + f" in {self.wall:.2f} s"
        if rate:
            text += f" ({rate:.0f} records/s)" if rate >= 10 else f" ({rate:.1f} records/s)"
        return text


def collect_sources(sources: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files and folders -> the source files, sorted, each once."""
    found: dict[str, Path] = {}
    problems = []
    for s in sources:
        p = Path(s)
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for name in filenames:
                    if not name.startswith(".") and name.lower().endswith((".txt", ".xml")):
                        f = Path(dirpath, name)
                        found.setdefault(os.path.abspath(f), f)
        elif p.is_file():
            found.setdefault(os.path.abspath(p), p)
        else:
            problems.append(Problem(str(p), 0, 0, "error", "not-found",
                                    "no such file or folder", "check the path"))
    # The personography and gazetteer live beside the encoded records in tei/: they are
    # inputs of every record, not records.
    authority = {os.path.abspath(resources.people_path()), os.path.abspath(resources.places_path())}
    return [found[k] for k in sorted(found) if k not in authority], problems


def _used(shared: dict[str, str], records: dict[str, dict]) -> dict[str, str]:
    keys = {k for e in records.values() for k in (e.get("summary") or "").split(_MARK)[1::2]}
    return {k: shared[k] for k in sorted(keys)}


_MENTION = re.compile(r'<mention ref="([^"]*)" kind="(person|place)"')
_CORPUS_INDEXES = ("index.html", "search.html", "persons/index.html", "places/index.html")


def _pages_of(summary: str | None) -> set[str]:
    """The person and place pages (relative to DIR/html/) that list a record."""
    return {f"{kind}s/{ref}.html" for ref, kind in _MENTION.findall(summary or "")}


def _corpus_outputs(summaries: list[str], formats: tuple[str, ...]) -> set[str]:
    """Every corpus-level file the build makes for these summaries (relative to DIR)."""
    out: set[str] = set()
    if "html" in formats:
        pages = set(_CORPUS_INDEXES)
        for s in summaries:
            pages |= _pages_of(s)
        out |= {f"html/{p}" for p in pages}
    if "pdf" in formats:
        out.add("pdf/book.pdf")
    return out


def _safe_summary(summary: str | None, source: str, problems: list) -> str | None:
    """The summary, or None when a person or place it lists has an id that is not an XML name.

    The corpus pages are named from those ids (html/persons/<id>.html): one like
    "../../x" would put a page outside the output folder. Such a record keeps its
    own pages but is left out of the corpus pages, with an error.
    """
    bad = sorted({ref for ref, _ in _MENTION.findall(summary or "") if not is_ncname(ref)})
    if not bad:
        return summary
    problems.append(_problem_to_json(Problem(
        source, 0, 0, "error", "unsafe-id",
        f"names a person or place by the id {bad[0]!r}, which is not an XML name; the "
        "person and place pages are named from such ids, so the record is left out of them "
        "and of the index", "give the entry an xml:id that is a name")))
    return None


def _changed_pages(old: dict[str, dict], new: dict[str, dict]) -> set[str]:
    """The index, and the pages of every person and place a changed, added or removed
    record names, before or after the change (so one it no longer names is updated).

    The persons' and places' index pages list names and counts: they are redone only
    when a record starts or stops naming someone (or something), or carries another
    copy of an entry."""
    pages = {"index.html"}
    for key in set(old) | set(new):
        was = old.get(key, {})
        now = new.get(key, {})
        was_s = None if was.get("failed") else was.get("summary")
        now_s = None if now.get("failed") else now.get("summary")
        if was_s != now_s:
            before, after = _pages_of(was_s), _pages_of(now_s)
            pages |= before | after
            entries = set((was_s or "").split(_MARK)[1::2]) ^ set((now_s or "").split(_MARK)[1::2])
            for kind in ("persons/", "places/"):
                if entries or any(p.startswith(kind) for p in before ^ after):
                    pages.add(f"{kind}index.html")
    return pages


def _content_hash(f: Path, entry: dict | None) -> tuple[str, list[int]]:
    """SHA-256 of a source's bytes, and its stat stamp.

    When the stamp (size, inode, modification and change times, to the nanosecond)
    is the one the manifest recorded with the hash, the file has not been touched and
    its hash is taken from the manifest instead of reading the file again (as git does
    for its index). The change time cannot be set back by tools that copy times.
    """
    try:
        st = f.stat()
    except OSError:
        return "", []
    stamp = [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]
    if entry is not None and entry.get("stat") == stamp and entry.get("hash"):
        return entry["hash"], stamp
    try:
        return _hash_bytes(f.read_bytes()), stamp
    except OSError:
        return "", stamp


def _empty_manifest() -> dict:
    return {"version": MANIFEST_VERSION, "env": {}, "records": {}, "shared": {}, "corpus": {}}


def _load_manifest(path: Path) -> dict:
    try:
        m = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(m, dict) and m.get("version") == MANIFEST_VERSION:
            # Someone may have edited it: keep only what has the shape a build writes.
            m["records"] = {k: v for k, v in dict(m.get("records") or {}).items()
                            if isinstance(k, str) and _entry_ok(v)}
            for key in ("env", "shared", "corpus"):
                if not isinstance(m.get(key), dict):
                    m[key] = {}
            return m
    except (OSError, ValueError, TypeError):
        pass
    return _empty_manifest()


def _entry_ok(entry: object) -> bool:
    """Whether a record's entry has the shape a build writes (a tampered one is dropped:
    its source is built again, and none of its paths is trusted)."""
    if not isinstance(entry, dict):
        return False
    problems = entry.get("problems", [])
    return (isinstance(entry.get("outputs", []), list)
            and isinstance(entry.get("formats", []), list)
            and all(isinstance(f, str) for f in entry.get("formats", []))
            and isinstance(problems, list)
            and all(isinstance(p, list) and len(p) == 7 for p in problems)
            and isinstance(entry.get("summary") or "", str))


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


@dataclass
class _State:
    """What earlier builds left in DIR: the manifest of the last one that finished,
    and the journal of any killed since, merged."""

    manifest: dict  # as the last finished build wrote it (the corpus pages match its records)
    records: dict[str, dict]  # its records, updated by the journal's (which carry their "env")
    shared: dict[str, str]
    owned: set[str]  # every record output a build recorded: the only files a build removes
    corpus_owned: set[str]  # the same for the corpus pages
    corpus_dirty: bool  # a killed build had begun writing the corpus pages: redo them all


def _load_state(root: Path) -> _State:
    manifest = _load_manifest(root / MANIFEST)
    records = {k: dict(v) for k, v in manifest["records"].items()}
    shared = dict(manifest["shared"])
    owned = {rel for e in records.values() for rel in _strings(e.get("outputs"))}
    corpus_owned = set(_strings(manifest["corpus"].get("outputs")))
    dirty = False
    try:
        lines = (root / JOURNAL).read_bytes().splitlines()
    except OSError:
        lines = []
    env: dict = {}
    # Several killed builds may have appended to it, each after its own "build" line;
    # replayed in order, the last word on each record wins.
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue  # the line a kill cut short
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("build"), dict):
            env = item["build"].get("env") or {}
        elif "writing" in item:
            owned.update(_strings(item["writing"]))
        elif "corpus" in item:
            corpus_owned.update(_strings(item["corpus"]))
            dirty = True
        elif isinstance(item.get("record"), str) and _entry_ok(item.get("entry")):
            entry = dict(item["entry"], env=env)
            records[item["record"]] = entry
            owned.update(_strings(entry.get("outputs")))
            if isinstance(item.get("shared"), dict):
                shared.update(item["shared"])
    return _State(manifest, records, shared, owned, corpus_owned, dirty)


#: The temporary names of write_atomic (".<name>.<pid or random>.tmp") and of
#: Renderer.run_pages (".pages-<random>/"): what a kill can leave behind.
_TEMP_FILE = re.compile(r"\..+\.tmp\Z", re.DOTALL)
_TEMP_DIR = ".pages-"
_OWN_FOLDERS = ("tei", "html", "text", "pdf")


def _clean_leftovers(root: Path) -> int:
    """Remove the temporary files and folders a killed build left in ``root``.

    Called with the folder's lock held, so none of them belongs to a build that
    is running. Only the folders a build writes are searched, and no hidden
    folder but the page folders is entered (a site published with git keeps .git/).
    Returns how many were removed.
    """
    removed = 0
    for top in (root, *(root / sub for sub in _OWN_FOLDERS)):
        if top.is_symlink() or not top.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            for d in dirnames:
                path = Path(dirpath, d)
                if d.startswith(_TEMP_DIR) and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                    removed += 1
            # the root's own subfolders are walked from their own top (and only those)
            dirnames[:] = [] if top == root else [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if _TEMP_FILE.match(name):
                    try:
                        os.unlink(Path(dirpath, name))
                        removed += 1
                    except OSError:
                        pass
    return removed


def _output_exists(inside: files.Inside, rel: str) -> bool:
    path = inside(rel)
    return path is not None and path.is_file()


def _remove_output(inside: files.Inside, rel: str) -> bool:
    """Remove an output the manifest or journal recorded, if it lies inside the folder."""
    path = inside(rel)
    if path is None or (path.is_dir() and not path.is_symlink()):
        return False
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False


class BuildLocked(InputError):
    """Another build is writing into the output folder."""


def _pool_context() -> multiprocessing.context.BaseContext:
    # forkserver: workers are forked from a clean server process that has only
    # imported modules, never started an XSLT engine, so it is safe even when
    # the parent has (a second build in the same process, the test suite).
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ctx


def build(
    sources: Iterable[str | Path],
    out_dir: str | Path,
    jobs: int | None = None,
    formats: Iterable[str] = FORMATS,
    *,
    xslt_dir: str | Path | None = None,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    stages_factory: str = "pipeline.build:Stages",
    wait: bool = False,
    search: bool = True,
    settings: Settings | None = None,
) -> BuildResult:
    """Convert, validate and render ``sources`` into ``out_dir``; see the module docstring.

    ``jobs``: worker processes (default: every core). ``formats``: any of html, text,
    pdf. ``xslt_dir``: stylesheets to use instead of the project's. ``settings``: the
    edition's title, editors, licence, ... (:mod:`pipeline.settings`). ``force``:
    ignore what is current (what earlier builds wrote is still removed when no
    longer made). ``progress(done, total)`` is called as records finish.
    Problems of the records are collected in the result, never raised; the
    exceptions are :class:`BuildLocked`, raised at once when another build holds
    ``out_dir`` (``wait``: wait for it instead), and an ``InputError`` when
    ``out_dir`` cannot be written at all. ``search``: with html, keep the site's
    full-text search index current (pipeline.render.search; a warning if Pagefind is missing).
    """
    started = time.perf_counter()
    out = Path(out_dir)
    lock = files.FolderLock(out, LOCK, wait=wait)
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock.__enter__()
    except files.FolderBusy:
        raise BuildLocked(Problem(str(out), 0, 0, "error", "build-locked",
                                  "another teipipe build is writing into this folder",
                                  "let it finish, or pass --wait to start when it has")) from None
    except OSError as e:
        raise InputError(Problem(str(out), 0, 0, "error", "output-folder",
                                 f"cannot write into the output folder: {e.strerror or e}",
                                 "give -o a folder you can write to")) from None
    try:
        result = _build_locked(sources, out, jobs, formats, xslt_dir, force, progress,
                               stages_factory, started, settings)
        if search and "html" in formats and (out / "html" / "index.html").is_file():
            _search_index(out / "html", result)
        else:
            from pipeline.render.search import remove_index

            if not (out / "html").is_symlink():
                result.removed += remove_index(out / "html")
        result.wall = time.perf_counter() - started
        return result
    finally:
        lock.__exit__()


def _search_index(site: Path, result: BuildResult) -> None:
    """Bring the search index up to date with the pages just written (a no-op, bar hashing
    the pages, when none changed). Its absence is a warning: the site works without it."""
    from pipeline.render.search import SearchUnavailable, index_site

    t0 = time.perf_counter()
    unchanged = not (result.processed or result.corpus_pages or result.removed or result.cleaned)
    try:
        index_site(site, unchanged=unchanged)
    except SearchUnavailable as e:
        result.problems.append(Problem(str(site), 0, 0, "warning", "search", str(e),
                                       "the site works without search; build with "
                                       "--no-search to skip it"))
    except OSError as e:
        result.problems.append(Problem(str(site), 0, 0, "warning", "search",
                                       f"search index not written: {e}", ""))
    result.timings["search"] = time.perf_counter() - t0


def _build_locked(sources: Iterable[str | Path], out: Path, jobs: int | None,
                  formats: Iterable[str], xslt_dir: str | Path | None, force: bool,
                  progress: Callable[[int, int], None] | None, stages_factory: str,
                  started: float, settings: Settings | None = None) -> BuildResult:
    """:func:`build`, with the lock on ``out`` held."""
    formats = tuple(f for f in FORMATS if f in set(formats))
    jobs = max(1, jobs or os.cpu_count() or 1)
    result = BuildResult()
    found, missing = collect_sources(sources)
    result.problems += missing
    result.records = len(found)

    # Every path written or removed is checked against the real output folder.
    root = out.resolve()
    inside = files.Inside(root)
    result.cleaned = _clean_leftovers(root)
    env = Environment.current(Path(xslt_dir) if xslt_dir else None, settings)
    env_keys = {"convert": env.convert_key, "validate": env.validate_key,
                "render": env.render_key}
    manifest_path = root / MANIFEST
    journal = root / JOURNAL
    state = _load_state(root)
    manifest = state.manifest
    old_env = manifest.get("env", {})
    old_records = state.records
    shared: dict[str, str] = dict(state.shared)

    # Decide, per source, what is to be done.
    tasks: list[Task] = []
    new_records: dict[str, dict] = {}
    stamps: dict[str, list[int]] = {}
    for f in found:
        key = str(f)
        entry = old_records.get(key)
        # A record from the journal of a killed build was made under that build's keys.
        resumed = entry is not None and "env" in entry
        entry_env = (entry.pop("env") if resumed else old_env) or {}
        same_convert = entry_env.get("convert") == env.convert_key and \
            entry_env.get("validate") == env.validate_key
        same_render = entry_env.get("render") == env.render_key
        h, stamp = _content_hash(f, entry)
        current = (not force and entry is not None and entry.get("hash") == h and same_convert)
        if current and entry.get("failed"):
            new_records[key] = dict(entry, stat=stamp)  # same bad input: same report, no work
            result.resumed += resumed
            continue
        if current and same_render and set(formats) <= set(entry.get("formats", ())) and \
                all(_output_exists(inside, rel) for rel in entry.get("outputs", ())):
            new_records[key] = dict(entry, stat=stamp)
            result.resumed += resumed
            continue
        tei_from = None
        if current and is_ncname(entry.get("id")):
            tei = inside(f"tei/{entry['id']}.xml")
            if tei is not None and tei.is_file():
                # Only the stylesheets (or the formats asked for) changed: render from the TEI.
                tei_from = str(tei)
        tasks.append(Task(str(f), h, formats, str(root), tei_from))
        stamps[str(f)] = stamp

    result.reused = len(new_records)
    (root / "tei").mkdir(parents=True, exist_ok=True)
    if tasks:
        # The journal's records are read under the keys of the build that wrote them.
        _append(journal, _journal_line({"build": {"env": env_keys, "formats": list(formats)}}))
    done = 0
    total = len(tasks)
    if progress:
        progress(0, total)
    with _Workers(len(tasks), jobs, env, stages_factory) as workers:
        for res in workers.run(tasks):
            done += 1
            if progress:
                progress(done, total)
            for k, v in res.pop("timings").items():
                result.timings[k] = result.timings.get(k, 0.0) + v
            result.processed += 1
            converted = res.pop("converted")
            if converted and res["ok"]:
                result.converted += 1
            entry = {"hash": res["hash"], "stat": stamps.get(res["source"]),
                     "problems": res["problems"]}
            if not converted and res["source"] in old_records:
                # Rendered again from its current TEI: its conversion and validation
                # findings still hold, and are still reported.
                entry["problems"] = old_records[res["source"]].get("problems", []) + res["problems"]
            if res["ok"]:
                summary = _safe_summary(res["summary"], res["source"], entry["problems"])
                entry.update(id=res["id"], outputs=res["outputs"],
                             summary=pack_summary(summary, shared), formats=list(formats))
            else:
                entry["failed"] = True
                result.failed += 1
            new_records[res["source"]] = entry
            # Kept at once, in one short line: a build killed now keeps this record.
            # Appending costs the same at 10 records as at 10,000; the manifest is
            # rewritten only at the end.
            refs = (entry.get("summary") or "").split(_MARK)[1::2]
            _append(journal, _journal_line({"record": res["source"], "entry": entry,
                                            "shared": {k: shared[k] for k in refs}}))

        # Two sources claiming one id would overwrite each other's outputs: report it.
        owners: dict[str, str] = {}
        for key in sorted(new_records):
            entry = new_records[key]
            if entry.get("failed") or not entry.get("id"):
                continue
            if entry["id"] in owners:
                result.problems.append(Problem(key, 0, 0, "error", "duplicate-id",
                                               f"gives the id {entry['id']!r}, as does "
                                               f"{owners[entry['id']]}",
                                               "two records cannot share an id; remove one"))
            else:
                owners[entry["id"]] = key

        # Outputs of records that are gone (or now fail) are removed, so the site has no
        # ghosts; and only those: files some build recorded as its own, inside the folder.
        keep = {rel for e in new_records.values() for rel in e.get("outputs", ())}
        for rel in sorted(state.owned - keep - state.corpus_owned):
            result.removed += _remove_output(inside, rel)

        # Corpus-level pages: rebuilt when what they list (the summaries) or the stylesheets change.
        ordered = [new_records[k] for k in sorted(new_records) if not new_records[k].get("failed")]
        # Packed: the personography entries are sent once each, and the corpus pages'
        # stylesheet gets them once each, however large the corpus.
        # (A summary naming a page by an id that is not a name is never passed on, even
        # from a manifest someone edited: the stylesheet would write that page.)
        summaries = [e["summary"] for e in ordered
                     if e.get("summary") and _safe_summary(e["summary"], "", []) is not None]
        base = _hash_bytes(f"{env.render_key} {env.convert_key} {formats}".encode())
        ck = hashlib.sha256(base.encode())
        for summary in summaries:  # entries appear by the hash of their content
            ck.update(summary.encode("utf-8") + b"\0")
        corpus_key = ck.hexdigest()
        old_corpus = manifest.get("corpus", {})
        corpus_outputs = sorted(state.corpus_owned)
        complete = all(_output_exists(inside, rel) for rel in _strings(old_corpus.get("outputs")))
        fresh = force or state.corpus_dirty
        if ordered and (fresh or old_corpus.get("key") != corpus_key or not complete):
            t0 = time.perf_counter()
            expected = _corpus_outputs(summaries, formats)
            pages = None  # all of them
            if not fresh and old_corpus.get("base") == base and complete:
                # Same stylesheets, same formats: only the pages that list a changed record.
                # The pages on disk are those of the manifest's records (not the journal's:
                # a killed build that began on the pages marked them all to be redone).
                pages = _changed_pages(manifest["records"], new_records)
                pages = {p for p in pages if f"html/{p}" in expected}
            # Recorded before a page is written, as the records' outputs are.
            _append(journal, _journal_line({"corpus": sorted(expected)}))
            try:
                tei_files = [root / f"tei/{e['id']}.xml" for e in ordered]
                written = workers.corpus(summaries, _used(shared, new_records),
                                         tei_files, root, formats, pages)
                result.corpus_pages = sum(not rel.startswith(_ASSETS) for rel in written)
                expected |= {rel for rel in written if rel.startswith(_ASSETS)}
                # A person or place no record names any more loses its page.
                for rel in sorted(state.corpus_owned - expected - keep):
                    result.removed += _remove_output(inside, rel)
                corpus_outputs = sorted(expected)
            except InputError as e:
                result.problems.append(e.problem)
                corpus_key = base = ""
            except Exception as e:  # noqa: BLE001
                result.problems.append(Problem(str(out), 0, 0, "error", "internal",
                                               f"corpus pages: {type(e).__name__}: {e}",
                                               "this is a bug in teipipe; please report it"))
                corpus_key = base = ""
            result.timings["corpus"] = time.perf_counter() - t0
        else:
            # Nothing written: the pages on disk are still those the manifest describes
            # (and, if a killed build had begun on them, all are to be written again).
            corpus_key = old_corpus.get("key", "")
            base = "" if state.corpus_dirty else old_corpus.get("base", "")

    for key in sorted(new_records):
        result.problems += [_problem_from_json(p) for p in new_records[key].get("problems", ())]

    manifest = {
        "version": MANIFEST_VERSION,
        "teipipe": __version__,
        "env": env_keys,
        "formats": list(formats),
        "records": {k: new_records[k] for k in sorted(new_records)},
        "shared": _used(shared, new_records),
        "corpus": {"key": corpus_key, "base": base, "outputs": sorted(corpus_outputs)},
    }
    # One line, so json's C encoder writes it: the manifest of 10,000 records is some MB.
    blob = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
    try:
        unchanged = manifest_path.read_bytes() == blob
    except OSError:
        unchanged = False
    if not unchanged:  # a rebuild with nothing to do writes nothing at all
        _write_atomic(manifest_path, blob)
    # The manifest now holds all the journal said (killed between the two lines, the
    # next build replays the journal onto the manifest and comes to the same records).
    try:
        journal.unlink()
    except FileNotFoundError:
        pass
    result.wall = time.perf_counter() - started
    return result


_PARENT_STAGES: dict[tuple[str, str, Settings], Stages] = {}


def _load_stages(factory: str, env: Environment) -> Stages:
    """Stages in the parent (for one record, or the corpus pages), built once per process."""
    key = (factory, str(env.xslt_dir), env.settings)
    if key not in _PARENT_STAGES:
        import importlib

        module, _, name = factory.partition(":")
        cls = getattr(importlib.import_module(module), name)
        _PARENT_STAGES[key] = _new_stages(cls, env.xslt_dir, env.settings)
    return _PARENT_STAGES[key]


class _Workers:
    """The worker pool of one build (or this process, when a pool would cost more).

    The pool also renders the corpus pages at the end, so the parent process
    never starts an XSLT engine of its own during a large build and stays small.
    """

    def __init__(self, n_tasks: int, jobs: int, env: Environment, factory: str):
        self.env, self.factory, self.pool = env, factory, None
        self._alive = None
        if jobs > 1 and n_tasks > 2:
            ctx = _pool_context()
            if ctx.get_start_method() == "forkserver":
                ctx.set_forkserver_preload(["lxml.etree", "pipeline.build", "pipeline.xmlsafe"])
            # Only this process holds the write end (pipes are not inherited): when it
            # dies, the workers read EOF and exit (see _follow_parent).
            self._alive = ctx.Pipe(duplex=False)
            self.pool = ctx.Pool(min(jobs, n_tasks), initializer=_init_worker,
                                 initargs=(factory, str(env.xslt_dir), self._alive[0],
                                           env.settings))

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            if exc[0] is None:
                self.pool.close()
            else:
                self.pool.terminate()
            self.pool.join()
        if self._alive is not None:
            for end in self._alive:
                end.close()

    def run(self, tasks: list[Task]) -> Iterator[dict]:
        """Stream the tasks through the workers, results in the order they finish."""
        if self.pool is None:
            stages = _load_stages(self.factory, self.env)
            return (process_record(stages, t) for t in tasks)
        return self.pool.imap_unordered(_process, tasks, chunksize=CHUNK)

    def corpus(self, packed: list[str], shared: dict[str, str], tei_files: list[Path],
               out: Path, formats: tuple[str, ...], pages: set[str] | None = None) -> list[str]:
        if self.pool is None:
            return _load_stages(self.factory, self.env).corpus(
                packed, tei_files, out, formats, shared, pages)
        written, problem = self.pool.apply(_corpus, (packed, shared, tei_files, out, formats,
                                                     pages))
        if problem is not None:
            raise InputError(_problem_from_json(problem))
        return written


def _corpus(packed: list[str], shared: dict[str, str], tei_files: list[Path], out: Path,
            formats: tuple[str, ...], pages: set[str] | None) -> tuple[list[str], list | None]:
    # An InputError does not survive pickling back to the parent: send its problem.
    assert _STAGES is not None, "worker not initialised"
    try:
        return _STAGES.corpus(packed, tei_files, out, formats, shared, pages), None
    except InputError as e:
        return [], _problem_to_json(e.problem)


def progress_bar(stream=None) -> Callable[[int, int], None]:  # noqa: ANN001
    """A one-line progress bar for a terminal (stderr, as it is when the bar is made)."""
    stream = stream or sys.stderr
    start = time.perf_counter()

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        rate = done / (time.perf_counter() - start + 1e-9)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} records"
                     f" {rate:.0f}/s ")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show
