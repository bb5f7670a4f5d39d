// The ipgraph query page: runs SPARQL against this server's /sparql and shows the result.
// No third-party code; every value is inserted with textContent, never as HTML.
"use strict";

(function () {
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const examples = document.getElementById("examples");
  const description = document.getElementById("example-description");
  const statusLine = document.getElementById("status");
  const results = document.getElementById("results");
  const meta = document.getElementById("meta");
  const downloads = document.getElementById("downloads");
  const errorBox = document.getElementById("error");
  const booleanBox = document.getElementById("boolean");
  const table = document.getElementById("results-table");
  const graphText = document.getElementById("graph-text");
  const runButton = document.getElementById("run");

  let prefixes = {};
  try {
    prefixes = JSON.parse(document.body.dataset.prefixes || "{}");
  } catch (e) {
    prefixes = {};
  }
  // Longest namespace first, so the most specific prefix wins.
  const namespaces = Object.entries(prefixes).sort((a, b) => b[1].length - a[1].length);

  function curie(iri) {
    for (const [prefix, ns] of namespaces) {
      if (ns && iri.startsWith(ns) && /^[\w\-./]*$/.test(iri.slice(ns.length))) {
        return prefix + ":" + iri.slice(ns.length);
      }
    }
    return "<" + iri + ">";
  }

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function describeLink(iri) {
    const params = new URLSearchParams({ query: "DESCRIBE <" + iri + ">" });
    return "/?" + params.toString();
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = el("a", curie(term.value));
      a.href = describeLink(term.value);
      a.title = term.value + " (click: describe it)";
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.appendChild(el("span", "_:" + term.value, "bnode"));
    } else {
      td.appendChild(el("span", term.value));
      if (term["xml:lang"]) td.appendChild(el("span", "@" + term["xml:lang"], "lang"));
      else if (term.datatype) td.title = curie(term.datatype);
    }
    return td;
  }

  function setDownloads(query, formats) {
    downloads.replaceChildren(el("span", "Download: "));
    formats.forEach(([label, format], index) => {
      const params = new URLSearchParams({ query: query, format: format });
      const a = el("a", label);
      a.href = "/sparql?" + params.toString();
      a.id = "download-" + format;
      a.setAttribute("download", "ipgraph-result." + format);
      if (index > 0) downloads.appendChild(document.createTextNode(" · "));
      downloads.appendChild(a);
    });
  }

  function reset() {
    results.hidden = false;
    errorBox.hidden = true;
    booleanBox.hidden = true;
    graphText.hidden = true;
    table.hidden = true;
    table.tHead.replaceChildren();
    table.tBodies[0].replaceChildren();
    meta.textContent = "";
    downloads.replaceChildren();
  }

  function showSelect(data, truncated, elapsed) {
    const vars = (data.head && data.head.vars) || [];
    const rows = (data.results && data.results.bindings) || [];
    const headRow = document.createElement("tr");
    vars.forEach((v) => headRow.appendChild(el("th", "?" + v)));
    table.tHead.appendChild(headRow);
    const body = table.tBodies[0];
    rows.forEach((binding) => {
      const tr = document.createElement("tr");
      vars.forEach((v) => tr.appendChild(cell(binding[v])));
      body.appendChild(tr);
    });
    table.hidden = false;
    let text = rows.length + (rows.length === 1 ? " row" : " rows") + " in " + elapsed + " ms";
    if (truncated) text += " — truncated at the server's row cap; narrow the query (LIMIT, FILTER)";
    meta.textContent = text;
  }

  async function run() {
    const query = editor.value;
    if (!query.trim()) return;
    reset();
    runButton.disabled = true;
    statusLine.textContent = "Running…";
    const started = performance.now();
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query: query }).toString(),
      });
      const elapsed = Math.round(performance.now() - started);
      const type = (response.headers.get("Content-Type") || "").split(";")[0];
      const truncated = response.headers.get("X-Ipgraph-Truncated") === "true";
      if (!response.ok) {
        let message = response.status + " " + response.statusText;
        try {
          const problem = await response.json();
          message = problem.error + ": " + problem.message;
        } catch (e) {
          /* not JSON: keep the status line */
        }
        errorBox.textContent = message;
        errorBox.hidden = false;
        statusLine.textContent = "Failed (" + response.status + ")";
        return;
      }
      if (type === "application/sparql-results+json") {
        const data = await response.json();
        if (typeof data.boolean === "boolean") {
          booleanBox.textContent = data.boolean ? "true" : "false";
          booleanBox.hidden = false;
          meta.textContent = "ASK answered in " + elapsed + " ms";
        } else {
          showSelect(data, truncated, elapsed);
        }
        setDownloads(query, [["CSV", "csv"], ["TSV", "tsv"], ["JSON", "json"], ["XML", "xml"]]);
      } else {
        graphText.textContent = await response.text();
        graphText.hidden = false;
        meta.textContent =
          "Graph in " + elapsed + " ms" + (truncated ? " — truncated at the server's cap" : "");
        setDownloads(query, [["Turtle", "ttl"], ["N-Triples", "nt"], ["JSON-LD", "jsonld"]]);
      }
      statusLine.textContent = "Done";
    } catch (e) {
      errorBox.textContent = "The server did not answer: " + e;
      errorBox.hidden = false;
      statusLine.textContent = "Failed";
    } finally {
      runButton.disabled = false;
    }
  }

  examples.addEventListener("change", () => {
    const option = examples.selectedOptions[0];
    if (!option || !option.value) {
      description.textContent = "";
      return;
    }
    editor.value = option.dataset.query || "";
    description.textContent = option.dataset.description || "";
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });

  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });

  if (document.body.dataset.autorun === "true") run();
})();
