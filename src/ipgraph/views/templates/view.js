(function () {
  "use strict";
  // Every text from the data goes into the page through textContent, never as HTML.
  var data = JSON.parse(document.getElementById("ipgraph-data").textContent);
  // The links come packed (html.py's page_data): each string once, rows of positions.
  var labelOf = {};
  data.nodes.concat(data.reserve.nodes).forEach(function (n) { labelOf[n.id] = n.label; });
  function unpack(packed) {
    var s = packed.strings;
    return packed.rows.map(function (r) {
      var e = { id: r[0], from: s[r[1]], to: s[r[2]], predicate: s[r[3]], label: s[r[4]],
                width: r[5], weight: r[6] };
      e.info = r[7].map(function (row) {
        return [s[row[0]], row[1] === null ? labelOf[e.from] + " —" + e.label + "→ " + labelOf[e.to]
                                           : s[row[1]]];
      });
      return e;
    });
  }
  data.edges = unpack(data.edges);
  data.reserve.edges = unpack(data.reserve.edges);
  var state = { ready: false, data: data, firstFrame: null };
  window.ipgraph = state;
  var FONT = getComputedStyle(document.documentElement).getPropertyValue("--font").trim();
  var SHAPES = { dot: "●", hexagon: "⬢", square: "■", diamond: "◆", triangle: "▲",
                 triangleDown: "▼", star: "★" };
  var INK = "#1f2933", DIM = "rgba(200, 206, 214, 0.35)", DIM_TEXT = "rgba(31, 41, 51, 0.18)";
  var EDGE = "#9aa5b1", FIT = { maxZoomLevel: 2, animation: false };
  var fixed = data.meta.layout === "fixed";
  var directed = data.kind !== "agencies";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function card(title, rows) {
    var box = el("div", "tip");
    box.appendChild(el("div", "tip-title", title));
    var table = el("table");
    rows.forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("th", null, row[0]));
      tr.appendChild(el("td", null, row[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  }
  function heading(n) { return n.zh ? n.label + " · " + n.zh : n.label; }

  // -- the data: nodes drawn, and the reserve one link away (added on double-click) --------
  var groups = {};
  data.legend.forEach(function (g) { groups[g.key] = g; });
  var focus = {};
  data.meta.focus.forEach(function (id) { focus[id] = true; });
  var byId = {}, byEdge = {}, home = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; home[n.id] = { x: n.x, y: n.y }; });
  data.reserve.nodes.forEach(function (n) { byId[n.id] = n; });
  data.edges.concat(data.reserve.edges).forEach(function (e) { byEdge[e.id] = e; });
  var sizes = data.nodes.concat(data.reserve.nodes).map(function (n) { return n.size; });
  var SMALL = Math.min.apply(null, sizes.concat([10])), BIG = Math.max.apply(null, sizes.concat([10]));

  function nodeColor(n, on) {
    var g = groups[n.group];
    if (!on) return { background: DIM, border: DIM, highlight: { background: DIM, border: DIM },
                      hover: { background: DIM, border: DIM } };
    return { background: g.color, border: focus[n.id] ? "#111111" : g.color,
             highlight: { background: "#f4d03f", border: "#111111" },
             hover: { background: g.color, border: "#111111" } };
  }
  // The items handed to vis-network carry only what differs from item to item (shape and
  // colour come from the class, arrows and colour of links from the options): each field of
  // each item is parsed and copied by vis, which is most of the opening time of a big view.
  // Labels are drawn by view_labels.js and tooltips built on hover, not here.
  function visNode(n) {
    var item = { id: n.id, cls: n.group, group: n.group, size: n.size };
    if (focus[n.id]) { item.borderWidth = 4; item.color = nodeColor(n, true); }
    if (typeof n.x === "number") { item.x = n.x; item.y = n.y; }
    return item;
  }
  function visEdge(e) {
    var item = { id: e.id, from: e.from, to: e.to, predicate: e.predicate };
    if (e.width !== 1) item.width = e.width;
    return item;
  }
  var visGroups = {};
  data.legend.forEach(function (g) {
    visGroups[g.key] = { shape: g.shape, color: nodeColor({ group: g.key, id: null }, true) };
  });

  var hiddenClass = {}, hiddenRelation = {}, hiddenNode = {};
  var revealed = {};  // nodes shown although their class is hidden: picked in the search
  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var shown = new vis.DataView(nodes, { filter: function (n) {
    return (!hiddenClass[n.cls] || !!revealed[n.id]) && !hiddenNode[n.id];
  } });
  var shownEdges = new vis.DataView(edges, { filter: function (e) {
    return !hiddenRelation[e.predicate];
  } });
  var many = data.nodes.length > 1500;
  var options = {
    autoResize: true,
    groups: visGroups,
    nodes: { borderWidth: 1, font: { size: 14, face: FONT, color: INK } },
    edges: {
      arrows: { to: { enabled: directed, scaleFactor: 0.7 } },
      color: { color: EDGE, highlight: INK, hover: "#52606d" },
      smooth: fixed ? false : { type: "dynamic" },
      selectionWidth: 2
    },
    // Big views: dragging moves a picture of the last frame (view_labels.js) instead of
    // redrawing every node for every mouse move; their nodes stay where the layout put them.
    interaction: { hover: !many, hideEdgesOnDrag: many, hideNodesOnDrag: many,
                   hideEdgesOnZoom: many, dragNodes: !many, keyboard: false },
    layout: { improvedLayout: false, randomSeed: 7 },
    physics: fixed ? { enabled: false } : {
      enabled: true,
      solver: "barnesHut",
      barnesHut: { gravitationalConstant: -3000, springLength: 110, avoidOverlap: 0.3 },
      stabilization: { enabled: true, updateInterval: 50, fit: true,
                       iterations: Math.max(60, Math.min(400, Math.round(120000 / (data.nodes.length + 1)))) }
    }
  };
  // The network holds every node and link; filters set `hidden` (see syncHidden).
  var network = new vis.Network(document.getElementById("graph"),
                                { nodes: nodes, edges: edges }, options);
  state.network = network;
  state.nodes = nodes;
  state.edges = edges;
  var lit = null, dimmed = {};  // the node whose neighbours are lit; node and link ids dimmed

  {% include "view_labels.js" %}
  if (fixed) network.fit(FIT);  // the first frame is the final one: fitted, nothing moves

  function ready() {
    if (state.ready) return;
    state.ready = true;
    document.body.setAttribute("data-ready", "true");
  }
  network.once("afterDrawing", function () { state.firstFrame = performance.now(); });
  if (fixed || data.nodes.length === 0) {
    network.once("afterDrawing", ready);
    if (data.nodes.length === 0) ready();
  } else {
    // --layout physics: settle once, then stop; the graph stays still.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      settle();
      ready();
    });
  }

  // -- header: counts and the notice when the view was cut ----------------------------------
  var counts = document.getElementById("counts");
  function count() {
    var text = shown.length + " nodes · " + linksShown() + " links";
    if (data.meta.omitted_nodes) text += " (of " + data.meta.total_nodes + " nodes)";
    counts.textContent = text;
  }
  count();
  if (data.meta.notice) {
    var notice = document.getElementById("notice");
    notice.textContent = data.meta.notice;
    notice.hidden = false;
  }
  if (data.nodes.length === 0) {
    var empty = el("div", null, "Nothing to draw.");
    empty.id = "empty";
    document.getElementById("graph").appendChild(empty);
  }

  // Filters keep every position: the shown nodes' places are written back to the data
  // first, so a node hidden and shown again comes back where it was.
  function keepPositions() {
    var positions = network.getPositions();
    var moved = [];
    Object.keys(positions).forEach(function (id) {
      var item = nodes.get(id), p = positions[id];
      if (item && (item.x !== p.x || item.y !== p.y)) moved.push({ id: id, x: p.x, y: p.y });
    });
    if (moved.length) nodes.update(moved);
  }
  function refresh() {
    keepPositions();
    shown.refresh();
    shownEdges.refresh();
    syncHidden();
    document.getElementById("unhide").hidden = !Object.keys(hiddenNode).length;
    count();
    legendCounts();
    relationCounts();
  }

  // -- details panel, neighbour highlight -------------------------------------------------
  var details = document.getElementById("details");
  var HINT = "Click a node or a link; double-click a node to add its neighbours.";
  function clearDetails() { details.replaceChildren(el("p", "hint", HINT)); }
  clearDetails();
  function button(text, action) {
    var b = el("button", null, text);
    b.type = "button";
    b.addEventListener("click", action);
    return b;
  }
  function showNode(id) {
    var n = byId[id];
    if (!n) return;
    var box = card(heading(n), n.info);
    var actions = el("div", "actions");
    var more = unseen(id).length;
    if (more) actions.appendChild(button("Add " + more + " neighbour" + (more > 1 ? "s" : ""),
                                         function () { expand(id); }));
    actions.appendChild(button("Hide", function () { hide(id); }));
    box.appendChild(actions);
    details.replaceChildren(box);
  }
  state.showNode = showNode;

  function highlight(id) {
    var on = {};
    on[id] = true;
    network.getConnectedNodes(id).forEach(function (other) { on[other] = true; });
    paint(on, id);
    lit = id;
  }
  function paint(on, centre) {
    var nodeUpdates = [], edgeUpdates = [];
    nodes.forEach(function (item) {
      var active = !on || !!on[item.id];
      dimmed[item.id] = !active;
      if (item.dim === !active) return;
      nodeUpdates.push({ id: item.id, dim: !active, color: nodeColor(byId[item.id], active) });
    });
    edges.forEach(function (item) {
      var active = !on || item.from === centre || item.to === centre;
      dimmed[item.id] = !active;
      if (item.dim === !active) return;
      edgeUpdates.push({ id: item.id, dim: !active,
                         color: { color: active ? EDGE : DIM, highlight: INK, hover: "#52606d" } });
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
  }
  function unlight() { if (lit !== null) { paint(null, null); lit = null; } }
  state.highlighted = function () {
    return nodes.get({ filter: function (item) { return !item.dim; } }).map(function (i) { return i.id; });
  };

  network.on("click", function (params) {
    if (params.nodes.length) {
      showNode(params.nodes[0]);
      highlight(params.nodes[0]);
    } else if (params.edges.length) {
      unlight();
      var e = byEdge[params.edges[0]];
      if (e) details.replaceChildren(card(e.label, e.info));
    } else {
      unlight();
      clearDetails();
    }
  });

  {% include "view_explore.js" %}
