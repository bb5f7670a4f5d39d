"""`ipgraph.extract.pipeline.extract` end to end, on an English and a Chinese report written
for these tests: every span is the text it claims, and nothing is invented."""

from __future__ import annotations

from extract_support import EN_TEXT, ZH_TEXT
from ipgraph.extract import Draft


def test_every_span_is_the_text_it_claims(en_draft: Draft) -> None:
    for m in en_draft.mentions:
        assert EN_TEXT[m.start : m.end] == m.surface
    for d in en_draft.documents:
        assert EN_TEXT[d.title_start : d.title_end] == d.title
        if d.number_span:
            assert EN_TEXT[d.number_span[0] : d.number_span[1]] == d.number
    for f in en_draft.figures:
        assert EN_TEXT[f.start : f.end] == f.surface
    spans = {d.title: d for d in en_draft.documents}
    notice = spans["Notice on Strengthening the Protection of Geographical Indications"]
    assert notice.date_issued_span is not None
    assert EN_TEXT[slice(*notice.date_issued_span)] == "15 March 2022"


def test_nothing_invented(en_draft: Draft) -> None:
    """Every name proposed for a new entity, and every title, is in the text."""
    for m in en_draft.new:
        assert m.label in EN_TEXT
    for d in en_draft.documents:
        assert d.title in EN_TEXT
    for f in en_draft.figures:
        digits = str(f.value)
        assert any(w in EN_TEXT for w in (digits, f"{f.value:,}", f.surface))


def test_spans_are_exact(zh_draft: Draft) -> None:
    for m in zh_draft.mentions:
        assert ZH_TEXT[m.start : m.end] == m.surface
    for d in zh_draft.documents:
        assert ZH_TEXT[d.title_start : d.title_end] == d.title
        if d.number_span:
            assert ZH_TEXT[slice(*d.number_span)] == d.number
