"""The bundled data's name index in the per-user cache (`ipgraph.store.namecache`), as the
memory store uses it: built once, reused, and never a cause of errors or wrong answers."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ipgraph import data
from ipgraph.store import MemoryStore
from ipgraph.store.namecache import cached_index, content_key
from ipgraph.store.names import NameRecord

QUERIES = ["MIIT", "ministry of educaton", "工信部", "知识产权", "NDRC"]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own (not yet created), as ``IPGRAPH_CACHE_DIR``."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("IPGRAPH_CACHE_DIR", str(folder))
    return folder


def bundled_store() -> MemoryStore:
    store = MemoryStore()
    store.load_files(data.bundled_files())
    return store


def answers(store: MemoryStore) -> list[list[tuple[str, float, str]]]:
    names = store.names()
    return [[(h.iri, h.score, h.how) for h in names.search(q, limit=5)] for q in QUERIES]


def in_memory_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The answers with no usable cache (its folder cannot be created: a file is in the way)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with monkeypatch.context() as patch:
        patch.setenv("IPGRAPH_CACHE_DIR", str(blocker / "cache"))
        return list(answers(bundled_store()))


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


def test_the_bundled_index_is_written_once_then_reused(cache: Path) -> None:
    first = answers(bundled_store())
    [file] = cache_files(cache)  # one file, no temporary or journal files left beside it
    assert file.name.startswith("names-") and file.suffix == ".sqlite"
    before = file.stat()

    second = answers(bundled_store())
    after = file.stat()
    assert cache_files(cache) == [file]
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert second == first
    assert first[0][0][0].endswith("/agency/miit")


def test_a_cached_index_is_not_built_again(tmp_path: Path) -> None:
    calls = []

    def records() -> list[NameRecord]:
        calls.append(1)
        return [NameRecord("urn:moe", "Ministry of Education", "en", "label")]

    assert cached_index(tmp_path, "k", records) is not None
    index = cached_index(tmp_path, "k", records)
    assert index is not None and [h.iri for h in index.search("MOE")] == ["urn:moe"]
    assert len(calls) == 1


def test_writing_keeps_the_newest_few_indexes_of_other_keys(tmp_path: Path) -> None:
    for age in range(5):  # indexes of other versions, the oldest last
        old = tmp_path / f"names-other{age}-0.sqlite"
        old.write_bytes(b"")
        os.utime(old, (1_000_000 - age, 1_000_000 - age))
    cached_index(tmp_path, "k", lambda: [NameRecord("urn:x", "X", "en", "label")])
    left = sorted(p.name.split("-")[1] for p in cache_files(tmp_path))
    assert left == ["k", "other0", "other1", "other2"]


def test_the_cached_index_answers_as_one_built_in_memory(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers(bundled_store())  # writes the cache
    assert answers(bundled_store()) == in_memory_answers(tmp_path, monkeypatch)


def test_the_cached_index_is_opened_read_only(tmp_path: Path) -> None:
    def records() -> list[NameRecord]:
        return [NameRecord("urn:moe", "Ministry of Education", "en", "label")]

    cached_index(tmp_path, "k", records)
    index = cached_index(tmp_path, "k", records)
    assert index is not None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        index.replace_graph("urn:g", records())


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b"not a database at all" * 100, id="garbage"),
        pytest.param(lambda b: b[: len(b) // 2], id="truncated"),
        pytest.param(lambda b: b[:4096] + bytes(len(b) - 4096), id="zeroed"),
    ],
)
def test_a_corrupt_cache_file_still_gives_correct_answers(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    expected = in_memory_answers(tmp_path, monkeypatch)
    answers(bundled_store())
    [file] = cache_files(cache)
    file.write_bytes(damage(file.read_bytes()))  # type: ignore[operator]

    assert answers(bundled_store()) == expected
    [healed] = cache_files(cache)  # the bad file was replaced by a good one
    assert answers(bundled_store()) == expected
    assert cache_files(cache) == [healed]


def test_an_unwritable_cache_folder_still_gives_correct_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = in_memory_answers(tmp_path, monkeypatch)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("IPGRAPH_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    assert answers(bundled_store()) == expected


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_still_gives_correct_answers(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = in_memory_answers(tmp_path, monkeypatch)
    cache.mkdir()
    cache.chmod(0o555)
    try:
        assert answers(bundled_store()) == expected
        assert cache_files(cache) == []
    finally:
        cache.chmod(0o755)


def test_only_the_bundled_data_uses_the_cache(cache: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        '<urn:x:zephyr> <http://www.w3.org/2000/01/rdf-schema#label> "Zephyr Bureau"@en .\n',
        encoding="utf-8",
    )
    store = MemoryStore()
    store.load_files([*data.bundled_files(), extra])
    assert not store.holds_only_bundled()
    assert [h.iri for h in store.names().search("Zephyr Bureau")] == ["urn:x:zephyr"]
    assert cache_files(cache) == []


def test_data_replaced_after_the_load_is_indexed_in_memory(cache: Path) -> None:
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDFS

    store = bundled_store()
    store.replace_graphs(
        {URIRef("urn:g"): Graph().add((URIRef("urn:x:q"), RDFS.label, Literal("Quasar Office")))}
    )
    assert not store.holds_only_bundled()
    assert [h.iri for h in store.names().search("Quasar Office")] == ["urn:x:q"]
    assert cache_files(cache) == []


def test_different_bundled_content_gives_a_different_key(tmp_path: Path) -> None:
    copies = []
    for path in data.bundled_files():
        copy = tmp_path / path.name
        shutil.copyfile(path, copy)
        copies.append(copy)
    assert content_key(copies) == content_key(data.bundled_files())  # content, not location
    with copies[-1].open("a", encoding="utf-8") as f:
        f.write("\n# one more line\n")
    assert content_key(copies) != content_key(data.bundled_files())
    assert content_key(copies[:-1]) != content_key(data.bundled_files())


def test_find_in_fresh_processes_builds_the_cache_once(tmp_path: Path) -> None:
    env = {**os.environ, "IPGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "ipgraph.cli", "find", "MIIT"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    [file] = cache_files(tmp_path / "cache")
    inode = file.stat().st_ino
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout and "agency:miit" in first.stdout
    assert second.stderr == ""
    assert [f.stat().st_ino for f in cache_files(tmp_path / "cache")] == [inode]
