"""Large loads into the name index's tables (`ipgraph.store.namedb`): a load of many names
(which builds the secondary indexes after its inserts) finds what a small one finds, and readers
never see it half-written, nor the index without its indexes if it is interrupted."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipgraph.store.names import NameIndex, NameRecord

MANY = 25_000  # above the size from which a load drops and rebuilds the secondary indexes
AGENCY = "urn:test:agency"


def many_names(count: int = MANY, fail_after: int | None = None) -> Iterator[NameRecord]:
    yield NameRecord(AGENCY, "Ministry of Industry and Information Technology", "en", "label",
                     ("urn:test:Ministry",))  # fmt: skip
    yield NameRecord(AGENCY, "工业和信息化部", "zh", "label", ("urn:test:Ministry",))
    for i in range(count):
        if fail_after is not None and i == fail_after:
            raise RuntimeError("interrupted")
        iri = f"urn:test:obs/{i}"
        yield NameRecord(iri, f"Observation {i} of patent filings", "en", "label",
                         ("urn:test:Observation",))  # fmt: skip


def index_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        return {r[0] for r in rows}


def test_a_large_load_finds_names_every_way(tmp_path: Path) -> None:
    index = NameIndex.open(tmp_path / "names.sqlite")
    assert index.replace_graph("urn:g", many_names()) == MANY + 2
    assert len(index) == MANY + 1
    assert [(h.iri, h.how) for h in index.search("MIIT", limit=1)] == [(AGENCY, "acronym")]
    assert index.search("工信部", limit=1)[0].iri == AGENCY
    assert index.search("Observation 12345 of patent filings", limit=1)[0].how == "exact"
    assert index.search("ministry of industri", limit=1)[0].iri == AGENCY
    assert index.search("Minstry of Industry", limit=1)[0].how == "typo"
    assert index.search("Ministry", types=["urn:test:Observation"]) == []


def test_a_large_load_keeps_the_indexes_of_a_small_one(tmp_path: Path) -> None:
    small, large = tmp_path / "small.sqlite", tmp_path / "large.sqlite"
    NameIndex.open(small).replace_graph("urn:g", many_names(10))
    NameIndex.open(large).replace_graph("urn:g", many_names())
    assert index_names(large) == index_names(small) != set()


def test_a_large_load_replaces_one_graph_and_keeps_the_others(tmp_path: Path) -> None:
    index = NameIndex.open(tmp_path / "names.sqlite")
    index.replace_graph(
        "urn:other", [NameRecord("urn:test:moe", "Ministry of Education", "en", "label")]
    )
    index.replace_graph("urn:g", many_names())
    index.replace_graph("urn:g", many_names())  # a reload
    assert index.graphs() == ["urn:g", "urn:other"]
    assert len(index) == MANY + 2
    assert index.search("MOE", limit=1)[0].iri == "urn:test:moe"
    index.replace_graph("urn:g", [])
    assert len(index) == 1


def test_readers_see_the_old_names_until_a_large_load_commits(tmp_path: Path) -> None:
    path = tmp_path / "names.sqlite"
    writer = NameIndex.open(path)
    writer.replace_graph("urn:g", [NameRecord("urn:test:old", "Old Ministry", "en", "label")])
    reader = NameIndex.open(path)
    seen_while_loading: list[list[str]] = []

    def records() -> Iterator[NameRecord]:
        for i, record in enumerate(many_names()):
            if i == MANY - 1:  # well into the load: its inserts are written, not committed
                seen_while_loading.append([h.iri for h in reader.search("Old Ministry")])
                seen_while_loading.append([h.iri for h in reader.search("MIIT")])
            yield record

    writer.replace_graph("urn:g", records())
    assert seen_while_loading == [["urn:test:old"], []]
    assert [h.iri for h in reader.search("MIIT")] == [AGENCY]
    assert reader.search("Old Ministry") == []


def test_an_interrupted_large_load_leaves_the_names_and_indexes_as_they_were(
    tmp_path: Path,
) -> None:
    path = tmp_path / "names.sqlite"
    index = NameIndex.open(path)
    index.replace_graph("urn:g", [NameRecord("urn:test:old", "Old Ministry", "en", "label")])
    before = index_names(path)
    with pytest.raises(RuntimeError, match="interrupted"):
        index.replace_graph("urn:g", many_names(fail_after=MANY - 10))
    index.close()
    reopened = NameIndex.open(path)
    assert [h.iri for h in reopened.search("Old Ministry")] == ["urn:test:old"]
    assert reopened.search("MIIT") == []
    assert index_names(path) == before != set()
