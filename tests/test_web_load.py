"""A bounded mixed load test against ``ipgraph serve`` in its own process (loopback only).

2,000 requests from 8 concurrent keep-alive clients, one in five hostile: bad syntax, updates
and ``LOAD`` (refused: read-only), ``SERVICE`` (refused: offline), over the size limits,
nested too deeply, an unknown graph, a wrong method, media type or ``Accept``. Every good
request must answer 200 with the correct answer, every hostile one its 4xx JSON error, and the
server must be up at the end.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

import ipgraph
from web_server import AGENCIES, MAX_REQUEST_BYTES, Server

pytestmark = pytest.mark.slow
pytest_plugins = ["web_server"]  # the `server` fixture (tests/web_server.py)


@dataclass(frozen=True)
class Case:
    name: str
    send: Callable[[httpx.Client, str], httpx.Response]
    status: int
    check: Callable[[httpx.Response], bool] = lambda response: True


def _form(query: str) -> Callable[[httpx.Client, str], httpx.Response]:
    return lambda client, url: client.post(url, data={"query": query})


def _get(query: str, **headers: str) -> Callable[[httpx.Client, str], httpx.Response]:
    return lambda client, url: client.get(url, params={"query": query}, headers=headers)


def _direct(body: bytes, content_type: str) -> Callable[[httpx.Client, str], httpx.Response]:
    return lambda client, url: client.post(
        url, content=body, headers={"Content-Type": content_type}
    )


def load_cases(kg: ipgraph.KnowledgeGraph) -> list[Case]:
    agencies = [str(row[0]) for row in kg.query(AGENCIES).rows]
    ministries = kg.query("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a ipg:Ministry }")
    ministry_count = str(ministries.rows[0][0])

    def bindings(response: httpx.Response) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = response.json()["results"]["bindings"]
        return result

    return [
        Case(
            "select-get",
            _get(AGENCIES),
            200,
            lambda r: [b["agency"]["value"] for b in bindings(r)] == agencies,
        ),
        Case(
            "count-form",
            _form("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a ipg:Ministry }"),
            200,
            lambda r: bindings(r)[0]["n"]["value"] == ministry_count,
        ),
        Case(
            "ask-direct",
            _direct(b"ASK { ?s a ipg:Ministry }", "application/sparql-query"),
            200,
            lambda r: r.json()["boolean"] is True,
        ),
        Case(
            "csv-accept",
            _get(AGENCIES, accept="text/csv"),
            200,
            lambda r: r.text.splitlines()[1:] == agencies,
        ),
        Case(
            "construct",
            _get("CONSTRUCT WHERE { ?m a ipg:Ministry }", accept="application/n-triples"),
            200,
            lambda r: len(r.text.splitlines()) == int(ministry_count),
        ),
        Case(
            "health",
            lambda client, url: client.get(url.replace("/sparql", "/health")),
            200,
            lambda r: r.json()["status"] == "ok",
        ),
        # the bad ones: each must be a 4xx JSON error
        Case("syntax", _get("SELECT * WHERE { ?s "), 400),
        Case("update-form", lambda c, u: c.post(u, data={"update": "CLEAR ALL"}), 403),
        Case("update-direct", _direct(b"DROP ALL", "application/sparql-update"), 403),
        Case("service", _get("SELECT * { SERVICE <http://example.org/q> { ?s ?p ?o } }"), 403),
        Case("method", lambda c, u: c.put(u, content=b"ASK {}"), 405),
        Case("media-type", _direct(b"ASK {}", "text/plain"), 415),
        Case("not-acceptable", _get(AGENCIES, accept="image/png"), 406),
        Case("too-large", _direct(b"#" * (MAX_REQUEST_BYTES + 1), "application/sparql-query"), 413),
        Case("non-utf8", _direct("ASK {}".encode("utf-16"), "application/sparql-query"), 400),
        Case("two-queries", lambda c, u: c.get(u, params=[("query", "ASK {}")] * 2), 400),
        Case(
            "unknown-graph",
            lambda c, u: c.get(
                u, params={"query": "ASK {}", "default-graph-uri": "http://example.org/g"}
            ),
            403,
        ),
        Case("too-long-uri", _get("ASK {}" + " " * MAX_REQUEST_BYTES), 414),
        Case("nested", _get("SELECT * WHERE " + "{" * 2_000 + "}" * 2_000), 403),
        Case("load", _form("LOAD <http://example.org/data.ttl>"), 403),
    ]


def test_load_mixed_good_and_bad(server: Server, kg: ipgraph.KnowledgeGraph) -> None:
    total, clients = 2_000, 8
    cases = load_cases(kg)
    good = [c for c in cases if c.status == 200]
    bad = [c for c in cases if c.status != 200]
    # four good requests for each hostile one (20%), interleaved
    plan = [good[i % len(good)] if i % 5 else bad[(i // 5) % len(bad)] for i in range(total)]
    failures: list[str] = []
    seen: Counter[str] = Counter()
    answered = 0  # well-formed requests answered 200
    lock = threading.Lock()

    def client_loop(index: int) -> None:
        nonlocal answered
        with httpx.Client(trust_env=False, timeout=60) as client:
            for case in plan[index::clients]:
                try:
                    response = case.send(client, server.sparql)
                    ok = response.status_code == case.status
                    if ok and case.status >= 400:
                        body = response.json()
                        ok = response.headers["content-type"].startswith("application/json") and (
                            bool(body["error"]) and bool(body["message"])
                        )
                    elif ok:
                        ok = case.check(response)
                    problem = (
                        None if ok else f"{case.name}: {response.status_code} {response.text[:200]}"
                    )
                except Exception as exc:  # a dropped connection is a failure too
                    problem = f"{case.name}: {type(exc).__name__}: {exc}"
                with lock:
                    seen[case.name] += 1
                    if case.status == 200 and not problem:
                        answered += 1
                    if problem:
                        failures.append(problem)

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads), "clients did not finish"
    assert sum(seen.values()) == total
    assert set(seen) == {c.name for c in cases}
    assert failures == [], f"{len(failures)} failures, e.g. {failures[:5]}"
    with httpx.Client(trust_env=False) as client:
        assert client.get(server.url + "health").json()["status"] == "ok"
    assert server.process.poll() is None
    assert answered == sum(1 for case in plan if case.status == 200)
