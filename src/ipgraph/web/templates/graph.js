// The graph of a CONSTRUCT or DESCRIBE result, drawn by vis-network: the same library (and the
// same copy, from the installed pyvis) as the graph views, served by this server as
// /static/vis-network.min.js and loaded the first time a graph is drawn. Zoom with the wheel,
// pan by dragging, click a node to see what it is, double-click an IRI to describe it.
// Nodes are IRIs, blank nodes and literals; edges are the triples, named by their predicate.
// Every label and tooltip is text (vis-network shows string titles as text; ours are elements
// built with textContent), never HTML.

import { describeLink, el } from "./terms.js";

/** The most triples drawn at once: more makes a hairball that takes seconds to settle. */
export const MAX_TRIPLES = 500;
/** The scale a graph opens at when fitting all of it would leave its labels below ~9 px. */
const READABLE_SCALE = 0.7;

const TERM = String.raw`(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>]*>)?)`;
const TRIPLE = new RegExp("^" + TERM + "\\s+" + TERM + "\\s+" + TERM + "\\s*\\.\\s*$");

const INK = "#1d2433";
const MUTED = "#5b6475";
const COLORS = {
  uri: { background: "#b3261e", border: "#7d1a15" },
  bnode: { background: "#8a93a5", border: "#5b6475" },
  literal: { background: "#e6f2ea", border: "#3c7d5a" },
};

function unescape(text) {
  return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})|\\(.)/g, (_, u4, u8, c) => {
    if (u4 || u8) return String.fromCodePoint(parseInt(u4 || u8, 16));
    return { n: "\n", t: "\t", r: "\r" }[c] || c;
  });
}

/** One N-Triples term as {type, value, lang?}. */
function term(text) {
  if (text.startsWith("<")) return { type: "uri", value: text.slice(1, -1) };
  if (text.startsWith("_:")) return { type: "bnode", value: text.slice(2) };
  const end = text.lastIndexOf('"');
  const lang = text.slice(end + 1).startsWith("@") ? text.slice(end + 2) : "";
  return { type: "literal", value: unescape(text.slice(1, end)), lang };
}

/** The triples of an N-Triples document (lines it cannot read are skipped). */
export function parseNTriples(text) {
  const triples = [];
  for (const line of text.split("\n")) {
    const found = TRIPLE.exec(line.trim());
    if (found) triples.push([term(found[1]), term(found[2]), term(found[3])]);
  }
  return triples;
}

function shorten(text, size) {
  return text.length > size ? text.slice(0, size - 1) + "…" : text;
}

let loading = null;

/** vis-network, loaded once from this server (a classic script: it defines `window.vis`). */
export function loadVis() {
  if (window.vis && window.vis.Network) return Promise.resolve(window.vis);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = "/static/vis-network.css";
      document.head.appendChild(style);
      const script = document.createElement("script");
      script.src = "/static/vis-network.min.js";
      script.onload = () => (window.vis ? resolve(window.vis) : reject(new Error("no vis")));
      script.onerror = () => {
        loading = null;
        reject(new Error("/static/vis-network.min.js did not load"));
      };
      document.head.appendChild(script);
    });
  }
  return loading;
}

/** A tooltip: lines of text in a block element (vis-network shows an element as it is). */
function tooltip(lines) {
  const box = el("div", undefined, "graph-tip");
  for (const line of lines) if (line) box.appendChild(el("div", line));
  return box;
}

/** Nodes and edges for vis-network from the first `MAX_TRIPLES` of `triples`. */
function toNetwork(triples, names) {
  const nodes = new Map(); // key → node
  const nodeOf = (t) => {
    const id = t.type === "literal" ? "literal:" + nodes.size : t.type + ":" + t.value;
    if (!nodes.has(id)) {
      let label;
      let title;
      if (t.type === "uri") {
        const name = names.label(t.value);
        label = shorten(name || names.curie(t.value), 64); // wrapped at the node's width
        title = tooltip([name, names.curie(t.value), t.value, "double-click: describe it"]);
      } else if (t.type === "bnode") {
        label = "_:" + shorten(t.value, 12);
        title = tooltip(["blank node _:" + t.value]);
      } else {
        label = shorten(t.value, 64) + (t.lang ? " @" + t.lang : "");
        title = tooltip([shorten(t.value, 600), t.lang ? "language: " + t.lang : "literal"]);
      }
      nodes.set(id, {
        id,
        label,
        title,
        term: t,
        value: 1,
        shape: t.type === "literal" ? "box" : "dot",
        color: { ...COLORS[t.type], highlight: COLORS[t.type], hover: COLORS[t.type] },
        font: t.type === "literal" ? { color: INK, size: 12 } : { color: INK },
      });
    }
    const node = nodes.get(id);
    node.value += 1; // bigger with more links: hubs stand out and keep a label when zoomed out
    return id;
  };
  const edges = triples.slice(0, MAX_TRIPLES).map(([s, p, o], index) => {
    const curie = names.curie(p.value);
    return {
      id: index,
      from: nodeOf(s),
      to: nodeOf(o),
      label: shorten(curie, 28),
      title: tooltip([curie, p.value]),
      arrows: "to",
    };
  });
  return { nodes: [...nodes.values()], edges };
}

