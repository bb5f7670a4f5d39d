"""The directory of an embedded store: recognised by its marker, written under one lock, and
never losing a file it did not create.

``PATH`` holds:

``ipgraph.json``
    the metadata, with the marker ``"format": "ipgraph-oxigraph"`` written when the store was
    created, and ``"data"``: the name of the current data directory (``data-N``) or null.
``ipgraph.lock``
    the writers' lock: a writer holds an exclusive `fcntl.flock` on it from before it reads
    the metadata until its new data directory is current and the stale ones are gone.
``data-N/``
    Oxigraph (RocksDB) data directories. Only the current one is live; a writer stages the
    next one beside it.
``data-N.lock``
    whoever reads ``data-N`` holds a shared lock on it, so no writer removes it underneath.

Opening never deletes anything. Only a writer holding the lock removes a ``data-N`` directory
(a plain directory whose name is exactly ``data-`` and digits, inside ``PATH``, that looks like
a database, and that no reader holds). A directory with other files and no marker is refused.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp()) / "kgdb"
>>> store_dir = StoreDirectory(root)
>>> store_dir.read_meta()["format"], store_dir.current(store_dir.read_meta())
('ipgraph-oxigraph', None)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ipgraph.errors import StoreBusy, StoreError

try:  # POSIX; elsewhere the store works without inter-process locks
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["LOCK_FILE", "MARKER", "META_FILE", "StoreDirectory", "is_data_name"]

MARKER = "ipgraph-oxigraph"
META_FILE = "ipgraph.json"
LOCK_FILE = "ipgraph.lock"
_DATA_NAME = re.compile(r"data-(\d{1,9})\Z")
_LEGACY_KEYS = {"data", "files", "paths", "prefixes", "quads", "sizes", "updated", "names", "stats"}
"""Keys of the metadata ipgraph writes (without the marker in stores made before it)."""
_OWN_FILES = {META_FILE, LOCK_FILE, META_FILE + ".tmp"}


def is_data_name(name: object) -> bool:
    """Whether a name is one ipgraph gives a data directory: ``data-`` and digits, nothing else.

    >>> is_data_name("data-3"), is_data_name("../x/data-3"), is_data_name("data-keep")
    (True, False, False)
    """
    return isinstance(name, str) and _DATA_NAME.match(name) is not None


class StoreDirectory:
    """An ipgraph store directory (see the module docstring), created when missing or empty.

    Args:
        path: the directory.

    Raises:
        StoreError: ``path`` is a file, a bare Oxigraph database, a directory holding files
            of its own without ipgraph's marker, or cannot be created.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock: IO[str] | None = None
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path} is a file, not an ipgraph store directory")
        if (path / "CURRENT").exists():
            raise StoreError(
                f"{path} is a bare Oxigraph database; ipgraph keeps its own layout "
                "(PATH/ipgraph.json + PATH/data-N): point it at a new directory and run "
                "`ipgraph load` there, or serve this one with `oxigraph serve` and use sparql:"
            )
        if (path / META_FILE).is_file():
            self.read_meta()  # refuses metadata that is not ipgraph's
            return
        try:
            names = sorted(child.name for child in path.iterdir()) if path.is_dir() else []
            foreign = [name for name in names if name not in _OWN_FILES]
        except OSError as exc:
            raise StoreError(f"cannot read the store directory {path}: {_why(exc)}") from None
        if foreign:
            shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            raise StoreError(
                f"{path} is not an ipgraph store (it holds {shown} and no {META_FILE}); "
                "give --store oxigraph: a new or empty directory"
            )
        try:
            path.mkdir(parents=True, exist_ok=True)
            with self.writing():
                if not (path / META_FILE).exists():
                    self.save_meta({"format": MARKER, "version": 1, "data": None})
        except OSError as exc:
            raise StoreError(f"cannot create the store directory {path}: {_why(exc)}") from None

    # -- metadata -----------------------------------------------------------------------------

    def read_meta(self) -> dict[str, Any]:
        """The metadata, checked: ipgraph's marker (or an older ipgraph store's keys) and a
        ``data`` entry naming a ``data-N`` directory of this store.

        Raises:
            StoreError: the file is unreadable, not ipgraph's, or names another directory.
        """
        where = self.path / META_FILE
        try:
            meta = json.loads(where.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StoreError(f"{where} is missing: {self.path} is not an ipgraph store") from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"{where}: unreadable store metadata ({exc})") from None
        if not isinstance(meta, dict):
            raise StoreError(f"{where}: not ipgraph store metadata (a JSON object is expected)")
        if meta.get("format") != MARKER and not (meta and set(meta) <= _LEGACY_KEYS):
            raise StoreError(
                f'{where} is not ipgraph store metadata (no "format": "{MARKER}"); '
                "give --store oxigraph: a new or empty directory"
            )
        data = meta.get("data")
        if data is not None and not is_data_name(data):
            raise StoreError(
                f'{where}: "data" must name a data-N directory of the store, not {data!r}; '
                "the file was edited or damaged: load into a new directory"
            )
        return meta

    def current(self, meta: dict[str, Any]) -> str | None:
        """The current data directory's name from checked metadata (None: no data yet)."""
        data = meta.get("data")
        return data if is_data_name(data) else None

    def save_meta(self, meta: dict[str, Any]) -> None:
        """Replace the metadata in one atomic rename (the commit point of a write); call it
        holding the lock (`writing`)."""
        meta = {**meta, "format": MARKER, "version": 1}
        temporary = self.path / (META_FILE + ".tmp")
        temporary.write_text(json.dumps(meta, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path / META_FILE)

    # -- the writers' lock ----------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the writers' lock (exclusive, taken before anything is read or removed).

        Raises:
            StoreBusy: another process is writing to the store.
        """
        if self._lock is not None:  # re-entered by the same writer
            yield
            return
        handle = (self.path / LOCK_FILE).open("a", encoding="utf-8")
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise StoreBusy(
                        f"another process is writing to the store {self.path} (an `ipgraph "
                        "load`?); wait for it to finish, then run this again"
                    ) from None
            self._lock = handle
            yield
        finally:
            self._lock = None
            handle.close()  # releases the lock

    # -- data directories ------------------------------------------------------------------------

    def pin(self, name: str) -> IO[str] | None:
        """Hold a shared lock on ``data-N`` so that no writer removes it while it is read.

        Returns:
            The open lock file (closing it releases the lock); None when the directory is gone
            (a writer replaced it meanwhile: read the metadata again). On a read-only file
            system, where nobody can remove it, an unlocked handle on the metadata.
        """
        lock_path = self.path / f"{name}.lock"
        try:
            handle = lock_path.open("a", encoding="utf-8")
        except OSError:
            return (self.path / META_FILE).open(encoding="utf-8") if self._is_data(name) else None
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
        try:
            same = os.fstat(handle.fileno()).st_ino == lock_path.stat().st_ino
        except FileNotFoundError:
            same = False
        if same and self._is_data(name):
            return handle
        handle.close()
        return None

    def next_name(self) -> str:
        """A name for a new data directory: one past every ``data-N`` present."""
        numbers = [int(m.group(1)) for m in map(_DATA_NAME.match, self._names()) if m]
        return f"data-{max(numbers, default=-1) + 1}"

    def remove_stale(self, keep: str | None) -> None:
        """Remove the data directories (and their lock files) of interrupted or superseded
        writes that no reader holds. Only while `writing`; only ``data-N`` entries."""
        assert self._lock is not None, "remove_stale needs the writers' lock"
        for name in self._names():
            stem = name.removesuffix(".lock")
            if not is_data_name(stem) or stem == keep:
                continue
            directory = self.path / stem
            if directory.is_symlink() or (directory.exists() and not self._is_data(stem)):
                continue  # not a directory ipgraph made: never touch it
            lock_path = self.path / f"{stem}.lock"
            handle = lock_path.open("a", encoding="utf-8")
            try:
                if fcntl is not None:
                    try:
                        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        continue  # a reader still uses it: the next writer removes it
                if directory.exists():
                    shutil.rmtree(directory, ignore_errors=True)
                lock_path.unlink(missing_ok=True)
            finally:
                handle.close()

    def _names(self) -> list[str]:
        return sorted(child.name for child in self.path.iterdir())

    def _is_data(self, name: str) -> bool:
        """Whether ``PATH/name`` is a real directory of this store that looks like a database
        (or is empty, as a staging directory can be)."""
        directory = self.path / name
        if not is_data_name(name) or directory.is_symlink() or not directory.is_dir():
            return False
        if directory.resolve().parent != self.path.resolve():
            return False
        entries = {child.name for child in directory.iterdir()}
        return not entries or bool(entries & {"CURRENT", "IDENTITY", "LOCK"})


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
