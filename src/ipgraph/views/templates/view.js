(function () {
  "use strict";
  // Every text from the data goes into the page through textContent, never as HTML.
  var data = JSON.parse(document.getElementById("ipgraph-data").textContent);
  var state = { ready: false, data: data };
  window.ipgraph = state;
  var FONT = getComputedStyle(document.documentElement).getPropertyValue("--font").trim();
  var SHAPES = { dot: "●", hexagon: "⬢", square: "■", diamond: "◆", triangle: "▲",
                 triangleDown: "▼", star: "★" };

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

  var groups = {};
  data.legend.forEach(function (g) { groups[g.key] = g; });
  var focus = {};
  data.meta.focus.forEach(function (id) { focus[id] = true; });
  var byId = {};
  var bilingual = data.nodes.length <= 200;
  var fixed = data.meta.layout === "fixed";

  var visNodes = data.nodes.map(function (n) {
    byId[n.id] = n;
    var g = groups[n.group];
    var item = {
      id: n.id,
      label: bilingual && n.zh ? n.short + "\n" + n.zh : n.short,
      cls: n.group,
      shape: g.shape,
      size: n.size,
      borderWidth: focus[n.id] ? 4 : 1,
      color: {
        background: g.color, border: focus[n.id] ? "#111111" : g.color,
        highlight: { background: "#f4d03f", border: "#111111" },
        hover: { background: g.color, border: "#111111" }
      },
      title: card(heading(n), n.info)
    };
    if (typeof n.x === "number") { item.x = n.x; item.y = n.y; }
    return item;
  });
  var byEdge = {};
  var directed = data.kind !== "agencies";
  var visEdges = data.edges.map(function (e) {
    byEdge[e.id] = e;
    return {
      id: e.id, from: e.from, to: e.to, width: e.width,
      label: data.meta.edge_labels ? e.label : undefined,
      arrows: directed ? "to" : "",
      title: card(e.label, e.info)
    };
  });

  var hidden = {};
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var shown = new vis.DataView(nodes, { filter: function (n) { return !hidden[n.cls]; } });
  var options = {
    autoResize: true,
    nodes: {
      font: { size: 14, face: FONT, color: "#1f2933", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { drawThreshold: 3 } }
    },
    edges: {
      color: { color: "#9aa5b1", highlight: "#1f2933", hover: "#52606d" },
      font: { size: 10, face: FONT, color: "#52606d", strokeWidth: 3, align: "middle" },
      smooth: fixed ? false : { type: "dynamic" },
      selectionWidth: 2
    },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: fixed, keyboard: false },
    layout: { improvedLayout: !fixed && data.nodes.length <= 100, randomSeed: 7 },
    physics: fixed ? { enabled: false } : {
      enabled: true,
      solver: "forceAtlas2Based",
      forceAtlas2Based: {
        gravitationalConstant: -45, centralGravity: 0.02, springLength: 70, avoidOverlap: 0.6
      },
      stabilization: { enabled: true, iterations: 400, updateInterval: 50, fit: true }
    }
  };
  var network = new vis.Network(document.getElementById("graph"), { nodes: shown, edges: edges }, options);
  state.network = network;
  state.nodes = nodes;
  state.edges = edges;

  function ready() {
    if (state.ready) return;
    state.ready = true;
    document.body.setAttribute("data-ready", "true");
  }
  if (fixed || data.nodes.length === 0) {
    network.once("afterDrawing", ready);
    if (data.nodes.length === 0) { ready(); }
  } else {
    // Physics only to settle the layout, then off: the graph stays still.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      network.fit();
      ready();
    });
  }

  // Header: counts and the notice when the view was cut.
  var counts = data.nodes.length + " nodes · " + data.edges.length + " links";
  if (data.meta.omitted_nodes) counts += " (of " + data.meta.total_nodes + " nodes)";
  document.getElementById("counts").textContent = counts;
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

  // Details panel.
  var details = document.getElementById("details");
  function show(box) { details.replaceChildren(box); }
  function showNode(id) { var n = byId[id]; if (n) show(card(heading(n), n.info)); }
  state.showNode = showNode;
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) { var e = byEdge[params.edges[0]]; if (e) show(card(e.label, e.info)); }
  });

  // Legend, which is also the class filter.
  var legend = document.getElementById("legend");
  var boxes = {};
  data.legend.forEach(function (g) {
    var item = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-group", g.key);
    box.addEventListener("change", function () { hidden[g.key] = !box.checked; shown.refresh(); });
    boxes[g.key] = box;
    var swatch = el("span", "swatch", SHAPES[g.shape] || "●");
    swatch.style.color = g.color;
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(document.createTextNode(g.label + " · " + g.label_zh + " (" + g.count + ")"));
    item.appendChild(label);
    legend.appendChild(item);
  });

  // Search by English or Chinese name, acronym or variant.
  function norm(text) {
    return String(text || "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  }
  var names = data.nodes.map(function (n) {
    return { id: n.id, keys: [n.label, n.zh].concat(n.alt).filter(Boolean).map(norm) };
  });
  if (data.nodes.length <= 2000) {
    var list = document.getElementById("names");
    var seen = {};
    data.nodes.forEach(function (n) {
      [n.label, n.zh].concat(n.alt).forEach(function (name) {
        if (name && !seen[name]) { seen[name] = true; var o = el("option"); o.value = name; list.appendChild(o); }
      });
    });
  }
  function find(text) {
    var query = norm(text);
    if (!query) return [];
    var found = [];
    names.forEach(function (entry) {
      var score = 0;
      entry.keys.forEach(function (key) {
        var s = key === query ? 3 : key.indexOf(query) === 0 ? 2 : key.indexOf(query) >= 0 ? 1 : 0;
        if (s > score) score = s;
      });
      if (score) found.push([score, entry.id]);
    });
    found.sort(function (a, b) {
      return b[0] - a[0] || byId[a[1]].label.length - byId[b[1]].label.length;
    });
    return found.map(function (f) { return f[1]; });
  }
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  var matches = [];
  var current = 0;
  function select(index) {
    var id = matches[index];
    var group = byId[id].group;
    if (hidden[group]) { hidden[group] = false; boxes[group].checked = true; shown.refresh(); }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    showNode(id);
    status.textContent = (index + 1) + " of " + matches.length + ": " + heading(byId[id]) +
      (matches.length > 1 ? " (Enter: next)" : "");
  }
  search.addEventListener("input", function () {
    matches = find(search.value);
    current = 0;
    if (matches.length) { select(0); }
    else { network.unselectAll(); status.textContent = search.value.trim() ? "no match" : ""; }
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && matches.length) {
      event.preventDefault();
      current = (current + 1) % matches.length;
      select(current);
    }
  });
  state.find = find;
})();
