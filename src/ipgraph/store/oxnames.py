"""The name index and load-time figures of an Oxigraph store, kept in step with its loads.

An `ipgraph.store.oxigraph.OxigraphStore` keeps its names in ``PATH/names.sqlite`` (a
`NameIndex`) and, in ``ipgraph.json``, the data directory they were read from (``names``) and
the figures ``ipgraph info`` shows (``stats``: entities per class, named entities). After a load
only the graphs it wrote are read again (`NameIndex.replace_graph`) and the graphs no longer held
are dropped; an index that does not match the data (a store from an older ipgraph, a load
interrupted between the data and the names) is rebuilt from every graph.

Reading a graph's names costs one lookup per naming predicate and one per named entity (its
types, from any graph), never a scan of the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ipgraph.store.namerecords import NAME_PREDICATES, NameRecord, records_from_triples
from ipgraph.store.names import NameIndex
from ipgraph.store.oxterms import ox_converter

__all__ = ["class_counts", "graph_records", "sync_names"]


def graph_records(ox: Any, store: Any, graph: URIRef) -> Iterator[NameRecord]:
    """The names of the entities named in one graph of a pyoxigraph store, with their types
    (read from every graph).

    Args:
        ox: the pyoxigraph module.
        store: a `pyoxigraph.Store`.
        graph: the named graph.
    """
    convert = ox_converter(ox)
    name = ox.NamedNode(str(graph))
    rdf_type = ox.NamedNode(str(RDF.type))

    def triples() -> Iterator[tuple[Node, Node, Node]]:
        subjects: dict[Any, None] = {}
        for predicate in NAME_PREDICATES:
            pattern = store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, name)
            for quad in pattern:
                if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
                    subjects[quad.subject] = None
                    yield convert(quad.subject), predicate, convert(quad.object)
        for subject in subjects:
            iri = convert(subject)
            for quad in store.quads_for_pattern(subject, rdf_type, None):
                yield iri, RDF.type, convert(quad.object)

    return records_from_triples(triples())


def class_counts(store: Any) -> dict[str, int]:
    """Entities per class, by direct type: one aggregate query over the union of the graphs."""
    return {
        row["c"].value: int(row["n"].value)
        for row in store.query(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c",
            use_default_graph_as_union=True,
        )
    }


def sync_names(
    index: NameIndex,
    ox: Any,
    store: Any,
    held: Iterable[URIRef],
    changed: Iterable[URIRef] | None,
) -> None:
    """Bring ``index`` in step with the store.

    Args:
        index: the store's name index.
        ox: the pyoxigraph module.
        store: the `pyoxigraph.Store` holding the data now.
        held: the named graphs the store holds.
        changed: the graphs written since the index last matched the data; None when it
            never did (every graph is read).
    """
    graphs = sorted(set(held))
    todo = graphs if changed is None else sorted(set(changed) & set(graphs))
    for graph in todo:
        index.replace_graph(str(graph), graph_records(ox, store, graph))
    keep = {str(g) for g in graphs}
    for graph_name in index.graphs():
        if graph_name not in keep:
            index.drop_graph(graph_name)
