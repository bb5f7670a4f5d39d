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
            from ipgraph.errors import QuerySyntaxError

            raise QuerySyntaxError(str(exc.msg), exc.lineno, exc.offset) from None

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
        out.bindings = (  # rows are converted as they are read
            {
                var: _from_ox(ox, value)
                for var, value in zip(variables, solution, strict=True)
                if value is not None
            }
            for solution in raw
        )
        return out
    out = Result("CONSTRUCT")
    graph = Graph()
    graph.addN(
        (_from_ox(ox, t.subject), _from_ox(ox, t.predicate), _from_ox(ox, t.object), graph)
        for t in raw
    )
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
    """The part of the graph a shortest path between two entities can use, read by lookups.

    A bidirectional breadth-first search through `Store.edges` that walks only where the
    entity projection (`ipgraph.projection`) walks: not along ``rdf:type`` or vocabulary
    triples, not through classes, vocabulary terms, passages and sources, or observations
    (unless ``include`` adds them), not through IRIs that are never a subject. It stops where
    the two searches meet, and returns the triples of every shortest path found (rebuilt from
    both sides), the types and labels of their nodes and the vocabulary — small enough to
    project and search with networkx even on a store of millions of triples. Returns None
    when the searches do not meet within ``max_depth`` hops.

    >>> from rdflib import Graph
    >>> store = open_store("memory")
    >>> g = Graph().parse(data="<urn:a> <urn:p> <urn:b> . <urn:b> <urn:p> <urn:c> .", format="ttl")
    >>> g = g.parse(data="<urn:c> <urn:p> <urn:d> .", format="ttl")
    >>> store.replace_graphs({URIRef("urn:g"): g})
    >>> sorted((str(s), str(o)) for s, _, o in local_graph(store, URIRef("urn:a"), URIRef("urn:c")))
    [('urn:a', 'urn:b'), ('urn:b', 'urn:c')]
    """
    from ipgraph import data
    from ipgraph.projection import (  # the projection's own rules, so both agree
        _SCHEMA_PREDICATES,
        _TERM_TYPES,
        _VOCABULARY_NAMESPACES,
        INCLUDE_GROUPS,
    )

    excluded_roots = [c for name, cs in INCLUDE_GROUPS.items() if name not in include for c in cs]
    excluded_classes: set[Node] = set(excluded_roots)
    if excluded_roots:
        values = " ".join(f"<{c}>" for c in excluded_roots)
        for row in store.query(
            f"SELECT DISTINCT ?c WHERE {{ VALUES ?root {{ {values} }} ?c rdfs:subClassOf* ?root }}"
        ):
            excluded_classes.add(row[0])  # type: ignore[index]
    excluded_classes |= _TERM_TYPES

    out = Graph()
    blocked: set[URIRef] = set()
    expanded: set[URIRef] = set()

    def expand(level: Sequence[URIRef]) -> list[Edge]:
        """Fetch edges of ``level``; keep those the projection would walk."""
        fetched = store.edges(level)
        level_set = set(level)
        has_out: set[URIRef] = set()
        for s, p, o in fetched:
            if s in level_set:
                has_out.add(s)
                if p == RDF.type and o in excluded_classes:
                    blocked.add(s)
            if o in level_set and p == RDF.type:
                blocked.add(o)  # a class
        for node in level:
            expanded.add(node)
            if node not in has_out or str(node).startswith(_VOCABULARY_NAMESPACES):
                blocked.add(node)
        return [
            (s, p, o)
            for s, p, o in fetched
            if p != RDF.type
            and p not in _SCHEMA_PREDICATES
            and ((s in level_set and s not in blocked) or (o in level_set and o not in blocked))
        ]

    # dist[side][node]: hops from that side's end; via[side][node]: the edges that reach it at
    # that distance (all of them, so every shortest path can be rebuilt, not just one).
    dist: tuple[dict[URIRef, int], dict[URIRef, int]] = ({source: 0}, {target: 0})
    via: tuple[dict[URIRef, list[Edge]], dict[URIRef, list[Edge]]] = ({}, {})
    frontiers: tuple[list[URIRef], list[URIRef]] = ([source], [target])
    meetings: list[URIRef] = []
    if source == target:
        expand([source])
        meetings = [source]
    for _ in range(max_depth):
        if meetings:
            break
        if not frontiers[0] or not frontiers[1]:
            return None
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        mine, other = dist[side], dist[1 - side]
        level = frontiers[side]
        level_set = set(level)
        depth = mine[level[0]] + 1
        found: list[URIRef] = []
        for edge in expand(level):
            s, _p, o = edge
            for here, there in ((s, o), (o, s)):
                if here not in level_set or here in blocked or there in blocked:
                    continue
                if there not in mine:
                    mine[there] = depth
                    found.append(there)
                if mine[there] == depth:
                    via[side].setdefault(there, []).append(edge)
        candidates = [n for n in found if n in other]
        unexpanded = [n for n in candidates if n not in expanded]
        if unexpanded:
            expand(unexpanded)  # learn their types: a passage is no meeting point
        candidates = [n for n in candidates if n not in blocked]
        if candidates:
            best = min(dist[0][n] + dist[1][n] for n in candidates)
            meetings = [n for n in candidates if dist[0][n] + dist[1][n] == best]
        frontiers = (found, frontiers[1]) if side == 0 else (frontiers[0], found)
    if not meetings:
        return None
    # Keep only the edges of shortest paths: walk back from the meeting points on both sides.
    nodes: set[URIRef] = set()
    for side in (0, 1):
        todo = list(meetings)
        while todo:
            node = todo.pop()
            if node in nodes and node not in meetings:
                continue
            nodes.add(node)
            for edge in via[side].get(node, []):
                out.add(edge)
                previous = edge[0] if edge[2] == node else edge[2]
                if previous not in nodes:
                    todo.append(previous)
    _add_objects(store, sorted(nodes), out, (RDF.type, *LABEL_PREDICATES[:2]))
    vocabulary = graph_name(data.vocabulary_file())
    for row in store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{vocabulary}> {{ ?s ?p ?o }} }}"):
        out.add((row[0], row[1], row[2]))  # type: ignore[index]
    return out


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
