"""DOCX writer and reader: the 公文 layout, the national template's merges, and reading Word
files as offices make them (merged cells, split runs, tracked changes, content controls)."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import HealthCheck, given, settings
from lxml import etree
from strategies import differences, reports

from conftest import SAMPLES
from gongkai.annual.formats import FORMAT_2021
from gongkai.annual.readers import ReadError, read_bytes
from gongkai.annual.readers.docx_reader import walk
from gongkai.annual.report import AnnualReport, Cell, ExtraRow, Finding
from gongkai.annual.writers import write

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _document_xml(data: bytes) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))


def _zeros() -> AnnualReport:
    return AnnualReport.zeros("2021", agency="一平垣乡", year=2021)


def _cell_rows(pieces, table: int) -> dict[int, list[tuple[int, str]]]:
    """Cell pieces of one table as {row: [(column, text), ...]} from their locations."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for p in pieces:
        if p.cell and p.where.cell.startswith(f"表{table} "):
            _, r, c = p.where.cell.split()
            rows.setdefault(int(r[1:]), []).append((int(c[1:]), p.text))
    return rows


def _docx(body_xml: str) -> bytes:
    """A Word file whose body is `body_xml` (w: elements), built on python-docx's package."""
    doc = Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != f"{{{W}}}sectPr":
            body.remove(child)
    wrapper = parse_xml(f"<w:body {nsdecls('w')}>{body_xml}</w:body>")
    sect = body.find(f"{{{W}}}sectPr")
    for el in list(wrapper):
        sect.addprevious(el)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _p(*runs: str) -> str:
    return "<w:p>" + "".join(f'<w:r><w:t xml:space="preserve">{r}</w:t></w:r>' for r in runs) + "</w:p>"


def _tc(inner: str, span: int = 1, vmerge: str | None = None) -> str:
    pr = ""
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        pr += "<w:vMerge/>"
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{inner or '<w:p/>'}</w:tc>"


# -- the writer's layout --------------------------------------------------------------------

def test_writer_page_is_a4_with_official_document_margins():
    root = _document_xml(write(_zeros(), "docx"))
    pg = root.find(".//w:sectPr/w:pgSz", NS)
    assert (pg.get(f"{{{W}}}w"), pg.get(f"{{{W}}}h")) == ("11906", "16838")  # 210×297 mm
    mar = root.find(".//w:sectPr/w:pgMar", NS)
    twips = {k: round(int(mar.get(f"{{{W}}}{k}")) / 56.6929) for k in ("top", "bottom", "left", "right")}
    assert twips == {"top": 37, "bottom": 35, "left": 28, "right": 26}


def test_writer_sets_east_asian_fonts_and_sizes():
    data = write(_zeros(), "docx")
    root = _document_xml(data)
    paragraphs = root.findall("w:body/w:p", NS)

    def run_props(p):
        r = p.find("w:r/w:rPr", NS)
        return (r.find("w:rFonts", NS).get(f"{{{W}}}eastAsia"), r.find("w:sz", NS).get(f"{{{W}}}val"))

    title = paragraphs[0]
    assert "".join(title.itertext()) == "一平垣乡2021年政府信息公开工作年度报告"
    assert title.find("w:r/w:br", NS) is not None  # agency on a line of its own
    assert run_props(title) == ("方正小标宋简体", "44")  # 二号 in half-points
    assert title.find("w:pPr/w:jc", NS).get(f"{{{W}}}val") == "center"
    heading = next(p for p in paragraphs if "".join(p.itertext()) == FORMAT_2021.sections[0])
    assert run_props(heading) == ("黑体", "32")  # 三号
    # The body style: 仿宋_GB2312 三号 for Chinese text, fixed 28 pt lines.
    styles = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml"))
    normal = styles.find(".//w:style[@w:styleId='Normal']", NS)
    assert normal.find(".//w:rFonts", NS).get(f"{{{W}}}eastAsia") == "仿宋_GB2312"
    assert normal.find(".//w:sz", NS).get(f"{{{W}}}val") == "32"
    spacing = normal.find(".//w:spacing", NS)
    assert (spacing.get(f"{{{W}}}line"), spacing.get(f"{{{W}}}lineRule")) == ("560", "exact")
    # Where 方正小标宋简体 is not installed, the font table names 黑体 in its place.
    fonts = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml"))
    title_font = fonts.find("w:font[@w:name='方正小标宋简体']", NS)
    assert title_font.find("w:altName", NS).get(f"{{{W}}}val") == "黑体"
    # Table text is 五号 with its own East-Asian font.
    cell_run = root.find(".//w:tbl//w:r/w:rPr", NS)
    assert cell_run.find("w:rFonts", NS).get(f"{{{W}}}eastAsia") == "仿宋_GB2312"
    assert cell_run.find("w:sz", NS).get(f"{{{W}}}val") == "21"


