"""A persistent name index: entities by English or Chinese name, acronym or identifier.

Built on SQLite's FTS5 (standard library only), in a file beside a store or in memory. The
names of each named graph are kept apart, so reloading a graph replaces just its names
(`NameIndex.replace_graph`), and a search costs a few index lookups, never a store scan.

How a query matches, best first (``NameHit.how``):

``exact`` / ``identifier``
    the whole name or identifier, ignoring case, full-width forms, spaces and punctuation;
    an identifier also matches by its beginning (``GB/T 39551`` → ``GB/T 39551-2020``).
``acronym``
    the initials of a multi-word name (``NDRC``); a well-known Chinese short form
    (`ABBREVIATIONS`, e.g. 高校 → 高等院校) is ``abbreviation``.
``prefix``
    the beginning of a name.
``words`` / ``stem``
    every query word is in the name, as written or by its English stem (``university`` →
    ``universities``); the more of the name the query covers, the higher.
``chinese``
    Chinese text inside a name (``大学``), then Chinese characters in order (``发改委`` →
    国家发展和改革委员会, ``十四五规划``) as ``abbreviation``.
``related``
    the formal category an everyday Chinese word belongs to (`BROADER_TERMS`: ``大学`` →
    高等院校), ranked below names that hold the word itself.
``typo``
    a Latin word within two edits of an indexed word (``Minstry of Finance``).

Entity types may weigh less (``type_weights``, e.g. observations 0.5): a weight ``w`` scales a
score by ``1 - 0.1 * (1 - w)``, enough to put an entity above an observation whose name
matches about as well, never enough to beat a better way of matching. Remaining ties go to the
heavier type, then to the shorter name.

>>> index = NameIndex.open(None)
>>> moe = "https://w3id.org/ipgraph/id/agency/moe"
>>> index.replace_graph("urn:g", [NameRecord(moe, "Ministry of Education", "en", "label"),
...                               NameRecord(moe, "教育部", "zh", "label")])
2
>>> [(h.iri == moe, h.how) for h in index.search("ministry of educaton")]
[(True, 'typo')]
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from ipgraph.errors import UsageError
from ipgraph.store.namedb import ID_KINDS, NameTables, connect
from ipgraph.store.namerecords import (
    NAME_PREDICATES,
    NameRecord,
    name_records,
    records_from_triples,
)
from ipgraph.store.nametext import (
    ABBREVIATIONS,
    BROADER_TERMS,
    STOPWORDS,
    cjk_chars,
    compact,
    edit_distance,
    fold,
    has_cjk,
    in_order_span,
)

__all__ = [
    "NAME_PREDICATES",
    "NameHit",
    "NameIndex",
    "NameRecord",
    "name_records",
    "records_from_triples",
]

# Scores of the ways a query matches; within a way, coverage of the name adds up to 0.2.
EXACT, ID_PREFIX, ACRONYM, PREFIX = 1.0, 0.95, 0.9, 0.85
WORDS, CHINESE, IN_ORDER, TYPO = 0.6, 0.6, 0.5, 0.35
_NUDGE = 0.1  # a type of weight w scales scores by 1 - 0.1 * (1 - w): near-ties only
_CANDIDATES = 400  # rows read per lookup; enough for `limit` after ranking


@dataclass(frozen=True)
class NameHit:
    """One entity found by `NameIndex.search`.

    Attributes:
        iri: the entity.
        score: 1.0 for an exact name, less for looser matches (see the module docs).
        matched: the name that matched, as written.
        lang: that name's language.
        how: ``exact``, ``identifier``, ``acronym``, ``abbreviation``, ``prefix``, ``words``,
            ``stem``, ``chinese`` or ``typo``.
    """

    iri: str
    score: float
    matched: str
    lang: str | None
    how: str


_Row = tuple[int, str, str, str | None, str, str, int]  # id, iri, text, lang, kind, key, size


class NameIndex(NameTables):
    """Names of entities in SQLite FTS5, per named graph; see the module docs.

    Open it with `NameIndex.open`. A file index may be shared by threads of one process.
    """

    @classmethod
    def open(
        cls, path: str | Path | None, *, type_weights: Mapping[str, float] | None = None
    ) -> NameIndex:
        """Open (creating if new) the index in the file ``path``, or in memory for None.

        Args:
            path: an SQLite file (``kgdb/names.sqlite``), or None / ``":memory:"``.
            type_weights: rdf:type IRI → weight in [0, 1] (default 1.0) that nudges hits of
                near-equal score: e.g. observations 0.5 and passages 0.3 rank below entities.

        Raises:
            StoreError: the file cannot be opened or is not a name index of this version.

        >>> len(NameIndex.open(None))
        0
        """
        return cls(connect(path), type_weights)

    # -- search --------------------------------------------------------------------------------

    def search(
        self, text: str, limit: int = 10, types: Collection[str] | None = None
    ) -> list[NameHit]:
        """Entities named by ``text``, best first, one hit per entity.

        Args:
            text: a name or part of one, in English or Chinese, an acronym or an identifier.
            limit: how many hits at most.
            types: keep only entities with one of these rdf:type IRIs.

        Raises:
            UsageError: ``limit`` is below 1.

        >>> index = NameIndex.open(None)
        >>> _ = index.replace_graph("urn:g", [
        ...     NameRecord("urn:ndrc", "National Development and Reform Commission", "en", "label"),
        ...     NameRecord("urn:ndrc", "国家发展和改革委员会", "zh", "label")])
        >>> [(h.how, h.matched) for h in index.search("NDRC") + index.search("发改委")]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('acronym', 'National Development and Reform Commission'),
         ('abbreviation', '国家发展和改革委员会')]
        """
        if limit < 1:
            raise UsageError(f"limit must be at least 1, not {limit}")
        key = compact(text)
        if not key:
            return []
        with self._lock:
            found = _Found(self._allowed(types))
            self._exact(key, found)
            if has_cjk(text):
                self._chinese(text, found)
            else:
                self._acronym(key, found)
                self._words(text, found)
            if key and not has_cjk(key[:1]):
                self._prefix(key, found)
            if len(found.best) < limit:
                self._typos(text, found)
            return self._ranked(found, limit)

    def nearest(self, text: str, limit: int = 5) -> list[NameHit]:
        """Suggestions for a query that finds nothing: names sharing some of its words or
        characters, typos corrected (``did you mean ...``).

        >>> index = NameIndex.open(None)
        >>> mof = NameRecord("urn:mof", "Ministry of Finance", "en", "label")
        >>> _ = index.replace_graph("urn:g", [mof])
        >>> [h.matched for h in index.nearest("Ministry of Magic Finanse")]
        ['Ministry of Finance']
        """
        hits = self.search(text, limit)
        if hits:
            return hits
        words = [w for w in fold(text).split() if not has_cjk(w)]
        with self._lock:
            corrected = [self._correct(w) or [w] for w in words]
            wanted = [w for options in corrected for w in options] + list(cjk_chars(text))
            if not wanted:
                return []
            found = _Found(None)
            query = " OR ".join(_quote(w) for w in wanted)
            for row in self._fts(query, order=True):
                present = sum(1 for w in wanted if w[: max(3, len(w) - 2)] in row[5])
                score = 0.3 * present / len(wanted) * (1 + min(1.0, present / row[6])) / 2
                found.add(row, score, "typo")
            return self._ranked(found, limit)

    # -- the ways of matching ----------------------------------------------------------------

    def _exact(self, key: str, found: _Found) -> None:
        for row in self._rows("key = ?", (key,)):
            found.add(row, EXACT, "identifier" if row[4] in ID_KINDS else "exact")
        for short, expansions in ABBREVIATIONS.items():
            if key == short:
                for long in expansions:
                    for row in self._rows("key = ?", (long,)):
                        found.add(row, ACRONYM, "abbreviation")

    def _prefix(self, key: str, found: _Found) -> None:
        if len(key) < 3:
            return
        rows = self._rows("key > ? AND key < ?", (key, key + "\U0010ffff"), "ORDER BY key")
        for row in rows:
            if row[4] in ID_KINDS:
                found.add(row, ID_PREFIX, "identifier")
            else:
                found.add(row, PREFIX + 0.1 * len(key) / len(row[5]) - 0.1, "prefix")

    def _acronym(self, key: str, found: _Found) -> None:
        if not (2 <= len(key) <= 10 and key.isalpha()):
            return
        for row in self._rows("id IN (SELECT name FROM acronyms WHERE acronym = ?)", (key,)):
            found.add(row, ACRONYM, "acronym")

    def _words(self, text: str, found: _Found, how: str = "", base: float = WORDS) -> None:
        words = fold(text).split()
        if not words:
            return
        # Stop words are in most names: leave them to the coverage score, not the look-up.
        content = [w for w in words if w not in STOPWORDS] or words
        query = " AND ".join(_quote(w) for w in content)
        for row in self._fts(query):
            literal = set(fold(row[2]).split())
            kind = how or ("words" if literal.issuperset(words) else "stem")
            if row[4] in ID_KINDS and not how:
                kind = "identifier"
            found.add(row, base + 0.2 * min(1.0, len(words) / row[6]), kind)

    def _chinese(self, text: str, found: _Found) -> None:
        chars = cjk_chars(text)
        other = [w for w in fold(_strip_cjk(text)).split() if w]
        queries = [(chars, 1.0, "chinese")]
        queries += [(long, 0.97, "abbreviation") for long in ABBREVIATIONS.get(chars, ())]
        queries += [(broad, 0.93, "related") for broad in BROADER_TERMS.get(chars, ())]
        for wanted, factor, how in queries:
            if wanted == chars and how != "chinese":
                continue
            extra = "".join(f" AND {_quote(w)}" for w in other)
            phrase = _quote(" ".join(wanted)) + extra
            for row in self._fts(phrase):
                size = max(row[6], len(wanted))
                found.add(row, factor * (CHINESE + 0.2 * len(wanted) / size), how)
            if len(wanted) < 2:
                continue
            every = " AND ".join(_quote(c) for c in dict.fromkeys(wanted)) + extra
            for row in self._fts(every):
                span = in_order_span(wanted, cjk_chars(row[2]))
                if span is not None:
                    score = IN_ORDER + 0.1 * len(wanted) / span + 0.1 * len(wanted) / row[6]
                    found.add(
                        row, factor * score, "related" if how == "related" else "abbreviation"
                    )

    def _typos(self, text: str, found: _Found) -> None:
        words = [w for w in fold(text).split() if not has_cjk(w)]
        options = [self._correct(w) for w in words]
        if not any(options):
            return
        choices = [(fixes or [word])[:2] for word, fixes in zip(words, options, strict=True)]
        for fixed in itertools.islice(itertools.product(*choices), 8):
            self._words(" ".join(fixed), found, "typo", TYPO)

    def _correct(self, word: str) -> list[str] | None:
        """Indexed words within two edits of ``word`` (closest first), or None when ``word``
        is itself indexed, not made of letters, or too short to guess."""
        if len(word) < 4 or not word.isalpha() or not word.isascii():
            return None
        if self._db.execute("SELECT 1 FROM words WHERE word = ?", (word,)).fetchone():
            return None
        limit = 1 if len(word) <= 5 else 2
        rows = self._db.execute(
            "SELECT word FROM words WHERE first = ? AND size BETWEEN ? AND ? UNION "
            "SELECT word FROM words WHERE last = ? AND size BETWEEN ? AND ?",
            (
                word[0],
                len(word) - limit,
                len(word) + limit,
                word[-1],
                len(word) - limit,
                len(word) + limit,
            ),
        ).fetchall()
        scored = sorted((d, w) for (w,) in rows if (d := edit_distance(word, w, limit)) <= limit)
        return [w for _, w in scored] or None

    # -- plumbing ------------------------------------------------------------------------------

    def _rows(self, where: str, args: tuple[object, ...], order: str = "") -> list[_Row]:
        return self._db.execute(
            f"SELECT id, iri, text, lang, kind, key, size FROM names WHERE {where} {order} "
            f"LIMIT {_CANDIDATES}",
            args,
        ).fetchall()

    def _fts(self, query: str, order: bool = False) -> list[_Row]:
        ranking = "ORDER BY rank " if order else ""
        try:
            return self._db.execute(
                "SELECT n.id, n.iri, n.text, n.lang, n.kind, n.key, n.size FROM names n "
                "JOIN (SELECT rowid FROM name_terms WHERE name_terms MATCH ? "
                f"{ranking}LIMIT {_CANDIDATES}) m ON m.rowid = n.id",
                (query,),
            ).fetchall()
        except sqlite3.OperationalError:  # a query FTS5 cannot parse finds nothing
            return []

    def _allowed(self, types: Collection[str] | None) -> set[str] | None:
        if not types:
            return None
        marks = ", ".join("?" for _ in types)
        rows = self._db.execute(
            f"SELECT DISTINCT iri FROM types WHERE type IN ({marks})", tuple(types)
        )
        return {r[0] for r in rows}

    def _ranked(self, found: _Found, limit: int) -> list[NameHit]:
        weights = self._weights(list(found.best)) if self.type_weights else {}
        scored = [
            (score * (1 - _NUDGE * (1 - weights.get(iri, 1.0))), iri, row, how)
            for iri, (score, row, how) in found.best.items()
        ]
        scored.sort(key=lambda h: (-round(h[0], 6), -weights.get(h[1], 1.0), len(h[2][2]), h[1]))
        return [
            NameHit(iri, round(score, 4), row[2], row[3], how)
            for score, iri, row, how in scored[:limit]
        ]

    def _weights(self, iris: list[str]) -> dict[str, float]:
        weights: dict[str, float] = {}
        for start in range(0, len(iris), 500):
            chunk = iris[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for iri, type_ in self._db.execute(
                f"SELECT iri, type FROM types WHERE iri IN ({marks})", chunk
            ):
                if type_ in self.type_weights:
                    weight = self.type_weights[type_]
                    weights[iri] = min(weights.get(iri, weight), weight)
        return weights


class _Found:
    """The best match so far of each entity."""

    def __init__(self, allowed: set[str] | None) -> None:
        self.allowed = allowed
        self.best: dict[str, tuple[float, _Row, str]] = {}

    def add(self, row: _Row, score: float, how: str) -> None:
        iri = row[1]
        if self.allowed is not None and iri not in self.allowed:
            return
        current = self.best.get(iri)
        if current is None or score > current[0] + 1e-9:
            self.best[iri] = (score, row, how)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _strip_cjk(text: str) -> str:
    return "".join(" " if has_cjk(ch) else ch for ch in text)
