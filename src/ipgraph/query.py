"""SPARQL over the knowledge graph: parse and check once, run with limits, serialise results.

Every interface (``kg.query``, ``ipgraph query``, the HTTP endpoint) goes through two functions:

- `check_query` parses a query with the project's prefixes pre-bound and refuses what a
  read-only, offline service must not do: SPARQL Update (``INSERT``, ``LOAD``, ...), ``SERVICE``
  calls, and ``FROM`` / ``FROM NAMED`` clauses that name a graph the store does not hold
  (rdflib would try to download it). A token scan that skips strings, IRIs and comments refuses
  the keywords wherever they hide (so a string literal that happens to contain the word
  ``SERVICE`` is fine); rdflib's algebra is checked too, or, for native engines (Oxigraph, a
  remote server), Oxigraph's fast parser validates the query and rdflib is not involved.
  Checked queries are cached by text and prefixes (`CHECKED`), so each is parsed once.
- `run_query` evaluates a checked query against an rdflib graph or data set, with an optional
  time limit and row cap, and returns a `QueryResult` that converts to plain rows, dicts and
  the standard SPARQL result formats.

Importing this module also switches off rdflib's ``SPARQL_LOAD_GRAPHS``, so that even a query
that reaches rdflib without `check_query` cannot make it fetch a URL or read a file.

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
import difflib
import json
import re
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from itertools import islice
from types import MethodType
from typing import Any, ClassVar, Literal, TypeVar, cast

import rdflib.plugins.sparql
from pyparsing import ParseBaseException
from rdflib import BNode, Dataset, Graph, URIRef, Variable
from rdflib import Literal as RDFLiteral
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.processor import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Identifier, Node

from ipgraph.entity import plain
from ipgraph.errors import QueryForbidden, QuerySyntaxError, QueryTimeout, UsageError
from ipgraph.vocab import PREFIXES

XSD = PREFIXES["xsd"]  # a plain Namespace: rdflib's XSD class warns under doctest collection

# Never let a FROM / FROM NAMED clause make rdflib download or read a graph.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

__all__ = [
    "CHECKED",
    "NamedQuery",
    "ParsedQuery",
    "QueryParam",
    "QueryResult",
    "check_query",
    "check_query_for",
    "named_queries",
    "query_prefixes",
    "run_query",
    "to_term",
]

QueryKind = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
T = TypeVar("T")

_KINDS: dict[str, QueryKind] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
_UPDATE_NAMES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}

# -- parsing and checking ------------------------------------------------------------------


class _Prepared:
    """The rdflib form of a checked query: a template parsed once, and idle copies to run.

    An rdflib query keeps evaluation state in its expressions while it runs (``Expr.ctx``), so
    one object must never run twice at the same time. A run checks a copy out (an idle one, or
    a fresh copy of the template: far cheaper than parsing again) and gives it back only when it
    finished normally; a copy whose run failed or timed out (its worker may still hold it) is
    dropped. The template itself is never evaluated.
    """

    IDLE = 4
    """Idle copies kept per query (more concurrent runs simply copy again)."""

    def __init__(self, template: Query | None = None) -> None:
        self.template = template
        self.idle: deque[Query] = deque(maxlen=self.IDLE)
        self.lock = threading.Lock()

    def checkout(self, parsed: ParsedQuery) -> Query:
        try:
            return self.idle.pop()
        except IndexError:
            return _copy_query(parsed.query)

    def checkin(self, query: Query) -> None:
        self.idle.append(query)


@dataclass(frozen=True)
class ParsedQuery:
    """A query parsed and checked by `check_query`, ready for `run_query` (any number of times,
    from any number of threads).

    Attributes:
        text: the query as written.
        kind: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        vars: the projected variables of a SELECT (empty for other kinds), in order; empty
            for ``SELECT *`` checked for a native engine (the engine names them when it runs).
        variables: every variable the query mentions (what ``bindings`` may name).
        from_graphs: the IRIs of its ``FROM`` clauses.
        from_named_graphs: the IRIs of its ``FROM NAMED`` clauses.
        prefixes: the prefixes it was checked with (bound when it runs).
    """

    text: str
    kind: QueryKind
    vars: tuple[str, ...]
    variables: frozenset[str]
    from_graphs: tuple[URIRef, ...]
    from_named_graphs: tuple[URIRef, ...]
    prefixes: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)
    _rdflib: _Prepared = field(default_factory=_Prepared, repr=False, compare=False)

    @property
    def query(self) -> Query:
        """The parsed rdflib query (prologue and algebra), parsed on first use when the query
        was checked for a native engine. A template: `run_query` evaluates copies of it."""
        prepared = self._rdflib
        if prepared.template is None:
            with prepared.lock:
                if prepared.template is None:
                    template = _prepare(self.text, dict(self.prefixes))
                    _refuse_service(template.algebra)
                    prepared.template = template
        return prepared.template


# -- the cache of checked queries ----------------------------------------------------------

_CacheKey = tuple[str, tuple[tuple[str, str], ...], bool]


class _CheckedQueries:
    """A bounded, thread-safe LRU cache of `ParsedQuery` by query text, prefixes and engine.

    Only successful checks are kept (a refused or malformed query is checked again, cheaply
    enough, and never pins memory).
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._entries: OrderedDict[_CacheKey, ParsedQuery] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: _CacheKey) -> ParsedQuery | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
            return hit

    def put(self, key: _CacheKey, parsed: ParsedQuery) -> ParsedQuery:
        with self._lock:
            kept = self._entries.setdefault(key, parsed)  # a racing thread's entry wins
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
            return kept

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


