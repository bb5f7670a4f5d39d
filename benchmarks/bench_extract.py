"""Extraction benchmark: `ipgraph.extract` on the seed chapter, scored against what it states.

Runs the extractor on the seed chapter ``000_cff59e30763718c1.txt`` and compares what it
proposes with the curated facts of ``ontology/sources/cnipa-ar2021-ch4.trig``, kind by kind,
printing recall, precision and every miss. The truth is what the chapter STATES
(docs/provenance.md): the statements in its passage graphs (one named graph per passage, named by
the passage IRI ``id/passage/cnipa-ar2021-ch4/...``) and in its self-description graph
(``id/source/cnipa-ar2021-ch4``), read with `rdflib.Dataset` from the TriG. Labels of those
entities are looked up in the whole bundled data set (``ipgraph.load().graph``).

- entities linked: nodes a passage graph says the passage names (``prov:wasDerivedFrom``), not
  titled documents, observations, passages or sources, vs. the known entities the draft links;
  "attainable" counts only those the text names by one of their labels (a plain
  case-insensitive search, independent of the linker);
- documents: the chapter's titled policy documents (the extractor's `DOCUMENT_CLASSES`; a
  ``ipg:Directive``, referred to without a title, is an entity to link) vs. the draft's
  documents (same IRI, or same title);
- figures: the chapter's observations with a stated value vs. the draft's, one to one on
  (value, qualifier, unit); an observation the chapter gives no value for is listed, not scored;
- issuers: (document, ipg:issuedBy | ipg:publishedBy, organization) stated by the chapter vs.
  the draft's. Issuers of the chapter's documents recorded only by second sources or curator
  inferences are not facts of the chapter: they are not misses, and are listed as "known from
  other sources" (a draft pair matching one counts against precision, the chapter not saying
  it, and is marked so).

"warm" links against the whole bundled graph (the real use); "cold" against the ontology alone,
so documents and figures must be found by their form, not by known names. Then throughput: the
chapter repeated to about 100 pages of 3,000 characters, median of 3 runs of extraction alone
and of extraction + RDF graph (goal: 100 pages in under 10 s).

The seed is ``$IPGRAPH_SEED`` (the file) or in ``$IPGRAPH_SEEDS`` (its folder) when one is set;
otherwise it is looked for in ``shared/seeds/`` next to the repository or next to any folder
above it (a git worktree elsewhere); the bench says where it looked when it is missing.

    python benchmarks/bench_extract.py
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Collection
from collections.abc import Set as AbstractSet
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS
from rdflib.term import Node

import ipgraph
from ipgraph.data import ontology_dir, vocabulary_file
from ipgraph.extract import NameTable, extract, names_from_graph
from ipgraph.extract.model import DOCUMENT_CLASSES
from ipgraph.vocab import ID, IPG

REPO = Path(__file__).resolve().parents[1]
SEED_NAME = "000_cff59e30763718c1.txt"
CHAPTER = ontology_dir() / "sources" / "cnipa-ar2021-ch4.trig"
PASSAGES = str(ID["passage/cnipa-ar2021-ch4/"])
SELF = ID["source/cnipa-ar2021-ch4"]
GOAL_RECALL, GOAL_PRECISION = 0.90, 0.80
PAGE, RUNS = 3000, 3
NOT_ENTITIES = {IPG.Source, IPG.Passage, IPG.Observation}
ISSUER_PROPERTIES = (IPG.issuedBy, IPG.publishedBy)


def find_seed() -> tuple[Path | None, list[Path]]:
    """The seed text, and every place looked at (for the message when it is missing).

    An environment variable, when set, is the only place looked at: a wrong one is an error,
    not a reason to score some other copy.
    """
    if os.environ.get("IPGRAPH_SEED"):
        tried = [Path(os.environ["IPGRAPH_SEED"])]
    elif os.environ.get("IPGRAPH_SEEDS"):
        tried = [Path(os.environ["IPGRAPH_SEEDS"]) / SEED_NAME]
    else:
        tried = [folder / "shared" / "seeds" / SEED_NAME for folder in REPO.parents]
    return next((path for path in tried if path.is_file()), None), tried


def norm(text: str) -> str:
    text = re.sub(r"<[^>]+>|\*", "", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def labels(graph: Graph, node: Node) -> list[str]:
    return [
        str(o)
        for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
        for o in graph.objects(node, p)
        if isinstance(o, Literal)
    ]


def chapter_graph(path: Path) -> tuple[Graph, int]:
    """The union of the chapter's passage graphs and its self-description graph."""
    dataset = Dataset()
    dataset.parse(path, format="trig")
    stated = Graph()
    passages = 0
    for graph in dataset.graphs():
        name = graph.identifier
        if str(name).startswith(PASSAGES) or name == SELF:
            passages += str(name).startswith(PASSAGES)
            for triple in graph:
                stated.add(triple)
    return stated, passages


