"""A visitor reads the demo township's report; a member of staff uploads one and sees findings.
Also: the CJK font really renders (no tofu) and the app's own CSS is served."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from conftest import SAMPLES
from gongkai.annual import FORMAT_2021
from web.conftest import broken_seed

SEED = SAMPLES / "seed-yipingyuan-2021.txt"
PASSWORD = "demo-browser-pass"
APPLICATIONS = FORMAT_2021.table("applications")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("GONGKAI_DEMO_PASSWORD", PASSWORD)
    call_command("demo", report=SEED, stdout=io.StringIO())


def test_visitor_reads_the_report_and_staff_upload_one(live_server, page, shot, demo):
    page.goto(live_server.url + "/")
    row = page.locator("tr", has_text="一平垣乡")
    row.get_by_role("link", name="2021年度").click()
    page.wait_for_url("**/reports/*/")
    shot("public-report")
    for key in ("received", "carried_in", "handled_total", "carried_out"):
        label = APPLICATIONS.row(key).label
        assert page.get_by_text(label, exact=True).first.is_visible(), label
    assert page.get_by_text("申请人情况", exact=True).first.is_visible()
    assert page.get_by_role("link", name="Word（DOCX）").is_visible()

    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="一平垣乡").click()
    page.get_by_role("link", name="上传年度报告").click()
    page.set_input_files("#id_file", files=[{
        "name": "一平垣乡2021（修改）.txt", "mimeType": "text/plain",
        "buffer": broken_seed(SEED.read_bytes()),
    }])
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url("**/staff/reports/*/")
    shot("staff-report-with-findings")
    findings = page.locator("#findings")
    assert findings.get_by_text("T3-R1").is_visible()
    assert findings.get_by_text("不等于").first.is_visible()
    assert "错误 2 项" in page.locator(".meta").inner_text()


def test_chinese_text_renders_in_a_cjk_font_not_tofu(live_server, page, shot, demo):
    page.goto(live_server.url + "/")
    shot("home")
    # The app's stylesheet is served by the app itself (no CDN): the masthead is red.
    color = page.evaluate("getComputedStyle(document.querySelector('.masthead')).backgroundColor")
    assert color == "rgb(164, 22, 26)"
    # Chromium reports which platform font drew each node's glyphs.
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".brand"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    assert any("CJK" in f["familyName"] for f in fonts), fonts
    # Ideographs are one em wide; and each draws a different bitmap, while missing glyphs
    # (tofu) all draw the same box as a private-use code point does.
    drawn = page.evaluate("""() => {
        const font = '32px ' + getComputedStyle(document.body).fontFamily;
        const draw = (ch) => {
            const canvas = document.createElement('canvas');
            canvas.width = canvas.height = 40;
            const c = canvas.getContext('2d');
            c.font = font;
            c.fillText(ch, 2, 32);
            return canvas.toDataURL();
        };
        const c = document.createElement('canvas').getContext('2d');
        c.font = font;
        return {width: c.measureText('政府信息公开').width,
                glyphs: [...'政府信息公开'].map(draw), tofu: draw('\\u{10FFFD}')};
    }""")
    assert abs(drawn["width"] - 6 * 32) < 1, drawn["width"]
    assert len(set(drawn["glyphs"])) == 6
    assert drawn["tofu"] not in drawn["glyphs"]
