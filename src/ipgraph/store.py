"""Store backends: where the quads live. The facade talks to every backend through `Store`.

``memory`` (rdflib, the default) is built here; persistent and remote backends plug in through
`open_store`, chosen by ``ipgraph.load(store=...)``, ``--store`` or ``IPGRAPH_STORE``.

>>> store = open_store("memory")
>>> store.kind, len(store)
('memory', 0)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from rdflib import Dataset, Graph, URIRef

from ipgraph.errors import UsageError
from ipgraph.vocab import PREFIXES

STORE_ENV = "IPGRAPH_STORE"


class Store:
    """An RDF data set with one named graph per source, queried as their union.

    Attributes:
        kind: the backend's name (``memory``, ``oxigraph``, ``sparql``).
        dataset: the rdflib `Dataset` holding the quads; its default graph is the union.
    """

    kind = "memory"

    def __init__(self, dataset: Dataset | None = None) -> None:
        self.dataset = dataset if dataset is not None else Dataset(default_union=True)
        bind_prefixes(self.dataset)

    def __len__(self) -> int:
        return len(self.dataset)

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

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Put each graph in place of the named graph of the same name.

        Re-loading a source therefore never duplicates its triples.
        """
        for name, graph in graphs.items():
            self.dataset.remove_graph(name)
            target = self.dataset.graph(name)
            target.addN((s, p, o, target) for s, p, o in graph)

    def bind(self, namespaces: Iterable[tuple[str, URIRef]]) -> None:
        """Add prefixes from loaded files, never overriding the project's own."""
        known = {prefix for prefix, _ in self.dataset.namespaces()}
        for prefix, ns in namespaces:
            if prefix and prefix not in known:
                self.dataset.bind(prefix, ns)

    def close(self) -> None:
        """Release the backend's resources (nothing to do in memory)."""


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes (ipg, org, eli, prov, ...) on a graph or data set."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def open_store(spec: str | Store | None = None) -> Store:
    """Open a store from a spec: ``memory``, ``oxigraph:PATH``, ``sparql:URL``.

    Without a spec, ``IPGRAPH_STORE`` decides, else ``memory``.

    Raises:
        UsageError: the spec names no known backend.
    """
    if isinstance(spec, Store):
        return spec
    spec = spec or os.environ.get(STORE_ENV) or "memory"
    kind, _, arg = spec.partition(":")
    if kind == "memory" and not arg:
        return Store()
    raise UsageError(f"unknown store {spec!r}; use 'memory', 'oxigraph:PATH' or 'sparql:URL'")
