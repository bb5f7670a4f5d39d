"""The entities several paths may pass through, read by lookups (`ipgraph.graph.between`)."""

from __future__ import annotations

from rdflib import Dataset, Literal, Namespace
from rdflib.namespace import RDFS

from ipgraph.graph.paths import all_paths
from ipgraph.graph.projection import build_projection
from ipgraph.graph.search import LocalSearch
from ipgraph.store.memory import MemoryStore

EX = Namespace("http://example.org/between/")


def two_hubs(shared: int) -> Dataset:
    """Two entities sharing ``shared`` neighbours, and a longer way round through ``far``."""
    data = Dataset(default_union=True)
    g = data.graph(EX.data)
    for i in range(shared):
        g.add((EX[f"m{i:02}"], EX.p, EX.a))
        g.add((EX[f"m{i:02}"], EX.p, EX.b))
    g.add((EX.a, EX.p, EX.near))
    g.add((EX.near, EX.p, EX.far))
    g.add((EX.far, EX.p, EX.b))
    for node in (EX.a, EX.b, EX.far):  # an entity is the subject of a triple
        g.add((node, RDFS.label, Literal(node[-3:])))
    return data


def test_the_first_paths_between_two_hubs_read_only_as_many_shared_neighbours() -> None:
    data = two_hubs(12)
    search = LocalSearch(MemoryStore(data))
    nodes = search.between(str(EX.a), str(EX.b), 2, first=4)
    assert nodes == [str(EX.a), str(EX.b), *(str(EX[f"m{i:02}"]) for i in range(4))]
    whole = build_projection(data)
    for limit in (1, 3, 11):
        ball = search.paths(EX.a, EX.b, 2, first=limit + 1)
        assert ball is not None
        found = all_paths(build_projection(ball), EX.a, EX.b, max_length=2, limit=limit)
        expected = all_paths(whole, EX.a, EX.b, max_length=2, limit=limit)
        assert [p.to_dict() for p in found] == [p.to_dict() for p in expected]
        assert found.reason == expected.reason == "limit"


def test_nodes_between_are_all_kept_when_they_are_not_one_path_each() -> None:
    data = two_hubs(3)
    search = LocalSearch(MemoryStore(data))
    every = search.between(str(EX.a), str(EX.b), 4)
    assert every is not None and {str(EX.near), str(EX.far), str(EX.m02)} <= set(every)
    assert search.between(str(EX.a), str(EX.b), 4, first=1) == every  # only 2 hops are cut
    whole = build_projection(data)
    ball = search.paths(EX.a, EX.b, 4)
    assert ball is not None
    found = all_paths(build_projection(ball), EX.a, EX.b, max_length=4, limit=100)
    expected = all_paths(whole, EX.a, EX.b, max_length=4, limit=100)
    assert [p.to_dict() for p in found] == [p.to_dict() for p in expected]
    assert [len(p) for p in found] == [2, 2, 2, 3]
