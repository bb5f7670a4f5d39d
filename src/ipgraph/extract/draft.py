"""The draft: candidate facts as an rdflib graph, each statement traced to passage and span.

Why reification. ipgraph keeps provenance per statement, not per node (DESIGN.md), and one node
gathers statements from several places: a document's title in one sentence, its issuers in another,
a figure's value, qualifier, unit and period each from their own words. So every candidate triple
is asserted (the draft is usable as data) *and* described by an ``rdf:Statement`` (``rdf:subject``
/ ``rdf:predicate`` / ``rdf:object``; the type itself is entailed by their domain and left out)
that carries ``prov:wasDerivedFrom`` the passage, the character span it was read from
(``nif:beginIndex`` / ``nif:endIndex``, offsets into the input text, so the words are
``text[begin:end]``) and a confidence (``itsrdf:taConfidence``). These are the W3C-standard terms
for the job (RDF reification, PROV-O, NIF 2.0 and ITS 2.0 text analysis), declared in
``ontology/ontology.ttl``, so a curator can query "which statements of this draft come from
paragraph 3, below 0.7". RDF-star would be terser but is not yet RDF 1.1, which rdflib and the
SHACL tooling speak; a mention node per name would not cover statements whose evidence is several
words apart.

Candidates that would not validate are kept as statements only, not asserted: everything but the
name and provenance of a new entity whose name is only Chinese (ipgraph nodes need an English
label, none is invented, and with RDFS inference any ipg property would type the node), and the
class of a new document with no issuer in the text.

>>> info = SourceInfo(DRAFT["source/r"], "r", "R", "en", "2021")
>>> Draft("x", info, [], [], [], []).graph().value(DRAFT["source/r"], DCTERMS.title)
rdflib.term.Literal('R', lang='en')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from ipgraph.extract.model import DocumentCandidate, Figure, Mention, Passage
from ipgraph.vocab import ELI, ID, IPG

DRAFT = Namespace("https://w3id.org/ipgraph/draft/")
"""Where new entities, passages and observations of a draft are minted."""
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")

_T = SimpleNamespace(
    **{
        n: IPG[n]
        for n in [
            "Unit",
            "UnitScheme",
            "Observation",
            "Passage",
            "Source",
            "about",
            "heading",
            "inSource",
            "issuedBy",
            "paragraph",
            "publishedBy",
            "qualifier",
            "referenceDate",
            "referencePeriod",
            "section",
            "unit",
            "validFrom",
            "validUntil",
            "value",
            "withOtherDepartments",
            "year",
        ]
    }
)
_SUBJECT, _PREDICATE, _OBJECT = RDF.subject, RDF.predicate, RDF.object
_DERIVED = PROV.wasDerivedFrom
_CONFIDENCE = URIRef("http://www.w3.org/2005/11/its/rdf#taConfidence")
_BEGIN = URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex")
_END = URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#endIndex")
NEW_UNITS = {
    "yuan": ("yuan (CNY)", "元", "Renminbi yuan; values are in yuan (3500亿元 is 350000000000)."),
    "item": (
        "item (count)",
        "件/项/个",
        "A count of things (patents, applications, projects) with no more specific unit; "
        "what is counted is said by ipg:about.",
    ),
}
"""Units figures need that the ontology does not define yet; a draft that uses one defines it."""
_ALWAYS = {RDFS.label, PROV.wasDerivedFrom, SKOS.altLabel}
_QUALIFIER_EN = {"MoreThan": "more than", "Approximately": "about", "Nearly": "nearly"}
_QUALIFIER_EN["Exactly"] = ""


def slugify(text: str) -> str:
    """A readable IRI slug: ASCII words in lower case joined by "-", Chinese kept as is.

    >>> slugify("Notice on Strengthening Patent Navigation (2021)")
    'notice-on-strengthening-patent-navigation-2021'
    >>> slugify("国家林业和草原局")
    '国家林业和草原局'
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = re.findall(r"[a-z0-9]+|[\u3400-\u9fff]+", folded)
    slug = "-".join(words)[:80].strip("-")
    return slug or "x" + hashlib.sha1(text.encode()).hexdigest()[:10]


