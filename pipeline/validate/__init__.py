"""Stage 2, validate: TEI -> problems, by the project's ODD (compiled in pure Python
by ``odd``), its Schematron, the project rules (``rules``) and, on request, tei_all.

    >>> from pipeline.validate import Validator
    >>> problems = Validator().validate_file("tei/wcda-113658.xml")
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Validator"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing one module of the stage (pipeline.validate.x) does not
    # load the engines behind the whole stage, and worker start-up stays small.
    if name in __all__:
        return getattr(importlib.import_module("pipeline.validate.validator"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
