"""The pager every long list shares (``templates/_macros.html``: numbers, "page p of n", a jump), its page
numbers (``pagination.page_links``), pages beyond the last, and the ``thousands`` filter."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from flask import render_template_string
from sqlalchemy import select

from competition.extensions import db
from competition.models import University
from competition.pagination import Page, PageRequest, fetch_page, page_links, pages_for, within
from competition.templating import thousands
from tests.builders import login_as

# --- page numbers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "pages", "links"),
    [
        (1, 1, [1]),
        (1, 2, [1, 2]),
        (3, 5, [1, 2, 3, 4, 5]),
        (1, 7, [1, 2, 3, None, 7]),
        (4, 20, [1, 2, 3, 4, 5, 6, None, 20]),  # page 2 rather than a gap of one page
        (6, 20, [1, None, 4, 5, 6, 7, 8, None, 20]),
        (17, 20, [1, None, 15, 16, 17, 18, 19, 20]),
        (20, 20, [1, None, 18, 19, 20]),
        (1500, 2940, [1, None, 1498, 1499, 1500, 1501, 1502, None, 2940]),
        (99, 5, [1, 2, 3, 4, 5]),  # beyond the last: as on the last
        (0, 5, [1, 2, 3, 4, 5]),
    ],
)
def test_page_links(current, pages, links):
    assert page_links(current, pages) == links


def test_page_links_never_hide_a_single_page_nor_repeat_one():
    for pages in range(1, 40):
        for current in range(1, pages + 1):
            links = page_links(current, pages)
            numbers = [n for n in links if n is not None]
            assert numbers == sorted(set(numbers)) and numbers[0] == 1 and numbers[-1] == pages
            assert current in numbers
            for before, gap, after in zip(links, links[1:], links[2:], strict=False):
                if gap is None:
                    assert after - before > 2  # a gap stands for two pages or more


def test_pages_for_and_within():
    assert [pages_for(n, 50) for n in (0, 1, 50, 51, 100, 101)] == [1, 1, 1, 2, 2, 3]
    assert within(PageRequest(7, 20), 45) == PageRequest(3, 20)
    assert within(PageRequest(2, 20), 45) == PageRequest(2, 20)
    assert within(PageRequest(4, 20), 0) == PageRequest(1, 20)


def test_fetch_page_clamps_only_when_asked(world):
    stmt = select(University).order_by(University.code)  # HZU, ZJU
    beyond = fetch_page(stmt, PageRequest(5, 1))
    assert (beyond.items, beyond.total, beyond.page) == ([], 2, 5)  # the API's answer: an empty page
    last = fetch_page(stmt, PageRequest(5, 1), clamp=True)
    assert ([u.code for u in last.items], last.total, last.page, last.pages) == (["ZJU"], 2, 2, 2)
    assert fetch_page(stmt, None, clamp=True).items == db.session.scalars(stmt).all()


# --- thousands ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (147047, "147,047"),
        (1978, "1,978"),
        (999, "999"),
        (0, "0"),
        (-12345, "-12,345"),
        (1234567, "1,234,567"),
        (Decimal("1234.50"), "1,234.50"),
        (1234.5, "1,234.5"),
        (None, ""),
        ("00123", "00123"),  # text (a 工号) is left alone
        (True, "True"),
    ],
)
def test_thousands(value, text):
    assert thousands(value) == text


def test_thousands_is_a_template_filter_in_both_languages(app):
    for lang in ("zh_Hans_CN", "en"):
        with app.test_request_context("/"):
            from flask import session

            session["lang"] = lang
            assert render_template_string("{{ 147047|thousands }} · {{ n|thousands }}", n=1978) == (
                "147,047 · 1,978"
            )


# --- the macro ----------------------------------------------------------------------------------------------

MACRO = '{% from "_macros.html" import pager %}{{ pager(page, total, "competitions.list_competitions") }}'


def rendered(app, path: str, page, total: int) -> str:
    with app.test_request_context(path):
        from flask import session

        session["lang"] = "en"
        return html.unescape(render_template_string(MACRO, page=page, total=total))


def test_the_pager_has_numbers_a_position_and_a_jump(app):
    out = rendered(app, "/competitions/?q=届&status=draft&page=6", PageRequest(6, 10), 200)
    links = re.findall(r'<a class="page-link"(?: rel="\w+")? href="([^"]+)"[^>]*>\s*(.*?)\s*</a>', out, re.S)
    numbers = [text for _, text in links if text.isdigit()]
    assert numbers == ["1", "4", "5", "6", "7", "8", "20"]
    assert out.count("…") == 2
    assert re.search(r'href="[^"]*page=6"\s*aria-current="page">6<', out)
    assert out.count('aria-current="page"') == 1
    # Every link keeps the filters; only the page changes.
    for href, _ in links:
        assert href.startswith("/competitions/?q=%E5%B1%8A&status=draft&page=")
    assert 'rel="prev" href="/competitions/?q=%E5%B1%8A&status=draft&page=5"' in out
    assert 'rel="next" href="/competitions/?q=%E5%B1%8A&status=draft&page=7"' in out
    assert re.search(r'data-testid="pager-position">Page 6 of 20<', out)
    jump = re.search(r'<form class="pager-jump" method="get" action="/competitions/">(.*?)</form>', out, re.S)
    assert jump is not None
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', jump.group(1))
    assert hidden == [("q", "届"), ("status", "draft")]
    assert re.search(r'name="page" min="1" max="20" step="1" required\s+inputmode="numeric" value="6"', out)
    assert "Go to page" in out


def test_the_pager_takes_a_page_or_a_page_request_and_shows_big_numbers_with_separators(app):
    as_request = rendered(app, "/competitions/?page=1500", PageRequest(1500, 50), 147_000)
    as_page = rendered(
        app, "/competitions/?page=1500", Page(items=[], total=147_000, page=1500, per_page=50), 147_000
    )
    assert as_request == as_page
    assert "Page 1,500 of 2,940" in as_request
    assert ">2,940</a>" in as_request and ">1,499</a>" in as_request
    assert 'max="2940"' in as_request and 'value="1500"' in as_request  # the input takes plain digits


def test_first_and_last_pages_disable_their_step(app):
    first = rendered(app, "/competitions/", PageRequest(1, 10), 25)
    assert 'rel="prev"' not in first and 'rel="next" href="/competitions/?page=2"' in first
    assert re.search(r'<li class="page-item disabled">\s*<span class="page-link">.*?Previous', first, re.S)
    last = rendered(app, "/competitions/?page=3", PageRequest(3, 10), 25)
    assert 'rel="next"' not in last and 'rel="prev" href="/competitions/?page=2"' in last
    # Beyond the last page the pager stands on the last.
    beyond = rendered(app, "/competitions/?page=9", PageRequest(9, 10), 25)
    assert "Page 3 of 3" in beyond and 'rel="next"' not in beyond


def test_one_page_has_no_pager(app):
    assert rendered(app, "/competitions/", PageRequest(1, 10), 10).strip() == ""
    assert rendered(app, "/competitions/", PageRequest(1, 10), 0).strip() == ""


def test_a_paged_list_of_another_area_gets_the_numbers(client, world, make):
    """The staff roster calls pager(page, page.total, endpoint) with a path argument (the university)."""
    for n in range(10):
        make.staff(world["zju"], f"0090{n}", f"员工{n}")
    login_as(client, "zju_admin")
    page = html.unescape(client.get("/staff/ZJU/?per_page=3&page=2&lang=en").get_data(as_text=True))
    assert re.search(r'data-testid="pager-position">Page 2 of 4<', page)
    numbers = re.findall(r'<a class="page-link" href="/staff/ZJU/\?per_page=3&page=(\d)&lang=en"', page)
    assert numbers == ["1", "2", "3", "4"]
    jump = re.search(r'<form class="pager-jump" method="get" action="/staff/ZJU/">(.*?)</form>', page, re.S)
    assert jump and '<input type="hidden" name="per_page" value="3">' in jump.group(1)