@dataclass(frozen=True)
class SourceInfo:
    """The report a draft is read from."""

    iri: URIRef
    slug: str
    title: str
    lang: str
    year: str | None


@dataclass
class Draft:
    """What `extract` found: passages, names, documents and figures, with their spans.

    Attributes:
        text: the input text (spans are offsets into it).
        source: the report.
        passages: its paragraphs.
        mentions: names linked to known entities or proposed as new ones.
        documents: policy documents named in it.
        figures: figures stated in it.
        publisher: the organization taken to have written the report (the default issuer).
    """

    text: str
    source: SourceInfo
    passages: list[Passage]
    mentions: list[Mention]
    documents: list[DocumentCandidate]
    figures: list[Figure]
    publisher: str | None = None
    _graph: Graph | None = field(default=None, repr=False)

    def passage_iri(self, index: int) -> URIRef:
        """The IRI of passage ``index``."""
        p = self.passages[index]
        return DRAFT[f"passage/{self.source.slug}/{p.section}-p{p.paragraph}"]

    @property
    def linked(self) -> list[Mention]:
        """Mentions of entities the name table knows."""
        return [m for m in self.mentions if m.linked]

    @property
    def new(self) -> list[Mention]:
        """Mentions of entities proposed as new."""
        return [m for m in self.mentions if not m.linked]

    def graph(self) -> Graph:
        """The draft as RDF: asserted candidate triples plus one rdf:Statement for each."""
        if self._graph is None:
            self._graph = _Builder(self).build()
        return self._graph

    def serialize(self, format: str = "turtle") -> str:
        """The draft serialised (Turtle by default)."""
        return self.graph().serialize(format=format)


