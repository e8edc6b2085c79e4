"""The report renderers stay independent: each imports tq.types and tq.report.common, no other part of tq."""
from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

import tq.report

REPORT = Path(tq.report.__file__).parent
RENDERERS = ["text", "json", "markdown", "html", "xlsx", "frame", "tmx"]
ALLOWED = {"tq.types", "tq.report.common"}


def _tq_imports(path: Path) -> set[str]:
    """The tq modules a file imports, relative imports resolved (function-level ones too)."""
    package = "tq.report"
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) if node.level else node.module
            if base == package:  # `from . import x`: the modules x
                found.update(f"{base}.{alias.name}" for alias in node.names)
            elif base:
                found.add(base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "tq" or name.startswith("tq.")}


@pytest.mark.parametrize("name", RENDERERS)
def test_each_renderer_depends_on_the_types_and_the_shared_helpers_only(name):
    assert _tq_imports(REPORT / f"{name}.py") <= ALLOWED


def test_the_shared_helpers_depend_on_nothing_of_tq():
    assert _tq_imports(REPORT / "common.py") == set()


def test_every_format_has_a_renderer():
    for fmt, (module, function) in tq.report._RENDERERS.items():
        assert callable(getattr(importlib.import_module(f"tq.report.{module}"), function)), fmt
    with pytest.raises(ValueError, match="unknown format"):
        tq.report.render(None, "pdf")
