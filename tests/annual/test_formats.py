"""The formats as data: the counts REGULATIONS.md §3–4 gives for each table."""

from gongkai.annual.formats import FORMAT_2019, FORMAT_2021
from gongkai.annual.report import AnnualReport


def test_2021_applications_table_has_25_rows_of_7_columns():
    t = FORMAT_2021.table("applications")
    rows = t.layout()
    assert len(rows) == 25
    assert sum(1 for _ in t.cells()) == 175
    assert [c.key for c in t.blocks[0].columns][-1] == "total"


def test_2021_collapsed_other_prints_23_rows():
    t = FORMAT_2021.table("applications")
    keys = [r.key for r in t.layout(frozenset({"other"}))]
    assert len(keys) == 23
    assert "other" in keys and "other_misc" not in keys


def test_2019_applications_table_has_23_rows():
    assert len(FORMAT_2019.table("applications").layout()) == 23


def test_proactive_tables_have_10_and_22_cells():
    # 规章 and 行政规范性文件 three each, then 许可, 处罚, 强制 and 收费 one each. (REGULATIONS.md
    # §3.3 says "9 numeric cells" beside "6 data rows"; its own table shows 10.)
    assert sum(1 for _ in FORMAT_2021.table("proactive").cells()) == 10
    assert sum(1 for _ in FORMAT_2019.table("proactive").cells()) == 3 * 2 + 3 * 2 + 3 * 2 + 2 + 2


def test_disputes_table_has_15_cells():
    assert sum(1 for _ in FORMAT_2021.table("disputes").cells()) == 15


def test_every_label_is_unique_within_its_table():
    for fmt in (FORMAT_2019, FORMAT_2021):
        for t in fmt.tables:
            keys = [r.key for r in t.rows]
            assert len(keys) == len(set(keys)), (fmt.key, t.key)


def test_blank_report_has_every_cell_missing():
    r = AnnualReport.blank("2021")
    assert len(r.cells) == 10 + 175 + 15
    assert all(c.missing for c in r.cells.values())
