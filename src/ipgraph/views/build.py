"""Explorable graph views: what a graph page draws, as plain data.

A view is built in two steps. First the entities and links to draw are chosen and described as
a plain `View` (lists of node and edge dicts, a legend and some metadata; see
`ipgraph.views.model`), which tests and programs can read without a browser: that is this
module, with `ipgraph.views.layout` placing the nodes. Then `ipgraph.views.html.to_html` writes
it into a self-contained HTML page, and `ipgraph.views.site` builds the named views of
``graphs/views.toml`` into a site with an index.

>>> import ipgraph
>>> kg = ipgraph.load()
>>> view = kg.view("CNIPA", depth=1)
>>> view.kind, view.meta["focus"] == [str(kg.resolve("CNIPA"))]
('neighborhood', True)
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from ipgraph.errors import UsageError
from ipgraph.views.describe import add_link_sources, describe_nodes, short_label
from ipgraph.views.expand import count_neighbours, neighbours
from ipgraph.views.layout import force_layout, path_layout
from ipgraph.views.model import (
    DEFAULT_MAX_NODES,
    EDGE_LABEL_LIMIT,
    GROUPS,
    VIS_VERSION,
    View,
    ViewSpec,
    group_of,
)
from ipgraph.views.text import format_literal
from ipgraph.vocab import IPG

if TYPE_CHECKING:
    import networkx as nx

    from ipgraph.kg import KnowledgeGraph

__all__ = [
    "DEFAULT_MAX_NODES",
    "GROUPS",
    "View",
    "ViewSpec",
    "build_view",
    "group_of",
]

# Who runs a program jointly (the agency collaboration network).
_PROGRAM_ROLES = (IPG.launchedBy, IPG.organizedBy, IPG.carriedOutBy, IPG.inCooperationWith)
_MAX_PATHS = 20
_JOINT_WIDTH = 2.0  # agencies view: line width per joint document or program


# -- building views -------------------------------------------------------------------------


def build_view(kg: KnowledgeGraph, spec: ViewSpec) -> View:
    """Build the `View` that ``spec`` asks for.

    Args:
        kg: the knowledge graph.
        spec: what to draw; see `ViewSpec`.

    Returns:
        The view, cut to ``spec.max_nodes`` nodes (best connected and focus nodes kept).

    Raises:
        UsageError: the spec mixes kinds of view, or asks for a bad depth, size or layout.
        EntityNotFound: an entity reference matches nothing.
        AmbiguousEntity: an entity reference matches several entities.
        NoPath: the two entities of a path view are not connected.
        QuerySyntaxError: the SPARQL of a query view does not parse.

    >>> import ipgraph
    >>> view = build_view(ipgraph.load(), ViewSpec(agencies=True))
    >>> all(node["group"] in {"agency", "organization"} for node in view.nodes)
    True
    """
    kind = spec.kind
    if spec.depth < 1:
        raise UsageError(f"depth must be 1 or more, not {spec.depth}")
    if spec.max_nodes is not None and spec.max_nodes < 1:
        raise UsageError(f"max nodes must be 1 or more, not {spec.max_nodes}")
    if spec.layout not in ("auto", "physics", "fixed"):
        raise UsageError(f"unknown layout {spec.layout!r}; use auto, physics or fixed")
    builder = _Builder(kg)
    if kind == "overview":
        name, default_title, description = _overview(kg, builder, spec.types)
    elif kind == "neighborhood":
        assert spec.entity is not None
        name, default_title, description = _neighborhood(
            kg, builder, spec.entity, spec.depth, spec.max_nodes
        )
    elif kind == "path":
        assert spec.path is not None
        name, default_title, description = _path(kg, builder, *spec.path)
    elif kind == "agencies":
        name, default_title, description = _agencies(kg, builder)
    else:
        assert spec.query is not None
        name, default_title, description = _query(kg, builder, spec.query)
    if spec.types and kind != "overview":
        builder.keep_types(kg, spec.types)
    return builder.finish(
        kind=kind,
        name=spec.name or name,
        title=spec.title or default_title,
        description=spec.description or description,
        max_nodes=spec.max_nodes,
        layout=spec.layout,
    )


class _Builder:
    """Collects nodes and edges, then sizes, caps, lays out and describes them."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self.graph = kg.graph
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[str, dict[str, Any]] = {}
        self.focus: list[str] = []
        self.extra_info: dict[str, list[list[str]]] = defaultdict(list)
        self.notices: list[str] = []
        self.behind: dict[
            str, list[tuple[URIRef, URIRef, URIRef]]
        ] = {}  # derived link's statements
        # Nodes are described (types, figures, sources) only once the cap has chosen them:
        # an overview of thousands of entities keeps a few hundred.
        self._pending: dict[str, tuple[Node, list[Node] | None]] = {}
        # A neighbourhood read by bounded lookups on a large store: its own projection (the
        # whole store's is never built) and how many nodes it has in all, read or not.
        self.local: nx.MultiDiGraph | None = None
        self.total_nodes: int | None = None

    def node(self, iri: Node, types: Iterable[Node] | None = None) -> str:
        """Add a node for ``iri`` (once) and return its id."""
        key = str(iri)
        if key not in self.nodes:
            label = self.kg.label(iri) if isinstance(iri, URIRef) else str(iri)
            self.nodes[key] = {"id": key, "label": label}
            self._pending[key] = (iri, None if types is None else list(types))
        return key

    def edge(
        self,
        subject: Node,
        predicate: URIRef,
        obj: Node,
        label: str | None = None,
        info: list[list[str]] | None = None,
        width: float = 1.0,
        weight: int = 1,
    ) -> None:
        """Add the edge ``subject —predicate→ obj`` (once), adding its ends as nodes."""
        source, target = self.node(subject), self.node(obj)
        key = f"{source} {predicate} {target}"
        if key in self.edges:
            return
        name = label or self.kg.label(predicate)
        rows = info or [
            ["relation", f"{self.nodes[source]['label']} —{name}→ {self.nodes[target]['label']}"],
            ["predicate", self.kg.curie(predicate)],
        ]
        self.edges[key] = {
            "id": f"e{len(self.edges)}",
            "from": source,
            "to": target,
            "predicate": str(predicate),
            "label": name,
            "width": width,
            "weight": weight,
            "info": rows,
        }

    def keep_types(self, kg: KnowledgeGraph, types: Sequence[str]) -> None:
        """Drop nodes of other classes (and their edges)."""
        wanted = set(kg.classes(types))
        for key in list(self.nodes):
            if key in self.focus:
                continue
            iri = URIRef(key)
            if not wanted.intersection(self.graph.objects(iri, RDF.type)):
                del self.nodes[key]
        self.edges = {
            k: e for k, e in self.edges.items() if e["from"] in self.nodes and e["to"] in self.nodes
        }

    def finish(
        self,
        kind: str,
        name: str,
        title: str,
        description: str,
        max_nodes: int | None,
        layout: str,
    ) -> View:
        nodes = list(self.nodes.values())
        edges = list(self.edges.values())
        total_nodes, total_edges = len(nodes), len(edges)
        degree = _degrees(edges)
        notice = None
        unread = 0 if self.total_nodes is None else max(self.total_nodes - total_nodes, 0)
        if max_nodes is not None and total_nodes > max_nodes:
            focus = set(self.focus)
            ranked = sorted(
                nodes, key=lambda n: (n["id"] not in focus, -degree[n["id"]], n["label"], n["id"])
            )
            kept = {n["id"] for n in ranked[:max_nodes]}
            nodes = [n for n in nodes if n["id"] in kept]
            edges = [e for e in edges if e["from"] in kept and e["to"] in kept]
        if unread or (max_nodes is not None and total_nodes > max_nodes):
            total_nodes += unread
            notice = _cap_notice(kind, total_nodes, len(nodes), unread)
        todo = [node for node in nodes if node["id"] in self._pending]
        described = describe_nodes(self.kg, [self._pending.pop(node["id"]) for node in todo])
        for node, read in zip(todo, described, strict=True):
            node.update(read)
        for node in nodes:
            node["info"][-1:-1] = self.extra_info.get(node["id"], [])
        if self.notices:
            notice = " ".join([*self.notices, *([notice] if notice else [])])
        add_link_sources(self.kg, edges, self.behind)
        degree = _degrees(edges)
        for node in nodes:
            node["degree"] = degree[node["id"]]
            node["size"] = round(10 + 5 * math.sqrt(degree[node["id"]]), 1)
        fixed = layout != "physics"
        if fixed and kind == "path" and all("hop" in node for node in nodes):
            path_layout(nodes)
        elif fixed:
            force_layout(nodes, edges, centre=self.focus[0] if self.focus else None)
        reserve = self._reserve(nodes, edges)
        count_neighbours(self._around(), [*nodes, *reserve["nodes"]])
        counts = Counter(n["group"] for n in nodes)
        present = set(counts) | {n["group"] for n in reserve["nodes"]}
        legend = [
            {
                "key": g.key,
                "label": g.label,
                "label_zh": g.label_zh,
                "color": g.color,
                "shape": g.shape,
                "count": counts[g.key],
            }
            for g in GROUPS
            if g.key in present
        ]
        meta = {
            "focus": [f for f in self.focus if f in {n["id"] for n in nodes}],
            "total_nodes": total_nodes,
            "omitted_nodes": total_nodes - len(nodes),
            "total_edges": total_edges,
            "omitted_edges": total_edges - len(edges),
            "notice": notice,
            "layout": "fixed" if fixed else "physics",
            "edge_labels": len(edges) <= EDGE_LABEL_LIMIT,
            "vis_network": VIS_VERSION,
            "sizes": "number of links",
            "widths": (
                "number of joint documents and programs"
                if kind == "agencies"
                else "links of the shortest connections"
                if kind == "path"
                else None
            ),
        }
        return View(kind, name, title, description, nodes, edges, legend, meta, reserve)

    def _reserve(
        self, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]
    ) -> dict[str, list[dict[str, Any]]]:
        """The nodes one link away in the projection, for expansion: best linked first."""
        return neighbours(self.kg, self._around(), {node["id"] for node in nodes}, edges)

    def _around(self) -> nx.MultiDiGraph:
        """The projection the view was read from: the local one when there is one."""
        return self.local if self.local is not None else _projection(self.kg)


