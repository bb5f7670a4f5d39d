"""Between pyoxigraph and rdflib: term conversion both ways and rdflib `Result`s from
pyoxigraph's answers. pyoxigraph itself is passed in, never imported here.

>>> import pyoxigraph
>>> convert = ox_converter(pyoxigraph)
>>> convert(to_ox(pyoxigraph, Literal("教育部", lang="zh")))
rdflib.term.Literal('教育部', lang='zh')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier, Node

__all__ = ["XSD_INTEGER", "ox_converter", "ox_result", "to_ox"]

XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def ox_converter(ox: Any) -> Callable[[Any], Identifier]:
    """A function turning pyoxigraph terms into rdflib terms, remembering the terms it has
    converted (one converter per result: results repeat predicates, classes and agencies).

    >>> import pyoxigraph
    >>> convert = ox_converter(pyoxigraph)
    >>> convert(pyoxigraph.Literal("2021", datatype=pyoxigraph.NamedNode(str(XSD_INTEGER))))
    rdflib.term.Literal('2021', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    named_node, literal, blank_node = ox.NamedNode, ox.Literal, ox.BlankNode
    seen: dict[Any, Identifier] = {}
    datatypes: dict[str, URIRef] = {}

    def convert(term: Any) -> Identifier:
        hit = seen.get(term)
        if hit is not None:
            return hit
        cls = type(term)
        if cls is named_node:  # Oxigraph's IRIs are valid: skip URIRef's own check
            made: Identifier = str.__new__(URIRef, term.value)
        elif cls is literal or (cls is not blank_node and isinstance(term, literal)):
            language = term.language
            if language:
                made = Literal(term.value, lang=language)
            else:
                datatype = term.datatype.value
                if datatype == _XSD_STRING:
                    made = Literal(term.value)
                else:
                    iri = datatypes.get(datatype)
                    if iri is None:
                        iri = datatypes[datatype] = URIRef(datatype)
                    made = Literal(term.value, datatype=iri)
        elif cls is not blank_node and isinstance(term, named_node):  # a subclass
            made = URIRef(term.value)
        else:  # a blank node (or an RDF-star triple term, which rdflib cannot hold)
            made = BNode(term.value)
        if len(seen) < 100_000:
            seen[term] = made
        return made

    return convert


def to_ox(ox: Any, term: Node) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.BlankNode(str(term))


def ox_result(ox: Any, raw: Any) -> Result:
    if isinstance(raw, ox.QueryBoolean):
        out = Result("ASK")
        out.askAnswer = bool(raw)
        return out
    if isinstance(raw, ox.QuerySolutions):
        out = Result("SELECT")
        variables = [Variable(v.value) for v in raw.variables]
        out.vars = variables
        convert = ox_converter(ox)
        out.bindings = (  # rows are converted as they are read
            {
                var: convert(value)
                for var, value in zip(variables, solution, strict=True)
                if value is not None
            }
            for solution in raw
        )
        return out
    out = Result("CONSTRUCT")
    graph = Graph()
    convert = ox_converter(ox)
    graph.addN((convert(t.subject), convert(t.predicate), convert(t.object), graph) for t in raw)
    out.graph = graph
    return out
