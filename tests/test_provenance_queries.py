"""The provenance named queries against answers computed from the quads in Python."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

import ipgraph
from ipgraph.vocab import ELI, IPG, PREFIXES

DCTERMS = PREFIXES["dcterms"]
SCHEMA = PREFIXES["schema"]


@pytest.fixture(scope="module")
def kg() -> ipgraph.KnowledgeGraph:
    return ipgraph.load()


@pytest.fixture(scope="module")
def quads(kg: ipgraph.KnowledgeGraph) -> list[tuple[Any, Any, Any, URIRef]]:
    return [
        (s, p, o, URIRef(str(getattr(g, "identifier", g))))
        for s, p, o, g in kg.graph.quads((None, None, None, None))
    ]


def rows(kg: ipgraph.KnowledgeGraph, name: str, **params: str) -> list[dict[str, Any]]:
    result = kg.query_named(name, **params)
    return [dict(zip(result.vars, row, strict=True)) for row in result.rows]


def test_statement_sources(kg: ipgraph.KnowledgeGraph, quads: list[Any]) -> None:
    day = kg.resolve("China Brand Day 2021")
    expected = {(p, o, g) for s, p, o, g in quads if s == day}
    got = {
        (r["predicate"], r["object"], r["graph"])
        for r in rows(kg, "statement-sources", entity="China Brand Day 2021")
    }
    assert got == expected
    kinds = {
        r["graph"]: str(r["kind"])
        for r in rows(kg, "statement-sources", entity="China Brand Day 2021")
    }
    for graph, kind in kinds.items():
        if (graph, RDF.type, IPG.Passage) in kg.graph:
            expected_kind = "stated"
        elif (graph, RDF.type, IPG.CuratorInference) in kg.graph:
            expected_kind = "inferred"
        else:
            expected_kind = "second source"
        assert kind == expected_kind, graph


def test_inferred_statements(kg: ipgraph.KnowledgeGraph, quads: list[Any]) -> None:
    inferences = set(kg.graph.subjects(RDF.type, IPG.CuratorInference))
    expected = {(g, s, p, o) for s, p, o, g in quads if g in inferences and s != g}
    got = {
        (r["inference"], r["subject"], r["predicate"], r["object"])
        for r in rows(kg, "inferred-statements")
    }
    assert got == expected and len(got) > 100


def test_conflicting_figures(kg: ipgraph.KnowledgeGraph, quads: list[Any]) -> None:
    targets = set(kg.graph.objects(None, IPG.target))
    value_in: dict[Any, set[tuple[Any, URIRef]]] = defaultdict(set)
    for s, p, o, g in quads:
        if p == IPG.value and s not in targets:
            value_in[s].add((o, g))
    key: dict[Any, set[Any]] = defaultdict(set)
    for figure in value_in:
        measure = kg.graph.value(figure, IPG.measure)
        when = kg.graph.value(figure, IPG.referencePeriod) or kg.graph.value(
            figure, IPG.referenceDate
        )
        for about in kg.graph.objects(figure, IPG.about):
            key[(measure, about, when)].add(figure)
    expected = set()
    for figures in key.values():
        for a in figures:
            for b in figures:
                if str(a) < str(b) and any(
                    va != vb and ga != gb for va, ga in value_in[a] for vb, gb in value_in[b]
                ):
                    expected.add((a, b))
    got = {(r["figure"], r["otherFigure"]) for r in rows(kg, "conflicting-figures")}
    assert got == expected
    ours = URIRef(
        "https://w3id.org/ipgraph/id/observation/cnipa-ar2021-ch4/transactions-universities-institutes"
    )
    assert any(ours in pair for pair in got)


def test_indicator_progress(kg: ipgraph.KnowledgeGraph) -> None:
    targets = set(kg.graph.objects(None, IPG.target))
    expected = {}
    for plan, target in kg.graph.subject_objects(IPG.target):
        indicator = kg.graph.value(target, IPG.measure)
        observed = [
            (
                str(kg.graph.value(o, IPG.referenceDate) or kg.graph.value(o, IPG.referencePeriod))[
                    :4
                ],
                o,
            )
            for o in kg.graph.subjects(IPG.measure, indicator)
            if o not in targets
        ]
        latest_year = max(year for year, _ in observed) if observed else None
        expected[(plan, indicator, kg.graph.value(target, IPG.value))] = {
            kg.graph.value(o, IPG.value) for year, o in observed if year == latest_year
        }
    got: dict[Any, set[Any]] = defaultdict(set)
    for r in rows(kg, "indicator-progress"):
        got[(r["plan"], r["indicator"], r["target"])].add(r["latest"])
    assert dict(got) == expected


def test_documents_by_date(kg: ipgraph.KnowledgeGraph) -> None:
    dated = {
        d
        for d in set(kg.graph.subjects(ELI.date_document, None))
        | set(kg.graph.subjects(ELI.date_publication, None))
    }
    got = [r["document"] for r in rows(kg, "documents-by-date")]
    assert set(got) == dated and len(got) == len(dated)
    keys = [
        str(kg.graph.value(d, ELI.date_document) or kg.graph.value(d, ELI.date_publication))
        for d in got
    ]
    assert keys == sorted(keys)


def test_documents_by_number(kg: ipgraph.KnowledgeGraph, quads: list[Any]) -> None:
    expected = {(o, s, g) for s, p, o, g in quads if p == ELI.id_local and "/document/" in str(s)}
    got = {(r["number"], r["document"], r["source"]) for r in rows(kg, "documents-by-number")}
    assert got == expected


def test_statements_per_source(kg: ipgraph.KnowledgeGraph, quads: list[Any]) -> None:
    described = {
        g
        for g in {q[3] for q in quads}
        if any(
            (g, RDF.type, c) in kg.graph for c in (IPG.Passage, IPG.Source, IPG.CuratorInference)
        )
    }
    expected = Counter(g for *_, g in quads if g in described)
    got = {r["graph"]: int(r["statements"]) for r in rows(kg, "statements-per-source")}
    assert got == dict(expected)


def test_official_and_translated_names(kg: ipgraph.KnowledgeGraph, quads: list[Any]) -> None:
    status = {
        IPG.officialName: "official",
        IPG.translatedName: "translated",
        IPG.formerName: "former",
    }
    expected = {(s, status[p], o, g) for s, p, o, g in quads if p in status}
    got = {
        (r["entity"], str(r["status"]), r["name"], r["source"])
        for r in rows(kg, "official-and-translated-names")
    }
    assert got == expected


def test_second_sources(kg: ipgraph.KnowledgeGraph) -> None:
    expected = set(kg.graph.subjects(SCHEMA.url, None))
    got = [r["source"] for r in rows(kg, "second-sources")]
    assert set(got) == expected and len(got) == len(expected)
    dates = [str(kg.graph.value(s, DCTERMS.issued)) for s in got]
    assert dates == sorted(dates, reverse=True)
    for r in rows(kg, "second-sources"):
        assert str(r["publisher"]) == str(kg.label(kg.graph.value(r["source"], DCTERMS.publisher)))
        assert (r["source"], RDFS.label, None) in kg.graph
