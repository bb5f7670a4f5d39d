// The ipgraph query page: an editor, the named queries with their parameters, the query in the
// page's URL (shareable; the back button returns to the previous query), results as a paged
// table or a graph (vis-network), the service description, and the queries run before
// (localStorage). Only queries that ran go into the URL and the history, and the URL only when
// it stays short enough for every server and proxy on the way (`MAX_URL`).
// Our own ES modules (the editor: editing.js, CodeMirror bundled at build time into
// /static/editor.js; a graph result: graphresult.js; a table: results.js).
// Every value goes into the page as text (textContent), never as HTML.

import { HISTORY_KEY, MAX_URL, addressOf, fitsUrl, loadHistory, remember as keep, stateFromUrl } from "./address.js";
import { postQuery, problemOf, refusal } from "./endpoint.js";
import { openEditor, plainEditor } from "./editing.js";
import { GraphResult } from "./graphresult.js";
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
const network = $("graph-network");
const notice = $("notice");
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
const drawn = new GraphResult(
  {
    view: graphView,
    text: graphText,
    network,
    selection: $("graph-selection"),
    caption: $("graph-caption"),
    meta,
    status: statusLine,
  },
  names,
  (href) => follow(href),
);

// -- the editor: CodeMirror when its bundle is there, else the plain text area -------------------

let editor = plainEditor(textarea, () => edited());

