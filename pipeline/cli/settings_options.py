"""The options every publishing command shares: where the edition's settings come from
(``--config``, else ``./teipipe.toml``) and the few a command line may override.

    @click.command()
    @settings_options()
    def command(...):
        settings = edition_settings()     # the file's settings, the options applied

The options are not passed to the command's function (they go into the click context),
so adding them to a command changes nothing else in it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from pipeline.errors import InputError
from pipeline.settings import CONFIG_NAME, Settings, load_settings

F = TypeVar("F", bound=Callable[..., object])
_META = "teipipe.settings"


def _keep(name: str) -> Callable[[click.Context, click.Parameter, object], object]:
    def store(ctx: click.Context, param: click.Parameter, value: object) -> object:
        ctx.meta.setdefault(_META, {})[name] = value
        return value

    return store


def settings_options(*names: str) -> Callable[[F], F]:
    """A decorator adding --config and the overrides named (default: --title, --editor,
    --base-url) to a command."""
    names = names or ("title", "editor", "base-url")
    options = {
        "title": click.option("--title", "edition_title", expose_value=False,
                              callback=_keep("title"),
                              help="The edition's title (overrides the settings file)."),
        "editor": click.option("--editor", "edition_editors", multiple=True,
                               expose_value=False, callback=_keep("editors"),
                               metavar='"NAME <EMAIL>"',
                               help="An editor of the edition; repeat for several "
                                    "(overrides the settings file)."),
        "base-url": click.option("--base-url", expose_value=False, callback=_keep("base_url"),
                                 metavar="URL", help="Where the edition is published "
                                                     "(overrides the settings file)."),
    }
    chosen = [click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
                           expose_value=False, callback=_keep("config"),
                           help=f"The edition's settings: title, editors, licence, ... "
                                f"(default: ./{CONFIG_NAME} if there is one).")]
    chosen += [options[n] for n in names]

    def decorate(f: F) -> F:
        for option in reversed(chosen):
            f = option(f)
        return f

    return decorate


def edition_settings(ctx: click.Context | None = None, **extra: object) -> Settings:
    """The settings for this run: the file's (``--config`` or ./teipipe.toml), with the
    command line's options applied (and ``extra`` overrides, None meaning not given).
    A bad settings file or option ends the command with its one-line message (status 2)."""
    ctx = ctx or click.get_current_context()
    given = dict(ctx.meta.get(_META, {}))
    try:
        settings = load_settings(given.pop("config", None))
        editors = given.pop("editors", None) or None
        return settings.with_overrides(editors=editors, **given, **extra)
    except InputError as e:
        click.echo(e.problem.format(), err=True)
        sys.exit(2)
