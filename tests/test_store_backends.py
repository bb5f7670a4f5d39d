"""The same behaviour on every backend: memory, embedded Oxigraph, and a real Oxigraph server.

The server is the ``oxigraph`` PyPI package's own binary, started by the fixture on a free
loopback port and loaded through its Graph Store Protocol endpoint by ipgraph itself. Every
answer is compared with the memory backend's.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic

import ipgraph
from ipgraph.query import QueryResult, named_queries
from ipgraph.store import OxigraphStore, SparqlStore


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on a loopback port; yields its ipgraph store spec."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen(
        [
            binary,
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the Oxigraph server did not start") from None
                time.sleep(0.1)
        yield f"sparql:{base}/query#update={base}/update&store={base}/store"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def memory_kg() -> ipgraph.KnowledgeGraph:
    return ipgraph.load()


@pytest.fixture(scope="session", params=["oxigraph", "server"])
def backend_kg(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> ipgraph.KnowledgeGraph:
    """The bundled graph on a non-memory backend (loaded there by ipgraph.load)."""
    if request.param == "oxigraph":
        spec = f"oxigraph:{tmp_path_factory.mktemp('kgdb') / 'store'}"
    else:
        spec = request.getfixturevalue("oxigraph_server")
    return ipgraph.load(store=spec)


def _cell(cell: object) -> str:
    """A cell compared by value: Oxigraph stores numbers canonically ("17.0" becomes "17")."""
    if isinstance(cell, Literal):
        value = cell.toPython()
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return f"{float(value)!r}^^{cell.datatype}"
    return str(cell)


def _rows(result: QueryResult) -> list[tuple[str, ...]]:
    return sorted(tuple(_cell(cell) for cell in row) for row in result.rows)


def _canonical(graph: Graph) -> Graph:
    """The graph with numeric literals in one lexical form, for isomorphism checks."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None:
            o = Literal(_cell(o))
        out.add((s, p, o))
    return out


def test_backend_is_the_one_asked_for(backend_kg: ipgraph.KnowledgeGraph) -> None:
    assert isinstance(backend_kg.store, OxigraphStore | SparqlStore)
    assert backend_kg.store.kind in {"oxigraph", "sparql"}


def test_same_triples_and_sources(
    backend_kg: ipgraph.KnowledgeGraph, memory_kg: ipgraph.KnowledgeGraph
) -> None:
    assert len(backend_kg.graph) == len(memory_kg.graph)
    assert [(s.graph, s.triples) for s in backend_kg.sources()] == [
        (s.graph, s.triples) for s in memory_kg.sources()
    ]


@pytest.mark.parametrize("name", sorted(n for n, q in named_queries().items() if not q.params))
def test_named_queries_agree(
    name: str, backend_kg: ipgraph.KnowledgeGraph, memory_kg: ipgraph.KnowledgeGraph
) -> None:
    expected = memory_kg.query_named(name)
    got = backend_kg.query_named(name)
    assert got.kind == expected.kind
    if expected.kind == "SELECT":
        assert got.vars == expected.vars
        assert _rows(got) == _rows(expected)
    elif expected.kind in {"CONSTRUCT", "DESCRIBE"}:
        assert isomorphic(_canonical(got.graph), _canonical(expected.graph))


def test_query_with_bindings_agrees(
    backend_kg: ipgraph.KnowledgeGraph, memory_kg: ipgraph.KnowledgeGraph
) -> None:
    text = "SELECT ?doc WHERE { ?doc ipg:issuedBy ?agency }"
    cnipa = memory_kg.resolve("CNIPA")
    expected = _rows(memory_kg.query(text, agency=cnipa))
    assert expected and _rows(backend_kg.query(text, agency=cnipa)) == expected


@pytest.mark.parametrize("text", ["MOE", "工信部", "patent navigation", "Minstry of Finanse"])
def test_find_agrees(
    text: str, backend_kg: ipgraph.KnowledgeGraph, memory_kg: ipgraph.KnowledgeGraph
) -> None:
    assert [m.to_dict() for m in backend_kg.find(text)] == [
        m.to_dict() for m in memory_kg.find(text)
    ]


