"""SHACL validation of the data against ``ontology/shapes.ttl`` (pySHACL, imported lazily).

>>> import ipgraph
>>> report = ipgraph.load().validate()
>>> report.conforms, report.results
(True, [])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH, SKOS
from rdflib.term import Node

from ipgraph.labels import pick_label


@dataclass(frozen=True)
class ValidationResult:
    """One violation: which node, which property path, what is wrong."""

    focus: str
    focus_label: str
    path: str | None
    message: str
    severity: str
    value: str | None = None
    shape: str | None = None

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.focus_label} <{self.focus}>{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "focus": self.focus,
            "focus_label": self.focus_label,
            "path": self.path,
            "message": self.message,
            "severity": self.severity,
            "value": self.value,
            "shape": self.shape,
        }


@dataclass
class ValidationReport:
    """The outcome of `KnowledgeGraph.validate` as data."""

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)
    triples: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "triples": self.triples,
            "results": [r.to_dict() for r in self.results],
        }

    def to_text(self) -> str:
        if self.conforms:
            return f"conforms: {self.triples} triples checked against the SHACL shapes"
        lines = [f"does not conform: {len(self.results)} violation(s)"]
        lines += [f"  {result}" for result in self.results]
        return "\n".join(lines)


def validate(data: Graph, shapes: Graph, ontology: Graph, label_of: Any) -> ValidationReport:
    """Validate ``data`` with RDFS inference over ``ontology`` (so subclasses meet shapes).

    Args:
        data: the facts to check.
        shapes: the SHACL shapes graph.
        ontology: the vocabulary, mixed in for class hierarchy inference.
        label_of: turns a node into a display label for messages.
    """
    import pyshacl  # heavy; only ``validate`` needs it

    conforms, results_graph, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="rdfs",
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
    )

    def name(node: Node) -> str:
        # Entities of extra files checked without being loaded have their labels only here.
        found = [v for p in (RDFS.label, SKOS.prefLabel) for v in data.objects(node, p)]
        labels = [v for v in found if isinstance(v, Literal)]
        return pick_label(labels) if labels else str(label_of(node))

    results = [
        _read_result(results_graph, node, name)
        for node in results_graph.subjects(SH.resultSeverity, None)
    ]
    results.sort(key=lambda r: (r.severity, r.focus, r.path or "", r.message))
    return ValidationReport(bool(conforms), results, len(data))


def _read_result(graph: Graph, node: Node, label_of: Any) -> ValidationResult:
    focus = graph.value(node, SH.focusNode)
    path = graph.value(node, SH.resultPath)
    severity = graph.value(node, SH.resultSeverity)
    messages = sorted(str(m) for m in graph.objects(node, SH.resultMessage))
    value = graph.value(node, SH.value)
    shape = graph.value(node, SH.sourceShape)
    return ValidationResult(
        focus=str(focus),
        focus_label=label_of(focus) if focus is not None else "",
        path=label_of(path) if isinstance(path, URIRef) else None,
        message="; ".join(messages) or "constraint not met",
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        value=str(value) if value is not None else None,
        shape=str(shape) if isinstance(shape, URIRef) else None,
    )
