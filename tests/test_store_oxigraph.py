"""The embedded Oxigraph backend (`ipgraph.store.oxigraph`): atomic, incremental loads that
survive reopening, and queries on pyoxigraph."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import URIRef

import ipgraph
from ipgraph import data, synth
from ipgraph.errors import DataError
from ipgraph.sparql.scan import inject_values
from ipgraph.store import OxigraphStore, open_store
from ipgraph.vocab import GRAPH

EXTRA = """@prefix ex: <https://example.org/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:thing rdfs:label "A thing"@en ; ex:rel <relative/item> .
"""


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


def test_touched_but_unchanged_file_is_not_reloaded(
    tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    store = open_store(f"oxigraph:{tmp_path / 'db'}")
    extra = write("extra.ttl", EXTRA)
    store.load_files([extra])
    data_dir = store.data_dir  # type: ignore[attr-defined]
    stat = extra.stat()
    os.utime(extra, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # same bytes, newer
    read: list[int] = []
    assert store.load_files([extra], only_changed=True, progress=read.append) == []
    assert store.data_dir == data_dir and sum(read) == stat.st_size  # type: ignore[attr-defined]
    assert open_store(f"oxigraph:{tmp_path / 'db'}").load_files([extra], only_changed=True) == []


MOVABLE = {
    "facts.ttl": "@prefix ex: <https://example.org/ns#> .\nex:a ex:rel ex:b .\n",
    "named.trig": "@prefix ex: <https://example.org/ns#> .\nex:g1 { ex:c ex:rel ex:d . }\n",
    "mixed.trig": "@prefix ex: <https://example.org/ns#> .\nex:e ex:rel ex:f .\n"
    "ex:g2 { ex:g ex:rel ex:h . }\n",
}


def test_files_moved_elsewhere_are_not_loaded_again(tmp_path: Path) -> None:
    # the same files in another checkout or install: their graphs hold the same data
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    for name, text in MOVABLE.items():
        (first / name).write_text(text, encoding="utf-8")
    shutil.copytree(first, second)
    spec = f"oxigraph:{tmp_path / 'db'}"
    store = open_store(spec)
    store.load_files([first / name for name in MOVABLE])
    graphs, data_dir = store.graph_names(), store.data_dir  # type: ignore[attr-defined]
    updated = store.meta["updated"]  # type: ignore[attr-defined]
    moved = [second / name for name in MOVABLE]
    assert store.load_files(moved, only_changed=True) == []
    assert store.data_dir == data_dir and store.meta["updated"] == updated  # type: ignore[attr-defined]
    assert store.graph_names() == graphs and store.source_path(GRAPH["facts"]) == str(moved[0])
    reopened = open_store(spec)
    assert reopened.load_files(moved, only_changed=True) == []
    assert reopened.source_path(URIRef("https://example.org/ns#g2")) == str(moved[2])
    assert reopened.load_files([first / name for name in MOVABLE], only_changed=True) == []
    assert reopened.load_files(moved, only_changed=True) == []  # and back
    assert reopened.data_dir == data_dir  # type: ignore[attr-defined]
    # a file changed in the new place is loaded, in place of the graph its copy filled
    moved[0].write_text(MOVABLE["facts.ttl"].replace("ex:b", "ex:z"), encoding="utf-8")
    (loaded,) = reopened.load_files(moved, only_changed=True)
    assert loaded.graph == GRAPH["facts"] and reopened.graph_names() == graphs
    assert reopened.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?o")[-1] == (
        "https://example.org/ns#z",
    )


def test_a_moved_file_with_relative_iris_is_loaded_again(
    tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    # its relative IRIs resolve against where it lies: elsewhere, the data differs
    extra = write("extra.ttl", EXTRA)
    store = open_store(f"oxigraph:{tmp_path / 'db'}")
    store.load_files([extra])
    moved = tmp_path / "b" / "extra.ttl"
    moved.parent.mkdir()
    shutil.copy(extra, moved)
    (loaded,) = store.load_files([moved], only_changed=True)
    assert loaded.path == str(moved) and loaded.graph != GRAPH["extra"]
    rows = store.select("SELECT ?o WHERE { ex:thing ex:rel ?o }")
    assert sorted(rows) == sorted(
        [((p.parent / "relative/item").as_uri(),) for p in (extra, moved)]
    )


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
    kept = sorted(
        p.name
        for p in root.iterdir()
        if not p.name.endswith(".lock") and not p.name.startswith("names.sqlite")
    )
    assert kept == sorted([current, "ipgraph.json"])  # and the locks and the name index


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


def test_max_rows_stops_reading_native_rows(oxigraph_kg: ipgraph.KnowledgeGraph) -> None:
    result = oxigraph_kg.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", max_rows=5)
    assert len(result.rows) == 5 and result.truncated


@pytest.mark.parametrize(
    ("order", "keys"),
    [
        ("ORDER BY ?org DESC(?doc)", (1, 0)),  # IRIs: sorted in Python
        ("ORDER BY DESC(?label) ?doc", (2, 0)),  # language-tagged labels: left to Oxigraph
        ("ORDER BY ?date ?doc", (3, 0)),  # dates and unbound values: left to Oxigraph
    ],
)
def test_order_by_matches_the_engines_own_order(
    oxigraph_kg: ipgraph.KnowledgeGraph, order: str, keys: tuple[int, int]
) -> None:
    text = (
        "SELECT ?doc ?org ?label ?date WHERE { ?doc ipg:issuedBy ?org ; rdfs:label ?label "
        f"OPTIONAL {{ ?doc eli:date_document ?date }} }} {order}"
    )
    engine = oxigraph_kg.query(text + " LIMIT 100000").rows  # with LIMIT, Oxigraph sorts
    result = oxigraph_kg.query(text).rows
    assert len(engine) > 20 and sorted(map(repr, result)) == sorted(map(repr, engine))
    # the same order of keys (rows tied on every key may come in any order)
    assert [[r[k] for k in keys] for r in result] == [[r[k] for k in keys] for r in engine]
    cut = oxigraph_kg.query(text, max_rows=3)
    assert [[r[k] for k in keys] for r in cut.rows] == [[r[k] for k in keys] for r in engine[:3]]
    assert cut.truncated


def test_order_by_a_count_matches_the_engines_own_order(
    oxigraph_kg: ipgraph.KnowledgeGraph,
) -> None:
    text = (
        "SELECT ?org (COUNT(?doc) AS ?n) WHERE { ?doc ipg:issuedBy ?org } "
        "GROUP BY ?org ORDER BY DESC(?n) ?org"
    )
    engine = oxigraph_kg.query(text + " LIMIT 100000").rows
    assert len(engine) > 5 and oxigraph_kg.query(text).rows == engine


def test_the_predicates_used_are_kept_at_load_and_added_to(tmp_path: Path) -> None:
    # Lookups read them instead of asking of each neighbour (ipgraph.graph.relations).
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text("<urn:a> <urn:knows> <urn:b> .\n", encoding="utf-8")
    second.write_text("<urn:b> <urn:likes> <urn:c> .\n", encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 'store'}"
    kg = ipgraph.load(str(first), store=spec, bundled=False)
    assert kg.store.statistics()["predicates"] == ["urn:knows"]
    kg = ipgraph.load(str(second), store=spec, bundled=False)
    assert kg.store.statistics()["predicates"] == ["urn:knows", "urn:likes"]


def older_store(tmp_path: Path) -> str:
    """The spec of a store holding ``<urn:a> <urn:knows> <urn:b>``, its figures as an older
    ipgraph kept them (without the predicates)."""
    source = tmp_path / "a.ttl"
    source.write_text("<urn:a> <urn:knows> <urn:b> .\n", encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 'store'}"
    store = ipgraph.load(str(source), store=spec, bundled=False).store
    assert isinstance(store, OxigraphStore)
    del store.meta["stats"]["predicates"]
    store.directory.save_meta(store.meta)
    return spec


def test_a_store_kept_by_an_older_ipgraph_gets_its_predicates(tmp_path: Path) -> None:
    spec = older_store(tmp_path)
    reopened = open_store(spec)
    assert reopened.statistics()["predicates"] == ["urn:knows"]
    assert open_store(spec).statistics()["predicates"] == ["urn:knows"]  # and saved


def test_a_load_into_a_store_kept_by_an_older_ipgraph_reads_every_predicate(
    tmp_path: Path,
) -> None:
    # The first command on such a store may be a load: the predicates of the graphs it
    # does not write must not be lost.
    spec = older_store(tmp_path)
    second = tmp_path / "b.ttl"
    second.write_text("<urn:b> <urn:likes> <urn:c> .\n", encoding="utf-8")
    kg = ipgraph.load(str(second), store=spec, bundled=False)
    assert kg.store.statistics()["predicates"] == ["urn:knows", "urn:likes"]
