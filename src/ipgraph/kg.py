"""The `KnowledgeGraph` facade: one object that every interface (library, CLI, HTTP) calls.

>>> import ipgraph
>>> kg = ipgraph.load()
>>> kg.find("工信部")[0].label
'Ministry of Industry and Information Technology'
>>> kg.resolve("MOF") == kg.resolve("Ministry of Finance")
True
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Identifier

from ipgraph import data, formats
from ipgraph.entity import Entity, summarize
from ipgraph.errors import StoreBusy, StoreError, StoreWarning, UsageError
from ipgraph.kg_names import NameMethods
from ipgraph.kg_paths import PathMethods
from ipgraph.kg_sources import SourceMethods
from ipgraph.kg_views import ViewMethods
from ipgraph.labels import LabelIndex
from ipgraph.loader import parse_file
from ipgraph.refs import References
from ipgraph.sparql.check import ParsedQuery
from ipgraph.sparql.limits import check_limits
from ipgraph.sparql.named import NamedQuery, named_bindings, named_queries, named_query
from ipgraph.sparql.pool import DEFAULT_MEMORY_MB, QueryPool
from ipgraph.sparql.result import QueryResult
from ipgraph.sparql.run import run_query
from ipgraph.sparql.scan import QueryKind, inject_values, scan_query
from ipgraph.store import Store, open_store
from ipgraph.store.namesearch import Names
from ipgraph.terms import subclasses
from ipgraph.validation import ValidationReport, validate
from ipgraph.vocab import PREFIXES, bind_prefixes

if TYPE_CHECKING:
    pass

T = TypeVar("T")


@dataclass(frozen=True)
class BoundQuery:
    """A named query's text with its parameters bound (`KnowledgeGraph.bind_named`).

    Attributes:
        text: the query, the bound parameters in a ``VALUES`` block at the start of its
            WHERE clause (unchanged when none is bound).
        bindings: parameter name → the term it is bound to.
    """

    text: str
    bindings: dict[str, Identifier]


@dataclass(frozen=True)
class SourceInfo:
    """A named graph of the data set and where it came from."""

    graph: URIRef
    path: str | None
    triples: int


class KnowledgeGraph(NameMethods, PathMethods, SourceMethods, ViewMethods):
    """The ipgraph knowledge graph over a store, with every way of asking it questions.

    Build one with `ipgraph.load`. Derived views (the label index, the networkx projection)
    are computed on first use and dropped whenever data is added, so they never disagree with
    the store.
    """

    def __init__(self, store: Store | None = None) -> None:
        self.store = store if store is not None else open_store()
        self._generation = 0
        self._cache: dict[str, tuple[int, Any]] = {}
        self._workers: tuple[int | None, int | None] | None = None
        self._pool: QueryPool[Store] | None = None
        self._pool_generation = 0

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
        """The label index over every entity, read from the whole store (cached): for small
        graphs only. Names are found with `find` / `resolve` (the store's name index) and
        labelled with `label`, by lookups."""
        return self.cached("labels", lambda: LabelIndex.build(self.store.label_rows()))

    @property
    def names(self) -> Names:
        """The store's names: search, suggestions, labels by lookups (`Store.names`)."""
        return self.store.names()

    def prefixes(self) -> dict[str, str]:
        """The prefixes a query may use undeclared (the project's, then the data's)."""
        return self.store.prefixes()

    def curie(self, iri: URIRef) -> str:
        """``ipg:Agency`` for an IRI in a known namespace, else the IRI itself."""
        try:
            return self.graph.namespace_manager.curie(iri, generate=False)
        except (KeyError, ValueError):
            return str(iri)

    @property
    def refs(self) -> References:
        """The resolver of references for the current data (cached)."""
        return self.cached(
            "refs", lambda: References(self.graph, self.names, self.label, self.curie)
        )

    def expand(self, ref: str) -> URIRef:
        """Turn ``<iri>``, an IRI, a CURIE (``ipg:Agency``) or an id path into an IRI.

        Raises:
            UsageError: a CURIE with an unknown prefix.
        """
        return self.refs.expand(ref)

    def resolve(self, ref: str | URIRef) -> URIRef:
        """The IRI of the one entity ``ref`` names.

        Args:
            ref: an IRI, a CURIE, an id path (``agency/cnipa``), an English or Chinese label,
                or an acronym ("MOE", "工信部").

        Raises:
            EntityNotFound: nothing matches (the error lists near misses).
            AmbiguousEntity: several entities match (the error lists them).
        """
        return self.refs.resolve(ref)

    def classes(self, refs: Iterable[str]) -> list[URIRef]:
        """The classes ``refs`` name (CURIEs or IRIs) and all their subclasses.

        Raises:
            UsageError: a reference names no class of the graph (a typo such as ipg:Agncy).
        """
        return self.refs.classes(refs)

    def subclasses_of(self, classes: Iterable[URIRef]) -> list[URIRef]:
        """The classes and all their subclasses, each once."""
        return subclasses(self.graph, classes)

    # -- reading ---------------------------------------------------------------------------

    def entity(self, ref: str | URIRef, limit: int = 0) -> Entity:
        """A readable summary of one entity: types, labels, links, figures, provenance; links
        that only a curator inference gives are marked ``inferred``.

        Args:
            ref: anything `resolve` takes.
            limit: list at most this many links per predicate and direction (0: all): of a
                larger relation the first by IRI (a literal by its text), listed by label, as
                ``to_text(limit=...)`` cuts a whole summary; the summary's ``relations`` still
                count them all (by the store, not by reading).

        >>> import ipgraph
        >>> moe = ipgraph.load().entity("教育部")
        >>> moe.alt_labels
        ['MOE']
        """
        from ipgraph.provenance import inferred_about

        iri = self.resolve(ref)
        summary = summarize(self.graph, iri, self, self.store, limit)
        return summary.marking(inferred_about(self, iri))

    def instances(self, cls: str | URIRef) -> Iterator[URIRef]:
        """Every entity typed ``cls`` or one of its subclasses."""
        target = self.expand(cls) if isinstance(cls, str) else cls
        seen: set[URIRef] = set()
        for sub in subclasses(self.graph, [target]):
            for subject in self.graph.subjects(RDF.type, sub):
                if isinstance(subject, URIRef) and subject not in seen:
                    seen.add(subject)
                    yield subject

    def info(self) -> dict[str, Any]:
        """Counts: triples, entities per class, triples per source graph.

        From figures the store keeps (a persistent store counts them once per load) and
        lookups of the classes' labels: never a scan of the data.

        >>> import ipgraph
        >>> ipgraph.load().info()["classes"]["ipg:Ministry"] >= 5
        True
        """
        stats = self.store.statistics()
        counts = {URIRef(str(c)): int(n) for c, n in dict(stats["classes"]).items()}  # type: ignore[call-overload]
        # OWL's own classes (owl:Class, owl:NamedIndividual, ...) describe the vocabulary
        labelled = {s for s, _, _ in self.store.objects(sorted(counts), (RDFS.label,))}
        per_class = {
            self.curie(cls): n
            for cls, n in counts.items()
            if cls in labelled and not cls.startswith(str(OWL))
        }
        return {
            "triples": len(self.store),
            "entities": int(stats["entities"]),  # type: ignore[call-overload]
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
            chosen = formats.by_name(format)
        except KeyError:
            known = ", ".join(f.name for f in formats.EXPORT_FORMATS)
            raise UsageError(f"unknown export format {format!r}; use one of {known}") from None
        rdflib_format = chosen.rdflib
        native = self.store.dump(rdflib_format)
        if native is not None:
            return native
        if chosen.keeps_graphs:
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
        return run_query(
            self.store,
            sparql,
            bindings=bindings,
            timeout=timeout,
            max_rows=max_rows,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            pool=self._query_pool(),
        )

    def use_workers(
        self, workers: int | None = None, memory_mb: int | None = DEFAULT_MEMORY_MB
    ) -> None:
        """Run every query of `query` / `query_named` in worker processes from now on.

        Each query then has a hard time limit (its ``timeout``, default
        `ipgraph.sparql.limits.DEFAULT_TIMEOUT`: the worker is killed when it expires, even in
        the middle of C code) and a memory cap, and a crash of the query engine ends only its
        worker. The CLI's ``query`` command and the HTTP endpoint work this way; the pool
        starts on the first query and follows data changes.

        Args:
            workers: how many processes (default: the number of CPUs, at least 2).
            memory_mb: MB a query may allocate above the loaded data (None: no cap).

        >>> import ipgraph
        >>> kg = ipgraph.load()
        >>> kg.use_workers(workers=1)
        >>> kg.query("ASK { ?s a ipg:Agency }", timeout=30).boolean
        True
        >>> kg.close()
        """
        self.close()
        self._workers = (workers, memory_mb)
        self._query_pool()  # start warming now, not on the first query

    def _query_pool(self) -> QueryPool[Store] | None:
        if self._workers is None:
            return None
        if self._pool is None:
            workers, memory_mb = self._workers
            self._pool = QueryPool(self.store.worker_view, workers=workers, memory_mb=memory_mb)
        elif self._pool_generation != self._generation:
            self._pool.restart()  # the data changed: workers forked from the data as it is now
        self._pool_generation = self._generation
        return self._pool

    def close(self) -> None:
        """Stop the query workers, if any (`use_workers`); queries then run in-process until
        `use_workers` is called again."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        self._workers = None

    def query_kind(self, sparql: str) -> QueryKind:
        """The form of a query (SELECT, ASK, CONSTRUCT, DESCRIBE) from a cheap token scan, with
        what is refused before parsing refused here too (too long or nested, update, SERVICE);
        a text the scan cannot place is parsed (`check`).

        >>> import ipgraph
        >>> ipgraph.load().query_kind("PREFIX x: <urn:x#> CONSTRUCT WHERE { ?s x:p ?o }")
        'CONSTRUCT'
        """
        check_limits(sparql)
        kind = scan_query(sparql).kind
        return kind if kind is not None else self.check(sparql).kind

    def check(self, sparql: str) -> ParsedQuery:
        """Parse and safety-check a query as `query` would run it here (cached per text).

        Raises:
            QuerySyntaxError: with the line and column where parsing broke.
            QueryForbidden: update, SERVICE, or FROM a graph the store does not hold.

        >>> import ipgraph
        >>> ipgraph.load().check("ASK { ?s a ipg:Agency }").kind
        'ASK'
        """
        return self.store.check(sparql)

    def named_queries(self) -> dict[str, NamedQuery]:
        """The competency questions shipped with ipgraph, by name.

        >>> import ipgraph
        >>> "joint-documents" in ipgraph.load().named_queries()
        True
        """
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
        named = named_query(name)
        values = named_bindings(named, bindings, self.resolve, self.store.prefixes())
        return self.query(named.text, timeout=timeout, max_rows=max_rows, **values)

    def bind_named(
        self, name: str, params: Mapping[str, Any] | None = None, *, text: str | None = None
    ) -> BoundQuery:
        """One of the named queries as text, its parameters bound by a ``VALUES`` block: the
        query `query_named` runs, to read, edit, or send to any SPARQL endpoint.

        Values are read as `query_named` reads them (an ``entity`` takes a label, acronym,
        CURIE or IRI); an optional parameter left out stays unbound.

        Args:
            name: the named query (see `named_queries`).
            params: parameter name → value.
            text: the query's text as edited (default: the named query's own); its
                parameters are still those ``name`` declares.

        Raises:
            UsageError: no such query, an unknown parameter, or a required one missing.
            EntityNotFound: an ``entity`` value names nothing in the graph.
            QuerySyntaxError: ``text`` has no WHERE clause to bind in.

        >>> import ipgraph
        >>> bound = ipgraph.load().bind_named("connections", {"entity": "CNIPA"})
        >>> bound.bindings["entity"].n3()
        '<https://w3id.org/ipgraph/id/agency/cnipa>'
        >>> "VALUES ( ?entity ) { ( <https://w3id.org/ipgraph/id/agency/cnipa> ) }" in bound.text
        True
        """
        named = named_query(name)
        terms = named_bindings(named, params or {}, self.resolve, self.store.prefixes())
        source = named.text if text is None else text
        return BoundQuery(inject_values(source, terms) if terms else source, terms)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {len(self.graph)} triples, store={self.store.kind}>"


def load(
    *sources: str | Path, store: str | Store | None = None, bundled: bool = True
) -> KnowledgeGraph:
    """Open the ipgraph knowledge graph: the bundled ontology and facts plus your files.

    In memory, everything is parsed now. A persistent store keeps what it loaded: files are
    loaded again only when they changed. A read-only store (a SPARQL server without update or
    Graph Store endpoint) is only read: the bundled graph is not pushed there, and if the
    server does not hold it a `StoreWarning` says so once. While another process writes to an
    Oxigraph store, the bundled graph is not brought up to date (a `StoreWarning` says so)
    and the data is read as it was last committed.

    Args:
        sources: extra RDF files to merge (Turtle, TriG, N-Triples, N-Quads, JSON-LD).
        store: ``memory`` (default), ``oxigraph:PATH`` or ``sparql:URL``; see the README.
        bundled: load the curated graph that ships with ipgraph (default True).

    Raises:
        DataError: a file is missing or malformed; nothing is loaded then.
        StoreError: ``sources`` given for a read-only store, or a store another process is
            writing (`StoreBusy`).

    >>> import ipgraph
    >>> kg = ipgraph.load()
    >>> len(kg.graph) > 1000
    True
    """
    kg = KnowledgeGraph(open_store(store))
    target = kg.store
    files: list[str | Path] = [*data.bundled_files(), *sources] if bundled else list(sources)
    if not files:
        return kg
    if not target.persistent:
        kg.add(*files)
    elif not target.writable:
        if sources:
            raise StoreError(
                f"the store {target.spec} is read-only: {sources[0]} cannot be loaded there; "
                "give the server's update or Graph Store endpoint (#update=URL or #store=URL)"
            )
        if data.ONTOLOGY_GRAPH not in target.graph_names():
            warnings.warn(
                StoreWarning(
                    f"the store {target.spec} is read-only and does not hold ipgraph's bundled "
                    "graph: answers come from the server's own data"
                ),
                stacklevel=2,
            )
    else:
        try:  # a persistent store keeps what it loaded: re-load only files that changed
            target.load_files(files, only_changed=True)
        except StoreBusy:
            if sources:
                raise
            warnings.warn(
                StoreWarning(
                    f"another process is writing to the store {target.spec}: reading the data "
                    "as last committed (the bundled graph is not brought up to date)"
                ),
                stacklevel=2,
            )
    return kg
