"""How values read on a graph page: literals formatted by datatype, figures as short sentences.

A year is a year (``2035``, never ``2,035``), an amount has thousands separators
(``23,000``), a date is a date (``2020-12-31``), a boolean is yes or no.

>>> from rdflib import Literal
>>> from rdflib.namespace import XSD
>>> format_literal(Literal("2035", datatype=XSD.gYear))
'2035'
>>> format_literal(Literal("23000.0", datatype=XSD.decimal))
'23,000'
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from ipgraph.entity import Labeller, figure
from ipgraph.vocab import ID

__all__ = ["figure_text", "format_literal", "format_number"]

CALENDAR_YEAR = ID["unit/calendar-year"]
"""The unit of figures that are years (a plan's first and last year): drawn as ``2035``."""

_NUMBERS = {
    XSD.decimal,
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.double,
    XSD.float,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
}


def format_number(value: Decimal | int | float) -> str:
    """A number with thousands separators and no trailing zeros.

    >>> format_number(Decimal("1234567.50")), format_number(3), format_number(0.25)
    ('1,234,567.5', '3', '0.25')
    """
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    number = number.normalize()
    if number == number.to_integral():
        return f"{int(number):,}"
    return f"{number:,f}"


def format_literal(value: Literal) -> str:
    """A literal as a person reads it, by its datatype.

    >>> from rdflib.namespace import XSD
    >>> format_literal(Literal("2020-12-31", datatype=XSD.date))
    '2020-12-31'
    >>> format_literal(Literal("true", datatype=XSD.boolean)), format_literal(Literal("工信部"))
    ('yes', '工信部')
    """
    datatype = value.datatype
    if datatype in (XSD.gYear, XSD.gYearMonth, XSD.string) or datatype is None:
        return str(value)
    python = value.toPython()
    if datatype in _NUMBERS and isinstance(python, (Decimal, int, float)):
        return format_number(python)
    if isinstance(python, bool):
        return "yes" if python else "no"
    if isinstance(python, datetime.datetime):
        return python.strftime("%Y-%m-%d %H:%M")
    if isinstance(python, datetime.date):
        return python.isoformat()
    return str(value)


def figure_text(graph: Graph, obs: URIRef, label_of: Labeller) -> str:
    """An observation as a short sentence: qualifier, value, unit and when, read as
    ``ipgraph show`` reads it (`ipgraph.entity.Figure`: one formatter for both).

    >>> import ipgraph
    >>> kg = ipgraph.load()
    >>> from ipgraph.vocab import IPG
    >>> outline = [o for o in kg.graph.subjects(IPG.unit, CALENDAR_YEAR)][0]
    >>> "2,0" in figure_text(kg.graph, outline, kg.label)
    False
    >>> target = kg.resolve("Outline target: annual import and export of IP royalties, 2025")
    >>> figure_text(kg.graph, target, kg.label)
    '350 billion yuan (2025)'
    """
    return str(figure(graph, obs, label_of))
