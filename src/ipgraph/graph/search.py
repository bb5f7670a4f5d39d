"""Path search on a `Store` by lookups alone, for stores too large to project whole.

`local_graph` walks from both ends of a path with one lookup query per step and returns the few
triples of one shortest path, ready for `build_projection`: the same answer a search over the
full projection gives, at a cost that grows with the path's neighbourhood, not the store.
`LocalSearch` is the search itself, also under the `Constraints` of ``--via`` / ``--avoid``
(which it checks in its queries, as `ipgraph.graph.paths` checks them on the projection), and
tells classes, relations and entities apart by lookups (`LocalSearch.term_kind`). For several
paths, `LocalSearch.paths` reads the entities a path of at most N hops may pass through
(`ipgraph.graph.between`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from ipgraph import data
from ipgraph.graph.between import Between
from ipgraph.graph.include import INCLUDE_GROUPS
from ipgraph.graph.relations import Neighbours, kind_filters
from ipgraph.store.base import Store
from ipgraph.terms import (
    DISPLAY_LABELS,
    SCHEMA_PREDICATES,
    TERM_TYPES,
    VOCABULARY_NAMESPACES,
)

if TYPE_CHECKING:
    from ipgraph.graph.paths import Constraints

__all__ = ["LocalSearch", "local_graph", "local_neighborhood"]

_MEMO_NODES = 64  # frontiers up to this size have their reads remembered (`LocalSearch`)
_NOT_IRI = re.compile(r'[\s<>"{}|\\^`]')  # what an IRI in a query may not hold
_FIRST_MEETINGS = 64  # meeting points checked before the rest (see `LocalSearch._meeting`)


def local_graph(
    store: Store,
    source: URIRef,
    target: URIRef,
    include: Iterable[str] = (),
    max_depth: int = 12,
) -> Graph | None:
    """A shortest path between two entities, read by lookups, as a small graph to project.

    A bidirectional breadth-first search over the store that walks only where the entity
    projection (`ipgraph.graph.projection`) walks: not along ``rdf:type`` or vocabulary triples, not
    through classes, vocabulary terms, passages and sources, or observations (unless
    ``include`` adds them), not through IRIs that are never a subject. Each step expands the
    side whose frontier touches fewer triples (counted by the backend, see `_PathSearch`),
    with one query for the whole frontier, so hubs (an agency's thousands of documents) are
    crossed from their small side; terms are compared as plain strings and only the path's
    own are turned into rdflib terms.

    Returns the triples between consecutive nodes of one shortest path (the same length as a
    search over the full projection finds; among equally short ones, the path whose meeting
    point and predecessors come first by IRI), the types and labels of its nodes and the
    vocabulary — what `build_projection` needs to project and describe it. Returns None when
    an end is not an entity of the projection or the searches do not meet within
    ``max_depth`` hops.

    >>> from rdflib import Graph
    >>> from ipgraph.store import MemoryStore
    >>> store = MemoryStore()
    >>> g = Graph().parse(data="<urn:a> <urn:p> <urn:b> . <urn:b> <urn:p> <urn:c> .", format="ttl")
    >>> g = g.parse(data="<urn:c> <urn:p> <urn:d> .", format="ttl")
    >>> store.replace_graphs({URIRef("urn:g"): g})
    >>> ball = local_graph(store, URIRef("urn:a"), URIRef("urn:c"))
    >>> sorted((str(s), str(o)) for s, _, o in ball if str(s) != "urn:c")
    [('urn:a', 'urn:b'), ('urn:b', 'urn:c')]
    """
    return LocalSearch(store, include).path(source, target, max_depth)


def local_neighborhood(
    store: Store, center: URIRef, depth: int = 1, include: Iterable[str] = ()
) -> Graph | None:
    """The entities within ``depth`` hops of ``center``, read by lookups, as a small graph.

    A breadth-first walk over the store that goes only where the entity projection walks (see
    `local_graph`), one lookup query per level. Returns every walkable triple among the
    entities reached (so a view draws each link among them, not just a tree), their types and
    labels and the vocabulary: what `build_projection` needs, at a cost that grows with the
    neighbourhood, never with the store. Returns None when ``center`` is not an entity of the
    projection.

    >>> from rdflib import Graph
    >>> from ipgraph.store import MemoryStore
    >>> store = MemoryStore()
    >>> g = Graph().parse(data="<urn:a> <urn:p> <urn:b> . <urn:b> <urn:p> <urn:c> .", format="ttl")
    >>> store.replace_graphs({URIRef("urn:g"): g})
    >>> from ipgraph.graph.projection import build_projection
    >>> G = build_projection(local_neighborhood(store, URIRef("urn:a"), depth=1))
    >>> sorted((str(u), str(v)) for u, v in G.edges())
    [('urn:a', 'urn:b')]
    """
    return LocalSearch(store, include).neighborhood(center, depth)


class LocalSearch(Neighbours, Between):
    """Searches of one store by lookups, with the projection's rules (and ``rules``) as SPARQL.

    Nodes are IRIs as plain strings. A frontier is checked (is each node an entity of the
    projection, allowed by the constraints?) just before it is expanded, so the last and
    largest level is never checked in full: only its meeting points are. On Oxigraph every
    query runs in pyoxigraph and only the IRIs are read from its results; on other stores
    through `Store.query`, in chunks. An instance remembers what it read of the store (the
    schema terms, which IRIs are entities, the links and counts of small frontiers): one
    serves one question about the data as it is.

    Args:
        store: the store to read.
        include: the ``include`` groups of the projection (``observations``, ``provenance``).
        rules: what a walk may pass through (`ipgraph.graph.paths.Constraints`); the ends of
            a path and the centre of a neighbourhood are always allowed, as on the projection.

    >>> import ipgraph
    >>> kg = ipgraph.load()
    >>> search = LocalSearch(kg.store)
    >>> search.term_kind(kg.expand("ipg:Agency")), search.term_kind(kg.expand("ipg:issuedBy"))
    ('class', 'predicate')
    >>> search.is_entity(kg.resolve("CNIPA")), search.is_entity(kg.expand("ipg:Agency"))
    (True, False)
    """

    def __init__(
        self, store: Store, include: Iterable[str] = (), rules: Constraints | None = None
    ) -> None:
        self.store = store
        self.chunk = store.values_chunk  # 0: one query per step
        self.namespaces = VOCABULARY_NAMESPACES
        self.exhausted = False  # set by `path`: the search ran out of nodes (no path at all)
        # Is it an entity of the projection (constraints aside)? Asked once per IRI: the ends
        # of a path are checked before the search and again by it.
        self.entity_memo: dict[str, bool] = {}
        # The neighbours and triple counts of small frontiers (the ends of a path above all):
        # several paths are searched one length at a time, each from both ends again.
        self.read_memo: dict[tuple[str, ...], Any] = {}
        groups = set(include)
        roots = [c for name, cs in INCLUDE_GROUPS.items() if name not in groups for c in cs]
        excluded = {str(c) for c in TERM_TYPES}
        excluded.update(self.subclasses(roots))
        self.excluded = frozenset(excluded)  # no entity is of these types
        self.schema_cache: frozenset[str] | None = None  # see `schema_terms`
        schema = _iris(sorted(SCHEMA_PREDICATES))
        # An edge the projection walks: to an IRI, along neither rdf:type nor a schema term.
        self.walkable = f"?p NOT IN (<{RDF.type}>, {schema.replace(' ', ', ')})"
        # An entity of the projection (see build_projection): a subject, not a class, not a
        # schema term, not used as a predicate between IRIs, not of an excluded type.
        self.entity = (
            "FILTER EXISTS { ?m ?p0 ?o0 } "
            f"FILTER NOT EXISTS {{ ?i0 <{RDF.type}> ?m FILTER(isIRI(?i0)) }} "
            f"FILTER NOT EXISTS {{ VALUES ?t0 {{ {_iris(sorted(excluded))} }} "
            f"?m <{RDF.type}> ?t0 }} "
            f"FILTER NOT EXISTS {{ VALUES ?s0 {{ {schema} }} ?m ?s0 ?x0 FILTER(isIRI(?x0)) }} "
            f"FILTER NOT EXISTS {{ VALUES ?s0 {{ {schema} }} ?x0 ?s0 ?m }} "
            "FILTER NOT EXISTS { ?x0 ?m ?y0 FILTER(isIRI(?x0) && isIRI(?y0)) }"
        )
        self.skip = self.walkable
        # The same constraints as sets, for checks in Python (`relations`): avoided nodes,
        # avoided types, wanted types (None: any), the types with their subclasses.
        self.rules: tuple[frozenset[str], frozenset[str], frozenset[str] | None] = (
            frozenset(),
            frozenset(),
            None,
        )
        if rules is not None:
            self.constrain(rules)

    def constrain(self, rules: Constraints) -> None:
        """From now on walk only where ``rules`` allow (as `ipgraph.graph.paths` walks the
        projection): replaces any constraints given before."""
        self.skip = self.walkable
        if rules.via_predicates:
            self.skip += f" && ?p IN ({_listed(rules.via_predicates)})"
        if rules.avoid_predicates:
            self.skip += f" && ?p NOT IN ({_listed(rules.avoid_predicates)})"
        avoided_types: set[str] = set()
        wanted_types: set[str] | None = None
        # A node's classes are its types and their superclasses: the classes named and their
        # subclasses are the types that match (projection: `superclasses`).
        if rules.avoid_types:
            avoided_types = self.subclasses(sorted(rules.avoid_types))
        if rules.via_types:
            wanted_types = self.subclasses(sorted(rules.via_types))
        self.rules = (
            frozenset(str(n) for n in rules.avoid_nodes),
            frozenset(avoided_types),
            None if wanted_types is None else frozenset(wanted_types),
        )

    # -- queries --------------------------------------------------------------------------

    def subclasses(self, roots: Sequence[URIRef]) -> set[str]:
        """``roots`` and all their subclasses, one query per level (no property path: Virtuoso
        refuses ``subClassOf*`` from a VALUES start)."""
        found = {str(r) for r in roots}
        level = sorted(found)
        while level:
            rows = self.select_rows(
                f"SELECT DISTINCT ?c WHERE {{ VALUES ?root {{ {_iris(level)} }} "
                f"?c <{RDFS.subClassOf}> ?root FILTER(isIRI(?c)) }}"
            )
            level = sorted({row[0] for row in rows} - found)
            found.update(level)
        return found

    def select_rows(self, text: str) -> list[tuple[str, ...]]:
        """The rows of a SELECT query, every term as its string value (IRI, lexical form)."""
        return self.store.select(text)

    def chunks(self, nodes: Sequence[str]) -> Iterator[str]:
        """``nodes`` as the IRI lists of VALUES blocks (one block on Oxigraph)."""
        size = self.chunk or len(nodes) or 1
        for start in range(0, len(nodes), size):
            yield _iris(nodes[start : start + size])

    def entities(self, nodes: Iterable[str], allowed: bool = True) -> set[str]:
        """Those of ``nodes`` that are entities of the projection (and, with ``allowed``, that
        the constraints let a walk pass through)."""
        wanted = sorted({n for n in nodes if not n.startswith(self.namespaces)})
        if allowed:
            return self.probed_entities(wanted) if wanted else set()
        memo = self.entity_memo
        new = [n for n in wanted if n not in memo]
        if new:
            found = self.probed_entities(new, allowed=False)
            memo.update((n, n in found) for n in new)
        return {n for n in wanted if memo[n]}

    def _is_entity(self, var: str) -> str:
        """Filters that keep ``?var`` only when it is an entity of the projection."""
        outside = "".join(f' FILTER(!STRSTARTS(STR(?{var}), "{ns}"))' for ns in self.namespaces)
        return self.entity.replace("?m", f"?{var}") + outside

    def is_entity(self, iri: URIRef) -> bool:
        """Is ``iri`` an entity of the projection (a node `build_projection` keeps)?"""
        return not _NOT_IRI.search(iri) and bool(self.entities([str(iri)], allowed=False))

    def prefetch_entities(self, iris: Iterable[URIRef]) -> None:
        """Ask of several IRIs at once what `is_entity` will ask of each (one lookup for
        both ends of a path, not one each)."""
        self.entities([str(i) for i in iris if not _NOT_IRI.search(i)], allowed=False)

    def term_kind(self, iri: URIRef) -> str | None:
        """``"class"`` or ``"predicate"`` when ``iri`` is one in the projection, else None
        (`ipgraph.graph.paths.term_kind` on the projection, by two bounded lookups).

        A class is a type of something or a term of ``rdfs:subClassOf``; a predicate links
        two entities of the projection.
        """
        if _NOT_IRI.search(iri):
            return None  # a name read as a local name ("Ministry of Finance"): no term
        term = f"<{iri}>"
        if self.select_rows(
            f"SELECT ?x WHERE {{ {{ ?x <{RDF.type}> {term} FILTER(isIRI(?x)) }} UNION "
            f"{{ {term} <{RDFS.subClassOf}> ?x FILTER(isIRI(?x)) }} UNION "
            f"{{ ?x <{RDFS.subClassOf}> {term} FILTER(isIRI(?x)) }} }} LIMIT 1"
        ):
            return "class"
        if iri == RDF.type or iri in SCHEMA_PREDICATES:
            return None
        ends = self._is_entity("s") + " " + self._is_entity("o")
        if self.select_rows(f"SELECT ?s WHERE {{ ?s {term} ?o FILTER(isIRI(?o)) {ends} }} LIMIT 1"):
            return "predicate"
        return None

    def path(self, source: URIRef, target: URIRef, max_depth: int = 12) -> Graph | None:
        """The triples of one shortest allowed path between two entities, described (see
        `local_graph`); None when there is none within ``max_depth`` hops (`exhausted` then
        says whether the search ran out of nodes to visit: no path at any length)."""
        self.exhausted = False
        nodes = self.shortest(str(source), str(target), max_depth)
        return None if nodes is None else self.ball(nodes)

    def neighborhood(self, center: URIRef, depth: int = 1) -> Graph | None:
        """The allowed entities within ``depth`` hops of ``center`` and every walkable triple
        among them, described (see `local_neighborhood`); None when ``center`` is not an
        entity of the projection."""
        start = str(center)
        if self.entities({start}, allowed=False) != {start}:
            return None
        seen = {start}
        level = [start]
        for _ in range(depth):
            reached = [m for m in sorted(self.neighbors(level)) if m not in seen] if level else []
            level = sorted(self.entities(reached))
            seen.update(level)
        return self.among(sorted(seen))

    def bounded_neighborhood(
        self, center: URIRef, depth: int, cap: int
    ) -> tuple[Graph | None, int]:
        """Like `neighborhood`, but at most ``cap`` entities in all (``center`` and, level by
        level, the first neighbours by IRI), with how many the levels hold in all, counted by
        the store (exact at depth 1; deeper, the levels around the entities read). None and 0
        when ``center`` is not an entity of the projection."""
        start = str(center)
        if self.entities({start}, allowed=False) != {start}:
            return None, 0
        seen, level, total = [start], [start], 1
        for d in range(depth):
            if not level:
                break
            if d == 0:
                # Around the centre alone: the allowed entities by set lookups (`adjacent`),
                # no entity probes per neighbour.
                found = sorted(self.adjacent(start))
            else:
                # The IRIs around, then which are entities by VALUES lookups (the entity test
                # as a filter on an unbound ?m is many times slower on Oxigraph).
                around = sorted(self.neighbors(level) - set(seen))
                found = sorted(self.entities(around))
            total += len(found)
            level = found[: max(cap - len(seen), 0)]
            seen.extend(level)
        return self.among(sorted(seen)), total

    def described(self, nodes: Sequence[URIRef], linked: bool = False) -> Graph:
        """Just ``nodes``, with their types and labels and the vocabulary: enough to project
        them and word a message about them. With ``linked``, also one walkable triple from
        each node to another entity when it has one (so a node of the projection has a
        degree exactly when it has relations)."""
        out = Graph()
        members = [str(n) for n in nodes]
        if linked:
            for node in list(members):
                for text in (
                    f"SELECT ?m ?p WHERE {{ <{node}> ?p ?m FILTER(isIRI(?m) && {self.skip}) ",
                    f"SELECT ?m ?p WHERE {{ ?m ?p <{node}> FILTER(isIRI(?m) && {self.skip}) ",
                ):
                    rows = self.select_rows(
                        f"{text} FILTER(?m != <{node}>) {self._is_entity('m')} }} LIMIT 1"
                    )
                    if rows:
                        (m, p), forward = rows[0], text.startswith("SELECT ?m ?p WHERE { <")
                        s, o = (node, m) if forward else (m, node)
                        out.add((URIRef(s), URIRef(p), URIRef(o)))
                        members.append(m)
                        break
        return self._described(out, members)

    def neighbors(self, nodes: Sequence[str]) -> set[str]:
        """The IRIs one walkable edge away from any of ``nodes`` (in either direction).

        The subjects linking to them are tested for being IRIs in Python where the engine
        would read each one's string to test it (`Store.kinds_in_python`)."""
        key = ("neighbors", self.skip, *nodes) if len(nodes) <= _MEMO_NODES else None
        if key in self.read_memo:
            return set(self.read_memo[key])
        kinds = not self.store.kinds_in_python
        outgoing, every = kind_filters(kinds)
        found = {
            row[0]
            for values in self.chunks(nodes)
            for row in self.store.iter_select(
                f"SELECT DISTINCT ?m WHERE {{ VALUES ?n {{ {values} }} "
                f"{{ ?n ?p ?m{outgoing} }} UNION {{ ?m ?p ?n }} FILTER({every}{self.skip}) }}"
            )
        }
        if not kinds:
            found = {m for m in found if not m.startswith("_:")}
        if key is not None:
            self.read_memo[key] = frozenset(found)
        return found

    def degree(self, nodes: Sequence[str], cap: int) -> int:
        """How many triples touch ``nodes`` (subject or object), counting at most ``cap``."""
        key = ("degree", str(cap), *nodes) if len(nodes) <= _MEMO_NODES else None
        if key in self.read_memo:
            return int(self.read_memo[key])
        total = 0
        for values in self.chunks(nodes):
            (row,) = self.select_rows(
                "SELECT (COUNT(*) AS ?c) WHERE { { SELECT ?n WHERE { VALUES ?n { "
                + values
                + " } { ?n ?p ?o } UNION { ?s ?p ?n } } LIMIT "
                + str(cap - total)
                + " } }"
            )
            total += int(row[0])
            if total >= cap:
                break
        if key is not None:
            self.read_memo[key] = total
        return total

    # -- the search -------------------------------------------------------------------------

    def shortest(self, source: str, target: str, max_depth: int) -> list[str] | None:
        """The nodes of one shortest path from ``source`` to ``target``, or None."""
        if self.entities({source, target}, allowed=False) != {source, target}:
            return None  # not entities: the full projection words the error
        if source == target:
            return [source]
        dist: tuple[dict[str, int], dict[str, int]] = ({source: 0}, {target: 0})
        # expanded[side][depth]: the checked entities of that depth whose edges were read.
        expanded: tuple[list[list[str]], list[list[str]]] = ([], [])
        frontiers: list[list[str]] = [[source], [target]]
        degrees: list[tuple[int, bool] | None] = [None, None]  # (count, exact)
        meeting: str | None = None
        known = {source, target}  # nodes checked to be entities
        for _ in range(max_depth):
            if not frontiers[0] or not frontiers[1]:
                self.exhausted = True
                return None
            side = self._cheaper(frontiers, degrees)
            mine, other = dist[side], dist[1 - side]
            level = self._checked(frontiers[side], known)
            expanded[side].append(level)
            depth = len(expanded[side])
            found = [m for m in sorted(self.neighbors(level)) if m not in mine]
            for m in found:
                mine[m] = depth
            frontiers[side], degrees[side] = found, None
            meeting = self._meeting([m for m in found if m in other], dist, known)
            if meeting is not None:
                break
        if meeting is None:
            return None
        head = self._walk_back(meeting, dist[0], expanded[0])
        tail = self._walk_back(meeting, dist[1], expanded[1])
        return [*reversed(head), meeting, *tail]

    def _checked(self, nodes: Sequence[str], known: set[str]) -> list[str]:
        """The entities among ``nodes``, sorted; ``known`` holds those checked before."""
        known |= self.entities(n for n in nodes if n not in known)
        return sorted(n for n in nodes if n in known)

    def _meeting(
        self, nodes: Sequence[str], dist: tuple[dict[str, int], dict[str, int]], known: set[str]
    ) -> str | None:
        """The meeting point among ``nodes`` (reached from both sides): the entity on the
        shortest path through it, the first by IRI among equals; None when none is one.

        Checked in that order, a first batch, then the rest: without constraints the first
        shared neighbour mostly is one, and the rest (two hubs share 1,300) is never checked;
        under ``--via`` the type lookups skip the probes of those of other types
        (`probed_entities`)."""
        ordered = sorted(nodes, key=lambda m: (dist[0][m] + dist[1][m], m))
        for batch in (ordered[:_FIRST_MEETINGS], ordered[_FIRST_MEETINGS:]):
            if batch:
                self._checked(batch, known)
                found = next((m for m in batch if m in known), None)
                if found is not None:
                    return found
        return None

    def _cheaper(self, frontiers: list[list[str]], degrees: list[tuple[int, bool] | None]) -> int:
        """The side whose frontier touches fewer triples (counted in growing rounds, so the
        cost is about that of the smaller side)."""
        cap = 1024
        while True:
            for side in (0, 1):
                known = degrees[side]
                if known is None or (not known[1] and known[0] < cap):
                    if len(frontiers[side]) >= cap:
                        # Each node of a frontier touches a triple (an edge reached it; an
                        # end is a subject): the count would stop at the cap, unasked.
                        degrees[side] = (cap, False)
                        continue
                    count = self.degree(frontiers[side], cap)
                    degrees[side] = (count, count < cap)
            (n0, exact0), (n1, exact1) = degrees[0], degrees[1]  # type: ignore[misc]
            if exact0 or exact1:
                if exact0 and exact1:
                    return 0 if n0 <= n1 else 1
                return 0 if exact0 else 1
            cap *= 8

    def _walk_back(
        self, node: str, dist: Mapping[str, int], expanded: list[list[str]]
    ) -> list[str]:
        """From ``node`` back to its side's end: at each step the first (by IRI) expanded
        neighbour one hop closer."""
        nodes: list[str] = []
        for depth in range(dist[node] - 1, -1, -1):
            layer = expanded[depth]
            options: set[str] = set()
            for values in self.chunks(layer):
                options.update(
                    row[0]
                    for row in self.select_rows(
                        f"SELECT DISTINCT ?u WHERE {{ VALUES ?u {{ {values} }} "
                        f"{{ ?u ?p <{node}> }} UNION {{ <{node}> ?p ?u }} FILTER({self.skip}) }}"
                    )
                )
            node = min(options)
            nodes.append(node)
        return nodes

    # -- the result -------------------------------------------------------------------------

    def ball(self, nodes: Sequence[str]) -> Graph:
        """The triples between consecutive ``nodes``, their types and labels, the vocabulary."""
        out = Graph()
        pairs = " ".join(f"(<{u}> <{v}>) (<{v}> <{u}>)" for u, v in itertools.pairwise(nodes))
        if pairs:
            for s, p, o in self.select_rows(
                f"SELECT ?s ?p ?o WHERE {{ VALUES (?s ?o) {{ {pairs} }} ?s ?p ?o "
                f"FILTER({self.skip}) }}"
            ):
                out.add((URIRef(s), URIRef(p), URIRef(o)))
        return self._described(out, nodes)

    def among(self, nodes: Sequence[str]) -> Graph:
        """Every walkable triple among ``nodes``, their types and labels, the vocabulary."""
        out = Graph()
        members = set(nodes)
        for values in self.chunks(nodes):
            for s, p, o in self.select_rows(
                f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o "
                f"FILTER(isIRI(?o) && {self.skip}) }}"
            ):
                if o in members:
                    out.add((URIRef(s), URIRef(p), URIRef(o)))
        return self._described(out, nodes)

    def _described(self, out: Graph, nodes: Sequence[str]) -> Graph:
        iris = [URIRef(n) for n in dict.fromkeys(nodes)]
        for triple in self.store.objects(iris, (RDF.type, *DISPLAY_LABELS)):
            out.add(triple)
        for node in iris:
            if (node, None, None) not in out:  # a node of the projection is a subject
                for row in self.store.query(f"SELECT ?p ?o WHERE {{ <{node}> ?p ?o }} LIMIT 1"):
                    out.add((node, row[0], row[1]))  # type: ignore[index]
        # As rows of terms: a server sends them as CSV, read several times faster than XML.
        vocabulary = f"GRAPH <{data.ONTOLOGY_GRAPH}> {{ ?s ?p ?o }}"
        for s, p, o in self.store.terms(("s", "p", "o"), vocabulary, ("s", "p")):
            out.add((s, p, o))
        return out


def _iris(nodes: Iterable[str | URIRef]) -> str:
    return " ".join(f"<{n}>" for n in nodes)


def _listed(nodes: Iterable[str | URIRef]) -> str:
    """IRIs as the comma-separated list of ``IN (...)``, sorted (the same query each run)."""
    return ", ".join(f"<{n}>" for n in sorted(nodes))
