"""The token scan (`ipgraph.sparql.scan`): SERVICE and updates are refused before any
parsing, wherever they hide; the same words in strings, IRIs, comments and names are fine. The
refusals are checked on the memory and the embedded Oxigraph backend alike."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

import ipgraph
from ipgraph.errors import QueryForbidden, QuerySyntaxError
from ipgraph.sparql import check_query
from ipgraph.sparql.scan import inject_values, scan_query, tokens


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("DROP ALL", "DROP"),
        ("CLEAR DEFAULT", "CLEAR"),
        ("WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
    ],
)
def test_updates_are_forbidden(text: str, what: str) -> None:
    with pytest.raises(QueryForbidden, match=f"Update \\({what}\\) is not allowed"):
        check_query(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://x.org/> { ?s ?q ?r } } }",
        "ASK { ?s ?p ?o FILTER EXISTS { SERVICE <http://x.org/> { ?s ?p ?o } } }",
    ],
)
def test_service_is_forbidden_wherever_it_hides(text: str) -> None:
    with pytest.raises(QueryForbidden, match=r"SERVICE <http://.*> is not allowed"):
        check_query(text)


def test_the_word_service_in_a_string_is_fine(kg: ipgraph.KnowledgeGraph) -> None:
    result = kg.query('SELECT ?x WHERE { BIND("SERVICE <http://x.org/> LOAD" AS ?x) }')
    assert result.rows == [(Literal("SERVICE <http://x.org/> LOAD"),)]


SERVICE_CALLS = [
    "SELECT * WHERE { SERVICE <http://x.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SeRvIcE SILENT <http://x.org/> { ?s ?q ?r } } }",
    "ASK { ?s ?p ?o FILTER NOT EXISTS { { service <http://x.org/> { ?s ?p ?o } } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE ?endpoint { ?s ?p ?o } } } }",
    "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <http://x.org/> { ?s ?p ?o } } }",
    # glued to the next token: Oxigraph's grammar accepts these
    "SELECT * WHERE { SERVICE<http://x.org/>{ ?s ?p ?o } }",
    "SELECT * WHERE { SERVICESILENT<http://x.org/>{ ?s ?p ?o } }",
    "PREFIX SERVICEipg: <http://e.org/> SELECT * WHERE { SERVICEipg:x { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 12SERVICE<http://x.org/>{ ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p trueSERVICE <http://x.org/> { ?s ?p ?o } }",
    # a comparison that looks like the start of an IRI
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<?s) SERVICE <http://x.org/> { ?s ?p ?o } }",
    # a comment holding quotes, then the real thing on the next line
    "# it's \"quoted\n SELECT * WHERE { SERVICE <http://x.org/> { ?s ?p ?o } }",
    # codepoint escapes: decoded outside strings by some engines, inside only by others
    "SELECT * WHERE { \\u0053ERVICE <http://x.org/> { ?s ?p ?o } }",
    'SELECT * WHERE { BIND("a\\u0022" AS ?x) SERVICE <http://x.org/> { } BIND("b" AS ?y) }',
    "SELECT * WHERE { BIND(<http://x.org/\\u0041#> AS ?x) SERVICE <http://x.org/> { } }",
]


@pytest.mark.parametrize("text", SERVICE_CALLS)
def test_service_is_refused_wherever_it_hides(any_kg: ipgraph.KnowledgeGraph, text: str) -> None:
    with pytest.raises(QueryForbidden, match=r"SERVICE .* is not allowed"):
        any_kg.query(text)


UPDATES = [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
    ("delete where { ?s ?p ?o }", "DELETE WHERE"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("CLEAR ALL", "CLEAR"),
    ("DROP GRAPH <urn:g>", "DROP"),
    ("CREATE GRAPH <urn:g>", "CREATE"),
    ("ADD DEFAULT TO <urn:g>", "ADD"),
    ("Move <urn:a> TO <urn:b>", "MOVE"),
    ("COPY <urn:a> TO <urn:b>", "COPY"),
    ("SELECT * WHERE { ?s ?p ?o } ;\n insert data { <urn:a> <urn:b> <urn:c> }", "INSERT"),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { LOAD <http://x.org/d.ttl> } }", "LOAD"),
    ("ASK { FILTER EXISTS { DELETE { ?s ?p ?o } } }", "DELETE"),
]


@pytest.mark.parametrize(("text", "what"), UPDATES)
def test_updates_are_refused_wherever_they_hide(
    any_kg: ipgraph.KnowledgeGraph, text: str, what: str
) -> None:
    with pytest.raises(QueryForbidden, match=f"Update \\({what}\\) is not allowed"):
        any_kg.query(text)


HARMLESS = [
    ('SELECT ?x WHERE { BIND("SERVICE <http://x.org/> { } LOAD" AS ?x) }', "SERVICE"),
    ("SELECT ?x WHERE { BIND('it\\'s a SERVICE, DROP it' AS ?x) }", "DROP"),
    ('SELECT ?x WHERE { BIND("""INSERT DATA\n{ } "quoted" DELETE""" AS ?x) }', "DELETE"),
    ("SELECT ?x WHERE { BIND('''CLEAR ALL ''SERVICE''' AS ?x) }", "CLEAR"),
    ('SELECT ?x WHERE { BIND("copy"@en AS ?x) }', "copy"),
    ("SELECT ?x WHERE { BIND(<http://example.org/SERVICE/LOAD#DROP> AS ?x) }", "SERVICE"),
    ("SELECT ?x WHERE { # SERVICE <http://x.org/> { } and LOAD <x>\n BIND(1 AS ?x) }", "1"),
    ("SELECT ?service WHERE { BIND(ipg:SERVICE AS ?service) }", "SERVICE"),
    ("SELECT ?load WHERE { VALUES ?load { 'MOVE' } }", "MOVE"),
]


@pytest.mark.parametrize(("text", "within"), HARMLESS)
def test_the_words_in_strings_iris_comments_and_names_are_fine(
    any_kg: ipgraph.KnowledgeGraph, text: str, within: str
) -> None:
    result = any_kg.query(text)
    assert len(result.rows) == 1
    assert within in str(result.rows[0][0])


def test_the_scan_reports_kind_variables_projection_and_from() -> None:
    scan = scan_query("PREFIX x: <urn:x#>\nSELECT ?a ?b WHERE { ?a x:p ?b ; x:q ?c }")
    assert scan.kind == "SELECT"
    assert scan.projected == ("a", "b")
    assert scan.variables >= {"a", "b", "c"}
    assert not scan.has_from
    assert scan_query("ASK FROM <urn:g> { ?s ?p ?o }").has_from
    assert scan_query("CONSTRUCT WHERE { ?s ?p ?o }").kind == "CONSTRUCT"


def test_tokens_leave_out_spaces_and_comments() -> None:
    found = [m.group() for m in tokens("ASK # SERVICE in a comment\n{ ?s ?p 'x y' }")]
    assert found == ["ASK", "{", "?s", "?p", "'x y'", "}"]


def test_inject_values_binds_inside_the_where_clause() -> None:
    x = URIRef("urn:x")
    text = 'SELECT ?d WHERE { ?d ?p ?a FILTER(?a != "{") }'
    injected = inject_values(text, {"a": x, "n": Literal(3)})
    assert injected.startswith("SELECT ?d WHERE { VALUES ( ?a ?n ) { ( <urn:x> ")
    assert injected.endswith('?d ?p ?a FILTER(?a != "{") }')
    construct = inject_values("CONSTRUCT { ?a <urn:p> ?o } WHERE { ?a ?q ?o }", {"a": x})
    assert construct == (
        "CONSTRUCT { ?a <urn:p> ?o } WHERE { VALUES ( ?a ) { ( <urn:x> ) } ?a ?q ?o }"
    )
    with pytest.raises(QuerySyntaxError, match="no WHERE clause"):
        inject_values("DESCRIBE <urn:x>", {"a": x})
