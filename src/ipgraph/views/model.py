"""The data model of graph views: `View` (what a page draws), `ViewSpec` (what to draw) and the
node classes (`GROUPS`) the pages colour and shape nodes by.

>>> spec = ViewSpec(path=("MOF", "Zhejiang"))
>>> spec.kind
'path'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from ipgraph.errors import UsageError
from ipgraph.vocab import IPG

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph

__all__ = [
    "DEFAULT_MAX_NODES",
    "EDGE_LABEL_LIMIT",
    "GROUPS",
    "VIS_VERSION",
    "Group",
    "View",
    "ViewSpec",
    "group_of",
]

DEFAULT_MAX_NODES = 500
"""Views larger than this are cut to their best-connected nodes unless asked otherwise."""

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
            rows ``[name, text]``: type, labels, dated and numbered attributes, figures,
            sources), ``neighbours`` (how many entities one link away it has in the graph:
            a served page fetches those it did not embed) and, when positions are
            precomputed, ``x`` and ``y``; in a path view ``hop`` (links from the start) and
            ``lane`` (the first path the node is on).
        edges: one dict per edge: ``id``, ``from``, ``to`` (node IRIs), ``predicate`` (IRI),
            ``label`` (the relation's name), ``width``, ``weight`` (in the agencies view the
            number of joint works; the width is proportional to it) and ``info`` (tooltip rows).
        legend: one entry per class drawn or in ``reserve``: ``key``, ``label``, ``label_zh``,
            ``color``, ``shape``, ``count`` (nodes drawn).
        meta: ``focus`` (IRIs to highlight), ``total_nodes``, ``omitted_nodes``, ``total_edges``,
            ``omitted_edges``, ``notice`` (why nodes are missing and how to narrow the view, or
            ``None``), ``layout`` (``physics`` or ``fixed``), ``edge_labels`` (drawn or not),
            ``sizes`` and ``widths`` (what node sizes and line widths stand for).
        reserve: ``nodes`` and ``edges`` one link away from the view (same dicts, links with
            their sources), which the page adds when a node is double-clicked; served by
            ``ipgraph serve``, it fetches more from ``/views/expand``
            (`ipgraph.views.expand`).
    """

    kind: str
    name: str
    title: str
    description: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    reserve: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"nodes": [], "edges": []}
    )

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
            "reserve": self.reserve,
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
