"""Where the project's data files are: stylesheets, schemas, the personography.

In a source checkout (and an editable install) they are the top-level folders
``xslt/``, ``schema/`` and ``tei/``; in an installed wheel the same folders are
shipped as the packages ``pipeline.xslt``, ``pipeline.schema`` and ``pipeline.tei``
(see ``[tool.setuptools.package-dir]`` in pyproject.toml).
"""

from __future__ import annotations

import re
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


# --------------------------------------------------------------------------- #
# Schema URLs: what the <?xml-model?> processing instructions name
# --------------------------------------------------------------------------- #

#: Where the published repository serves its files. The ``<?xml-model?>`` PIs that
#: teipipe writes point here (so an editor opening a file of the published edition
#: finds the schema), and teipipe maps these URLs back to the bundled copies, so no
#: network is needed to validate its own files. The one place to change when the
#: repository moves.
PUBLISHED_REPOSITORY = "https://raw.githubusercontent.com/teipipe/teipipe/main"

RELAXNG_NS = "http://relaxng.org/ns/structure/1.0"
SCHEMATRON_NS = "http://purl.oclc.org/dsdl/schematron"

#: The published URLs of the telegram encoding's schemas.
TELEGRAM_RNG_URL = f"{PUBLISHED_REPOSITORY}/schema/telegram.rng"
TELEGRAM_SCH_URL = f"{PUBLISHED_REPOSITORY}/schema/telegram.sch"
#: The published URL of CMIF's Schematron, shipped with teipipe (schema/cmif.SOURCE.md).
CMIF_SCH_URL = f"{PUBLISHED_REPOSITORY}/schema/cmif.sch"
#: The TEI's published tei_all (the bundled schema/tei_all.rng).
TEI_ALL_URL = "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"

# The TEI publishes tei_all under several addresses (current release, http and https,
# the versioned Vault); every one of them is the grammar shipped as tei_all.rng.
_TEI_ALL_URL = re.compile(
    r"https?://(?:www\.)?tei-c\.org/(?:release|Vault/P5/[\w.-]+|vault/P5/[\w.-]+)"
    r"/xml/tei/custom/schema/relaxng/tei_all\.rng", re.I)



def xml_model_pis(schematron: bool = True) -> str:
    """The ``<?xml-model?>`` PIs every telegram file teipipe writes starts with (as the
    TEI Guidelines recommend: the RELAX NG, then the Schematron), so an editor finds
    the schema; the lines end in a newline."""
    out = (f'<?xml-model href="{TELEGRAM_RNG_URL}" type="application/xml" '
           f'schematypens="{RELAXNG_NS}"?>\n')
    if schematron:
        out += (f'<?xml-model href="{TELEGRAM_SCH_URL}" type="application/xml" '
                f'schematypens="{SCHEMATRON_NS}"?>\n')
    return out


def cmif_model_pis() -> str:
    """The ``<?xml-model?>`` PIs of a CMIF export: tei_all (the export is valid TEI) and
    CMIF's Schematron. Not the SIG's CMIF grammar: the export keeps what the telegrams
    know (date/@cert, availability) where that grammar has no room for it."""
    return (f'<?xml-model href="{TEI_ALL_URL}" type="application/xml" '
            f'schematypens="{RELAXNG_NS}"?>\n'
            f'<?xml-model href="{CMIF_SCH_URL}" type="application/xml" '
            f'schematypens="{SCHEMATRON_NS}"?>\n')


def bundled_schema(url: str) -> Path | None:
    """The bundled file a published schema URL stands for, or None if there is none."""
    u = url.strip()
    if _TEI_ALL_URL.fullmatch(u):
        return tei_all_path()
    for prefix in (PUBLISHED_REPOSITORY + "/schema/",):
        if u.startswith(prefix):
            name = u[len(prefix):]
            if name in ("telegram.rng", "telegram.sch", "telegram.odd", "telegram.xsd",
                        "cmif.sch", "tei_all.rng"):
                return schema_dir() / name
    return None


def is_telegram_schema(url: str) -> bool:
    """Whether a schema URL names the telegram encoding (its published copies)."""
    return url.strip() in (TELEGRAM_RNG_URL, TELEGRAM_SCH_URL,
                           f"{PUBLISHED_REPOSITORY}/schema/telegram.odd",
                           f"{PUBLISHED_REPOSITORY}/schema/telegram.xsd")
