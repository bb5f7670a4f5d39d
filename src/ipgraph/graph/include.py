"""What ``include=`` can add to the entity projection (`ipgraph.graph.projection`): the
groups of classes left out by default, and the check of their names.

Apart from the projection (and networkx), so that the searches by store lookups
(`ipgraph.graph.search`) apply the same groups without loading networkx.

>>> normalize_include("provenance")
('provenance',)
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef

from ipgraph.errors import UsageError
from ipgraph.vocab import IPG, QB

__all__ = ["INCLUDE_GROUPS", "group_classes", "normalize_include"]

INCLUDE_GROUPS: dict[str, tuple[URIRef, ...]] = {
    "observations": (IPG.Observation, QB.Observation, IPG.Measure, IPG.Unit, IPG.Qualifier),
    "provenance": (IPG.Source, IPG.Passage),
}
"""What ``include=`` can add to the projection, and the classes (with subclasses) it adds."""


def normalize_include(include: Iterable[str] | str | None) -> tuple[str, ...]:
    """The sorted, checked names of the groups to add: ``observations``, ``provenance``.

    Raises:
        UsageError: an unknown group name.

    >>> normalize_include(["provenance", "observations", "provenance"])
    ('observations', 'provenance')
    >>> normalize_include("observations")
    ('observations',)
    """
    if include is None:
        return ()
    names = [include] if isinstance(include, str) else list(include)
    for name in names:
        if name not in INCLUDE_GROUPS:
            known = ", ".join(sorted(INCLUDE_GROUPS))
            raise UsageError(f"cannot include {name!r} in the projection; use one of {known}")
    return tuple(sorted(set(names)))


def group_classes(group: str) -> tuple[URIRef, ...]:
    """The classes (without subclasses) an ``include`` group stands for.

    >>> [c.rsplit("#", 1)[1] for c in group_classes("provenance")]
    ['Source', 'Passage']
    """
    return INCLUDE_GROUPS[group]
