"""The query page of ``ipgraph serve``: ``/``, its files under ``/static/`` and ``/bind``.

- ``/``: a SPARQL editor with highlighting, completion of prefixes and of the terms of the
  graph (``ipg:`` and every class and predicate the data uses: ``rdfs:label``, ``skos:``,
  ``prov:``, ...) and an error marker at the line and column the endpoint reports; the named
  queries as examples, each parameter a form field; a paged, sortable results table with
  labels beside IRIs; CONSTRUCT/DESCRIBE results drawn by vis-network (zoom, pan, labels, up to
  500 triples) beside their Turtle; downloads; the service description; recent queries (only
  those that ran). The query is in the page's URL (``/?query=...``, with ``example=NAME`` and
  ``param=NAME=VALUE`` for a named query) when it fits in 8,000 characters, so a link runs it
  and the back button returns to the previous one.
- ``/static/NAME``: the page's own modules and styles (``templates/``), the editor bundle
  (``static/editor.js``: CodeMirror, installed from npm and bundled by esbuild at build time by
  ``make bundle``, shipped in the wheel, never fetched at run time; without it the page keeps a
  plain text area) and vis-network (``vis-network.min.js``, ``vis-network.css``: read from the
  installed pyvis, the copy the graph views inline).
- ``/bind``: a named query with its parameters bound by a ``VALUES`` block
  (``?name=connections&param=entity=CNIPA``, optionally the edited ``query`` text) as
  ``{"query": ..., "bindings": {...}}``, by `ipgraph.kg.KnowledgeGraph.bind_named`; an
  ``entity`` value is resolved as ``ipgraph query --param`` resolves it (label, acronym,
  CURIE, IRI).

Every page is a Jinja2 template, escaped by default, served under a strict
Content-Security-Policy (`PAGE_CSP`): scripts and styles from this server only.

>>> import asyncio, httpx, ipgraph
>>> from ipgraph.web.app import create_app
>>> async def bind(**params):
...     transport = httpx.ASGITransport(create_app(ipgraph.load()))
...     async with httpx.AsyncClient(transport=transport, base_url="http://ipgraph") as client:
...         return (await client.get("/bind", params=params)).json()
>>> asyncio.run(bind(name="connections", param="entity=CNIPA"))["bindings"]
{'entity': '<https://w3id.org/ipgraph/id/agency/cnipa>'}
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import URIRef

from ipgraph.errors import MissingExtra, NotFound, ProtocolError, QueryError, StoreError
from ipgraph.views.model import VIS_VERSION

try:
    import jinja2
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
except ImportError as exc:  # pragma: no cover - exercised by a test that hides starlette
    raise MissingExtra(exc.name or "starlette", "server") from exc

from ipgraph.web.protocol import parse_params

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph

__all__ = ["DEFAULT_QUERY", "PAGES", "PAGE_CSP", "QueryPage", "html_page", "query_page_csp"]

log = logging.getLogger("ipgraph.web.page")

_HERE = Path(__file__).resolve().parent
_TEMPLATES = _HERE / "templates"
# Build output of `make bundle` (npm ci + esbuild over frontend/): git-ignored, in the wheel.
_STATIC = _HERE / "static"
_MEDIA = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""The pages' policy: nothing but this server's own files, no inline script or style."""


def query_page_csp(nonce: str) -> str:
    """`PAGE_CSP` for the query page, whose editor adds ``<style>`` elements of its own.

    CodeMirror writes its base theme into ``<style>`` elements carrying ``nonce`` (a fresh
    random value per response) and sets a few style attributes (tab size, tooltip places);
    styles cannot run code, and the page puts data into the DOM only as text.

    >>> "style-src 'self' 'nonce-abc'" in query_page_csp("abc")
    True
    """
    return PAGE_CSP.replace(
        "style-src 'self';", f"style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline';"
    )


