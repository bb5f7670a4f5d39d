// A CONSTRUCT or DESCRIBE result on the query page: its Turtle, its triples (asked again as
// N-Triples) drawn by vis-network, at most MAX_TRIPLES of them, and what a clicked node is.
// Every value goes into the page as text (textContent), never as HTML.

import { postQuery } from "./endpoint.js";
import { MAX_TRIPLES, drawGraph, fitGraph, parseNTriples } from "./graph.js";
import { describeLink, el } from "./terms.js";

export class GraphResult {
  /** `parts`: the page's elements (view, text, network, selection, caption, meta, status);
   * `names`: labels and CURIEs (`Names`); `follow`: opens a link to the page in the page. */
  constructor(parts, names, follow) {
    this.parts = parts;
    this.names = names;
    this.follow = follow;
  }

  /** Show a result; `current()` says whether the page still shows this run. */
  async show(query, turtle, truncated, elapsed, current) {
    this.parts.text.textContent = turtle;
    this.parts.text.hidden = false;
    const response = await postQuery(query, "application/n-triples");
    const triples = response.ok ? parseNTriples(await response.text()) : [];
    if (!current()) return;
    let text = triples.length.toLocaleString("en") + (triples.length === 1 ? " triple" : " triples") + " in " + elapsed + " ms";
    if (truncated) text += " — truncated at the server's cap";
    this.parts.meta.textContent = text;
    if (!triples.length) return;
    const drawn = Math.min(triples.length, MAX_TRIPLES);
    const shown = triples.slice(0, drawn);
    await this.names.fetchLabels(shown.flatMap(([s, , o]) => [s, o]).filter((t) => t.type === "uri").map((t) => t.value));
    if (!current()) return;
    const caption = this.parts.caption;
    caption.textContent =
      (drawn < triples.length
        ? "Showing " + drawn.toLocaleString("en") + " of " + triples.length.toLocaleString("en") +
          " triples (the first " + drawn.toLocaleString("en") + "): the Turtle below and the downloads have them all. "
        : "All " + triples.length.toLocaleString("en") + (triples.length === 1 ? " triple. " : " triples. ")) +
      "Wheel or the buttons to zoom, drag to pan; red dots are IRIs, grey ones blank nodes, green boxes literals.";
    this.parts.view.hidden = false; // drawn into a visible box: vis-network measures it
    this.parts.selection.replaceChildren(el("span", "Click a node to see what it is; double-click an IRI to describe it."));
    this.parts.status.textContent = "Drawing the graph…";
    try {
      const { hub } = await drawGraph(this.parts.network, shown, this.names, this.follow);
      if (hub && current()) {
        const name = this.names.label(hub.value) || this.names.curie(hub.value);
        const whole = el("button", "show the whole graph", "link");
        whole.type = "button";
        whole.id = "graph-fit";
        whole.addEventListener("click", () => fitGraph(this.parts.network));
        caption.append(
          document.createTextNode(" Opened on " + name + ", the best-connected node, at a readable size: "),
          whole,
          document.createTextNode("."),
        );
      }
    } catch (e) {
      caption.textContent = "The graph could not be drawn (" + e.message + "); the Turtle below has the result.";
      this.parts.network.hidden = true;
    }
  }

  /** What the clicked node of the graph is: its label, CURIE or IRI, and a link describing it. */
  select(term) {
    const selection = this.parts.selection;
    selection.replaceChildren();
    if (!term) return;
    if (term.type === "uri") {
      const label = this.names.label(term.value);
      if (label) selection.append(el("span", label, "label"), document.createTextNode(" — "));
      selection.appendChild(el("span", term.value));
      selection.appendChild(document.createTextNode(" · "));
      const a = el("a", "describe it");
      a.href = describeLink(term.value);
      selection.appendChild(a);
    } else if (term.type === "bnode") {
      selection.appendChild(el("span", "blank node _:" + term.value));
    } else {
      selection.appendChild(el("span", term.value));
      if (term.lang) selection.appendChild(el("span", " @" + term.lang, "lang"));
    }
  }
}
