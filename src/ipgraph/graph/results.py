"""What path queries answer: `Path` (with its `Hop`s), `PathList`, `Neighborhood`, `Ranked`,
`Community` — plain data with ``to_text`` and ``to_dict``, and the labels they need.

>>> from rdflib import URIRef
>>> hop = Hop(URIRef("x:moe"), URIRef("x:issued"), URIRef("x:doc"), True)
>>> Path(URIRef("x:moe"), [hop], {}).to_text()
'moe —issued→ doc'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from ipgraph.errors import UsageError
from ipgraph.terms import in_language

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "LANGS",
    "Community",
    "Hop",
    "Names",
    "Neighbor",
    "Neighborhood",
    "Path",
    "PathList",
    "Ranked",
    "check_lang",
    "describe",
    "node_label",
    "tail",
]

LANGS = ("both", "en", "zh")

Names = Mapping[URIRef, tuple[str, str]]
"""IRI → (label, Chinese label) for the nodes and predicates a result mentions."""


@dataclass(frozen=True)
class Hop:
    """One step of a path: the triple ``(subject, predicate, object)`` and how it is walked.

    Attributes:
        subject: the triple's subject.
        predicate: the triple's predicate.
        object: the triple's object.
        forward: True when the path goes from subject to object, False when it walks the
            triple backwards (from object to subject).

    >>> hop = Hop(URIRef("x:doc"), URIRef("x:issuedBy"), URIRef("x:moe"), forward=False)
    >>> hop.source, hop.target
    (rdflib.term.URIRef('x:moe'), rdflib.term.URIRef('x:doc'))
    """

    subject: URIRef
    predicate: URIRef
    object: URIRef
    forward: bool

    @property
    def source(self) -> URIRef:
        """The node the hop leaves."""
        return self.subject if self.forward else self.object

    @property
    def target(self) -> URIRef:
        """The node the hop reaches."""
        return self.object if self.forward else self.subject

    def triple(self) -> tuple[URIRef, URIRef, URIRef]:
        """The RDF triple that backs the hop."""
        return (self.subject, self.predicate, self.object)


@dataclass(frozen=True)
class Path:
    """A connection between two entities, hop by hop.

    Attributes:
        start: the entity the path starts from.
        hops: the steps, in walking order; empty when start and end are the same entity.
        names: labels (English, Chinese) of every node and predicate on the path.
        types: the rdf:types of every node on the path.
    """

    start: URIRef
    hops: list[Hop]
    names: Names = field(default_factory=dict, repr=False, compare=False)
    types: Mapping[URIRef, tuple[URIRef, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __len__(self) -> int:
        return len(self.hops)

    @property
    def end(self) -> URIRef:
        """The entity the path reaches."""
        return self.hops[-1].target if self.hops else self.start

    @property
    def nodes(self) -> list[URIRef]:
        """The entities along the path, start and end included."""
        return [self.start, *(hop.target for hop in self.hops)]

    def triples(self) -> list[tuple[URIRef, URIRef, URIRef]]:
        """The triples that justify the path, one per hop."""
        return [hop.triple() for hop in self.hops]

    def to_text(self, lang: str = "both") -> str:
        """The path in words on one line, e.g. ``A ←in cooperation with— B —launched by→ C``.

        Args:
            lang: ``both`` (``English 中文`` for entities), ``en`` or ``zh``.

        Raises:
            UsageError: an unknown ``lang``.
        """
        check_lang(lang)
        parts = [_name(self.names, self.start, lang)]
        for hop in self.hops:
            relation = _relation(self.names, hop.predicate, lang)
            arrow = f"—{relation}→" if hop.forward else f"←{relation}—"
            parts += [arrow, _name(self.names, hop.target, lang)]
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The path as JSON-ready data: IRIs and labels of nodes, hops and predicates."""
        return {
            "length": len(self),
            "start": _node_dict(self.names, self.types, self.start),
            "end": _node_dict(self.names, self.types, self.end),
            "nodes": [_node_dict(self.names, self.types, n) for n in self.nodes],
            "hops": [
                {
                    "subject": _node_dict(self.names, None, hop.subject),
                    "predicate": _node_dict(self.names, None, hop.predicate),
                    "object": _node_dict(self.names, None, hop.object),
                    "forward": hop.forward,
                }
                for hop in self.hops
            ],
            "text": self.to_text(),
        }

    def __str__(self) -> str:
        return self.to_text()


