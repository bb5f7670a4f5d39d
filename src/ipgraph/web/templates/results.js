// The results table of the query page: sortable by any column, paged (PAGE_SIZE rows in the
// DOM at a time, whatever the result's size), labels beside IRIs for the rows on show.

import { describeLink, el } from "./terms.js";

export const PAGE_SIZE = 100;

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A sort key of a binding: numbers as numbers, everything else as its text. */
function key(term) {
  if (!term) return [2, ""];
  if (term.type === "literal" && term.datatype && NUMERIC.test(term.value)) {
    return [0, Number(term.value)];
  }
  return [1, term.value];
}

function compare(a, b) {
  if (a[0] !== b[0]) return a[0] - b[0];
  if (a[0] === 0) return a[1] - b[1];
  return a[1].localeCompare(b[1]);
}

export class ResultsTable {
  /**
   * @param {object} parts the page's elements: table, pager, pageInfo, first, prev, next, last
   * @param {import("./terms.js").Names} names CURIEs and labels
   */
  constructor(parts, names) {
    this.parts = parts;
    this.names = names;
    this.vars = [];
    this.rows = [];
    this.page = 0;
    this.sortVar = null;
    this.sortDir = 1;
    parts.first.addEventListener("click", () => this.show(0));
    parts.prev.addEventListener("click", () => this.show(this.page - 1));
    parts.next.addEventListener("click", () => this.show(this.page + 1));
    parts.last.addEventListener("click", () => this.show(this.pages() - 1));
  }

  pages() {
    return Math.max(1, Math.ceil(this.rows.length / PAGE_SIZE));
  }

  clear() {
    this.vars = [];
    this.rows = [];
    this.parts.table.tHead.replaceChildren();
    this.parts.table.tBodies[0].replaceChildren();
    this.parts.table.hidden = true;
    this.parts.pager.hidden = true;
  }

  /** Show a SPARQL JSON SELECT result, from its first page. */
  load(data) {
    this.vars = (data.head && data.head.vars) || [];
    this.rows = (data.results && data.results.bindings) || [];
    this.sortVar = null;
    this.sortDir = 1;
    this.drawHead();
    this.parts.table.hidden = false;
    this.show(0);
  }

  drawHead() {
    const row = document.createElement("tr");
    for (const name of this.vars) {
      const th = el("th");
      const button = el("button", "?" + name, "sort");
      button.type = "button";
      button.title = "Sort by ?" + name;
      button.addEventListener("click", () => this.sortBy(name));
      th.appendChild(button);
      if (name === this.sortVar) th.setAttribute("aria-sort", this.sortDir > 0 ? "ascending" : "descending");
      row.appendChild(th);
    }
    this.parts.table.tHead.replaceChildren(row);
  }

  /** Sort every row by `name` (again: the other way round), then show the first page. */
  sortBy(name) {
    this.sortDir = this.sortVar === name ? -this.sortDir : 1;
    this.sortVar = name;
    const dir = this.sortDir;
    const keyed = this.rows.map((row, index) => [key(row[name]), index, row]);
    keyed.sort((a, b) => dir * compare(a[0], b[0]) || a[1] - b[1]);
    this.rows = keyed.map((item) => item[2]);
    this.drawHead();
    this.show(0);
  }

  /** Put page `page` (0-based) of the rows into the table, then their labels. */
  show(page) {
    this.page = Math.min(Math.max(page, 0), this.pages() - 1);
    const start = this.page * PAGE_SIZE;
    const slice = this.rows.slice(start, start + PAGE_SIZE);
    const body = document.createDocumentFragment();
    const iris = [];
    for (const binding of slice) {
      const tr = document.createElement("tr");
      for (const name of this.vars) tr.appendChild(this.cell(binding[name], iris));
      body.appendChild(tr);
    }
    this.parts.table.tBodies[0].replaceChildren(body);
    const { pager, pageInfo, first, prev, next, last } = this.parts;
    pager.hidden = this.rows.length <= PAGE_SIZE;
    const end = Math.min(start + PAGE_SIZE, this.rows.length);
    pageInfo.textContent =
      "Rows " + (start + 1).toLocaleString("en") + "–" + end.toLocaleString("en") + " of " +
      this.rows.length.toLocaleString("en") + " (page " + (this.page + 1) + " of " + this.pages() + ")";
    first.disabled = prev.disabled = this.page === 0;
    next.disabled = last.disabled = this.page >= this.pages() - 1;
    const shown = this.page;
    this.names.fetchLabels(iris).then(() => {
      if (this.page === shown) this.addLabels();
    });
  }

  cell(term, iris) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = el("a", this.names.curie(term.value));
      a.href = describeLink(term.value);
      a.title = term.value + " (click: describe it)";
      td.appendChild(a);
      td.dataset.iri = term.value;
      iris.push(term.value);
    } else if (term.type === "bnode") {
      td.appendChild(el("span", "_:" + term.value, "bnode"));
    } else {
      td.appendChild(el("span", term.value));
      if (term["xml:lang"]) td.appendChild(el("span", "@" + term["xml:lang"], "lang"));
      else if (term.datatype) td.title = this.names.curie(term.datatype);
    }
    return td;
  }

  addLabels() {
    for (const td of this.parts.table.tBodies[0].querySelectorAll("td[data-iri]")) {
      const label = this.names.label(td.dataset.iri);
      if (label && !td.querySelector(".label")) td.appendChild(el("span", label, "label"));
    }
  }
}
