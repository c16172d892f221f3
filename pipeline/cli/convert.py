"""``teipipe convert``: archive text exports -> TEI P5 files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.convert import Converter, convert_paths
from pipeline.convert.sourcefile import MAX_BYTES


@click.command("convert")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for the TEI files (created if missing).")
@click.option("--people", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Personography to use instead of tei/people.xml.")
@click.option("--places", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Gazetteer to use instead of tei/places.xml.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_BYTES, show_default=True,
              help="Refuse a source file larger than this many bytes.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and the summary.")
def command(sources: tuple[Path, ...], out_dir: Path, people: Path | None,
            places: Path | None, max_bytes: int, quiet: bool) -> None:
    """Convert archive text exports (files or folders of *.txt) to TEI P5.

    One file per record is written to DIR, named by its TEI/@xml:id
    (wcda-<record number>.xml). Problems are printed one per line as
    file:line:col: severity [code] message (hint); a summary closes the run.

    \b
    Examples:
      teipipe convert seeds/ -o tei/
      teipipe convert export/113640.txt -o out/
      teipipe convert new/ -o tei/ --people my-people.xml

    Exit status: 0 all converted, 1 a record failed, 2 usage error.
    """
    missing = [s for s in sources if not s.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {missing[0]}")
    converter = Converter(people, places, max_bytes=max_bytes)
    summary = convert_paths(list(sources), out_dir, converter)
    for p in summary.failed:
        click.echo(p.format(), err=True)
    if not quiet:
        for p in summary.problems:
            click.echo(p.format(), err=True)
        for src, target in summary.converted:
            click.echo(f"{src} -> {target}")
    for line in summary.lines():
        click.echo(line)
    if not summary.converted and not summary.failed:
        click.echo("no .txt sources found", err=True)
        sys.exit(1)
    sys.exit(1 if summary.failed else 0)
