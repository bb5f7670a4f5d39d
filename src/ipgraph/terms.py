"""What ipgraph knows about RDF terms, in one place.

- which predicates carry names (`LABEL_PREDICATES`) and which give the display label;
- the rule for "vocabulary term or entity" (`TERM_TYPES`, `SCHEMA_PREDICATES`,
  `VOCABULARY_NAMESPACES`, `is_vocabulary_iri`) that the projection, the store-side path
  search and the label index all follow;
- subclass closure (`superclasses`, `subclasses`);
- terms from plain values (`to_term`) and plain values from terms (`plain`), `local_name`;
- the label every output writes a blank node under, after ``_:`` (`bnode_labels`).

>>> from rdflib.namespace import OWL
>>> OWL.Class in TERM_TYPES
True
>>> is_vocabulary_iri(URIRef("http://www.w3.org/2004/02/skos/core#Concept"))
True
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Identifier, Node

from ipgraph.errors import UsageError
from ipgraph.vocab import PREFIXES

__all__ = [
    "DISPLAY_LABELS",
    "LABEL_PREDICATES",
    "SCHEMA_PREDICATES",
    "TERM_TYPES",
    "VOCABULARY_NAMESPACES",
    "bnode_labels",
    "in_language",
    "is_vocabulary_iri",
    "local_name",
    "pick_label",
    "plain",
    "subclasses",
    "superclasses",
    "to_term",
]

LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
"""The predicates whose values are names of a thing (``find`` searches them all)."""

DISPLAY_LABELS = (RDFS.label, SKOS.prefLabel)
"""The predicates a display label is taken from (alternative labels are not shown)."""

TERM_TYPES = frozenset(
    {
        OWL.Class,
        RDFS.Class,
        RDFS.Datatype,
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.Ontology,
        OWL.Restriction,
        SKOS.ConceptScheme,
    }
)
"""Types that make a node a vocabulary term (a class, a property, ...), never an entity."""

SCHEMA_PREDICATES = frozenset(
    {
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.equivalentClass,
        OWL.equivalentProperty,
        OWL.inverseOf,
        OWL.disjointWith,
    }
)
"""Triples that describe the vocabulary: both ends are terms, never entities."""

VOCABULARY_NAMESPACES = (
    *(str(ns) for prefix, ns in PREFIXES.items() if prefix not in {"ipg", "id", "wd"}),
    "http://purl.org/vocab/vann/",
)
"""Standard vocabularies whose IRIs are terms, never entities (``ipg:`` and ``id:`` are ours)."""


def is_vocabulary_iri(iri: Node) -> bool:
    """Whether an IRI belongs to a standard vocabulary (W3C ORG, SKOS, PROV, ...)."""
    return isinstance(iri, URIRef) and str(iri).startswith(VOCABULARY_NAMESPACES)


def superclasses(
    classes: Iterable[URIRef], parents: Mapping[URIRef, Iterable[URIRef]]
) -> dict[URIRef, frozenset[URIRef]]:
    """Every class mapped to all its superclasses, itself included (cycles are fine).

    Args:
        classes: the classes to close over.
        parents: each class's direct superclasses (``rdfs:subClassOf`` objects).

    >>> a, b, c = URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")
    >>> sorted(superclasses([a], {a: [b], b: [c]})[a])
    [rdflib.term.URIRef('urn:a'), rdflib.term.URIRef('urn:b'), rdflib.term.URIRef('urn:c')]
    """
    result: dict[URIRef, frozenset[URIRef]] = {}
    for cls in classes:
        seen = {cls}
        stack = [cls]
        while stack:
            for parent in parents.get(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        result[cls] = frozenset(seen)
    return result


def subclasses(graph: Graph, classes: Iterable[URIRef]) -> list[URIRef]:
    """The classes and all their subclasses in ``graph``, each once, in walk order.

    >>> g = Graph()
    >>> _ = g.add((URIRef("urn:b"), RDFS.subClassOf, URIRef("urn:a")))
    >>> subclasses(g, [URIRef("urn:a")])
    [rdflib.term.URIRef('urn:a'), rdflib.term.URIRef('urn:b')]
    """
    found: list[URIRef] = []
    for cls in classes:
        for sub in graph.transitive_subjects(RDFS.subClassOf, cls):
            if isinstance(sub, URIRef) and sub not in found:
                found.append(sub)
    return found


def local_name(iri: URIRef) -> str:
    """The last part of an IRI (after ``#`` or ``/``).

    >>> local_name(URIRef("https://w3id.org/ipgraph/ontology#issuedBy"))
    'issuedBy'
    """
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or str(iri)


_IRI_START = ("http://", "https://", "urn:", "file:", "mailto:", "tag:")


def to_term(value: Any, prefixes: Mapping[str, str] | None = None) -> Identifier:
    """Turn a binding value into an RDF term.

    - rdflib terms pass through;
    - ``bool``, ``int``, ``float``, ``Decimal``, ``date``, ``datetime`` become typed literals;
    - a string that looks like an IRI (``<...>``, ``http(s)://``, ``urn:``) or a CURIE with a
      known prefix (``ipg:Agency``, ``id:agency/moe``) becomes an IRI;
    - a string in N3 literal syntax (``"教育部"@zh``, ``"2021"^^xsd:gYear``) becomes that literal;
    - any other string becomes a plain string literal.

    Args:
        value: the value to convert.
        prefixes: the prefixes CURIEs may use (default: the project's).

    Raises:
        UsageError: a malformed N3 literal or a value of an unsupported type.

    >>> to_term("ipg:Agency")
    rdflib.term.URIRef('https://w3id.org/ipgraph/ontology#Agency')
    >>> to_term('"教育部"@zh')
    rdflib.term.Literal('教育部', lang='zh')
    >>> to_term("Ministry of Education")
    rdflib.term.Literal('Ministry of Education')
    >>> to_term(2021)
    rdflib.term.Literal('2021', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    if isinstance(value, Identifier):
        return value
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        return Literal(value)
    if not isinstance(value, str):
        raise UsageError(f"cannot bind a {type(value).__name__} value ({value!r}) in a query")
    ns = {k: str(v) for k, v in (PREFIXES if prefixes is None else prefixes).items()}
    text = value.strip()
    if text.startswith("<") and text.endswith(">") and " " not in text:
        return URIRef(text[1:-1])
    if text.startswith(_IRI_START) and " " not in text:
        return URIRef(text)
    if text.startswith('"'):
        return _n3_literal(text, ns)
    prefix, sep, local = text.partition(":")
    if sep and prefix in ns and not re.search(r"\s", text):
        return URIRef(ns[prefix] + local)
    return Literal(value)


_N3_LITERAL = re.compile(
    r'^"(?P<text>(?:[^"\\]|\\.)*)"'
    r"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<datatype><[^<>\s]*>|[\w.-]*:[\w.-]*))?$"
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'"}


def _n3_literal(text: str, prefixes: Mapping[str, str]) -> Literal:
    """``"x"``, ``"x"@zh`` or ``"x"^^xsd:gYear`` / ``"x"^^<iri>`` as a literal."""
    match = _N3_LITERAL.match(text)
    if not match:
        raise UsageError(
            f'{text!r} is not an N3 literal; write "text", "text"@zh or "2021"^^xsd:gYear'
        )
    body = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), match["text"])
    if match["lang"]:
        return Literal(body, lang=match["lang"])
    datatype = match["datatype"]
    if not datatype:
        return Literal(body)
    if datatype.startswith("<"):
        return Literal(body, datatype=URIRef(datatype[1:-1]))
    prefix, _, local = datatype.partition(":")
    if prefix not in prefixes:
        raise UsageError(f"{text!r}: unknown prefix {prefix!r} in the datatype")
    return Literal(body, datatype=URIRef(prefixes[prefix] + local))


def plain(term: Node | None) -> Any:
    """A plain, JSON-ready Python value for an RDF term.

    IRIs become strings, blank nodes ``_:id``, numbers ``int`` or ``float`` (an
    ``xsd:decimal`` too), booleans ``bool``, dates ISO 8601 text, other literals their text.
    Used by every ``to_dict`` / ``--format json`` output, so a figure is the same number
    whether it comes from ``ipgraph show`` or ``ipgraph query``.

    >>> from rdflib import URIRef
    >>> from rdflib.namespace import XSD
    >>> plain(Literal("23000.0", datatype=XSD.decimal)), plain(Literal("0.4", datatype=XSD.decimal))
    (23000, 0.4)
    >>> plain(Literal("2021", datatype=XSD.gYear)), plain(URIRef("urn:x")), plain(None)
    ('2021', 'urn:x', None)
    """
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    if not isinstance(term, Literal):
        return str(term)
    value = term.toPython()
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(term)


# Turtle's BLANK_NODE_LABEL (without "_:"), which SPARQL CSV and TSV write blank nodes as.
_PN_CHARS_U = (
    "A-Za-z_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_TURTLE_LABEL = re.compile(f"[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?")
_NOT_PN_CHARS = re.compile(f"[^{_PN_CHARS}]")


def bnode_labels(rows: Sequence[Sequence[Node | None]]) -> dict[BNode, str]:
    """New labels for the blank nodes in ``rows`` whose own label is no Turtle label.

    Every output (query formats, ``ipgraph show``) writes a blank node as ``_:`` and a label:
    its own when that is a Turtle label (as SPARQL CSV and TSV require); else (a SPARQL
    server's ``nodeID://b10000``) its letters and digits, kept distinct within ``rows``, as
    given here. Most rows have no such node: one pass over them, which hashes nothing, finds
    that.

    >>> bnode_labels([(BNode("b0"), BNode("nodeID://b1")), (None, URIRef("urn:x"))])
    {rdflib.term.BNode('nodeID://b1'): 'nodeIDb1'}
    """
    bad = {v for row in rows for v in row if type(v) is BNode and not _is_turtle_label(v)}
    if not bad:
        return {}
    nodes = {v for row in rows for v in row if type(v) is BNode}
    taken = {str(n) for n in nodes - bad}
    renamed: dict[BNode, str] = {}
    for node in sorted(bad):
        base = _NOT_PN_CHARS.sub("", node)
        base = base if _TURTLE_LABEL.match(base[:1]) else f"b{base}"
        label, n = base, 1
        while label in taken:
            n += 1
            label = f"{base}_{n}"
        taken.add(label)
        renamed[node] = label
    return renamed


def _is_turtle_label(label: str) -> bool:
    """Whether ``_:label`` is a Turtle blank node (letters and digits alone: at once)."""
    return (label.isascii() and label.isalnum()) or bool(_TURTLE_LABEL.fullmatch(label))


def in_language(en: str, zh: str, lang: str) -> str:
    """A name as the ``--lang`` option asks: ``en``, ``zh`` (English when there is no
    Chinese) or ``both``, written ``English 中文`` (once when they agree).

    >>> in_language("Ministry of Education", "教育部", "both")
    'Ministry of Education 教育部'
    >>> in_language("MOE", "", "zh")
    'MOE'
    """
    if lang == "zh":
        return zh or en
    if lang == "both" and zh and zh != en:
        return f"{en} {zh}"
    return en


def pick_label(labels: Iterable[Literal], lang: str = "en") -> str:
    """The best label for display: the wanted language first, then English, then any.

    >>> pick_label([Literal("教育部", lang="zh"), Literal("Ministry of Education", lang="en")])
    'Ministry of Education'
    >>> pick_label([Literal("教育部", lang="zh"), Literal("MOE", lang="en")], lang="zh")
    '教育部'
    """
    ordered = list(labels)
    for want in (lang, "en", None):
        for label in ordered:
            if want is None or (label.language or "").split("-")[0] == want:
                return str(label)
    return str(ordered[0])
