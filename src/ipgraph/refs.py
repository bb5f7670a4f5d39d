"""References as people write them, turned into IRIs: names, acronyms, CURIEs, id paths,
class and relation names. The facade's helper (``kg.resolve`` and friends delegate here); the
algorithms of `ipgraph.graph` take the resolved IRIs.

>>> import ipgraph
>>> refs = ipgraph.load().refs
>>> refs.resolve("工信部") == refs.expand("id:agency/miit")
True
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rdflib import Dataset, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ipgraph.errors import AmbiguousEntity, EntityNotFound, UsageError
from ipgraph.store.names import NameHit
from ipgraph.store.namesearch import Names
from ipgraph.terms import subclasses
from ipgraph.vocab import ID, PREFIXES

if TYPE_CHECKING:
    import networkx as nx

    from ipgraph.graph.paths import Constraints

__all__ = ["STRONG_WAYS", "References", "as_list", "pick_entity"]

STRONG_WAYS = frozenset({"exact", "identifier", "acronym", "abbreviation"})
"""Ways of matching a name (`ipgraph.store.names`) that name an entity on their own."""
_CLEAR = 0.05  # a strong match this far above the next names the entity


def as_list(refs: Iterable[str | URIRef] | str | None) -> list[str | URIRef]:
    """One reference or several, as a list.

    >>> as_list("CNIPA"), as_list(None)
    (['CNIPA'], [])
    """
    if refs is None:
        return []
    if isinstance(refs, str):
        return [refs]
    return list(refs)


class References:
    """Resolves references against one version of the data.

    Args:
        graph: the data set (for IRIs, classes and prefixes, by lookups).
        names: the store's names (`ipgraph.store.Store.names`: names, acronyms, identifiers).
        label: a display label for any node (for messages).
        curie: the CURIE of an IRI (for messages).
    """

    def __init__(
        self,
        graph: Dataset,
        names: Names,
        label: Callable[[Node], str],
        curie: Callable[[URIRef], str],
    ) -> None:
        self.graph = graph
        self.names = names
        self.label = label
        self.curie = curie

    def expand(self, ref: str) -> URIRef:
        """Turn ``<iri>``, an IRI, a CURIE (``ipg:Agency``) or an id path into an IRI.

        Raises:
            UsageError: a CURIE with an unknown prefix.
        """
        ref = ref.strip()
        if ref.startswith("<") and ref.endswith(">"):
            return URIRef(ref[1:-1])
        if ref.startswith(("http://", "https://", "urn:")):
            return URIRef(ref)
        prefix, sep, local = ref.partition(":")
        if sep and " " not in ref:
            namespaces = dict(self.graph.namespaces())
            if prefix in namespaces:
                return URIRef(namespaces[prefix] + local)
            if prefix in PREFIXES:
                return URIRef(PREFIXES[prefix] + local)
            raise UsageError(f"unknown prefix {prefix!r} in {ref!r}")
        if "/" in ref and " " not in ref:
            return ID[ref]
        raise UsageError(f"{ref!r} is not an IRI or CURIE")

    def resolve(self, ref: str | URIRef) -> URIRef:
        """The IRI of the one entity ``ref`` names.

        Args:
            ref: an IRI, a CURIE, an id path (``agency/cnipa``), an English or Chinese label,
                or an acronym ("MOE", "工信部").

        Raises:
            EntityNotFound: nothing matches (the error lists near misses).
            AmbiguousEntity: several entities match (the error lists them).
        """
        if isinstance(ref, URIRef):
            iri = ref
        else:
            text = ref.strip()
            looks_like_iri = (
                text.startswith(("<", "http://", "https://", "urn:"))
                or ("/" in text and " " not in text)
                or (":" in text and " " not in text and text.split(":")[0] in self._prefixes())
            )
            if not looks_like_iri:
                return self.resolve_name(text)
            iri = self.expand(text)
        if (iri, None, None) in self.graph or (None, None, iri) in self.graph:
            return iri
        near = self.names.nearest(str(iri).rstrip("/").rsplit("/", 1)[-1].replace("-", " "), 5)
        raise EntityNotFound(str(ref), self.describe(h.iri for h in near))

    def resolve_name(self, text: str) -> URIRef:
        """The one entity a name, acronym or identifier refers to (see `pick_entity`).

        Raises:
            AmbiguousEntity: several entities match equally well (the error lists them).
            EntityNotFound: nothing matches (the error lists the nearest names).
        """
        hits = self.names.search(text, limit=10)
        chosen, candidates = pick_entity(hits)
        if chosen is not None:
            return URIRef(chosen)
        if candidates:
            raise AmbiguousEntity(text, self.describe(candidates))
        near = [h.iri for h in hits] or [h.iri for h in self.names.nearest(text, 5)]
        raise EntityNotFound(text, self.describe(near[:5]))

    def describe(self, iris: Iterable[str]) -> list[str]:
        """'label <iri>' for each entity, for messages that list candidates."""
        wanted = [URIRef(i) for i in iris]
        labels = self.names.labels(wanted)
        return [f"{labels.get(iri, str(iri))} <{iri}>" for iri in wanted]

    def _prefixes(self) -> set[str]:
        return {prefix for prefix, _ in self.graph.namespaces()} | set(PREFIXES)

    def classes(self, refs: Iterable[str]) -> list[URIRef]:
        """The classes ``refs`` name (CURIEs or IRIs) and all their subclasses.

        Raises:
            UsageError: a reference names no class of the graph (a typo such as ipg:Agncy).
        """
        found: list[URIRef] = []
        for ref in refs:
            cls = self.expand(ref)
            declared = any((cls, RDF.type, kind) in self.graph for kind in (OWL.Class, RDFS.Class))
            if not declared and (None, RDF.type, cls) not in self.graph:
                types = self.graph.objects(None, RDF.type)
                used = {self.curie(c) for c in types if isinstance(c, URIRef)}
                close = difflib.get_close_matches(ref, sorted(used), n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise UsageError(f"unknown class {ref!r}{hint} (`ipgraph info` lists them)")
            found += [sub for sub in subclasses(self.graph, [cls]) if sub not in found]
        return found

    def endpoint(self, G: nx.MultiDiGraph, ref: str | URIRef) -> URIRef:
        """Resolve an entity reference and check it is a node of the projection ``G``.

        Raises:
            EntityNotFound: nothing matches (with near misses).
            AmbiguousEntity: several entities match.
            UsageError: the reference names something the projection leaves out.
        """
        from ipgraph.graph import paths  # networkx: loaded on first use

        if isinstance(ref, URIRef) and ref in G:
            return ref  # resolved already
        iri = self.resolve(ref)
        types = [t for t in self.graph.objects(iri, RDF.type) if isinstance(t, URIRef)]
        return paths.check_endpoint(G, iri, types, self.label(iri))

    def constraints(
        self,
        G: nx.MultiDiGraph,
        via: Iterable[str | URIRef] | str | None = None,
        avoid: Iterable[str | URIRef] | str | None = None,
    ) -> Constraints:
        """Turn ``via`` / ``avoid`` references into `Constraints`.

        Each reference is a class (``ipg:PolicyDocument``, or just ``PolicyDocument``), a
        predicate (``ipg:issuedBy``) or, for ``avoid`` only, an entity (``CNIPA``).

        Raises:
            UsageError: a reference is neither a class nor a predicate of the graph (nor, for
                ``avoid``, an entity).
        """
        from ipgraph.graph import paths  # networkx: loaded on first use

        return self.constraints_by(
            lambda iri: paths.term_kind(G, iri), lambda ref: self.endpoint(G, ref), via, avoid
        )

    def constraints_by(
        self,
        kind: Callable[[URIRef], str | None],
        entity: Callable[[str | URIRef], URIRef],
        via: Iterable[str | URIRef] | str | None = None,
        avoid: Iterable[str | URIRef] | str | None = None,
    ) -> Constraints:
        """`constraints` without a projection: ``kind`` says whether an IRI is a ``"class"``
        or a ``"predicate"`` of the projection (or None), ``entity`` resolves a reference to
        an entity of the projection or raises (a search by store lookups supplies both, see
        `ipgraph.graph.search.LocalSearch`).

        Raises:
            UsageError: as `constraints`.

        >>> import ipgraph
        >>> kg = ipgraph.load()
        >>> kinds = {kg.expand("ipg:Agency"): "class"}
        >>> rules = kg.refs.constraints_by(kinds.get, kg.resolve, "Agency", avoid="CNIPA")
        >>> rules.text
        'through Agency, avoiding China National Intellectual Property Administration'
        """
        from ipgraph.graph import paths  # networkx: loaded on first use

        return paths.constraints(
            via=[self._term(kind, entity, ref, entities=False) for ref in as_list(via)],
            avoid=[self._term(kind, entity, ref, entities=True) for ref in as_list(avoid)],
        )

    def _term(
        self,
        kind_of: Callable[[URIRef], str | None],
        entity: Callable[[str | URIRef], URIRef],
        ref: str | URIRef,
        entities: bool,
    ) -> tuple[str, URIRef, str]:
        candidates: list[URIRef] = []
        if isinstance(ref, URIRef):
            candidates.append(ref)
        else:
            text = ref.strip()
            if ":" in text or "/" in text:
                with contextlib.suppress(UsageError):
                    candidates.append(self.expand(text))
            elif text:
                candidates.append(URIRef(str(PREFIXES["ipg"]) + text))
        for iri in candidates:
            kind = kind_of(iri)
            if kind is not None:
                return kind, iri, self.label(iri)
        if entities:
            iri = entity(ref)
            return "entity", iri, self.label(iri)
        raise UsageError(
            f"{ref!r} is neither a class nor a relation of the graph; use a class such as "
            "ipg:PolicyDocument or a relation such as ipg:issuedBy"
        )


def pick_entity(hits: list[NameHit]) -> tuple[str | None, list[str]]:
    """The entity that name-search ``hits`` (best first) point at, or the candidates to list.

    An exact name or identifier wins; then one entity matched a strong way (an acronym, a
    Chinese short form, the beginning of an identifier), or clearly ahead of the others matched
    so; then the one entity whose name holds the text. Spelling guesses (``typo``) never
    resolve a reference: they are suggestions.

    Returns:
        ``(iri, [])`` when one entity is meant; ``(None, candidates)`` when several are;
        ``(None, [])`` when none is.

    >>> hit = lambda iri, score, how: NameHit(iri, score, iri, None, how)
    >>> pick_entity([hit("urn:moe", 1.0, "exact"), hit("urn:x", 0.8, "words")])
    ('urn:moe', [])
    >>> pick_entity([hit("urn:a", 0.79, "prefix"), hit("urn:b", 0.78, "prefix")])
    (None, ['urn:a', 'urn:b'])
    >>> pick_entity([hit("urn:a", 0.4, "typo")])
    (None, [])
    """
    real = [h for h in hits if h.how != "typo"]
    exact = [h.iri for h in real if h.score >= 1.0]
    if exact:
        return (exact[0], []) if len(exact) == 1 else (None, exact)
    strong = [h for h in real if h.how in STRONG_WAYS]
    if strong:
        if len(strong) == 1 or strong[0].score - strong[1].score >= _CLEAR:
            return strong[0].iri, []
        return None, [h.iri for h in strong]
    if len(real) == 1:
        return real[0].iri, []
    return None, [h.iri for h in real]
