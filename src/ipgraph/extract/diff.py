"""What a draft would add to a graph: new entities, new statements, and what is already known.

>>> from rdflib import Graph, URIRef, Literal
>>> from rdflib.namespace import RDFS
>>> a, b = URIRef("https://w3id.org/ipgraph/id/agency/a"), URIRef("https://w3id.org/ipgraph/draft/agency/b")
>>> draft, graph = Graph(), Graph()
>>> _ = draft.add((a, RDFS.label, Literal("A", lang="en")))
>>> _ = draft.add((b, RDFS.label, Literal("B", lang="en")))
>>> _ = graph.add((a, RDFS.label, Literal("A", lang="en")))
>>> d = diff(draft, graph)
>>> [str(e) for e in d.new_entities], len(d.new_statements), len(d.known)
(['https://w3id.org/ipgraph/draft/agency/b'], 1, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import PROV, RDFS
from rdflib.term import Node

from ipgraph.extract.draft import Draft
from ipgraph.vocab import IPG

Triple = tuple[Node, Node, Node]


@dataclass
class DraftDiff:
    """The difference a draft makes.

    Attributes:
        new_entities: subjects the graph says nothing about.
        known_entities: subjects the graph already has.
        new_statements: asserted candidate triples the graph lacks (provenance left out).
        known: asserted candidate triples the graph already has.
        provenance: the draft's ``prov:wasDerivedFrom`` triples (always new: new passages).
    """

    new_entities: list[URIRef] = field(default_factory=list)
    known_entities: list[URIRef] = field(default_factory=list)
    new_statements: list[Triple] = field(default_factory=list)
    known: list[Triple] = field(default_factory=list)
    provenance: list[Triple] = field(default_factory=list)
    labels: dict[URIRef, str] = field(default_factory=dict)
    """The draft's own label of each new entity (English first)."""

    def summary(self) -> str:
        """One line per count, for people."""
        return (
            f"{len(self.new_entities)} new entities, {len(self.known_entities)} known entities, "
            f"{len(self.new_statements)} new statements, {len(self.known)} already known"
        )


def diff(draft: Draft | Graph, graph: Graph) -> DraftDiff:
    """Compare a draft with a graph.

    Args:
        draft: a `Draft` or its graph (``draft.graph()`` or a parsed draft file).
        graph: the graph to compare with (a Graph or a Dataset with a union default graph).

    Returns:
        A `DraftDiff`. The draft's bookkeeping (its rdf:Statement nodes, source and passages)
        is left out.
    """
    g = draft.graph() if isinstance(draft, Draft) else draft
    bookkeeping = set(g.subjects(RDF.subject, None))
    bookkeeping |= set(g.subjects(RDF.type, IPG.Passage)) | set(g.subjects(RDF.type, IPG.Source))
    out = DraftDiff()
    subjects: set[URIRef] = set()
    for s, p, o in sorted(g, key=lambda t: tuple(str(x) for x in t)):
        if s in bookkeeping or not isinstance(s, URIRef):
            continue
        subjects.add(s)
        if p == PROV.wasDerivedFrom:
            out.provenance.append((s, p, o))
        elif (s, p, o) in graph:
            out.known.append((s, p, o))
        else:
            out.new_statements.append((s, p, o))
    for s in sorted(subjects, key=str):
        if (s, None, None) in graph:
            out.known_entities.append(s)
        else:
            out.new_entities.append(s)
            names = sorted(
                g.objects(s, RDFS.label), key=lambda x: getattr(x, "language", "") != "en"
            )
            if names:
                out.labels[s] = str(names[0])
    return out
