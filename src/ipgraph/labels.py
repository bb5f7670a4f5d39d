"""Labels: finding entities by English or Chinese name or acronym, and resolving references.

The index covers every entity with an ``rdfs:label``, ``skos:prefLabel`` or ``skos:altLabel``,
leaving out vocabulary terms (classes and properties), which are reached by CURIE.

>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import RDFS, SKOS
>>> g = Graph()
>>> moe = URIRef("https://w3id.org/ipgraph/id/agency/moe")
>>> g.add((moe, RDFS.label, Literal("Ministry of Education", lang="en")))
<Graph ...>
>>> g.add((moe, SKOS.altLabel, Literal("MOE", lang="en")))
<Graph ...>
>>> index = LabelIndex.build(g)
>>> index.find("moe")[0].label
'Ministry of Education'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ipgraph.errors import AmbiguousEntity, EntityNotFound
from ipgraph.terms import LABEL_PREDICATES, TERM_TYPES, pick_label

if TYPE_CHECKING:
    from ipgraph.store.base import LabelRows

__all__ = ["EXACT", "PREFIX", "LabelIndex", "Match", "normalize", "pick_label"]

# How well a label matches a query; ties are broken by label length (shorter first).
EXACT, PREFIX, WORD, SUBSTRING, TOKENS = 1.0, 0.9, 0.8, 0.7, 0.6
_FUZZY_CUTOFF = 0.6


def normalize(text: str) -> str:
    """Fold case, full-width forms and spacing so that 'ＭＩＩＴ ' equals 'miit'.

    >>> normalize("  Ｍinistry  of\\nFinance ")
    'ministry of finance'
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", folded).strip()


@dataclass(frozen=True)
class Match:
    """One result of `LabelIndex.find`.

    Attributes:
        iri: the entity.
        label: its preferred display label (English if it has one).
        matched: the label or acronym the query matched.
        score: 1.0 exact, 0.9 prefix, 0.8 word, 0.7 substring, 0.6 all words, below: fuzzy
            (the name index, `ipgraph.store.names`, scores on the same scale).
        types: the entity's rdf:types.
        how: the way the query matched (``exact``, ``acronym``, ``prefix``, ``words``,
            ``typo``, ...; see `ipgraph.store.names`), or ``""`` when not recorded.
    """

    iri: URIRef
    label: str
    matched: str
    score: float
    types: tuple[URIRef, ...] = ()
    how: str = ""

    def to_dict(self) -> dict[str, object]:
        """The match as JSON-ready data: what ``ipgraph find --format json`` prints."""
        return {
            "iri": str(self.iri),
            "label": self.label,
            "matched": self.matched,
            "how": self.how,
            "score": round(self.score, 3),
            "types": [str(t) for t in self.types],
        }


