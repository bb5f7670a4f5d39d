"""The memory backend (`ipgraph.store.memory`): rdflib's engine on a private copy of the query."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from ipgraph.errors import UsageError
from ipgraph.store import MemoryStore

A, B, P = URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:p")
G1, G2 = URIRef("urn:g1"), URIRef("urn:g2")


def two_graphs() -> MemoryStore:
    store = MemoryStore()
    store.replace_graphs(
        {G1: Graph().add((A, P, B)), G2: Graph().add((A, RDFS.label, Literal("a", lang="en")))}
    )
    return store


def test_execute_runs_a_checked_query_with_bindings() -> None:
    store = two_graphs()
    parsed = store.check("SELECT ?o WHERE { ?s ?p ?o }")
    assert store.execute(parsed, {"p": P}).rows == [(B,)]
    assert len(store.execute(parsed, {}).rows) == 2
    assert store.execute(parsed, {}, max_rows=1).truncated


def test_execute_takes_the_protocol_graphs() -> None:
    store = two_graphs()
    parsed = store.check("SELECT ?o WHERE { ?s ?p ?o }")
    assert store.execute(parsed, {}, ((G1,), ())).rows == [(B,)]
    named = store.check("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert store.execute(named, {}, ((), (G2,))).rows == [(G2,)]
    # the cached query is unchanged: the next run sees the union again
    assert len(store.execute(parsed, {}).rows) == 2


def test_replace_graphs_never_duplicates() -> None:
    store = two_graphs()
    store.replace_graphs({G1: Graph().add((A, P, A))})
    assert len(store) == 2 and store.graph_size(G1) == 1
    assert store.graph_names() == [G1, G2] or set(store.graph_names()) == {G1, G2}


def test_objects_and_label_rows() -> None:
    store = two_graphs()
    assert list(store.objects([A, B], [P, RDFS.label])) == [
        (A, P, B),
        (A, RDFS.label, Literal("a", lang="en")),
    ]
    assert (A, RDFS.label, Literal("a", lang="en")) in store.label_rows()


def test_any_rdflib_graph_is_queried_as_it_is() -> None:
    g = Graph().add((A, P, B))
    store = MemoryStore(g)
    assert store.select("SELECT ?o WHERE { <urn:a> <urn:p> ?o }") == [("urn:b",)]
    assert isinstance(store.dataset, Dataset)


def test_graph_selection_is_refused_on_plain_queries() -> None:
    with pytest.raises(UsageError, match="not supported on memory"):
        two_graphs().query("ASK {}", default_graphs=[G1])
