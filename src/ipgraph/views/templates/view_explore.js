  // (continues view.js, inside the same function: expanding, the toolbar, filters, search)

  // -- expand (double-click) and hide -----------------------------------------------------
  var reserveEdges = {};  // node id -> reserve edges at it
  data.reserve.edges.forEach(function (e) {
    (reserveEdges[e.from] = reserveEdges[e.from] || []).push(e);
    (reserveEdges[e.to] = reserveEdges[e.to] || []).push(e);
  });
  var added = {};
  function unseen(id) {
    var found = {};
    (reserveEdges[id] || []).forEach(function (e) {
      var other = e.from === id ? e.to : e.from;
      if (!nodes.get(other) || hiddenNode[other]) found[other] = true;
    });
    return Object.keys(found);
  }
  function expand(id) {
    var centre = network.getPositions([id])[id];
    if (!centre) return [];
    var fresh = unseen(id);
    var all = network.getPositions(), cx = 0, cy = 0, k = 0;
    Object.keys(all).forEach(function (key) { cx += all[key].x; cy += all[key].y; k += 1; });
    var outward = k > 1 ? Math.atan2(centre.y - cy / k, centre.x - cx / k) : 0;
    var radius = 140 + 20 * Math.sqrt(fresh.length);
    var spread = Math.min(2 * Math.PI, Math.max(Math.PI / 2, fresh.length * 0.45));
    var newItems = [];
    fresh.forEach(function (other, index) {
      delete hiddenNode[other];
      if (nodes.get(other)) return;
      var angle = outward + (fresh.length === 1 ? 0 : spread * (index / (fresh.length - 1) - 0.5));
      var n = byId[other];
      n.x = Math.round(centre.x + radius * Math.cos(angle));
      n.y = Math.round(centre.y + radius * Math.sin(angle));
      home[other] = { x: n.x, y: n.y };
      added[other] = true;
      newItems.push(visNode(n));
    });
    if (newItems.length) nodes.add(newItems);
    var newEdges = [], queued = {};  // a link between two fresh nodes is listed at both ends
    fresh.forEach(function (other) {
      (reserveEdges[other] || []).forEach(function (e) {
        if (queued[e.id] || edges.get(e.id) || !nodes.get(e.from) || !nodes.get(e.to)) return;
        queued[e.id] = true;
        newEdges.push(visEdge(e));
      });
    });
    if (newEdges.length) edges.add(newEdges);
    refresh();
    if (lit !== null) highlight(lit);
    showNode(id);
    return fresh;
  }
  state.expand = expand;
  network.on("doubleClick", function (params) {
    if (params.nodes.length) expand(params.nodes[0]);
  });
  function hide(id) {
    hiddenNode[id] = true;
    if (lit === id) unlight();
    network.unselectAll();
    clearDetails();
    refresh();
  }
  state.hide = hide;
  document.getElementById("unhide").addEventListener("click", function () {
    hiddenNode = {};
    refresh();
  });

  // -- toolbar: fit, reset, relax, PNG, GraphML ----------------------------------------------
  document.getElementById("fit").addEventListener("click", function () { network.fit(FIT); });
  document.getElementById("reset").addEventListener("click", function () {
    stopRelax();
    hiddenClass = {}; hiddenRelation = {}; hiddenNode = {};
    Object.keys(boxes).forEach(function (key) { boxes[key].checked = true; });
    Object.keys(relationBoxes).forEach(function (key) { relationBoxes[key].checked = true; });
    nodes.remove(Object.keys(added));
    edges.remove(edges.getIds({ filter: function (e) { return e.id.charAt(0) === "r"; } }));
    added = {};
    nodes.update(Object.keys(home).filter(function (id) { return nodes.get(id); })
      .map(function (id) { return { id: id, x: home[id].x, y: home[id].y }; }));
    unlight();
    network.unselectAll();
    clearDetails();
    shown.refresh(); shownEdges.refresh(); count(); legendCounts(); relationCounts();
    document.getElementById("unhide").hidden = true;
    network.fit(FIT);
  });
  var relaxButton = document.getElementById("relax"), relaxing = null;
  function stopRelax() {
    if (relaxing === null) return;
    clearTimeout(relaxing);
    relaxing = null;
    network.setOptions({ physics: { enabled: false } });
    keepPositions();
    relaxButton.setAttribute("aria-pressed", "false");
  }
  relaxButton.addEventListener("click", function () {
    if (relaxing !== null) { stopRelax(); return; }
    relaxButton.setAttribute("aria-pressed", "true");
    network.setOptions({ physics: { enabled: true, solver: "barnesHut", stabilization: false,
      barnesHut: { gravitationalConstant: -3000, springLength: 110, avoidOverlap: 0.3 } } });
    relaxing = setTimeout(stopRelax, 6000);
  });
  function download(name, url) {
    var a = el("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  document.getElementById("png").addEventListener("click", function () {
    var source = document.querySelector("#graph canvas");
    var out = document.createElement("canvas");
    out.width = source.width;
    out.height = source.height;
    var context = out.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, out.width, out.height);
    context.drawImage(source, 0, 0);
    download(data.name + ".png", out.toDataURL("image/png"));
  });
  function xml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }
  function graphml() {
    var positions = network.getPositions();
    var keys = [["label", "node", "string"], ["zh", "node", "string"], ["class", "node", "string"],
                ["x", "node", "double"], ["y", "node", "double"], ["relation", "edge", "string"],
                ["predicate", "edge", "string"], ["weight", "edge", "int"]];
    var lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'];
    keys.forEach(function (k) {
      lines.push('<key id="' + k[0] + '" for="' + k[1] + '" attr.name="' + k[0] +
                 '" attr.type="' + k[2] + '"/>');
    });
    lines.push('<graph id="' + xml(data.name) + '" edgedefault="' +
               (directed ? "directed" : "undirected") + '">');
    function field(key, value) {
      return value === null || value === undefined ? "" :
        '<data key="' + key + '">' + xml(value) + "</data>";
    }
    shown.getIds().forEach(function (id) {
      var n = byId[id], p = positions[id] || {};
      lines.push('<node id="' + xml(id) + '">' + field("label", n.label) + field("zh", n.zh) +
                 field("class", n.group) + field("x", p.x) + field("y", p.y) + "</node>");
    });
    var present = {};
    shown.getIds().forEach(function (id) { present[id] = true; });
    shownEdges.forEach(function (item) {
      var e = byEdge[item.id];
      if (!present[e.from] || !present[e.to]) return;
      lines.push('<edge id="' + xml(e.id) + '" source="' + xml(e.from) + '" target="' +
                 xml(e.to) + '">' + field("relation", e.label) + field("predicate", e.predicate) +
                 field("weight", e.weight) + "</edge>");
    });
    lines.push("</graph>", "</graphml>");
    return lines.join("\n") + "\n";
  }
  state.graphml = graphml;
  document.getElementById("graphml").addEventListener("click", function () {
    download(data.name + ".graphml",
             "data:application/graphml+xml;charset=utf-8," + encodeURIComponent(graphml()));
  });

  // -- filters: classes (the legend) and relations --------------------------------------------
  var legend = document.getElementById("legend");
  var boxes = {}, legendText = {};
  function filterItem(list, swatch, text, onChange) {
    var item = el("li"), label = el("label"), box = el("input"), words = el("span", null, text);
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () { onChange(box.checked); });
    label.appendChild(box);
    if (swatch) label.appendChild(swatch);
    label.appendChild(words);
    item.appendChild(label);
    list.appendChild(item);
    return { box: box, words: words };
  }
  data.legend.forEach(function (g) {
    var swatch = el("span", "swatch", SHAPES[g.shape] || "●");
    swatch.style.color = g.color;
    var made = filterItem(legend, swatch, "", function (on) { hiddenClass[g.key] = !on; refresh(); });
    made.box.setAttribute("data-group", g.key);
    boxes[g.key] = made.box;
    legendText[g.key] = made.words;
  });
  function legendCounts() {
    var drawn = {};
    nodes.forEach(function (item) { drawn[item.cls] = (drawn[item.cls] || 0) + 1; });
    data.legend.forEach(function (g) {
      legendText[g.key].textContent = g.label + " · " + g.label_zh + " (" + (drawn[g.key] || 0) + ")";
      legendText[g.key].parentNode.parentNode.hidden = !drawn[g.key];
    });
  }
  legendCounts();
  function relationCounts() {
    var drawn = {};
    edges.forEach(function (item) { drawn[item.predicate] = (drawn[item.predicate] || 0) + 1; });
    Object.keys(relationText).forEach(function (predicate) {
      relationText[predicate].textContent = relationName(predicate) + " (" + (drawn[predicate] || 0) + ")";
      relationText[predicate].parentNode.parentNode.hidden = !drawn[predicate];
    });
  }
  var encoding = [];
  if (data.meta.sizes) encoding.push("Node size: " + data.meta.sizes + ".");
  if (data.meta.widths) encoding.push("Line width: " + data.meta.widths + ".");
  document.getElementById("encoding").textContent = encoding.join(" ");

  var relations = document.getElementById("relations"), relationBoxes = {}, relationText = {};
  var byPredicate = {}, drawnEdges = {};
  data.edges.forEach(function (e) { drawnEdges[e.predicate] = (drawnEdges[e.predicate] || 0) + 1; });
  data.edges.concat(data.reserve.edges).forEach(function (e) { byPredicate[e.predicate] = e.label; });
  function relationName(predicate) {
    return data.kind === "agencies" && predicate.slice(-16) === "collaboratesWith" ?
      "worked together" : byPredicate[predicate];
  }
  Object.keys(byPredicate).sort(function (a, b) {
    return (drawnEdges[b] || 0) - (drawnEdges[a] || 0) || (a < b ? -1 : 1);
  }).forEach(function (predicate) {
    var made = filterItem(relations, null, "", function (on) {
      hiddenRelation[predicate] = !on;
      refresh();
    });
    made.box.setAttribute("data-predicate", predicate);
    relationBoxes[predicate] = made.box;
    relationText[predicate] = made.words;
  });
  relationCounts();

  // -- search by English or Chinese name, acronym or variant ----------------------------------
  // Typing selects the best match and shows it; the camera moves only on Enter or a click on
  // a match, so that it does not jump at every keystroke. Arrow keys walk the matches.
  function norm(text) {
    return String(text || "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  }
  function find(text) {
    var query = norm(text);
    if (!query) return [];
    var found = [];
    nodes.forEach(function (item) {
      var n = byId[item.id], score = 0;
      [n.label, n.zh].concat(n.alt).forEach(function (name) {
        if (!name) return;
        var key = norm(name);
        var s = key === query ? 3 : key.indexOf(query) === 0 ? 2 : key.indexOf(query) >= 0 ? 1 : 0;
        if (s > score) score = s;
      });
      if (score) found.push([score, n.id]);
    });
    found.sort(function (a, b) {
      return b[0] - a[0] || byId[a[1]].label.length - byId[b[1]].label.length;
    });
    return found.map(function (f) { return f[1]; });
  }
  state.find = find;
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  var list = document.getElementById("matches");
  var matches = [], current = 0;
  function reveal(id) {
    var n = byId[id];
    if (hiddenClass[n.group]) { hiddenClass[n.group] = false; boxes[n.group].checked = true; }
    if (hiddenNode[id]) delete hiddenNode[id];
    refresh();
  }
  function choose(index, move) {
    current = index;
    var id = matches[index];
    reveal(id);
    network.selectNodes([id]);
    showNode(id);
    if (move) network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    status.textContent = (index + 1) + " of " + matches.length + ": " + heading(byId[id]) +
      (move ? "" : " (Enter: go to it" + (matches.length > 1 ? "; ↑ ↓: others)" : ")"));
    Array.prototype.forEach.call(list.children, function (li, i) {
      li.setAttribute("aria-selected", i === index ? "true" : "false");
      if (i === index && li.scrollIntoView) li.scrollIntoView({ block: "nearest" });
    });
  }
  function fill() {
    list.replaceChildren();
    matches.slice(0, 50).forEach(function (id, index) {
      var li = el("li", null, heading(byId[id]));
      li.setAttribute("role", "option");
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(index, true); });
      list.appendChild(li);
    });
    list.hidden = matches.length < 2;
    search.setAttribute("aria-expanded", list.hidden ? "false" : "true");
  }
  search.addEventListener("input", function () {
    matches = find(search.value);
    current = 0;
    fill();
    if (matches.length) { choose(0, false); }
    else { network.unselectAll(); status.textContent = search.value.trim() ? "no match" : ""; }
  });
  search.addEventListener("keydown", function (event) {
    if (!matches.length) return;
    var span = Math.min(matches.length, 50);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      choose((current + (event.key === "ArrowDown" ? 1 : span - 1)) % span, false);
    } else if (event.key === "Enter") {
      event.preventDefault();
      choose(current, true);
    } else if (event.key === "Escape") {
      list.hidden = true;
    }
  });

  // -- narrow screens: the panel slides over the graph ----------------------------------------
  var toggle = document.getElementById("panel-toggle");
  toggle.addEventListener("click", function () {
    var open = document.body.classList.toggle("panel-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });

  {% include "view_fetch.js" %}
})();
