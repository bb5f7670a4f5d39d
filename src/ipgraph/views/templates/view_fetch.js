  // -- neighbours from the server (a view served by `ipgraph serve`) -----------------------
  // (included at the end of view_explore.js, inside the same function.) A page embeds the
  // neighbours of what it draws up to a cap; served over http(s) it asks its own origin
  // (/views/expand) for those of a double-clicked node that it has not embedded. Opened from
  // file:// it never asks anything.
  var SERVED = window.location.protocol === "http:" || window.location.protocol === "https:";
  var asked = {}, fetchedEdges = 0;
  state.fetches = [];  // the URLs asked, for tests and the curious
  function linkKey(e) { return e.from + " " + e.predicate + " " + e.to; }
  function knownAround(id) {
    var found = {};
    Object.keys(byEdge).forEach(function (key) {
      var e = byEdge[key];
      if (e.from === id) found[e.to] = true;
      else if (e.to === id) found[e.from] = true;
    });
    return Object.keys(found).length;
  }
  function mergeFetched(id, found) {
    found.legend.forEach(function (g) { if (!groups[g.key]) groups[g.key] = g; });
    found.nodes.forEach(function (n) { if (!byId[n.id]) byId[n.id] = n; });
    var have = {};
    Object.keys(byEdge).forEach(function (key) { have[linkKey(byEdge[key])] = true; });
    found.edges.forEach(function (e) {
      if (have[linkKey(e)] || !byId[e.from] || !byId[e.to]) return;
      have[linkKey(e)] = true;
      e.id = "rx" + (fetchedEdges++);  // ids unique in the page; "r": removed by Reset
      byEdge[e.id] = e;
      (reserveEdges[e.from] = reserveEdges[e.from] || []).push(e);
      (reserveEdges[e.to] = reserveEdges[e.to] || []).push(e);
    });
    if (nodes.get(id)) expand(id);
  }
  function fetchNeighbours(id) {
    var n = byId[id];
    if (!SERVED || asked[id] || !n || typeof n.neighbours !== "number") return;
    var known = knownAround(id);
    if (n.neighbours <= known) return;
    asked[id] = true;
    var url = "/views/expand?node=" + encodeURIComponent(id) +
              "&limit=" + Math.min(500, known + 100);
    state.fetches.push(url);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (found) { if (found && found.nodes) mergeFetched(id, found); })
      .catch(function () { delete asked[id]; });  // not served by ipgraph: expand as embedded
  }
  state.fetchNeighbours = fetchNeighbours;
  state.link = function (id) { return byEdge[id]; };  // a link's data, tooltip rows included
  network.on("doubleClick", function (params) {
    if (params.nodes.length) fetchNeighbours(params.nodes[0]);
  });
