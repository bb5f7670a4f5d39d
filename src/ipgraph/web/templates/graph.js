// The graph of a CONSTRUCT or DESCRIBE result, drawn in SVG: a small force layout of our own.
// Nodes are IRIs, blank nodes and literals; edges are the triples, named by their predicate.

import { describeLink } from "./terms.js";

const SVG = "http://www.w3.org/2000/svg";
export const MAX_TRIPLES = 150;

const TERM = String.raw`(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>]*>)?)`;
const TRIPLE = new RegExp("^" + TERM + "\\s+" + TERM + "\\s+" + TERM + "\\s*\\.\\s*$");

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

/** Positions for `count` nodes joined by `links` ([i, j] pairs): springs, repulsion, gravity. */
function layout(count, links) {
  const angle = Math.PI * (3 - Math.sqrt(5)); // a golden-angle spiral: spread, reproducible
  const pos = Array.from({ length: count }, (_, i) => {
    const r = 30 * Math.sqrt(i + 1);
    return [r * Math.cos(i * angle), r * Math.sin(i * angle)];
  });
  const length = 150;
  for (let step = 0; step < 300; step++) {
    const heat = 1 - step / 300;
    const move = pos.map(() => [0, 0]);
    for (let i = 0; i < count; i++) {
      for (let j = i + 1; j < count; j++) {
        const dx = pos[i][0] - pos[j][0];
        const dy = pos[i][1] - pos[j][1];
        const d2 = Math.max(dx * dx + dy * dy, 1);
        const push = 9000 / d2;
        move[i][0] += dx * push / Math.sqrt(d2);
        move[i][1] += dy * push / Math.sqrt(d2);
        move[j][0] -= dx * push / Math.sqrt(d2);
        move[j][1] -= dy * push / Math.sqrt(d2);
      }
    }
    for (const [i, j] of links) {
      const dx = pos[j][0] - pos[i][0];
      const dy = pos[j][1] - pos[i][1];
      const d = Math.max(Math.hypot(dx, dy), 1);
      const pull = (d - length) * 0.05;
      move[i][0] += dx / d * pull;
      move[i][1] += dy / d * pull;
      move[j][0] -= dx / d * pull;
      move[j][1] -= dy / d * pull;
    }
    for (let i = 0; i < count; i++) {
      move[i][0] -= pos[i][0] * 0.01;
      move[i][1] -= pos[i][1] * 0.01;
      const size = Math.hypot(move[i][0], move[i][1]);
      const cap = 20 * heat + 1;
      const scale = size > cap ? cap / size : 1;
      pos[i][0] += move[i][0] * scale;
      pos[i][1] += move[i][1] * scale;
    }
  }
  return pos;
}

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Draw `triples` into the `<svg>` element; returns how many were drawn.
 *
 * @param {SVGSVGElement} target
 * @param {Array} triples from parseNTriples
 * @param {import("./terms.js").Names} names CURIEs and labels
 */
export function drawGraph(target, triples, names) {
  const shown = triples.slice(0, MAX_TRIPLES);
  const nodes = new Map(); // key → {index, term}
  const nodeOf = (t) => {
    const id = t.type === "literal" ? "literal:" + nodes.size : t.type + ":" + t.value;
    if (!nodes.has(id)) nodes.set(id, { index: nodes.size, term: t });
    return nodes.get(id).index;
  };
  const links = shown.map(([s, p, o]) => [nodeOf(s), nodeOf(o), p]);
  const list = [...nodes.values()];
  const pos = layout(list.length, links);
  const xs = pos.map((p) => p[0]);
  const ys = pos.map((p) => p[1]);
  const pad = 90;
  const minX = Math.min(...xs) - pad;
  const minY = Math.min(...ys) - 40;
  const width = Math.max(...xs) - minX + pad;
  const height = Math.max(...ys) - minY + 40;
  target.replaceChildren();
  target.setAttribute("viewBox", [minX, minY, width, height].map(Math.round).join(" "));
  const defs = svg("defs", {});
  const arrow = svg("marker", {
    id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7,
    orient: "auto-start-reverse",
  });
  arrow.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow" }));
  defs.appendChild(arrow);
  target.appendChild(defs);
  const edges = svg("g", { class: "edges" });
  for (const [i, j, p] of links) {
    const [x1, y1] = pos[i];
    const [tx, ty] = pos[j];
    const d = Math.max(Math.hypot(tx - x1, ty - y1), 1);
    const [x2, y2] = [tx - ((tx - x1) / d) * 9, ty - ((ty - y1) / d) * 9]; // stop at the node
    const line = svg("line", { x1, y1, x2, y2, class: "edge", "marker-end": "url(#arrow)" });
    line.appendChild(svg("title", {}, names.curie(p.value)));
    edges.appendChild(line);
    const local = names.curie(p.value).replace(/^[^:]*:/, "");
    edges.appendChild(svg("text", { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 3, class: "edge-label" }, shorten(local, 24)));
  }
  const group = svg("g", { class: "nodes" });
  list.forEach(({ term: t }, index) => {
    const [x, y] = pos[index];
    const node = svg("g", { class: "node " + t.type, transform: `translate(${x},${y})` });
    let text;
    if (t.type === "uri") {
      const label = names.label(t.value);
      text = label || names.curie(t.value);
      const link = svg("a", { href: describeLink(t.value) });
      link.appendChild(svg("circle", { r: 7 }));
      link.appendChild(svg("title", {}, (label ? label + "\n" : "") + t.value));
      node.appendChild(link);
    } else if (t.type === "bnode") {
      text = "_:" + t.value;
      node.appendChild(svg("circle", { r: 5 }));
    } else {
      text = '"' + t.value + '"' + (t.lang ? "@" + t.lang : "");
      node.appendChild(svg("rect", { x: -4, y: -4, width: 8, height: 8 }));
      node.appendChild(svg("title", {}, t.value));
    }
    node.appendChild(svg("text", { x: 10, y: 4 }, shorten(text, 36)));
    group.appendChild(node);
  });
  target.appendChild(edges);
  target.appendChild(group);
  return shown.length;
}
