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

One module per concern: `ipgraph.store.base` (the `Store` interface and memory backend,
`open_store`, shared helpers), `ipgraph.store.oxigraph`, `ipgraph.store.sparql`, and
`ipgraph.store.search` (`shortest_path`, `local_graph`). Import from ``ipgraph.store``.

>>> store = open_store("memory")
>>> store.kind, len(store)
('memory', 0)
"""

from ipgraph.store.base import (
    STORE_ENV,
    BackendDataset,
    Edge,
    LoadedGraph,
    Progress,
    Store,
    bind_prefixes,
    inject_values,
    native_query,
    open_store,
)
from ipgraph.store.oxigraph import (
    META_FILE,
    XSD_INTEGER,
    NativeTable,
    OxigraphStore,
    native_table,
    ox_converter,
)
from ipgraph.store.search import local_graph, shortest_path
from ipgraph.store.sparql import SparqlStore, parse_sparql_spec

__all__ = [
    "META_FILE",
    "STORE_ENV",
    "XSD_INTEGER",
    "BackendDataset",
    "Edge",
    "LoadedGraph",
    "NativeTable",
    "OxigraphStore",
    "Progress",
    "SparqlStore",
    "Store",
    "bind_prefixes",
    "inject_values",
    "local_graph",
    "native_query",
    "native_table",
    "open_store",
    "ox_converter",
    "parse_sparql_spec",
    "shortest_path",
]
