"""The facade's questions about names: finding entities (`find`, `nearest`) and labelling
the few a command shows (`label`, `prefetch_labels`), through the store's names
(`ipgraph.store.Store.names`): a name index or a bounded remote search, never a scan.

`KnowledgeGraph` inherits these methods.

>>> import ipgraph
>>> kg = ipgraph.load()
>>> [(m.label, m.how) for m in kg.find("NDRC", limit=1)]
[('National Development and Reform Commission', 'exact')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from rdflib import Literal, URIRef
from rdflib.term import Node

from ipgraph.errors import UsageError
from ipgraph.labels import Match
from ipgraph.store.names import NameHit
from ipgraph.store.namesearch import Names

__all__ = ["NameMethods"]

T = TypeVar("T")

EVERY_MATCH = 1_000_000
"""What ``find(limit=0)`` asks the names for: more than a search finds (the name index reads
a few hundred candidates per way of matching, a remote search a bounded query)."""


class NameMethods:
    """Name questions, as methods of `KnowledgeGraph`."""

    @property
    def names(self) -> Names:
        raise NotImplementedError

    def cached(self, key: str, build: Callable[[], T]) -> T:
        raise NotImplementedError

    def curie(self, iri: URIRef) -> str:
        raise NotImplementedError

    def classes(self, refs: Iterable[str]) -> list[URIRef]:
        raise NotImplementedError

    def label(self, node: Node, lang: str = "en") -> str:
        """A display label for any node: entity label, term label, CURIE or literal text.

        Read by lookups of the node (never an index of the whole store) and remembered until
        the data changes; `prefetch_labels` reads many at once.

        >>> import ipgraph
        >>> from ipgraph.vocab import IPG
        >>> kg = ipgraph.load()
        >>> kg.label(IPG.issuedBy)
        'issued by'
        >>> kg.label(kg.resolve("MOE"), lang="zh")
        '教育部'
        """
        if isinstance(node, Literal):
            return str(node)
        if not isinstance(node, URIRef):
            return str(node)
        known = self._label_cache(lang)
        if node not in known:
            self.prefetch_labels([node], lang)
        return known[node]

    def prefetch_labels(self, nodes: Iterable[Node], lang: str = "en") -> None:
        """Read the display labels of many nodes in one batch of lookups (for `label`)."""
        known = self._label_cache(lang)
        wanted = [n for n in dict.fromkeys(nodes) if isinstance(n, URIRef) and n not in known]
        if not wanted:
            return
        found = self.names.labels(wanted, lang)
        for node in wanted:
            known[node] = found.get(node) or self.curie(node)

    def _label_cache(self, lang: str) -> dict[URIRef, str]:
        return self.cached(f"label-cache:{lang}", dict)

    def find(self, text: str, limit: int = 10, types: Iterable[str] | None = None) -> list[Match]:
        """Entities whose English or Chinese labels or acronyms match ``text``, best first.

        Args:
            text: a name, part of one, or an acronym, in any case ("moe", "工信部").
            limit: how many results at most; 0 every match (as ``limit`` 0 of `entity` and
                `neighbors` lists every link).
            types: keep only entities of these classes (IRIs or CURIEs such as ``ipg:Agency``).

        Raises:
            UsageError: a negative ``limit``.

        Each `Match` says how the text matched (``how``: ``exact``, ``acronym``, ``prefix``,
        ``words``, ``typo``, ...) and which name it matched (``matched``).

        >>> import ipgraph
        >>> [(m.label, m.how) for m in ipgraph.load().find("ministry of ed")]
        [('Ministry of Education', 'prefix')]
        """
        if limit < 0:
            raise UsageError(f"limit must be 0 (every match) or more, not {limit}")
        wanted = [str(c) for c in self.classes(types)] if types else None
        return self._matches(self.names.search(text, limit or EVERY_MATCH, wanted))

    def nearest(self, text: str, limit: int = 5) -> list[Match]:
        """Suggestions for a text that finds nothing: names sharing some of its words or
        characters, spelling corrected (what ``ipgraph find`` offers when nothing matches).

        >>> import ipgraph
        >>> [m.label for m in ipgraph.load().nearest("Ministry of Magic Finanse")][:1]
        ['Ministry of Finance']
        """
        return self._matches(self.names.nearest(text, limit))

    def _matches(self, hits: list[NameHit]) -> list[Match]:
        iris = [URIRef(h.iri) for h in hits]
        labels = self.names.labels(iris)
        types = self.names.types(iris)
        return [
            Match(iri, labels.get(iri) or h.matched, h.matched, h.score, types.get(iri, ()), h.how)
            for iri, h in zip(iris, hits, strict=True)
        ]
