"""The SPARQL 1.1 Protocol endpoint and the query page behind ``ipgraph serve``.

A thin HTTP layer over the facade: every query is checked by `KnowledgeGraph.check` and run by
`KnowledgeGraph.query`, with its checks, time limit and row cap. This module holds the routes
and their handlers; reading a protocol request and negotiating the format are in
`ipgraph.web.protocol`. Each `IpgraphError` becomes a JSON body
``{"error": ..., "message": ...}`` with the error's HTTP status.

Routes:

- ``/sparql``: the query operation of the SPARQL 1.1 Protocol. GET ``?query=``, POST
  ``application/x-www-form-urlencoded`` (``query=...``) and POST ``application/sparql-query``
  (the body is the query); ``default-graph-uri`` and ``named-graph-uri`` pick the data set from
  the store's named graphs (a graph the store does not hold is refused with 403, like
  ``FROM``: nothing is ever fetched). Results are negotiated
  from ``Accept`` with q-values, or chosen with ``?format=``: SPARQL results as JSON, XML, CSV
  or TSV; graphs as Turtle, N-Triples, JSON-LD or RDF/XML. A GET without a query returns the
  service description.
- ``/service-description``: the SPARQL 1.1 Service Description (Turtle by default).
- ``/health``: ``{"status": "ok", "triples": ..., "version": ...}``.
- ``/``, ``/static/{name}``, ``/bind``: the query page, its files and its binding of named
  queries' parameters (`ipgraph.web.page`). It loads nothing but this server's own files, under
  ``Content-Security-Policy: default-src 'self'``.
- ``/graphs/``: the graph views built by ``ipgraph render --all``, read-only, when they exist.
- ``/views/expand?node=IRI&limit=N``: a node's neighbours (at most N, default 100, at most
  500) and the links among them, as JSON in the views' own node and link format
  (`ipgraph.views.expand.expand`): what a served view fetches on double-click. Bounded by
  ``timeout`` like a query (503 after).

Safe by default. The service is read-only: updates are refused (403 by POST, 400 by GET).
``SERVICE``, ``LOAD`` and ``FROM``/``FROM NAMED`` are refused (403), so nothing is ever
fetched. A query runs at most ``timeout`` seconds (503 after that). A result keeps its first
``max_rows`` rows and says so with the header ``X-Ipgraph-Truncated: true`` (the rows sent are
correct, only incomplete; a client that needs all of them narrows the query or raises
``--max-rows``). A request body over ``max_request_bytes`` gets 413, a longer query string
414, a body slower than ``body_timeout`` 408; beyond ``max_concurrency`` requests at once the
answer is 503 (``/health`` is always answered). The connection-level limits (header deadline,
keep-alive, connection cap) are set by `serve` through `ipgraph.web.transport`.
Other statuses: 400 bad syntax or parameters, 405 a method other than GET/POST, 406 no
acceptable format, 415 a POST body of another media type.

>>> import asyncio, httpx, ipgraph
>>> async def ask(app, query):
...     transport = httpx.ASGITransport(app)
...     async with httpx.AsyncClient(transport=transport, base_url="http://ipgraph") as client:
...         return (await client.get("/sparql", params={"query": query})).json()
>>> app = create_app(ipgraph.load())
>>> asyncio.run(ask(app, "ASK { ?s a ipg:Agency }"))
{'head': {}, 'boolean': True}
>>> asyncio.run(ask(app, "DROP ALL"))["error"]
'QueryForbidden'
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ipgraph.errors import (
    IpgraphError,
    MethodNotAllowed,
    MissingExtra,
    NotFound,
    ProtocolError,
    QueryFailed,
    QueryTimeout,
    RequestTimeout,
    RequestTooLarge,
    ServerBusy,
    UsageError,
)
from ipgraph.sparql.pool import DEFAULT_MEMORY_MB

try:
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.datastructures import MutableHeaders
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles
    from starlette.types import ASGIApp, Message, Receive, Scope, Send
except ImportError as exc:  # pragma: no cover - exercised by a test that hides starlette
    raise MissingExtra(exc.name or "starlette", "server") from exc

from ipgraph.web.page import PAGES, QueryPage, html_page
from ipgraph.web.protocol import (
    RDFLIB_FORMATS,
    ProtocolRequest,
    choose_format,
    media_type,
    parse_params,
    read_request,
    service_description,
)

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph

__all__ = [
    "DEFAULT_BODY_TIMEOUT",
    "DEFAULT_MAX_CONCURRENCY",
    "DEFAULT_MAX_REQUEST_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "create_app",
    "listen",
    "serve",
]

log = logging.getLogger("ipgraph.web.app")

DEFAULT_TIMEOUT = 10.0
"""Seconds a query may run before the endpoint answers 503."""
DEFAULT_MAX_ROWS = 10_000
"""Rows (or triples) a result keeps; beyond them it is truncated and flagged."""
DEFAULT_MAX_REQUEST_BYTES = 100_000
"""The largest request body (413 beyond) and query string (414 beyond) accepted."""
DEFAULT_BODY_TIMEOUT = 5.0
"""Seconds a request body may take to arrive (408 beyond)."""
DEFAULT_MAX_CONCURRENCY = 32
"""Requests handled at once (``/health`` aside); one more is answered 503 at once."""

TRUNCATED_HEADER = "X-Ipgraph-Truncated"

_IRI = re.compile(r"^(https?|urn):[^\s<>\"{}|\\^`]+$")

# The rendered graph views inline their scripts: allow that, but still nothing from elsewhere.
GRAPHS_CSP = "default-src 'self' 'unsafe-inline' data: blob:; base-uri 'none'"


# -- the application ---------------------------------------------------------------------------


class _SecurityHeaders:
    """Adds ``X-Content-Type-Options`` and ``Referrer-Policy`` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                if scope["path"].startswith("/graphs"):
                    headers.setdefault("Content-Security-Policy", GRAPHS_CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _Admission:
    """At most ``limit`` requests in hand at once; one more gets 503 (JSON) without waiting.

    ``/health`` is never refused, so a monitor sees the server up while it sheds load.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.in_hand = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/health":
            await self.app(scope, receive, send)
            return
        if self.in_hand >= self.limit:
            busy = ServerBusy(
                f"the server is handling {self.limit} requests already; retry in a moment "
                "(the Retry-After header says when)"
            )
            await _error_response(busy, {"Retry-After": "1"})(scope, receive, send)
            return
        self.in_hand += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_hand -= 1


# A request whose body was not read to its end leaves the connection unusable: close it.
_CLOSES_CONNECTION = (RequestTimeout, RequestTooLarge)


def _error_response(error: IpgraphError, headers: Mapping[str, str] | None = None) -> Response:
    extra = dict(headers or {})
    if isinstance(error, _CLOSES_CONNECTION):
        extra["Connection"] = "close"
    return JSONResponse(error.to_dict(), status_code=error.http_status, headers=extra)


class _Endpoint:
    """The request handlers, sharing the graph and the limits."""

    def __init__(
        self,
        kg: KnowledgeGraph,
        *,
        timeout: float | None,
        max_rows: int | None,
        max_request_bytes: int,
        body_timeout: float | None,
        graphs_dir: Path | None,
    ) -> None:
        self.kg = kg
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_request_bytes = max_request_bytes
        self.body_timeout = body_timeout
        self.graphs_dir = graphs_dir

    # /sparql

    async def sparql(self, request: Request) -> Response:
        wanted = await read_request(request, self.max_request_bytes, self.body_timeout)
        if wanted.query is None:
            if request.method == "POST":
                raise ProtocolError("the request has no query; send query=... or a query body")
            return self.description(request, wanted.format)
        accept = request.headers.get("accept")
        body, media, truncated = await run_in_threadpool(self._run, wanted, accept)
        return Response(
            body,
            media_type=media,
            headers={TRUNCATED_HEADER: "true" if truncated else "false", "Vary": "Accept"},
        )

    def _run(self, wanted: ProtocolRequest, accept: str | None) -> tuple[bytes, str, bool]:
        """Check, run and serialise the query (in a worker thread)."""
        assert wanted.query is not None
        try:
            # The query's form comes from the token scan (update and SERVICE refused there);
            # parsing and evaluation happen where the time limit holds (a worker process
            # under `ipgraph serve`). The protocol's data set is checked like FROM: a graph
            # the store does not hold is refused, never fetched.
            kind = self.kg.query_kind(wanted.query)
            fmt = choose_format(kind, wanted.format, accept)  # 406 before running
            result = self.kg.query(
                wanted.query,
                timeout=self.timeout,
                max_rows=self.max_rows,
                default_graphs=wanted.default_graphs or None,
                named_graphs=wanted.named_graphs or None,
            )
            body = result.serialize(fmt)
        except IpgraphError:
            raise
        except Exception as exc:  # a failure inside the query engine: report, keep serving
            log.exception("query failed")
            raise QueryFailed(
                f"the query failed while running: {type(exc).__name__}: {exc}; "
                "the server keeps serving, try a simpler query"
            ) from None
        return body, f"{result.media_type(fmt)}; charset=utf-8", result.truncated

    # /service-description

    def description(self, request: Request, format_param: str | None = None) -> Response:
        """The SPARQL 1.1 Service Description of this endpoint."""
        fmt = choose_format("CONSTRUCT", format_param, request.headers.get("accept"))
        graph = service_description(self.kg, str(request.url_for("sparql")))
        body = graph.serialize(format=RDFLIB_FORMATS[fmt], encoding="utf-8")
        return Response(body, media_type=media_type(fmt, "CONSTRUCT"))

    async def service_description(self, request: Request) -> Response:
        formats = [
            v
            for n, v in parse_params(request.scope["query_string"], "query string")
            if n == "format"
        ]
        return self.description(request, formats[-1] if formats else None)

    # /views/expand

    async def expand(self, request: Request) -> Response:
        """A node's neighbours for a served graph view (read-only, bounded in size and time).

        Raises:
            ProtocolError: no ``node`` IRI (or several), a bad ``limit``, another parameter.
            UsageError: a limit out of range, or an entity the views leave out.
            EntityNotFound: the IRI names nothing in the graph.
            QueryTimeout: the answer took longer than the endpoint's timeout.
        """
        from ipgraph.views.expand import expand

        params = parse_params(request.scope["query_string"], "query string")
        unknown = sorted({name for name, _ in params} - {"node", "limit"})
        if unknown:
            raise ProtocolError(f"unknown parameter {unknown[0]!r}; use node=IRI and limit=N")
        nodes = [value for name, value in params if name == "node"]
        if len(nodes) != 1 or not _IRI.match(nodes[0]):
            raise ProtocolError("give the node once, as an absolute IRI: node=https://...")
        limits = [value for name, value in params if name == "limit"]
        if len(limits) > 1 or (limits and not limits[0].isdigit()):
            raise ProtocolError("give the limit at most once, as a whole number: limit=100")
        limit = int(limits[0]) if limits else 100
        work = run_in_threadpool(expand, self.kg, nodes[0], limit)
        try:
            found = await asyncio.wait_for(work, self.timeout) if self.timeout else await work
        except asyncio.TimeoutError:
            raise QueryTimeout(
                f"the neighbours took longer than {self.timeout:g} s; ask for fewer (limit=...)"
            ) from None
        return JSONResponse(found)

    # /health

    async def health(self, request: Request) -> Response:
        from ipgraph import __version__

        return JSONResponse(
            {
                "status": "ok",
                "triples": len(self.kg.graph),
                "graphs": len(self.kg.store.graph_names()),
                "store": self.kg.store.kind,
                "version": __version__,
            }
        )


class _GraphViews:
    """``/graphs/``: the site ``ipgraph render --all`` built, read-only, once it exists.

    Checked on every request, so views built while the server runs show up without a restart;
    until then every path explains how to build them.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.files = StaticFiles(directory=folder, html=True, check_dir=False) if folder else None

    def ready(self) -> bool:
        return self.folder is not None and (self.folder / "index.html").is_file()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.files is not None and self.ready():
            await self.files(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await _error_response(MethodNotAllowed("the graph views are read-only: use GET"))(
                scope, receive, send
            )
            return
        missing = PAGES.get_template("graphs_missing.html").render()
        await html_page(missing, status=404)(scope, receive, send)


def create_app(
    kg: KnowledgeGraph,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
    body_timeout: float | None = DEFAULT_BODY_TIMEOUT,
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
    graphs_dir: str | Path | None = "graphs/site",
) -> Starlette:
    """The ASGI application serving ``kg``: the SPARQL endpoint, the query page, health.

    Args:
        kg: the knowledge graph to serve (read-only: nothing here changes it).
        timeout: seconds a query may run (503 after); None for no limit.
        max_rows: rows or triples a result keeps (the rest is cut, flagged by the header
            ``X-Ipgraph-Truncated: true``); None for no cap.
        max_request_bytes: the largest request body (413) and query string (414).
        body_timeout: seconds a request body may take to arrive (408 after, and the
            connection is closed); None for no limit.
        max_concurrency: requests handled at once; one more is answered 503 at once
            (``/health`` is always answered).
        graphs_dir: the directory ``ipgraph render --all`` built, served read-only at
            ``/graphs/`` when it holds an ``index.html``; None to serve no views.

    Returns:
        A Starlette application; run it with `serve` or any ASGI server.

    >>> import ipgraph
    >>> app = create_app(ipgraph.load(), timeout=5, max_rows=100)
    >>> sorted(r.path for r in app.routes if r.path.startswith("/s"))
    ['/service-description', '/sparql', '/static/{name}']
    """
    folder = Path(graphs_dir) if graphs_dir is not None else None
    endpoint = _Endpoint(
        kg,
        timeout=timeout,
        max_rows=max_rows,
        max_request_bytes=max_request_bytes,
        body_timeout=body_timeout,
        graphs_dir=folder,
    )
    page = QueryPage(kg, _GraphViews(folder).ready)
    routes: list[Route | Mount] = [
        Route("/", page.page, methods=["GET"], name="page"),
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"], name="sparql"),
        Route("/service-description", endpoint.service_description, methods=["GET"]),
        Route("/health", endpoint.health, methods=["GET"], name="health"),
        Route("/static/{name}", page.asset, methods=["GET"], name="static"),
        Route("/bind", page.bind, methods=["GET"], name="bind"),
        Route("/views/expand", endpoint.expand, methods=["GET"], name="expand"),
    ]
    routes.append(Mount("/graphs", _GraphViews(folder), name="graphs"))
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(_SecurityHeaders),
            Middleware(_Admission, limit=max_concurrency),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
                expose_headers=[TRUNCATED_HEADER],
                max_age=3600,
            ),
        ],
        exception_handlers={
            IpgraphError: _on_ipgraph_error,
            HTTPException: _on_http_error,
            Exception: _on_unexpected,
        },
    )


