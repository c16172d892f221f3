"""The diplomatic text of a TEI document (``xslt/diplomatic.xsl``), and the
normalisation under which it must equal the source body.

The stylesheet is compiled once per process and reused.
"""

from __future__ import annotations

import re
import threading

from pipeline import resources, xmlsafe

_lock = threading.Lock()
_compiled: dict[str, object] = {}

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~\"])")


def normalise(text: str) -> str:
    """The comparison form: Markdown escapes dropped, white space runs -> one space."""
    return re.sub(r"\s+", " ", _MD_ESCAPE.sub(r"\1", text)).strip()


def _executable():
    with _lock:
        if "exe" not in _compiled:
            from saxonche import PySaxonProcessor

            from pipeline.render.renderer import compile_stylesheet, harden, seal

            # its own processor (this module is used from threads), as hardened as
            # the Renderer's: it reads nothing a document names
            proc = harden(PySaxonProcessor(license=False))
            xslt = proc.new_xslt30_processor()
            folder = resources.xslt_dir()
            exe = compile_stylesheet(proc, xslt, folder / "diplomatic.xsl", folder)
            seal(proc)
            _compiled["proc"] = proc
            _compiled["exe"] = exe
        return _compiled["proc"], _compiled["exe"]


def diplomatic(tei: bytes, name: str = "<tei>") -> str:
    """The source body as the TEI gives it back.

    The bytes are read by :func:`pipeline.xmlsafe.parse` and Saxon gets the root
    element without any DOCTYPE, as everywhere else.
    """
    from pipeline.render.renderer import for_saxon

    text = for_saxon(xmlsafe.parse(name, tei))
    proc, exe = _executable()
    with _lock:
        node = proc.parse_xml(xml_text=text)
        return exe.transform_to_string(xdm_node=node) or ""
