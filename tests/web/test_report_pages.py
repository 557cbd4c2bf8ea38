"""The report pages (public and staff), their layout and downloads."""

from __future__ import annotations

import re

import lxml.html
import pytest
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.annual import FORMATS, WRITERS, AnnualReport
from gongkai.reports import rendering, serialize, services

from .conftest import zeros_report


def text_of(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_home_lists_agencies_and_links_published_reports_only(client, world):
    services.publish_report(world.a.report, None)
    page = client.get(reverse("portal:home")).content.decode()
    for name in ("某市", "甲区", "甲乡", "乙区", "乙乡"):
        assert name in page
    assert reverse("portal:report", kwargs={"pk": world.a.report.pk}) in page
    assert reverse("portal:report", kwargs={"pk": world.b.report.pk}) not in page


def test_unpublished_reports_are_not_public(client, world):
    for name, kw in (("portal:report", {}), ("portal:download", {"fmt": "html"})):
        assert client.get(reverse(name, kwargs={"pk": world.b.report.pk, **kw})).status_code == 404


def test_public_report_page_shows_every_label_of_table_three(client, world):
    services.publish_report(world.a.report, None)
    page = client.get(reverse("portal:report", kwargs={"pk": world.a.report.pk}))
    assert page.status_code == 200
    body = text_of(page.content.decode())
    table = FORMATS["2021"].table("applications")
    for row in table.layout():
        assert text_of(row.label) in body, row.label
    for col in table.blocks[0].columns:
        assert col.label in body
    for title in FORMATS["2021"].sections:
        assert text_of(title) in body
    # Read-only: no staff links or forms (publish, source file) on the public page.
    assert "/staff/" not in page.content.decode()


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_every_download_answers_with_the_file_or_a_chinese_page(client, world, fmt):
    services.publish_report(world.a.report, None)
    response = client.get(reverse("portal:download", kwargs={"pk": world.a.report.pk, "fmt": fmt}))
    if response.status_code == 200:
        assert response["Content-Type"] == WRITERS[fmt][1]
        assert "attachment" in response["Content-Disposition"]
        assert len(response.content) > 0
    else:
        assert response.status_code == 503
        assert "无法生成" in response.content.decode()


def test_a_failing_writer_gives_a_chinese_page_not_a_500(client, world, make_user, login,
                                                          monkeypatch):
    def broken(report, to, findings=None):
        raise RuntimeError("writer bug")

    monkeypatch.setattr("gongkai.reports.pages.write", broken)
    login(make_user(world.a.township, Role.HEAD))
    response = client.get(reverse("reports:download",
                                  kwargs={"pk": world.a.report.pk, "fmt": "docx"}))
    assert response.status_code == 503
    assert "出错" in response.content.decode()


def test_unknown_download_format_is_404(client, world, make_user, login):
    login(make_user(world.a.township, Role.HEAD))
    url = reverse("reports:download", kwargs={"pk": world.a.report.pk, "fmt": "exe"})
    assert client.get(url).status_code == 404


def test_source_download_is_never_rendered_inline(client, world, make_user, login):
    login(make_user(world.a.township, Role.HEAD))
    response = client.get(reverse("reports:source", kwargs={"pk": world.a.report.pk}))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content == b"generated"


def test_head_sees_publish_button_supervisor_does_not(client, world, make_user, login):
    url = reverse("reports:detail", kwargs={"pk": world.a.report.pk})
    publish = reverse("reports:publish", kwargs={"pk": world.a.report.pk})
    login(make_user(world.a.township, Role.HEAD))
    assert publish in client.get(url).content.decode()
    login(make_user(world.a.district, Role.SUPERVISOR))
    assert publish not in client.get(url).content.decode()


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_embedded_layout_prints_every_label_and_cell(fmt):
    report = AnnualReport.zeros(fmt, agency="某乡", year=2021 if fmt == "2021" else 2019)
    html = rendering.report_html(report)
    body = text_of(html)
    for table in report.format.tables:
        for row in report.layout(table.key):
            assert text_of(row.label) in body
            for group in row.groups:
                assert text_of(group) in body
        for block in table.blocks:
            for col in block.columns:
                assert text_of(col.label) in body
    cells = sum(1 for t in report.format.tables for _ in t.cells(report.collapsed(t.key)))
    root = lxml.html.fromstring(html)
    assert sum(1 for td in root.iter("td") if td.text_content().strip() == "0") == cells


def test_table_three_header_and_groups_span_like_the_national_format():
    report = AnnualReport.zeros("2021")
    root = lxml.html.fromstring(rendering.report_html(report))

    def cell(text):
        return next(c for c in root.iter("td", "th") if text_of(c.text_content()) == text)

    def span(c, name):
        return int(c.get(name, "1"))

    corner = cell(text_of(report.format.table("applications").note))
    assert (span(corner, "rowspan"), span(corner, "colspan")) == (3, 3)
    assert span(cell("申请人情况"), "colspan") == 7
    assert span(cell("法人或其他组织"), "colspan") == 5
    printed = report.layout("applications")
    results = cell("三、本年度办理结果")
    assert span(results, "rowspan") == sum(1 for r in printed
                                           if r.groups[:1] == ("三、本年度办理结果",))


def test_cached_json_round_trips_the_cells():
    report = zeros_report("某乡")
    report.set("applications", "received", "natural_person", 3)
    report.set("proactive", "fees", "amount_wan_yuan", None)
    back = serialize.from_json(serialize.to_json(report, []))
    assert back.cells.keys() == report.cells.keys()
    assert back.value("applications", "received", "natural_person") == 3
    assert back.value("proactive", "fees", "amount_wan_yuan") is None
    assert back.sections == report.sections and back.agency == "某乡"


def test_embedded_writer_html_is_cleaned():
    dirty = ('<html><head><style>body{display:none}</style></head><body><h1 onclick="x()">标题</h1>'
             '<script>alert(1)</script><a href="javascript:alert(1)">链接</a>'
             '<iframe src="https://evil"></iframe><p>正文</p></body></html>')
    clean = rendering.clean_body(dirty)
    assert "标题" in clean and "正文" in clean and "链接" in clean
    for bad in ("script", "onclick", "javascript:", "iframe", "display:none"):
        assert bad not in clean
