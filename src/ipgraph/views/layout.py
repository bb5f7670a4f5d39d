"""Where the nodes of a view go: positions computed in Python before the page opens.

A page draws its first frame with every node in place and the physics off, so nothing moves
and nothing waits. Two layouts:

- `force_layout`: a component in which one node is linked to all the others (a star: the
  view of one entity's neighbours) is drawn as rings around that node, linked neighbours
  side by side. Any other component is laid out with networkx's ``forceatlas2_layout``
  (seeded, and fed its nodes in a fixed order, so the same view looks the same in every
  process), at most its `CORE` best connected nodes; each other node is placed next to the
  neighbours already placed, breadth first (fanned out away from the middle): linear in the
  number of nodes, so that views of ten thousand nodes are laid out in seconds. The
  components are then packed in rows, and nodes closer than their sizes allow are pushed
  apart (`ipgraph.views.overlap`, with numpy, which a view of stars alone never loads).
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
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

__all__ = ["CORE", "SPACING", "force_layout", "path_layout"]

SPACING = 90.0
"""The typical length of a link, in pixels at zoom 1."""

CORE = 200
"""Nodes of a component laid out by force; the others are placed beside their neighbours."""

_GAP = 34.0  # room left between two nodes' discs, beside their sizes: a label
_LABEL_WIDTH = 150.0  # star views: room along a ring for the name drawn under a node
_COLUMN = 300.0  # path views: room for a relation's name between two hops ...
_MIN_COLUMN = 200.0  # ... and never less, however long the chain
_PATH_WIDTH = 900.0  # the width a chain is fitted to: about a laptop's graph pane at zoom 1
# Lanes far enough apart that the middle of a link between two lanes (where its relation's
# name is drawn) clears the labels drawn under the nodes; closer when a column is tall.
_LANE = 300.0
_MIN_LANE = 120.0
_PATH_HEIGHT = 600.0


def force_layout(
    nodes: Sequence[dict[str, Any]], edges: Sequence[dict[str, Any]], centre: str | None = None
) -> None:
    """Write ``x`` and ``y`` into every node: a force layout packed to a landscape page.

    Args:
        nodes: node dicts with ``id`` and ``size`` (the drawn radius); ``x`` and ``y`` are set.
        edges: edge dicts with ``from`` and ``to``.
        centre: the view's own entity, drawn in the middle of the rings when it is linked
            to every other node of its component (else the best linked such node is).
    """
    graph = nx.Graph()
    graph.add_nodes_from((node["id"], {"size": node.get("size", 10.0)}) for node in nodes)
    graph.add_edges_from((edge["from"], edge["to"]) for edge in edges if edge["from"] != edge["to"])
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    at = {key: index for index, key in enumerate(graph)}
    blocks = [
        _component(_subgraph(graph, sorted(c, key=at.__getitem__)), centre) for c in components
    ]
    placed = _pack([positions for positions, _ in blocks])
    points = [placed[node["id"]] for node in nodes]
    if not all(spaced for _, spaced in blocks):
        # numpy only here: a star's rings are spaced by construction, and a hub's view
        # then loads neither numpy (16 MB) nor ForceAtlas2.
        from ipgraph.views.overlap import separate

        sizes = [float(node.get("size", 10.0)) for node in nodes]
        points = separate(points, sizes, _GAP)
    for node, (x, y) in zip(nodes, points, strict=True):
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


def _component(
    graph: nx.Graph, centre: str | None = None
) -> tuple[dict[Any, tuple[float, float]], bool]:
    """Positions of one connected component, centred on (0, 0), links about `SPACING` long,
    and whether they are spaced already (no two discs too close). A star is drawn as rings
    around ``centre`` when it is linked to every other node, else around the best linked."""
    size = graph.number_of_nodes()
    if size == 1:
        return {next(iter(graph)): (0.0, 0.0)}, True
    hubs = [n for n in graph if graph.degree(n) == size - 1]
    if hubs:
        middle = centre if centre in hubs else min(hubs, key=str)
        return _rings(graph, middle), True
    ranked = sorted(graph, key=lambda n: (-graph.degree(n), str(n)))
    core = _subgraph(graph, ranked[:CORE])
    positions = _forces(core)
    if size > len(core):
        _grow(graph, positions)
    return _landscape(positions), False


def _rings(graph: nx.Graph, centre: Any) -> dict[Any, tuple[float, float]]:
    """A star (``centre`` linked to every other node, as in the view of one entity's
    neighbours): ``centre`` in the middle, the others on rings around it, as many to a
    ring as fit its circumference with room for their names, the rings spaced so that no
    two discs come closer than their sizes and a label (`_GAP`). Nodes linked to each
    other come side by side (each group of them in breadth-first order, the largest groups
    first; the others by IRI, so documents, programs and agencies each come together)."""
    size = {n: float(graph.nodes[n].get("size", 10.0)) for n in graph}
    around = _subgraph(graph, [n for n in sorted(graph, key=str) if n != centre])
    order: list[Any] = []
    groups = sorted(nx.connected_components(around), key=lambda c: (-len(c), min(map(str, c))))
    for group in groups:
        first = min(group, key=str)
        order += [first, *(b for _, b in nx.bfs_edges(around, first, sort_neighbors=_by_name))]
    largest = 2 * max(size[n] for n in order)
    # Along a ring, room for a name beside each node; between rings, for one under it.
    along, across = largest + _LABEL_WIDTH, largest + 2 * _GAP
    radius = max(2 * SPACING, size[centre] + across)
    positions = {centre: (0.0, 0.0)}
    golden = math.pi * (3 - math.sqrt(5))
    done = ring = 0
    while done < len(order):
        # As many as keep neighbours on the ring ``along`` apart (chord, not arc).
        fits = int(math.pi / math.asin(min(1.0, along / (2 * radius))))
        members = order[done : done + max(1, fits)]
        turn = ring * golden  # each ring starts elsewhere: no spoke of aligned nodes
        for index, node in enumerate(members):
            angle = turn + 2 * math.pi * index / len(members)
            positions[node] = (radius * math.cos(angle), radius * math.sin(angle))
        done, ring, radius = done + len(members), ring + 1, radius + across
    return positions


def _by_name(nodes: Iterable[Any]) -> list[Any]:
    return sorted(nodes, key=str)


def _forces(core: nx.Graph) -> dict[Any, tuple[float, float]]:
    """ForceAtlas2 positions of ``core`` (two nodes or more), links about `SPACING` long."""
    iterations = 300 if len(core) <= 100 else 150 if len(core) <= 200 else 80
    # ForceAtlas2 with hubs dissuaded: a hub's many neighbours spread around it instead of
    # piling up in the middle; node sizes (with room for a label) keep discs apart.
    room = {n: float(core.nodes[n].get("size", 10.0)) / SPACING + 0.25 for n in core}
    raw = nx.forceatlas2_layout(
        core,
        max_iter=iterations,
        seed=7,
        distributed_action=True,
        scaling_ratio=4.0,
        node_size=room,
    )
    lengths = [math.dist(raw[a], raw[b]) for a, b in core.edges()]
    unit = statistics.median(lengths) if lengths else 1.0
    scale = SPACING / unit if unit > 0 else SPACING
    return {key: (float(x) * scale, float(y) * scale) for key, (x, y) in raw.items()}


def _fan_radius(rank: int) -> float:
    """How far from its neighbour `_grow` puts the ``rank``-th node it places around it."""
    return SPACING * (0.8 + 0.25 * math.sqrt(rank))


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
    count = len(positions)
    mx = sum(x for x, _ in positions.values()) / count
    my = sum(y for _, y in positions.values()) / count
    centred = {key: (x - mx, y - my) for key, (x, y) in positions.items()}
    # The direction of the largest spread: the main axis of the 2x2 covariance, in closed form.
    xx = sum(x * x for x, _ in centred.values())
    yy = sum(y * y for _, y in centred.values())
    xy = sum(x * y for x, y in centred.values())
    angle = -0.5 * math.atan2(2 * xy, xx - yy)
    cos, sin = math.cos(angle), math.sin(angle)
    return {key: (x * cos - y * sin, x * sin + y * cos) for key, (x, y) in centred.items()}


def _grow(graph: nx.Graph, positions: dict[Any, tuple[float, float]]) -> None:
    """Place the nodes outside the core breadth first, each beside the neighbours placed."""
    cx = sum(x for x, _ in positions.values()) / len(positions)
    cy = sum(y for _, y in positions.values()) / len(positions)
    frontier = sorted(positions, key=lambda n: (-graph.degree(n), str(n)))
    golden = math.pi * (3 - math.sqrt(5))
    while frontier:
        following = []
        for parent in frontier:
            px, py = positions[parent]
            outward = math.atan2(py - cy, px - cx)
            children = [c for c in sorted(graph[parent], key=str) if c not in positions]
            # Fanned out from the direction away from the centre, the first child on it, the
            # others turned by the golden angle either way: a few stay on the outer side,
            # eight or more go all round (a sunflower, wider with each).
            spread = min(1.0, len(children) / 8)
            for rank, child in enumerate(children):
                turn = (rank * golden + math.pi) % (2 * math.pi) - math.pi
                angle = outward + spread * turn
                radius = _fan_radius(rank)
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
