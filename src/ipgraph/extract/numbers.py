"""Normalising figures: values, qualifiers, units and reference periods, English and Chinese.

Everything here works on plain strings and returns plain values; nothing is guessed that the
text does not say.

>>> parse_number("23,000"), parse_number("5.01 million"), parse_number("8.4万")
(Decimal('23000'), Decimal('5010000'), Decimal('84000'))
>>> parse_number("3500亿"), parse_number("350 billion"), parse_number("five")
(Decimal('350000000000'), Decimal('350000000000'), Decimal('5'))
>>> qualifier_before("a total of over "), qualifier_before("截至目前约")
('MoreThan', 'Approximately')
>>> reference("as of the end of 2020, there were"), reference("截至2021年底，全国")
(('date', '2020-12-31'), ('date', '2021-12-31'))
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal, InvalidOperation

_SCALE_EN = {
    "hundred": Decimal(100),
    "thousand": Decimal(1000),
    "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}
_SCALE_ZH = {
    "百": Decimal(100),
    "千": Decimal(1000),
    "万": Decimal(10) ** 4,
    "亿": Decimal(10) ** 8,
    "万亿": Decimal(10) ** 12,
}
WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "twice": 2, "double": 2, "triple": 3,
}  # fmt: skip
"""Spelled-out numbers read as figures ("one" and "first" are left out: too often not one)."""

_MORE = r"(?:more than|over|above|in excess of|exceeding|upwards of|超过|超|逾|多于|高于|突破)"
_ABOUT = r"(?:about|approximately|around|roughly|an estimated|some|约为|大约|约|左右)"
_NEAR = r"(?:nearly|almost|close to|接近|将近|近乎|几乎|近)"
_LESS = r"(?:less than|fewer than|under|below|不足|不到|少于|低于)"
_QUALIFIER_BEFORE = re.compile(
    rf"(?:(?P<MoreThan>{_MORE})|(?P<Approximately>{_ABOUT})|(?P<Nearly>{_NEAR})"
    rf"|(?P<LessThan>{_LESS}))\s*(?:a total of\s*|共|计|达|为)?$",
    re.I,
)
_QUALIFIER_AFTER = re.compile(
    r"^\s*(?:(?P<MoreThan>余|多|以上|or more|-?plus)|(?P<Approximately>左右))"
)

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}

_EN_DATE = re.compile(
    r"(?:(?P<d1>\d{1,2})\s+(?P<m1>[A-Z][a-z]{2,8})\.?,?\s+(?P<y1>\d{4})"
    r"|(?P<m2>[A-Z][a-z]{2,8})\.?\s+(?P<d2>\d{1,2}),?\s+(?P<y2>\d{4}))"
)
_ZH_DATE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_END_OF_YEAR = re.compile(
    r"(?:as of|by|at|until|till|to)\s+(?:the\s+)?end\s+of\s+(?P<y>\d{4})"
    r"|截至(?:到)?(?P<zy>\d{4})年(?:底|末|年底)",
    re.I,
)
_END_OF_MONTH = re.compile(
    r"(?:as of|by|at)\s+(?:the\s+)?end\s+of\s+(?P<m>[A-Z][a-z]{2,8})\s+(?P<y>\d{4})"
    r"|截至(?:到)?(?P<zy>\d{4})年(?P<zm>\d{1,2})月(?:底|末)?(?!\d)",
    re.I,
)
_AS_OF_DATE = re.compile(r"(?:as of|as at|by|截至|截止)\s*(?:到\s*)?$", re.I)
_PERIOD = re.compile(
    r"(?:\b(?:in|during|throughout|for)\s+(?:the\s+(?:year|whole year of)\s+)?"
    r"(?P<y>(?:19|20)\d{2})\b"
    r"(?![-–/]\d)|(?P<zy>(?:19|20)\d{2})年(?![底末\d]|\d{1,2}月))",
    re.I,
)


def parse_number(text: str) -> Decimal:
    """The value of a written number: digits with separators, a scale word or character,
    Chinese numerals (via cn2an) or a spelled-out English number.

    Args:
        text: e.g. "23,000", "5.01 million", "8.4万", "3500亿", "两千", "five".

    Returns:
        The value as a Decimal.

    Raises:
        ValueError: the text is not a number.

    >>> parse_number("1,300"), parse_number("两千"), parse_number("twice")
    (Decimal('1300'), Decimal('2000'), Decimal('2'))
    """
    raw = text.strip()
    lowered = raw.lower()
    if lowered in WORDS:
        return Decimal(WORDS[lowered])
    match = re.fullmatch(r"([\d,，]*\.?\d+)\s*([a-z]+|万亿|[百千万亿])?", lowered)
    if match:
        digits = match[1].replace(",", "").replace("，", "")
        scale_word = match[2] or ""
        scale = _SCALE_EN.get(scale_word) or _SCALE_ZH.get(scale_word)
        if scale_word and scale is None:
            raise ValueError(f"not a number: {text!r}")
        try:
            value = Decimal(digits)
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits digits only
            raise ValueError(f"not a number: {text!r}") from exc
        return _tidy(value * scale if scale else value)
    if re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿点]+", raw):
        import cn2an  # type: ignore[import-untyped]

        try:
            return _tidy(Decimal(str(cn2an.cn2an(raw, "smart"))))
        except ValueError as exc:
            raise ValueError(f"not a number: {text!r}") from exc
    raise ValueError(f"not a number: {text!r}")


def _tidy(value: Decimal) -> Decimal:
    """An integral value without trailing zeros (5.01 million is 5010000, not 5010000.00)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def qualifier_before(before: str) -> str | None:
    """The qualifier a text ending just before a number puts on it, if any.

    Returns ``MoreThan``, ``Approximately``, ``Nearly``, ``LessThan`` (which ipgraph has no
    qualifier for, so such figures are not proposed) or None.

    >>> qualifier_before("nearly "), qualifier_before("超过"), qualifier_before("in ")
    ('Nearly', 'MoreThan', None)
    """
    match = _QUALIFIER_BEFORE.search(before[-40:])
    if not match:
        return None
    return next(name for name, value in match.groupdict().items() if value)


