"""Reading a report (`ipgraph.extract.reader`): passages follow sections and paragraphs,
numbered in English or Chinese."""

from __future__ import annotations

from ipgraph.extract import Draft


def test_passages_follow_sections_and_paragraphs(en_draft: Draft) -> None:
    where = [(p.section, p.paragraph, p.heading) for p in en_draft.passages]
    assert where == [
        ("01", 1, "Rules and guidance"),
        ("01", 2, "Rules and guidance"),
        ("01", 3, "Rules and guidance"),
        ("02", 1, "Results"),
        ("02", 2, "Results"),
    ]
    assert en_draft.source.title == "Provincial IP Work Review 2022"


def test_sections_numbered_in_chinese(zh_draft: Draft) -> None:
    assert [(p.section, p.paragraph, p.heading) for p in zh_draft.passages] == [
        ("1", 1, "政策制定"),
        ("1", 2, "政策制定"),
        ("2", 1, "地方工作"),
    ]
    assert zh_draft.source.lang == "zh" and zh_draft.source.year == "2022"
