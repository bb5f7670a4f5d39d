"""Policy documents: titles, numbers, classes, issuers and dates.

A title is recognised by its form: in italics, in quotes or 《》, as a known document name, or
by a document word and its preposition in Title Case ("Notice on …", "Guidelines for …"), or in
lower case when it ends with its years ("the outline to … (2021-2035)"). Standard numbers
(GB/T 39551-2020) and document numbers (…〔2021〕10号) are read from the title or right after it.
Issuers come from the sentence: the organizations before the title, and after it those that
follow a cue ("jointly with", "in a concerted effort with", "by", "会同", "联合印发", "由");
when a title is issued in the passive voice without an agent, the report's publisher is the
issuer (the report speaks of its own work), with a lower confidence — except for national
standards, which the standards bodies issue (the report's publisher may only have drafted one).

>>> document_class("Notice on Strengthening Patent Navigation")
'Notice'
>>> document_class("关于加强专利导航工作的通知")
'Notice'
>>> split_number("Guidelines for Patent Navigation (GB/T 39551-2020)")
('Guidelines for Patent Navigation', 'GB/T 39551-2020')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EN_KINDS: list[tuple[str, str]] = [
    (r"Collection|Compilation|Casebook", "CaseCollection"),
    (r"Guiding Opinions?|Opinions?", "Opinion"),
    (r"Notice|Circular|Announcement", "Notice"),
    (r"Guidelines?|Guide", "Guideline"),
    (r"Outline|Plan|Programme|Roadmap", "Plan"),
    (r"Report|White Paper|Yearbook|Bulletin", "Report"),
    (r"Index", "Index"),
    (r"Standards?", "NationalStandard"),
    (r"Measures|Regulations?|Provisions|Rules|Law|Decision|Interpretation|Catalogue|Catalog"
     r"|Methods|Implementing", "PolicyDocument"),
]  # fmt: skip
_ZH_KINDS: list[tuple[str, str]] = [
    (r"(?:案例|典型案例)(?:汇编|集|选编)$|汇编$", "CaseCollection"),
    (r"(?:指导)?意见(?:（[^）]*）)?$", "Opinion"),
    (r"通知$|通告$|公告$", "Notice"),
    (r"(?:指引|指南)(?:（[^）]*）)?$", "Guideline"),
    (r"(?:规划|纲要|计划|方案)(?:（[^）]*）)?$", "Plan"),
    (r"(?:报告|白皮书|年报)(?:（[^）]*）)?$", "Report"),
    (r"指数(?:（[^）]*）)?$", "Index"),
]
DOC_WORD = "|".join(p for p, _ in _EN_KINDS)
_PREP = r"(?:on|for|to|of|concerning|regarding|about|in)"
_CONNECT = r"(?:of|on|for|and|the|in|to|with|among|during|by|from|at|a|an|&|under|into)"
_CAP = r"(?:[A-Z0-9][\w'’\-]*|\([^()]{1,60}\)|“[^”]{1,30}”|\"[^\"]{1,30}\")"
TITLE_CASE = re.compile(
    rf"(?<![\w])(?:[A-Z][\w\-]*\s+){{0,5}}(?:{DOC_WORD})\s+{_PREP}\s+"
    rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)*{_CAP})*"
)
LOWER_CASE = re.compile(
    r"\bthe\s+(?P<t>(?:(?!of\b|the\b|and\b)[a-z][\w\-]*\s+){0,3}(?:outline|plan|opinions|guidelines|measures"
    r"|regulations|notice|program|programme)\s+(?:to|for|on|of)\s+[^,.;:()]{5,160}?"
    r"(?:\s\((?:\d{4}\s*[-–—－]\s*\d{4}|\d{4})\)|during the \d+(?:st|nd|rd|th) Five-Year Plan"
    r"(?: period)?))"
)
ZH_TITLE = re.compile(r"《(?P<t>[^《》\n]{2,80})》")
QUOTED = re.compile(r"[“\"](?P<t>[^”\"\n]{3,200})[”\"]")
STANDARD = re.compile(r"\bGB(?:\s*/\s*[TZ])?\s*(?P<n>\d+(?:\.\d+)?)\s*[-–—－]\s*(?P<y>\d{4})")
DOC_NUMBER = re.compile(
    r"[\u3400-\u9fff]{1,12}[〔\[［(（](?:19|20)\d{2}[〕\]］)）]\s*(?:第\s*)?\d+\s*号"
    r"|\[(?:19|20)\d{2}\]\s*No\.\s*\d+"
)
YEARS = re.compile(r"[(（]\s*(?P<a>(?:19|20)\d{2})\s*[-–—－~至]\s*(?P<b>(?:19|20)\d{2})\s*年?[)）]")

ISSUE_VERBS = re.compile(
    r"\b(?:issued|released|published|promulgated|formulated|compiled|unveiled|introduced"
    r"|rolled out|printed and distributed|announced|adopted|revised|drafted|launched)\b"
    r"|印发|发布|出台|颁布|制定|编制|公布|发出|修订|联合下发|下发|推出",
    re.I,
)
PASSIVE = re.compile(
    r"\b(?:was|were|has been|have been|had been|is|are|being)\s+(?:\w+ly\s+)?(?:jointly\s+)?"
    r"(?:issued|released|published|promulgated|formulated|compiled|unveiled|introduced|revised"
    r"|adopted|printed)\b"
    r"|^\s*[》」]?\s*(?:印发|发布|出台|颁布|制定|编制|公布)",
    re.I,
)
JOINT = re.compile(
    r"\b(?:jointly with|in a (?:concerted|joint) effort with|in (?:cooperation|collaboration"
    r"|conjunction|partnership) with|together with|along with|co-issued with|with|by)\b"
    r"|会同|联合|与|同|和|由|及",
    re.I,
)
NOT_ISSUER_BEFORE = re.compile(
    r"\b(?:according to|pursuant to|under|in line with)\b|根据|按照|依据"
)
OTHER_DEPARTMENTS = re.compile(
    r"\band other (?:related |relevant |concerned )?(?:departments|ministries|agencies|authorities)"
    r"|等(?:\d+个|[一二三四五六七八九十]+个)?(?:有关)?(?:部门|单位|部委)",
    re.I,
)
IN_FORCE = re.compile(
    r"\b(?:entered into force|enter into force|came into (?:force|effect)|took effect|take effect"
    r"|effective(?: from| as of)?|in force from|implemented from)\b|起施行|起实施|起生效|施行|生效",
    re.I,
)


def document_class(title: str) -> str:
    """The ipgraph class (local name) a title's head word points to; "PolicyDocument" if none.

    English titles take the document word before the first preposition ("Notice on …",
    "Statistical Report on …"), else the last one ("… Development Index 2021"); Chinese
    titles their last word ("…的通知", "…纲要（2021－2035年）").

    >>> document_class("China Trademark and Brand Development Index 2021")
    'Index'
    >>> document_class("Collection of Typical Cases of Rural Revitalization")
    'CaseCollection'
    >>> document_class("知识产权强国建设纲要（2021－2035年）")
    'Plan'
    """
    if re.search(r"[\u3400-\u9fff]", title):
        for pattern, kind in _ZH_KINDS:
            if re.search(pattern, title):
                return kind
        return "PolicyDocument"
    head = re.split(rf"\s{_PREP}\s", title, maxsplit=1)[0]
    for part in (head, title):
        best: tuple[int, str] | None = None
        for pattern, kind in _EN_KINDS:
            for match in re.finditer(rf"\b(?:{pattern})\b", part, re.I):
                if best is None or match.start() > best[0]:
                    best = (match.start(), kind)
        if best:
            return best[1]
    return "PolicyDocument"


def split_number(title: str) -> tuple[str, str | None]:
    """A title without a trailing standard number in parentheses, and that number.

    >>> split_number("专利导航指南（GB/T 39551-2020）")
    ('专利导航指南', 'GB/T 39551-2020')
    >>> split_number("Guidelines (2021)")
    ('Guidelines (2021)', None)
    """
    match = re.search(r"\s*[(（]\s*(" + STANDARD.pattern + r")\s*[)）]\s*$", title)
    if not match:
        return title, None
    return title[: match.start()], standard_number(match[1])


def standard_number(text: str) -> str:
    """A GB standard number in the form ipgraph's shapes require ("GB/T 39551-2020").

    >>> standard_number("GB/T39551—2020")
    'GB/T 39551-2020'
    """
    match = STANDARD.search(text)
    if not match:
        raise ValueError(f"not a standard number: {text!r}")
    prefix = re.sub(r"\s+", "", text[match.start() : match.start("n")])
    return f"{prefix} {match['n']}-{match['y']}"


def looks_like_title(text: str) -> bool:
    """Whether emphasised or quoted text reads as a document title.

    >>> looks_like_title("Notice on Strengthening Patent Navigation"), looks_like_title("not")
    (True, False)
    """
    if re.search(r"[\u3400-\u9fff]", text):
        return document_class(text) != "PolicyDocument" or len(text) >= 6
    words = text.split()
    if not words or not (words[0][0].isupper() or words[0][0].isdigit()):
        return False
    has_word = re.search(rf"\b(?:{DOC_WORD})\b", text) is not None
    return has_word and len(words) >= 2


@dataclass
class TitleSpan:
    """A title found in the clean view: where, how it was found, how sure."""

    start: int
    end: int
    how: str
    confidence: float


def find_titles(view: str, emphasis: list[tuple[int, int]]) -> list[TitleSpan]:
    """Title spans in the clean view, from emphasis, 《》, quotes and title patterns.

    Args:
        view: the clean view text.
        emphasis: view spans of emphasised text.

    >>> view = "CNIPA issued the Notice on Patent Pledges in 2021."
    >>> [view[t.start:t.end] for t in find_titles(view, [])]
    ['Notice on Patent Pledges']
    """
    found: list[TitleSpan] = []
    for start, end in emphasis:
        if looks_like_title(view[start:end]):
            found.append(TitleSpan(start, end, "italics", 0.9))
    for match in ZH_TITLE.finditer(view):
        found.append(TitleSpan(match.start("t"), match.end("t"), "《》", 0.95))
    for match in QUOTED.finditer(view):
        if looks_like_title(match["t"]):
            found.append(TitleSpan(match.start("t"), match.end("t"), "quotes", 0.85))
    for match in TITLE_CASE.finditer(view):
        start, end = match.start(), match.end()
        text = view[start:end]
        trimmed = re.sub(r"^(?:The|A|An)\s+", "", text)
        start += len(text) - len(trimmed)
        trimmed = re.sub(r"\s+(?:in|during|since|by|from|at|on)\s+(?:19|20)\d{2}$", "", trimmed)
        end = start + len(re.sub(rf"(?:\s+{_CONNECT})+$", "", trimmed))
        found.append(TitleSpan(start, end, "title case", 0.7))
    for match in LOWER_CASE.finditer(view):
        found.append(TitleSpan(match.start("t"), match.end("t"), "descriptive title", 0.6))
    found.sort(key=lambda t: (t.start, -t.confidence, -(t.end - t.start)))
    kept: list[TitleSpan] = []
    for title in found:
        if any(title.start < k.end and k.start < title.end for k in kept):
            continue
        kept.append(title)
    return kept
