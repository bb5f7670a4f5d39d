"""The plain records the extractor passes between its steps.

Every record that stands for something found in the text carries the character span it came
from (``start``/``end``: offsets into the input string, so ``text[start:end]`` is the mention)
and a ``confidence`` between 0 and 1.

>>> m = Mention(start=0, end=5, surface="CNIPA", iri="https://w3id.org/ipgraph/id/agency/cnipa",
...             label="CNIPA", cls="https://w3id.org/ipgraph/ontology#Agency", linked=True,
...             confidence=0.9, passage=0)
>>> m.is_organization
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

IPG_NS = "https://w3id.org/ipgraph/ontology#"

ORGANIZATION_CLASSES = frozenset(
    IPG_NS + name
    for name in (
        "Organization",
        "Agency",
        "Ministry",
        "Academy",
        "Association",
        "InternationalOrganization",
        "Committee",
    )
)
DOCUMENT_CLASSES = frozenset(
    IPG_NS + name
    for name in (
        "PolicyDocument",
        "Opinion",
        "Notice",
        "Guideline",
        "NationalStandard",
        "Plan",
        "Report",
        "Index",
        "CaseCollection",
    )
)


@dataclass(frozen=True)
class NameRecord:
    """One name of one entity, as the linker needs it: plain values, no graph.

    Attributes:
        iri: the entity.
        label: the name as written in the graph.
        lang: its language tag ("en", "zh", "" when untagged).
        kind: ``label`` (rdfs:label / skos:prefLabel), ``altLabel``, ``acronym`` or ``id``
            (a document number, eli:id_local).
        cls: the entity's most specific ipgraph class IRI ("" when untyped).
    """

    iri: str
    label: str
    lang: str = "en"
    kind: str = "label"
    cls: str = ""


@dataclass(frozen=True)
class Passage:
    """One paragraph of the input: where it is, under which heading.

    Attributes:
        index: 0-based position among all passages.
        section: the section as numbered in the source ("01"), or "intro".
        paragraph: 1-based number within the section.
        heading: the section heading (the document title for "intro").
        start: offset of the paragraph's first character in the input.
        end: offset just after its last character.
    """

    index: int
    section: str
    paragraph: int
    heading: str
    start: int
    end: int


@dataclass
class Mention:
    """A name in the text, linked to a known entity or proposed as a new one."""

    start: int
    end: int
    surface: str
    iri: str
    label: str
    cls: str
    linked: bool
    confidence: float
    passage: int
    lang: str = "en"
    alternatives: tuple[str, ...] = ()

    @property
    def is_organization(self) -> bool:
        """Whether the entity is an organization (a possible issuer)."""
        return self.cls in ORGANIZATION_CLASSES

    @property
    def is_document(self) -> bool:
        """Whether the entity is a policy document."""
        return self.cls in DOCUMENT_CLASSES


@dataclass
class Issuer:
    """An organization that issued or published a document, and the evidence for it."""

    iri: str
    start: int
    end: int
    confidence: float
    cue: str = ""


@dataclass
class DocumentCandidate:
    """A policy document named in the text."""

    start: int
    end: int
    title: str
    title_start: int
    title_end: int
    iri: str
    cls: str
    linked: bool
    confidence: float
    passage: int
    lang: str = "en"
    number: str | None = None
    number_span: tuple[int, int] | None = None
    issuers: list[Issuer] = field(default_factory=list)
    with_other_departments: bool = False
    other_departments_span: tuple[int, int] | None = None
    date_issued: str | None = None
    date_issued_span: tuple[int, int] | None = None
    date_in_force: str | None = None
    date_in_force_span: tuple[int, int] | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    years_span: tuple[int, int] | None = None

    @property
    def predicate(self) -> str:
        """``issuedBy`` for acts, ``publishedBy`` for reports, indexes, collections, standards."""
        published = {"Report", "Index", "CaseCollection", "NationalStandard"}
        return "publishedBy" if self.cls.removeprefix(IPG_NS) in published else "issuedBy"


@dataclass
class Figure:
    """A number stated in the text, normalised, with what qualifies and locates it."""

    start: int
    end: int
    surface: str
    value: Decimal
    qualifier: str
    unit: str
    passage: int
    confidence: float
    value_span: tuple[int, int]
    unit_span: tuple[int, int] | None = None
    qualifier_span: tuple[int, int] | None = None
    period: str | None = None
    date: str | None = None
    period_span: tuple[int, int] | None = None
    about: list[str] = field(default_factory=list)
    about_span: tuple[int, int] | None = None
    iri: str = ""
    extra_passages: list[int] = field(default_factory=list)
