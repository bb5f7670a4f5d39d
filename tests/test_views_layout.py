"""Positions computed before the page opens (`ipgraph.views.layout`): every node placed on its
own spot, the same view always drawn the same, neighbours near each other, paths left to right."""

from __future__ import annotations

import itertools
import math
import os
import random
from typing import Any

import pytest

from ipgraph.views.layout import SPACING, force_layout, path_layout


def graph(n: int, seed: int = 1) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two components: a ring of ``n`` nodes with chords, and a small star."""
    rng = random.Random(seed)
    nodes = [{"id": f"n{i}", "size": 10 + (i % 5)} for i in range(n)]
    edges = [{"from": f"n{i}", "to": f"n{(i + 1) % n}"} for i in range(n)]
    edges += [{"from": f"n{rng.randrange(n)}", "to": f"n{rng.randrange(n)}"} for _ in range(n // 4)]
    nodes += [{"id": f"s{i}", "size": 10} for i in range(6)]
    edges += [{"from": "s0", "to": f"s{i}"} for i in range(1, 6)]
    return nodes, edges


def spots(nodes: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
    return {n["id"]: (n["x"], n["y"]) for n in nodes}


def test_every_node_gets_its_own_finite_spot() -> None:
    nodes, edges = graph(300)
    force_layout(nodes, edges)
    placed = spots(nodes)
    assert len(placed) == len(nodes)
    assert len(set(placed.values())) == len(placed), "two nodes drawn on the same spot"
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in placed.values())


def test_the_same_view_is_always_drawn_the_same() -> None:
    first, edges = graph(120)
    force_layout(first, edges)
    again, edges_again = graph(120)
    force_layout(again, edges_again)
    assert spots(again) == spots(first)


def test_every_run_draws_the_same_view_the_same() -> None:
    # Each process hashes strings differently; the drawing must not follow set orders.
    import subprocess
    import sys

    script = (
        "import json, sys; sys.path.insert(0, 'tests'); "
        "from test_views_layout import graph; "
        "from ipgraph.views.layout import force_layout; "
        "nodes, edges = graph(260); force_layout(nodes, edges); "
        "print(json.dumps([(n['id'], n['x'], n['y']) for n in nodes]))"
    )
    drawn = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(drawn) == 1


def test_linked_nodes_are_nearer_than_nodes_at_random() -> None:
    nodes, edges = graph(150)
    force_layout(nodes, edges)
    at = spots(nodes)

    def distance(a: str, b: str) -> float:
        return math.dist(at[a], at[b])

    linked = sum(distance(e["from"], e["to"]) for e in edges) / len(edges)
    rng = random.Random(3)
    ids = list(at)
    pairs = [(rng.choice(ids), rng.choice(ids)) for _ in range(500)]
    anywhere = sum(distance(a, b) for a, b in pairs) / len(pairs)
    assert linked < anywhere / 2
    assert linked < 4 * SPACING


def test_paths_run_left_to_right_in_lanes() -> None:
    nodes = [
        {"id": "start", "hop": 0, "lane": 0},
        {"id": "a", "hop": 1, "lane": 0},
        {"id": "b", "hop": 1, "lane": 1},
        {"id": "c", "hop": 2, "lane": 1},
        {"id": "end", "hop": 3, "lane": 0},
    ]
    path_layout(nodes)
    at = spots(nodes)
    xs = [at[n["id"]][0] for n in sorted(nodes, key=lambda n: n["hop"])]
    assert xs == sorted(xs) and at["start"][0] < at["end"][0]
    assert at["a"][0] == at["b"][0] and at["a"][1] < at["b"][1]  # one column, lanes in order


@pytest.mark.parametrize("links", [1, 2, 3, 4, 5, 8])
def test_long_paths_get_narrower_columns_but_room_for_a_relation_name(links: int) -> None:
    nodes: list[dict[str, Any]] = [
        {"id": f"n{hop}", "hop": hop, "lane": 0} for hop in range(links + 1)
    ]
    path_layout(nodes)
    xs: list[float] = [n["x"] for n in nodes]
    gaps = {round(b - a, 1) for a, b in itertools.pairwise(xs)}
    assert len(gaps) == 1  # evenly spaced
    gap = gaps.pop()
    assert 200.0 <= gap <= 300.0  # a relation's name fits between two nodes
    # Up to 4 links the chain is at most 900 wide: it opens at zoom 1 in a laptop's pane.
    assert xs[-1] - xs[0] <= max(900.0, 200.0 * links)


def test_no_link_points_exactly_right_to_left() -> None:
    # Two-node components are laid out level; vis-network would draw the name of a link
    # pointing exactly right to left at the page's origin.
    nodes: list[dict[str, Any]] = [{"id": key, "size": 10.0} for key in "abcd"]
    edges = [{"from": "b", "to": "a"}, {"from": "c", "to": "d"}]
    force_layout(nodes, edges)
    at = {n["id"]: (n["x"], n["y"]) for n in nodes}
    for edge in edges:
        (x1, y1), (x2, y2) = at[edge["from"]], at[edge["to"]]
        assert not (y1 == y2 and x1 > x2)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_overlap_search_finds_exactly_the_close_pairs(seed: int) -> None:
    # The grid search that keeps discs apart, against comparing every pair: clusters,
    # nodes on the same spot, points on cell borders and far outliers.
    import numpy as np

    from ipgraph.views.layout import _close_pairs

    rng = np.random.default_rng(seed)
    points = np.concatenate(
        [
            rng.normal(size=(300, 2)) * 200,
            rng.normal(size=(100, 2)) * 5,
            np.zeros((5, 2)),
            np.array([[54.0, 0.0], [108.0, 54.0], [-54.0, -54.0], [1e5, -1e5]]),
        ]
    )
    reach = 54.0
    brute = sorted(
        [i, j]
        for i, j in itertools.combinations(range(len(points)), 2)
        if math.dist(points[i], points[j]) <= reach
    )
    assert _close_pairs(points, reach).tolist() == brute


def test_overlap_search_finds_every_overlap_beside_a_hub_drawn_large() -> None:
    import numpy as np

    from ipgraph.views.layout import _BIG, _GAP, _candidates

    rng = np.random.default_rng(4)
    points = rng.normal(size=(600, 2)) * 400
    sizes = 10 + 5 * np.sqrt(rng.integers(1, 6, size=600))
    sizes[[3, 70, 500]] = [122.0, 80.0, 60.0]  # hubs: their discs reach far
    big = np.argsort(-sizes, kind="stable")[:_BIG]
    reach = 2 * float(np.delete(sizes, big).max()) + _GAP
    found = {tuple(pair) for pair in _candidates(points, sizes, big, reach).tolist()}
    overlapping = {
        (i, j)
        for i, j in itertools.combinations(range(len(points)), 2)
        if math.dist(points[i], points[j]) < sizes[i] + sizes[j] + _GAP
    }
    assert overlapping and overlapping <= found
