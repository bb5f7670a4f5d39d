  // (continues view_explore.js, inside the same function: details on narrow screens)

  // -- narrow screens: details in a sheet over the bottom of the graph ------------------------
  // The side panel is slid out of sight on narrow screens, so details written into it were
  // not seen. A click on a node or link moves the details box into a sheet at the bottom of
  // the graph (the same element: its buttons keep working); closing the sheet or opening the
  // panel puts it back. Choosing a search match closes the panel so that the camera's move
  // is seen, and shows the match's details in the sheet.
  var narrow = window.matchMedia("(max-width: 760px)");
  var sheet = el("div");
  sheet.id = "sheet";
  sheet.hidden = true;
  sheet.setAttribute("role", "region");
  sheet.setAttribute("aria-label", "Details");
  var closer = button("×", function () { closeSheet(); });
  closer.className = "sheet-close";
  closer.setAttribute("aria-label", "Close the details");
  sheet.appendChild(closer);
  document.getElementById("stage").appendChild(sheet);
  var detailsHome = details.parentNode, detailsNext = details.nextSibling;
  function panelOpen() { return document.body.classList.contains("panel-open"); }
  function openSheet() {
    if (details.parentNode !== sheet) sheet.appendChild(details);
    sheet.hidden = false;
  }
  function closeSheet() {
    sheet.hidden = true;
    if (details.parentNode !== detailsHome) detailsHome.insertBefore(details, detailsNext);
  }
  // Keep the node above the sheet: if the sheet covers it, the camera moves it up.
  function clearOfSheet(id) {
    if (sheet.hidden || !network.body.nodes[id]) return;
    var graph = document.getElementById("graph");
    var free = graph.clientHeight - sheet.offsetHeight;
    var at = network.canvasToDOM(network.getPosition(id));
    if (at.y > 24 && at.y < free - 24 && at.x > 0 && at.x < graph.clientWidth) return;
    network.focus(id, { scale: network.getScale(), animation: false,
                        offset: { x: 0, y: -sheet.offsetHeight / 2 } });
  }
  network.on("click", function (params) {
    if (!narrow.matches || panelOpen()) return;
    if (params.nodes.length || params.edges.length) {
      openSheet();
      if (params.nodes.length) clearOfSheet(params.nodes[0]);
    } else {
      closeSheet();
    }
  });
  function picked(id) {
    if (!narrow.matches) return;
    if (panelOpen()) toggle.click();  // closes the panel
    openSheet();
    clearOfSheet(id);
  }
  toggle.addEventListener("click", function () { if (panelOpen()) closeSheet(); });
  narrow.addEventListener("change", function () { if (!narrow.matches) closeSheet(); });
