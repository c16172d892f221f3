"""``teipipe serve``: build, serve on localhost, rebuild on every save and reload the page."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from pipeline.build import BuildResult
from pipeline.cli.build import _formats
from pipeline.cli.options import cannot_write, check_output_folder, output_option, quiet_verbose
from pipeline.errors import InputError
from pipeline.serve import serve


def _short(paths: list[str]) -> str:
    here = os.getcwd() + os.sep
    paths = [p[len(here):] if p.startswith(here) else p for p in paths]
    shown = ", ".join(paths[:3])
    return shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def _report(result: BuildResult, changed: list[str]) -> None:
    if changed:
        click.echo(f"{time.strftime('%H:%M:%S')} changed: {_short(changed)}", err=True)
    # As `teipipe build` prints them: file:line: severity [code] message (hint).
    for p in result.problems:
        click.echo(p.format(), err=True)
    click.echo(result.line(), err=True)


@click.command("serve")
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@output_option("Output folder, built as `teipipe build` builds it, and served.",
               old=("--out",))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only this machine can connect to the default.")
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on; 0 picks a free one (the URL is printed).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for builds of many records (default: every core).")
@click.option("--formats", default="html", show_default=True, callback=_formats,
              help="Editions to keep current, comma-separated: html, text, pdf.")
@click.option("--xslt", "--xslt-dir", "xslt_dir",
              type=click.Path(exists=True, file_okay=False), default=None,
              help="Use (and watch) the stylesheets in this folder instead of the project's.")
@click.option("--no-reload", is_flag=True,
              help="Do not add the reload script to served pages (rebuilds still happen).")
@quiet_verbose("Print only problems (no line per rebuild).", "Also log every request.")
def command(sources: tuple[str, ...], out_dir: Path, host: str, port: int, jobs: int | None,
            formats: tuple[str, ...], xslt_dir: str | None, no_reload: bool,
            quiet: bool, verbose: bool) -> None:
    """Build SOURCES into OUT, serve the site and rebuild it as you edit.

    \b
    Examples:
      teipipe serve seeds/ -o site/              # then open http://127.0.0.1:8000/
      teipipe serve seeds/ -o site/ --port 0     # any free port; the URL is printed
      teipipe serve seeds/ -o site/ --formats html,text
      teipipe serve seeds/ -o site/ --xslt my-xslt/   # work on the stylesheets

    Watches the sources, the personography and gazetteer (tei/people.xml,
    tei/places.xml) and the stylesheets. A save rebuilds what it changed, as
    `teipipe build` would (the record, the index, the pages of whom it names),
    and every open page reloads itself. Problems are printed as the build prints
    them (file:line: ...) and the server keeps running. The files in OUT are
    exactly those `teipipe build` writes: the reload script is added to pages
    only as they are served. Ctrl-C stops. An output folder that cannot be
    written (a file, read-only, a missing parent outside the current folder)
    is one message and exit status 2.
    """
    check_output_folder(out_dir)

    def report(result: BuildResult, changed: list[str]) -> None:
        if quiet:
            for p in result.problems:
                click.echo(p.format(), err=True)
            return
        _report(result, changed)

    def ready(url: str) -> None:
        site = url + "html/" if "html" in formats else url
        click.echo(f"Serving {out_dir} at {site} (Ctrl-C to stop)", err=True)

    def log(line: str) -> None:
        click.echo(line, err=True)

    try:
        serve(sources, out_dir, host=host, port=port, jobs=jobs, formats=formats,
              xslt_dir=xslt_dir, live=not no_reload, on_build=report, on_ready=ready,
              log=log if verbose else None)
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    except InputError as e:  # the port is taken, most often
        click.echo(e.problem.format(), err=True)
        sys.exit(1)
    except OSError as e:  # the output folder refused a write the checks could not foresee
        click.echo(cannot_write(out_dir, e).format(), err=True)
        sys.exit(2)
