"""The `Store` interface, the in-memory backend, `open_store` and the helpers every backend
shares (prefixes, `native_query`, `inject_values`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from ipgraph.errors import DataError, UsageError
from ipgraph.loader import parse_file, rdf_format
from ipgraph.vocab import PREFIXES

STORE_ENV = "IPGRAPH_STORE"

QUAD_FORMATS = frozenset({"nquads", "trig", "json-ld"})
"""File formats that carry their own named graphs (a file may fill several)."""

Progress = Callable[[int], None]
"""Called with the number of bytes of input read since the last call."""

Edge = tuple[URIRef, URIRef, URIRef]

Graphs = tuple[Sequence[URIRef], Sequence[URIRef]]
"""A SPARQL Protocol graph selection: (``default-graph-uri``, ``named-graph-uri``) lists."""


@dataclass(frozen=True)
class LoadedGraph:
    """One named graph written by a load: its name, the file it came from, its size."""

    graph: URIRef
    path: str | None
    triples: int


class Store:
    """An RDF data set with one named graph per source, queried as their union.

    This base class is the ``memory`` backend; `OxigraphStore` and `SparqlStore` override the
    methods whose fast paths differ.

    Attributes:
        kind: the backend's name (``memory``, ``oxigraph``, ``sparql``).
        spec: the spec it was opened from (``memory``, ``oxigraph:./kgdb``, ...).
        persistent: whether data survives the process (loads then skip unchanged files).
        dataset: the rdflib `Dataset` over the quads; its default graph is the union.
    """

    kind = "memory"
    persistent = False

    def __init__(self, dataset: Dataset | None = None) -> None:
        self.spec: str = getattr(self, "spec", self.kind)
        self.dataset = dataset if dataset is not None else Dataset(default_union=True)
        self._paths: dict[URIRef, str] = {}
        bind_prefixes(self.dataset)

    def __len__(self) -> int:
        return len(self.dataset)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec}>"

    # -- what is there -----------------------------------------------------------------------

    def graph_names(self) -> list[URIRef]:
        """The named graphs that hold data, sorted."""
        return sorted(name for name, size in self._sizes().items() if size > 0)

    def graph_size(self, name: URIRef) -> int:
        """How many triples a named graph holds."""
        return self._sizes().get(name, 0)

    def _sizes(self) -> dict[URIRef, int]:
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
        """Put each graph in place of the named graph of the same name.

        Re-loading a source therefore never duplicates its triples.
        """
        for name, graph in graphs.items():
            self.dataset.remove_graph(name)
            target = self.dataset.graph(name)
            target.addN((s, p, o, target) for s, p, o in graph)

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
        >>> store = open_store("memory")
        >>> [g.graph.rsplit("/", 1)[-1] for g in store.load_files([data.vocabulary_file()])]
        ['ontology']
        """
        files = [Path(p) for p in paths]
        for path in files:  # fail before touching anything
            if not path.is_file():
                raise DataError(str(path), "no such file")
            rdf_format(path)
        return self._load_files(files, only_changed, progress)

    def _load_files(
        self, files: list[Path], only_changed: bool, progress: Progress | None
    ) -> list[LoadedGraph]:
        """Load checked files (see `load_files`): parse them all, then write them."""
        parsed = []
        for path in files:
            parsed.append(parse_file(path))
            if progress is not None:
                progress(_file_size(path))
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
        """Every prefix the store knows: the project's, then those of loaded files."""
        found = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        for prefix, ns in self.dataset.namespaces():
            found.setdefault(prefix, str(ns))
        return found

    # -- fast paths for other modules ----------------------------------------------------------

    def query(
        self,
        text: str,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] = (),
        named_graphs: Sequence[URIRef] = (),
    ) -> Result:
        """Run a SPARQL query string over the union of the named graphs.

        The project's prefixes are pre-bound. On Oxigraph the query runs in pyoxigraph and on a
        remote store on the server; rows come back as rdflib terms either way. Call this with
        the query *text*: a prepared rdflib query would fall back to rdflib's own engine.

        >>> from ipgraph import data
        >>> store = open_store("memory")
        >>> _ = store.load_files([data.vocabulary_file()])
        >>> bool(store.query("ASK { ipg:issuedBy a owl:ObjectProperty }"))
        True
        """
        return self._query(text, bindings or {}, (default_graphs, named_graphs))

    def _query(self, text: str, bindings: Mapping[str, Node], graphs: Graphs) -> Result:
        """Run `query` on the backend; here rdflib, which cannot select graphs."""
        if graphs[0] or graphs[1]:
            raise UsageError(f"default/named graph selection is not supported on {self.kind}")
        init: dict[str, Any] = dict(bindings)
        return self.dataset.query(text, initNs=dict(PREFIXES), initBindings=init)

    def edges(self, nodes: Iterable[URIRef]) -> list[Edge]:
        """Every triple whose subject or object is one of ``nodes`` and whose object is an IRI.

        The one lookup path search needs: a breadth-first step from a set of nodes.
        """
        found: list[Edge] = []
        for node in nodes:
            for _, p, o in self.dataset.triples((node, None, None)):
                if isinstance(o, URIRef):
                    found.append((node, URIRef(str(p)), o))
            for s, p, _ in self.dataset.triples((None, None, node)):
                if isinstance(s, URIRef):
                    found.append((s, URIRef(str(p)), node))
        return found

    def label_graph(self) -> Graph:
        """A graph with the labels and types the label index needs (the data set itself here)."""
        return self.dataset

    def dump(self, format: str) -> str | None:
        """The data as ``nt`` or ``nquads`` from the backend directly, or None when the backend
        has no faster way than rdflib's serialiser."""
        return None

    def close(self) -> None:
        """Release the backend's resources (nothing to do in memory)."""


