"""Policy documents found in a report (`ipgraph.extract.documents`): titles, classes,
numbers, issuers and dates, in English and Chinese."""

from __future__ import annotations

from extract_support import DRAFT, ID
from ipgraph.extract import Draft


def test_documents_titles_numbers_issuers_and_dates(en_draft: Draft) -> None:
    docs = {d.title: d for d in en_draft.documents}
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
    # passive voice, no agent: a national standard gets no guessed issuer (the standards
    # bodies issue standards; the report's publisher may only have drafted it)
    assert standard.issuers == []


def test_document_number_issuers_and_date(zh_draft: Draft) -> None:
    docs = {d.title: d for d in zh_draft.documents}
    opinion = docs["关于加强地理标志保护的指导意见"]
    assert opinion.cls.endswith("#Opinion")
    assert opinion.number == "国知发保字〔2022〕12号"
    assert [i.iri for i in opinion.issuers] == [
        ID + "agency/cnipa",
        DRAFT + "agency/国家林业和草原局",
        ID + "agency/moe",
    ]
    assert opinion.date_in_force == "2022-06-01"
    guide = docs["中小企业知识产权管理指南"]
    assert guide.cls.endswith("#Guideline")
    assert [i.iri for i in guide.issuers] == [ID + "agency/miit"]
