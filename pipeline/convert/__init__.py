"""Stage 1, convert: the archive's text export -> document model -> TEI.

Readers (``sourcefile``, ``reader``) build the typed model (``model``); the writer
(``tei``, ``inline``) walks it and emits TEI; ``names`` and ``dates`` find the
people, places and dates in running text. The public face::

    >>> from pipeline.convert import Converter
    >>> conversion = Converter().convert_file("seeds/000_52bc27a42b43e391.txt")
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Conversion", "Converter", "Summary", "convert_paths", "iter_sources"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing one module of the stage (pipeline.convert.x) does not
    # load the engines behind the whole stage, and worker start-up stays small.
    if name in __all__:
        return getattr(importlib.import_module("pipeline.convert.converter"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
