"""Checking SPARQL before it runs: parse once, refuse what a read-only, offline service must not do.

`check_query` parses a query with the project's prefixes pre-bound and refuses SPARQL Update
(``INSERT``, ``LOAD``, ...), ``SERVICE`` calls, and ``FROM`` / ``FROM NAMED`` clauses that name
a graph the store does not hold (rdflib would try to download it). A token scan that skips
strings, IRIs and comments refuses the keywords wherever they hide (so a string literal that
happens to contain the word ``SERVICE`` is fine); rdflib's algebra is checked too, or, for
native engines (Oxigraph, a remote server), Oxigraph's fast parser validates the query and
rdflib is not involved. Syntax errors carry the line and column, whichever parser found them.
Checked queries are cached by text and prefixes (`CHECKED`), so each is parsed once.

`ipgraph.sparql.run` runs what this module checked (and re-exports its public names).

Importing this module also switches off rdflib's ``SPARQL_LOAD_GRAPHS`` (at once if rdflib's
SPARQL engine is loaded, else the moment anything imports it), so that even a query that
reaches rdflib without `check_query` cannot make it fetch a URL or read a file. The engine and
its pyparsing grammar load on the first query, not with ipgraph: commands that run no SPARQL
(``ipgraph find``) start without them.

>>> parsed = check_query("SELECT ?s WHERE { ?s ipg:issuedBy ?o }")
>>> parsed.kind, parsed.vars, sorted(parsed.variables)
('SELECT', ('s',), ['o', 's'])
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import re
import sys
import threading
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MethodType, ModuleType
from typing import TYPE_CHECKING, Any

from rdflib import URIRef, Variable
from rdflib.term import Node

from ipgraph.errors import QueryForbidden, QuerySyntaxError
from ipgraph.sparql.limits import check_limits
from ipgraph.sparql.scan import (
    PARSER_LOCK,
    QueryKind,
    Scan,
    refuse_update,
    scan_query,
    service_forbidden,
)
from ipgraph.vocab import PREFIXES

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec

    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query

_ENGINE = "rdflib.plugins.sparql"


class _LoadGraphsOff(importlib.abc.MetaPathFinder):
    """Switches rdflib's ``SPARQL_LOAD_GRAPHS`` off as the SPARQL engine's package is imported,
    before any query can run, whoever imports it first (ipgraph, pyshacl, a user)."""

    def __init__(self) -> None:
        self.done = False

    def find_spec(
        self, name: str, path: Any = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name != _ENGINE or self.done:
            return None
        self.done = True  # stays in sys.meta_path: removing it could upset a concurrent import
        spec = importlib.util.find_spec(name)  # the real one (this finder now steps aside)
        if spec is not None and spec.loader is not None:
            run = spec.loader.exec_module

            def exec_module(module: ModuleType) -> None:
                run(module)
                module.SPARQL_LOAD_GRAPHS = False  # type: ignore[attr-defined]

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _never_load_graphs() -> None:
    """Never let a FROM / FROM NAMED clause make rdflib download or read a graph."""
    engine = sys.modules.get(_ENGINE)
    if engine is not None:
        engine.SPARQL_LOAD_GRAPHS = False  # type: ignore[attr-defined]
    elif not any(isinstance(finder, _LoadGraphsOff) for finder in sys.meta_path):
        sys.meta_path.insert(0, _LoadGraphsOff())


_never_load_graphs()

__all__ = [
    "CHECKED",
    "ParsedQuery",
    "check_query",
]

_KINDS: dict[str, QueryKind] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


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

    def checkout(self) -> Query:
        """A copy of the rdflib query that no other run holds (give it back with `checkin`)."""
        return self._rdflib.checkout(self)

    def checkin(self, query: Query) -> None:
        """Return a copy taken with `checkout` after a run that finished normally (a copy
        whose run failed or timed out is dropped: its worker may still hold it)."""
        self._rdflib.checkin(query)


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
        self.lock = threading.Lock()

    def get(self, key: _CacheKey) -> ParsedQuery | None:
        with self.lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
            return hit

    def put(self, key: _CacheKey, parsed: ParsedQuery) -> ParsedQuery:
        with self.lock:
            kept = self._entries.setdefault(key, parsed)  # a racing thread's entry wins
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
            return kept

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self.lock:
            self._entries.clear()


CHECKED = _CheckedQueries()


def _free_locks_in_child() -> None:
    """A forked worker (`ipgraph.sparql.pool`) inherits these locks as they were at the fork;
    one held by another thread of the parent would never be released in the child."""
    for lock in (PARSER_LOCK, CHECKED.lock):
        if lock.locked():
            lock.release()


# Oxigraph's parser lives in an empty in-memory store (`_empty_ox_store`); creating one in a
# forked worker hangs, so it is made in the parent before any fork, once.
os.register_at_fork(before=lambda: _empty_ox_store(), after_in_child=_free_locks_in_child)
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
        QueryForbidden: an update (``INSERT``, ``LOAD``, ...), a ``SERVICE`` call, a
            ``FROM`` / ``FROM NAMED`` graph outside ``known_graphs``, or a text over the
            structural limits of `ipgraph.sparql.limits` (length, nesting, path steps).

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
        check_limits(text)  # size and nesting, before any recursive parser sees the text
        scan = scan_query(text)
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
        check_graphs([*parsed.from_graphs, *parsed.from_named_graphs], known_graphs, "FROM")
    return parsed


def _prepare(text: str, init_ns: Mapping[str, str]) -> Query:
    """rdflib's parse and translation, with its errors as `QuerySyntaxError`."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.processor import prepareQuery

    try:
        with PARSER_LOCK:
            query = prepareQuery(text, initNs=dict(init_ns))
        _complete_construct_where(query.algebra)
        return query
    except ParseBaseException as exc:
        refuse_update(text)
        raise QuerySyntaxError(_parse_reason(exc), exc.lineno, exc.col) from None
    except RecursionError:
        raise QuerySyntaxError("the query is nested too deeply") from None
    except Exception as exc:  # rdflib's translation step raises bare Exceptions
        raise _translation_error(text, exc) from None


