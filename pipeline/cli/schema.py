"""``teipipe schema``: compile an ODD (the project's, or any project's) into schemas."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline import resources
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
      teipipe schema build --source p5subset.xml -o /tmp/schema
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
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False),
              help="Folder to write the schemas to (default: beside the ODD).")
def build(odd_path: str | None, base: str | None, source: str | None,
          out_dir: str | None) -> None:
    """Compile an ODD into RELAX NG, XSD and Schematron.

    The project's own ODD is compiled strictly (anything odd2odd would pass
    over is an error); another project's ODD as the TEI's processor compiles
    it, with a warning for what it passes over.
    """
    odd_file = Path(odd_path) if odd_path else resources.schema_dir() / "telegram.odd"
    strict = odd_path is None
    try:
        compiled = odd.compile_odd(odd_file, _source(source), base=base, strict=strict)
        written = odd.write(compiled, odd_file.stem, out_dir or odd_file.parent)
    except odd.OddError as e:
        click.echo(f"{odd_file}: error [odd] {e}", err=True)
        sys.exit(1)
    except InputError as e:  # the ODD or the source refused by xmlsafe, with its line
        click.echo(e.problem.format(), err=True)
        sys.exit(1)
    for w in compiled.warnings:
        click.echo(f"{odd_file}: warning [odd] {w}", err=True)
    for path in written:
        click.echo(f"wrote {path}")


@command.command("check")
@click.option("--source", type=click.Path(exists=True, dir_okay=False),
              help="The TEI source p5subset.xml, plain or .xz/.gz (default: the one "
                   "shipped with teipipe, TEI P5 4.10.0a).")
def check(source: str | None) -> None:
    """Exit 1 if the committed schemas are not what the ODD compiles to."""
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
    click.echo("schemas are current")
