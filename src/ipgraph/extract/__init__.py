"""Extraction of candidate facts from reports, in ipgraph's vocabulary (issue 14).

``extract(text, names)`` reads a report (English or Chinese, Markdown or plain text) and returns
a `Draft`: passages, linked and new entities, policy documents with numbers, issuers and dates,
and figures as observations, each with its character span and a confidence. ``Draft.graph()``
is the RDF; `render_review` the offline HTML review page; `diff` what a draft would add to a
graph. The algorithms take plain values: the name table is a list of `NameRecord`, built from
any rdflib graph by `names_from_graph`.

>>> from ipgraph.extract import NameRecord, extract
>>> names = [NameRecord("https://w3id.org/ipgraph/id/agency/cnipa", "CNIPA", "en", "acronym",
...                     "https://w3id.org/ipgraph/ontology#Agency")]
>>> draft = extract("# Report\\n\\nIn 2021, CNIPA selected 40 typical cases.", names)
>>> [(f.value, f.unit, f.period) for f in draft.figures]
[(Decimal('40'), 'case', '2021')]
"""

from __future__ import annotations

from ipgraph.extract.diff import DraftDiff, diff
from ipgraph.extract.draft import DRAFT, Draft
from ipgraph.extract.linker import NameTable, names_from_graph
from ipgraph.extract.model import DocumentCandidate, Figure, Mention, NameRecord, Passage
from ipgraph.extract.pipeline import extract
from ipgraph.extract.review import render_review

__all__ = [
    "DRAFT",
    "DocumentCandidate",
    "Draft",
    "DraftDiff",
    "Figure",
    "Mention",
    "NameRecord",
    "NameTable",
    "Passage",
    "diff",
    "extract",
    "names_from_graph",
    "render_review",
]
