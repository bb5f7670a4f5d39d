"""The connection layer of ``ipgraph serve``: uvicorn's HTTP/1.1 protocol with deadlines.

uvicorn closes an idle keep-alive connection after ``timeout_keep_alive``, but a connection
that sends nothing, or a request's headers one byte at a time, is held for as long as the
client likes (slowloris): a few hundred of them hold the server. `GuardedH11Protocol` adds:

- a header deadline: from the moment a connection opens (or its previous response ends), the
  next request's headers must arrive within ``header_timeout`` seconds; a silent connection is
  then closed, a half-sent request gets 408 and is closed;
- a connection cap: beyond ``max_connections`` open connections a new one gets 503 and is
  closed at once;
- JSON for what uvicorn answers itself (a malformed request, headers over the size limit):
  every response of this server is ``{"error": ..., "message": ...}``.

The request body has its own deadline, applied by the application
(`ipgraph.web.protocol.read_request`), which answers 408 as well.

`server_config` puts it together with the rest of the limits (keep-alive, the largest request
head) into a `uvicorn.Config`.

>>> import ipgraph
>>> from ipgraph.web.app import create_app
>>> config = server_config(create_app(ipgraph.load()), header_timeout=2)
>>> config.http.header_timeout, config.timeout_keep_alive
(2, 5)
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from ipgraph.errors import IpgraphError, MissingExtra, ProtocolError, RequestTimeout, ServerBusy

try:
    import h11
    import uvicorn
    from uvicorn.protocols.http.h11_impl import H11Protocol
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise MissingExtra(exc.name or "uvicorn", "server") from exc

__all__ = [
    "DEFAULT_HEADER_TIMEOUT",
    "DEFAULT_KEEP_ALIVE",
    "DEFAULT_MAX_CONNECTIONS",
    "GuardedH11Protocol",
    "server_config",
]

log = logging.getLogger("ipgraph.web.transport")

DEFAULT_HEADER_TIMEOUT = 5.0
"""Seconds a connection may take to send a request's headers (then 408, or closed if silent)."""
DEFAULT_KEEP_ALIVE = 5
"""Seconds an idle keep-alive connection is kept open after a response."""
DEFAULT_MAX_CONNECTIONS = 1_000
"""Open connections the server holds; one more is answered 503 and closed."""
HEAD_ALLOWANCE = 16_384
"""Bytes of request line and headers allowed beyond the longest accepted query string."""


def raw_response(error: IpgraphError) -> bytes:
    """An HTTP/1.1 response carrying ``error`` as JSON, closing the connection.

    Written straight to the socket where no request cycle exists to answer through.

    >>> raw_response(ServerBusy("busy; retry")).split(b"\\r\\n")[0]
    b'HTTP/1.1 503 Service Unavailable'
    """
    body = json.dumps(error.to_dict()).encode("utf-8")
    status = error.http_status
    reason = {400: b"Bad Request", 408: b"Request Timeout", 503: b"Service Unavailable"}
    head = [
        b"HTTP/1.1 %d %s" % (status, reason.get(status, b"Error")),
        b"content-type: application/json",
        b"content-length: %d" % len(body),
        b"connection: close",
        b"x-content-type-options: nosniff",
    ]
    if status == 503:
        head.append(b"retry-after: 1")
    return b"\r\n".join(head) + b"\r\n\r\n" + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline, a connection cap and JSON errors.

    Configure it by subclassing (see `server_config`): the class attributes are the limits.
    """

    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_head_bytes: int = 100_000 + HEAD_ALLOWANCE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._partial = False  # bytes of a request arrived, its headers are not complete

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            busy = ServerBusy(
                f"the server holds {self.max_connections} connections already; retry in a "
                "moment, and reuse one connection (keep-alive) for many requests"
            )
            self._refuse(busy)
            return
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._waiting():
            self._partial = True
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._partial = bool(self.conn.their_state is h11.IDLE and self.conn.trailing_data[0])
        self._watch()

    def send_400_response(self, msg: str) -> None:
        """Answer a request uvicorn cannot parse, as JSON."""
        self._cancel_head_timer()
        error = ProtocolError(
            f"malformed HTTP request ({msg.rstrip('.')}); send a valid HTTP/1.1 request whose "
            f"request line and headers stay under {self.max_head_bytes} bytes (POST long "
            "queries)"
        )
        self._refuse(error)

    # -- the header deadline ----------------------------------------------------------------

    def _waiting(self) -> bool:
        """No request is being handled: the connection is between requests."""
        return self.cycle is None or bool(self.cycle.response_complete)

    def _watch(self) -> None:
        if self.transport.is_closing():
            self._cancel_head_timer()
        elif not self._waiting():
            self._cancel_head_timer()  # a request is in hand; the body has its own deadline
        elif self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or not self._waiting():
            return
        if self._partial:
            self._refuse(
                RequestTimeout(
                    f"the request headers did not arrive within {self.header_timeout:g} s; "
                    "send the whole request head at once"
                )
            )
        else:  # a silent connection: nothing to answer
            self.transport.close()

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _refuse(self, error: IpgraphError) -> None:
        log.debug("refused a connection: %s", error)
        if not self.transport.is_closing():
            self.transport.write(raw_response(error))
            self.transport.close()


def server_config(
    app: Any,
    *,
    max_request_bytes: int = 100_000,
    header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    keep_alive: int = DEFAULT_KEEP_ALIVE,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    log_level: str = "info",
) -> uvicorn.Config:
    """The uvicorn configuration ``ipgraph serve`` runs ``app`` with: every limit set.

    Args:
        app: the ASGI application (`ipgraph.web.app.create_app`).
        max_request_bytes: the longest query string the application accepts; the request line
            and headers may take that plus 16 KiB (h11's incomplete-event limit), beyond which
            the request is a 400.
        header_timeout: seconds to receive a request's headers (`GuardedH11Protocol`).
        keep_alive: seconds an idle keep-alive connection stays open.
        max_connections: open connections held; uvicorn's own ``limit_concurrency`` sits
            just above it as a backstop that is never reached first.
        log_level: uvicorn's log level.

    Returns:
        A `uvicorn.Config`; run it with ``uvicorn.Server(config).run(sockets=[sock])``.

    >>> server_config(object(), max_request_bytes=1_000).h11_max_incomplete_event_size
    17384
    """
    protocol = type(
        "ConfiguredGuardedH11Protocol",
        (GuardedH11Protocol,),
        {
            "header_timeout": header_timeout,
            "max_connections": max_connections,
            "max_head_bytes": max_request_bytes + HEAD_ALLOWANCE,
        },
    )
    return uvicorn.Config(
        app,
        http=protocol,
        log_level=log_level,
        timeout_keep_alive=keep_alive,
        timeout_graceful_shutdown=5,
        h11_max_incomplete_event_size=max_request_bytes + HEAD_ALLOWANCE,
        limit_concurrency=max_connections + 1,
    )
