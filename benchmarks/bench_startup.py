"""Start-up cost of ``ipgraph find MOE`` against a bare rdflib script doing the same work.

The bare script parses the same bundled files with rdflib and looks the acronym up among the
labels; ``ipgraph find`` does that plus its own imports, the label index and the table. Each
command runs as a fresh process, as a user types it; the median of several runs is printed
with the ratio (issue target: within 2x).

Run: ``.venv/bin/python benchmarks/bench_startup.py [--runs 10]``
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
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


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs per command (median taken)")
    args = parser.parse_args()

    from ipgraph import data

    files = [str(p) for p in data.bundled_files()]
    ipgraph_cmd = shutil.which("ipgraph", path=str(Path(sys.executable).parent))
    if ipgraph_cmd is None:
        sys.exit("ipgraph is not installed in this environment: run `make test` first")
    bare = median_seconds([sys.executable, "-c", BARE, *files], args.runs)
    ours = median_seconds([ipgraph_cmd, "find", "MOE"], args.runs)
    print(f"bare rdflib parse + lookup : {bare * 1000:7.0f} ms (median of {args.runs})")
    print(f"ipgraph find MOE           : {ours * 1000:7.0f} ms (median of {args.runs})")
    print(f"ratio ipgraph / bare rdflib: {ours / bare:7.2f}x  (target: within 2x)")


if __name__ == "__main__":
    main()
