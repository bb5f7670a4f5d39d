"""Store backends: specs, the persistent Oxigraph store, atomic loads, path search by lookups."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from rdflib import Graph, URIRef

import ipgraph
from ipgraph import data, synth
from ipgraph.errors import DataError, UsageError
from ipgraph.store import (
    OxigraphStore,
    SparqlStore,
    inject_values,
    local_graph,
    open_store,
    parse_sparql_spec,
    shortest_path,
)
from ipgraph.vocab import GRAPH

EXTRA = """@prefix ex: <https://example.org/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:thing rdfs:label "A thing"@en ; ex:rel <relative/item> .
"""


@pytest.mark.parametrize("spec", ["nothing", "oxigraph:", "sparql:", "memory:x"])
def test_unknown_spec_is_a_usage_error(spec: str) -> None:
    with pytest.raises(UsageError, match="memory"):
        open_store(spec)


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


def test_environment_variable_chooses_the_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("IPGRAPH_STORE", f"oxigraph:{tmp_path / 'db'}")
    assert isinstance(open_store(), OxigraphStore)
    monkeypatch.setenv("IPGRAPH_STORE", "sparql:http://127.0.0.1:9/query")
    store = open_store()
    assert isinstance(store, SparqlStore) and not store.writable


def test_read_only_remote_store_refuses_to_load() -> None:
    store = open_store("sparql:http://127.0.0.1:9/query")
    with pytest.raises(ipgraph.IpgraphError, match="read-only"):
        store.replace_graphs({GRAPH["x"]: Graph()})


def test_bundled_files_load_once(tmp_path: Path) -> None:
    spec = f"oxigraph:{tmp_path / 'db'}"
    first = ipgraph.load(store=spec)
    data_dir = first.store.data_dir  # type: ignore[attr-defined]
    assert len(first.graph) == len(ipgraph.load().graph)
    again = open_store(spec)
    assert again.load_files(data.bundled_files(), only_changed=True) == []  # nothing re-parsed
    assert ipgraph.load(store=spec).store.data_dir == data_dir  # type: ignore[attr-defined]


def test_changed_file_is_reloaded_and_nothing_duplicates(
    tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    store = open_store(f"oxigraph:{tmp_path / 'db'}")
    extra = write("extra.ttl", EXTRA)
    store.load_files([extra])
    store.load_files([extra])
    assert store.graph_size(GRAPH["extra"]) == 2 == len(store)
    assert store.load_files([extra], only_changed=True) == []
    extra.write_text(EXTRA.replace('"A thing"', '"A changed thing"'), encoding="utf-8")
    (loaded,) = store.load_files([extra], only_changed=True)
    assert loaded.triples == 2 and len(store) == 2


def test_failed_load_leaves_the_store_as_it_was(
    tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    root = tmp_path / "db"
    store = open_store(f"oxigraph:{root}")
    store.load_files([write("extra.ttl", EXTRA)])
    before = sorted(store.dataset.triples((None, None, None)))
    good = write("more.ttl", EXTRA.replace("thing", "other"))
    bad = write("bad.ttl", "<a> <b> .\n")
    with pytest.raises(DataError, match=r"bad.ttl:1"):
        store.load_files([good, bad])
    assert sorted(store.dataset.triples((None, None, None))) == before
    assert store.graph_names() == [GRAPH["extra"]]
    current = store.data_dir.name  # type: ignore[attr-defined]
    assert sorted(p.name for p in root.iterdir()) == sorted([current, "ipgraph.json"])


def test_interrupted_load_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    big = tmp_path / "big.nt"
    synth.write(big, 20000, seed=1)
    store = open_store(f"oxigraph:{tmp_path / 'db'}")
    store.load_files([data.vocabulary_file()])
    size = len(store)

    def interrupt(_: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.load_files([big], progress=interrupt)
    assert len(store) == size
    reopened = open_store(f"oxigraph:{tmp_path / 'db'}")
    assert len(reopened) == size and GRAPH["big"] not in reopened.graph_names()


def test_prefixes_and_relative_iris_survive_reopening(
    tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    extra = write("extra.ttl", EXTRA)
    root = tmp_path / "db"
    open_store(f"oxigraph:{root}").load_files([extra])
    reopened = OxigraphStore(root)
    assert reopened.prefixes()["ex"] == "https://example.org/ns#"
    rows = list(reopened.query("SELECT ?o WHERE { ex:thing ex:rel ?o }"))
    assert rows == [(URIRef((tmp_path / "relative/item").as_uri()),)]


def test_bindings_need_not_be_projected(tmp_path: Path) -> None:
    kg = ipgraph.load(store=f"oxigraph:{tmp_path / 'db'}")
    text = "SELECT ?doc WHERE { ?doc ipg:issuedBy ?agency }"
    cnipa = kg.resolve("CNIPA")
    assert sorted(kg.store.query(text, {"agency": cnipa})) == sorted(
        ipgraph.load().store.query(text, {"agency": cnipa})
    )
    assert "VALUES ( ?a )" in inject_values("ASK { ?a ?b ?c }", {"a": cnipa})


def test_shortest_path_by_lookups_matches_networkx(kg: ipgraph.KnowledgeGraph) -> None:
    a, b = kg.resolve("MOF"), kg.resolve("Zhejiang")
    ball = local_graph(kg.store, a, b)
    assert ball is not None and len(ball) < len(kg.graph)
    hops = shortest_path(kg.store, a, b)
    assert hops is not None and a in (hops[0][0], hops[0][2])
    assert len(kg.path(a, b).hops) <= len(hops)


def test_cli_load_into_oxigraph(
    run: Callable[..., Result], tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    extra = write("extra.ttl", EXTRA)
    spec = f"oxigraph:{tmp_path / 'db'}"
    result = run("load", "--store", spec, str(extra))
    assert result.exit_code == 0 and "graph/extra\t2 triples" in result.output
    again = run("load", "--store", spec, str(extra), "-q")
    assert again.exit_code == 0
    found = run("find", "A thing", "--store", spec)
    assert found.exit_code == 0 and "A thing" in found.output
    assert run("load", "--store", "memory", str(extra)).exit_code == 2
