"""Hypothesis strategies for random annual reports, and a comparison for round-trip tests.

`reports()` draws a report of either format with every cell of its layout present: counts,
decimals (0–4 places) for 万元 columns, negatives only in `signed` columns, blanks, "/", "—",
"-", and numbers with words beside them ("22（其中修订16件）"). Section text is drawn from an
alphabet without numerals or label words, so no line can pass for a title or a row label.

`differences(a, b)` lists what a round trip lost: every cell's value, kind, raw text and note,
every section, agency, year, format and extra rows.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from gongkai.annual.formats import FORMATS
from gongkai.annual.report import AnnualReport, Cell, ExtraRow

# Common words of report prose; no numerals, digits, or characters of table labels.
PROSE = "我乡区县镇村工作推进落实加强完善制度建设群众服务方便深入开展宣传培训学习提升水平质量效率监督考核"
AGENCY_CHARS = "平垣东西南北山河城关新华安宁和"
AGENCY_SUFFIXES = ("乡人民政府", "镇人民政府", "局", "乡", "街道办事处", "委员会")
EXTRA_LABELS = ("其他主动公开文件", "政府网站发布信息", "微信公众号推送")


def _sentence(min_size: int = 4, max_size: int = 30):
    return st.text(alphabet=PROSE, min_size=min_size, max_size=max_size).map(lambda s: s + "。")


def paragraphs():
    """One section's text: 0–3 lines (an empty section is a real case)."""
    return st.lists(_sentence(), min_size=0, max_size=3).map("\n".join)


def agencies():
    return st.builds(lambda stem, suffix: stem + suffix,
                     st.text(alphabet=AGENCY_CHARS, min_size=1, max_size=6),
                     st.sampled_from(AGENCY_SUFFIXES))


def _missing():
    return st.sampled_from(["", "/", "—", "-"])


def _count(signed: bool = False):
    low = -999 if signed else 0
    plain = st.integers(low, 100000).map(str)
    noted = st.builds(lambda n, m: f"{n}（其中修订{m}件）",
                      st.integers(0, 999), st.integers(0, 99))
    return st.one_of(plain, plain, plain, noted, _missing())


def _decimal():
    def render(whole: int, places: int, frac: int) -> str:
        return str(whole) if places == 0 else f"{whole}.{frac % 10 ** places:0{places}d}"

    dec = st.builds(render, st.integers(0, 9999), st.integers(0, 4), st.integers(0, 9999))
    return st.one_of(dec, dec, _missing())


_RAW = {"count": _count(), "signed": _count(signed=True), "decimal": _decimal()}
_PARAGRAPHS = paragraphs()
_AGENCY = st.none() | agencies()


def cell_raw(kind: str):
    """Raw text of a cell of this value kind (built once: building strategies is slow)."""
    return _RAW[kind]


@st.composite
def reports(draw, fmt: str | None = None) -> AnnualReport:
    key = fmt or draw(st.sampled_from(sorted(FORMATS)))
    f = FORMATS[key]
    collapsed = frozenset({"other"}) if key == "2021" and draw(st.booleans()) else frozenset()
    first, last = f.years
    year = draw(st.none() | st.integers(first, min(last, first + 10)))
    report = AnnualReport(format=f, agency=draw(_AGENCY), year=year)
    for t in f.tables:
        for r, c in t.cells(collapsed):
            report.set(t.key, r.key, c.key, Cell.parse(draw(cell_raw(c.kind))))
    for number in range(1, 7):
        report.sections[number] = draw(_PARAGRAPHS)
        report.section_order.append(number)
    if draw(st.booleans()):
        t = f.table("proactive")
        after = draw(st.sampled_from([r.key for r in t.rows]))
        columns = t.block_of(after).columns
        # The first value must be a number: a label followed by a blank reads as a heading.
        values = [str(draw(st.integers(0, 999)))]
        values += [draw(cell_raw(c.kind)) for c in columns[1:]]
        report.extras.append(ExtraRow("proactive", draw(st.sampled_from(EXTRA_LABELS)),
                                      [Cell.parse(v) for v in values], after))
    return report


def _cell_facts(c: Cell | None):
    if c is None:
        return None
    value = Decimal(c.value) if isinstance(c.value, int | Decimal) else c.value
    return (value, c.kind, c.raw, c.note)


def differences(a: AnnualReport, b: AnnualReport) -> list[str]:
    """What differs between two reports, ignoring where cells were read."""
    out: list[str] = []
    for name in ("agency", "year"):
        if getattr(a, name) != getattr(b, name):
            out.append(f"{name}: {getattr(a, name)!r} != {getattr(b, name)!r}")
    if a.format.key != b.format.key:
        out.append(f"format: {a.format.key} != {b.format.key}")
    for address in sorted(set(a.cells) | set(b.cells)):
        fa, fb = _cell_facts(a.cells.get(address)), _cell_facts(b.cells.get(address))
        if fa != fb:
            out.append(f"{address}: {fa!r} != {fb!r}")
    for number in sorted(set(a.sections) | set(b.sections)):
        if a.sections.get(number) != b.sections.get(number):
            out.append(f"section {number}: {a.sections.get(number)!r} != {b.sections.get(number)!r}")
    ea = [(e.table, e.label, e.after, [_cell_facts(c) for c in e.cells]) for e in a.extras]
    eb = [(e.table, e.label, e.after, [_cell_facts(c) for c in e.cells]) for e in b.extras]
    if ea != eb:
        out.append(f"extras: {ea!r} != {eb!r}")
    return out

