"""A small seeded generator of ipgraph-shaped RDF graphs, for the path benchmarks.

Few agencies (issuing many documents, CNIPA-like hubs first), many documents, programs and
organizations, a region hierarchy, subject concepts, observations and passage provenance —
every term from ``ipgraph.vocab``. Deliberately simple: it aims at the shape of the graph
(hubs, fan-out, provenance nodes everywhere), not at passing every SHACL shape.

    >>> g = synth(2_000, seed=1)
    >>> 2_000 <= len(g) < 2_200
    True
"""

from __future__ import annotations

import random

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from ipgraph.vocab import ID, IPG

DOCUMENT_TYPES = [IPG.Notice, IPG.Opinion, IPG.Guideline, IPG.Plan, IPG.Report]
PROGRAM_TYPES = [IPG.Campaign, IPG.SpecialPlan, IPG.PilotProject, IPG.Event, IPG.ServiceBase]
ROLES = [IPG.launchedBy, IPG.organizedBy, IPG.carriedOutBy]


def synth(triples: int, seed: int = 0) -> Graph:
    """A graph of about ``triples`` triples (a little more: the last unit is completed)."""
    rng = random.Random(seed)
    g = Graph()
    add = g.add

    def entity(kind: str, n: int, cls: URIRef, en: str, zh: str | None = None) -> URIRef:
        iri = ID[f"{kind}/{n}"]
        add((iri, RDF.type, cls))
        add((iri, RDFS.label, Literal(f"{en} {n}", lang="en")))
        if zh:
            add((iri, RDFS.label, Literal(f"{zh}{n}", lang="zh")))
        return iri

    scale = max(1, triples // 10_000)
    source = entity("source", 0, IPG.Source, "Annual report")
    agencies = [
        entity("agency", i, IPG.Ministry if i else IPG.Agency, "Agency", "机构") for i in range(40)
    ]
    for agency in agencies:
        add((agency, SKOS.altLabel, Literal(f"AG{agencies.index(agency)}", lang="en")))
    china = entity("region", 0, IPG.Country, "Country", "国家")
    provinces = [entity("region", i, IPG.Province, "Province", "省") for i in range(1, 35)]
    for province in provinces:
        add((province, IPG.partOf, china))
    cities = []
    for i in range(35, 35 + 30 * scale):
        city = entity("region", i, IPG.City, "City", "市")
        add((city, IPG.partOf, rng.choice(provinces)))
        cities.append(city)
    regions = provinces + cities
    categories = [entity("category", i, IPG.OrganizationCategory, "Category") for i in range(20)]
    concepts = [entity("concept", i, IPG.Theme, "Theme", "主题") for i in range(30)]
    units = [entity("unit", i, IPG.Unit, "Unit") for i in range(5)]
    measures = [entity("measure", i, IPG.Measure, "Measure") for i in range(10)]
    documents: list[URIRef] = []
    programs: list[URIRef] = []
    organizations: list[URIRef] = []
    passages: list[URIRef] = []

    def issuer() -> URIRef:  # a few hubs issue most documents
        return agencies[min(int(rng.expovariate(0.25)), len(agencies) - 1)]

    n = 0
    while len(g) < triples:
        n += 1
        if n % 5 == 1:
            passage = entity("passage", n, IPG.Passage, "Passage")
            add((passage, IPG.inSource, source))
            add((passage, IPG.paragraph, Literal(n, datatype=XSD.integer)))
            passages.append(passage)
        here = passages[-1]
        doc = entity("document", n, rng.choice(DOCUMENT_TYPES), "Document", "文件")
        for agency in {issuer() for _ in range(rng.choice((1, 1, 1, 2, 3)))}:
            add((doc, IPG.issuedBy, agency))
        add((doc, IPG.year, Literal(str(2000 + n % 22), datatype=XSD.gYear)))
        add((doc, IPG.concerns, rng.choice(concepts)))
        add((doc, PROV.wasDerivedFrom, here))
        if documents and rng.random() < 0.3:
            add((doc, IPG.basedOn, rng.choice(documents)))
        documents.append(doc)

        program = entity("program", n, rng.choice(PROGRAM_TYPES), "Program", "项目")
        add((program, rng.choice(ROLES), issuer()))
        if rng.random() < 0.4:
            add((program, IPG.inCooperationWith, issuer()))
        add((program, IPG.carriedOutIn, rng.choice(regions)))
        add((program, IPG.implements, rng.choice(documents)))
        add((program, IPG.targets, rng.choice(categories)))
        add((program, PROV.wasDerivedFrom, here))
        programs.append(program)

        org = entity("org", n, IPG.Organization, "Organization")
        add((org, IPG.partOf, rng.choice(regions)))
        targeted = rng.choice(programs[-50:])
        add((targeted, IPG.targets, org))
        organizations.append(org)

        obs = entity("observation", n, IPG.Observation, "Observation")
        add((obs, IPG.value, Literal(rng.randint(1, 100_000), datatype=XSD.decimal)))
        add((obs, IPG.unit, rng.choice(units)))
        add((obs, IPG.measure, rng.choice(measures)))
        add((obs, IPG.qualifier, IPG.MoreThan))
        add((obs, IPG.referencePeriod, Literal("2021", datatype=XSD.gYear)))
        add((obs, IPG.about, program))
        add((obs, PROV.wasDerivedFrom, here))
    return g
