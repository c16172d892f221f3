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
edit counts without a new version), the schema (revalidate), the stylesheets or
the rendering modules (re-render). The corpus pages (index, person and place pages, the
PDF book) are rebuilt when the summaries they list change.

Output layout::

    DIR/tei/<id>.xml     the TEI of every record
    DIR/html/            the site: index.html, one page per telegram, persons, places
    DIR/text/<id>.txt    plain-text reading editions
    DIR/pdf/<id>.pdf     one PDF per telegram, and the book of the corpus
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__, resources
from pipeline.errors import InputError, Problem
from pipeline.render.summary import MARK as _MARK
from pipeline.render.summary import pack_summary

FORMATS = ("html", "text", "pdf")
MANIFEST = ".teipipe-build.json"
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
    render_key: str  # the stylesheets

    @classmethod
    def current(cls, xslt_dir: Path | None = None) -> Environment:
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
        render = _hash_bytes((render + _hash_files(render_code, _PACKAGE)).encode())
        return cls(xslt, _hash_bytes(convert.encode()), schema, render)


_PACKAGE = Path(__file__).resolve().parent
#: The stage whose code only renders: a change to it re-renders from the current TEI
#: instead of converting again. The command line (cli/) changes no output.
_RENDER_STAGE = "render"


def _code_files() -> tuple[list[Path], list[Path]]:
    """The package's own sources, as (converting and validating, rendering)."""
    convert, render = [], []
    for p in sorted(_PACKAGE.rglob("*.py")):
        rel = p.relative_to(_PACKAGE)
        if rel.parts[0] == "cli" or rel.name == "__main__.py":
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

    def __init__(self, xslt_dir: Path | None = None):
        self.xslt_dir = xslt_dir
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

            self._renderer = _make_renderer(Renderer, self.xslt_dir)
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
        ``pages`` (relative to DIR/html/) limits the site pages written.
        """
        from pipeline.render.site import write_indexes

        written: list[str] = []
        if "html" in formats:
            done = write_indexes(self.renderer, summaries, out_dir / "html", shared=shared,
                                 pages=pages)
            written += [f"html/{rel}" for rel in done]
        if "pdf" in formats:
            from pipeline.files import inside

            target = inside(out_dir, "pdf/book.pdf")  # no link planted in the output
            self.renderer.book(tei_files, target)
            written.append("pdf/book.pdf")
        return written


def _doc_id(tree, name: str) -> str:  # noqa: ANN001
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return root.get("{http://www.w3.org/XML/1998/namespace}id") or Path(name).stem


def _make_renderer(cls, xslt_dir: Path | None):  # noqa: ANN001, ANN202
    return cls(xslt_dir) if xslt_dir is not None else cls()


# --- the worker side ---------------------------------------------------------

_STAGES: Stages | None = None


def _init_worker(factory: str, xslt_dir: str | None) -> None:
    """Pool initializer: build the stages once for the life of the worker."""
    global _STAGES
    module, _, name = factory.partition(":")
    import importlib

    cls = getattr(importlib.import_module(module), name)
    _STAGES = cls(Path(xslt_dir) if xslt_dir else None)
    _STAGES.warm()


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
    from pipeline.files import UnsafePath, inside
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
        try:
            targets = [(inside(out, rel), blob) for rel, blob in outputs]
        except UnsafePath as e:
            raise InputError(Problem(task.source, 0, 0, "error", "unsafe-path", str(e),
                                     "nothing was written for this record")) from None
        for target, blob in targets:
            _write_atomic(target, blob)
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
_CORPUS_INDEXES = ("index.html", "persons/index.html", "places/index.html")


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


def _load_manifest(path: Path) -> dict:
    try:
        m = json.loads(path.read_text(encoding="utf-8"))
        if m.get("version") == MANIFEST_VERSION:
            return m
    except (OSError, ValueError):
        pass
    return {"version": MANIFEST_VERSION, "env": {}, "records": {}, "corpus": {}}


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
) -> BuildResult:
    """Convert, validate and render ``sources`` into ``out_dir``; see the module docstring.

    ``jobs``: worker processes (default: every core). ``formats``: any of html, text,
    pdf. ``xslt_dir``: stylesheets to use instead of the project's. ``force``:
    ignore the manifest. ``progress(done, total)`` is called as records finish.
    Problems are collected in the result, never raised.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    formats = tuple(f for f in FORMATS if f in set(formats))
    jobs = max(1, jobs or os.cpu_count() or 1)
    result = BuildResult()
    files, missing = collect_sources(sources)
    result.problems += missing
    result.records = len(files)

    env = Environment.current(Path(xslt_dir) if xslt_dir else None)
    manifest_path = out / MANIFEST
    manifest = {"version": MANIFEST_VERSION, "env": {}, "records": {}, "corpus": {}} \
        if force else _load_manifest(manifest_path)
    old_env = manifest.get("env", {})
    same_convert = old_env.get("convert") == env.convert_key and \
        old_env.get("validate") == env.validate_key
    same_render = old_env.get("render") == env.render_key
    old_records: dict = manifest.get("records", {})
    old_shared: dict[str, str] = manifest.get("shared", {})
    shared: dict[str, str] = dict(old_shared)

    # Decide, per source, what is to be done.
    tasks: list[Task] = []
    new_records: dict[str, dict] = {}
    stamps: dict[str, list[int]] = {}
    out_s = str(out)
    for f in files:
        key = str(f)
        entry = old_records.get(key)
        h, stamp = _content_hash(f, entry)
        current = (entry is not None and entry.get("hash") == h and same_convert)
        if current and entry.get("failed"):
            new_records[key] = dict(entry, stat=stamp)  # same bad input: same report, no work
            continue
        if current and same_render and set(formats) <= set(entry.get("formats", ())) and \
                all(os.path.exists(os.path.join(out_s, rel)) for rel in entry.get("outputs", ())):
            new_records[key] = dict(entry, stat=stamp)
            continue
        tei_from = None
        if current and entry.get("id") and (out / f"tei/{entry['id']}.xml").exists():
            # Only the stylesheets (or the formats asked for) changed: render from the TEI.
            tei_from = str(out / f"tei/{entry['id']}.xml")
        tasks.append(Task(str(f), h, formats, str(out), tei_from))
        stamps[str(f)] = stamp

    result.reused = len(new_records)
    (out / "tei").mkdir(parents=True, exist_ok=True)
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
                entry.update(id=res["id"], outputs=res["outputs"],
                             summary=pack_summary(res["summary"], shared), formats=list(formats))
            else:
                entry["failed"] = True
                result.failed += 1
            new_records[res["source"]] = entry

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

        # Outputs of records that are gone (or now fail) are removed, so the site has no ghosts.
        keep = {rel for e in new_records.values() for rel in e.get("outputs", ())}
        for entry in old_records.values():
            for rel in entry.get("outputs", ()):
                if rel not in keep and (out / rel).exists():
                    (out / rel).unlink()
                    result.removed += 1

        # Corpus-level pages: rebuilt when what they list (the summaries) or the stylesheets change.
        ordered = [new_records[k] for k in sorted(new_records) if not new_records[k].get("failed")]
        # Packed: the personography entries are sent once each, and the corpus pages'
        # stylesheet gets them once each, however large the corpus.
        summaries = [e["summary"] for e in ordered if e.get("summary")]
        base = _hash_bytes(f"{env.render_key} {env.convert_key} {formats}".encode())
        ck = hashlib.sha256(base.encode())
        for summary in summaries:  # entries appear by the hash of their content
            ck.update(summary.encode("utf-8") + b"\0")
        corpus_key = ck.hexdigest()
        old_corpus = manifest.get("corpus", {})
        corpus_outputs = old_corpus.get("outputs", [])
        complete = all((out / rel).exists() for rel in corpus_outputs)
        if ordered and (old_corpus.get("key") != corpus_key or not complete):
            t0 = time.perf_counter()
            expected = _corpus_outputs(summaries, formats)
            pages = None  # all of them
            if old_corpus.get("base") == base and complete:
                # Same stylesheets, same formats: only the pages that list a changed record.
                pages = _changed_pages(old_records, new_records)
                pages = {p for p in pages if f"html/{p}" in expected}
            try:
                tei_files = [out / f"tei/{e['id']}.xml" for e in ordered]
                written = workers.corpus(summaries, _used(shared, new_records),
                                         tei_files, out, formats, pages)
                result.corpus_pages = len(written)
                # A person or place no record names any more loses its page.
                for rel in sorted(set(corpus_outputs) - set(expected)):
                    if (out / rel).exists():
                        (out / rel).unlink()
                        result.removed += 1
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

    for key in sorted(new_records):
        result.problems += [_problem_from_json(p) for p in new_records[key].get("problems", ())]

    manifest = {
        "version": MANIFEST_VERSION,
        "teipipe": __version__,
        "env": {"convert": env.convert_key, "validate": env.validate_key,
                "render": env.render_key},
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
    result.wall = time.perf_counter() - started
    return result


_PARENT_STAGES: dict[tuple[str, str], Stages] = {}


def _load_stages(factory: str, env: Environment) -> Stages:
    """Stages in the parent (for one record, or the corpus pages), built once per process."""
    key = (factory, str(env.xslt_dir))
    if key not in _PARENT_STAGES:
        import importlib

        module, _, name = factory.partition(":")
        cls = getattr(importlib.import_module(module), name)
        _PARENT_STAGES[key] = cls(env.xslt_dir)
    return _PARENT_STAGES[key]


class _Workers:
    """The worker pool of one build (or this process, when a pool would cost more).

    The pool also renders the corpus pages at the end, so the parent process
    never starts an XSLT engine of its own during a large build and stays small.
    """

    def __init__(self, n_tasks: int, jobs: int, env: Environment, factory: str):
        self.env, self.factory, self.pool = env, factory, None
        if jobs > 1 and n_tasks > 2:
            ctx = _pool_context()
            if ctx.get_start_method() == "forkserver":
                ctx.set_forkserver_preload(["lxml.etree", "pipeline.build", "pipeline.xmlsafe"])
            self.pool = ctx.Pool(min(jobs, n_tasks), initializer=_init_worker,
                                 initargs=(factory, str(env.xslt_dir)))

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            if exc[0] is None:
                self.pool.close()
            else:
                self.pool.terminate()
            self.pool.join()

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
