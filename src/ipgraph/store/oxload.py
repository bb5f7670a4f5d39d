"""What an Oxigraph load reads besides the data: file fingerprints (to skip unchanged files),
a reader that reports progress, and the size of each named graph.

>>> from pathlib import Path
>>> sorted(fingerprint(Path(__file__)))
['mtime_ns', 'size']
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import IO, Any

from rdflib import URIRef

from ipgraph.store.base import Progress

__all__ = ["CountingReader", "count_graphs", "fingerprint", "sha256"]


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
