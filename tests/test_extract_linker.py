"""The name table (`ipgraph.extract.linker`): built from a graph with one query, matched in
English and Chinese text; short names do not cut words."""

from __future__ import annotations

import pytest
from rdflib import Graph

from extract_support import DRAFT, ID, bundled_graph, bundled_names
from ipgraph.errors import DataError
from ipgraph.extract import Draft, NameRecord, NameTable, extract, names_from_graph


def test_names_from_graph_reads_labels_alt_labels_acronyms_and_ids() -> None:
    records = names_from_graph(bundled_graph())
    by = {(r.iri.removeprefix(ID), r.label): r for r in records}
    assert by[("agency/miit", "工信部")].kind == "altLabel"
    assert by[("agency/miit", "MIIT")].kind == "acronym"
    assert by[("agency/moe", "教育部")].lang == "zh"
    assert by[("document/guidelines-patent-navigation", "GB/T 39551-2020")].kind == "id"
    assert by[("agency/moe", "Ministry of Education")].cls.endswith("#Ministry")
    # vocabulary terms and bookkeeping nodes are not names to link
    assert not any(r.iri.startswith("https://w3id.org/ipgraph/ontology#") for r in records)
    assert not any("/unit/" in r.iri for r in NameTable(records).records)


def test_acronyms_keep_their_case() -> None:
    found = bundled_names().find("Most of the work was done by MOST and the CAS.")
    assert [(m.surface, m.iri.removeprefix(ID)) for m in found] == [
        ("MOST", "agency/most"),
        ("CAS", "agency/cas"),
    ]


def test_longest_name_wins_and_plurals_fold() -> None:
    found = bundled_names().find("national IP demonstration universities and colleges in China")
    assert [m.iri.removeprefix(ID) for m in found] == [
        "category/national-ip-demonstration-universities",
        "region/china",
    ]
    assert bundled_names().find("Industrial Designs")[0].iri == ID + "concept/industrial-design"


def test_a_table_of_plain_records_is_enough() -> None:
    table = NameTable([NameRecord("urn:x:sipo", "State Intellectual Property Office", "en")])
    found = table.find("the former State Intellectual Property Office (SIPO)")
    assert [(m.surface, m.iri) for m in found] == [
        ("State Intellectual Property Office", "urn:x:sipo")
    ]


def test_held_out_style_sentence_links_every_known_name() -> None:
    text = (
        "# Note\n\nThe Ministry of Commerce, the NDRC and the Chinese Academy of Engineering met "
        "WIPO in Beijing and Inner Mongolia; 国家发展改革委、科技部和中国科协参加。\n"
    )
    draft = extract(text, bundled_names())
    assert {m.iri.removeprefix(ID) for m in draft.linked} == {
        "agency/mofcom", "agency/ndrc", "agency/cae", "agency/wipo", "region/beijing",
        "region/inner-mongolia", "agency/most", "agency/cast",
    }  # fmt: skip


def test_empty_text_is_a_data_error() -> None:
    with pytest.raises(DataError, match=r"^empty\.md: the report is empty$"):
        extract("  \n", [], source="empty.md")
    assert Graph() is not None


def test_known_entities_are_linked_by_name_and_acronym(en_draft: Draft) -> None:
    linked = {m.surface: m.iri for m in en_draft.linked}
    assert linked["CNIPA"] == ID + "agency/cnipa"
    assert linked["Ministry of Finance"] == ID + "agency/mof"
    assert linked["Zhejiang"] == ID + "region/zhejiang"
    assert linked["SMEs"] == ID + "category/smes"
    assert linked["Geographical Indications"] == ID + "concept/geographical-indication"


def test_chinese_names_and_short_forms_are_linked(zh_draft: Draft) -> None:
    linked = {m.surface: m.iri for m in zh_draft.linked}
    assert linked["国家知识产权局"] == ID + "agency/cnipa"
    assert linked["教育部"] == ID + "agency/moe"
    assert linked["工信部"] == ID + "agency/miit"  # a short form (skos:altLabel)
    assert linked["浙江省"] == ID + "region/zhejiang"
    assert linked["上海市"] == ID + "region/shanghai"
    assert linked["中小企业"] == ID + "category/smes"
    assert linked["“蓝天”专项整治行动"] == ID + "program/blue-sky-campaign"


def test_short_names_do_not_cut_words(zh_draft: Draft) -> None:
    """浙江 is a province, but not inside 浙江大学, which is proposed as a new organization."""
    assert not any(
        m.iri == ID + "region/zhejiang" and m.surface == "浙江" for m in zh_draft.mentions
    )
    new = {m.label: m for m in zh_draft.new}
    assert new["浙江大学"].iri == DRAFT + "org/浙江大学"
    assert new["国家林业和草原局"].cls.endswith("#Agency")
    assert new["国家林业和草原局"].lang == "zh"
