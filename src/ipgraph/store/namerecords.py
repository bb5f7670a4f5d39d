"""The names of entities, read from RDF: what the name index (`ipgraph.store.names`) stores.

A name is one literal of a naming predicate (`NAME_PREDICATES`) about an entity, with the
entity's types; vocabulary terms (classes, properties, ontologies) are not entities and have no
names here: they are reached by CURIE.

>>> from rdflib import Graph
>>> g = Graph().parse(data='<urn:moe> <http://www.w3.org/2000/01/rdf-schema#label> "MOE"@en .')
>>> [(r.iri, r.text, r.kind) for r in name_records(g)]
[('urn:moe', 'MOE', 'label')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from ipgraph.vocab import ELI

__all__ = [
    "NAME_PREDICATES",
    "NameEntry",
    "NameRecord",
    "name_records",
    "records_from_names",
    "records_from_triples",
]

NAME_PREDICATES: dict[URIRef, str] = {
    RDFS.label: "label",
    SKOS.prefLabel: "label",
    SKOS.altLabel: "altLabel",
    SKOS.hiddenLabel: "altLabel",
    SKOS.notation: "notation",
    ELI.id_local: "identifier",
    DCTERMS.identifier: "identifier",
}
"""The predicates whose literals are names, and the kind of name each gives."""

_TERM_TYPES = frozenset(
    str(t)
    for t in (
        OWL.Class,
        RDFS.Class,
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.Ontology,
        SKOS.ConceptScheme,
    )
)


@dataclass(frozen=True)
class NameRecord:
    """One name of one entity, as the index stores it.

    Attributes:
        iri: the entity.
        text: the name as written.
        lang: its language tag (``en``, ``zh``), or None.
        kind: ``label``, ``altLabel``, ``identifier`` or ``notation``.
        types: the entity's rdf:type IRIs (for ``types`` filters and tie weights).
    """

    iri: str
    text: str
    lang: str | None
    kind: str
    types: tuple[str, ...] = ()


NameEntry = tuple[str, str | None, str]
"""One name of an entity: its text, language tag (or None) and kind."""


def name_records(
    graph: Graph, predicates: Mapping[URIRef, str] | None = None
) -> Iterator[NameRecord]:
    """The names of the entities of an rdflib graph (vocabulary terms left out).

    Args:
        graph: a Graph, or a Dataset whose default graph is the union.
        predicates: predicate → kind of name; `NAME_PREDICATES` by default (add e.g. a
            former-name property as ``"altLabel"``).

    >>> g = Graph().parse(data='''
    ...   @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ...   <urn:moe> a <urn:Ministry> ; skos:prefLabel "教育部"@zh ; skos:altLabel "MOE"@en .''')
    >>> sorted((r.text, r.kind, r.types) for r in name_records(g))
    [('MOE', 'altLabel', ('urn:Ministry',)), ('教育部', 'label', ('urn:Ministry',))]
    """
    kinds = dict(predicates or NAME_PREDICATES)
    triples: Iterator[tuple[Node, Node, Node]] = (
        (s, p, o) for p in [*kinds, RDF.type] for s, o in graph.subject_objects(p)
    )
    return records_from_triples(triples, kinds)


def records_from_triples(
    triples: Iterable[tuple[Node, Node, Node]], predicates: Mapping[URIRef, str] | None = None
) -> Iterator[NameRecord]:
    """`NameRecord`s from a stream of triples (any order; only names and types are kept).

    For building an index from a large file or a SPARQL result without an rdflib graph.

    >>> from rdflib import Literal, URIRef
    >>> x = URIRef("urn:x")
    >>> [r.kind for r in records_from_triples([(x, ELI.id_local, Literal("GB/T 1-2020"))])]
    ['identifier']
    """
    kinds = dict(predicates or NAME_PREDICATES)
    names: dict[str, list[NameEntry]] = {}
    types: dict[str, set[str]] = {}
    for s, p, o in triples:
        if not isinstance(s, URIRef):
            continue
        if p == RDF.type:
            if isinstance(o, URIRef):
                types.setdefault(str(s), set()).add(str(o))
        elif isinstance(o, Literal) and p in kinds:
            entry = (str(o), o.language, kinds[p])  # type: ignore[index]
            listed = names.setdefault(str(s), [])
            if entry not in listed:
                listed.append(entry)
    yield from records_from_names(names, types)


def records_from_names(
    names: Mapping[str, list[NameEntry]], types: Mapping[str, Iterable[str]]
) -> Iterator[NameRecord]:
    """`NameRecord`s from names grouped by entity (in order) and the entities' types; entities
    typed as vocabulary terms are left out.

    >>> list(records_from_names({"urn:x": [("X", None, "label")]}, {"urn:x": ["urn:T"]}))
    [NameRecord(iri='urn:x', text='X', lang=None, kind='label', types=('urn:T',))]
    """
    for iri, entries in names.items():
        entity_types = tuple(sorted(set(types.get(iri, ()))))
        if _TERM_TYPES.intersection(entity_types):
            continue
        for text, lang, kind in entries:
            yield NameRecord(iri, text, lang, kind, entity_types)
