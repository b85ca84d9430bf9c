"""Data flows one way: frames -> landmarks -> features -> holds and events -> sinks. A module never
imports from a layer above its own, so each layer can be read (and tested) without the ones above."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "formcheck"
# The package's top-level names by layer. The ones not listed (api, batch, cli, live, explain,
# evaluation, recovery) are the top: they may import anything, and nothing listed imports them.
TOP = 9
LAYERS = {
    "__version__": 0,
    "types": 0,
    "errors": 0,
    "files": 0,
    "stats": 0,
    "interrupt": 0,
    "skeleton": 0,
    "geometry": 0,
    "sources": 1,
    "pose": 2,
    "analysis": 3,
    "render": 4,
    "report": 4,
    "store": 4,
    "settings": 4,
    "runner": 4,
}


def _imports(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "formcheck":
                out += [f"formcheck.{a.name}" for a in node.names]
            elif node.module.startswith("formcheck."):
                out.append(node.module)
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names if a.name.startswith("formcheck.")]
    return out


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = LAYERS.get(path.relative_to(PACKAGE).parts[0].removesuffix(".py"))
        if own is None:
            continue
        for name in _imports(path):
            other = LAYERS.get(name.split(".")[1], TOP)
            if other > own:
                upward.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert not upward, "\n".join(upward)


def test_the_check_sees_imports() -> None:
    """The scan finds the imports it is meant to judge (a check that reads nothing passes anything)."""
    assert "formcheck.skeleton" in _imports(PACKAGE / "geometry.py")
    assert any(n.startswith("formcheck.pose") for n in _imports(PACKAGE / "pose" / "adaptive.py"))
