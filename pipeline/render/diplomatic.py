"""The diplomatic text of a TEI document (``xslt/diplomatic.xsl``), and the
normalisation under which it must equal the source body.

The stylesheet is compiled once per process and reused.
"""

from __future__ import annotations

import re
import threading

from pipeline import resources

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

            proc = PySaxonProcessor(license=False)
            xslt = proc.new_xslt30_processor()
            exe = xslt.compile_stylesheet(
                stylesheet_file=str(resources.xslt_dir() / "diplomatic.xsl"))
            if exe is None:  # pragma: no cover
                raise RuntimeError("xslt/diplomatic.xsl did not compile")
            _compiled["proc"] = proc
            _compiled["exe"] = exe
        return _compiled["proc"], _compiled["exe"]


def diplomatic(tei: bytes) -> str:
    """The source body as the TEI gives it back."""
    proc, exe = _executable()
    with _lock:
        node = proc.parse_xml(xml_text=tei.decode("utf-8"))
        return exe.transform_to_string(xdm_node=node) or ""
