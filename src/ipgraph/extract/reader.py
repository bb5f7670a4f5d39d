"""Reading a report: its title, its paragraphs with their offsets, and a clean view for matching.

Markdown is parsed with markdown-it-py (headings, paragraphs, lists, emphasis); plain text
parses as Markdown too, with numbered heading lines ("01 …", "一、…", "第二章 …") taken for
section headings. Offsets always point into the input string, so a span found anywhere can be
shown and checked against the text it came from.

>>> reading = read_text("# Report 2021\\n\\n## 01 Patents\\n\\nCNIPA issued *Notice on X*.\\n")
>>> reading.title, [(p.section, p.paragraph, p.heading) for p in reading.passages]
('Report 2021', [('01', 1, 'Patents')])
>>> p = reading.passages[0]
>>> reading.text[p.start:p.end]
'CNIPA issued *Notice on X*.'
>>> [reading.text[s:e] for s, e in reading.emphasis]
['Notice on X']
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ipgraph.extract.model import Passage

_TERMINAL = tuple(".!?。！？;；:：…")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NUMBERED_HEADING = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2})?|[IVX]{1,5}|[一二三四五六七八九十]{1,3}(?=、)"
    r"|第[一二三四五六七八九十百\d]{1,4}[章节部分篇])[\s、.．:：]*(?P<rest>\S.*)$"
)
_TAG = re.compile(r"<[^>\n]{1,40}>")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_HEADING_MARK = re.compile(r"^\s*#{1,6}\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“*(A-Z0-9\u3400-\u9fff])|(?<=[。！？；;])")


def is_chinese(text: str) -> bool:
    """Whether a text is mostly Chinese (more than a fifth of its letters are CJK).

    >>> is_chinese("国家知识产权局 CNIPA"), is_chinese("CNIPA and MOE")
    (True, False)
    """
    letters = sum(1 for ch in text if ch.isalpha())
    cjk = len(_CJK.findall(text))
    return bool(letters) and cjk / letters > 0.2


def strip_inline(text: str) -> str:
    """Text without Markdown emphasis marks and inline HTML tags, whitespace collapsed.

    >>> strip_inline("the 22<sup>nd</sup> **WIPO-CNIPA**\\n Award")
    'the 22nd WIPO-CNIPA Award'
    """
    if "\n" in text and _CJK.search(text):
        return CleanView(text).text
    return re.sub(r"\s+", " ", _TAG.sub("", text.replace("*", ""))).strip()


class CleanView:
    """The text with markup removed and whitespace collapsed, mapped back to the input.

    Emphasis marks (``*``) and inline HTML tags are dropped; a run of whitespace becomes one
    space, or nothing between two Chinese characters (a line break inside a Chinese paragraph).
    ``raw_span`` turns a span of the view into the span of the input it came from.

    >>> v = CleanView("17<sup>th</sup> China\\n(Wuxi)")
    >>> v.text
    '17th China (Wuxi)'
    >>> v.raw_span(0, 10)
    (0, 21)
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        chars: list[str] = []
        pos: list[int] = []
        i, n = 0, len(raw)
        while i < n:
            ch = raw[i]
            if ch == "<":
                tag = _TAG.match(raw, i)
                if tag:
                    i = tag.end()
                    continue
            if ch == "*":
                i += 1
                continue
            if ch.isspace():
                j = i
                while j < n and raw[j].isspace():
                    j += 1
                prev = chars[-1] if chars else ""
                nxt = raw[j] if j < n else ""
                cjk_join = "\n" in raw[i:j] and _CJK.match(prev or " ") and _CJK.match(nxt or " ")
                if chars and prev != " " and j < n and not cjk_join:
                    chars.append(" ")
                    pos.append(i)
                i = j
                continue
            chars.append(ch)
            pos.append(i)
            i += 1
        self.text = "".join(chars)
        self._pos = pos

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the input that the view's ``[start, end)`` came from."""
        if end <= start:
            at = self._pos[start] if start < len(self._pos) else len(self.raw)
            return at, at
        return self._pos[start], self._pos[end - 1] + 1

    def view_offset(self, raw_offset: int) -> int:
        """The first view position at or after a raw offset."""
        return bisect_right(self._pos, raw_offset - 1)


@dataclass
class Reading:
    """A report as read: the input text, its title, passages and emphasised spans."""

    text: str
    title: str | None
    passages: list[Passage]
    emphasis: list[tuple[int, int]] = field(default_factory=list)
    chinese: bool = False

    def sentences(self, passage: Passage) -> list[tuple[int, int]]:
        """Input spans of the sentences of a passage (split on ``.`` ``?`` ``!`` ``。`` ``；``).

        >>> r = read_text("# Title\\n\\nOne. Two. 三。四")
        >>> [r.text[s:e] for s, e in r.sentences(r.passages[0])]
        ['One.', 'Two.', '三。', '四']
        """
        body = self.text[passage.start : passage.end]
        spans: list[tuple[int, int]] = []
        begin = 0
        for match in _SENTENCE_END.finditer(body):
            cut = match.start()
            if body[begin:cut].strip():
                spans.append((passage.start + begin, passage.start + cut))
            begin = match.end()
        if body[begin:].strip():
            spans.append((passage.start + begin, passage.end))
        return spans


