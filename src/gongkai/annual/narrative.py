"""Numbers and years a report states in words.

The rules compare these with the tables (N1) and with the report's year (Y-MISMATCH). Both are
deliberately conservative: a phrase counts only when it clearly states one of the quantities
("全市共受理政府信息公开申请3119件", "上年度结转申请34件", "行政诉讼46件"). A phrase about a part
("延期答复3件", "复议后起诉5件") or about something else ("办理人大代表建议12件") is left alone,
because a false alarm costs a reviewer more than a missed one.

Cited documents (《…》) are removed first: "《关于做好2020年政府信息公开工作年度报告的通知》"
names another document, not this report's period.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .text import normalize

QUANTITIES = ("received", "carried_in", "handled", "carried_out", "reconsideration", "lawsuit")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇一二两三四五六七八九十百千万"

# A count: arabic (3119, 3,119) or Chinese (三, 十二, 一百零五), never inside a longer number.
_N = rf"(?<![\d{_CN}])(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+|[{_CN}]+)件"
# Words between a quantity's name and its number: "数量为", "共", "合计".
_FILL = r"(?:数量|共计|共|合计|总计|累计|为|达到|达)*"
# A stretch of one clause ending in 申请: "政府信息公开申请", "依申请公开申请".
_TO_APPLICATION = r"(?:[^,。;:()]{0,20}?申请)"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (q, re.compile(p)) for q, p in (
        # 新收/受理 alone is clear; 收到/接收/接到 must name the application. Not 不予受理,
        # and not "受理申请40件(含上年结转2件)", whose number includes the carry-in.
        ("received", rf"(?<![予不])(?P<verb>新收|受理){_TO_APPLICATION}?{_FILL}{_N}(?!\(含)"),
        ("received", rf"(?<![予不])(?:收到|接收|接到){_TO_APPLICATION}{_FILL}{_N}(?!\(含)"),
        ("carried_in", rf"上一?年度?结转{_TO_APPLICATION}?{_FILL}{_N}"),
        # Not 延期/逾期/按期/按时/及时/书面答复: those count a part.
        ("handled", rf"(?<![期时面])(?:答复|办结|办理){_TO_APPLICATION}?{_FILL}{_N}"),
        ("carried_out", rf"结转(?:至|到)?下一?年度?(?:继续)?(?:办理|答复|处理)?的?"
                        rf"{_TO_APPLICATION}?{_FILL}{_N}"),
        ("carried_out", rf"{_N}(?:申请)?(?:结转|顺延|转入)(?:至|到)?下一?年度?"),
        ("reconsideration", rf"复议(?:案件|申请)?{_FILL}{_N}"),
        ("lawsuit", rf"诉讼(?:案件)?{_FILL}{_N}"),
    )
)
# Words one of which each pattern above needs, so a text without them skips the pattern.
_NEEDS: tuple[tuple[str, ...], ...] = (
    ("新收", "受理"), ("收到", "接收", "接到"), ("结转",), ("答复", "办结", "办理"),
    ("结转",), ("结转", "顺延", "转入"), ("复议",), ("诉讼",),
)
# No pattern matches across these (a count may hold "," but no stop, colon or bracket), and
# every match holds a 件: only the stretches between them that hold one are searched.
_CLAUSE_ENDS = "。;:()"
# Words that make a match about something other than disclosure applications.
_ELSEWHERE = ("复议", "诉讼", "建议", "提案", "投诉", "举报", "信访", "来信", "议案")
_OWN_WORDS = {"reconsideration": "复议", "lawsuit": "诉讼"}


@dataclass(frozen=True)
class Stated:
    quantity: str  # one of QUANTITIES
    value: int
    phrase: str  # the words that stated it (normalised, without spaces)


def chinese_number(text: str) -> int | None:
    """三 → 3, 十二 → 12, 一百零五 → 105, 两千 → 2000; None for "二〇二一"-like digit runs."""
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit not in (None, 0):
                return None  # two digits in a row: a year or a code, not a count
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _count(text: str) -> int | None:
    text = text.replace(",", "")
    return int(text) if text.isdigit() else chinese_number(text)


_CITED = re.compile(r"《[^《》]*》")


def prepare(text: str) -> str:
    """Half-width, simplified, cited documents and spaces removed (PDF text breaks lines and
    spaces digits: "答\\n复 3050 件")."""
    text = normalize(text)
    if "《" in text:
        text = _CITED.sub("", text)
    return "".join(text.split())  # str.isspace is what \s matches


def _clauses(t: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch of `t` between _CLAUSE_ENDS that holds a 件."""
    out: list[tuple[int, int]] = []
    k = t.find("件")
    while k != -1:
        start, end = 0, len(t)
        for c in _CLAUSE_ENDS:  # each search within the bounds the others left
            start = t.rfind(c, start, k) + 1 or start
            e = t.find(c, k, end)
            if e != -1:
                end = e
        out.append((start, end))
        k = t.find("件", end)
    return out


