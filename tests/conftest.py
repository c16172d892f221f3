"""Shared test fixtures.

Tests that need ``../shared`` (the official TEI schema, the foreign TEI files)
skip with a clear reason on a user's machine where it is not beside the clone.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from pipeline import resources

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


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    d = resources.shared_dir()
    if d is None:
        pytest.skip("../shared (TEI schema and foreign TEI files) is not beside this clone")
    return d


@pytest.fixture(scope="session")
def tei_all_rng(shared_dir: Path) -> Path:
    return shared_dir / "tei" / "tei_all.rng"


@pytest.fixture(scope="session")
def foreign_tei(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "foreign-tei").glob("*.xml"))
