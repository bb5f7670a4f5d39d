// The ipgraph query page: an editor, the named queries with their parameters, the query in the
// page's URL (shareable; the back button returns to the previous query), results as a paged
// table or a drawn graph, the service description, and the queries run before (localStorage).
// Our own ES modules; the editor is CodeMirror, bundled at build time into /static/editor.js.
// Every value goes into the page as text (textContent), never as HTML.

import { drawGraph, parseNTriples } from "./graph.js";
import { ResultsTable } from "./results.js";
import { Names, el } from "./terms.js";

const $ = (id) => document.getElementById(id);
const form = $("query-form");
const textarea = $("query");
const examples = $("examples");
const description = $("example-description");
const paramSet = $("params");
const paramFields = $("param-fields");
const statusLine = $("status");
const results = $("results");
const meta = $("meta");
const downloads = $("downloads");
const errorBox = $("error");
const booleanBox = $("boolean");
const graphView = $("graph-view");
const graphText = $("graph-text");
const runButton = $("run");

const vocabulary = JSON.parse($("vocabulary").textContent || "{}");
const servedText = textarea.value; // the first example, or the query of the URL
const names = new Names(vocabulary.prefixes || {});
const table = new ResultsTable(
  {
    table: $("results-table"),
    pager: $("pager"),
    pageInfo: $("page-info"),
    first: $("page-first"),
    prev: $("page-prev"),
    next: $("page-next"),
    last: $("page-last"),
  },
  names,
);

// -- the editor: CodeMirror when its bundle is there, else the plain text area -------------------

const plainEditor = {
  getText: () => textarea.value,
  setText(text) {
    textarea.value = text;
    edited();
  },
  markError(line, column) {
    const lines = textarea.value.split("\n");
    let at = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) at += lines[i].length + 1;
    textarea.setSelectionRange(at + column - 1, at + column);
  },
  clearError() {},
  focus: () => textarea.focus(),
};
let editor = plainEditor;

async function loadEditor() {
  try {
    const { createEditor } = await import("./editor.js");
    const parent = $("editor");
    const made = createEditor({
      parent,
      doc: textarea.value,
      vocabulary,
      styleNonce: document.body.dataset.styleNonce || "",
      onChange: (text) => {
        textarea.value = text; // the form field stays the query, for tests and without script
        edited();
      },
      onRun: () => run(true),
    });
    editor = { ...made, focus: () => made.view.focus() };
    $("query-label").htmlFor = "";
    $("query-label").addEventListener("click", () => editor.focus());
    textarea.hidden = true;
    parent.hidden = false;
  } catch (e) {
    console.warn("the editor bundle did not load (run `make bundle`); keeping the text area", e);
  }
}

// -- examples and their parameters ----------------------------------------------------------------

function selectedExample() {
  const option = examples.selectedOptions[0];
  if (!option || !option.value) return null;
  return {
    name: option.value,
    text: option.dataset.query || "",
    description: option.dataset.description || "",
    params: JSON.parse(option.dataset.params || "[]"),
  };
}

function showParams(example, values) {
  paramFields.replaceChildren();
  const params = example ? example.params : [];
  paramSet.hidden = params.length === 0;
  for (const param of params) {
    const id = "param-" + param.name;
    const label = el("label", "?" + param.name + " ");
    label.htmlFor = id;
    label.appendChild(el("span", "(" + param.kind + (param.optional ? ", optional" : "") + ")", "kind"));
    const input = el("input");
    input.id = id;
    input.name = param.name;
    input.dataset.param = param.name;
    input.required = !param.optional;
    input.placeholder = param.description || param.kind;
    input.value = (values && values[param.name]) || "";
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        run(true);
      }
    });
    const row = el("div", undefined, "param");
    row.append(label, input);
    if (param.description) row.appendChild(el("span", param.description, "hint"));
    paramFields.appendChild(row);
  }
}

function paramValues() {
  const values = {};
  for (const input of paramFields.querySelectorAll("input[data-param]")) {
    if (input.value.trim()) values[input.dataset.param] = input.value.trim();
  }
  return values;
}

/** The description follows the editor: marked "edited" once the text is not the example's. */
function edited() {
  const example = selectedExample();
  description.replaceChildren();
  if (!example) return;
  if (editor.getText() !== example.text) {
    description.appendChild(el("span", "edited", "edited"));
    description.appendChild(document.createTextNode(" "));
    description.classList.add("is-edited");
  } else {
    description.classList.remove("is-edited");
  }
  description.appendChild(document.createTextNode(example.description));
}

function chooseExample(name, text, values) {
  examples.value = name || "";
  const example = selectedExample();
  showParams(example, values);
  editor.setText(text !== undefined ? text : example ? example.text : "");
  edited();
}

// -- the page's URL holds the query ------------------------------------------------------------------

/** The parameters of `example` that `text` still mentions. */
function usedParams(example, text) {
  return example.params.filter((p) => new RegExp("[?$]" + p.name + "\\b").test(text));
}

