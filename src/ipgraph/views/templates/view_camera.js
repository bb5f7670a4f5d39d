  // (continues view_explore.js, inside the same function: what is drawn and where the camera is)

  // -- filters hide in place ----------------------------------------------------------------
  // The network holds every node and link and the filters set vis-network's `hidden`: taken
  // out and put back, a node was drawn last, on top of its neighbours, so hiding and showing
  // a class changed the picture. Hidden in place, everything keeps its drawing order.
  function syncHidden() {
    var on = {}, linked = {};
    shown.getIds().forEach(function (id) { on[id] = true; });
    shownEdges.getIds().forEach(function (id) { linked[id] = true; });
    var nodeUpdates = [], edgeUpdates = [];
    // Hidden ones are also out of the physics, so that Relax moves only what is drawn.
    nodes.forEach(function (item) {
      if (!!item.hidden === !on[item.id]) return;
      var update = { id: item.id, hidden: !on[item.id], physics: !!on[item.id] };
      // vis-network re-applies the class colour on update: a node's own colour (the focus's
      // dark border, a dimmed node) is handed over again to stay as it was.
      if (item.color) update.color = item.color;
      nodeUpdates.push(update);
    });
    edges.forEach(function (item) {
      var drawn = !!linked[item.id] && !!on[item.from] && !!on[item.to];
      if (!!item.hidden === !linked[item.id] && (item.physics !== false) === drawn) return;
      edgeUpdates.push({ id: item.id, hidden: !linked[item.id], physics: drawn });
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    // A class hidden but with nodes picked in the search shows a half-ticked box.
    var some = {};
    Object.keys(revealed).forEach(function (id) { if (on[id]) some[byId[id].group] = true; });
    Object.keys(boxes).forEach(function (key) {
      boxes[key].indeterminate = !!hiddenClass[key] && !!some[key];
    });
  }
  function forgetRevealed(group) {
    Object.keys(revealed).forEach(function (id) { if (byId[id].group === group) delete revealed[id]; });
  }
  // Links drawn: shown by the relation filters AND with both ends shown.
  function linksShown() {
    var on = {}, total = 0;
    shown.getIds().forEach(function (id) { on[id] = true; });
    shownEdges.forEach(function (e) { if (on[e.from] && on[e.to]) total += 1; });
    return total;
  }
  state.linksShown = linksShown;

  // -- the camera: fitted to the nodes and their labels ---------------------------------------
  // vis-network's fit() measures the labels as last drawn (not at all before the first frame)
  // and at the old zoom, so views opened off-centre with labels cut at the edges. Here each
  // trial zoom is drawn (synchronously: the browser shows only the last one), every label
  // drawn is measured, and the zoom is recomputed until it settles; labels change with the
  // zoom (they shrink past maxVisible and vanish below the draw threshold).
  var MARGIN = 14;  // screen pixels kept free around the drawing
  var opening = null;  // the camera as the view opened: Reset comes back to it
  // A node's name in graph units: the box view_labels.js gives it below the node at the
  // current zoom (nameSize), the first place it tries, so that the fit leaves room for it.
  function nameBox(id) {
    var node = network.body.nodes[id], scale = network.getScale();
    var name = node ? nameSize(id, scale) : null;
    if (!name) return null;
    var half = name.width / 2 / scale, top = node.y + (node.options.size || 0) + 3 / scale;
    return { left: node.x - half, top: top, right: node.x + half, bottom: top + name.height / scale };
  }
  state.nameBox = function (id) {  // in the canvas's pixels, for tests
    var b = nameBox(id);
    if (!b) return null;
    var a = network.canvasToDOM({ x: b.left, y: b.top }), z = network.canvasToDOM({ x: b.right, y: b.bottom });
    return [a.x, a.y, z.x, z.y];
  };
  function drawnBox(ids) {
    var box = null;
    function add(left, top, right, bottom) {
      if (!box) { box = { left: left, top: top, right: right, bottom: bottom }; return; }
      box.left = Math.min(box.left, left); box.top = Math.min(box.top, top);
      box.right = Math.max(box.right, right); box.bottom = Math.max(box.bottom, bottom);
    }
    ids.forEach(function (id) {
      var node = network.body.nodes[id];
      if (!node || node.options.hidden) return;
      var r = node.options.size || 0;
      add(node.x - r, node.y - r, node.x + r, node.y + r);
      var name = nameBox(id);
      if (name) add(name.left, name.top, name.right, name.bottom);
    });
    return box;
  }
  function cameraFor(ids, maxScale) {
    var canvas = network.canvas.frame.canvas;
    var width = canvas.clientWidth - 2 * MARGIN, height = canvas.clientHeight - 2 * MARGIN;
    if (width <= 0 || height <= 0) return null;
    var target = null, tried = [];
    for (var round = 0; round < 8; round += 1) {
      network.redraw();  // lays out every label at the current zoom
      var box = drawnBox(ids);
      if (!box) return null;
      var scale = Math.min(width / Math.max(1, box.right - box.left),
                           height / Math.max(1, box.bottom - box.top), maxScale);
      target = { position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
                 scale: scale };
      if (Math.abs(scale - network.getScale()) <= 1e-4 * scale) return target;
      // Labels vanishing below the draw threshold can make the zoom swing between two
      // values: the smaller one (more labels, all inside) ends it.
      if (tried.some(function (s) { return Math.abs(s - scale) <= 1e-4 * scale; })) {
        scale = Math.min(scale, network.getScale());
        network.moveTo({ position: target.position, scale: scale, animation: false });
        network.redraw();
        box = drawnBox(ids);
        return { position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
                 scale: scale };
      }
      tried.push(scale);
      network.moveTo({ position: target.position, scale: scale, animation: false });
    }
    return target;
  }
  function fitWithLabels() {
    var target = cameraFor(network.body.nodeIndices, FIT.maxZoomLevel);
    if (target) network.moveTo({ position: target.position, scale: target.scale, animation: false });
  }
  state.fitWithLabels = fitWithLabels;
  function camera() {
    return { position: network.getViewPosition(), scale: network.getScale() };
  }
  // The first frame: fitted with the names (path views: their link names are sized from it).
  function settle() {
    fitWithLabels();
    opening = camera();
    state.opening = opening;
  }
  function backToOpening() {
    if (!opening) { fitWithLabels(); return; }
    network.moveTo({ position: opening.position, scale: opening.scale, animation: false });
  }
  // After an expansion: the node and its new neighbours, moved to smoothly, never zoomed in
  // further than the current zoom (or 1).
  function bringIntoView(ids) {
    var before = camera();
    var target = cameraFor(ids, Math.min(FIT.maxZoomLevel, Math.max(before.scale, 1)));
    network.moveTo({ position: before.position, scale: before.scale, animation: false });
    if (!target) return;
    state.moving = true;  // until the camera arrives (tests wait for it)
    network.once("animationFinished", function () { state.moving = false; });
    network.moveTo({ position: target.position, scale: target.scale,
                     animation: { duration: 450, easingFunction: "easeInOutQuad" } });
  }

  // -- where expanded nodes go ----------------------------------------------------------------
  // Free places around the node: rings outward from it, the side facing away from the rest
  // of the graph first, each place clear of every node drawn and of the places already
  // taken. Clearance is wider across than up and down: labels are wider than they are high.
  var ROOM = 30, WIDE = 1.8;
  function freeSpots(id, sizes) {
    var centre = network.getPosition(id);
    var drawn = network.getPositions(network.body.nodeIndices);
    var keys = Object.keys(drawn), cx = 0, cy = 0;
    var biggest = Math.max.apply(null, sizes.concat([BIG]));
    var cell = WIDE * (2 * biggest + ROOM);  // a place can clash only within the 9 cells around
    var grid = {};
    function put(x, y, r) {
      var k = Math.floor(x / cell) + ":" + Math.floor(y / cell);
      (grid[k] = grid[k] || []).push([x, y, r]);
    }
    function clear(x, y, r) {
      var gx = Math.floor(x / cell), gy = Math.floor(y / cell);
      for (var i = -1; i <= 1; i += 1) {
        for (var j = -1; j <= 1; j += 1) {
          var here = grid[(gx + i) + ":" + (gy + j)] || [];
          for (var m = 0; m < here.length; m += 1) {
            var o = here[m];
            if (Math.hypot((o[0] - x) / WIDE, o[1] - y) < o[2] + r + ROOM) return false;
          }
        }
      }
      return true;
    }
    keys.forEach(function (key) {
      var p = drawn[key];
      put(p.x, p.y, network.body.nodes[key].options.size || SMALL);
      cx += p.x; cy += p.y;
    });
    var away = keys.length > 1 ?
      Math.atan2(centre.y - cy / keys.length, centre.x - cx / keys.length) : 0;
    var spots = [], step = 2 * SMALL + ROOM;
    var own = network.body.nodes[id] ? network.body.nodes[id].options.size || SMALL : SMALL;
    for (var ring = 1; spots.length < sizes.length && ring < 400; ring += 1) {
      var radius = own + ring * step * 0.75;
      var slots = Math.max(6, Math.floor(2 * Math.PI * radius / (step * 0.5)));
      for (var s = 0; s < slots && spots.length < sizes.length; s += 1) {
        // 0, +1, -1, +2, -2 ... slots from the direction away from the graph
        var turn = (s % 2 ? 1 : -1) * Math.ceil(s / 2) * 2 * Math.PI / slots;
        var x = centre.x + WIDE * radius * Math.cos(away + turn);
        var y = centre.y + radius * Math.sin(away + turn);
        var r = sizes[spots.length];
        if (!clear(x, y, r)) continue;
        spots.push({ x: Math.round(x), y: Math.round(y) });
        put(x, y, r);
      }
    }
    return spots;
  }

  if (fixed) settle();  // the first frame is the final one: fitted, nothing moves
