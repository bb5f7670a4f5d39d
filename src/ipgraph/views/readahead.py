"""What the details of many nodes need, read ahead by a few batched queries (`read_ahead`).

A store read by lookups (Oxigraph, a SPARQL server) answers one question about one node at a
time: describing the 500 nodes of a view that way cost some 13,000 lookups. Here the triples
`ipgraph.views.describe.describe_node` reads are fetched by a few queries per ``VALUES``
block into `Triples`, a small graph it reads instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from ipgraph.vocab import IPG

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph

__all__ = ["Triples", "read_ahead"]


class Triples(Graph):
    """A graph of a few thousand triples, indexed by subject and by predicate and object,
    read through rdflib's `Graph` methods (``objects``, ``value``, ``in``, ...).

    rdflib's memory store costs some 50 µs a triple to add: as much as the queries. Triple
    patterns with a subject, or a predicate and an object, are answered (what the details
    ask); others are an error.

    >>> from rdflib import Literal
    >>> graph = Triples()
    >>> graph.add((RDF.type, RDF.value, Literal("x"))) is graph
    True
    >>> graph.value(RDF.type, RDF.value), (RDF.type, RDF.value, Literal("x")) in graph
    (rdflib.term.Literal('x'), True)
    >>> list(graph.subjects(RDF.value, Literal("x")))
    [rdflib.term.URIRef('http://www.w3.org/1999/02/22-rdf-syntax-ns#type')]
    """

    def __init__(self) -> None:
        super().__init__()
        self._out: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._in: dict[tuple[Node, Node], dict[Node, None]] = {}

    def add(self, triple: tuple[Node, Node, Node]) -> Triples:
        s, p, o = triple
        self._out.setdefault(s, {}).setdefault(p, {})[o] = None
        self._in.setdefault((p, o), {})[s] = None
        return self

    def __len__(self) -> int:
        return sum(len(objects) for by in self._out.values() for objects in by.values())

    def triples(self, triple: Any) -> Iterator[Any]:  # type: ignore[override]
        s, p, o = triple
        if s is not None:
            for predicate, objects in self._out.get(s, {}).items():
                if p is None or predicate == p:
                    for obj in objects:
                        if o is None or obj == o:
                            yield s, predicate, obj
        elif p is not None and o is not None:
            for subject in self._in.get((p, o), {}):
                yield subject, p, o
        else:
            raise NotImplementedError(f"Triples answers no pattern ({s}, {p}, {o})")


# What describe_node reads of a node beyond its literals, of a figure and of a passage.
_NODE_LINKS = (RDF.type, PROV.wasDerivedFrom)
_FIGURE_PARTS = (
    IPG.value,
    IPG.referencePeriod,
    IPG.referenceDate,
    IPG.qualifier,
    IPG.unit,
    IPG.measure,
)
_PASSAGE_PARTS = (IPG.inSource, IPG.section, IPG.paragraph, IPG.heading)


def read_ahead(kg: KnowledgeGraph, iris: Sequence[URIRef], figures: int) -> Graph:
    """The triples `describe_node` reads of ``iris``, by batched queries, as a small graph:
    each node's literals, types and passages (with their parts), which figures are about
    it, and the parts of the first ``figures`` figures of each (sorted).

    Read as rows of terms (`ipgraph.store.Store.terms`: CSV from a SPARQL server, which
    writes and reads them several times faster than XML or JSON results)."""
    out = Triples()
    store = kg.store
    for values in _chunks(kg, iris):
        for s, p, o in store.terms(
            ("s", "p", "o"),
            f"VALUES ?s {{ {values} }} ?s ?p ?o "
            f"FILTER(isLiteral(?o) || ?p IN ({_listed(_NODE_LINKS)}))",
            ("s", "p"),
        ):
            out.add((s, p, o))
        # A passage is read in the query that links to it: a blank node keeps its name.
        # All its triples, the parts kept here: Virtuoso answers twice as fast without the
        # filter on ?p (0.2 s against 0.4 s for 500 nodes' 1,500 passage triples).
        for passage_node, p, o in store.terms(
            ("d", "p", "o"),
            f"VALUES ?s {{ {values} }} ?s {PROV.wasDerivedFrom.n3()} ?d . ?d ?p ?o",
            ("d", "p"),
        ):
            if p in _PASSAGE_PARTS:
                out.add((passage_node, p, o))
        for obs, subject in store.terms(
            ("obs", "s"),
            f"VALUES ?s {{ {values} }} ?obs {IPG.about.n3()} ?s FILTER(isIRI(?obs))",
            ("obs", "s"),
        ):
            out.add((obs, IPG.about, subject))
    # The figures shown (the first few of each node, and a node that is one itself).
    shown: list[URIRef] = []
    for iri in iris:
        about = sorted(o for o in out.subjects(IPG.about, iri) if isinstance(o, URIRef))
        shown += about[:figures]
        if (iri, RDF.type, IPG.Observation) in out:
            shown.append(iri)
    for values in _chunks(kg, list(dict.fromkeys(shown))):
        for s, p, o in store.terms(
            ("s", "p", "o"),
            f"VALUES ?s {{ {values} }} ?s ?p ?o FILTER(?p IN ({_listed(_FIGURE_PARTS)}))",
            ("s", "p"),
        ):
            out.add((s, p, o))
    return out


def _listed(terms: Iterable[URIRef]) -> str:
    return ", ".join(term.n3() for term in terms)


def _chunks(kg: KnowledgeGraph, iris: Sequence[URIRef]) -> Iterable[str]:
    """The IRIs as ``VALUES`` lists of at most the store's `values_chunk`."""
    size = kg.store.values_chunk or len(iris) or 1
    for start in range(0, len(iris), size):
        yield " ".join(iri.n3() for iri in iris[start : start + size])
