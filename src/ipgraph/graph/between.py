"""Several paths by lookups: which entities a path of at most N hops between two entities
may pass through (`Between.between`), and the triples among them (`Between.paths`), as methods
of `ipgraph.graph.search.LocalSearch`.

A node ``i`` hops from the start on such a path is at most ``i`` hops from the start and at
most ``N - i`` from the end. Breadth first from both ends, until the two radii add up to N,
every node that may lie on one is seen from at least one side within its radius, and kept
when its distances can still add up to N: the projection of those entities has the same
paths of at most N hops as the whole projection (a hypothesis test checks it), and a hub two
hops away costs its own links, never its neighbours'.

>>> import ipgraph
>>> from ipgraph.graph.search import LocalSearch
>>> kg = ipgraph.load()
>>> mof, zhejiang = (str(kg.resolve(name)) for name in ("MOF", "Zhejiang"))
>>> nodes = LocalSearch(kg.store).between(mof, zhejiang, 3)
>>> nodes[:2] == [mof, zhejiang], len(nodes) < len(kg.projection())
(True, True)
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

__all__ = ["Between"]


class Between:
    """The entities and triples that several paths may use, as methods of
    `ipgraph.graph.search.LocalSearch` (which provides the lookups)."""

    # What `LocalSearch` provides.
    rules: tuple[frozenset[str], frozenset[str], frozenset[str] | None]

    def entities(self, nodes: Iterable[str], allowed: bool = True) -> set[str]:
        raise NotImplementedError

    def neighbors(self, nodes: Sequence[str]) -> set[str]:
        raise NotImplementedError

    def select_rows(self, text: str) -> list[tuple[str, ...]]:
        raise NotImplementedError

    def among(self, nodes: Sequence[str]) -> Graph:
        raise NotImplementedError

    def _checked(self, nodes: Sequence[str], known: set[str]) -> list[str]:
        raise NotImplementedError

    def _cheaper(self, frontiers: list[list[str]], degrees: list[tuple[int, bool] | None]) -> int:
        raise NotImplementedError

    def paths(
        self,
        source: URIRef,
        target: URIRef,
        max_length: int,
        deadline: float | None = None,
        first: int | None = None,
    ) -> Graph | None:
        """Every walkable triple among the entities `between` two entities, described (and,
        under a type constraint, the store's class hierarchy: a class may be declared among
        the data): a graph on which `ipgraph.graph.paths.all_paths` finds the same paths of
        at most ``max_length`` hops as on the whole projection (with ``first``, see
        `between`). None as `between`."""
        nodes = self.between(str(source), str(target), max_length, deadline, first)
        if nodes is None:
            return None
        out = self.among(nodes)
        if self.rules[1] or self.rules[2] is not None:
            for c, d in self.select_rows(
                f"SELECT ?c ?d WHERE {{ ?c <{RDFS.subClassOf}> ?d FILTER(isIRI(?c) && isIRI(?d)) }}"
            ):
                out.add((URIRef(c), RDFS.subClassOf, URIRef(d)))
        return out

    def between(
        self,
        source: str,
        target: str,
        max_length: int,
        deadline: float | None = None,
        first: int | None = None,
    ) -> list[str] | None:
        """The entities that may lie on an allowed simple path of at most ``max_length``
        hops between ``source`` and ``target`` (both ends first): a few more than those that
        do, never fewer. None when an end is not an entity, or when ``deadline`` (a
        `time.perf_counter` value) passed first.

        Breadth first from both ends, the side that touches fewer triples first (as
        `shortest`), until the two radii add up to ``max_length``. A node on such a path
        ``i`` hops from ``source`` is at most ``i`` from it and ``max_length - i`` from
        ``target``, so it is kept when its two distances fit, or, known from one side only,
        when it lies inside that side's radius (its other distance may then still fit).
        Nodes beyond both radii cannot fit and are never read: with a hub two hops away,
        only the hub's own links are, not its neighbours'.

        With ``first``, when the search met at one hop from each end and ``max_length`` is
        2, each node between is one path (end, node, end), in the order of the nodes' IRIs:
        only the ``first`` of them are returned, so that the first paths between two hubs
        need not read the thousands of entities they share.
        """
        if self.entities({source, target}, allowed=False) != {source, target}:
            return None
        dist: tuple[dict[str, int], dict[str, int]] = ({source: 0}, {target: 0})
        frontiers: list[list[str]] = [[source], [target]]
        degrees: list[tuple[int, bool] | None] = [None, None]
        radius = [0, 0]
        known = {source, target}
        tried: set[str] = set()  # nodes checked, entities or not
        while radius[0] + radius[1] < max_length and frontiers[0] and frontiers[1]:
            if deadline is not None and time.perf_counter() > deadline:
                return None
            side = self._cheaper(frontiers, degrees)
            tried.update(frontiers[side])
            level = self._checked(frontiers[side], known)
            radius[side] += 1
            mine = dist[side]
            found = [m for m in sorted(self.neighbors(level)) if m not in mine]
            for m in found:
                mine[m] = radius[side]
            frontiers[side], degrees[side] = found, None
        # A side that ran out of nodes knows every distance: unknown then means unreachable.
        reach = [radius[side] + 1 if frontiers[side] else max_length + 1 for side in (0, 1)]
        fits = [
            m
            for m in sorted({*dist[0], *dist[1]})
            if dist[0].get(m, reach[0]) + dist[1].get(m, reach[1]) <= max_length
            and (m in known or m not in tried)
        ]
        ends = [source, target] if source != target else [source]
        middle = [m for m in self._checked(fits, known) if m not in ends]
        if first is not None and max_length == 2 and radius == [1, 1]:
            del middle[first:]
        return [*ends, *middle]
