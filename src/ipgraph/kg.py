"""The `KnowledgeGraph` facade: one object that every interface (library, CLI, HTTP) calls.

>>> import ipgraph
>>> kg = ipgraph.load()
>>> kg.find("工信部")[0].label
'Ministry of Industry and Information Technology'
>>> kg.resolve("MOF") == kg.resolve("Ministry of Finance")
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from ipgraph import data
from ipgraph.entity import Entity, summarize
from ipgraph.errors import EntityNotFound, UsageError
from ipgraph.labels import LabelIndex, Match, pick_label
from ipgraph.loader import ParsedSource, parse_file
from ipgraph.store import Store, bind_prefixes, open_store
from ipgraph.validation import ValidationReport
from ipgraph.vocab import GRAPH, ID, PREFIXES

T = TypeVar("T")

ONTOLOGY_GRAPH = GRAPH["ontology"]

EXPORT_FORMATS = {
    "ttl": "turtle",
    "turtle": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "trig": "trig",
    "nq": "nquads",
    "nquads": "nquads",
    "jsonld": "json-ld",
    "json-ld": "json-ld",
    "xml": "xml",
}
_QUAD_EXPORTS = {"trig", "nquads"}


@dataclass(frozen=True)
class SourceInfo:
    """A named graph of the data set and where it came from."""

    graph: URIRef
    path: str | None
    triples: int


class KnowledgeGraph:
    """The ipgraph knowledge graph over a store, with every way of asking it questions.

    Build one with `ipgraph.load`. Derived views (the label index, the networkx projection)
    are computed on first use and dropped whenever data is added, so they never disagree with
    the store.
    """

    def __init__(self, store: Store | None = None) -> None:
        self.store = store if store is not None else open_store()
        self._paths: dict[URIRef, str] = {}
        self._generation = 0
        self._cache: dict[str, tuple[int, Any]] = {}

    # -- data in ---------------------------------------------------------------------------

    @property
    def graph(self) -> Dataset:
        """The rdflib `Dataset`: one named graph per source; its default graph is the union."""
        return self.store.dataset

    @property
    def generation(self) -> int:
        """A counter that changes whenever the data changes (for caches built on the graph)."""
        return self._generation

    def add(self, *sources: str | Path) -> list[SourceInfo]:
        """Load RDF files, each into its own named graph, all or nothing.

        Every file is parsed before any is added: if one is malformed the graph stays as it
        was. Loading the same file again replaces its graph rather than duplicating it.

        Args:
            sources: Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML files.

        Returns:
            One `SourceInfo` per named graph added.

        Raises:
            DataError: a file is missing or malformed (message: file, line, reason).
        """
        parsed: list[ParsedSource] = [parse_file(Path(source)) for source in sources]
        added: list[SourceInfo] = []
        for item in parsed:
            self.store.replace_graphs(item.graphs)
            self.store.bind(item.namespaces.items())
            for name, graph in item.graphs.items():
                self._paths[name] = str(item.path)
                added.append(SourceInfo(name, str(item.path), len(graph)))
        if parsed:
            self._generation += 1
        return added

    def sources(self) -> list[SourceInfo]:
        """The named graphs with their sizes and the files they came from."""
        return [
            SourceInfo(name, self._paths.get(name), self.store.graph_size(name))
            for name in self.store.graph_names()
        ]

    def cached(self, key: str, build: Callable[[], T]) -> T:
        """A value derived from the data, rebuilt only after the data changes."""
        hit = self._cache.get(key)
        if hit is not None and hit[0] == self._generation:
            return hit[1]  # type: ignore[no-any-return]
        value = build()
        self._cache[key] = (self._generation, value)
        return value

    # -- names -----------------------------------------------------------------------------

    @property
    def labels(self) -> LabelIndex:
        """The label index over every entity (cached)."""
        return self.cached("labels", lambda: LabelIndex.build(self.graph))

    def label(self, node: Node, lang: str = "en") -> str:
        """A display label for any node: entity label, term label, CURIE or literal text.

        >>> import ipgraph
        >>> from ipgraph.vocab import IPG
        >>> kg = ipgraph.load()
        >>> kg.label(IPG.issuedBy)
        'issued by'
        >>> kg.label(kg.resolve("MOE"), lang="zh")
        '教育部'
        """
        if isinstance(node, Literal):
            return str(node)
        if not isinstance(node, URIRef):
            return str(node)
        found = self.labels.label(node, lang)
        if found is not None:
            return found
        term_labels = [
            value for value in self.graph.objects(node, RDFS.label) if isinstance(value, Literal)
        ]
        if term_labels:
            return pick_label(term_labels, lang)
        return self.curie(node)

    def curie(self, iri: URIRef) -> str:
        """``ipg:Agency`` for an IRI in a known namespace, else the IRI itself."""
        try:
            return self.graph.namespace_manager.curie(iri, generate=False)
        except (KeyError, ValueError):
            return str(iri)

    def find(self, text: str, limit: int = 10, types: Iterable[str] | None = None) -> list[Match]:
        """Entities whose English or Chinese labels or acronyms match ``text``, best first.

        Args:
            text: a name, part of one, or an acronym, in any case ("moe", "工信部").
            limit: how many results at most.
            types: keep only entities of these classes (IRIs or CURIEs such as ``ipg:Agency``).

        >>> import ipgraph
        >>> [m.label for m in ipgraph.load().find("ministry of ed")]
        ['Ministry of Education']
        """
        wanted = [self.expand(t) for t in types] if types else None
        if wanted:
            wanted = self._with_subclasses(wanted)
        return self.labels.find(text, limit=limit, types=wanted)

    def expand(self, ref: str) -> URIRef:
        """Turn ``<iri>``, an IRI, a CURIE (``ipg:Agency``) or an id path into an IRI.

        Raises:
            UsageError: a CURIE with an unknown prefix.
        """
        ref = ref.strip()
        if ref.startswith("<") and ref.endswith(">"):
            return URIRef(ref[1:-1])
        if ref.startswith(("http://", "https://", "urn:")):
            return URIRef(ref)
        prefix, sep, local = ref.partition(":")
        if sep and " " not in ref:
            namespaces = dict(self.graph.namespaces())
            if prefix in namespaces:
                return URIRef(namespaces[prefix] + local)
            if prefix in PREFIXES:
                return URIRef(PREFIXES[prefix] + local)
            raise UsageError(f"unknown prefix {prefix!r} in {ref!r}")
        if "/" in ref and " " not in ref:
            return ID[ref]
        raise UsageError(f"{ref!r} is not an IRI or CURIE")

    def resolve(self, ref: str | URIRef) -> URIRef:
        """The IRI of the one entity ``ref`` names.

        Args:
            ref: an IRI, a CURIE, an id path (``agency/cnipa``), an English or Chinese label,
                or an acronym ("MOE", "工信部").

        Raises:
            EntityNotFound: nothing matches (the error lists near misses).
            AmbiguousEntity: several entities match (the error lists them).
        """
        if isinstance(ref, URIRef):
            iri = ref
        else:
            text = ref.strip()
            looks_like_iri = (
                text.startswith(("<", "http://", "https://", "urn:"))
                or ("/" in text and " " not in text)
                or (":" in text and " " not in text and text.split(":")[0] in self._prefixes())
            )
            if not looks_like_iri:
                return self.labels.resolve_label(text)
            iri = self.expand(text)
        if iri in self.labels or (iri, None, None) in self.graph or (None, None, iri) in self.graph:
            return iri
        near = self.labels.find(str(iri).rstrip("/").rsplit("/", 1)[-1].replace("-", " "), 5)
        raise EntityNotFound(str(ref), [self.labels.describe(m.iri) for m in near])

    def _prefixes(self) -> set[str]:
        return {prefix for prefix, _ in self.graph.namespaces()} | set(PREFIXES)

    def _with_subclasses(self, classes: Iterable[URIRef]) -> list[URIRef]:
        found: list[URIRef] = []
        for cls in classes:
            for sub in self.graph.transitive_subjects(RDFS.subClassOf, cls):
                if isinstance(sub, URIRef) and sub not in found:
                    found.append(sub)
        return found

    # -- reading ---------------------------------------------------------------------------

    def entity(self, ref: str | URIRef) -> Entity:
        """A readable summary of one entity: types, labels, links, figures, provenance.

        >>> import ipgraph
        >>> moe = ipgraph.load().entity("教育部")
        >>> moe.alt_labels
        ['MOE']
        """
        iri = self.resolve(ref)
        return summarize(self.graph, iri, self.label)

    def instances(self, cls: str | URIRef) -> Iterator[URIRef]:
        """Every entity typed ``cls`` or one of its subclasses."""
        target = self.expand(cls) if isinstance(cls, str) else cls
        seen: set[URIRef] = set()
        for sub in self._with_subclasses([target]):
            for subject in self.graph.subjects(RDF.type, sub):
                if isinstance(subject, URIRef) and subject not in seen:
                    seen.add(subject)
                    yield subject

    def info(self) -> dict[str, Any]:
        """Counts: triples, entities per class, triples per source graph."""
        per_class: dict[str, int] = {}
        classes = {c for c in self.graph.objects(None, RDF.type) if isinstance(c, URIRef)}
        for cls in sorted(classes):
            if self.graph.value(cls, RDFS.label) is None:
                continue
            per_class[self.curie(cls)] = len(set(self.graph.subjects(RDF.type, cls)))
        return {
            "triples": len(self.graph),
            "entities": len(self.labels),
            "store": self.store.kind,
            "classes": dict(sorted(per_class.items(), key=lambda kv: (-kv[1], kv[0]))),
            "sources": [
                {"graph": str(s.graph), "path": s.path, "triples": s.triples}
                for s in self.sources()
            ],
        }

    # -- checking and writing --------------------------------------------------------------

    def data_graph(self) -> Graph:
        """The facts alone (every named graph but the vocabulary), as one graph."""
        merged = Graph()
        bind_prefixes(merged)
        for name in self.store.graph_names():
            if name != ONTOLOGY_GRAPH:
                merged += self.graph.graph(name)
        return merged

    def validate(self, *extra: str | Path) -> ValidationReport:
        """Check the data against the SHACL shapes (pySHACL with RDFS inference).

        Args:
            extra: files to check together with the loaded data, without loading them.

        Returns:
            A `ValidationReport`: ``conforms`` and one result per violation.

        Raises:
            DataError: an extra file is malformed.
        """
        from ipgraph.validation import validate

        data_graph = self.data_graph()
        for item in (parse_file(Path(path)) for path in extra):
            for graph in item.graphs.values():
                data_graph += graph
        shapes = Graph().parse(data.shapes_file(), format="turtle")
        ontology = self.graph.graph(ONTOLOGY_GRAPH)
        return validate(data_graph, shapes, ontology, self.label)

    def export(self, format: str = "ttl") -> str:
        """The whole graph serialised: ``ttl``, ``nt``, ``jsonld``, ``xml`` (merged triples)
        or ``trig``, ``nquads`` (keeping the named graphs).

        >>> import ipgraph
        >>> "ipg:issuedBy" in ipgraph.load().export("ttl")
        True
        """
        try:
            rdflib_format = EXPORT_FORMATS[format.lower()]
        except KeyError:
            known = ", ".join(sorted(EXPORT_FORMATS))
            raise UsageError(f"unknown export format {format!r}; use one of {known}") from None
        if rdflib_format in _QUAD_EXPORTS:
            return self.graph.serialize(format=rdflib_format)
        merged = Graph()
        bind_prefixes(merged)
        for name, ns in self.graph.namespaces():
            merged.bind(name, ns, override=False)
        merged.addN((s, p, o, merged) for s, p, o in self.graph.triples((None, None, None)))
        if rdflib_format == "json-ld":
            context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
            return merged.serialize(format="json-ld", context=context, indent=1)
        return merged.serialize(format=rdflib_format)

    # -- SPARQL (issue 3: query.py) -------------------------------------------------------

    # -- paths and the networkx projection (issue 4: paths.py) ----------------------------

    # -- graph views (issue 5: views.py) ---------------------------------------------------

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {len(self.graph)} triples, store={self.store.kind}>"


def load(
    *sources: str | Path, store: str | Store | None = None, bundled: bool = True
) -> KnowledgeGraph:
    """Open the ipgraph knowledge graph: the bundled ontology and facts plus your files.

    Args:
        sources: extra RDF files to merge (Turtle, TriG, N-Triples, N-Quads, JSON-LD).
        store: ``memory`` (default), ``oxigraph:PATH`` or ``sparql:URL``; see the README.
        bundled: load the curated graph that ships with ipgraph (default True).

    Raises:
        DataError: a file is missing or malformed; nothing is loaded then.

    >>> import ipgraph
    >>> kg = ipgraph.load()
    >>> len(kg.graph) > 1000
    True
    """
    kg = KnowledgeGraph(open_store(store))
    files: list[str | Path] = [*data.bundled_files(), *sources] if bundled else list(sources)
    if files:
        kg.add(*files)
    return kg
