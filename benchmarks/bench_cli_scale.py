"""Every command by name on a large store, as users run it: whole processes, against ASK.

Builds a fresh Oxigraph store of a synthetic graph (``ipgraph synth`` + ``ipgraph load``; the
load also builds the name index and the figures ``info`` shows), then runs each command below
as a whole ``ipgraph`` process several times and prints the median wall time and peak memory
(the process's maximum resident set, from ``wait4``) next to those of
``ipgraph query --store S 'ASK { ?s ?p ?o }'`` on the same store: the cost of starting ipgraph
and opening the store, which no command can beat. Speed is measured here, never asserted. On
Oxigraph two "floor" rows follow: pyoxigraph alone reading the hub's links and running the
`connections` query on it, the memory any program needs for what the hub rows must read.

With ``--virtuoso`` the same commands run against a Virtuoso 7 server (Debian's package,
started as ``tests/virtuoso.py`` does) bulk-loaded with the bundled graph and the 1M graph,
with its literals text-indexed for ``bif:contains``, against an ASK on that server.

    python benchmarks/bench_cli_scale.py                      # 1M triples, 5 runs each
    python benchmarks/bench_cli_scale.py --sizes 1m,5m --runs 3
    python benchmarks/bench_cli_scale.py --virtuoso           # also Virtuoso at 1M
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

IPGRAPH = str(Path(sys.executable).with_name("ipgraph"))
BASELINE = ("query", "ASK { ?s ?p ?o }")
COMMANDS: dict[str, tuple[str, ...]] = {
    "find": ("find", "Ministry of Finance"),
    "show": ("show", "MOF"),
    "path": ("path", "MOF", "Zhejiang"),
    "neighbors": ("neighbors", "MOF"),
    "info": ("info",),
    "render --depth 1": ("render", "MOF", "--depth", "1", "-o", "{tmp}/view.html"),
    "query --name": ("query", "--name", "connections", "--param", "entity=MOF"),
    # the issue's own example: a synthetic hub with ~12,500 links at 1M
    "find hub": ("find", "Synthetic Ministry of Commerce"),
    "show hub": ("show", "SMOFCOM"),
    "path hub": ("path", "SMOFCOM", "Anhui (synthetic)"),
    "neighbors hub": ("neighbors", "SMOFCOM"),
    "render hub": ("render", "SMOFCOM", "--depth", "1", "-o", "{tmp}/hub.html"),
    "query --name hub": ("query", "--name", "connections", "--param", "entity=SMOFCOM"),
    # constrained paths, searched by lookups too
    "path --avoid": ("path", "MOF", "Zhejiang", "--avoid", "CNIPA"),
    "path --via": ("path", "agency/synth-2", "agency/synth-7", "--via", "ipg:Program"),
    "neighbors --avoid": ("neighbors", "region/synth-11", "--avoid", "ipg:Agency"),
    # several paths: read by lookups, one length at a time (not among the goals)
    "path --all": ("path", "MOF", "Zhejiang", "--all"),
    "path --all hub": ("path", "SMOFCOM", "Anhui (synthetic)", "--all"),
    "path --k hub": ("path", "SMOFCOM", "Anhui (synthetic)", "--k", "3"),
}
SIZES = {"100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}
BEYOND = {"path --all", "path --all hub", "path --k hub"}  # printed, not in the worst figures
# The issue's goals, as (time, memory) against the ASK: 4x and 2x at 1M; "at 5M triples within
# 6x", one figure, read for both (the floor rows show why 2x cannot hold there around a hub).
GOALS = {"1m": (4.0, 2.0), "5m": (6.0, 6.0)}
# What pyoxigraph alone (no rdflib, no ipgraph) needs on the same store to read the hub's links,
# and to run the `connections` named query on it as ipgraph binds it, each term's text read as
# ipgraph reads it. Their memory is a floor for the hub rows; their time is not (pyoxigraph
# sorts the connections in its engine, several times slower than ipgraph's sort in Python).
FLOOR = r"""
import json, sys
from pathlib import Path
import pyoxigraph
root, text = Path(sys.argv[1]), sys.argv[2]
data = json.loads((root / "ipgraph.json").read_text())["data"]
store = pyoxigraph.Store.read_only(str(root / data))
label = '"Synthetic Ministry of Commerce"@en'
(hub,) = next(iter(store.query(
    f"SELECT ?s WHERE {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> {label} }} LIMIT 1",
    use_default_graph_as_union=True)))
