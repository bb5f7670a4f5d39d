"""Names behind the `Store` interface: what ``Store.names()`` returns.

Every store finds entities by name in its own way, and no caller asks which one it has:

- the memory store: a `NameIndex` in memory, built once per version of the data;
- Oxigraph: a `NameIndex` in the file ``PATH/names.sqlite``, kept in step on every load;
- a SPARQL server: one bounded query per search (`ipgraph.store.remote_names`).

Each answers `Names.search` (entities named by a text, best first, each hit saying how it
matched), `Names.nearest` (suggestions when a search finds nothing) and the display labels and
types of a few entities by lookups (`Names.labels`, `Names.types`), never by reading the store
whole.

>>> from rdflib import Graph, URIRef
>>> from ipgraph.store.names import NameIndex, NameRecord
>>> index = NameIndex.open(None)
>>> _ = index.replace_graph("urn:g", [NameRecord("urn:mof", "Ministry of Finance", "en", "label")])
>>> names = IndexNames(index, GraphLookups(Graph()))
>>> [(h.iri, h.how) for h in names.search("MOF")]
[('urn:mof', 'acronym')]
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.query import Result
from rdflib.term import Node

from ipgraph.store.names import NameHit, NameIndex
from ipgraph.store.nametext import STOPWORDS, fold, has_cjk
from ipgraph.store.remote_names import remote_name_search, text_index_available
from ipgraph.terms import pick_label
from ipgraph.vocab import IPG

__all__ = [
    "NAMES_FILE",
    "TYPE_WEIGHTS",
    "GraphLookups",
    "IndexNames",
    "Lookups",
    "Names",
    "RemoteNames",
]

NAMES_FILE = "names.sqlite"
"""The name index of a persistent store, in its directory."""

TYPE_WEIGHTS: dict[str, float] = {
    str(IPG.Observation): 0.5,
    str(IPG.Passage): 0.3,
    str(IPG.Source): 0.3,
}
"""Types whose entities rank below others that match about as well (figures, provenance)."""

_LABELS = (RDFS.label, SKOS.prefLabel)
_ALT = (SKOS.altLabel,)


class Lookups(Protocol):
    """What names need of a store: the objects of given subjects and predicates."""

    def objects(
        self, subjects: Sequence[URIRef], predicates: Sequence[URIRef]
    ) -> Iterator[tuple[Node, Node, Node]]: ...


class GraphLookups:
    """`Lookups` over an rdflib graph.

    >>> from rdflib import Graph
    >>> list(GraphLookups(Graph()).objects([URIRef("urn:a")], [RDF.type]))
    []
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def objects(
        self, subjects: Sequence[URIRef], predicates: Sequence[URIRef]
    ) -> Iterator[tuple[Node, Node, Node]]:
        """The triples ``(s, p, ?o)`` for every subject and predicate given."""
        for s in subjects:
            for p in predicates:
                for o in self.graph.objects(s, p):
                    yield s, p, o


