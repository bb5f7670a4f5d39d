"""ipgraph: a knowledge graph of China's intellectual-property policy.

>>> import ipgraph
>>> kg = ipgraph.load()
>>> kg.entity("MOE").label
'Ministry of Education'
"""

from __future__ import annotations

from typing import Any

from ipgraph.errors import (
    AmbiguousEntity,
    DataError,
    EntityNotFound,
    IpgraphError,
    NoPath,
    QueryForbidden,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    UsageError,
)
from ipgraph.graph.results import Path
from ipgraph.kg import KnowledgeGraph, load
from ipgraph.sparql.result import QueryResult
from ipgraph.vocab import IPG

__all__ = [
    "IPG",
    "AmbiguousEntity",
    "DataError",
    "EntityNotFound",
    "IpgraphError",
    "KnowledgeGraph",
    "NoPath",
    "Path",
    "QueryForbidden",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeout",
    "ResultTooLarge",
    "UsageError",
    "__version__",
    "load",
]


def __getattr__(name: str) -> Any:
    """``ipgraph.__version__``, read on first use: not every start pays for it.

    >>> import ipgraph
    >>> ipgraph.__version__ == ipgraph.data.installed_version()
    True
    """
    if name == "__version__":
        from ipgraph.data import installed_version

        value = globals()["__version__"] = installed_version()
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