text = text.replace("HUB", str(hub))
print(sum(len(t.value) for row in store.query(text, use_default_graph_as_union=True) for t in row))
"""


def floor_queries() -> dict[str, str]:
    """The floor rows' queries, ``HUB`` standing for the hub's IRI."""
    named = resources.files("ipgraph.sparql") / "queries" / "connections.rq"
    prefixes = (
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
        "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
    )
    bound = named.read_text(encoding="utf-8").replace(
        "WHERE {", "WHERE { VALUES ( ?entity ) { ( HUB ) }", 1
    )
    return {
        "floor: hub links": "SELECT ?m ?p WHERE { { HUB ?p ?m } UNION { ?m ?p HUB } }",
        "floor: connections": prefixes + bound,
    }


ONLY: list[str] = []  # --only: run the commands whose names contain one of these words


def run(args: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Run one process; its wall time in seconds, peak memory in KiB and exit status."""
    start = time.perf_counter()
    process = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or os.environ.copy()
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0,):
        error = process.stderr.read().decode() if process.stderr else ""
        raise RuntimeError(f"{' '.join(args)} failed ({process.returncode}): {error.strip()}")
    if process.stderr:
        process.stderr.close()
    return elapsed, usage.ru_maxrss, process.returncode


def measure(store: str, runs: int, tmp: Path) -> dict[str, tuple[float, float]]:
    """Median seconds and median peak KiB of the baseline and every command on ``store``."""
    results: dict[str, tuple[float, float]] = {}
    chosen = {n: a for n, a in COMMANDS.items() if not ONLY or any(w in n for w in ONLY)}
    for name, args in {"ASK (baseline)": BASELINE, **chosen}.items():
        argv = [IPGRAPH, *(a.replace("{tmp}", str(tmp)) for a in args), "--store", store]
        times, peaks = [], []
        try:
            run(argv)  # warm the page cache: every figure is of a warm start
            for _ in range(runs):
                seconds, peak, _ = run(argv)
                times.append(seconds)
                peaks.append(peak)
        except RuntimeError as exc:
            print(f"  {name:18} FAILED: {str(exc)[-160:]}", flush=True)
            continue
        results[name] = (statistics.median(times), statistics.median(peaks))
        seconds, peak = results[name]
        print(f"  {name:18} {seconds:7.2f} s  {peak / 1024:7.0f} MB", flush=True)
    return results