@pytest.mark.parametrize("ref", ["MOF", "CNIPA", "浙江"])
def test_show_agrees(
    ref: str, backend_kg: ipgraph.KnowledgeGraph, memory_kg: ipgraph.KnowledgeGraph
) -> None:
    assert backend_kg.entity(ref).to_dict() == memory_kg.entity(ref).to_dict()


@pytest.mark.parametrize(("a", "b"), [("MOF", "Zhejiang"), ("MIIT", "MOE"), ("CAS", "Jiangsu")])
def test_path_agrees(
    a: str, b: str, backend_kg: ipgraph.KnowledgeGraph, memory_kg: ipgraph.KnowledgeGraph
) -> None:
    expected = memory_kg.path(a, b)
    got = backend_kg.path(a, b)
    assert len(got.hops) == len(expected.hops)
    assert (
        got.to_dict()["hops"][0]["subject" if got.hops[0].forward else "object"]
        == (expected.to_dict()["hops"][0]["subject" if expected.hops[0].forward else "object"])
    )
    for hop in got.hops:  # every hop is a triple of the backend
        assert (hop.subject, hop.predicate, hop.object) in backend_kg.graph


def test_neighbors_agree(
    backend_kg: ipgraph.KnowledgeGraph, memory_kg: ipgraph.KnowledgeGraph
) -> None:
    def around(kg: ipgraph.KnowledgeGraph) -> set[str]:
        return {str(n.node) for n in kg.neighbors("MOF", depth=2).neighbors}

    assert around(backend_kg) == around(memory_kg)
    assert str(memory_kg.resolve("CNIPA")) in around(backend_kg)


@pytest.mark.parametrize("fmt", ["nt", "nquads", "ttl"])
def test_export_agrees(
    fmt: str, backend_kg: ipgraph.KnowledgeGraph, memory_kg: ipgraph.KnowledgeGraph
) -> None:
    rdflib_format = {"nt": "nt", "nquads": "nquads", "ttl": "turtle"}[fmt]
    if fmt == "nquads":
        got_quads, expected_quads = Dataset(), Dataset()
        got_quads.parse(data=backend_kg.export(fmt), format="nquads")
        expected_quads.parse(data=memory_kg.export(fmt), format="nquads")
        assert sorted(g.identifier for g in got_quads.graphs() if len(g)) == sorted(
            g.identifier for g in expected_quads.graphs() if len(g)
        )
        assert len(got_quads) == len(expected_quads) > 1000
    else:
        got = Graph().parse(data=backend_kg.export(fmt), format=rdflib_format)
        expected = Graph().parse(data=memory_kg.export(fmt), format=rdflib_format)
        assert isomorphic(_canonical(got), _canonical(expected))


def test_validate_agrees(
    backend_kg: ipgraph.KnowledgeGraph, memory_kg: ipgraph.KnowledgeGraph
) -> None:
    assert backend_kg.validate().conforms == memory_kg.validate().conforms


def test_cli_commands_run_on_the_backend(
    backend_kg: ipgraph.KnowledgeGraph, run: Callable[..., Result]
) -> None:
    spec = backend_kg.store.spec if backend_kg.store.kind == "oxigraph" else None
    if spec is None:
        store = backend_kg.store
        assert isinstance(store, SparqlStore)
        spec = f"sparql:{store.query_url}#update={store.update_url}&store={store.store_url}"
    shown = run("show", "MOF", "--store", spec)
    assert shown.exit_code == 0 and "财政部" in shown.output
    info = run("info", "--store", spec, "--format", "json")
    assert info.exit_code == 0 and f'"store": "{backend_kg.store.kind}"' in info.output
    found = run("query", "ASK { ?d ipg:issuedBy ?a }", "--store", spec)
    assert found.exit_code == 0
