"""The name index (`ipgraph.store.names`) at scale, against a plain SQLite baseline.

Builds the index from a synthetic N-Triples file (streamed: pyoxigraph parses, only name and
type triples are kept, records go in by batches in one transaction), then times 20 newcomer
queries against (a) the index and (b) a plain SQLite table of the same names searched the
obvious way, ``WHERE lower(text) LIKE '%query%'`` (a scan). Speed is never asserted.

    ipgraph synth --triples 1000000 --seed 1 -o /tmp/s.nt
    python benchmarks/bench_names.py /tmp/s.nt            # also adds the bundled graph
    python benchmarks/bench_names.py /tmp/s.nt --file /tmp/names.sqlite
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
from rdflib import Literal, URIRef
from rdflib.term import Node

import ipgraph
from ipgraph.store.names import NAME_PREDICATES, NameIndex, name_records, records_from_triples
from ipgraph.vocab import IPG

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
WANTED = {str(p) for p in NAME_PREDICATES} | {RDF_TYPE}
QUERIES = [
    "MIIT",
    "工信部",
    "university",
    "高校",
    "大学",
    "发改委",
    "GB/T 39551",
    "Minstry of Finance",
    "patent navigation",
    "Synthetic Ministry of Commerce",
    "SMOFCOM",
    "Anhui (synthetic)",
    "合成商务部",
    "专利导航",
    "Notice on Promoting",
    "rural revitalization",
    "知识产权强国建设纲要",
    "Guidlines for Patent Navigaton",
    "Fujian patent navigation centre",
    "十四五规划",
]


def triples(path: Path) -> Iterator[tuple[Node, Node, Node]]:
    """Name and type triples of an N-Triples file, as rdflib terms."""
    for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES):
        p = quad.predicate.value
        if p not in WANTED or not isinstance(quad.subject, pyoxigraph.NamedNode):
            continue
        o = quad.object
        if isinstance(o, pyoxigraph.NamedNode):
            yield URIRef(quad.subject.value), URIRef(p), URIRef(o.value)
        elif isinstance(o, pyoxigraph.Literal):
            term = Literal(o.value, lang=o.language) if o.language else Literal(o.value)
            yield URIRef(quad.subject.value), URIRef(p), term


def timed_ms(work: object, repeat: int = 5) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = work()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ntriples", type=Path, help="a synthetic graph (ipgraph synth -o ...)")
    parser.add_argument("--file", help="index file (default: a fresh temporary file)")
    args = parser.parse_args()
    target = args.file or f"/tmp/bench-names-{os.getpid()}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(target + suffix).unlink(missing_ok=True)
    weights = {str(IPG.Observation): 0.5, str(IPG.Passage): 0.3}
    index = NameIndex.open(target, type_weights=weights)

    start = time.perf_counter()
    records = list(records_from_triples(triples(args.ntriples)))
    parsed = time.perf_counter() - start
    start = time.perf_counter()
    stored = index.replace_graph("urn:bench:synth", records)
    index.replace_graph("urn:bench:bundled", name_records(ipgraph.load().graph))
    built = time.perf_counter() - start
    size = Path(target).stat().st_size / 1e6
    print(f"records: {stored:,} names of {len(index):,} entities from {args.ntriples}")
    print(f"parse+select {parsed:.1f} s, index build {built:.1f} s, file {size:.0f} MB")

    plain = sqlite3.connect(":memory:")
    plain.execute("CREATE TABLE labels (iri TEXT, text TEXT)")
    plain.executemany("INSERT INTO labels VALUES (?, ?)", ((r.iri, r.text) for r in records))
    plain.execute("CREATE INDEX labels_text ON labels (text)")

    print(f"\n{'query':34} {'index ms':>9} {'LIKE ms':>9} {'= ms':>7}  top hit (how)")
    index_times, like_times = [], []
    for query in QUERIES:
        ms, hits = timed_ms(lambda q=query: index.search(q, limit=10))
        like_ms, _ = timed_ms(
            lambda q=query: plain.execute(
                "SELECT iri, text FROM labels WHERE lower(text) LIKE ? LIMIT 10",
                (f"%{q.lower()}%",),
            ).fetchall()
        )
        eq_ms, _ = timed_ms(
            lambda q=query: plain.execute(
                "SELECT iri FROM labels WHERE text = ? LIMIT 10", (q,)
            ).fetchall()
        )
        index_times.append(ms)
        like_times.append(like_ms)
        top = hits[0] if hits else None  # type: ignore[index]
        shown = f"{top.matched[:40]} ({top.how})" if top else "-"
        print(f"{query:34} {ms:9.2f} {like_ms:9.2f} {eq_ms:7.2f}  {shown}")
    print(
        f"\nmedian: index {statistics.median(index_times):.2f} ms, "
        f"LIKE scan {statistics.median(like_times):.2f} ms; "
        f"max: index {max(index_times):.2f} ms"
    )
    index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