class BackendDataset(Dataset):
    """An rdflib `Dataset` over a non-memory backend, remembering the `Store` it belongs to
    so that code holding only ``kg.graph`` can reach the backend's own engine
    (see `native_query`)."""

    backend: Store


def native_query(
    graph: Graph,
    text: str,
    bindings: Mapping[Any, Node] | None = None,
    default_graphs: Sequence[URIRef] = (),
    named_graphs: Sequence[URIRef] = (),
) -> Result | None:
    """Run a query string on the backend's own SPARQL engine, or return None for rdflib.

    The hook for `ipgraph.sparql.run`: rdflib-prepared queries cannot run on Oxigraph (oxrdflib
    accepts only strings) nor on a remote server, so for those backends the checked query
    *text* goes to pyoxigraph or the server. Memory graphs return None: run them with rdflib.

    Args:
        graph: ``kg.graph``.
        text: the SPARQL query text.
        bindings: values for variables (keys: names or rdflib `Variable`s).
        default_graphs: SPARQL Protocol ``default-graph-uri`` (union of these graphs).
        named_graphs: SPARQL Protocol ``named-graph-uri``.

    >>> native_query(Dataset(), "ASK {}") is None
    True
    """
    if not isinstance(graph, BackendDataset):
        return None
    named_bindings = {str(k).lstrip("?$"): v for k, v in (bindings or {}).items()}
    return graph.backend.query(text, named_bindings, list(default_graphs), list(named_graphs))


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes (ipg, org, eli, prov, ...) on a graph or data set."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class _LabelView(Graph):
    """Just the label and type triples, indexed in plain dicts: what `LabelIndex.build` reads
    (``subject_objects`` by predicate, ``objects`` of a subject), without the cost of
    adding hundreds of thousands of triples to an rdflib store."""

    def __init__(self, rows: Iterable[tuple[Node, Node, Node]]) -> None:
        super().__init__()
        self._by_predicate: dict[Node, list[tuple[Node, Node]]] = {}
        self._by_subject: dict[tuple[Node, Node], list[Node]] = {}
        for s, p, o in rows:
            self._by_predicate.setdefault(p, []).append((s, o))
            self._by_subject.setdefault((s, p), []).append(o)

    def subject_objects(  # type: ignore[override]
        self, predicate: Node | None = None, unique: bool = False
    ) -> Iterator[tuple[Node, Node]]:
        return iter(list(self._by_predicate.get(predicate, []) if predicate is not None else []))

    def objects(  # type: ignore[override]
        self, subject: Node | None = None, predicate: Node | None = None, unique: bool = False
    ) -> Iterator[Node]:
        if subject is None or predicate is None:
            return iter(())
        return iter(list(self._by_subject.get((subject, predicate), [])))


_TOKEN = re.compile(
    r"""(?P<skip><[^<>"{}|^`\\\s]*>|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|#[^\n]*)"""
    r"|(?P<open>\{)|(?P<close>\})|(?P<word>[A-Za-z]+)"
)


def inject_values(text: str, bindings: Mapping[str, Node]) -> str:
    """Put ``VALUES`` for ``bindings`` at the start of a query's WHERE clause.

    >>> inject_values("SELECT ?d WHERE { ?d ?p ?a }", {"a": URIRef("urn:x")})
    'SELECT ?d WHERE { VALUES ( ?a ) { ( <urn:x> ) } ?d ?p ?a }'
    >>> inject_values("CONSTRUCT { ?a ?p ?o } WHERE { ?a ?p ?o }", {"a": URIRef("urn:x")})
    'CONSTRUCT { ?a ?p ?o } WHERE { VALUES ( ?a ) { ( <urn:x> ) } ?a ?p ?o }'

    Raises:
        QuerySyntaxError: the query has no WHERE clause to bind variables in.
    """
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    block = f" VALUES ( {names} ) {{ ( {values} ) }}"
    depth, opened, construct = 0, 0, False
    for match in _TOKEN.finditer(text):
        if match.group("word") and depth == 0 and opened == 0:
            word = match.group("word").upper()
            if word == "CONSTRUCT":
                construct = True
            elif word == "WHERE":
                construct = False
        elif match.group("open"):
            if depth == 0:
                opened += 1
                if not construct or opened == 2:
                    return text[: match.end()] + block + text[match.end() :]
            depth += 1
        elif match.group("close"):
            depth -= 1
    from ipgraph.errors import QuerySyntaxError

    raise QuerySyntaxError("the query has no WHERE clause to bind variables in")


def open_store(spec: str | Store | None = None) -> Store:
    """Open a store from a spec: ``memory``, ``oxigraph:PATH``, ``sparql:URL``.

    Without a spec, ``IPGRAPH_STORE`` decides, else ``memory``.

    Raises:
        UsageError: the spec names no known backend.
        StoreError: the backend cannot be opened (a locked or damaged directory).

    >>> open_store("memory").kind
    'memory'
    """
    if isinstance(spec, Store):
        return spec
    spec = spec or os.environ.get(STORE_ENV) or "memory"
    kind, _, arg = spec.partition(":")
    if kind == "memory" and not arg:
        return Store()
    if kind == "oxigraph" and arg:
        from ipgraph.store.oxigraph import OxigraphStore

        return OxigraphStore(arg)
    if kind == "sparql" and arg:
        from ipgraph.store.sparql import SparqlStore, parse_sparql_spec

        url, update, graph_store = parse_sparql_spec(arg)
        return SparqlStore(url, update, graph_store)
    raise UsageError(f"unknown store {spec!r}; use 'memory', 'oxigraph:PATH' or 'sparql:URL'")
