"""What a graph page says about a node and a link: the tooltip and details rows, formatted by
datatype, and the sources of each link's statement.

Shared by the views built ahead (`ipgraph.views.build`) and the neighbours a served page fetches
on double-click (`ipgraph.views.expand`), so both read the same.

>>> import ipgraph
>>> kg = ipgraph.load()
>>> outline = kg.resolve("document/outline-ip-competitiveness-2021-2035")
>>> rows = dict(describe_node(kg, outline)["info"])
>>> rows["date of publication"], rows["document number"], rows["valid"]
('2021-09-22', '中发〔2021〕32号', '2021 – 2035')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ipgraph.entity import passage
from ipgraph.provenance import statement_sources
from ipgraph.views.model import group_of
from ipgraph.views.readahead import read_ahead
from ipgraph.views.text import figure_text, format_literal
from ipgraph.vocab import IPG, PREFIXES

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph

__all__ = [
    "MAX_SOURCES",
    "add_link_sources",
    "describe_node",
    "describe_nodes",
    "link",
    "short_label",
]

MAX_FIGURES = 6
MAX_SOURCES = 4
"""At most this many sources are listed per node and per link (the strongest first)."""

_ELI = PREFIXES["eli"]
# The dated, numbered and typed attributes a details panel shows, in this order, under these
# names (what people call them; the predicate labels name the vocabulary: "(ELI)").
_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    (_ELI + "id_local", "document number"),
    (_ELI + "date_document", "date of document"),
    (_ELI + "date_publication", "date of publication"),
    (_ELI + "first_date_entry_in_force", "in force from"),
    (str(IPG.year), "year"),
    (str(IPG.nameChangedOn), "renamed on"),
    (str(IPG.formerName), "former name"),
)
_SKIPPED = {RDFS.label, SKOS.prefLabel, SKOS.altLabel, IPG.officialName, IPG.translatedName}
_MAX_ATTRIBUTES = 8


def describe_node(
    kg: KnowledgeGraph,
    iri: Node,
    types: Iterable[Node] | None = None,
    graph: Graph | None = None,
) -> dict[str, Any]:
    """A node as the page embeds it (see `View.nodes`), without ``degree`` and ``size``.

    ``graph`` is where its triples are read: the whole graph by default, or the few triples
    `describe_nodes` read ahead for many nodes.
    """
    graph = kg.graph if graph is None else graph
    node_types = list(types if types is not None else graph.objects(iri, RDF.type))
    label = kg.label(iri) if isinstance(iri, URIRef) else str(iri)
    zh = _first_lang(graph, iri, "zh")
    alt = sorted({str(v) for v in graph.objects(iri, SKOS.altLabel)})
    type_names = sorted({kg.label(t) for t in node_types if isinstance(t, URIRef)})
    type_names_zh = sorted(
        {kg.label(t, lang="zh") for t in node_types if isinstance(t, URIRef)} - set(type_names)
    )
    info: list[list[str]] = []
    if type_names:
        info.append(["type", " · ".join([*type_names, *type_names_zh])])
    info.append(["English", label])
    if zh:
        info.append(["中文", zh])
    if alt:
        info.append(["also", ", ".join(alt)])
    info += attributes(kg, iri, graph)
    figures = [obs for obs in graph.subjects(IPG.about, iri) if isinstance(obs, URIRef)]
    if (iri, RDF.type, IPG.Observation) in graph and isinstance(iri, URIRef):
        figures.insert(0, iri)
    for obs in sorted(figures)[:MAX_FIGURES]:
        text = figure_text(graph, obs, kg.label)
        info.append(["figure", f"{kg.label(obs)}: {text}" if obs != iri else text])
    if len(figures) > MAX_FIGURES:
        info.append(["figure", f"… and {len(figures) - MAX_FIGURES} more"])
    sources = sorted(
        str(passage(graph, p, kg.label)) for p in graph.objects(iri, PROV.wasDerivedFrom)
    )
    for text in sources[:MAX_SOURCES]:
        info.append(["source", text])
    if len(sources) > MAX_SOURCES:
        info.append(["source", f"… and {len(sources) - MAX_SOURCES} more"])
    info.append(["id", kg.curie(iri) if isinstance(iri, URIRef) else str(iri)])
    return {
        "id": str(iri),
        "label": label,
        "zh": zh,
        "alt": alt,
        "short": short_label(label, alt),
        "group": group_of(kg, node_types),
        "types": type_names,
        "info": info,
    }


def describe_nodes(
    kg: KnowledgeGraph, wanted: Sequence[tuple[Node, Iterable[Node] | None]]
) -> list[dict[str, Any]]:
    """`describe_node` for many ``(iri, types)`` at once, in the order given.

    On a store read by lookups (Oxigraph, a SPARQL server) the triples the descriptions need
    are read first by a few queries per `values_chunk` nodes: one lookup per node and
    question cost a view of 500 nodes some 13,000 lookups. The in-memory graph is read as it is.

    >>> import ipgraph
    >>> kg = ipgraph.load()
    >>> [n["short"] for n in describe_nodes(kg, [(kg.resolve("CNIPA"), None)])]
    ['CNIPA']
    """
    if kg.store.kind == "memory":
        return [describe_node(kg, iri, types) for iri, types in wanted]
    iris = list(dict.fromkeys(iri for iri, _ in wanted if isinstance(iri, URIRef)))
    sketch = read_ahead(kg, iris, MAX_FIGURES)
    _prefetch_labels(kg, [(iri, ts) for iri, ts in wanted if isinstance(iri, URIRef)], sketch)
    return [
        describe_node(kg, iri, types, sketch if isinstance(iri, URIRef) else None)
        for iri, types in wanted
    ]


def _prefetch_labels(
    kg: KnowledgeGraph, wanted: Sequence[tuple[URIRef, Iterable[Node] | None]], sketch: Graph
) -> None:
    """Read the labels `describe_node` asks for of ``wanted`` (read ahead into ``sketch``) in
    one batch per language: asked one node at a time, they cost a view some 70 lookups.
    The nodes, their types (also in Chinese), attribute predicates, the figures listed with
    their qualifiers, units and measures, and the sources of their passages."""
    english: set[Node] = set()
    types: set[Node] = set()
    for iri, given in wanted:
        english.add(iri)
        types.update(sketch.objects(iri, RDF.type) if given is None else given)
        for predicate, value in sketch.predicate_objects(iri):
            if isinstance(value, Literal):
                english.add(predicate)
            elif predicate == PROV.wasDerivedFrom:
                english.add(sketch.value(value, IPG.inSource) or value)
        figures = [o for o in sketch.subjects(IPG.about, iri) if isinstance(o, URIRef)]
        if (iri, RDF.type, IPG.Observation) in sketch:
            figures.append(iri)
        for obs in sorted(figures)[:MAX_FIGURES]:
            english.add(obs)
            english.update(
                v for p in _FIGURE_NAMED for v in sketch.objects(obs, p) if isinstance(v, URIRef)
            )
    kg.prefetch_labels(english | types)
    kg.prefetch_labels(types, lang="zh")


_FIGURE_NAMED = (IPG.qualifier, IPG.unit, IPG.measure)
"""A figure's parts that `ipgraph.views.text.figure_text` names by their labels."""


