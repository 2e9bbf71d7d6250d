"""The full text of a policy document made readable: its chapters (第…章) as headings, its
articles (第…条) with anchors (``#art-10``; a number used twice, like the two 第十五条 of the 2024
measures, gets ``#art-15-2`` the second time), and the annexes after the line 附件 1."""

import re
from dataclasses import dataclass, field

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHAPTER = re.compile(r"^第([〇零一二三四五六七八九十百]+)章\s*(.*)$")
_ARTICLE = re.compile(r"^第([〇零一二三四五六七八九十百]+)条\s*(.*)$")
_ANNEX = re.compile(r"^附件\s*(\d{1,2})\s*$")


def chinese_number(text):
    """二十三 → 23, 十五 → 15, 一百零二 → 102 (numbers of chapters and articles)."""
    total, current = 0, 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


@dataclass
class Article:
    anchor: str
    label: str  # 第十条
    paragraphs: list = field(default_factory=list)


@dataclass
class Chapter:
    anchor: str
    label: str  # 第五章
    title: str
    articles: list = field(default_factory=list)
    paragraphs: list = field(default_factory=list)  # text of the chapter outside any article


@dataclass
class AnnexText:
    number: int
    anchor: str
    lines: list


@dataclass
class PolicyText:
    preamble: list  # the notice the measures are issued with
    chapters: list
    closing: list  # e.g. the list of annexes after the last article
    annexes: list

    @property
    def article_count(self):
        return sum(len(chapter.articles) for chapter in self.chapters)


def parse(text) -> PolicyText:
    result = PolicyText(preamble=[], chapters=[], closing=[], annexes=[])
    seen = {}
    article = None
    for raw in (text or "").splitlines():
        line = raw.strip()
        if match := _ANNEX.match(line):
            number = int(match.group(1))
            result.annexes.append(AnnexText(number, f"annex-{number}", []))
            continue
        if result.annexes:
            if line:
                result.annexes[-1].lines.append(line)
            continue
        if not line:
            continue
        if match := _CHAPTER.match(line):
            number = chinese_number(match.group(1))
            chapter = Chapter(f"chapter-{number}", f"第{match.group(1)}章", match.group(2))
            result.chapters.append(chapter)
            article = None
        elif result.chapters and (match := _ARTICLE.match(line)):
            number = chinese_number(match.group(1))
            seen[number] = seen.get(number, 0) + 1
            suffix = f"-{seen[number]}" if seen[number] > 1 else ""
            article = Article(f"art-{number}{suffix}", f"第{match.group(1)}条", [match.group(2)])
            result.chapters[-1].articles.append(article)
        elif line.startswith("附件：") or line.startswith("附件:"):
            result.closing.append(line)
            article = None
        elif result.closing:
            result.closing.append(line)
        elif article is not None:
            article.paragraphs.append(line)
        elif result.chapters:
            result.chapters[-1].paragraphs.append(line)
        else:
            result.preamble.append(line)
    return result
