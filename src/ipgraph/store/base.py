"""The `Store` interface: what every backend answers, so that no caller asks which one it has.

A store holds one named graph per source and answers, in its own engine: a checked SPARQL query
(`Store.check`, `Store.execute`), rows as plain strings for lookups (`Store.select`), the objects
of given subjects and predicates (`Store.objects`), the names and types the label index needs
(`Store.label_rows`), graph sizes, and loads (`Store.load_files`, all or nothing).

The backends: `MemoryStore` (rdflib, the default), `OxigraphStore` (embedded, persistent) and
`SparqlStore` (any SPARQL 1.1 server); `ipgraph.store.open_store` opens one from a spec.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from ipgraph import data, formats
from ipgraph.errors import DataError
from ipgraph.loader import check_file, graph_name, parse_file, rdf_format
from ipgraph.sparql.check import ParsedQuery, check_query
from ipgraph.sparql.result import QueryResult
from ipgraph.store.namerecords import name_records
from ipgraph.store.names import NameIndex
from ipgraph.store.namesearch import TYPE_WEIGHTS, IndexNames, Names
from ipgraph.terms import LABEL_PREDICATES
from ipgraph.vocab import PREFIXES, bind_prefixes

__all__ = [
    "STORE_ENV",
    "Graphs",
    "LabelRows",
    "LoadedGraph",
    "Progress",
    "Store",
    "Triple",
    "qualified_graph_name",
    "reads_graphs",
]

STORE_ENV = "IPGRAPH_STORE"

Progress = Callable[[int], None]
"""Called with the number of bytes of input read since the last call."""

Graphs = tuple[Sequence[URIRef], Sequence[URIRef]]
"""A SPARQL Protocol graph selection: (``default-graph-uri``, ``named-graph-uri``) lists."""

Triple = tuple[Node, Node, Node]
"""A triple of rdflib terms."""


def reads_graphs(path: Path) -> bool:
    """Whether a file may fill several named graphs (TriG, N-Quads, JSON-LD)."""
    return formats.by_name(rdf_format(path)).reads_graphs


def qualified_graph_name(key: Path) -> URIRef:
    """The named graph of a file whose plain name (`ipgraph.loader.graph_name`) is taken:
    ``graph/{stem}-{hash}``, a short hash of its resolved path ``key``.

    >>> qualified_graph_name(Path("/data/facts.ttl")).rsplit("/", 1)[-1]
    'facts-8f1baef0'
    """
    digest = hashlib.sha256(str(key).encode("utf-8")).hexdigest()[:8]
    return URIRef(f"{graph_name(key)}-{digest}")


@dataclass(frozen=True)
class LoadedGraph:
    """One named graph written by a load: its name, the file it came from, its size."""

    graph: URIRef
    path: str | None
    triples: int


class LabelRows:
    """Just the label and type triples, indexed in plain dicts: what `LabelIndex.build` reads
    (``subject_objects`` by predicate, ``objects`` of a subject), without the cost of adding
    hundreds of thousands of triples to an rdflib store.

    >>> from rdflib.namespace import RDFS
    >>> rows = LabelRows([(URIRef("urn:a"), RDFS.label, URIRef("urn:x"))])
    >>> list(rows.objects(URIRef("urn:a"), RDFS.label))
    [rdflib.term.URIRef('urn:x')]
    """

    def __init__(self, rows: Iterable[Triple]) -> None:
        self._by_predicate: dict[Node, list[tuple[Node, Node]]] = {}
        self._by_subject: dict[tuple[Node, Node], list[Node]] = {}
        for s, p, o in rows:
            self._by_predicate.setdefault(p, []).append((s, o))
            self._by_subject.setdefault((s, p), []).append(o)

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        """Every ``(subject, object)`` of a predicate."""
        return iter(list(self._by_predicate.get(predicate, [])))

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        """The objects of one subject and predicate."""
        return iter(list(self._by_subject.get((subject, predicate), [])))


class Store:
    """An RDF data set with one named graph per source, queried as their union.

    Subclasses implement the engine: `execute`, `select`, `objects`, `label_rows`, sizes and
    writes. Everything else (checking a query, the graph list, prefixes, validating files
    before a load) is shared here.

    Attributes:
        kind: the backend's name (``memory``, ``oxigraph``, ``sparql``).
        spec: the spec it was opened from (``memory``, ``oxigraph:./kgdb``, ...).
        persistent: whether data survives the process (loads then skip unchanged files).
        native_parser: queries are checked with Oxigraph's parser (they never need rdflib's).
        values_chunk: how many IRIs one ``VALUES`` block of a lookup query may list (0: any).
        kept_statistics: `statistics` answers from counts kept at load time, at no cost, its
            classes are every class used as a type and its ``predicates`` (when given) every
            IRI used as a predicate (lookups may then skip asking).
        kinds_in_python: a filter on a term's kind (``isIRI(?m)``) costs the engine as much
            as reading the term's string (Oxigraph), so lookups reading the terms anyway
            test their kinds in Python; `select` then gives a blank node as ``_:label``.
        dataset: the rdflib `Dataset` over the quads; its default graph is the union.
    """

    kind = "store"
    persistent = False
    native_parser = False
    values_chunk = 500
    kept_statistics = False
    kinds_in_python = False

    def __init__(self, dataset: Dataset) -> None:
        self.spec: str = getattr(self, "spec", self.kind)
        self.dataset = dataset
        self._paths: dict[URIRef, str] = {}
        self._file_graphs: dict[Path, URIRef] = {}
        self._names: Names | None = None
        bind_prefixes(self.dataset)

    @property
    def writable(self) -> bool:
        """Whether loads can write here (a SPARQL server without an update or Graph Store
        endpoint cannot be written)."""
        return True

    def __len__(self) -> int:
        return len(self.dataset)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec}>"

    # -- what is there -----------------------------------------------------------------------

    def graph_names(self) -> list[URIRef]:
        """The named graphs that hold data, sorted."""
        return sorted(name for name, size in self.sizes().items() if size > 0)

    def graph_size(self, name: URIRef) -> int:
        """How many triples a named graph holds."""
        return self.sizes().get(name, 0)

    def sizes(self) -> dict[URIRef, int]:
        """The size of every named graph (backends answer from a cache or one query)."""
        return {
            URIRef(g.identifier): len(g)
            for g in self.dataset.graphs()
            if isinstance(g.identifier, URIRef)
        }

    def source_path(self, name: URIRef) -> str | None:
        """The file a named graph was loaded from, if known (kept across sessions when
        the store is persistent)."""
        return self._paths.get(name)

    # -- data in -----------------------------------------------------------------------------

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Put each graph in place of the named graph of the same name (never duplicating)."""
        raise NotImplementedError

    def load_files(
        self,
        paths: Sequence[str | Path],
        *,
        only_changed: bool = False,
        progress: Progress | None = None,
    ) -> list[LoadedGraph]:
        """Load RDF files, each replacing its named graph(s) whole, all or nothing.

        Args:
            paths: Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML files.
            only_changed: skip files the store already holds unchanged (persistent stores
                compare size, modification time and SHA-256 with what they recorded).
            progress: called with bytes read, for a progress bar.

        Returns:
            One `LoadedGraph` per named graph written (none for skipped files).

        Raises:
            DataError: a file is missing or malformed; the store is then as it was.

        >>> from ipgraph import data
        >>> from ipgraph.store import open_store
        >>> store = open_store("memory")
        >>> [g.graph.rsplit("/", 1)[-1] for g in store.load_files([data.vocabulary_file()])]
        ['ontology']
        """
        files = [Path(p) for p in paths]
        for path in files:  # fail before touching anything
            if not path.is_file():
                raise DataError(str(path), "no such file")
            check_file(path)
        self._file_graphs = self.default_graphs(files)
        return self._load_files(files, only_changed, progress)

    def default_graphs(
        self, files: Sequence[Path], paths: Mapping[str, str] | None = None
    ) -> dict[Path, URIRef]:
        """The named graph each file's triples go to, by resolved path: ``graph/{file stem}``
        (`ipgraph.loader.graph_name`), unless that name is ipgraph's bundled graph or belongs
        to another file (in the store or earlier in ``files``): then ``graph/{stem}-{hash}``
        (`qualified_graph_name`). A file loaded again keeps its name.

        Args:
            files: the files of one load, in order.
            paths: the file each graph came from, by graph IRI, when not the store's own
                (`source_path`): to ask what a load would write once those sources change.

        >>> from ipgraph.store import open_store
        >>> names = open_store("memory").default_graphs([Path("a/facts.ttl"), Path("b/facts.ttl")])
        >>> [name.rsplit("/", 1)[-1][:6] for name in names.values()]
        ['facts', 'facts-']
        """
        bundled = {path: graph_name(path) for path in data.bundled_paths()}
        reserved = set(bundled.values())
        sources = self._paths if paths is None else paths
        owners = {URIRef(name): Path(source).resolve() for name, source in sources.items()}
        names: dict[Path, URIRef] = {}
        for path in files:
            key = path.resolve()
            if key in bundled:
                names[key] = bundled[key]
                continue
            name = graph_name(path)
            if name in reserved or owners.get(name, key) != key:
                name = qualified_graph_name(key)
            owners[name] = key
            names[key] = name
        return names

    def default_graph(self, path: Path) -> URIRef:
        """The named graph for a file's triples outside any named graph (see
        `default_graphs`, worked out when a load starts)."""
        return self._file_graphs.get(path.resolve()) or graph_name(path)

    def check_graphs(self, path: Path, names: Iterable[URIRef]) -> None:
        """Refuse a user file that names one of the bundled graphs (in TriG or N-Quads):
        bundled graphs are never shadowed.

        Raises:
            DataError: naming the file and the graph.
        """
        bundled = data.bundled_paths()
        if path.resolve() in bundled:
            return
        reserved = {graph_name(p) for p in bundled} | {  # and every graph they filled
            graph for graph, source in self._paths.items() if Path(source).resolve() in bundled
        }
        for name in names:
            if name in reserved:
                raise DataError(
                    str(path),
                    f"graph <{name}> is the name of ipgraph's bundled graph; give your "
                    "graph another name",
                )

    def _load_files(
        self, files: list[Path], only_changed: bool, progress: Progress | None
    ) -> list[LoadedGraph]:
        """Load checked files (see `load_files`): parse every file first (a bad file leaves the
        store as it was), then replace the graphs they fill. Backends with a bulk loader of
        their own override this."""
        parsed = []
        for path in files:
            item = parse_file(path, graph=self.default_graph(path))
            self.check_graphs(path, item.graphs)
            parsed.append(item)
            if progress is not None:
                progress(path.stat().st_size)
        loaded: list[LoadedGraph] = []
        for item in parsed:
            self.replace_graphs(item.graphs)
            self.bind(item.namespaces.items())
            for name, graph in item.graphs.items():
                self._paths[name] = str(item.path)
                loaded.append(LoadedGraph(name, str(item.path), len(graph)))
        return loaded

    def bind(self, namespaces: Iterable[tuple[str, URIRef]]) -> None:
        """Add prefixes from loaded files, never overriding the project's own."""
        known = {prefix for prefix, _ in self.dataset.namespaces()}
        for prefix, ns in namespaces:
            if prefix and prefix not in known:
                self.dataset.bind(prefix, ns)

    def prefixes(self) -> dict[str, str]:
        """The prefixes a query here may use undeclared: the project's (``ipgraph.vocab``),
        then those of the loaded files (``agency:``, ...). The CURIEs ``ipgraph query``
        prints can therefore be pasted into a query."""
        found = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        for prefix, ns in self.dataset.namespaces():
            if prefix:
                found.setdefault(prefix, str(ns))
        return found

    # -- questions -----------------------------------------------------------------------------

    def check(self, text: str) -> ParsedQuery:
        """Parse and safety-check a query as this store runs it (cached per text).

        >>> from ipgraph.store import open_store
        >>> open_store("memory").check("ASK { ?s a ipg:Agency }").kind
        'ASK'
        """
        return check_query(text, prefixes=self.prefixes(), native=self.native_parser)

    def execute(
        self,
        parsed: ParsedQuery,
        bindings: Mapping[str, Node],
        graphs: Graphs = ((), ()),
        max_rows: int | None = None,
    ) -> QueryResult:
        """Evaluate a checked query in the store's own engine.

        Args:
            parsed: the query, from `check`.
            bindings: values for variables, by name (checked by the caller).
            graphs: the SPARQL Protocol ``default-graph-uri`` / ``named-graph-uri`` lists
                (checked by the caller to be graphs of the store); empty: the union, or the
                query's own ``FROM`` clauses.
            max_rows: read at most this many rows (or triples), setting ``truncated``.
        """
        raise NotImplementedError

    def query(
        self,
        text: str,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] = (),
        named_graphs: Sequence[URIRef] = (),
    ) -> Result:
        """Run a SPARQL query string and return rdflib's `Result` (rows as rdflib terms).

        >>> from ipgraph import data
        >>> from ipgraph.store import open_store
        >>> store = open_store("memory")
        >>> _ = store.load_files([data.vocabulary_file()])
        >>> bool(store.query("ASK { ipg:issuedBy a owl:ObjectProperty }"))
        True
        """
        return self._query(text, bindings or {}, (default_graphs, named_graphs))

    def _query(self, text: str, bindings: Mapping[str, Node], graphs: Graphs) -> Result:
        raise NotImplementedError

    def select(self, text: str) -> list[tuple[str, ...]]:
        """The rows of a SELECT query, every term as its string value (IRI, lexical form;
        unbound: ``""``): the cheapest way to read many rows for lookups."""
        return [
            tuple("" if term is None else str(term) for term in row)  # type: ignore[union-attr]
            for row in self.query(text)
        ]

    def iter_select(self, text: str) -> Iterator[tuple[str, ...]]:
        """`select`'s rows one by one, as the store reads them where it can (Oxigraph): a
        caller that keeps little of each row never holds them all."""
        return iter(self.select(text))

    def terms(
        self, variables: Sequence[str], pattern: str, iris: Collection[str] = ()
    ) -> list[tuple[Node, ...]]:
        """The rows of ``SELECT ?v1 ?v2 ... WHERE { pattern }`` as RDF terms, rows leaving a
        variable unbound left out: many rows of terms, read the cheapest way the store has.
        ``iris`` names the variables that are never literals (a server then sends less).

        >>> from ipgraph import data
        >>> from ipgraph.store import open_store
        >>> store = open_store("memory")
        >>> _ = store.load_files([data.vocabulary_file()])
        >>> store.terms(["o"], "ipg:issuedBy a ?o FILTER(?o = owl:ObjectProperty)")
        [(rdflib.term.URIRef('http://www.w3.org/2002/07/owl#ObjectProperty'),)]
        """
        names = " ".join(f"?{v}" for v in variables)
        return [
            tuple(row)  # type: ignore[arg-type]
            for row in self.query(f"SELECT {names} WHERE {{ {pattern} }}")
            if None not in row  # type: ignore[operator]
        ]

    def objects(self, subjects: Sequence[URIRef], predicates: Sequence[URIRef]) -> Iterator[Triple]:
        """The triples ``(s, p, ?o)`` for every subject and predicate given, by lookups."""
        wanted = ", ".join(f"<{p}>" for p in predicates)
        chunk = self.values_chunk or len(subjects) or 1
        for start in range(0, len(subjects), chunk):
            values = " ".join(f"<{s}>" for s in subjects[start : start + chunk])
            for row in self.query(
                f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o "
                f"FILTER(?p IN ({wanted})) }}"
            ):
                yield row[0], row[1], row[2]  # type: ignore[index]

    def label_rows(self) -> LabelRows | Graph:
        """The label and type triples of every named thing, for the label index."""
        raise NotImplementedError

    # -- names and figures kept for lookups -----------------------------------------------------

    def names(self) -> Names:
        """How entities are found by name in this store, and labelled by lookups.

        Here: a name index in memory (`ipgraph.store.names.NameIndex`), built from the data
        on first use; a store whose data changes drops it (``self._names = None``). A
        persistent store keeps its index on disk and a remote one asks its server (see
        `ipgraph.store.namesearch`).

        >>> from ipgraph import data
        >>> from ipgraph.store import open_store
        >>> store = open_store("memory")
        >>> _ = store.load_files(data.bundled_files())
        >>> [(h.iri.rsplit("/", 1)[-1], h.how) for h in store.names().search("MIIT", limit=1)]
        [('miit', 'exact')]
        """
        if self._names is None:
            index = NameIndex.open(None, type_weights=TYPE_WEIGHTS)
            index.replace_graph("urn:ipgraph:names", name_records(self.dataset))
            self._names = IndexNames(index, self)
        return self._names

    def statistics(self) -> dict[str, object]:
        """Entities per class (by direct type, class IRI → count) and how many entities have a
        name: ``{"classes": {...}, "entities": n}``. Answered by one aggregate query here;
        a persistent store computes them once per load."""
        classes = {
            iri: int(count or 0)
            for iri, count in self.select(
                "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } "
                "GROUP BY ?c"
            )
        }
        entities = len(self.names())
        if not entities:
            values = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
            rows = self.select(
                f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}"
            )
            entities = int(rows[0][0] or 0) if rows else 0
        return {"classes": classes, "entities": entities}

    def worker_view(self) -> Store:
        """The store as a forked worker process should use it (see `ipgraph.sparql.pool`):
        itself here, since a fork shares the parent's data; backends whose handles do not
        survive a fork open a fresh, read-only one."""
        return self

    def dump(self, format: str) -> str | None:
        """The data as ``nt`` or ``nquads`` from the backend directly, or None when the backend
        has no faster way than rdflib's serialiser."""
        return None

    def close(self) -> None:
        """Release the backend's resources."""
