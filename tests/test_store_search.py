"""Path search over a store by lookups (`ipgraph.store.search`)."""

from __future__ import annotations

import ipgraph
from ipgraph.store import local_graph, shortest_path


def test_shortest_path_by_lookups_matches_networkx(kg: ipgraph.KnowledgeGraph) -> None:
    a, b = kg.resolve("MOF"), kg.resolve("Zhejiang")
    ball = local_graph(kg.store, a, b)
    assert ball is not None and len(ball) < len(kg.graph)
    hops = shortest_path(kg.store, a, b)
    assert hops is not None and a in (hops[0][0], hops[0][2])
    assert len(kg.path(a, b).hops) <= len(hops)
