"""The remote SPARQL backend (`ipgraph.store.sparql`) without a server: specs, read-only
stores. `test_store_backends.py` runs it against a real Oxigraph server."""

from __future__ import annotations

import pytest
from rdflib import Graph

import ipgraph
from ipgraph.errors import UsageError
from ipgraph.store import open_store, parse_sparql_spec
from ipgraph.vocab import GRAPH


def test_sparql_spec_endpoints_ride_in_the_fragment() -> None:
    assert parse_sparql_spec("http://h/q?x=1#store=http://h/s") == (
        "http://h/q?x=1",
        None,
        "http://h/s",
    )
    with pytest.raises(UsageError, match="unknown option"):
        parse_sparql_spec("http://h/q#graph=x")
    with pytest.raises(UsageError, match="not an http"):
        parse_sparql_spec("ftp://h/q")


def test_read_only_remote_store_refuses_to_load() -> None:
    store = open_store("sparql:http://127.0.0.1:9/query")
    with pytest.raises(ipgraph.IpgraphError, match="read-only"):
        store.replace_graphs({GRAPH["x"]: Graph()})
