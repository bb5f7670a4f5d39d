"""Held-to-the-seed checklist tests: shared fixtures and the checklist reader.

The checklist lives in ``tests/seed/data/*.csv``, one row per item of the source chapter:

- ``passages.csv``  — each located paragraph (section, paragraph number, heading);
- ``entities.csv``  — each entity: IRI, exact class, English and Chinese label, passage;
- ``relations.csv`` — each stated relation as subject, predicate, object, and its passage;
- ``figures.csv``   — each figure: value, qualifier, unit, measure, period or date, what it is
  about, and its passage.

Terms are written as CURIEs (``id:agency/cnipa``, ``ipg:Exactly``); literal objects as
``CNIPA@en``, ``2021^^xsd:gYear`` or plain text. Each ``tests/seed/test_section_*.py`` sets
``SECTION`` and receives that section's rows as the ``check`` parameter: one SPARQL ASK each.

Provenance is per statement: each check asks for the statement *inside the named graph of the
passage that states it* (``GRAPH <passage> { ... }``). A relation's ``passage`` cell may instead
name a curator inference (``curation:zh-names``) or a second source (``source:{slug}``) when the
chapter does not state it; Chinese labels of entities are checked in the union of all graphs.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from ipgraph.data import source_files
from ipgraph.loader import parse_file
from ipgraph.vocab import GRAPH, ID, PREFIXES

REPO = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = REPO / "ontology"
DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE = "cnipa-ar2021-ch4"

_CURIE = re.compile(r"^([a-z]+):([A-Za-z0-9_./-]+)$")
_LANG = re.compile(r"^(.*)@([a-z]{2}(?:-[A-Za-z0-9]+)*)$", re.S)


def iri(curie: str) -> URIRef:
    """Expand a CURIE such as ``id:agency/cnipa`` or ``ipg:Agency`` to an IRI."""
    match = _CURIE.match(curie)
    if not match or match.group(1) not in PREFIXES:
        raise ValueError(f"not a CURIE with a known prefix: {curie!r}")
    return URIRef(PREFIXES[match.group(1)] + match.group(2))


def term(text: str) -> str:
    """A checklist cell as a SPARQL term: an IRI, a tagged or typed literal, or a string."""
    if _CURIE.match(text) and text.split(":", 1)[0] in PREFIXES:
        return iri(text).n3()
    if "^^" in text:
        lexical, datatype = text.rsplit("^^", 1)
        return Literal(lexical, datatype=iri(datatype)).n3()
    lang = _LANG.match(text)
    if lang:
        return Literal(lang.group(1), lang=lang.group(2)).n3()
    return Literal(text).n3()


def passage(slug: str) -> str:
    """The passage IRI of ``s02-p1`` in the seed source, as a SPARQL term."""
    return ID[f"passage/{SOURCE}/{slug}"].n3()


def graph_of(cell: str) -> str:
    """The named graph a checklist row's statement must sit in, as a SPARQL term.

    ``s02-p1`` is a passage of the seed chapter, ``curation:zh-names`` a curator inference,
    ``source:people-en-2022-08-25`` a second source.
    """
    kind, sep, slug = cell.partition(":")
    if not sep:
        return passage(cell)
    if kind == "curation":
        return GRAPH[f"curation/{slug}"].n3()
    if kind == "source":
        return ID[f"source/{slug}"].n3()
    raise ValueError(f"unknown graph kind in checklist cell {cell!r}")


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Check:
    """One checklist item: a SPARQL ASK that must hold in the seed graph."""

    kind: str
    section: str
    subject: str
    what: str
    ask: str

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.what}"

    def verify(self, graph: Dataset) -> None:
        if graph.query(self.ask).askAnswer:
            return
        subject = iri(self.subject)
        found = sorted(
            f"  {p.n3(graph.namespace_manager)} {o.n3(graph.namespace_manager)}"
            for p, o in graph.predicate_objects(subject)
        )
        have = "\n".join(found) if found else "  (nothing: the subject is not in the graph)"
        pytest.fail(
            f"section {self.section}, {self.kind} {self.what!r} does not hold.\n"
            f"Query:\n{self.ask}\nThe graph has for {self.subject}:\n{have}\n"
            f"Fix ontology/sources/{SOURCE}.trig (or curation.trig) or, if the checklist is wrong, "
            f"tests/seed/data/{self.kind}s.csv.",
            pytrace=False,
        )


def _passage_checks() -> Iterator[Check]:
    source = ID[f"source/{SOURCE}"].n3()
    for row in _rows("passages.csv"):
        ask = f"""ASK {{ GRAPH {source} {{
  {term(row["passage"])} a {term("ipg:Passage")} ;
    {term("ipg:inSource")} {source} ;
    {term("ipg:section")} {Literal(row["section"]).n3()} ;
    {term("ipg:paragraph")} {Literal(int(row["paragraph"])).n3()} ;
    {term("ipg:heading")} {Literal(row["heading"]).n3()} .
}} }}"""
        yield Check("passage", row["section"], row["passage"], row["passage"], ask)


def _entity_checks() -> Iterator[Check]:
    for row in _rows("entities.csv"):
        subject = term(row["entity"])
        zh = ""
        if row["label_zh"]:
            zh = f"\n  {subject} rdfs:label {Literal(row['label_zh'], lang='zh').n3()} ."
        ask = f"""PREFIX rdfs: <{PREFIXES["rdfs"]}>
