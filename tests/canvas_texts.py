"""Texts drawn on a page's canvases, recorded as Chromium draws them (for the view tests).

Every ``fillText`` is recorded during one redraw, with the box its ink covers on screen (the
text's measured extent under the canvas transform in force).
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

# Wraps fillText: each call adds {text, px: the font's size on screen, box: [left, top, right,
# bottom] in CSS px} to
# window.__texts while window.__texts is an array.
RECORD = r"""
(function () {
  var proto = CanvasRenderingContext2D.prototype, original = proto.fillText;
  proto.fillText = function (text, x, y) {
    if (Array.isArray(window.__texts)) {
      var m = this.measureText(text), t = this.getTransform(), ratio = window.devicePixelRatio;
      var corners = [[x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent],
                     [x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent]]
        .map(function (p) {
          return [(t.a * p[0] + t.c * p[1] + t.e) / ratio, (t.b * p[0] + t.d * p[1] + t.f) / ratio];
        });
      var size = parseFloat(/([\d.]+)px/.exec(this.font)[1]) * Math.hypot(t.c, t.d) / ratio;
      window.__texts.push({ text: String(text), rotated: t.b !== 0 || t.c !== 0, px: size,
        box: [Math.min(corners[0][0], corners[1][0]), Math.min(corners[0][1], corners[1][1]),
              Math.max(corners[0][0], corners[1][0]), Math.max(corners[0][1], corners[1][1])] });
    }
    return original.apply(this, arguments);
  };
})();
"""


def drawn_texts(page: Page) -> list[dict[str, Any]]:
    """The texts of one full redraw of the graph, with their boxes."""
    texts: list[dict[str, Any]] = page.evaluate(
        "(function () { window.__texts = []; ipgraph.network.redraw();"
        " var found = window.__texts; window.__texts = null; return found; })()"
    )
    return texts
