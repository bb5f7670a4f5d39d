"""Paths through the entity projection: how is A connected to B, who is central, what clusters.

Every search walks the projection (see `ipgraph.graph.projection`) along edges in *either*
direction and reports each hop's true direction, so a path is always backed by triples:

>>> import ipgraph
>>> kg = ipgraph.load()
>>> path = kg.path("MOF", "CNIPA")
>>> print(path.to_text(lang="en"))  # doctest: +ELLIPSIS
Ministry of Finance ←in cooperation with— Special plan on ... —launched by→ China National ...
>>> path.hops[0].triple() in kg.graph
True

Text layout (`Path.to_text`): entities by label, hops as ``—relation→`` when the path follows
the triple's direction and ``←relation—`` when it walks it backwards. ``lang="en"`` and
``lang="zh"`` use one language (falling back to the other); ``lang="both"`` (the default) writes
each entity as ``English 中文`` — English label, a space, the Chinese label when there is a
different one — and relations in English, which keeps one line readable for both audiences.

Bounds: `all_paths` enumerates simple paths shortest first and stops at ``limit`` paths (0:
no limit) or after ``timeout`` seconds, whichever comes first, saying which
(`PathList.truncated`); it only
extends a partial path towards nodes that can still reach the target within the length left
(distances from a breadth-first search from the target), so hubs do not explode the search.
`k_shortest_paths` uses networkx's `shortest_simple_paths` (Yen) on the simple undirected view
and checks its time budget between paths.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import networkx as nx
from rdflib import URIRef

from ipgraph.errors import NoPath, UsageError
from ipgraph.graph.include import INCLUDE_GROUPS
from ipgraph.graph.results import (
    Hop,
    Neighbor,
    Neighborhood,
    Path,
    PathList,
    describe,
    node_label,
)

__all__ = [
    "Constraints",
    "all_paths",
    "check_bounds",
    "check_endpoint",
    "constraints",
    "is_a",
    "k_shortest_paths",
    "neighbors",
    "shortest_path",
    "term_kind",
]


# -- constraints ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Constraints:
    """What a walk may pass through.

    Attributes:
        via_types: when not empty, every intermediate entity must be of one of these classes
            (or a subclass).
        avoid_types: no intermediate entity of these classes (or subclasses).
        via_predicates: when not empty, every hop must use one of these predicates.
        avoid_predicates: no hop uses these predicates.
        avoid_nodes: these entities are never intermediates.
        text: how to say the constraints in a message ("through PolicyDocument only").

    >>> Constraints().unconstrained
    True
    """

    via_types: frozenset[URIRef] = frozenset()
    avoid_types: frozenset[URIRef] = frozenset()
    via_predicates: frozenset[URIRef] = frozenset()
    avoid_predicates: frozenset[URIRef] = frozenset()
    avoid_nodes: frozenset[URIRef] = frozenset()
    text: str = ""

    @property
    def unconstrained(self) -> bool:
        """True when nothing is filtered."""
        return not (
            self.via_types
            or self.avoid_types
            or self.via_predicates
            or self.avoid_predicates
            or self.avoid_nodes
        )

    def edge_ok(self, predicate: URIRef) -> bool:
        """May a hop use this predicate?"""
        if predicate in self.avoid_predicates:
            return False
        return not self.via_predicates or predicate in self.via_predicates


class _Walker:
    """The constrained adjacency of one search, with the node checks memoised."""

    def __init__(
        self, G: nx.MultiDiGraph, c: Constraints, ends: Iterable[URIRef], ordered: bool = True
    ) -> None:
        self.G = G
        self.ordered = ordered
        self.c = c
        self.ends = set(ends)
        self.superclasses: Mapping[URIRef, frozenset[URIRef]] = G.graph.get("superclasses", {})
        self._ok: dict[URIRef, bool] = {}
        self._next: dict[URIRef, list[URIRef]] = {}

    def node_ok(self, node: URIRef) -> bool:
        """May ``node`` be an intermediate (endpoints always may)?"""
        if node in self.ends:
            return True
        ok = self._ok.get(node)
        if ok is None:
            ok = self._ok[node] = self._check(node)
        return ok

    def _check(self, node: URIRef) -> bool:
        c = self.c
        if node in c.avoid_nodes:
            return False
        if not (c.via_types or c.avoid_types):
            return True
        classes: set[URIRef] = set()
        for t in self.G.nodes[node].get("types", ()):
            classes |= self.superclasses.get(t, frozenset({t}))
        if c.avoid_types & classes:
            return False
        return not c.via_types or bool(c.via_types & classes)

    def steps(self, u: URIRef) -> Iterator[tuple[URIRef, URIRef, bool]]:
        """Every allowed ``(neighbour, predicate, forward)`` from ``u``."""
        edge_ok = self.c.edge_ok
        for v, keys in self.G._succ[u].items():
            if v != u and self.node_ok(v):
                for p in keys:
                    if edge_ok(p):
                        yield v, p, True
        for v, keys in self.G._pred[u].items():
            if v != u and self.node_ok(v):
                for p in keys:
                    if edge_ok(p):
                        yield v, p, False

    def next_nodes(self, u: URIRef) -> list[URIRef]:
        """The distinct allowed neighbours of ``u`` (memoised), sorted if ``ordered``.

        Unsorted, they come in the order the triples were read, which is stable for the
        same data and skips sorting the thousands of neighbours of a hub on every search.
        """
        found = self._next.get(u)
        if found is None:
            if self.c.unconstrained:  # the common case: no per-edge checks
                near = dict.fromkeys(itertools.chain(self.G._succ[u], self.G._pred[u]))
                near.pop(u, None)
            else:
                near = dict.fromkeys(v for v, _, _ in self.steps(u))
            found = self._next[u] = sorted(near) if self.ordered else list(near)
        return found

    def hop(self, u: URIRef, v: URIRef) -> Hop:
        """The hop from ``u`` to ``v``: a forward edge first, then by predicate IRI."""
        options = [(p, True) for p in self.G._succ[u].get(v, ()) if self.c.edge_ok(p)]
        options += [(p, False) for p in self.G._pred[u].get(v, ()) if self.c.edge_ok(p)]
        p, forward = min(options, key=lambda option: (not option[1], str(option[0])))
        return Hop(u, p, v, True) if forward else Hop(v, p, u, False)

    def path(self, nodes: list[URIRef]) -> Path:
        hops = [self.hop(u, v) for u, v in itertools.pairwise(nodes)]
        return Path(nodes[0], hops, *describe(self.G, nodes, hops))


# -- searches ------------------------------------------------------------------------------


def shortest_path(
    G: nx.MultiDiGraph, a: URIRef, b: URIRef, constraints: Constraints | None = None
) -> Path:
    """A shortest connection from ``a`` to ``b``, edges walked in either direction.

    A bidirectional breadth-first search over the projection; among equally short paths
    the result is deterministic for the same data.

    Args:
        G: a projection.
        a: the start entity (a node of ``G``).
        b: the end entity.
        constraints: what the path may pass through.

    Raises:
        NoPath: ``a`` and ``b`` are not connected (under the constraints).

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge(URIRef("x:doc"), URIRef("x:moe"), key=URIRef("x:issuedBy"))
    rdflib.term.URIRef('x:issuedBy')
    >>> G.add_edge(URIRef("x:doc"), URIRef("x:most"), key=URIRef("x:issuedBy"))
    rdflib.term.URIRef('x:issuedBy')
    >>> print(shortest_path(G, URIRef("x:moe"), URIRef("x:most")))
    moe ←issuedBy— doc —issuedBy→ most
    """
    c = constraints or Constraints()
    walker = _Walker(G, c, (a, b), ordered=False)
    nodes = _bidirectional(walker, a, b)
    if nodes is None:
        raise NoPath(_no_path_message(G, a, b, c))
    return walker.path(nodes)


def _bidirectional(walker: _Walker, a: URIRef, b: URIRef) -> list[URIRef] | None:
    if a == b:
        return [a]
    pred: dict[URIRef, URIRef | None] = {a: None}
    succ: dict[URIRef, URIRef | None] = {b: None}
    forward, backward = [a], [b]

    def grow(
        level: list[URIRef], seen: dict[URIRef, URIRef | None], other: dict[URIRef, URIRef | None]
    ) -> tuple[list[URIRef], URIRef | None]:
        """Expand one side by a level; return the next level, or where the sides meet."""
        following: list[URIRef] = []
        for u in level:
            for v in walker.next_nodes(u):
                if v not in seen:
                    seen[v] = u
                    if v in other:
                        return following, v
                    following.append(v)
        return following, None

    while forward and backward:
        # always grow the smaller frontier
        if len(forward) <= len(backward):
            forward, meet = grow(forward, pred, succ)
        else:
            backward, meet = grow(backward, succ, pred)
        if meet is not None:
            return _join(pred, succ, meet)
    return None


def _join(
    pred: Mapping[URIRef, URIRef | None], succ: Mapping[URIRef, URIRef | None], meet: URIRef
) -> list[URIRef]:
    head: list[URIRef] = []
    node: URIRef | None = meet
    while node is not None:
        head.append(node)
        node = pred[node]
    head.reverse()
    node = succ[meet]
    while node is not None:
        head.append(node)
        node = succ[node]
    return head


def all_paths(
    G: nx.MultiDiGraph,
    a: URIRef,
    b: URIRef,
    constraints: Constraints | None = None,
    *,
    max_length: int = 4,
    limit: int = 20,
    timeout: float = 5.0,
) -> PathList:
    """Simple paths from ``a`` to ``b`` of at most ``max_length`` hops, shortest first.

    Paths are distinct sequences of entities (when two entities are linked by several
    predicates, the hop names one of them). The search stops after ``limit`` paths (0: every
    path) or ``timeout`` seconds and says so in `PathList.reason`.

    Args:
        G: a projection.
        a: the start entity.
        b: the end entity.
        constraints: what the paths may pass through.
        max_length: the longest path, in hops.
        limit: how many paths at most; 0 for all (still bounded by ``timeout``).
        timeout: the time budget in seconds.

    Raises:
        UsageError: ``max_length`` below 1, or a negative ``limit`` or ``timeout``.

    >>> G = nx.MultiDiGraph()
    >>> for u, v in [("a", "b"), ("b", "c"), ("a", "c")]:
    ...     _ = G.add_edge(URIRef(u), URIRef(v), key=URIRef("x:p"))
    >>> [str(p) for p in all_paths(G, URIRef("a"), URIRef("c"))]
    ['a —p→ c', 'a —p→ b —p→ c']
    >>> [len(all_paths(G, URIRef("a"), URIRef("c"), limit=n)) for n in (1, 0)]  # 0: all
    [1, 2]
    """
    check_bounds(max_length=max_length, limit=limit, timeout=timeout)
    c = constraints or Constraints()
    walker = _Walker(G, c, (a, b))
    if a == b:
        return PathList([walker.path([a])])
    dist = _distances_to(walker, b, avoid=a, cutoff=max_length)
    if a not in dist:
        return PathList()
    deadline = time.perf_counter() + timeout
    found: list[list[URIRef]] = []
    reason: str | None = None
    steps = 0
    for length in range(dist[a], max_length + 1):
        path = [a]
        on_path = {a}
        stack = [iter(walker.next_nodes(a))]
        while stack and reason is None:
            steps += 1
            if steps % 512 == 0 and time.perf_counter() > deadline:
                reason = "time"
                break
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                on_path.discard(path.pop())
                continue
            left = length - len(path)  # hops still to go after stepping to child
            if child == b:
                if left == 0:
                    found.append([*path, b])
                    if limit and len(found) > limit:
                        reason = "limit"
                continue
            if child in on_path or left <= 0 or dist.get(child, max_length + 1) > left:
                continue
            path.append(child)
            on_path.add(child)
            stack.append(iter(walker.next_nodes(child)))
        if reason is not None:
            break
    return PathList((walker.path(nodes) for nodes in found[: limit or None]), reason)


def _distances_to(walker: _Walker, target: URIRef, avoid: URIRef, cutoff: int) -> dict[URIRef, int]:
    """Hops from every node to ``target`` (up to ``cutoff``), never passing through ``avoid``."""
    dist = {target: 0}
    level = [target]
    for depth in range(1, cutoff + 1):
        following: list[URIRef] = []
        for u in level:
            for v in walker.next_nodes(u):
                if v not in dist:
                    dist[v] = depth
                    if v != avoid:
                        following.append(v)
        level = following
        if not level:
            break
    return dist


def k_shortest_paths(
    G: nx.MultiDiGraph,
    a: URIRef,
    b: URIRef,
    k: int,
    constraints: Constraints | None = None,
    *,
    max_length: int | None = None,
    timeout: float = 5.0,
) -> PathList:
    """The ``k`` shortest simple paths (Yen's algorithm, networkx) on the undirected view.

    Args:
        G: a projection.
        a: the start entity.
        b: the end entity.
        k: how many paths at most; 0 for all (still bounded by ``timeout``).
        constraints: what the paths may pass through.
        max_length: stop at paths longer than this many hops.
        timeout: the time budget in seconds, checked between paths.

    Raises:
        UsageError: a negative ``k`` or ``timeout``, or ``max_length`` below 1.

    >>> G = nx.MultiDiGraph()
    >>> for u, v in [("a", "b"), ("b", "c"), ("a", "c")]:
    ...     _ = G.add_edge(URIRef(u), URIRef(v), key=URIRef("x:p"))
    >>> [len(p) for p in k_shortest_paths(G, URIRef("a"), URIRef("c"), k=5)]
    [1, 2]
    """
    check_bounds(limit=k, timeout=timeout, max_length=max_length)
    c = constraints or Constraints()
    walker = _Walker(G, c, (a, b))
    if a == b:
        return PathList([walker.path([a])])
    simple = nx.Graph()
    simple.add_nodes_from((a, b))
    for u in G:
        if walker.node_ok(u):
            simple.add_edges_from((u, v) for v in walker.next_nodes(u))
    deadline = time.perf_counter() + timeout
    found: list[list[URIRef]] = []
    reason: str | None = None
    try:
        for nodes in nx.shortest_simple_paths(simple, a, b):
            if max_length is not None and len(nodes) - 1 > max_length:
                break
            found.append(nodes)
            if k and len(found) == k:
                break
            if time.perf_counter() > deadline:
                reason = "time"
                break
    except nx.NetworkXNoPath:
        pass
    return PathList((walker.path(nodes) for nodes in found), reason)


def neighbors(
    G: nx.MultiDiGraph,
    center: URIRef,
    depth: int = 1,
    types: Iterable[URIRef] = (),
    constraints: Constraints | None = None,
) -> Neighborhood:
    """The entities within ``depth`` hops of ``center`` (edges in either direction).

    Every entity is listed once, at its smallest depth, with the hop it was first reached
    by; at depth 1 an entity linked by several relations is listed under each.

    Args:
        G: a projection.
        center: the entity to look around.
        depth: how many hops out (1 = direct relations).
        types: report only entities of these classes (or subclasses); the walk itself passes
            through any entity.
        constraints: what the walk may pass through.

    Raises:
        UsageError: ``depth`` below 1.

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge(URIRef("x:doc"), URIRef("x:moe"), key=URIRef("x:issuedBy"))
    >>> [nb.node for nb in neighbors(G, URIRef("x:moe")).neighbors]
    [rdflib.term.URIRef('x:doc')]
    """
    if depth < 1:
        raise UsageError(f"depth must be 1 or more, not {depth}")
    c = constraints or Constraints()
    walker = _Walker(G, c, (center,))
    wanted = frozenset(types)
    found: list[Neighbor] = []
    seen = {center}
    level = [center]
    for d in range(1, depth + 1):
        following: list[URIRef] = []
        for u in level:
            for v, p, forward in sorted(walker.steps(u), key=lambda s: (str(s[0]), str(s[1]))):
                hop = Hop(u, p, v, True) if forward else Hop(v, p, u, False)
                if v not in seen:
                    seen.add(v)
                    following.append(v)
                    found.append(Neighbor(v, d, hop))
                elif d == 1 and v != center:
                    found.append(Neighbor(v, d, hop))
        level = following
    if wanted:
        superclasses = G.graph.get("superclasses", {})
        found = [nb for nb in found if is_a(G, nb.node, wanted, superclasses)]
    nodes = [center, *(nb.node for nb in found), *(nb.hop.source for nb in found)]
    hops = [nb.hop for nb in found]
    return Neighborhood(center, found, *describe(G, nodes, hops))


# -- endpoints and constraints from resolved references ----------------------------------------


def check_endpoint(G: nx.MultiDiGraph, iri: URIRef, types: Iterable[URIRef], name: str) -> URIRef:
    """``iri`` when it is a node of the projection ``G``; else why not, as a `UsageError`.

    Args:
        G: the projection.
        iri: a resolved entity.
        types: its ``rdf:type`` classes (to say which ``include`` group would add it).
        name: its display label, for the message.

    Raises:
        UsageError: the IRI names a vocabulary term, a passage or an observation that this
            projection leaves out; the message says what to include.
    """
    if iri in G:
        return iri
    superclasses = G.graph.get("superclasses", {})
    classes: set[URIRef] = set()
    for t in types:
        classes |= superclasses.get(t, frozenset())
    for group, members in INCLUDE_GROUPS.items():
        if classes.intersection(members):
            raise UsageError(
                f"{name} <{iri}> belongs to the {group}, which paths leave out by default; "
                f"add include=({group!r},) (CLI: --include {group})"
            )
    raise UsageError(
        f"{name} <{iri}> is not an entity of the projection (vocabulary terms and nodes "
        "without statements of their own are left out); give an entity such as an agency, "
        "document, program or region"
    )


def term_kind(G: nx.MultiDiGraph, iri: URIRef) -> str | None:
    """``"class"`` or ``"predicate"`` when ``iri`` is one in the projection ``G``, else None.

    >>> G = nx.MultiDiGraph(superclasses={URIRef("x:C"): frozenset()})
    >>> _ = G.add_edge(URIRef("x:a"), URIRef("x:b"), URIRef("x:p"))
    >>> term_kind(G, URIRef("x:C")), term_kind(G, URIRef("x:p")), term_kind(G, URIRef("x:a"))
    ('class', 'predicate', None)
    """
    if iri in G.graph.get("superclasses", {}):
        return "class"
    if any(key == iri for _, _, key in G.edges(keys=True)):
        return "predicate"
    return None


def constraints(
    via: Iterable[tuple[str, URIRef, str]] = (), avoid: Iterable[tuple[str, URIRef, str]] = ()
) -> Constraints:
    """`Constraints` from classified references: ``(kind, iri, name)`` with ``kind`` one of
    ``class``, ``predicate`` (and, for ``avoid``, ``entity``).

    >>> constraints(via=[("class", URIRef("x:Doc"), "Doc")]).text
    'through Doc'
    """
    sets: dict[str, dict[str, set[URIRef]]] = {
        "via": {"class": set(), "predicate": set()},
        "avoid": {"class": set(), "predicate": set(), "entity": set()},
    }
    words: list[str] = []
    for side, refs in (("via", via), ("avoid", avoid)):
        for kind, iri, name in refs:
            sets[side][kind].add(iri)
            words.append(f"{'through' if side == 'via' else 'avoiding'} {name}")
    return Constraints(
        frozenset(sets["via"]["class"]),
        frozenset(sets["avoid"]["class"]),
        frozenset(sets["via"]["predicate"]),
        frozenset(sets["avoid"]["predicate"]),
        frozenset(sets["avoid"]["entity"]),
        text=", ".join(words),
    )


def _no_path_message(G: nx.MultiDiGraph, a: URIRef, b: URIRef, c: Constraints) -> str:
    where = f" ({c.text})" if c.text else ""
    hint = "; try without --via/--avoid" if not c.unconstrained else ""
    if c.unconstrained and (not G.degree(a) or not G.degree(b)):
        lonely = a if not G.degree(a) else b
        hint = f"; {node_label(G, lonely)} has no relations to other entities"
    included = G.graph.get("include", ())
    missing = [g for g in INCLUDE_GROUPS if g not in included]
    if missing and c.unconstrained:
        hint += f" (left out: {', '.join(missing)}; add them with --include)"
    return f"no connection between {node_label(G, a)} and {node_label(G, b)}{where}{hint}"


# -- helpers ---------------------------------------------------------------------------------


def check_bounds(
    *, max_length: int | None = None, limit: int | None = None, timeout: float | None = None
) -> None:
    """Raise `UsageError` unless the bounds of a path search given are usable."""
    if max_length is not None and max_length < 1:
        raise UsageError(f"max_length must be 1 or more, not {max_length}")
    if limit is not None and limit < 0:
        raise UsageError(f"the number of paths must be 0 (all) or more, not {limit}")
    if timeout is not None and timeout < 0:
        raise UsageError(f"timeout must not be negative, not {timeout}")


def is_a(
    G: nx.MultiDiGraph,
    node: URIRef,
    wanted: frozenset[URIRef],
    superclasses: Mapping[URIRef, frozenset[URIRef]],
) -> bool:
    types = G.nodes[node].get("types", ())
    return any(wanted & superclasses.get(t, frozenset({t})) for t in types)
