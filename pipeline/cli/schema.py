"""``teipipe schema``: compile an ODD (the project's, or any project's) into schemas."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline import resources
from pipeline.cli.options import cannot_write, check_output_folder, output_option, quiet_verbose
from pipeline.errors import InputError
from pipeline.validate import odd


def _source(source: str | None) -> Path:
    # the TEI source shipped with teipipe unless another release is given
    return Path(source) if source else resources.p5subset_path()


@click.group("schema")
def command() -> None:
    """Build the schemas from an ODD (default: the project's schema/telegram.odd).

    The TEI source (p5subset.xml) ships with teipipe; no Java, no network.

    \b
    Examples:
      teipipe schema build                       # writes schema/telegram.rng, .xsd, .sch
      teipipe schema build --source p5subset.xml -o /tmp/schema/
      teipipe schema build --odd their.odd -o out/   # another project's customisation
      teipipe schema build --odd chained.odd --base base.odd -o out/
      teipipe schema check                       # are the committed schemas current?
    """


@command.command("build")
@click.option("--odd", "odd_path", type=click.Path(exists=True, dir_okay=False),
              help="The ODD to compile (default: the project's schema/telegram.odd). "
                   "Any project's customisation can be given.")
@click.option("--base", type=click.Path(exists=True, dir_okay=False),
              help="The ODD this one is chained on, when its schemaSpec/@source is not "
                   "a local path that exists (e.g. a /path/to/file placeholder).")
@click.option("--source", type=click.Path(exists=True, dir_okay=False),
              help="The TEI source p5subset.xml, plain or .xz/.gz (default: the one "
                   "shipped with teipipe, TEI P5 4.10.0a).")
@output_option("Folder to write the schemas to (default: beside the ODD).", required=False,
               old=("--out",))
@quiet_verbose("Print only errors (no warnings, no list of files written).",
               "Also say which ODD and TEI source are compiled.")
def build(odd_path: str | None, base: str | None, source: str | None,
          out_dir: Path | None, quiet: bool, verbose: bool) -> None:
    """Compile an ODD into RELAX NG, XSD and Schematron.

    The project's own ODD is compiled strictly (anything odd2odd would pass
    over is an error); another project's ODD as the TEI's processor compiles
    it, with a warning for what it passes over. An output folder that cannot
    be written (a file, read-only, a missing parent outside the current
    folder) is one message and exit status 2.

    \b
    Examples:
      teipipe schema build                            # schema/telegram.rng, .xsd, .sch
      teipipe schema build --odd their.odd -o out/ -q
    """
    odd_file = Path(odd_path) if odd_path else resources.schema_dir() / "telegram.odd"
    strict = odd_path is None
    check_output_folder(out_dir)
    if verbose:
        click.echo(f"compiling {odd_file} against {_source(source)}", err=True)
    try:
        compiled = odd.compile_odd(odd_file, _source(source), base=base, strict=strict)
        written = odd.write(compiled, odd_file.stem, out_dir or odd_file.parent)
    except odd.OddError as e:
        click.echo(f"{odd_file}: error [odd] {e}", err=True)
        sys.exit(1)
    except InputError as e:  # the ODD or the source refused by xmlsafe, with its line
        click.echo(e.problem.format(), err=True)
        sys.exit(1)
    except OSError as e:  # the output folder refused a write the checks could not foresee
        click.echo(cannot_write(out_dir or odd_file.parent, e).format(), err=True)
        sys.exit(2)
    if quiet:
        return
    for w in compiled.warnings:
        click.echo(f"{odd_file}: warning [odd] {w}", err=True)
    for path in written:
        click.echo(f"wrote {path}")


@command.command("check")
@click.option("--source", type=click.Path(exists=True, dir_okay=False),
              help="The TEI source p5subset.xml, plain or .xz/.gz (default: the one "
                   "shipped with teipipe, TEI P5 4.10.0a).")
@quiet_verbose("Print nothing when the schemas are current.",
               "Also name each schema compared.")
def check(source: str | None, quiet: bool, verbose: bool) -> None:
    """Exit 1 if the committed schemas are not what the ODD compiles to.

    \b
    Examples:
      teipipe schema check          # in CI, after editing schema/telegram.odd
    """
    odd_file = resources.schema_dir() / "telegram.odd"
    try:
        files = odd.outputs(odd_file, _source(source))
    except odd.OddError as e:
        click.echo(f"{odd_file}: error [odd] {e}", err=True)
        sys.exit(1)
    except InputError as e:
        click.echo(e.problem.format(), err=True)
        sys.exit(1)
    stale = [name for name, data in files.items()
             if not (odd_file.parent / name).exists()
             or (odd_file.parent / name).read_bytes() != data]
    if stale:
        click.echo("stale: " + ", ".join(stale) + " (run `teipipe schema build`)", err=True)
        sys.exit(1)
    if verbose:
        for name in sorted(files):
            click.echo(f"{odd_file.parent / name}: current", err=True)
    if not quiet:
        click.echo("schemas are current")
