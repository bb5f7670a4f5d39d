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
from typing import TYPE_CHECKING, Any, TypeVar

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ipgraph import data
from ipgraph.entity import Entity, summarize
from ipgraph.errors import EntityNotFound, UsageError
from ipgraph.labels import LabelIndex, Match, pick_label
from ipgraph.loader import parse_file
from ipgraph.store import Store, bind_prefixes, open_store
from ipgraph.validation import ValidationReport
from ipgraph.vocab import ID, PREFIXES

if TYPE_CHECKING:
    from ipgraph.views import build as views
    from ipgraph.views import html as pages

if TYPE_CHECKING:
    from ipgraph.sparql.run import NamedQuery, ParsedQuery, QueryResult

if TYPE_CHECKING:  # provenance and time (issue 10)
    from ipgraph.provenance import Statement, TimelineEntry

if TYPE_CHECKING:  # paths (issue 4)
    import networkx as nx

    from ipgraph.graph import paths as _paths

T = TypeVar("T")


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
        loaded = self.store.load_files([Path(source) for source in sources])
        if loaded:
            self._generation += 1
        return [SourceInfo(g.graph, g.path, g.triples) for g in loaded]

    def sources(self) -> list[SourceInfo]:
        """The named graphs with their sizes and the files they came from."""
        return [
            SourceInfo(name, self.store.source_path(name), self.store.graph_size(name))
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
        return self.cached("labels", lambda: LabelIndex.build(self.store.label_graph()))

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
        >>> [m.label for m in ipgraph.load().find("ministry of ed")][0]
        'Ministry of Education'
        """
        wanted = self.classes(types) if types else None
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
        if (iri, None, None) in self.graph or (None, None, iri) in self.graph or iri in self.labels:
            return iri
        near = self.labels.find(str(iri).rstrip("/").rsplit("/", 1)[-1].replace("-", " "), 5)
        raise EntityNotFound(str(ref), [self.labels.describe(m.iri) for m in near])

    def _prefixes(self) -> set[str]:
        return {prefix for prefix, _ in self.graph.namespaces()} | set(PREFIXES)

    def classes(self, refs: Iterable[str]) -> list[URIRef]:
        """The classes ``refs`` name (CURIEs or IRIs) and all their subclasses.

        Raises:
            UsageError: a reference names no class of the graph (a typo such as ipg:Agncy).
        """
        found: list[URIRef] = []
        for ref in refs:
            cls = self.expand(ref)
            declared = any((cls, RDF.type, kind) in self.graph for kind in (OWL.Class, RDFS.Class))
            if not declared and (None, RDF.type, cls) not in self.graph:
                import difflib

                types = self.graph.objects(None, RDF.type)
                used = {self.curie(c) for c in types if isinstance(c, URIRef)}
                close = difflib.get_close_matches(ref, sorted(used), n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise UsageError(f"unknown class {ref!r}{hint} (`ipgraph info` lists them)")
            found += [sub for sub in self.subclasses_of([cls]) if sub not in found]
        return found

    def subclasses_of(self, classes: Iterable[URIRef]) -> list[URIRef]:
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
        for sub in self.subclasses_of([target]):
            for subject in self.graph.subjects(RDF.type, sub):
                if isinstance(subject, URIRef) and subject not in seen:
                    seen.add(subject)
                    yield subject

    def info(self) -> dict[str, Any]:
        """Counts: triples, entities per class, triples per source graph."""
        per_class: dict[str, int] = {}
        classes = {c for c in self.graph.objects(None, RDF.type) if isinstance(c, URIRef)}
        for cls in sorted(classes):
            # OWL's own classes (owl:Class, owl:NamedIndividual, ...) describe the vocabulary
            if cls.startswith(str(OWL)) or self.graph.value(cls, RDFS.label) is None:
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
            if name != data.ONTOLOGY_GRAPH:
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
        ontology = Graph()  # a local copy: pySHACL walks it with blank-node patterns
        ontology += self.graph.graph(data.ONTOLOGY_GRAPH)
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
        native = self.store.dump(rdflib_format)
        if native is not None:
            return native
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

    def query(
        self,
        sparql: str | ParsedQuery,
        *,
        timeout: float | None = None,
        max_rows: int | None = None,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        **bindings: Any,
    ) -> QueryResult:
        """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the whole graph.

        The project's prefixes (``ipg:``, ``id:``, ``org:``, ``eli:``, ``skos:``, ...) are
        pre-bound; the default graph is the union of all sources, ``GRAPH ?g`` sees each.
        Updates, ``SERVICE`` and ``FROM`` graphs the store does not hold are refused.

        Args:
            sparql: the query text (or a `check_query` result).
            timeout: seconds before `QueryTimeout` (None: no limit).
            max_rows: cap on SELECT rows / graph triples; the result says ``truncated``.
            default_graphs: SPARQL Protocol ``default-graph-uri``: the default graph is the
                merge of these named graphs (they must be held, like ``FROM`` graphs).
            named_graphs: SPARQL Protocol ``named-graph-uri``: the graphs ``GRAPH`` sees.
            bindings: values for query variables: rdflib terms, Python numbers/dates, or
                strings (an IRI or CURIE becomes an IRI, ``"x"@zh`` a literal in N3 syntax,
                anything else a plain string literal).

        Raises:
            QuerySyntaxError: with the line and column where parsing broke.
            QueryForbidden: update, SERVICE, or FROM a graph the store does not hold.
            QueryTimeout: over the time limit.

        >>> import ipgraph
        >>> kg = ipgraph.load()
        >>> r = kg.query("SELECT ?label WHERE { ?a rdfs:label ?label FILTER(lang(?label) = 'zh') }",
        ...              a=kg.resolve("MOE"))
        >>> r.to_dicts()
        [{'label': '教育部'}]
        """
        from ipgraph.sparql.run import run_query

        return run_query(
            self.graph,
            sparql,
            bindings=bindings,
            timeout=timeout,
            max_rows=max_rows,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )

    def check(self, sparql: str) -> ParsedQuery:
        """Parse and safety-check a query as `query` would run it here (cached per text).

        Raises:
            QuerySyntaxError: with the line and column where parsing broke.
            QueryForbidden: update, SERVICE, or FROM a graph the store does not hold.

        >>> import ipgraph
        >>> ipgraph.load().check("ASK { ?s a ipg:Agency }").kind
        'ASK'
        """
        from ipgraph.sparql.run import check_query_for

        return check_query_for(self.graph, sparql)

    def named_queries(self) -> dict[str, NamedQuery]:
        """The competency questions shipped with ipgraph, by name.

        >>> import ipgraph
        >>> "joint-documents" in ipgraph.load().named_queries()
        True
        """
        from ipgraph.sparql.run import named_queries

        return named_queries()

    def query_named(
        self,
        name: str,
        *,
        timeout: float | None = None,
        max_rows: int | None = None,
        **bindings: Any,
    ) -> QueryResult:
        """Run one of the named queries, binding its parameters.

        A parameter of kind ``entity`` accepts anything `resolve` does (IRI, CURIE, label,
        acronym); ``year`` and ``integer`` parameters accept digits.

        Raises:
            UsageError: no such query, an unknown parameter, or a required one missing.

        >>> import ipgraph
        >>> kg = ipgraph.load()
        >>> rows = kg.query_named("labels-of-agencies").to_dicts()
        >>> any(r["zh"] == "教育部" for r in rows)
        True
        """
        from ipgraph.sparql.run import named_bindings, named_query, query_prefixes

        named = named_query(name)
        values = named_bindings(named, bindings, self.resolve, query_prefixes(self.graph))
        return self.query(named.text, timeout=timeout, max_rows=max_rows, **values)

    # -- paths and the networkx projection (issue 4: paths.py) ----------------------------

    def projection(self, include: Iterable[str] | str = ()) -> nx.MultiDiGraph:
        """The entity projection as a networkx `MultiDiGraph` (cached until data changes).

        Nodes are entity IRIs with ``label``, ``label_en``, ``label_zh`` and ``types``; edges
        are the triples between entities, keyed by predicate, with its ``label_en`` and
        ``label_zh``. Literals, vocabulary terms, sources and passages, and observations are
        left out; see `ipgraph.graph.projection`. Treat it as read-only: it is shared.

        Args:
            include: add back ``"observations"`` and/or ``"provenance"``.

        Raises:
            UsageError: an unknown ``include`` group.

        >>> import ipgraph
        >>> G = ipgraph.load().projection()
        >>> G.nodes[ipgraph.load().resolve("MOE")]["label_zh"]
        '教育部'
        """
        from ipgraph.graph.projection import build_projection, normalize_include

        groups = normalize_include(include)
        key = "projection:" + ",".join(groups)
        return self.cached(key, lambda: build_projection(self.graph, groups))

    def path(
        self,
        a: str | URIRef,
        b: str | URIRef,
        *,
        via: Iterable[str | URIRef] | str | None = None,
        avoid: Iterable[str | URIRef] | str | None = None,
        include: Iterable[str] | str = (),
    ) -> _paths.Path:
        """A shortest connection between two entities, walking relations either way.

        Args:
            a: the start: an IRI, CURIE, English or Chinese name, or acronym.
            b: the end, likewise.
            via: only through entities of these classes (``ipg:PolicyDocument``) or only
                along these relations (``ipg:issuedBy``).
            avoid: never through these classes, relations or entities (``CNIPA``).
            include: add ``"observations"`` / ``"provenance"`` to the walkable graph.

        Returns:
            A `Path`: ``hops`` (subject, predicate, object, forward), ``to_text()``,
            ``to_dict()``.

        Raises:
            NoPath: the entities are not connected (under the constraints).
            EntityNotFound, AmbiguousEntity: a reference does not name one entity.
            UsageError: a reference names something the projection leaves out.

        >>> import ipgraph
        >>> print(ipgraph.load().path("MOF", "CNIPA").to_text(lang="zh"))  # doctest: +ELLIPSIS
        财政部 ←合作单位— ... —发起单位→ 国家知识产权局
        """
        from ipgraph.graph import paths

        if self.store.kind != "memory" and via is None and avoid is None:
            # A large or remote store: search from both ends by store lookups and project
            # only what the search read (issue 6; see ipgraph.store.local_graph).
            found = self._local_path(a, b, include)
            if found is not None:
                return found
        G = self.projection(include)
        start, end = paths.endpoint(self, G, a), paths.endpoint(self, G, b)
        return paths.shortest_path(G, start, end, paths.constraints(self, G, via, avoid))

    def _local_path(
        self, a: str | URIRef, b: str | URIRef, include: Iterable[str] | str
    ) -> _paths.Path | None:
        from ipgraph.errors import NoPath
        from ipgraph.graph import paths
        from ipgraph.graph.projection import build_projection, normalize_include
        from ipgraph.store import local_graph

        groups = normalize_include(include)
        ball = local_graph(self.store, self.resolve(a), self.resolve(b), groups)
        if ball is None:
            return None
        G = build_projection(ball, groups)
        try:
            start, end = paths.endpoint(self, G, a), paths.endpoint(self, G, b)
            return paths.shortest_path(G, start, end, paths.constraints(self, G, None, None))
        except (NoPath, UsageError):
            return None  # the full projection decides (and words the error)

    def paths(
        self,
        a: str | URIRef,
        b: str | URIRef,
        *,
        max_length: int | None = None,
        limit: int = 20,
        k: int | None = None,
        via: Iterable[str | URIRef] | str | None = None,
        avoid: Iterable[str | URIRef] | str | None = None,
        include: Iterable[str] | str = (),
        timeout: float = 5.0,
    ) -> _paths.PathList:
        """Several connections between two entities, shortest first, bounded.

        Without ``k``: every simple path of at most ``max_length`` hops (default 4), at most
        ``limit`` of them. With ``k``: the ``k`` shortest simple paths (no longer than
        ``max_length`` if given). Either way the search stops after ``timeout`` seconds;
        the result's ``truncated`` / ``reason`` say whether it stopped early.

        Args:
            a: the start entity reference.
            b: the end entity reference.
            max_length: the longest path, in hops.
            limit: how many paths at most (without ``k``).
            k: how many shortest paths.
            via: only through these classes or along these relations.
            avoid: never through these classes, relations or entities.
            include: add ``"observations"`` / ``"provenance"`` to the walkable graph.
            timeout: the time budget in seconds.

        Returns:
            A `PathList` (a list of `Path`, with ``truncated`` and ``reason``).

        Raises:
            EntityNotFound, AmbiguousEntity: a reference does not name one entity.
            UsageError: bad bounds, or a reference the projection leaves out.

        >>> import ipgraph
        >>> found = ipgraph.load().paths("MOF", "CNIPA", max_length=3)
        >>> len(found[0]) <= len(found[-1]) <= 3
        True
        """
        from ipgraph.graph import paths

        G = self.projection(include)
        start, end = paths.endpoint(self, G, a), paths.endpoint(self, G, b)
        rules = paths.constraints(self, G, via, avoid)
        if k is not None:
            return paths.k_shortest_paths(
                G, start, end, k, rules, max_length=max_length, timeout=timeout
            )
        return paths.all_paths(
            G,
            start,
            end,
            rules,
            max_length=4 if max_length is None else max_length,
            limit=limit,
            timeout=timeout,
        )

    def neighbors(
        self,
        a: str | URIRef,
        depth: int = 1,
        types: Iterable[str | URIRef] | str | None = None,
        *,
        avoid: Iterable[str | URIRef] | str | None = None,
        include: Iterable[str] | str = (),
    ) -> _paths.Neighborhood:
        """The entities around one entity, grouped by depth and relation.

        Args:
            a: the entity reference.
            depth: how many hops out.
            types: list only entities of these classes (``ipg:Agency``); the walk passes
                through anything.
            avoid: never walk through these classes, relations or entities.
            include: add ``"observations"`` / ``"provenance"``.

        Raises:
            EntityNotFound, AmbiguousEntity: the reference does not name one entity.
            UsageError: depth below 1, an unknown class, or an entity the projection
                leaves out.

        >>> import ipgraph
        >>> kg = ipgraph.load()
        >>> kg.resolve("CNIPA") in {n.node for n in kg.neighbors("MOF", depth=2).neighbors}
        True
        """
        from ipgraph.graph import paths

        G = self.projection(include)
        center = paths.endpoint(self, G, a)
        classes = paths.constraints(self, G, via=types)
        if classes.via_predicates:
            raise UsageError(f"types must be classes such as ipg:Agency, not {types!r}")
        wanted = classes.via_types
        return paths.neighbors(G, center, depth, wanted, paths.constraints(self, G, None, avoid))

    def rank(
        self,
        measure: str = "degree",
        type: str | URIRef | None = None,
        *,
        limit: int | None = None,
        include: Iterable[str] | str = (),
    ) -> list[_paths.Ranked]:
        """Who is central: entities by ``degree``, ``betweenness`` or ``pagerank``.

        Scores come from the whole projection; ``type`` only filters what is listed
        (``ipg:Agency`` gives the agencies at the centre of joint policy-making).

        Raises:
            UsageError: an unknown measure or class.

        >>> import ipgraph
        >>> ipgraph.load().rank("degree", type="ipg:Agency", limit=1)[0].label
        'China National Intellectual Property Administration'
        """
        from ipgraph.graph import paths

        G = self.projection(include)
        classes = paths.constraints(self, G, via=type)
        if classes.via_predicates:
            raise UsageError(f"type must be a class such as ipg:Agency, not {type!r}")
        wanted = classes.via_types
        return paths.rank(G, measure, wanted, limit)

    def communities(self, include: Iterable[str] | str = ()) -> list[_paths.Community]:
        """Clusters of the projection (seeded Louvain), largest first.

        >>> import ipgraph
        >>> kg = ipgraph.load()
        >>> groups = kg.communities()
        >>> sum(len(c) for c in groups) == kg.projection().number_of_nodes()
        True
        """
        from ipgraph.graph import paths

        return self.cached(
            "communities:" + ",".join(sorted([include] if isinstance(include, str) else include)),
            lambda: paths.communities(self.projection(include)),
        )

    def export_projection(self, format: str = "graphml", include: Iterable[str] | str = ()) -> str:
        """The projection as GraphML or GEXF text, for Gephi, Cytoscape or yEd.

        Raises:
            UsageError: an unknown format.

        >>> import ipgraph
        >>> ipgraph.load().export_projection("gexf").startswith("<gexf")
        True
        """
        from ipgraph.graph.projection import export_projection

        return export_projection(self.projection(include), format, self.curie)

    # -- graph views (issue 5: views.py) ---------------------------------------------------

    def view(
        self,
        entity: str | None = None,
        *,
        depth: int = 1,
        path: tuple[str, str] | None = None,
        agencies: bool = False,
        query: str | None = None,
        types: Iterable[str] = (),
        max_nodes: int | None = 500,
        layout: str = "auto",
        title: str | None = None,
    ) -> views.View:
        """What a graph page would draw, as plain data (nodes, edges, legend, meta).

        Give at most one of ``entity`` (its neighbourhood), ``path`` (the shortest connections
        between two entities), ``agencies`` (the collaboration network) or ``query`` (a SPARQL
        CONSTRUCT or SELECT); with none, the whole graph.

        Args:
            entity: an entity reference (IRI, CURIE, English or Chinese name, acronym).
            depth: how many links away from ``entity`` to go.
            path: two entity references.
            agencies: the agencies linked by co-issued documents and joint programs.
            query: SPARQL; CONSTRUCT draws its triples, SELECT the entities it returns.
            types: keep only these classes (``ipg:Agency``).
            max_nodes: the cap; the best-connected nodes are kept, ``None`` keeps all.
            layout: ``auto`` (physics up to 400 nodes), ``physics`` or ``fixed``.
            title: the page heading instead of the default.

        Raises:
            UsageError: several kinds of view at once, or a bad depth, cap or layout.
            EntityNotFound: an entity reference matches nothing (with near misses).
            NoPath: the two entities of ``path`` are not connected.

        >>> import ipgraph
        >>> view = ipgraph.load().view("MOE", depth=1)
        >>> view.nodes[0]["label"] in [n["label"] for n in view.nodes]
        True
        """
        from ipgraph.views import build as views

        spec = views.ViewSpec(
            title=title,
            entity=entity,
            depth=depth,
            path=path,
            agencies=agencies,
            query=query,
            types=tuple(types),
            max_nodes=max_nodes,
            layout=layout,
        )
        return views.build_view(self, spec)

    def render(
        self,
        entity: str | None = None,
        *,
        output: str | Path | None = None,
        depth: int = 1,
        path: tuple[str, str] | None = None,
        agencies: bool = False,
        query: str | None = None,
        types: Iterable[str] = (),
        max_nodes: int | None = 500,
        layout: str = "auto",
        title: str | None = None,
    ) -> Path:
        """Write a view (see `view` for the arguments) as a self-contained HTML page.

        The page opens from ``file://`` with no network request: vis-network is inlined from
        the installed pyvis. Search by English or Chinese name or acronym, filter by class,
        hover or click for types, labels, figures and sources.

        Args:
            output: the file to write; default ``graphs/{view name}.html``.

        Returns:
            The path written.

        >>> import ipgraph, tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "agencies.html"
        >>> ipgraph.load().render(agencies=True, output=out) == out
        True
        """
        from ipgraph.views import html as pages

        built = self.view(
            entity,
            depth=depth,
            path=path,
            agencies=agencies,
            query=query,
            types=types,
            max_nodes=max_nodes,
            layout=layout,
            title=title,
        )
        target = output if output is not None else Path("graphs") / f"{built.name}.html"
        return pages.write_html(built, target)

    def show(
        self,
        entity: str | None = None,
        *,
        depth: int = 1,
        path: tuple[str, str] | None = None,
        agencies: bool = False,
        query: str | None = None,
        types: Iterable[str] = (),
        max_nodes: int | None = 500,
        layout: str = "auto",
        title: str | None = None,
        height: int = 640,
    ) -> pages.HtmlView:
        """A view (see `view` for the arguments) that Jupyter displays inline.

        >>> import ipgraph
        >>> shown = ipgraph.load().show("CNIPA")
        >>> shown._repr_html_().startswith("<iframe srcdoc=")
        True
        """
        from ipgraph.views import html as pages

        built = self.view(
            entity,
            depth=depth,
            path=path,
            agencies=agencies,
            query=query,
            types=types,
            max_nodes=max_nodes,
            layout=layout,
            title=title,
        )
        return pages.HtmlView(built, height=height)

    def render_site(
        self,
        views_file: str | Path | None = "graphs/views.toml",
        output: str | Path = "graphs/site",
    ) -> Path:
        """Render every view into a small site: the built-in views plus the named views of
        ``views_file`` (TOML), with an index page.

        Args:
            views_file: the named views; ``None`` for the built-in views only.
            output: the folder to write.

        Returns:
            The path of the index page.

        Raises:
            DataError: the views file is missing or wrong, or a view cannot be built.
        """
        from ipgraph.views import site

        specs = site.load_view_specs(views_file) if views_file is not None else []
        source = str(views_file) if views_file is not None else None
        return site.build_site(self, specs, output, source=source)

    # -- provenance and time (issue 10: provenance.py) ------------------------------------

    def why(
        self,
        subject: str | URIRef,
        predicate: str | URIRef | None = None,
        object: str | Node | None = None,
    ) -> list[Statement]:
        """The sources of each statement about ``subject``: how the graph knows it.

        Each statement sits in the named graph of every passage that states it, every second
        source that gives it, or the curator inference that justifies it (docs/provenance.md).

        Args:
            subject: anything `resolve` accepts (IRI, CURIE, id path, label, acronym).
            predicate: a CURIE or IRI (``ipg:issuedBy``); all predicates when None.
            object: an entity reference, an rdflib term, or a literal's text; any when None.

        Returns:
            One `Statement` per matching (predicate, object), each with its `Source` list:
            ``kind`` (stated / second source / inferred / vocabulary / file), the passage
            locator, or title, URL, publisher and date, or the justification.

        Raises:
            EntityNotFound, AmbiguousEntity: the subject (or an entity object) is unknown.
            UsageError: a predicate CURIE with an unknown prefix.

        >>> import ipgraph
        >>> kg = ipgraph.load()
        >>> [(s.kind, s.section, s.paragraph) for s in kg.why("China Brand Day 2021",
        ...     "ipg:organizedBy", "NDRC")[0].sources]
        [('stated', '04', 2)]
        >>> sorted({s.kind for st in kg.why("CNIPA") for s in st.sources})
        ['inferred', 'second source', 'stated']
        """
        from ipgraph.provenance import why

        return why(self, subject, predicate, object)

    def timeline(self, entity: str | URIRef | None = None) -> list[TimelineEntry]:
        """Documents, events and figures in date order, optionally only those involving
        ``entity`` (about it, issued or organized by it, or linked to it).

        Dates come from ``eli:date_document`` (issued), ``eli:date_publication``,
        ``eli:first_date_entry_in_force``, ``ipg:year``, a figure's ``ipg:referenceDate`` or
        ``ipg:referencePeriod``, a plan's period and ``ipg:nameChangedOn``.

        Raises:
            EntityNotFound, AmbiguousEntity: the entity is unknown.

        >>> import ipgraph
        >>> kg = ipgraph.load()
        >>> part = kg.resolve("document/gbt-39551-1")
        >>> [(e.date, e.kind) for e in kg.timeline(part) if e.item == part]
        [('2020-11-09', 'issued'), ('2021-06-01', 'in force')]
        """
        from ipgraph.provenance import timeline

        return timeline(self, entity)

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
    if files and kg.store.persistent:
        # A persistent store keeps what it loaded: re-load only files that changed since.
        kg.store.load_files(files, only_changed=True)
    elif files:
        kg.add(*files)
    return kg