def qualifier_match(before: str) -> re.Match[str] | None:
    """The match of `qualifier_before`, for its span."""
    return _QUALIFIER_BEFORE.search(before)


def qualifier_after(after: str) -> tuple[str, int, int] | None:
    """A qualifier written after the number ("1300余家", "100家以上" is handled by the caller).

    >>> qualifier_after("余家")
    ('MoreThan', 0, 1)
    """
    match = _QUALIFIER_AFTER.match(after)
    if not match:
        return None
    name = next(n for n, v in match.groupdict().items() if v)
    return name, match.start(name), match.end(name)


def reference(text: str) -> tuple[str, str] | None:
    """The reference date or period a sentence states, first one found.

    Returns ``("date", "YYYY-MM-DD")`` for "as of the end of 2020" / "截至2021年底" / an
    explicit date after "as of", ``("period", "YYYY")`` for "in 2021" / "2021年", else None.

    >>> reference("In 2021, CNIPA"), reference("截至2022年6月底"), reference("no year")
    (('period', '2021'), ('date', '2022-06-30'), None)
    """
    found = reference_span(text)
    return (found[0], found[1]) if found else None


def reference_span(text: str) -> tuple[str, str, int, int] | None:
    """`reference` with the span of the words that state it."""
    hits: list[tuple[int, str, str, int]] = []
    for match in _END_OF_YEAR.finditer(text):
        year = int(match["y"] or match["zy"])
        hits.append((match.start(), "date", f"{year}-12-31", match.end()))
    for match in _END_OF_MONTH.finditer(text):
        year = int(match["y"] or match["zy"])
        month = MONTHS.get((match["m"] or "").lower()) or int(match["zm"] or 0)
        if month:
            last = calendar.monthrange(year, month)[1]
            hits.append((match.start(), "date", f"{year}-{month:02d}-{last:02d}", match.end()))
    for date, start, end in dates(text):
        if _AS_OF_DATE.search(text[:start]):
            hits.append((start, "date", date, end))
    if not hits:
        for match in _PERIOD.finditer(text):
            hits.append((match.start(), "period", match["y"] or match["zy"], match.end()))
    if not hits:
        return None
    start, kind, value, end = min(hits)
    return kind, value, start, end


def dates(text: str) -> list[tuple[str, int, int]]:
    """Calendar dates written in a text, as ISO strings with their spans.

    >>> dates("issued on 15 March 2021 and on June 1, 2021; 2021年6月1日起施行")
    [('2021-03-15', 10, 23), ('2021-06-01', 31, 43), ('2021-06-01', 45, 54)]
    """
    found: list[tuple[str, int, int]] = []
    for match in _EN_DATE.finditer(text):
        month = MONTHS.get((match["m1"] or match["m2"]).lower().rstrip("."))
        day, year = int(match["d1"] or match["d2"]), int(match["y1"] or match["y2"])
        if month and 1 <= day <= calendar.monthrange(year, month)[1]:
            found.append((f"{year}-{month:02d}-{day:02d}", match.start(), match.end()))
    for match in _ZH_DATE.finditer(text):
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            found.append((f"{year}-{month:02d}-{day:02d}", match.start(), match.end()))
    return sorted(found, key=lambda d: d[1])


