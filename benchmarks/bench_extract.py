"""Extraction benchmark: `ipgraph.extract` on the seed chapter, scored against the curated facts.

Runs the extractor on ``../shared/seeds/000_cff59e30763718c1.txt`` (the chapter the curated file
``ontology/sources/cnipa-ar2021-ch4.ttl`` was written from) and compares what it proposes with
what the curators recorded, kind by kind, printing recall, precision and every miss:

- entities linked: curated entities (not documents, observations, passages) vs. the known
  entities the draft links; "attainable" counts only those the text names by one of their
  labels (a plain case-insensitive search, independent of the linker);
- documents: curated policy documents vs. the draft's documents (same IRI, or same title);
- figures: curated observations vs. the draft's, one to one on (value, qualifier, unit);
- issuers: curated (document, ipg:issuedBy | ipg:publishedBy, organization) vs. the draft's;
  "attainable" leaves out issuers the chapter never names (recorded from general knowledge).

"warm" links against the whole graph (the real use); "cold" against the ontology alone, so
documents and figures must be found by their form, not by known names.
Then throughput: the chapter repeated to about 100 pages of 3,000 characters.

    python benchmarks/bench_extract.py
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from ipgraph.extract import NameTable, extract, names_from_graph
from ipgraph.extract.model import DOCUMENT_CLASSES
from ipgraph.vocab import IPG

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "000_cff59e30763718c1.txt"
CURATED = REPO / "ontology" / "sources" / "cnipa-ar2021-ch4.ttl"
ONTOLOGY = REPO / "ontology" / "ontology.ttl"
GOAL_RECALL, GOAL_PRECISION = 0.90, 0.80
PAGE = 3000
NOT_ENTITIES = {IPG.Source, IPG.Passage, IPG.Observation}


def norm(text: str) -> str:
    text = re.sub(r"<[^>]+>|\*", "", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def labels(graph: Graph, node: URIRef) -> list[str]:
    return [
        str(o)
        for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
        for o in graph.objects(node, p)
        if isinstance(o, Literal)
    ]


def score(
    name: str, truth: set[object] | Counter[object], found: Counter[object]
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


def report(row: dict[str, object]) -> None:
    recall, precision = float(row["recall"]), float(row["precision"])  # type: ignore[arg-type]
    ok = "ok " if recall >= GOAL_RECALL and precision >= GOAL_PRECISION else "LOW"
    print(
        f"  [{ok}] {row['kind']:<28} recall {recall:6.1%} ({row['hit']}/{row['truth']})"
        f"   precision {precision:6.1%} ({row['hit']}/{row['found']})"
    )
    for label, key in (("missed", "missed"), ("not in curated", "wrong")):
        items = row[key]
        assert isinstance(items, list)
        for item in items:
            print(f"         {label}: {short(item)}")


def short(item: str) -> str:
    return item.replace("https://w3id.org/ipgraph/id/", "id:").replace(
        "https://w3id.org/ipgraph/draft/", "draft:"
    )


def pair(document: object, issuer: object) -> str:
    return f"{document} issued/published by {issuer}"


def main() -> int:
    if not SEED.exists():
        print(f"seed text not found: {SEED} (expected the shared seeds next to the repository)")
        return 2
    text = SEED.read_text(encoding="utf-8")
    curated = Graph().parse(CURATED, format="turtle")
    ontology = Graph().parse(ONTOLOGY, format="turtle")
    full = ontology + curated
    view = norm(text)

    types = {s: set(curated.objects(s, RDF.type)) for s in set(curated.subjects(RDF.type, None))}
    derived = set(curated.subjects(PROV.wasDerivedFrom, None))
    docs_truth = {s for s, t in types.items() if {str(c) for c in t} & DOCUMENT_CLASSES}
    entities_truth = {
        s for s, t in types.items() if s in derived and s not in docs_truth and not t & NOT_ENTITIES
    }
    named = {s for s in entities_truth if any(norm(lb) in view for lb in labels(curated, s))}
    figures_truth: Counter[object] = Counter()
    for obs in curated.subjects(RDF.type, IPG.Observation):
        value = Decimal(str(curated.value(obs, IPG.value)))
        qualifier = str(curated.value(obs, IPG.qualifier)).rsplit("#", 1)[-1]
        unit = str(curated.value(obs, IPG.unit)).rsplit("/", 1)[-1]
        figures_truth[(value.normalize(), qualifier, unit)] += 1
    issuers_truth = {
        (d, o)
        for d in docs_truth
        for p in (IPG.issuedBy, IPG.publishedBy)
        for o in curated.objects(d, p)
    }
    attainable_issuers = {
        (d, o) for d, o in issuers_truth if any(norm(lb) in view for lb in labels(curated, o))
    }
    doc_by_title = {norm(lb): d for d in docs_truth for lb in labels(curated, d)}

    print(f"seed: {SEED.name}, {len(text):,} characters; curated: {CURATED.name}")
    for mode, graph in (
        ("warm (names from the whole graph)", full),
        ("cold (ontology only)", ontology),
    ):
        table = NameTable(names_from_graph(graph))
        draft = extract(text, table, source=SEED.name)
        print(
            f"\n{mode}: {len(draft.mentions)} mentions, {len(draft.documents)} documents, "
            f"{len(draft.figures)} figures; publisher taken to be {short(str(draft.publisher))}"
        )
        found_entities = Counter(
            {URIRef(m.iri): 1 for m in draft.linked if m.cls not in DOCUMENT_CLASSES}
        )
        found_docs: Counter[object] = Counter()
        doc_iri: dict[str, URIRef] = {}
        for doc in draft.documents:
            iri = URIRef(doc.iri) if URIRef(doc.iri) in docs_truth else None
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
            rows.append(score("issuers (all)", all_pairs, found_issuers))
            attainable = {pair(d, o) for d, o in attainable_issuers}
            rows.append(score("issuers (attainable)", attainable, found_issuers))
        for row in rows:
            report(row)

    copies = max(1, round(100 * PAGE / len(text)))
    big = "\n\n".join([text] * copies)
    table = NameTable(names_from_graph(full))
    started = time.perf_counter()
    draft = extract(big, table, source="throughput.md")
    extracted = time.perf_counter() - started
    graph = draft.graph()
    total = time.perf_counter() - started
    pages = len(big) / PAGE
    verdict = "ok" if total < 10 else "SLOW"
    print(
        f"\nthroughput [{verdict}]: {pages:.0f} pages ({len(big):,} characters, {copies} copies of"
        f" the chapter): extract {extracted:.2f} s, + RDF graph ({len(graph):,} triples)"
        f" {total:.2f} s -> {pages / total:.0f} pages/s (goal: 100 pages < 10 s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