/** What the page asks: the text, and the example it still is (unedited, or with its params). */
function currentState() {
  const example = selectedExample();
  const query = editor.getText();
  const kept = example && (query === example.text || usedParams(example, query).length > 0);
  return {
    query,
    example: kept ? example.name : "",
    params: kept ? paramValues() : {},
  };
}

function urlFor(state) {
  const search = new URLSearchParams();
  if (state.example) search.append("example", state.example);
  for (const [name, value] of Object.entries(state.params || {})) search.append("param", name + "=" + value);
  search.append("query", state.query);
  return "/?" + search.toString();
}

function stateFromUrl(href) {
  const search = new URL(href, location.href).searchParams;
  const params = {};
  for (const item of search.getAll("param")) {
    const at = item.indexOf("=");
    if (at > 0) params[item.slice(0, at)] = item.slice(at + 1);
  }
  return { query: search.get("query"), example: search.get("example") || "", params };
}

/** The example whose text `text` is, if any. */
function exampleOf(text) {
  const found = [...examples.options].find((o) => o.value && o.dataset.query === text);
  return found ? found.value : "";
}

/** Put a state (from the URL or the history) on the page, and run it when it has a query.
 * Without a query (the page as first opened) the editor gets the text it was served with. */
function apply(state) {
  if (state.query === null) {
    chooseExample(exampleOf(servedText), servedText);
    results.hidden = true;
    return;
  }
  const known = state.example && [...examples.options].some((o) => o.value === state.example);
  chooseExample(known ? state.example : exampleOf(state.query), state.query, state.params);
  if (state.query.trim()) run(false);
  else results.hidden = true;
}

// -- the queries run before, kept in this browser ---------------------------------------------------

const HISTORY_KEY = "ipgraph.history";
const HISTORY_SIZE = 20;

function loadHistory() {
  try {
    const items = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
    return Array.isArray(items) ? items.filter((i) => i && typeof i.query === "string") : [];
  } catch (e) {
    return [];
  }
}

function remember(state) {
  const url = urlFor(state);
  const items = loadHistory().filter((item) => urlFor(item) !== url);
  items.unshift({ ...state, at: new Date().toISOString() });
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(0, HISTORY_SIZE)));
  } catch (e) {
    /* storage full or refused: the history is a convenience */
  }
  showHistory();
}

function showHistory() {
  const items = loadHistory();
  const list = $("history");
  list.replaceChildren();
  for (const item of items) {
    const li = el("li");
    const firstLine = item.query.split("\n").find((line) => line.trim() && !line.trim().startsWith("#")) || item.query;
    const a = el("a", (item.example ? item.example + ": " : "") + firstLine.trim().slice(0, 90));
    a.href = urlFor(item);
    a.title = item.query;
    li.appendChild(a);
    if (item.at) li.appendChild(el("span", " " + item.at.slice(0, 16).replace("T", " "), "when"));
    list.appendChild(li);
  }
  $("recent-empty").hidden = items.length > 0;
  $("history-clear").hidden = items.length === 0;
}

// -- running a query -----------------------------------------------------------------------------------

function reset() {
  results.hidden = false;
  errorBox.hidden = true;
  booleanBox.hidden = true;
  graphView.hidden = true;
  graphText.hidden = true;
  table.clear();
  meta.textContent = "";
  downloads.replaceChildren();
  editor.clearError();
}

function fail(message, status) {
  errorBox.textContent = message;
  errorBox.hidden = false;
  statusLine.textContent = status;
}

function setDownloads(query, formats) {
  downloads.replaceChildren(el("span", "Download: "));
  formats.forEach(([label, format], index) => {
    const a = el("a", label);
    a.href = "/sparql?" + new URLSearchParams({ query, format }).toString();
    a.id = "download-" + format;
    a.setAttribute("download", "ipgraph-result." + format);
    if (index > 0) downloads.appendChild(document.createTextNode(" · "));
    downloads.appendChild(a);
  });
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch (e) {
    return { error: response.status + " " + response.statusText, message: "" };
  }
}

/** The text to send: a named query's parameters bound by the server (`/bind`), else the text. */
async function boundQuery(state) {
  const example = selectedExample();
  if (!state.example || !example) return state.query;
  const used = usedParams(example, state.query);
  if (!used.length) return state.query;
  const missing = used.filter((p) => !p.optional && !state.params[p.name]);
  if (missing.length) {
    const wanted = missing.map((p) => "?" + p.name + " (" + p.kind + ")").join(", ");
    throw { error: "MissingParameter", message: "fill in " + wanted + " first: this query needs it", field: missing[0].name };
  }
  const search = new URLSearchParams({ name: example.name, query: state.query });
  for (const [name, value] of Object.entries(state.params)) search.append("param", name + "=" + value);
  const response = await fetch("/bind?" + search.toString(), { headers: { Accept: "application/json" } });
  if (!response.ok) throw await problemOf(response);
  return (await response.json()).query;
}