class PathList(list[Path]):
    """Paths, shortest first, saying whether the search stopped early.

    Attributes:
        truncated: the search stopped before it had seen every path.
        reason: ``"limit"`` (more paths than asked for) or ``"time"`` (the time budget ran
            out), None when complete.
    """

    def __init__(self, paths: Iterable[Path] = (), reason: str | None = None) -> None:
        super().__init__(paths)
        self.reason = reason

    @property
    def truncated(self) -> bool:
        """True when the search stopped early (see ``reason``)."""
        return self.reason is not None

    def to_dict(self) -> dict[str, Any]:
        """The paths as JSON-ready data, with the truncation flag and reason."""
        return {
            "count": len(self),
            "truncated": self.truncated,
            "reason": self.reason,
            "paths": [path.to_dict() for path in self],
        }


@dataclass(frozen=True)
class Neighbor:
    """An entity near the centre: how far, and the hop it was reached by."""

    node: URIRef
    depth: int
    hop: Hop


@dataclass(frozen=True)
class Neighborhood:
    """The entities within some hops of a centre, grouped by depth and relation.

    Attributes:
        center: the entity asked about.
        neighbors: one entry per entity reached (at depth 1, one per relation to it); when
            read by bounded lookups (a large store), only the first few of each group.
        names: labels of every node and predicate mentioned.
        types: the rdf:types of every node.
        counts: how many entities each group ``(depth, predicate, forward)`` holds in all,
            when ``neighbors`` lists only some of them (a group missing here holds exactly
            those listed).
    """

    center: URIRef
    neighbors: list[Neighbor]
    names: Names = field(default_factory=dict, repr=False, compare=False)
    types: Mapping[URIRef, tuple[URIRef, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    counts: Mapping[tuple[int, URIRef, bool], int] = field(
        default_factory=dict, repr=False, compare=False
    )

    def groups(self) -> dict[tuple[int, URIRef, bool], list[Neighbor]]:
        """Neighbours by (depth, predicate, walked forward), each group sorted by label."""
        grouped: dict[tuple[int, URIRef, bool], list[Neighbor]] = {}
        ordered = sorted(
            self.neighbors,
            key=lambda nb: (
                nb.depth,
                _relation(self.names, nb.hop.predicate, "en"),
                not nb.hop.forward,
                _name(self.names, nb.node, "en"),
            ),
        )
        for nb in ordered:
            grouped.setdefault((nb.depth, nb.hop.predicate, nb.hop.forward), []).append(nb)
        return grouped

    def to_dict(self, limit: int = 0) -> dict[str, Any]:
        """JSON-ready: the centre and one entry per (depth, relation, direction) group, each
        with its ``count`` (in all), at most ``limit`` of its ``entities`` (0: all) and how
        many of them are ``listed``."""
        groups = []
        for key, everyone in self.groups().items():
            depth, predicate, forward = key
            members = _first_by_iri(everyone, limit)
            groups.append(
                {
                    "depth": depth,
                    "predicate": _node_dict(self.names, None, predicate),
                    "direction": "out" if forward else "in",
                    "count": self.counts.get(key, len(everyone)),
                    "listed": len(members),
                    "entities": [
                        {
                            **_node_dict(self.names, self.types, nb.node),
                            "from": _node_dict(self.names, None, nb.hop.source),
                        }
                        for nb in members
                    ],
                }
            )
        return {"center": _node_dict(self.names, self.types, self.center), "groups": groups}

    def to_text(self, lang: str = "both", limit: int = 0) -> str:
        """An indented listing: depth, then ``—relation→`` / ``←relation—`` groups, each
        listing at most ``limit`` entities (0: all) and how many more it holds."""
        check_lang(lang)
        lines = [_name(self.names, self.center, lang)]
        current = 0
        for key, everyone in self.groups().items():
            depth, predicate, forward = key
            total = self.counts.get(key, len(everyone))
            members = _first_by_iri(everyone, limit)
            if depth != current:
                lines.append(f"depth {depth}")
                current = depth
            relation = _relation(self.names, predicate, lang)
            arrow = f"—{relation}→" if forward else f"←{relation}—"
            lines.append(f"  {arrow} ({total:,})")
            for nb in members:
                via = f"  (from {_name(self.names, nb.hop.source, lang)})" if depth > 1 else ""
                lines.append(f"    {_name(self.names, nb.node, lang)}{via}")
            if total > len(members):
                lines.append(f"    … and {total - len(members):,} more (--limit 0 lists all)")
        if not self.neighbors:
            lines.append("  (no related entities)")
        return "\n".join(lines)

    def __len__(self) -> int:
        """How many distinct entities ``neighbors`` lists."""
        return len({nb.node for nb in self.neighbors})


@dataclass(frozen=True)
class Ranked:
    """One entity with its centrality score."""

    iri: URIRef
    score: float
    label: str
    label_zh: str
    types: tuple[URIRef, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "iri": str(self.iri),
            "label": self.label,
            "label_zh": self.label_zh,
            "types": [str(t) for t in self.types],
            "score": self.score,
        }


@dataclass(frozen=True)
class Community:
    """A cluster of the projection; ``members`` most connected first."""

    members: tuple[URIRef, ...]
    label: str

    def __len__(self) -> int:
        return len(self.members)


def check_lang(lang: str) -> None:
    """Refuse an unknown language choice."""
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")


def node_label(G: nx.MultiDiGraph, node: URIRef) -> str:
    """A node's label in the projection (the end of its IRI when it has none)."""
    return str(G.nodes[node].get("label") or tail(node)) if node in G else tail(node)


def describe(
    G: nx.MultiDiGraph, nodes: Iterable[URIRef], hops: Iterable[Hop]
) -> tuple[dict[URIRef, tuple[str, str]], dict[URIRef, tuple[URIRef, ...]]]:
    """Labels and types of the nodes and predicates a result mentions."""
    names: dict[URIRef, tuple[str, str]] = {}
    types: dict[URIRef, tuple[URIRef, ...]] = {}
    for node in nodes:
        data = G.nodes[node]
        names[node] = (data.get("label") or tail(node), data.get("label_zh", ""))
        types[node] = tuple(data.get("types", ()))
    for hop in hops:
        if hop.predicate not in names:
            data = G.edges[hop.subject, hop.object, hop.predicate]
            en = data.get("label_en") or tail(hop.predicate)
            names[hop.predicate] = (en, data.get("label_zh", ""))
    return names, types


def _name(names: Names, iri: URIRef, lang: str) -> str:
    label, zh = names.get(iri, (tail(iri), ""))
    return in_language(label, zh, lang)


def _relation(names: Names, predicate: URIRef, lang: str) -> str:
    label, zh = names.get(predicate, (tail(predicate), ""))
    return (zh or label) if lang == "zh" else label


def tail(iri: URIRef) -> str:
    """The last part of an IRI or CURIE, for a node without a label."""
    return str(iri).rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def _node_dict(
    names: Names, types: Mapping[URIRef, tuple[URIRef, ...]] | None, iri: URIRef
) -> dict[str, Any]:
    label, zh = names.get(iri, (tail(iri), ""))
    out: dict[str, Any] = {"iri": str(iri), "label": label, "label_zh": zh}
    if types is not None:
        out["types"] = [str(t) for t in types.get(iri, ())]
    return out


def _first_by_iri(everyone: list[Neighbor], limit: int) -> list[Neighbor]:
    """At most ``limit`` of a group (0: all): the first by IRI, as a large store reads them
    (`ipgraph.graph.relations`), so that every store lists the same; in listing order."""
    if limit <= 0 or len(everyone) <= limit:
        return everyone
    chosen = {id(nb) for nb in sorted(everyone, key=lambda nb: str(nb.node))[:limit]}
    return [nb for nb in everyone if id(nb) in chosen]
