"""Store backends: where the quads live. The facade talks to every backend through `Store`.

Three backends share one interface, chosen by ``ipgraph.load(store=...)``, ``--store`` or the
``IPGRAPH_STORE`` environment variable:

``memory``
    rdflib's in-memory `Dataset` (the default). Nothing persists.
``oxigraph:PATH``
    an embedded, persistent Oxigraph (RocksDB) store in the directory ``PATH``, read through
    pyoxigraph. Files are bulk-loaded into a staging copy of the store that replaces the live
    one only when every file has loaded, so an interrupted or failed load leaves the store as it
    was. Prefixes, source paths, file hashes and graph sizes are kept in ``PATH/ipgraph.json``.
``sparql:QUERY_URL[#update=URL&store=URL]``
    any SPARQL 1.1 server. ``update`` is its SPARQL Update endpoint and ``store`` its Graph
    Store Protocol endpoint; either makes the store writable (``store`` is preferred for
    loading: each file's graph is replaced with one HTTP PUT). They sit in the URL's fragment,
    which is never sent to the server, so they cannot clash with the endpoint's own parameters.
    The server must answer queries over the union of its named graphs (Oxigraph:
    ``--union-default-graph``).

Every backend exposes its data as an rdflib `Dataset` (``store.dataset``) whose default graph is
the union of the named graphs, so all of ipgraph works on each; the hooks below give other
modules fast paths that skip rdflib where a backend can answer directly:

- `Store.query` runs a SPARQL string on the backend's own engine (pyoxigraph, the remote server).
- `Store.edges` returns the IRI-to-IRI triples touching a set of nodes (one lookup per batch),
  which `shortest_path` uses to search from both ends without building a projection.
- `Store.label_graph` returns a graph holding just labels and types, for the label index.
- `Store.dump` serialises N-Triples / N-Quads natively where the backend can.

>>> store = open_store("memory")
>>> store.kind, len(store)
('memory', 0)
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import json
import os
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.query import Result
from rdflib.term import Identifier, Node

from ipgraph.errors import DataError, MissingExtra, StoreError, UsageError
from ipgraph.labels import LABEL_PREDICATES
from ipgraph.loader import graph_name, parse_file, rdf_format
from ipgraph.vocab import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph as ox

STORE_ENV = "IPGRAPH_STORE"
META_FILE = "ipgraph.json"

_HANDLES: dict[str, Any] = {}
"""Open pyoxigraph stores by data directory: RocksDB allows one handle per process."""

Progress = Callable[[int], None]
"""Called with the number of bytes of input read since the last call."""

Edge = tuple[URIRef, URIRef, URIRef]


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
        return sorted(
            URIRef(g.identifier)
            for g in self.dataset.graphs()
            if isinstance(g.identifier, URIRef) and len(g) > 0
        )

    def graph_size(self, name: URIRef) -> int:
        """How many triples a named graph holds."""
        return len(self.dataset.graph(name))

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
        parsed = []
        for path in paths:
            parsed.append(parse_file(Path(path)))
            if progress is not None:
                progress(_file_size(Path(path)))
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
        if default_graphs or named_graphs:
            raise UsageError(f"default/named graph selection is not supported on {self.kind}")
        init: dict[str, Any] = dict(bindings or {})
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

    The hook for `ipgraph.query`: rdflib-prepared queries cannot run on Oxigraph (oxrdflib
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


@dataclass
class NativeTable:
    """A query's answer read straight from a native engine, terms already rdflib terms.

    Attributes:
        kind: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        vars: SELECT variables, in order.
        rows: SELECT rows (at most ``max_rows``).
        truncated: rows were cut at ``max_rows``.
        boolean: the ASK answer.
        graph: the CONSTRUCT / DESCRIBE graph (whole).
    """

    kind: str
    vars: list[str]
    rows: list[tuple[Node | None, ...]]
    truncated: bool = False
    boolean: bool | None = None
    graph: Graph | None = None


def native_table(
    graph: Graph,
    text: str,
    bindings: Mapping[Any, Node] | None = None,
    default_graphs: Sequence[URIRef] = (),
    named_graphs: Sequence[URIRef] = (),
    max_rows: int | None = None,
) -> NativeTable | None:
    """Run a query string on an embedded Oxigraph store and read its answer directly.

    The fast path of `ipgraph.query.run_query`: rows go from pyoxigraph terms to rdflib terms
    in one step (no intermediate rdflib `Result`), and at most ``max_rows`` + 1 rows are read.
    Returns None for other backends (use `native_query`).

    >>> native_table(Dataset(), "ASK {}") is None
    True
    """
    backend = getattr(graph, "backend", None)
    if not isinstance(graph, BackendDataset) or not isinstance(backend, OxigraphStore):
        return None
    named_bindings = {str(k).lstrip("?$"): v for k, v in (bindings or {}).items()}
    raw = backend.query_raw(text, named_bindings, list(default_graphs), list(named_graphs))
    ox = backend._ox_module
    if isinstance(raw, ox.QueryBoolean):
        return NativeTable("ASK", [], [], boolean=bool(raw))
    convert = ox_converter(ox)
    if isinstance(raw, ox.QuerySolutions):
        variables = [v.value for v in raw.variables]
        solutions = raw if max_rows is None else itertools.islice(raw, max_rows + 1)
        rows: list[tuple[Node | None, ...]] = [
            tuple(None if term is None else convert(term) for term in solution)
            for solution in solutions
        ]
        truncated = max_rows is not None and len(rows) > max_rows
        return NativeTable("SELECT", variables, rows[:max_rows] if truncated else rows, truncated)
    out = Graph()
    out.addN((convert(t.subject), convert(t.predicate), convert(t.object), out) for t in raw)
    return NativeTable("CONSTRUCT", [], [], graph=out)


def ox_converter(ox: Any) -> Callable[[Any], Identifier]:
    """A function turning pyoxigraph terms into rdflib terms, remembering the terms it has
    converted (one converter per result: results repeat predicates, classes and agencies).

    >>> import pyoxigraph
    >>> convert = ox_converter(pyoxigraph)
    >>> convert(pyoxigraph.Literal("2021", datatype=pyoxigraph.NamedNode(str(XSD_INTEGER))))
    rdflib.term.Literal('2021', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    from rdflib import BNode

    named_node, literal, blank_node = ox.NamedNode, ox.Literal, ox.BlankNode
    seen: dict[Any, Identifier] = {}
    datatypes: dict[str, URIRef] = {}

    def convert(term: Any) -> Identifier:
        hit = seen.get(term)
        if hit is not None:
            return hit
        cls = type(term)
        if cls is named_node:  # Oxigraph's IRIs are valid: skip URIRef's own check
            made: Identifier = str.__new__(URIRef, term.value)
        elif cls is literal:
            language = term.language
            if language:
                made = Literal(term.value, lang=language)
            else:
                datatype = term.datatype.value
                if datatype == _XSD_STRING:
                    made = Literal(term.value)
                else:
                    iri = datatypes.get(datatype)
                    if iri is None:
                        iri = datatypes[datatype] = URIRef(datatype)
                    made = Literal(term.value, datatype=iri)
        elif cls is blank_node:
            made = BNode(term.value)
        else:  # an RDF-star triple term, or a subclass
            made = _from_ox(ox, term)
        if len(seen) < 100_000:
            seen[term] = made
        return made

    return convert


XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes (ipg, org, eli, prov, ...) on a graph or data set."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _fingerprint(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- Oxigraph (embedded, persistent) ---------------------------------------------------------


def _pyoxigraph() -> Any:
    try:
        import pyoxigraph
    except ImportError:  # pragma: no cover - the extra is installed in tests
        raise MissingExtra("pyoxigraph", "oxigraph") from None
    return pyoxigraph


class _CountingReader:
    """A binary file wrapper that reports bytes read to a progress callback."""

    def __init__(self, handle: IO[bytes], progress: Progress) -> None:
        self._handle = handle
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        block = self._handle.read(size)
        self._progress(len(block))
        return block

    def readinto(self, buffer: bytearray | memoryview) -> int:
        count = self._handle.readinto(buffer)  # type: ignore[attr-defined]
        self._progress(count or 0)
        return int(count or 0)

    def readable(self) -> bool:
        return True


_OX_FORMATS = {
    "turtle": "TURTLE",
    "nt": "N_TRIPLES",
    "nquads": "N_QUADS",
    "trig": "TRIG",
    "json-ld": "JSON_LD",
    "xml": "RDF_XML",
    "n3": "N3",
}
_OX_QUAD_FORMATS = {"nquads", "trig", "json-ld"}


class OxigraphStore(Store):
    """An embedded, persistent Oxigraph store in a directory (``oxigraph:PATH``).

    ``PATH`` holds ``ipgraph.json`` (prefixes, source files with their hashes, graph sizes, and
    which data directory is current) and the Oxigraph (RocksDB) data directory ``data-N``.
    Reads go to pyoxigraph directly (SPARQL, pattern lookups); the rdflib `Dataset` view is
    oxrdflib's adapter over the same open store, so rdflib-based code sees the same data.

    A write never touches the current data directory: it makes a checkpoint of it (hard links,
    so it is cheap) as ``data-N+1``, loads into that, and then switches ``ipgraph.json`` to it
    with one atomic rename. An interrupted or failed load therefore leaves the store as it was;
    the half-written directory is removed the next time the store is opened.
    """

    kind = "oxigraph"
    persistent = True

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.spec = f"oxigraph:{path}"
        self._ox_module = _pyoxigraph()
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path} is a file, not an Oxigraph store directory")
        if self.path.is_dir() and (self.path / "CURRENT").exists():
            raise StoreError(
                f"{self.path} is a bare Oxigraph database; ipgraph keeps its own layout "
                "(PATH/ipgraph.json + PATH/data-N): point it at a new directory and run "
                "`ipgraph load` there, or serve this one with `oxigraph serve` and use sparql:"
            )
        self.path.mkdir(parents=True, exist_ok=True)
        self.meta = self._read_meta(self.path)
        self._remove_stale()
        self._ox: ox.Store = self._open(self.data_dir)
        self._prefixes: dict[str, str] | None = None
        super().__init__(self._make_dataset())
        self._paths = {URIRef(k): v for k, v in self.meta.get("paths", {}).items()}

    @property
    def data_dir(self) -> Path:
        """The current Oxigraph data directory (what ``oxigraph serve --location`` takes)."""
        return self.path / str(self.meta.get("data", "data-0"))

    def _remove_stale(self) -> None:
        """Delete data directories left by interrupted or superseded loads."""
        current = self.data_dir.name
        for child in self.path.glob("data-*"):
            if child.name != current and str(child.resolve()) not in _HANDLES:
                shutil.rmtree(child, ignore_errors=True)

    # -- opening -----------------------------------------------------------------------------

    def _open(self, path: Path) -> ox.Store:
        key = str(path.resolve())
        if key in _HANDLES:  # one handle per directory and process: RocksDB locks it
            return cast("ox.Store", _HANDLES[key])
        try:
            handle = self._ox_module.Store(str(path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"the Oxigraph store {self.path} is open in another process; stop it "
                    "(e.g. `ipgraph serve`) or query that process instead"
                ) from None
            raise StoreError(f"cannot open the Oxigraph store {path}: {exc}") from None
        _HANDLES[key] = handle
        return handle  # type: ignore[no-any-return]

    def _make_dataset(self) -> Dataset:
        try:
            from oxrdflib import OxigraphStore as Adapter
        except ImportError:  # pragma: no cover
            raise MissingExtra("oxrdflib", "oxigraph") from None
        dataset = BackendDataset(store=Adapter(store=self._ox), default_union=True)
        dataset.backend = self
        self._prefixes = None
        bind_prefixes(dataset)
        for prefix, ns in self.meta.get("prefixes", {}).items():
            if prefix not in PREFIXES:
                dataset.bind(prefix, URIRef(ns), override=False)
        return dataset

    @staticmethod
    def _read_meta(path: Path) -> dict[str, Any]:
        try:
            meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise StoreError(f"{path / META_FILE}: unreadable store metadata ({exc})") from None
        return meta if isinstance(meta, dict) else {}

    def prefixes(self) -> dict[str, str]:
        if self._prefixes is None:
            self._prefixes = super().prefixes()
        return self._prefixes

    @property
    def ox_store(self) -> ox.Store:
        """The open `pyoxigraph.Store` (for code that wants pyoxigraph's own API)."""
        return self._ox

    # -- what is there -----------------------------------------------------------------------

    def __len__(self) -> int:
        quads = self.meta.get("quads")
        return int(quads) if isinstance(quads, int) else len(self._ox)

    def graph_names(self) -> list[URIRef]:
        sizes = self._sizes()
        return sorted(name for name, size in sizes.items() if size > 0)

    def graph_size(self, name: URIRef) -> int:
        return self._sizes().get(name, 0)

    def _sizes(self) -> dict[URIRef, int]:
        cached = self.meta.get("sizes")
        if isinstance(cached, dict):
            return {URIRef(k): int(v) for k, v in cached.items()}
        sizes = _count_graphs(self._ox)
        self.meta["sizes"] = {str(k): v for k, v in sizes.items()}
        return sizes

    # -- data in -----------------------------------------------------------------------------

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        ox = self._ox_module

        def write(target: Any) -> None:
            for name, graph in graphs.items():
                target.remove_graph(ox.NamedNode(str(name)))
                target.bulk_extend(
                    ox.Quad(_to_ox(ox, s), _to_ox(ox, p), _to_ox(ox, o), ox.NamedNode(str(name)))
                    for s, p, o in graph
                )

        self._write(write, dict(self.meta))

    def load_files(
        self,
        paths: Sequence[str | Path],
        *,
        only_changed: bool = False,
        progress: Progress | None = None,
    ) -> list[LoadedGraph]:
        files = [Path(p) for p in paths]
        for path in files:
            if not path.is_file():
                raise DataError(str(path), "no such file")
            rdf_format(path)  # unknown extension: fail before touching anything
        meta = json.loads(json.dumps(self.meta))  # a copy, committed with the data
        records: dict[str, Any] = meta.setdefault("files", {})
        todo: list[tuple[Path, dict[str, Any]]] = []
        for path in files:
            key = str(path.resolve())
            print_ = _fingerprint(path)
            old = records.get(key)
            if only_changed and old and all(old.get(k) == v for k, v in print_.items()):
                if progress is not None:
                    progress(print_["size"])
                continue
            digest = _sha256(path)
            if only_changed and old and old.get("sha256") == digest:
                records[key] = {**old, **print_}
                if progress is not None:
                    progress(print_["size"])
                continue
            todo.append((path, {**print_, "sha256": digest}))
        if not todo:
            if records != self.meta.get("files"):
                self.meta = meta
                self._save_meta(self.path, meta)
            return []
        loaded: list[LoadedGraph] = []

        def write(target: Any) -> None:
            prefixes: dict[str, str] = meta.setdefault("prefixes", {})
            for path, record in todo:
                graphs, found = self._load_file(target, path, progress)
                for prefix, ns in found.items():
                    if prefix and prefix not in PREFIXES:
                        prefixes.setdefault(prefix, ns)
                record["graphs"] = [str(g) for g in graphs]
                records[str(path.resolve())] = record
                for name in graphs:
                    meta.setdefault("paths", {})[str(name)] = str(path)
            sizes = _count_graphs(target)
            meta["sizes"] = {str(k): v for k, v in sizes.items()}
            meta["quads"] = sum(sizes.values())  # ipgraph never writes the default graph
            for path, record in todo:
                for name in record["graphs"]:
                    loaded.append(LoadedGraph(URIRef(name), str(path), sizes.get(URIRef(name), 0)))

        self._write(write, meta)
        return loaded

    def _load_file(
        self, target: Any, path: Path, progress: Progress | None
    ) -> tuple[list[URIRef], dict[str, str]]:
        """Bulk-load one file into ``target``, replacing the graphs it fills."""
        ox = self._ox_module
        fmt = rdf_format(path)
        ox_format = getattr(ox.RdfFormat, _OX_FORMATS[fmt])
        base = path.resolve().as_uri()
        default = graph_name(path)
        prefixes: dict[str, str] = {}
        try:
            if fmt in _OX_QUAD_FORMATS:
                # The graphs a dataset file fills are known only after reading it: one pass to
                # list them (so they can be replaced), one to load.
                names: set[URIRef] = set()
                parser = ox.parse(path=str(path), format=ox_format, base_iri=base)
                for quad in parser:
                    graph = quad.graph_name
                    names.add(default if graph == ox.DefaultGraph() else URIRef(graph.value))
                prefixes = dict(getattr(parser, "prefixes", {}) or {})
                for name in names:
                    target.remove_graph(ox.NamedNode(str(name)))
                default_node = ox.NamedNode(str(default))
                with path.open("rb") as raw:
                    reader: Any = _CountingReader(raw, progress) if progress else raw
                    target.bulk_extend(
                        ox.Quad(q.subject, q.predicate, q.object, default_node)
                        if q.graph_name == ox.DefaultGraph()
                        else q
                        for q in ox.parse(input=reader, format=ox_format, base_iri=base)
                    )
                return sorted(names), prefixes
            target.remove_graph(ox.NamedNode(str(default)))
            if fmt in ("turtle", "n3"):
                head = ox.parse(path=str(path), format=ox_format, base_iri=base)
                with contextlib.suppress(StopIteration):
                    next(head)  # prefixes are declared before the first triple
                prefixes = dict(getattr(head, "prefixes", {}) or {})
            if progress is None:  # pyoxigraph reads the file itself: fastest
                target.bulk_load(
                    path=str(path), format=ox_format, base_iri=base, to_graph=ox.NamedNode(default)
                )
            else:
                with path.open("rb") as raw:
                    target.bulk_load(
                        input=_CountingReader(raw, progress),
                        format=ox_format,
                        base_iri=base,
                        to_graph=ox.NamedNode(default),
                    )

            return [default], prefixes
        except SyntaxError as exc:
            reason = str(exc.msg if hasattr(exc, "msg") else exc).split("\n")[0]
            raise DataError(str(path), f"bad {fmt} syntax: {reason}", exc.lineno) from None
        except (ValueError, OSError) as exc:
            raise DataError(str(path), f"cannot load as {fmt}: {exc}") from None

    def _write(self, write: Callable[[Any], None], meta: dict[str, Any]) -> None:
        """Apply ``write`` to a checkpoint of the store, then make it current (all or nothing)."""
        number = int(str(meta.get("data", "data-0")).rsplit("-", 1)[-1]) + 1
        staging = self.path / f"data-{number}"
        if staging.exists():
            shutil.rmtree(staging)
        if any(True for _ in self._ox.quads_for_pattern(None, None, None)):
            self._ox.flush()
            self._ox.backup(str(staging))  # a checkpoint: hard links, not a copy
        target = self._ox_module.Store(str(staging))
        try:
            write(target)
            target.flush()
            if "quads" not in meta:
                meta["quads"] = sum(_count_graphs(target).values())
        except BaseException:
            del target
            gc.collect()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        meta["data"] = staging.name
        meta["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        self._save_meta(self.path, meta)  # the commit point: one atomic rename
        old = self.data_dir
        _HANDLES[str(staging.resolve())] = target
        self.meta = meta
        self._ox = target
        self.dataset = self._make_dataset()
        self._paths = {URIRef(k): v for k, v in meta.get("paths", {}).items()}
        _HANDLES.pop(str(old.resolve()), None)
        gc.collect()
        shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def _save_meta(path: Path, meta: dict[str, Any]) -> None:
        temporary = path / (META_FILE + ".tmp")
        temporary.write_text(json.dumps(meta, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path / META_FILE)

    def bind(self, namespaces: Iterable[tuple[str, URIRef]]) -> None:
        namespaces = list(namespaces)
        super().bind(namespaces)
        self._prefixes = None
        stored: dict[str, str] = self.meta.setdefault("prefixes", {})
        changed = False
        for prefix, ns in namespaces:
            if prefix and prefix not in PREFIXES and prefix not in stored:
                stored[prefix] = str(ns)
                changed = True
        if changed and self.path.exists():
            self._save_meta(self.path, self.meta)

    # -- fast paths ---------------------------------------------------------------------------

    def query(
        self,
        text: str,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] = (),
        named_graphs: Sequence[URIRef] = (),
    ) -> Result:
        return _ox_result(
            self._ox_module, self.query_raw(text, bindings, default_graphs, named_graphs)
        )

    def query_raw(
        self,
        text: str,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] = (),
        named_graphs: Sequence[URIRef] = (),
    ) -> Any:
        """The query's pyoxigraph result (`QuerySolutions`, `QueryTriples` or `QueryBoolean`),
        terms unconverted: the fastest way to read large results.

        Raises:
            QuerySyntaxError: the query does not parse (line and column from pyoxigraph).
        """
        ox = self._ox_module
        options: dict[str, Any] = {}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(str(g)) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(str(g)) for g in named_graphs]
        if bindings:
            # Bind as rdflib's initBindings do (before evaluation, projected or not): a VALUES
            # block at the start of the WHERE clause. Oxigraph's own substitutions accept only
            # projected variables.
            text = inject_values(text, bindings)
        try:
            return self._ox.query(text, prefixes=self.prefixes(), **options)
        except SyntaxError as exc:
            from ipgraph.query import _ox_syntax_error

            raise _ox_syntax_error(str(exc.msg or exc), text) from None

    def edges(self, nodes: Iterable[URIRef]) -> list[Edge]:
        ox = self._ox_module
        found: list[Edge] = []
        named = ox.NamedNode
        for node in nodes:
            ox_node = named(str(node))
            for quad in self._ox.quads_for_pattern(ox_node, None, None):
                obj = quad.object
                if isinstance(obj, named):
                    found.append((node, URIRef(quad.predicate.value), URIRef(obj.value)))
            for quad in self._ox.quads_for_pattern(None, None, ox_node):
                subj = quad.subject
                if isinstance(subj, named):
                    found.append((URIRef(subj.value), URIRef(quad.predicate.value), node))
        return list(dict.fromkeys(found))

    def label_graph(self) -> Graph:
        ox = self._ox_module
        rows: list[tuple[Node, Node, Node]] = []
        subjects: set[Any] = set()
        for predicate in LABEL_PREDICATES:
            ox_predicate = ox.NamedNode(str(predicate))
            for quad in self._ox.quads_for_pattern(None, ox_predicate, None):
                subjects.add(quad.subject)
                rows.append((_from_ox(ox, quad.subject), predicate, _from_ox(ox, quad.object)))
        rdf_type = ox.NamedNode(str(RDF.type))
        for subject in subjects:
            for quad in self._ox.quads_for_pattern(subject, rdf_type, None):
                rows.append((_from_ox(ox, subject), RDF.type, _from_ox(ox, quad.object)))
        return _LabelView(rows)

    def pattern_triples(
        self, subjects: Iterable[URIRef], predicates: Iterable[URIRef]
    ) -> Iterator[tuple[URIRef, URIRef, Node]]:
        """Triples ``(s, p, ?o)`` for each subject and predicate, by direct lookups."""
        ox = self._ox_module
        wanted = [(p, ox.NamedNode(str(p))) for p in predicates]
        for subject in subjects:
            ox_subject = ox.NamedNode(str(subject))
            for predicate, ox_predicate in wanted:
                for quad in self._ox.quads_for_pattern(ox_subject, ox_predicate, None):
                    yield subject, predicate, _from_ox(ox, quad.object)

    def dump(self, format: str) -> str | None:
        ox = self._ox_module
        if format == "nquads":
            return bytes(self._ox.dump(format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")
        if format == "nt":
            triples = self._ox.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
            )
            return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")  # type: ignore[no-any-return]
        return None

    def close(self) -> None:
        """Flush pending writes to disk (the handle stays shared within the process)."""
        self._ox.flush()


def _count_graphs(store: Any) -> dict[URIRef, int]:
    counts: dict[URIRef, int] = {}
    for row in store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    ):
        counts[URIRef(row["g"].value)] = int(row["n"].value)
    return counts


