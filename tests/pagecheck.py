"""Helpers for the page tests: what a page embeds and which tags it has (no browser)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any


def embedded(page: str) -> dict[str, Any]:
    """The view data a page carries in its JSON script element."""
    found = re.search(
        r'<script type="application/json" id="ipgraph-data">(.*?)</script>', page, re.S
    )
    assert found, "the page carries no view data"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags
