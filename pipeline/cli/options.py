"""What every command shares: its output option, -q/-v, and the output-path check.

One definition here keeps the commands alike (issue 12): the same names, the same
help, the same one-line message for an output path that cannot be used.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from pipeline.errors import Problem
from pipeline.files import output_file_problem, output_folder_problem, write_problem


class AliasOption(click.Option):
    """An option whose older names still work but are not shown in --help
    (``build --out`` before ``--output``)."""

    def __init__(self, *args: Any, hidden_names: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hidden_names = hidden_names

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        opts = self.opts
        self.opts = [o for o in opts if o not in self.hidden_names]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = opts


def output_option(help: str, *, dest: str = "out_dir", required: bool = True,
                  old: tuple[str, ...] = (), as_text: bool = False,
                  metavar: str = "DIR") -> Callable:
    """``-o/--output`` (with hidden older spellings ``old``, e.g. ``--out``); ``as_text``
    keeps the path as typed (a Path drops the trailing "/" that says "a folder")."""
    return click.option("-o", "--output", *old, dest, cls=AliasOption, hidden_names=old,
                        required=required, help=help, metavar=metavar,
                        type=click.Path() if as_text else click.Path(path_type=Path))


def quiet_verbose(quiet_help: str, verbose_help: str) -> Callable:
    """``-q/--quiet`` and ``-v/--verbose``, each command saying what they mean for it."""

    def check(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
        if value and ctx.params.get("quiet" if param.name == "verbose" else "verbose"):
            raise click.UsageError("give -q/--quiet or -v/--verbose, not both")
        return value

    def decorate(f: Callable) -> Callable:
        f = click.option("-v", "--verbose", is_flag=True, callback=check, help=verbose_help)(f)
        return click.option("-q", "--quiet", is_flag=True, callback=check, help=quiet_help)(f)

    return decorate


def strict_option(f: Callable) -> Callable:
    """``--strict``: warnings fail the command (exit 1), as errors do."""
    return click.option("--strict", is_flag=True,
                        help="Warnings fail too (exit 1): for CI that keeps a corpus clean.")(f)


def fail(problem: Problem, status: int = 2) -> NoReturn:
    """Print one problem line and exit (2: the command was given what it cannot use)."""
    click.echo(problem.format(), err=True)
    sys.exit(status)


def check_output_folder(path: Path | None) -> None:
    """Exit with one message when ``path`` cannot be the output folder."""
    if path is not None and (problem := output_folder_problem(path)):
        fail(problem)


def check_output_file(path: str | Path, what: str = "output file",
                      example: str = "out.xml") -> None:
    """Exit with one message when ``path`` cannot be written as the output file."""
    if problem := output_file_problem(path, what=what, example=example):
        fail(problem)


def cannot_write(path: object, error: OSError) -> Problem:
    """An output that failed to be written after the checks (a full disk, a folder made
    read-only meanwhile, a file where a folder is made): what the system said, not a
    traceback."""
    return write_problem(path, error)