CHECKED = _CheckedQueries()
"""The process-wide cache `check_query` answers from (``CHECKED.clear()`` empties it)."""


def check_query(
    text: str,
    *,
    prefixes: Mapping[str, str] | None = None,
    known_graphs: Iterable[URIRef] | None = None,
    native: bool = False,
) -> ParsedQuery:
    """Parse a SPARQL query and make sure it is safe for a read-only, offline service.

    The project's prefixes (``ipg:``, ``eli:``, ``org:``, ``skos:``, ... see
    ``ipgraph.vocab.PREFIXES``) are bound unless the query declares them itself.

    Every query is first scanned token by token (strings, IRIs and comments skipped): any
    ``SERVICE`` or SPARQL Update keyword is refused wherever it hides. Then the query is parsed:
    by rdflib (whose algebra is checked again for ``SERVICE`` and read for ``FROM`` clauses),
    or, with ``native``, by Oxigraph's much faster parser, for queries that run on a native
    engine (Oxigraph, a remote server) and never need rdflib's form. Results are cached by
    text and prefixes (`CHECKED`), so a query is parsed once per process.

    Args:
        text: a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE).
        prefixes: prefixes to bind instead of the project's.
        known_graphs: when given, every ``FROM`` / ``FROM NAMED`` IRI must be one of these
            (`run_query` passes the store's named graphs).
        native: the query runs on a native engine: check it without rdflib when possible.

    Returns:
        The parsed query.

    Raises:
        QuerySyntaxError: the text does not parse; carries the line and column (1-based).
        QueryForbidden: an update (``INSERT``, ``LOAD``, ...), a ``SERVICE`` call, or a
            ``FROM`` / ``FROM NAMED`` graph outside ``known_graphs``.

    >>> check_query("ASK { ?s a ipg:Agency }").kind
    'ASK'
    >>> check_query("SELECT * WHERE {\\n  ?s ?p ?o ,, ?x\\n}")
    Traceback (most recent call last):
    ...
    ipgraph.errors.QuerySyntaxError: SPARQL syntax error at line 2, column 12: unexpected ',, ?x'
    >>> check_query("LOAD <http://example.org/data.ttl>")
    Traceback (most recent call last):
    ...
    ipgraph.errors.QueryForbidden: SPARQL Update (LOAD) is not allowed: ipgraph answers queries only
    >>> check_query("ASK { ?s ?p ?o }", native=True) is check_query("ASK { ?s ?p ?o }", native=True)
    True
    """
    if not isinstance(text, str) or not text.strip():
        raise QuerySyntaxError("the query is empty")
    init_ns = {k: str(v) for k, v in (PREFIXES if prefixes is None else prefixes).items()}
    key: _CacheKey = (text, tuple(init_ns.items()), native)
    parsed = CHECKED.get(key)
    if parsed is None:
        scan = _scan_query(text)
        if native and scan.kind is not None and not scan.has_from and _ox_validate(scan, init_ns):
            parsed = ParsedQuery(
                text=text,
                kind=scan.kind,
                vars=scan.projected,
                variables=scan.variables,
                from_graphs=(),
                from_named_graphs=(),
                prefixes=key[1],
            )
        else:
            parsed = _check_with_rdflib(text, init_ns)
        parsed = CHECKED.put(key, parsed)
    if known_graphs is not None:
        _check_graphs([*parsed.from_graphs, *parsed.from_named_graphs], known_graphs, "FROM")
    return parsed


