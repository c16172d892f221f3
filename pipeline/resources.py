"""Where the project's data files are: stylesheets, schemas, the personography.

In a source checkout (and an editable install) they are the top-level folders
``xslt/``, ``schema/`` and ``tei/``; in an installed wheel the same folders are
shipped as the packages ``pipeline.xslt``, ``pipeline.schema`` and ``pipeline.tei``
(see ``[tool.setuptools.package-dir]`` in pyproject.toml).
"""

from __future__ import annotations

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


def p5subset_path() -> Path:
    """The TEI source the ODD compiler reads, shipped xz-compressed with teipipe.

    TEI P5 ``p5subset.xml`` (CC-BY 3.0 / BSD-2, see schema/p5subset.SOURCE.md);
    ``teipipe schema build --source FILE`` takes another release.
    """
    return schema_dir() / "p5subset.xml.xz"


def tei_all_path() -> Path:
    """The official ``tei_all.rng`` shipped with teipipe (see schema/tei_all.SOURCE.md)."""
    return schema_dir() / "tei_all.rng"
