"""The same behaviour on every backend: memory, embedded Oxigraph, and a real Oxigraph server.

The server is the ``oxigraph`` PyPI package's own binary, started by the fixture on a free
loopback port and loaded through its Graph Store Protocol endpoint by ipgraph itself. Every
answer is compared with the memory backend's.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest
from click.testing import Result
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

import ipgraph
from ipgraph import synth
from ipgraph.errors import StoreError, StoreWarning
from ipgraph.graph import paths
from ipgraph.graph.projection import build_projection
from ipgraph.graph.search import local_graph
from ipgraph.sparql import QueryResult, named_queries
from ipgraph.store import OxigraphStore, SparqlStore
from ipgraph.vocab import IPG


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _serve(location: Path, read_only: bool = False) -> Iterator[str]:
    """Run a real Oxigraph server over ``location`` on a loopback port; yield its store spec
    (read-only: ``serve-read-only``, no update or Graph Store endpoint in the spec)."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = _free_port()
    process = subprocess.Popen(
        [
            binary,
            "serve-read-only" if read_only else "serve",
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
        if read_only:
            yield f"sparql:{base}/query"
        else:
            yield f"sparql:{base}/query#update={base}/update&store={base}/store"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on a loopback port; yields its ipgraph store spec."""
    with _serve(tmp_path_factory.mktemp("oxigraph-server")) as spec:
        yield spec


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
    expected = [m.to_dict() for m in memory_kg.find(text)]
    got = [m.to_dict() for m in backend_kg.find(text)]
    if backend_kg.store.kind != "sparql":  # the same name index, in a file
        assert got == expected
        return
    # A server is asked one bounded query (names holding every word), ranked here: the same
    # best entity when it finds one; spelling guesses are the local index's alone.
    assert not got or got[0]["iri"] == expected[0]["iri"]
    assert {m["iri"] for m in got} <= {str(m.iri) for m in memory_kg.find(text, limit=50)}


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


def test_capped_listings_agree(
    backend_kg: ipgraph.KnowledgeGraph, memory_kg: ipgraph.KnowledgeGraph
) -> None:
    ref = "CNIPA"

    # A capped relation lists the same entities (the first by IRI) on every store, with the
    # same totals, in `neighbors` and in `show`.
    def listed(kg: ipgraph.KnowledgeGraph) -> tuple[object, object]:
        around = kg.neighbors(ref, limit=2).to_dict(limit=2)
        card = kg.entity(ref, limit=2).to_dict()
        return around, (card["relations"], card["incoming"], card["outgoing"])

    here, there = listed(memory_kg), listed(backend_kg)
    assert there == here
    assert any(group["count"] > group["listed"] for group in here[0]["groups"])  # type: ignore[index]


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


# -- read-only servers: no update or Graph Store endpoint ----------------------------------------

READ_COMMANDS = [
    ("info",),
    ("find", "{name}"),
    ("show", "{name}"),
    ("path", "{name}", "{other}"),
    ("neighbors", "{name}"),
    ("rank", "--limit", "3"),
    ("query", "ASK { ?s ?p ?o }"),
    ("export", "--format", "nt"),
    ("validate",),
]


@pytest.fixture(scope="module")
def read_only_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Two read-only Oxigraph servers: one over a store that holds the bundled graph, one
    over a database with two entities of its own."""
    import pyoxigraph

    bundled = ipgraph.load(store=f"oxigraph:{tmp_path_factory.mktemp('ro') / 'kgdb'}")
    own = tmp_path_factory.mktemp("ro-own") / "db"
    database = pyoxigraph.Store(str(own))
    database.load(
        input=b'<http://e/a> <http://www.w3.org/2000/01/rdf-schema#label> "Alpha"@en .\n'
        b"<http://e/a> <http://e/rel> <http://e/b> .\n"
        b'<http://e/b> <http://www.w3.org/2000/01/rdf-schema#label> "Beta"@en .\n',
        format=pyoxigraph.RdfFormat.N_TRIPLES,
        to_graph=pyoxigraph.NamedNode("http://e/g"),
    )
    database.flush()
    del database
    with (
        _serve(bundled.store.data_dir, read_only=True) as with_bundled,  # type: ignore[attr-defined]
        _serve(own, read_only=True) as without,
    ):
        yield {"bundled": with_bundled, "own": without}


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("server", ["bundled", "own"])
def test_read_commands_work_on_a_read_only_server(
    read_only_servers: dict[str, str],
    run: Callable[..., Result],
    server: str,
    command: tuple[str, ...],
) -> None:
    # Regression: every command failed with "the SPARQL store ... is read-only".
    name, other = ("MOF", "Zhejiang") if server == "bundled" else ("Alpha", "Beta")
    args = [part.replace("{name}", name).replace("{other}", other) for part in command]
    result = run(*args, "--store", read_only_servers[server])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and result.stdout
    noted = [line for line in result.stderr.splitlines() if "warning" in line]
    if server == "bundled":
        assert noted == []
    else:
        assert len(noted) == 1 and "does not hold ipgraph's bundled graph" in noted[0]


def test_read_only_server_in_the_library(read_only_servers: dict[str, str]) -> None:
    with pytest.warns(StoreWarning, match="read-only and does not hold"):
        kg = ipgraph.load(store=read_only_servers["own"])
    assert kg.find("Alpha")[0].label == "Alpha"
    with warnings.catch_warnings():
        warnings.simplefilter("error", StoreWarning)
        ipgraph.load(store=read_only_servers["bundled"])  # it holds the bundled graph
    with pytest.raises(StoreError, match="read-only"):
        ipgraph.load(__file__, store=read_only_servers["bundled"])


def test_query_command_in_a_fresh_process_on_a_server(read_only_servers: dict[str, str]) -> None:
    # Regression: the query worker hung on Oxigraph's parser, set up first in the forked
    # worker, so `ipgraph query --store sparql:...` always timed out.
    binary = str(Path(sys.executable).with_name("ipgraph"))
    spec = read_only_servers["bundled"]
    done = subprocess.run(
        [binary, "query", "ASK { ?s ?p ?o }", "--store", spec, "--timeout", "30"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and done.stdout.strip() == "true", done.stderr


def test_data_on_a_read_only_server_is_refused(
    read_only_servers: dict[str, str], run: Callable[..., Result], tmp_path: Path
) -> None:
    extra = tmp_path / "extra.nt"
    extra.write_text("<http://e/x> <http://e/p> <http://e/y> .\n", encoding="utf-8")
    result = run("info", "--store", read_only_servers["own"], "--data", str(extra))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "ipgraph load" in result.stderr


# -- shortest paths by store lookups (issue 6: no full projection on large stores) ------------


def _searched(
    kg: ipgraph.KnowledgeGraph, a: str | URIRef, b: str | URIRef, include: tuple[str, ...] = ()
) -> paths.Path:
    """The path the store search itself finds (`kg.path` would fall back to the full
    projection if the search gave up; this fails instead)."""
    start, end = kg.resolve(a), kg.resolve(b)
    ball = local_graph(kg.store, start, end, include)
    assert ball is not None, f"the store search found no path from {a} to {b}"
    assert len(ball) < len(kg.graph)
    return paths.shortest_path(build_projection(ball, include), start, end)


@pytest.mark.parametrize(
    ("a", "b", "include"),
    [
        ("MOF", "Zhejiang", ()),
        ("MIIT", "MOE", ()),
        ("CAS", "Jiangsu", ()),
        ("CNIPA", "MOE", ("observations",)),
        ("MOF", "CNIPA", ("provenance",)),
        ("MOE", "MOE", ()),
    ],
)
def test_store_search_agrees_with_the_projection(
    a: str,
    b: str,
    include: tuple[str, ...],
    backend_kg: ipgraph.KnowledgeGraph,
    memory_kg: ipgraph.KnowledgeGraph,
) -> None:
    expected = memory_kg.path(a, b, include=include)
    got = _searched(backend_kg, a, b, include)
    assert len(got) == len(expected)
    assert (got.start, got.end) == (expected.start, expected.end)
    for hop in got.hops:
        assert hop.triple() in backend_kg.graph
    assert backend_kg.path(a, b, include=include).triples() == got.triples()


def test_store_search_only_starts_from_entities(
    backend_kg: ipgraph.KnowledgeGraph, memory_kg: ipgraph.KnowledgeGraph
) -> None:
    cnipa = memory_kg.resolve("CNIPA")
    passage = next(iter(memory_kg.instances(IPG.Passage)))
    assert local_graph(backend_kg.store, URIRef(IPG.Agency), cnipa) is None  # a class
    assert local_graph(backend_kg.store, passage, cnipa) is None  # provenance, left out
    found = local_graph(backend_kg.store, passage, cnipa, ("provenance",))
    assert found is not None
    G = build_projection(found, ("provenance",))
    assert len(paths.shortest_path(G, passage, cnipa)) == len(
        memory_kg.path(passage, cnipa, include="provenance")
    )


@pytest.fixture(scope="module")
def synth_kgs(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, ipgraph.KnowledgeGraph]]:
    """A synthetic graph with hubs (agencies with hundreds of documents) on every backend."""
    root = tmp_path_factory.mktemp("synth")
    file = root / "synth.nt"
    synth.write(file, 20_000, seed=5)
    with _serve(tmp_path_factory.mktemp("synth-server")) as spec:
        yield {
            "memory": ipgraph.load(file),
            "oxigraph": ipgraph.load(file, store=f"oxigraph:{root / 'kgdb'}"),
            "server": ipgraph.load(file, store=spec),
        }


def _hub_pairs(G: nx.MultiDiGraph) -> list[tuple[URIRef, URIRef]]:
    """Leaf-to-leaf, leaf-to-hub and hub-to-hub pairs, chosen by a seeded draw."""
    by_degree = sorted(G, key=lambda n: (-G.degree(n), str(n)))
    hubs = by_degree[:4]
    reachable = nx.node_connected_component(G.to_undirected(as_view=True), hubs[0])
    small = sorted((n for n in reachable if G.degree(n) <= 3), key=str)
    leaves = random.Random(0).sample(small, 8)
    return [
        *zip(leaves[:4], leaves[4:], strict=True),
        *zip(leaves[:3], hubs[:3], strict=True),
        (hubs[0], hubs[1]),
        (hubs[2], hubs[3]),
    ]


@pytest.mark.parametrize("backend", ["oxigraph", "server"])
def test_store_search_through_hubs_agrees(
    backend: str, synth_kgs: dict[str, ipgraph.KnowledgeGraph]
) -> None:
    memory, kg = synth_kgs["memory"], synth_kgs[backend]
    G = memory.projection()
    pairs = _hub_pairs(G)
    expected = [memory.path(a, b) for a, b in pairs]
    # The case is hub-heavy: the memory paths cross entities with hundreds of relations.
    assert max(G.degree(n) for path in expected for n in path.nodes[1:-1]) >= 300
    for (a, b), want in zip(pairs, expected, strict=True):
        got = _searched(kg, a, b)
        assert (len(got), got.start, got.end) == (len(want), a, b)
        for hop in got.hops:
            assert hop.triple() in kg.graph
        assert kg.path(a, b).triples() == got.triples()


def test_store_search_answer_does_not_depend_on_the_server(
    synth_kgs: dict[str, ipgraph.KnowledgeGraph],
) -> None:
    pairs = _hub_pairs(synth_kgs["memory"].projection())
    for a, b in pairs:
        assert (
            _searched(synth_kgs["oxigraph"], a, b).triples()
            == _searched(synth_kgs["server"], a, b).triples()
        )


def test_lookups_agree(
    backend_kg: ipgraph.KnowledgeGraph, memory_kg: ipgraph.KnowledgeGraph
) -> None:
    # `select` and `objects` feed every lookup-based command; on a server they read CSV
    # results, whose terms `objects` rebuilds (IRIs, language tags, datatypes) from columns.
    graph = memory_kg.graph
    subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef)}, key=str)
    predicates = sorted({p for p in graph.predicates() if isinstance(p, URIRef)}, key=str)
    assert len(subjects) > 400 and len(predicates) > 50

    def lookups(kg: ipgraph.KnowledgeGraph) -> set[tuple[str, str, str]]:
        return {
            (str(s), str(p), "_:" if isinstance(o, BNode) else _cell(o))  # ids differ by store
            for s, p, o in kg.store.objects(subjects, predicates)
        }

    assert lookups(backend_kg) == lookups(memory_kg)
    typed = [o for _, _, o in backend_kg.store.objects(subjects, predicates)]
    assert {type(o) for o in typed} == {URIRef, Literal, BNode}
    assert any(o.language == "zh" for o in typed if isinstance(o, Literal))
    assert any(o.datatype == XSD.date for o in typed if isinstance(o, Literal))
    text = "SELECT ?s ?label WHERE { ?s skos:altLabel ?label FILTER(LANG(?label) = 'en') }"
    assert sorted(backend_kg.store.select(text)) == sorted(memory_kg.store.select(text))
    # Row by row (what a hub's lookups read, never holding them all): the same rows.
    rows = backend_kg.store.iter_select(text)
    assert not isinstance(rows, list)
    assert sorted(rows) == sorted(memory_kg.store.select(text)) != []
