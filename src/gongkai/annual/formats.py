"""The national annual-report formats as data.

Every label of the 2019 trial format (国办公开办函〔2019〕60号) and the 2021 format
(国办公开办函〔2021〕30号) is spelled here and nowhere else. Readers, writers, rules, the
database aggregation and the templates all walk these structures; a future format is a
new `Format` value, not new code paths.

A table is a list of blocks; a block has a caption (表二's "第二十条第（一）项"), one header
row of column labels and data rows. Table 三 and 四 are one block each. Table 四 is printed
as one line of 15 numbers but kept as three rows of five columns (复议, 直接起诉, 复议后起诉),
which is how REPORT-JSON.md names its cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ValueKind = Literal["count", "signed", "decimal"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # Header cells above this column's label, outermost first (表四: 行政诉讼 › 复议后起诉).
    groups: tuple[str, ...] = ()
    kind: ValueKind = "count"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    # Group cells spanning this row, outermost first: ("三、本年度办理结果", "（三）不予公开").
    groups: tuple[str, ...] = ()
    # Other spellings seen in published reports (matched after normalisation).
    aliases: tuple[str, ...] = ()
    # A row some reports print instead of several others (2021's （六）其他处理 as one row).
    replaces: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    caption: str = ""
    # Label of the header cell above the row labels (表二: 信息内容).
    corner: str = ""


@dataclass(frozen=True)
class Sum:
    """`total` equals the sum of `parts`; cells are (row, column) inside one table.

    `code` names the rule (REGULATIONS.md §3.6), `along` says whether the parts run along a
    row (the columns of one row) or down a column (the rows of one column)."""

    code: str
    along: Literal["row", "column"]
    total: str
    parts: tuple[str, ...]
    # For along="row": the rows it applies to (empty: every row). For "column": the columns.
    where: tuple[str, ...] = ()


@dataclass(frozen=True)
class Balance:
    """Σ left = Σ right for each column (R1: 一 + 二 = 三（七） + 四)."""

    code: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Table:
    key: str
    section: int
    blocks: tuple[Block, ...]
    # Ordinal used in messages: 表二, 表三, 表四.
    name: str
    sums: tuple[Sum, ...] = ()
    balances: tuple[Balance, ...] = ()
    note: str = ""
    unit: str = "件"

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(r for b in self.blocks for r in b.rows)

    def block_of(self, row_key: str) -> Block:
        for b in self.blocks:
            if any(r.key == row_key for r in b.rows):
                return b
        raise KeyError(row_key)

    def row(self, key: str) -> Row:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def column(self, row_key: str, column_key: str) -> Column:
        for c in self.block_of(row_key).columns:
            if c.key == column_key:
                return c
        raise KeyError(column_key)

    def layout(self, collapsed: frozenset[str] = frozenset()) -> tuple[Row, ...]:
        """The rows in print order. `collapsed` names the rows with `replaces` that the report
        prints instead of the rows they replace; other such rows are left out."""
        hidden: set[str] = set()
        for r in self.rows:
            if r.replaces:
                hidden |= set(r.replaces) if r.key in collapsed else {r.key}
        return tuple(r for r in self.rows if r.key not in hidden)

    def cells(self, collapsed: frozenset[str] = frozenset()):
        """(row, column) pairs of every value cell, in print order."""
        for r in self.layout(collapsed):
            for c in self.block_of(r.key).columns:
                yield r, c


@dataclass(frozen=True)
class Format:
    key: str
    title: str
    years: tuple[int, int]  # first and last report year it applies to (inclusive)
    sections: tuple[str, ...]  # the six section titles, in order
    tables: tuple[Table, ...]
    # Labels that identify this format when the year does not (REGULATIONS.md §4.5).
    markers: tuple[str, ...] = ()
    section_aliases: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def table_for_section(self, section: int) -> Table | None:
        return next((t for t in self.tables if t.section == section), None)


# ---------------------------------------------------------------------------------------
# Shared pieces

# The document's own name; a report is titled "{机关}{年度}年" + REPORT_TITLE.
REPORT_TITLE = "政府信息公开工作年度报告"
YEAR_SUFFIX = "年"

SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
SECTION_ALIASES = {
    4: ("因政府信息公开工作被申请行政复议、提起行政诉讼情况", "行政复议、行政诉讼情况"),
    5: ("存在问题及改进情况", "政府信息公开工作存在的主要问题及改进情况", "存在的主要问题及改进措施"),
}

APPLICANT_GROUP = "申请人情况"
LEGAL_PERSON_GROUP = "法人或其他组织"
APPLICANT_COLUMNS = (
    Column("natural_person", "自然人", (APPLICANT_GROUP,)),
    Column("commercial", "商业企业", (APPLICANT_GROUP, LEGAL_PERSON_GROUP)),
    Column("research", "科研机构", (APPLICANT_GROUP, LEGAL_PERSON_GROUP)),
    Column("public_welfare", "社会公益组织", (APPLICANT_GROUP, LEGAL_PERSON_GROUP)),
    Column("legal_service", "法律服务机构", (APPLICANT_GROUP, LEGAL_PERSON_GROUP)),
    Column("other_org", "其他", (APPLICANT_GROUP, LEGAL_PERSON_GROUP)),
    Column("total", "总计", (APPLICANT_GROUP,)),
)
APPLICANT_PARTS = tuple(c.key for c in APPLICANT_COLUMNS[:-1])

RESULTS = "三、本年度办理结果"
WITHHELD = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
UNHANDLED = "（五）不予处理"
OTHER = "（六）其他处理"

_FIRST_RESULT_ROWS = (
    Row("granted", "（一）予以公开", (RESULTS,)),
    Row("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (RESULTS,),
        aliases=("（二）部分公开",)),
    Row("withheld_state_secret", "1.属于国家秘密", (RESULTS, WITHHELD)),
    Row("withheld_prohibited_by_law", "2.其他法律行政法规禁止公开", (RESULTS, WITHHELD)),
    Row("withheld_security_stability", "3.危及“三安全一稳定”", (RESULTS, WITHHELD)),
    Row("withheld_third_party_rights", "4.保护第三方合法权益", (RESULTS, WITHHELD)),
    Row("withheld_internal_affairs", "5.属于三类内部事务信息", (RESULTS, WITHHELD)),
    Row("withheld_process_information", "6.属于四类过程性信息", (RESULTS, WITHHELD)),
    Row("withheld_enforcement_file", "7.属于行政执法案卷", (RESULTS, WITHHELD)),
    Row("withheld_inquiry_matter", "8.属于行政查询事项", (RESULTS, WITHHELD)),
    Row("unavailable_not_held", "1.本机关不掌握相关政府信息", (RESULTS, UNAVAILABLE)),
    Row("unavailable_needs_creation", "2.没有现成信息需要另行制作", (RESULTS, UNAVAILABLE)),
    Row("unavailable_still_unclear", "3.补正后申请内容仍不明确", (RESULTS, UNAVAILABLE)),
    Row("unhandled_petition", "1.信访举报投诉类申请", (RESULTS, UNHANDLED)),
    Row("unhandled_repeated", "2.重复申请", (RESULTS, UNHANDLED)),
    Row("unhandled_publication", "3.要求提供公开出版物", (RESULTS, UNHANDLED)),
    Row("unhandled_excessive", "4.无正当理由大量反复申请", (RESULTS, UNHANDLED)),
    Row("unhandled_confirmation", "5.要求行政机关确认或重新出具已获取信息", (RESULTS, UNHANDLED)),
)
_OTHER_SPLIT = (
    Row("other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", (RESULTS, OTHER)),
    Row("other_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", (RESULTS, OTHER)),
    Row("other_misc", "3.其他", (RESULTS, OTHER)),
)
_OTHER_SPLIT_KEYS = tuple(r.key for r in _OTHER_SPLIT)


def _applications_table(other_rows: tuple[Row, ...]) -> Table:
    result_rows = _FIRST_RESULT_ROWS + other_rows
    rows = (
        Row("received", "一、本年新收政府信息公开申请数量"),
        Row("carried_in", "二、上年结转政府信息公开申请数量"),
        *result_rows,
        Row("handled_total", "（七）总计", (RESULTS,)),
        Row("carried_out", "四、结转下年度继续办理"),
    )
    # R3 sums the result rows that are printed; a collapsed （六） replaces its three parts,
    # so the parts are listed in full and the rule uses whichever the report has.
    parts = tuple(r.key for r in result_rows)
    return Table(
        key="applications",
        section=3,
        name="表三",
        note="（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        blocks=(Block(columns=APPLICANT_COLUMNS, rows=rows),),
        sums=(
            Sum("T3-R3", "column", "handled_total", parts),
            Sum("T3-R4", "row", "total", APPLICANT_PARTS),
        ),
        balances=(
            Balance("T3-R1", ("received", "carried_in"), ("handled_total", "carried_out"),
                    "第一项加第二项之和，等于第三项加第四项之和"),
        ),
    )


OUTCOME_COLUMNS_LABELS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
RECONSIDERATION = "行政复议"
LAWSUIT = "行政诉讼"


def _disputes_table() -> Table:
    columns = tuple(Column(k, label) for k, label in OUTCOME_COLUMNS_LABELS)
    rows = (
        Row("reconsideration", RECONSIDERATION),
        Row("lawsuit_direct", "未经复议直接起诉", (LAWSUIT,)),
        Row("lawsuit_after_reconsideration", "复议后起诉", (LAWSUIT,)),
    )
    return Table(
        key="disputes",
        section=4,
        name="表四",
        blocks=(Block(columns=columns, rows=rows),),
        sums=(Sum("T4-R5", "row", "total", ("upheld", "corrected", "other", "pending")),),
    )


# ---------------------------------------------------------------------------------------
# 2021 format

_ART20 = "第二十条第（{}）项"
_CONTENT = "信息内容"
_DECISIONS_2021 = (Column("decisions", "本年处理决定数量"),)

PROACTIVE_2021 = Table(
    key="proactive",
    section=2,
    name="表二",
    blocks=(
        Block(
            caption=_ART20.format("一"), corner=_CONTENT,
            columns=(Column("issued", "本年制发件数"), Column("repealed", "本年废止件数"),
                     Column("in_force", "现行有效件数")),
            rows=(Row("regulations", "规章"),
                  Row("normative_documents", "行政规范性文件", aliases=("规范性文件",))),
        ),
        Block(caption=_ART20.format("五"), corner=_CONTENT, columns=_DECISIONS_2021,
              rows=(Row("licensing", "行政许可"),)),
        Block(caption=_ART20.format("六"), corner=_CONTENT, columns=_DECISIONS_2021,
              rows=(Row("penalty", "行政处罚"), Row("coercion", "行政强制"))),
        Block(caption=_ART20.format("八"), corner=_CONTENT,
              columns=(Column("amount_wan_yuan", "本年收费金额（单位：万元）", kind="decimal"),),
              rows=(Row("fees", "行政事业性收费"),)),
    ),
)

FORMAT_2021 = Format(
    key="2021",
    title="中华人民共和国政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）",
    years=(2021, 9999),
    sections=SECTIONS,
    section_aliases=SECTION_ALIASES,
    tables=(
        PROACTIVE_2021,
        _applications_table(
            _OTHER_SPLIT + (Row("other", OTHER, (RESULTS,), replaces=_OTHER_SPLIT_KEYS),)
        ),
        _disputes_table(),
    ),
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额",
             "逾期未按收费通知要求缴纳费用"),
)

# ---------------------------------------------------------------------------------------
# 2019 trial format

_ITEMS_2019 = (Column("previous_items", "上一年项目数量"),
               Column("change", "本年增/减", kind="signed"),
               Column("decisions", "处理决定数量"))

PROACTIVE_2019 = Table(
    key="proactive",
    section=2,
    name="表二",
    blocks=(
        Block(
            caption=_ART20.format("一"), corner=_CONTENT,
            columns=(Column("made", "本年新制作数量"), Column("published", "本年新公开数量"),
                     Column("total_published", "对外公开总数量")),
            rows=(Row("regulations", "规章"), Row("normative_documents", "规范性文件")),
        ),
        Block(caption=_ART20.format("五"), corner=_CONTENT, columns=_ITEMS_2019,
              rows=(Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项"))),
        Block(caption=_ART20.format("六"), corner=_CONTENT, columns=_ITEMS_2019,
              rows=(Row("penalty", "行政处罚"), Row("coercion", "行政强制"))),
        Block(caption=_ART20.format("八"), corner=_CONTENT, columns=_ITEMS_2019[:2],
              rows=(Row("fees", "行政事业性收费"),)),
        Block(caption=_ART20.format("九"), corner=_CONTENT,
              columns=(Column("items", "采购项目数量"),
                       Column("amount", "采购总金额", kind="decimal")),
              rows=(Row("procurement", "政府集中采购"),)),
    ),
)

FORMAT_2019 = Format(
    key="2019",
    title="中华人民共和国政府信息公开工作年度报告格式（试行）（国办公开办函〔2019〕60号）",
    years=(2019, 2020),
    sections=SECTIONS,
    section_aliases=SECTION_ALIASES,
    tables=(PROACTIVE_2019, _applications_table((Row("other", OTHER, (RESULTS,)),)),
            _disputes_table()),
    markers=("本年新制作数量", "上一年项目数量", "第二十条第（九）项", "对外公开总数量"),
)

FORMATS: dict[str, Format] = {f.key: f for f in (FORMAT_2021, FORMAT_2019)}


def format_for_year(year: int | None) -> Format | None:
    if year is None:
        return None
    for f in FORMATS.values():
        if f.years[0] <= year <= f.years[1]:
            return f
    return None
