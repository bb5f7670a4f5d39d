"""The entity projection: the knowledge graph as a networkx `MultiDiGraph` of entities.

Nodes are the *entities* of the graph — agencies, documents, programs, regions, organizations,
organization categories, concepts — and each edge is one RDF triple between two of them, keyed
by its predicate and pointing the way the triple points (subject → object). What is left out:

- literals (names, years, values): they become node attributes or are dropped;
- ontology terms: classes, properties, ontologies, SKOS concept schemes, anything that is the
  object of ``rdf:type`` or used as a predicate, and the terms of the standard vocabularies
  (rdf, rdfs, owl, skos, prov, org, eli, schema, dcterms, qb, ...); ``rdf:type`` edges;
- blank nodes, and IRIs that are never the subject of a triple (external identifiers such
  as Wikidata items reached by ``owl:sameAs``);
- unless asked for with ``include``: ``"provenance"`` — sources and passages (``ipg:Source``,
  ``ipg:Passage`` and their subclasses), so ``prov:wasDerivedFrom`` edges; ``"observations"``
  — statistical observations (``ipg:Observation`` / ``qb:Observation``) together with the
  controlled values only they point to (``ipg:Measure``, ``ipg:Unit``, ``ipg:Qualifier``).
  Observations are left out by default because every figure about a program would otherwise
  be a detour on its paths and the shared units ("percent") would be false shortcuts.

Node attributes: ``label`` (display label), ``label_en``, ``label_zh`` (``""`` when missing)
and ``types`` (a tuple of the node's ``rdf:type`` IRIs). Edge attributes: ``predicate`` (the
IRI, also the edge key), ``label_en`` and ``label_zh`` of the predicate. The graph attribute
``superclasses`` maps every class seen to all its superclasses (itself included), so type
filters take subclasses into account without asking the store again.

`build_projection` reads the triples once (any rdflib `Graph` or `Dataset`, so any store
behind rdflib works); `KnowledgeGraph.projection` caches the result until the data changes.

>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
... @prefix ipg: <https://w3id.org/ipgraph/ontology#> .
... @prefix agency: <https://w3id.org/ipgraph/id/agency/> .
... @prefix doc: <https://w3id.org/ipgraph/id/document/> .
... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... doc:notice a ipg:Notice ; rdfs:label "A notice"@en ; ipg:issuedBy agency:cnipa ;
...     ipg:year "2021" .
... agency:cnipa a ipg:Agency ; rdfs:label "CNIPA"@en, "国家知识产权局"@zh .
... ''')
>>> G = build_projection(g)
>>> sorted(G.nodes[n]["label"] for n in G)
['A notice', 'CNIPA']
>>> [(G.nodes[u]["label"], d["label_en"], G.nodes[v]["label_zh"]) for u, v, d in G.edges(data=True)]
[('A notice', 'issuedBy', '国家知识产权局')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ipgraph.errors import UsageError
from ipgraph.graph.include import INCLUDE_GROUPS, normalize_include
from ipgraph.terms import (
    DISPLAY_LABELS,
    SCHEMA_PREDICATES,
    TERM_TYPES,
    VOCABULARY_NAMESPACES,
    local_name,
    superclasses,
)

__all__ = ["build_projection", "export_projection", "undirected"]


def build_projection(graph: Graph, include: Iterable[str] | str | None = ()) -> nx.MultiDiGraph:
    """Build the entity projection of ``graph`` in one pass over its triples.

    Args:
        graph: any rdflib `Graph` (a `Dataset` with a union default graph reads all of it).
        include: groups left out by default to add back: ``"observations"``,
            ``"provenance"``.

    Returns:
        A `networkx.MultiDiGraph` whose nodes are entity IRIs (`URIRef`) and whose edges are
        the triples between them, keyed by predicate (see the module docstring).

    Raises:
        UsageError: an unknown ``include`` group.
    """
    groups = normalize_include(include)
    types: dict[URIRef, list[URIRef]] = defaultdict(list)
    labels: dict[URIRef, dict[str, str]] = defaultdict(dict)
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    subjects: dict[URIRef, None] = {}  # insertion-ordered: node order follows the data
    terms: set[URIRef] = set()
    predicates: set[URIRef] = set()
    candidates: list[tuple[URIRef, URIRef, URIRef]] = []
    rdf_type, subclass_of = RDF.type, RDFS.subClassOf

    for s, p, o in graph.triples((None, None, None)):
        if not isinstance(s, URIRef):
            continue
        subjects[s] = None
        if p == rdf_type:
            if isinstance(o, URIRef):
                types[s].append(o)
            continue
        if isinstance(o, Literal):
            if p in DISPLAY_LABELS:
                lang = (o.language or "").split("-")[0].lower()
                labels[s].setdefault(lang, str(o))
            continue
        if not isinstance(o, URIRef):
            continue
        if p in SCHEMA_PREDICATES:
            terms.add(s)
            terms.add(o)
            if p == subclass_of:
                parents[s].add(o)
            continue
        predicates.add(cast(URIRef, p))
        candidates.append((s, cast(URIRef, p), o))

    classes = {t for ts in types.values() for t in ts} | set(parents)
    for ps in parents.values():
        classes |= ps
    terms |= classes | predicates
    terms.update(s for s, ts in types.items() if TERM_TYPES.intersection(ts))
    superclasses_of = superclasses(classes, parents)
    left_out = {
        cls
        for name, group in INCLUDE_GROUPS.items()
        if name not in groups
        for cls in classes
        if superclasses_of[cls].intersection(group)
    }

    G = nx.MultiDiGraph(superclasses=superclasses_of, include=groups)
    for s in subjects:
        if s in terms or str(s).startswith(VOCABULARY_NAMESPACES):
            continue
        node_types = types.get(s, [])
        if left_out.intersection(node_types):
            continue
        names = labels.get(s, {})
        en, zh = names.get("en", ""), names.get("zh", "")
        G.add_node(
            s,
            label=en or zh or next(iter(names.values()), "") or local_name(s),
            label_en=en,
            label_zh=zh,
            types=tuple(sorted(set(node_types))),
        )
    edge_data: dict[URIRef, dict[str, Any]] = {}
    for p in predicates:
        found = labels.get(p, {})
        en = found.get("en") or next(iter(found.values()), "") or local_name(p)
        edge_data[p] = {"predicate": p, "label_en": en, "label_zh": found.get("zh", "")}
    nodes = G._node  # the plain dict, for membership tests in the hot loop
    add_edge = G.add_edge
    for s, p, o in candidates:
        if s in nodes and o in nodes:
            add_edge(s, o, p, **edge_data[p])
    return G


def undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """A simple undirected copy: one edge per connected pair, with its ``predicates`` set.

    Used by the algorithms that need a simple graph (k shortest paths, betweenness,
    communities).

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="p"); G.add_edge("b", "a", key="q")
    'p'
    'q'
    >>> sorted(undirected(G).edges["a", "b"]["predicates"])
    ['p', 'q']
    """
    U = nx.Graph()
    U.add_nodes_from(G.nodes)
    for u, v, key in G.edges(keys=True):
        if U.has_edge(u, v):
            U.edges[u, v]["predicates"].add(key)
        else:
            U.add_edge(u, v, predicates={key})
    return U


def export_projection(G: nx.MultiDiGraph, format: str = "graphml", curie: Any = str) -> str:
    """Serialise a projection as GraphML or GEXF (for Gephi, Cytoscape, yEd).

    Node ids are the IRIs; node attributes ``label``, ``label_en``, ``label_zh`` and ``types``
    (CURIEs separated by spaces); edge attributes ``predicate`` (the IRI), ``relation`` (its
    CURIE), ``label_en`` and ``label_zh``. Edges keep the direction of their triples.

    Args:
        G: a projection from `build_projection`.
        format: ``graphml`` or ``gexf``.
        curie: how to shorten an IRI for the ``types`` and ``relation`` attributes.

    Raises:
        UsageError: an unknown format.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("x:a", label="A", label_en="A", label_zh="", types=("x:T",))
    >>> "<graphml" in export_projection(G, "graphml")
    True
    """
    fmt = format.lower()
    if fmt not in {"graphml", "gexf"}:
        raise UsageError(f"unknown projection format {format!r}; use graphml or gexf")
    out = nx.MultiDiGraph()
    for node, data in G.nodes(data=True):
        out.add_node(
            str(node),
            label=data.get("label", str(node)),
            label_en=data.get("label_en", ""),
            label_zh=data.get("label_zh", ""),
            types=" ".join(curie(t) for t in data.get("types", ())),
        )
    for u, v, key, data in G.edges(keys=True, data=True):
        out.add_edge(
            str(u),
            str(v),
            key=str(key),
            predicate=str(key),
            relation=curie(key),
            label_en=data.get("label_en", ""),
            label_zh=data.get("label_zh", ""),
        )
    lines = nx.generate_graphml(out) if fmt == "graphml" else nx.generate_gexf(out)
    return "\n".join(lines) + "\n"