def floors(store: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Median seconds and peak KiB of pyoxigraph alone doing what the hub rows must (`FLOOR`)."""
    results: dict[str, tuple[float, float]] = {}
    for name, text in floor_queries().items():
        argv = [sys.executable, "-c", FLOOR, str(store), text]
        run(argv)
        measured = [run(argv) for _ in range(runs)]
        results[name] = (
            statistics.median(m[0] for m in measured),
            statistics.median(m[1] for m in measured),
        )
        seconds, peak = results[name]
        print(f"  {name:18} {seconds:7.2f} s  {peak / 1024:7.0f} MB", flush=True)
    return results


def report(
    title: str,
    results: dict[str, tuple[float, float]],
    goal: tuple[float, float] | None,
    reference: bool = False,
) -> None:
    """Print the table of ratios, then the worst of the issue's commands against ``goal``
    (with ``reference``, a yardstick the issue does not set: a server's figures)."""
    if "ASK (baseline)" not in results:
        print(f"\n{title}: no baseline (the ASK failed); absolute figures above")
        return
    base_s, base_kb = results["ASK (baseline)"]
    print(f"\n{title}")
    print(f"{'command':18} {'median s':>9} {'x ASK':>7} {'peak MB':>8} {'x ASK':>7}")
    for name, (seconds, peak) in results.items():
        print(
            f"{name:18} {seconds:9.2f} {seconds / base_s:6.2f}x {peak / 1024:8.0f} "
            f"{peak / base_kb:6.2f}x"
        )
    commands = [
        value
        for name, value in results.items()
        if name != "ASK (baseline)" and name not in BEYOND and not name.startswith("floor")
    ]
    if goal is not None and commands:
        worst = max(s / base_s for s, _ in commands)
        memory = max(k / base_kb for _, k in commands)
        kind = "the 1M goal, for reference" if reference else "goal"
        print(
            f"worst of the issue's commands: {worst:.2f}x time ({kind} ≤ {goal[0]:g}x), "
            f"{memory:.2f}x memory ({kind} ≤ {goal[1]:g}x)"
        )
    print("load average now: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


def synthetic(workdir: Path, size: str) -> Path:
    path = workdir / f"synth-{size}.nt"
    if not path.exists():
        subprocess.run(
            [IPGRAPH, "synth", "--triples", str(SIZES[size]), "--seed", "1", "-o", str(path)],
            check=True,
        )
    return path


def oxigraph(workdir: Path, size: str, runs: int, reuse: bool = False) -> None:
    source = synthetic(workdir, size)
    store = workdir / f"store-{size}"
    if reuse and (store / "ipgraph.json").exists():
        print(f"\n{size}: reusing the store {store}")
    else:
        shutil.rmtree(store, ignore_errors=True)
        load = [IPGRAPH, "load", "-q", "--store", f"oxigraph:{store}", str(source)]
        seconds, peak, _ = run(load)
        print(f"\n{size}: loaded {source.name} in {seconds:.1f} s (peak {peak / 1024:.0f} MB)")
    results = measure(f"oxigraph:{store}", runs, workdir)
    if not ONLY or any(w in ("floor", "hub") for w in ONLY):
        results.update(floors(store, runs))
    report(f"Oxigraph, {size} triples, median of {runs} runs", results, GOALS.get(size))


def virtuoso(workdir: Path, size: str, runs: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from virtuoso import SYNTH_GRAPH, VirtuosoServer, bundled_graphs

    root = Path(tempfile.mkdtemp(prefix="ipgraph-bench-virtuoso-"))
    try:
        server = VirtuosoServer.start(root, memory_mb=2048)
        try:
            source = root / "load" / "synth.nt"
            shutil.copy(synthetic(workdir, size), source)
            start = time.perf_counter()
            server.bulk_load({**bundled_graphs(), source: SYNTH_GRAPH})
            server.enable_text_index()
            print(f"\nVirtuoso {size}: bulk load + text index {time.perf_counter() - start:.1f} s")
            results = measure(f"sparql:{server.url}", runs, workdir)
            title = f"Virtuoso 7, {size} triples, median of {runs} runs"
            report(title, results, GOALS.get(size), reference=True)
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1m", help="comma-separated: 100k, 1m, 5m")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command")
    parser.add_argument("--workdir", type=Path, help="keep the graphs and stores here")
    parser.add_argument("--reuse", action="store_true", help="reuse stores the workdir holds")
    parser.add_argument("--virtuoso", action="store_true", help="also Virtuoso at 1M")
    parser.add_argument("--virtuoso-only", action="store_true", help="only Virtuoso")
    parser.add_argument("--only", default="", help="comma-separated words: hub, path, ...")
    args = parser.parse_args()
    ONLY.extend(w.strip() for w in args.only.split(",") if w.strip())
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ipgraph-bench-cli-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if not args.virtuoso_only:
        for size in args.sizes.split(","):
            oxigraph(workdir, size.strip(), args.runs, args.reuse)
    if args.virtuoso or args.virtuoso_only:
        virtuoso(workdir, "1m", args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
