"""The extraction pipeline: read, link, find documents, new names and figures, build a `Draft`.

Every step works on the clean view of the text (markup dropped, whitespace collapsed) and the
spans are mapped back to the input at the end, so ``text[start:end]`` is always the mention as
written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ipgraph.errors import DataError
from ipgraph.extract import documents as docs
from ipgraph.extract.draft import DRAFT, Draft, SourceInfo, slugify
from ipgraph.extract.figures import FoundFigure, find_figures
from ipgraph.extract.linker import NameMatch, NameTable
from ipgraph.extract.mint import find_new_names
from ipgraph.extract.model import (
    DOCUMENT_CLASSES,
    IPG_NS,
    ORGANIZATION_CLASSES,
    DocumentCandidate,
    Figure,
    Issuer,
    Mention,
    NameRecord,
    Passage,
)
from ipgraph.extract.numbers import dates, reference_span
from ipgraph.extract.reader import CleanView, Reading, read_text

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“(A-Z0-9\u3400-\u9fff])|(?<=[。！？；;])")
_KIND_OF_CLASS = {
    "Agency": "agency", "Ministry": "agency", "Academy": "agency", "Association": "agency",
    "InternationalOrganization": "agency", "Committee": "org", "Organization": "org",
}  # fmt: skip
_CONCEPTS = {IPG_NS + c for c in ("Concept", "IPType", "Theme", "TechnologyField")}


@dataclass
class _Segment:
    passage: Passage
    start: int  # view offsets
    end: int
    sentences: list[tuple[int, int]]


def extract(
    text: str,
    names: Iterable[NameRecord] | NameTable,
    *,
    source: str | None = None,
    title: str | None = None,
    publisher: str | None = None,
    year: str | None = None,
) -> Draft:
    """Candidate facts of a report, in ipgraph's vocabulary, each traced to its passage and span.

    Args:
        text: the report, Markdown or plain text, English or Chinese.
        names: the name table to link against (`names_from_graph`), or a built `NameTable`.
        source: a short name for the report (a file name); its slug names the draft's IRIs.
        title: the report's title, if the text has none (default: its top heading).
        publisher: the IRI or a name of the organization that wrote the report; it issues the
            documents the report says were issued without naming who. Default: the
            organization the report names most often.
        year: the report's year, used as the reference period of figures when the text gives
            none near them (default: the first year the report states, e.g. "In 2021").

    Returns:
        A `Draft`; ``draft.graph()`` is the RDF, ``draft.serialize()`` Turtle.

    Raises:
        DataError: the text is empty or has no paragraphs.

    >>> from ipgraph.extract.model import NameRecord
    >>> names = [NameRecord("https://w3id.org/ipgraph/id/agency/moe", "MOE", "en", "acronym",
    ...                     "https://w3id.org/ipgraph/ontology#Ministry")]
    >>> d = extract("# R 2021\\n\\nIn 2021, MOE issued the *Notice on Patent Pledges*.", names)
    >>> [(m.surface, m.linked) for m in d.mentions], [x.title for x in d.documents]
    ([('MOE', True)], ['Notice on Patent Pledges'])
    """
    where = source or "<text>"
    if not text.strip():
        raise DataError(where, "the report is empty")
    reading = read_text(text)
    if not reading.passages:
        raise DataError(where, "no paragraphs found (is this a report in Markdown or text?)")
    table = names if isinstance(names, NameTable) else NameTable(names)
    view = CleanView(text)
    segments = _segments(reading, view)
    report_title = title or reading.title or (source or "report")
    slug = slugify(source.rsplit("/", 1)[-1].rsplit(".", 1)[0] if source else report_title)
    info = SourceInfo(
        iri=DRAFT[f"source/{slug}"], slug=slug, title=report_title,
        lang="zh" if reading.chinese else "en", year=year or _first_year(view.text, segments),
    )  # fmt: skip
    run = _Run(text, reading, view, segments, table, info)
    run.link()
    run.find_documents()
    run.mint()
    run.set_publisher(publisher)
    run.resolve_issuers()
    run._dedupe_issuers()
    run.find_figures()
    return run.draft()


class _Run:
    def __init__(
        self,
        text: str,
        reading: Reading,
        view: CleanView,
        segments: list[_Segment],
        table: NameTable,
        info: SourceInfo,
    ) -> None:
        self.text, self.reading, self.view, self.segments = text, reading, view, segments
        self.table, self.info = table, info
        self.mentions: list[tuple[_Segment, int, int, Mention]] = []  # view spans
        self.titles: list[tuple[_Segment, docs.TitleSpan, DocumentCandidate]] = []
        self.figures: list[Figure] = []
        self.new_labels: dict[tuple[str, str], str] = {}
        self.publisher: str | None = None
        self.publisher_is_default = True
        self._index: dict[int, list[tuple[_Segment, int, int, Mention]]] | None = None
        self._starts = [seg.start for seg in segments]

    def by_segment(self, seg: _Segment) -> list[tuple[_Segment, int, int, Mention]]:
        """The mentions of one passage (indexed once the mention list is final)."""
        if self._index is None:
            self._index = {}
            for item in self.mentions:
                self._index.setdefault(item[0].passage.index, []).append(item)
        return self._index.get(seg.passage.index, [])

    # --- names -------------------------------------------------------------------------------
    def link(self) -> None:
        for seg in self.segments:
            body = self.view.text[seg.start : seg.end]
            for match in self.table.find(body):
                self._add_match(seg, match, seg.start)

    def _add_match(self, seg: _Segment, match: NameMatch, base: int) -> Mention:
        start, end = base + match.start, base + match.end
        raw = self.view.raw_span(start, end)
        mention = Mention(
            raw[0], raw[1], self.text[raw[0] : raw[1]], match.iri,
            self.table.label_of(match.iri, match.record.lang or "en"),
            self.table.cls.get(match.iri, match.record.cls), True, round(match.confidence, 3),
            seg.passage.index, match.record.lang or "en", match.alternatives,
        )  # fmt: skip
        self.mentions.append((seg, start, end, mention))
        return mention

    def mint(self) -> None:
        for seg in self.segments:
            body = self.view.text[seg.start : seg.end]
            for name in find_new_names(body, self.reading.chinese):
                start, end = seg.start + name.start, seg.start + name.end
                if self._overlaps(seg, start, end):
                    continue
                known = self.table.lookup(name.label)
                if not known and name.acronym:
                    known = self.table.lookup(name.acronym)
                raw = self.view.raw_span(start, end)
                surface = self.text[raw[0] : raw[1]]
                if known:
                    iri = known[0].iri
                    mention = Mention(
                        raw[0], raw[1], surface, iri, self.table.label_of(iri),
                        self.table.cls.get(iri, known[0].cls), True, 0.8, seg.passage.index,
                        name.lang,
                    )  # fmt: skip
                else:
                    cls = IPG_NS + name.cls
                    kind = _KIND_OF_CLASS.get(name.cls, "program")
                    key = (kind, name.label)
                    iri = self.new_labels.setdefault(
                        key, str(DRAFT[f"{kind}/{slugify(name.label)}"])
                    )
                    mention = Mention(
                        raw[0], raw[1], surface, iri, name.label, cls, False, name.confidence,
                        seg.passage.index, name.lang,
                    )  # fmt: skip
                    if name.acronym and name.acronym_span:
                        acr = self.view.raw_span(seg.start + name.acronym_span[0],
                                                 seg.start + name.acronym_span[1])  # fmt: skip
                        mention.alternatives = (f"acronym:{name.acronym}:{acr[0]}:{acr[1]}",)
                self.mentions.append((seg, start, end, mention))
        self.mentions.sort(key=lambda m: m[1])

    def _overlaps(self, seg: _Segment, start: int, end: int) -> bool:
        if any(start < e and s < end for sg, s, e, _ in self.mentions if sg is seg):
            return True
        return any(start < t.end and t.start < end for sg, t, _ in self.titles if sg is seg)

    # --- documents ---------------------------------------------------------------------------
    def find_documents(self) -> None:
        emphasis = [self._view_span(s, e) for s, e in self.reading.emphasis]
        spans = docs.find_titles(self.view.text, emphasis)
        doc_mentions = [(s, e, m) for _, s, e, m in self.mentions if m.cls in DOCUMENT_CLASSES]
        for start, end, mention in doc_mentions:
            if not any(start < t.end and t.start < end for t in spans):
                spans.append(docs.TitleSpan(start, end, "known name", mention.confidence))
        for span in sorted(spans, key=lambda t: t.start):
            seg = self._segment_at(span.start)
            if seg is None or span.end > seg.end:
                continue
            self.titles.append((seg, span, self._document(seg, span)))
        # names inside titles: linked separately, the title itself left out
        kept = []
        titles_of: dict[int, list[docs.TitleSpan]] = {}
        for sg, t, _ in self.titles:
            titles_of.setdefault(sg.passage.index, []).append(t)
        for seg, start, end, mention in self.mentions:
            near = titles_of.get(seg.passage.index, [])
            inside = [t for t in near if start < t.end and t.start < end]
            if not inside:
                kept.append((seg, start, end, mention))
        self.mentions = kept
        containers = [(seg, span.start, span.end, doc.iri) for seg, span, doc in self.titles]
        containers += [
            (seg, start, end, m.iri)
            for seg, start, end, m in self.mentions
            if m.cls.startswith(IPG_NS) and _is_program(m.cls) and len(m.surface.split()) >= 4
        ]
        for seg, start, end, iri in containers:
            inner = self.view.text[start:end]
            for match in self.table.find(inner, exclude=frozenset({iri})):
                if match.record.cls in DOCUMENT_CLASSES:
                    continue
                self._add_match(seg, match, start)
        self.mentions.sort(key=lambda m: m[1])

    def _document(self, seg: _Segment, span: docs.TitleSpan) -> DocumentCandidate:
        shown = self.view.text[span.start : span.end]
        label, number = docs.split_number(shown)
        label = label.strip()
        title_end = span.start + len(label)
        after = self.view.text[span.end : span.end + 60]
        number_span: tuple[int, int] | None = None
        if number:
            std_in = docs.STANDARD.search(shown, len(label))
            if std_in:
                number_span = self.view.raw_span(
                    span.start + std_in.start(), span.start + std_in.end()
                )
        else:
            near = re.match(r"[》」*\"”]?\s*[(（]?\s*(" + docs.DOC_NUMBER.pattern + ")", after)
            std = re.match(r"[》」*\"”]?\s*[(（]?\s*(" + docs.STANDARD.pattern + ")", after)
            if near:
                number = re.sub(r"\s+", "", near[1]) if "号" in near[1] else near[1]
                number_span = self.view.raw_span(span.end + near.start(1), span.end + near.end(1))
            elif std:
                number = docs.standard_number(std[1])
                number_span = self.view.raw_span(span.end + std.start(1), span.end + std.end(1))
        cls = docs.document_class(label)
        if number and number.startswith("GB"):
            cls = "NationalStandard"
        known = [r for r in self.table.lookup(label) if r.cls in DOCUMENT_CLASSES]
        if not known and number:
            known = [r for r in self.table.lookup(number) if r.cls in DOCUMENT_CLASSES]
        raw = self.view.raw_span(span.start, span.end)
        title_raw = self.view.raw_span(span.start, title_end)
        lang = "zh" if re.search(r"[\u3400-\u9fff]", label) else "en"
        if known:
            iri, linked, cls_iri = (
                known[0].iri,
                True,
                self.table.cls.get(known[0].iri, IPG_NS + cls),
            )
        else:
            iri, linked, cls_iri = str(DRAFT[f"document/{slugify(label)}"]), False, IPG_NS + cls
        doc = DocumentCandidate(
            raw[0], raw[1], label, title_raw[0], title_raw[1], iri, cls_iri, linked,
            round(span.confidence * (1.0 if linked else 0.9), 3), seg.passage.index, lang,
            number, number_span,
        )  # fmt: skip
        years = docs.YEARS.search(shown)
        if years and doc.cls == IPG_NS + "Plan":
            doc.valid_from, doc.valid_until = years["a"], years["b"]
            doc.years_span = self.view.raw_span(
                span.start + years.start(), span.start + years.end()
            )
        return doc

    # --- issuers -----------------------------------------------------------------------------
    def set_publisher(self, publisher: str | None) -> None:
        if publisher:
            self.publisher_is_default = False
            if publisher.startswith(("http://", "https://")):
                self.publisher = publisher
            else:
                found = self.table.lookup(publisher)
                if not found:
                    raise DataError("publisher", f"no entity is named {publisher!r}")
                self.publisher = found[0].iri
            return
        counts = Counter(m.iri for _, _, _, m in self.mentions if m.is_organization and m.linked)
        if counts:
            self.publisher = counts.most_common(1)[0][0]

    def resolve_issuers(self) -> None:
        self._index = None
        for seg, span, doc in self.titles:
            orgs = [(s, e, m) for _, s, e, m in self.by_segment(seg) if m.is_organization]
            sentence = _sentence_at(seg, span.start)
            s_start, s_end = sentence
            s_text = self.view.text[s_start:s_end]
            others = [(t.start, t.end) for sg, t, _ in self.titles if sg is seg]
            verb_text = _mask(s_text, s_start, others)
            if not docs.ISSUE_VERBS.search(verb_text):
                continue
            subject = agent = False
            for start, end, mention in orgs:
                if not (s_start <= start and end <= s_end):
                    continue
                if any(t_s <= start < t_e for t_s, t_e in others):
                    continue
                if end <= span.start:
                    lead = self.view.text[s_start:start]
                    if docs.NOT_ISSUER_BEFORE.search(lead) and not docs.JOINT.search(
                        self.view.text[start - 25 : start]
                    ):
                        continue
                    doc.issuers.append(self._issuer(mention, 0.85, "subject"))
                    subject = True
                else:
                    between = self.view.text[span.end : start]
                    cue = docs.JOINT.search(between)
                    if cue is None or len(between) > 160:
                        continue
                    doc.issuers.append(self._issuer(mention, 0.8, cue[0]))
                    agent = agent or cue[0].lower() in ("by", "由")
            after = self.view.text[span.end : s_end]
            passive = docs.PASSIVE.search(after) or (self.reading.chinese and not subject)
            named = {i.iri for i in doc.issuers}
            default = self.publisher
            # A national standard is issued by the standards bodies, never by the report's
            # publisher (who may have drafted it): no default issuer for a standard.
            standard = doc.cls.endswith("#NationalStandard")
            if default and passive and not (subject or agent or standard) and default not in named:
                doc.issuers.append(Issuer(default, doc.start, doc.end, 0.6, "publisher"))
            other = docs.OTHER_DEPARTMENTS.search(s_text)
            if other:
                doc.with_other_departments = True
                doc.other_departments_span = self.view.raw_span(
                    s_start + other.start(), s_start + other.end()
                )
            for date, d_start, d_end in dates(s_text):
                near = s_text[max(0, d_start - 30) : d_end + 12]
                raw = self.view.raw_span(s_start + d_start, s_start + d_end)
                if docs.IN_FORCE.search(near):
                    doc.date_in_force, doc.date_in_force_span = date, raw
                elif doc.date_issued is None:
                    doc.date_issued, doc.date_issued_span = date, raw

    def _issuer(self, mention: Mention, confidence: float, cue: str) -> Issuer:
        return Issuer(mention.iri, mention.start, mention.end, confidence, cue)

    def _dedupe_issuers(self) -> None:
        for _seg, _span, doc in self.titles:
            best: dict[str, Issuer] = {}
            for issuer in doc.issuers:
                if issuer.iri not in best or issuer.confidence > best[issuer.iri].confidence:
                    best[issuer.iri] = issuer
            doc.issuers = list(best.values())

    # --- figures -----------------------------------------------------------------------------
    def find_figures(self) -> None:
        self._index = None
        for seg in self.segments:
            excluded = [(t.start, t.end) for sg, t, _ in self.titles if sg is seg]
            for sg, span, doc in self.titles:
                after = self.view.text[span.end : span.end + 60]
                number = re.match(r"[》」\"”]?\s*[(（][^)）]{0,40}[)）]", after)
                if sg is seg and number and doc.number:
                    excluded.append((span.end, span.end + number.end()))
            for s_start, s_end in seg.sentences:
                for _date, d_start, d_end in dates(self.view.text[s_start:s_end]):
                    excluded.append((s_start + d_start, s_start + d_end))
            body = self.view.text[seg.start : seg.end]
            titles = [(t.start, t.end) for sg, t, _ in self.titles if sg is seg]
            found = find_figures(body, seg.start, excluded, self.reading.chinese, titles)
            for fig in found:
                self._figure(seg, fig)
        for seg, _span, doc in self.titles:
            if doc.valid_from and doc.valid_until and doc.years_span:
                for value in (doc.valid_from, doc.valid_until):
                    at = self.text.find(value, doc.years_span[0], doc.years_span[1])
                    self.figures.append(
                        Figure(
                            at, at + 4, value, _dec(value), "Exactly", "calendar-year",
                            seg.passage.index, 0.6, (at, at + 4), period=self.info.year,
                            about=[doc.iri], about_span=(doc.title_start, doc.title_end),
                        )
                    )  # fmt: skip
        self._dedupe_figures()

    def _figure(self, seg: _Segment, fig: FoundFigure) -> None:
        raw = self.view.raw_span(fig.start, fig.end)
        value_raw = self.view.raw_span(*fig.value_span)
        figure = Figure(
            raw[0], raw[1], self.text[raw[0] : raw[1]], fig.value, fig.qualifier, fig.unit,
            seg.passage.index, fig.confidence, value_raw,
            self.view.raw_span(*fig.unit_span) if fig.unit_span else None,
            self.view.raw_span(*fig.qualifier_span) if fig.qualifier_span else None,
        )  # fmt: skip
        sentence = _sentence_at(seg, fig.start)
        ref = None
        for s_start, s_end in reversed([s for s in seg.sentences if s[0] <= sentence[0]]):
            ref = reference_span(self.view.text[s_start:s_end])
            if ref:
                kind, value, r_start, r_end = ref
                span = self.view.raw_span(s_start + r_start, s_start + r_end)
                if kind == "date":
                    figure.date = value
                else:
                    figure.period = value
                figure.period_span = span
                break
        if not ref:
            figure.period = self.info.year
        about = self._about(seg, fig, sentence)
        if about is None:
            if fig.ordinal:
                return  # an ordinal numbers a named thing; none here
            fallback = self.publisher or str(self.info.iri)
            figure.about, figure.confidence = [fallback], figure.confidence * 0.5
        else:
            figure.about, figure.about_span = [about.iri], (about.start, about.end)
            if fig.ordinal:
                figure.confidence = min(0.9, about.confidence)
        self.figures.append(figure)

    def _about(self, seg: _Segment, fig: FoundFigure, sentence: tuple[int, int]) -> Mention | None:
        here = [(s, e, m) for _sg, s, e, m in self.by_segment(seg)]
        if fig.ordinal:  # "22nd WIPO-CNIPA Award": the thing the ordinal numbers
            for s, e, m in here + [(t.start, t.end, None) for sg, t, _ in self.titles if sg is seg]:
                if s <= fig.start < e or 0 <= s - fig.end <= 2:
                    if m is not None and not m.is_document and not m.is_organization:
                        return m
                    for _sg, t, d in self.titles:
                        if t.start == s:
                            return _doc_mention(d)
            return None
        best: tuple[float, Mention] | None = None
        for s, e, m in here:
            if not (sentence[0] <= s < sentence[1]) or m.is_document:
                continue
            distance = s - fig.end if s >= fig.end else (fig.start - e) * 1.5
            weight = distance + (60 if m.cls in _CONCEPTS else 0) + (20 if m.is_organization else 0)
            if best is None or weight < best[0]:
                best = (weight, m)
        if best:
            return best[1]
        nearby = [m for s, _e, m in here if not m.is_document]
        return nearby[-1] if nearby else None

    def _dedupe_figures(self) -> None:
        seen: dict[tuple[object, ...], Figure] = {}
        kept: list[Figure] = []
        for fig in self.figures:
            key = (fig.value, fig.unit, fig.qualifier, tuple(fig.about), fig.date or fig.period)
            if key in seen and fig.unit == "ordinal":
                seen[key].extra_passages.append(fig.passage)
                continue
            seen[key] = fig
            kept.append(fig)
        self.figures = kept

    # --- helpers -----------------------------------------------------------------------------
    def _view_span(self, raw_start: int, raw_end: int) -> tuple[int, int]:
        return self.view.view_offset(raw_start), self.view.view_offset(raw_end)

    def _segment_at(self, at: int) -> _Segment | None:
        i = bisect_right(self._starts, at) - 1
        if i >= 0 and self.segments[i].start <= at < self.segments[i].end:
            return self.segments[i]
        return None

    def draft(self) -> Draft:
        mentions = [m for _, _, _, m in self.mentions]
        return Draft(
            text=self.text, source=self.info, passages=self.reading.passages,
            mentions=mentions, documents=[d for _, _, d in self.titles], figures=self.figures,
            publisher=self.publisher,
        )  # fmt: skip


def _segments(reading: Reading, view: CleanView) -> list[_Segment]:
    out: list[_Segment] = []
    for passage in reading.passages:
        start, end = view.view_offset(passage.start), view.view_offset(passage.end)
        body = view.text[start:end]
        sentences: list[tuple[int, int]] = []
        begin = 0
        for match in _SENTENCE.finditer(body):
            if body[begin : match.start()].strip():
                sentences.append((start + begin, start + match.start()))
            begin = match.end()
        if body[begin:].strip():
            sentences.append((start + begin, end))
        out.append(_Segment(passage, start, end, sentences))
    return out


def _sentence_at(seg: _Segment, at: int) -> tuple[int, int]:
    for s_start, s_end in seg.sentences:
        if s_start <= at < s_end:
            return s_start, s_end
    return seg.start, seg.end


def _mask(text: str, base: int, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(max(start, base), min(end, base + len(text))):
            chars[i - base] = " "
    return "".join(chars)


def _first_year(view: str, segments: list[_Segment]) -> str | None:
    for seg in segments:
        for s_start, s_end in seg.sentences:
            ref = reference_span(view[s_start:s_end])
            if ref and ref[0] == "period":
                return ref[1]
    return None


_PROGRAMS = {"Program", "Campaign", "SpecialPlan", "PilotProject", "Award", "Event"}
_PROGRAMS |= {
    "TrainingSession",
    "ServiceBase",
    "Mechanism",
    "Meeting",
    "Project",
    "Expo",
    "BrandDay",
}


def _is_program(cls: str) -> bool:
    return cls.removeprefix(IPG_NS) in _PROGRAMS


def _doc_mention(doc: DocumentCandidate) -> Mention:
    return Mention(
        doc.title_start, doc.title_end, doc.title, doc.iri, doc.title, doc.cls, doc.linked,
        doc.confidence, doc.passage, doc.lang,
    )  # fmt: skip


def _dec(value: str) -> Decimal:
    return Decimal(value)


__all__ = ["ORGANIZATION_CLASSES", "extract"]