def numbers_stated(text: str, prepared: str | None = None) -> list[Stated]:
    """Every clear statement of a table-三/四 total in `text`, in order, duplicates dropped.
    `prepared` is prepare(text) when the caller has it already."""
    t = prepare(text) if prepared is None else prepared
    found: list[tuple[int, int, Stated]] = []
    if "件" not in t:  # every pattern ends in a count of 件
        return []
    clauses = [(start, end, t[start:end]) for start, end in _clauses(t)]
    for (quantity, pattern), needs in zip(_PATTERNS, _NEEDS, strict=True):
        for start, end, clause in clauses:
            if not any(w in clause for w in needs):
                continue
            # Two characters past the clause: the look-ahead "(?!\(含)" reads them.
            for m in pattern.finditer(t, start, end + 2):
                phrase = m.group(0)
                own = _OWN_WORDS.get(quantity)
                if any(w in phrase and w != own for w in _ELSEWHERE):
                    continue
                value = _count(m.group("n"))
                if value is not None:
                    found.append((m.start(), m.end(), Stated(quantity, value, phrase)))
    out: list[Stated] = []
    for start, end, s in sorted(found, key=lambda p: (p[0], -p[1])):
        # "结转下年度办理2件" states the carry-out; the "办理2件" inside it states nothing more.
        inside = any(a <= start and end <= b and (a, b) != (start, end) for a, b, _ in found)
        if not inside and all((s.quantity, s.value) != (o.quantity, o.value) for o in out):
            out.append(s)
    return out


# ---------------------------------------------------------------------------------------
# Years

_PERIOD = re.compile(r"(\d{4})年0?1月0?1日起?(?:至|到|-|~)(\d{4})年12月31日止?")
_THIS_REPORT = re.compile(r"本(?:年度)?报告[^。;,]{0,30}?(\d{4})年度")
_ANNOUNCED = re.compile(r"(?:现将|公布|发布|编制|形成|本)[^。;,]{0,15}?(\d{4})年度?政府信息公开工作年度报告")
# Each with the words it cannot match without.
_OWN_REPORT = ((_THIS_REPORT, "报告"), (_ANNOUNCED, "政府信息公开工作年度报告"))
_SENTENCE_END = re.compile(r"[。;]")
_TITLE = re.compile(r"[^。;,]{0,30}?(\d{4})年度?政府信息公开(?:工作)?年度报告")


def years_stated(text: str, prepared: str | None = None) -> list[tuple[int, str]]:
    """(year, phrase) for each statement of the report's own period: the statistical period
    ("统计期限自2020年1月1日起至2020年12月31日止"), "本报告…2020年度", the report announcing
    itself ("现将2020年政府信息公开工作年度报告公布如下") and a title line. Other years in
    ordinary sentences ("2022年工作要点", "2019年修订的条例") are not statements of the period.
    `prepared` is prepare(text) when the caller has it already."""
    out: list[tuple[int, str]] = []

    def add(year: str, phrase: str) -> None:
        if (int(year), phrase) not in out:
            out.append((int(year), phrase))

    norm = normalize(text)
    # The title ends in 年度报告; prepare() only deletes characters.
    report_words = "告" in norm
    for line in norm.splitlines() if report_words else ():
        if "告" not in line:
            continue
        compact = prepare(line)
        if m := _TITLE.fullmatch(compact):
            add(m.group(1), compact)
    if not report_words and "日" not in norm:
        return out  # each pattern below needs 告 (报告) or 日 (12月31日)
    # The patterns cannot match across 。 or ;, so they run over the whole text at once; the
    # matches are then taken sentence by sentence, in pattern order, as if run per sentence.
    t = prepare(text) if prepared is None else prepared
    ends: list[int] = []  # where each sentence ends, found at the first match

    def sentence_of(position: int) -> int:
        if not ends:
            ends.extend(m.start() for m in _SENTENCE_END.finditer(t))
            ends.append(len(t))
        return bisect_right(ends, position)

    found: list[tuple[int, int, int, tuple[tuple[str, str], ...]]] = []
    if "12月31日" in t:
        for m in _PERIOD.finditer(t):
            i = sentence_of(m.start())
            sentence = t[ends[i - 1] + 1 if i else 0: ends[i]]
            if any(w in sentence for w in ("统计", "数据", "报告")):
                found.append((i, 0, m.start(), ((m.group(1), m.group(0)), (m.group(2), m.group(0)))))
    for k, (pattern, needs) in enumerate(_OWN_REPORT, start=1):
        if needs not in t:
            continue
        for m in pattern.finditer(t):
            found.append((sentence_of(m.start()), k, m.start(), ((m.group(1), m.group(0)),)))
    for *_, adds in sorted(found):
        for year, phrase in adds:
            add(year, phrase)
    return out