def read_text(text: str) -> Reading:
    """Split a report into its title and passages.

    Args:
        text: the report, Markdown or plain text, English or Chinese.

    Returns:
        A `Reading`. The title is the single top-level heading (or a short first line); the
        sections are the next heading level; paragraphs are numbered within their section.
        A list that repeats later headings (a table of contents) is left out, and a paragraph
        broken by a stray blank line (no closing punctuation) is joined to the next one.

    >>> r = read_text("标题\\n\\n一、总体情况\\n\\n国家知识产权局印发通知。\\n")
    >>> r.title, r.passages[0].section, r.chinese
    ('标题', '1', True)
    """
    md_tokens = MarkdownIt("commonmark").parse(text)
    blocks = _blocks(text, md_tokens)
    title: str | None = None
    headings = [b for b in blocks if b.level]
    if headings:
        top = min(b.level for b in headings)
        if sum(1 for b in headings if b.level == top) == 1 and headings[0].level == top:
            title = headings[0].text
            blocks.remove(headings[0])
            rest = [b.level for b in blocks if b.level]
            section_level = min(rest) if rest else top + 1
        else:
            section_level = top
    else:
        section_level = 1
        if blocks and _looks_like_title(blocks[0].text):
            title = blocks.pop(0).text
    for block in blocks:  # plain-text numbered headings
        plain = not block.level and not block.in_list and len(block.text) <= 100
        if plain and _NUMBERED_HEADING.match(block.text) and not block.text.endswith(_TERMINAL):
            block.level = section_level
    heading_texts = {_norm(b.text) for b in blocks if b.level}
    heading_texts |= {_norm(_split_number(b.text)[1]) for b in blocks if b.level}
    passages: list[Passage] = []
    section, heading, counter, seq = "intro", title or "", 0, 0
    pending: _Block | None = None

    def flush() -> None:
        nonlocal pending, counter
        if pending is not None:
            counter += 1
            passages.append(
                Passage(len(passages), section, counter, heading, pending.start, pending.end)
            )
            pending = None

    for block in blocks:
        if block.level:
            flush()
            if block.level <= section_level:
                seq += 1
                number, words = _split_number(block.text)
                section = number or f"s{seq:02d}"
                heading, counter = words, 0
            continue
        if block.in_list and _norm(block.text) in heading_texts:
            continue  # a table of contents
        if pending is not None:
            if not pending.text.rstrip("*").endswith(_TERMINAL) and len(pending.text) > 40:
                pending = _Block(pending.start, block.end, pending.text + " " + block.text)
                continue
            flush()
        pending = block
    flush()
    emphasis = _emphasis(text, md_tokens)
    return Reading(text, title, passages, emphasis, is_chinese(text))


@dataclass
class _Block:
    start: int
    end: int
    text: str
    level: int = 0
    in_list: bool = False


def _blocks(text: str, tokens: list[Token]) -> list[_Block]:
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    blocks: list[_Block] = []
    depth_list = 0
    level = 0
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth_list += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth_list -= 1
        elif token.type == "heading_open":
            level = int(token.tag[1])
        elif token.type == "heading_close":
            level = 0
        elif token.type == "inline" and token.map:
            first, last = token.map
            start = line_starts[first]
            end = line_starts[last] if last < len(line_starts) else len(text)
            raw = text[start:end]
            lead = _HEADING_MARK.match(raw) if level else _LIST_MARK.match(raw)
            if lead:
                start += lead.end()
            while end > start and text[end - 1].isspace():
                end -= 1
            while start < end and text[start].isspace():
                start += 1
            if level:
                while end > start and text[end - 1] in "#* ":
                    end -= 1
                while start < end and text[start] in "* ":
                    start += 1
            shown = strip_inline(text[start:end])
            if shown:
                blocks.append(_Block(start, end, shown, level, depth_list > 0))
    return blocks


def _emphasis(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Input spans of the contents of ``*emphasis*`` / ``_emphasis_`` (not ``**strong**``)."""
    spans: list[tuple[int, int]] = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for token in tokens:
        if token.type != "inline" or not token.map or not token.children:
            continue
        cursor = line_starts[token.map[0]]
        for content in _em_contents(token.children):
            for mark in ("*", "_"):
                at = text.find(mark + content + mark, cursor)
                if at >= 0:
                    spans.append((at + 1, at + 1 + len(content)))
                    cursor = at + len(content) + 2
                    break
    return spans


def _em_contents(children: list[Token]) -> list[str]:
    found: list[str] = []
    depth = 0
    parts: list[str] = []
    for child in children:
        if child.type == "em_open":
            depth += 1
            if depth == 1:
                parts = []
        elif child.type == "em_close":
            depth -= 1
            if depth == 0:
                found.append("".join(parts))
        elif depth:
            if child.type in ("text", "html_inline", "code_inline"):
                parts.append(child.content)
            elif child.type == "softbreak":
                parts.append("\n")
            elif child.type in ("strong_open", "strong_close"):
                parts.append(child.markup)
    return [f for f in found if f.strip()]


def _split_number(heading: str) -> tuple[str, str]:
    match = _NUMBERED_HEADING.match(heading)
    if not match:
        return "", heading
    number = match["num"]
    if re.fullmatch(r"[一二三四五六七八九十]+", number):
        import cn2an  # type: ignore[import-untyped]

        number = str(cn2an.cn2an(number, "normal"))
    elif number.startswith("第"):
        return number, match["rest"]
    return number, match["rest"]


def _looks_like_title(text: str) -> bool:
    return len(text) <= 80 and not text.endswith(_TERMINAL) and "\n" not in text


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()
