"""Explorable graph views: what a graph page draws, as plain data.

A view is built in two steps. First the entities and links to draw are chosen and described as
a plain `View` (lists of node and edge dicts, a legend and some metadata), which tests and
programs can read without a browser: that is this module. Then `ipgraph.views.html.to_html` writes
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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ipgraph.entity import figure, passage
from ipgraph.errors import UsageError
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

DEFAULT_MAX_NODES = 500
"""Views larger than this are cut to their best-connected nodes unless asked otherwise."""

PHYSICS_LIMIT = 400
"""Above this many nodes positions are computed in Python and the physics stays off."""

EDGE_LABEL_LIMIT = 250
"""Above this many edges relation names are shown on hover only, not drawn on the edges."""

VIS_VERSION = "9.1.2"


@dataclass(frozen=True)
class Group:
    """A class of nodes as the views draw it: colour, shape and legend entry."""

    key: str
    cls: URIRef | None
    color: str
    shape: str
    label: str
    label_zh: str


GROUPS: tuple[Group, ...] = (
    Group("agency", IPG.Agency, "#c0392b", "dot", "Agency", "政府机构"),
    Group("organization", IPG.Organization, "#e67e22", "hexagon", "Organization", "组织机构"),
    Group(
        "category",
        IPG.OrganizationCategory,
        "#8e44ad",
        "triangleDown",
        "Organization category",
        "组织类别",
    ),
    Group("document", IPG.PolicyDocument, "#2471a3", "square", "Policy document", "政策文件"),
    Group("program", IPG.Program, "#1e8449", "diamond", "Program", "工作项目"),
    Group("region", IPG.Region, "#17a589", "triangle", "Region", "行政区域"),
    Group("concept", IPG.Concept, "#b7950b", "star", "Concept", "概念"),
    Group("figure", IPG.Observation, "#7f8c8d", "dot", "Figure", "统计观测值"),
    Group("other", None, "#95a5a6", "dot", "Other", "其他"),
)
"""The node classes in the order they are tried (most specific first) and shown in legends."""

_GROUP_BY_KEY = {group.key: group for group in GROUPS}
# Nodes the whole-graph views leave out: provenance and statistical vocabulary.
_NOT_DRAWN = {IPG.Passage, IPG.Source, IPG.Measure, IPG.Unit, IPG.Qualifier, IPG.Observation}
_NOT_LINKS = {RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, OWL.sameAs, PROV.wasDerivedFrom}
# Who runs a program jointly (the agency collaboration network).
_PROGRAM_ROLES = (IPG.launchedBy, IPG.organizedBy, IPG.carriedOutBy, IPG.inCooperationWith)
_MAX_FIGURES = 6
_MAX_SOURCES = 4
_MAX_PATHS = 20


# -- the data model -------------------------------------------------------------------------


@dataclass
class View:
    """What a graph page draws, as plain data.

    Attributes:
        kind: ``overview``, ``neighborhood``, ``path``, ``agencies`` or ``query``.
        name: a slug used for file names (``cnipa-depth-2``).
        title: the page heading.
        description: one line saying what the view shows.
        nodes: one dict per node: ``id`` (IRI), ``label`` (English), ``zh`` (Chinese or
            ``None``), ``alt`` (acronyms, variants), ``short`` (drawn label), ``group`` (a
            `GROUPS` key), ``types`` (class names), ``degree``, ``size``, ``info`` (tooltip
            rows ``[name, text]``: type, labels, figures, sources) and, when positions are
            precomputed, ``x`` and ``y``.
        edges: one dict per edge: ``id``, ``from``, ``to`` (node IRIs), ``predicate`` (IRI),
            ``label`` (the relation's name), ``width`` and ``info`` (tooltip rows).
        legend: one entry per class present: ``key``, ``label``, ``label_zh``, ``color``,
            ``shape``, ``count``.
        meta: ``focus`` (IRIs to highlight), ``total_nodes``, ``omitted_nodes``, ``total_edges``,
            ``omitted_edges``, ``notice`` (why nodes are missing and how to narrow the view, or
            ``None``), ``layout`` (``physics`` or ``fixed``), ``edge_labels`` (drawn or not).
    """

    kind: str
    name: str
    title: str
    description: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The view as JSON-ready data (what the page embeds)."""
        return {
            "kind": self.kind,
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "nodes": self.nodes,
            "edges": self.edges,
            "legend": self.legend,
            "meta": self.meta,
        }

    def node_ids(self) -> set[str]:
        """The IRIs of the nodes drawn."""
        return {node["id"] for node in self.nodes}

    def __repr__(self) -> str:
        return f"<View {self.name!r}: {len(self.nodes)} nodes, {len(self.edges)} edges>"


@dataclass(frozen=True)
class ViewSpec:
    """Which view to build: at most one of ``entity``, ``path``, ``agencies``, ``query``.

    With none of them the view is the whole graph (optionally only some classes, ``types``).
    A `ViewSpec` is what a table of ``graphs/views.toml`` is read into.
    """

    name: str | None = None
    title: str | None = None
    description: str | None = None
    entity: str | None = None
    depth: int = 1
    path: tuple[str, str] | None = None
    agencies: bool = False
    query: str | None = None
    types: tuple[str, ...] = ()
    max_nodes: int | None = DEFAULT_MAX_NODES
    layout: str = "auto"

    @property
    def kind(self) -> str:
        """Which of the five kinds of view this asks for."""
        chosen = [
            kind
            for kind, given in (
                ("neighborhood", self.entity is not None),
                ("path", self.path is not None),
                ("agencies", self.agencies),
                ("query", self.query is not None),
            )
            if given
        ]
        if len(chosen) > 1:
            raise UsageError(
                "choose one view: an entity, a path, the agencies network or a query "
                f"(got {' and '.join(chosen)})"
            )
        return chosen[0] if chosen else "overview"


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
        name, default_title, description = _neighborhood(kg, builder, spec.entity, spec.depth)
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

    def node(self, iri: Node, types: Iterable[Node] | None = None) -> str:
        """Add a node for ``iri`` (once) and return its id."""
        key = str(iri)
        if key not in self.nodes:
            self.nodes[key] = self._describe(iri, types)
        return key

    def edge(
        self,
        subject: Node,
        predicate: URIRef,
        obj: Node,
        label: str | None = None,
        info: list[list[str]] | None = None,
        width: float = 1.0,
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

    def _describe(self, iri: Node, types: Iterable[Node] | None) -> dict[str, Any]:
        graph, kg = self.graph, self.kg
        node_types = list(types if types is not None else graph.objects(iri, RDF.type))
        label = kg.label(iri) if isinstance(iri, URIRef) else str(iri)
        zh = _first_lang(graph, iri, "zh")
        alt = sorted({str(v) for v in graph.objects(iri, SKOS.altLabel)})
        group = group_of(kg, node_types)
        type_names = sorted({kg.label(t) for t in node_types if isinstance(t, URIRef)})
        type_names_zh = sorted(
            {kg.label(t, lang="zh") for t in node_types if isinstance(t, URIRef)} - set(type_names)
        )
        info: list[list[str]] = []
        if type_names:
            info.append(["type", " · ".join([*type_names, *type_names_zh])])
        info.append(["English", label])
        if zh:
            info.append(["中文", zh])
        if alt:
            info.append(["also", ", ".join(alt)])
        figures = [obs for obs in graph.subjects(IPG.about, iri) if isinstance(obs, URIRef)]
        if (iri, RDF.type, IPG.Observation) in graph and isinstance(iri, URIRef):
            figures.insert(0, iri)
        for obs in sorted(figures)[:_MAX_FIGURES]:
            fig = figure(graph, obs, kg.label)
            info.append(["figure", f"{fig.label}: {fig}" if obs != iri else str(fig)])
        if len(figures) > _MAX_FIGURES:
            info.append(["figure", f"… and {len(figures) - _MAX_FIGURES} more"])
        sources = sorted(
            str(passage(graph, p, kg.label)) for p in graph.objects(iri, PROV.wasDerivedFrom)
        )
        for text in sources[:_MAX_SOURCES]:
            info.append(["source", text])
        if len(sources) > _MAX_SOURCES:
            info.append(["source", f"… and {len(sources) - _MAX_SOURCES} more"])
        info.append(["id", kg.curie(iri) if isinstance(iri, URIRef) else str(iri)])
        return {
            "id": str(iri),
            "label": label,
            "zh": zh,
            "alt": alt,
            "short": _short_label(label, alt),
            "group": group,
            "types": type_names,
            "info": info,
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
        for key, rows in self.extra_info.items():
            if key in self.nodes:
                self.nodes[key]["info"][-1:-1] = rows
        nodes = list(self.nodes.values())
        edges = list(self.edges.values())
        total_nodes, total_edges = len(nodes), len(edges)
        degree = _degrees(edges)
        notice = None
        if max_nodes is not None and total_nodes > max_nodes:
            focus = set(self.focus)
            ranked = sorted(
                nodes, key=lambda n: (n["id"] not in focus, -degree[n["id"]], n["label"], n["id"])
            )
            kept = {n["id"] for n in ranked[:max_nodes]}
            nodes = [n for n in nodes if n["id"] in kept]
            edges = [e for e in edges if e["from"] in kept and e["to"] in kept]
            notice = _cap_notice(kind, total_nodes, len(nodes))
        if self.notices:
            notice = " ".join([*self.notices, *([notice] if notice else [])])
        degree = _degrees(edges)
        for node in nodes:
            node["degree"] = degree[node["id"]]
            node["size"] = round(10 + 5 * math.sqrt(degree[node["id"]]), 1)
        fixed = layout == "fixed" or (layout == "auto" and len(nodes) > PHYSICS_LIMIT)
        if fixed:
            _place(nodes)
        counts = Counter(n["group"] for n in nodes)
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
            if counts[g.key]
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
        }
        return View(kind, name, title, description, nodes, edges, legend, meta)


def group_of(kg: KnowledgeGraph, types: Iterable[Node]) -> str:
    """The `GROUPS` key for an entity with these rdf:types (``other`` if none fits).

    >>> import ipgraph
    >>> from ipgraph.vocab import IPG
    >>> group_of(ipgraph.load(), [IPG.Ministry])
    'agency'
    """
    ancestors = kg.cached("views:ancestors", lambda: _ancestors(kg.graph))
    seen: set[Node] = set()
    for cls in types:
        seen.add(cls)
        seen.update(ancestors.get(cls, ()))
    for group in GROUPS:
        if group.cls is None or group.cls in seen:
            return group.key
    return "other"  # pragma: no cover - the last group matches everything


def _ancestors(graph: Graph) -> dict[Node, set[Node]]:
    parents: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        parents[sub].add(sup)
    closure: dict[Node, set[Node]] = {}
    for cls in list(parents):
        found: set[Node] = set()
        stack = list(parents[cls])
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(parents.get(current, ()))
        closure[cls] = found
    return closure


# -- the five kinds of view -------------------------------------------------------------------


def _projection(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """The entity projection (issue 4), cached by the facade until the data changes."""
    return kg.projection()


def _add_projection_edges(builder: _Builder, projection: nx.MultiDiGraph, keep: set[Any]) -> None:
    for subject, obj, data in projection.edges(data=True):
        if subject in keep and obj in keep:
            builder.edge(subject, data["predicate"], obj, label=data.get("label_en"))


def _overview(kg: KnowledgeGraph, builder: _Builder, types: Sequence[str]) -> tuple[str, str, str]:
    projection = _projection(kg)
    keep: set[Any] = set(projection.nodes)
    if types:
        wanted = set(kg.classes(types))
        keep = {n for n in keep if wanted.intersection(projection.nodes[n].get("types", ()))}
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
    kg: KnowledgeGraph, builder: _Builder, ref: str, depth: int
) -> tuple[str, str, str]:
    around = kg.neighbors(ref, depth=depth)
    center = around.center
    projection = _projection(kg)
    keep: set[Any] = {center, *(neighbor.node for neighbor in around.neighbors)}
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
    for route in routes:
        for hop in route.hops:
            builder.edge(hop.subject, hop.predicate, hop.object, width=3.0)
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

    for document in set(graph.subjects(IPG.issuedBy, None)):
        link(document, graph.objects(document, IPG.issuedBy), "co-issued")
    for program in {s for role in _PROGRAM_ROLES for s in graph.subjects(role, None)}:
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
            width=round(1 + 1.5 * math.log2(len(works)), 2) if works else 1.0,
        )
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
                builder.extra_info[key].append([kg.label(predicate), str(obj)])
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


def _first_lang(graph: Graph, iri: Node, lang: str) -> str | None:
    for predicate in (SKOS.prefLabel, RDFS.label):
        for value in graph.objects(iri, predicate):
            if isinstance(value, Literal) and (value.language or "").split("-")[0] == lang:
                return str(value)
    return None


def _short_label(label: str, alt: Sequence[str]) -> str:
    """An acronym when the entity has one (CNIPA), else the label cut to a readable length."""
    for name in alt:
        if name.isascii() and name.replace("-", "").isalnum() and name.upper() == name:
            return name
    return _shorten(label)


def _shorten(text: str, size: int = 36) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _entity_slug(kg: KnowledgeGraph, iri: URIRef) -> str:
    """``cnipa`` for CNIPA: its acronym, else the last part of its IRI."""
    alt = [str(v) for v in kg.graph.objects(iri, SKOS.altLabel)]
    short = _short_label(kg.label(iri), sorted(alt))
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


def _cap_notice(kind: str, total: int, shown: int) -> str:
    hints = {
        "overview": "show one class (--type ipg:Agency) or one entity's neighbourhood "
        "(ipgraph render CNIPA --depth 1)",
        "neighborhood": "lower --depth",
        "path": "pick closer entities",
        "agencies": "render one agency's neighbourhood instead",
        "query": "add a LIMIT or narrow the query",
    }
    return (
        f"Showing {shown:,} of {total:,} nodes: {total - shown:,} less connected nodes were "
        f"left out. To see them, {hints.get(kind, 'narrow the view')}, or raise --max-nodes."
    )


def _place(nodes: list[dict[str, Any]]) -> None:
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
