"""SPARQL over the knowledge graph: run checked queries with limits, serialise the results.

Every interface (``kg.query``, ``ipgraph query``, the HTTP endpoint) goes through two functions:

- `check_query` (in `ipgraph.sparql.check`, re-exported here) parses a query once and refuses
  SPARQL Update, ``SERVICE`` calls and ``FROM`` graphs the store does not hold;
- `run_query` evaluates a checked query against an rdflib graph or data set, with an optional
  time limit and row cap, and returns a `QueryResult` that converts to plain rows, dicts and
  the standard SPARQL result formats.

The named competency queries (``queries/*.rq``) live in `ipgraph.sparql.named`; this module
re-exports their public names too, so ``ipgraph.sparql.run`` is the one import path for SPARQL.

>>> from rdflib import Graph, Literal
>>> from ipgraph.vocab import ID, IPG
>>> g = Graph()
>>> _ = g.add((ID["agency/cnipa"], IPG.issuedBy, Literal("x")))
>>> result = run_query(g, "SELECT ?s WHERE { ?s ipg:issuedBy ?o }")
>>> result.kind, result.vars, result.to_dicts()
('SELECT', ['s'], [{'s': 'https://w3id.org/ipgraph/id/agency/cnipa'}])
"""

from __future__ import annotations

import ctypes
import datetime
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any, ClassVar, TypeVar, cast

from rdflib import BNode, Dataset, Graph, URIRef, Variable
from rdflib import Literal as RDFLiteral
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Identifier, Node

from ipgraph.entity import plain
from ipgraph.errors import QueryTimeout, UsageError
from ipgraph.sparql.check import (
    CHECKED,
    ParsedQuery,
    QueryKind,
    check_graphs,
    check_query,
    check_query_for,
    is_native,
    query_prefixes,
)
from ipgraph.sparql.named import (
    NamedQuery,
    QueryParam,
    named_bindings,
    named_queries,
    named_query,
    parse_named_query,
)
from ipgraph.vocab import PREFIXES

__all__ = [
    "CHECKED",
    "NamedQuery",
    "ParsedQuery",
    "QueryParam",
    "QueryResult",
    "check_query",
    "check_query_for",
    "named_bindings",
    "named_queries",
    "named_query",
    "parse_named_query",
    "plain",
    "query_prefixes",
    "run_query",
    "to_term",
]

T = TypeVar("T")

# -- bindings ------------------------------------------------------------------------------

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
        return RDFLiteral(value)
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
    return RDFLiteral(value)


_N3_LITERAL = re.compile(
    r'^"(?P<text>(?:[^"\\]|\\.)*)"'
    r"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<datatype><[^<>\s]*>|[\w.-]*:[\w.-]*))?$"
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'"}


def _n3_literal(text: str, prefixes: Mapping[str, str]) -> RDFLiteral:
    """``"x"``, ``"x"@zh`` or ``"x"^^xsd:gYear`` / ``"x"^^<iri>`` as a literal."""
    match = _N3_LITERAL.match(text)
    if not match:
        raise UsageError(
            f'{text!r} is not an N3 literal; write "text", "text"@zh or "2021"^^xsd:gYear'
        )
    body = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), match["text"])
    if match["lang"]:
        return RDFLiteral(body, lang=match["lang"])
    datatype = match["datatype"]
    if not datatype:
        return RDFLiteral(body)
    if datatype.startswith("<"):
        return RDFLiteral(body, datatype=URIRef(datatype[1:-1]))
    prefix, _, local = datatype.partition(":")
    if prefix not in prefixes:
        raise UsageError(f"{text!r}: unknown prefix {prefix!r} in the datatype")
    return RDFLiteral(body, datatype=URIRef(prefixes[prefix] + local))


def _bindings(
    parsed: ParsedQuery, bindings: Mapping[str, Any] | None, prefixes: Mapping[str, str]
) -> dict[str, Identifier]:
    result: dict[str, Identifier] = {}
    for name, value in (bindings or {}).items():
        var = name[1:] if name.startswith(("?", "$")) else name
        if var not in parsed.variables:
            known = ", ".join(f"?{v}" for v in sorted(parsed.variables)) or "none"
            raise UsageError(f"the query has no variable ?{var} to bind; its variables: {known}")
        result[var] = to_term(value, prefixes)
    return result


# -- results -------------------------------------------------------------------------------

