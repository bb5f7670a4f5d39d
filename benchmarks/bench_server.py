"""Throughput and latency of the SPARQL endpoint, and its overhead over ``kg.query``.

Starts the real server (``ipgraph serve --port 0`` in a subprocess, loopback only) and, for a
few named queries, measures in the same run:

- ``in-proc text``: ``kg.query(text)`` plus ``serialize("json")`` in this process, the query
  parsed on every call (as a script calling ``kg.query`` does);
- ``in-proc parsed``: the same with the query parsed once (``check_query``) and run again,
  which is what the endpoint does for a query it has seen (it keeps parsed queries);
- ``http 1 client``: the same query as GET ``/sparql`` over one keep-alive connection, timed
  per request (p50, p99, requests per second);
- ``http 8 clients``: eight concurrent keep-alive clients, total requests per second;
- ``mixed load``: then N clients send ``--mixed`` requests, one in five hostile (bad syntax,
  an update, ``SERVICE``, over the size limit, an unknown graph), and the p50 / p95 latency
  of the good ones is printed, with the count of good requests that failed (should be 0).

The overhead ratio is the endpoint's p50 latency divided by the ``in-proc parsed`` p50: what
HTTP, the protocol handling, the worker thread and the server (with its access log) add to the
same work. ``vs text`` divides by the ``in-proc text`` p50 instead: below 1 when the endpoint's
parse cache saves more than HTTP costs. Nothing is asserted; the numbers depend on the machine
(and on what else runs on it).

Run: ``.venv/bin/python benchmarks/bench_server.py [--requests 200] [--clients 8] [--mixed 2000]``
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

import ipgraph

QUERIES = ["counts-per-class", "joint-documents", "figures", "labels-of-agencies"]


@contextmanager
def running_server(folder: Path, *options: str) -> Iterator[str]:
    """``ipgraph serve`` on a free loopback port; yields its base URL."""
    log = folder / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "ipgraph.cli", "serve", "--port", "0", *options],
            cwd=folder,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        url = None
        while url is None:
            match = re.search(r"serving \d+ triples at (http://\S+/) ", log.read_text())
            if match:
                url = match.group(1)
            elif process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start:\n{log.read_text()}")
            else:
                time.sleep(0.1)
        with httpx.Client(trust_env=False) as client:
            for _ in range(200):
                try:
                    if client.get(url + "health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def timings(call: Callable[[], object], count: int) -> list[float]:
    """Seconds per call, ``count`` calls after two warm-up calls."""
    call()
    call()
    result = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        result.append(time.perf_counter() - started)
    return result


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def concurrent_rate(url: str, query: str, clients: int, count: int) -> float:
    """Requests per second with ``clients`` threads each sending ``count`` requests."""

    def loop() -> None:
        with httpx.Client(trust_env=False, timeout=60) as client:
            for _ in range(count):
                client.get(url, params={"query": query}).raise_for_status()

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return clients * count / (time.perf_counter() - started)


def mixed_load(url: str, good: list[str], clients: int, total: int) -> tuple[list[float], int]:
    """``total`` requests from ``clients`` threads, one in five hostile; returns the seconds of
    each good request and how many good requests failed."""
    hostile: list[Callable[[httpx.Client], httpx.Response]] = [
        lambda c: c.get(url, params={"query": "SELECT * WHERE { ?s "}),
        lambda c: c.post(url, data={"update": "CLEAR ALL"}),
        lambda c: c.get(url, params={"query": "SELECT * { SERVICE <http://example.org/> {} }"}),
        lambda c: c.post(
            url, content=b"#" * 200_000, headers={"Content-Type": "application/sparql-query"}
        ),
        lambda c: c.get(url, params={"query": "ASK {}", "default-graph-uri": "urn:x:none"}),
    ]
    seconds: list[float] = []
    failed = 0
    lock = threading.Lock()

    def loop(index: int) -> None:
        nonlocal failed
        with httpx.Client(trust_env=False, timeout=60) as client:
            for i in range(index, total, clients):
                if i % 5 == 0:
                    status = hostile[(i // 5) % len(hostile)](client).status_code
                    assert 400 <= status < 500, status
                    continue
                started = time.perf_counter()
                response = client.get(url, params={"query": good[i % len(good)]})
                took = time.perf_counter() - started
                with lock:
                    if response.status_code == 200:
                        seconds.append(took)
                    else:
                        failed += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return seconds, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per query")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--mixed", type=int, default=2_000, help="requests of the mixed load")
    args = parser.parse_args()

    kg = ipgraph.load()
    named = kg.named_queries()
    queries = [name for name in QUERIES if name in named]
    print(f"{len(kg.graph)} triples; {args.requests} timed requests per query")
    print("p50 / p99 latency in ms; req/s with 1 and with N concurrent clients\n")
    header = (
        f"{'query':<20} {'rows':>4} {'in-proc text':>12} {'in-proc parsed':>14} "
        f"{'http p50':>8} {'http p99':>8} {'req/s 1':>7} {f'req/s {args.clients}':>7} "
        f"{'overhead':>8} {'vs text':>7}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp)) as base:
        endpoint = base + "sparql"
        with httpx.Client(trust_env=False, timeout=60) as client:
            for name in queries:
                text = named[name].text
                rows = len(kg.query(text))
                local = timings(lambda text=text: kg.query(text).serialize("json"), args.requests)
                parsed = kg.check(text)
                reused = timings(
                    lambda parsed=parsed: kg.query(parsed).serialize("json"), args.requests
                )

                def over_http(text: str = text) -> None:
                    client.get(endpoint, params={"query": text}).raise_for_status()

                remote = timings(over_http, args.requests)
                per_client = max(1, args.requests // args.clients)
                rate = concurrent_rate(endpoint, text, args.clients, per_client)
                remote_p50 = statistics.median(remote)
                print(
                    f"{name:<20} {rows:>4} {statistics.median(local) * 1e3:>12.2f} "
                    f"{statistics.median(reused) * 1e3:>14.2f} {remote_p50 * 1e3:>8.2f} "
                    f"{percentile(remote, 0.99) * 1e3:>8.2f} {len(remote) / sum(remote):>7.0f} "
                    f"{rate:>7.0f} {remote_p50 / statistics.median(reused):>7.2f}x "
                    f"{remote_p50 / statistics.median(local):>6.2f}x"
                )
        started = time.perf_counter()
        good, failed = mixed_load(
            endpoint, [named[name].text for name in queries], args.clients, args.mixed
        )
        elapsed = time.perf_counter() - started
    pool_cost(queries, named, args.requests)
    print(
        "\noverhead = http p50 / in-proc parsed p50 (the same work in this process); "
        "vs text = http p50 / in-proc text p50"
    )
    print(
        f"\nmixed load: {args.mixed} requests, {args.clients} clients, 1 in 5 hostile, "
        f"{args.mixed / elapsed:.0f} req/s; good requests: {len(good)} ok, {failed} failed, "
        f"p50 {statistics.median(good) * 1e3:.2f} ms, p95 {percentile(good, 0.95) * 1e3:.2f} ms"
    )


def pool_cost(queries: list[str], named: dict[str, Any], requests: int) -> None:
    """The worker pool's cost: the same requests to a server whose queries run in worker
    processes (the default) and to one running them in its own threads (``--workers 0``, as
    the endpoint did before the pool), p50 latency of each and their ratio."""
    p50: dict[str, dict[str, float]] = {}
    for mode, options in (("threads", ("--workers", "0")), ("pool", ())):
        with (
            tempfile.TemporaryDirectory() as tmp,
            running_server(Path(tmp), *options) as base,
            httpx.Client(trust_env=False, timeout=60) as client,
        ):
            for name in queries:
                params = {"query": named[name].text}

                def once(params: dict[str, str] = params) -> None:
                    client.get(base + "sparql", params=params).raise_for_status()

                once()  # warm: the parse cache, the worker
                p50.setdefault(name, {})[mode] = statistics.median(timings(once, requests))
    print("\nworker pool vs in-process threads (http p50, ms; goal: pool within 1.3x)")
    for name in queries:
        threads, pool = p50[name]["threads"], p50[name]["pool"]
        print(
            f"  {name:<20} threads {threads * 1e3:8.2f}  pool {pool * 1e3:8.2f}  "
            f"{pool / threads:5.2f}x"
        )


if __name__ == "__main__":
    main()