def _to_ox(ox: Any, term: Node) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.BlankNode(str(term))


def _from_ox(ox: Any, term: Any) -> Identifier:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    from rdflib import BNode

    return BNode(term.value)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _ox_result(ox: Any, raw: Any) -> Result:
    from rdflib.term import Variable

    if isinstance(raw, ox.QueryBoolean):
        out = Result("ASK")
        out.askAnswer = bool(raw)
        return out
    if isinstance(raw, ox.QuerySolutions):
        out = Result("SELECT")
        variables = [Variable(v.value) for v in raw.variables]
        out.vars = variables
        convert = ox_converter(ox)
        out.bindings = (  # rows are converted as they are read
            {
                var: convert(value)
                for var, value in zip(variables, solution, strict=True)
                if value is not None
            }
            for solution in raw
        )
        return out
    out = Result("CONSTRUCT")
    graph = Graph()
    convert = ox_converter(ox)
    graph.addN((convert(t.subject), convert(t.predicate), convert(t.object), graph) for t in raw)
    out.graph = graph
    return out


_LABEL_VALUES = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
_LABELS_QUERY = (
    f"SELECT ?s ?p ?o WHERE {{ {{ VALUES ?p {{ {_LABEL_VALUES} }} ?s ?p ?o }} UNION "
    f"{{ ?s a ?o . FILTER EXISTS {{ VALUES ?l {{ {_LABEL_VALUES} }} ?s ?l ?any }} "
    "BIND(rdf:type AS ?p) } }"
)


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


