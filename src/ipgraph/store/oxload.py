"""What an Oxigraph load reads besides the data: file fingerprints (to skip unchanged files),
the records of files that moved (another checkout or install of the same files: nothing to
load), a reader that reports progress, and the size of each named graph.

>>> from pathlib import Path
>>> sorted(fingerprint(Path(__file__)))
['mtime_ns', 'size']
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from rdflib import URIRef

from ipgraph import data, formats
from ipgraph.errors import DataError
from ipgraph.loader import graph_name, rdf_format
from ipgraph.store.base import Progress, Store, qualified_graph_name, reads_graphs

__all__ = [
    "CountingReader",
    "Plan",
    "count_graphs",
    "fingerprint",
    "plan",
    "rekey_moved",
    "sha256",
]

Plan = list[tuple[Path, dict[str, Any]]]
"""The files a load writes, each with its new record (fingerprint and SHA-256)."""


def fingerprint(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class CountingReader:
    """A binary file wrapper that reports bytes read to a progress callback."""

    def __init__(self, handle: IO[bytes], progress: Progress) -> None:
        self._handle = handle
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        block = self._handle.read(size)
        self._progress(len(block))
        return block

    def readinto(self, buffer: bytearray | memoryview) -> int:
        count = self._handle.readinto(buffer)  # type: ignore[attr-defined]
        self._progress(count or 0)
        return int(count or 0)

    def readable(self) -> bool:
        return True


def count_graphs(store: Any) -> dict[URIRef, int]:
    counts: dict[URIRef, int] = {}
    for row in store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    ):
        counts[URIRef(row["g"].value)] = int(row["n"].value)
    return counts


def plan(
    store: Store,
    meta: dict[str, Any],
    files: Sequence[Path],
    only_changed: bool,
    progress: Progress | None,
) -> Plan:
    """The files a load writes, with their new records: all of them, or with
    ``only_changed`` those whose size, modification time and SHA-256 differ from the records
    in the metadata ``meta`` (``files``), less those that moved (`rekey_moved`). The records
    of the files skipped are brought up to date in ``meta``."""
    records: dict[str, Any] = meta.setdefault("files", {})
    todo: Plan = []
    for path in files:
        key = str(path.resolve())
        print_ = fingerprint(path)
        old: dict[str, Any] = records.get(key, {}) if only_changed else {}
        unchanged = bool(old) and all(old.get(k) == v for k, v in print_.items())
        digest = old.get("sha256") if unchanged else sha256(path)  # hash touched files only
        if old and old.get("sha256") == digest:
            records[key] = {**old, **print_}
            if progress is not None:
                progress(print_["size"])
            continue
        todo.append((path, {**print_, "sha256": digest}))
    if only_changed and todo:
        todo, moved = rekey_moved(store, meta, todo, files)
        for path in moved:
            if progress is not None:
                progress(path.stat().st_size)
    return todo


def rekey_moved(
    store: Store, meta: dict[str, Any], todo: Plan, files: Sequence[Path]
) -> tuple[Plan, list[Path]]:
    """Take the files of ``todo`` that moved off ``todo``: a file with no record at its path
    whose name and SHA-256 are those of a recorded file not in this load (the same bundled
    files in another checkout, venv or install) holds the same data, when that is certain:

    - every graph the recorded file wrote still comes from a file of that name and content
      (``meta["paths"]``), so no other file replaced one since;
    - the file would write the same graphs: the graph of its triples outside any named graph
      (`Store.default_graphs`, once its graphs come from it) is the one it had, or none of the
      graphs it wrote can be that one (a TriG file with named graphs only);
    - its data does not depend on where it lies: it resolves no relative IRI against its
      location (`base_free`), and no load would refuse it (`Store.check_graphs`).

    Its record moves to its path, and the graphs it wrote now come from there (in ``meta``,
    committed with the rest of the metadata). Returns the files still to load and those
    that moved.
    """
    records: dict[str, Any] = meta["files"]
    loading = {str(path.resolve()) for path in files}
    bundled = {str(path) for path in data.bundled_paths()}  # a file of this install stays
    sources: dict[tuple[str, Any], list[str]] = {}
    for key, record in records.items():
        if key not in loading and key not in bundled and isinstance(record.get("graphs"), list):
            sources.setdefault((Path(key).name, record.get("sha256")), []).append(key)
    owners: dict[str, str] = meta.get("paths", {})
    moves: dict[Path, str] = {}  # file to load -> the key of the record it takes
    for path, record in todo:
        same = sources.get((path.name, record["sha256"]), [])
        if str(path.resolve()) in records or not same:
            continue  # a changed file, or a new one
        for key in same:
            graphs = records[key]["graphs"]
            held = [owners.get(g) for g in graphs]
            if key not in moves.values() and all(
                owner is not None and str(Path(owner).resolve()) in same for owner in held
            ):
                moves[path] = key
                break
    while moves:  # names depend on which file holds which graph: settle them together
        paths = dict(owners)
        for path, key in moves.items():
            paths.update(dict.fromkeys(records[key]["graphs"], str(path)))
        defaults = store.default_graphs(files, paths)
        wrong = [
            path
            for path, key in moves.items()
            if not _writes(path, key, records[key]["graphs"], defaults[path.resolve()], store)
        ]
        if not wrong:
            break
        for path in wrong:
            del moves[path]
    if not moves:
        return todo, []
    for path, record in todo:
        if path in moves:
            records[str(path.resolve())] = {**records.pop(moves[path]), **record}
    meta["paths"] = paths
    return [(path, record) for path, record in todo if path not in moves], list(moves)


def _writes(path: Path, key: str, graphs: list[str], default: URIRef, store: Store) -> bool:
    """Whether ``path`` would write ``graphs``, as the file at ``key`` did."""
    if reads_graphs(path):
        # its triples outside a named graph went to graph/{stem} or graph/{stem}-{hash}
        before = {str(graph_name(path)), str(qualified_graph_name(Path(key)))} & set(graphs)
        if before - {str(default)}:
            return False
    elif graphs != [str(default)]:
        return False
    try:
        store.check_graphs(path, [URIRef(g) for g in graphs])
    except DataError:
        return False
    return base_free(path)


def base_free(path: Path) -> bool:
    """Whether a file's data is the same wherever it lies: it parses without a base IRI, so
    it resolves no relative IRI against its location.

    >>> base_free(data.vocabulary_file())
    True
    """
    import pyoxigraph as ox

    fmt = getattr(ox.RdfFormat, str(formats.by_name(rdf_format(path)).oxigraph))
    try:
        for _ in ox.parse(path=str(path), format=fmt):
            pass
    except (SyntaxError, ValueError, OSError):
        return False
    return True