def test_body_text_is_indented_two_characters():
    report = _zeros()
    report.sections[1] = "第一段。\n第二段。"
    root = _document_xml(write(report, "docx"))
    p = next(p for p in root.findall("w:body/w:p", NS) if "".join(p.itertext()) == "第二段。")
    assert p.find("w:pPr/w:ind", NS).get(f"{{{W}}}firstLineChars") == "200"


def _tc_by_text(root, text: str):
    for tc in root.iter(f"{{{W}}}tc"):
        if "".join(tc.itertext()) == text:
            return tc
    raise AssertionError(text)


def test_writer_merges_headers_as_the_national_template():
    root = _document_xml(write(_zeros(), "docx"))
    legal = _tc_by_text(root, "法人或其他组织")
    assert legal.find("w:tcPr/w:gridSpan", NS).get(f"{{{W}}}val") == "5"
    natural = _tc_by_text(root, "自然人")
    assert natural.find("w:tcPr/w:vMerge", NS).get(f"{{{W}}}val") == "restart"
    # The row below carries the continuation at the same position.
    tr = natural.getparent()
    below = tr.getnext()
    index = list(tr).index(natural) - (1 if tr[0].tag == f"{{{W}}}trPr" else 0)
    cont = below.findall("w:tc", NS)[index]
    vm = cont.find("w:tcPr/w:vMerge", NS)
    assert vm is not None and vm.get(f"{{{W}}}val") is None
    group = _tc_by_text(root, "三、本年度办理结果")
    assert group.find("w:tcPr/w:vMerge", NS).get(f"{{{W}}}val") == "restart"
    assert _tc_by_text(root, "行政诉讼").find("w:tcPr/w:gridSpan", NS).get(f"{{{W}}}val") == "10"


def test_template_and_writer_tables_expand_to_the_same_grid():
    """Header positions of table 三 and 四 match the national template cell for cell."""
    template = walk((SAMPLES / "national-template-2021.docx").read_bytes())
    ours = walk(write(AnnualReport.blank("2021"), "docx"))
    for table in (2, 3):
        t_rows, o_rows = _cell_rows(template, table), _cell_rows(ours, table)
        assert len(t_rows) == len(o_rows)
        for r in t_rows:
            t_labels = [(c, t.replace("\n", "")) for c, t in t_rows[r] if t.strip()]
            o_labels = [(c, t.replace("\n", "")) for c, t in o_rows[r] if t.strip()]
            assert t_labels == o_labels, (table, r)


def test_writer_keeps_raw_text_and_extra_rows():
    report = _zeros()
    report.set("proactive", "regulations", "issued", Cell.parse("22（其中修订16件）"))
    report.set("applications", "received", "research", Cell.parse("/"))
    report.set("proactive", "fees", "amount_wan_yuan", Decimal("1.2500"))
    report.extras.append(ExtraRow("proactive", "其他主动公开文件", [Cell.of(3), Cell.of(1), Cell.of(9)],
                                  after="normative_documents"))
    texts = [p.text for p in walk(write(report, "docx")) if p.cell]
    assert "22（其中修订16件）" in texts and "/" in texts and "1.2500" in texts
    i = texts.index("其他主动公开文件")
    assert texts[i - 4] == "行政规范性文件" and texts[i + 1: i + 4] == ["3", "1", "9"]


def test_table_four_is_one_row_of_fifteen_values():
    report = _zeros()
    for n, (row, col) in enumerate(FORMAT_2021.table("disputes").cells(), start=1):
        report.set("disputes", row.key, col.key, n)
    rows = _cell_rows(walk(write(report, "docx")), 3)
    assert [t for _, t in rows[4]] == [str(n) for n in range(1, 16)]


def test_findings_follow_a_page_break_and_are_not_read_back():
    finding = Finding("T3-R1", "error", "表三“总计”列：第一项加第二项之和不等于第三项加第四项之和")
    data = write(_zeros(), "docx", findings=[finding])
    root = _document_xml(data)
    assert root.find(".//w:br[@w:type='page']", NS) is not None
    assert "T3-R1" in "".join(root.itertext())
    assert not any("T3-R1" in p.text for p in walk(data))


