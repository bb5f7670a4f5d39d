"""Where the nodes of a view go: positions computed in Python before the page opens.

A page draws its first frame with every node in place and the physics off, so nothing moves
and nothing waits. Two layouts:

- `force_layout`: each connected component laid out with networkx's ``forceatlas2_layout``
  (seeded, and fed its nodes in a fixed order, so the same view looks the same in every
  process). A component larger than `CORE` nodes lays out its `CORE` best-connected nodes
  that way and places each other node next to the neighbours already placed, breadth first:
  linear in the number of nodes, so that views of ten thousand nodes are laid out in
  seconds. The components are then packed in rows, and nodes closer than their sizes allow
  are pushed apart (the close pairs found on a grid, with numpy alone).
- `path_layout`: chains drawn left to right, ``x`` the number of links from the start and
  ``y`` the path (lane) a node first appears on. Long chains get narrower columns, so that
  a path of four links still opens at zoom 1 on a laptop screen.

Units are the page's pixels at zoom 1: a link is about `SPACING` long.

>>> nodes = [{"id": "a", "size": 10}, {"id": "b", "size": 10}, {"id": "c", "size": 10}]
>>> edges = [{"from": "a", "to": "b"}, {"from": "b", "to": "c"}]
>>> force_layout(nodes, edges)
>>> all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in nodes)
True
>>> len({(node["x"], node["y"]) for node in nodes})
3
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["CORE", "SPACING", "force_layout", "path_layout"]

SPACING = 90.0
"""The typical length of a link, in pixels at zoom 1."""

CORE = 200
"""Nodes of a component laid out by force; the others are placed beside their neighbours."""

_GAP = 34.0  # room left between two nodes' discs, beside their sizes: a label
_COLUMN = 300.0  # path views: room for a relation's name between two hops ...
_MIN_COLUMN = 200.0  # ... and never less, however long the chain
_PATH_WIDTH = 900.0  # the width a chain is fitted to: about a laptop's graph pane at zoom 1
# Lanes far enough apart that the middle of a link between two lanes (where its relation's
# name is drawn) clears the labels drawn under the nodes; closer when a column is tall.
_LANE = 300.0
_MIN_LANE = 120.0
_PATH_HEIGHT = 600.0


def force_layout(nodes: Sequence[dict[str, Any]], edges: Sequence[dict[str, Any]]) -> None:
    """Write ``x`` and ``y`` into every node: a force layout packed to a landscape page.

    Args:
        nodes: node dicts with ``id`` and ``size`` (the drawn radius); ``x`` and ``y`` are set.
        edges: edge dicts with ``from`` and ``to``.
    """
    graph = nx.Graph()
    graph.add_nodes_from((node["id"], {"size": node.get("size", 10.0)}) for node in nodes)
    graph.add_edges_from((edge["from"], edge["to"]) for edge in edges if edge["from"] != edge["to"])
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    at = {key: index for index, key in enumerate(graph)}
    blocks = [_component(_subgraph(graph, sorted(c, key=at.__getitem__))) for c in components]
    placed = _pack(blocks)
    order = [node["id"] for node in nodes]
    points = np.array([placed[key] for key in order], dtype=float).reshape(-1, 2)
    sizes = np.array([float(node.get("size", 10.0)) for node in nodes])
    points = _separate(points, sizes)
    for node, (x, y) in zip(nodes, points.tolist(), strict=True):
        node["x"], node["y"] = round(x, 1), round(y, 1)
    _tilt_leftward_links(nodes, edges)


def _tilt_leftward_links(nodes: Sequence[dict[str, Any]], edges: Sequence[dict[str, Any]]) -> None:
    """Move the target of each link pointing exactly right to left a tenth of a pixel down.

    vis-network draws a link's name along the link, but for a link at exactly 180 degrees it
    skips the rotation and draws the name at the page's origin, under whatever node is
    there (two-node components are laid out exactly level). A tenth of a pixel is unseen.

    >>> nodes = [{"id": "a", "x": 0.0, "y": 5.0}, {"id": "b", "x": 90.0, "y": 5.0}]
    >>> _tilt_leftward_links(nodes, [{"from": "b", "to": "a"}])
    >>> nodes[0]["y"], nodes[1]["y"]
    (5.1, 5.0)
    """
    at = {node["id"]: node for node in nodes}
    for edge in edges:
        source, target = at.get(edge["from"]), at.get(edge["to"])
        if source is None or target is None or source is target:
            continue
        if source["y"] == target["y"] and source["x"] > target["x"]:
            target["y"] = round(target["y"] + 0.1, 1)


def path_layout(nodes: Sequence[dict[str, Any]]) -> None:
    """Write ``x`` and ``y`` for a path view: ``x`` from ``hop``, ``y`` from ``lane``.

    Each node carries ``hop`` (links from the start) and ``lane`` (the first path it lies on);
    the nodes of one hop are stacked in lane order, centred on the line from start to end.
    Columns are `_PATH_WIDTH` divided by the number of links, between `_MIN_COLUMN` and
    `_COLUMN` wide; lanes `_LANE` apart, closer (down to `_MIN_LANE`) in columns of many.

    >>> nodes = [{"id": "a", "hop": 0, "lane": 0}, {"id": "b", "hop": 1, "lane": 0},
    ...          {"id": "c", "hop": 1, "lane": 1}, {"id": "d", "hop": 2, "lane": 0}]
    >>> path_layout(nodes)
    >>> [(n["x"], n["y"]) for n in nodes]
    [(0.0, 0.0), (300.0, -150.0), (300.0, 150.0), (600.0, 0.0)]
    """
    columns: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        columns[int(node["hop"])].append(node)
    links = max(columns, default=0)
    width = min(_COLUMN, max(_MIN_COLUMN, _PATH_WIDTH / links)) if links else _COLUMN
    rows = max((len(column) for column in columns.values()), default=1)
    lane = min(_LANE, max(_MIN_LANE, _PATH_HEIGHT / (rows - 1))) if rows > 1 else _LANE
    for hop, column in columns.items():
        column.sort(key=lambda n: (n["lane"], n["id"]))
        middle = (len(column) - 1) / 2
        for row, node in enumerate(column):
            node["x"] = round(hop * width, 1)
            node["y"] = round((row - middle) * lane, 1)


def _component(graph: nx.Graph) -> dict[Any, tuple[float, float]]:
    """Positions of one connected component, centred on (0, 0), links about `SPACING` long."""
    size = graph.number_of_nodes()
    if size == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    if size == 2:
        first, second = sorted(graph)
        return {first: (-SPACING / 2, 0.0), second: (SPACING / 2, 0.0)}
    ranked = sorted(graph, key=lambda n: (-graph.degree(n), str(n)))
    core = _subgraph(graph, ranked[:CORE])
    iterations = 300 if len(core) <= 100 else 150 if len(core) <= 200 else 80
    # ForceAtlas2 with hubs dissuaded: a hub's many neighbours spread around it instead of
    # piling up in the middle; node sizes (with room for a label) keep discs apart.
    room = {n: float(graph.nodes[n].get("size", 10.0)) / SPACING + 0.25 for n in core}
    raw = nx.forceatlas2_layout(
        core,
        max_iter=iterations,
        seed=7,
        distributed_action=True,
        scaling_ratio=4.0,
        node_size=room,
    )
    lengths = [math.dist(raw[a], raw[b]) for a, b in core.edges()]
    unit = float(np.median(lengths)) if lengths else 1.0
    scale = SPACING / unit if unit > 0 else SPACING
    positions = {key: (float(x) * scale, float(y) * scale) for key, (x, y) in raw.items()}
    if size > len(core):
        _grow(graph, positions)
    return _landscape(positions)


def _subgraph(graph: nx.Graph, nodes: Sequence[Any]) -> nx.Graph:
    """The subgraph of ``nodes``, with its nodes in the order given.

    Not networkx's subgraph view: that lists its nodes in the order of a set, which changes
    with each process's string hashing, and the force layout starts from the node order, so
    each run would draw the same view differently.
    """
    wanted = set(nodes)
    out = nx.Graph()
    out.add_nodes_from((n, graph.nodes[n]) for n in nodes)
    out.add_edges_from((a, b) for a in nodes for b in graph[a] if b in wanted)
    return out


def _landscape(positions: dict[Any, tuple[float, float]]) -> dict[Any, tuple[float, float]]:
    """Centre on (0, 0) and turn the longest extent of the drawing to the horizontal."""
    keys = list(positions)
    points = np.array([positions[key] for key in keys], dtype=float)
    points -= points.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov(points.T))
    main = vectors[:, -1]  # the direction of the largest spread
    angle = -math.atan2(main[1], main[0])
    turn = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    points = points @ turn.T
    return {key: (float(x), float(y)) for key, (x, y) in zip(keys, points, strict=True)}


def _grow(graph: nx.Graph, positions: dict[Any, tuple[float, float]]) -> None:
    """Place the nodes outside the core breadth first, each beside the neighbours placed."""
    cx = sum(x for x, _ in positions.values()) / len(positions)
    cy = sum(y for _, y in positions.values()) / len(positions)
    frontier = sorted(positions, key=lambda n: (-graph.degree(n), str(n)))
    children: dict[Any, int] = defaultdict(int)
    golden = math.pi * (3 - math.sqrt(5))
    while frontier:
        following = []
        for parent in frontier:
            px, py = positions[parent]
            outward = math.atan2(py - cy, px - cx)
            for child in sorted(graph[parent], key=str):
                if child in positions:
                    continue
                rank = children[parent]
                children[parent] += 1
                # Fan the children out around the direction away from the centre.
                angle = outward + (rank * golden) % (2 * math.pi) - math.pi
                radius = SPACING * (0.8 + 0.25 * math.sqrt(rank))
                positions[child] = (px + radius * math.cos(angle), py + radius * math.sin(angle))
                following.append(child)
        frontier = following


def _pack(blocks: Sequence[dict[Any, tuple[float, float]]]) -> dict[Any, tuple[float, float]]:
    """Put the components side by side in rows about 1.6 times as wide as the whole is high."""
    boxes = []
    for block in blocks:
        xs = [x for x, _ in block.values()]
        ys = [y for _, y in block.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + SPACING, max(ys) - min(ys) + SPACING))
    area = sum(w * h for _, _, w, h in boxes)
    width = max(max((w for _, _, w, _ in boxes), default=0.0), math.sqrt(area * 1.6))
    placed: dict[Any, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for block, (left, top, w, h) in zip(blocks, boxes, strict=True):
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for key, (bx, by) in block.items():
            placed[key] = (x + bx - left, y + by - top)
        x += w
        row_height = max(row_height, h)
    if not placed:
        return placed
    xs = [p[0] for p in placed.values()]
    ys = [p[1] for p in placed.values()]
    mx, my = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {key: (px - mx, py - my) for key, (px, py) in placed.items()}


def _separate(points: np.ndarray, sizes: np.ndarray, rounds: int = 30) -> np.ndarray:
    """Push apart the nodes whose discs (plus a gap) overlap, a few rounds at most."""
    if len(points) < 2:
        return points
    points = points.copy()
    # The largest discs are compared with every node; the others only with the nodes a
    # grid of cells as wide as two of the largest of them (plus the gap) puts near: one hub
    # drawn ten times as large as its neighbours would make every cell hold most of a view.
    big = np.argsort(-sizes, kind="stable")[:_BIG]
    small = np.delete(sizes, big)
    reach = 2 * float(small.max() if len(small) else 0.0) + _GAP
    for _ in range(rounds):
        pairs = _candidates(points, sizes, big, reach)
        if len(pairs) == 0:
            break
        first, second = pairs[:, 0], pairs[:, 1]
        delta = points[second] - points[first]
        distance = np.hypot(delta[:, 0], delta[:, 1])
        wanted = sizes[first] + sizes[second] + _GAP
        close = distance < wanted
        if not close.any():
            break
        first, second, delta = first[close], second[close], delta[close]
        distance, wanted = distance[close], wanted[close]
        # Two nodes on the same spot move apart along a direction fixed by their indices.
        angle = (first * 7 + second * 13).astype(float)
        same = distance < 1e-6
        delta[same] = np.column_stack([np.cos(angle[same]), np.sin(angle[same])])
        distance[same] = 1.0
        push = (delta / distance[:, None]) * ((wanted - distance) / 2)[:, None]
        np.add.at(points, first, -push)
        np.add.at(points, second, push)
    return points


_BIG = 16  # the nodes whose overlaps are looked for among all nodes


def _candidates(points: np.ndarray, sizes: np.ndarray, big: np.ndarray, reach: float) -> np.ndarray:
    """Pairs ``[i, j]`` (``i < j``, sorted) among which are all overlapping discs: the pairs
    at most ``reach`` apart, and those of a ``big`` node closer than their sizes and gap."""
    found = [_close_pairs(points, reach)]
    delta = points[None, :, :] - points[big][:, None, :]
    distance = np.hypot(delta[..., 0], delta[..., 1])
    near = distance < sizes[big][:, None] + sizes[None, :] + _GAP
    rows, others = np.nonzero(near)
    first, second = big[rows], others
    keep = first != second
    first, second = first[keep], second[keep]
    found.append(np.column_stack([np.minimum(first, second), np.maximum(first, second)]))
    pairs = np.concatenate(found).astype(np.int64)
    if len(pairs) == 0:
        return pairs.reshape(0, 2)
    keys = np.unique(pairs[:, 0] * len(points) + pairs[:, 1])  # once each, in order
    return np.column_stack([keys // len(points), keys % len(points)])


# A cell and the four cells after it (right, and the three above): every pair of cells that
# touch is looked at once.
_AFTER = ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1))


def _close_pairs(points: np.ndarray, reach: float) -> np.ndarray:
    """The pairs ``[i, j]`` (``i < j``, sorted) of points at most ``reach`` apart.

    A grid of ``reach``-wide cells: two such points lie in the same cell or in touching ones,
    so only those are compared. numpy alone (scipy's k-d tree cost a second and 25 MB to load
    for this one call).

    >>> points = np.array([[0.0, 0.0], [5.0, 0.0], [100.0, 0.0], [104.0, 3.0]])
    >>> _close_pairs(points, 10.0).tolist()
    [[0, 1], [2, 3]]
    """
    cells = np.floor(points / reach).astype(np.int64)
    cells -= cells.min(axis=0)
    # One number per cell; a row as tall as two more cells than used, so that no step to a
    # touching cell wraps into another column's cells.
    height = int(cells[:, 1].max()) + 3
    keys = cells[:, 0] * height + cells[:, 1]
    order = np.argsort(keys, kind="stable")
    ranked = keys[order]
    firsts, seconds = [], []
    for dx, dy in _AFTER:
        target = ranked + dx * height + dy
        if dx == 0 and dy == 0:
            start = np.arange(1, len(ranked) + 1)  # the same cell: only the points after
        else:
            start = np.searchsorted(ranked, target, side="left")
        end = np.searchsorted(ranked, target, side="right")
        counts = np.maximum(end - start, 0)
        total = int(counts.sum())
        if total == 0:
            continue
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        firsts.append(np.repeat(order, counts))
        seconds.append(order[np.repeat(start, counts) + offsets])
    if not firsts:
        return np.empty((0, 2), dtype=np.int64)
    first, second = np.concatenate(firsts), np.concatenate(seconds)
    delta = points[second] - points[first]
    near = np.hypot(delta[:, 0], delta[:, 1]) <= reach
    low, high = np.minimum(first, second)[near], np.maximum(first, second)[near]
    pairs = np.column_stack([low, high])
    return pairs[np.lexsort((high, low))]