@dataclass
class LabelIndex:
    """All labels of all entities, normalised for matching."""

    labels: dict[URIRef, list[Literal]] = field(default_factory=dict)
    types: dict[URIRef, tuple[URIRef, ...]] = field(default_factory=dict)
    _by_key: dict[str, set[URIRef]] = field(default_factory=dict)

    @classmethod
    def build(cls, graph: Graph | LabelRows) -> LabelIndex:
        """Index every labelled entity of ``graph`` (a Graph or a union-default Dataset)."""
        labels: dict[URIRef, list[Literal]] = defaultdict(list)
        for predicate in LABEL_PREDICATES:
            for subject, label in graph.subject_objects(predicate):
                if not (isinstance(subject, URIRef) and isinstance(label, Literal)):
                    continue
                if label not in labels[subject]:
                    labels[subject].append(label)
        types: dict[URIRef, tuple[URIRef, ...]] = {}
        for subject in list(labels):
            subject_types = tuple(
                sorted(t for t in graph.objects(subject, RDF.type) if isinstance(t, URIRef))
            )
            if TERM_TYPES.intersection(subject_types):
                del labels[subject]
                continue
            types[subject] = subject_types
        by_key: dict[str, set[URIRef]] = defaultdict(set)
        for subject, subject_labels in labels.items():
            for label in subject_labels:
                by_key[normalize(str(label))].add(subject)
        return cls(dict(labels), types, dict(by_key))

    def __contains__(self, iri: object) -> bool:
        return iri in self.labels

    def __len__(self) -> int:
        return len(self.labels)

    def label(self, iri: URIRef, lang: str = "en") -> str | None:
        """The display label of an entity: rdfs:label/prefLabel in ``lang``, else any."""
        candidates = self.labels.get(iri)
        if not candidates:
            return None
        return pick_label(candidates, lang)

    def find(
        self, text: str, limit: int = 10, types: Iterable[URIRef] | None = None
    ) -> list[Match]:
        """Entities whose labels match ``text``, best first.

        Args:
            text: part of a name in English or Chinese, or an acronym; case does not matter.
            limit: how many matches at most.
            types: keep only entities of one of these rdf:types.
        """
        query = normalize(text)
        if not query:
            return []
        wanted = set(types) if types else None
        best: dict[URIRef, tuple[float, str]] = {}
        for iri, subject_labels in self.labels.items():
            if wanted is not None and not wanted.intersection(self.types.get(iri, ())):
                continue
            for label in subject_labels:
                score = _score(query, normalize(str(label)))
                if score and score > best.get(iri, (0.0, ""))[0]:
                    best[iri] = (score, str(label))
        if not best:  # spelling near misses only when nothing really matches
            for iri, (score, matched) in self._fuzzy(query, wanted).items():
                if iri not in best:
                    best[iri] = (score, matched)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], len(item[1][1]), str(item[0])))
        return [
            Match(iri, self.label(iri) or matched, matched, score, self.types.get(iri, ()))
            for iri, (score, matched) in ranked[:limit]
        ]

    def _fuzzy(self, query: str, wanted: set[URIRef] | None) -> dict[URIRef, tuple[float, str]]:
        """Near misses by spelling ('Minstry of Finanse'), scored below every real match."""
        keys = list(self._by_key)
        found: dict[URIRef, tuple[float, str]] = {}
        for key in difflib.get_close_matches(query, keys, n=10, cutoff=_FUZZY_CUTOFF):
            ratio = difflib.SequenceMatcher(None, query, key).ratio()
            for iri in self._by_key[key]:
                if wanted is not None and not wanted.intersection(self.types.get(iri, ())):
                    continue
                score = round(ratio * TOKENS * 0.99, 3)
                if score > found.get(iri, (0.0, ""))[0]:
                    found[iri] = (score, key)
        return found

    def resolve_label(self, ref: str) -> URIRef:
        """The one entity a name refers to.

        An exact label or acronym wins; otherwise a single entity whose label contains the
        reference is taken. Anything else is an error listing candidates.

        Raises:
            AmbiguousEntity: several entities match equally well.
            EntityNotFound: nothing matches; the error lists near misses.
        """
        query = normalize(ref)
        exact = sorted(self._by_key.get(query, ()))
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise AmbiguousEntity(ref, [self.describe(iri) for iri in exact])
        matches = self.find(ref, limit=10)
        strong = [m for m in matches if m.score >= SUBSTRING]
        if len(strong) == 1:
            return strong[0].iri
        if strong:
            raise AmbiguousEntity(ref, [self.describe(m.iri) for m in strong])
        raise EntityNotFound(ref, [self.describe(m.iri) for m in matches[:5]])

    def describe(self, iri: URIRef) -> str:
        """'label <iri>' for messages that list candidates."""
        return f"{self.label(iri) or iri} <{iri}>"


def _score(query: str, label: str) -> float:
    if label == query:
        return EXACT
    if label.startswith(query):
        return PREFIX
    if query in label:
        # A match at a word start ranks above one inside a word; CJK has no spaces.
        boundary = re.search(r"(^|[\s\W])" + re.escape(query), label)
        return WORD if boundary else SUBSTRING
    words = query.split()
    if len(words) > 1 and all(word in label for word in words):
        return TOKENS
    return 0.0
