"""Figures: numbers stated in the text, with qualifier, unit, reference period and subject.

Works on the clean view of one passage at a time (see `ipgraph.extract.reader.CleanView`) and
returns view offsets; the pipeline maps them back to the input. A figure is proposed only when
its unit is named (a bare number is more often an identifier than a statistic) and its
qualifier is one ipgraph has (figures stated as "less than" are left out).

>>> figures = find_figures("In 2021, over 23,000 transactions were made, up nearly 30%.", 0, [])
>>> [(f.surface, f.value, f.qualifier, f.unit) for f in figures][0]
('over 23,000 transactions', Decimal('23000'), 'MoreThan', 'transaction')
>>> [(f.surface, f.value, f.qualifier, f.unit) for f in figures][1]
('nearly 30%', Decimal('30'), 'Nearly', 'percent')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ipgraph.extract.numbers import (
    WORDS,
    parse_number,
    qualifier_after,
    qualifier_match,
    unit_after,
)

_EN_NUMBER = re.compile(
    r"(?<![0-9A-Za-z_./\-–])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>hundred|thousand|million|billion|trillion|mn|bn)\b)?"
    r"(?![\w/]|[-–]\d|\.\d)"
)
_ZH_NUMBER = re.compile(
    r"(?<![0-9A-Za-z_.])(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)(?P<scale>万亿|亿|万|千)?"
    r"(?=[余多]?[\u3400-\u9fff%％])"
)
_SPELLED = re.compile(r"\b(?P<num>" + "|".join(WORDS) + r")\b(?![-–])", re.I)
_ORDINAL = re.compile(
    r"(?<![0-9A-Za-z_.])(?P<num>\d{1,3})(?:st|nd|rd|th)\b|第(?P<zh>\d{1,3}|[一二三四五六七八九十百]+)届"
)
_YEAR_CUE = re.compile(
    r"(?:\b(?:in|since|by|of|from|to|until|till|during|year|end of|before|after)\s*|[-–(])$", re.I
)


@dataclass
class FoundFigure:
    """A figure in view offsets of one passage's text (plus the passage offset)."""

    start: int
    end: int
    surface: str
    value: Decimal
    qualifier: str
    unit: str
    value_span: tuple[int, int]
    unit_span: tuple[int, int] | None
    qualifier_span: tuple[int, int] | None
    confidence: float
    ordinal: bool = False


def find_figures(
    text: str,
    offset: int,
    excluded: list[tuple[int, int]],
    chinese: bool = False,
    ordinals_in: list[tuple[int, int]] | None = None,
) -> list[FoundFigure]:
    """Figures in one passage.

    Args:
        text: the passage's clean text.
        offset: where the passage starts in the clean view (added to every span).
        excluded: view spans not to read numbers in (titles, document numbers, dates).
        chinese: whether to read Chinese numbers and measure words too.
        ordinals_in: view spans in ``excluded`` where ordinals are read all the same (titles:
            "the 14th Five-Year Plan").

    Returns:
        `FoundFigure` values in text order, spans in view offsets.

    >>> found = find_figures("约8.4万家企业，超过3500亿元", 0, [], True)
    >>> [(f.value, f.unit, f.qualifier) for f in found][0]
    (Decimal('84000'), 'enterprise', 'Approximately')
    >>> [(f.value, f.unit, f.qualifier) for f in found][1]
    (Decimal('350000000000'), 'yuan', 'MoreThan')
    """
    found: list[FoundFigure] = []
    taken: list[tuple[int, int]] = list(excluded)

    def free(start: int, end: int, ordinal: bool = False) -> bool:
        if ordinal and any(s - offset <= start and end <= e - offset for s, e in ordinals_in or ()):
            return all(end <= s - offset or start >= e - offset for s, e in found_spans)
        return all(end <= s - offset or start >= e - offset for s, e in taken)

    found_spans: list[tuple[int, int]] = []

    patterns = [_ORDINAL, _EN_NUMBER, _SPELLED] + ([_ZH_NUMBER] if chinese else [])
    for pattern in patterns:
        for match in pattern.finditer(text):
            if not free(match.start(), match.end(), pattern is _ORDINAL):
                continue
            figure = _read(text, match, pattern is _ORDINAL, pattern is _ZH_NUMBER)
            if figure is None:
                continue
            figure.start += offset
            figure.end += offset
            figure.value_span = (figure.value_span[0] + offset, figure.value_span[1] + offset)
            if figure.unit_span:
                figure.unit_span = (figure.unit_span[0] + offset, figure.unit_span[1] + offset)
            if figure.qualifier_span:
                q = figure.qualifier_span
                figure.qualifier_span = (q[0] + offset, q[1] + offset)
            found.append(figure)
            taken.append((figure.start, figure.end))
            found_spans.append((figure.start, figure.end))
    found.sort(key=lambda f: f.start)
    return found