async function run(push) {
  const state = currentState();
  if (!state.query.trim()) return;
  reset();
  statusLine.textContent = "Running…";
  let query;
  try {
    query = await boundQuery(state);
  } catch (problem) {
    if (problem instanceof Error) fail("The server did not answer: " + problem, "Failed");
    else fail(problem.error + ": " + problem.message, "Not run");
    if (problem.field) $("param-" + problem.field).focus();
    return;
  }
  if (push && location.pathname + location.search !== urlFor(state)) {
    history.pushState(state, "", urlFor(state));
  }
  remember(state);
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
      body: new URLSearchParams({ query }).toString(),
    });
    const elapsed = Math.round(performance.now() - started);
    const type = (response.headers.get("Content-Type") || "").split(";")[0];
    const truncated = response.headers.get("X-Ipgraph-Truncated") === "true";
    if (!response.ok) {
      const problem = await problemOf(response);
      fail(problem.error + ": " + problem.message, "Failed (" + response.status + ")");
      if (problem.line) editor.markError(problem.line, problem.column || 1, problem.message);
      return;
    }
    if (type === "application/sparql-results+json") {
      const data = await response.json();
      if (typeof data.boolean === "boolean") {
        booleanBox.textContent = data.boolean ? "true" : "false";
        booleanBox.hidden = false;
        meta.textContent = "ASK answered in " + elapsed + " ms";
      } else {
        const drawing = performance.now();
        table.load(data);
        const count = table.rows.length;
        let text = count.toLocaleString("en") + (count === 1 ? " row" : " rows") + " in " + elapsed + " ms";
        if (truncated) text += " — truncated at the server's row cap; narrow the query (LIMIT, FILTER)";
        meta.textContent = text;
        $("results-table").dataset.renderMs = String(Math.round(performance.now() - drawing));
      }
      setDownloads(query, [["CSV", "csv"], ["TSV", "tsv"], ["JSON", "json"], ["XML", "xml"]]);
    } else {
      await showGraph(query, await response.text(), truncated, elapsed);
      setDownloads(query, [["Turtle", "ttl"], ["N-Triples", "nt"], ["JSON-LD", "jsonld"]]);
    }
    statusLine.textContent = "Done";
  } catch (e) {
    fail("The server did not answer: " + e, "Failed");
  } finally {
    runButton.disabled = false;
  }
}

/** A CONSTRUCT or DESCRIBE result: its Turtle, and the triples drawn (asked as N-Triples). */
async function showGraph(query, turtle, truncated, elapsed) {
  graphText.textContent = turtle;
  graphText.hidden = false;
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/n-triples" },
    body: new URLSearchParams({ query }).toString(),
  });
  const triples = response.ok ? parseNTriples(await response.text()) : [];
  let text = triples.length.toLocaleString("en") + (triples.length === 1 ? " triple" : " triples") + " in " + elapsed + " ms";
  if (truncated) text += " — truncated at the server's cap";
  meta.textContent = text;
  if (!triples.length) return;
  await names.fetchLabels(triples.flatMap(([s, , o]) => [s, o]).filter((t) => t.type === "uri").map((t) => t.value));
  const drawn = drawGraph($("graph-svg"), triples, names);
  $("graph-caption").textContent =
    drawn < triples.length
      ? "The first " + drawn + " of " + triples.length.toLocaleString("en") + " triples; the Turtle below has them all."
      : "Circles are IRIs (click: describe it), squares literals; the Turtle is below.";
  graphView.hidden = false;
}

// -- the service description, shown in the page ------------------------------------------------------------

async function toggleServiceDescription(event) {
  event.preventDefault();
  const section = $("service");
  const link = $("sd-link");
  if (!section.hidden) {
    section.hidden = true;
    link.setAttribute("aria-expanded", "false");
    return;
  }
  const response = await fetch("/service-description", { headers: { Accept: "text/turtle" } });
  $("sd-text").textContent = response.ok ? await response.text() : "Failed: " + response.status;
  section.hidden = false;
  link.setAttribute("aria-expanded", "true");
}

// -- wiring -------------------------------------------------------------------------------------------------------

examples.addEventListener("change", () => chooseExample(examples.value));
form.addEventListener("submit", (event) => {
  event.preventDefault();
  run(true);
});
textarea.addEventListener("input", edited);
textarea.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    run(true);
  }
});
$("sd-link").addEventListener("click", toggleServiceDescription);
$("sd-close").addEventListener("click", toggleServiceDescription);
$("history-clear").addEventListener("click", () => {
  localStorage.removeItem(HISTORY_KEY);
  showHistory();
});
// Links to this page with a query (history, IRIs in results, the graph) stay in the page.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[href^='/?']");
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  const href = link.getAttribute("href");
  history.pushState(null, "", href);
  apply(stateFromUrl(href));
  window.scrollTo(0, 0);
});
window.addEventListener("popstate", () => apply(stateFromUrl(location.href)));

await loadEditor();
showHistory();
apply(stateFromUrl(location.href));
