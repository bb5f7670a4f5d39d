"""Shared helpers of the tests/test_extract_*.py modules: the name table of the bundled data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph

from ipgraph.data import bundled_files
from ipgraph.extract import NameTable, names_from_graph

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "extract"
ID = "https://w3id.org/ipgraph/id/"
DRAFT = "https://w3id.org/ipgraph/draft/"
EN_TEXT = (DATA / "en_report.md").read_text(encoding="utf-8")  # an English report for the tests
ZH_TEXT = (DATA / "zh_report.md").read_text(encoding="utf-8")  # a Chinese report for the tests


@lru_cache(maxsize=1)
def bundled_graph() -> Graph:
    """The ontology and the curated sources (TriG: a named graph per passage, per second source,
    per curator inference; Turtle), as one rdflib data set whose default graph is their union."""
    graph = Dataset(default_union=True)
    for path in bundled_files():
        graph.parse(path, format="trig" if path.suffix == ".trig" else "turtle")
    return graph


@lru_cache(maxsize=1)
def bundled_names() -> NameTable:
    return NameTable(names_from_graph(bundled_graph()))
