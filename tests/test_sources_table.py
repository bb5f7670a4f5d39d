"""docs/sources.md is generated from the graph and must be current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import ipgraph

REPO = Path(__file__).resolve().parents[1]


def test_docs_sources_is_current() -> None:
    spec = importlib.util.spec_from_file_location(
        "sources_table", REPO / "scripts" / "sources_table.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.render(ipgraph.load())
    current = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
    assert current == expected, "docs/sources.md is stale: run python scripts/sources_table.py"
