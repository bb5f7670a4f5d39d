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
the union of the named graphs, and answers the `Store` interface in its own engine: checked
queries (`Store.check`, `Store.execute`), rows as strings for lookups (`Store.select`), pattern
lookups (`Store.objects`), names for the label index (`Store.label_rows`), sizes, loads and
native dumps. No caller asks which backend it has.

Modules: `ipgraph.store.base` (the interface), `ipgraph.store.memory`, `ipgraph.store.oxigraph`
(with `ipgraph.store.oxterms`, pyoxigraph ↔ rdflib terms), `ipgraph.store.sparql`; this package
opens them (`open_store`).

>>> store = open_store("memory")
>>> store.kind, len(store)
('memory', 0)
"""

import os

from ipgraph.errors import UsageError
from ipgraph.store.base import STORE_ENV, Graphs, LabelRows, LoadedGraph, Progress, Store
from ipgraph.store.memory import MemoryStore
from ipgraph.store.oxigraph import OxigraphStore
from ipgraph.store.sparql import SparqlStore, parse_sparql_spec

__all__ = [
    "STORE_ENV",
    "Graphs",
    "LabelRows",
    "LoadedGraph",
    "MemoryStore",
    "OxigraphStore",
    "Progress",
    "SparqlStore",
    "Store",
    "open_store",
]


def open_store(spec: str | Store | None = None) -> Store:
    """Open a store from a spec: ``memory``, ``oxigraph:PATH``, ``sparql:URL``.

    Without a spec, ``IPGRAPH_STORE`` decides, else ``memory``. A `Store` passes through.

    Raises:
        UsageError: the spec names no known backend.
        StoreError: the backend cannot be opened (a locked or damaged directory).

    >>> open_store("memory").kind
    'memory'
    """
    if spec is not None and not isinstance(spec, str):
        return spec
    spec = spec or os.environ.get(STORE_ENV) or "memory"
    kind, _, arg = spec.partition(":")
    if kind == "memory" and not arg:
        return MemoryStore()
    if kind == "oxigraph" and arg:
        return OxigraphStore(arg)
    if kind == "sparql" and arg:
        url, update, graph_store = parse_sparql_spec(arg)
        return SparqlStore(url, update, graph_store)
    raise UsageError(f"unknown store {spec!r}; use 'memory', 'oxigraph:PATH' or 'sparql:URL'")
