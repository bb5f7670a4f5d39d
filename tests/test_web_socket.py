"""The real server: ``ipgraph serve`` in a subprocess on a free loopback port, queried by
SPARQLWrapper (a SPARQL client people use). The mixed load test is in ``test_web_load.py``.
Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import urllib.error

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

import ipgraph
from ipgraph import data
from ipgraph.loader import graph_name
from ipgraph.vocab import ID
from web_server import AGENCIES, Server

pytestmark = pytest.mark.slow
pytest_plugins = ["web_server"]  # the `server` fixture (tests/web_server.py)


def wrapper(server: Server, query: str, return_format: str = JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(server.sparql)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setTimeout(30)
    return client


# -- SPARQLWrapper ------------------------------------------------------------------------------


def test_sparqlwrapper_select_json(server: Server, kg: ipgraph.KnowledgeGraph) -> None:
    expected = [str(row[0]) for row in kg.query(AGENCIES).rows]
    for method in ("GET", POST):
        client = wrapper(server, AGENCIES)
        client.setMethod(method)
        result = client.queryAndConvert()
        assert isinstance(result, dict)
        assert [b["agency"]["value"] for b in result["results"]["bindings"]] == expected


def test_sparqlwrapper_post_directly(server: Server) -> None:
    client = wrapper(server, 'ASK { ?s rdfs:label "教育部"@zh }')
    client.setMethod(POST)
    client.setRequestMethod(POSTDIRECTLY)
    assert client.queryAndConvert() == {"head": {}, "boolean": True}


def test_sparqlwrapper_ask_xml(server: Server) -> None:
    document = wrapper(server, "ASK { ?s a ipg:Ministry }", XML).queryAndConvert()
    values = [node.firstChild.data for node in document.getElementsByTagName("boolean")]
    assert values == ["true"]


def test_sparqlwrapper_construct_turtle(server: Server, kg: ipgraph.KnowledgeGraph) -> None:
    query = "CONSTRUCT { ?a ?p ?o } WHERE { ?a a ipg:Ministry ; ?p ?o }"
    body = wrapper(server, query, TURTLE).queryAndConvert()
    got = Graph().parse(data=body, format="turtle")
    expected = kg.query(query).graph
    assert expected is not None and len(expected) > 10
    assert isomorphic(got, expected)


def test_sparqlwrapper_csv(server: Server, kg: ipgraph.KnowledgeGraph) -> None:
    body = wrapper(server, AGENCIES, CSV).queryAndConvert()
    lines = body.decode("utf-8").splitlines()
    assert lines == ["agency", *(str(row[0]) for row in kg.query(AGENCIES).rows)]


def test_sparqlwrapper_dataset_parameters(server: Server) -> None:
    vocabulary = str(graph_name(data.vocabulary_file()))
    facts = str(ID["passage/cnipa-ar2021-ch4/intro-p1"])  # a passage graph of the chapter
    client = wrapper(server, "ASK { ipg:Agency a owl:Class }")
    client.addDefaultGraph(facts)
    assert client.queryAndConvert()["boolean"] is False
    client = wrapper(server, "ASK { ipg:Agency a owl:Class }")
    client.addDefaultGraph(vocabulary)
    assert client.queryAndConvert()["boolean"] is True


def test_sparqlwrapper_sees_errors(server: Server) -> None:
    with pytest.raises(QueryBadFormed, match="line 1"):
        wrapper(server, "SELECT * WHERE { ?s ?p").queryAndConvert()
    update = wrapper(server, "INSERT DATA { <urn:ex:s> <urn:ex:p> 1 }")
    update.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as refused:
        update.query()
    assert refused.value.code == 403
    assert b"read-only" in refused.value.read()
