"""``teipipe render``: TEI files -> reading editions (HTML site, plain text, PDF)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from pipeline import xmlsafe
from pipeline.cli.settings_options import edition_settings, settings_options
from pipeline.errors import InputError, Problem, internal
from pipeline.files import UnsafePath, inside, write_atomic
from pipeline.render import TEI_NS, Renderer, output_id

FORMATS = ("html", "text", "pdf")


def tei_files(paths: tuple[Path, ...]) -> list[Path]:
    """The .xml files given, folders searched (not recursively), in a stable order."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found += sorted(q for q in p.glob("*.xml") if q.is_file())
        else:
            found.append(p)
    seen: set[Path] = set()
    return [f for f in found if not (f.resolve() in seen or seen.add(f.resolve()))]


def _formats(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in values:
        for f in v.split(","):
            f = f.strip().lower()
            if not f:
                continue
            if f not in FORMATS:
                raise click.BadParameter(f"{f!r} is not one of {', '.join(FORMATS)}",
                                         param_hint="--to")
            if f not in out:
                out.append(f)
    return out or ["html"]


@click.command("render")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-t", "--to", "to", multiple=True, default=("html",), show_default=True,
              help="Output format: html, text or pdf; repeat or comma-separate for several.")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for the editions (html/, text/, pdf/ inside; created if missing).")
@click.option("--width", default=78, show_default=True, type=click.IntRange(min=20),
              help="Line width of the text edition.")
@click.option("--diplomatic", is_flag=True,
              help="Text edition reproduces the source body (brackets restored) instead.")
@click.option("--book/--no-book", default=True, show_default=True,
              help="With pdf: also the whole corpus as one book (pdf/book.pdf).")
