"""Where the project's data files are: stylesheets, schemas, the personography.

In a source checkout (and an editable install) they are the top-level folders
``xslt/``, ``schema/`` and ``tei/``; in an installed wheel the same folders are
shipped as the packages ``pipeline.xslt``, ``pipeline.schema`` and ``pipeline.tei``
(see ``[tool.setuptools.package-dir]`` in pyproject.toml).
"""

from __future__ import annotations

import os
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def _folder(name: str) -> Path:
    here = _CHECKOUT / name
    if (here / ".teipipe-data").exists():
        return here
    # Installed from a wheel: setuptools put the folder inside the package.
    return Path(__file__).resolve().parent / name


def xslt_dir() -> Path:
    """The folder of XSLT stylesheets."""
    return _folder("xslt")


def schema_dir() -> Path:
    """The folder of the ODD and the schemas compiled from it."""
    return _folder("schema")


def tei_dir() -> Path:
    """The folder holding the personography and gazetteer."""
    return _folder("tei")


def people_path() -> Path:
    """The personography, ``tei/people.xml``."""
    return tei_dir() / "people.xml"


def places_path() -> Path:
    """The gazetteer, ``tei/places.xml``."""
    return tei_dir() / "places.xml"


def shared_dir() -> Path | None:
    """``../shared`` beside the checkout (CI and developers), or $TEIPIPE_SHARED; None for users."""
    env = os.environ.get("TEIPIPE_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(_CHECKOUT.parent / "shared")
    candidates.append(Path.cwd().parent / "shared")
    for c in candidates:
        if (c / "tei" / "tei_all.rng").exists():
            return c
    return None


def p5subset_path() -> Path | None:
    """The TEI source ``p5subset.xml`` if it is at hand (for compiling the ODD)."""
    d = shared_dir()
    return d / "tei" / "p5subset.xml" if d else None


def tei_all_path() -> Path | None:
    """The official ``tei_all.rng`` if it is at hand (for the conformance check)."""
    d = shared_dir()
    return d / "tei" / "tei_all.rng" if d else None