/** Draw `triples` into `target` (a block element) with vis-network.
 *
 * @param {HTMLElement} target where the network goes (sized by the page's style)
 * @param {Array} triples from parseNTriples
 * @param {import("./terms.js").Names} names CURIEs and labels (fetched beforehand)
 * @param {function(string): void} onSelect called with the describe link of a double-clicked
 *   IRI, and shown the clicked node through `target.dataset.selected`
 * @returns {Promise<{drawn: number, nodes: number, hub: object|null, network: object}>} once the
 *   layout settled; `hub` is the term of the node it opened on when it could not show all of it
 *   at a readable size
 */
export async function drawGraph(target, triples, names, onSelect) {
  const vis = await loadVis();
  const { nodes, edges } = toNetwork(triples, names);
  if (target.network) target.network.destroy();
  target.replaceChildren();
  target.dataset.ready = "false";
  const many = nodes.length > 300;
  const network = new vis.Network(
    target,
    { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) },
    {
      autoResize: true,
      nodes: {
        font: { size: 14, color: INK, strokeWidth: 3, strokeColor: "#ffffff" },
        scaling: {
          min: 8,
          max: 26,
          // labels grow with the node: zoomed out, the hubs keep a readable label
          label: { enabled: true, min: 13, max: many ? 28 : 22, drawThreshold: 7, maxVisible: 24 },
        },
        margin: 6,
        widthConstraint: { maximum: 260 },
      },
      edges: {
        font: { size: 11, color: MUTED, strokeWidth: 3, align: "middle" },
        scaling: { label: { drawThreshold: 8 } }, // predicate names only when legible
        color: { color: "#aab3c3", highlight: INK, hover: MUTED },
        smooth: { type: "continuous" },
        selectionWidth: 2,
      },
      interaction: {
        hover: !many,
        tooltipDelay: 150,
        navigationButtons: true,
        keyboard: { enabled: true, bindToWindow: false },
        hideEdgesOnDrag: many,
        zoomSpeed: 0.6,
      },
      layout: { improvedLayout: nodes.length <= 150, randomSeed: 7 },
      physics: {
        solver: "barnesHut",
        // a large graph spread wider, so that its labels overlap less once zoomed in
        barnesHut: many
          ? { gravitationalConstant: -12000, springLength: 220, centralGravity: 0.2, avoidOverlap: 0.6 }
          : { gravitationalConstant: -4000, springLength: 140, avoidOverlap: 0.2 },
        stabilization: {
          enabled: true,
          updateInterval: 50,
          fit: true,
          iterations: Math.max(80, Math.min(400, Math.round(60000 / (nodes.length + 1)))),
        },
      },
    },
  );
  target.network = network; // for the page's tests and the browser's console
  const byId = new Map(nodes.map((n) => [n.id, n]));
  network.on("click", (event) => {
    const node = event.nodes.length ? byId.get(event.nodes[0]) : null;
    target.dataset.selected = node ? node.id : "";
    target.dispatchEvent(new CustomEvent("select", { detail: node ? node.term : null }));
  });
  network.on("doubleClick", (event) => {
    const node = event.nodes.length ? byId.get(event.nodes[0]) : null;
    if (node && node.term.type === "uri") onSelect(describeLink(node.term.value));
  });
  const started = performance.now();
  await new Promise((resolve) => {
    network.once("stabilizationIterationsDone", resolve);
    if (nodes.length === 0) resolve();
  });
  network.setOptions({ physics: false }); // settled: the graph stays still
  network.fit({ animation: false });
  // A whole large graph fitted into the box has labels of a few pixels: open it at a readable
  // scale on its best-connected node instead (the page offers the whole graph a click away).
  let hub = null;
  if (network.getScale() < READABLE_SCALE && nodes.length) {
    hub = nodes.reduce((best, node) => (node.value > best.value ? node : best));
    const at = network.getPositions([hub.id])[hub.id];
    network.moveTo({ position: at, scale: READABLE_SCALE, animation: false });
  }
  target.dataset.layoutMs = String(Math.round(performance.now() - started));
  target.dataset.ready = "true";
  target.dataset.nodes = String(nodes.length);
  target.dataset.edges = String(edges.length);
  return { drawn: edges.length, nodes: nodes.length, hub: hub && hub.term, network };
}

/** Show all of the graph drawn into `target` (however small its labels then are). */
export function fitGraph(target) {
  if (target.network) target.network.fit({ animation: false });
}
