"""The name index and load-time figures of an Oxigraph store, kept in step with its loads.

An `ipgraph.store.oxigraph.OxigraphStore` keeps its names in ``PATH/names.sqlite`` (a
`NameIndex`) and, in ``ipgraph.json``, the data directory they were read from (``names``) and
the figures ``ipgraph info`` shows (``stats``: entities per class, named entities) with the
predicates used, which lookups read instead of asking. After a load
only the graphs it wrote are read again (`NameIndex.replace_graph`) and the graphs no longer held
are dropped; an index that does not match the data (a store from an older ipgraph, a load
interrupted between the data and the names) is rebuilt from every graph.

Reading a graph's names costs one lookup per naming predicate, then the types of the entities
named: one lookup each when they are few, else one pass over the type statements; never a scan
of the whole store.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from rdflib import URIRef
from rdflib.namespace import RDF

from ipgraph.store.namerecords import NAME_PREDICATES, NameEntry, NameRecord, records_from_names
from ipgraph.store.names import NameIndex

__all__ = ["class_counts", "figures", "graph_records", "predicates_used", "sync_names"]

_TYPE_LOOKUPS = 2000  # entities up to which types are looked up one by one


def graph_records(ox: Any, store: Any, graph: URIRef) -> Iterator[NameRecord]:
    """The names of the entities named in one graph of a pyoxigraph store, with their types
    (read from every graph).

    Args:
        ox: the pyoxigraph module.
        store: a `pyoxigraph.Store`.
        graph: the named graph.

    >>> import pyoxigraph
    >>> store, g = pyoxigraph.Store(), pyoxigraph.NamedNode("urn:g")
    >>> x = pyoxigraph.NamedNode("urn:x")
    >>> label = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    >>> store.add(pyoxigraph.Quad(x, label, pyoxigraph.Literal("X", language="en"), g))
    >>> [(r.iri, r.text, r.lang) for r in graph_records(pyoxigraph, store, URIRef("urn:g"))]
    [('urn:x', 'X', 'en')]
    """
    # Terms are read as strings, never made rdflib terms: at a million triples the
    # conversion, not the store, was most of the time.
    named_node, literal = ox.NamedNode, ox.Literal
    name = named_node(str(graph))
    names: dict[str, list[NameEntry]] = {}
    for predicate, kind in NAME_PREDICATES.items():
        for quad in store.quads_for_pattern(None, named_node(str(predicate)), None, name):
            subject, value = quad.subject, quad.object
            if isinstance(subject, named_node) and isinstance(value, literal):
                entry = (value.value, value.language, kind)
                listed = names.setdefault(subject.value, [])
                if entry not in listed:
                    listed.append(entry)
    return records_from_names(names, _types(ox, store, names))


def _types(ox: Any, store: Any, entities: Collection[str]) -> dict[str, list[str]]:
    """The rdf:type IRIs of ``entities``, from every graph: a lookup per entity when they are
    few, else one pass over all the type statements (cheaper than that many lookups)."""
    named_node = ox.NamedNode
    rdf_type = named_node(str(RDF.type))
    types: dict[str, list[str]] = {}
    if len(entities) <= _TYPE_LOOKUPS:
        for iri in entities:
            for quad in store.quads_for_pattern(named_node(iri), rdf_type, None):
                if isinstance(quad.object, named_node):
                    types.setdefault(iri, []).append(quad.object.value)
        return types
    for quad in store.quads_for_pattern(None, rdf_type, None):
        subject, value = quad.subject, quad.object
        if isinstance(subject, named_node) and isinstance(value, named_node):
            iri = subject.value
            if iri in entities:
                types.setdefault(iri, []).append(value.value)
    return types


def class_counts(store: Any) -> dict[str, int]:
    """Entities per class, by direct type: one aggregate query over the union of the graphs."""
    return {
        row["c"].value: int(row["n"].value)
        for row in store.query(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c",
            use_default_graph_as_union=True,
        )
    }


def predicates_used(store: Any, graphs: Iterable[URIRef] | None) -> set[str]:
    """The IRIs used as predicates in ``graphs`` (None: in every named graph): one pass over
    their statements (some 4 s for five million), at load time only, so that lookups know a
    predicate without asking (`ipgraph.graph.relations`)."""
    texts = (
        ["SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } }"]
        if graphs is None
        else [f"SELECT DISTINCT ?p WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}" for g in graphs]
    )
    return {row["p"].value for text in texts for row in store.query(text)}


def figures(
    store: Any,
    kept: Mapping[str, Any],
    entities: int,
    changed: Iterable[URIRef] | None,
    only_predicates: bool,
) -> dict[str, Any]:
    """The figures an Oxigraph store keeps in ``ipgraph.json`` after a load: entities per class,
    named ``entities``, and the predicates used: those of the graphs ``changed`` added to those
    ``kept`` (a predicate no longer used stays listed, which only costs lookups one more
    question); every graph is read when ``changed`` is None or nothing was kept (a store
    written by an older ipgraph). With ``only_predicates`` (figures kept by an older
    ipgraph), the rest is kept as it was."""
    if only_predicates:
        return {**kept, "predicates": sorted(predicates_used(store, None))}
    if changed is None or "predicates" not in kept:  # nothing kept to add to: read all
        used = predicates_used(store, None)
    else:
        used = set(kept["predicates"]) | predicates_used(store, changed)
    return {"classes": class_counts(store), "entities": entities, "predicates": sorted(used)}


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