_RESULT_FORMATS = {"json", "xml", "csv", "tsv"}
_GRAPH_FORMATS = {
    "ttl": "turtle",
    "turtle": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "jsonld": "json-ld",
    "json-ld": "json-ld",
    "xml": "xml",
    "rdfxml": "xml",
}


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

    MEDIA_TYPES: ClassVar[dict[str, str]] = {
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
        "ttl": "text/turtle",
        "nt": "application/n-triples",
        "jsonld": "application/ld+json",
        "rdfxml": "application/rdf+xml",
    }
    """Format name -> media type. ``xml`` is SPARQL results XML; a graph's XML is ``rdfxml``
    (`media_type` answers for ``xml`` by the result's kind)."""

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
        """The formats `serialize` accepts for this result."""
        if self.is_graph:
            return ["ttl", "nt", "jsonld", "xml"]
        return ["json", "xml", "csv", "tsv"]

    def media_type(self, format: str) -> str:
        """The media type of `serialize` (format) for this result.

        >>> QueryResult("ASK", boolean=True).media_type("xml")
        'application/sparql-results+xml'
        >>> QueryResult("CONSTRUCT", graph=Graph()).media_type("xml")
        'application/rdf+xml'
        """
        key = self._format_key(format)
        if self.is_graph and key == "xml":
            key = "rdfxml"
        return self.MEDIA_TYPES[key]

    def _format_key(self, format: str) -> str:
        key = format.lower()
        if self.is_graph:
            rdflib_name = _GRAPH_FORMATS.get(key)
            if rdflib_name is None:
                raise UsageError(
                    f"format {format!r} is for SELECT/ASK results; a {self.kind} result "
                    "(a graph) serialises as ttl, nt, jsonld or xml"
                )
            return {"turtle": "ttl", "json-ld": "jsonld"}.get(rdflib_name, rdflib_name)
        if key not in _RESULT_FORMATS:
            raise UsageError(
                f"format {format!r} is for graphs (CONSTRUCT/DESCRIBE); a {self.kind} result "
                "serialises as json, xml, csv or tsv"
            )
        return key

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
                for row in self.rows
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
        key = self._format_key(format)
        if self.is_graph:
            return self._serialize_graph(key)
        if key == "tsv":
            return self._tsv()
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
                for row in self.rows
            ]
        return cast(bytes, result.serialize(format=key, encoding="utf-8"))

    def _serialize_graph(self, key: str) -> bytes:
        from ipgraph.store import bind_prefixes

        graph = Graph()
        for prefix, ns in self.prefixes.items():
            graph.bind(prefix, ns, override=True, replace=True)
        bind_prefixes(graph)
        if self.graph is not None:
            graph += self.graph
        if key == "jsonld":
            context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
            text = graph.serialize(format="json-ld", context=context, indent=1)
        else:
            text = graph.serialize(format=_GRAPH_FORMATS[key])
        return text.encode("utf-8")

    def _tsv(self) -> bytes:
        if self.kind == "ASK":
            return f"?_askResult\n{str(bool(self.boolean)).lower()}\n".encode()
        lines = ["\t".join(f"?{v}" for v in self.vars)]
        for row in self.rows:
            lines.append("\t".join("" if value is None else _tsv_term(value) for value in row))
        return ("\n".join(lines) + "\n").encode("utf-8")


def _tsv_term(term: Node) -> str:
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
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"


# -- running -------------------------------------------------------------------------------


def run_query(
    graph: Graph,
    text: str | ParsedQuery,
    *,
    bindings: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    max_rows: int | None = None,
    default_graphs: Iterable[URIRef | str] | None = None,
    named_graphs: Iterable[URIRef | str] | None = None,
) -> QueryResult:
    """Run a SPARQL query on an rdflib graph or data set.

    Args:
        graph: the data: a `Graph`, or a `Dataset` whose default graph is the union of its
            named graphs (as ``kg.graph``).
        text: the query, or a query already checked by `check_query`.
        bindings: values for variables, by name (with or without ``?``); see `to_term` for
            how strings are read.
        timeout: seconds the query may run. The query runs in a worker thread; when time is
            up, `QueryTimeout` is raised at once and the worker is stopped at its next Python
            step (rdflib evaluates in pure Python, so it stops promptly; a worker stuck in
            C code finishes in the background and its result is dropped).
        max_rows: keep at most this many SELECT rows (or graph triples) and set
            ``truncated``; the rest of the result is not computed when the query streams.
        default_graphs: SPARQL Protocol ``default-graph-uri``: the default graph is the merge
            of these named graphs (overrides the query's FROM clauses).
        named_graphs: SPARQL Protocol ``named-graph-uri``: the named graphs ``GRAPH`` sees
            (overrides the query's FROM NAMED clauses).

    Returns:
        The `QueryResult`.

    Raises:
        QuerySyntaxError: the query does not parse.
        QueryForbidden: update, SERVICE, or a FROM graph the store does not hold.
        QueryTimeout: the query ran longer than ``timeout``.
        UsageError: a binding names no variable of the query, or a bad limit.

    >>> from rdflib import Graph
    >>> run_query(Graph(), "ASK { ?s ?p ?o }").boolean
    False
    """
    prefixes = query_prefixes(graph)
    native = is_native(graph)
    parsed = (
        text
        if isinstance(text, ParsedQuery)
        else check_query(text, prefixes=prefixes, native=native)
    )
    if timeout is not None and timeout <= 0:
        raise UsageError(f"the time limit must be positive, not {timeout}")
    if max_rows is not None and max_rows < 0:
        raise UsageError(f"the row limit must be zero or more, not {max_rows}")
    init = _bindings(parsed, bindings, prefixes)
    default = [URIRef(str(g)) for g in default_graphs or ()]
    named = [URIRef(str(g)) for g in named_graphs or ()]
    if isinstance(graph, Dataset):
        if default or named or parsed.from_graphs or parsed.from_named_graphs:
            known = [
                URIRef(g.identifier) for g in graph.graphs() if isinstance(g.identifier, URIRef)
            ]
            if default or named:
                check_graphs(default, known, "default-graph-uri")
                check_graphs(named, known, "named-graph-uri")
            else:
                check_graphs(parsed.from_graphs, known, "FROM")
                check_graphs(parsed.from_named_graphs, known, "FROM NAMED")
    elif default or named:
        raise UsageError("default/named graphs need a data set (an rdflib Dataset)")

    if native:  # Oxigraph / remote: the query text runs on their own engine (issue 6)
        from ipgraph.store import native_query, native_table

        chosen = (default, named)
        if not default and not named and (parsed.from_graphs or parsed.from_named_graphs):
            # pyoxigraph's union-default-graph option would override the query's FROM clauses
            chosen = (list(parsed.from_graphs), list(parsed.from_named_graphs))

        def evaluate() -> QueryResult:
            table = native_table(graph, parsed.text, init, *chosen, max_rows)
            if table is None:
                raw = native_query(graph, parsed.text, init, default, named)
                assert raw is not None  # a native graph
                return _collect(parsed, raw, max_rows, prefixes)
            if table.kind == "ASK":
                return QueryResult("ASK", boolean=table.boolean)
            if table.kind == "SELECT":
                return QueryResult("SELECT", table.vars, table.rows, truncated=table.truncated)
            return _collect_graph(parsed.kind, table.graph, max_rows, prefixes)

        return _with_time_limit(evaluate, timeout)

    def evaluate_rdflib() -> QueryResult:
        prepared = parsed._rdflib
        query = prepared.checkout(parsed)
        run = _with_dataset(query, default, named) if default or named else query
        result = _collect(parsed, graph.query(run, initBindings=init), max_rows, prefixes)
        prepared.checkin(query)  # only after a normal finish: never one still running
        return result

    return _with_time_limit(evaluate_rdflib, timeout)


