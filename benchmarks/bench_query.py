"""Overhead of ``kg.query`` over a raw rdflib ``Graph.query`` on the same data and queries.

``kg.query`` parses the query, checks it (updates, SERVICE, FROM), binds the prefixes, runs it
and collects the rows into a `QueryResult`; the raw call parses and runs with ``initNs`` and
iterates the rows. Both see the same rdflib Dataset. Timings are medians of several runs; the
ratios are what matters (printed, never asserted). A second pass adds ``timeout=`` (the query
then runs in a worker thread) and a third uses a synthetic graph of ``--triples`` triples.

Run: ``.venv/bin/python benchmarks/bench_query.py [--runs 7] [--triples 20000]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ipgraph
from ipgraph.sparql import named_queries
from ipgraph.vocab import PREFIXES

QUERIES = [
    "joint-documents",
    "figures",
    "counts-per-class",
    "missing-chinese-labels",
    "programs-by-agency",
]


def median_ms(work: Callable[[], object], runs: int) -> float:
    work()  # warm caches (label index, parser) once, as a long-running process would
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def compare(kg: ipgraph.KnowledgeGraph, runs: int, timeout: float | None, title: str) -> None:
    init_ns = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    print(f"\n{title} ({len(kg.graph)} triples, median of {runs} runs)")
    print(f"{'query':<26} {'raw rdflib':>11} {'kg.query':>11} {'ratio':>7}")
    ratios = []
    for name in QUERIES:
        text = named_queries()[name].text

        def raw(text: str = text) -> object:
            return list(kg.graph.query(text, initNs=init_ns))

        def ours(text: str = text) -> object:
            return kg.query(text, timeout=timeout).rows

        raw_ms, ours_ms = median_ms(raw, runs), median_ms(ours, runs)
        ratios.append(ours_ms / raw_ms)
        print(f"{name:<26} {raw_ms:9.1f}ms {ours_ms:9.1f}ms {ours_ms / raw_ms:6.2f}x")
    print(f"{'geometric mean ratio':<50} {statistics.geometric_mean(ratios):6.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per query (median taken)")
    parser.add_argument("--triples", type=int, default=20000, help="size of the synthetic graph")
    args = parser.parse_args()

    kg = ipgraph.load()
    compare(kg, args.runs, None, "bundled graph, no time limit")
    compare(kg, args.runs, 60.0, "bundled graph, timeout=60 (worker thread)")

    from ipgraph import synth

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.nt"
        synth.write(path, args.triples)
        big = ipgraph.load(path)
    compare(big, max(3, args.runs // 2), None, f"bundled + synthetic {args.triples} triples")


if __name__ == "__main__":
    main()