PAGES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(_TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
"""Every HTML page comes from a template in ``templates/``, escaped by default."""

DEFAULT_QUERY = "SELECT ?class (COUNT(?s) AS ?n)\nWHERE { ?s a ?class }\nGROUP BY ?class\n"

_TERMS_QUERY = """SELECT ?term ?type (SAMPLE(?name) AS ?label) WHERE {
  ?term a ?type
  FILTER(STRSTARTS(STR(?term), STR(ipg:)))
  OPTIONAL { ?term rdfs:label ?name FILTER(langMatches(lang(?name), "en")) }
} GROUP BY ?term ?type ORDER BY ?term"""
# The classes and predicates the data uses, whatever their vocabulary (rdfs:, skos:, prov:, ...):
# a bounded scan, once per change of the data, so that a large store cannot stall the page.
_USED_TERMS_LIMIT = 5000
_USED_TERMS_QUERY = f"""SELECT ?term ?type (SAMPLE(?name) AS ?label) WHERE {{
  {{ SELECT DISTINCT ?term ?type WHERE {{
      {{ [] a ?term BIND("Class" AS ?type) }} UNION {{ [] ?term [] BIND("Property" AS ?type) }}
  }} LIMIT {_USED_TERMS_LIMIT} }}
  OPTIONAL {{ ?term rdfs:label ?name FILTER(langMatches(lang(?name), "en")) }}
}} GROUP BY ?term ?type"""
_TERM_KINDS = {
    "Class": "class",
    "ObjectProperty": "property",
    "DatatypeProperty": "property",
    "Property": "property",
}


def html_page(text: str, status: int = 200, csp: str = PAGE_CSP) -> HTMLResponse:
    """An HTML response under a Content-Security-Policy (`PAGE_CSP` unless told)."""
    return HTMLResponse(text, status_code=status, headers={"Content-Security-Policy": csp})


class QueryPage:
    """The handlers of ``/``, ``/static/{name}`` and ``/bind`` for one graph.

    Args:
        kg: the graph the page queries (through ``/sparql``) and names.
        graphs_ready: whether the graph views exist (the page then links them plainly).
    """

    def __init__(self, kg: KnowledgeGraph, graphs_ready: Callable[[], bool]) -> None:
        self.kg = kg
        self.graphs_ready = graphs_ready
        self.template = PAGES.get_template("query.html")
        self.assets = _assets()

    async def page(self, request: Request) -> Response:
        """The query page; ``?query=`` fills the editor and runs it."""
        params = parse_params(request.scope["query_string"], "query string")
        given = [value for name, value in params if name == "query"]
        named = sorted(self.kg.named_queries().items())
        examples = [
            {
                "name": name,
                "text": item.text,
                "description": item.description or item.title,
                "label": f"{name} — {item.title}" if item.title else name,
                "params": json.dumps([p.to_dict() for p in item.params], ensure_ascii=False),
            }
            for name, item in named
        ]
        prefixes = self.kg.prefixes()  # what queries may use, for CURIEs and completion
        terms = await run_in_threadpool(self.terms)
        nonce = secrets.token_urlsafe(18)
        text = self.template.render(
            style_nonce=nonce,
            examples=examples,
            query=given[0] if given else (named[0][1].text if named else DEFAULT_QUERY),
            autorun=bool(given),
            prefixes_json=json.dumps(prefixes, sort_keys=True),
            vocabulary={"prefixes": prefixes, "terms": terms},
            triples=len(self.kg.graph),
            graphs_ready=self.graphs_ready(),
        )
        return html_page(text, csp=query_page_csp(nonce))

    def terms(self) -> list[dict[str, str]]:
        """The terms for completion (cached until the data changes): see `vocabulary_terms`."""
        return self.kg.cached("page-terms", lambda: vocabulary_terms(self.kg))

    async def asset(self, request: Request) -> Response:
        """One of the page's files: ``query.js``, ``results.js``, ``editor.js``, ..."""
        name = request.path_params["name"]
        if name not in self.assets:
            if name == "editor.js":  # the page keeps a plain text area meanwhile
                raise NotFound(
                    "the editor bundle is not built: run `make bundle` in the source tree "
                    "(npm ci + esbuild), or install ipgraph from its wheel, which carries it"
                )
            raise NotFound(f"no asset {name!r}")
        media, body = self.assets[name]
        return Response(body, media_type=media, headers={"Cache-Control": "no-cache"})

    async def bind(self, request: Request) -> Response:
        """A named query's text with its parameters bound by a ``VALUES`` block.

        Raises:
            ProtocolError: no ``name`` (or several), or a ``param`` that is not NAME=VALUE.
            NotFound: no named query of that name.
            UsageError: an unknown parameter, or a required one missing or empty.
            EntityNotFound: an ``entity`` value names nothing in the graph.
        """
        params = parse_params(request.scope["query_string"], "query string")
        names = [value for name, value in params if name == "name"]
        if len(names) != 1:
            raise ProtocolError("give the named query once, as name=NAME")
        if names[0] not in self.kg.named_queries():
            raise NotFound(f"no named query {names[0]!r}; the query page lists those there are")
        values: dict[str, str] = {}
        for name, value in params:
            if name != "param":
                continue
            key, sep, given = value.partition("=")
            if not sep:
                raise ProtocolError(f"a param is NAME=VALUE, not {value!r}")
            if given.strip():  # an empty field leaves an (optional) parameter unbound
                values[key.strip()] = given.strip()
        texts = [value for name, value in params if name == "query"]

        def bound() -> dict[str, object]:
            query = self.kg.bind_named(names[0], values, text=texts[-1] if texts else None)
            return {
                "query": query.text,
                "bindings": {name: term.n3() for name, term in query.bindings.items()},
            }

        return JSONResponse(await run_in_threadpool(bound))


def _assets() -> dict[str, tuple[str, bytes]]:
    """The page's files by name: our modules and styles, the editor bundle once built, and
    vis-network (script and style) from the installed pyvis, the copy the graph views inline."""
    found = [path for suffix in _MEDIA for path in _TEMPLATES.glob("*" + suffix)]
    found += _STATIC.glob("*.js")
    assets = {path.name: (_MEDIA[path.suffix], path.read_bytes()) for path in found}
    vis = resources.files("pyvis") / "lib" / f"vis-{VIS_VERSION}"
    for name in ("vis-network.min.js", "vis-network.css"):
        # Missing: the page keeps a graph result's Turtle and says why it is not drawn.
        with contextlib.suppress(OSError):
            assets[name] = (_MEDIA[Path(name).suffix], (vis / name).read_bytes())
    return assets


def vocabulary_terms(kg: KnowledgeGraph) -> list[dict[str, str]]:
    """The terms to complete in ``kg``'s queries as ``{"curie", "label", "kind"}`` (class,
    property, term): every ``ipg:`` term the ontology declares, and every class and predicate
    the data uses under a prefix queries may use (``rdfs:label``, ``prov:wasDerivedFrom``, ...).

    >>> import ipgraph
    >>> terms = vocabulary_terms(ipgraph.load())
    >>> {"curie": "ipg:issuedBy", "label": "issued by", "kind": "property"} in terms
    True
    >>> [(t["curie"], t["kind"]) for t in terms if t["curie"].startswith(("prov:", "skos:C"))]
    [('prov:wasDerivedFrom', 'property'), ('skos:ConceptScheme', 'class')]
    """
    terms: dict[str, dict[str, str]] = {}
    rows = list(kg.query(_TERMS_QUERY).rows)
    try:
        rows += kg.query(_USED_TERMS_QUERY).rows
    except (QueryError, StoreError) as exc:  # a large remote store: the page opens all the same
        log.warning("completion keeps the ipg: terms only: the used terms were not read (%s)", exc)
    for term, kind, label in rows:
        if not isinstance(term, URIRef):
            continue
        curie = kg.curie(term)
        if curie == str(term):  # no prefix for it: nothing to complete after a "pre:"
            continue
        entry = terms.setdefault(str(term), {"curie": curie, "label": "", "kind": "term"})
        entry["label"] = entry["label"] or str(label or "")
        local = str(kind).rsplit("#", 1)[-1]
        if entry["kind"] == "term" and local in _TERM_KINDS:
            entry["kind"] = _TERM_KINDS[local]
    return sorted(terms.values(), key=lambda entry: entry["curie"])
