"""The ``teipipe`` command: a thin click layer over the library.

Each stage has its own module here that parses arguments, calls the stage's
public function and prints; no encoding logic lives in the CLI.
"""

from __future__ import annotations

import sys

import click

from pipeline import __version__


class _Main(click.Group):
    """The command group, with a last net under every command: each command reports
    a failing file and goes on, and whatever escapes that still ends as one line in
    the report's form, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit,
                click.exceptions.Abort):
            raise
        except Exception as e:  # noqa: BLE001
            from pipeline.errors import internal

            click.echo(internal("teipipe", e).format(), err=True)
            sys.exit(1)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="teipipe")
def main() -> None:
    """Turn archival telegrams into scholarly TEI editions.

    \b
    Stages:
      teipipe convert seeds/ -o tei/        source text -> TEI P5
      teipipe validate tei/                 TEI -> messages (project schema and rules)
      teipipe render --to html tei/ -o site/   TEI -> reading editions
      teipipe build seeds/ -o site/         all of the above in one go
      teipipe serve seeds/ -o site/         build, serve on localhost, rebuild as you edit
      teipipe export cmif tei/ -o letters.xml   correspondence metadata for correspSearch

    \b
    Every command takes -q/--quiet and -v/--verbose; every command that writes,
    -o/--output. An output path that cannot be used (a file where a folder is
    wanted, a read-only folder, a missing parent outside the current folder) is
    one message and exit status 2, before any work is done.
    """


def _register() -> None:
    # Each stage's commands live in their own module; a stage that is not
    # there yet simply contributes no command.
    import importlib

    for name in ("convert", "validate", "schema", "render", "build", "serve", "export"):
        try:
            module = importlib.import_module(f"pipeline.cli.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"pipeline.cli.{name}":
                continue
            raise
        main.add_command(module.command)


_register()
