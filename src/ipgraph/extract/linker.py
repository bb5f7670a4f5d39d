"""Entity linking: find the names of known entities in a text, through a plain name table.

The table is an iterable of `NameRecord` (IRI, name, language, kind, class); build one from an
rdflib graph with `names_from_graph`. English names are matched token by token (case folded,
plurals and British spellings folded, acronyms case-sensitive: "MOST" is not "most"); Chinese
names character by character, and a short Chinese name must not cut a jieba word in two
("浙江" is not linked inside "浙江大学"). The longest name wins and matches do not overlap.

>>> from ipgraph.extract.model import NameRecord
>>> table = NameTable([
...     NameRecord("id:moe", "Ministry of Education", "en", "label", "ipg:Ministry"),
...     NameRecord("id:moe", "MOE", "en", "acronym", "ipg:Ministry"),
...     NameRecord("id:moe", "教育部", "zh", "label", "ipg:Ministry"),
... ])
>>> [(m.surface, m.iri) for m in table.find("The ministry of education (MOE) and 教育部.")]
[('ministry of education', 'id:moe'), ('MOE', 'id:moe'), ('教育部', 'id:moe')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import Graph, Literal, URIRef

from ipgraph.extract.model import IPG_NS, NameRecord

_WORD = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9\u3400-\u9fff\-]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SPELLING = {"centre": "center", "centres": "centers", "programme": "program"}
_SPELLING |= {"organisation": "organization", "organisations": "organizations"}
_COMMON = 0.6  # a single everyday word ("patent", "cities"): likely, not certain

# Classes that are vocabulary or bookkeeping, not things a report names.
_NOT_ENTITIES = {IPG_NS + c for c in ("Passage", "Source", "Observation", "Measure", "Unit")}
_NOT_ENTITIES |= {IPG_NS + "Qualifier"}
_GENERIC = {IPG_NS + c for c in ("Organization", "PolicyDocument", "Program", "Region")}
_GENERIC |= {IPG_NS + "Concept"}


@dataclass(frozen=True)
class NameMatch:
    """One name found in a text: view offsets, the matched record and how sure the match is."""

    start: int
    end: int
    surface: str
    iri: str
    record: NameRecord
    confidence: float
    alternatives: tuple[str, ...] = ()


def is_acronym(token: str) -> bool:
    """Whether a token is written like an acronym, to be matched with its case.

    >>> is_acronym("MOST"), is_acronym("SMEs"), is_acronym("Most"), is_acronym("IP")
    (True, True, False, True)
    """
    core = token[:-1] if token.endswith("s") and len(token) > 2 else token
    return len(core) >= 2 and core.isupper() and core.isalpha()


@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """The matching key of an English token: acronyms keep case, words fold case and plural.

    >>> [fold(t) for t in ("Universities", "centres", "GIs", "designs", "process", "status")]
    ['university', 'center', '=GI', 'design', 'process', 'status']
    """
    if is_acronym(token):
        return "=" + (token[:-1] if token.endswith("s") else token)
    word = _SPELLING.get(token.casefold(), token.casefold())
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[tuple[str, int, int]]:
    """English tokens of a text with their offsets (hyphens and CJK left out).

    >>> [t for t, _, _ in tokens("high-tech (Wuxi) & co.")]
    ['high', 'tech', '(', 'Wuxi', ')', '&', 'co', '.']
    """
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


class NameTable:
    """A name index over plain records, for finding known names in text.

    Args:
        records: the names: `NameRecord` values (see `names_from_graph`).
    """

    def __init__(self, records: Iterable[NameRecord]) -> None:
        self.records: list[NameRecord] = []
        self._en: dict[str, Any] = {}
        self._zh: dict[str, Any] = {}
        self.by_iri: dict[str, list[NameRecord]] = {}
        self.cls: dict[str, str] = {}
        for record in records:
            if record.cls in _NOT_ENTITIES or not record.label.strip():
                continue
            self.records.append(record)
            self.by_iri.setdefault(record.iri, []).append(record)
            if record.cls and (record.iri not in self.cls or self.cls[record.iri] in _GENERIC):
                self.cls[record.iri] = record.cls
            for name in _variants(record.label):
                self._add(name, record)

    def _add(self, name: str, record: NameRecord) -> None:
        if _CJK.search(name) and not re.search(r"[A-Za-z]", name):
            node = self._zh
            for ch in re.sub(r"\s+", "", name):
                node = node.setdefault(ch, {})
        else:
            keys = [fold(t) for t, _, _ in tokens(name)]
            if not keys:
                return
            node = self._en
            for key in keys:
                node = node.setdefault(key, {})
        node.setdefault("", []).append(record)

    def lookup(self, name: str) -> list[NameRecord]:
        """Records whose name equals ``name`` once folded (a whole-title lookup).

        >>> t = NameTable([NameRecord("id:x", "Notice on Patents", "en", "label", "")])
        >>> [r.iri for r in t.lookup("notice on patent")]
        ['id:x']
        """
        if _CJK.search(name) and not re.search(r"[A-Za-z]", name):
            node: dict[str, Any] | None = self._zh
            for ch in re.sub(r"\s+", "", name):
                node = node.get(ch) if node is not None else None
        else:
            node = self._en
            for key in (fold(t) for t, _, _ in tokens(name)):
                node = node.get(key) if node is not None else None
        found = node.get("", []) if node is not None else []
        return list(found)

    def label_of(self, iri: str, lang: str = "en") -> str:
        """A display name of an entity: a label in ``lang``, else any name."""
        records = self.by_iri.get(iri, [])
        for want_kind in ("label", None):
            for record in records:
                if record.lang == lang and (want_kind is None or record.kind == want_kind):
                    return record.label
        return records[0].label if records else iri

    def find(
        self, text: str, chinese_words: Any = None, exclude: frozenset[str] = frozenset()
    ) -> list[NameMatch]:
        """Known names in ``text``, longest first, not overlapping, in text order.

        Args:
            text: the (clean) text to search.
            chinese_words: optional callable giving the set of jieba word boundaries of a text;
                by default jieba is asked when a short Chinese name is found.
            exclude: IRIs not to match (to find the names inside a known title).
        """
        found = self._find_en(text, exclude)
        if _CJK.search(text):
            found += self._find_zh(text, chinese_words or _jieba_boundaries, exclude)
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[NameMatch] = []
        last_end = -1
        for match in found:
            if match.start >= last_end:
                kept.append(match)
                last_end = match.end
        return kept

    def _find_en(self, text: str, exclude: frozenset[str]) -> list[NameMatch]:
        toks = tokens(text)
        keys = [fold(t) for t, _, _ in toks]
        out: list[NameMatch] = []
        i = 0
        while i < len(toks):
            node = self._en.get(keys[i])
            best: tuple[int, list[NameRecord]] | None = None
            j = i
            while node is not None:
                if "" in node and _allowed(node[""], exclude):
                    best = (j, _allowed(node[""], exclude))
                j += 1
                if j >= len(toks):
                    break
                node = node.get(keys[j])
            if best is None or not toks[i][0][0].isalnum():
                i += 1
                continue
            end_tok, records = best
            start, end = toks[i][1], toks[end_tok][2]
            surface = text[start:end]
            out.append(self._match(start, end, surface, records, _en_confidence(surface, records)))
            i = end_tok + 1
        return out

    def _find_zh(self, text: str, boundaries: Any, exclude: frozenset[str]) -> list[NameMatch]:
        out: list[NameMatch] = []
        cut: set[int] | None = None
        i, n = 0, len(text)
        while i < n:
            node = self._zh.get(text[i])
            best: tuple[int, list[NameRecord]] | None = None
            j = i
            while node is not None:
                j += 1
                if "" in node and _allowed(node[""], exclude):
                    best = (j, _allowed(node[""], exclude))
                if j >= n:
                    break
                node = node.get(text[j])
            if best is None:
                i += 1
                continue
            end, records = best
            confidence = 0.95 if end - i >= 3 else 0.85
            if end - i <= 2:
                if cut is None:
                    cut = boundaries(text)
                if i not in cut or end not in cut:
                    i += 1
                    continue
            out.append(self._match(i, end, text[i:end], records, confidence))
            i = end
        return out

    def _match(
        self, start: int, end: int, surface: str, records: list[NameRecord], confidence: float
    ) -> NameMatch:
        iris = sorted({r.iri for r in records}, key=lambda iri: _rank(iri, records))
        if len(iris) > 1:
            confidence *= 0.6
        record = next(r for r in records if r.iri == iris[0])
        return NameMatch(start, end, surface, iris[0], record, confidence, tuple(iris[1:]))


def _allowed(records: list[NameRecord], exclude: frozenset[str]) -> list[NameRecord]:
    return [r for r in records if r.iri not in exclude] if exclude else records


def _rank(iri: str, records: list[NameRecord]) -> tuple[int, str]:
    kinds = {r.kind for r in records if r.iri == iri}
    return (0 if "label" in kinds else 1, iri)


def _en_confidence(surface: str, records: list[NameRecord]) -> float:
    if any(r.label == surface for r in records):
        exact = 0.95
    elif any(r.label.casefold() == surface.casefold() for r in records):
        exact = 0.9
    else:
        exact = 0.85
    if " " not in surface and surface.islower():
        return _COMMON
    return exact


def _variants(label: str) -> list[str]:
    """A name and its usual short forms: without "the", "of the People's Republic of China",
    "中华人民共和国"."""
    names = [label]
    short = re.sub(r"^the\s+", "", label, flags=re.I)
    short = re.sub(r",?\s+of the People's Republic of China$", "", short)
    short = re.sub(r"^中华人民共和国(?=.{2,})", "", short)
    if short != label:
        names.append(short)
    return names


def _jieba_boundaries(text: str) -> set[int]:
    return set(_cached_boundaries(text))


@lru_cache(maxsize=64)
def _cached_boundaries(text: str) -> frozenset[int]:
    jieba = load_jieba()
    cuts = {0}
    at = 0
    for word in jieba.cut(text):
        at += len(word)
        cuts.add(at)
    return frozenset(cuts)


def load_jieba() -> Any:
    """jieba with its bundled dictionary, quiet (nothing is downloaded)."""
    import logging

    import jieba  # type: ignore[import-untyped]

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


_NAMES_QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT DISTINCT ?s ?p ?name ?type WHERE {
  VALUES ?p { rdfs:label skos:prefLabel skos:altLabel eli:id_local }
  ?s ?p ?name .
  FILTER(isIRI(?s) && isLiteral(?name))
  OPTIONAL { ?s rdf:type ?type . FILTER(STRSTARTS(STR(?type), STR(ipgns:))) }
  FILTER NOT EXISTS {
    ?s rdf:type ?vocab .
    VALUES ?vocab { owl:Class rdfs:Class rdf:Property owl:ObjectProperty owl:DatatypeProperty
                    owl:AnnotationProperty owl:Ontology skos:ConceptScheme }
  }
}
""".replace("ipgns:", "<" + IPG_NS + ">")