# -- the five kinds of view -------------------------------------------------------------------


def _projection(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """The entity projection (issue 4), cached by the facade until the data changes."""
    return kg.projection()


def _add_projection_edges(builder: _Builder, projection: nx.MultiDiGraph, keep: set[Any]) -> None:
    # In a fixed order: a projection read by lookups lists its links in the order of sets,
    # which changes with each process's string hashing, and the page would too.
    found = [
        (subject, obj, data)
        for subject, obj, data in projection.edges(data=True)
        if subject in keep and obj in keep
    ]
    found.sort(key=lambda e: (str(e[0]), str(e[2]["predicate"]), str(e[1])))
    for subject, obj, data in found:
        builder.edge(subject, data["predicate"], obj, label=data.get("label_en"))


def _overview(kg: KnowledgeGraph, builder: _Builder, types: Sequence[str]) -> tuple[str, str, str]:
    projection = _projection(kg)
    keep: set[Any] = set(projection.nodes)
    if types:
        wanted = set(kg.classes(types))
        keep = {n for n in keep if wanted.intersection(projection.nodes[n].get("types", ()))}
    kg.prefetch_labels(keep)
    for node in sorted(keep, key=str):
        builder.node(node, projection.nodes[node].get("types"))
    _add_projection_edges(builder, projection, keep)
    if types:
        names = ", ".join(kg.label(kg.expand(t)) for t in types)
        return (
            "overview-" + _slug(names),
            f"ipgraph: {names}",
            f"Every {names} entity of the graph and the links among them.",
        )
    return (
        "overview",
        "ipgraph: the whole graph",
        "Every agency, document, program, region and organization, and how they are linked.",
    )


def _neighborhood(
    kg: KnowledgeGraph, builder: _Builder, ref: str, depth: int, cap: int | None = None
) -> tuple[str, str, str]:
    if kg.store.persistent:
        # A large store: read at most ``cap`` neighbours (first by IRI) by bounded lookups,
        # and count the rest for the banner; the page fetches more when served.
        projection, center, total = kg.bounded_neighborhood(ref, depth, cap)
        builder.local, builder.total_nodes = projection, total
        # The read entities (the vocabulary's individuals are projected too, unlinked).
        keep: set[Any] = {n for n in projection.nodes if n == center or projection.degree(n)}
    else:
        around = kg.neighbors(ref, depth=depth)
        center = around.center
        projection, _ = kg.neighborhood_graph(center, depth)
        keep = {center, *(neighbor.node for neighbor in around.neighbors)}
    kg.prefetch_labels(keep)  # one batch of name lookups, not one per node
    builder.focus.append(builder.node(center, projection.nodes[center].get("types")))
    for node in sorted(keep, key=str):
        builder.node(node, projection.nodes[node].get("types"))
    _add_projection_edges(builder, projection, keep)  # every link among them, not a tree
    label = kg.label(center)
    hops = "1 link" if depth == 1 else f"{depth} links"
    return (
        f"{_entity_slug(kg, center)}-depth-{depth}",
        f"{label}: neighbourhood, depth {depth}",
        f"Everything within {hops} of {label}.",
    )


def _path(kg: KnowledgeGraph, builder: _Builder, a: str, b: str) -> tuple[str, str, str]:
    shortest = kg.path(a, b)
    length = len(shortest.hops)
    if length == 0:
        raise UsageError(
            f"{a!r} and {b!r} are the same entity ({kg.label(shortest.start)}); a path view "
            "needs two different ones"
        )
    start = shortest.start
    end = shortest.hops[-1].target if shortest.hops else start
    found = kg.paths(a, b, max_length=length, limit=_MAX_PATHS)
    routes = [route for route in found if len(route.hops) == length] or [shortest]
    builder.focus += [builder.node(start), builder.node(end)]
    for lane, route in enumerate(routes):
        for hop in route.hops:
            builder.edge(hop.subject, hop.predicate, hop.object, width=3.0)
        # Where the node is drawn: x from the links to the start, y from the first path.
        for index, stop in enumerate(route.nodes):
            builder.nodes[str(stop)].setdefault("hop", index)
            builder.nodes[str(stop)].setdefault("lane", lane)
    if found.truncated:
        builder.notices.append(
            f"Only the first {len(routes)} shortest connections are drawn; there may be more."
        )
    many = f"{len(routes)} shortest connections" if len(routes) > 1 else "the shortest connection"
    return (
        f"path-{_entity_slug(kg, start)}-{_entity_slug(kg, end)}",
        f"{kg.label(start)} → {kg.label(end)}",
        f"{many.capitalize()} between {kg.label(start)} and {kg.label(end)} "
        f"({length} link{'s' if length != 1 else ''}).",
    )


def _agencies(kg: KnowledgeGraph, builder: _Builder) -> tuple[str, str, str]:
    graph = kg.graph
    organizations = set(kg.instances(IPG.Organization))
    joint: dict[tuple[URIRef, URIRef], list[tuple[str, Node]]] = defaultdict(list)

    def link(work: Node, members: Iterable[Node], how: str) -> None:
        found = sorted({m for m in members if m in organizations}, key=str)
        for i, first in enumerate(found):
            for second in found[i + 1 :]:
                assert isinstance(first, URIRef) and isinstance(second, URIRef)
                joint[(first, second)].append((how, work))

    # In IRI order (a set's order changes with each process's hash seed): the same page.
    for document in sorted(set(graph.subjects(IPG.issuedBy, None)), key=str):
        link(document, graph.objects(document, IPG.issuedBy), "co-issued")
    program_iris = {s for role in _PROGRAM_ROLES for s in graph.subjects(role, None)}
    for program in sorted(program_iris, key=str):
        members = [m for role in _PROGRAM_ROLES for m in graph.objects(program, role)]
        link(program, members, "joint program")
    for (first, second), works in sorted(joint.items()):
        builder.node(first)
        builder.node(second)
        documents = sorted(kg.label(w) for how, w in works if how == "co-issued")
        programs = sorted(kg.label(w) for how, w in works if how == "joint program")
        parts = []
        if documents:
            parts.append(f"{len(documents)} document{'s' if len(documents) > 1 else ''}")
        if programs:
            parts.append(f"{len(programs)} program{'s' if len(programs) > 1 else ''}")
        rows = [["with", f"{kg.label(first)} — {kg.label(second)}"]]
        rows += [["document", d] for d in documents] + [["program", p] for p in programs]
        builder.edge(
            first,
            URIRef(f"{IPG}collaboratesWith"),
            second,
            label=" + ".join(parts),
            info=rows,
            width=_JOINT_WIDTH * len(works),  # the legend's "thicker means more joint work"
            weight=len(works),
        )
        # The link's sources are those of the statements it stands for: each work's issuer
        # or role statements naming either agency.
        edge_id = builder.edges[f"{first} {IPG}collaboratesWith {second}"]["id"]
        builder.behind[edge_id] = [
            (work, role, member)
            for _, work in works
            for role in (IPG.issuedBy, *_PROGRAM_ROLES)
            for member in (first, second)
            if isinstance(work, URIRef) and (work, role, member) in graph
        ]
    return (
        "agencies",
        "Agency collaboration network",
        "Agencies and organizations linked by the documents they issued jointly and the "
        "programs they ran together; thicker lines mean more joint work.",
    )


def _query(kg: KnowledgeGraph, builder: _Builder, sparql: str) -> tuple[str, str, str]:
    result = kg.query(sparql)
    if result.kind == "ASK":
        raise UsageError("an ASK query has no graph to draw; use CONSTRUCT or SELECT")
    if result.graph is not None:
        constructed: Graph = result.graph
        for subject, predicate, obj in sorted(constructed):
            if not isinstance(predicate, URIRef):
                continue
            key = builder.node(subject, _types(kg, constructed, subject))
            if isinstance(obj, Literal):
                builder.extra_info[key].append([kg.label(predicate), format_literal(obj)])
            elif predicate != RDF.type:
                builder.node(obj, _types(kg, constructed, obj))
                builder.edge(subject, predicate, obj)
        what = "the graph the query constructs"
    else:
        found = {
            value for row in result.rows for value in row if isinstance(value, (URIRef, BNode))
        }
        if not found:
            raise UsageError("the query returned no entities (IRIs) to draw")
        kg.prefetch_labels(found)
        for node in sorted(found, key=str):
            builder.node(node)
        _add_projection_edges(builder, _projection(kg), found)
        what = "the entities the query returns and the links among them"
    if result.truncated:
        builder.notices.append("The query result was cut at its row limit.")
    first_line = next((ln.strip() for ln in sparql.splitlines() if ln.strip()), "query")
    return "query", "SPARQL query", f"{what.capitalize()}: {first_line[:120]}"


def _types(kg: KnowledgeGraph, graph: Graph, node: Node) -> list[Node]:
    return list(graph.objects(node, RDF.type)) or list(kg.graph.objects(node, RDF.type))


# -- small helpers ------------------------------------------------------------------------------


def _entity_slug(kg: KnowledgeGraph, iri: URIRef) -> str:
    """``cnipa`` for CNIPA: its acronym, else the last part of its IRI."""
    alt = [str(v) for v in kg.graph.objects(iri, SKOS.altLabel)]
    short = short_label(kg.label(iri), sorted(alt))
    if short.isascii() and len(short) <= 12:
        return _slug(short)
    return _slug(str(iri).rstrip("/").rsplit("/", 1)[-1])


def _slug(text: str) -> str:
    ascii_text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return ascii_text[:60].strip("-") or "view"


def _degrees(edges: Sequence[dict[str, Any]]) -> Counter[str]:
    degree: Counter[str] = Counter()
    for edge in edges:
        degree[edge["from"]] += 1
        degree[edge["to"]] += 1
    return degree


def _cap_notice(kind: str, total: int, shown: int, unread: int = 0) -> str:
    """The banner of a capped view; ``unread``: nodes a large store's view did not read
    (it reads the first neighbours by IRI, not the best connected)."""
    hints = {
        "overview": "show one class (--type ipg:Agency) or one entity's neighbourhood "
        "(ipgraph render CNIPA --depth 1)",
        "neighborhood": "lower --depth",
        "path": "pick closer entities",
        "agencies": "render one agency's neighbourhood instead",
        "query": "add a LIMIT or narrow the query",
    }
    if unread:
        return (
            f"Showing {shown:,} of {total:,} nodes: the store was read for the first "
            f"neighbours by IRI, {total - shown:,} were left out. To see more, raise "
            "--max-nodes, or open the view from `ipgraph serve` and expand a node."
        )
    return (
        f"Showing {shown:,} of {total:,} nodes: {total - shown:,} less connected nodes were "
        f"left out. To see them, {hints.get(kind, 'narrow the view')}, or raise --max-nodes."
    )