async function loadEditor() {
  editor = await openEditor(editor, {
    textarea,
    parent: $("editor"),
    label: $("query-label"),
    vocabulary,
    onChange: () => edited(),
    onRun: () => run(true),
  });
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

/** How much of `example` is still in `text`, 0 to 1: the larger of the share kept around one
 * edit (common start and end) and the share of its lines still there (a longest common
 * subsequence of lines, weighed by their length). */
function stillThere(example, text) {
  if (!example.length) return 1;
  let start = 0;
  const most = Math.min(example.length, text.length);
  while (start < most && example[start] === text[start]) start++;
  let end = 0;
  while (end < most - start && example[example.length - 1 - end] === text[text.length - 1 - end]) end++;
  const around = (start + end) / example.length;
  const a = example.split("\n").map((line) => line.trim());
  const b = text.split("\n").map((line) => line.trim());
  if (a.length * b.length > 4_000_000) return around; // a huge paste: not the example's lines
  let row = new Array(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const next = new Array(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      next[j] = a[i - 1] === b[j - 1] ? row[j - 1] + a[i - 1].length + 1 : Math.max(row[j], next[j - 1]);
    }
    row = next;
  }
  const total = a.reduce((sum, line) => sum + line.length + 1, 0);
  return Math.max(around, row[b.length] / total);
}

/** Below this share of an example's text still there, the editor holds another query. */
const STILL_THE_EXAMPLE = 0.5;
let settingText = false; // the page, not the user, is putting a text into the editor

/** The description follows the editor: marked "edited" once the text is not the example's,
 * gone (and the example deselected) once the text has become another query; an example's exact
 * text selects it again. */
function edited() {
  let example = selectedExample();
  const text = editor.getText();
  if (!settingText && example && text !== example.text && stillThere(example.text, text) < STILL_THE_EXAMPLE) {
    examples.value = "";
    showParams(null);
    example = null;
  } else if (!settingText && !example && exampleOf(text)) {
    examples.value = exampleOf(text);
    example = selectedExample();
    showParams(example);
  }
  description.replaceChildren();
  description.classList.remove("is-edited");
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
  settingText = true;
  try {
    editor.setText(text !== undefined ? text : example ? example.text : "");
    edited();
  } finally {
    settingText = false;
  }
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

/** The example whose text `text` is, if any. */
function exampleOf(text) {
  const found = [...examples.options].find((o) => o.value && o.dataset.query === text);
  return found ? found.value : "";
}

/** Go to `state` as following a link does: a new entry of the browser's history, then run. */
function go(state) {
  history.pushState(state, "", addressOf(state));
  apply(state);
  window.scrollTo(0, 0);
}

/** The state of the current entry of the browser's history. */
function currentEntry() {
  const fromUrl = stateFromUrl(location.href);
  const saved = history.state;
  if (fromUrl.query === null && saved && typeof saved.query === "string") return saved;
  return fromUrl;
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

/** Keep a query that ran in the recent queries, and show them. */
function remember(state) {
  keep(state);
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
    a.href = addressOf(item);
    a.title = item.query.length > 2000 ? item.query.slice(0, 2000) + "…" : item.query;
    a.addEventListener("click", (event) => {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      go({ query: item.query, example: item.example || "", params: item.params || {} });
    });
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
  network.hidden = false;
  network.dataset.ready = "false"; // until this run's graph, if any, has settled
  graphText.hidden = true;
  notice.hidden = true;
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

/** Download links: GET links to the endpoint, or for a query too long for a URL, links that
 * POST it and save the answer. */
function setDownloads(query, formats) {
  downloads.replaceChildren(el("span", "Download: "));
  formats.forEach(([label, format], index) => {
    const a = el("a", label);
    a.href = "/sparql?" + new URLSearchParams({ query, format }).toString();
    a.id = "download-" + format;
    a.setAttribute("download", "ipgraph-result." + format);
    if (a.getAttribute("href").length > MAX_URL) {
      a.href = "#";
      a.addEventListener("click", async (event) => {
        if (a.dataset.blob) return; // the saved answer: let the browser download it
        event.preventDefault();
        const response = await postQuery(query, "*/*", { format });
        if (!response.ok) return fail(refusal(await problemOf(response), response.status, query), "Failed");
        a.dataset.blob = URL.createObjectURL(await response.blob());
        a.href = a.dataset.blob;
        a.click();
      });
    }
    if (index > 0) downloads.appendChild(document.createTextNode(" · "));
    downloads.appendChild(a);
  });
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

/** The query ran: a new entry of the browser's history (`push`) and of the recent queries. */
function ran(state, push) {
  if (push && location.pathname + location.search !== addressOf(state)) {
    history.pushState(state, "", addressOf(state));
  }
  if (!fitsUrl(state)) {
    notice.textContent =
      "This query is " + state.query.length.toLocaleString("en") + " characters long, too long " +
      "for a link (over " + MAX_URL.toLocaleString("en") + " in a URL): it was sent by POST and " +
      "the address bar does not hold it. Recent queries keep it in this browser.";
    notice.hidden = false;
  }
  remember(state);
}

let latest = 0; // the run whose answer the page shows: an earlier, slower one is dropped

async function run(push) {
  const state = currentState();
  if (!state.query.trim()) return;
  const mine = ++latest;
  const current = () => mine === latest;
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
  if (!current()) return;
  runButton.disabled = true;
  statusLine.textContent = "Running…";
  const started = performance.now();
  try {
    const response = await postQuery(query, "application/sparql-results+json, text/turtle;q=0.9");
    if (!current()) return;
    const elapsed = Math.round(performance.now() - started);
    const type = (response.headers.get("Content-Type") || "").split(";")[0];
    const truncated = response.headers.get("X-Ipgraph-Truncated") === "true";
    if (!response.ok) {
      const problem = await problemOf(response);
      fail(refusal(problem, response.status, query), "Failed (" + response.status + ")");
      if (problem.line) editor.markError(problem.line, problem.column || 1, problem.message);
      return;
    }
    if (type === "application/sparql-results+json") {
      const data = await response.json();
      if (!current()) return;
      ran(state, push);
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
      const turtle = await response.text();
      if (!current()) return;
      ran(state, push);
      setDownloads(query, [["Turtle", "ttl"], ["N-Triples", "nt"], ["JSON-LD", "jsonld"]]);
      await drawn.show(query, turtle, truncated, elapsed, current);
      if (!current()) return;
    }
    statusLine.textContent = "Done";
  } catch (e) {
    fail("The server did not answer: " + e, "Failed");
  } finally {
    if (current()) runButton.disabled = false;
  }
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
/** Follow a link to this page with a query, in the page. */
function follow(href) {
  go(stateFromUrl(href));
}

// Links to this page with a query (history, IRIs in results, the graph) stay in the page.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[href^='/?']");
  if (!link || event.defaultPrevented) return;
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  follow(link.getAttribute("href"));
});
network.addEventListener("select", (event) => drawn.select(event.detail));
window.addEventListener("popstate", () => apply(currentEntry()));

await loadEditor();
showHistory();
apply(currentEntry());