def attributes(kg: KnowledgeGraph, iri: Node, graph: Graph | None = None) -> list[list[str]]:
    """The entity's literal attributes as ``[name, text]`` rows formatted by datatype: document
    number and dates first, a validity period as one row, then the others (labels left out:
    the rows above give them).

    >>> import ipgraph
    >>> kg = ipgraph.load()
    >>> dict(attributes(kg, kg.resolve("CNIPA"))).get("valid") is None
    True
    """
    if not isinstance(iri, URIRef):
        return []
    values: dict[str, list[Literal]] = {}
    for predicate, value in (kg.graph if graph is None else graph).predicate_objects(iri):
        if isinstance(value, Literal) and predicate not in _SKIPPED:
            values.setdefault(str(predicate), []).append(value)
    rows: list[list[str]] = []

    def texts(key: str) -> str:
        return ", ".join(sorted({format_literal(v) for v in values.pop(key, [])}))

    for key, name in _ATTRIBUTES:
        if key in values:
            rows.append([name, texts(key)])
    start, end = texts(str(IPG.validFrom)), texts(str(IPG.validUntil))
    if start or end:
        rows.append(["valid", f"{start or '…'} – {end or '…'}"])
    for key in sorted(values):
        if not key.startswith(str(IPG)) and not key.startswith(_ELI):
            continue  # other vocabularies' literals (comments, notes) are not attributes
        rows.append([kg.label(URIRef(key)), texts(key)])
    return rows[:_MAX_ATTRIBUTES]


