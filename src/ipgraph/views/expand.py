"""The neighbours a graph page adds when a node is double-clicked.

A page embeds the nodes one link away from what it draws, up to `RESERVE_LIMIT` (its
``reserve``); a page served by ``ipgraph serve`` asks for more at ``/views/expand``, which
answers with `expand`: the same node and link dicts (`ipgraph.views.model.View`), sources
included.

>>> import ipgraph
>>> kg = ipgraph.load()
>>> found = expand(kg, str(kg.resolve("CNIPA")), limit=5)
>>> len(found["nodes"]), found["neighbours"] > 5, found["truncated"]
(5, True, True)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from ipgraph.errors import UsageError
from ipgraph.views.describe import add_link_sources, describe_nodes, link
from ipgraph.views.model import GROUPS

if TYPE_CHECKING:
    import networkx as nx

    from ipgraph.kg import KnowledgeGraph

__all__ = ["MAX_EXPAND", "RESERVE_LIMIT", "count_neighbours", "expand", "neighbours"]

RESERVE_LIMIT = 200
"""Nodes one link away from a view, embedded in its page for double-click expansion."""

MAX_EXPAND = 500
"""The most neighbours one ``/views/expand`` answer holds."""


def neighbours(
    kg: KnowledgeGraph,
    projection: nx.MultiDiGraph,
    shown: set[str],
    edges: Sequence[dict[str, Any]] = (),
    limit: int = RESERVE_LIMIT,
    prefix: str = "r",
) -> dict[str, list[dict[str, Any]]]:
    """The nodes one link away from ``shown`` in the projection (best linked first, at most
    ``limit``) and every link among them and ``shown``, as the page embeds them.

    Args:
        kg: the knowledge graph.
        projection: the entity projection holding ``shown`` and what is around it.
        shown: the IRIs already drawn.
        edges: the links already drawn (they count in the new nodes' sizes).
        limit: the most nodes to return.
        prefix: the first letter(s) of the new links' ids (ids are unique per page).
    """
    counts: Counter[Any] = Counter()
    for key in shown:
        iri = URIRef(key)
        if iri in projection:
            for other in {*projection.successors(iri), *projection.predecessors(iri)}:
                if str(other) not in shown:
                    counts[other] += 1
    chosen = sorted(counts, key=lambda n: (-counts[n], str(n)))[:limit]
    described = describe_nodes(kg, [(n, projection.nodes[n].get("types")) for n in chosen])
    extra = {str(n): found for n, found in zip(chosen, described, strict=True)}
    labels = {str(n): extra[str(n)]["label"] for n in chosen}
    known = shown | set(extra)
    found: dict[str, dict[str, Any]] = {}
    for node in chosen:
        around = [*projection.out_edges(node, data=True), *projection.in_edges(node, data=True)]
        # In IRI order, not the projection's (set order, which changes with each process's
        # hash seed): the same links get the same ids in every run.
        for subject, obj, data in sorted(
            around, key=lambda e: (str(e[0]), str(e[2]["predicate"]), str(e[1]))
        ):
            key = f"{subject} {data['predicate']} {obj}"
            if str(subject) in known and str(obj) in known and key not in found:
                ends = tuple(labels.get(str(k)) or kg.label(k) for k in (subject, obj))
                found[key] = link(
                    kg,
                    f"{prefix}{len(found)}",
                    subject,
                    data["predicate"],
                    obj,
                    (ends[0], ends[1]),
                    label=data.get("label_en"),
                )
    add_link_sources(kg, list(found.values()))
    degree: Counter[str] = Counter()
    for edge in [*edges, *found.values()]:
        degree[edge["from"]] += 1
        degree[edge["to"]] += 1
    for node in extra.values():
        node["degree"] = degree[node["id"]]
        node["size"] = round(10 + 5 * math.sqrt(degree[node["id"]]), 1)
    count_neighbours(projection, extra.values())
    return {"nodes": list(extra.values()), "edges": list(found.values())}


def count_neighbours(projection: nx.MultiDiGraph, nodes: Iterable[dict[str, Any]]) -> None:
    """Set each node's ``neighbours``: how many entities one link away it has in the graph
    (the page asks the server for more when it holds fewer of them)."""
    for node in nodes:
        iri = URIRef(node["id"])
        if iri in projection:
            node["neighbours"] = len({*projection.successors(iri), *projection.predecessors(iri)})
        else:
            node["neighbours"] = 0


def expand(kg: KnowledgeGraph, node: str, limit: int = 100) -> dict[str, Any]:
    """A node's neighbours (best linked first, at most ``limit``) and the links among them
    and the node: what ``GET /views/expand?node=IRI&limit=N`` answers.

    Returns:
        ``node`` (the IRI), ``neighbours`` (how many it has), ``nodes`` and ``edges`` (as in
        `View`), ``legend`` (the classes of those nodes) and ``truncated`` (more neighbours
        than returned).

    Raises:
        UsageError: a limit below 1 or above `MAX_EXPAND`, or an entity the projection
            leaves out.
        EntityNotFound: the IRI names nothing in the graph.
    """
    if not 1 <= limit <= MAX_EXPAND:
        raise UsageError(f"limit must be between 1 and {MAX_EXPAND}, not {limit}")
    projection, center = kg.neighborhood_graph(node, 1)  # lookups around it on a large store
    found = neighbours(kg, projection, {str(center)}, limit=limit, prefix="rx")
    total = len({*projection.successors(center), *projection.predecessors(center)})
    present = {n["group"] for n in found["nodes"]}
    legend = [
        {"key": g.key, "label": g.label, "label_zh": g.label_zh, "color": g.color,
         "shape": g.shape, "count": 0}
        for g in GROUPS
        if g.key in present
    ]  # fmt: skip
    return {
        "node": str(center),
        "neighbours": total,
        "truncated": total > len(found["nodes"]),
        **found,
        "legend": legend,
    }
