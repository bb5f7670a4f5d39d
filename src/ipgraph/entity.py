"""A readable summary of one entity: types, labels, links in and out, figures and provenance.

Built by `KnowledgeGraph.entity`; printed by ``ipgraph show``.

>>> import ipgraph
>>> cnipa = ipgraph.load().entity("CNIPA")
>>> cnipa.label
'China National Intellectual Property Administration'
>>> "国家知识产权局" in cnipa.labels["zh"]
True
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ipgraph.graph.results import check_lang
from ipgraph.terms import LABEL_PREDICATES, bnode_labels, in_language, plain
from ipgraph.vocab import IPG

Labeller = Callable[[Node], str]
T = TypeVar("T")


class Reader(Protocol):
    """What `summarize` asks of a store (`ipgraph.store.Store` answers it): SELECT rows as
    terms, and as plain strings (the cheap way to read many)."""

    def query(self, text: str) -> Iterable[Any]: ...

    def select(self, text: str) -> list[tuple[str, ...]]: ...


class Labels(Protocol):
    """Display labels by lookups (`KnowledgeGraph` answers it)."""

    def label(self, node: Node, lang: str = "en") -> str: ...

    def prefetch_labels(self, nodes: Iterable[Node], lang: str = "en") -> None: ...


@dataclass(frozen=True)
class Link:
    """One statement about the entity: ``predicate`` to (or from) ``node``."""

    predicate: URIRef
    predicate_label: str
    node: Node
    node_label: str
    inferred: bool = False
    """Only a curator inference gives this statement (no passage, no second source)."""
    node_label_zh: str = ""
    """The node's Chinese label (its English one when it has none), for ``lang="zh"``."""
    predicate_label_zh: str = ""

    def to_dict(self) -> dict[str, Any]:
        is_literal = isinstance(self.node, Literal)
        return {
            "predicate": str(self.predicate),
            "predicate_label": self.predicate_label,
            "value" if is_literal else "iri": plain(self.node),
            "label": self.node_label,
            "inferred": self.inferred,
        }

    @property
    def mark(self) -> str:
        """What ``ipgraph show`` writes after the link: `` (inferred)`` or nothing."""
        return "  (inferred)" if self.inferred else ""


@dataclass(frozen=True)
class Relation:
    """One predicate in one direction: how many statements the entity has of it (``total``,
    counted by the store) and how many of them the summary lists (``listed``)."""

    direction: str
    """``out`` (the entity is the subject) or ``in`` (it is the object)."""
    predicate: URIRef
    predicate_label: str
    total: int
    listed: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "predicate": str(self.predicate),
            "predicate_label": self.predicate_label,
            "count": self.total,  # as `ipgraph neighbors --format json` names it
            "listed": self.listed,
        }


@dataclass(frozen=True)
class Figure:
    """A statistical observation, read as a sentence: 'more than 23000 transactions (2021)'."""

    iri: URIRef
    label: str
    value: Literal | None
    qualifier: str | None
    unit: str | None
    measure: str | None
    period: str | None
    label_zh: str = ""

    def __str__(self) -> str:
        """The figure as a phrase whose unit agrees with its number.

        >>> from decimal import Decimal
        >>> def fig(value, unit): return Figure(URIRef("urn:f"), "f", Literal(Decimal(value)),
        ...                                     "more than", unit, None, "2021")
        >>> str(fig("23000.0", "transaction")), str(fig("1", "year (duration)"))
        ('more than 23,000 transactions (2021)', 'more than 1 year (2021)')
        >>> str(fig("2035", "calendar year")), str(fig("40", "percent"))
        ('more than 2035 (2021)', 'more than 40 percent (2021)')
        >>> str(fig("3500", "100 million yuan")), str(fig("12", "patents per 10,000 people"))
        ('more than 350 billion yuan (2021)', 'more than 12 patents per 10,000 people (2021)')
        >>> str(fig("14", "ordinal number")), str(fig("3765.2", "100 million yuan"))
        ('more than 14th (2021)', 'more than 376.52 billion yuan (2021)')
        """
        number, unit = _number(self.value), self.unit or self.measure or ""
        if self.unit is not None:
            number, unit = _with_unit(self.value, number, self.unit)
        # "exactly" is what a figure without a qualifier means: it adds nothing to read
        qualifier = "" if self.qualifier == "exactly" else self.qualifier or ""
        parts = [qualifier, number, unit]
        text = " ".join(p for p in parts if p)
        return f"{text} ({self.period})" if self.period else text

    def to_dict(self) -> dict[str, Any]:
        return {
            "iri": str(self.iri),
            "label": self.label,
            "value": plain(self.value),
            "qualifier": self.qualifier,
            "unit": self.unit,
            "measure": self.measure,
            "period": self.period,
            "text": str(self),
        }


