"""Positions computed before the page opens (`ipgraph.views.layout`): every node placed on its
own spot, the same view always drawn the same, neighbours near each other, paths left to right."""

from __future__ import annotations

import itertools
import math
import random
from typing import Any

import pytest

from hashseeds import outputs_per_seed
from ipgraph.views.layout import CORE, SPACING, force_layout, path_layout


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
    script = (
        "import json, sys; sys.path.insert(0, 'tests'); "
        "from test_views_layout import graph; "
        "from ipgraph.views.layout import force_layout; "
        "nodes, edges = graph(260); force_layout(nodes, edges); "
        "print(json.dumps([(n['id'], n['x'], n['y']) for n in nodes]))"
    )
    assert len(outputs_per_seed(script)) == 1


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


def star(leaves: int, chords: int = 0) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A centre linked to ``leaves`` nodes, ``chords`` of them linked to the next one: the
    view of one entity's neighbours. The centre is drawn large, as a view sizes a hub."""
    nodes = [{"id": "centre", "size": round(10 + 5 * math.sqrt(leaves), 1)}]
    nodes += [{"id": f"n{i:03d}", "size": 15.0} for i in range(leaves)]
    edges = [{"from": "centre", "to": f"n{i:03d}"} for i in range(leaves)]
    edges += [{"from": f"n{i:03d}", "to": f"n{i + 1:03d}"} for i in range(0, 2 * chords, 2)]
    return nodes, edges


@pytest.mark.parametrize("leaves", [1, 2, 7, 40, 499])
def test_a_star_is_drawn_around_its_centre_without_overlaps(leaves: int) -> None:
    nodes, edges = star(leaves, chords=leaves // 10)
    force_layout(nodes, edges)
    at = spots(nodes)
    size = {n["id"]: n["size"] for n in nodes}
    # Every pair of discs at least a label's room (34 px) apart.
    for a, b in itertools.combinations(at, 2):
        assert math.dist(at[a], at[b]) >= size[a] + size[b] + 33.8, (a, b)
    # The centre in the middle of its neighbours.
    xs = [x for key, (x, _) in at.items() if key != "centre"]
    ys = [y for key, (_, y) in at.items() if key != "centre"]
    if leaves > 2:
        assert min(xs) < at["centre"][0] < max(xs) and min(ys) < at["centre"][1] < max(ys)


def test_a_star_puts_linked_neighbours_side_by_side() -> None:
    nodes, edges = star(60, chords=10)
    force_layout(nodes, edges)
    at = spots(nodes)
    chords = [e for e in edges if e["from"] != "centre"]
    linked = sum(math.dist(at[e["from"]], at[e["to"]]) for e in chords) / len(chords)
    rng = random.Random(5)
    leaves = [key for key in at if key != "centre"]
    pairs = [rng.sample(leaves, 2) for _ in range(300)]
    anywhere = sum(math.dist(at[a], at[b]) for a, b in pairs) / len(pairs)
    assert linked < anywhere / 2


def test_a_view_of_stars_does_not_load_numpy() -> None:
    # numpy costs a view 16 MB of memory; a hub's neighbourhood does without it.
    import subprocess
    import sys

    script = (
        "import sys; sys.path.insert(0, 'tests'); "
        "from test_views_layout import star; "
        "from ipgraph.views.layout import force_layout; "
        "nodes, edges = star(300, chords=20); force_layout(nodes, edges); "
        "print('numpy' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert found.stdout.strip() == "False", found.stderr


def test_nodes_placed_beyond_the_force_layout_point_away_from_the_middle() -> None:
    # A ring larger than the force-laid core, each ring node with one leaf: the leaves are
    # placed beside their node (`_grow`), each farther out than its node.
    count = CORE + 20
    nodes = [{"id": f"r{i:03d}", "size": 12.0} for i in range(count)]
    nodes += [{"id": f"l{i:03d}", "size": 10.0} for i in range(count)]
    edges = [{"from": f"r{i:03d}", "to": f"r{(i + 1) % count:03d}"} for i in range(count)]
    edges += [{"from": f"r{i:03d}", "to": f"l{i:03d}"} for i in range(count)]
    force_layout(nodes, edges)
    at = spots(nodes)
    cx = sum(x for x, _ in at.values()) / len(at)
    cy = sum(y for _, y in at.values()) / len(at)
    inward = [
        i
        for i in range(CORE)
        if math.dist(at[f"l{i:03d}"], (cx, cy)) < math.dist(at[f"r{i:03d}"], (cx, cy))
    ]
    assert len(inward) < CORE // 10, inward


def test_the_views_own_entity_is_the_middle_of_its_star() -> None:
    # Both "zed" (the view's entity) and "aa" are linked to every other node.
    nodes = [{"id": key, "size": 15.0} for key in ("aa", "bb", "cc", "dd", "zed")]
    edges = [{"from": "zed", "to": key} for key in ("aa", "bb", "cc", "dd")]
    edges += [{"from": "aa", "to": key} for key in ("bb", "cc", "dd")]
    force_layout(nodes, edges, centre="zed")
    at = spots(nodes)
    others = [at[key] for key in ("aa", "bb", "cc", "dd")]
    middle = (sum(x for x, _ in others) / 4, sum(y for _, y in others) / 4)
    assert math.dist(at["zed"], middle) < min(math.dist(at["aa"], p) for p in others[1:])
