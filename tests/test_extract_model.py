"""The plain values extraction works with (`ipgraph.extract.model`)."""

from __future__ import annotations

import pytest

from ipgraph.extract.model import (
    DOCUMENT_CLASSES,
    IPG_NS,
    ORGANIZATION_CLASSES,
    DocumentCandidate,
    Mention,
    NameRecord,
)


def mention(cls: str) -> Mention:
    return Mention(0, 4, "MOFA", "urn:x", "x", cls, linked=True, confidence=0.9, passage=0)


def document(cls: str) -> DocumentCandidate:
    return DocumentCandidate(
        0, 10, "A title", 0, 7, "urn:d", IPG_NS + cls, linked=False, confidence=0.8, passage=0
    )


def test_organizations_and_documents_are_told_apart() -> None:
    assert mention(IPG_NS + "Ministry").is_organization
    assert not mention(IPG_NS + "Ministry").is_document
    assert mention(IPG_NS + "Notice").is_document
    assert not mention(IPG_NS + "Notice").is_organization
    assert not mention("").is_organization and not mention("").is_document
    assert not ORGANIZATION_CLASSES & DOCUMENT_CLASSES
    assert all(c.startswith(IPG_NS) for c in ORGANIZATION_CLASSES | DOCUMENT_CLASSES)


@pytest.mark.parametrize(
    ("cls", "predicate"),
    [
        ("Notice", "issuedBy"),
        ("Guidelines", "issuedBy"),
        ("Report", "publishedBy"),
        ("Index", "publishedBy"),
        ("CaseCollection", "publishedBy"),
        ("NationalStandard", "publishedBy"),
    ],
)
def test_reports_and_standards_are_published_acts_issued(cls: str, predicate: str) -> None:
    assert document(cls).predicate == predicate


def test_a_name_record_defaults_to_an_english_label() -> None:
    record = NameRecord("urn:x", "Ministry of X")
    assert (record.lang, record.kind, record.cls) == ("en", "label", "")