# -- reading: grid expansion -----------------------------------------------------------------

def test_merged_cells_give_their_text_once():
    pieces = walk((SAMPLES / "national-template-2021.docx").read_bytes())
    rows = _cell_rows(pieces, 2)
    # Row 2: the corner's continuation gives nothing; 法人或其他组织 spans 5 columns.
    assert rows[2] == [(4, "自然人"), (5, "法人或其他组织"), (10, "总计")]
    assert [c for c, _ in rows[3]] == [5, 6, 7, 8, 9]
    # A group row: the vMerge continuation in column 1 and 2 gives nothing, blank cells give "".
    assert rows[9] == [(3, "2.其他法律行政法规禁止公开")] + [(c, "") for c in range(4, 11)]


def test_tracked_changes_content_controls_and_runs():
    body = (
        "<w:p><w:r><w:t>一平垣乡</w:t></w:r><w:del w:id='1' w:author='a' w:date='2022-01-01T00:00:00Z'>"
        "<w:r><w:delText>删除的</w:delText></w:r></w:del><w:ins w:id='2' w:author='a' "
        "w:date='2022-01-01T00:00:00Z'><w:r><w:t>2021年</w:t></w:r></w:ins>"
        "<w:r><w:t>政府信息</w:t></w:r><w:r><w:tab/><w:t>公开</w:t></w:r></w:p>"
        "<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>" + _p("控件里的段落") +
        "</w:sdtContent></w:sdt>"
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
        "<w:tr>" + _tc(_p("本年", "制发") + _p("件数")) + "<w:sdt><w:sdtContent>" + _tc(_p("5")) +
        "</w:sdtContent></w:sdt></w:tr>"
        "<w:tr><w:trPr><w:del w:id='3' w:author='a' w:date='2022-01-01T00:00:00Z'/></w:trPr>" +
        _tc(_p("已删除行")) + _tc(_p("9")) + "</w:tr></w:tbl>"
    )
    pieces = walk(_docx(body))
    texts = [p.text for p in pieces]
    assert texts[0] == "一平垣乡2021年政府信息\t公开"
    assert "控件里的段落" in texts
    cells = [(p.where.cell, p.text) for p in pieces if p.cell]
    assert cells == [("表1 行1 列1", "本年制发\n件数"), ("表1 行1 列2", "5")]


def test_nested_table_inside_a_layout_cell_is_read():
    inner = ("<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>" + _tc(_p("规章")) +
             _tc(_p("3")) + "</w:tr></w:tbl>")
    body = ("<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr>" +
            _tc(_p("二、主动公开政府信息情况") + inner + "<w:p/>") + "</w:tr></w:tbl>")
    pieces = walk(_docx(body))
    assert [(p.text, p.cell) for p in pieces if p.text] == [
        ("二、主动公开政府信息情况", False), ("规章", True), ("3", True)]


# -- malformed files --------------------------------------------------------------------------

