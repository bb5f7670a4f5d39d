"""The embedded, persistent Oxigraph backend (``oxigraph:PATH``) and pyoxigraph term conversion.

pyoxigraph is imported only when an `OxigraphStore` is opened.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import itertools
import json
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.query import Result
from rdflib.term import Node

from ipgraph import formats
from ipgraph.errors import DataError, MissingExtra, StoreBusy, StoreError
from ipgraph.loader import rdf_format, token_too_long
from ipgraph.sparql.check import ParsedQuery, ox_syntax_error
from ipgraph.sparql.order import sort_rows, split_order
from ipgraph.sparql.result import QueryResult, collect_graph
from ipgraph.sparql.scan import inject_values
from ipgraph.store.base import Graphs, LabelRows, LoadedGraph, Progress, Store, Triple
from ipgraph.store.directory import META_FILE, StoreDirectory
from ipgraph.store.names import NameIndex
from ipgraph.store.namesearch import NAMES_FILE, TYPE_WEIGHTS, IndexNames, Names
from ipgraph.store.oxload import CountingReader, Plan, count_graphs, plan
from ipgraph.store.oxnames import figures, sync_names
from ipgraph.store.oxterms import ox_converter, ox_result, to_ox
from ipgraph.terms import LABEL_PREDICATES
from ipgraph.vocab import PREFIXES, bind_prefixes

if TYPE_CHECKING:
    import pyoxigraph as ox


def _pyoxigraph() -> Any:
    try:
        import pyoxigraph
    except ImportError:  # pragma: no cover - the extra is installed in tests
        raise MissingExtra("pyoxigraph", "oxigraph") from None
    return pyoxigraph


class OxigraphStore(Store):
    """An embedded, persistent Oxigraph store in a directory (``oxigraph:PATH``).

    ``PATH`` holds ``ipgraph.json`` (prefixes, source files with their hashes, graph sizes, and
    which data directory is current) and the Oxigraph (RocksDB) data directory ``data-N``.
    Reads go to pyoxigraph directly (SPARQL, pattern lookups); the rdflib `Dataset` view is
    oxrdflib's adapter over the same open store, so rdflib-based code sees the same data.

    The directory is recognised by the marker in ``ipgraph.json`` (see
    `ipgraph.store.directory`): a directory holding other files is refused, never written to.
    Committed data directories are only ever opened read-only. A write holds the writers' lock
    (`fcntl.flock`) throughout: it makes a checkpoint of the current data directory (hard
    links, so it is cheap) as a new ``data-N``, loads into that, and then switches
    ``ipgraph.json`` to it with one atomic rename. An interrupted or failed load therefore
    leaves the store as it was; the next writer removes the half-written directory. Readers
    never remove anything, and no writer removes a directory a reader still holds.
    """

    kind = "oxigraph"
    persistent = True
    native_parser = True
    kept_statistics = True
    kinds_in_python = True  # isIRI(?m) on 62,000 rows: 1.5 s of a 2.4 s query at 5M triples
    values_chunk = 0  # one query per lookup step, whatever its size

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.spec = f"oxigraph:{path}"
        self._ox_module = _pyoxigraph()
        self.directory = StoreDirectory(self.path)
        self._pin: IO[str] | None = None
        self.meta: dict[str, Any] = {}
        self._ox: ox.Store = self._open_current()
        self._prefixes: dict[str, str] | None = None
        super().__init__(self._make_dataset())
        self._paths = {URIRef(k): v for k, v in self.meta.get("paths", {}).items()}

    @property
    def data_dir(self) -> Path | None:
        """The current Oxigraph data directory (what ``oxigraph serve --location`` takes);
        None while the store holds no data."""
        name = self.directory.current(self.meta)
        return None if name is None else self.path / name

    # -- opening -----------------------------------------------------------------------------

    def _open_current(self) -> ox.Store:
        """Read the metadata and open its data directory read-only, holding a shared lock on
        it so that no writer removes it while this store reads it. Nothing is removed here:
        only a writer holding the lock removes stale directories."""
        for _ in range(20):
            meta = self.directory.read_meta()
            name = self.directory.current(meta)
            if name is None:
                self._set_current(meta, None)
                return self._ox_module.Store()  # type: ignore[no-any-return]  # no data yet
            pin = self.directory.pin(name)
            if pin is None:
                continue  # a writer replaced it meanwhile: read the metadata again
            try:
                handle = self._ox_module.Store.read_only(str(self.path / name))
            except OSError as exc:
                pin.close()
                raise StoreError(f"cannot open the Oxigraph store {self.path}: {exc}") from None
            self._set_current(meta, pin)
            return handle  # type: ignore[no-any-return]
        raise StoreError(
            f"{self.path / META_FILE} names a data directory that is missing; the store is "
            "damaged: load into a new directory"
        )

    def _set_current(self, meta: dict[str, Any], pin: IO[str] | None) -> None:
        old, self._pin, self.meta = self._pin, pin, meta
        if old is not None:
            old.close()

    def _refresh(self) -> None:
        """Under the writers' lock: follow a write another process committed meanwhile."""
        meta = self.directory.read_meta()
        if meta.get("data") != self.meta.get("data") or meta != self.meta:
            self._ox = self._open_current()
            self.dataset = self._make_dataset()
            self._paths = {URIRef(k): v for k, v in self.meta.get("paths", {}).items()}

    def _make_dataset(self) -> Dataset:
        try:
            from oxrdflib import OxigraphStore as Adapter
        except ImportError:  # pragma: no cover
            raise MissingExtra("oxrdflib", "oxigraph") from None

        class _ReadView(Adapter):
            def add_graph(self, graph: Graph) -> None:
                """Reading a named graph (`Dataset.graph`) never creates it: the committed
                data is opened read-only, and writes go through `OxigraphStore` itself."""

        dataset = Dataset(store=_ReadView(store=self._ox), default_union=True)
        self._prefixes = None
        bind_prefixes(dataset)
        for prefix, ns in self.meta.get("prefixes", {}).items():
            if prefix not in PREFIXES:
                dataset.bind(prefix, URIRef(ns), override=False)
        return dataset

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

    def sizes(self) -> dict[URIRef, int]:
        cached = self.meta.get("sizes")
        if isinstance(cached, dict):
            return {URIRef(k): int(v) for k, v in cached.items()}
        sizes = count_graphs(self._ox)
        self.meta["sizes"] = {str(k): v for k, v in sizes.items()}
        return sizes

    # -- data in -----------------------------------------------------------------------------

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        ox = self._ox_module

        def write(target: Any) -> None:
            for name, graph in graphs.items():
                target.remove_graph(ox.NamedNode(str(name)))
                target.bulk_extend(
                    ox.Quad(to_ox(ox, s), to_ox(ox, p), to_ox(ox, o), ox.NamedNode(str(name)))
                    for s, p, o in graph
                )

        with self.directory.writing():
            self._refresh()
            self._write(write, json.loads(json.dumps(self.meta)))

    def _plan(
        self, files: list[Path], only_changed: bool, progress: Progress | None
    ) -> tuple[dict[str, Any], Plan]:
        """A copy of the metadata with the records of the files not to load brought up to
        date, and the files to load (`ipgraph.store.oxload.plan`)."""
        meta: dict[str, Any] = json.loads(json.dumps(self.meta))  # committed with the data
        return meta, plan(self, meta, files, only_changed, progress)

    def _load_files(
        self, files: list[Path], only_changed: bool, progress: Progress | None
    ) -> list[LoadedGraph]:
        meta, todo = self._plan(files, only_changed, None)
        if not todo and meta.get("files") != self.meta.get("files"):
            # only modification times or paths changed: note them, unless another process is
            # writing
            with contextlib.suppress(StoreBusy), self.directory.writing():
                planned = self.meta
                self._refresh()
                if self.meta is not planned:  # another process wrote meanwhile: plan again
                    meta, todo = self._plan(files, only_changed, None)
                if not todo:
                    self._save_meta(meta)
        if not todo:  # up to date: nothing written, no lock needed
            if progress is not None:
                for path in files:
                    progress(path.stat().st_size)
            return []
        with self.directory.writing():
            self._refresh()  # another process may have written since this store was opened
            meta, todo = self._plan(files, only_changed, progress)
            self._file_graphs = self.default_graphs(files, meta.get("paths", {}))
            return self._load_todo(meta, todo, progress)

    def _save_meta(self, meta: dict[str, Any]) -> None:
        """Commit metadata that changes no data (holding the writers' lock)."""
        self.directory.save_meta(meta)
        self.meta = meta
        self._paths = {URIRef(k): v for k, v in meta.get("paths", {}).items()}

    def _load_todo(
        self, meta: dict[str, Any], todo: Plan, progress: Progress | None
    ) -> list[LoadedGraph]:
        """Load the planned files into a new data directory (holding the writers' lock)."""
        records: dict[str, Any] = meta.setdefault("files", {})
        if not todo:
            if records != self.meta.get("files"):
                self._save_meta(meta)
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
            sizes = count_graphs(target)
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
        ox_format = getattr(ox.RdfFormat, str(formats.by_name(fmt).oxigraph))
        base = path.resolve().as_uri()
        default = self.default_graph(path)
        prefixes: dict[str, str] = {}
        try:
            if formats.by_name(fmt).reads_graphs:
                # The graphs a dataset file fills are known only after reading it: one pass to
                # list them (so they can be replaced), one to load.
                names: set[URIRef] = set()
                parser = ox.parse(path=str(path), format=ox_format, base_iri=base)
                for quad in parser:
                    graph = quad.graph_name
                    names.add(default if graph == ox.DefaultGraph() else URIRef(graph.value))
                prefixes = dict(getattr(parser, "prefixes", {}) or {})
                self.check_graphs(path, names)
                for name in names:
                    target.remove_graph(ox.NamedNode(str(name)))
                default_node = ox.NamedNode(str(default))
                with path.open("rb") as raw:
                    reader: Any = CountingReader(raw, progress) if progress else raw
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
                        input=CountingReader(raw, progress),
                        format=ox_format,
                        base_iri=base,
                        to_graph=ox.NamedNode(default),
                    )

            return [default], prefixes
        except SyntaxError as exc:
            reason = str(exc.msg if hasattr(exc, "msg") else exc).split("\n")[0]
            raise DataError(str(path), f"bad {fmt} syntax: {reason}", exc.lineno) from None
        except MemoryError as exc:  # Oxigraph's parse buffer: a token longer than 16 MiB
            if "buffer" not in str(exc):
                raise
            raise token_too_long(path, fmt) from None
        except (ValueError, OSError) as exc:
            raise DataError(str(path), f"cannot load as {fmt}: {exc}") from None

    def _write(self, write: Callable[[Any], None], meta: dict[str, Any]) -> None:
        """Apply ``write`` to a checkpoint of the store, then make it current (all or nothing).

        Holding the writers' lock: stale directories of interrupted writes go first (those no
        reader holds), the checkpoint is staged in a new ``data-N``, and the metadata switches
        to it in one atomic rename; the superseded directory goes when no reader holds it.
        """
        current = self.directory.current(self.meta)
        self.directory.remove_stale(keep=current)
        staging = self.path / self.directory.next_name()
        if any(True for _ in self._ox.quads_for_pattern(None, None, None)):
            self._ox.backup(str(staging))  # a checkpoint: hard links, not a copy
        target = self._ox_module.Store(str(staging))
        try:
            write(target)
            target.flush()
            if "quads" not in meta:
                meta["quads"] = sum(count_graphs(target).values())
        except BaseException:
            del target
            gc.collect()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        del target  # close the writable handle: readers open committed directories read-only
        gc.collect()
        meta["data"] = staging.name
        meta["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        self.directory.save_meta(meta)  # the commit point: one atomic rename
        self._ox = self._open_current()
        self.dataset = self._make_dataset()
        self._paths = {URIRef(k): v for k, v in self.meta.get("paths", {}).items()}
        self.directory.remove_stale(keep=staging.name)

    def bind(self, namespaces: Iterable[tuple[str, URIRef]]) -> None:
        namespaces = list(namespaces)
        super().bind(namespaces)
        self._prefixes = None
        stored: dict[str, str] = self.meta.setdefault("prefixes", {})
        fresh = {
            prefix: str(ns)
            for prefix, ns in namespaces
            if prefix and prefix not in PREFIXES and prefix not in stored
        }
        if not fresh:
            return
        stored.update(fresh)
        with contextlib.suppress(StoreBusy), self.directory.writing():  # a note, not data
            meta = self.directory.read_meta()
            if meta.get("data") == self.meta.get("data"):
                meta.setdefault("prefixes", {}).update(fresh)
                self.directory.save_meta(meta)

    # -- fast paths ---------------------------------------------------------------------------

    def execute(
        self,
        parsed: ParsedQuery,
        bindings: Mapping[str, Node],
        graphs: Graphs = ((), ()),
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run the query text in pyoxigraph; rows go from pyoxigraph terms to rdflib terms in
        one step, and at most ``max_rows`` + 1 rows are read."""
        if not graphs[0] and not graphs[1] and (parsed.from_graphs or parsed.from_named_graphs):
            # pyoxigraph's union-default-graph option would override the query's FROM clauses
            graphs = (parsed.from_graphs, parsed.from_named_graphs)
        ox = self._ox_module
        order = split_order(parsed.text) if parsed.kind == "SELECT" else None
        if order is not None and (not parsed.vars or all(k in parsed.vars for k, _ in order[1])):
            # Oxigraph sorts slowly (see ipgraph.sparql.order): run without the final ORDER BY
            # and sort here, unless a key holds values whose order is the engine's to define
            unordered = self.query_raw(order[0], bindings, graphs)
            convert = ox_converter(ox)
            variables = [v.value for v in unordered.variables]
            found = [tuple(None if t is None else convert(t) for t in row) for row in unordered]
            ordered = sort_rows(variables, found, order[1])
            if ordered is not None:
                truncated = max_rows is not None and len(ordered) > max_rows
                kept = ordered[:max_rows] if truncated else ordered
                return QueryResult("SELECT", variables, kept, truncated=truncated)
        raw = self.query_raw(parsed.text, bindings, graphs)
        if isinstance(raw, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(raw))
        convert = ox_converter(ox)
        if isinstance(raw, ox.QuerySolutions):
            variables = [v.value for v in raw.variables]
            solutions = raw if max_rows is None else itertools.islice(raw, max_rows + 1)
            rows: list[tuple[Node | None, ...]] = [
                tuple(None if term is None else convert(term) for term in solution)
                for solution in solutions
            ]
            truncated = max_rows is not None and len(rows) > max_rows
            return QueryResult(
                "SELECT", variables, rows[:max_rows] if truncated else rows, truncated=truncated
            )
        out = Graph()
        out.addN((convert(t.subject), convert(t.predicate), convert(t.object), out) for t in raw)
        return collect_graph(parsed.kind, out, max_rows, self.prefixes())

    def select(self, text: str) -> list[tuple[str, ...]]:
        return list(self.iter_select(text))

    def iter_select(self, text: str) -> Iterator[tuple[str, ...]]:
        blank = self._ox_module.BlankNode
        for solution in self.query_raw(text):
            yield tuple(
                "" if term is None else f"_:{term.value}" if type(term) is blank else term.value
                for term in solution
            )

    def _query(self, text: str, bindings: Mapping[str, Node], graphs: Graphs) -> Result:
        return ox_result(self._ox_module, self.query_raw(text, bindings, graphs))

    def query_raw(
        self, text: str, bindings: Mapping[str, Node] | None = None, graphs: Graphs = ((), ())
    ) -> Any:
        """The query's pyoxigraph result (`QuerySolutions`, `QueryTriples` or `QueryBoolean`),
        terms unconverted: the fastest way to read large results.

        Args:
            text: the SPARQL query text.
            bindings: values for variables, by name.
            graphs: the ``default-graph-uri`` and ``named-graph-uri`` lists (see `Store.query`).

        Raises:
            QuerySyntaxError: the query does not parse (line and column from pyoxigraph).
        """
        ox = self._ox_module
        default_graphs, named_graphs = graphs
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
            raise ox_syntax_error(str(exc.msg or exc), text) from None

    def label_rows(self) -> LabelRows:
        ox = self._ox_module
        convert = ox_converter(ox)
        rows: list[tuple[Node, Node, Node]] = []
        subjects: set[Any] = set()
        for predicate in LABEL_PREDICATES:
            ox_predicate = ox.NamedNode(str(predicate))
            for quad in self._ox.quads_for_pattern(None, ox_predicate, None):
                subjects.add(quad.subject)
                rows.append((convert(quad.subject), predicate, convert(quad.object)))
        rdf_type = ox.NamedNode(str(RDF.type))
        for subject in subjects:
            for quad in self._ox.quads_for_pattern(subject, rdf_type, None):
                rows.append((convert(subject), RDF.type, convert(quad.object)))
        return LabelRows(rows)

    def objects(self, subjects: Sequence[URIRef], predicates: Sequence[URIRef]) -> Iterator[Triple]:
        ox = self._ox_module
        convert = ox_converter(ox)
        wanted = [(p, ox.NamedNode(str(p))) for p in predicates]
        for subject in subjects:
            ox_subject = ox.NamedNode(str(subject))
            for predicate, ox_predicate in wanted:
                for quad in self._ox.quads_for_pattern(ox_subject, ox_predicate, None):
                    yield subject, predicate, convert(quad.object)

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

    def worker_view(self) -> Store:
        """A read-only handle on the current data directory for a forked worker: RocksDB
        handles must not be used across a fork."""
        view = copy.copy(self)
        data_dir = self.data_dir
        view._ox = (
            self._ox_module.Store()
            if data_dir is None
            else self._ox_module.Store.read_only(str(data_dir))
        )
        return view

    def close(self) -> None:
        """Let go of the data directory this process reads (nothing to flush: committed data
        is read read-only, and writes close their own handle when they commit)."""
        if self._pin is not None:
            self._pin.close()
            self._pin = None

    # -- names and figures, kept in step with loads (see ipgraph.store.oxnames) ---------------

    def load_files(
        self,
        paths: Sequence[str | Path],
        *,
        only_changed: bool = False,
        progress: Progress | None = None,
    ) -> list[LoadedGraph]:
        """Load as `Store.load_files` does, then bring the name index (``PATH/names.sqlite``)
        and the figures of ``ipgraph info`` in step: the graphs written are read again."""
        before = self.meta.get("names") == self.meta.get("data", "data-0")
        loaded = super().load_files(paths, only_changed=only_changed, progress=progress)
        self._keep_names([g.graph for g in loaded] if before else None)
        return loaded

    def names(self) -> Names:
        """The name index in ``PATH/names.sqlite`` (rebuilt first if it does not match the
        data, e.g. a store written by an older ipgraph)."""
        self._keep_names(None)
        assert self._names is not None
        return self._names

    def statistics(self) -> dict[str, object]:
        """Entities per class and named entities, as counted at the last load, and the IRIs
        used as predicates (``predicates``, sorted; none when another process was writing
        as this store was brought up to date)."""
        self._keep_names(None)
        stats = self.meta.get("stats", {})
        found = {"classes": dict(stats.get("classes", {})), "entities": stats.get("entities", 0)}
        if "predicates" in stats:
            found["predicates"] = list(stats["predicates"])
        return found

    def _keep_names(self, changed: list[URIRef] | None) -> None:
        """Update the name index and figures unless they match the current data directory;
        ``changed``: the graphs written since they last matched (None: unknown, read all)."""
        current = str(self.meta.get("data", "data-0"))
        if self._names is None:
            index = NameIndex.open(self.path / NAMES_FILE, type_weights=TYPE_WEIGHTS)
            self._names = IndexNames(index, self)
        found = self.meta.get("stats")
        stats: dict[str, Any] = found if isinstance(found, dict) else {}
        fresh = self.meta.get("names") == current and bool(stats)
        if fresh and "predicates" in stats:
            return
        assert isinstance(self._names, IndexNames)
        # The index and ipgraph.json change under the writers' lock; while another process
        # writes, its commit brings them in step and this process reads them as they are.
        with contextlib.suppress(StoreBusy), self.directory.writing():
            if not fresh:
                sync_names(
                    self._names.index, self._ox_module, self._ox, self.graph_names(), changed
                )
            # Figures kept by an older ipgraph lack only the predicates: read in full.
            self.meta["stats"] = figures(self._ox, stats, len(self._names), changed, fresh)
            self.meta["names"] = current
            self.directory.save_meta(self.meta)
