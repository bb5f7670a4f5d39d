"""The offline review page: each paragraph with its candidates highlighted, and a table.

Rendered with Jinja2 with autoescaping on, so text and labels from the report cannot inject
markup; the page loads nothing (inline CSS, no scripts, a Content-Security-Policy of
``default-src 'none'``).

>>> from ipgraph.extract import NameRecord, extract
>>> page = render_review(extract("# R\\n\\nIn 2021, <script>x</script> 40 cases were won.", []))
>>> "<script>" in page, "&lt;script&gt;" in page
(False, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ipgraph.extract.draft import Draft


@dataclass
class _Span:
    start: int
    end: int
    css: str
    title: str
    row: dict[str, Any]


def render_review(draft: Draft) -> str:
    """The review page of a draft, as one self-contained HTML document.

    Args:
        draft: what `extract` returned.

    Returns:
        HTML text; write it to a file and open it in a browser, offline.
    """
    env = Environment(
        loader=PackageLoader("ipgraph.extract", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    spans = _spans(draft)
    passages = []
    for p in draft.passages:
        inside = sorted(
            (s for s in spans if p.start <= s.start and s.end <= p.end),
            key=lambda s: (s.start, -(s.end - s.start)),
        )
        passages.append(
            {
                "index": p.index,
                "section": p.section,
                "paragraph": p.paragraph,
                "heading": p.heading,
                "pieces": _pieces(draft.text, p.start, p.end, inside),
                "rows": [s.row for s in inside],
            }
        )
    counts = {
        "linked": len(draft.linked),
        "new": len(draft.new),
        "documents": len(draft.documents),
        "figures": len(draft.figures),
    }
    template = env.get_template("review.html")
    return template.render(
        title=draft.source.title, lang=draft.source.lang, passages=passages, counts=counts
    )


def _spans(draft: Draft) -> list[_Span]:
    spans: list[_Span] = []

    def add(start: int, end: int, css: str, iri: str, label: str, cls: str, conf: float) -> None:
        title = f"{label} <{iri}> {cls.rsplit('#', 1)[-1]} {conf:.2f}"
        row = {
            "kind": css,
            "surface": draft.text[start:end],
            "label": label,
            "iri": iri,
            "cls": cls.rsplit("#", 1)[-1],
            "confidence": conf,
            "start": start,
            "end": end,
        }
        spans.append(_Span(start, end, css, title, row))

    for m in draft.mentions:
        add(m.start, m.end, "linked" if m.linked else "new", m.iri, m.label, m.cls, m.confidence)
    for d in draft.documents:
        issuers = ", ".join(i.iri.rsplit("/", 1)[-1] for i in d.issuers)
        label = d.title + (f" [{d.number}]" if d.number else "") + f" — by: {issuers or '?'}"
        add(d.title_start, d.title_end, "document", d.iri, label, d.cls, d.confidence)
    for f in draft.figures:
        when = f.date or f.period or "?"
        label = f"{f.qualifier} {f.value} {f.unit} ({when})"
        add(f.start, f.end, "figure", f.iri or "observation", label, "Observation", f.confidence)
    return spans


def _pieces(text: str, start: int, end: int, spans: list[_Span]) -> list[dict[str, str]]:
    """Text and open/close marks of properly nested spans; crossing spans are not marked."""
    events: list[tuple[int, int, str, _Span | None]] = []
    stack: list[_Span] = []
    kept: list[_Span] = []
    for span in spans:
        while stack and stack[-1].end <= span.start:
            stack.pop()
        if stack and span.end > stack[-1].end:
            continue  # crosses its container: listed in the table only
        stack.append(span)
        kept.append(span)
    for span in kept:
        events.append((span.start, 1, "open", span))
        events.append((span.end, 0, "close", span))
    events.sort(key=lambda e: (e[0], e[1], -(e[3].start if e[3] else 0)))
    pieces: list[dict[str, str]] = []
    at = start
    for pos, _order, kind, marked in events:
        if pos > at:
            pieces.append({"kind": "text", "text": text[at:pos]})
            at = pos
        if kind == "open" and marked is not None:
            pieces.append({"kind": "open", "css": marked.css, "title": marked.title})
        else:
            pieces.append({"kind": "close"})
    if at < end:
        pieces.append({"kind": "text", "text": text[at:end]})
    return pieces