def test_truncated_docx_is_a_clear_error():
    data = write(_zeros(), "docx")
    with pytest.raises(ReadError) as e:
        read_bytes(data[: len(data) // 2], "cut.docx")
    assert e.value.code == "read.bad-zip" and "损坏" in e.value.zh


def _rezip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    z.writestr(info.filename, replace[info.filename])
            else:
                z.writestr(info.filename, src.read(info.filename))
    return out.getvalue()


def test_docx_without_document_part_is_a_clear_error():
    from gongkai.annual.readers.docx_reader import read

    data = _rezip(write(_zeros(), "docx"), {"word/document.xml": None})
    with pytest.raises(ReadError) as e:
        read(data, "empty.docx")
    assert e.value.code == "read.docx-no-document" and "word/document.xml" in e.value.zh


def test_docx_whose_document_is_not_xml_is_a_clear_error():
    data = _rezip(write(_zeros(), "docx"), {"word/document.xml": b"<w:document><w:body>not closed"})
    with pytest.raises(ReadError) as e:
        read_bytes(data, "bad.docx")
    assert e.value.code == "read.docx-bad-xml" and "XML" in e.value.zh


def test_docx_with_entity_expansion_is_refused_without_expanding():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<w:document xmlns:w="' + W.encode() + b'"><w:body><w:p><w:r><w:t>&b;</w:t></w:r>'
            b"</w:p></w:body></w:document>")
    data = _rezip(write(_zeros(), "docx"), {"word/document.xml": bomb})
    assert all("aaaaaaaaaa" not in p.text for p in walk(data))



# -- round trips through the shared interpreter -----------------------------------------------

def test_zeros_report_round_trips():
    report = _zeros()
    report.sections = {1: "我乡加强制度建设。\n深入开展宣传培训。", 5: "监督考核有待提升。"}
    result = read_bytes(write(report, "docx"), "zeros.docx")
    assert differences(report, result.report) == [
        f"section {n}: None != ''" for n in (2, 3, 4, 6)]
    assert result.findings == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_random_reports_round_trip(report):
    result = read_bytes(write(report, "docx"), "random.docx")
    assert differences(report, result.report) == []


def test_blank_national_template_reads_as_blank_2021_report():
    result = read_bytes((SAMPLES / "national-template-2021.docx").read_bytes(), "template.docx")
    report = result.report
    assert report.format.key == "2021"
    expected = {f"{t.key}.{r.key}.{c.key}" for t in FORMAT_2021.tables for r, c in t.cells()}
    assert set(report.cells) == expected
    assert {c.kind for c in report.cells.values()} == {"blank"}
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert result.findings == []


def _split_runs(text: str) -> str:
    """A label as Word leaves it after edits: several runs, brackets half-width."""
    text = text.replace("（", "(").replace("）", ")")
    cut = max(1, len(text) // 2)
    return _p(text[:cut], text[cut:])


def _handmade_table3() -> tuple[str, dict[str, int]]:
    """表三 as an office types it: vMerge group labels, one label over two paragraphs, no
    header groups; every value distinct so a shifted position shows."""
    t = FORMAT_2021.table("applications")
    columns = t.blocks[0].columns
    expected: dict[str, int] = {}
    rows = ["<w:tr>" + _tc(_p(t.note), span=3) + "".join(_tc(_p(c.label)) for c in columns) + "</w:tr>"]
    previous: tuple[str, ...] = ()
    for i, row in enumerate(t.layout()):
        cells = []
        if row.groups:
            cells.append(_tc(_split_runs(row.groups[0]),
                             vmerge="continue" if previous[:1] == row.groups[:1] else "restart"))
        if len(row.groups) > 1:
            cells.append(_tc(_split_runs(row.groups[1]),
                             vmerge="continue" if previous[:2] == row.groups[:2] else "restart"))
        if i == 0:
            label = _p("一、本年新收政府信息公开") + _p("申请数量")  # broken over paragraphs
        else:
            label = _split_runs(row.label)
        cells.append(_tc(label, span=3 - len(row.groups)))
        for j, c in enumerate(columns):
            expected[f"applications.{row.key}.{c.key}"] = i * 10 + j
            cells.append(_tc(_p(str(i * 10 + j))))
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
        previous = row.groups
    grid = "<w:tblGrid>" + "<w:gridCol/>" * 10 + "</w:tblGrid>"
    return "<w:tbl>" + grid + "".join(rows) + "</w:tbl>", expected


def test_handmade_word_file_with_awkward_tables():
    table3, expected = _handmade_table3()
    disputes = list(FORMAT_2021.table("disputes").cells())
    table4 = ("<w:tbl><w:tblGrid>" + "<w:gridCol/>" * 15 + "</w:tblGrid><w:tr>" +
              "".join(_tc(_p(str(500 + n))) for n in range(15)) + "</w:tr></w:tbl>")
    for n, (row, col) in enumerate(disputes):
        expected[f"disputes.{row.key}.{col.key}"] = 500 + n
    s = FORMAT_2021.sections
    body = (_p("某某县民政局", "2022年政府信息公开工作年度报告") + _p(s[0][:2], s[0][2:]) +
            _p("我局加强制度建设。") + _p(s[2]) + table3 + _p(s[3]) + table4 + _p(s[4]) +
            _p("监督考核有待提升。"))
    data = _docx(body)
    # The continuation cells repeat the group text (Word ignores it): read once, at the start.
    assert [p.where.cell for p in walk(data) if p.text == "(三)不予公开"] == ["表1 行6 列2"]
    result = read_bytes(data, "handmade.docx")
    report = result.report
    assert (report.agency, report.year, report.format.key) == ("某某县民政局", 2022, "2021")
    got = {a: c.value for a, c in report.cells.items() if a in expected}
    assert got == expected
    assert report.sections[1] == "我局加强制度建设。"
    assert report.sections[5] == "监督考核有待提升。"


def test_extra_row_inside_a_group_keeps_the_group_merged_and_reads_back():
    report = _zeros()
    report.extras.append(ExtraRow("applications", "其中：涉密申请", [Cell.of(n) for n in range(1, 8)],
                                  after="withheld_state_secret"))
    data = write(report, "docx")
    rows = _cell_rows(walk(data), 2)
    # Row 9 follows "1.属于国家秘密" (row 8) under the same merged group cells.
    assert rows[9] == [(3, "其中：涉密申请")] + [(c, str(c - 3)) for c in range(4, 11)]
    assert [c for c, _ in rows[10]] == list(range(3, 11))
    extras = read_bytes(data, "extra.docx").report.extras
    assert [(e.label, e.after, [c.value for c in e.cells]) for e in extras] == [
        ("其中：涉密申请", "withheld_state_secret", list(range(1, 8)))]


def test_real_seed_report_survives_docx():
    """The township's real report, read from its text, written as DOCX and read back."""
    from gongkai.annual.readers import read

    original = read(SAMPLES / "seed-yipingyuan-2021.txt").report
    again = read_bytes(write(original, "docx"), "seed.docx").report
    assert differences(original, again) == []
    assert original.agency == "一平垣乡" and len(original.sections[1]) > 200


def test_legacy_merges_and_skipped_grid_columns_keep_positions():
    """hMerge (older Word), vMerge w:val="continue" and a row starting after gridBefore."""
    body = (
        "<w:tbl><w:tblGrid>" + "<w:gridCol/>" * 3 + "</w:tblGrid>"
        "<w:tr>" + _tc(_p("甲"), vmerge="restart") +
        "<w:tc><w:tcPr><w:hMerge w:val='restart'/></w:tcPr>" + _p("乙") + "</w:tc>"
        "<w:tc><w:tcPr><w:hMerge/></w:tcPr>" + _p("乙的延续") + "</w:tc></w:tr>"
        "<w:tr>" + "<w:tc><w:tcPr><w:vMerge w:val='continue'/></w:tcPr>" + _p("甲的延续") + "</w:tc>" +
        _tc(_p("1")) + _tc(_p("2")) + "</w:tr>"
        "<w:tr><w:trPr><w:gridBefore w:val='2'/></w:trPr>" + _tc(_p("3")) + "</w:tr></w:tbl>"
    )
    cells = [(p.where.cell, p.text) for p in walk(_docx(body)) if p.cell]
    assert cells == [("表1 行1 列1", "甲"), ("表1 行1 列2", "乙"), ("表1 行2 列2", "1"),
                     ("表1 行2 列3", "2"), ("表1 行3 列3", "3")]


def test_a_content_control_around_a_paragraph_changes_nothing_read():
    """A whole report reads the same whether its body is plain (read in one pass) or holds a
    content control (read by the full walk): both ways see the same text, cells and places."""
    data = write(AnnualReport.zeros("2021", agency="一平垣乡", year=2021), "docx")
    root = _document_xml(data)
    first = root.find("w:body/w:p", NS)
    sdt = etree.Element(f"{{{W}}}sdt")
    content = etree.SubElement(sdt, f"{{{W}}}sdtContent")
    first.addprevious(sdt)
    content.append(first)
    wrapped = _rezip(data, {"word/document.xml": etree.tostring(root)})
    plain = walk(data)
    assert len(plain) > 250 and any(p.cell for p in plain)
    assert walk(wrapped) == plain


def test_text_in_a_tag_inside_text_or_outside_paragraphs_is_not_read():
    body = ('<w:p><w:r><w:t>一<w:t>藏</w:t></w:t></w:r></w:p>'
            '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>5<w:t>藏</w:t></w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    pieces = walk(_docx(body))
    assert [(p.text, p.cell) for p in pieces] == [("一", False), ("5", True)]


def test_bad_xml_error_points_into_the_file_as_it_is():
    """Properties the reader drops before parsing must not shift where the error is said to be."""
    run = '<w:r><w:rPr><w:b w:val="0"/><w:sz w:val="32"/></w:rPr><w:t>一</w:t></w:r>'
    xml = (f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p>{run * 3}'
           '<w:r><w:t>二</w:r></w:p></w:body></w:document>')
    data = _rezip(write(_zeros(), "docx"), {"word/document.xml": xml.encode()})
    with pytest.raises(ReadError) as e:
        read_bytes(data, "bad.docx")
    with pytest.raises(etree.XMLSyntaxError) as raw:
        etree.fromstring(xml.encode())
    where = str(raw.value).split(", line 1, ")[1].split(" ")[:2]  # "column", "N"
    assert e.value.code == "read.docx-bad-xml" and " ".join(where) in e.value.en
    assert where[0] == "column"