def _complete_construct_where(algebra: CompValue) -> None:
    """Give ``CONSTRUCT WHERE { ... }`` its template: rdflib takes it from the pattern only
    when no modifier (LIMIT, ORDER BY, DISTINCT) wraps the pattern, and fails otherwise."""
    if algebra.name != "ConstructQuery" or algebra.get("template"):
        return
    for part in _walk(algebra.p):
        if part.name == "BGP":
            algebra["template"] = part.triples
            return


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
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query

    return Query(query.prologue, _copy_node(query.algebra, {}, CompValue))


def _copy_node(node: Any, memo: dict[int, Any], comp: type[CompValue]) -> Any:
    """Copy the mutable parts of an rdflib algebra tree (CompValue / Expr nodes, ``comp``, and
    the containers holding them), keeping shared nodes shared; terms are immutable and kept."""
    if isinstance(node, comp):
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
                value = _copy_node(value, memo, comp)
            object.__setattr__(copy, name, value)
        for k, v in OrderedDict.items(node):
            OrderedDict.__setitem__(copy, k, _copy_node(v, memo, comp))
        return copy
    if isinstance(node, list):
        return [_copy_node(v, memo, comp) for v in node]
    if isinstance(node, tuple) and not isinstance(node, Node):
        return tuple(_copy_node(v, memo, comp) for v in node)
    if isinstance(node, dict):
        return {k: _copy_node(v, memo, comp) for k, v in node.items()}
    if isinstance(node, set):
        return {_copy_node(v, memo, comp) for v in node}
    return node


# -- validating with Oxigraph's parser -------------------------------------------------------

_OX_POSITION = re.compile(r"error at (\d+):(\d+): ?")
_ASK_STAND_IN = "SELECT (1 AS ?{}) "


def _ox_validate(scan: Scan, init_ns: Mapping[str, str]) -> bool:
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
        raise ox_syntax_error(message, scan.text, shift_at, shift) from None
    return True


def ox_syntax_error(
    message: str, text: str, shift_at: int = -1, shift: int = 0
) -> QuerySyntaxError:
    """A `QuerySyntaxError` from Oxigraph's message (``error at LINE:COLUMN: expected ...``).

    >>> ox_syntax_error("error at 2:5: expected one of IRI parsing failed, OPTIONAL", "x").line
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
    from rdflib.plugins.sparql.parserutils import CompValue

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
            raise service_forbidden(f"<{part.get('term')}>")


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


def check_graphs(iris: Iterable[URIRef], known: Iterable[URIRef], clause: str) -> None:
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