def _construct_labels(result: Result) -> Graph:
    return _LabelView((row[0], row[1], row[2]) for row in result)  # type: ignore[index]


# -- remote SPARQL server ------------------------------------------------------------------------


class SparqlStore(Store):
    """A remote SPARQL 1.1 server (``sparql:QUERY_URL[#update=URL&store=URL]``).

    Queries go to the server as text; triple lookups from rdflib-based code become small SPARQL
    queries (rdflib's `SPARQLStore`). Loading replaces each file's named graph with one Graph
    Store Protocol PUT, or, with only an update endpoint, one ``DROP GRAPH`` + ``INSERT DATA``
    request per file.
    """

    kind = "sparql"
    persistent = True

    def __init__(
        self,
        url: str,
        update: str | None = None,
        graph_store: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore

        self.query_url = url
        self.update_url = update
        self.store_url = graph_store
        self.timeout = timeout
        self._sizes_cache: dict[URIRef, int] | None = None

        class _UpdateStore(SPARQLUpdateStore):
            def add_graph(self, graph: Graph) -> None:
                """Graphs come into being when data is loaded; never CREATE them."""

        backend: SPARQLStore
        if update:
            backend = _UpdateStore(url, update, returnFormat="json", method="POST", autocommit=True)
        else:
            backend = SPARQLStore(url, returnFormat="json", method="POST")
        dataset = BackendDataset(store=backend, default_union=True)
        dataset.backend = self
        super().__init__(dataset)
        self.spec = f"sparql:{url}"

    @property
    def writable(self) -> bool:
        """Whether an update or Graph Store endpoint was given."""
        return bool(self.update_url or self.store_url)

    def __len__(self) -> int:
        return sum(self._sizes().values())

    def graph_names(self) -> list[URIRef]:
        return sorted(name for name, size in self._sizes().items() if size > 0)

    def graph_size(self, name: URIRef) -> int:
        return self._sizes().get(name, 0)

    def _sizes(self) -> dict[URIRef, int]:
        if self._sizes_cache is None:
            result = self.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            )
            self._sizes_cache = {
                URIRef(row[0]): int(row[1])  # type: ignore[index,arg-type]
                for row in result
                if isinstance(row[0], URIRef)  # type: ignore[index]
            }
        return self._sizes_cache

    def query(
        self,
        text: str,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] = (),
        named_graphs: Sequence[URIRef] = (),
    ) -> Result:
        try:
            return super().query(text, bindings, default_graphs, named_graphs)
        except urllib.error.URLError as exc:
            raise StoreError(f"SPARQL server {self.query_url}: {_reason(exc)}") from None

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        if not self.writable:
            raise StoreError(
                f"the SPARQL store {self.query_url} is read-only; add '#store=GRAPH_STORE_URL' "
                "or '#update=UPDATE_URL' to the spec to load data"
            )
        for name, graph in graphs.items():
            body = graph.serialize(format="nt", encoding="utf-8")
            if self.store_url:
                target = _with_param(self.store_url, "graph", str(name))
                self._http("PUT", target, body, "application/n-triples")
            else:
                assert self.update_url is not None
                update = (
                    f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n".encode()
                    + body
                    + b"}}"
                )
                self._http("POST", self.update_url, update, "application/sparql-update")
        self._sizes_cache = None

    def load_files(
        self,
        paths: Sequence[str | Path],
        *,
        only_changed: bool = False,
        progress: Progress | None = None,
    ) -> list[LoadedGraph]:
        files = [Path(p) for p in paths]
        if only_changed:
            # The server keeps no record of files; a file whose graph it already holds is
            # taken as loaded (`ipgraph load` always replaces).
            present = set(self.graph_names())
            files = [
                p
                for p in files
                if rdf_format(p) in _OX_QUAD_FORMATS or graph_name(p) not in present
            ]
        loaded = super().load_files(files, progress=progress)
        self._sizes_cache = None
        return loaded

    def _http(self, method: str, url: str, body: bytes, content_type: str) -> None:
        request = urllib.request.Request(
            url, data=body, method=method, headers={"Content-Type": content_type}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(
                f"{method} {url} failed: HTTP {exc.code} {detail[0] if detail else exc.reason}"
            ) from None
        except urllib.error.URLError as exc:
            raise StoreError(f"{method} {url} failed: {_reason(exc)}") from None

    def edges(self, nodes: Iterable[URIRef]) -> list[Edge]:
        found: list[Edge] = []
        batch = list(nodes)
        for start in range(0, len(batch), 200):
            values = " ".join(f"<{n}>" for n in batch[start : start + 200])
            result = self.query(
                f"SELECT ?s ?p ?o WHERE {{ VALUES ?n {{ {values} }} "
                "{ ?n ?p ?o . BIND(?n AS ?s) FILTER(isIRI(?o)) } UNION "
                "{ ?s ?p ?n . BIND(?n AS ?o) FILTER(isIRI(?s)) } }"
            )
            found.extend((row[0], row[1], row[2]) for row in result)  # type: ignore[index,misc]
        return list(dict.fromkeys(found))

    def label_graph(self) -> Graph:
        return _construct_labels(self.query(_LABELS_QUERY))

    def dump(self, format: str) -> str | None:
        if format not in {"nt", "nquads"}:
            return None
        lines = set()
        for row in self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            s, p, o, g = row  # type: ignore[misc]
            terms = [s.n3(), p.n3(), o.n3()] + ([g.n3()] if format == "nquads" else [])
            lines.add(" ".join(terms) + " .\n")
        return "".join(sorted(lines))


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


def _reason(exc: urllib.error.URLError) -> str:
    return str(exc.reason) if hasattr(exc, "reason") else str(exc)


def _with_param(url: str, key: str, value: str) -> str:
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + joiner + urllib.parse.urlencode({key: value})


def parse_sparql_spec(arg: str) -> tuple[str, str | None, str | None]:
    """Split ``QUERY_URL#update=URL&store=URL`` into its three endpoints.

    >>> parse_sparql_spec("http://h:7878/query#update=http://h:7878/update&store=http://h:7878/store")
    ('http://h:7878/query', 'http://h:7878/update', 'http://h:7878/store')
    >>> parse_sparql_spec("http://h:3030/ds/sparql")
    ('http://h:3030/ds/sparql', None, None)

    Raises:
        UsageError: the URL is not http(s) or an option is unknown.
    """
    url, _, fragment = arg.partition("#")
    options = dict(urllib.parse.parse_qsl(fragment, keep_blank_values=True)) if fragment else {}
    unknown = set(options) - {"update", "store"}
    if unknown:
        raise UsageError(
            f"unknown option(s) {', '.join(sorted(unknown))} in store spec; "
            "use sparql:QUERY_URL#update=URL&store=URL"
        )
    for value in (url, *options.values()):
        if not value.startswith(("http://", "https://")):
            raise UsageError(f"{value!r} is not an http(s) URL in store spec sparql:{arg}")
    return url, options.get("update"), options.get("store")


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
        return OxigraphStore(arg)
    if kind == "sparql" and arg:
        url, update, graph_store = parse_sparql_spec(arg)
        return SparqlStore(url, update, graph_store)
    raise UsageError(f"unknown store {spec!r}; use 'memory', 'oxigraph:PATH' or 'sparql:URL'")


# -- path search over a store ----------------------------------------------------------------


def shortest_path(
    store: Store,
    source: URIRef,
    target: URIRef,
    accept: Callable[[Edge], bool] | None = None,
    max_depth: int = 12,
) -> list[Edge] | None:
    """A shortest undirected path between two nodes, found by store lookups alone.

    A bidirectional breadth-first search: each step expands the smaller frontier with one
    `Store.edges` call, so a path between two entities of a million-triple store touches only
    their neighbourhoods, never the whole graph.

    Args:
        store: any backend.
        source: where the path starts.
        target: where it ends.
        accept: keeps an edge ``(subject, predicate, object)`` when True (e.g. to leave out
            ``rdf:type`` or provenance); by default every IRI-to-IRI edge but ``rdf:type``.
        max_depth: give up beyond this many hops.

    Returns:
        The hops as triples in their true direction, from ``source`` to ``target``
        (``[]`` when they are the same node), or None when no path exists within ``max_depth``.

    >>> from rdflib import Graph
    >>> store = open_store("memory")
    >>> g = Graph().parse(data="<urn:a> <urn:p> <urn:b> . <urn:c> <urn:p> <urn:b> .", format="ttl")
    >>> store.replace_graphs({URIRef("urn:g"): g})
    >>> [str(s) for s, _, _ in shortest_path(store, URIRef("urn:a"), URIRef("urn:c"))]
    ['urn:a', 'urn:c']
    """
    keep = accept or (lambda edge: edge[1] != RDF.type)
    if source == target:
        return []
    parents: tuple[dict[URIRef, Edge | None], dict[URIRef, Edge | None]] = (
        {source: None},
        {target: None},
    )
    frontiers: tuple[deque[URIRef], deque[URIRef]] = (deque([source]), deque([target]))
    for _ in range(max_depth):
        if not frontiers[0] or not frontiers[1]:
            return None
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        mine, other = parents[side], parents[1 - side]
        level = list(frontiers[side])
        frontiers[side].clear()
        level_set = set(level)
        meeting: URIRef | None = None
        for edge in store.edges(level):
            if not keep(edge):
                continue
            s, _, o = edge
            for here, there in ((s, o), (o, s)):
                if here in level_set and there not in mine:
                    mine[there] = edge
                    frontiers[side].append(there)
                    if there in other and meeting is None:
                        meeting = there
        if meeting is not None:
            return _join(parents, meeting)
    return None


def _join(
    parents: tuple[dict[URIRef, Edge | None], dict[URIRef, Edge | None]], meeting: URIRef
) -> list[Edge]:
    hops: list[Edge] = []
    node = meeting
    while (edge := parents[0][node]) is not None:
        hops.append(edge)
        node = edge[0] if edge[2] == node else edge[2]
    hops.reverse()
    node = meeting
    while (edge := parents[1][node]) is not None:
        hops.append(edge)
        node = edge[0] if edge[2] == node else edge[2]
    return hops


def local_graph(
    store: Store,
    source: URIRef,
    target: URIRef,
    include: Iterable[str] = (),
    max_depth: int = 12,
) -> Graph | None:
    """A shortest path between two entities, read by lookups, as a small graph to project.

    A bidirectional breadth-first search over the store that walks only where the entity
    projection (`ipgraph.projection`) walks: not along ``rdf:type`` or vocabulary triples, not
    through classes, vocabulary terms, passages and sources, or observations (unless
    ``include`` adds them), not through IRIs that are never a subject. Each step expands the
    side whose frontier touches fewer triples (counted by the backend, see `_PathSearch`),
    with one query for the whole frontier, so hubs (an agency's thousands of documents) are
    crossed from their small side; terms are compared as plain strings and only the path's
    own are turned into rdflib terms.

    Returns the triples between consecutive nodes of one shortest path (the same length as a
    search over the full projection finds; among equally short ones, the path whose meeting
    point and predecessors come first by IRI), the types and labels of its nodes and the
    vocabulary — what `build_projection` needs to project and describe it. Returns None when
    an end is not an entity of the projection or the searches do not meet within
    ``max_depth`` hops.

    >>> from rdflib import Graph
    >>> store = open_store("memory")
    >>> g = Graph().parse(data="<urn:a> <urn:p> <urn:b> . <urn:b> <urn:p> <urn:c> .", format="ttl")
    >>> g = g.parse(data="<urn:c> <urn:p> <urn:d> .", format="ttl")
    >>> store.replace_graphs({URIRef("urn:g"): g})
    >>> ball = local_graph(store, URIRef("urn:a"), URIRef("urn:c"))
    >>> sorted((str(s), str(o)) for s, _, o in ball if str(s) != "urn:c")
    [('urn:a', 'urn:b'), ('urn:b', 'urn:c')]
    """
    search = _PathSearch(store, include)
    nodes = search.shortest(str(source), str(target), max_depth)
    return None if nodes is None else search.ball(nodes)


class _PathSearch:
    """The bidirectional search behind `local_graph`, with the projection's rules as SPARQL.

    Nodes are IRIs as plain strings. A frontier is checked (is each node an entity of the
    projection?) just before it is expanded, so the last and largest level is never checked
    in full: only its meeting points are. On Oxigraph every query runs in pyoxigraph and only
    the IRIs are read from its results; on other stores through `Store.query`, in chunks.
    """

    def __init__(self, store: Store, include: Iterable[str]) -> None:
        from ipgraph.projection import (  # the projection's own rules, so both agree
            _SCHEMA_PREDICATES,
            _TERM_TYPES,
            _VOCABULARY_NAMESPACES,
            INCLUDE_GROUPS,
        )

        self.store = store
        self.chunk = 0 if isinstance(store, OxigraphStore) else 500  # 0: one query per step
        self.namespaces = _VOCABULARY_NAMESPACES
        groups = set(include)
        roots = [c for name, cs in INCLUDE_GROUPS.items() if name not in groups for c in cs]
        excluded = {str(c) for c in _TERM_TYPES}
        if roots:
            excluded.update(
                row[0]
                for row in self._rows(
                    "SELECT DISTINCT ?c WHERE { VALUES ?root { "
                    + _iris(roots)
                    + " } ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?root }"
                )
            )
        schema = _iris(sorted(_SCHEMA_PREDICATES))
        # An edge the projection walks: to an IRI, along neither rdf:type nor a schema term.
        self.skip = f"?p NOT IN (<{RDF.type}>, {schema.replace(' ', ', ')})"
        # An entity of the projection (see build_projection): a subject, not a class, not a
        # schema term, not used as a predicate between IRIs, not of an excluded type.
        self.entity = (
            "FILTER EXISTS { ?m ?p0 ?o0 } "
            f"FILTER NOT EXISTS {{ ?i0 <{RDF.type}> ?m FILTER(isIRI(?i0)) }} "
            f"FILTER NOT EXISTS {{ VALUES ?t0 {{ {_iris(sorted(excluded))} }} "
            f"?m <{RDF.type}> ?t0 }} "
            f"FILTER NOT EXISTS {{ VALUES ?s0 {{ {schema} }} ?m ?s0 ?x0 FILTER(isIRI(?x0)) }} "
            f"FILTER NOT EXISTS {{ VALUES ?s0 {{ {schema} }} ?x0 ?s0 ?m }} "
            "FILTER NOT EXISTS { ?x0 ?m ?y0 FILTER(isIRI(?x0) && isIRI(?y0)) }"
        )

    # -- queries --------------------------------------------------------------------------

    def _rows(self, text: str) -> list[tuple[str, ...]]:
        """The rows of a SELECT query, every term as its string value (IRI, lexical form)."""
        store = self.store
        if isinstance(store, OxigraphStore):
            return [
                tuple(term.value if term is not None else "" for term in solution)
                for solution in store.query_raw(text)
            ]
        return [tuple(str(term) for term in row) for row in store.query(text)]  # type: ignore[union-attr]

    def _chunks(self, nodes: Sequence[str]) -> Iterator[str]:
        """``nodes`` as the IRI lists of VALUES blocks (one block on Oxigraph)."""
        size = self.chunk or len(nodes) or 1
        for start in range(0, len(nodes), size):
            yield _iris(nodes[start : start + size])

    def entities(self, nodes: Iterable[str]) -> set[str]:
        """Those of ``nodes`` that are entities of the projection."""
        wanted = sorted({n for n in nodes if not n.startswith(self.namespaces)})
        return {
            row[0]
            for values in self._chunks(wanted)
            for row in self._rows(f"SELECT ?m WHERE {{ VALUES ?m {{ {values} }} {self.entity} }}")
        }

    def neighbors(self, nodes: Sequence[str]) -> set[str]:
        """The IRIs one walkable edge away from any of ``nodes`` (in either direction)."""
        return {
            row[0]
            for values in self._chunks(nodes)
            for row in self._rows(
                f"SELECT DISTINCT ?m WHERE {{ VALUES ?n {{ {values} }} "
                f"{{ ?n ?p ?m }} UNION {{ ?m ?p ?n }} FILTER(isIRI(?m) && {self.skip}) }}"
            )
        }

    def degree(self, nodes: Sequence[str], cap: int) -> int:
        """How many triples touch ``nodes`` (subject or object), counting at most ``cap``."""
        total = 0
        for values in self._chunks(nodes):
            (row,) = self._rows(
                "SELECT (COUNT(*) AS ?c) WHERE { { SELECT ?n WHERE { VALUES ?n { "
                + values
                + " } { ?n ?p ?o } UNION { ?s ?p ?n } } LIMIT "
                + str(cap - total)
                + " } }"
            )
            total += int(row[0])
            if total >= cap:
                break
        return total

    # -- the search -------------------------------------------------------------------------

    def shortest(self, source: str, target: str, max_depth: int) -> list[str] | None:
        """The nodes of one shortest path from ``source`` to ``target``, or None."""
        if self.entities({source, target}) != {source, target}:
            return None  # not entities: the full projection words the error
        if source == target:
            return [source]
        dist: tuple[dict[str, int], dict[str, int]] = ({source: 0}, {target: 0})
        # expanded[side][depth]: the checked entities of that depth whose edges were read.
        expanded: tuple[list[list[str]], list[list[str]]] = ([], [])
        frontiers: list[list[str]] = [[source], [target]]
        degrees: list[tuple[int, bool] | None] = [None, None]  # (count, exact)
        meetings: list[str] = []
        known = {source, target}  # nodes checked to be entities
        for _ in range(max_depth):
            if not frontiers[0] or not frontiers[1]:
                return None
            side = self._cheaper(frontiers, degrees)
            mine, other = dist[side], dist[1 - side]
            level = self._checked(frontiers[side], known)
            expanded[side].append(level)
            depth = len(expanded[side])
            found = [m for m in sorted(self.neighbors(level)) if m not in mine]
            for m in found:
                mine[m] = depth
            frontiers[side], degrees[side] = found, None
            candidates = self._checked([m for m in found if m in other], known)
            if candidates:
                best = min(dist[0][m] + dist[1][m] for m in candidates)
                meetings = [m for m in candidates if dist[0][m] + dist[1][m] == best]
                break
        if not meetings:
            return None
        meeting = min(meetings)
        head = self._walk_back(meeting, dist[0], expanded[0])
        tail = self._walk_back(meeting, dist[1], expanded[1])
        return [*reversed(head), meeting, *tail]

    def _checked(self, nodes: Sequence[str], known: set[str]) -> list[str]:
        """The entities among ``nodes``, sorted; ``known`` holds those checked before."""
        known |= self.entities(n for n in nodes if n not in known)
        return sorted(n for n in nodes if n in known)

    def _cheaper(self, frontiers: list[list[str]], degrees: list[tuple[int, bool] | None]) -> int:
        """The side whose frontier touches fewer triples (counted in growing rounds, so the
        cost is about that of the smaller side)."""
        cap = 1024
        while True:
            for side in (0, 1):
                known = degrees[side]
                if known is None or (not known[1] and known[0] < cap):
                    count = self.degree(frontiers[side], cap)
                    degrees[side] = (count, count < cap)
            (n0, exact0), (n1, exact1) = degrees[0], degrees[1]  # type: ignore[misc]
            if exact0 or exact1:
                if exact0 and exact1:
                    return 0 if n0 <= n1 else 1
                return 0 if exact0 else 1
            cap *= 8

    def _walk_back(
        self, node: str, dist: Mapping[str, int], expanded: list[list[str]]
    ) -> list[str]:
        """From ``node`` back to its side's end: at each step the first (by IRI) expanded
        neighbour one hop closer."""
        nodes: list[str] = []
        for depth in range(dist[node] - 1, -1, -1):
            layer = expanded[depth]
            options: set[str] = set()
            for values in self._chunks(layer):
                options.update(
                    row[0]
                    for row in self._rows(
                        f"SELECT DISTINCT ?u WHERE {{ VALUES ?u {{ {values} }} "
                        f"{{ ?u ?p <{node}> }} UNION {{ <{node}> ?p ?u }} FILTER({self.skip}) }}"
                    )
                )
            node = min(options)
            nodes.append(node)
        return nodes

    # -- the result -------------------------------------------------------------------------

    def ball(self, nodes: Sequence[str]) -> Graph:
        """The triples between consecutive ``nodes``, their types and labels, the vocabulary."""
        from ipgraph import data

        out = Graph()
        pairs = " ".join(f"(<{u}> <{v}>) (<{v}> <{u}>)" for u, v in itertools.pairwise(nodes))
        if pairs:
            for s, p, o in self._rows(
                f"SELECT ?s ?p ?o WHERE {{ VALUES (?s ?o) {{ {pairs} }} ?s ?p ?o "
                f"FILTER({self.skip}) }}"
            ):
                out.add((URIRef(s), URIRef(p), URIRef(o)))
        iris = [URIRef(n) for n in dict.fromkeys(nodes)]
        _add_objects(self.store, iris, out, (RDF.type, *LABEL_PREDICATES[:2]))
        for node in iris:
            if (node, None, None) not in out:  # a node of the projection is a subject
                for row in self.store.query(f"SELECT ?p ?o WHERE {{ <{node}> ?p ?o }} LIMIT 1"):
                    out.add((node, row[0], row[1]))  # type: ignore[index]
        vocabulary = graph_name(data.vocabulary_file())
        for row in self.store.query(
            f"SELECT ?s ?p ?o WHERE {{ GRAPH <{vocabulary}> {{ ?s ?p ?o }} }}"
        ):
            out.add((row[0], row[1], row[2]))  # type: ignore[index]
        return out


def _iris(nodes: Iterable[str | URIRef]) -> str:
    return " ".join(f"<{n}>" for n in nodes)


def _add_objects(
    store: Store, nodes: Sequence[URIRef], out: Graph, predicates: Sequence[URIRef]
) -> None:
    """Add ``(node, predicate, ?o)`` for every node and predicate (types, labels)."""
    if isinstance(store, OxigraphStore):
        for triple in store.pattern_triples(nodes, predicates):
            out.add(triple)
        return
    if not isinstance(store, SparqlStore):
        for node in nodes:
            for predicate in predicates:
                for value in store.dataset.objects(node, predicate):
                    out.add((node, predicate, value))
        return
    wanted = ", ".join(f"<{p}>" for p in predicates)
    for start in range(0, len(nodes), 300):
        values = " ".join(f"<{n}>" for n in nodes[start : start + 300])
        for row in store.query(
            f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o "
            f"FILTER(?p IN ({wanted})) }}"
        ):
            out.add((row[0], row[1], row[2]))  # type: ignore[index]
