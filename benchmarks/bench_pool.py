"""The cost of running queries in the worker pool (``ipgraph.sparql.pool``) instead of in-process.

On the bundled graph, in the same run:

- a small SELECT (agencies and their labels), in-process and through the pool, two ways each:
  rdflib's ``graph.query`` (parses every time) and ``ipgraph.query.run_query`` (checked
  queries cached: in the parent, and in each worker after its first run);
- a 1,000-row SELECT the same ways;
- a 10,000-row SELECT over a synthetic graph: the pool's cost of pickling rdflib terms back.

Prints p50 / p95 per case and the ratio pool / in-process of the p50s; asserts nothing.
The goal for the small SELECT: pool p50 within 1.3x of in-process.

Run: ``.venv/bin/python benchmarks/bench_pool.py [--runs 300] [--workers 2]``
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import time
from collections.abc import Callable
from typing import Any

from ipgraph.query import run_query
from rdflib import Graph, Literal, URIRef

import ipgraph
from ipgraph.sparql.pool import QueryPool

SMALL = "SELECT ?a ?label WHERE { ?a a ipg:Agency ; rdfs:label ?label }"
ROWS_1000 = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 1000"
ROWS_10000 = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def rdflib_rows(graph: Any, text: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in graph.query(text)]


def ipgraph_rows(graph: Any, text: str) -> list[tuple[Any, ...]]:
    return run_query(graph, text).rows


def timings(call: Callable[[], object], runs: int) -> list[float]:
    for _ in range(max(3, runs // 20)):
        call()
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        found.append(time.perf_counter() - start)
    return found


def summary(name: str, times: list[float]) -> float:
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"  {name:<34} p50 {p50 * 1000:8.2f} ms   p95 {p95 * 1000:8.2f} ms")
    return p50


def compare(label: str, graph: Any, pool: QueryPool[Any], text: str, runs: int) -> None:
    print(label)
    for name, work in (("graph.query", rdflib_rows), ("run_query", ipgraph_rows)):
        local = summary(f"{name} in-process", timings(lambda w=work: w(graph, text), runs))
        pooled = summary(
            f"{name} in the pool",
            timings(lambda w=work: pool.run(w, text, timeout=60), runs),
        )
        print(f"  {'ratio pool / in-process (p50)':<34} {pooled / local:8.2f}x")


def synthetic(size: int) -> Graph:
    graph = Graph()
    for i in range(size):
        graph.add(
            (
                URIRef(f"https://w3id.org/ipgraph/id/thing/t{i}"),
                URIRef("https://w3id.org/ipgraph/ontology#value"),
                Literal(f"value {i}", lang="en"),
            )
        )
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    kg = ipgraph.load()
    graph = kg.graph
    start = time.perf_counter()
    with QueryPool(lambda: graph, workers=args.workers) as pool:
        pool.run(rdflib_rows, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout=60)
        print(
            f"pool of {args.workers} workers: first answer after "
            f"{(time.perf_counter() - start) * 1000:.0f} ms"
        )
        compare(
            f"small SELECT ({len(rdflib_rows(graph, SMALL))} rows)", graph, pool, SMALL, args.runs
        )
        compare("1,000-row SELECT", graph, pool, ROWS_1000, max(20, args.runs // 5))
        start = time.perf_counter()
        pool.restart()
        pool.run(rdflib_rows, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout=60)
        print(f"restart: first answer after {(time.perf_counter() - start) * 1000:.0f} ms")

    big = synthetic(10_000)
    rows = rdflib_rows(big, ROWS_10000)
    pickled = pickle.dumps(rows, pickle.HIGHEST_PROTOCOL)
    print(f"10,000-row SELECT: rows pickle to {len(pickled) / 1e6:.1f} MB")
    summary(
        "pickle.dumps + loads",
        timings(lambda: pickle.loads(pickle.dumps(rows, pickle.HIGHEST_PROTOCOL)), 20),
    )
    with QueryPool(lambda: big, workers=args.workers) as pool:
        pool.run(rdflib_rows, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout=60)
        local = summary("graph.query in-process", timings(lambda: rdflib_rows(big, ROWS_10000), 20))
        pooled = summary(
            "graph.query in the pool",
            timings(lambda: pool.run(rdflib_rows, ROWS_10000, timeout=60), 20),
        )
        print(f"  {'ratio pool / in-process (p50)':<34} {pooled / local:8.2f}x")


if __name__ == "__main__":
    main()
