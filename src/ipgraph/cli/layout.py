"""Output people can read: tables that fit the terminal, numbers with thousands separators.

Full values stay available in ``--format json`` / ``csv``; these helpers shape only the text a
person reads.

>>> count(999995), count(23000.0), count(17.5)
('999,995', '23,000', '17.5')
>>> print(fit_table([("1", "a long long label")], ["#", "label"], width=12))
#  label
-  ---------
1  a long l…
"""

from __future__ import annotations

import os
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from ipgraph.cli.common import table

__all__ = ["count", "display_width", "fit_table", "terminal_width"]

_MIN_COLUMN = 6  # a column is never cut narrower than this
_GAP = 2  # spaces between columns (as `table` lays them out)


def count(value: int | float | Decimal) -> str:
    """A number as people write it: whole numbers without ``.0``, thousands separated.

    >>> count(1), count(1908.0), count(Decimal("73000.0")), count(0.25)
    ('1', '1,908', '73,000', '0.25')
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return f"{int(value):,}"
        return str(value.normalize())
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


def terminal_width() -> int | None:
    """The columns of the terminal (``COLUMNS``, else the tty's), or None when output goes
    to a pipe or a file: then nothing is cut (``ipgraph query --list | grep ...``)."""
    if "COLUMNS" not in os.environ and not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size((100, 24)).columns


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese (wide) characters take two.

    >>> display_width("MOE"), display_width("教育部")
    (3, 6)
    """
    if text.isascii():  # most cells: no per-character lookups
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        size = display_width(ch)
        if used + size > width - 1:
            break
        out += ch
        used += size
    return out.rstrip() + "…"


def fit_table(
    rows: Sequence[Sequence[str]], headers: Sequence[str], width: int | None = None
) -> str:
    """`table`, with the widest columns cut (ending in "…") until a line fits ``width``
    (default: the terminal's width; none when output is not a terminal).

    Args:
        rows: the cells, as text.
        headers: the column names (never cut).
        width: the columns available.
    """
    limit = width if width is not None else terminal_width()
    cells = [[str(c) for c in row] for row in rows]
    if limit is None:
        return table(cells, headers)
    sizes = [
        max([display_width(h), *(display_width(r[i]) for r in cells)])
        for i, h in enumerate(headers)
    ]
    floors = [max(_MIN_COLUMN, display_width(h)) for h in headers]
    while sum(sizes) + _GAP * (len(sizes) - 1) > limit:
        widest = max(range(len(sizes)), key=lambda i: sizes[i] - floors[i])
        if sizes[widest] <= floors[widest]:
            break  # every column at its floor: let the terminal wrap
        sizes[widest] -= 1
    cut = [[_cut(c, sizes[i]) for i, c in enumerate(row)] for row in cells]
    return table(cut, headers)