def link(
    kg: KnowledgeGraph,
    key: str,
    subject: Node,
    predicate: URIRef,
    obj: Node,
    ends: tuple[str, str],
    label: str | None = None,
) -> dict[str, Any]:
    """A link as the page embeds it (see `View.edges`); ``ends`` are the two nodes' labels."""
    name = label or kg.label(predicate)
    return {
        "id": key,
        "from": str(subject),
        "to": str(obj),
        "predicate": str(predicate),
        "label": name,
        "width": 1.0,
        "weight": 1,
        "info": [
            ["relation", f"{ends[0]} —{name}→ {ends[1]}"],
            ["predicate", kg.curie(predicate)],
        ],
    }


def add_link_sources(
    kg: KnowledgeGraph,
    edges: Sequence[dict[str, Any]],
    behind: dict[str, list[tuple[URIRef, URIRef, URIRef]]] | None = None,
) -> None:
    """Add the sources of each link's statement to its ``info`` (one batched look-up for all).

    Args:
        kg: the knowledge graph.
        edges: the links (`View.edges` dicts); a link between IRIs is the statement
            ``from predicate to``, unless ``behind`` names its statements.
        behind: for a derived link (the agencies view's joint work), by link id, the statements
            it stands for; their sources are the link's.
    """
    behind = behind or {}
    iri = ("http://", "https://", "urn:")  # blank nodes and literals have no statement here
    wanted: dict[str, list[tuple[URIRef, URIRef, URIRef]]] = {}
    for edge in edges:
        if edge["id"] in behind:
            wanted[edge["id"]] = behind[edge["id"]]
        elif edge["from"].startswith(iri) and edge["to"].startswith(iri):
            triple = (URIRef(edge["from"]), URIRef(edge["predicate"]), URIRef(edge["to"]))
            wanted[edge["id"]] = [triple]
    found = statement_sources(kg, [t for triples in wanted.values() for t in triples])
    for edge in edges:
        texts = list(
            dict.fromkeys(s.to_text() for t in wanted.get(edge["id"], []) for s in found.get(t, []))
        )
        edge["info"] += [["source", text] for text in texts[:MAX_SOURCES]]
        if len(texts) > MAX_SOURCES:
            edge["info"].append(["source", f"… and {len(texts) - MAX_SOURCES} more"])


def short_label(label: str, alt: Sequence[str]) -> str:
    """An acronym when the entity has one (CNIPA), else the label cut to a readable length.

    >>> short_label("China National Intellectual Property Administration", ["CNIPA", "国知局"])
    'CNIPA'
    """
    for name in alt:
        if name.isascii() and name.replace("-", "").isalnum() and name.upper() == name:
            return name
    return label if len(label) <= 30 else label[:29].rstrip() + "…"


def _first_lang(graph: Graph, iri: Node, lang: str) -> str | None:
    for predicate in (SKOS.prefLabel, RDFS.label):
        for value in graph.objects(iri, predicate):
            if isinstance(value, Literal) and (value.language or "").split("-")[0] == lang:
                return str(value)
    return None