def check_query_for(graph: Graph, text: str) -> ParsedQuery:
    """`check_query` as `run_query` does it for ``graph``: with the prefixes a query there may
    use (`query_prefixes`), natively when the graph lives in a native store (Oxigraph, remote).

    >>> check_query_for(Graph(), "SELECT ?s WHERE { ?s ?p ?o }").vars
    ('s',)
    """
    return check_query(text, prefixes=query_prefixes(graph), native=_is_native(graph))


def _is_native(graph: Graph) -> bool:
    from ipgraph.store import BackendDataset

    return isinstance(graph, BackendDataset)


def _prepare(text: str, init_ns: Mapping[str, str]) -> Query:
    """rdflib's parse and translation, with its errors as `QuerySyntaxError`."""
    try:
        return prepareQuery(text, initNs=dict(init_ns))
    except ParseBaseException as exc:
        _refuse_update(text)
        raise QuerySyntaxError(_parse_reason(exc), exc.lineno, exc.col) from None
    except RecursionError:
        raise QuerySyntaxError("the query is nested too deeply") from None
    except Exception as exc:  # rdflib's translation step raises bare Exceptions
        raise _translation_error(text, exc) from None


def _check_with_rdflib(text: str, init_ns: Mapping[str, str]) -> ParsedQuery:
    query = _prepare(text, init_ns)
    algebra = query.algebra
    kind = _KINDS.get(algebra.name)
    if kind is None:  # pragma: no cover - the grammar admits only the four forms
        raise QuerySyntaxError(f"unsupported query form {algebra.name}")
    _refuse_service(algebra)
    default, named = _dataset_clause(algebra)
    return ParsedQuery(
        text=text,
        kind=kind,
        vars=tuple(str(v) for v in (algebra.get("PV") or ())) if kind == "SELECT" else (),
        variables=frozenset(str(v) for v in _variables(algebra)),
        from_graphs=default,
        from_named_graphs=named,
        prefixes=tuple(init_ns.items()),
        _rdflib=_Prepared(query),
    )


def _copy_query(query: Query) -> Query:
    """A copy of a parsed query that can run while the original (or another copy) runs."""
    return Query(query.prologue, _copy_node(query.algebra, {}))


def _copy_node(node: Any, memo: dict[int, Any]) -> Any:
    """Copy the mutable parts of an rdflib algebra tree (CompValue / Expr nodes and the
    containers holding them), keeping shared nodes shared; terms are immutable and kept."""
    if isinstance(node, CompValue):
        done = memo.get(id(node))
        if done is not None:
            return done
        copy = OrderedDict.__new__(type(node))
        OrderedDict.__init__(copy)
        memo[id(node)] = copy
        for name, value in vars(node).items():
            if name == "_evalfn" and value is not None:
                value = MethodType(value.__func__, copy)
            elif name == "ctx":
                value = None
            else:
                value = _copy_node(value, memo)
            object.__setattr__(copy, name, value)
        for k, v in OrderedDict.items(node):
            OrderedDict.__setitem__(copy, k, _copy_node(v, memo))
        return copy
    if isinstance(node, list):
        return [_copy_node(v, memo) for v in node]
    if isinstance(node, tuple) and not isinstance(node, Node):
        return tuple(_copy_node(v, memo) for v in node)
    if isinstance(node, dict):
        return {k: _copy_node(v, memo) for k, v in node.items()}
    if isinstance(node, set):
        return {_copy_node(v, memo) for v in node}
    return node


# -- the token scan ------------------------------------------------------------------------

