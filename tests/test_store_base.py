"""The store interface (`ipgraph.store.base`): loads all or nothing, prefixes, the label
rows, and the lookups every backend answers alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ipgraph.errors import DataError
from ipgraph.store import open_store
from ipgraph.store.base import LabelRows, LoadedGraph
from ipgraph.vocab import IPG


@pytest.mark.parametrize("spec", ["memory", "oxigraph:{tmp}/db"])
def test_missing_or_unknown_file_fails_before_anything_loads(
    spec: str, tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    store = open_store(spec.format(tmp=tmp_path))
    good = write("good.ttl", "<urn:a> <urn:p> <urn:b> .\n")
    with pytest.raises(DataError, match=r"missing.ttl: no such file"):
        store.load_files([good, tmp_path / "missing.ttl"])
    with pytest.raises(DataError, match=r"notes.txt: unknown RDF file type"):
        store.load_files([good, write("notes.txt", "hello")])
    assert len(store) == 0 and store.graph_names() == []


def test_a_bad_file_anywhere_in_the_list_leaves_the_store_as_it_was(
    write: Callable[[str, str], Path],
) -> None:
    store = open_store("memory")
    store.load_files([write("one.ttl", "<urn:a> <urn:p> <urn:b> .\n")])
    before = len(store)
    good = write("two.ttl", "<urn:c> <urn:p> <urn:d> .\n")
    bad = write("bad.ttl", "<urn:e> <urn:p> .\n")
    with pytest.raises(DataError, match=r"bad\.ttl"):
        store.load_files([good, bad])
    assert len(store) == before
    assert [str(g).rsplit("/", 1)[-1] for g in store.graph_names()] == ["one"]


def test_loads_replace_a_named_graph_whole(write: Callable[[str, str], Path]) -> None:
    store = open_store("memory")
    path = write("g.ttl", "<urn:a> <urn:p> <urn:b> .\n")
    (loaded,) = store.load_files([path])
    assert loaded == LoadedGraph(loaded.graph, str(path), 1)
    path.write_text("<urn:a> <urn:p> <urn:c> .\n<urn:a> <urn:p> <urn:d> .\n", encoding="utf-8")
    store.load_files([path])
    assert len(store) == 2 and store.graph_size(loaded.graph) == 2
    assert store.graph_names() == [loaded.graph]
    assert store.source_path(loaded.graph) == str(path)


def test_prefixes_of_loaded_files_never_override_the_projects(
    write: Callable[[str, str], Path],
) -> None:
    store = open_store("memory")
    store.load_files(
        [
            write(
                "p.ttl",
                "@prefix ipg: <https://example.org/not-ours#> .\n"
                "@prefix mine: <https://example.org/mine#> .\nmine:a ipg:p mine:b .\n",
            )
        ]
    )
    assert store.prefixes()["ipg"] == str(IPG)
    assert store.prefixes()["mine"] == "https://example.org/mine#"


def test_label_rows_index_by_predicate_and_subject() -> None:
    a, b = URIRef("urn:a"), URIRef("urn:b")
    rows = LabelRows(
        [
            (a, RDFS.label, Literal("A", lang="en")),
            (a, RDFS.label, Literal("甲", lang="zh")),
            (b, RDF.type, IPG.Agency),
        ]
    )
    assert sorted(rows.objects(a, RDFS.label)) == [
        Literal("A", lang="en"),
        Literal("甲", lang="zh"),
    ]
    assert list(rows.objects(b, RDFS.label)) == []
    assert list(rows.subject_objects(RDF.type)) == [(b, IPG.Agency)]
    assert list(rows.subject_objects(RDFS.comment)) == []


@pytest.mark.parametrize("spec", ["memory", "oxigraph:{tmp}/db"])
def test_select_and_objects_read_the_same_triples(
    spec: str, tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    store = open_store(spec.format(tmp=tmp_path))
    store.load_files(
        [
            write(
                "t.ttl",
                '<urn:a> <urn:p> <urn:b> , "x" .\n<urn:a> <urn:q> <urn:c> .\n'
                "<urn:d> <urn:p> <urn:e> .\n",
            )
        ]
    )
    rows = store.select("SELECT ?o WHERE { <urn:a> <urn:p> ?o } ORDER BY ?o")
    assert rows == [("urn:b",), ("x",)]
    unbound = "SELECT ?s ?x WHERE { ?s <urn:q> ?c OPTIONAL { ?s <urn:r> ?x } }"
    assert store.select(unbound) == [("urn:a", "")]
    a, d, p = URIRef("urn:a"), URIRef("urn:d"), URIRef("urn:p")
    found = set(store.objects([a, d], [p]))
    assert found == {(a, p, URIRef("urn:b")), (a, p, Literal("x")), (d, p, URIRef("urn:e"))}
    assert store.check("ASK { ?s ?p ?o }").kind == "ASK"
