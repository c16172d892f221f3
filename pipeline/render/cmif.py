"""Correspondence metadata as CMIF (the correspSearch profile), so the telegrams can be
found beside other editions of letters. The mapping is ``xslt/cmif.xsl``::

    data = export_cmif(["tei/wcda-113640.xml", ...], date="2026-01-01")
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from pipeline import resources
from pipeline.render import Renderer
from pipeline.render.pdf import gather


def default_date() -> str:
    """The CMIF publication date: $SOURCE_DATE_EPOCH if set (reproducible builds), else none."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return time.strftime("%Y-%m-%d", time.gmtime(int(epoch)))
    return ""


#: Namespace of the bibl ids: a UUID made from the edition's name is the same on every
#: export, as CMIF asks ("static, i.e. doesn't change when the CMIF is regenerated").
_BIBL_NS = uuid.UUID("6f1c3f0e-5d1b-4c53-9a5e-2b7f0c1d8e4a")


def file_url(url: str, name: str) -> str:
    """The CMIF file's own address: ``url`` itself, or, when ``url`` ends in "/" (the
    edition's base address, as a project's settings give it), ``url`` + ``name``."""
    return url + name if url.endswith("/") else url


def edition_url(url: str) -> str:
    """The folder the CMIF file is published in (the edition's address), for the
    publisher's link: ``https://example.org/ed/cmif.xml`` -> ``https://example.org/ed/``."""
    return url[: url.rindex("/") + 1] if re.match(r"https?://[^/]+/", url) else url


def export_cmif(tei_paths: Iterable[str | Path], *, date: str | None = None, title: str = "",
                editor: str = "", email: str = "", url: str = "", publisher: str = "",
                renderer: Renderer | None = None) -> bytes:
    """The CMIF file for the given TEI files (UTF-8 bytes, deterministic).

    ``date`` (YYYY-MM-DD) is the file's publication date and ``url`` the address it is
    published at; correspSearch needs both (without them the file is valid TEI but
    not harvestable CMIF). ``editor`` (with ``email``) and ``publisher`` name who is
    responsible for it.
    """
    renderer = renderer or Renderer()
    params = {"date": default_date() if date is None else date}
    for key, value in (("title", title), ("editor", editor), ("email", email), ("url", url),
                       ("publisher", publisher), ("edition-url", edition_url(url) if url else "")):
        if value:
            params[key] = value
    out = renderer.run("cmif", gather(tei_paths), "<cmif>", **params)
    body = out.split("?>", 1)[1].lstrip("\n") if out.startswith("<?xml ") else out
    # the schemas it follows, for editors and for `teipipe validate` (which maps these
    # published URLs to its bundled copies, so no network is needed)
    return _uuid_ids('<?xml version="1.0" encoding="UTF-8"?>\n' + resources.cmif_model_pis()
                     + body).encode("utf-8")


def _uuid_ids(cmif: str) -> str:
    # The stylesheet names each edition's bibl "ed-<slug of its name>"; CMIF wants a UUID
    # there (cmif.sch W0001), which XPath cannot make: the slug is replaced by the UUID
    # of its name ("ed-" kept, since an xml:id may not begin with a digit).
    slugs = set(re.findall(r'<bibl\b[^>]*\bxml:id="(ed-[^"]+)"', cmif))
    for slug in sorted(slugs):
        new = "ed-" + str(uuid.uuid5(_BIBL_NS, slug))
        cmif = cmif.replace(f'xml:id="{slug}"', f'xml:id="{new}"').replace(
            f'source="#{slug}"', f'source="#{new}"')
    return cmif