_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
)
_NAME_CHARS = r"\w\-\u00B7\u0300-\u036F\u203F-\u2040"
_LOCAL_CHAR = rf"(?:[{_NAME_CHARS}:]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%])"
_SPARQL_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<comment>\#[^\r\n]*)"
    r"|(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*'''"
    r'|"""(?:(?:"|"")?(?:[^"\\]|\\[\s\S]))*"""'
    r"|'(?:[^'\\\r\n]|\\[\s\S])*'"
    r'|"(?:[^"\\\r\n]|\\[\s\S])*")'
    r'|(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)'
    rf"|(?P<var>[?$][{_NAME_CHARS}]+)"
    r"|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)"
    rf"|(?P<bnode>_:[{_NAME_CHARS}](?:[{_NAME_CHARS}.]*[{_NAME_CHARS}])?)"
    rf"|(?P<pname>(?P<prefix>[^\W\d_](?:[{_NAME_CHARS}.]*[{_NAME_CHARS}])?)?:"
    rf"(?:{_LOCAL_CHAR}(?:(?:{_LOCAL_CHAR}|\.)*{_LOCAL_CHAR})?)?)"
    r"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<other>[\s\S])"
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FORMS: dict[str, QueryKind] = {
    "SELECT": "SELECT",
    "ASK": "ASK",
    "CONSTRUCT": "CONSTRUCT",
    "DESCRIBE": "DESCRIBE",
}


@dataclass(frozen=True)
class _Scan:
    """What the token scan learned about a query that is not refused."""

    text: str
    kind: QueryKind | None
    form_at: int
    """Offset of the query-form keyword in ``text`` (-1 when not found)."""
    variables: frozenset[str]
    projected: tuple[str, ...]
    has_from: bool


def _unescape_codepoints(text: str) -> str:
    """``\\uXXXX`` / ``\\UXXXXXXXX`` decoded everywhere, as SPARQL 1.1 (19.2) says engines
    may do before parsing."""

    def decode(match: re.Match[str]) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except (ValueError, OverflowError):
            return match.group(0)

    return _CODEPOINT.sub(decode, text)


def _scan_query(text: str) -> _Scan:
    """Refuse ``SERVICE`` and SPARQL Update keywords outside strings, IRIs and comments.

    Engines differ in where they decode ``\\u`` escapes (rdflib first, everywhere; Oxigraph
    only inside strings and IRIs) and Oxigraph's grammar accepts keywords glued to the next
    token (``SERVICEex:g``, ``SERVICESILENT<...>``). So the scan reads the text both as
    written and with escapes decoded, and refuses any bare word, or prefix of a prefixed name,
    that contains ``SERVICE`` (no SPARQL query keyword does), and any bare update keyword.

    >>> _scan_query("SELECT ?x WHERE { BIND('SERVICE' AS ?x) }").kind
    'SELECT'
    >>> try:
    ...     _scan_query("ASK { ?s ?p ?o FILTER EXISTS { service <http://x.org/> { } } }")
    ... except QueryForbidden as exc:
    ...     print(str(exc)[:33])
    SERVICE <http://x.org/> is not al
    """
    decoded = _unescape_codepoints(text)
    if decoded != text:
        _scan_view(decoded)
    return _scan_view(text)


