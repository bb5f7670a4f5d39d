"""The in-memory backend (``memory``, the default): rdflib's `Dataset` and SPARQL engine.

>>> from rdflib import Graph
>>> store = MemoryStore()
>>> store.replace_graphs({URIRef("urn:g"): Graph().parse(data="<urn:a> <urn:p> <urn:b> .")})
>>> store.execute(store.check("SELECT ?o WHERE { <urn:a> ?p ?o }"), {}).rows
[(rdflib.term.URIRef('urn:b'),)]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from ipgraph import data
from ipgraph.errors import UsageError
from ipgraph.sparql.check import ParsedQuery
from ipgraph.sparql.result import QueryResult, collect
from ipgraph.store.base import Graphs, LoadedGraph, Progress, Store, Triple
from ipgraph.store.namecache import GRAPH, cached_index, content_key
from ipgraph.store.namerecords import name_records
from ipgraph.store.names import NameIndex
from ipgraph.store.namesearch import TYPE_WEIGHTS, IndexNames, Names
from ipgraph.vocab import PREFIXES

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

__all__ = ["MemoryStore"]


class MemoryStore(Store):
    """The data in rdflib's memory store; queries run in rdflib's SPARQL engine.

    Args:
        dataset: the data to hold: a `Dataset` (kept as it is) or any rdflib `Graph` (queried
            as it is; loads then add to a fresh data set). Default: an empty data set whose
            default graph is the union of its named graphs.
    """

    kind = "memory"

    def __init__(self, dataset: Graph | None = None) -> None:
        self.graph = dataset if dataset is not None else Dataset(default_union=True)
        super().__init__(
            self.graph if isinstance(self.graph, Dataset) else Dataset(default_union=True)
        )
        # What the data came from, for the cached name index of the bundled files: the files
        # loaded, and whether any data came otherwise (a given graph, `replace_graphs`).
        self._files: set[Path] = set()
        self._loading = False
        self._other_data = dataset is not None and len(dataset) > 0

    def __len__(self) -> int:
        return len(self.graph)

    def load_files(
        self,
        paths: Sequence[str | Path],
        *,
        only_changed: bool = False,
        progress: Progress | None = None,
    ) -> list[LoadedGraph]:
        self._loading = True
        try:
            loaded = super().load_files(paths, only_changed=only_changed, progress=progress)
        except BaseException:
            self._other_data = True  # perhaps part-loaded: never taken for the bundled data
            raise
        finally:
            self._loading = False
        self._files.update(Path(p).resolve() for p in paths)
        return loaded

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        if not self._loading:
            self._other_data = True
        for name, graph in graphs.items():
            self.dataset.remove_graph(name)
            target = self.dataset.graph(name)
            target.addN((s, p, o, target) for s, p, o in graph)
        self.graph = self.dataset
        self._names = None  # the name index follows the data: rebuilt on next use

    def names(self) -> Names:
        """The name index (see `Store.names`): for exactly the bundled files, the one kept in
        the per-user cache (`ipgraph.store.namecache`), built there on first use; for any other
        data, or when the cache cannot serve, built in memory."""
        if self._names is None:
            index = self._bundled_index() if self.holds_only_bundled() else None
            if index is None:
                index = NameIndex.open(None, type_weights=TYPE_WEIGHTS)
                index.replace_graph(GRAPH, name_records(self.graph))
            self._names = IndexNames(index, self)
        return self._names

    def holds_only_bundled(self) -> bool:
        """Whether the data is ipgraph's bundled files, all of them and nothing else.

        >>> store = MemoryStore()
        >>> _ = store.load_files(data.bundled_files())
        >>> store.holds_only_bundled()
        True
        """
        return not self._other_data and self._files == data.bundled_paths()

    def _bundled_index(self) -> NameIndex | None:
        try:
            key = content_key(data.bundled_files())
        except OSError:
            return None
        return cached_index(
            data.cache_dir(), key, lambda: name_records(self.graph), type_weights=TYPE_WEIGHTS
        )

    def execute(
        self,
        parsed: ParsedQuery,
        bindings: Mapping[str, Node],
        graphs: Graphs = ((), ()),
        max_rows: int | None = None,
    ) -> QueryResult:
        default, named = [URIRef(g) for g in graphs[0]], [URIRef(g) for g in graphs[1]]
        query = parsed.checkout()
        run = _with_dataset(query, default, named) if default or named else query
        raw = self.graph.query(run, initBindings=cast(dict[str, Any], dict(bindings)))
        result = collect(parsed.kind, parsed.vars, raw, max_rows, self.prefixes())
        parsed.checkin(query)  # only after a normal finish: never a copy still running
        return result

    def _query(self, text: str, bindings: Mapping[str, Node], graphs: Graphs) -> Result:
        if graphs[0] or graphs[1]:
            raise UsageError(f"default/named graph selection is not supported on {self.kind}")
        init: dict[str, Any] = dict(bindings)
        return self.graph.query(text, initNs=dict(PREFIXES), initBindings=init)

    def objects(self, subjects: Sequence[URIRef], predicates: Sequence[URIRef]) -> Iterator[Triple]:
        for subject in subjects:
            for predicate in predicates:
                for value in self.graph.objects(subject, predicate):
                    yield subject, predicate, value

    def label_rows(self) -> Graph:
        return self.graph


def _with_dataset(query: Query, default: list[URIRef], named: list[URIRef]) -> Query:
    """The query with the SPARQL Protocol's graphs as its dataset clause."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query

    algebra = query.algebra.clone()
    clauses = [CompValue("DatasetClause", default=iri) for iri in default]
    clauses += [CompValue("DatasetClause", named=iri) for iri in named]
    algebra["datasetClause"] = clauses
    return Query(query.prologue, algebra)
