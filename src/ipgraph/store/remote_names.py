"""Name search on a remote SPARQL store: one bounded query, ranked like the local name index.

A remote store has no local name index to consult, and fetching every label to build one is the
whole-store scan the index exists to avoid. `remote_name_search` asks the server instead, with
one query that has a ``LIMIT``:

- on Virtuoso with a text index, through ``bif:contains`` (an index look-up). Virtuoso indexes no
  literal out of the box; an administrator enables it once with
  ``DB.DBA.RDF_OBJ_FT_RULE_ADD(null, null, 'ipgraph'); DB.DBA.VT_INC_INDEX_DB_DBA_RDF_OBJ();``
  (`text_index_available` tells whether it is on);
- anywhere else, through ``FILTER(CONTAINS(LCASE(STR(?name)), ...))`` for every query word:
  the result is bounded by the ``LIMIT``, but the server may scan the names to fill it.

The rows are ranked here (exact name first, then by how much of the name the query covers),
one `NameHit` per entity.

When nothing matches, misspelt Latin words are corrected as the local index corrects them
(``typo`` hits, which suggest but never resolve a name): for each word of four letters or more,
one more bounded query reads names holding its first or last three letters (on Virtuoso's text
index first words starting with its first four), the words of those names within one edit
(two for words of six letters or more) are the corrections, closest and most frequent first
(`typo_query`), and the search runs again with them.

>>> print(name_query("Ministry of Finance", limit=3, text_index=False))  # doctest: +ELLIPSIS
SELECT ?s ?name WHERE { VALUES ?p { ... } ?s ?p ?name . FILTER(isLiteral(?name)) FILTER(...
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.query import Result

from ipgraph.errors import StoreError
from ipgraph.store.namerecords import NAME_PREDICATES
from ipgraph.store.names import NameHit
from ipgraph.store.nametext import STOPWORDS, analyze, cjk_chars, edit_distance, fold, has_cjk

__all__ = ["name_query", "remote_name_search", "text_index_available", "typo_query"]

_ROWS_PER_HIT = 5  # rows fetched per hit wanted: an entity has several names
_TYPO_NAMES = 200  # names read per misspelt word to find its corrections
_TYPO_WORDS = 3  # words corrected at most (the longest), one query each
_TYPO_TRIES = 4  # corrected queries sent at most
_TYPO = 0.35  # the score of a corrected match (`ipgraph.store.names` TYPO), plus coverage


class _Queryable(Protocol):
    def query(self, text: str) -> Result: ...


def _words(text: str) -> list[str]:
    """The query's searchable parts: Latin words (no stop words, 2+ letters) and CJK runs."""
    parts: list[str] = []
    for word in fold(text).split():
        if has_cjk(word):
            parts.append(cjk_chars(word))
        elif word not in STOPWORDS and len(word) >= 2:
            parts.append(word)
    return parts or fold(text).split()


def name_query(
    text: str, limit: int = 10, text_index: bool = False, types: Collection[str] | None = None
) -> str:
    """The SPARQL query `remote_name_search` sends: names containing every word of ``text``.

    Args:
        text: what the user typed.
        limit: hits wanted; the query asks for ``5 * limit`` rows.
        text_index: use Virtuoso's ``bif:contains`` (needs its text index).
        types: keep only entities with one of these rdf:type IRIs.

    >>> print(name_query("工信部", limit=2, text_index=True))  # doctest: +ELLIPSIS
    SELECT ?s ?name WHERE { ... ?name bif:contains '"工信部"' . } LIMIT 10
    """
    predicates = " ".join(f"<{p}>" for p in NAME_PREDICATES)
    words = [w.replace('"', "").replace("'", "").replace("\\", "") for w in _words(text)]
    words = [w for w in words if w]
    if text_index:
        expression = " AND ".join(f'"{w}"' for w in words)
        match = f"?name bif:contains '{expression}' ."
    else:
        tests = (
            " && ".join(f"CONTAINS(LCASE(STR(?name)), {Literal(w).n3()})" for w in words) or "false"
        )
        match = f"FILTER({tests})"
    typed = ""
    if types:
        values = " ".join(f"<{URIRef(t)}>" for t in types)
        typed = f" ?s a ?type . VALUES ?type {{ {values} }}"
    return (
        f"SELECT ?s ?name WHERE {{ VALUES ?p {{ {predicates} }} ?s ?p ?name . "
        f"FILTER(isLiteral(?name)) {match}{typed} }} LIMIT {limit * _ROWS_PER_HIT}"
    )


def typo_query(word: str, text_index: bool = False) -> str:
    """The SPARQL query that reads names that may hold the correct spelling of ``word``:
    names with its first or last three letters (with ``text_index``: a word starting with
    its first four, through ``bif:contains``, which wants four letters before a wildcard), at
    most 200 of them.

    >>> print(typo_query("finanse"))  # doctest: +ELLIPSIS
    SELECT DISTINCT ?name WHERE { ... FILTER(CONTAINS(LCASE(STR(?name)), "fin") || ...
    """
    predicates = " ".join(f"<{p}>" for p in NAME_PREDICATES)
    word = "".join(c for c in word if c.isalpha())
    if text_index:
        match = f"?name bif:contains '\"{word[:4]}*\"' ."
    else:
        pieces = dict.fromkeys((word[:3], word[-3:]))
        match = (
            "FILTER("
            + " || ".join(f"CONTAINS(LCASE(STR(?name)), {Literal(piece).n3()})" for piece in pieces)
            + ")"
        )
    return (
        f"SELECT DISTINCT ?name WHERE {{ VALUES ?p {{ {predicates} }} ?s ?p ?name . "
        f"FILTER(isLiteral(?name)) {match} }} LIMIT {_TYPO_NAMES}"
    )


