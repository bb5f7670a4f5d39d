"""Run a checked SPARQL query on a store, with a time limit and a row cap.

Every interface (``kg.query``, ``ipgraph query``, the HTTP endpoint) goes through `run_query`:
the store checks the text once (`Store.check`: SPARQL Update, ``SERVICE`` and unknown ``FROM``
graphs refused), bindings and graphs are checked against the query and the store, and the
store's own engine evaluates it (`Store.execute`).

>>> from rdflib import Graph, Literal
>>> from ipgraph.store import MemoryStore
>>> from ipgraph.vocab import ID, IPG
>>> g = Graph()
>>> _ = g.add((ID["agency/cnipa"], IPG.issuedBy, Literal("x")))
>>> result = run_query(MemoryStore(g), "SELECT ?s WHERE { ?s ipg:issuedBy ?o }")
>>> result.kind, result.vars, result.to_dicts()
('SELECT', ['s'], [{'s': 'https://w3id.org/ipgraph/id/agency/cnipa'}])
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from rdflib import URIRef
from rdflib.term import Identifier

from ipgraph.errors import IpgraphError, QueryFailed, QueryTimeout, UsageError
from ipgraph.sparql.check import ParsedQuery, check_graphs
from ipgraph.sparql.limits import DEFAULT_TIMEOUT, check_timeout
from ipgraph.sparql.result import QueryResult
from ipgraph.terms import to_term

if TYPE_CHECKING:
    from ipgraph.sparql.pool import QueryPool
    from ipgraph.store.base import Store

__all__ = ["evaluate", "run_query"]

T = TypeVar("T")


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


def run_query(
    store: Store,
    text: str | ParsedQuery,
    *,
    bindings: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    max_rows: int | None = None,
    default_graphs: Iterable[URIRef | str] | None = None,
    named_graphs: Iterable[URIRef | str] | None = None,
    pool: QueryPool[Store] | None = None,
) -> QueryResult:
    """Run a SPARQL query on a store, in the store's own engine.

    Args:
        store: the data (``kg.store``; `MemoryStore` wraps any rdflib graph).
        text: the query, or a query already checked by ``store.check``.
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
        pool: worker processes holding the store (`QueryPool`): the query then runs in one,
            where the time limit (default `DEFAULT_TIMEOUT`) and a memory cap hold even for
            evaluation in C, and a crash ends only that worker.

    Returns:
        The `QueryResult`.

    Raises:
        QuerySyntaxError: the query does not parse.
        QueryForbidden: update, SERVICE, or a FROM (or protocol) graph the store does not hold.
        QueryTimeout: the query ran longer than ``timeout``.
        ResultTooLarge: in a pool, the query needed more memory than the cap.
        UsageError: a binding names no variable of the query, or a bad limit.
        QueryFailed: the query engine itself failed on the query.

    >>> from ipgraph.store import MemoryStore
    >>> run_query(MemoryStore(), "ASK { ?s ?p ?o }").boolean
    False
    """
    check_timeout(timeout)
    if max_rows is not None and max_rows < 0:
        raise UsageError(f"the row limit must be zero or more, not {max_rows}")
    graphs = (
        [URIRef(str(g)) for g in default_graphs or ()],
        [URIRef(str(g)) for g in named_graphs or ()],
    )
    try:
        if pool is not None:  # parsed in the worker too, under the same time limit
            source = text.text if isinstance(text, ParsedQuery) else text
            limit = timeout if timeout is not None else DEFAULT_TIMEOUT
            return pool.run(evaluate, source, dict(bindings or {}), graphs, max_rows, timeout=limit)
        return _with_time_limit(lambda: evaluate(store, text, bindings, graphs, max_rows), timeout)
    except IpgraphError:
        raise
    except Exception as exc:  # a fault of the query engine on this query, not of the caller
        raise QueryFailed(
            f"the query engine failed on this query ({type(exc).__name__}: {exc}); "
            "try a simpler form of it"
        ) from exc


def evaluate(
    store: Store,
    text: str | ParsedQuery,
    bindings: Mapping[str, Any] | None,
    graphs: tuple[list[URIRef], list[URIRef]],
    max_rows: int | None,
) -> QueryResult:
    """Check, bind and run a query on a store: what `run_query` does within its time limit,
    and the unit of work a worker process runs (module-level and picklable, see
    `ipgraph.sparql.pool`), so that even parsing a hostile text is bounded.

    >>> from ipgraph.store import MemoryStore
    >>> evaluate(MemoryStore(), "ASK { ?s ?p ?o }", {}, ([], []), None).boolean
    False
    """
    parsed = text if isinstance(text, ParsedQuery) else store.check(text)
    init = _bindings(parsed, bindings, store.prefixes())
    default, named = graphs
    if default or named or parsed.from_graphs or parsed.from_named_graphs:
        known = store.graph_names()
        if default or named:
            check_graphs(default, known, "default-graph-uri")
            check_graphs(named, known, "named-graph-uri")
        else:
            check_graphs(parsed.from_graphs, known, "FROM")
            check_graphs(parsed.from_named_graphs, known, "FROM NAMED")
    return store.execute(parsed, init, (default, named), max_rows)


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
