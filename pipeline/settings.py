"""The edition's own settings: its title, editors, publisher, licence, address, languages.

They live in one project file, ``teipipe.toml`` in the current folder (or the file
``--config`` names), which ``build``, ``render`` and ``export`` read; options on the
command line override it::

    [edition]
    title = "Korean War Telegrams"
    subtitle = "Soviet, Chinese and Korean ciphered telegrams, 1950-1953"
    editors = [{ name = "A. Editor", email = "editor@example.org" }]
    publisher = "Example University Library"
    licence = { name = "CC BY 4.0", url = "https://creativecommons.org/licenses/by/4.0/" }
    base-url = "https://example.org/telegrams/"
    date = "2026-01-15"
    languages = ["ru", "en"]

    settings = load_settings()                       # ./teipipe.toml, or the defaults
    settings = load_settings("edition.toml").with_overrides(title="...")
    renderer = Renderer(settings=settings)           # passed to every stylesheet

Every field defaults to "not set", and the stylesheets then write what they wrote
before there were settings: this archive's records keep "Korean War Telegrams" as the
edition's title, a file from another project is called by its own title. So a project
without a ``teipipe.toml`` gets the same bytes as before.

The stylesheets receive the settings as string parameters (:meth:`Settings.xslt_params`),
declared in ``xslt/common.xsl``; their names are listed in docs/render.md so that a
customised stylesheet (and the CMIF export) can use them.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.errors import InputError, Problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 (tomli is a dependency there)
    import tomli as tomllib

#: The file looked for in the current folder when no --config is given.
CONFIG_NAME = "teipipe.toml"

#: What this archive's records are called when the settings give no title (the
#: stylesheets apply it: xslt/common.xsl, f:edition-title).
ARCHIVE_TITLE = "Korean War Telegrams"


@dataclass(frozen=True)
class Editor:
    """One editor of the edition, as the title page, the site and CMIF name them."""

    name: str
    email: str = ""

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name


@dataclass(frozen=True)
class Settings:
    """The edition's settings; an empty field is "not set" (see the module docstring)."""

    title: str = ""
    subtitle: str = ""
    editors: tuple[Editor, ...] = ()
    publisher: str = ""
    licence: str = ""
    licence_url: str = ""
    base_url: str = ""
    #: The date of the edition (YYYY, YYYY-MM or YYYY-MM-DD): the title page and CMIF.
    date: str = ""
    #: Language codes the "Languages" line may list (empty: every language the text uses).
    languages: tuple[str, ...] = ()
    #: The file the settings were read from (None: defaults and options only).
    source: str | None = None

    def xslt_params(self) -> dict[str, str]:
        """The settings as the stylesheets' parameters (names as in xslt/common.xsl).

        Lists travel as text: editors and their e-mail addresses one per line (the
        n-th address is the n-th editor's, '' if none), languages separated by spaces.
        """
        return {
            "edition-title": self.title,
            "edition-subtitle": self.subtitle,
            "edition-editors": "\n".join(e.name for e in self.editors),
            "edition-editor-emails": "\n".join(e.email for e in self.editors),
            "edition-publisher": self.publisher,
            "edition-licence": self.licence,
            "edition-licence-url": self.licence_url,
            "edition-base-url": self.base_url,
            "edition-date": self.date,
            "edition-languages": " ".join(self.languages),
        }

    def key(self) -> str:
        """A hash of what the settings change in the outputs (the build's render key
        includes it, so editing teipipe.toml re-renders; where it was read from does not)."""
        text = "\0".join(f"{k}={v}" for k, v in sorted(self.xslt_params().items()))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def with_overrides(self, **values: object) -> Settings:
        """These settings with the given fields replaced; None (an option not given)
        keeps the value. ``editors`` may be given as strings ``"Name <email>"``."""
        given = {k: v for k, v in values.items() if v is not None}
        if "editors" in given:
            given["editors"] = tuple(parse_editor(e) if isinstance(e, str) else e
                                     for e in given["editors"])  # type: ignore[union-attr]
        if "languages" in given and isinstance(given["languages"], str):
            given["languages"] = tuple(given["languages"].replace(",", " ").split())
        checked = _check(given, "<command line>")
        return replace(self, **checked)


_EDITOR = re.compile(r"^\s*(?P<name>[^<>]*?)\s*(?:<(?P<email>[^<>\s]+)>)?\s*$")


def parse_editor(text: str) -> Editor:
    """``"A. Editor <editor@example.org>"`` (or a name alone) as an :class:`Editor`."""
    m = _EDITOR.match(text)
    if not m or not m.group("name"):
        raise InputError(Problem("<command line>", 0, 0, "error", "config",
                                 f"{text!r} is not an editor",
                                 'write "Name" or "Name <email@example.org>"'))
    return Editor(m.group("name"), m.group("email") or "")


