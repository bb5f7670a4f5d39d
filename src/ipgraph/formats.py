"""The one table of formats ipgraph reads and writes: RDF files and SPARQL results.

Every place that names a format reads this table: the loader (file suffix → parser), the
stores (Oxigraph's own format names), ``kg.export``, the CLI's ``--format`` choices, query
results and the HTTP endpoint's content negotiation.

>>> by_suffix(".trig").rdflib
'trig'
>>> by_name("turtle").name
'ttl'
>>> [f.name for f in FORMATS if f.kind == "result"]
['json', 'xml', 'csv', 'tsv']
>>> by_name("ttl").media_types[0]
'text/turtle'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["graph", "dataset", "result"]


@dataclass(frozen=True)
class Format:
    """One format.

    Attributes:
        name: ipgraph's short name (``ttl``, ``nq``, ``json``), used by ``--format``.
        kind: ``graph`` (triples), ``dataset`` (quads: keeps named graphs) or ``result``
            (SPARQL SELECT/ASK results).
        rdflib: rdflib's parser/serialiser name (for results: its result format name).
        oxigraph: pyoxigraph's ``RdfFormat`` member, or None when Oxigraph has none.
        suffixes: file suffixes read as this format (first: the one written).
        media_types: the media types it answers to; the first is the one sent.
        aliases: other names accepted for it (``turtle``, ``ntriples``, ``json-ld``).
        w3c: its IRI in the W3C formats registry (http://www.w3.org/ns/formats/).
    """

    name: str
    kind: Kind
    rdflib: str
    oxigraph: str | None
    suffixes: tuple[str, ...]
    media_types: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    w3c: str | None = None

    @property
    def keeps_graphs(self) -> bool:
        """True for formats written with their named graphs (TriG, N-Quads)."""
        return self.kind == "dataset"

    @property
    def reads_graphs(self) -> bool:
        """True for files that may carry named graphs: TriG, N-Quads and JSON-LD (whose
        ``@graph`` objects may be named), parsed as a data set."""
        return self.kind == "dataset" or self.name == "jsonld"


FORMATS: tuple[Format, ...] = (
    Format(
        "ttl",
        "graph",
        "turtle",
        "TURTLE",
        (".ttl", ".turtle"),
        ("text/turtle", "application/x-turtle"),
        ("turtle",),
        "Turtle",
    ),
    Format(
        "nt",
        "graph",
        "nt",
        "N_TRIPLES",
        (".nt", ".ntriples"),
        ("application/n-triples", "text/plain"),
        ("ntriples", "n-triples"),
        "N-Triples",
    ),
    Format("n3", "graph", "n3", "N3", (".n3",), ("text/n3",), (), "N3"),
    Format(
        "jsonld",
        "graph",
        "json-ld",
        "JSON_LD",
        (".jsonld", ".json"),
        ("application/ld+json", "application/json"),
        ("json-ld",),
        "JSON-LD",
    ),
    Format(
        "xml",
        "graph",
        "xml",
        "RDF_XML",
        (".rdf", ".owl", ".xml"),
        ("application/rdf+xml", "application/xml", "text/xml"),
        ("rdfxml", "rdf/xml"),
        "RDF_XML",
    ),
    Format("trig", "dataset", "trig", "TRIG", (".trig",), ("application/trig",), (), "TriG"),
    Format(
        "nq",
        "dataset",
        "nquads",
        "N_QUADS",
        (".nq", ".nquads"),
        ("application/n-quads",),
        ("nquads", "n-quads"),
        "N-Quads",
    ),
    Format(
        "json",
        "result",
        "json",
        None,
        (".srj",),
        ("application/sparql-results+json", "application/json"),
        (),
        "SPARQL_Results_JSON",
    ),
    Format(
        "xml",
        "result",
        "xml",
        None,
        (".srx",),
        ("application/sparql-results+xml", "application/xml"),
        (),
        "SPARQL_Results_XML",
    ),
    Format("csv", "result", "csv", None, (".csv",), ("text/csv",), (), "SPARQL_Results_CSV"),
    Format(
        "tsv",
        "result",
        "tsv",
        None,
        (".tsv",),
        ("text/tab-separated-values",),
        (),
        "SPARQL_Results_TSV",
    ),
)
"""Every format, RDF first. ``xml`` names RDF/XML for graphs and SPARQL XML for results."""

RDF_FORMATS = tuple(f for f in FORMATS if f.kind != "result")
GRAPH_FORMATS = tuple(f for f in FORMATS if f.kind == "graph" and f.name != "n3")
"""What a CONSTRUCT or DESCRIBE result serialises as (N3 is read, never written)."""
RESULT_FORMATS = tuple(f for f in FORMATS if f.kind == "result")
"""What a SELECT or ASK result serialises as."""
EXPORT_FORMATS = tuple(f for f in RDF_FORMATS if f.name != "n3")
"""What ``kg.export`` / ``ipgraph export`` writes."""


def by_suffix(suffix: str) -> Format:
    """The RDF format of a file suffix (``.ttl``), case-insensitive.

    Raises:
        KeyError: no RDF format has this suffix.
    """
    wanted = suffix.lower()
    for fmt in RDF_FORMATS:
        if wanted in fmt.suffixes:
            return fmt
    raise KeyError(suffix)


def by_name(name: str, kinds: tuple[Kind, ...] = ("graph", "dataset")) -> Format:
    """The format called ``name`` (its name, alias or rdflib name) among ``kinds``.

    >>> by_name("json", ("result",)).media_types[0]
    'application/sparql-results+json'

    Raises:
        KeyError: no format of those kinds has this name.
    """
    wanted = name.lower()
    for fmt in FORMATS:
        if fmt.kind in kinds and wanted in (fmt.name, fmt.rdflib, *fmt.aliases):
            return fmt
    raise KeyError(name)


def suffixes() -> list[str]:
    """Every RDF file suffix ipgraph reads, sorted (for messages)."""
    return sorted(s for fmt in RDF_FORMATS for s in fmt.suffixes)
