"""Precomputed positions (`ipgraph.views.layout.place_by_class`): every node placed, no two on
the same spot, the same places for the same nodes, one cluster per class."""

from __future__ import annotations

import math
import random
from typing import Any

import ipgraph
from ipgraph.views.layout import place_by_class
from ipgraph.views.model import GROUPS


def nodes_of(counts: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"id": f"{group}-{i}", "group": group, "degree": i % 7, "label": f"{group} {i:04d}"}
        for group, n in counts.items()
        for i in range(n)
    ]


def positions(nodes: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
    return {n["id"]: (n["x"], n["y"]) for n in nodes}


COUNTS = {"agency": 40, "document": 300, "region": 12, "other": 3}


def test_every_node_gets_its_own_spot() -> None:
    nodes = nodes_of(COUNTS)
    place_by_class(nodes)
    spots = positions(nodes)
    assert len(spots) == sum(COUNTS.values())
    assert len(set(spots.values())) == len(spots), "two nodes drawn on the same spot"
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in spots.values())


def test_the_same_nodes_in_any_order_get_the_same_places() -> None:
    first = nodes_of(COUNTS)
    place_by_class(first)
    shuffled = nodes_of(COUNTS)
    random.Random(7).shuffle(shuffled)
    place_by_class(shuffled)
    assert positions(shuffled) == positions(first)


def test_each_class_is_a_cluster_with_its_best_connected_node_at_the_centre() -> None:
    nodes = nodes_of(COUNTS)
    place_by_class(nodes)

    def centre(group: str) -> tuple[float, float]:
        members = [n for n in nodes if n["group"] == group]
        return (
            sum(n["x"] for n in members) / len(members),
            sum(n["y"] for n in members) / len(members),
        )

    centres = {group: centre(group) for group in COUNTS}
    for node in nodes:
        own = math.dist((node["x"], node["y"]), centres[node["group"]])
        others = [
            math.dist((node["x"], node["y"]), c) for g, c in centres.items() if g != node["group"]
        ]
        assert own < min(others), node["id"]
    agencies = sorted(
        (n for n in nodes if n["group"] == "agency"), key=lambda n: (-n["degree"], n["label"])
    )
    core = agencies[0]
    spread = [math.dist((core["x"], core["y"]), (n["x"], n["y"])) for n in agencies[1:]]
    assert min(spread) > 0
    assert math.dist((core["x"], core["y"]), (agencies[-1]["x"], agencies[-1]["y"])) == max(spread)


def test_one_class_sits_at_the_origin_and_no_nodes_is_fine() -> None:
    alone = nodes_of({"region": 5})
    place_by_class(alone)
    best = min(alone, key=lambda n: (-n["degree"], n["label"]))
    assert (best["x"], best["y"]) == (0.0, 0.0)
    empty: list[dict[str, Any]] = []
    place_by_class(empty)
    assert empty == []


def test_big_views_of_the_bundled_graph_are_placed(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view(layout="fixed")
    assert view.meta["layout"] == "fixed"
    spots = [(n["x"], n["y"]) for n in view.nodes]
    assert len(set(spots)) == len(spots) == len(view.nodes)
    assert {g.key for g in GROUPS} >= {n["group"] for n in view.nodes}
