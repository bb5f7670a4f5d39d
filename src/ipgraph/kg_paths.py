"""The facade's questions about connections: projection, paths, neighbours, centrality.

`KnowledgeGraph` inherits these methods; they resolve references (`ipgraph.refs`) and call the
algorithms of `ipgraph.graph` with plain IRIs. networkx and the algorithms are imported when a
method first needs them: `import ipgraph` and commands such as ``find`` never load them.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from rdflib import Dataset, Graph, URIRef

from ipgraph.errors import NoPath, UsageError

if TYPE_CHECKING:
    import networkx as nx

    from ipgraph.graph import paths as graph_paths
    from ipgraph.graph import results as graph_results
    from ipgraph.graph.search import LocalSearch
    from ipgraph.refs import References
    from ipgraph.store.base import Store

__all__ = ["PathMethods"]

T = TypeVar("T")


class PathMethods:
    """Path questions, as methods of `KnowledgeGraph`."""

    # What the facade provides (see `ipgraph.kg.KnowledgeGraph`).
    store: Store

    @property
    def graph(self) -> Dataset:
        raise NotImplementedError

    @property
    def refs(self) -> References:
        raise NotImplementedError

    def cached(self, key: str, build: Callable[[], T]) -> T:
        raise NotImplementedError

    def resolve(self, ref: str | URIRef) -> URIRef:
        raise NotImplementedError

    def curie(self, iri: URIRef) -> str:
        raise NotImplementedError

    # -- paths and the networkx projection --------------------------------------------------

    def projection(self, include: Iterable[str] | str = ()) -> nx.MultiDiGraph:
        """The entity projection as a networkx `MultiDiGraph` (cached until data changes).

        Nodes are entity IRIs with ``label``, ``label_en``, ``label_zh`` and ``types``; edges
        are the triples between entities, keyed by predicate, with its ``label_en`` and
        ``label_zh``. Literals, vocabulary terms, sources and passages, and observations are
        left out; see `ipgraph.graph.projection`. Treat it as read-only: it is shared.

        Args:
            include: add back ``"observations"`` and/or ``"provenance"``.

        Raises:
            UsageError: an unknown ``include`` group.

        >>> import ipgraph
        >>> G = ipgraph.load().projection()
        >>> G.nodes[ipgraph.load().resolve("MOE")]["label_zh"]
        '教育部'
        """
        from ipgraph.graph.include import normalize_include
        from ipgraph.graph.projection import build_projection

        groups = normalize_include(include)
        key = "projection:" + ",".join(groups)
        return self.cached(key, lambda: build_projection(self.graph, groups))

    def path(
        self,
        a: str | URIRef,
        b: str | URIRef,
        *,
        via: Iterable[str | URIRef] | str | None = None,
        avoid: Iterable[str | URIRef] | str | None = None,
        include: Iterable[str] | str = (),
    ) -> graph_results.Path:
        """A shortest connection between two entities, walking relations either way.

        Args:
            a: the start: an IRI, CURIE, English or Chinese name, or acronym.
            b: the end, likewise.
            via: only through entities of these classes (``ipg:PolicyDocument``) or only
                along these relations (``ipg:issuedBy``).
            avoid: never through these classes, relations or entities (``CNIPA``).
            include: add ``"observations"`` / ``"provenance"`` to the walkable graph.

        Returns:
            A `Path`: ``hops`` (subject, predicate, object, forward), ``to_text()``,
            ``to_dict()``.

        Raises:
            NoPath: the entities are not connected (under the constraints).
            EntityNotFound, AmbiguousEntity: a reference does not name one entity.
            UsageError: a reference names something the projection leaves out.

        >>> import ipgraph
        >>> print(ipgraph.load().path("MOF", "CNIPA").to_text(lang="zh"))  # doctest: +ELLIPSIS
        财政部 ←合作单位— ... —发起单位→ 国家知识产权局
        """
        from ipgraph.graph import paths as graph_paths

        start, end = self.resolve(a), self.resolve(b)
        if self.store.persistent:
            found = self._path_by_lookups(start, end, via, avoid, include)
            if found is not None:
                return found
        G = self.projection(include)
        start, end = self.refs.endpoint(G, start), self.refs.endpoint(G, end)
        return graph_paths.shortest_path(G, start, end, self.refs.constraints(G, via, avoid))

    def _path_by_lookups(
        self,
        start: URIRef,
        end: URIRef,
        via: Iterable[str | URIRef] | str | None,
        avoid: Iterable[str | URIRef] | str | None,
        include: Iterable[str] | str,
    ) -> graph_results.Path | None:
        """`path` on a large or remote store: search from both ends by store lookups under
        the constraints and project only what the search read (`ipgraph.graph.search`).
        None when the search stopped at its depth bound: the whole projection then decides."""
        from ipgraph.graph import paths as graph_paths
        from ipgraph.graph.include import normalize_include
        from ipgraph.graph.projection import build_projection
        from ipgraph.graph.search import LocalSearch

        groups = normalize_include(include)
        search = LocalSearch(self.store, groups)
        search.prefetch_entities((start, end))
        start, end = self._entity(search, start, groups), self._entity(search, end, groups)
        rules = self._constrained(search, groups, via, avoid)
        ball = search.path(start, end)
        if ball is not None:
            G = build_projection(ball, groups)
            # The ball's own vocabulary may miss a subclass declared among the data, and
            # with it a node's class: then the whole projection decides.
            with contextlib.suppress(NoPath):
                return graph_paths.shortest_path(G, start, end, rules)
        if search.exhausted:
            # No path at any length: the two ends word the error (without constraints with
            # one relation each, when they have one: the message names an end without any).
            ends = search.described([start, end], linked=rules.unconstrained)
            return graph_paths.shortest_path(build_projection(ends, groups), start, end, rules)
        return None

    def _constrained(
        self,
        search: LocalSearch,
        groups: tuple[str, ...],
        via: Iterable[str | URIRef] | str | None = None,
        avoid: Iterable[str | URIRef] | str | None = None,
    ) -> graph_paths.Constraints:
        """``via`` / ``avoid`` as `Constraints`, told apart by ``search``'s lookups (as
        `References.constraints` tells them apart on the projection), applied to ``search``."""

        def entity(ref: str | URIRef) -> URIRef:
            return self._entity(search, self.resolve(ref), groups)

        rules = self.refs.constraints_by(search.term_kind, entity, via, avoid)
        search.constrain(rules)
        return rules

    def _entity(self, search: LocalSearch, iri: URIRef, groups: tuple[str, ...]) -> URIRef:
        """``iri`` when it is an entity of the projection (asked by ``search``, a
        `LocalSearch`), else the `UsageError` of `References.endpoint` (which group would add
        it), from the projection of its own triples alone."""
        if search.is_entity(iri):
            return iri
        # Only to word the error: networkx (13 MB) stays unloaded on the way to an answer.
        from ipgraph.graph.include import INCLUDE_GROUPS
        from ipgraph.graph.projection import build_projection
        from ipgraph.graph.search import local_neighborhood

        own = local_neighborhood(self.store, iri, 0, INCLUDE_GROUPS) or Graph()
        return self.refs.endpoint(build_projection(own, groups), iri)

    def paths(
        self,
        a: str | URIRef,
        b: str | URIRef,
        *,
        max_length: int | None = None,
        limit: int = 20,
        k: int | None = None,
        via: Iterable[str | URIRef] | str | None = None,
        avoid: Iterable[str | URIRef] | str | None = None,
        include: Iterable[str] | str = (),
        timeout: float = 5.0,
    ) -> graph_results.PathList:
        """Several connections between two entities, shortest first, bounded.

        Without ``k``: every simple path of at most ``max_length`` hops (default 4), at most
        ``limit`` of them (0: all). With ``k``: the ``k`` shortest simple paths (0: all), no
        longer than ``max_length`` if given. Either way the search stops after ``timeout``
        seconds; the result's ``truncated`` / ``reason`` say whether it stopped early.

        Args:
            a: the start entity reference.
            b: the end entity reference.
            max_length: the longest path, in hops.
            limit: how many paths at most (without ``k``); 0 for all.
            k: how many shortest paths; 0 for all.
            via: only through these classes or along these relations.
            avoid: never through these classes, relations or entities.
            include: add ``"observations"`` / ``"provenance"`` to the walkable graph.
            timeout: the time budget in seconds.

        Returns:
            A `PathList` (a list of `Path`, with ``truncated`` and ``reason``).

        Raises:
            EntityNotFound, AmbiguousEntity: a reference does not name one entity.
            UsageError: bad bounds, or a reference the projection leaves out.

        >>> import ipgraph
        >>> found = ipgraph.load().paths("MOF", "CNIPA", max_length=3)
        >>> len(found[0]) <= len(found[-1]) <= 3
        True
        """
        from ipgraph.graph import paths as graph_paths

        if self.store.persistent:
            return self._paths_by_lookups(a, b, max_length, limit, k, via, avoid, include, timeout)
        G = self.projection(include)
        start, end = self.refs.endpoint(G, a), self.refs.endpoint(G, b)
        rules = self.refs.constraints(G, via, avoid)
        if k is not None:
            return graph_paths.k_shortest_paths(
                G, start, end, k, rules, max_length=max_length, timeout=timeout
            )
        return graph_paths.all_paths(
            G,
            start,
            end,
            rules,
            max_length=4 if max_length is None else max_length,
            limit=limit,
            timeout=timeout,
        )

    def _paths_by_lookups(
        self,
        a: str | URIRef,
        b: str | URIRef,
        max_length: int | None,
        limit: int,
        k: int | None,
        via: Iterable[str | URIRef] | str | None,
        avoid: Iterable[str | URIRef] | str | None,
        include: Iterable[str] | str,
        timeout: float,
    ) -> graph_results.PathList:
        """`paths` on a large or remote store: the entities that may lie on a path short
        enough are found by lookups from both ends (`LocalSearch.between`), and the search
        runs on their projection alone, within the same time budget: paths as long as the
        shortest first, then one hop longer, and so on, until ``limit`` or ``k`` paths are
        found or ``max_length`` is reached (default: 4 without ``k``, 12 with, as `path`).
        Without ``k``, the same paths in the same order as on the whole projection; with
        ``k``, as many of each length, though among paths of the same length Yen's
        algorithm may choose others."""
        from ipgraph.graph import paths as graph_paths
        from ipgraph.graph.include import normalize_include
        from ipgraph.graph.projection import build_projection
        from ipgraph.graph.results import PathList
        from ipgraph.graph.search import LocalSearch

        graph_paths.check_bounds(
            max_length=max_length, limit=limit if k is None else k, timeout=timeout
        )
        deadline = time.perf_counter() + timeout
        groups = normalize_include(include)
        search = LocalSearch(self.store, groups)
        start = self._entity(search, self.resolve(a), groups)
        end = self._entity(search, self.resolve(b), groups)
        rules = self._constrained(search, groups, via, avoid)
        longest = (4 if k is None else 12) if max_length is None else max_length
        first = search.shortest(str(start), str(end), longest)
        found = PathList()
        if first is None:
            return found  # none within ``longest`` hops
        # One length at a time from the shortest: a hub's many short paths are listed
        # without reading the entities that only longer paths would pass through.
        for length in range(max(len(first) - 1, 1), longest + 1):
            # Enough paths of two hops to fill the list (each a node between): no more read.
            wanted = (limit + 1 if limit else None) if k is None else (k or None)
            ball = search.paths(start, end, length, deadline, first=wanted)
            if ball is None:
                return PathList(found, reason="time")
            G = build_projection(ball, groups)
            left = max(deadline - time.perf_counter(), 0.0)
            if k is None:
                found = graph_paths.all_paths(
                    G, start, end, rules, max_length=length, limit=limit, timeout=left
                )
                if found.truncated:
                    break
            else:
                found = graph_paths.k_shortest_paths(
                    G, start, end, k, rules, max_length=length, timeout=left
                )
                if (k and len(found) == k) or found.truncated:
                    break
        return found

    def neighbors(
        self,
        a: str | URIRef,
        depth: int = 1,
        types: Iterable[str | URIRef] | str | None = None,
        *,
        avoid: Iterable[str | URIRef] | str | None = None,
        include: Iterable[str] | str = (),
        limit: int = 0,
    ) -> graph_results.Neighborhood:
        """The entities around one entity, grouped by depth and relation.

        Args:
            a: the entity reference.
            depth: how many hops out.
            types: list only entities of these classes (``ipg:Agency``); the walk passes
                through anything.
            avoid: never walk through these classes, relations or entities.
            include: add ``"observations"`` / ``"provenance"``.
            limit: at depth 1 on a persistent store, read at most this many entities per
                relation (the first by IRI), with the count of all in ``counts`` (0: all).

        Raises:
            EntityNotFound, AmbiguousEntity: the reference does not name one entity.
            UsageError: depth below 1, an unknown class, or an entity the projection
                leaves out.

        >>> import ipgraph
        >>> kg = ipgraph.load()
        >>> kg.resolve("CNIPA") in {n.node for n in kg.neighbors("MOF", depth=2).neighbors}
        True
        """
        if self.store.persistent and depth == 1:
            return self._relations(a, types, avoid, include, limit)
        from ipgraph.graph import paths as graph_paths
        from ipgraph.graph.include import normalize_include
        from ipgraph.graph.projection import build_projection
        from ipgraph.graph.search import LocalSearch

        if not avoid or not self.store.persistent:
            G, center = self.neighborhood_graph(a, depth, include)
            rules = self.refs.constraints(G, avoid=avoid)
        else:
            # A large or remote store: walk out by lookups, skipping what is avoided.
            if depth < 1:
                raise UsageError(f"depth must be 1 or more, not {depth}")
            groups = normalize_include(include)
            search = LocalSearch(self.store, groups)
            center = self._entity(search, self.resolve(a), groups)
            rules = self._constrained(search, groups, avoid=avoid)
            ball = search.neighborhood(center, depth)
            G = build_projection(ball or Graph(), groups)
        classes = self.refs.constraints(G, via=types)
        if classes.via_predicates:
            raise UsageError(f"types must be classes such as ipg:Agency, not {types!r}")
        wanted = classes.via_types
        return graph_paths.neighbors(G, center, depth, wanted, rules)

    def _relations(
        self,
        a: str | URIRef,
        types: Iterable[str | URIRef] | str | None,
        avoid: Iterable[str | URIRef] | str | None,
        include: Iterable[str] | str,
        limit: int,
    ) -> graph_results.Neighborhood:
        """`neighbors` at depth 1 on a large or remote store: counts and the first ``limit``
        entities per relation by bounded reads (`LocalSearch.relations`), never every
        neighbour's labels and types as rdflib terms."""
        from ipgraph.graph.include import normalize_include
        from ipgraph.graph.results import Hop, Neighbor, Neighborhood
        from ipgraph.graph.search import LocalSearch

        groups = normalize_include(include)
        search = LocalSearch(self.store, groups)
        center = self._entity(search, self.resolve(a), groups)
        if avoid:
            self._constrained(search, groups, avoid=avoid)
        classes = self._constrained_types(search, groups, types)
        around = search.relations(center, limit, classes)
        if around is None:  # checked by `_entity`: only a store changing under us
            raise UsageError(f"{center} is not an entity of the projection")
        found: list[Neighbor] = []
        counts: dict[tuple[int, URIRef, bool], int] = {}
        for relation in around.relations:
            p = URIRef(relation.predicate)
            counts[(1, p, relation.forward)] = relation.count
            for m in map(URIRef, relation.members):
                hop = Hop(center, p, m, True) if relation.forward else Hop(m, p, center, False)
                found.append(Neighbor(m, 1, hop))
        # The projection's order (`ipgraph.graph.paths.neighbors`): by entity, predicate.
        found.sort(key=lambda nb: (str(nb.node), str(nb.hop.predicate), not nb.hop.forward))
        nodes = [around.center, *around.nodes.values()]
        names = {URIRef(n.iri): (n.label, n.label_zh) for n in nodes}
        names.update({URIRef(p): labels for p, labels in around.predicates.items()})
        kinds = {URIRef(n.iri): tuple(map(URIRef, n.types)) for n in nodes}
        return Neighborhood(center, found, names, kinds, counts)

    def _constrained_types(
        self,
        search: LocalSearch,
        groups: tuple[str, ...],
        types: Iterable[str | URIRef] | str | None,
    ) -> frozenset[URIRef]:
        """The classes ``types`` names, told apart by ``search``'s lookups (as `neighbors`
        tells them apart on the projection)."""
        if not types:
            return frozenset()  # no constraints to read: networkx is not even imported

        def entity(ref: str | URIRef) -> URIRef:
            return self._entity(search, self.resolve(ref), groups)

        classes = self.refs.constraints_by(search.term_kind, entity, via=types)
        if classes.via_predicates:
            raise UsageError(f"types must be classes such as ipg:Agency, not {types!r}")
        return classes.via_types

    def neighborhood_graph(
        self,
        a: str | URIRef,
        depth: int = 1,
        include: Iterable[str] | str = (),
        *,
        local: bool = True,
    ) -> tuple[nx.MultiDiGraph, URIRef]:
        """A projection holding every entity within ``depth`` hops of ``a`` (and the links
        among them), with ``a``'s IRI.

        On a persistent or remote store it is read by lookups around ``a`` alone
        (`ipgraph.graph.search.local_neighborhood`), never by projecting the whole store;
        otherwise (or with ``local=False``) it is the cached projection of the whole graph.

        Raises:
            EntityNotFound, AmbiguousEntity: the reference does not name one entity.
            UsageError: depth below 1, or an entity the projection leaves out.

        >>> import ipgraph
        >>> kg = ipgraph.load()
        >>> G, moe = kg.neighborhood_graph("MOE")
        >>> G.nodes[moe]["label_zh"]
        '教育部'
        """
        from ipgraph.graph.include import INCLUDE_GROUPS, normalize_include
        from ipgraph.graph.projection import build_projection
        from ipgraph.graph.search import local_neighborhood

        if depth < 1:
            raise UsageError(f"depth must be 1 or more, not {depth}")
        if self.store.persistent and local:
            groups = normalize_include(include)
            center = self.resolve(a)
            key = f"around:{center}:{depth}:{','.join(groups)}"
            ball = self.cached(key, lambda: local_neighborhood(self.store, center, depth, groups))
            if ball is not None:
                return build_projection(ball, groups), center
            # Not an entity of the projection: the projection of its own triples says why.
            own = local_neighborhood(self.store, center, 0, INCLUDE_GROUPS) or Graph()
            G = build_projection(own, groups)
            return G, self.refs.endpoint(G, center)
        G = self.projection(include)
        return G, self.refs.endpoint(G, a)

    def bounded_neighborhood(
        self, a: str | URIRef, depth: int = 1, cap: int | None = 500
    ) -> tuple[nx.MultiDiGraph, URIRef, int]:
        """Like `neighborhood_graph`, but at most ``cap`` entities (the centre, then the
        first by IRI, level by level), read by bounded lookups on a persistent store, with
        how many entities the neighbourhood holds in all (counted by the store).

        Raises:
            EntityNotFound, AmbiguousEntity: the reference does not name one entity.
            UsageError: depth below 1, or an entity the projection leaves out.

        >>> import ipgraph
        >>> G, moe, total = ipgraph.load().bounded_neighborhood("MOE", cap=2)
        >>> len([n for n in G if G.degree(n)]), total  # MOE and one of its 3 neighbours
        (2, 4)
        """
        from ipgraph.graph.include import normalize_include
        from ipgraph.graph.projection import build_projection
        from ipgraph.graph.search import LocalSearch

        if depth < 1:
            raise UsageError(f"depth must be 1 or more, not {depth}")
        if cap is None:
            G, center = self.neighborhood_graph(a, depth)
            return G, center, len(G)
        groups = normalize_include(())
        center = self.resolve(a)
        ball, total = LocalSearch(self.store, groups).bounded_neighborhood(center, depth, cap)
        if ball is None:
            return (*self.neighborhood_graph(center, depth), 0)  # words the error
        return build_projection(ball, groups), center, total

    def rank(
        self,
        measure: str = "degree",
        type: str | URIRef | None = None,
        *,
        limit: int | None = None,
        include: Iterable[str] | str = (),
    ) -> list[graph_results.Ranked]:
        """Who is central: entities by ``degree``, ``betweenness`` or ``pagerank``.

        Scores come from the whole projection; ``type`` only filters what is listed
        (``ipg:Agency`` gives the agencies at the centre of joint policy-making).

        Raises:
            UsageError: an unknown measure or class.

        >>> import ipgraph
        >>> ipgraph.load().rank("degree", type="ipg:Agency", limit=1)[0].label
        'China National Intellectual Property Administration'
        """
        from ipgraph.graph import rank as graph_rank

        G = self.projection(include)
        classes = self.refs.constraints(G, via=type)
        if classes.via_predicates:
            raise UsageError(f"type must be a class such as ipg:Agency, not {type!r}")
        wanted = classes.via_types
        return graph_rank.rank(G, measure, wanted, limit)

    def communities(self, include: Iterable[str] | str = ()) -> list[graph_results.Community]:
        """Clusters of the projection (seeded Louvain), largest first.

        >>> import ipgraph
        >>> kg = ipgraph.load()
        >>> groups = kg.communities()
        >>> sum(len(c) for c in groups) == kg.projection().number_of_nodes()
        True
        """
        from ipgraph.graph import rank as graph_rank

        return self.cached(
            "communities:" + ",".join(sorted([include] if isinstance(include, str) else include)),
            lambda: graph_rank.communities(self.projection(include)),
        )

    def export_projection(self, format: str = "graphml", include: Iterable[str] | str = ()) -> str:
        """The projection as GraphML or GEXF text, for Gephi, Cytoscape or yEd.

        Raises:
            UsageError: an unknown format.

        >>> import ipgraph
        >>> ipgraph.load().export_projection("gexf").startswith("<gexf")
        True
        """
        from ipgraph.graph.projection import export_projection

        return export_projection(self.projection(include), format, self.curie)
