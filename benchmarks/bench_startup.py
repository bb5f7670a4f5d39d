"""Start-up cost of ``ipgraph find MOE`` against a bare rdflib script doing the same work.

The bare script parses the same bundled files with rdflib and looks the acronym up among the
labels; ``ipgraph find`` does that plus its own imports, the name index and the table. Each
command runs as a fresh process, as a user types it. The two commands take turns, so that a
busy machine slows both alike; the median of the runs is printed with the ratio, in wall-clock
time and in CPU time (user + system, less disturbed by other processes). Target: within 2x.

``ipgraph find`` reads its name index from the per-user cache, which its first run writes (a
temporary folder here, so the figures do not depend on an earlier run): that first run is
timed on its own, not counted in the median. ipgraph's modules are compiled to bytecode first,
as installing the wheel does (an editable install under ``PYTHONDONTWRITEBYTECODE`` would
otherwise compile them on every run, while rdflib's come compiled).

Run: ``.venv/bin/python benchmarks/bench_startup.py [--runs 10]``
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
import sys
from rdflib import Dataset, Literal
from rdflib.namespace import RDFS, SKOS
g = Dataset(default_union=True)
for path in sys.argv[1:]:
    g.parse(path, format="trig" if path.endswith(".trig") else "turtle")
hits = [s for p in (RDFS.label, SKOS.altLabel) for s, o in g.subject_objects(p)
        if isinstance(o, Literal) and str(o).casefold() == "moe"]
print(hits)
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs per command (median taken)")
    args = parser.parse_args()

    import ipgraph
    from ipgraph import data

    compileall.compile_dir(Path(ipgraph.__file__).parent, quiet=1)
    files = [str(p) for p in data.bundled_files()]
    ipgraph_cmd = shutil.which("ipgraph", path=str(Path(sys.executable).parent))
    if ipgraph_cmd is None:
        sys.exit("ipgraph is not installed in this environment: run `make test` first")
    bare_cmd = [sys.executable, "-c", BARE, *files]
    find_cmd = [ipgraph_cmd, "find", "MOE"]
    with tempfile.TemporaryDirectory(prefix="bench-startup-cache-") as cache:
        env = {**os.environ, "IPGRAPH_CACHE_DIR": cache}
        timed(bare_cmd, env)  # warm the file system cache for both
        first, _ = timed(find_cmd, env)  # writes the name index into the empty cache
        bare, ours = [], []
        for _ in range(args.runs):
            bare.append(timed(bare_cmd, env))
            ours.append(timed(find_cmd, env))

    def median(runs: list[tuple[float, float]], which: int) -> float:
        return statistics.median(run[which] for run in runs)

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"medians of {args.runs} runs each, taking turns; load average {load}")
    print(f"{'':28} {'wall':>8} {'cpu':>8}")
    for name, runs in (("bare rdflib parse + lookup", bare), ("ipgraph find MOE", ours)):
        print(f"{name:28} {median(runs, 0) * 1000:6.0f}ms {median(runs, 1) * 1000:6.0f}ms")
    print(
        f"{'ratio ipgraph / bare rdflib':28} {median(ours, 0) / median(bare, 0):7.2f}x "
        f"{median(ours, 1) / median(bare, 1):7.2f}x  (target: within 2x)"
    )
    print(f"ipgraph find MOE, first run (writes the name index cache): {first * 1000:.0f} ms")


if __name__ == "__main__":
    main()
