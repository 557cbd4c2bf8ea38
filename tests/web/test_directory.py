"""The public agency directory (home page and 依申请公开 index): searched, paged, hostile-safe."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from gongkai.agencies import services as agency_services
from gongkai.agencies.models import AgencyKind
from gongkai.portal.directory import PAGE_SIZE
from gongkai.reports.models import ImportedReport

PAGES = ["/", "/apply/"]
EXTRA = PAGE_SIZE + 15  # townships added under 乙区, so the directory runs to a second page


@pytest.fixture
def big_world(world):
    for i in range(EXTRA):
        agency_services.create_agency(None, name=f"新村{i:03d}镇", kind=AgencyKind.TOWNSHIP,
                                      parent=world.b.district)
    ImportedReport.objects.update(published_at=timezone.now())
    return world


def names(html: str) -> list[str]:
    return re.findall(r'class="depth-\d">(?:<span class="trail">[^<]*</span>)?([^<]+?) <span', html)


@pytest.mark.parametrize("url", PAGES)
def test_the_directory_is_paged_in_tree_order(client, big_world, url):
    first = client.get(url).content.decode()
    total = 5 + EXTRA
    assert len(names(first)) == PAGE_SIZE
    assert names(first)[:3] == ["某市", "甲区", "甲乡"]
    assert "第 1 页，共 2 页" in first and "page=2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert len(names(second)) == total - PAGE_SIZE
    assert not set(names(first)) & set(names(second))


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1" * 500, "2.5", ""])
def test_a_bad_page_number_shows_a_page(client, big_world, url, page):
    r = client.get(url, {"page": page})
    assert r.status_code == 200 and names(r.content.decode())


@pytest.mark.parametrize("url", PAGES)
def test_search_finds_by_name_with_the_place_in_the_tree(client, big_world, url):
    html = client.get(url, {"q": " 乙乡 "}).content.decode()
    assert names(html) == ["乙乡"]
    assert '<span class="trail">某市 › 乙区</span>' in html
    assert "名称含“乙乡”的机关共 1 个" in html
    # every word must be in the name
    assert names(client.get(url, {"q": "新村 007"}).content.decode()) == ["新村007镇"]
    assert "没有名称含这些字的机关" in client.get(url, {"q": "不存在的机关"}).content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_search_is_paged_and_the_pager_keeps_the_words(client, big_world, url):
    html = client.get(url, {"q": "新村"}).content.decode()
    assert len(names(html)) == PAGE_SIZE and "q=%E6%96%B0%E6%9D%91&amp;page=2" in html


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("q", ["<script>alert(1)</script>", "\x00乙乡", "乙\x1f乡", "%" * 40,
                               "'; DROP TABLE agencies_agency; --", "乡" * 10_000, "_"])
def test_hostile_searches_are_harmless(client, big_world, url, q):
    r = client.get(url, {"q": q})
    html = r.content.decode()
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert len(re.search(r'name="q" value="([^"]*)"', html).group(1)) <= 50 * 6  # escaped
    assert client.get(url).status_code == 200  # nothing was dropped


def test_the_home_page_lists_published_reports_of_the_agencies_shown(client, big_world):
    html = client.get("/", {"q": "甲乡"}).content.decode()
    report = ImportedReport.objects.get(agency=big_world.a.township)
    assert f'href="/reports/{report.pk}/"' in html
    other = ImportedReport.objects.get(agency=big_world.b.township)
    assert f'href="/reports/{other.pk}/"' not in html


@pytest.mark.parametrize("url", PAGES)
def test_queries_do_not_grow_with_the_number_of_agencies(client, big_world, url,
                                                         django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(url, {"page": 2})
