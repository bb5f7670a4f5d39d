"""The in-memory backend (``memory``, the default): rdflib's `Dataset` and SPARQL engine.

>>> from rdflib import Graph
>>> store = MemoryStore()
>>> store.replace_graphs({URIRef("urn:g"): Graph().parse(data="<urn:a> <urn:p> <urn:b> .")})
>>> store.execute(store.check("SELECT ?o WHERE { <urn:a> ?p ?o }"), {}).rows
[(rdflib.term.URIRef('urn:b'),)]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from ipgraph.errors import UsageError
from ipgraph.sparql.check import ParsedQuery
from ipgraph.sparql.result import QueryResult, collect
from ipgraph.store.base import Graphs, Store, Triple
from ipgraph.store.namerecords import name_records
from ipgraph.store.names import NameIndex
from ipgraph.store.namesearch import TYPE_WEIGHTS, IndexNames, Names
from ipgraph.vocab import PREFIXES

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

    def __len__(self) -> int:
        return len(self.graph)

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        for name, graph in graphs.items():
            self.dataset.remove_graph(name)
            target = self.dataset.graph(name)
            target.addN((s, p, o, target) for s, p, o in graph)
        self.graph = self.dataset
        self._names = None  # the name index follows the data: rebuilt on next use

    def names(self) -> Names:
        if self._names is None:
            index = NameIndex.open(None, type_weights=TYPE_WEIGHTS)
            index.replace_graph("urn:ipgraph:names", name_records(self.graph))
            self._names = IndexNames(index, self)
        return self._names

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
    algebra = query.algebra.clone()
    clauses = [CompValue("DatasetClause", default=iri) for iri in default]
    clauses += [CompValue("DatasetClause", named=iri) for iri in named]
    algebra["datasetClause"] = clauses
    return Query(query.prologue, algebra)
