"""Shared test fixtures.

Tests that need ``../shared`` (the official TEI schema, the foreign TEI files)
skip with a clear reason on a user's machine where it is not beside the clone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import resources

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
