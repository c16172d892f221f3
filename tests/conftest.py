"""Shared test fixtures.

Tests that need ``../shared`` (the official TEI schema, the foreign TEI files, the ODD
corpus) skip with a clear reason on a user's machine where it is not beside the clone.
It is found through ``$TEIPIPE_SHARED`` or as ``shared/`` beside the checkout (product
code never looks for it: what it needs ships inside the package).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property-based tests (tests/test_fuzz_convert.py): CI runs a fixed, derandomized
# budget, so that a run is the same on every machine; the long profile is the
# documented deeper run (docs/convert.md): HYPOTHESIS_PROFILE=long python -m pytest ...
_FUZZ = dict(deadline=None, database=None, print_blob=True,
             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("ci", max_examples=150, derandomize=True, **_FUZZ)
settings.register_profile("long", max_examples=10_000, **_FUZZ)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def find_shared() -> Path | None:
    """``$TEIPIPE_SHARED``, else ``../shared`` beside the checkout or the working folder."""
    env = os.environ.get("TEIPIPE_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [ROOT.parent / "shared", Path.cwd().parent / "shared"]
    for c in candidates:
        if (c / "tei" / "tei_all.rng").exists():
            return c
    return None


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    d = find_shared()
    if d is None:
        pytest.skip("../shared (TEI schema and foreign TEI files) is not beside this clone "
                    "(set TEIPIPE_SHARED to its path)")
    return d


@pytest.fixture(scope="session")
def tei_all_rng(shared_dir: Path) -> Path:
    return shared_dir / "tei" / "tei_all.rng"


@pytest.fixture(scope="session")
def foreign_tei(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "foreign-tei").glob("*.xml"))


@pytest.fixture(scope="session")
def odd_corpus(shared_dir: Path) -> Path:
    d = shared_dir / "odd-corpus"
    if not (d / "README.md").exists():
        pytest.skip(f"the ODD corpus is not in {shared_dir} (shared/odd-corpus)")
    return d


@pytest.fixture()
def sources(tmp_path: Path) -> Path:
    """A private copy of the seeds, free to be edited by a test."""
    d = tmp_path / "src"
    d.mkdir()
    for s in SEEDS:
        shutil.copy(s, d / s.name)
    return d