PREFIX prov: <{PREFIXES["prov"]}>
ASK {{
  GRAPH {passage(row["passage"])} {{
    {subject} a {term(row["class"])} ;
      rdfs:label {Literal(row["label_en"], lang="en").n3()} ;
      prov:wasDerivedFrom {passage(row["passage"])} .
  }}{zh}
}}"""
        yield Check("entity", row["section"], row["entity"], row["entity"], ask)


def _relation_checks() -> Iterator[Check]:
    for row in _rows("relations.csv"):
        subject = term(row["subject"])
        ask = f"""ASK {{
  GRAPH {graph_of(row["passage"])} {{ {subject} {term(row["predicate"])} {term(row["object"])} }}
}}"""
        what = f"{row['subject']} {row['predicate']} {row['object']}"
        yield Check("relation", row["section"], row["subject"], what, ask)


def _figure_checks() -> Iterator[Check]:
    for row in _rows("figures.csv"):
        curie = f"id:observation/{SOURCE}/{row['observation']}"
        subject = term(curie)
        if row["period"]:
            when = f"ipg:referencePeriod {Literal(row['period'], datatype=iri('xsd:gYear')).n3()}"
        else:
            when = f"ipg:referenceDate {Literal(row['date'], datatype=iri('xsd:date')).n3()}"
        about = " , ".join(term(a) for a in row["about"].split())
        ask = f"""PREFIX ipg: <{PREFIXES["ipg"]}>
PREFIX prov: <{PREFIXES["prov"]}>
PREFIX xsd: <{PREFIXES["xsd"]}>
ASK {{
  GRAPH {passage(row["passage"])} {{
    {subject} a ipg:Observation ;
      ipg:value ?value ;
      ipg:qualifier {term(row["qualifier"])} ;
      ipg:unit {term(row["unit"])} ;
      ipg:measure {term(row["measure"])} ;
      {when} ;
      ipg:about {about} ;
      prov:wasDerivedFrom {passage(row["passage"])} .
    FILTER NOT EXISTS {{ {subject} ipg:value ?other FILTER (?other != ?value) }}
  }}
  FILTER (datatype(?value) = xsd:decimal && ?value = {row["value"]})
}}"""
        what = f"{row['observation']} = {row['qualifier']} {row['value']}"
        yield Check("figure", row["section"], curie, what, ask)


def all_checks() -> list[Check]:
    """Every checklist item of the seed chapter, in file order."""
    return [*_passage_checks(), *_entity_checks(), *_relation_checks(), *_figure_checks()]


def listed_subjects() -> set[URIRef]:
    """The entities and observations the checklist names, in any section."""
    listed = {iri(row["entity"]) for row in _rows("entities.csv")}
    listed |= {ID[f"observation/{SOURCE}/{row['observation']}"] for row in _rows("figures.csv")}
    return listed


def load_seed_dataset() -> Dataset:
    """The ontology and every source file with their named graphs, queried as a union."""
    dataset = Dataset(default_union=True)
    for path in [ONTOLOGY_DIR / "ontology.ttl", *source_files()]:
        for name, graph in parse_file(path).graphs.items():
            target = dataset.graph(name)
            target += graph
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True)
    return dataset


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "check" in metafunc.fixturenames:
        section = metafunc.module.SECTION
        checks = [c for c in all_checks() if c.section == section]
        metafunc.parametrize("check", checks, ids=[c.id for c in checks])


@pytest.fixture(scope="session")
def seed_graph() -> Dataset:
    """All ontology files loaded into one Dataset, one named graph per file."""
    return load_seed_dataset()


@pytest.fixture
def unlisted(seed_graph: Dataset, request: pytest.FixtureRequest) -> list[str]:
    """Nodes derived from a passage of the module's SECTION that the checklist does not name."""
    section = request.module.SECTION
    query = f"""PREFIX ipg: <{PREFIXES["ipg"]}>
PREFIX prov: <{PREFIXES["prov"]}>
SELECT DISTINCT ?node WHERE {{
  GRAPH ?passage {{ ?node prov:wasDerivedFrom ?passage }}
  ?passage ipg:section {Literal(section).n3()} .
}}"""
    derived = {row[0] for row in seed_graph.query(query)}  # type: ignore[index]
    listed = listed_subjects()
    return sorted(str(node) for node in derived if node not in listed)
