"""The synthetic graph generator: conforming, deterministic, the size asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

import ipgraph
from ipgraph import synth
from ipgraph.vocab import IPG


def test_small_graph_conforms_to_the_shapes(tmp_path: Path) -> None:
    target = tmp_path / "synth.nt"
    synth.write(target, 3000, seed=11)
    report = ipgraph.load(target).validate()
    assert report.conforms, [str(r) for r in report.results[:5]]


def test_same_seed_same_graph_other_seed_other_graph() -> None:
    assert list(synth.generate(2000, seed=5)) == list(synth.generate(2000, seed=5))
    assert list(synth.generate(2000, seed=5)) != list(synth.generate(2000, seed=6))


@pytest.mark.parametrize("size", [500, 5000, 50000])
def test_size_within_ten_percent(size: int) -> None:
    lines = list(synth.generate(size, seed=1))
    graph = Graph().parse(data="\n".join(lines), format="nt")
    assert len(lines) == len(graph)  # no duplicate statements
    assert abs(len(graph) - size) <= size * 0.10


def test_realistic_proportions() -> None:
    graph = Graph().parse(data="\n".join(synth.generate(20000, seed=2)), format="nt")

    def count(cls: URIRef) -> int:
        return len(set(graph.subjects(RDF.type, cls)))

    agencies = count(IPG.Agency) + count(IPG.Ministry)
    documents = sum(
        count(c) for c in (IPG.Notice, IPG.Opinion, IPG.Guideline, IPG.Plan, IPG.Report)
    )
    assert 3 <= agencies <= 10 < documents
    assert count(IPG.Observation) > 0 and count(IPG.Passage) > 0 and count(IPG.City) > 0
    assert set(graph.objects(None, IPG.partOf))  # a region hierarchy
