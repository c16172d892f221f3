"""Correspondence metadata as CMIF (the correspSearch profile), so the telegrams can be
found beside other editions of letters. The mapping is ``xslt/cmif.xsl``::

    data = export_cmif(["tei/wcda-113640.xml", ...], date="2026-01-01")
"""

from __future__ import annotations

import os
import time
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


def export_cmif(tei_paths: Iterable[str | Path], *, date: str | None = None, title: str = "",
                editor: str = "", email: str = "", url: str = "",
                renderer: Renderer | None = None) -> bytes:
    """The CMIF file for the given TEI files (UTF-8 bytes, deterministic)."""
    renderer = renderer or Renderer()
    params = {"date": default_date() if date is None else date}
    for key, value in (("title", title), ("editor", editor), ("email", email), ("url", url)):
        if value:
            params[key] = value
    out = renderer.run("cmif", gather(tei_paths), "<cmif>", **params)
    body = out.split("?>", 1)[1].lstrip("\n") if out.startswith("<?xml ") else out
    # the schemas it follows, for editors and for `teipipe validate` (which maps these
    # published URLs to its bundled copies, so no network is needed)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + resources.cmif_model_pis()
            + body).encode("utf-8")
