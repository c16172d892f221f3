"""``teipipe export``: the corpus's correspondence metadata for exchange (CMIF)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from pipeline import xmlsafe
from pipeline.cli.render import tei_files
from pipeline.cli.settings_options import edition_settings, settings_options
from pipeline.errors import InputError, internal
from pipeline.files import write_atomic
from pipeline.render import TEI_NS, Renderer
from pipeline.render.cmif import default_date, export_cmif


@click.command("export")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--cmif", "cmif", is_flag=True, required=True,
              help="Write CMIF (correspSearch's Correspondence Metadata Interchange Format).")
@click.option("-o", "--output", "out_file", required=True, type=click.Path(path_type=Path),
              help="The file to write (e.g. cmif.xml).")
@click.option("--date", default=None, metavar="YYYY-MM-DD",
              help="Publication date of the CMIF file (default: $SOURCE_DATE_EPOCH, else none).")
@click.option("--title", default="", help="Title of the CMIF file.")
@click.option("--editor", default="",
              help="Editor responsible for the file (correspSearch asks for one).")
@click.option("--email", default="", help="The editor's e-mail address.")
@click.option("--url", default="", help="Where the CMIF file will be published.")
@settings_options("base-url")
def command(sources: tuple[Path, ...], cmif: bool, out_file: Path, date: str | None, title: str,
            editor: str, email: str, url: str) -> None:
    """Export the correspondence metadata of TEI files as one CMIF file.

    Every message (the telegram and the telegrams it quotes) becomes a
    correspDesc with sender, addressee, place and date; persons carry their
    Wikidata (or VIAF, GND) URI from the personography where one is known,
    else their regularised name. The file is valid TEI (tei_all).

    \b
    Examples:
      teipipe export --cmif tei/ -o cmif.xml
      teipipe export --cmif tei/ -o cmif.xml --date 2026-01-15 \\
          --editor "A. Editor" --email editor@example.org --url https://example.org/cmif.xml

    Exit status: 0 written, 1 a file could not be read (the others are exported), 2 usage error.
    """
    if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise click.BadParameter("give the date as YYYY-MM-DD", param_hint="--date")
    missing = [s for s in sources if not s.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {missing[0]}")
    good, failed = [], 0
    for path in tei_files(sources):
        try:
            root = xmlsafe.parse(path).getroot()
        except InputError as e:
            click.echo(e.problem.format(), err=True)
            failed += 1
            continue
        except Exception as e:  # noqa: BLE001 - one file must not stop the batch's report
            click.echo(internal(path, e).format(), err=True)
            failed += 1
            continue
        if root.tag == f"{{{TEI_NS}}}TEI" and root.find(f"{{{TEI_NS}}}text") is not None:
            good.append(path)
    if not good:
        click.echo("no TEI documents to export", err=True)
        sys.exit(1)
    try:
        # The settings file's first editor unless --editor names one; every setting also
        # reaches cmif.xsl as an edition-* parameter (docs/render.md).
        settings = edition_settings()
        first = settings.editors[0] if settings.editors and not editor else None
        data = export_cmif(good, date=date if date is not None else default_date(),
                           title=title, editor=editor or (first.name if first else ""),
                           email=email or (first.email if first else ""), url=url,
                           renderer=Renderer(settings=settings))
        write_atomic(out_file, data)
    except InputError as e:
        click.echo(e.problem.format(), err=True)
        sys.exit(1)
    except Exception as e:  # noqa: BLE001
        click.echo(internal(out_file, e).format(), err=True)
        sys.exit(1)
    letters = data.count(b"<correspDesc ")
    click.echo(f"exported {letters} message{'s' if letters != 1 else ''} from {len(good)} "
               f"document{'s' if len(good) != 1 else ''} to {out_file}"
               + (f"; {failed} unreadable file(s)" if failed else ""))
    sys.exit(1 if failed else 0)
