"""The bundled data's name index, kept as a file in a per-user cache (`ipgraph.data.cache_dir`),
so that a command on the default memory store does not build it again on every start.

The file's name holds a key (a hash of ipgraph's version, of the code that builds name indexes
and of the bundled files' content, `content_key`) and a digest of the file's own bytes. It is
built in a temporary file and renamed into place, never written again, and opened read-only
once its bytes match its digest. Writing one keeps the newest few files of other keys (other
installed versions) and removes older ones. When anything is amiss (no cache folder, a
read-only one, a corrupt or truncated file), `cached_index` answers None and the caller builds
the index in memory as before: a cache never causes an error.

>>> import tempfile
>>> from ipgraph.store.names import NameRecord
>>> def records():
...     return [NameRecord("urn:moe", "Ministry of Education", "en", "label")]
>>> with tempfile.TemporaryDirectory() as folder:
...     index = cached_index(Path(folder), "k1", records)
...     files = [p.name.startswith("names-k1-") for p in Path(folder).iterdir()]
...     hits = [h.iri for h in index.search("MOE")]
>>> files, hits
([True], ['urn:moe'])
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from ipgraph.data import installed_version
from ipgraph.errors import StoreError
from ipgraph.store import namedb, namerecords, names, nametext
from ipgraph.store.names import NameIndex, NameRecord

__all__ = ["GRAPH", "cached_index", "content_key"]

GRAPH = "urn:ipgraph:names"
"""The one graph the cached index keeps its names under."""

_DIGEST = 24  # hex characters of the file's SHA-256 in its name: a truncated file never matches
_STALE_TEMP = 3600  # seconds after which a temporary file is a crashed writer's, not a live one
_KEEP_OTHERS = 3  # indexes of other keys kept (other installed versions take turns, no rebuild)
_ERRORS = (OSError, sqlite3.Error, StoreError, ValueError)


def content_key(files: Sequence[Path]) -> str:
    """A hash of ipgraph's version, the code that builds name indexes and the files' names
    and bytes: the index of the same files by the same code has the same key.

    Raises:
        OSError: a file cannot be read.

    >>> from ipgraph import data
    >>> len(content_key(data.bundled_files()))
    32
    """
    digest = hashlib.sha256()

    def add(part: bytes) -> None:  # length first: no two sequences of parts hash alike
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)

    add(installed_version().encode("utf-8"))
    # a change of the index's format or of how it reads names changes the key
    for module in (names, namedb, nametext, namerecords):
        add(Path(module.__file__ or "").read_bytes())
    for path in files:
        add(path.name.encode("utf-8"))
        add(path.read_bytes())
    return digest.hexdigest()[:32]


def cached_index(
    folder: Path | None,
    key: str,
    records: Callable[[], Iterable[NameRecord]],
    type_weights: Mapping[str, float] | None = None,
) -> NameIndex | None:
    """The name index stored under ``key`` in ``folder``, opened read-only; built from
    ``records()`` and stored there first if it is not. None when the folder cannot serve:
    the caller then builds the index in memory.

    Args:
        folder: the cache folder (created if missing), or None for no cache.
        key: what the index is of (`content_key`); letters and digits.
        records: the names to index, called only when the file has to be built.
        type_weights: as for `NameIndex.open`.
    """
    if folder is None:
        return None
    index = _open_cached(folder, key, type_weights)
    if index is not None:
        return index
    try:
        path = _write(folder, key, records)
    except _ERRORS:
        return None
    _prune(folder, keep=path)
    return _open_cached(folder, key, type_weights)


def _open_cached(
    folder: Path, key: str, type_weights: Mapping[str, float] | None
) -> NameIndex | None:
    try:
        candidates = sorted(folder.glob(f"names-{key}-*.sqlite"))
    except OSError:
        return None
    for path in candidates:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest()[:_DIGEST] != path.stem.rsplit("-", 1)[-1]:
            with contextlib.suppress(OSError):  # corrupt: the next writer puts a good one
                path.unlink()
            continue
        try:
            # immutable: the file never changes once renamed into place, so no locks and no
            # journal files are needed, and a read-only folder serves as well
            db = sqlite3.connect(
                path.as_uri() + "?mode=ro&immutable=1",
                uri=True,
                check_same_thread=False,
                isolation_level=None,
            )
            db.execute("SELECT COUNT(*) FROM names").fetchone()
        except sqlite3.Error:
            continue
        return NameIndex(db, type_weights)
    return None


def _write(folder: Path, key: str, records: Callable[[], Iterable[NameRecord]]) -> Path:
    """Build the index in a temporary file of ``folder`` and rename it into place."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".names-{key}-", suffix=".tmp", dir=folder)
    os.close(handle)
    temp = Path(name)
    try:
        index = NameIndex.open(temp)
        try:
            index.replace_graph(GRAPH, records())
        finally:
            index.close()
        db = sqlite3.connect(temp)
        try:  # out of WAL mode: readers then need no -wal / -shm files beside it
            db.execute("PRAGMA journal_mode = DELETE").fetchone()
        finally:
            db.close()
        digest = hashlib.sha256(temp.read_bytes()).hexdigest()[:_DIGEST]
        path = folder / f"names-{key}-{digest}.sqlite"
        os.replace(temp, path)  # atomic: a reader sees no file or the whole file
        return path
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm"), Path(f"{temp}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _prune(folder: Path, keep: Path) -> None:
    """Remove all but the newest few indexes of other keys (older data or versions) and
    crashed writers' temporary files."""
    now = time.time()
    try:
        others = []
        for path in folder.glob("names-*.sqlite"):
            with contextlib.suppress(OSError):
                if path != keep:
                    others.append((path.stat().st_mtime, path))
        for _, path in sorted(others, reverse=True)[_KEEP_OTHERS:]:
            with contextlib.suppress(OSError):
                path.unlink()
        for path in folder.glob(".names-*.tmp*"):
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime > _STALE_TEMP:
                    path.unlink()
    except OSError:
        pass