async def _on_ipgraph_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IpgraphError)
    return _error_response(exc)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "GET, POST").split(", ")
        error: IpgraphError = MethodNotAllowed(
            f"{request.method} is not allowed on {request.url.path}; use "
            + " or ".join(sorted(m for m in allowed if m != "HEAD"))
        )
    elif exc.status_code == 404:
        error = NotFound(f"nothing at {request.url.path}; try / (query page), /sparql or /health")
    else:
        error = ProtocolError(str(exc.detail))
        error.http_status = exc.status_code
    return _error_response(error, exc.headers)


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        {"error": "InternalError", "message": f"the server failed on this request: {exc}"},
        status_code=500,
    )


def serve(
    kg: KnowledgeGraph,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
    graphs_dir: str | Path | None = "graphs/site",
    on_ready: Callable[[str], None] | None = None,
    log_level: str = "info",
    workers: int | None = None,
    memory_mb: int | None = DEFAULT_MEMORY_MB,
) -> None:
    """Serve ``kg`` over HTTP with uvicorn until interrupted (Ctrl-C).

    Queries run in worker processes (`KnowledgeGraph.use_workers`): a query past its time
    limit or memory cap is stopped by killing its worker (503 / 413 with a JSON body), a crash
    of the query engine ends only that worker, and the server keeps answering meanwhile.

    Every limit is set (`ipgraph.web.transport.server_config`): a request's headers must
    arrive within 5 s of connecting (408, or the connection is closed), its body within 5 s
    (408); an idle keep-alive connection is closed after 5 s; 32 requests are handled at once
    and 1,000 connections held, beyond which the answer is 503 at once; ``/health`` is always
    answered.

    Args:
        kg: the knowledge graph to serve.
        host: the interface to listen on; the default, loopback, keeps it on this machine.
        port: the TCP port; 0 picks a free one (``on_ready`` receives the URL).
        timeout, max_rows, max_request_bytes, graphs_dir: as for `create_app`.
        on_ready: called with the base URL (``http://127.0.0.1:8000/``) once listening.
        log_level: uvicorn's log level (``info`` logs each request).
        workers: query worker processes (default: the number of CPUs, at least 2); 0 runs
            queries in the server's threads (no hard time limit, no memory cap).
        memory_mb: MB a query may use beyond the loaded data (None: no cap).

    Raises:
        MissingExtra: starlette or uvicorn is not installed (``pip install 'ipgraph[server]'``).
        UsageError: the address cannot be listened on (in use, or not an address here).
    """
    from ipgraph.web.transport import server_config

    try:
        import uvicorn
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise MissingExtra("uvicorn", "server") from exc
    app = create_app(
        kg,
        timeout=timeout,
        max_rows=max_rows,
        max_request_bytes=max_request_bytes,
        graphs_dir=graphs_dir,
    )
    sock = listen(host, port)
    if workers != 0:
        kg.use_workers(workers, memory_mb)  # forked now, before uvicorn starts its threads
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    config = server_config(app, max_request_bytes=max_request_bytes, log_level=log_level)
    server = uvicorn.Server(config)
    if on_ready is not None:
        on_ready(f"http://{shown}:{bound_port}/")
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        kg.close()


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free one).

    Raises:
        UsageError: the address is in use or not valid here.

    >>> sock = listen("127.0.0.1", 0)
    >>> sock.getsockname()[1] > 0
    True
    >>> sock.close()
    """
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = info[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, IndexError) as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc}; check --host") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        raise UsageError(
            f"cannot listen on {host}:{port}: {reason}; choose another --port"
        ) from None
    return sock
