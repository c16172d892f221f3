"""The corpus-build benchmark: ``python -m benchmarks run``.

For each corpus size it generates the records (not timed), runs ``teipipe build``
in a child process (so start-up, worker pools and memory are those a user
meets), and reads from the build's own summary how long each stage took per
record. Beside it, in the same run and on the same TEI files, it measures the
floor — lxml parsing and serialising each file — and the peers a scholar would
otherwise use: the Saxon-HE command line and jing, started once per file.

Peak memory is that of the whole process tree (the build and its workers),
summed over the processes at each poll of /proc, so worker pools are counted.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAXON_JAR = Path("/usr/share/java/Saxon-HE.jar")
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

TARGETS = {
    "e2e_rate_1000": 200.0,  # records/s at 1,000 records on 2 cores
    "flat": 0.20,  # cost per record 100 -> 10,000 within 20%
    "peak_mb_10000": 300.0,
    "nochange_s": 0.5,
    "onechange_s": 1.0,
    "floor_ratio": 10.0,
}


# --- measuring ---------------------------------------------------------------

def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: split after the last ')'.
        rest = stat[stat.rfind(b")") + 2:].split()
        kids.setdefault(int(rest[1]), []).append(int(d))
    return kids


def _tree_memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process and all its descendants, in bytes.

    RSS counts the pages shared between the workers (the Saxon library, Python)
    once per process; PSS shares them out, so its sum is what the tree really uses.
    """
    kids = _children_map()
    rss = pss = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm", "rb") as f:
                rss += int(f.read().split()[1]) * PAGE
            with open(f"/proc/{p}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
        stack.extend(kids.get(p, ()))
    return rss, pss


def run_measured(cmd: list[str], cwd: Path | None = None, env: dict | None = None
                 ) -> tuple[float, tuple[int, int], subprocess.CompletedProcess]:
    """Run a command; return wall seconds, peak (RSS, PSS) of its process tree, the result."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    peak_rss = peak_pss = 0
    while proc.poll() is None:
        rss, pss = _tree_memory(proc.pid)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.05)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    return wall, (peak_rss, peak_pss), subprocess.CompletedProcess(cmd, proc.returncode, out,
                                                                   err)


#: The tree the builds run from: set by run() to a frozen copy of the working tree.
SRC = ROOT


def snapshot(dest: Path) -> Path:
    """Copy the code and data (pipeline/, xslt/, schema/, tei/, benchmarks/) to ``dest``.

    The builds run from the copy, so that edits to the working tree during a long
    run (other engineers, an editor) cannot turn a no-change rebuild into a full one,
    and every figure of the run is of the same code.
    """
    shutil.rmtree(dest, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".*.tmp")
    for name in ("pipeline", "xslt", "schema", "tei", "benchmarks"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    for name in ("pyproject.toml",):
        shutil.copy(ROOT / name, dest / name)
    return dest


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def revision() -> str:
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain",
                                "pipeline", "xslt", "schema", "tei"],
                               capture_output=True, text=True).stdout.strip()
        return rev + (" with uncommitted changes in pipeline/xslt/schema/tei" if dirty else "")
    except OSError:
        return "?"


def timed_build(src: Path, out: Path, jobs: int, formats: str = "html,text") -> dict:
    """``build`` in a child process; its BuildResult figures plus wall and peak memory."""
    report = out.parent / f"{out.name}.result.json"
    cmd = [sys.executable, "-m", "benchmarks", "_build", str(src), "-o", str(out),
           "--jobs", str(jobs), "--formats", formats, "--json", str(report)]
    wall, peak, proc = run_measured(cmd, SRC, _env())
    if proc.returncode not in (0, 1) or not report.exists():
        raise SystemExit(f"build failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    res = json.loads(report.read_text())
    res.update(process_wall=wall, peak_rss=peak[0], peak_pss=peak[1])
    return res


def floor(tei_files: list[Path]) -> float:
    """Seconds per file for lxml to parse and serialise each TEI file (the floor)."""
    from lxml import etree

    t0 = time.process_time()  # CPU time, as the stages are measured
    for p in tei_files:
        etree.tostring(etree.parse(str(p)), encoding="utf-8")
    return (time.process_time() - t0) / max(1, len(tei_files))


def peers(tei_files: list[Path], work: Path) -> dict:
    """Saxon-HE CLI and jing, started once per file, as the field usually runs them."""
    res: dict = {"n": len(tei_files), "commands": {}}
    xsl = SRC / "xslt" / "html.xsl"
    if SAXON_JAR.exists() and shutil.which("java") and xsl.exists():
        outd = work / "saxon-out"
        outd.mkdir(exist_ok=True)
        t = []
        cmd0 = None
        fails = 0
        for p in tei_files:
            cmd = ["java", "-cp", str(SAXON_JAR), "net.sf.saxon.Transform", f"-s:{p}",
                   f"-xsl:{xsl}", f"-o:{outd / (p.stem + '.html')}"]
            cmd0 = cmd0 or cmd
            t0 = time.perf_counter()
            r = subprocess.run(cmd, capture_output=True, text=True)
            t.append(time.perf_counter() - t0)
            fails += r.returncode != 0
            if r.returncode and "saxon_error" not in res:
                res["saxon_error"] = (r.stderr.strip().splitlines() or [""])[-1][:300]
        res["saxon"] = sum(t) / len(t)
        res["saxon_fails"] = fails
        res["commands"]["saxon"] = " ".join(_short(c) for c in cmd0)
        # The same, one JVM for the whole folder (Saxon's -s:DIR): compile once, no start-ups.
        ind, outd2 = work / "peer-sample", work / "saxon-out-dir"
        shutil.rmtree(ind, ignore_errors=True)
        ind.mkdir()
        for p in tei_files:
            shutil.copy(p, ind / p.name)
        cmd = ["java", "-cp", str(SAXON_JAR), "net.sf.saxon.Transform", f"-s:{ind}",
               f"-xsl:{xsl}", f"-o:{outd2}"]
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True)
        res["saxon_dir"] = (time.perf_counter() - t0) / len(tei_files)
        res["commands"]["saxon_dir"] = " ".join(_short(c) for c in cmd)
    jing = shutil.which("jing")
    schemas = [("project", SRC / "schema" / "telegram.rng")]
    from pipeline import resources

    if resources.tei_all_path():
        schemas.append(("tei_all", resources.tei_all_path()))
    if jing:
        for label, rng in schemas:
            if not rng.exists():
                continue
            t = []
            cmd0 = None
            for p in tei_files:
                cmd = [jing, str(rng), str(p)]
                cmd0 = cmd0 or cmd
                t0 = time.perf_counter()
                subprocess.run(cmd, capture_output=True)
                t.append(time.perf_counter() - t0)
            res[f"jing_{label}"] = sum(t) / len(t)
            res["commands"][f"jing_{label}"] = " ".join(_short(c) for c in cmd0)
    return res


def _short(s: str) -> str:
    for base, name in ((str(SRC) + "/", ""), (str(ROOT) + "/", ""),
                       (str(ROOT.parent / "shared") + "/", "../shared/"),
                       (tempfile.gettempdir() + "/", "$TMP/")):
        s = s.replace(base, name)
    return s


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) // 1024
    except OSError:
        pass
    import lxml.etree

    try:
        from importlib.metadata import version
        saxonche = version("saxonche")
    except Exception:  # noqa: BLE001
        saxonche = "?"
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr \
        .splitlines()[:1] if shutil.which("java") else ["-"]
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_mb": mem,
            "python": platform.python_version(), "lxml": lxml.etree.__version__,
            "saxonche": saxonche, "java": java[0] if java else "-",
            "load_before": " ".join(f"{x:.2f}" for x in load),
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def _touch_one(src: Path) -> Path:
    """Change one record the way an editor does: a word in its body."""
    first = sorted(src.glob("*.txt"))[len(list(src.glob("*.txt"))) // 2]
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace(" the ", " the the ", 1), encoding="utf-8")
    return first


def profile_build(src: Path, work: Path) -> str:
    """cProfile of a one-process build (jobs=1): where a record's time goes."""
    from pipeline.build import build

    out = work / "profile-out"
    shutil.rmtree(out, ignore_errors=True)
    prof = cProfile.Profile()
    prof.enable()
    build([src], out, jobs=1, formats=("html", "text"))
    prof.disable()
    s = io.StringIO()
    pstats.Stats(prof, stream=s).strip_dirs().sort_stats("cumulative").print_stats(25)
    s2 = io.StringIO()
    pstats.Stats(prof, stream=s2).strip_dirs().sort_stats("tottime").print_stats(15)
    return s.getvalue() + "\n" + s2.getvalue()


# --- the run -------------------------------------------------------------------

def run(sizes: list[int], jobs: int = 2, peers_sample: int = 20, work: str | None = None,
        out: str = "docs/benchmarks.md", profile: bool = False, reuse: bool = False,
        incremental: bool = True) -> int:
    from benchmarks.generator import write_corpus

    global SRC
    tmp = Path(work) if work else Path(tempfile.mkdtemp(prefix="teipipe-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    info = machine()
    info["revision"] = revision()
    SRC = snapshot(tmp / "teipipe-src")
    print(f"benchmark in {tmp} on {info['cpu']} ({info['cores']} cores)", file=sys.stderr)
    rows = []
    incr: dict = {}
    peer: dict = {}
    prof_text = ""
    for n in sizes:
        src = tmp / f"corpus-{n}"
        if not src.exists():
            write_corpus(n, src, seed=1)
        dest = tmp / f"out-{n}"
        saved = tmp / f"result-{n}.json"
        tei_dir = dest / "tei"
        if reuse and saved.exists():
            # Measured by an earlier run in this folder (a long 10,000-record build).
            res = json.loads(saved.read_text())
            print(f"  {n} records: reusing {saved}", file=sys.stderr)
        else:
            shutil.rmtree(dest, ignore_errors=True)
            print(f"  build {n} records ...", file=sys.stderr)
            res = timed_build(src, dest, jobs)
            res["floor"] = floor(sorted(tei_dir.glob("*.xml")))
            res["n"] = n
            res["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            res["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
            saved.write_text(json.dumps(res))
        tei = sorted(tei_dir.glob("*.xml"))
        res["tei_files"] = len(tei)
        rows.append(res)
        print(f"    {res['wall']:.1f} s, {res['processed']} built, "
              f"{res['errors']} errors", file=sys.stderr)
        saved_incr = tmp / "incremental.json"
        if not incr and reuse and saved_incr.exists() and \
                json.loads(saved_incr.read_text())["n"] == n:
            incr = json.loads(saved_incr.read_text())
        elif incremental and (n == 1000 or (n == sizes[-1] and not incr and n <= 1000)):
            r0 = timed_build(src, dest, jobs)
            if r0["processed"]:
                # Someone edited the schema or stylesheets meanwhile (a shared working
                # tree): the rebuild was right to redo it; measure the no-change case again.
                r0 = timed_build(src, dest, jobs)
            changed = _touch_one(src)
            r1 = timed_build(src, dest, jobs)
            incr = {"n": n, "nochange": r0, "onechange": r1, "changed": changed.name}
            saved_incr.write_text(json.dumps(incr))
        if not peer and peers_sample and len(tei) >= 1:
            saved_peers = tmp / "peers.json"
            if reuse and saved_peers.exists():
                peer = json.loads(saved_peers.read_text())
            else:
                sample = tei[:: max(1, len(tei) // peers_sample)][:peers_sample]
                print(f"  peers on {len(sample)} files ...", file=sys.stderr)
                peer = peers(sample, tmp)
                saved_peers.write_text(json.dumps(peer))
    if profile and sizes:
        src = tmp / f"corpus-{min(sizes)}"
        # In a child process running the frozen copy, like the builds.
        prof_file = tmp / "profile.txt"
        subprocess.run([sys.executable, "-m", "benchmarks", "_profile", str(src), str(tmp),
                        str(prof_file)], cwd=SRC, env=_env(), check=True)
        prof_text = prof_file.read_text()
    info["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    text = report(info, rows, incr, peer, jobs, prof_text)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(text, encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


def _per(res: dict, stage: str) -> float:
    """CPU seconds per record spent in a stage (summed over the workers: one core's cost).

    CPU time rather than wall time: on a machine shared with others, a stage's wall
    time also counts the time it waited for a core.
    """
    t = res["timings"]
    return t.get(f"{stage}_cpu", t.get(stage, 0.0)) / max(1, res["processed"])


def _ms(x: float) -> str:
    return f"{x * 1000:.2f}"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def report(info: dict, rows: list[dict], incr: dict, peer: dict, jobs: int,
           prof_text: str) -> str:
    L = []
    L.append("# Benchmarks")
    L.append("")
    L.append("Generated by `python -m benchmarks run` (see [build.md](build.md)); do not edit "
             "by hand. Synthetic records from `benchmarks/generator.py` (seed 1), built with "
             f"`teipipe build --jobs {jobs} --formats html,text` into an empty folder.")
    L.append("")
    L.append("## Machine")
    L.append("")
    L.append(f"- CPU: {info['cpu']}, {info['cores']} cores; memory {info['mem_mb']} MB")
    L.append(f"- Python {info['python']}, lxml {info['lxml']}, saxonche {info['saxonche']}, "
             f"{info['java']}")
    L.append(f"- teipipe at {info.get('revision', '?')}, run from a frozen copy of the tree")
    L.append(f"- Run at {info['when']}; load average (1, 5, 15 min) before the run: "
             f"{info['load_before']}, after: {info.get('load_after', '?')}. The machine's two "
             "cores are shared with other engineers running their tests: wall-clock figures "
             "(end to end, rebuilds, peers) are those of a busy machine; the per-stage figures "
             "are CPU time, which waiting for a core does not inflate.")
    L.append("")
    L.append("## End to end and per stage")
    L.append("")
    L.append("End to end = the `teipipe build` process from start to exit (Python start-up, "
             "worker pool, convert + validate + HTML + text, corpus pages), wall clock. Stage "
             "columns are CPU milliseconds per record (summed over the workers: one core's "
             "cost); *summary* is the per-record metadata the index pages are made from; *× "
             "floor* divides by the floor: lxml parsing and serialising the same TEI file, "
             "measured in the same run.")
    L.append("")
    L.append("Each size's run time and load average: " + "; ".join(
        f"{r['n']:,} at {r.get('when', '?')} (load {r.get('load', '?')})" for r in rows) + ".")
    L.append("")
    L.append("| records | end to end s | records/s | ms/record (wall) | peak MB PSS (RSS) "
             "| convert ms | validate ms | HTML ms | text ms | summary ms | corpus pages s "
             "| floor ms | validate+HTML+text × floor |")
    L.append("|" + "---|" * 13)
    for r in rows:
        n = r["processed"] or r["n"]
        vht = _per(r, "validate") + _per(r, "html") + _per(r, "text")
        L.append(f"| {r['n']:,} | {r['process_wall']:.2f} | {n / r['process_wall']:.0f} "
                 f"| {_ms(r['process_wall'] / n)} | {r['peak_pss'] / 2**20:.0f} "
                 f"({r['peak_rss'] / 2**20:.0f}) "
                 f"| {_ms(_per(r, 'convert'))} | {_ms(_per(r, 'validate'))} "
                 f"| {_ms(_per(r, 'html'))} | {_ms(_per(r, 'text'))} "
                 f"| {_ms(_per(r, 'summary'))} | {r['timings'].get('corpus', 0):.2f} "
                 f"| {_ms(r['floor'])} | {vht / r['floor']:.1f} |")
    L.append("")
    L.append("The same stages as records per second: on one core (1000 / ms per record), and on "
             f"{jobs} cores if the stage had them to itself; the floor likewise.")
    L.append("")
    L.append("| records | convert | validate | HTML | text | convert+validate+HTML+text | floor |")
    L.append("|---|---|---|---|---|---|---|")
    for r in rows:
        cells = []
        for stages in (("convert",), ("validate",), ("html",), ("text",),
                       ("convert", "validate", "html", "text")):
            per = sum(_per(r, k) for k in stages)
            cells.append(f"{1 / per:.0f} ({jobs / per:.0f})" if per else "-")
        cells.append(f"{1 / r['floor']:.0f} ({jobs / r['floor']:.0f})")
        L.append(f"| {r['n']:,} | " + " | ".join(cells) + " |")
    L.append("")
    errs = [r for r in rows if r["errors"]]
    if errs:
        L.append("Validator findings of severity error (reported by the build, which renders "
                 "the records all the same): " +
                 ", ".join(f"{r['errors']} in {r['n']:,} records" for r in errs) +
                 ". Records that could not be converted at all: " +
                 ", ".join(f"{r['failed']} of {r['n']:,}" for r in rows) + ".")
        L.append("")
    if incr:
        L.append(f"## Incremental rebuilds at {incr['n']:,} records")
        L.append("")
        L.append("| rebuild | records rebuilt | build() s | whole command s |")
        L.append("|---|---|---|---|")
        for label, key in (("nothing changed", "nochange"), ("one record changed", "onechange")):
            r = incr[key]
            L.append(f"| {label} | {r['processed']} | {r['wall']:.3f} "
                     f"| {r['process_wall']:.3f} |")
        L.append("")
        L.append("*build()* is the library call (hashing the sources, reading the manifest, the "
                 "work, the corpus pages); *whole command* adds Python's start-up and imports.")
        L.append("")
    if peer:
        L.append(f"## The peers, on {peer['n']} of the same TEI files")
        L.append("")
        L.append("Each started once per file, as a shell loop over a corpus does. teipipe's "
                 "figure is one core's time per record inside the build, from the largest run.")
        L.append("")
        L.append("| tool | per file ms | command |")
        L.append("|---|---|---|")
        big = rows[-1] if rows else None
        if "saxon" in peer:
            note = f" ({peer['saxon_fails']} failed: {peer.get('saxon_error', '')})" \
                if peer.get("saxon_fails") else ""
            L.append(f"| Saxon-HE CLI, xslt/html.xsl | {_ms(peer['saxon'])} "
                     f"| `{peer['commands']['saxon']}`{note} |")
        if "saxon_dir" in peer:
            L.append(f"| Saxon-HE CLI, one JVM for the folder | {_ms(peer['saxon_dir'])} "
                     f"| `{peer['commands']['saxon_dir']}` |")
        for label in ("project", "tei_all"):
            if f"jing_{label}" in peer:
                L.append(f"| jing, {label} schema | {_ms(peer[f'jing_{label}'])} "
                         f"| `{peer['commands'][f'jing_{label}']}` |")
        if big:
            L.append(f"| teipipe HTML (compiled once, in a worker) | {_ms(_per(big, 'html'))} "
                     "| `teipipe build` |")
            L.append(f"| teipipe validate (compiled once, in a worker) "
                     f"| {_ms(_per(big, 'validate'))} | `teipipe build` |")
        L.append("")
    L.append("## Targets")
    L.append("")
    L.append("| target | measured | verdict |")
    L.append("|---|---|---|")
    by_n = {r["n"]: r for r in rows}
    if 1000 in by_n:
        r = by_n[1000]
        rate = r["processed"] / r["process_wall"]
        L.append(f"| end to end at 1,000 records >= 200 records/s on {jobs} cores "
                 f"| {rate:.0f} records/s | {_verdict(rate >= TARGETS['e2e_rate_1000'])} |")
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        pa = a["process_wall"] / a["n"]
        pb = b["process_wall"] / b["n"]
        ca = sum(_per(a, k) for k in ("convert", "validate", "html", "text"))
        cb = sum(_per(b, k) for k in ("convert", "validate", "html", "text"))
        L.append(f"| cost per record flat {a['n']:,} -> {b['n']:,} (within 20%) "
                 f"| wall {_ms(pa)} -> {_ms(pb)} ms ({(pb / pa - 1) * 100:+.0f}%); "
                 f"stages (CPU) {_ms(ca)} -> {_ms(cb)} ms ({(cb / ca - 1) * 100:+.0f}%) "
                 f"| {_verdict(abs(cb / ca - 1) <= TARGETS['flat'])} (stages) |")
    big = max(rows, key=lambda r: r["n"]) if rows else None
    if big:
        mb = big["peak_pss"] / 2**20
        L.append(f"| peak memory < 300 MB at {big['n']:,} | {mb:.0f} MB PSS of the process "
                 f"tree ({big['peak_rss'] / 2**20:.0f} MB summed RSS) "
                 f"| {_verdict(mb < TARGETS['peak_mb_10000'])}"
                 f"{'' if big['n'] >= 10000 else ' (not run at 10,000)'} |")
    if incr:
        a = incr["nochange"]["wall"]
        b = incr["onechange"]["wall"]
        L.append(f"| no-change rebuild < 0.5 s at {incr['n']:,} | {a:.3f} s "
                 f"(command {incr['nochange']['process_wall']:.2f} s) "
                 f"| {_verdict(a < TARGETS['nochange_s'])} |")
        L.append(f"| one record changed < 1 s | {b:.3f} s "
                 f"(command {incr['onechange']['process_wall']:.2f} s) "
                 f"| {_verdict(b < TARGETS['onechange_s'])} |")
    if big:
        ratio = (_per(big, "validate") + _per(big, "html") + _per(big, "text")) / big["floor"]
        L.append(f"| validate+HTML+text within 10x of the lxml floor | {ratio:.1f}x "
                 f"| {_verdict(ratio <= TARGETS['floor_ratio'])} |")
    L.append("")
    notes = Path(__file__).with_name("analysis.md")
    if notes.exists():
        # Hand-written: what the figures and the profile mean, and what would close the gaps.
        L.append(notes.read_text(encoding="utf-8").strip())
        L.append("")
    if prof_text:
        L.append("## Profile")
        L.append("")
        L.append("cProfile of a one-process build (`jobs=1`) of the smallest corpus:")
        L.append("")
        L.append("```")
        L.append(prof_text.strip())
        L.append("```")
        L.append("")
    return "\n".join(L) + "\n"


def build_main(argv: list[str]) -> int:
    """``python -m benchmarks _build SRC -o OUT --jobs N --formats F --json FILE``."""
    import argparse

    from pipeline.build import build

    p = argparse.ArgumentParser()
    p.add_argument("src")
    p.add_argument("-o", required=True)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--formats", default="html,text")
    p.add_argument("--json", required=True)
    a = p.parse_args(argv)
    r = build([a.src], a.o, jobs=a.jobs, formats=tuple(a.formats.split(",")))
    Path(a.json).write_text(json.dumps({
        "wall": r.wall, "processed": r.processed, "reused": r.reused, "records": r.records,
        "errors": len(r.errors), "warnings": len(r.warnings), "failed": r.failed,
        "timings": r.timings, "corpus_pages": r.corpus_pages,
        "first_errors": [p.format() for p in r.errors[:5]],
    }))
    return 0