class Names:
    """How a store finds entities by name and labels the few a command shows.

    Subclasses answer `search` and `nearest`; labels and types come from lookups of the given
    entities (``Store.objects``).
    """

    def __init__(self, lookups: Lookups) -> None:
        self.lookups = lookups

    def search(
        self, text: str, limit: int = 10, types: Collection[str] | None = None
    ) -> list[NameHit]:
        """Entities named by ``text``, best first, one hit per entity (see `NameIndex.search`).

        Args:
            text: a name or part of one, in English or Chinese, an acronym or an identifier.
            limit: how many hits at most.
            types: keep only entities with one of these rdf:type IRIs.
        """
        raise NotImplementedError

    def nearest(self, text: str, limit: int = 5) -> list[NameHit]:
        """Suggestions for a text that names nothing (``did you mean ...``)."""
        raise NotImplementedError

    def __len__(self) -> int:
        """How many entities have a name (0 when the store cannot say cheaply)."""
        return 0

    def labels(self, iris: Iterable[URIRef], lang: str = "en") -> dict[URIRef, str]:
        """The display label of each entity that has one (``rdfs:label`` / ``skos:prefLabel``
        in ``lang``, then English, then any; else an ``skos:altLabel``), by lookups.

        >>> from rdflib import Graph, Literal
        >>> g = Graph()
        >>> g.add((URIRef("urn:moe"), RDFS.label, Literal("教育部", lang="zh")))
        <Graph ...>
        >>> IndexNames(NameIndex.open(None), GraphLookups(g)).labels([URIRef("urn:moe")], "zh")
        {rdflib.term.URIRef('urn:moe'): '教育部'}
        """
        wanted = list(dict.fromkeys(iris))
        found: dict[URIRef, list[Literal]] = {}
        alt: dict[URIRef, list[Literal]] = {}
        for s, p, o in self.lookups.objects(wanted, (*_LABELS, *_ALT)):
            if isinstance(o, Literal) and isinstance(s, URIRef):
                (alt if p in _ALT else found).setdefault(s, []).append(o)
        return {
            iri: pick_label(found.get(iri) or alt[iri], lang)
            for iri in wanted
            if iri in found or iri in alt
        }

    def label(self, iri: URIRef, lang: str = "en") -> str | None:
        """The display label of one entity (see `labels`), or None."""
        return self.labels([iri], lang).get(iri)

    def types(self, iris: Iterable[URIRef]) -> dict[URIRef, tuple[URIRef, ...]]:
        """The rdf:types of each entity, sorted, by lookups."""
        wanted = list(dict.fromkeys(iris))
        found: dict[URIRef, set[URIRef]] = {iri: set() for iri in wanted}
        for s, _, o in self.lookups.objects(wanted, (RDF.type,)):
            if isinstance(o, URIRef) and isinstance(s, URIRef):
                found.setdefault(s, set()).add(o)
        return {iri: tuple(sorted(ts)) for iri, ts in found.items()}


class IndexNames(Names):
    """Names from a `NameIndex` (in memory or in a file beside the store).

    Args:
        index: the open name index.
        lookups: the store (or an rdflib graph) to read labels and types from.
    """

    def __init__(self, index: NameIndex, lookups: Lookups) -> None:
        super().__init__(lookups)
        self.index = index

    def search(
        self, text: str, limit: int = 10, types: Collection[str] | None = None
    ) -> list[NameHit]:
        return self.index.search(text, limit, types)

    def nearest(self, text: str, limit: int = 5) -> list[NameHit]:
        return self.index.nearest(text, limit)

    def __len__(self) -> int:
        return len(self.index)


class _Queryable(Lookups, Protocol):
    def query(self, text: str) -> Result: ...


class RemoteNames(Names):
    """Names from a SPARQL server: one bounded query per search (``bif:contains`` where the
    server has a text index), see `ipgraph.store.remote_names`.

    Args:
        store: the remote store (``query`` and ``objects``).
        text_index: whether to use ``bif:contains``; None asks the server once, on first use.
    """

    def __init__(self, store: _Queryable, text_index: bool | None = None) -> None:
        super().__init__(store)
        self.store = store
        self._text_index = text_index

    @property
    def text_index(self) -> bool:
        """Whether the server answers ``bif:contains`` from a text index (asked once)."""
        if self._text_index is None:
            self._text_index = text_index_available(self.store)
        return self._text_index

    def search(
        self, text: str, limit: int = 10, types: Collection[str] | None = None
    ) -> list[NameHit]:
        return remote_name_search(self.store, text, limit, types, self.text_index)

    def nearest(self, text: str, limit: int = 5) -> list[NameHit]:
        """Names holding the query's longest words, one bounded query per word (at most 3)."""
        hits = self.search(text, limit)
        if hits:
            return hits
        words = [w for w in fold(text).split() if has_cjk(w) or w not in STOPWORDS]
        best: dict[str, NameHit] = {}
        for word in sorted(words, key=len, reverse=True)[:3]:
            for hit in self.search(word, limit):
                scaled = NameHit(hit.iri, round(hit.score * 0.5, 4), hit.matched, hit.lang, "typo")
                if hit.iri not in best or scaled.score > best[hit.iri].score:
                    best[hit.iri] = scaled
        return sorted(best.values(), key=lambda h: (-h.score, len(h.matched), h.iri))[:limit]
