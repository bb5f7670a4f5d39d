"""The name index's SQLite tables (`ipgraph.store.names`): the schema, opening a file or an
in-memory database, and replacing the names of one named graph, all or nothing.

Searching those tables is `ipgraph.store.names.NameIndex`'s; this module holds what a load
writes and the layout both sides rely on.

>>> tables = NameTables(connect(None))
>>> tables.replace_graph("urn:g", [NameRecord("urn:x", "X ray", None, "label")])
1
>>> tables.graphs()
['urn:g']
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from ipgraph.errors import StoreError
from ipgraph.store.namerecords import NameRecord
from ipgraph.store.nametext import analyze

__all__ = ["ID_KINDS", "NameTables", "connect"]

ID_KINDS = ("identifier", "notation")
"""Kinds of names that identify rather than name (no acronyms; matched as ``identifier``)."""

# A name's rowid is (number of terms << 40 | sequence number): full-text matches come in rowid
# order, so the first candidates read are the shortest names, which the query covers best.
_SEQ_BITS = 40
_SEQ_MASK = (1 << _SEQ_BITS) - 1
_MAX_SIZE = (1 << 22) - 1
_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS graphs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS names (
    id INTEGER PRIMARY KEY, graph INTEGER NOT NULL, iri TEXT NOT NULL, text TEXT NOT NULL,
    lang TEXT, kind TEXT NOT NULL, key TEXT NOT NULL, size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS acronyms (acronym TEXT NOT NULL, name INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS types (
    graph INTEGER NOT NULL, iri TEXT NOT NULL, type TEXT NOT NULL,
    PRIMARY KEY (iri, type, graph)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS words (
    word TEXT PRIMARY KEY, first TEXT NOT NULL, last TEXT NOT NULL, size INTEGER NOT NULL
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS name_terms
    USING fts5 (terms, content = '', tokenize = 'porter unicode61 remove_diacritics 2');
"""
# Secondary indexes, apart: a large load drops them and builds them again after its inserts
# (sorting once is several times cheaper than keeping them in step row by row).
_INDEXES = {
    "names_graph": "names (graph)",
    "names_key": "names (key)",
    "names_iri": "names (iri)",
    "acronyms_acronym": "acronyms (acronym)",
    "acronyms_name": "acronyms (name)",
    "types_type": "types (type, iri)",
    "types_graph": "types (graph)",
    "words_first": "words (first, size)",
    "words_last": "words (last, size)",
}
_BULK = 20_000  # names from which a load drops the secondary indexes while it inserts


def connect(path: str | Path | None) -> sqlite3.Connection:
    """Open (creating if new) the name tables in the file ``path``, or in memory for None.

    Raises:
        StoreError: the file cannot be opened or is not a name index of this version.

    >>> connect(None).execute("SELECT COUNT(*) FROM names").fetchone()
    (0,)
    """
    target = ":memory:" if path is None else str(path)
    try:
        db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, _SCHEMA_VERSION):
            raise StoreError(
                f"{target} is a name index of version {version}, not {_SCHEMA_VERSION}; "
                "delete it and load the data again"
            )
        if target != ":memory:":
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")  # durable at checkpoints; safe in WAL
        db.execute("PRAGMA cache_size = -65536")  # 64 MiB: index pages stay in memory
        db.executescript(_SCHEMA)
        for index, on in _INDEXES.items():
            db.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {on}")
        db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the name index {target}: {exc}") from None
    return db


