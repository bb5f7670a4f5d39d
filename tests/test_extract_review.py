"""The offline HTML review page of a draft (`ipgraph.extract.review`)."""

from __future__ import annotations

import re

from extract_support import bundled_names
from ipgraph.extract import Draft, extract, render_review


def test_review_page_escapes_text_and_loads_nothing() -> None:
    text = (
        "# Review <b>test</b>\n\nIn 2022, CNIPA selected 12 typical cases of "
        '<script>alert("x")</script> "Bright <img src=x onerror=alert(1)> Sky" campaign.\n'
    )
    page = render_review(extract(text, bundled_names(), source="xss.md"))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<img" not in page and "<b>" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert '<mark class="linked"' in page and '<mark class="figure"' in page


def test_review_page_shows_new_linked_documents_and_confidence(en_draft: Draft) -> None:
    page = render_review(en_draft)
    assert '<mark class="new"' in page and '<mark class="document"' in page
    assert "Ministry of Agriculture and Rural Affairs" in page
    assert "0.60" in page  # the publisher-as-issuer confidence is shown
