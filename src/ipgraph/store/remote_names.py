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

>>> print(name_query("Ministry of Finance", limit=3, text_index=False))  # doctest: +ELLIPSIS
SELECT ?s ?name WHERE { VALUES ?p { ... } ?s ?p ?name . FILTER(isLiteral(?name)) FILTER(...
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.query import Result

from ipgraph.errors import StoreError
from ipgraph.store.namerecords import NAME_PREDICATES
from ipgraph.store.names import NameHit
from ipgraph.store.nametext import STOPWORDS, analyze, cjk_chars, fold, has_cjk

__all__ = ["name_query", "remote_name_search", "text_index_available"]

_ROWS_PER_HIT = 5  # rows fetched per hit wanted: an entity has several names


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
        (``bif:contains`` or ``contains``).

    Raises:
        StoreError: the server cannot be reached or rejects the query.

    >>> from ipgraph.store import open_store
    >>> store = open_store("memory")
    >>> from ipgraph import data
    >>> _ = store.load_files([data.ontology_dir() / "sources" / "cnipa-ar2021-ch4.trig"])
    >>> remote_name_search(store, "finance", text_index=False)[0].iri.rsplit("/", 1)[-1]
    'mof'
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
    ranked = sorted(best.values(), key=lambda h: (-h.score, len(h.matched), h.iri))
    return ranked[:limit]


def _lang(term: object) -> str | None:
    return term.language if isinstance(term, Literal) else None
