"""Text folding for the name index (`ipgraph.store.names`): keys, terms, acronyms, CJK.

Pure functions on strings, no I/O. A name is folded once when it is indexed and a query the same
way when it is searched, so both sides agree on case, full-width forms and punctuation.

>>> fold("“Blue Sky” special campaign")
'blue sky special campaign'
>>> compact("GB/T 39551-2020")
'gbt395512020'
>>> terms("工信部 MIIT")
'工 信 部 miit'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "ABBREVIATIONS",
    "BROADER_TERMS",
    "STOPWORDS",
    "Analyzed",
    "analyze",
    "compact",
    "edit_distance",
    "fold",
    "has_cjk",
    "in_order_span",
    "initials",
    "latin_words",
    "terms",
]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_WORD = re.compile(r"[^\W_]+")
_LATIN_WORD = re.compile(r"[a-z]+")
_TERM = re.compile(f"[{_CJK}]|[^\\s{_CJK}]+")  # a CJK character, or a run of other letters


@functools.cache
def _punctuation() -> re.Pattern[str]:
    """Runs of punctuation, symbols, separators and controls of the Basic Multilingual Plane
    (what `fold` makes one space): built on first use, as it reads 65,536 character
    categories, which commands that fold no text should not wait for."""
    ranges: list[list[int]] = []
    for cp in range(0x10000):
        if unicodedata.category(chr(cp))[0] in "PSZC":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    members = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[{members}]+")


STOPWORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "the", "to", "with"]
)
"""English words left out of acronyms (``MIIT`` = Ministry of Industry and Information
Technology)."""

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    # Each row is a fact of general Chinese usage (what a dictionary gives for the short form),
    # never a fact about this graph: a name is found through it only if the graph holds the
    # expansion. Short forms whose characters appear in order in the full name
    # (发改委 → 发展和改革委员会) need no row: the index matches characters in order.
    "高校": ("高等学校", "高等院校"),  # institutions of higher education
    "科研": ("科学研究",),  # scientific research
    "知产": ("知识产权",),  # intellectual property
    "国知局": ("国家知识产权局",),  # China National Intellectual Property Administration
    "中小微": ("中小微企业",),  # micro, small and medium enterprises
}
"""Well-known Chinese short forms and their expansions, searched as well as the short form."""

BROADER_TERMS: dict[str, tuple[str, ...]] = {
    # Each row is a fact of general Chinese usage: an everyday word and the formal category
    # names that include what it names, as policy documents write them. A name is found
    # through a row only if the graph holds one of these names.
    "大学": ("高等院校", "高等学校", "高校"),  # a university is an institution of higher education
}
"""Everyday Chinese words and the formal names of the categories they belong to, searched
after the word itself (``related``)."""


def fold(text: str) -> str:
    """Fold case, full-width forms and punctuation: the form names are compared in.

    Punctuation and symbols become spaces, runs of spaces one space.

    >>> fold("  Ｍinistry  of\\nFinance ")
    'ministry of finance'
    >>> fold("知识产权强国建设纲要（2021－2035年）")
    '知识产权强国建设纲要 2021 2035年'
    """
    return _punctuation().sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


@dataclass(frozen=True)
class Analyzed:
    """Everything the index stores about one name, from one `fold`.

    >>> a = analyze("Ministry of Finance")
    >>> a.key, a.terms, a.size, sorted(a.acronyms), a.words
    ('ministryoffinance', 'ministry of finance', 3, ['mf', 'mof'], ['ministry', 'finance'])
    """

    key: str
    terms: str
    size: int
    acronyms: set[str]
    words: list[str]


def analyze(text: str) -> Analyzed:
    """Fold ``text`` once and derive its key, full-text terms, acronyms and Latin words
    (those of 3 letters or more, for typo look-ups)."""
    folded = fold(text)
    if _CJK_CHAR.search(folded) is None:  # most names: the folded words are the terms
        spaced, size = folded, folded.count(" ") + 1 if folded else 0
        initials_ = _initials(folded, cjk=False)
    else:
        parts = _TERM.findall(folded)
        spaced, size, initials_ = " ".join(parts), len(parts), _initials(folded)
    return Analyzed(
        folded.replace(" ", ""),
        spaced,
        size,
        initials_,
        [w for w in _LATIN_WORD.findall(folded) if len(w) >= 3],
    )


def compact(text: str) -> str:
    """`fold` without spaces: the key exact and prefix matches use (``GB/T39551`` = ``GB/T 39551``).

    >>> compact("Ministry of  Finance")
    'ministryoffinance'
    """
    return fold(text).replace(" ", "")


def terms(text: str) -> str:
    """The text full-text search indexes: folded words, each CJK character a term of its own.

    >>> terms("国家知识产权局 (CNIPA)")
    '国 家 知 识 产 权 局 cnipa'
    """
    return analyze(text).terms


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese (CJK) character.

    >>> has_cjk("MIIT"), has_cjk("工信部")
    (False, True)
    """
    return _CJK_CHAR.search(text) is not None


def cjk_chars(text: str) -> str:
    """The CJK characters of ``text``, in order.

    >>> cjk_chars("“十四五”规划 2021")
    '十四五规划'
    """
    return "".join(_CJK_CHAR.findall(text))


def latin_words(text: str) -> list[str]:
    """The folded words of ``text`` made of Latin letters only (what typos are looked up in).

    >>> latin_words("Minstry of Finance, 2021")
    ['minstry', 'of', 'finance']
    """
    return _LATIN_WORD.findall(fold(text))


def initials(text: str) -> set[str]:
    """Acronyms a multi-word name may be known by: the initials of all its words, of its words
    but stop words, and of its words but stop words other than "of" (MOST, MOE, MOF).

    >>> sorted(initials("Ministry of Industry and Information Technology"))
    ['miit', 'moiait', 'moiit']
    >>> sorted(initials("Ministry of Science and Technology"))
    ['mosat', 'most', 'mst']
    >>> initials("Finance")
    set()
    """
    return _initials(fold(text))


def _initials(folded: str, cjk: bool = True) -> set[str]:
    if " " not in folded:
        return set()
    words = _WORD.findall(folded)
    if cjk:
        words = [w for w in words if not _CJK_CHAR.search(w)]
    if len(words) < 2:
        return set()
    every = "".join(w[0] for w in words)
    content = "".join(w[0] for w in words if w not in STOPWORDS)
    keep_of = "".join(w[0] for w in words if w == "of" or w not in STOPWORDS)
    return {a for a in (every, content, keep_of) if len(a) >= 2}


def in_order_span(query: str, text: str) -> int | None:
    """The length of the shortest stretch of ``text`` holding ``query``'s characters in order.

    How Chinese short forms are made: 发改委 keeps 发, 改 and 委 of 发展和改革委员会.

    >>> in_order_span("发改委", "国家发展和改革委员会")
    6
    >>> in_order_span("改发", "国家发展和改革委员会") is None
    True
    """
    best: int | None = None
    for start, ch in enumerate(text):
        if ch != query[0]:
            continue
        pos = start
        for want in query[1:]:
            pos = text.find(want, pos + 1)
            if pos < 0:
                return best
        span = pos - start + 1
        if best is None or span < best:
            best = span
    return best


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it exceeds ``limit``.

    >>> edit_distance("minstry", "ministry"), edit_distance("finance", "france", limit=1)
    (1, 2)
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)