def _corrections(store: _Queryable, word: str, text_index: bool) -> list[str]:
    """Words of the store's names within one or two edits of ``word`` (none when ``word``
    itself is one), closest first, then the most frequent; at most two. With the text index
    the names come from its prefix look-up first, then (no correction there: the typo is in
    the first four letters) from the bounded scan."""
    limit = 1 if len(word) <= 5 else 2
    for indexed in (True, False) if text_index else (False,):
        seen: Counter[str] = Counter()
        for row in store.query(typo_query(word, indexed)):
            seen.update(w for w in fold(str(row[0])).split() if w.isalpha())  # type: ignore[index]
        if word in seen:
            return []
        scored = sorted(
            (d, -count, w)
            for w, count in seen.items()
            if (w[0] == word[0] or w[-1] == word[-1])
            and (d := edit_distance(word, w, limit)) <= limit
        )
        if scored:
            return [w for _, _, w in scored[:2]]
    return []


def _typo_hits(
    store: _Queryable, text: str, limit: int, types: Collection[str] | None, text_index: bool
) -> list[NameHit]:
    """The hits of ``text`` with its misspelt Latin words corrected, as ``typo`` hits."""
    words = fold(text).split()
    fixable = [
        w for w in words if len(w) >= 4 and w.isascii() and w.isalpha() and w not in STOPWORDS
    ]
    options = {
        w: _corrections(store, w, text_index) for w in sorted(fixable, key=len)[-_TYPO_WORDS:]
    }
    if not any(options.values()):
        return []
    choices = [options.get(w) or [w] for w in words]
    best: dict[str, NameHit] = {}
    for fixed in itertools.islice(itertools.product(*choices), _TYPO_TRIES):
        corrected = " ".join(fixed)
        wanted = analyze(corrected)
        for row in store.query(name_query(corrected, limit, text_index, types)):
            iri, name = str(row[0]), row[1]  # type: ignore[index]
            cover = min(1.0, wanted.size / max(analyze(str(name)).size, 1))
            hit = NameHit(iri, round(_TYPO + 0.2 * cover, 4), str(name), _lang(name), "typo")
            if iri not in best or hit.score > best[iri].score:
                best[iri] = hit
    return sorted(best.values(), key=lambda h: (-h.score, len(h.matched), h.iri))[:limit]


def text_index_available(store: _Queryable) -> bool:
    """Whether the server answers ``bif:contains`` from a text index (Virtuoso, indexed).

    Probes with a word of one label: False on a server that does not know ``bif:contains``
    or has not indexed its literals.
    """
    try:
        rows = list(
            store.query(
                "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 20"
            )
        )
        words = [w for row in rows for w in _words(str(row[0])) if len(w) >= 4]  # type: ignore[index]
        if not words:
            return False
        probe = words[0].replace("'", "").replace('"', "")
        return bool(store.query(f"ASK {{ ?s ?p ?l . ?l bif:contains '\"{probe}\"' }}"))
    except StoreError:
        return False


def remote_name_search(
    store: _Queryable,
    text: str,
    limit: int = 10,
    types: Collection[str] | None = None,
    text_index: bool | None = None,
) -> list[NameHit]:
    """Entities whose names contain every word of ``text``, from one bounded SPARQL query.

    Args:
        store: anything with ``query(sparql) -> Result`` (a `SparqlStore`).
        text: a name or part of one; English words in any order, Chinese as written.
        limit: how many hits at most.
        types: keep only entities with one of these rdf:type IRIs.
        text_index: use ``bif:contains``; None asks the server (`text_index_available`).

    Returns:
        Best first: ``how`` is ``exact`` for a whole name, else the server's way of matching
        (``bif:contains`` or ``contains``); when nothing matches, names found with misspelt
        Latin words corrected, as ``typo``.

    Raises:
        StoreError: the server cannot be reached or rejects the query.

    >>> from ipgraph.store import open_store
    >>> store = open_store("memory")
    >>> from ipgraph import data
    >>> _ = store.load_files([data.ontology_dir() / "sources" / "cnipa-ar2021-ch4.trig"])
    >>> remote_name_search(store, "finance", text_index=False)[0].iri.rsplit("/", 1)[-1]
    'mof'
    >>> hit = remote_name_search(store, "Minstry of Finanse", text_index=False)[0]
    >>> hit.matched, hit.how
    ('Ministry of Finance', 'typo')
    """
    if not fold(text):
        return []
    if text_index is None:
        text_index = text_index_available(store)
    how = "bif:contains" if text_index else "contains"
    wanted = analyze(text)
    best: dict[str, NameHit] = {}
    for row in store.query(name_query(text, limit, text_index, types)):
        iri, name = str(row[0]), row[1]  # type: ignore[index]
        found = analyze(str(name))
        if found.key == wanted.key:
            hit = NameHit(iri, 1.0, str(name), _lang(name), "exact")
        else:
            cover = min(1.0, wanted.size / max(found.size, 1))
            prefix = 0.1 if found.key.startswith(wanted.key) else 0.0
            hit = NameHit(iri, round(0.6 + 0.2 * cover + prefix, 4), str(name), _lang(name), how)
        if iri not in best or hit.score > best[iri].score:
            best[iri] = hit
    if not best:
        return _typo_hits(store, text, limit, types, text_index)
    ranked = sorted(best.values(), key=lambda h: (-h.score, len(h.matched), h.iri))
    return ranked[:limit]


def _lang(term: object) -> str | None:
    return term.language if isinstance(term, Literal) else None
