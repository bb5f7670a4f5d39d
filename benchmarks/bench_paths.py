"""Path queries at scale: projection build, shortest path and bounded all-paths, against
networkx used directly on the same triples, in the same run.

For each size (synthetic graphs from ``synth_small.py`` in the project's vocabulary):

- build: ``build_projection(graph)`` (entities only, labels, types, predicate labels) against
  a plain loop over the triples adding every IRI-to-IRI triple but rdf:type to a
  ``networkx.MultiDiGraph`` — the least a networkx user would write;
- shortest: ``paths.shortest_path`` (bidirectional BFS, hop directions, labels) against
  ``nx.shortest_path`` on the plain graph's undirected view and on a prebuilt simple
  undirected copy, over the same seeded entity pairs (median per query);
- all-paths: ``paths.all_paths(max_length=4, limit=100)`` (shortest first, pruned, time budget)
  against ``islice(nx.all_simple_paths(view, a, b, cutoff=4), 100)`` — the raw call has no
  time bound, so it runs in a forked child that is stopped after ``--raw-timeout`` seconds.

Note the two sides walk different graphs: the plain graph also holds passages, the source and
observation units, which the projection leaves out, so the raw searches have hubs to cross.
Ratios (ours / raw) are printed, never asserted.

Run: ``.venv/bin/python benchmarks/bench_paths.py [--sizes 10000,100000,1000000] [--pairs 20]``
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing as mp
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth_small import synth

from ipgraph.errors import NoPath
from ipgraph.graph.paths import all_paths, shortest_path
from ipgraph.graph.projection import build_projection


def plain_loop(g: Graph) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for s, p, o in g.triples((None, None, None)):
        if p != RDF.type and not isinstance(o, Literal):
            G.add_edge(s, o, key=p)
    return G


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        value = work()
        best = min(best, time.perf_counter() - start)
    return best, value


def timed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


_CHILD: dict[str, Any] = {}


def _raw_all_paths(conn: Any, a: URIRef, b: URIRef) -> None:
    view = _CHILD["raw"].to_undirected(as_view=True)
    start = time.perf_counter()
    count = sum(1 for _ in itertools.islice(nx.all_simple_paths(view, a, b, cutoff=4), 100))
    conn.send((time.perf_counter() - start, count))


def raw_all_paths_bounded(raw: nx.MultiDiGraph, a: URIRef, b: URIRef, timeout: float) -> Any:
    """Seconds and path count of the raw call, or None if it ran past ``timeout``."""
    _CHILD["raw"] = raw
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_raw_all_paths, args=(child, a, b))
    proc.start()
    result = parent.recv() if parent.poll(timeout) else None
    proc.kill()
    proc.join()
    return result


def bench(size: int, pairs: int, raw_timeout: float, seed: int) -> None:
    start = time.perf_counter()
    g = synth(size, seed=seed)
    made = time.perf_counter() - start
    runs = 3 if size <= 100_000 else 1
    t_raw, raw = best_of(runs, lambda: plain_loop(g))
    t_proj, G = best_of(runs, lambda: build_projection(g))
    print(f"\n== {len(g):,} triples (generated in {made:.1f} s)")
    print(
        f"graph      plain loop {raw.number_of_nodes():,} nodes {raw.number_of_edges():,} edges;"
        f" projection {G.number_of_nodes():,} nodes {G.number_of_edges():,} edges"
    )
    print(
        f"build      plain loop {t_raw:8.3f} s   projection {t_proj:8.3f} s   "
        f"ratio {t_proj / t_raw:5.2f}x"
    )

    rng = random.Random(seed)
    candidates = sorted(
        n for n in G if "/document/" in n or "/program/" in n or "/org/" in n or "/region/" in n
    )
    chosen = [tuple(rng.sample(candidates, 2)) for _ in range(pairs)]
    view = raw.to_undirected(as_view=True)
    t_simple, simple = best_of(1, lambda: nx.Graph(view))
    same_view = G.to_undirected(as_view=True)
    ours, raw_view, raw_simple, same, lengths = [], [], [], [], []
    for a, b in chosen:
        try:
            ours.append(timed(lambda a=a, b=b: lengths.append(len(shortest_path(G, a, b)))))
        except NoPath:
            continue
        raw_view.append(timed(lambda a=a, b=b: nx.shortest_path(view, a, b)))
        raw_simple.append(timed(lambda a=a, b=b: nx.shortest_path(simple, a, b)))
        same.append(timed(lambda a=a, b=b: nx.shortest_path(same_view, a, b)))
    med = statistics.median
    print(
        f"shortest   {len(ours)} pairs, median length {med(lengths):.0f}: ours "
        f"{med(ours) * 1e3:8.2f} ms | nx on plain view {med(raw_view) * 1e3:8.2f} ms "
        f"(ratio {med(ours) / med(raw_view):5.2f}x) | nx on plain simple copy "
        f"{med(raw_simple) * 1e3:8.2f} ms (ratio {med(ours) / med(raw_simple):5.2f}x; "
        f"the copy took {t_simple:.2f} s) | nx on the projection's view "
        f"{med(same) * 1e3:8.2f} ms (ratio {med(ours) / med(same):5.2f}x)"
    )

    ours_all, counts, raw_all, raw_counts, timeouts, stopped = [], [], [], [], 0, 0
    for a, b in chosen[: max(3, pairs // 4)]:
        start = time.perf_counter()
        found = all_paths(G, a, b, max_length=4, limit=100, timeout=10.0)
        ours_all.append(time.perf_counter() - start)
        counts.append(len(found))
        stopped += found.reason == "time"
        result = raw_all_paths_bounded(raw, a, b, raw_timeout)
        if result is None:
            timeouts += 1
        else:
            raw_all.append(result[0])
            raw_counts.append(result[1])
    raw_text = (
        f"{med(raw_all) * 1e3:9.2f} ms median of {len(raw_all)} finished"
        if raw_all
        else "none finished"
    )
    ratio = f"ratio {med(ours_all) / med(raw_all):5.2f}x" if raw_all else "ratio n/a"
    print(
        f"all-paths  {len(ours_all)} pairs, <=4 hops, limit 100: ours {med(ours_all) * 1e3:9.2f} ms"
        f" (median {med(counts):.0f} paths, {stopped} hit the 10 s budget) | nx all_simple_paths"
        f" {raw_text}, {timeouts} stopped after {raw_timeout:g} s | {ratio}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated triple counts")
    parser.add_argument("--pairs", type=int, default=20, help="entity pairs per size")
    parser.add_argument("--raw-timeout", type=float, default=20.0, help="cap on the raw all-paths")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"networkx {nx.__version__}; ratios are ours / raw (below 1 = faster)")
    for size in (int(s) for s in args.sizes.split(",")):
        bench(size, args.pairs, args.raw_timeout, args.seed)


if __name__ == "__main__":
    main()