_KIND = {
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "label",
    "http://www.w3.org/2004/02/skos/core#altLabel": "altLabel",
    "http://data.europa.eu/eli/ontology#id_local": "id",
}


def names_from_graph(graph: Graph) -> list[NameRecord]:
    """The name table of a graph: every label, alternative label and local id of its entities.

    One SPARQL query over ``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel`` and
    ``eli:id_local``; vocabulary terms (classes, properties, schemes, qualifiers) and
    bookkeeping nodes (sources, passages, observations, units, measures) are left out.
    Alternative labels written like acronyms get the kind ``acronym``.

    Args:
        graph: any rdflib graph (for a Dataset, its default union graph).

    Returns:
        A list of `NameRecord`, one per (entity, name, class).

    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ... <https://w3id.org/ipgraph/id/agency/moe> a <https://w3id.org/ipgraph/ontology#Ministry> ;
    ...     skos:altLabel "MOE"@en .''')
    >>> [(r.label, r.kind, r.cls.rsplit("#")[-1]) for r in names_from_graph(g)]
    [('MOE', 'acronym', 'Ministry')]
    """
    records: list[NameRecord] = []
    for row in graph.query(_NAMES_QUERY):
        subject, predicate, name, cls = row  # type: ignore[misc]
        if not isinstance(subject, URIRef) or not isinstance(name, Literal):
            continue
        if str(subject).startswith(IPG_NS) or (cls is not None and str(cls) in _NOT_ENTITIES):
            continue  # vocabulary individuals (qualifiers, schemes) and bookkeeping nodes
        kind = _KIND[str(predicate)]
        text = str(name)
        if kind == "altLabel" and is_acronym(text):
            kind = "acronym"
        records.append(
            NameRecord(str(subject), text, name.language or "", kind, str(cls) if cls else "")
        )
    records.sort(key=lambda r: (r.iri, r.kind, r.label, r.cls))
    return records