@dataclass(frozen=True)
class Passage:
    """Where a fact comes from: source, section, paragraph (a locator, never a quotation)."""

    iri: URIRef
    source: str
    section: str | None
    paragraph: int | None
    heading: str | None
    source_zh: str = ""

    def __str__(self) -> str:
        where = [self.source]
        if self.section:
            where.append(f"section {self.section}")
        if self.paragraph is not None:
            where.append(f"paragraph {self.paragraph}")
        text = ", ".join(where)
        return f"{text} — {self.heading}" if self.heading else text

    def to_dict(self) -> dict[str, Any]:
        return {
            "iri": str(self.iri),
            "source": self.source,
            "section": self.section,
            "paragraph": self.paragraph,
            "heading": self.heading,
            "text": str(self),
        }


@dataclass
class Entity:
    """Everything the graph says about one entity, with labels resolved for reading."""

    iri: URIRef
    label: str
    labels: dict[str, list[str]] = field(default_factory=dict)
    alt_labels: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    outgoing: list[Link] = field(default_factory=list)
    incoming: list[Link] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    provenance: list[Passage] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    """Every relation in and out (but labels, types, same-as, sources and figures, shown on
    their own), with its total: ``outgoing`` and ``incoming`` list ``listed`` of each."""
    label_zh: str = ""
    """The Chinese label (the English one when there is none), for ``to_text(lang=...)``."""
    types_zh: list[str] = field(default_factory=list)
    """The Chinese labels of ``types``, in the same order."""

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data: ``relations`` says, per predicate and direction,
        how many statements there are in all and how many ``outgoing`` / ``incoming`` list."""
        return {
            "iri": str(self.iri),
            "label": self.label,
            "labels": dict(sorted(self.labels.items())),  # the same order on every store
            "alt_labels": self.alt_labels,
            "types": self.types,
            "same_as": self.same_as,
            "outgoing": [link.to_dict() for link in self.outgoing],
            "incoming": [link.to_dict() for link in self.incoming],
            "figures": [figure.to_dict() for figure in self.figures],
            "provenance": [passage.to_dict() for passage in self.provenance],
            "relations": [relation.to_dict() for relation in self.relations],
        }

    def to_text(self, limit: int = 0, lang: str = "both") -> str:
        """The summary as a few readable blocks of text (what ``ipgraph show`` prints).

        Args:
            limit: at most this many links per relation (predicate and direction), 0 all.
                Of a larger relation the first ``limit`` by IRI (a literal by its text) are
                listed, the same links `KnowledgeGraph.entity` reads with that ``limit``,
                then a line with how many more there are; links are listed by label.
            lang: labels of entities ``both`` (``English 中文``), ``en`` or ``zh``, as
                ``ipgraph path`` and ``neighbors`` write them; relations and types are in
                English but with ``zh``.

        Raises:
            UsageError: an unknown ``lang``.
        """
        check_lang(lang)
        lines = [in_language(self.label, self.label_zh, lang), f"  <{self.iri}>"]
        if self.types:
            zh = self.types_zh or self.types
            names = [_term(en, cn, lang) for en, cn in zip(self.types, zh, strict=True)]
            lines.append("  type: " + ", ".join(names))
        for language, values in sorted(self.labels.items()):
            lines.append(f"  label@{language}: " + " | ".join(values))
        if self.alt_labels:
            lines.append("  also: " + ", ".join(self.alt_labels))
        if self.same_as:
            lines.append("  same as: " + ", ".join(self.same_as))
        totals = {(r.direction, r.predicate): r.total for r in self.relations}
        for heading, direction, links, arrow in (
            ("links out:", "out", self.outgoing, "  —{}→ "),
            ("links in:", "in", self.incoming, "  ←{}— "),
        ):
            if links:
                lines.append(heading)
            for predicate, group in _by_predicate(links).items():
                relation = _term(group[0].predicate_label, group[0].predicate_label_zh, lang)
                shown = first_by_text(group, limit, key=lambda lk: str(lk.node))
                lines += [
                    arrow.format(relation)
                    + in_language(lk.node_label, lk.node_label_zh, lang)
                    + lk.mark
                    for lk in shown
                ]
                # the store's count: a summary read with a limit holds only the first links
                left = max(totals.get((direction, predicate), 0), len(group)) - len(shown)
                if left > 0:
                    lines.append(f"  … and {left:,} more {relation} (--limit 0 lists all)")
        if self.figures:
            lines.append("figures:")
            lines += [
                f"  {in_language(fig.label, fig.label_zh, lang)}: {fig}" for fig in self.figures
            ]
        if self.provenance:
            lines.append("source:")
            lines += [
                f"  {replace(passage, source=in_language(passage.source, passage.source_zh, lang))}"
                for passage in self.provenance
            ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def marking(self, inferred: set[tuple[Node, Node, Node]]) -> Entity:
        """The same summary with the links that ``inferred`` holds marked as inferred."""
        out = [
            replace(lk, inferred=(self.iri, lk.predicate, lk.node) in inferred)
            for lk in self.outgoing
        ]
        into = [
            replace(lk, inferred=(lk.node, lk.predicate, self.iri) in inferred)
            for lk in self.incoming
        ]
        return replace(self, outgoing=out, incoming=into)


_SKIP_OUT = {*LABEL_PREDICATES, RDF.type, OWL.sameAs, PROV.wasDerivedFrom}
_SKIP_IN = {IPG.about}  # figures are listed on their own


def summarize(graph: Graph, iri: URIRef, names: Labels, reader: Reader, limit: int = 0) -> Entity:
    """Collect the `Entity` summary of ``iri``: its own labels, types, figures and sources
    from the union ``graph``; its relations from ``reader``, by bounded reads.

    Per predicate and direction the store counts the statements; a relation of at most
    ``limit`` (or any, with ``limit`` 0) is read whole and listed by the labels of its nodes;
    of a larger one only the nodes' text is read (IRIs as plain strings), the first ``limit``
    by it are kept (`first_by_text`: a stable choice that needs no label of the rest) and
    listed by label. Labels are looked up only for what is listed, in one batch per language
    (English, Chinese). A blank node reads ``_:label``, as in every query format
    (`ipgraph.terms.bnode_labels`).
    """
    out = _relations(reader, iri, "out", limit)
    into = _relations(reader, iri, "in", limit)
    renamed = bnode_labels([nodes for _, _, nodes in out + into])
    if renamed:  # a SPARQL server's blank nodes (nodeID://b1), as the query formats name them
        out, into = (
            [(p, n, [_renamed(v, renamed) for v in vs]) for p, n, vs in found]
            for found in (out, into)
        )
    # In IRI order: the graph gives them in the order of its sets, which changes with each
    # process's string hashing on the memory store.
    types = sorted(graph.objects(iri, RDF.type), key=str)
    about = (o for o in graph.subjects(IPG.about, iri) if isinstance(o, URIRef))
    observations = sorted(about, key=str)
    if (iri, RDF.type, IPG.Observation) in graph:
        observations.insert(0, iri)
    derived = sorted(graph.objects(iri, PROV.wasDerivedFrom), key=str)
    sources = [s for p in derived if (s := graph.value(p, IPG.inSource)) is not None]
    shown = (
        [iri, *types, *observations, *derived, *sources]
        + [p for p, _, _ in out + into]
        + [n for _, _, nodes in out + into for n in nodes]
    )
    names.prefetch_labels(shown)
    names.prefetch_labels(shown, lang="zh")  # for to_text(lang=...): one more batch

    def label_of(node: Node, lang: str = "en") -> str:
        # A blank node as every query format writes it (``_:b0``), not its bare label.
        return f"_:{node}" if isinstance(node, BNode) else names.label(node, lang)

    def zh_of(node: Node) -> str:
        return label_of(node, lang="zh")

    labels: dict[str, list[str]] = {}
    for predicate in (RDFS.label, SKOS.prefLabel):
        for value in graph.objects(iri, predicate):
            if isinstance(value, Literal):
                bucket = labels.setdefault(value.language or "", [])
                if str(value) not in bucket:
                    bucket.append(str(value))
    alt = sorted({str(v) for v in graph.objects(iri, SKOS.altLabel)})

    def links(found: list[tuple[URIRef, int, list[Node]]]) -> list[Link]:
        return sorted(
            (
                Link(
                    p,
                    label_of(p),
                    n,
                    label_of(n),
                    node_label_zh=zh_of(n),
                    predicate_label_zh=zh_of(p),
                )
                for p, _, nodes in found
                for n in nodes
            ),
            # by relation (two with one label apart), then by label
            key=lambda lk: (lk.predicate_label, str(lk.predicate), lk.node_label),
        )

    relations = [
        Relation(direction, p, label_of(p), total, len(nodes))
        for direction, found in (("out", out), ("in", into))
        for p, total, nodes in found
    ]
    relations.sort(key=lambda r: (r.direction != "out", r.predicate_label, str(r.predicate)))
    figures = [figure(graph, obs, label_of, zh_of) for obs in observations]
    provenance = sorted(
        (passage(graph, p, label_of, zh_of) for p in derived),
        key=lambda p: (p.source, p.section or "", p.paragraph or 0),
    )
    same_as = sorted(str(o) for o in graph.objects(iri, OWL.sameAs))
    named_types = sorted((label_of(t), zh_of(t)) for t in types)
    return Entity(
        iri=iri,
        label=label_of(iri),
        labels=labels,
        alt_labels=alt,
        types=[en for en, _ in named_types],
        outgoing=links(out),
        incoming=links(into),
        figures=figures,
        provenance=provenance,
        same_as=same_as,
        relations=relations,
        label_zh=zh_of(iri),
        types_zh=[zh for _, zh in named_types],
    )


def _relations(
    reader: Reader, iri: URIRef, direction: str, limit: int
) -> list[tuple[URIRef, int, list[Node]]]:
    """Per predicate of ``direction``: the number of statements and the nodes listed (all,
    or the first ``limit`` by their text when there are more)."""
    skip = _SKIP_OUT if direction == "out" else _SKIP_IN

    def pattern(predicate: str) -> str:
        return f"<{iri}> {predicate} ?n" if direction == "out" else f"?n {predicate} <{iri}>"

    counts = reader.select(
        f"SELECT ?p (COUNT(DISTINCT ?n) AS ?c) WHERE {{ {pattern('?p')} }} GROUP BY ?p"
    )
    found: list[tuple[URIRef, int, list[Node]]] = []
    for p, count in sorted(counts):
        predicate, total = URIRef(p), int(count)
        if predicate in skip:
            continue
        where = pattern(f"<{p}>")
        if not limit or total <= limit:
            nodes = [row[0] for row in reader.query(f"SELECT DISTINCT ?n WHERE {{ {where} }}")]
        else:
            # Only IRIs, as text (cheap to read however many); the other nodes (literals,
            # blank nodes: few in a relation this large) as terms, only if there are some.
            # Labels are looked up later, for the nodes kept.
            iris = [
                row[0]
                for row in reader.select(
                    f"SELECT DISTINCT ?n WHERE {{ {where} FILTER(isIRI(?n)) }}"
                )
            ]
            others: list[Node] = []
            if len(iris) < total:
                text = f"SELECT DISTINCT ?n WHERE {{ {where} FILTER(!isIRI(?n)) }}"
                others = [row[0] for row in reader.query(text)]
            every = [*(URIRef(i) for i in heapq.nsmallest(limit, iris)), *others]
            nodes = first_by_text(every, limit)
        found.append((predicate, total, nodes))
    return found


def _renamed(node: Node, renamed: dict[BNode, str]) -> Node:
    """``node``, or the blank node under its new label in ``renamed`` (`bnode_labels`)."""
    return BNode(renamed[node]) if isinstance(node, BNode) and node in renamed else node


def figure(graph: Graph, obs: URIRef, label_of: Labeller, zh_of: Labeller | None = None) -> Figure:
    """Read one observation into a `Figure` (its label in Chinese too, with ``zh_of``)."""

    def text(predicate: URIRef) -> str | None:
        value = graph.value(obs, predicate)
        return None if value is None else label_of(value)

    value = graph.value(obs, IPG.value)
    period = graph.value(obs, IPG.referencePeriod)
    date = graph.value(obs, IPG.referenceDate)
    when = f"as of {date}" if date is not None else (str(period) if period is not None else None)
    return Figure(
        iri=obs,
        label=label_of(obs),
        value=value if isinstance(value, Literal) else None,
        qualifier=text(IPG.qualifier),
        unit=text(IPG.unit),
        measure=text(IPG.measure),
        period=when,
        label_zh=zh_of(obs) if zh_of else "",
    )


def passage(graph: Graph, node: Node, label_of: Labeller, zh_of: Labeller | None = None) -> Passage:
    """Read a provenance passage node into a `Passage` locator (its source's label in
    Chinese too, with ``zh_of``)."""
    source = graph.value(node, IPG.inSource)
    section = graph.value(node, IPG.section)
    paragraph = graph.value(node, IPG.paragraph)
    heading = graph.value(node, IPG.heading)
    return Passage(
        iri=URIRef(str(node)),
        source=label_of(source) if source is not None else label_of(node),
        section=str(section) if section is not None else None,
        paragraph=int(paragraph) if isinstance(paragraph, Literal) else None,
        heading=str(heading) if heading is not None else None,
        source_zh=zh_of(source if source is not None else node) if zh_of else "",
    )


def _number(value: Literal | None) -> str:
    """A figure's value as people write it: ``23,000``, never ``23000.0``."""
    if value is None:
        return ""
    python = value.toPython()
    if hasattr(python, "normalize"):  # Decimal: 23000.0 -> 23,000
        python = python.normalize()
        return f"{python:,f}" if python == python.to_integral() else str(python)
    if isinstance(python, float) and python.is_integer():
        return f"{int(python):,}"
    if isinstance(python, int) and not isinstance(python, bool):
        return f"{python:,}"
    return str(python)


