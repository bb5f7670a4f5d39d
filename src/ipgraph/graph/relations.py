"""The relations of one entity, counted and listed by bounded reads (`LocalSearch.relations`).

A hub (an agency that issued thousands of documents) has too many neighbours to read into
rdflib and project. This module answers "which relations does it have, how many entities
each, and which are the first few?" from two SELECT queries around the centre whose rows
are plain strings (`around_queries`: each edge with cheap per-node probes), the neighbours
of the types that matter joined from the types' side (`typed_query`: excluded ones, those of
the constraints), then lookups of the few IRIs left in doubt (`doubts_query`) and of the
labels and types of those listed (`labels_query`, `types_query`). The rest of the
projection's entity test (`ipgraph.graph.projection`: schema terms, vocabulary namespaces)
and the constraints are set lookups in Python, so the count is exact and agrees with
`LocalSearch.entity` without its per-row ``FILTER NOT EXISTS`` chain, and no neighbour's
own triples are read unless it is listed.

>>> rows = [("x:b", "x:p", True), ("x:a", "x:p", True), ("x:c", "x:q", False)]
>>> groups = group_edges(rows, {"x:a", "x:b", "x:c"})
>>> [(g.predicate, g.forward, g.members) for g in groups]
[('x:p', True, ['x:a', 'x:b']), ('x:q', False, ['x:c'])]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import RDF

from ipgraph.store.base import Store
from ipgraph.terms import DISPLAY_LABELS, SCHEMA_PREDICATES, local_name

__all__ = [
    "TRUE",
    "Around",
    "Edge",
    "Neighbours",
    "Node",
    "Relation",
    "around_queries",
    "as_node",
    "doubts_query",
    "group_edges",
    "instances_query",
    "kind_filters",
    "labels_query",
    "pick_names",
    "predicate_names",
    "probe_query",
    "typed_query",
    "types_query",
]

TRUE = ("true", "1")  # a boolean as `Store.select` gives it (pyoxigraph, rdflib)
Edge = tuple[str, str, bool]  # (other end, predicate, whether the centre is the subject)


@dataclass(frozen=True)
class Node:
    """A neighbour (or the centre) as read: its types and display labels.

    Attributes:
        iri: the IRI.
        label: the display label (English, else Chinese, else any, else the IRI's end), as
            the projection's ``label``.
        label_zh: the Chinese label, ``""`` when missing.
        types: its ``rdf:type`` IRIs, sorted.
    """

    iri: str
    label: str
    label_zh: str
    types: tuple[str, ...]


@dataclass
class Relation:
    """One (predicate, direction) around a centre: how many entities, the first listed.

    Attributes:
        predicate: the predicate's IRI.
        forward: True when the centre is the subject (``centre —p→ entity``).
        count: how many allowed entities it links the centre to, exactly.
        members: the IRIs listed: all, or the first ``limit`` by label (then IRI), the order
            of `ipgraph.graph.results.Neighborhood.groups`.
    """

    predicate: str
    forward: bool
    count: int = 0
    members: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Around:
    """What `LocalSearch.relations` answers about one entity.

    Attributes:
        center: the entity itself.
        relations: its relations, by predicate IRI, then forward first.
        nodes: the entities listed (in some relation's ``members``), by IRI.
        predicates: the predicates' (English, Chinese) labels, by IRI.
    """

    center: Node
    relations: list[Relation]
    nodes: dict[str, Node]
    predicates: dict[str, tuple[str, str]]


def around_queries(
    center: str, skip: str, *, classes: bool = True, predicates: bool = True, kinds: bool = True
) -> tuple[str, str]:
    """Each walkable edge at ``center`` as one row, from the centre (``SELECT ?m ?p ?s``)
    and to it (``SELECT ?m ?p``): the other end ``?m``, the predicate, and probes of ``?m``
    for the projection's entity test: is it a subject (``?s``: asked only of the objects of
    the centre, the subjects of triples are), the object of some ``rdf:type`` (``?c``), the
    predicate of some triple (``?u``)? ``?c`` and ``?u`` are cheap supersets (a class needs
    an IRI instance, a predicate IRI ends: see `doubts_query`). None reads a neighbour's own
    triples: on Oxigraph that alone would touch one block per neighbour. Without
    ``classes`` or ``predicates``, ``?c`` or ``?u`` is not asked (the caller knows the
    classes or predicates): a hub's tens of thousands of rows carry only what is needed.
    Without ``kinds``, the subjects linking to the centre are not tested for being IRIs
    (they may be blank nodes, ``_:label`` in `Store.select`): the caller tests them
    (Oxigraph reads a term's string to test it).

    >>> outgoing, incoming = around_queries("x:c", "true", classes=False, predicates=False)
    >>> incoming
    'SELECT ?m ?p WHERE { ?m ?p <x:c> FILTER(isIRI(?m) && ?m != <x:c> && true) }'
    """
    probe_class, probe_predicate = _probes(classes, predicates)
    probes = (("c", probe_class, classes), ("u", probe_predicate, predicates))
    asked = [(var, probe) for var, probe, wanted in probes if wanted]
    names = "".join(f" ?{var}" for var, _ in asked)
    binds = "".join(f" BIND({probe} AS ?{var})" for var, probe in asked)
    _, every = kind_filters(kinds)
    outgoing = (
        f"SELECT ?m ?p ?s{names} WHERE {{ <{center}> ?p ?m "
        f"FILTER(isIRI(?m) && ?m != <{center}> && {skip}) "
        f"BIND(EXISTS {{ ?m ?s0 ?o0 }} AS ?s){binds} }}"
    )
    incoming = (
        f"SELECT ?m ?p{names} WHERE {{ ?m ?p <{center}> "
        f"FILTER({every}?m != <{center}> && {skip}){binds} }}"
    )
    return outgoing, incoming


def kind_filters(kinds: bool) -> tuple[str, str]:
    """The IRI test of ``?m`` in a union of ``{ centre ?p ?m }`` and ``{ ?m ?p centre }``:
    what to add to the first branch and what to start the shared filter with. With
    ``kinds``, both ends are tested in the shared filter (Virtuoso cannot compile a filter
    inside one branch of a union); without, only the objects (possibly literals) are, and
    the caller tests the subjects (IRIs or blank nodes) in Python.

    >>> kind_filters(False)
    (' FILTER(isIRI(?m))', '')
    """
    return ("", "isIRI(?m) && ") if kinds else (" FILTER(isIRI(?m))", "")


def _probes(classes: bool, predicates: bool) -> tuple[str, str]:
    """The class and predicate probes of ``?m`` (`around_queries`), ``false`` when not asked."""
    probe_class = f"EXISTS {{ ?i0 <{RDF.type}> ?m }}" if classes else "false"
    probe_predicate = "EXISTS { ?x0 ?m ?y0 }" if predicates else "false"
    return probe_class, probe_predicate


def typed_query(center: str, classes: str) -> str:
    """The neighbours of ``center`` that are of one of ``classes`` (a VALUES list), with
    those types. The instances of the classes are a subquery so that Oxigraph joins them
    with the neighbours by hash (reading each class's instances in order), rather than
    looking up each neighbour's types."""
    return (
        f"SELECT DISTINCT ?m ?t WHERE {{ {{ ?m ?p <{center}> }} UNION {{ <{center}> ?p ?m }} "
        f"{{ SELECT ?m ?t WHERE {{ VALUES ?t {{ {classes} }} ?m <{RDF.type}> ?t }} }} }}"
    )


def probe_query(values: str, *, classes: bool = True, predicates: bool = True) -> str:
    """For each IRI of ``values`` (a VALUES list), `around_queries`' three probes: is it a
    subject (``?s``), the object of some ``rdf:type`` (``?c``), a predicate (``?u``)?
    Without ``classes`` or ``predicates``, ``?c`` or ``?u`` is always false."""
    probe_class, probe_predicate = _probes(classes, predicates)
    return (
        f"SELECT ?m ?s ?c ?u WHERE {{ VALUES ?m {{ {values} }} "
        "BIND(EXISTS { ?m ?s0 ?o0 } AS ?s) "
        f"BIND({probe_class} AS ?c) "
        f"BIND({probe_predicate} AS ?u) }}"
    )


def instances_query(values: str, classes: str) -> str:
    """Which of the IRIs ``values`` are of one of ``classes`` (VALUES lists), with those
    types. Each IRI's types are looked up and filtered: joining the two lists with the
    type triples instead takes Oxigraph 30 s for 12,000 IRIs."""
    listed = ", ".join(classes.split())
    return (
        f"SELECT ?m ?t WHERE {{ VALUES ?m {{ {values} }} ?m <{RDF.type}> ?t "
        f"FILTER(?t IN ({listed})) }}"
    )


def types_query(values: str) -> str:
    """The types of the IRIs ``values`` (a VALUES list)."""
    return f"SELECT ?m ?t WHERE {{ VALUES ?m {{ {values} }} ?m <{RDF.type}> ?t FILTER(isIRI(?t)) }}"


def doubts_query(values: str) -> str:
    """Which of the IRIs ``values`` (a VALUES list) are classes (the type of an IRI) or
    predicates between two IRIs: the exact tests behind `around_queries`' ``?c`` and ``?u``."""
    return (
        f"SELECT ?m WHERE {{ VALUES ?m {{ {values} }} "
        f"FILTER(EXISTS {{ ?i0 <{RDF.type}> ?m FILTER(isIRI(?i0)) }} || "
        "EXISTS { ?x0 ?m ?y0 FILTER(isIRI(?x0) && isIRI(?y0)) }) }"
    )


def labels_query(values: str) -> str:
    """The display labels, with their language tags, of the IRIs ``values``."""
    label, pref = DISPLAY_LABELS
    return (
        f"SELECT ?m ?l (LANG(?l) AS ?g) WHERE {{ VALUES ?m {{ {values} }} "
        f"{{ ?m <{label}> ?l }} UNION {{ ?m <{pref}> ?l }} FILTER(isLiteral(?l)) }}"
    )


def pick_names(rows: Iterable[tuple[str, ...]]) -> dict[str, tuple[str, str]]:
    """``(iri, label, lang)`` rows as IRI → (display label, Chinese label), chosen as the
    projection chooses (`ipgraph.graph.projection.build_projection`): English, else
    Chinese, else the first other language; of several in one language, the least.

    >>> pick_names([("x:a", "甲", "zh"), ("x:a", "A", "en-GB"), ("x:b", "B", "fr")])
    {'x:a': ('A', '甲'), 'x:b': ('B', '')}
    """
    by_lang: dict[str, dict[str, str]] = {}
    for iri, text, lang in sorted(rows):
        by_lang.setdefault(iri, {}).setdefault(lang.split("-")[0].lower(), text)
    names = {}
    for iri, found in by_lang.items():
        en, zh = found.get("en", ""), found.get("zh", "")
        names[iri] = (en or zh or next(iter(found.values()), ""), zh)
    return names


def predicate_names(rows: Iterable[tuple[str, ...]]) -> dict[str, tuple[str, str]]:
    """``(iri, label, lang)`` rows as predicate IRI → (label, Chinese label), as the
    projection labels edges: English, else any; the IRI's end when it has none.

    >>> predicate_names([("x:p", "发布", "zh")])
    {'x:p': ('发布', '发布')}
    """
    by_lang: dict[str, dict[str, str]] = {}
    for iri, text, lang in sorted(rows):
        by_lang.setdefault(iri, {}).setdefault(lang.split("-")[0].lower(), text)
    return {
        iri: (
            found.get("en") or next(iter(found.values()), "") or local_name(URIRef(iri)),
            found.get("zh", ""),
        )
        for iri, found in by_lang.items()
    }


def as_node(iri: str, names: Mapping[str, tuple[str, str]], types: Iterable[str]) -> Node:
    """The `Node` of ``iri`` with its names (the IRI's end when it has no label)."""
    label, zh = names.get(iri, ("", ""))
    return Node(iri, label or local_name(URIRef(iri)), zh, tuple(sorted(set(types))))


def group_edges(
    rows: Iterable[Edge], kept: set[str], label: Mapping[str, str] | None = None
) -> list[Relation]:
    """``(iri, predicate, forward)`` edges to the neighbours ``kept`` as `Relation`\\ s
    (by predicate, then forward first), each member list in listing order: by ``label``
    (IRI → display label; default the IRI), then IRI."""
    groups: dict[tuple[str, bool], Relation] = {}
    for m, p, forward in rows:
        if m in kept:
            group = groups.get((p, forward))
            if group is None:
                group = groups[(p, forward)] = Relation(p, forward)
            group.members.append(m)
    names = label or {}
    for group in groups.values():
        group.members = sorted(set(group.members), key=lambda m: (names.get(m, m), m))
        group.count = len(group.members)
    return [groups[key] for key in sorted(groups, key=lambda k: (k[0], not k[1]))]


class Neighbours:
    """The relations of one entity by bounded reads, as methods of
    `ipgraph.graph.search.LocalSearch` (which provides the store, the walkable-edge filter
    ``skip``, the constraints ``rules`` and the entity test)."""

    # What `LocalSearch` provides.
    store: Store
    skip: str
    namespaces: tuple[str, ...]
    excluded: frozenset[str]
    rules: tuple[frozenset[str], frozenset[str], frozenset[str] | None]
    schema_cache: frozenset[str] | None

    def entities(self, nodes: Iterable[str], allowed: bool = True) -> set[str]:
        raise NotImplementedError

    def select_rows(self, text: str) -> list[tuple[str, ...]]:
        raise NotImplementedError

    def chunks(self, nodes: Sequence[str]) -> Iterator[str]:
        raise NotImplementedError

    def subclasses(self, roots: Sequence[URIRef]) -> set[str]:
        raise NotImplementedError

    def schema_terms(self) -> frozenset[str]:
        """The IRIs a schema triple touches (`SCHEMA_PREDICATES`: subject with an IRI object,
        or object): no entity is one. Read once; a vocabulary's worth."""
        if self.schema_cache is None:
            schema = " ".join(f"<{p}>" for p in sorted(SCHEMA_PREDICATES))
            self.schema_cache = frozenset(
                row[0]
                for row in self.select_rows(
                    f"SELECT DISTINCT ?x WHERE {{ VALUES ?s0 {{ {schema} }} "
                    "{ ?x ?s0 ?y FILTER(isIRI(?x) && isIRI(?y)) } UNION "
                    "{ ?y ?s0 ?x FILTER(isIRI(?x)) } }"
                )
            )
        return self.schema_cache

    def adjacent(self, center: str, types: Iterable[URIRef] = ()) -> set[str]:
        """The allowed entities one walkable edge from ``center`` (never itself); with
        ``types``, only those of these classes or their subclasses."""
        return self._around(center, types, edges=None)

    def _around(self, center: str, types: Iterable[URIRef], edges: list[Edge] | None) -> set[str]:
        """The allowed entities among the other ends of the walkable edges at ``center``
        (see `adjacent`); the edges themselves are appended to ``edges`` (when given) as
        ``(m, p, forward)``, each predicate one string object.

        The same test as `entities` (the projection's), in a few queries for all the
        neighbours (`ipgraph.graph.relations`): what needs the store per node comes as cheap
        probes beside each edge, checked exactly for the few they flag; the types that
        matter (excluded, constrained, wanted) are joined from the types' side; the rest
        (schema terms, vocabulary namespaces, avoided nodes) are set lookups here. The rows
        are read as they come, never held as a list: a hub at 5M triples has 62,000.
        """
        subjects: set[str] = set()
        doubtful: set[str] = set()
        predicates: dict[str, str] = {}
        known, probes = self._known_terms()
        kinds = not self.store.kinds_in_python
        outgoing, incoming = around_queries(center, self.skip, kinds=kinds, **probes)
        for forward, text in ((True, outgoing), (False, incoming)):
            for row in self.store.iter_select(text):
                m = row[0]
                if not forward and not kinds and m.startswith("_:"):
                    continue  # a blank node (see `around_queries`)
                if edges is not None:
                    p = row[1]
                    edges.append((m, predicates.setdefault(p, p), forward))
                flags = row[3:] if forward else row[2:]
                if not forward or row[2] in TRUE:
                    subjects.add(m)
                if m in known or any(flag in TRUE for flag in flags):
                    doubtful.add(m)  # maybe a class or a predicate: asked below
        wanted = frozenset(self.subclasses(sorted(types))) if types else None
        typed = self._typed_around(center, wanted or frozenset())
        return self._kept(subjects, doubtful, typed, wanted)

    def probed_entities(self, nodes: Sequence[str], allowed: bool = True) -> set[str]:
        """Those of ``nodes`` (IRIs outside the vocabulary namespaces) that are entities of
        the projection, and with ``allowed`` that the constraints let a walk pass through:
        `LocalSearch.entities` by the probes of `around_queries` (`probe_query`), the types
        that matter and set lookups, without its per-row ``FILTER NOT EXISTS`` chain, which
        Virtuoso answers slowly (1.1 s for 500 nodes).

        Under ``via`` types only nodes of one of them pass, and a node with a type is a
        subject: their types are read first and only those of a wanted type probed (of
        1,300 documents and programs around two agencies, the 250 programs)."""
        rules = self.rules if allowed else (frozenset(), frozenset(), None)
        classes = sorted(self.excluded | rules[1] | (rules[2] or set()))
        wanted = rules[2]
        if wanted is not None:
            typed = self._instances(nodes, classes)
            nodes = [m for m in nodes if typed.get(m, set()) & wanted]
        subjects: set[str] = set()
        doubtful: set[str] = set()
        known, probes = self._known_terms()
        for values in self.chunks(nodes):
            for m, s, c, u in self.select_rows(probe_query(values, **probes)):
                if s in TRUE:
                    subjects.add(m)
                if c in TRUE or u in TRUE or m in known:
                    doubtful.add(m)
        if wanted is None:
            typed = self._instances(sorted(subjects), classes)
        return self._kept(subjects, doubtful, typed, None, rules)

    def _instances(self, nodes: Sequence[str], classes: Sequence[str]) -> dict[str, set[str]]:
        """Which of ``nodes`` are of one of ``classes``, with those types."""
        typed: dict[str, set[str]] = {}
        for values in self.chunks(nodes):
            for kinds in self.chunks(classes):
                for m, t in self.select_rows(instances_query(values, kinds)):
                    typed.setdefault(m, set()).add(t)
        return typed

    def _known_terms(self) -> tuple[set[str], dict[str, bool]]:
        """The classes and predicates a backend keeps in its statistics (Oxigraph, at load:
        every class, and the odd type of a blank node only; every predicate), and which
        probes (`probe_query`, `around_queries`) are still needed: those it does not keep."""
        stats = self.store.statistics() if self.store.kept_statistics else {}
        classes, predicates = stats.get("classes"), stats.get("predicates")
        known = set(classes) if isinstance(classes, dict) else set()
        known.update(predicates if isinstance(predicates, list) else ())
        probes = {
            "classes": not isinstance(classes, dict),
            "predicates": not isinstance(predicates, list),
        }
        return known, probes

    def _typed_around(self, center: str, wanted: frozenset[str]) -> dict[str, set[str]]:
        """The neighbours of ``center`` of the types that matter (excluded, constrained,
        ``wanted``), with those types."""
        _, avoid_types, via_types = self.rules
        typed: dict[str, set[str]] = {}
        for values in self.chunks(
            sorted(self.excluded | avoid_types | (via_types or set()) | wanted)
        ):
            for m, t in self.select_rows(typed_query(center, values)):
                typed.setdefault(m, set()).add(t)
        return typed

    def _kept(
        self,
        subjects: set[str],
        doubtful: set[str],
        typed: Mapping[str, set[str]],
        wanted: frozenset[str] | None = None,
        rules: tuple[frozenset[str], frozenset[str], frozenset[str] | None] | None = None,
    ) -> set[str]:
        """Of ``subjects`` (IRIs that are the subject of a triple), the entities the
        projection keeps and ``rules`` (default: the constraints) allow; ``doubtful``: those
        a cheap probe flagged as maybe a class or a predicate (asked exactly here);
        ``typed``: their types among those that matter; with ``wanted`` (classes with their
        subclasses), only entities of one of them."""
        left_out: set[str] = set()
        for values in self.chunks(sorted(doubtful)):
            left_out.update(row[0] for row in self.select_rows(doubts_query(values)))
        avoid_nodes, avoid_types, via_types = self.rules if rules is None else rules
        schema = self.schema_terms()
        none: set[str] = set()
        return {
            m
            for m in subjects
            if m not in left_out
            and not m.startswith(self.namespaces)
            and m not in schema
            and m not in avoid_nodes
            and not typed.get(m, none) & (self.excluded | avoid_types)
            and (via_types is None or bool(typed.get(m, none) & via_types))
            and (wanted is None or bool(typed.get(m, none) & wanted))
        }

    def _names(self, nodes: Sequence[str]) -> dict[str, tuple[str, str]]:
        """The (display, Chinese) labels of ``nodes`` that have any (`pick_names`)."""
        queries = (labels_query(values) for values in self.chunks(nodes))
        rows = (row for text in queries for row in self.select_rows(text))
        return pick_names(rows)

    def _types(self, nodes: Sequence[str]) -> dict[str, list[str]]:
        """The types of ``nodes`` that have any."""
        found: dict[str, list[str]] = {}
        for values in self.chunks(nodes):
            for m, t in self.select_rows(types_query(values)):
                found.setdefault(m, []).append(t)
        return found

    def relations(
        self, center: URIRef, limit: int = 0, types: Iterable[URIRef] = ()
    ) -> Around | None:
        """The relations of ``center``: per (predicate, direction), how many allowed entities
        it links to, exactly, and the first ``limit`` of them by IRI (0: all); with
        ``types``, only entities of these classes (or subclasses) count. None when
        ``center`` is not an entity of the projection.

        The answer `ipgraph.graph.paths.neighbors` gives at depth 1 on the projection, read
        by a few queries around the centre (`ipgraph.graph.relations`) whose rows are
        strings; labels and types only of the entities listed: a hub's thousands of
        neighbours are never read one by one, nor become rdflib terms. (The first by IRI,
        not by label: choosing by label would read every neighbour's labels.)

        >>> import ipgraph
        >>> from ipgraph.graph.search import LocalSearch
        >>> kg = ipgraph.load()
        >>> around = LocalSearch(kg.store).relations(kg.resolve("MOF"), limit=1)
        >>> [(r.count, len(r.members)) for r in around.relations][:1]
        [(1, 1)]
        """
        start = str(center)
        if self.entities({start}, allowed=False) != {start}:
            return None
        edges: list[Edge] = []
        kept = self._around(start, types, edges)
        groups = group_edges(edges, kept)
        for group in groups:
            if limit > 0:
                del group.members[limit:]
        listed = sorted({start, *(m for group in groups for m in group.members)})
        names, kinds = self._names(listed), self._types(listed)
        nodes = {m: as_node(m, names, kinds.get(m, ())) for m in listed}
        own = nodes.pop(start)
        predicates = sorted({group.predicate for group in groups})
        labels = [
            (str(s), str(o), getattr(o, "language", None) or "")
            for s, _, o in self.store.objects([URIRef(p) for p in predicates], DISPLAY_LABELS)
        ]
        return Around(own, groups, nodes, predicate_names(labels))
