"""Where the nodes of a view go: positions computed in Python before the page opens.

>>> nodes = [{"id": "a", "group": "agency", "degree": 1, "label": "A"},
...          {"id": "b", "group": "region", "degree": 1, "label": "B"}]
>>> place_by_class(nodes)
>>> all("x" in node and "y" in node for node in nodes)
True
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from ipgraph.views.model import GROUPS

__all__ = ["place_by_class"]


def place_by_class(nodes: list[dict[str, Any]]) -> None:
    """Precomputed positions: one cluster per class, best-connected nodes at its centre.

    Pure Python and linear in the number of nodes, so that views of many thousand nodes open
    at once with the physics off (networkx's force layouts need numpy, and are quadratic).
    """
    by_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        by_group[node["group"]].append(node)
    golden = math.pi * (3 - math.sqrt(5))
    spacing = 28.0
    clusters = [g.key for g in GROUPS if by_group.get(g.key)]
    radii = {key: spacing * math.sqrt(len(by_group[key])) for key in clusters}
    ring = max(radii.values(), default=0) * 1.6 if len(clusters) > 1 else 0.0
    for index, key in enumerate(clusters):
        angle = 2 * math.pi * index / max(len(clusters), 1)
        cx, cy = ring * math.cos(angle), ring * math.sin(angle)
        members = sorted(by_group[key], key=lambda n: (-n["degree"], n["label"]))
        for rank, node in enumerate(members):
            r = spacing * math.sqrt(rank)
            node["x"] = round(cx + r * math.cos(rank * golden), 1)
            node["y"] = round(cy + r * math.sin(rank * golden), 1)