_BARE_UNITS = {"calendar year": ""}  # the number says it all: 2035
_UNCOUNTED = {"percent", "times", "%"}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SCALED = re.compile(r"^(\d[\d,]*)(?: (thousand|million|billion))? (\S.*)$")


def _with_unit(value: Literal | None, number: str, unit: str) -> tuple[str, str]:
    """The number and its unit in agreement: '1 year', '23,000 transactions', '2035',
    '14th', '350 billion yuan' (for 3,500 of the unit '100 million yuan')."""
    name = unit.split(" (")[0].strip()  # "year (duration)" -> "year"
    if name in _BARE_UNITS:
        return number.replace(",", ""), _BARE_UNITS[name]
    python = value.toPython() if value is not None else None
    if name == "ordinal number" and isinstance(python, (int, Decimal)) and python == int(python):
        return _ordinal(int(python)), ""
    scaled = _SCALED.match(name)
    if scaled and isinstance(python, (int, float, Decimal)) and not isinstance(python, bool):
        factor = int(scaled.group(1).replace(",", "")) * _SCALES.get(scaled.group(2) or "", 1)
        return _in_words(Decimal(str(python)) * factor), scaled.group(3)
    if name in _UNCOUNTED or not name.isascii() or " per " in name or name.endswith("yuan"):
        return number, name
    one = python is not None and not isinstance(python, str) and python == 1
    if one:
        return number, name
    return number, " or ".join(_plural(part) for part in name.split(" or "))


