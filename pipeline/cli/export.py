"""``teipipe export``: the corpus's metadata for exchange; ``teipipe export cmif`` writes
CMIF, the correspondence metadata correspSearch harvests."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import click

from pipeline import xmlsafe
from pipeline.cli.options import (
    AliasOption,
    cannot_write,
    check_output_file,
    output_option,
    quiet_verbose,
)
from pipeline.cli.render import tei_files
from pipeline.cli.settings_options import edition_settings, settings_options
from pipeline.errors import InputError, Problem, internal
from pipeline.files import write_atomic
from pipeline.render import TEI_NS, Renderer
from pipeline.render.cmif import default_date, export_cmif, file_url


class _Export(click.Group):
    """The export group; ``export --cmif ...`` (before there were subcommands) still works,
    as ``export cmif ...`` with a note, so scripts and hooks that use it keep running."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        head = args[: args.index("--")] if "--" in args else args
        if "--cmif" in head and not (args and args[0] in self.commands):
            args = list(args)
            args.remove("--cmif")
            args.insert(0, "cmif")
            click.echo("note: `teipipe export --cmif` is deprecated; "
                       "use `teipipe export cmif`", err=True)
        return super().parse_args(ctx, args)


@click.group("export", cls=_Export)
def command() -> None:
    """Export the corpus's metadata for other services.

    \b
    Examples:
      teipipe export cmif tei/ -o letters.xml     # correspondence metadata for correspSearch
      teipipe export cmif tei/ -o letters.xml --url https://example.org/letters.xml \\
          --editor "A. Editor" --editor-email editor@example.org --date 2026-01-15

    `teipipe export --cmif ...` is the older spelling of `teipipe export cmif ...`
    and still works (with a note).
    """


@command.command("cmif")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_option("The file to write (e.g. letters.xml).", dest="out_file", as_text=True,
               metavar="FILE")
@click.option("--url", default="", metavar="URL",
              help="Where the file will be published (its idno; correspSearch needs it). "
                   "A URL ending in / is the edition's address: the file's name is added.")
@click.option("--date", default=None, metavar="YYYY-MM-DD",
              help="Publication date (default: $SOURCE_DATE_EPOCH, else today, UTC).")
@click.option("--editor", default="", help="Editor responsible for the file (its titleStmt).")
@click.option("--editor-email", "--email", "email", cls=AliasOption, hidden_names=("--email",),
              default="",
              help="The editor's e-mail address.")
@click.option("--publisher", default="",
              help="Who publishes the file (default: the editor); linked to the edition's "
                   "address when --url is given.")
@click.option("--title", default="", help="Title of the CMIF file.")
@settings_options("base-url")
@quiet_verbose("Print only problems.", "Also name each document exported.")
def cmif(sources: tuple[Path, ...], out_file: str, url: str, date: str | None, editor: str,
         email: str, publisher: str, title: str, quiet: bool, verbose: bool) -> None:
    """Export the correspondence metadata of TEI files as one CMIF file.

    CMIF (the Correspondence Metadata Interchange Format of the TEI
    Correspondence SIG) is what correspSearch harvests. Every message (the
    telegram and the telegrams it quotes) becomes a correspDesc with sender,
    addressee, place and date, pointing at the record's canonical address in
    the archive; persons and places carry their authority URI (Wikidata, VIAF,
    GND, GeoNames) from the personography and gazetteer where one is known,
    else their regularised name alone. With --url (and --date, else today)
    the file is valid against the official CMIF schema and its Schematron.

    \b
    Examples:
      teipipe export cmif tei/ -o letters.xml
      teipipe export cmif tei/ -o site/letters.xml --url https://example.org/edition/ \\
          --editor "A. Editor" --editor-email editor@example.org --publisher "Example Press"
      SOURCE_DATE_EPOCH=1767225600 teipipe export cmif tei/ -o letters.xml   # reproducible

    Exit status: 0 written, 1 a file could not be read (the others are exported),
    2 usage error (an output path that cannot be written among them).
    """
    if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise click.BadParameter("give the date as YYYY-MM-DD", param_hint="--date")
    missing = [s for s in sources if not s.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {missing[0]}")
    check_output_file(out_file, "CMIF file", "letters.xml")
    out_path = Path(out_file)
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
    # What the options do not say, the edition's settings (teipipe.toml) do.
    settings = edition_settings()
    first = settings.editors[0] if settings.editors and not editor else None
    if first:
        editor, email = first.name, email or first.email
    publisher = publisher or settings.publisher
    url = url or (settings.base_url.rstrip("/") + "/" if settings.base_url else "")
    if url and not re.match(r"https?://[^/\s]+", url):
        raise click.BadParameter("give an absolute http(s) URL", param_hint="--url")
    if not title and settings.title:
        title = f"{settings.title}: correspondence metadata"
    # A CMIF file without its publication date is not harvested: the settings' date, else
    # today, unless SOURCE_DATE_EPOCH pins it (reproducible builds).
    when = date or settings.date or default_date() or time.strftime("%Y-%m-%d", time.gmtime())
    try:
        data = export_cmif(good, date=when, title=title, editor=editor, email=email,
                           url=file_url(url, out_path.name), publisher=publisher,
                           renderer=Renderer(settings=settings))
        write_atomic(out_path, data)
    except InputError as e:
        click.echo(e.problem.format(), err=True)
        sys.exit(1)
    except OSError as e:
        click.echo(cannot_write(out_file, e).format(), err=True)
        sys.exit(2)
    except Exception as e:  # noqa: BLE001
        click.echo(internal(out_file, e).format(), err=True)
        sys.exit(1)
    # Written all the same (valid TEI, useful locally), but said: correspSearch needs both.
    if not url:
        click.echo(Problem(str(out_file), 0, 0, "warning", "cmif-url",
                           "has no address of its own (idno): correspSearch cannot harvest it",
                           "give the address it will be published at with --url").format(),
                   err=True)
    if not editor:
        click.echo(Problem(str(out_file), 0, 0, "warning", "cmif-editor",
                           "names no editor (it says \"teipipe\"): correspSearch shows who is "
                           "responsible for the file", "give --editor (and --editor-email)"
                           ).format(), err=True)
    if verbose:
        for path in good:
            click.echo(f"{path}", err=True)
    letters = data.count(b"<correspDesc ")
    if not quiet:
        click.echo(f"exported {letters} message{'s' if letters != 1 else ''} from {len(good)} "
                   f"document{'s' if len(good) != 1 else ''} to {out_file}"
                   + (f"; {failed} unreadable file(s)" if failed else ""))
    sys.exit(1 if failed else 0)