def _scan_view(text: str) -> _Scan:
    tokens = [
        (m.lastgroup, m.group(), m.start(), m.group("prefix"))
        for m in _SPARQL_TOKEN.finditer(text)
        if m.lastgroup not in ("space", "comment")
    ]
    kind: QueryKind | None = None
    form_at = -1
    has_from = False
    variables: set[str] = set()
    projected: list[str] = []
    in_select = False
    depth = 0
    for index, (group, value, start, prefix) in enumerate(tokens):
        if group == "var":
            variables.add(value[1:])
            if in_select and (depth == 0 or tokens[index - 1][1].upper() == "AS"):
                projected.append(value[1:])
            continue
        if group == "pname" and prefix:
            if "SERVICE" in prefix.upper():
                _refuse_service_call(tokens, index - 1, value)
            if prefix.upper().startswith("FROM"):  # `FROMex:g` may read as `FROM ex:g`
                has_from = True
        if group == "word":
            word = value.upper()
            if "SERVICE" in word:
                _refuse_service_call(tokens, index, value)
            if word in _UPDATE_KEYWORDS:
                _refuse_update(text)
                raise QueryForbidden(
                    f"SPARQL Update ({word}) is not allowed: ipgraph answers queries only"
                )
            if word.startswith("FROM"):
                has_from = True
            if kind is None and word not in ("BASE", "PREFIX"):
                form = next((f for f in _FORMS if word.startswith(f)), None)
                if form is not None:
                    kind, form_at, in_select = _FORMS[form], start, form == "SELECT"
            elif in_select and word.startswith(("WHERE", "FROM")):
                in_select = False
        elif in_select and group == "other":
            if value == "(":
                depth += 1
            elif value == ")":
                depth -= 1
            elif value == "{":
                in_select = False
    return _Scan(
        text=text,
        kind=kind,
        form_at=form_at,
        variables=frozenset(variables),
        projected=tuple(dict.fromkeys(projected)) if kind == "SELECT" else (),
        has_from=has_from,
    )


def _refuse_service_call(
    tokens: list[tuple[str | None, str, int, str | None]], index: int, word: str
) -> None:
    """Raise `QueryForbidden` for the SERVICE at ``tokens[index]``, naming its endpoint."""
    target = word
    for group, value, _, _ in tokens[index + 1 : index + 3]:
        if group == "word" and value.upper() == "SILENT":
            continue
        if group in ("iri", "pname", "var"):
            target = value
        break
    raise QueryForbidden(
        f"SERVICE {target} is not allowed: ipgraph never calls other endpoints; "
        "query each service yourself"
    )


# -- validating with Oxigraph's parser -------------------------------------------------------

_OX_POSITION = re.compile(r"error at (\d+):(\d+): ?")
_ASK_STAND_IN = "SELECT (1 AS ?{}) "


def _ox_validate(scan: _Scan, init_ns: Mapping[str, str]) -> bool:
    """Parse the query with Oxigraph's parser (an empty in-memory store: nothing to evaluate,
    and SELECT / CONSTRUCT / DESCRIBE results are lazy, so nothing runs). ASK evaluates at
    once, so an ASK is validated as the equivalent ``SELECT (1 AS ?v)``.

    Returns False when pyoxigraph is not installed (the caller then uses rdflib).

    Raises:
        QuerySyntaxError: the query does not parse; the message and position are rdflib's
            when rdflib rejects it too (so every backend reports alike), else Oxigraph's.
    """
    empty = _empty_ox_store()
    if empty is None:
        return False
    text, shift_at, shift = scan.text, -1, 0
    if scan.kind == "ASK":
        name = "ipgraph_ask"
        while name in scan.variables:
            name += "_"
        stand_in = _ASK_STAND_IN.format(name)
        text = text[: scan.form_at] + stand_in + text[scan.form_at + 3 :]
        shift_at, shift = scan.form_at, len(stand_in) - 3
    try:
        empty.query(text, prefixes=dict(init_ns), use_default_graph_as_union=True)
    except SyntaxError as exc:
        message = str(exc.msg if exc.msg else exc)
        _check_with_rdflib(scan.text, init_ns)  # raises rdflib's error if it fails too
        raise _ox_syntax_error(message, scan.text, shift_at, shift) from None
    return True


def _ox_syntax_error(
    message: str, text: str, shift_at: int = -1, shift: int = 0
) -> QuerySyntaxError:
    """A `QuerySyntaxError` from Oxigraph's message (``error at LINE:COLUMN: expected ...``).

    >>> _ox_syntax_error("error at 2:5: expected one of IRI parsing failed, OPTIONAL", "x").line
    2
    """
    match = _OX_POSITION.match(message)
    reason = message[match.end() :] if match else message
    reason = reason.splitlines()[0].strip() if reason.strip() else "invalid query"
    if len(reason) > 160:
        reason = reason[:157] + "..."
    if match is None:
        return QuerySyntaxError(reason)
    line, column = int(match.group(1)), int(match.group(2))
    if shift and shift_at >= 0:
        line_start = text.rfind("\n", 0, shift_at) + 1
        if text.count("\n", 0, shift_at) + 1 == line and column > shift_at - line_start + 1:
            column = max(shift_at - line_start + 1, column - shift)
    return QuerySyntaxError(reason, line, column)