def _ordinal(n: int) -> str:
    """14 -> '14th', 22 -> '22nd', 11 -> '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def _in_words(amount: Decimal) -> str:
    """An amount in the largest scale word it reaches: 350000000000 -> '350 billion'."""
    for word, size in sorted(_SCALES.items(), key=lambda item: -item[1]):
        if size >= 10**6 and abs(amount) >= size:
            return f"{_plain(amount / size)} {word}"
    return _plain(amount)


def _plain(number: Decimal) -> str:
    """A decimal with thousands separators and no trailing zeros: 376.520 -> '376.52'."""
    number = number.normalize()
    return f"{int(number):,}" if number == number.to_integral() else f"{number:,f}"


def _plural(noun: str) -> str:
    """The English plural of a unit's last word: transaction → transactions, city → cities."""
    head, _, last = noun.rpartition(" ")
    if last == "person":
        last = "people"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}".strip()


def first_by_text(items: Sequence[T], limit: int, key: Callable[[T], str] = str) -> list[T]:
    """At most ``limit`` of ``items`` (0: all): the first by ``key`` (their text: an IRI, a
    literal's value), kept in their given order. How `summarize` picks the nodes it reads of
    a large relation and `Entity.to_text` the links it lists, so that both list the same.

    >>> first_by_text(["c", "a", "d", "b"], 2), first_by_text(["c", "a"], 0)
    (['a', 'b'], ['c', 'a'])
    """
    if not limit or len(items) <= limit:
        return list(items)
    chosen = {id(item) for item in heapq.nsmallest(limit, items, key=key)}
    return [item for item in items if id(item) in chosen]


def _by_predicate(links: list[Link]) -> dict[URIRef, list[Link]]:
    """The links of one direction per predicate, in listing order: two predicates with the
    same label are two relations."""
    groups: dict[URIRef, list[Link]] = {}
    for link in links:
        groups.setdefault(link.predicate, []).append(link)
    return groups


def _term(en: str, zh: str, lang: str) -> str:
    """A relation's or class's label: Chinese only with ``zh`` (a vocabulary word, read once)."""
    return (zh or en) if lang == "zh" else en
