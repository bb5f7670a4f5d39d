"""Store backends at scale: ipgraph's memory and Oxigraph backends against the raw libraries.

For each size (synthetic graphs from `ipgraph.synth`) every backend runs in its own subprocess,
so peak memory (``ru_maxrss``) is its own. Measured: load, the named queries, four representative
queries (selective lookup, two-hop join, aggregate, property path), find, shortest path (first
call on a freshly opened store, against building the full networkx projection first), bounded
all-paths, and the render of a ~1,000-node view; for the raw libraries, rdflib's memory store
(parse + query) and pyoxigraph (bulk_load + query). Ratios are printed against the raw library
measured in the same run. Speed is never asserted.

    python benchmarks/bench_store.py                 # 10k and 100k
    python benchmarks/bench_store.py --sizes 1m      # the big one (several minutes)
    python benchmarks/bench_store.py --sizes 10k --backends oxigraph,pyoxigraph
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
BACKENDS = ["rdflib", "pyoxigraph", "memory", "oxigraph"]
ID = "https://w3id.org/ipgraph/id/"
AGENCY = f"<{ID}agency/synth-0>"
COUNTRY = f"<{ID}region/synth-1-country>"
QUERIES = {
    "lookup": f"SELECT ?p ?o WHERE {{ <{ID}document/synth-1-7> ?p ?o }}",
    "two-hop": "SELECT ?program ?doc WHERE { ?program ipg:implements ?doc . "
    f"?doc ipg:issuedBy {AGENCY} }}",
    "aggregate": "SELECT ?agency (COUNT(?doc) AS ?n) WHERE { ?doc ipg:issuedBy ?agency } "
    "GROUP BY ?agency ORDER BY DESC(?n)",
    "path": f"SELECT (COUNT(?region) AS ?n) WHERE {{ ?region ipg:partOf+ {COUNTRY} }}",
}
SKIP_RDFLIB_NAMED = os.environ.get("BENCH_STORE_SKIP_RDFLIB_NAMED") == "1"
"""rdflib takes minutes per named query at 1M triples: ``--sizes 1m`` skips them there."""
PATH_ENDS = (f"{ID}org/synth-1-5", f"{ID}region/synth-0")


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = work()
    return time.perf_counter() - start, value


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- workers (each in its own process) ------------------------------------------------------


def worker_rdflib(file: Path, out: dict[str, Any]) -> None:
    from rdflib import Dataset

    from ipgraph import data
    from ipgraph.sparql import named_queries
    from ipgraph.vocab import PREFIXES

    ds = Dataset(default_union=True)
    out["load"], _ = timed(lambda: ds.graph(f"urn:g:{file.stem}").parse(file, format="nt"))
    for path in data.bundled_files():  # the same data as the ipgraph backends (not timed)
        ds.graph(f"urn:g:{path.stem}").parse(path)
    init = {k: str(v) for k, v in PREFIXES.items()}
    for name, text in QUERIES.items():
        out[f"q:{name}"], _ = timed(lambda t=text: list(ds.query(t, initNs=init)))
    if SKIP_RDFLIB_NAMED:
        out["named (all)"] = "skipped"
        return
    total = 0.0
    for named in named_queries().values():
        if not named.params:
            total += timed(lambda t=named.text: list(ds.query(t, initNs=init)))[0]
    out["named (all)"] = total


def worker_pyoxigraph(file: Path, out: dict[str, Any], workdir: Path) -> None:
    import pyoxigraph as ox

    from ipgraph.sparql import named_queries
    from ipgraph.vocab import PREFIXES

    store = ox.Store(str(workdir / "raw"))
    out["load"], _ = timed(
        lambda: store.bulk_load(
            path=str(file),
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode(f"urn:g:{file.stem}"),
        )
    )
    from ipgraph import data

    for path in data.bundled_files():  # the same data as the ipgraph backends (not timed)
        fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
        store.bulk_load(path=str(path), format=fmt, to_graph=ox.NamedNode(path.as_uri()))
    prefixes = {k: str(v) for k, v in PREFIXES.items()}

    def run(text: str) -> int:
        result = store.query(text, use_default_graph_as_union=True, prefixes=prefixes)
        return sum(1 for row in result for _ in row) if hasattr(result, "variables") else 1

    for name, text in QUERIES.items():
        run(text)  # warm, as the ipgraph backends are warmed by opening
        out[f"q:{name}"], _ = timed(lambda t=text: run(t))
    total = 0.0
    for named in named_queries().values():
        if not named.params:
            total += timed(lambda t=named.text: run(t))[0]
    out["named (all)"] = total


def _kg_queries(kg: Any, out: dict[str, Any]) -> None:
    from ipgraph.sparql import named_queries

    skip_named = SKIP_RDFLIB_NAMED and kg.store.kind == "memory"

    for name, text in QUERIES.items():
        kg.query(text)  # warm
        out[f"q:{name}"], _ = timed(lambda t=text: kg.query(t).rows)
        if hasattr(kg.store, "query_raw"):
            out[f"q:{name} (store hook)"], _ = timed(
                lambda t=text: [tuple(r) for r in kg.store.query(t)]
            )
    total = 0.0
    for named in named_queries().values():
        if not named.params and not skip_named:
            total += timed(lambda n=named.name: kg.query_named(n))[0]
    out["named (all)"] = "skipped" if skip_named else total


def _kg_rest(kg: Any, out: dict[str, Any], local_path: bool) -> None:
    out["find (first)"], _ = timed(lambda: kg.find("patent navigation"))
    out["find"], _ = timed(lambda: kg.find("Synthetic Ministry"))
    a, b = PATH_ENDS
    if local_path:
        out["path (first, lookups)"], hops = timed(lambda: kg.path(a, b))
        out["path hops"] = len(hops.hops)
    out["projection build"], G = timed(kg.projection)
    from ipgraph.graph import paths

    ends = (kg.resolve(a), kg.resolve(b))
    out["path (networkx)"], hops = timed(lambda: paths.shortest_path(G, *ends, paths.Constraints()))
    out["path hops (networkx)"] = len(hops.hops)
    out["all-paths (<=4, 20)"], _ = timed(lambda: kg.paths(a, b, max_length=4, limit=20))
    try:
        html = Path(tempfile.mkdtemp()) / "view.html"
        out["render ~1000 nodes"], _ = timed(
            lambda: kg.render(a, depth=3, max_nodes=1000, output=html)
        )
    except Exception as exc:  # views are another module: report, don't fail the run
        out["render ~1000 nodes"] = f"n/a ({type(exc).__name__}: {exc})"[:80]


def worker_memory(file: Path, out: dict[str, Any]) -> None:
    import ipgraph

    out["load"], kg = timed(lambda: ipgraph.load(file))
    _kg_queries(kg, out)
    _kg_rest(kg, out, local_path=False)


def worker_oxigraph_load(file: Path, out: dict[str, Any], workdir: Path) -> None:
    from ipgraph.store import open_store

    store = open_store(f"oxigraph:{workdir / 'kgdb'}")
    out["load"], _ = timed(lambda: store.load_files([file]))
    store.load_files(__import__("ipgraph.data").data.bundled_files())  # as ipgraph.load would


def worker_oxigraph_open(file: Path, out: dict[str, Any], workdir: Path) -> None:
    import ipgraph

    spec = f"oxigraph:{workdir / 'kgdb'}"
    first = f"SELECT ?d WHERE {{ ?d ipg:issuedBy {AGENCY} }} LIMIT 10"
    out["reopen + first query"], _ = timed(lambda: ipgraph.load(file, store=spec).query(first))
    kg = ipgraph.load(file, store=spec)
    _kg_queries(kg, out)
    _kg_rest(kg, out, local_path=True)


def worker_oxigraph_path(file: Path, out: dict[str, Any], workdir: Path) -> None:
    """A freshly opened store: the first shortest path, by lookups."""
    import ipgraph

    a, b = PATH_ENDS
    out["open + first path (lookups)"], _ = timed(
        lambda: ipgraph.load(store=f"oxigraph:{workdir / 'kgdb'}").path(a, b)
    )


def worker_oxigraph_projection(file: Path, out: dict[str, Any], workdir: Path) -> None:
    """A freshly opened store: build the full networkx projection, then the path."""
    import ipgraph
    from ipgraph.graph import paths

    a, b = PATH_ENDS

    def full() -> Any:
        kg = ipgraph.load(store=f"oxigraph:{workdir / 'kgdb'}")
        G = kg.projection()
        return paths.shortest_path(G, kg.resolve(a), kg.resolve(b), paths.Constraints())

    out["open + projection + path"], _ = timed(full)


def worker(kind: str, file: Path, workdir: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if kind == "rdflib":
        worker_rdflib(file, out)
    elif kind == "pyoxigraph":
        worker_pyoxigraph(file, out, workdir)
    elif kind == "memory":
        worker_memory(file, out)
    elif kind == "oxigraph-load":
        worker_oxigraph_load(file, out, workdir)
    elif kind == "oxigraph":
        worker_oxigraph_open(file, out, workdir)
    elif kind == "oxigraph-path":
        worker_oxigraph_path(file, out, workdir)
    elif kind == "oxigraph-projection":
        worker_oxigraph_projection(file, out, workdir)
    out["peak MB"] = peak_mb()
    return out


# -- driver ---------------------------------------------------------------------------------


def spawn(kind: str, file: Path, workdir: Path) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            kind,
            "--file",
            str(file),
            "--workdir",
            str(workdir),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def fmt(value: Any, key: str = "") -> str:
    if key == "peak MB" and isinstance(value, float):
        return f"{value:9.0f} MB"
    if isinstance(value, float):
        return f"{value * 1000:9.1f} ms" if value < 10 else f"{value:9.2f} s "
    return f"{value!s:>12}"


def ratio(a: Any, b: Any) -> str:
    if isinstance(a, float) and isinstance(b, float) and b > 0:
        return f"{a / b:7.2f}x"
    return "       "


def report(size: str, results: dict[str, dict[str, Any]]) -> None:
    raw_ox, raw_rdf = results.get("pyoxigraph", {}), results.get("rdflib", {})
    print(f"\n== {size} triples " + "=" * 70)
    for kind, values in results.items():
        print(f"\n[{kind}]" + ("   ratio vs pyoxigraph / vs rdflib" if kind != "rdflib" else ""))
        for key, value in values.items():
            base_key = key.replace(" (store hook)", "")
            line = f"  {key:32} {fmt(value, key)}"
            if kind not in {"pyoxigraph", "rdflib"} and base_key in raw_ox:
                line += f"  {ratio(value, raw_ox[base_key])}"
            if kind != "rdflib" and base_key in raw_rdf:
                line += f"  {ratio(value, raw_rdf[base_key])}"
            print(line)
    ox_open = results.get("oxigraph", {}).get("reopen + first query")
    memory_load = results.get("memory", {}).get("load")
    if isinstance(ox_open, float) and isinstance(memory_load, float):
        print(
            f"\n  reopen+first query vs re-parsing (ipgraph memory load): "
            f"{memory_load / ox_open:.0f}x faster"
        )
    if isinstance(ox_open, float) and isinstance(raw_ox.get("load"), float):
        print(
            f"  reopen+first query vs pyoxigraph bulk_load again: "
            f"{raw_ox['load'] / ox_open:.0f}x faster"
        )
    first = results.get("oxigraph-path", {}).get("open + first path (lookups)")
    full = results.get("oxigraph-projection", {}).get("open + projection + path")
    if isinstance(first, float) and isinstance(full, float):
        print(
            f"  first shortest path on a fresh store: lookups {first:.3f}s vs full projection "
            f"{full:.3f}s = {full / first:.1f}x faster"
        )
    mem_ox = results.get("oxigraph", {}).get("peak MB")
    mem_rdf = results.get("memory", {}).get("peak MB") or raw_rdf.get("peak MB")
    if isinstance(mem_ox, float) and isinstance(mem_rdf, float):
        print(
            f"  peak memory: oxigraph {mem_ox:.0f} MB vs memory (rdflib) {mem_rdf:.0f} MB "
            f"= {mem_ox / mem_rdf:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k,100k,1m")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--rdflib-named", action="store_true", help="run the named queries on rdflib at 1m too"
    )
    parser.add_argument("--worker")
    parser.add_argument("--file", type=Path)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.file, args.workdir)))
        return
    from ipgraph import synth

    backends = args.backends.split(",")
    if "1m" in args.sizes.split(",") and not args.rdflib_named:
        os.environ["BENCH_STORE_SKIP_RDFLIB_NAMED"] = "1"
    for size in args.sizes.split(","):
        workdir = Path(tempfile.mkdtemp(prefix=f"bench-store-{size}-"))
        try:
            file = workdir / f"synth-{size}.nt"
            written = synth.write(file, SIZES[size], seed=args.seed)
            print(f"generated {written} triples ({file.stat().st_size / 1e6:.0f} MB)", flush=True)
            results: dict[str, dict[str, Any]] = {}
            for kind in backends:
                if kind == "oxigraph":
                    load = spawn("oxigraph-load", file, workdir)
                    results["oxigraph"] = {"load": load.get("load", load.get("error"))}
                    results["oxigraph"].update(spawn("oxigraph", file, workdir))
                    results["oxigraph-path"] = spawn("oxigraph-path", file, workdir)
                    results["oxigraph-projection"] = spawn("oxigraph-projection", file, workdir)
                else:
                    results[kind] = spawn(kind, file, workdir)
                print(f"  measured {kind}", flush=True)
            report(size, results)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
