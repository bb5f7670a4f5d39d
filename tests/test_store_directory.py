"""The embedded store's directory (`ipgraph.store.directory`): recognised by its marker, never
deleting what it did not create, written under one lock that readers never break."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ipgraph.errors import StoreBusy, StoreError
from ipgraph.store import open_store
from ipgraph.store.directory import MARKER, StoreDirectory
from ipgraph.vocab import GRAPH

Run = Callable[..., Result]
Writer = Callable[[str, str], Path]
TRIPLE = "<urn:a> <urn:p> <urn:b> .\n"


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every file and directory under ``root`` with its bytes (directories: None)."""
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def test_a_new_store_carries_its_marker(tmp_path: Path) -> None:
    open_store(f"oxigraph:{tmp_path / 'db'}")
    meta = json.loads((tmp_path / "db" / "ipgraph.json").read_text(encoding="utf-8"))
    assert meta["format"] == MARKER and meta["data"] is None


def test_folders_the_store_did_not_make_survive_loads(tmp_path: Path, write: Writer) -> None:
    # Regression: opening a store removed every data-* folder in it.
    root = tmp_path / "db"
    store = open_store(f"oxigraph:{root}")
    for name in ("data-keep", "data-7"):  # data-7 looks like ours but holds no database
        (root / name).mkdir()
        (root / name / "notes.txt").write_text("mine", encoding="utf-8")
    store.load_files([write("a.nt", TRIPLE)])
    open_store(f"oxigraph:{root}").load_files([write("b.nt", TRIPLE)])
    for name in ("data-keep", "data-7"):
        assert (root / name / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("data", ["../victim", "../victim/data-1", "/tmp", "data-1/../..", 7])
def test_metadata_naming_a_directory_outside_the_store_is_refused(
    tmp_path: Path, write: Writer, data: object
) -> None:
    # Regression: {"data": "../x"} in ipgraph.json made a load delete a directory outside.
    victim = tmp_path / "victim"
    (victim / "data-1").mkdir(parents=True)
    (victim / "data-1" / "CURRENT").write_text("precious", encoding="utf-8")
    root = tmp_path / "db"
    root.mkdir()
    (root / "ipgraph.json").write_text(json.dumps({"data": data}), encoding="utf-8")
    before = _tree(tmp_path)
    with pytest.raises(StoreError, match=r"must name a data-N directory") as caught:
        open_store(f"oxigraph:{root}")
    assert "\n" not in str(caught.value)
    assert _tree(tmp_path) == before


def test_a_foreign_directory_is_refused_and_left_alone(tmp_path: Path, run: Run) -> None:
    # Regression: --store oxigraph:/etc wrote a data directory into /etc.
    foreign = tmp_path / "etc"
    foreign.mkdir()
    (foreign / "passwd").write_text("root:x:0:0\n", encoding="utf-8")
    (foreign / "data-0").mkdir()
    before = _tree(foreign)
    with pytest.raises(StoreError, match=r"is not an ipgraph store .*new or empty directory"):
        open_store(f"oxigraph:{foreign}")
    result = run("info", "--store", f"oxigraph:{foreign}")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "not an ipgraph store" in result.stderr and "Traceback" not in result.output
    (foreign / "ipgraph.json").write_text('{"owner": "someone else"}', encoding="utf-8")
    with pytest.raises(StoreError, match="not ipgraph store metadata"):
        open_store(f"oxigraph:{foreign}")
    (foreign / "ipgraph.json").unlink()
    assert _tree(foreign) == before


def test_an_older_stores_metadata_is_still_recognised(tmp_path: Path, write: Writer) -> None:
    root = tmp_path / "db"
    open_store(f"oxigraph:{root}").load_files([write("a.nt", TRIPLE)])
    meta = json.loads((root / "ipgraph.json").read_text(encoding="utf-8"))
    del meta["format"], meta["version"]
    (root / "ipgraph.json").write_text(json.dumps(meta), encoding="utf-8")
    assert open_store(f"oxigraph:{root}").graph_names() == [GRAPH["a"]]


def test_a_second_writer_is_refused_while_the_first_holds_the_lock(
    tmp_path: Path, write: Writer
) -> None:
    root = tmp_path / "db"
    store = open_store(f"oxigraph:{root}")
    with StoreDirectory(root).writing():
        with pytest.raises(StoreBusy, match="another process is writing"):
            store.load_files([write("a.nt", TRIPLE)])
        assert len(open_store(f"oxigraph:{root}")) == 0  # reading is never refused
    store.load_files([write("a.nt", TRIPLE)])
    assert len(store) == 1


def test_readers_never_remove_a_writers_staging_directory(tmp_path: Path, write: Writer) -> None:
    # Regression: opening the store removed the running load's staging directory.
    root = tmp_path / "db"
    open_store(f"oxigraph:{root}").load_files([write("a.nt", TRIPLE)])
    staging = root / "data-9"
    with StoreDirectory(root).writing():
        staging.mkdir()
        (staging / "CURRENT").write_text("being written", encoding="utf-8")
        reader = open_store(f"oxigraph:{root}")
        assert reader.graph_names() == [GRAPH["a"]]
        assert (staging / "CURRENT").exists()
    open_store(f"oxigraph:{root}").load_files([write("b.nt", TRIPLE)])  # a writer cleans up
    assert not staging.exists()


def test_a_reader_keeps_its_data_while_a_writer_replaces_it(tmp_path: Path, write: Writer) -> None:
    root = tmp_path / "db"
    open_store(f"oxigraph:{root}").load_files([write("a.nt", TRIPLE)])
    reader = open_store(f"oxigraph:{root}")
    held = reader.data_dir  # type: ignore[attr-defined]
    open_store(f"oxigraph:{root}").load_files([write("b.nt", TRIPLE)])
    assert held.is_dir() and reader.graph_names() == [GRAPH["a"]]  # its snapshot, intact
    del reader
    open_store(f"oxigraph:{root}").load_files([write("c.nt", TRIPLE)])
    assert not held.exists()  # released: the next writer removed it


LOADER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ipgraph.store import open_store

    root, big, go = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    store = open_store(f"oxigraph:{root}")
    seen = []

    def progress(count):
        if not seen:  # the first block is read: the staging directory exists
            seen.append(count)
            (root.parent / "loading").touch()
            deadline = time.monotonic() + 60
            while not go.exists() and time.monotonic() < deadline:
                time.sleep(0.05)

    loaded = store.load_files([big], progress=progress)
    print(sum(item.triples for item in loaded))
    """
)


@pytest.mark.slow
def test_a_reader_process_does_not_break_a_running_load(tmp_path: Path, write: Writer) -> None:
    # Regression: `ipgraph info` during `ipgraph load` removed the load's staging files.
    root = tmp_path / "db"
    open_store(f"oxigraph:{root}").load_files([write("small.nt", TRIPLE)])
    big = write("big.nt", "".join(f"<urn:s{i}> <urn:p> <urn:o{i}> .\n" for i in range(20000)))
    go = tmp_path / "go"
    loader = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(root), str(big), str(go)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "loading").exists():
            assert loader.poll() is None, loader.stderr.read() if loader.stderr else ""
            assert time.monotonic() < deadline, "the load did not start"
            time.sleep(0.05)
        reader = subprocess.run(
            [sys.executable, "-m", "ipgraph.cli", "info", "--store", f"oxigraph:{root}"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert reader.returncode == 0, reader.stderr
        assert "1 triples" in reader.stdout.splitlines()[0]  # the data as committed
        go.touch()
        out, err = loader.communicate(timeout=120)
    finally:
        go.touch()
        if loader.poll() is None:
            loader.kill()
            loader.wait()
    assert loader.returncode == 0, err
    assert out.strip() == "20000"
    assert GRAPH["big"] in open_store(f"oxigraph:{root}").graph_names()