class _Builder:
    def __init__(self, draft: Draft) -> None:
        self.d = draft
        self.g = Graph(store="SimpleMemory")  # no named graphs needed: faster adds
        for prefix, ns in (("ipg", IPG._NS), ("id", ID), ("eli", ELI), ("prov", PROV),
                           ("skos", SKOS), ("dcterms", DCTERMS), ("nif", NIF),
                           ("itsrdf", ITSRDF), ("draft", DRAFT)):  # fmt: skip
            self.g.bind(prefix, ns)
        self.count = 0
        self.en_label: set[Node] = set()
        self.unnamed: set[Node] = {
            URIRef(m.iri) for m in draft.mentions if not m.linked and m.lang != "en"
        }
        self.unnamed |= {URIRef(d.iri) for d in draft.documents if not d.linked and d.lang != "en"}
        self.units_added: set[str] = set()
        self.statement_base = str(DRAFT[f"statement/{draft.source.slug}/"])
        self.passages = [draft.passage_iri(p.index) for p in draft.passages]
        self.add = self.g.add
        self._confidences: dict[float, Literal] = {}
        self._offsets: dict[int, Literal] = {}

    def confidence(self, value: float) -> Literal:
        key = round(value, 3)
        found = self._confidences.get(key)
        if found is None:
            found = self._confidences[key] = Literal(key, datatype=XSD.double)
        return found

    def offset(self, value: int) -> Literal:
        found = self._offsets.get(value)
        if found is None:
            found = self._offsets[value] = Literal(value, datatype=XSD.nonNegativeInteger)
        return found

    def build(self) -> Graph:
        self._source()
        for mention in self.d.mentions:
            self._mention(mention)
        for doc in self.d.documents:
            self._document(doc)
        for n, fig in enumerate(self.d.figures, start=1):
            self._figure(n, fig)
        return self.g

    def stmt(
        self,
        s: Node,
        p: URIRef,
        o: Node,
        passage: int,
        span: tuple[int, int] | None,
        confidence: float,
        asserted: bool = True,
    ) -> None:
        if asserted and (s in self.unnamed or o in self.unnamed) and p not in _ALWAYS:
            asserted = False  # RDFS inference would type the node, which has no English label
        if asserted:
            self.g.add((s, p, o))
        self.count += 1
        node = URIRef(f"{self.statement_base}{self.count}")
        add = self.add
        add((node, _SUBJECT, s))
        add((node, _PREDICATE, p))
        add((node, _OBJECT, o))
        add((node, _DERIVED, self.passages[passage]))
        add((node, _CONFIDENCE, self.confidence(confidence)))
        if span is not None:
            add((node, _BEGIN, self.offset(span[0])))
            add((node, _END, self.offset(span[1])))

    def _source(self) -> None:
        src, info, g = self.d.source.iri, self.d.source, self.g
        g.add((src, RDF.type, _T.Source))
        g.add((src, DCTERMS.title, Literal(info.title, lang=info.lang)))
        english = info.title if info.lang == "en" else f"Report {info.slug}"
        g.add((src, RDFS.label, Literal(english, lang="en")))
        if info.lang != "en":
            g.add((src, RDFS.label, Literal(info.title, lang=info.lang)))
        if info.year:
            g.add((src, _T.year, Literal(info.year, datatype=XSD.gYear)))
        for p in self.d.passages:
            node = self.d.passage_iri(p.index)
            g.add((node, RDF.type, _T.Passage))
            label = f"{english}, section {p.section}, paragraph {p.paragraph}"
            g.add((node, RDFS.label, Literal(label, lang="en")))
            g.add((node, _T.inSource, src))
            g.add((node, _T.section, Literal(p.section)))
            g.add((node, _T.paragraph, Literal(p.paragraph)))
            if p.heading:
                g.add((node, _T.heading, Literal(p.heading)))

    def _mention(self, m: Mention) -> None:
        e = URIRef(m.iri)
        span = (m.start, m.end)
        self.stmt(e, PROV.wasDerivedFrom, self.d.passage_iri(m.passage), m.passage, span,
                  m.confidence)  # fmt: skip
        if m.linked:
            return
        self.stmt(e, RDFS.label, Literal(m.label, lang=m.lang), m.passage, span, m.confidence)
        for alt in m.alternatives:
            if alt.startswith("acronym:"):
                _, acronym, a_start, a_end = alt.split(":")
                self.stmt(e, SKOS.altLabel, Literal(acronym, lang="en"), m.passage,
                          (int(a_start), int(a_end)), m.confidence)  # fmt: skip
        if m.lang == "en":
            self.en_label.add(e)
        self.stmt(e, RDF.type, URIRef(m.cls), m.passage, span, m.confidence,
                  asserted=m.lang == "en")  # fmt: skip

    def _document(self, d: DocumentCandidate) -> None:
        e = URIRef(d.iri)
        title = (d.title_start, d.title_end)
        self.stmt(e, PROV.wasDerivedFrom, self.d.passage_iri(d.passage), d.passage, title,
                  d.confidence)  # fmt: skip
        if not d.linked:
            self.stmt(e, RDFS.label, Literal(d.title, lang=d.lang), d.passage, title,
                      d.confidence)  # fmt: skip
        if d.number:
            self.stmt(e, ELI.id_local, Literal(d.number), d.passage, d.number_span, d.confidence)
        predicate = _T.publishedBy if d.predicate == "publishedBy" else _T.issuedBy
        for issuer in d.issuers:
            self.stmt(e, predicate, URIRef(issuer.iri), d.passage, (issuer.start, issuer.end),
                      issuer.confidence)  # fmt: skip
        if d.with_other_departments:
            self.stmt(e, _T.withOtherDepartments, Literal(True), d.passage,
                      d.other_departments_span, 0.8)  # fmt: skip
        if d.date_issued:
            self.stmt(e, ELI.date_document, Literal(d.date_issued, datatype=XSD.date),
                      d.passage, d.date_issued_span, 0.7)  # fmt: skip
            self.stmt(e, _T.year, Literal(d.date_issued[:4], datatype=XSD.gYear), d.passage,
                      d.date_issued_span, 0.7)  # fmt: skip
        if d.date_in_force:
            self.stmt(e, ELI.first_date_entry_in_force, Literal(d.date_in_force,
                      datatype=XSD.date), d.passage, d.date_in_force_span, 0.7)  # fmt: skip
        if d.valid_from and d.valid_until:
            self.stmt(e, _T.validFrom, Literal(d.valid_from, datatype=XSD.gYear), d.passage,
                      d.years_span, d.confidence)  # fmt: skip
            self.stmt(e, _T.validUntil, Literal(d.valid_until, datatype=XSD.gYear), d.passage,
                      d.years_span, d.confidence)  # fmt: skip
        if not d.linked:
            valid = d.lang == "en" and bool(d.issuers)
            self.stmt(e, RDF.type, URIRef(d.cls), d.passage, title, d.confidence,
                      asserted=valid)  # fmt: skip

    def _unit(self, name: str) -> None:
        """Define a unit the ontology does not have yet, as a proposal of the draft."""
        self.units_added.add(name)
        unit, (en, zh, comment) = ID[f"unit/{name}"], NEW_UNITS[name]
        self.g.add((unit, RDF.type, _T.Unit))
        self.g.add((unit, RDFS.label, Literal(en, lang="en")))
        self.g.add((unit, RDFS.label, Literal(zh, lang="zh")))
        self.g.add((unit, RDFS.comment, Literal(comment, lang="en")))
        self.g.add((unit, SKOS.inScheme, _T.UnitScheme))

    def _figure(self, n: int, f: Figure) -> None:
        o = DRAFT[f"observation/{self.d.source.slug}/{n}"]
        span = (f.start, f.end)
        p = f.passage
        passages = [p, *f.extra_passages]
        for q in passages:  # the rdf:type statement below carries the evidence
            self.g.add((o, PROV.wasDerivedFrom, self.passages[q]))
        surface = re.sub(r"\s+", " ", re.sub(r"<[^>]+>|\*", "", f.surface)).strip()
        passage = self.d.passages[p]
        self.g.add((o, RDFS.label, Literal(surface, lang=self.d.source.lang)))
        if self.d.source.lang != "en":
            words = " ".join(x for x in (_QUALIFIER_EN[f.qualifier], str(f.value), f.unit) if x)
            label = f"Figure in section {passage.section}, paragraph {passage.paragraph}: {words}"
            self.g.add((o, RDFS.label, Literal(label, lang="en")))
        value = Literal(str(f.value), datatype=XSD.decimal)
        self.stmt(o, _T.value, value, p, f.value_span, f.confidence)
        self.stmt(o, _T.qualifier, IPG[f.qualifier], p, f.qualifier_span or f.value_span,
                  f.confidence)  # fmt: skip
        if f.unit in NEW_UNITS and f.unit not in self.units_added:
            self._unit(f.unit)
        self.stmt(o, _T.unit, ID[f"unit/{f.unit}"], p, f.unit_span or f.value_span,
                  f.confidence)  # fmt: skip
        if f.date:
            self.stmt(o, _T.referenceDate, Literal(f.date, datatype=XSD.date), p,
                      f.period_span, f.confidence)  # fmt: skip
        elif f.period:
            self.stmt(o, _T.referencePeriod, Literal(f.period, datatype=XSD.gYear), p,
                      f.period_span, f.confidence * (1.0 if f.period_span else 0.7))  # fmt: skip
        for about in f.about:
            self.stmt(o, _T.about, URIRef(about), p, f.about_span, f.confidence)
        self.stmt(o, RDF.type, _T.Observation, p, span, f.confidence,
                  asserted=bool(f.date or f.period))  # fmt: skip


def decimal_of(node: Node) -> Decimal | None:
    """The Decimal of a literal, or None."""
    if isinstance(node, Literal):
        try:
            return Decimal(str(node))
        except ArithmeticError:
            return None
    return None


__all__ = ["DRAFT", "ITSRDF", "NIF", "BNode", "Draft", "SourceInfo", "slugify"]
