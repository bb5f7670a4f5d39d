"""New entities: names of organizations and programs the name table does not know.

English: a run of capitalised words around an organization word ("National Forestry and
Grassland Administration (NFGA)") or a program word ("China International Patent Fair"), and
quoted names ("Blue Sky"); Chinese: a run of nouns ending in an organization suffix
("国家林业和草原局", cut with jieba), and quoted names followed by a program word
(“蓝天”专项整治行动). Each comes with its class (local name) and span in the clean view.

>>> [(n.label, n.cls, n.acronym) for n in find_new_names(
...     "It acted with the National Forestry and Grassland Administration (NFGA).")]
[('National Forestry and Grassland Administration', 'Agency', 'NFGA')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipgraph.extract.linker import load_jieba

_ORG_WORDS: list[tuple[str, str]] = [
    ("Ministry", "Ministry"),
    ("Administration|Commission|Bureau|Office|Council|Court|Procuratorate|Agency|Department"
     "|Authority|Government|Congress", "Agency"),
    ("Academy", "Academy"),
    ("Association|Federation|Society|Alliance|Chamber|Union", "Association"),
    ("Committee", "Committee"),
    ("University|Institute|Center|Centre|Corporation|Company|Group|Bank|Foundation|Office",
     "Organization"),
]  # fmt: skip
_PROGRAM_WORDS: list[tuple[str, str]] = [
    ("Award|Awards|Prize", "Award"),
    ("Expo|Exposition|Fair|Exhibition", "Expo"),
    ("Forum|Conference|Summit|Symposium", "Meeting"),
    ("Day|Week|Festival|Competition|Contest", "Event"),
    ("Campaign|Tour|Initiative", "Campaign"),
]
_WORD_CLASS = [(re.compile(rf"\b(?:{w})\b"), c, "org") for w, c in _ORG_WORDS]
_WORD_CLASS += [(re.compile(rf"\b(?:{w})\b"), c, "program") for w, c in _PROGRAM_WORDS]
_CONNECT = {"of", "and", "for", "on", "the", "&", "in"}
_CAP_TOKEN = re.compile(r"\(?[A-Z][\w'’\-]*\)?|\d{1,3}(?:st|nd|rd|th)|[A-Z]{2,}(?:-[A-Z]{2,})*")
_TOKEN = re.compile(r"\([^()\s]{1,40}\)|\([A-Z][^()]{0,40}\)|[\w'’\-&]+")
_QUOTED = re.compile(r"[“\"](?P<t>[^”\"\n]{2,60})[”\"]")
_QUOTED_PROGRAM_CUE = re.compile(
    r"(campaign|action|project|programme|program|mechanism|tour|initiative)", re.I
)
_QUOTE_CLASS = {"campaign": "Campaign", "action": "Campaign", "tour": "Campaign"}
_QUOTE_CLASS |= {"initiative": "Campaign", "project": "Project", "mechanism": "Mechanism"}
_ZH_ORG = re.compile(
    r"(?:委员会|联合会|基金会|检察院|研究院|研究所|办公室|科学院|工程院|总署|协会|学会|联盟|大学|学院|法院|集团|公司"
    r"|中心|局|部|委|署|厅|院)$"
)
_ZH_QUOTED = re.compile(
    r"“(?P<t>[^”\n]{1,20})”(?P<s>[\u3400-\u9fff]{0,8}?(?:专项行动|行动|工程|计划|项目|活动|机制))"
)
_ZH_STOP = {
    "会同",
    "联合",
    "与",
    "和",
    "及",
    "等",
    "由",
    "同",
    "以及",
    "印发",
    "发布",
    "对",
    "在",
    "向",
}


@dataclass
class NewName:
    """A name found in the clean view that may stand for a new entity."""

    start: int
    end: int
    label: str
    cls: str
    lang: str
    confidence: float
    acronym: str | None = None
    acronym_span: tuple[int, int] | None = None


def find_new_names(view: str, chinese: bool = False) -> list[NewName]:
    """Candidate names of organizations and programs in the clean view.

    Args:
        view: clean text (see `ipgraph.extract.reader.CleanView`).
        chinese: also look for Chinese names (uses jieba's part-of-speech tags).

    Returns:
        `NewName` values; the caller drops those that overlap a linked name or a title.

    >>> [n.label for n in find_new_names("It launched the “Blue Sky” campaign.")]
    ['Blue Sky']
    """
    found = _english(view)
    if chinese:
        found += _chinese(view)
    found.sort(key=lambda n: (n.start, -(n.end - n.start)))
    kept: list[NewName] = []
    for name in found:
        if kept and name.start < kept[-1].end:
            continue
        kept.append(name)
    return kept


def _english(view: str) -> list[NewName]:
    found: list[NewName] = []
    toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(view)]
    for i, (tok, _, _) in enumerate(toks):
        for pattern, cls, kind in _WORD_CLASS:
            if not pattern.fullmatch(tok):
                continue
            lo = i
            while lo > 0 and _joined(view, toks[lo - 1], toks[lo]):
                if not (_is_cap(toks[lo - 1][0]) or toks[lo - 1][0] in _CONNECT - {"the"}):
                    break
                lo -= 1
            while lo < i and toks[lo][0] in _CONNECT:
                lo += 1
            hi = i
            j = i + 1
            while j < len(toks) and _joined(view, toks[j - 1], toks[j]):
                if not (toks[j][0] in _CONNECT - {"the", "in"} or _is_cap(toks[j][0])):
                    break
                if toks[j][0][0] == "(":
                    break
                if _is_cap(toks[j][0]):
                    hi = j
                j += 1
            if hi == lo and kind == "org":
                break  # a lone "Office": not a name
            if lo > 0 and toks[lo][1] > 0 and view[toks[lo][1] - 1] in '“"':
                break  # inside quotes: a quoted name
            start, end = toks[lo][1], toks[hi][2]
            label = view[start:end]
            if len(label.split()) < 2:
                break
            acronym, acronym_span = None, None
            after = re.match(r"\s*\(([A-Z][A-Za-z]{1,9})\)", view[end:])
            if after and kind == "org":
                acronym = after[1]
                acronym_span = (end + after.start(1), end + after.end(1))
            found.append(NewName(start, end, label, cls, "en", 0.6, acronym, acronym_span))
            break
    for match in _QUOTED.finditer(view):
        text = match["t"]
        if not text[0].isupper() or re.search(r"[.!?]$", text):
            continue
        context = view[max(0, match.start() - 30) : match.end() + 30]
        cue = _QUOTED_PROGRAM_CUE.search(context)
        if cue is None:
            continue
        cls = _QUOTE_CLASS.get(cue[1].lower(), "Program")
        found.append(NewName(match.start("t"), match.end("t"), text, cls, "en", 0.5))
    return found


def _joined(view: str, left: tuple[str, int, int], right: tuple[str, int, int]) -> bool:
    """Whether two tokens are separated by spaces only (no punctuation between them)."""
    return not view[left[2] : right[1]].strip()


def _is_cap(token: str) -> bool:
    return bool(_CAP_TOKEN.fullmatch(token)) and token not in ("The", "A", "An", "In", "On")


def _chinese(view: str) -> list[NewName]:
    jieba = load_jieba()
    import jieba.posseg as pseg  # type: ignore[import-untyped]  # after load_jieba, so the dictionary is initialised

    del jieba
    found: list[NewName] = []
    words = [(w.word, w.flag) for w in pseg.cut(view)]
    offsets = []
    at = 0
    for word, _flag in words:
        offsets.append(at)
        at += len(word)
    for i, (word, flag) in enumerate(words):
        if not _ZH_ORG.search(word) or not re.fullmatch(r"[\u3400-\u9fff]+", word):
            continue
        lo = i
        while lo > 0:
            prev, pflag = words[lo - 1]
            if prev in _ZH_STOP and prev not in ("和", "与"):
                break
            if prev in ("和", "与"):
                # inside a name only between two nouns that are not whole names themselves
                if lo - 2 < 0 or _ZH_ORG.search(words[lo - 2][0]) or lo == i:
                    break
            elif (
                not re.fullmatch(r"[\u3400-\u9fff]+", prev)
                or not pflag.startswith(("n", "j"))
                or (_ZH_ORG.search(prev) and len(prev) > 1)
            ):
                break
            lo -= 1
        start, end = offsets[lo], offsets[i] + len(word)
        label = view[start:end]
        if len(label) < 3 or (lo == i and flag != "nt"):
            continue
        found.append(NewName(start, end, label, _zh_class(label), "zh", 0.5))
    for match in _ZH_QUOTED.finditer(view):
        suffix = match["s"]
        cls = "Campaign" if "行动" in suffix or "活动" in suffix else "Project"
        cls = "Mechanism" if suffix.endswith("机制") else cls
        found.append(NewName(match.start(), match.end(), match[0], cls, "zh", 0.5))
    return found


def _zh_class(label: str) -> str:
    if label.endswith("部"):
        return "Ministry"
    if re.search(r"(?:局|委员会|委|总署|署|厅|办公室)$", label):
        return "Agency"
    if re.search(r"(?:科学院|工程院)$", label):
        return "Academy"
    if re.search(r"(?:协会|学会|联合会|联盟)$", label):
        return "Association"
    return "Organization"
