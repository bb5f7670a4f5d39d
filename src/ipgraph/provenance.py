"""How the graph knows what it says: the sources of each statement, and facts in date order.

Provenance is kept per statement with named graphs (docs/provenance.md): a statement sits in
the graph of each passage that states it, of each second source that gives it, or of the curator
inference that justifies it. So the sources of ``S P O`` are the graphs ``?g`` of
``GRAPH ?g { S P O }``, each described by what ``?g`` is: an `ipg:Passage` (kind ``stated``), an
`ipg:Source` (``second source``; the seed chapter's description of itself counts as
``stated``), an `ipg:CuratorInference` (``inferred``), the vocabulary (``vocabulary``) or a file
loaded by the user (``file``).

Everything here is SPARQL, so it answers the same on rdflib, Oxigraph and a remote server.

>>> import ipgraph
>>> kg = ipgraph.load()
>>> [s.kind for s in why(kg, "agency/state-council", "rdfs:label", "国务院")[0].sources]
['second source']
>>> why(kg, "document/guidelines-patent-navigation", "ipg:publishedBy")
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from ipgraph import data
from ipgraph.errors import AmbiguousEntity, EntityNotFound, UsageError
from ipgraph.vocab import GRAPH, IPG

CURATION = GRAPH["curation/"]
"""Curator inferences sit in graphs under this namespace (docs/provenance.md)."""

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph

__all__ = [
    "KINDS",
    "Source",
    "Statement",
    "TimelineEntry",
    "describe_graphs",
    "inferred_about",
    "statement_sources",
    "timeline",
    "why",
]

KINDS = ("stated", "second source", "inferred", "vocabulary", "file")
"""The kinds of provenance, from the strongest claim to the weakest."""


@dataclass(frozen=True)
class Source:
    """One reason the graph holds a statement: the named graph it sits in, described.

    Attributes:
        kind: ``stated`` (a passage of a source says it), ``second source`` (a second source
            gives it), ``inferred`` (a curator inference), ``vocabulary`` or ``file``.
        graph: the named graph's IRI.
        label: what the graph is, in words (passage locator, source title, inference name).
        source: the source document (for a passage: the source it belongs to).
        section, paragraph: the passage's locator, for ``stated``.
        url, publisher, date, language, reliability: of a second source.
        justification: of a curator inference.
    """

    kind: str
    graph: URIRef
    label: str
    source: URIRef | None = None
    section: str | None = None
    paragraph: int | None = None
    url: str | None = None
    publisher: str | None = None
    date: str | None = None
    language: str | None = None
    reliability: str | None = None
    justification: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The source as JSON-ready values, leaving out what is unknown."""
        out: dict[str, Any] = {"kind": self.kind, "graph": str(self.graph), "label": self.label}
        for key in ("source", "section", "paragraph", "url", "publisher", "date", "language"):
            value = getattr(self, key)
            if value is not None:
                out[key] = str(value) if isinstance(value, URIRef) else value
        for key in ("reliability", "justification"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    def to_text(self) -> str:
        """One line: kind, then where (locator, or title/publisher/date/URL, or why)."""
        if self.kind == "stated":
            where = self.label
        elif self.kind == "second source":
            parts = [self.label, self.publisher, self.date, self.reliability]
            where = " — ".join(p for p in parts if p) + (f" <{self.url}>" if self.url else "")
        elif self.kind == "inferred":
            where = f"{self.label}: {self.justification}" if self.justification else self.label
        else:
            where = self.label
        return f"{self.kind:<13}  {where}"


@dataclass(frozen=True)
class Statement:
    """A statement (subject, predicate, object) and every source that gives it."""

    subject: URIRef
    predicate: URIRef
    object: Node
    sources: tuple[Source, ...] = field(default_factory=tuple)

    def to_dict(self, kg: KnowledgeGraph) -> dict[str, Any]:
        """The statement with CURIEs and its sources, JSON-ready."""
        obj: Any
        if isinstance(self.object, URIRef):
            obj = kg.curie(self.object)
        elif isinstance(self.object, Literal):
            obj = {"value": str(self.object)}
            if self.object.language:
                obj["language"] = self.object.language
            elif self.object.datatype:
                obj["datatype"] = kg.curie(self.object.datatype)
        else:
            obj = str(self.object)
        return {
            "subject": kg.curie(self.subject),
            "predicate": kg.curie(self.predicate),
            "object": obj,
            "sources": [s.to_dict() for s in self.sources],
        }

    def to_text(self, kg: KnowledgeGraph) -> str:
        """The statement on one line, then one indented line per source."""
        if isinstance(self.object, URIRef):
            obj = kg.curie(self.object)
        else:
            obj = self.object.n3(kg.graph.namespace_manager)
        head = f"{kg.curie(self.subject)} {kg.curie(self.predicate)} {obj}"
        return "\n".join([head, *(f"  {s.to_text()}" for s in self.sources)])


def statement_sources(
    kg: KnowledgeGraph, triples: list[tuple[URIRef, URIRef, URIRef]]
) -> dict[tuple[URIRef, URIRef, URIRef], list[Source]]:
    """The sources of many statements between IRIs at once (a view's links), strongest
    first, in the order `why` gives them; statements in no named graph are left out.

    On a local store (memory, Oxigraph) each statement is one index lookup of its quads;
    on a SPARQL server one query per 300 statements (a ``VALUES`` block). Either way the
    named graphs are described by one cached query (`describe_graphs`).

    >>> import ipgraph
    >>> kg = ipgraph.load()
    >>> link = (kg.resolve("Wuxi"), IPG.partOf, kg.resolve("Jiangsu"))
    >>> [s.kind for s in statement_sources(kg, [link])[link]]
    ['inferred']
    """
    wanted = list(dict.fromkeys(triples))
    found = (
        _graphs_by_lookup(kg, wanted) if kg.store.kind != "sparql" else _graphs_by_query(kg, wanted)
    )
    described = describe_graphs(kg, {g for gs in found.values() for g in gs})
    return {t: _ordered(described[g] for g in gs) for t, gs in found.items()}


Triple = tuple[URIRef, URIRef, URIRef]


def _graphs_by_lookup(kg: KnowledgeGraph, triples: list[Triple]) -> dict[Triple, set[URIRef]]:
    """The named graphs holding each statement, by quad lookups in the store's indexes:
    a SPARQL ``VALUES`` join with ``GRAPH ?g`` costs rdflib seconds per few hundred rows."""
    found: dict[Triple, set[URIRef]] = {}
    for triple in triples:
        for *_, context in kg.graph.quads((*triple, None)):
            name = getattr(context, "identifier", context)
            if isinstance(name, URIRef) and name != DATASET_DEFAULT_GRAPH_ID:
                found.setdefault(triple, set()).add(name)
    return found


def _graphs_by_query(kg: KnowledgeGraph, triples: list[Triple]) -> dict[Triple, set[URIRef]]:
    """The named graphs holding each statement, one query per 300 statements (a server
    answers a lookup per statement only with one request per statement), read as rows of
    IRIs (`ipgraph.store.Store.terms`: CSV, not XML or JSON results)."""
    found: dict[Triple, set[URIRef]] = {}
    for start in range(0, len(triples), 300):
        rows = " ".join(f"({s.n3()} {p.n3()} {o.n3()})" for s, p, o in triples[start : start + 300])
        pattern = f"VALUES (?s ?p ?o) {{ {rows} }} GRAPH ?g {{ ?s ?p ?o }}"
        variables = ("s", "p", "o", "g")
        for s, p, o, g in kg.store.terms(variables, pattern, iris=variables):
            found.setdefault((s, p, o), set()).add(g)  # type: ignore[arg-type]
    return found


def _ordered(sources: Iterable[Source]) -> list[Source]:
    """Sources strongest first, then by label and graph (the order `why` gives)."""
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(sources, key=lambda x: (order[x.kind], x.label, str(x.graph)))


def inferred_about(kg: KnowledgeGraph, iri: URIRef) -> set[tuple[Node, Node, Node]]:
    """The statements with ``iri`` as subject or object that only curator inferences give
    (no passage, no second source): what ``ipgraph show`` marks as inferred.

    >>> import ipgraph
    >>> kg = ipgraph.load()
    >>> wuxi = kg.resolve("Wuxi")
    >>> any(p == IPG.partOf for _, p, _ in inferred_about(kg, wuxi))
    True
    """
    # The store keeps to the statements in a curation graph and in no other (a hub has
    # thousands around it, a handful inferred). The IRI is written into the text (not bound):
    # some servers (Virtuoso) cannot BIND a variable that VALUES sets outside the group.
    text = _INFERRED.replace("?e", iri.n3()).replace("$curation", Literal(str(CURATION)).n3())
    return {(s or iri, p, o or iri) for s, p, o in kg.query(text).rows if p is not None}


_INFERRED = """
SELECT DISTINCT ?s ?p ?o WHERE {
  { GRAPH ?g { ?e ?p ?o }
    FILTER(STRSTARTS(STR(?g), $curation) && NOT EXISTS {
      GRAPH ?h { ?e ?p ?o } FILTER(!STRSTARTS(STR(?h), $curation)) }) }
  UNION
  { GRAPH ?g { ?s ?p ?e }
    FILTER(STRSTARTS(STR(?g), $curation) && NOT EXISTS {
      GRAPH ?h { ?s ?p ?e } FILTER(!STRSTARTS(STR(?h), $curation)) }) }
}
"""

_GRAPHS = """
SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }
ORDER BY ?p ?o ?g
"""

_DESCRIBE = """
SELECT ?g ?type ?label ?source ?section ?paragraph ?heading ?title ?url ?publisher ?date
       ?language ?reliability ?comment ?parts
WHERE {
  VALUES ?g { %s }
  OPTIONAL { ?g a ?type FILTER (?type IN (ipg:Passage, ipg:Source, ipg:CuratorInference)) }
  OPTIONAL { ?g rdfs:label ?label FILTER (lang(?label) = "en") }
  OPTIONAL { ?g ipg:inSource ?source }
  OPTIONAL { ?g ipg:section ?section }
  OPTIONAL { ?g ipg:paragraph ?paragraph }
  OPTIONAL { ?g ipg:heading ?heading }
  OPTIONAL { ?g dcterms:title ?title }
  OPTIONAL { ?g schema:url ?url }
  OPTIONAL { ?g dcterms:publisher/rdfs:label ?publisher FILTER (lang(?publisher) = "en") }
  OPTIONAL { ?g dcterms:issued ?date }
  OPTIONAL { ?g dcterms:language ?language }
  OPTIONAL { ?g ipg:reliability/rdfs:label ?reliability FILTER (lang(?reliability) = "en") }
  OPTIONAL { ?g rdfs:comment ?comment FILTER (lang(?comment) = "en") }
  OPTIONAL { SELECT ?g (COUNT(?p) AS ?parts) WHERE { ?p ipg:inSource ?g } GROUP BY ?g }
}
"""


def _text(value: Node | None) -> str | None:
    return None if value is None else str(value)


def describe_graphs(kg: KnowledgeGraph, graphs: set[URIRef]) -> dict[URIRef, Source]:
    """What each named graph is, as a `Source` (one SPARQL query for all of them).

    >>> import ipgraph
    >>> from ipgraph.vocab import ID
    >>> kg = ipgraph.load()
    >>> g = ID["passage/cnipa-ar2021-ch4/s02-p1"]
    >>> describe_graphs(kg, {g})[g].label
    'CNIPA Annual Report 2021, chapter IV, section 02, paragraph 1'
    """
    if not graphs:
        return {}
    every = kg.cached("provenance:graphs", lambda: _describe(kg, set(kg.store.graph_names())))
    missing = graphs - set(every)
    return {g: every[g] for g in graphs - missing} | (_describe(kg, missing) if missing else {})


def _describe(kg: KnowledgeGraph, graphs: set[URIRef]) -> dict[URIRef, Source]:
    """`describe_graphs` without the cache: one query."""
    values = " ".join(g.n3() for g in sorted(graphs))
    rows = kg.query(_DESCRIBE % values).rows
    found: dict[URIRef, dict[str, Node | None]] = {}
    for row in rows:
        record = dict(zip(_DESCRIBE_VARS, row, strict=True))
        name = record["g"]
        assert isinstance(name, URIRef)
        merged = found.setdefault(name, {})
        for key, value in record.items():
            if value is not None and merged.get(key) is None:
                merged[key] = value
    out: dict[URIRef, Source] = {}
    for name in graphs:
        out[name] = _source(kg, name, found.get(name, {}), kg.store.source_path(name))
    return out


_DESCRIBE_VARS = [
    "g", "type", "label", "source", "section", "paragraph", "heading", "title", "url",
    "publisher", "date", "language", "reliability", "comment", "parts",
]  # fmt: skip


def _source(
    kg: KnowledgeGraph, name: URIRef, d: dict[str, Node | None], path: str | None
) -> Source:
    kind_of = {"Passage": "stated", "Source": "second source", "CuratorInference": "inferred"}
    type_ = d.get("type")
    local = str(type_).rsplit("#", 1)[-1] if type_ is not None else ""
    if local == "Passage":
        source = d.get("source")
        title = kg.label(source) if isinstance(source, URIRef) else "?"
        paragraph = int(str(d["paragraph"])) if d.get("paragraph") is not None else None
        section = _text(d.get("section"))
        where = "introduction" if section == "intro" else f"section {section}"
        label = f"{title}, {where}" + (f", paragraph {paragraph}" if paragraph else "")
        return Source(
            "stated",
            name,
            label,
            source=source if isinstance(source, URIRef) else None,
            section=section,
            paragraph=paragraph,
        )
    if local == "Source" and d.get("parts") is not None and int(str(d["parts"])) > 0:
        # the seed source's own graph: its description of itself and of its passages
        return Source("stated", name, f"{kg.label(name)} (its description of itself)", source=name)
    if local in kind_of:
        return Source(
            kind_of[local],
            name,
            _text(d.get("label")) or _text(d.get("title")) or kg.curie(name),
            source=name if local == "Source" else None,
            url=_text(d.get("url")),
            publisher=_text(d.get("publisher")),
            date=_text(d.get("date")),
            language=_text(d.get("language")),
            reliability=_text(d.get("reliability")),
            justification=_text(d.get("comment")) if local == "CuratorInference" else None,
        )
    if name == data.ONTOLOGY_GRAPH:
        return Source("vocabulary", name, "the ipgraph ontology (ontology/ontology.ttl)")
    return Source("file", name, f"loaded from {path}" if path else kg.curie(name))


def _object_matcher(kg: KnowledgeGraph, ref: str | Node) -> tuple[Node | None, str | None]:
    """An object reference as (a term to bind, a text to match instead).

    A term binds; a string matches a literal with that text, or the entity it names.
    """
    if isinstance(ref, Node):
        return ref, None
    return None, ref


def why(
    kg: KnowledgeGraph,
    subject: str | URIRef,
    predicate: str | URIRef | None = None,
    object: str | Node | None = None,
) -> list[Statement]:
    """The statements about ``subject`` (optionally with that predicate and object), each with
    every source that gives it. See `KnowledgeGraph.why`."""
    s = kg.resolve(subject)
    p = predicate if isinstance(predicate, URIRef) or predicate is None else kg.expand(predicate)
    bindings: dict[str, Any] = {"s": s}
    if p is not None:
        bindings["p"] = p
    text_filter = None
    entity: URIRef | None = None
    if object is not None:
        term, text_filter = _object_matcher(kg, object)
        if term is not None:
            bindings["o"] = term
        else:
            try:
                entity = kg.resolve(object)  # type: ignore[arg-type]
            except (EntityNotFound, UsageError, AmbiguousEntity):
                entity = None
    rows = kg.query(_GRAPHS, **bindings).rows
    grouped: dict[tuple[Node, Node], set[URIRef]] = {}
    for _s, p_, o_, g_ in rows:
        if text_filter is not None and not (
            (isinstance(o_, Literal) and str(o_) == text_filter)
            or (entity is not None and o_ == entity)
        ):
            continue
        assert p_ is not None and o_ is not None and isinstance(g_, URIRef)
        grouped.setdefault((p_, o_), set()).add(g_)
    described = describe_graphs(kg, {g for gs in grouped.values() for g in gs})
    statements = []
    for (p_, o_), names in grouped.items():
        assert isinstance(p_, URIRef)
        statements.append(Statement(s, p_, o_, tuple(_ordered(described[n] for n in names))))
    statements.sort(key=lambda st: (kg.curie(st.predicate), str(st.object)))
    return statements


@dataclass(frozen=True)
class TimelineEntry:
    """One dated fact: a document issued, an event held, a figure's reference date.

    Attributes:
        date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as the graph has it.
        kind: ``issued``, ``published``, ``in force``, ``held``, ``figure``, ``renamed``,
            ``period starts``, ``period ends``, ``source published``.
        item: the document, program, observation, organization or source.
        label: its English label.
        detail: for a figure: the value and unit; for a renaming: the former name.
    """

    date: str
    kind: str
    item: URIRef
    label: str
    detail: str = ""

    def to_dict(self, kg: KnowledgeGraph) -> dict[str, Any]:
        """The entry as JSON-ready values."""
        out = {"date": self.date, "kind": self.kind, "item": kg.curie(self.item)}
        out["label"] = self.label
        if self.detail:
            out["detail"] = self.detail
        return out


_TIMELINE = """
SELECT DISTINCT ?item ?kind ?date ?value ?unit ?qualifier WHERE {
  {
    { ?item eli:date_document ?date BIND ("issued" AS ?kind) }
    UNION { ?item eli:date_publication ?date BIND ("published" AS ?kind) }
    UNION { ?item eli:first_date_entry_in_force ?date BIND ("in force" AS ?kind) }
    UNION { ?item ipg:nameChangedOn ?date BIND ("renamed" AS ?kind) }
    UNION { ?item ipg:validFrom ?date BIND ("period starts" AS ?kind) }
    UNION { ?item ipg:validUntil ?date BIND ("period ends" AS ?kind) }
    UNION { ?item a ipg:Source ; dcterms:issued ?date BIND ("source published" AS ?kind) }
    UNION {
      ?item ipg:year ?date ; a/rdfs:subClassOf* ipg:PolicyDocument .
      FILTER NOT EXISTS { ?item eli:date_document ?issued }
      BIND ("issued" AS ?kind)
    }
    UNION { ?item ipg:year ?date ; a/rdfs:subClassOf* ipg:Program . BIND ("held" AS ?kind) }
    UNION {
      ?item a ipg:Observation ; ipg:value ?value .
      { ?item ipg:referenceDate ?date } UNION { ?item ipg:referencePeriod ?date }
      OPTIONAL { ?item ipg:unit ?unit }
      OPTIONAL { ?item ipg:qualifier ?qualifier }
      BIND ("figure" AS ?kind)
    }
  }
  %s
}
"""

_INVOLVING = """
  FILTER (?item = ?entity || EXISTS { ?item ?link ?entity }
          || EXISTS { ?item ipg:about ?about . ?about ?link2 ?entity })
"""


def timeline(kg: KnowledgeGraph, entity: str | URIRef | None = None) -> list[TimelineEntry]:
    """Dated facts in date order, optionally only those about or involving ``entity``.
    See `KnowledgeGraph.timeline`."""
    bindings: dict[str, Any] = {}
    if entity is not None:
        bindings["entity"] = kg.resolve(entity)
    rows = kg.query(_TIMELINE % (_INVOLVING if entity is not None else ""), **bindings).rows
    entries = set()
    for item, kind, date, value, unit, qualifier in rows:
        assert isinstance(item, URIRef)
        detail = ""
        if value is not None:
            how = kg.label(qualifier) + " " if isinstance(qualifier, URIRef) else ""
            if how == "exactly ":
                how = ""
            number = _number(value)
            detail = f"{how}{number} {kg.label(unit)}" if isinstance(unit, URIRef) else number
        elif str(kind) == "renamed":
            former = kg.graph.value(item, IPG.formerName)
            detail = f"formerly {former}" if former is not None else ""
        entries.add(TimelineEntry(str(date), str(kind), item, kg.label(item), detail))
    return sorted(entries, key=lambda e: (e.date, e.kind, e.label, e.detail))


def _number(value: Node) -> str:
    """A decimal without a trailing ``.0``: ``23000.0`` -> ``23000``, ``12.44`` stays."""
    text = str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
