"""`ipgraph.extract` on an English report written for these tests (not the seed chapter)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract_support import DATA, DRAFT, ID, bundled_names
from ipgraph.extract import Draft, extract

TEXT = (DATA / "en_report.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def draft() -> Draft:
    return extract(TEXT, bundled_names(), source="en_report.md")


def test_passages_follow_sections_and_paragraphs(draft: Draft) -> None:
    where = [(p.section, p.paragraph, p.heading) for p in draft.passages]
    assert where == [
        ("01", 1, "Rules and guidance"),
        ("01", 2, "Rules and guidance"),
        ("01", 3, "Rules and guidance"),
        ("02", 1, "Results"),
        ("02", 2, "Results"),
    ]
    assert draft.source.title == "Provincial IP Work Review 2022"


def test_known_entities_are_linked_by_name_and_acronym(draft: Draft) -> None:
    linked = {m.surface: m.iri for m in draft.linked}
    assert linked["CNIPA"] == ID + "agency/cnipa"
    assert linked["Ministry of Finance"] == ID + "agency/mof"
    assert linked["Zhejiang"] == ID + "region/zhejiang"
    assert linked["SMEs"] == ID + "category/smes"
    assert linked["Geographical Indications"] == ID + "concept/geographical-indication"


def test_new_entities_are_minted_in_the_draft_namespace(draft: Draft) -> None:
    new = {m.label: m for m in draft.new}
    mara = new["Ministry of Agriculture and Rural Affairs"]
    assert mara.iri == DRAFT + "agency/ministry-of-agriculture-and-rural-affairs"
    assert mara.cls.endswith("#Ministry")
    assert any(a.startswith("acronym:MARA:") for a in mara.alternatives)
    assert new["National Forestry and Grassland Administration"].cls.endswith("#Agency")
    assert new["Clean Air"].cls.endswith("#Campaign")


def test_documents_titles_numbers_issuers_and_dates(draft: Draft) -> None:
    docs = {d.title: d for d in draft.documents}
    assert set(docs) == {
        "Notice on Strengthening the Protection of Geographical Indications",
        "Guidelines for Data Intellectual Property Registration",
    }
    notice = docs["Notice on Strengthening the Protection of Geographical Indications"]
    assert notice.cls.endswith("#Notice") and not notice.linked
    assert [i.iri.rsplit("/", 1)[-1] for i in notice.issuers] == [
        "cnipa",
        "ministry-of-agriculture-and-rural-affairs",
        "mof",
    ]
    assert (notice.date_issued, notice.date_in_force) == ("2022-03-15", "2022-05-01")
    standard = docs["Guidelines for Data Intellectual Property Registration"]
    assert standard.number == "GB/T 45001-2022"
    assert standard.cls.endswith("#NationalStandard")
    assert standard.predicate == "publishedBy"
    # passive voice, no agent: the report's publisher, with a lower confidence
    assert [(i.iri, i.cue) for i in standard.issuers] == [(ID + "agency/cnipa", "publisher")]
    assert standard.issuers[0].confidence < 0.7


def test_figures_are_normalised(draft: Draft) -> None:
    got = [(f.value, f.qualifier, f.unit, f.period, f.date) for f in draft.figures]
    assert got == [
        (Decimal("5010000"), "MoreThan", "item", None, "2022-12-31"),
        (Decimal("350000000000"), "Approximately", "yuan", None, "2022-12-31"),
        (Decimal("30"), "Exactly", "percent", "2022", None),
        (Decimal("12500"), "Nearly", "enterprise", "2022", None),
    ]
    smes = next(f for f in draft.figures if f.unit == "enterprise")
    assert smes.about == [ID + "category/smes"]


def test_every_span_is_the_text_it_claims(draft: Draft) -> None:
    for m in draft.mentions:
        assert TEXT[m.start : m.end] == m.surface
    for d in draft.documents:
        assert TEXT[d.title_start : d.title_end] == d.title
        if d.number_span:
            assert TEXT[d.number_span[0] : d.number_span[1]] == d.number
    for f in draft.figures:
        assert TEXT[f.start : f.end] == f.surface
    spans = {d.title: d for d in draft.documents}
    notice = spans["Notice on Strengthening the Protection of Geographical Indications"]
    assert notice.date_issued_span is not None
    assert TEXT[slice(*notice.date_issued_span)] == "15 March 2022"


def test_nothing_invented(draft: Draft) -> None:
    """Every name proposed for a new entity, and every title, is in the text."""
    for m in draft.new:
        assert m.label in TEXT
    for d in draft.documents:
        assert d.title in TEXT
    for f in draft.figures:
        digits = str(f.value)
        assert any(w in TEXT for w in (digits, f"{f.value:,}", f.surface))
