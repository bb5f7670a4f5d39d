"""ipgraph: a knowledge graph of China's intellectual-property policy.

>>> import ipgraph
>>> kg = ipgraph.load()
>>> kg.entity("MOE").label
'Ministry of Education'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

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

try:
    __version__ = version("ipgraph")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0+unknown"

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
