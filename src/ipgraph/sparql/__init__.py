"""SPARQL over the knowledge graph: check, run, results, named queries.

- `ipgraph.sparql.scan`: the token-level scan (SERVICE and update refused before parsing);
- `ipgraph.sparql.check`: parse once (cached), refuse what is unsafe: `check_query`;
- `ipgraph.sparql.result`: `QueryResult` and its standard formats;
- `ipgraph.sparql.run`: `run_query` on a store, with limits;
- `ipgraph.sparql.named`: the named competency queries (``queries/*.rq``).

``scan``, ``check`` and ``result`` sit below the stores (a store checks and answers queries);
``run`` sits on a store. This package re-exports the public names.
"""

from ipgraph.sparql.check import CHECKED, ParsedQuery, check_query
from ipgraph.sparql.named import (
    NamedQuery,
    QueryParam,
    named_bindings,
    named_queries,
    named_query,
    parse_named_query,
)
from ipgraph.sparql.result import QueryResult
from ipgraph.sparql.run import run_query
from ipgraph.sparql.scan import QueryKind

__all__ = [
    "CHECKED",
    "NamedQuery",
    "ParsedQuery",
    "QueryKind",
    "QueryParam",
    "QueryResult",
    "check_query",
    "named_bindings",
    "named_queries",
    "named_query",
    "parse_named_query",
    "run_query",
]
