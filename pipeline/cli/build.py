"""``teipipe build``: convert, validate and render a corpus in one go."""

from __future__ import annotations

import sys

import click

from pipeline.build import FORMATS, build, progress_bar
from pipeline.cli.settings_options import edition_settings, settings_options
from pipeline.errors import InputError


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [n for n in names if n not in FORMATS]
    if bad or not names:
        raise click.BadParameter(f"{', '.join(bad) or 'nothing'} is not one of "
                                 f"{', '.join(FORMATS)}")
    return names


@click.command("build")
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Output folder (tei/, html/, text/, pdf/ are made inside).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: every core).")
@click.option("--formats", default=",".join(FORMATS), show_default=True, callback=_formats,
              help="Editions to render, comma-separated: html, text, pdf.")
@click.option("--xslt", "xslt_dir", type=click.Path(exists=True, file_okay=False),
              default=None, help="Use the stylesheets in this folder instead of the project's.")
@click.option("--force", is_flag=True, help="Rebuild everything, ignoring what is current.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar (default: when stderr is a terminal).")
@click.option("--wait", is_flag=True,
              help="When another build is writing into OUT, wait for it instead of failing.")
@click.option("--search/--no-search", default=True, show_default=True,
              help="With html: write the full-text search index (Pagefind) into OUT/html/pagefind.")
@settings_options()
def command(sources: tuple[str, ...], out_dir: str, jobs: int | None,
            formats: tuple[str, ...], xslt_dir: str | None, force: bool,
            progress: bool | None, wait: bool, search: bool) -> None:
    """Convert, validate and render SOURCES (record files, TEI files, folders) into OUT.

    \b
    Examples:
      teipipe build seeds/ -o site/                    # everything, every core
      teipipe build seeds/ extra/*.txt -o site/ -j 2   # two worker processes
      teipipe build seeds/ -o site/ --formats html,text
      teipipe build tei/ -o site/                      # TEI files are taken as they are

    Rebuilds are incremental: only records whose source changed, or whose
    personography, schema or stylesheets changed, are processed again, and the
    index pages that list them are redone. Problems in single records are
    reported at the end (file:line: ...) and the build goes on; the exit status
    is 1 when any record had an error.

    One build at a time writes into OUT: a second one fails at once with a
    message (or waits, with --wait). A build that was killed leaves what it
    finished; the next one keeps it, does the rest and cleans up after it.
    """
    show = sys.stderr.isatty() if progress is None else progress
    try:
        result = build(sources, out_dir, jobs=jobs, formats=formats, xslt_dir=xslt_dir,
                       force=force, progress=progress_bar() if show else None, wait=wait,
                       search=search, settings=edition_settings())
    except InputError as e:  # another build holds OUT, or OUT cannot be written
        click.echo(e.problem.format(), err=True)
        sys.exit(1)
    for p in result.problems:
        click.echo(p.format(), err=True)
    click.echo(result.line(), err=True)
    if result.errors:
        sys.exit(1)