@click.option("--xslt", "xslt_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of customised stylesheets to use instead of the project's.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary.")
@settings_options()
def command(sources: tuple[Path, ...], to: tuple[str, ...], out_dir: Path, width: int,
            diplomatic: bool, book: bool, xslt_dir: Path | None, quiet: bool) -> None:
    """Render TEI files (or folders of them) as reading editions.

    \b
    html  a static site: OUT/html/index.html (filterable, sortable list),
          one page per telegram, persons/ and places/ pages, the TEI files
    text  OUT/text/<id>.txt, wrapped at --width, notes as endnotes
    pdf   OUT/pdf/<id>.pdf per telegram and OUT/pdf/book.pdf for the corpus

    \b
    Examples:
      teipipe render --to html tei/ -o out/          # then open out/html/index.html
      teipipe render --to html,text,pdf tei/ -o out/
      teipipe render --to text --width 72 tei/wcda-113640.xml -o out/
      teipipe render --to text --diplomatic tei/ -o out/
      teipipe render --to html --xslt my-xslt/ tei/ -o out/

    A file that cannot be read is reported (file:line:col: error [code] message
    (hint)) and the batch goes on. Exit status: 0 all rendered, 1 a file failed,
    2 usage error.
    """
    formats = _formats(to)
    missing = [s for s in sources if not s.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {missing[0]}")
    files = tei_files(sources)
    if not files:
        raise click.UsageError("no .xml files found in the given paths")
    renderer = Renderer(xslt_dir, settings=edition_settings())
    # Compile up front, once: the per-document times printed at the end are then the
    # documents' own cost.
    roles = {"html": ("html", "summary", "site"), "text": ("diplomatic" if diplomatic else "text",),
             "pdf": ("print",)}
    try:
        for fmt in formats:
            for role in roles[fmt]:
                renderer.executable(role)
    except InputError as e:
        click.echo(e.problem.format(), err=True)
        sys.exit(2)
    failed: list[Problem] = []
    owners: dict[str, str] = {}
    done: list[tuple[Path, object]] = []
    summaries = []
    timings = {f: 0.0 for f in formats}
    for path in files:
        try:
            tree = xmlsafe.parse(path)
            root = tree.getroot()
            if root.tag not in (f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus"):
                raise InputError(Problem(str(path), 1, 1, "error", "not-tei",
                                         f"the root element is {root.tag}, not TEI",
                                         "give TEI P5 files (namespace http://www.tei-c.org/ns/1.0)"))
            if root.find(f".//{{{TEI_NS}}}text") is None:
                if not quiet:
                    click.echo(f"{path}: skipped (no text: an authority file?)", err=True)
                continue
            # The id names the output files: checked, and owned by one document only.
            ident = output_id(tree, str(path), formats)
            if ident in owners:
                raise InputError(Problem(str(path), root.sourceline or 1, 0, "error",
                                         "duplicate-id",
                                         f"gives the id \"{ident}\", as does {owners[ident]}; "
                                         "its outputs would overwrite that file's",
                                         "two documents cannot share an id; rename one"))
            owners[ident] = str(path)
            outputs: list[tuple[Path, bytes]] = []
            if "html" in formats:
                t0 = time.perf_counter()
                outputs.append((Path("html") / f"{ident}.html",
                                renderer.html(tree, name=str(path)).encode("utf-8")))
                outputs.append((Path("html") / "tei" / f"{ident}.xml", xmlsafe.read(path)))
                summary = renderer.summary(tree, name=str(path), file=f"{ident}.xml")
                timings["html"] += time.perf_counter() - t0
            if "text" in formats:
                t0 = time.perf_counter()
                txt = renderer.text(tree, diplomatic=diplomatic, width=width, name=str(path))
                outputs.append((Path("text") / f"{ident}.txt", txt.encode("utf-8")))
                timings["text"] += time.perf_counter() - t0
            if "pdf" in formats:
                t0 = time.perf_counter()
                pdf = renderer.pdf(tree, name=str(path))
                outputs.append((Path("pdf") / f"{ident}.pdf", pdf))
                timings["pdf"] += time.perf_counter() - t0
            try:
                targets = [(inside(out_dir, rel), data) for rel, data in outputs]
            except UnsafePath as e:
                raise InputError(Problem(str(path), 0, 0, "error", "unsafe-path", str(e),
                                         "nothing was written for this file")) from None
            # Everything for this file rendered: only now written, each file whole.
            for target, data in targets:
                write_atomic(target, data)
            if "html" in formats:
                summaries.append(summary)
            done.append((path, ident))
            if not quiet:
                written = ", ".join(str(t) for t, _ in outputs if t.suffix != ".xml")
                click.echo(f"{path} -> {written}")
        except InputError as e:
            failed.append(e.problem)
            click.echo(e.problem.format(), err=True)
        except Exception as e:  # noqa: BLE001 - one file must not stop the batch's report
            failed.append(internal(path, e))
            click.echo(failed[-1].format(), err=True)
    extra = []
    if "html" in formats and summaries:
        try:
            notes: list[Problem] = []
            pages = renderer.site(summaries, out_dir / "html", problems=notes)
            for p in notes:
                click.echo(p.format(), err=True)
            extra.append(f"{len(pages)} index pages")
        except InputError as e:
            failed.append(e.problem)
            click.echo(e.problem.format(), err=True)
        except Exception as e:  # noqa: BLE001
            failed.append(internal(out_dir / "html", e))
            click.echo(failed[-1].format(), err=True)
    if "pdf" in formats and book and done:
        t0 = time.perf_counter()
        try:
            renderer.book([p for p, _ in done], inside(out_dir, "pdf/book.pdf"))
            extra.append(f"book.pdf ({time.perf_counter() - t0:.1f} s)")
        except InputError as e:
            failed.append(e.problem)
            click.echo(e.problem.format(), err=True)
        except UnsafePath as e:
            failed.append(Problem(str(out_dir), 0, 0, "error", "unsafe-path", str(e),
                                  "the book was not written"))
            click.echo(failed[-1].format(), err=True)
        except Exception as e:  # noqa: BLE001
            failed.append(internal(out_dir / "pdf" / "book.pdf", e))
            click.echo(failed[-1].format(), err=True)
    n = len(done)
    per = ", ".join(f"{f} {timings[f] / n * 1000:.0f} ms/doc" for f in formats) if n else ""
    line = f"rendered {n} document{'s' if n != 1 else ''} as {', '.join(formats)}"
    if extra:
        line += "; " + ", ".join(extra)
    if per:
        line += f" ({per})"
    if failed:
        line += f"; {len(failed)} failed"
    click.echo(line)
    sys.exit(1 if failed else 0)
