// How the query page shows RDF terms: CURIEs, labels fetched from the endpoint, DOM helpers.
// Every value goes into the page as text (textContent), never as HTML.

import { postQuery } from "./endpoint.js";

/** IRIs whose labels one query asks for (a few hundred: far below the request size limit). */
const LABEL_BATCH = 400;

/** A DOM element with optional text and class. */
export function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

/** Turns IRIs into CURIEs with the prefixes a query may use (longest namespace first). */
export class Names {
  /** @param {Object<string, string>} prefixes prefix → namespace */
  constructor(prefixes) {
    this.namespaces = Object.entries(prefixes).sort((a, b) => b[1].length - a[1].length);
    this.labels = new Map(); // IRI → label, or "" when it has none
  }

  curie(iri) {
    for (const [prefix, ns] of this.namespaces) {
      if (ns && iri.startsWith(ns) && /^[\w\-./]*$/.test(iri.slice(ns.length))) {
        return prefix + ":" + iri.slice(ns.length);
      }
    }
    return "<" + iri + ">";
  }

  label(iri) {
    return this.labels.get(iri) || "";
  }

  /** Ask the endpoint for the labels of the IRIs not asked about yet (one query per
   * LABEL_BATCH of them, so that a large graph result stays under the server's size limit).
   *
   * English first, then Chinese, then any. Resolves once they are known (errors: no labels).
   * @param {Iterable<string>} iris
   */
  async fetchLabels(iris) {
    const wanted = [...new Set(iris)].filter(
      (iri) => !this.labels.has(iri) && /^[^<>"{}|^`\\\s]+$/.test(iri),
    );
    wanted.forEach((iri) => this.labels.set(iri, ""));
    const batches = [];
    for (let at = 0; at < wanted.length; at += LABEL_BATCH) {
      batches.push(this.fetchBatch(wanted.slice(at, at + LABEL_BATCH)));
    }
    await Promise.all(batches);
  }

  async fetchBatch(iris) {
    const values = iris.map((iri) => "<" + iri + ">").join(" ");
    const query =
      "SELECT ?s ?label WHERE { VALUES ?s { " + values + " } " +
      "?s rdfs:label|skos:prefLabel ?label }";
    try {
      const response = await postQuery(query, "application/sparql-results+json");
      if (!response.ok) return;
      const data = await response.json();
      const rank = (lang) => (lang === "en" ? 3 : lang === "zh" ? 2 : lang ? 0 : 1);
      const best = new Map();
      for (const row of data.results.bindings) {
        const iri = row.s.value;
        const score = rank(row.label["xml:lang"] || "");
        if (!best.has(iri) || best.get(iri)[0] < score) best.set(iri, [score, row.label.value]);
      }
      best.forEach(([, text], iri) => this.labels.set(iri, text));
    } catch (e) {
      /* labels are a help, not a need: the CURIEs stay */
    }
  }
}

/** The URL of the query page describing `iri`. */
export function describeLink(iri) {
  return "/?" + new URLSearchParams({ query: "DESCRIBE <" + iri + ">" }).toString();
}
