"""Who is central and what clusters: `rank` (degree, betweenness, PageRank) and `communities`
on the entity projection.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
from rdflib import URIRef

from ipgraph.errors import UsageError
from ipgraph.graph.paths import is_a
from ipgraph.graph.projection import undirected
from ipgraph.graph.results import Community, Ranked, tail

__all__ = ["MEASURES", "communities", "pagerank", "rank"]

MEASURES = ("degree", "betweenness", "pagerank")
_BETWEENNESS_EXACT_UP_TO = 5000  # nodes; above it betweenness is estimated from a seeded sample
_BETWEENNESS_SAMPLE = 500


def rank(
    G: nx.MultiDiGraph,
    measure: str = "degree",
    types: Iterable[URIRef] = (),
    limit: int | None = None,
) -> list[Ranked]:
    """Entities by centrality, highest first.

    Scores are computed on the whole projection; ``types`` only filters what is listed.

    Args:
        G: a projection.
        measure: ``degree`` (number of relations, either direction), ``betweenness`` (on the
            simple undirected view; estimated from a seeded sample of 500 sources when the
            graph has more than 5,000 entities) or ``pagerank`` (along the triples'
            direction, so documents pass rank to their issuers).
        types: list only entities of these classes (or subclasses).
        limit: how many at most.

    Raises:
        UsageError: an unknown measure.

    >>> G = nx.MultiDiGraph()
    >>> for doc in ("x:d1", "x:d2"):
    ...     _ = G.add_edge(URIRef(doc), URIRef("x:cnipa"), key=URIRef("x:issuedBy"))
    >>> [r.label for r in rank(G, "degree", limit=1)]
    ['cnipa']
    """
    if measure not in MEASURES:
        raise UsageError(f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")
    scores: Mapping[Any, float]
    if measure == "degree":
        scores = dict(G.degree())
    elif measure == "pagerank":
        scores = pagerank(G)
    else:
        simple = undirected(G)
        n = simple.number_of_nodes()
        sample = _BETWEENNESS_SAMPLE if n > _BETWEENNESS_EXACT_UP_TO else None
        scores = nx.betweenness_centrality(simple, k=sample, seed=0 if sample else None)
    wanted = frozenset(types)
    superclasses = G.graph.get("superclasses", {})
    ranked = [
        Ranked(
            node,
            float(scores.get(node, 0.0)),
            G.nodes[node].get("label") or tail(node),
            G.nodes[node].get("label_zh", ""),
            tuple(G.nodes[node].get("types", ())),
        )
        for node in G
        if not wanted or is_a(G, node, wanted, superclasses)
    ]
    ranked.sort(key=lambda r: (-r.score, r.label, str(r.iri)))
    return ranked if limit is None else ranked[:limit]


def pagerank(
    G: nx.MultiDiGraph, alpha: float = 0.85, max_iter: int = 100, tol: float = 1.0e-6
) -> dict[Any, float]:
    """PageRank by power iteration in pure Python (networkx's own needs SciPy).

    Parallel edges count once each; dangling nodes spread their rank evenly; the result
    matches `networkx.pagerank` with its defaults.

    >>> G = nx.MultiDiGraph([("a", "c"), ("b", "c")])
    >>> scores = pagerank(G)
    >>> max(scores, key=scores.get), round(sum(scores.values()), 6)
    ('c', 1.0)
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    out_degree = dict(G.out_degree())
    x = dict.fromkeys(G, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = dict.fromkeys(last, 0.0)
        dangling = alpha * sum(last[node] for node, d in out_degree.items() if d == 0) / n
        for u in last:
            d = out_degree[u]
            if d:
                share = alpha * last[u] / d
                for v, keys in G._succ[u].items():
                    x[v] += share * len(keys)
        base = dangling + (1.0 - alpha) / n
        for node in x:
            x[node] += base
        if sum(abs(x[node] - last[node]) for node in x) < n * tol:
            return x
    return x


def communities(G: nx.MultiDiGraph, seed: int = 0) -> list[Community]:
    """Clusters of the projection (Louvain modularity on the undirected view, seeded).

    Returns:
        Communities, largest first; members by degree, highest first.

    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y")])
    >>> [len(c) for c in communities(G)]
    [3, 2]
    """
    simple = undirected(G)
    degree = dict(simple.degree())

    def label(node: Any) -> str:
        return str(G.nodes[node].get("label") or tail(node))

    found = []
    for members in nx.community.louvain_communities(simple, seed=seed):
        ordered = tuple(sorted(members, key=lambda m: (-degree[m], label(m), str(m))))
        found.append(Community(ordered, label(ordered[0])))
    found.sort(key=lambda c: (-len(c), c.label))
    return found