def _with_dataset(query: Query, default: list[URIRef], named: list[URIRef]) -> Query:
    algebra = query.algebra.clone()
    clauses = [CompValue("DatasetClause", default=iri) for iri in default]
    clauses += [CompValue("DatasetClause", named=iri) for iri in named]
    algebra["datasetClause"] = clauses
    return Query(query.prologue, algebra)


def _collect(
    parsed: ParsedQuery, raw: Result, max_rows: int | None, prefixes: dict[str, str]
) -> QueryResult:
    if parsed.kind == "ASK":
        return QueryResult("ASK", boolean=bool(raw.askAnswer))
    if parsed.kind == "SELECT":
        variables = [str(v) for v in raw.vars or ()] or list(parsed.vars)
        rows_iter = (tuple(row) for row in cast(Iterator[tuple[Node | None, ...]], iter(raw)))
        if max_rows is None:
            return QueryResult("SELECT", variables, list(rows_iter))
        rows = list(islice(rows_iter, max_rows + 1))
        truncated = len(rows) > max_rows
        return QueryResult("SELECT", variables, rows[:max_rows], truncated=truncated)
    return _collect_graph(parsed.kind, raw.graph, max_rows, prefixes)


def _collect_graph(
    kind: QueryKind, graph: Graph | None, max_rows: int | None, prefixes: dict[str, str]
) -> QueryResult:
    result_graph = graph if graph is not None else Graph()
    truncated = False
    if max_rows is not None and len(result_graph) > max_rows:
        kept = Graph()
        kept += sorted(result_graph)[:max_rows]
        result_graph, truncated = kept, True
    return QueryResult(kind, graph=result_graph, truncated=truncated, prefixes=prefixes)


class _Cancelled(BaseException):
    """Raised inside a worker whose query ran out of time (not an Exception: rdflib's
    ``except Exception`` blocks must not swallow it)."""


def _with_time_limit(work: Callable[[], T], timeout: float | None) -> T:
    if timeout is None:
        return work()
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def worker() -> None:
        try:
            outcome["value"] = work()
        except _Cancelled:
            outcome["cancelled"] = True
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            done.set()

    thread = threading.Thread(target=worker, name="ipgraph-query", daemon=True)
    thread.start()
    if not done.wait(timeout) and not done.is_set():
        _interrupt(thread)
        raise QueryTimeout(
            f"the query ran longer than {timeout:g} s and was stopped; "
            "narrow it (more specific patterns, LIMIT) or raise the time limit"
        )
    if "error" in outcome:
        raise outcome["error"]
    return cast(T, outcome["value"])


def _interrupt(thread: threading.Thread) -> None:
    """Ask a worker thread to stop by raising `_Cancelled` in it at its next bytecode."""
    if thread.ident is None:  # pragma: no cover - started above
        return
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread.ident), ctypes.py_object(_Cancelled)
    )
