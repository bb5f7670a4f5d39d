"""A bounded hostile-input suite against the real server on loopback (uvicorn in a thread with
the limits ``ipgraph serve`` sets, shortened so the suite stays quick).

Every test has bounded counts and times and stops by itself. Each checks that the answer is
a JSON error naming the fault (never a traceback), and the module ends by checking that the
server still answers correctly. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

import ipgraph
from ipgraph.web.app import create_app
from web_server import running

pytestmark = pytest.mark.slow

MAX_BYTES = 20_000
HEADER_TIMEOUT = 1.5
BODY_TIMEOUT = 1.5
MAX_CONCURRENCY = 8
MAX_CONNECTIONS = 400
FORBIDDEN_IN_BODIES = (
    "Traceback (most recent call last)",
    'File "/',
    '.py", line',
    "site-packages",
)


@pytest.fixture(scope="module")
def base(kg: ipgraph.KnowledgeGraph) -> Iterator[str]:
    app = create_app(
        kg,
        timeout=2,
        max_request_bytes=MAX_BYTES,
        body_timeout=BODY_TIMEOUT,
        max_concurrency=MAX_CONCURRENCY,
        graphs_dir=None,
    )
    with running(
        app,
        max_request_bytes=MAX_BYTES,
        header_timeout=HEADER_TIMEOUT,
        max_connections=MAX_CONNECTIONS,
    ) as url:
        yield url


@pytest.fixture
def http(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, trust_env=False, timeout=20) as client:
        yield client


def address(base: str) -> tuple[str, int]:
    parts = urlsplit(base)
    assert parts.hostname == "127.0.0.1" and parts.port is not None
    return parts.hostname, parts.port


def json_error(status: int, content_type: str, body: bytes, expected: int | None = None) -> Any:
    """The body is a JSON error with a message, no traceback, of the expected status."""
    assert expected is None or status == expected, (status, body[:300])
    assert 400 <= status < 600, (status, body[:300])
    assert content_type.startswith("application/json"), (content_type, body[:300])
    text = body.decode("utf-8")
    for forbidden in FORBIDDEN_IN_BODIES:
        assert forbidden not in text, text[:300]
    parsed = json.loads(text)
    assert parsed["error"] and parsed["message"], parsed
    return parsed


def check(response: httpx.Response, expected: int | None = None) -> Any:
    return json_error(
        response.status_code, response.headers.get("content-type", ""), response.content, expected
    )


def raw_exchange(base: str, data: bytes, wait: float = 10.0) -> tuple[int, str, bytes, float]:
    """Send raw bytes, read the whole answer (until the server closes): status, type, body,
    seconds it took."""
    started = time.monotonic()
    with socket.create_connection(address(base), timeout=wait) as sock:
        with contextlib.suppress(OSError):  # the server may answer and close before the end
            sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
    elapsed = time.monotonic() - started
    answer = b"".join(chunks)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else 0
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    return status, headers.get("content-type", ""), body, elapsed


def health_answers(base: str, within: float = 1.0) -> None:
    """``/health`` answers ok within ``within`` seconds: the client gives up after that, and
    its timeout fails the test."""
    with httpx.Client(trust_env=False, timeout=within) as client:
        assert client.get(base + "/health").json()["status"] == "ok"


# -- size ------------------------------------------------------------------------------------


def test_huge_queries_are_refused_with_json(http: httpx.Client, base: str) -> None:
    huge = "ASK {}" + " #" * MAX_BYTES
    direct = {"Content-Type": "application/sparql-query"}
    check(http.post("/sparql", content=huge.encode(), headers=direct), 413)
    check(http.post("/sparql", data={"query": huge}), 413)
    status, kind, body, _ = raw_exchange(
        base, b"GET /sparql?query=" + b"a" * (MAX_BYTES + 10) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    json_error(status, kind, body, 414)
    # a declared length over the limit is refused before a byte of the body is read
    status, kind, body, _ = raw_exchange(
        base,
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 999999999\r\n\r\n",
    )
    json_error(status, kind, body, 413)
    # a request head over what the server reads at all
    status, kind, body, _ = raw_exchange(
        base, b"GET /sparql?query=" + b"a" * (MAX_BYTES + 40_000) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    assert status in (400, 414)  # 400 when uvicorn's h11 stops reading it, else the app's 414
    json_error(status, kind, body)


# -- query structure ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 3_000 + "}" * 3_000,
        "ASK { FILTER(" + "(" * 3_000 + "1" + ")" * 3_000 + ") }",
        "ASK { FILTER(" + "!" * 5_000 + "true) }",
    ],
    ids=["groups", "parentheses", "negations"],
)
def test_deeply_nested_queries_are_refused(http: httpx.Client, query: str) -> None:
    response = http.post(
        "/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert 400 <= response.status_code < 500
    check(response)


def test_a_query_whose_parse_is_slow_is_answered_within_the_time_limit(
    http: httpx.Client,
) -> None:
    """Parsing runs under the query's time limit too: a text that is slow to parse (a
    1,300-branch UNION) gets its answer, or its 503, within the limit, never later."""
    query = "SELECT * WHERE {" + "UNION".join("{?s ?p ?o}" for _ in range(1_300)) + "}"
    assert len(query.encode()) < MAX_BYTES
    response = http.post(  # a client that waits the app's time limit (2 s) plus slack, no more
        "/sparql",
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=2 + 1.0,
    )
    if response.status_code != 200:  # stopped (503) or beyond the parser (400): JSON either way
        assert check(response)["error"] in ("QueryTimeout", "QuerySyntaxError")


# -- slow clients ------------------------------------------------------------------------------


def test_slowloris_headers_get_408_within_the_header_deadline(base: str) -> None:
    started = time.monotonic()
    with socket.create_connection(address(base), timeout=10) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\n")
        answer = b""
        for piece in (b"Host: x\r\n", b"X-A: 1\r\n", b"X-B: 2\r\n", b"X-C: 3\r\n"):
            time.sleep(0.5)
            try:
                sock.sendall(piece)
            except OSError:
                break
        # Read no longer than the deadline (counted from connecting) plus slack: a 408 that
        # comes later leaves the answer empty and fails below.
        sock.settimeout(max(0.1, started + HEADER_TIMEOUT + 1.5 - time.monotonic()))
        try:
            while chunk := sock.recv(4096):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), answer[:200]
    assert "headers" in json_error(408, "application/json", body)["message"]


def test_slow_body_gets_408(base: str) -> None:
    started = time.monotonic()
    with socket.create_connection(address(base), timeout=10) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 200\r\n\r\nASK "
        )
        # one byte every 0.3 s while the deadline runs (stopping before it, so that the
        # server's answer is not lost to a reset), then wait for the answer
        while time.monotonic() - started < BODY_TIMEOUT - 0.4:
            sock.sendall(b"#")
            time.sleep(0.3)
        answer = b""
        # Read no longer than the deadline plus slack: a later 408 fails below.
        sock.settimeout(max(0.1, started + BODY_TIMEOUT + 3 - time.monotonic()))
        with contextlib.suppress(TimeoutError, ConnectionResetError):
            while chunk := sock.recv(4096):
                answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"connection: close" in head.lower()
    assert "body" in json_error(408, "application/json", body)["message"]


def test_half_open_connections_neither_block_health_nor_stay_open(base: str) -> None:
    conns = []
    try:
        for index in range(300):
            sock = socket.create_connection(address(base), timeout=5)
            if index % 2:
                sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\n")  # headers never finish
            conns.append(sock)
        for _ in range(5):
            health_answers(base)
        # all of them are closed by the server within the header deadline (not 40 s)
        deadline = time.monotonic() + HEADER_TIMEOUT + 5
        open_ = list(conns)
        while open_ and time.monotonic() < deadline:
            still = []
            for sock in open_:
                sock.settimeout(0.01)
                try:
                    if sock.recv(4096) == b"":
                        continue
                    still.append(sock)  # an answer (408): the close follows
                except TimeoutError:
                    still.append(sock)
                except ConnectionResetError:
                    continue
            open_ = still
            time.sleep(0.1)
        assert open_ == [], f"{len(open_)} of 300 half-open connections still open"
    finally:
        for sock in conns:
            sock.close()
    health_answers(base)


def test_a_flood_gets_503_json_and_health_answers(base: str) -> None:
    """More slow requests than the server handles at once: the extra ones get 503 at once."""
    holders = []
    try:
        for _ in range(MAX_CONCURRENCY):  # each holds a slot until its body deadline
            sock = socket.create_connection(address(base), timeout=5)
            sock.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 100\r\n\r\nASK"
            )
            holders.append(sock)
        time.sleep(0.3)
        with httpx.Client(base_url=base, trust_env=False, timeout=5) as client:
            busy = client.get("/sparql", params={"query": "ASK {}"}, timeout=1.0)  # at once
            assert check(busy, 503)["error"] == "ServerBusy"
            assert busy.headers["retry-after"] == "1"
            assert client.get("/health").status_code == 200
    finally:
        for sock in holders:
            sock.close()
    time.sleep(BODY_TIMEOUT + 0.5)  # the slots come back once the slow bodies time out
    with httpx.Client(base_url=base, trust_env=False, timeout=5) as client:
        assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_too_many_connections_get_503_json(kg: ipgraph.KnowledgeGraph) -> None:
    with running(create_app(kg, graphs_dir=None), max_connections=20) as url:
        conns = [socket.create_connection(address(url), timeout=5) for _ in range(20)]
        try:
            status, kind, body, _ = raw_exchange(  # waits 1 s at most: a later answer fails
                url, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n", wait=1.0
            )
            assert json_error(status, kind, body, 503)["error"] == "ServerBusy"
        finally:
            for sock in conns:
                sock.close()
        time.sleep(0.2)
        health_answers(url)


# -- malformed input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        b"/sparql?query=%ZZ%",
        b"/sparql?query=ASK%20%7B%E0%A4%7D",
        b"/sparql?query=%FF%FE",
        b"/sparql?query=ASK%00%7B%7D",
        b"/sparql?query=" + b"%C0%80" * 100,
        b"/sparql?" + b"&".join([b"a=1"] * 1_000),
        b"/%ZZ/..%2f..%2fetc%2fpasswd",
        b"/sparql?query=ASK+%7B%7D&format=%00",
        b"/sparql?query=ASK+%7B%7D&default-graph-uri=%00",
    ],
    ids=[
        "bad-percent", "truncated-utf8", "invalid-utf8", "nul", "overlong-utf8", "many-params",
        "path-traversal", "nul-format", "nul-graph",
    ],
)  # fmt: skip
def test_malformed_targets_get_json_errors(base: str, target: bytes) -> None:
    status, kind, body, _ = raw_exchange(base, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    json_error(status, kind, body)


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /health HTTP/1.1\r\nHost: x\r\nX-Nul: a\x00b\r\n\r\n",
        b"GET /he\x00alth HTTP/1.1\r\nHost: x\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40,  # a TLS hello
        b"GET /health HTTP/1.1\r\n\r\n",  # no Host
        b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 9\r\n\r\nASK",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/sparql-query\r\n\r\nZZ\r\nASK\r\n0\r\n\r\n",
        b"\xff\xfe\r\n\r\n",
    ],
    ids=[
        "nul-header", "nul-path", "tls-hello", "no-host", "negative-length",
        "two-lengths", "bad-chunk", "binary",
    ],
)  # fmt: skip
def test_malformed_requests_get_json_errors(base: str, request_bytes: bytes) -> None:
    status, kind, body, _ = raw_exchange(base, request_bytes)
    json_error(status, kind, body)


def test_invalid_utf8_bodies(http: httpx.Client) -> None:
    direct = {"Content-Type": "application/sparql-query"}
    check(http.post("/sparql", content=b"ASK { \xff\xfe }", headers=direct), 400)
    check(http.post("/sparql", content=b"ASK { \xc0\x80 }", headers=direct), 400)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    check(http.post("/sparql", content=b"query=ASK%20%7B%FF%7D", headers=form), 400)
    check(http.post("/sparql", content=b"query=ASK\x00%7B%7D", headers=form), 400)
    content_type = {"Content-Type": "application/sparql-query; charset=\x7f\x01"}
    check(http.post("/sparql", content=b"ASK {}", headers=content_type), 415)


@pytest.mark.parametrize(
    "accept",
    [
        ",".join(["x/y;q=0.001"] * 2_000),
        ";" * 4_000,
        "*/*;q=-1",
        "text/csv;q=1e309",
        "application/sparql-results+json;q=NaN",
        "*/" * 1_000,
        "text/csv;q=0.5;q=0.9;foo=" * 200,
    ],
    ids=["many-ranges", "semicolons", "negative-q", "huge-q", "nan-q", "slashes", "params"],
)
def test_absurd_accept_headers(http: httpx.Client, accept: str) -> None:
    response = http.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
    if response.status_code == 200:
        assert response.text.strip()
    else:
        check(response, 406)


def test_hostile_sparql_is_refused(http: httpx.Client) -> None:
    for query, status in [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", 403),
        ("LOAD <file:///etc/passwd>", 403),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", 403),
        ("CLEAR ALL", 403),
        ('SELECT * WHERE { ?s ?p ?o FILTER(REGEX(?o, "(a+)+$")) } LIMIT 1', 200),
    ]:
        response = http.get("/sparql", params={"query": query})
        if status == 200:
            assert response.status_code in (200, 503), response.text
            if response.status_code == 503:
                check(response)
        else:
            check(response, status)


# -- still serving ---------------------------------------------------------------------------


def test_health_answers_while_bad_requests_are_in_flight(base: str) -> None:
    stop = threading.Event()

    def hostile() -> None:
        with httpx.Client(base_url=base, trust_env=False, timeout=10) as client:
            while not stop.is_set():
                client.get("/sparql", params={"query": "SELECT * WHERE { ?s "})
                client.post("/sparql", content=b"ASK", headers={"Content-Type": "text/plain"})

    threads = [threading.Thread(target=hostile) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(10):
            health_answers(base)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=20)


def test_the_server_still_answers_correctly(http: httpx.Client, kg: ipgraph.KnowledgeGraph) -> None:
    query = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a ipg:Ministry }"
    expected = str(kg.query(query).rows[0][0])
    response = http.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["n"]["value"] == expected