_EMPTY_OX: list[Any] = []


def _empty_ox_store() -> Any:
    if not _EMPTY_OX:
        try:
            import pyoxigraph
        except ImportError:  # pragma: no cover - installed with the oxigraph extra
            _EMPTY_OX.append(None)
        else:
            _EMPTY_OX.append(pyoxigraph.Store())
    return _EMPTY_OX[0]


def _parse_reason(exc: ParseBaseException) -> str:
    reason = str(exc.msg)
    found = exc.line[exc.col - 1 : exc.col + 19].strip() if exc.line else ""
    if reason.startswith("Expected {SelectQuery"):
        reason = "expected SELECT, ASK, CONSTRUCT or DESCRIBE (after any PREFIX/BASE)"
    elif re.fullmatch(r"Expected (Select|Ask|Construct|Describe)Query", reason):
        return f"unexpected {found!r}" if found else "the query ends too early"
    return f"{reason}, found {found!r}" if found else f"{reason}, found end of text"


def _refuse_update(text: str) -> None:
    """Raise `QueryForbidden` when the text is a well-formed SPARQL Update."""
    try:
        update = parseUpdate(text)
    except Exception:
        return
    names = [_UPDATE_NAMES.get(op.name, op.name) for op in update.request]
    if not names:
        return
    raise QueryForbidden(
        f"SPARQL Update ({', '.join(dict.fromkeys(names))}) is not allowed: "
        "ipgraph answers queries only"
    )


def _translation_error(text: str, exc: Exception) -> QuerySyntaxError:
    reason = str(exc) or type(exc).__name__
    match = re.match(r"Unknown namespace prefix : (\S*)", reason)
    if match:
        prefix = match.group(1)
        known = ", ".join(sorted(PREFIXES))
        reason = f"unknown prefix {prefix}: (declare it with PREFIX, or use one of {known})"
        where = re.search(rf"(?<![\w:]){re.escape(prefix)}:", text)
        if where:
            line = text.count("\n", 0, where.start()) + 1
            column = where.start() - (text.rfind("\n", 0, where.start()) + 1) + 1
            return QuerySyntaxError(reason, line, column)
    return QuerySyntaxError(reason)


