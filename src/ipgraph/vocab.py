"""The ipgraph vocabulary as Python names, and the namespaces ipgraph uses.

Every ``ipg:`` term declared in ``ontology/ontology.ttl`` is an attribute of :class:`IPG`; asking
for a term that is not declared raises ``AttributeError`` (``_fail = True``), so a typo fails
where it is written instead of minting a stray IRI. ``tests/test_vocab.py`` keeps the class and
the ontology file in step, in both directions.

>>> IPG.Agency
rdflib.term.URIRef('https://w3id.org/ipgraph/ontology#Agency')
>>> ID["agency/cnipa"]
rdflib.term.URIRef('https://w3id.org/ipgraph/id/agency/cnipa')
>>> PREFIXES["eli"] == ELI
True
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import ORG, QB, DefinedNamespace
from rdflib.namespace import SDO as SCHEMA

__all__ = [
    "ELI",
    "GRAPH",
    "ID",
    "IPG",
    "ORG",
    "PREFIXES",
    "QB",
    "SCHEMA",
    "WD",
]


class IPG(DefinedNamespace):
    """The ipgraph ontology, ``https://w3id.org/ipgraph/ontology#`` (prefix ``ipg:``).

    >>> IPG.issuedBy
    rdflib.term.URIRef('https://w3id.org/ipgraph/ontology#issuedBy')
    >>> IPG.issuedByy
    Traceback (most recent call last):
    ...
    AttributeError: term 'issuedByy' not in namespace 'https://w3id.org/ipgraph/ontology#'
    """

    _fail = True
    _NS = Namespace("https://w3id.org/ipgraph/ontology#")

    # --- Organizations ---------------------------------------------------------------------
    Organization: URIRef  # any organization that issues, runs, joins or is targeted by policy
    Agency: URIRef  # a state body (government department or administration)
    Ministry: URIRef  # a ministry or ministry-level commission of the State Council
    Academy: URIRef  # a national academy (CAS, CAE)
    Association: URIRef  # a national association or federation (CAST)
    InternationalOrganization: URIRef  # an intergovernmental organization (WIPO)
    Committee: URIRef  # a committee, e.g. a national technical standardization committee
    OrganizationCategory: URIRef  # a kind or group of organizations (universities, SMEs, ...)

    # --- Policy documents ------------------------------------------------------------------
    PolicyDocument: URIRef  # a policy document, standard, report or other issued text
    Opinion: URIRef  # guiding opinions
    Notice: URIRef  # a notice (circular)
    Guideline: URIRef  # guidelines
    NationalStandard: URIRef  # a national standard (GB, GB/T)
    Plan: URIRef  # a plan or outline with a validity period
    Report: URIRef  # a published report, e.g. a statistical report
    Index: URIRef  # a published index
    CaseCollection: URIRef  # a compiled collection of typical cases

    # --- Programs --------------------------------------------------------------------------
    Program: URIRef  # a program, campaign, project, event or other organized activity
    Campaign: URIRef  # a campaign (special action)
    SpecialPlan: URIRef  # a special plan (funded action plan)
    PilotProject: URIRef  # a pilot or demonstration project
    Award: URIRef  # an award (one edition)
    Event: URIRef  # a one-off or recurring event
    TrainingSession: URIRef  # a training session
    ServiceBase: URIRef  # service bases, guidance centres, operation centres (as a program)
    Mechanism: URIRef  # a cooperation or consultation mechanism
    Meeting: URIRef  # a meeting or series of meetings
    Project: URIRef  # a long-running building or utilization project
    Expo: URIRef  # an exposition (one edition)
    BrandDay: URIRef  # a China Brand Day (one year's edition)

    # --- Regions ---------------------------------------------------------------------------
    Region: URIRef  # an administrative area
    Country: URIRef  # a country
    Province: URIRef  # a province
    AutonomousRegion: URIRef  # an autonomous region (provincial level)
    Municipality: URIRef  # a municipality directly under the central government
    City: URIRef  # a city (prefecture level or below)

    # --- Concepts --------------------------------------------------------------------------
    Concept: URIRef  # a subject concept: IP type, theme or technology field
    IPType: URIRef  # a type of IP right (patent, trademark, GI, industrial design)
    Theme: URIRef  # a policy theme (IP operation, patent navigation, ...)
    TechnologyField: URIRef  # a field of technology (artificial intelligence, ...)

    # --- Statistics ------------------------------------------------------------------------
    Observation: URIRef  # one figure stated in a source
    Measure: URIRef  # what an observation counts or measures
    Unit: URIRef  # the unit of an observation's value
    Qualifier: URIRef  # how exact a figure is (more than, about, nearly, exactly)
    MoreThan: URIRef  # qualifier: "over", "more than"
    Approximately: URIRef  # qualifier: "about", "approximately"
    Nearly: URIRef  # qualifier: "nearly", "almost"
    Exactly: URIRef  # qualifier: the figure is stated without hedging

    # --- Concept schemes -------------------------------------------------------------------
    QualifierScheme: URIRef  # the scheme of qualifiers
    UnitScheme: URIRef  # the scheme of units
    MeasureScheme: URIRef  # the scheme of measures
    IPTypeScheme: URIRef  # the scheme of IP types
    ThemeScheme: URIRef  # the scheme of policy themes
    TechnologyFieldScheme: URIRef  # the scheme of technology fields
    OrganizationCategoryScheme: URIRef  # the scheme of organization categories

    # --- Provenance ------------------------------------------------------------------------
    Source: URIRef  # a source document (a report, or a chapter of one)
    Passage: URIRef  # a located paragraph of a source: section and paragraph number

    # --- Properties: who issued, ran or joined -----------------------------------------------
    issuedBy: URIRef  # document -> issuing organization (joint issuance: several)
    publishedBy: URIRef  # document -> publishing or responsible organization
    withOtherDepartments: URIRef  # "and other related departments" (xsd:boolean)
    launchedBy: URIRef  # program -> organization that launched it
    organizedBy: URIRef  # program -> organization that organized it
    carriedOutBy: URIRef  # program -> organization that carried it out
    inCooperationWith: URIRef  # program -> partner organization

    # --- Properties: how things relate -------------------------------------------------------
    implements: URIRef  # document/program -> document it implements
    basedOn: URIRef  # document/program -> document/program it is based on
    targets: URIRef  # document/program -> organization (category) it is aimed at
    carriedOutIn: URIRef  # program -> region where it is carried out
    heldIn: URIRef  # event -> region where it was held
    partOf: URIRef  # region -> region containing it
    concerns: URIRef  # document/program/observation -> subject concept
    edition: URIRef  # program -> ordinal edition (xsd:integer)
    year: URIRef  # document/program/source -> year (xsd:gYear)
    validFrom: URIRef  # plan -> first year of its period (xsd:gYear)
    validUntil: URIRef  # plan -> last year of its period (xsd:gYear)

    # --- Properties: observations ------------------------------------------------------------
    about: URIRef  # observation -> what it counts or describes
    measure: URIRef  # observation -> Measure
    value: URIRef  # observation -> the number (xsd:decimal)
    unit: URIRef  # observation -> Unit
    qualifier: URIRef  # observation -> Qualifier
    referencePeriod: URIRef  # observation -> the year a flow is counted in (xsd:gYear)
    referenceDate: URIRef  # observation -> the date a stock is counted at (xsd:date)
    comparedTo: URIRef  # observation -> the observation a ratio or share is relative to
    reportedIn: URIRef  # observation -> the document the figure is reported in

    # --- Properties: provenance ----------------------------------------------------------------
    inSource: URIRef  # passage -> Source
    section: URIRef  # passage -> section ("intro", "01", ...)
    paragraph: URIRef  # passage -> 1-based paragraph number within the section
    heading: URIRef  # passage -> heading of its section

    # --- Provenance per statement, second sources, indicators, names, time (issue 10) -------
    CuratorInference: URIRef  # a named graph of curator inferences; rdfs:comment justifies it
    Reliability: URIRef  # what kind of publisher a second source is
    ReliabilityScheme: URIRef  # the scheme of reliabilities
    OfficialPublication: URIRef  # reliability: an official body's own site
    StateMedia: URIRef  # reliability: Xinhua, People's Daily, CCTV, ...
    OfficialTextCopy: URIRef  # reliability: a faithful copy of an official text elsewhere
    ThirdParty: URIRef  # reliability: a law firm, association, catalogue or blog
    reliability: URIRef  # source -> Reliability
    Indicator: URIRef  # a plan's quantitative indicator (a Measure)
    IndicatorSet: URIRef  # a set of indicators issued to evaluate something
    StandardSeries: URIRef  # a national standard in several parts
    Directive: URIRef  # central instructions or arrangements referred to without a title
    IllegalActType: URIRef  # a kind of illegal act a campaign combats
    IllegalActScheme: URIRef  # the scheme of kinds of illegal acts
    issuerUnknown: URIRef  # document -> true when no source names its issuer
    draftedBy: URIRef  # document -> drafting organization
    proposedBy: URIRef  # document -> proposing organization (a standard's committee)
    ledBy: URIRef  # program -> lead organizer
    scope: URIRef  # document/program/observation -> the region it covers ("nationwide")
    combats: URIRef  # campaign -> IllegalActType
    evaluates: URIRef  # indicator set -> program it evaluates
    hasIndicator: URIRef  # plan -> Indicator
    target: URIRef  # plan -> target observation
    baseline: URIRef  # plan -> baseline observation
    basePeriod: URIRef  # growth observation -> the year it is measured against
    disagreesWith: URIRef  # observation -> observation of the same thing, another value
    officialName: URIRef  # the name or title as printed by the body or document itself
    translatedName: URIRef  # a rendering of the official name in another language
    formerName: URIRef  # organization -> a name it used before
    nameChangedOn: URIRef  # organization -> date it took its current name


ELI = Namespace("http://data.europa.eu/eli/ontology#")
WD = Namespace("http://www.wikidata.org/entity/")
ID = Namespace("https://w3id.org/ipgraph/id/")
GRAPH = Namespace("https://w3id.org/ipgraph/graph/")

PREFIXES: dict[str, Namespace] = {
    "ipg": Namespace("https://w3id.org/ipgraph/ontology#"),
    "id": ID,
    "org": Namespace(str(ORG)),
    "eli": ELI,
    "prov": Namespace("http://www.w3.org/ns/prov#"),
    "skos": Namespace("http://www.w3.org/2004/02/skos/core#"),
    "schema": Namespace(str(SCHEMA)),
    "dcterms": Namespace("http://purl.org/dc/terms/"),
    "qb": Namespace(str(QB)),
    "rdf": Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    "rdfs": Namespace("http://www.w3.org/2000/01/rdf-schema#"),
    "owl": Namespace("http://www.w3.org/2002/07/owl#"),
    "xsd": Namespace("http://www.w3.org/2001/XMLSchema#"),
    "sh": Namespace("http://www.w3.org/ns/shacl#"),
    "wd": WD,
}
"""Every prefix ipgraph's data, queries and outputs use, mapped to its namespace."""


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes (ipg, org, eli, prov, ...) on a graph or data set."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
