"""Every converted record is valid against the official tei_all schema (jing, run once)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests._corpus import ALL_SOURCES, conversion, convert, truncated_variants


def test_all_outputs_are_valid_tei_all(tmp_path, tei_all_rng):
    jing = shutil.which("jing")
    if jing is None:
        pytest.skip("jing is not installed (apt-get install jing)")
    files = []
    for src in ALL_SOURCES:
        conv = conversion(src)
        out = tmp_path / f"{conv.id}.xml"
        out.write_bytes(conv.tei)
        files.append(str(out))
    for name, text in truncated_variants():
        out = tmp_path / f"cut-{name}.xml"
        out.write_bytes(convert(text, name).tei)
        files.append(str(out))
    assert len(files) >= 13 + 10
    run = subprocess.run([jing, str(tei_all_rng), *files], capture_output=True, text=True)
    errors = [ln for ln in run.stdout.splitlines() if ": error:" in ln]
    assert run.returncode == 0 and not errors, "\n".join(errors[:20])
