  // (continues view.js, inside the same function: names drawn over the graph, tooltips)

  // -- labels: by level of detail, none drawn over another ------------------------------------
  // vis-network draws the shapes and lines; the names are drawn here after each frame, in
  // screen pixels. Candidates come in order of importance (the selected nodes, the view's
  // focus, the neighbours lit by a click, then the most connected first) and a name is drawn
  // below, right of, above or left of its node, at the first place where its box overlaps no
  // name drawn before it and no node as large as its own: zoomed out only the hubs keep a name,
  // zoomed in every node has one. Each name is measured once, on its first showing.
  var LABEL_MIN = 10, LABEL_MAX = 15;  // on-screen font sizes, in CSS pixels
  var LABEL_RADIUS = 3;  // a node smaller than this on screen is a speck: no name
  var LABEL_LIMIT = 600;  // names per frame at most (a screen holds fewer)
  var EDGE_FONT = 11, EDGE_MIN = 8, EDGE_MAX = 12, PAD = 2, CELL = 64, REF = 100;
  var FONT_MAX = data.nodes.length <= 300 ? 22 : Math.min(64, 22 + data.nodes.length / 40);
  var measurer = document.createElement("canvas").getContext("2d");
  var widths = {};  // node or link id -> the widths of its lines in a REF px font
  var order = [];  // node ids, most connected first
  function rank() {
    order = Object.keys(byId).filter(function (id) { return nodes.get(id) !== null; });
    order.sort(function (a, b) {
      return byId[b].size - byId[a].size || (byId[a].label < byId[b].label ? -1 : 1);
    });
  }
  rank();
  state.rank = rank;
  function linesOf(n) { return n.zh && n.zh !== n.short ? [n.short, n.zh] : [n.short]; }
  function lineWidths(key, lines) {
    var known = widths[key];
    if (!known) {
      measurer.font = REF + "px " + FONT;
      known = widths[key] = lines.map(function (text) { return measurer.measureText(text).width; });
    }
    return known;
  }
  function fontOf(n) {  // canvas units: the bigger the node, the bigger its name
    return BIG === SMALL ? 14 : 12 + (FONT_MAX - 12) * (n.size - SMALL) / (BIG - SMALL);
  }
  // A node's name as drawn at zoom `scale`, in screen px: its font size, lines, line widths
  // (REF px font) and the box's width and height; null when the node is a speck and unnamed.
  // The camera's fit (view_camera.js) reserves this box below each node: one notion of a name.
  function nameSize(id, scale) {
    var item = network.body.nodes[id], n = byId[id];
    if (!item || !n || item.options.hidden) return null;  // hidden by a filter: unnamed
    if (item.options.size * scale < LABEL_RADIUS && !item.selected) return null;
    var px = Math.round(Math.max(LABEL_MIN, Math.min(LABEL_MAX, fontOf(n) * scale)));
    var lines = linesOf(n), known = lineWidths(id, lines);
    return { px: px, lines: lines, widths: known, width: Math.max.apply(null, known) * px / REF,
             height: Math.round(px * 1.2) * lines.length };
  }
  // Link names on screen, in px (0: not drawn). Path views are about their links: each name
  // is LINK_TEXT px at the opening zoom however long the chain, shrinking only when zoomed out
  // from there. Other views: EDGE_FONT graph units, capped at EDGE_MAX.
  var LINK_TEXT = 12;
  function linkPx(scale) {
    if (!data.meta.edge_labels) return 0;
    var px = data.kind === "path" ?
      LINK_TEXT * Math.min(1, state.opening ? scale / state.opening.scale : 1) :
      Math.min(EDGE_MAX, EDGE_FONT * scale);
    return px >= EDGE_MIN ? Math.round(px) : 0;
  }

  // Boxes already taken this frame, in a grid of CELL px squares. box: [left, top, right,
  // bottom, weight]; a name's weight is Infinity, a node's its size; a box fits where it meets
  // nothing at least as heavy as itself.
  function Taken() { this.cells = {}; }
  Taken.prototype.each = function (box, visit) {
    for (var cx = Math.floor(box[0] / CELL); cx <= Math.floor(box[2] / CELL); cx++) {
      for (var cy = Math.floor(box[1] / CELL); cy <= Math.floor(box[3] / CELL); cy++) {
        if (visit(cx + ":" + cy) === false) return false;
      }
    }
    return true;
  };
  Taken.prototype.free = function (box) {
    var cells = this.cells;
    return this.each(box, function (key) {
      var list = cells[key] || [];
      for (var i = 0; i < list.length; i++) {
        var o = list[i];
        if (o[4] >= box[4] && box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]) {
          return false;
        }
      }
      return true;
    });
  };
  Taken.prototype.take = function (box) {
    var cells = this.cells;
    this.each(box, function (key) { (cells[key] = cells[key] || []).push(box); });
  };

  // Big views pan a picture: at the start of a drag the canvas is copied, and while the view
  // is dragged (vis draws no node and no link then) the copy is drawn where the view moved.
  var still = null;  // { image, x, y }: the picture and the view's translation when taken
  network.on("dragStart", function (params) {
    if (!many || params.nodes.length) return;
    var source = network.canvas.frame.canvas, copy = document.createElement("canvas");
    copy.width = source.width;
    copy.height = source.height;
    copy.getContext("2d").drawImage(source, 0, 0);
    var at = network.body.view.translation;
    still = { image: copy, x: at.x, y: at.y };
  });
  network.on("dragEnd", function () {
    if (still === null) return;
    still = null;
    network.redraw();
  });
  function drawStill(ctx) {
    var ratio = network.canvas.pixelRatio || 1, at = network.body.view.translation;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(still.image, (at.x - still.x) * ratio, (at.y - still.y) * ratio);
    ctx.restore();
  }

  function drawLabels(ctx) {
    if (still !== null) { drawStill(ctx); return; }
    var body = network.body, view = body.view, scale = view.scale;
    var tx = view.translation.x, ty = view.translation.y;
    var frame = network.canvas.frame.canvas;
    var width = frame.clientWidth, height = frame.clientHeight;
    var taken = new Taken(), drawn = 0, seen = {};
    var ratio = network.canvas.pixelRatio || 1;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#ffffff";
    // Write `lines` beside the node of radius r at (x, y) (r = 0: a link's middle).
    function write(lines, lineWidth, px, x, y, r, weight, color, bold) {
      var gap = Math.round(px * 1.2), h = gap * lines.length;
      var w = Math.max.apply(null, lineWidth) * px / REF;
      var places = [[x, y + r + 3]];  // centre of the top line's top, below the node
      if (r > 0) {
        places.push([x + r + 4 + w / 2, y - h / 2], [x, y - r - 3 - h], [x - r - 4 - w / 2, y - h / 2]);
      } else {
        places[0][1] = y - h / 2;
      }
      for (var k = 0; k < places.length; k++) {
        var cx = places[k][0], top = places[k][1];
        var box = [cx - w / 2 - PAD, top - PAD, cx + w / 2 + PAD, top + h + PAD, weight];
        if (box[0] < 0 || box[2] > width || box[1] < 0 || box[3] > height) continue;  // whole
        if (!taken.free(box)) continue;
        box[4] = Infinity;
        taken.take(box);
        ctx.font = (bold ? "600 " : "") + px + "px " + FONT;
        ctx.fillStyle = color;
        if (r === 0) {  // a link's name: its ink centred on the link's middle
          ctx.textBaseline = "alphabetic";
          var ink = ctx.measureText(lines[0]);
          var base = y + (ink.actualBoundingBoxAscent - ink.actualBoundingBoxDescent) / 2;
          ctx.strokeText(lines[0], cx, base);
          ctx.fillText(lines[0], cx, base);
          ctx.textBaseline = "top";
        }
        for (var i = 0; r > 0 && i < lines.length; i++) {
          ctx.strokeText(lines[i], cx, top + i * gap);
          ctx.fillText(lines[i], cx, top + i * gap);
        }
        drawn += 1;
        return;
      }
    }
    // The nodes on screen first: no name covers a node.
    body.nodeIndices.forEach(function (id) {
      var item = body.nodes[id], r = item.options.size * scale;
      var x = item.x * scale + tx, y = item.y * scale + ty;
      if (r >= 2 && !item.options.hidden && x + r > 0 && x - r < width && y + r > 0 && y - r < height) {
        taken.take([x - r, y - r, x + r, y + r, item.options.size]);
      }
    });
    function node(id) {
      if (seen[id] || drawn >= LABEL_LIMIT) return;
      seen[id] = true;
      var name = nameSize(id, scale);
      if (name === null) return;
      var item = body.nodes[id];
      var x = item.x * scale + tx, y = item.y * scale + ty;
      if (x < -400 || x > width + 400 || y < -100 || y > height + 100) return;
      // The chosen and the focus are named even over larger nodes.
      var weight = item.selected || focus[id] ? 1e9 : item.options.size;
      write(name.lines, name.widths, name.px, x, y, item.options.size * scale, weight,
            dimmed[id] ? DIM_TEXT : INK, item.selected || focus[id]);
    }
    // Each link's name centred on its middle, where no node is.
    function links(px) {
      body.edgeIndices.forEach(function (id) {
        var item = body.edges[id], e = byEdge[id];
        if (!item || !e || item.options.hidden || dimmed[id] || drawn >= LABEL_LIMIT) return;
        var from = body.nodes[e.from], to = body.nodes[e.to];
        if (!from || !to || from.options.hidden || to.options.hidden) return;
        var x = (from.x + to.x) / 2 * scale + tx, y = (from.y + to.y) / 2 * scale + ty;
        write([e.label], lineWidths(id, [e.label]), px, x, y, 0, 0, "#52606d", false);
      });
    }
    // Path views are read along their links: those names come before the nodes' names.
    var linkSize = linkPx(scale);
    if (linkSize && data.kind === "path") links(linkSize);
    network.getSelectedNodes().forEach(node);
    data.meta.focus.forEach(node);
    if (lit !== null) {
      node(lit);
      order.forEach(function (id) { if (!dimmed[id]) node(id); });
    }
    for (var i = 0; i < order.length && drawn < LABEL_LIMIT; i++) node(order[i]);
    if (linkSize && data.kind !== "path") links(linkSize);
    ctx.restore();
  }
  network.on("afterDrawing", drawLabels);

  // -- tooltips: built from the item's data when the pointer rests on it ----------------------
  var graphBox = document.getElementById("graph");
  var tip = el("div");
  tip.id = "tooltip";
  tip.hidden = true;
  graphBox.appendChild(tip);
  var tipFor = null, tipTimer = null;
  function hideTip() {
    clearTimeout(tipTimer);
    tip.hidden = true;
    tipFor = null;
  }
  function showTip(x, y) {
    var pointer = { x: x, y: y };
    var nodeId = network.getNodeAt(pointer), edgeId = nodeId === undefined ? network.getEdgeAt(pointer) : undefined;
    var key = nodeId !== undefined ? "n" + nodeId : edgeId !== undefined ? "e" + edgeId : null;
    if (key === null) { hideTip(); return; }
    if (key !== tipFor) {
      var n = nodeId !== undefined ? byId[nodeId] : null, e = n ? null : byEdge[edgeId];
      if (!n && !e) { hideTip(); return; }
      tip.replaceChildren(n ? card(heading(n), n.info) : card(e.label, e.info));
      tipFor = key;
    }
    tip.hidden = false;
    var room = graphBox.getBoundingClientRect();
    var left = x + 14, top = y + 14;
    if (left + tip.offsetWidth > room.width) left = Math.max(0, x - 14 - tip.offsetWidth);
    if (top + tip.offsetHeight > room.height) top = Math.max(0, y - 14 - tip.offsetHeight);
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }
  graphBox.addEventListener("mousemove", function (event) {
    clearTimeout(tipTimer);
    if (event.buttons) { hideTip(); return; }
    var room = graphBox.getBoundingClientRect();
    var x = event.clientX - room.left, y = event.clientY - room.top;
    tipTimer = setTimeout(function () { showTip(x, y); }, 120);
  });
  graphBox.addEventListener("mouseleave", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