# Units: English head nouns and Chinese measure words, mapped to the unit individuals of the
# ontology (id:unit/...). Longer phrases first; the last unit word before the phrase ends wins.
UNIT_WORDS_EN: list[tuple[str, str]] = [
    (r"provincial[- ]level (?:administrative )?regions?|provinces?(?: and municipalities)?",
     "provincial-level-region"),
    (r"geographical indications?|GIs?\b", "geographical-indication"),
    (r"transactions?|deals?", "transaction"),
    (r"enterprises?|companies|company|firms?|SMEs?\b|businesses", "enterprise"),
    (r"employees?|people|persons?|staff|practitioners?|professionals?|students?|participants?"
     r"|attendees?|trainees?|examiners?|workers?|talents?|experts?", "person"),
    (r"universities|university|colleges?|institutes?|institutions?|organi[sz]ations?"
     r"|providers?|agencies|agency|firms|schools?|hospitals?|bodies", "organization"),
    (r"cent(?:er|re)s?|bases?|stations?|hubs?|workstations?|platforms?", "centre"),
    (r"cases?", "case"),
    (r"consecutive years|years?", "year"),
    (r"yuan|RMB|CNY", "yuan"),
    (r"patents?|applications?|registrations?|trademarks?|designs?|items?|documents?"
     r"|projects?|events?|sessions?|activities|disputes?|licen[cs]es?|contracts?|rights"
     r"|works?|inventions?|pledges?|loans?|cities|counties|parks?|regions?", "item"),
]  # fmt: skip
_UNIT_EN = [(re.compile(rf"\b(?:{pattern})", re.I), unit) for pattern, unit in UNIT_WORDS_EN]
_UNIT_STOP = re.compile(
    r"[,.;:!?()，。；：！？（）]|\b(?:of|were|was|is|are|have|has|had|in|by|with|from|at|which"
    r"|that|who|to|for|on|as|than|accounting|per|each|during|compared|including|like)\b",
    re.I,
)

UNIT_WORDS_ZH: list[tuple[str, str]] = [
    ("家企业|户企业|家中小企业", "enterprise"),
    ("家", "organization"),
    ("人次|名|人", "person"),
    ("笔", "transaction"),
    ("个省(?:份|区市|（区、市）|\\(区、市\\))?|个省级行政区|个省市", "provincial-level-region"),
    ("个(?:地理标志|地标)", "geographical-indication"),
    ("个(?:中心|基地|工作站|服务站|站点|平台)|(?:中心|基地)", "centre"),
    ("个(?:典型)?案例", "case"),
    ("元|亿元|万元", "yuan"),
    ("件|项|个|次|批|部", "item"),
]
_UNIT_ZH = [(re.compile(pattern), unit) for pattern, unit in UNIT_WORDS_ZH]


def unit_after(after: str) -> tuple[str, int, int] | None:
    """The unit named just after a number, with its span in ``after``.

    English: the last unit word of the noun phrase that follows (up to a verb, a preposition
    or punctuation), so "23,000 patent transfer and licensing transactions were" is counted
    in transactions. Chinese: the measure word right after the number ("家企业", "件", "元").

    >>> unit_after(" patent transfer and licensing transactions were conducted")
    ('transaction', 31, 43)
    >>> unit_after("家企业参与"), unit_after("% of the total")
    (('enterprise', 0, 3), ('percent', 0, 1))
    """
    match = re.match(r"\s*(%|％|percent\b|per cent\b)", after)
    if match:
        return "percent", match.start(1), match.end(1)
    match = re.match(r"\s*(times\b|-?fold\b|倍)", after)
    if match:
        return "times", match.start(1), match.end(1)
    if re.match(r"[\u3400-\u9fff]", after):
        for pattern, unit in _UNIT_ZH:
            match = pattern.match(after)
            if match:
                return unit, match.start(), match.end()
        return None
    stop = _UNIT_STOP.search(after)
    phrase = after[: stop.start()] if stop else after
    phrase = phrase[:80]
    if re.match(r"\s*\d", phrase):
        return None
    best: tuple[int, str, int, int] | None = None
    for pattern, unit in _UNIT_EN:
        for match in pattern.finditer(phrase):
            if re.search(r"\d", phrase[: match.start()]):
                continue  # past the next number: another figure's phrase
            if best is None or match.end() > best[0]:
                best = (match.end(), unit, match.start(), match.end())
    if best is None:
        return None
    return best[1], best[2], best[3]