def _walk(node: Any) -> Iterator[CompValue]:
    """Every `CompValue` in a parsed query or algebra tree, depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(v for k, v in item.items() if not k.startswith("_"))
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _refuse_service(algebra: CompValue) -> None:
    for part in _walk(algebra):
        if part.name == "ServiceGraphPattern":
            raise QueryForbidden(
                f"SERVICE <{part.get('term')}> is not allowed: ipgraph never calls other "
                "endpoints; query each service yourself"
            )


def _dataset_clause(algebra: CompValue) -> tuple[tuple[URIRef, ...], tuple[URIRef, ...]]:
    default: list[URIRef] = []
    named: list[URIRef] = []
    for clause in algebra.get("datasetClause") or ():
        if "default" in clause:
            default.append(URIRef(clause["default"]))
        elif "named" in clause:
            named.append(URIRef(clause["named"]))
    return tuple(default), tuple(named)


def _variables(algebra: CompValue) -> set[Variable]:
    found: set[Variable] = set()
    for part in _walk(algebra):
        found.update(v for v in part.get("_vars") or () if isinstance(v, Variable))
        for value in part.values():
            if isinstance(value, Variable):
                found.add(value)
    found.update(v for v in algebra.get("PV") or () if isinstance(v, Variable))
    return found


def _check_graphs(iris: Iterable[URIRef], known: Iterable[URIRef], clause: str) -> None:
    have = set(known)
    for iri in iris:
        if iri not in have:
            # rdflib's internal default-graph IRI is not a graph a user can name
            named = sorted(g for g in have if not str(g).startswith("urn:x-rdflib:"))
            listed = ", ".join(f"<{g}>" for g in named) or "none"
            raise QueryForbidden(
                f"{clause} <{iri}>: no such graph in the store, and ipgraph never fetches "
                f"graphs from URLs or files; the store holds: {listed}"
            )


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


def query_prefixes(graph: Graph) -> dict[str, str]:
    """The prefixes a query on ``graph`` may use undeclared: those bound in the graph (from
    the loaded files, e.g. ``agency:``), overridden by the project's own (``ipgraph.vocab``).

    The CURIEs the ``ipgraph query`` table prints can therefore be pasted into a query.

    >>> query_prefixes(Graph())["ipg"]
    'https://w3id.org/ipgraph/ontology#'
    """
    backend = getattr(graph, "backend", None)
    if _is_native(graph) and backend is not None:  # the prefixes its engine binds (cached)
        return {prefix: ns for prefix, ns in backend.prefixes().items() if prefix}
    found = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    found.update((prefix, str(ns)) for prefix, ns in PREFIXES.items())
    return found


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
        if term.datatype is not None and term.datatype != XSD.string:
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
    native = _is_native(graph)
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
                _check_graphs(default, known, "default-graph-uri")
                _check_graphs(named, known, "named-graph-uri")
            else:
                _check_graphs(parsed.from_graphs, known, "FROM")
                _check_graphs(parsed.from_named_graphs, known, "FROM NAMED")
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


# -- named queries -------------------------------------------------------------------------

PARAM_KINDS = ("entity", "iri", "string", "integer", "year", "any")


@dataclass(frozen=True)
class QueryParam:
    """A parameter of a named query: a variable the caller binds.

    Attributes:
        name: the variable (without ``?``).
        kind: how a string value is read: ``entity`` (IRI, CURIE, label or acronym, resolved
            by ``kg.resolve``), ``iri``, ``string``, ``integer``, ``year`` (xsd:gYear) or
            ``any`` (the `to_term` rules).
        description: what it means.
        optional: the query also runs without it.
    """

    name: str
    kind: str = "any"
    description: str = ""
    optional: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": self.description,
            "optional": self.optional,
        }


@dataclass(frozen=True)
class NamedQuery:
    """A competency question shipped with ipgraph as a ``.rq`` file.

    Attributes:
        name: the file stem (``joint-documents``), used by ``--name`` and ``kg.query_named``.
        title: one line: the question it answers.
        description: what it returns and how to read it.
        text: the SPARQL.
        params: the variables a caller binds (``# param:`` header lines).
    """

    name: str
    title: str
    description: str
    text: str
    params: tuple[QueryParam, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [p.to_dict() for p in self.params],
            "text": self.text,
        }

    def term(
        self,
        param: str,
        value: Any,
        resolve: Callable[[str], URIRef],
        prefixes: Mapping[str, str] | None = None,
    ) -> Identifier:
        """The RDF term for ``value`` given as parameter ``param`` (see `QueryParam.kind`)."""
        spec = next((p for p in self.params if p.name == param), None)
        kind = spec.kind if spec is not None else "any"
        if isinstance(value, Identifier) or not isinstance(value, str):
            return to_term(value, prefixes)
        if kind == "entity":
            return resolve(value)
        if kind == "iri":
            term = to_term(value, prefixes)
            if not isinstance(term, URIRef):
                raise UsageError(f"parameter {param!r} wants an IRI or CURIE, not {value!r}")
            return term
        if kind == "string":
            return RDFLiteral(value)
        if kind in ("integer", "year"):
            if not re.fullmatch(r"-?\d+", value.strip()):
                raise UsageError(f"parameter {param!r} wants a whole number, not {value!r}")
            datatype = XSD.integer if kind == "integer" else XSD.gYear
            return RDFLiteral(value.strip(), datatype=datatype)
        return to_term(value, prefixes)


_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(
    r"^\??(?P<name>[A-Za-z_][\w]*)\s*(?:\((?P<kind>[^)]*)\))?\s*(?:[—–:-]+\s*(?P<text>.*))?$"
)


def parse_named_query(name: str, text: str) -> NamedQuery:
    """Read a ``.rq`` file's header comments into a `NamedQuery`.

    The header is the leading run of ``#`` lines: ``# title: ...``, ``# description: ...``
    (continued on following ``#`` lines) and any number of
    ``# param: NAME (KIND[, optional]) — meaning``.

    Raises:
        UsageError: no title, a malformed param line, an unknown param kind, or a param that
            is not a variable of the query.

    >>> q = parse_named_query("x", "# title: Agencies\\n# param: a (entity) — one\\nASK {?a ?b ?c}")
    >>> q.title, q.params[0].kind
    ('Agencies', 'entity')
    """
    fields: dict[str, str] = {}
    params: list[QueryParam] = []
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if match:
            key, value = match.group(1), match.group(2).strip()
            if key == "param":
                params.append(_parse_param(name, value))
                last = None
            else:
                fields[key] = value
                last = key
        elif last is not None:
            fields[last] = f"{fields[last]} {stripped.lstrip('#').strip()}".strip()
    if not fields.get("title"):
        raise UsageError(f"named query {name!r} has no '# title:' header line")
    parsed = check_query(text)
    for param in params:
        if param.name not in parsed.variables:
            raise UsageError(f"named query {name!r}: param ?{param.name} is not in the query")
    return NamedQuery(name, fields["title"], fields.get("description", ""), text, tuple(params))


def _parse_param(query: str, spec: str) -> QueryParam:
    match = _PARAM.match(spec)
    if not match:
        raise UsageError(f"named query {query!r}: cannot read '# param: {spec}'")
    options = [o.strip() for o in (match.group("kind") or "any").split(",") if o.strip()]
    optional = "optional" in options
    kinds = [o for o in options if o != "optional"] or ["any"]
    if len(kinds) != 1 or kinds[0] not in PARAM_KINDS:
        raise UsageError(
            f"named query {query!r}: param kind {', '.join(kinds)!r}; use one of "
            + ", ".join(PARAM_KINDS)
        )
    return QueryParam(match.group("name"), kinds[0], (match.group("text") or "").strip(), optional)


_NAMED_CACHE: dict[str, NamedQuery] = {}
_NAMED_LOCK = threading.Lock()


def named_queries() -> dict[str, NamedQuery]:
    """The named queries shipped in ``ipgraph/queries/*.rq``, by name (sorted).

    >>> queries = named_queries()
    >>> len(queries) >= 25
    True
    >>> all(q.title for q in queries.values())
    True
    """
    with _NAMED_LOCK:
        if not _NAMED_CACHE:
            folder = resources.files("ipgraph") / "queries"
            found = {}
            for entry in folder.iterdir():
                if entry.name.endswith(".rq"):
                    name = entry.name[: -len(".rq")]
                    found[name] = parse_named_query(name, entry.read_text(encoding="utf-8"))
            _NAMED_CACHE.update(sorted(found.items()))
        return dict(_NAMED_CACHE)


def named_query(name: str) -> NamedQuery:
    """One named query by name.

    Raises:
        UsageError: no such query (the message suggests close names).

    >>> named_query("counts-per-class").name
    'counts-per-class'
    """
    queries = named_queries()
    try:
        return queries[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise UsageError(
            f"no named query {name!r}{hint} (`ipgraph query --list` shows them all)"
        ) from None


def named_bindings(
    query: NamedQuery,
    values: Mapping[str, Any],
    resolve: Callable[[str], URIRef],
    prefixes: Mapping[str, str] | None = None,
) -> dict[str, Identifier]:
    """Bindings for a named query: each value read by its parameter's kind.

    Args:
        query: the named query.
        values: parameter name -> value (string, number or rdflib term).
        resolve: turns an entity reference (label, acronym, CURIE) into its IRI.
        prefixes: the prefixes CURIE values may use (default: the project's).

    Raises:
        UsageError: an undeclared parameter, or a required one missing.
    """
    declared = {p.name: p for p in query.params}
    result: dict[str, Identifier] = {}
    for name, value in values.items():
        var = name.lstrip("?$")
        if var not in declared:
            known = ", ".join(declared) or "none"
            raise UsageError(
                f"named query {query.name!r} has no parameter {var!r} (it has: {known})"
            )
        result[var] = query.term(var, value, resolve, prefixes)
    missing = [p.name for p in query.params if not p.optional and p.name not in result]
    if missing:
        example = " ".join(f"--param {m}=..." for m in missing)
        raise UsageError(f"named query {query.name!r} needs {', '.join(missing)} ({example})")
    return result
