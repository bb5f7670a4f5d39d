"""Take the README's screenshots from the real rendering, in docs/img/: overview.png (the whole
graph), neighbourhood.png (CNIPA, two links, CNIPA clicked: its neighbours lit), path.png (MIIT
to universities: paths left to right) and large.png (a 2,000-node synthetic view).

Renders the views with ipgraph, opens them from file:// in headless Chromium (Debian's, driven
by Playwright), waits until the layout has settled and the physics has stopped, and saves a
PNG of each page. Chinese labels need a CJK font on the machine (Debian: fonts-wqy-microhei or
fonts-noto-cjk); without one they show as boxes and this script says so.

Usage:
    .venv/bin/python scripts/screenshots.py [--chromium /usr/bin/chromium] [--out docs/img]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

import ipgraph
from ipgraph import data, synth
from ipgraph.views.html import write_html

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def has_cjk_font() -> bool:
    """Whether fontconfig knows a font with Chinese glyphs."""
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    options = parser.parse_args()
    if not has_cjk_font():
        print("screenshots: no CJK font found; Chinese labels will show as boxes", file=sys.stderr)
    kg = ipgraph.load()
    with tempfile.TemporaryDirectory() as folder:
        synth.write(Path(folder) / "synthetic.nt", 30_000, seed=1)
        synthetic = ipgraph.load(
            data.vocabulary_file(), Path(folder) / "synthetic.nt", bundled=False
        )
        large = synthetic.view(max_nodes=2000)
    shots = {
        "overview": kg.view(),
        "neighbourhood": kg.view("CNIPA", depth=2),
        "path": kg.view(path=("MIIT", "universities")),
        "large": large,
    }
    options.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=options.chromium, args=ARGS)
        for name, view in shots.items():
            page_file = write_html(view, Path(folder) / f"{name}.html")
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(page_file.as_uri())
            page.wait_for_function("window.ipgraph && window.ipgraph.ready", timeout=60_000)
            if name == "path":  # show what a click reveals: the details of the start
                page.evaluate(f"ipgraph.showNode({view.meta['focus'][0]!r})")
            if name == "neighbourhood":  # a click: the details, the neighbours lit
                centre = view.meta["focus"][0]
                point = page.evaluate(
                    f"ipgraph.network.canvasToDOM(ipgraph.network.getPosition({centre!r}))"
                )
                box = page.locator("#graph").bounding_box()
                assert box is not None
                page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
                # Away from the node, still over the canvas: vis-network hides its tooltip.
                page.mouse.move(box["x"] + 5, box["y"] + box["height"] - 5)
                page.wait_for_timeout(800)
            target = options.out / f"{name}.png"
            page.screenshot(path=str(target))
            page.close()
            print(
                f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}"
                f"  {target.stat().st_size // 1024} KiB  ({len(view.nodes)} nodes)"
            )
        browser.close()


if __name__ == "__main__":
    main()
