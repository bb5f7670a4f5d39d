"""The facade's questions about sources: how the graph knows each statement (`why`), facts in
date order (`timeline`), and drafts of candidate facts from new reports (`extract`, `diff`).

`KnowledgeGraph` inherits these methods; they call `ipgraph.provenance` and `ipgraph.extract`,
which load on first use (jieba and friends are not needed to answer queries).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from ipgraph.errors import DataError
from ipgraph.loader import parse_file

if TYPE_CHECKING:
    from ipgraph.extract import Draft, DraftDiff
    from ipgraph.kg import KnowledgeGraph
    from ipgraph.provenance import Statement, TimelineEntry

__all__ = ["SourceMethods"]

T = TypeVar("T")


class SourceMethods:
    """Provenance, time and drafts, as methods of `KnowledgeGraph`."""

    # What the facade provides (see `ipgraph.kg.KnowledgeGraph`).
    @property
    def graph(self) -> Dataset:
        raise NotImplementedError

    def cached(self, key: str, build: Callable[[], T]) -> T:
        raise NotImplementedError

    def extract(
        self,
        report: str | Path,
        *,
        source: str | None = None,
        title: str | None = None,
        publisher: str | None = None,
        year: str | None = None,
    ) -> Draft:
        """Candidate facts of a report (a file, or the text itself) for curation: entities
        linked to this graph's names, documents, issuers and figures, each with its passage,
        character span and confidence. See `ipgraph.extract`.

        Args:
            report: a Markdown or plain-text file (a `Path`, or a string naming an existing
                file), or the report's text itself; English or Chinese.
            source: the slug of the draft's `Source` (default: from the file name).
            title: the report's title (default: its first heading).
            publisher: the IRI of its publisher (default: the most-mentioned organization).
            year: its year.

        Raises:
            DataError: the file cannot be read.

        >>> import ipgraph
        >>> draft = ipgraph.load().extract("MIIT issued over 3,000 licences in 2022.")
        >>> [str(m.iri).rsplit("/", 1)[-1] for m in draft.linked]
        ['miit']
        """
        is_file = isinstance(report, Path) or ("\n" not in report and Path(report).is_file())
        if is_file:
            path = Path(report)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise DataError(str(path), f"cannot read the report: {exc}") from None
            source = source or path.stem
        else:
            text = str(report)
        from ipgraph.extract import NameTable, extract, names_from_graph  # jieba etc.: on use

        names = self.cached("extract:names", lambda: NameTable(names_from_graph(self.graph)))
        return extract(text, names, source=source, title=title, publisher=publisher, year=year)

    def diff(self, draft: str | Path | Graph) -> DraftDiff:
        """What a draft (a file written by ``ipgraph extract``, or its graph) would add.

        Raises:
            DataError: the draft file is missing or malformed.
        """
        from ipgraph.extract import diff

        if not isinstance(draft, Graph):
            merged = Graph()
            for graph in parse_file(Path(draft)).graphs.values():
                merged += graph
            draft = merged
        return diff(draft, self.graph)

    def why(
        self,
        subject: str | URIRef,
        predicate: str | URIRef | None = None,
        object: str | Node | None = None,
    ) -> list[Statement]:
        """The sources of each statement about ``subject``: how the graph knows it.

        Each statement sits in the named graph of every passage that states it, every second
        source that gives it, or the curator inference that justifies it (docs/provenance.md).

        Args:
            subject: anything `resolve` accepts (IRI, CURIE, id path, label, acronym).
            predicate: a CURIE or IRI (``ipg:issuedBy``); all predicates when None.
            object: an entity reference, an rdflib term, or a literal's text; any when None.

        Returns:
            One `Statement` per matching (predicate, object), each with its `Source` list:
            ``kind`` (stated / second source / inferred / vocabulary / file), the passage
            locator, or title, URL, publisher and date, or the justification.

        Raises:
            EntityNotFound, AmbiguousEntity: the subject (or an entity object) is unknown.
            UsageError: a predicate CURIE with an unknown prefix.

        >>> import ipgraph
        >>> kg = ipgraph.load()
        >>> [(s.kind, s.section, s.paragraph) for s in kg.why("China Brand Day 2021",
        ...     "ipg:organizedBy", "NDRC")[0].sources]
        [('stated', '04', 2)]
        >>> sorted({s.kind for st in kg.why("CNIPA") for s in st.sources})
        ['inferred', 'second source', 'stated']
        """
        from ipgraph.provenance import why

        return why(cast("KnowledgeGraph", self), subject, predicate, object)

    def timeline(self, entity: str | URIRef | None = None) -> list[TimelineEntry]:
        """Documents, events and figures in date order, optionally only those involving
        ``entity`` (about it, issued or organized by it, or linked to it).

        Dates come from ``eli:date_document`` (issued), ``eli:date_publication``,
        ``eli:first_date_entry_in_force``, ``ipg:year``, a figure's ``ipg:referenceDate`` or
        ``ipg:referencePeriod``, a plan's period and ``ipg:nameChangedOn``.

        Raises:
            EntityNotFound, AmbiguousEntity: the entity is unknown.

        >>> import ipgraph
        >>> kg = ipgraph.load()
        >>> part = kg.resolve("document/gbt-39551-1")
        >>> [(e.date, e.kind) for e in kg.timeline(part) if e.item == part]
        [('2020-11-09', 'issued'), ('2021-06-01', 'in force')]
        """
        from ipgraph.provenance import timeline

        return timeline(cast("KnowledgeGraph", self), entity)
