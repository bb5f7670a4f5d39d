"""Take the README's screenshot of the query page: docs/img/query.png.

Serves the bundled graph on a free loopback port (the editor bundle must be built: ``make
bundle``), opens the query page in headless Chromium (Debian's, driven by Playwright), runs
the named query ``connections`` for CNIPA (its parameter filled in the form) and saves a PNG.

Usage:
    .venv/bin/python scripts/screenshot_query.py [--chromium /usr/bin/chromium] [--out docs/img]
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import uvicorn
from playwright.sync_api import sync_playwright

import ipgraph
from ipgraph.web.app import create_app, listen

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    options = parser.parse_args()
    kg = ipgraph.load()
    sock = listen("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(kg, graphs_dir=None), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    named = kg.named_queries()["connections"]
    url = (
        base
        + "/?"
        + urlencode({"example": "connections", "param": "entity=CNIPA", "query": named.text})
    )
    target = options.out / "query.png"
    options.out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=options.chromium, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url)
            page.wait_for_selector("#results-table td .label")
            page.screenshot(path=str(target))
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
    print(f"{target}  {target.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
