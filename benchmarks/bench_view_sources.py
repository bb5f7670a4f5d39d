"""The sources of a view's links (`ipgraph.provenance.statement_sources`), three ways, on the
same links of the same graph in the same run: by quad look-ups (what a local store uses), by
``VALUES`` queries of 300 statements joined with ``GRAPH ?g`` (what a SPARQL server is asked,
and what every store did before), and one `why` per statement (the reference the tests compare
with). Printed: seconds and ratios against the look-ups.

The graph is ``ipgraph synth`` (about 33,000 triples by default) added to the bundled one; the
links are those of the overview cut to ``--max-nodes`` nodes.

Run: ``.venv/bin/python benchmarks/bench_view_sources.py [--triples 33000] [--max-nodes 400]``
(under ``flock /work/notes/bench.lock`` when other work shares the machine).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import URIRef

import ipgraph
from ipgraph import provenance
from ipgraph.views.build import ViewSpec, build_view


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=33_000)
    parser.add_argument("--max-nodes", type=int, default=400)
    parser.add_argument("--why-sample", type=int, default=100, help="statements asked by why")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        synth = Path(folder) / "synth.nt"
        ipgraph_cli = [sys.executable, "-m", "ipgraph.cli"]
        subprocess.run(
            [*ipgraph_cli, "synth", "--triples", str(args.triples), "-o", str(synth)],
            check=True,
            capture_output=True,
        )
        kg = ipgraph.load()
        kg.add(synth)
        view = build_view(kg, ViewSpec(max_nodes=args.max_nodes))
    links = [
        (URIRef(e["from"]), URIRef(e["predicate"]), URIRef(e["to"]))
        for e in view.edges
        if not e["from"].startswith("_") and not e["to"].startswith("_")
    ]
    provenance.describe_graphs(kg, set(kg.store.graph_names()))  # cached for all three

    def timed(run: object) -> float:
        start = time.perf_counter()
        run()  # type: ignore[operator]
        return time.perf_counter() - start

    lookups = timed(lambda: provenance.statement_sources(kg, links))
    queries = timed(lambda: provenance._graphs_by_query(kg, links))
    sample = links[: args.why_sample]
    per_statement = timed(lambda: [kg.why(*link) for link in sample]) * len(links) / len(sample)
    print(f"{len(kg.graph):,} triples, {len(links):,} links ({args.max_nodes} nodes)")
    print(f"  quad look-ups (local stores)      {lookups:8.2f} s   1.0")
    print(f"  VALUES queries of 300 (servers)   {queries:8.2f} s   {queries / lookups:6.1f}x")
    print(
        f"  one why per statement (estimated) {per_statement:8.2f} s   "
        f"{per_statement / lookups:6.1f}x  (from {len(sample)} statements)"
    )


if __name__ == "__main__":
    main()
