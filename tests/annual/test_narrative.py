"""Numbers and years stated in a report's text, and the rules that compare them (N1, Y-MISMATCH)."""

from __future__ import annotations

import pytest
from test_rules import APPS, DISPUTES, codes, from_expected, report

from gongkai.annual.narrative import chinese_number, numbers_stated, years_stated
from gongkai.annual.rules import check

HUAIAN = "受理3119件，答复3050件（含上年度结转34件，另有103件顺延），复议351件，诉讼46件"
# The same passage as pdftotext gives it from huaian-city-2024.pdf: broken lines, spaced digits.
HUAIAN_PDF = ("2024 年，全市共受理政府信息公开申请 3119 件，答\n复 3050 件（含上年度结转申请 34 件，"
              "另有 103 件顺延到下年度\n答复），均在法定期限内予以答复。政府信息公开行政复议 351\n件，"
              "其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚\n未审结 37 件；政府信息公开"
              "行政诉讼 46 件，其中结果维持 25")


def stated(text: str) -> dict[str, int]:
    return {s.quantity: s.value for s in numbers_stated(text)}


# ---------------------------------------------------------------------------------------
# Extraction


def test_huaian_sentence_states_five_totals():
    assert stated(HUAIAN) == {"received": 3119, "handled": 3050, "carried_in": 34,
                              "reconsideration": 351, "lawsuit": 46}


def test_huaian_pdf_text_also_states_the_carry_out():
    assert stated(HUAIAN_PDF) == {"received": 3119, "handled": 3050, "carried_in": 34,
                                  "carried_out": 103, "reconsideration": 351, "lawsuit": 46}


@pytest.mark.parametrize("text,expected", [
    ("全年共收到政府信息公开申请十二件。", {"received": 12}),
    ("本年新收政府信息公开申请数量为5件，上年结转政府信息公开申请2件，办结申请7件。",
     {"received": 5, "carried_in": 2, "handled": 7}),
    ("结转至下一年度继续办理的申请三件。", {"carried_out": 3}),
    ("被申请行政复议一件，提起行政诉讼两件。", {"reconsideration": 1, "lawsuit": 2}),
    ("共收到申请3,119件。", {"received": 3119}),
])
def test_clear_statements(text, expected):
    assert stated(text) == expected


@pytest.mark.parametrize("text", [
    "延期答复3件，按时答复9件，书面答复4件。",  # parts of the handled total
    "办理人大代表建议12件、政协提案8件。",
    "收到群众来信5件，不予受理2件。",
    "复议后起诉5件，直接起诉1件。",
    "收到行政复议申请3件。",  # a reconsideration, not a disclosure application
    "行政复议、行政诉讼各1件。",
    "主动公开政府信息1136条，发布政策解读12篇。",
])
def test_parts_and_other_matters_are_not_totals(text):
    found = stated(text)
    assert "received" not in found and "handled" not in found and "lawsuit" not in found
    assert found in ({}, {"reconsideration": 3})


def test_a_received_number_that_includes_the_carry_in_is_not_taken_as_received():
    assert stated("共受理申请40件（含上年结转2件）。") == {"carried_in": 2}


def test_carry_out_phrase_does_not_also_count_as_handled():
    assert stated("结转下年度办理2件。") == {"carried_out": 2}


@pytest.mark.parametrize("text,value", [("三", 3), ("十", 10), ("十二", 12), ("三十五", 35),
                                        ("一百零五", 105), ("两千", 2000), ("一万二千", 12000),
                                        ("零", 0), ("二〇二一", None)])
def test_chinese_numerals(text, value):
    assert chinese_number(text) == value


# ---------------------------------------------------------------------------------------
# N1 against the tables


def huaian(section_1: str) -> list:
    r = from_expected("huaian-city-2024.pdf")
    r.sections[1] = "一、总体情况\n" + section_1
    return check(r)


@pytest.mark.parametrize("text", [HUAIAN, HUAIAN_PDF])
def test_consistent_narrative_has_no_finding(text):
    assert huaian(text) == []


def test_inconsistent_narrative_warns_naming_both_values_and_the_cells():
    found = huaian("受理3120件，答复3050件（含上年度结转34件，另有103件顺延），复议351件，诉讼45件")
    assert codes(found) == ["N1", "N1"]
    assert all(f.severity == "warning" for f in found)
    assert found[0].message == ("“一、总体情况”中“受理3120件”（3120件）与表三“一、本年新收政府信息"
                                "公开申请数量”行“总计”列（3119）不一致")
    assert found[0].cells == (f"{APPS}.received.total",)
    assert found[1].message == ("“一、总体情况”中“诉讼45件”（45件）与表四“未经复议直接起诉”行与"
                                "“复议后起诉”行“总计”列之和（46）不一致")
    assert found[1].cells == (f"{DISPUTES}.lawsuit_direct.total",
                              f"{DISPUTES}.lawsuit_after_reconsideration.total")


def test_numbers_in_sections_without_totals_are_not_compared():
    r = from_expected("huaian-city-2024.pdf")
    r.sections[6] = "六、其他需要报告的事项\n办理政府信息公开申请9件。"
    assert check(r) == []


def test_narrative_against_a_blank_total_says_nothing_more():
    r = report()
    r.set(APPS, "received", "total", None)
    r.sections[3] += "本年新收政府信息公开申请5件。"
    assert "N1" not in codes(check(r))


# ---------------------------------------------------------------------------------------
# Y-MISMATCH


@pytest.mark.parametrize("where,text", [
    ("preamble", "本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。"),
    ("preamble", "报告所列统计期限自 2020 年 1 月 1 日至 2020 年 12 月 31 日。"),
    ("preamble", "本报告所列数据为2020年度情况。"),
    ("title", "某某局2020年政府信息公开工作年度报告"),
    ("section", "现将2020年政府信息公开工作年度报告公布如下。"),
])
def test_the_reporting_period_of_another_year_is_a_warning(where, text):
    r = report(year=2021)
    if where == "title":
        r.title = text
    elif where == "preamble":
        r.preamble = text
    else:
        r.sections[1] += "\n" + text
    found = check(r)
    assert codes(found) == ["Y-MISMATCH"] and found[0].severity == "warning"
    assert "报告年度为2021年" in found[0].message and "年份为2020年" in found[0].message


def test_the_reports_own_period_and_other_years_in_sentences_are_fine():
    r = report(year=2021)
    r.title = "一平垣乡2021年政府信息公开工作年度报告"
    r.preamble = ("根据区政府《关于做好2020年政府信息公开工作年度报告相关工作的通知》，特向社会公布"
                  "我乡2021年度政府信息公开工作年度报告。本报告中所列数据的统计期限自2021年1月1日起"
                  "至2021年12月31日止。")
    r.sections[1] += "围绕2022年政务公开工作要点，贯彻2019年修订的《条例》，对照2020年度考核整改。"
    r.sections[5] += "对照《2020年政府信息公开工作年度报告》中的问题逐项整改。"
    assert check(r) == []


def test_years_stated_finds_only_period_phrases():
    text = "本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。2022年工作要点已印发。"
    assert years_stated(text) == [(2021, "2021年1月1日起至2021年12月31日止")]


def test_year_unknown_is_not_checked():
    r = report(year=2021)
    r.year = None
    r.preamble = "本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。"
    assert check(r) == []