class NameTables:
    """The names of entities per named graph in SQLite tables (see `connect`): counting,
    listing the graphs, replacing or dropping one graph's names. A file may be shared by
    threads of one process (one lock guards the connection)."""

    def __init__(
        self, connection: sqlite3.Connection, type_weights: Mapping[str, float] | None = None
    ) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self.type_weights = dict(type_weights or {})

    def __len__(self) -> int:
        """How many entities have at least one name."""
        with self._lock:
            return int(self._db.execute("SELECT COUNT(DISTINCT iri) FROM names").fetchone()[0])

    def close(self) -> None:
        """Close the database (the file keeps the names)."""
        with self._lock:
            self._db.close()

    def graphs(self) -> list[str]:
        """The named graphs that have names in the index, sorted.

        >>> NameTables(connect(None)).graphs()
        []
        """
        with self._lock:
            rows = self._db.execute(
                "SELECT name FROM graphs WHERE id IN (SELECT DISTINCT graph FROM names) "
                "ORDER BY name"
            ).fetchall()
        return [r[0] for r in rows]

    # -- data in -------------------------------------------------------------------------------

    def replace_graph(self, graph: str, records: Iterable[NameRecord], batch: int = 5000) -> int:
        """Put ``records`` in place of the names of the named graph ``graph``.

        One transaction: readers see the old names or the new, never a mix, and an interrupted
        load leaves the old. ``records`` is consumed in batches, so it may be a generator over
        a large file; from `_BULK` names on, the secondary indexes are dropped during the
        inserts and built after them, within the same transaction.

        Returns:
            How many names were stored.

        >>> index = NameTables(connect(None))
        >>> index.replace_graph("urn:g", [NameRecord("urn:x", "X ray", None, "label")])
        1
        >>> index.replace_graph("urn:g", [])
        0
        >>> len(index)
        0
        """
        records = iter(records)
        head = list(itertools.islice(records, _BULK))  # read before the write lock is taken
        bulk = len(head) == _BULK  # drop the indexes while inserting, build them after
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                if bulk:  # readers keep the indexes: they see the state before BEGIN
                    for index in _INDEXES:
                        db.execute(f"DROP INDEX IF EXISTS {index}")
                gid = self._drop(graph)
                if gid is None:
                    gid = db.execute("INSERT INTO graphs (name) VALUES (?)", (graph,)).lastrowid
                assert gid is not None
                next_id = self._last_sequence()
                stored, pending = 0, []
                seen_words: set[str] = set()
                seen_types: set[tuple[str, str]] = set()
                for record in itertools.chain(head, records):
                    pending.append(record)
                    if len(pending) >= batch:
                        next_id = self._insert(gid, next_id, pending, seen_words, seen_types)
                        stored += len(pending)
                        pending = []
                self._insert(gid, next_id, pending, seen_words, seen_types)
                stored += len(pending)
                for index, on in _INDEXES.items() if bulk else ():
                    db.execute(f"CREATE INDEX {index} ON {on}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return stored

    def drop_graph(self, graph: str) -> None:
        """Forget the names of the named graph ``graph`` (nothing happens if it has none).

        >>> NameTables(connect(None)).drop_graph("urn:nothing")
        """
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._drop(graph)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _drop(self, graph: str) -> int | None:
        row = self._db.execute("SELECT id FROM graphs WHERE name = ?", (graph,)).fetchone()
        if row is None:
            return None
        gid = int(row[0])
        db = self._db
        # This graph's names through the names (graph) index; the others' only up to one more
        # than this graph's, all the choices below need: never a scan of a large table for a
        # small graph (a reload of the bundled graphs beside millions of names).
        mine = int(db.execute("SELECT COUNT(*) FROM names WHERE graph = ?", (gid,)).fetchone()[0])
        bounded = "SELECT COUNT(*) FROM (SELECT 1 FROM names WHERE graph != ? LIMIT ?)"
        others = int(db.execute(bounded, (gid, mine + 1)).fetchone()[0])
        if not others:  # the only graph: empty the tables at once (a big reload)
            db.execute("INSERT INTO name_terms (name_terms) VALUES ('delete-all')")
            for table in ("acronyms", "names", "types"):
                db.execute(f"DELETE FROM {table}")
            return gid
        # A contentless full-text table forgets a row given its terms (an analysis each): when
        # the other graphs have fewer names, empty it and put theirs back instead.
        fewer = mine > others  # exact: others is the true count whenever it is <= mine
        if fewer:
            db.execute("INSERT INTO name_terms (name_terms) VALUES ('delete-all')")
            put = "INSERT INTO name_terms (rowid, terms) VALUES (?, ?)"
        else:
            put = "INSERT INTO name_terms (name_terms, rowid, terms) VALUES ('delete', ?, ?)"
        which = "!=" if fewer else "="
        rows = db.execute(f"SELECT id, text FROM names WHERE graph {which} ?", (gid,)).fetchall()
        db.executemany(put, ((rowid, analyze(text).terms) for rowid, text in rows))
        db.execute(
            "DELETE FROM acronyms WHERE name IN (SELECT id FROM names WHERE graph = ?)", (gid,)
        )
        db.execute("DELETE FROM names WHERE graph = ?", (gid,))
        db.execute("DELETE FROM types WHERE graph = ?", (gid,))
        return gid

    def _last_sequence(self) -> int:
        """The highest sequence number a name has: the largest rowid of each size (a rowid is
        size << 40 | sequence), each found in the rowid tree, not by reading every name.

        >>> tables = NameTables(connect(None))
        >>> tables.replace_graph("urn:g", [NameRecord("urn:x", t, None, "label") for t in "ab"])
        2
        >>> tables.replace_graph("urn:h", [NameRecord("urn:y", "c d e", None, "label")])
        1
        >>> tables._last_sequence()
        3
        """
        db, last, size = self._db, 0, 0
        while True:
            lowest = "SELECT MIN(id) FROM names WHERE id >= ?"
            first = db.execute(lowest, (size << _SEQ_BITS,)).fetchone()[0]
            if first is None:
                return last
            size = int(first) >> _SEQ_BITS
            highest = "SELECT MAX(id) FROM names WHERE id < ?"
            top = db.execute(highest, ((size + 1) << _SEQ_BITS,)).fetchone()[0]
            last, size = max(last, int(top) & _SEQ_MASK), size + 1

    def _insert(
        self,
        gid: int,
        next_id: int,
        records: list[NameRecord],
        seen_words: set[str],
        seen_types: set[tuple[str, str]],
    ) -> int:
        names: list[tuple[object, ...]] = []
        fts: list[tuple[int, str]] = []
        acronyms: list[tuple[str, int]] = []
        types: list[tuple[int, str, str]] = []
        words: list[tuple[str, str, str, int]] = []
        for record in records:
            next_id += 1
            name = analyze(record.text)
            rowid = (min(name.size, _MAX_SIZE) << _SEQ_BITS) | next_id
            names.append(
                (rowid, gid, record.iri, record.text, record.lang, record.kind, name.key,
                 name.size)
            )  # fmt: skip
            fts.append((rowid, name.terms))
            if record.kind not in ID_KINDS:
                acronyms.extend((a, rowid) for a in name.acronyms)
            for t in record.types:
                if (record.iri, t) not in seen_types:
                    seen_types.add((record.iri, t))
                    types.append((gid, record.iri, t))
            for word in name.words:
                if word not in seen_words:
                    seen_words.add(word)
                    words.append((word, word[0], word[-1], len(word)))
        db = self._db
        db.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?, ?, ?, ?)", names)
        db.executemany("INSERT INTO name_terms (rowid, terms) VALUES (?, ?)", fts)
        db.executemany("INSERT INTO acronyms VALUES (?, ?)", acronyms)
        db.executemany("INSERT OR IGNORE INTO types VALUES (?, ?, ?)", types)
        db.executemany("INSERT OR IGNORE INTO words VALUES (?, ?, ?, ?)", words)
        return next_id
