"""Data flows one way: each stage imports only itself and the stages before it.

source text -> convert -> validate -> render -> build -> cli; the modules at the top of
the package (errors, files, resources, xmlsafe) are the floor every stage stands on.
A late import inside a function counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
LAYERS = {"base": 0, "convert": 1, "validate": 2, "render": 3, "build": 4, "cli": 5}


def layer(module: str) -> str:
    """The layer of a module given as ``pipeline.x.y``."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1] in ("errors", "files", "resources", "xmlsafe", "__init__"):
        return "base"
    if parts[1] == "serve":  # serving is building, kept running: it imports build
        return "build"
    return parts[1] if parts[1] in LAYERS else "base"


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("pipeline")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline"):
            mod = node.module or ""
            # "from pipeline import build" names a module, not a name of pipeline/__init__
            found += [(node.lineno, f"{mod}.{a.name}" if mod == "pipeline" else mod)
                      for a in node.names]
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_go_downward(path: Path) -> None:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    own = layer(".".join(rel.parts))
    upward = [f"line {n}: {m} ({layer(m)})" for n, m in imports(path)
              if LAYERS[layer(m)] > LAYERS[own]]
    assert not upward, f"{rel} is in the {own} stage and imports a later stage: {upward}"


def test_the_stages_are_folders() -> None:
    for stage in ("convert", "validate", "render"):
        assert (PACKAGE / stage / "__init__.py").is_file()
