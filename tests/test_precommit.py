"""The pre-commit hook passes on teipipe's own repository and its CMIF export (issue 11)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _hook() -> dict:
    return yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]


def _entry(hook: dict) -> list[str]:
    args = shlex.split(hook["entry"])
    assert args[0] == "teipipe"  # the installed command; run from this checkout here
    return [sys.executable, "-m", "pipeline", *args[1:]]


def _selected(hook: dict, exclude: str | None) -> list[str]:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    return [f for f in files if re.search(hook["files"], f)
            and not (exclude and re.search(exclude, f)) and (ROOT / f).is_file()]


def test_the_hook_runs_only_on_tei_files():
    hook = _hook()
    assert "--only-tei" in hook["entry"]
    assert re.search(hook["files"], "tei/wcda-113640.xml")
    assert not re.search(hook["files"], "schema/telegram.rng")
    assert not re.search(hook["files"], "xslt/html.xsl")


def test_the_hook_passes_on_this_repository():
    hook = _hook()
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    own = config["repos"][0]["hooks"][0]
    assert own["entry"].split()[3:] == hook["entry"].split()[1:]  # the same arguments
    files = _selected(hook, own.get("exclude"))
    assert "tei/wcda-113640.xml" in files
    run = subprocess.run(_entry(hook) + files, cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_the_hook_passes_on_the_cmif_export_and_skips_other_xml(tmp_path):
    export = subprocess.run([sys.executable, "-m", "pipeline", "export", "--cmif", "tei/",
                             "-o", str(tmp_path / "cmif.xml")], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert export.returncode == 0, export.stderr
    assert "<?xml-model" in (tmp_path / "cmif.xml").read_text()[:600]
    (tmp_path / "pom.xml").write_text(
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0'
        '</modelVersion></project>')
    run = subprocess.run(_entry(_hook()) + [str(tmp_path / "cmif.xml"),
                                            str(tmp_path / "pom.xml")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