#: The keys of the [edition] table and the Settings field each one sets.
_KEYS = {"title": "title", "subtitle": "subtitle", "editors": "editors", "editor": "editors",
         "publisher": "publisher", "licence": "licence", "license": "licence",
         "base-url": "base_url", "date": "date", "languages": "languages"}
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_LANG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
_URL = re.compile(r"(https?|ftp)://\S+|mailto:\S+|urn:\S+")


def load_settings(path: str | Path | None = None, *, folder: str | Path = ".") -> Settings:
    """The settings from ``path``, else from ``teipipe.toml`` in ``folder`` if there is
    one, else the defaults. A file that is named but missing, or not valid TOML, or that
    sets a key teipipe does not know, raises :class:`InputError` (``config``)."""
    if path is None:
        candidate = Path(folder) / CONFIG_NAME
        if not candidate.is_file():
            return Settings()
        path = candidate
    path = Path(path)
    name = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _error(name, "the settings file does not exist",
                     "give --config an existing file, or leave it out") from None
    except (OSError, UnicodeDecodeError) as e:
        raise _error(name, f"cannot read the settings file: {e}", "check the file") from None
    except tomllib.TOMLDecodeError as e:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(e))) else 0
        raise _error(name, f"not valid TOML: {e}", "see docs/render.md for an example",
                     line) from None
    return settings_from_mapping(data, name)


def settings_from_mapping(data: Mapping[str, object], name: str = "<settings>") -> Settings:
    """Settings from a parsed TOML document (its ``[edition]`` table)."""
    unknown = sorted(set(data) - {"edition"})
    if unknown:
        raise _error(name, f"unknown table or key {unknown[0]!r}",
                     "the edition's settings go in an [edition] table")
    table = data.get("edition", {})
    if not isinstance(table, Mapping):
        raise _error(name, "[edition] must be a table", "see docs/render.md for an example")
    values: dict[str, object] = {}
    for key, value in table.items():
        if key not in _KEYS:
            raise _error(name, f"unknown key {key!r} in [edition]",
                         f"the keys are {', '.join(k for k in _KEYS if k != 'license')}")
        if key in ("licence", "license"):
            values.update(_licence(value, name))
        elif _KEYS[key] == "editors":
            values["editors"] = _editors(value, name)
        elif key == "languages":
            if isinstance(value, str):
                value = value.replace(",", " ").split()
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise _error(name, "languages must be a list of language codes",
                             'for example languages = ["ru", "en"]')
            values["languages"] = tuple(value)
        else:
            if not isinstance(value, str):
                raise _error(name, f"{key} must be a string", f'write {key} = "..."')
            values[_KEYS[key]] = value
    return Settings(**_check(values, name), source=name)


def _licence(value: object, name: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"licence": value}
    if isinstance(value, Mapping) and set(value) <= {"name", "url"} \
            and all(isinstance(v, str) for v in value.values()):
        return {"licence": value.get("name", ""), "licence_url": value.get("url", "")}
    raise _error(name, "licence must be a name or a table { name, url }",
                 'for example licence = { name = "CC BY 4.0", '
                 'url = "https://creativecommons.org/licenses/by/4.0/" }')


def _editors(value: object, name: str) -> tuple[Editor, ...]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(parse_editor(item))
        elif isinstance(item, Mapping) and "name" in item and set(item) <= {"name", "email"} \
                and all(isinstance(v, str) for v in item.values()):
            out.append(Editor(item["name"].strip(), item.get("email", "").strip()))
        else:
            raise _error(name, "an editor is a name or a table { name, email }",
                         'for example editors = [{ name = "A. Editor", '
                         'email = "editor@example.org" }]')
    return tuple(out)


def _check(values: dict[str, object], name: str) -> dict[str, object]:
    """The values, each checked for what the stylesheets and CMIF need of it."""
    for key in ("title", "subtitle", "publisher", "licence"):
        if key in values and not str(values[key]).isprintable():
            raise _error(name, f"{key} holds a control character or line break",
                         "write it on one line")
    date = values.get("date")
    if date and not _DATE.fullmatch(str(date)):
        raise _error(name, f"date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD",
                     'for example date = "2026-01-15"')
    for key in ("base_url", "licence_url"):
        url = values.get(key)
        if url and not _URL.fullmatch(str(url)):
            raise _error(name, f"{key.replace('_', '-')} {url!r} is not an absolute address",
                         "give it with its scheme, e.g. https://example.org/edition/")
    for lang in values.get("languages", ()):  # type: ignore[union-attr]
        if not _LANG.fullmatch(lang):
            raise _error(name, f"{lang!r} is not a language code", 'for example "ru" or "zh-Hant"')
    for editor in values.get("editors", ()):  # type: ignore[union-attr]
        if not editor.name or not (editor.name + editor.email).isprintable() \
                or (editor.email and not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", editor.email)):
            raise _error(name, f"editor {str(editor)!r} needs a name on one line and an "
                         "e-mail address like name@example.org", "check the editor")
    return values


def _error(name: str, message: str, hint: str, line: int = 0) -> InputError:
    return InputError(Problem(name, line, 0, "error", "config", message, hint))