def score(
    name: str, truth: AbstractSet[Any] | Counter[Any], found: Counter[Any]
) -> dict[str, object]:
    truth_c = truth if isinstance(truth, Counter) else Counter(truth)
    hit = sum((truth_c & found).values())
    recall = hit / max(1, sum(truth_c.values()))
    precision = hit / max(1, sum(found.values()))
    return {
        "kind": name,
        "truth": sum(truth_c.values()),
        "found": sum(found.values()),
        "hit": hit,
        "recall": recall,
        "precision": precision,
        "missed": sorted(map(str, (truth_c - found).elements())),
        "wrong": sorted(map(str, (found - truth_c).elements())),
    }


def report(row: dict[str, object], elsewhere: Collection[str] = ()) -> None:
    recall, precision = float(row["recall"]), float(row["precision"])  # type: ignore[arg-type]
    ok = "ok " if recall >= GOAL_RECALL and precision >= GOAL_PRECISION else "LOW"
    print(
        f"  [{ok}] {row['kind']:<28} recall {recall:6.1%} ({row['hit']}/{row['truth']})"
        f"   precision {precision:6.1%} ({row['hit']}/{row['found']})"
    )
    for label, key in (("missed", "missed"), ("not stated by the chapter", "wrong")):
        items = row[key]
        assert isinstance(items, list)
        for item in items:
            note = " (known from other sources)" if item in elsewhere else ""
            print(f"         {label}: {short(item)}{note}")


def short(item: str) -> str:
    for base, prefix in (("id/", "id:"), ("draft/", "draft:"), ("graph/", "graph:")):
        item = item.replace("https://w3id.org/ipgraph/" + base, prefix)
    return item


def pair(document: object, issuer: object) -> str:
    return f"{document} issued/published by {issuer}"


