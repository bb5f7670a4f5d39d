"""Path search over a store by lookups (`ipgraph.graph.search`)."""

from __future__ import annotations

import ipgraph
from ipgraph.graph.paths import shortest_path
from ipgraph.graph.projection import build_projection
from ipgraph.graph.search import local_graph


def test_shortest_path_by_lookups_matches_networkx(kg: ipgraph.KnowledgeGraph) -> None:
    a, b = kg.resolve("MOF"), kg.resolve("Zhejiang")
    ball = local_graph(kg.store, a, b)
    assert ball is not None and len(ball) < len(kg.graph)
    hops = shortest_path(build_projection(ball), a, b).hops
    assert a in (hops[0].subject, hops[0].object)
    assert len(kg.path(a, b).hops) == len(hops)
