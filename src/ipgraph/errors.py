"""One exception root for ipgraph, each subclass carrying its CLI exit code and HTTP status.

Exit codes follow the README: 0 ok, 1 the data does not conform or there is no result,
2 a usage or input error.

>>> from ipgraph.errors import EntityNotFound
>>> err = EntityNotFound("Ministry of Magic", candidates=["Ministry of Finance"])
>>> err.exit_code, err.http_status
(2, 404)
>>> print(err)
no entity matches 'Ministry of Magic'; did you mean: Ministry of Finance?
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class IpgraphError(Exception):
    """Base of every error ipgraph raises on purpose.

    Attributes:
        exit_code: what the ``ipgraph`` command exits with.
        http_status: what the HTTP endpoint answers with.
    """

    exit_code: int = 2
    http_status: int = 400

    def to_dict(self) -> dict[str, Any]:
        """The error as a JSON-ready body (used by the HTTP endpoint and ``--format json``)."""
        return {"error": type(self).__name__, "message": str(self)}


class UsageError(IpgraphError):
    """The call itself is wrong: an unknown option value, a missing argument."""


class MissingExtra(IpgraphError):
    """An optional dependency is not installed; the message gives the install command."""

    exit_code = 2
    http_status = 501

    def __init__(self, module: str, extra: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(
            f"this feature needs the '{module}' package: pip install 'ipgraph[{extra}]'"
        )


class DataError(IpgraphError):
    """Input data cannot be read: names the file, the line and the reason.

    Loading is atomic, so when this is raised the graph is as it was before the call.
    """

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "source": self.source, "line": self.line}


class EntityError(IpgraphError):
    """An entity reference that does not resolve to exactly one entity."""

    http_status = 404

    def __init__(self, ref: str, candidates: Sequence[str] = ()) -> None:
        self.ref = ref
        self.candidates = list(candidates)
        super().__init__(self._message())

    def _message(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "ref": self.ref, "candidates": self.candidates}


class EntityNotFound(EntityError):
    """No entity matches the reference; ``candidates`` holds the nearest labels."""

    def _message(self) -> str:
        msg = f"no entity matches {self.ref!r}"
        if self.candidates:
            msg += "; did you mean: " + ", ".join(self.candidates) + "?"
        else:
            msg += "; try `ipgraph find` with part of its name"
        return msg


class AmbiguousEntity(EntityError):
    """The reference matches several entities equally well; ``candidates`` lists them."""

    http_status = 409

    def _message(self) -> str:
        return (
            f"{self.ref!r} is ambiguous; it may mean: "
            + "; ".join(self.candidates)
            + " (give the IRI or a fuller name)"
        )


class NoPath(IpgraphError):
    """Two entities are not connected (under the given constraints)."""

    exit_code = 1
    http_status = 404


class NoResult(IpgraphError):
    """A lookup found nothing (``ipgraph find`` with no match)."""

    exit_code = 1
    http_status = 404


class QueryError(IpgraphError):
    """A SPARQL query cannot be run."""


class QuerySyntaxError(QueryError):
    """A SPARQL query does not parse; names the line and column where it broke."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        where = f" at line {line}, column {column}" if line is not None else ""
        super().__init__(f"SPARQL syntax error{where}: {reason}")

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "line": self.line, "column": self.column}


class QueryForbidden(QueryError):
    """The query asks for something the read-only, offline service will not do."""

    http_status = 403


class QueryTimeout(QueryError):
    """The query ran past its time limit."""

    exit_code = 1
    http_status = 503


class ResultTooLarge(QueryError):
    """The query needed more memory than its cap (or its result more rows than allowed)."""

    exit_code = 1
    http_status = 413


class QueryCrashed(QueryError):
    """The query engine crashed or was killed while running the query; only the worker process
    that ran it was lost (it is replaced), and other queries are unaffected."""

    exit_code = 1
    http_status = 500


class StoreError(IpgraphError):
    """A store backend cannot be opened or used."""

    http_status = 500


class StoreBusy(StoreError):
    """Another process is writing to the store; run again when it has finished."""

    http_status = 503


# -- warnings: worth knowing, never a reason to stop ------------------------------------------


class IpgraphWarning(UserWarning):
    """Base of the warnings ipgraph gives (`warnings.warn`); the CLI prints each as one line
    on stderr."""


class DataWarning(IpgraphWarning):
    """A file loaded as it is, but something in it looks wrong (an ill-typed literal such as
    ``"abc"^^xsd:integer``); the message names the file and line."""


class StoreWarning(IpgraphWarning):
    """The store answers, but not with everything one may expect (a read-only server that
    does not hold the bundled graph, a store another process is writing)."""


# -- the HTTP endpoint (ipgraph.web) ----------------------------------------------------------


class ProtocolError(UsageError):
    """A request the SPARQL 1.1 Protocol does not allow (400 unless a subclass says)."""

    exit_code = 2
    http_status = 400


class MethodNotAllowed(ProtocolError):
    """The route answers other methods only (``/sparql``: GET and POST)."""

    http_status = 405


class NotAcceptable(ProtocolError):
    """No format the client accepts (``Accept`` or ``?format=``) can carry this result."""

    http_status = 406


class RequestTimeout(ProtocolError):
    """The request's headers or body arrived too slowly; send the whole request at once."""

    http_status = 408


class RequestTooLarge(ProtocolError):
    """The request body is larger than the server accepts (``--max-request-bytes``)."""

    http_status = 413


class UriTooLong(ProtocolError):
    """The query string is longer than the server accepts; POST the query instead."""

    http_status = 414


class UnsupportedMediaType(ProtocolError):
    """A POST body of a media type other than form-encoded or ``application/sparql-query``."""

    http_status = 415


class NotFound(ProtocolError):
    """No such route or file on the HTTP endpoint."""

    http_status = 404


class QueryFailed(IpgraphError):
    """The query engine failed on this query (the server keeps serving)."""

    exit_code = 2
    http_status = 500


class ServerBusy(IpgraphError):
    """The server has as many requests or connections as it takes; retry in a moment."""

    exit_code = 1
    http_status = 503


__all__ = [
    "AmbiguousEntity",
    "DataError",
    "DataWarning",
    "EntityError",
    "EntityNotFound",
    "IpgraphError",
    "IpgraphWarning",
    "MethodNotAllowed",
    "MissingExtra",
    "NoPath",
    "NoResult",
    "NotAcceptable",
    "NotFound",
    "ProtocolError",
    "QueryCrashed",
    "QueryError",
    "QueryFailed",
    "QueryForbidden",
    "QuerySyntaxError",
    "QueryTimeout",
    "RequestTimeout",
    "RequestTooLarge",
    "ResultTooLarge",
    "ServerBusy",
    "StoreBusy",
    "StoreError",
    "StoreWarning",
    "UnsupportedMediaType",
    "UriTooLong",
    "UsageError",
]