def median_times(text: str, table: NameTable) -> tuple[float, float, int]:
    """Median seconds of extraction alone and of extraction + RDF graph, over `RUNS` runs."""
    extracted, total, triples = [], [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        draft = extract(text, table, source="throughput.md")
        extracted.append(time.perf_counter() - started)
        triples = len(draft.graph())
        total.append(time.perf_counter() - started)
    return statistics.median(extracted), statistics.median(total), triples


def main() -> int:
    seed, tried = find_seed()
    if seed is None:
        print(f"seed text {SEED_NAME} not found; looked at:", file=sys.stderr)
        for path in tried:
            print(f"  {path}", file=sys.stderr)
        print(
            "set IPGRAPH_SEED=/path/to/the/file or IPGRAPH_SEEDS=/path/to/the/folder",
            file=sys.stderr,
        )
        return 2
    text = seed.read_text(encoding="utf-8")
    started = time.perf_counter()
    whole = ipgraph.load().graph  # the bundled data set: labels, other sources, warm names
    loaded = time.perf_counter() - started
    chapter, passages = chapter_graph(CHAPTER)
    ontology = Graph().parse(vocabulary_file(), format="turtle")
    view = norm(text)

    def names_of(node: Node) -> list[str]:
        return labels(whole, node)

    types: dict[Node, set[Node]] = {}
    for s, o in chapter.subject_objects(RDF.type):
        types.setdefault(s, set()).add(o)
    derived = {
        s for s, o in chapter.subject_objects(PROV.wasDerivedFrom) if str(o).startswith(PASSAGES)
    }
    docs_truth = {s for s, t in types.items() if {str(c) for c in t} & DOCUMENT_CLASSES}
    entities_truth = {
        s for s in derived if s not in docs_truth and not types.get(s, set()) & NOT_ENTITIES
    }
    named = {s for s in entities_truth if any(norm(lb) in view for lb in names_of(s))}
    figures_truth: Counter[object] = Counter()
    no_value: list[str] = []
    for obs in chapter.subjects(RDF.type, IPG.Observation):
        value = chapter.value(obs, IPG.value)
        if value is None:
            no_value.append(str(obs))
            continue
        qualifier = str(chapter.value(obs, IPG.qualifier) or IPG.Exactly).rsplit("#", 1)[-1]
        unit = str(chapter.value(obs, IPG.unit)).rsplit("/", 1)[-1]
        figures_truth[(Decimal(str(value)).normalize(), qualifier, unit)] += 1
    issuers_truth = {
        (d, o) for d in docs_truth for p in ISSUER_PROPERTIES for o in chapter.objects(d, p)
    }
    issuers_elsewhere = {
        (d, o)
        for d in docs_truth
        for p in ISSUER_PROPERTIES
        for o in whole.objects(d, p)
        if (d, o) not in issuers_truth
    }
    attainable_issuers = {
        (d, o) for d, o in issuers_truth if any(norm(lb) in view for lb in names_of(o))
    }
    doc_by_title = {norm(lb): d for d in docs_truth for lb in names_of(d)}

    print(
        f"seed: {seed}, {len(text):,} characters; truth: {CHAPTER.name}, {passages} passage "
        f"graphs + self-description, {len(chapter):,} statements; bundled data set "
        f"{len(whole):,} triples (loaded in {loaded:.1f} s)"
    )
    if no_value:
        print(f"  not scored (the chapter gives no value): {', '.join(map(short, no_value))}")
    elsewhere = {pair(d, o) for d, o in issuers_elsewhere}
    if elsewhere:
        print("  issuers known from other sources (not stated by the chapter, not misses):")
        for d, o in sorted(issuers_elsewhere):
            graphs = sorted(
                short(str(g)) for p in ISSUER_PROPERTIES for *_, g in whole.quads((d, p, o, None))
            )
            print(f"    {short(pair(d, o))}  [{', '.join(graphs)}]")

    for mode, graph in (
        ("warm (names from the whole bundled graph)", whole),
        ("cold (ontology only)", ontology),
    ):
        table = NameTable(names_from_graph(graph))
        draft = extract(text, table, source=seed.name)
        print(
            f"\n{mode}: {len(draft.mentions)} mentions, {len(draft.documents)} documents, "
            f"{len(draft.figures)} figures; publisher taken to be {short(str(draft.publisher))}"
        )
        found_entities = Counter(
            {URIRef(m.iri): 1 for m in draft.linked if m.cls not in DOCUMENT_CLASSES}
        )
        found_docs: Counter[object] = Counter()
        doc_iri: dict[str, Node] = {}
        for doc in draft.documents:
            iri: Node | None = URIRef(doc.iri) if URIRef(doc.iri) in docs_truth else None
            iri = iri or doc_by_title.get(norm(doc.title))
            key = iri or URIRef(doc.iri)
            doc_iri[doc.iri] = key
            found_docs[key] = 1
        found_figures = Counter((f.value.normalize(), f.qualifier, f.unit) for f in draft.figures)
        found_issuers = Counter(
            {pair(doc_iri[d.iri], URIRef(i.iri)): 1 for d in draft.documents for i in d.issuers}
        )
        rows = []
        if mode.startswith("warm"):
            rows.append(score("entities linked (all)", entities_truth, found_entities))
            rows.append(score("entities linked (attainable)", named, found_entities))
        rows.append(score("documents", docs_truth, found_docs))
        rows.append(score("figures (value+qual+unit)", figures_truth, found_figures))
        if mode.startswith("warm"):
            all_pairs = {pair(d, o) for d, o in issuers_truth}
            rows.append(score("issuers (stated)", all_pairs, found_issuers))
            attainable = {pair(d, o) for d, o in attainable_issuers}
            rows.append(score("issuers (stated, named)", attainable, found_issuers))
        for row in rows:
            report(row, elsewhere)

    copies = max(1, round(100 * PAGE / len(text)))
    big = "\n\n".join([text] * copies)
    started = time.perf_counter()
    table = NameTable(names_from_graph(whole))
    tabled = time.perf_counter() - started
    extracted, total, triples = median_times(big, table)
    pages = len(big) / PAGE
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\nthroughput, median of {RUNS} runs (load average {load:.1f} on {os.cpu_count()} CPUs;"
        f" name table built once in {tabled:.2f} s, not counted):"
        f" {pages:.0f} pages ({len(big):,} characters, {copies} copies of the chapter)"
    )
    for label, seconds in (
        ("extraction alone", extracted),
        (f"extraction + RDF graph ({triples:,} triples)", total),
    ):
        verdict = "ok " if seconds < 10 else "SLOW"
        print(
            f"  [{verdict}] {label:<36} {seconds:6.2f} s -> {pages / seconds:5.0f} pages/s"
            "   (goal: 100 pages < 10 s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
