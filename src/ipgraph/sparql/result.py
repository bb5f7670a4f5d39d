"""The answer to a SPARQL query (`QueryResult`) and how it is read from an engine and written.

>>> from rdflib import Literal
>>> r = QueryResult("SELECT", ["n"], [(Literal(3),)])
>>> r.to_dicts(), r.serialize("csv").decode().split()
([{'n': 3}], ['n', '3'])
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, ClassVar, cast

from rdflib import BNode, Graph, Variable
from rdflib import Literal as RDFLiteral
from rdflib.query import Result
from rdflib.term import Identifier, Node

from ipgraph.errors import UsageError
from ipgraph.formats import GRAPH_FORMATS, RESULT_FORMATS, Format, by_name
from ipgraph.sparql.scan import QueryKind
from ipgraph.terms import bnode_labels, plain
from ipgraph.vocab import PREFIXES, bind_prefixes

__all__ = ["QueryResult", "collect", "collect_graph"]


@dataclass
class QueryResult:
    """The answer to a query, of one of the four kinds.

    Attributes:
        kind: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        vars: SELECT variables, in order (without ``?``).
        rows: SELECT rows, one rdflib term (or None when unbound) per variable.
        boolean: the ASK answer.
        graph: the CONSTRUCT / DESCRIBE graph.
        truncated: the result was cut at ``max_rows`` (rows, or triples of a graph).
    """

    kind: QueryKind
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False
    prefixes: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    """Prefixes for Turtle output (the graph's and the project's); empty: the project's."""
    _relabelled: dict[BNode, str] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    MEDIA_TYPES: ClassVar[dict[str, str]] = {
        **{f.name: f.media_types[0] for f in GRAPH_FORMATS},
        "rdfxml": by_name("xml").media_types[0],
        **{f.name: f.media_types[0] for f in RESULT_FORMATS},
    }
    """Format name -> media type (from `ipgraph.formats`). ``xml`` is SPARQL results XML; a
    graph's XML is ``rdfxml`` (`media_type` answers for ``xml`` by the result's kind)."""

    def __len__(self) -> int:
        if self.kind == "SELECT":
            return len(self.rows)
        if self.kind == "ASK":
            return 1
        return len(self.graph) if self.graph is not None else 0

    @property
    def is_graph(self) -> bool:
        """True for CONSTRUCT and DESCRIBE results."""
        return self.kind in ("CONSTRUCT", "DESCRIBE")

    def formats(self) -> list[str]:
        """The formats `serialize` accepts for this result (see `ipgraph.formats`)."""
        return [f.name for f in self._choices()]

    def media_type(self, format: str) -> str:
        """The media type of `serialize` (format) for this result.

        >>> QueryResult("ASK", boolean=True).media_type("xml")
        'application/sparql-results+xml'
        >>> QueryResult("CONSTRUCT", graph=Graph()).media_type("xml")
        'application/rdf+xml'
        """
        return str(self._format(format).media_types[0])

    def _choices(self) -> tuple[Format, ...]:
        return GRAPH_FORMATS if self.is_graph else RESULT_FORMATS

    def _format(self, format: str) -> Format:
        key = format.lower()
        for choice in self._choices():
            if key in (choice.name, choice.rdflib, *choice.aliases):
                return choice
        *first, last = self.formats()
        names = f"{', '.join(first)} or {last}"
        if self.is_graph:
            raise UsageError(
                f"format {format!r} is for SELECT/ASK results; a {self.kind} result "
                f"(a graph) serialises as {names}"
            )
        raise UsageError(
            f"format {format!r} is for graphs (CONSTRUCT/DESCRIBE); a {self.kind} result "
            f"serialises as {names}"
        )

    def bnode_label(self, node: BNode) -> str:
        """The label every format gives a blank node of the rows: after ``_:`` in CSV, TSV,
        JSON lines and tables, the ``value`` of SPARQL JSON, the text of SPARQL XML.

        Its own label when that is a Turtle label (as SPARQL CSV and TSV require); else (a
        SPARQL server's ``nodeID://b10000``) its letters and digits, kept distinct within
        the result. Labels name blank nodes within one result only (SPARQL 1.1).

        >>> r = QueryResult("SELECT", ["x"], [(BNode("b0"),), (BNode("nodeID://b1"),)])
        >>> [r.bnode_label(row[0]) for row in r.rows]
        ['b0', 'nodeIDb1']
        >>> r.serialize("csv").decode().split()
        ['x', '_:b0', '_:nodeIDb1']
        """
        if self._relabelled is None:
            self._relabelled = bnode_labels(self.rows)
        if not self._relabelled:  # the usual case: no look-up (a blank node hashes slowly)
            return str(node)
        return self._relabelled.get(node, str(node))

    def cell(self, value: Node | None, format: str = "csv") -> str:
        """One value as the SPARQL 1.1 CSV (``csv``) or TSV (``tsv``) format writes it: CSV
        an IRI or literal as its text, TSV in Turtle syntax; blank nodes ``_:label`` (see
        `bnode_label`); unbound empty.

        >>> from rdflib import URIRef
        >>> r = QueryResult("SELECT", ["x"], [])
        >>> r.cell(URIRef("urn:x")), r.cell(URIRef("urn:x"), "tsv"), r.cell(None)
        ('urn:x', '<urn:x>', '')
        """
        if value is None:
            return ""
        if isinstance(value, BNode):
            return f"_:{self.bnode_label(value)}"
        return _tsv_term(value) if format == "tsv" else str(value)

    def _rows_relabelled(self) -> list[tuple[Node | None, ...]]:
        """The rows with blank nodes under their `bnode_label` (the rows themselves when no
        label changes)."""
        if self._relabelled is None:
            self._relabelled = bnode_labels(self.rows)
        if not self._relabelled:
            return self.rows
        new = {node: BNode(label) for node, label in self._relabelled.items()}
        return [
            tuple(new.get(v, v) if isinstance(v, BNode) else v for v in row) for row in self.rows
        ]

    def to_dicts(self) -> list[dict[str, Any]]:
        """The result as plain Python values.

        SELECT: one dict per row (variable -> value, None when unbound); ASK:
        ``[{"boolean": answer}]``; CONSTRUCT / DESCRIBE: one ``subject`` / ``predicate`` /
        ``object`` dict per triple. IRIs become strings, blank nodes ``_:id``, numbers
        ``int`` or ``float``, booleans ``bool``, other literals their text (dates ISO 8601).

        >>> from rdflib import Literal
        >>> QueryResult("SELECT", ["n", "y"], [(Literal(3), None)]).to_dicts()
        [{'n': 3, 'y': None}]
        """
        if self.kind == "SELECT":
            return [
                {var: plain(value) for var, value in zip(self.vars, row, strict=True)}
                for row in self._rows_relabelled()
            ]
        if self.kind == "ASK":
            return [{"boolean": bool(self.boolean)}]
        graph = self.graph if self.graph is not None else Graph()
        return [
            {"subject": plain(s), "predicate": plain(p), "object": plain(o)}
            for s, p, o in sorted(graph)
        ]

    def serialize(self, format: str = "json") -> bytes:
        """The result in a standard format, as UTF-8 bytes.

        Args:
            format: ``json``, ``xml``, ``csv`` or ``tsv`` (SPARQL 1.1 result formats) for
                SELECT and ASK; ``ttl``, ``nt``, ``jsonld`` or ``xml`` (RDF/XML) for
                CONSTRUCT and DESCRIBE. CSV/TSV of an ASK result is one ``_askResult`` column.

        Raises:
            UsageError: the format does not fit the result's kind.

        >>> print(QueryResult("ASK", boolean=True).serialize("json").decode())
        {"head": {}, "boolean": true}
        """
        chosen = self._format(format)
        key = chosen.name
        if self.is_graph:
            return self._serialize_graph(chosen)
        if key == "tsv":
            return self._tsv()
        if key == "csv" and self.kind == "SELECT":
            return self._csv()
        if self.kind == "ASK":
            if key == "json":
                return json.dumps({"head": {}, "boolean": bool(self.boolean)}).encode()
            if key == "csv":
                return f"_askResult\r\n{str(bool(self.boolean)).lower()}\r\n".encode()
        result = Result(self.kind)
        if self.kind == "ASK":
            result.askAnswer = bool(self.boolean)
        else:
            variables = [Variable(v) for v in self.vars]
            result.vars = variables
            result.bindings = [
                {
                    var: cast(Identifier, value)
                    for var, value in zip(variables, row, strict=True)
                    if value is not None
                }
                for row in self._rows_relabelled()
            ]
        return cast(bytes, result.serialize(format=key, encoding="utf-8"))

    def _serialize_graph(self, chosen: Format) -> bytes:
        graph = Graph()
        for prefix, ns in self.prefixes.items():
            graph.bind(prefix, ns, override=True, replace=True)
        bind_prefixes(graph)
        if self.graph is not None:
            graph += self.graph
        if chosen.name == "jsonld":
            context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
            text = graph.serialize(format="json-ld", context=context, indent=1)
        else:
            text = graph.serialize(format=chosen.rdflib)
        return text.encode("utf-8")

    def _csv(self) -> bytes:
        """SPARQL CSV as rdflib writes it, without building rdflib's result (a third of the
        time on large results): values as their text, blank nodes ``_:label``.

        The row loops test ``type(v) is BNode``: ``isinstance`` on rdflib terms goes through
        an ABC check, about a microsecond a value (rdflib makes no subclass of BNode)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.vars)
        writer.writerows(
            [
                "" if v is None else f"_:{self.bnode_label(v)}" if type(v) is BNode else str(v)
                for v in row
            ]
            for row in self.rows
        )
        return out.getvalue().encode("utf-8")

    def _tsv(self) -> bytes:
        if self.kind == "ASK":
            return f"?_askResult\n{str(bool(self.boolean)).lower()}\n".encode()
        lines = ["\t".join(f"?{v}" for v in self.vars)]
        for row in self.rows:
            lines.append(
                "\t".join(
                    ""
                    if v is None
                    else f"_:{self.bnode_label(v)}"
                    if type(v) is BNode  # see _csv
                    else _tsv_term(v)
                    for v in row
                )
            )
        return ("\n".join(lines) + "\n").encode("utf-8")


def _tsv_term(term: Node) -> str:
    """An IRI or literal in Turtle syntax (a blank node is `QueryResult.cell`'s)."""
    if isinstance(term, RDFLiteral):
        text = str(term)
        escaped = (
            text.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if term.language:
            return f'"{escaped}"@{term.language}'
        if term.datatype is not None and term.datatype != PREFIXES["xsd"].string:
            return f'"{escaped}"^^<{term.datatype}>'
        return f'"{escaped}"'
    return f"<{term}>"


def collect(
    kind: QueryKind,
    projected: tuple[str, ...],
    raw: Result,
    max_rows: int | None,
    prefixes: dict[str, str],
) -> QueryResult:
    """A `QueryResult` from an rdflib `Result`, reading at most ``max_rows`` + 1 rows."""
    if kind == "ASK":
        return QueryResult("ASK", boolean=bool(raw.askAnswer))
    if kind == "SELECT":
        variables = [str(v) for v in raw.vars or ()] or list(projected)
        rows_iter = (tuple(row) for row in cast(Iterator[tuple[Node | None, ...]], iter(raw)))
        if max_rows is None:
            return QueryResult("SELECT", variables, list(rows_iter))
        rows = list(islice(rows_iter, max_rows + 1))
        truncated = len(rows) > max_rows
        return QueryResult("SELECT", variables, rows[:max_rows], truncated=truncated)
    return collect_graph(kind, raw.graph, max_rows, prefixes)


def collect_graph(
    kind: QueryKind, graph: Graph | None, max_rows: int | None, prefixes: dict[str, str]
) -> QueryResult:
    result_graph = graph if graph is not None else Graph()
    truncated = False
    if max_rows is not None and len(result_graph) > max_rows:
        kept = Graph()
        kept += sorted(result_graph)[:max_rows]
        result_graph, truncated = kept, True
    return QueryResult(kind, graph=result_graph, truncated=truncated, prefixes=prefixes)