def _read(text: str, match: re.Match[str], ordinal: bool, zh: bool) -> FoundFigure | None:
    if ordinal:
        number = match["num"] or match["zh"]
        try:
            value = parse_number(number)
        except ValueError:
            return None
        span = (match.start(), match.end())
        return FoundFigure(
            *span, match[0], value, "Exactly", "ordinal", span, None, None, 0.7, ordinal=True
        )
    number = match["num"]
    scale = match.groupdict().get("scale") or ""
    written = f"{number} {scale}" if scale and not zh else number + scale
    try:
        value = parse_number(written.replace(" ", " ") if not zh else number + scale)
    except ValueError:
        return None
    if zh and re.fullmatch(r"[一两]", number) and not scale:
        return None  # "一个", "两项": an article more often than a figure
    value_span = (match.start(), match.end())
    after_at = match.end()
    after_q = qualifier_after(text[after_at:])
    q_after_span: tuple[int, int] | None = None
    if after_q and zh:
        q_after_span = (after_at + after_q[1], after_at + after_q[2])
        after_at += after_q[2]
    if match.re is _SPELLED and number.lower() in ("twice", "double", "triple"):
        unit: tuple[str, int, int] | None = ("times", 0, 0)
        unit_span = None
    else:
        unit = unit_after(text[after_at:])
        unit_span = (after_at + unit[1], after_at + unit[2]) if unit else None
    if unit is None:
        return None
    before = text[: match.start()]
    if _is_year(number, scale, before, text[match.end() :], unit[0]):
        return None
    if unit[0] == "yuan" and zh:
        value = value  # 亿元 / 万元: the scale is already in the number's match or the unit word
        unit_word = text[unit_span[0] : unit_span[1]] if unit_span else ""
        if unit_word in ("亿元", "万元"):
            value = (value * Decimal(10) ** (8 if unit_word == "亿元" else 4)).quantize(Decimal(1))
    q_match = qualifier_match(before)
    qualifier = "Exactly"
    q_span: tuple[int, int] | None = None
    if q_match:
        qualifier = next(n for n, v in q_match.groupdict().items() if v)
        q_span = (q_match.start(qualifier), q_match.end(qualifier))
    elif after_q and zh:
        qualifier, q_span = after_q[0], q_after_span
    elif unit_span and zh:
        tail = re.match(r"以上", text[unit_span[1] :])
        if tail:
            qualifier, q_span = "MoreThan", (unit_span[1], unit_span[1] + 2)
    if qualifier == "LessThan":
        return None
    start = q_span[0] if q_span and q_span[0] < value_span[0] else value_span[0]
    end = max(value_span[1], unit_span[1] if unit_span else 0, q_span[1] if q_span else 0)
    confidence = 0.9 if unit[0] in ("percent", "times", "yuan") else 0.8
    if match.re is _SPELLED:
        confidence = 0.6
    return FoundFigure(
        start, end, text[start:end], value, qualifier, unit[0], value_span, unit_span, q_span,
        confidence,
    )  # fmt: skip


def _is_year(number: str, scale: str, before: str, after: str, unit: str) -> bool:
    if scale or not re.fullmatch(r"(?:19|20)\d{2}", number):
        return False
    if after.startswith("年") or unit == "year":
        return True
    return bool(_YEAR_CUE.search(before[-20:])) or not after[:1].isspace()
