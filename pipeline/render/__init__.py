"""Stage 3, render: TEI -> editions, by the XSLT 3.0 stylesheets in ``xslt/``.

``renderer`` runs the stylesheets (HTML, text, summaries); ``site`` writes the
corpus pages, ``pdf`` the print edition, ``cmif`` the correspondence export and
``diplomatic`` the source text back, for the nothing-lost check.

    >>> from pipeline.render import Renderer
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["STYLESHEETS", "TEI_NS", "Renderer", "corpus", "doc_id", "output_id", "processor"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing one module of the stage (pipeline.render.x) does not
    # load the engines behind the whole stage, and worker start-up stays small.
    if name in __all__:
        return getattr(importlib.import_module("pipeline.render.renderer"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
