"""``teipipe validate``: check TEI files against the project's encoding."""

from __future__ import annotations

import io
import json
import sys
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import click

from pipeline.cli.options import (
    cannot_write,
    check_output_file,
    output_option,
    quiet_verbose,
    strict_option,
)
from pipeline.errors import InputError, Problem, printable

#: Problem codes that mean the input could not be validated at all (exit 2).
UNREADABLE = {"unreadable", "empty", "too-large", "not-well-formed", "entity-declaration",
              "too-deep", "entity-loop", "binary", "no-xml", "external-dtd",
              "entity-reference", "internal"}


def _collect(paths: tuple[str, ...]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(x for x in p.rglob("*.xml") if x.is_file())
            if not found:
                problems.append(Problem(raw, 0, 0, "error", "no-xml",
                                        "the folder holds no .xml files",
                                        "give TEI files or folders that contain them"))
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            problems.append(Problem(raw, 0, 0, "error", "unreadable", "no such file or folder",
                                    "check the path"))
    return files, problems


@click.command("validate")
@click.argument("paths", nargs=-1, required=True)
@click.option("--tei-all", is_flag=True,
              help="Also check conformance to the official tei_all schema.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]),
              default="text", show_default=True, help="How to print the messages.")
@click.option("--schema", "schema_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="Validate against this schema instead of the telegram encoding "
                   "(repeatable): a TEI ODD (compiled by teipipe, cached), a RELAX NG "
                   "(XML syntax), an XSD or an ISO Schematron.")
@output_option("Write the report to this file instead of the standard output "
               "(e.g. the JUnit report a CI job collects).", dest="report", required=False,
               as_text=True, metavar="FILE")
@strict_option
@quiet_verbose("Errors only, no warnings and no summary.",
               "Also name each file found valid (text format).")
@click.option("--allow-network", is_flag=True,
              help="Fetch schemas that files name by URL in their <?xml-model?> (off by "
                   "default: the TEI's tei_all and teipipe's own URLs need no network).")
@click.option("--only-tei", is_flag=True,
              help="Skip XML files whose root element is not in the TEI namespace "
                   "(pom.xml, a stylesheet...), with a note: for hooks given every .xml.")
def command(paths: tuple[str, ...], tei_all: bool, fmt: str, quiet: bool,
            schema_files: tuple[str, ...], report: str | None, strict: bool,
            verbose: bool, allow_network: bool, only_tei: bool) -> None:
    """Validate TEI files (or folders of them) against the schemas they declare.

    A file is checked against what its <?xml-model?> PIs name (paths relative
    to the file; the TEI's tei_all URLs and teipipe's own schema URLs map to the
    bundled copies; other URLs only with --allow-network), plus the project rules
    true of any TEI (pointers resolve, ids unique, ISO dates). A file that
    declares nothing (or the telegram schema) is a telegram: the grammar compiled
    from schema/telegram.odd, its Schematron and every project rule (dates
    plausible, every message has a sender, ...). Messages read
    `file:line:col: error|warning [RULE] message (hint)`.

    Exit status: 0 valid, 1 invalid (with --strict: a warning too), 2 usage
    error or unreadable input.

    \b
    Examples:
      teipipe validate tei/
      teipipe validate --tei-all tei/wcda-113640.xml
      teipipe validate --format github tei/      # annotations in a GitHub Actions log
      teipipe validate --format junit tei/ > validate.xml
      teipipe validate --schema their.odd their-tei/   # another project's ODD
      teipipe validate --schema a.rng --schema rules.sch file.xml
      teipipe validate --strict -q tei/          # in CI: warnings fail, errors shown
      teipipe validate --format junit tei/ -o reports/validate.xml
      teipipe validate --allow-network their-tei/      # fetch the schemas they name
    """
    from pipeline.files import write_atomic
    from pipeline.validate import Validator

    if report is not None:
        check_output_file(report, "report", "validate.xml")
    files, missing = _collect(paths)
    results: dict[str, list[Problem]] = {p.path: [p] for p in missing}
    if only_tei:
        files = _tei_only(files, quiet)
    if schema_files:
        results.update(_against_schemas(schema_files, tei_all, files))
    else:
        try:
            validator = Validator(tei_all=tei_all)
        except InputError as e:
            click.echo(e.problem.format(), err=True)
            sys.exit(2)
        results.update(_against_declared(validator, files, allow_network, quiet))
    # --strict judges the warnings that -q does not print
    warned = any(p.severity != "error" for v in results.values() for p in v)
    if quiet:
        results = {k: [p for p in v if p.severity == "error"] for k, v in results.items()}
    if report is None:
        _print(results, fmt, quiet)
    else:
        # the report whole or not at all, as every output; the summary still on stderr
        buffer = io.StringIO()
        _print(results, fmt, quiet, buffer)
        try:
            write_atomic(report, buffer.getvalue())
        except OSError as e:
            click.echo(cannot_write(report, e).format(), err=True)
            sys.exit(2)
    if verbose and fmt == "text":
        for path, probs in results.items():
            if not probs:
                click.echo(f"{printable(path)}: valid", err=True)
    every = [p for v in results.values() for p in v]
    if any(p.code in UNREADABLE for p in every):
        sys.exit(2)
    if any(p.severity == "error" for p in every) or (strict and warned):
        sys.exit(1)


def _tei_only(files: list[Path], quiet: bool) -> list[Path]:
    """The files whose root element is in the TEI namespace (or that cannot be read:
    those are reported as usual); the others are skipped with a note."""
    from pipeline import xmlsafe

    kept = []
    for f in files:
        try:
            ns = _root_namespace(xmlsafe.read(f))
        except InputError:
            ns = None
        if ns is None or ns == "http://www.tei-c.org/ns/1.0":
            kept.append(f)
        elif not quiet:
            click.echo(f"{printable(str(f))}: note: skipped, not TEI (root in "
                       f"{printable(ns) or 'no namespace'})", err=True)
    return kept


def _root_namespace(data: bytes) -> str | None:
    """The namespace of the root element, from the start of the file (None if it
    cannot be told: the file is then validated, and its problem said)."""
    from lxml import etree

    try:
        for _event, el in etree.iterparse(__import__("io").BytesIO(data[:1_000_000]),
                                          events=("start",), resolve_entities=False,
                                          load_dtd=False, no_network=True):
            return etree.QName(el).namespace or ""
    except etree.XMLSyntaxError:
        return None
    return None


def _against_declared(validator, files: list[Path], allow_network: bool,
                      quiet: bool = False) -> dict[str, list[Problem]]:
    """Each file against what it declares: telegram files (declaring the telegram
    schema, or nothing) with the full telegram encoding, the others with their own
    schemas and the generic TEI rules."""
    from pipeline import resources, xmlsafe
    from pipeline.validate import declared

    telegrams: list[Path] = []
    undeclared: list[str] = []
    others: list[tuple[Path, bytes, list]] = []
    # telegram files that name further schemas beside the telegram one
    extras: list[tuple[Path, bytes, list]] = []
    results: dict[str, list[Problem]] = {}
    for f in files:
        try:
            data = xmlsafe.read(f)
        except InputError as e:
            results[str(f)] = [e.problem]
            continue
        models = declared.xml_models(data)
        if declared.is_telegram(models):
            telegrams.append(f)
            if not models:
                undeclared.append(str(f))
            more = [m for m in models if not resources.is_telegram_schema(m.href)]
            if more:
                extras.append((f, data, more))
        else:
            others.append((f, data, models))
    results.update(validator.validate_many(telegrams))
    notes = [n for n in undeclared
             if sum(p.code == "not-in-schema" for p in results.get(n, [])) >= 3]
    if notes and not quiet:
        # other projects' files without <?xml-model?> are judged as telegrams: say so,
        # so a page of telegram errors is not taken for their verdict
        click.echo(f"note: {len(notes)} file(s) declare no schema (no <?xml-model?>) and "
                   f"were checked as telegrams, e.g. {printable(notes[0])}; if they follow "
                   "another encoding, add an <?xml-model?> naming its schema or give it "
                   "with --schema", err=True)
    checker = declared.Declared(allow_network=allow_network)
    try:
        datas: dict[str, bytes] = {}
        for f, data, models in others:
            results[str(f)] = checker.check(f, data, models)
            if not any(p.code in UNREADABLE for p in results[str(f)]):
                datas[str(f)] = data
        for f, data, models in extras:
            results[str(f)] = results.get(str(f), []) + checker.check(
                f, data, models, generic=False)
        for name, extra in checker.refusals().items():
            results[name] = extra + results[name]
        if validator.tei_all and datas:
            for name, extra in validator.tei_all_check(datas).items():
                results[name] += extra
    finally:
        checker.close()
    return {str(f): results[str(f)] for f in files if str(f) in results} | {
        k: v for k, v in results.items() if k not in {str(f) for f in files}}


def _against_schemas(schema_files: tuple[str, ...], tei_all: bool,
                     files: list[Path]) -> dict[str, list[Problem]]:
    """Each file against the schemas given (the telegram rules are not applied)."""
    from pipeline import resources
    from pipeline.validate import schemas

    loaded = []
    for f in [*schema_files, *([str(resources.tei_all_path())] if tei_all else [])]:
        try:
            loaded.append(schemas.load(f))
        except InputError as e:  # an unusable schema: say which and why, exit 2
            click.echo(e.problem.format(), err=True)
            sys.exit(2)
        for w in loaded[-1].warnings:
            click.echo(f"{f}: warning [odd] {w}", err=True)
    return {str(p): schemas.validate(loaded, p) for p in files}


def _grouped(probs: list[Problem]) -> list[tuple[Problem, list[Problem]]]:
    """The same message about the same file once, with the other lines it occurs on."""
    groups: dict[tuple, tuple[Problem, list[Problem]]] = {}
    for p in probs:
        key = (p.severity, p.code, p.message, p.hint)
        if key in groups:
            groups[key][1].append(p)
        else:
            groups[key] = (p, [])
    return list(groups.values())


def _more(more: list[Problem]) -> str:
    """' [+N more at lines a, b, …]' for the repeats of a grouped message ('' if none)."""
    if not more:
        return ""
    lines = ", ".join(str(m.line) for m in more[:8])
    return f" [+{len(more)} more at line{'s' if len(more) > 1 else ''} {lines}" \
        + (", …" if len(more) > 8 else "") + "]"


def _print(results: dict[str, list[Problem]], fmt: str, quiet: bool,
           out: io.StringIO | None = None) -> None:
    every = [p for v in results.values() for p in v]
    errors = sum(p.severity == "error" for p in every)
    warnings = len(every) - errors
    bad_files = sum(any(p.severity == "error" for p in v) for v in results.values())
    if fmt == "json":
        click.echo(json.dumps({
            "files": len(results), "invalid": bad_files, "errors": errors,
            "warnings": warnings,
            # the same message on many lines of a file is one entry, its other
            # places in "more" (another project's files repeat a problem hundreds of times)
            "problems": [{**p.__dict__, "count": 1 + len(more),
                          "more": [{"line": m.line, "col": m.col} for m in more]}
                         for probs in results.values() for p, more in _grouped(probs)]},
            ensure_ascii=False, indent=1), file=out)
        return
    if fmt == "github":
        for p, more in (g for probs in results.values() for g in _grouped(probs)):
            kind = "error" if p.severity == "error" else "warning"
            # control characters in a file name or value must not forge an annotation
            msg = printable(f"[{p.code}] {p.message}" + (f" ({p.hint})" if p.hint else "")
                            + _more(more))
            msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            where = "file=" + printable(p.path).replace("%", "%25").replace(
                ",", "%2C").replace(":", "%3A")
            if p.line:
                where += f",line={p.line}"
                if p.col:
                    where += f",col={p.col}"
            click.echo(f"::{kind} {where},title=teipipe {p.code}::{msg}", file=out)
        return
    if fmt == "junit":
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
               f'<testsuite name="teipipe validate" tests="{len(results)}" '
               f'failures="{bad_files}" errors="0">']
        for path, probs in results.items():
            name = quoteattr(printable(path))
            lines.append(f"  <testcase classname=\"teipipe.validate\" name={name}>")
            groups = _grouped(probs)
            errs = [(p, m) for p, m in groups if p.severity == "error"]
            if errs:
                lines.append(f"    <failure message={quoteattr(errs[0][0].format())}>"
                             + escape("\n".join(p.format() + _more(m) for p, m in errs))
                             + "</failure>")
            warns = [(p, m) for p, m in groups if p.severity != "error"]
            if warns:
                lines.append("    <system-out>"
                             + escape("\n".join(p.format() + _more(m) for p, m in warns))
                           + "</system-out>")
            lines.append("  </testcase>")
        lines.append("</testsuite>")
        click.echo("\n".join(lines), file=out)
        return
    for probs in results.values():
        for p, more in _grouped(probs):
            click.echo(p.format() + _more(more), file=out)
    if not quiet:
        by_code = Counter(p.code for p in every)
        kinds = ", ".join(f"{c} {n}" for c, n in sorted(by_code.items()))
        click.echo(f"{len(results)} file(s): {len(results) - bad_files} valid, {bad_files} "
                   f"invalid; {errors} error(s), {warnings} warning(s)"
                   + (f" [{kinds}]" if kinds else ""), err=True)
