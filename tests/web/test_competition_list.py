"""The competitions list at the scale of a province: filters (year, level, kind, university, state), a text
search and pages with numbers and a jump; the API's list keeps its contract."""

from __future__ import annotations

import html
import re

import pytest

from competition.services.competitions import COMPETITIONS_PER_PAGE
from tests.builders import Api, login_as, make_competition


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def names(page: str) -> list[str]:
    """The competitions listed, in order."""
    return re.findall(r'<h2 class="h5 mb-1"><a href="/competitions/\d+">([^<]+)</a>', page)


def total_line(page: str) -> str:
    found = re.search(r'data-testid="competition-total">\s*(.*?)\s*</p>', page, re.S)
    return re.sub(r"\s+", " ", found.group(1)) if found else ""


@pytest.fixture
def province(world, make):
    """Seven competitions that differ in one respect each, and a third university."""
    make.university("NBU", "宁波大学")
    return {
        "provincial": make_competition(name="2026年全省青年教师教学竞赛"),
        "drill": make_competition(
            name="2026年全省公文写作岗位练兵", kind="drill", eligible_categories=["admin_logistics"]
        ),
        "old": make_competition(name="2025年全省青年教师教学竞赛", year=2025, status="draft"),
        "zju": make_competition(name="2026年青年教师教学竞赛（校赛）", level="school", university="ZJU"),
        "hzu": make_competition(name="2026年财务技能竞赛", level="school", university="HZU", kind="drill"),
        "nbu": make_competition(name="2026年实验教学比赛", level="school", university="NBU"),
        "closed": make_competition(name="2026年全省课程思政教学竞赛", status="registration_closed"),
    }


def test_every_filter_narrows_the_list(client, province):
    login_as(client, "org")
    everything = text_of(client.get("/competitions/?lang=en"))
    assert len(names(everything)) == 7 and total_line(everything) == "Competitions: 7"
    # Newest first: the 2025 competition comes last.
    assert names(everything)[-1] == "2025年全省青年教师教学竞赛"

    def listed(query: str) -> set[str]:
        return set(names(text_of(client.get(f"/competitions/?{query}"))))

    assert listed("year=2025") == {"2025年全省青年教师教学竞赛"}
    assert listed("kind=drill") == {"2026年全省公文写作岗位练兵", "2026年财务技能竞赛"}
    assert listed("level=school") == {
        "2026年青年教师教学竞赛（校赛）",
        "2026年财务技能竞赛",
        "2026年实验教学比赛",
    }
    assert listed("university=HZU") == {"2026年财务技能竞赛"}
    assert listed("status=registration_closed") == {"2026年全省课程思政教学竞赛"}
    assert listed("status=draft&year=2025&level=provincial") == {"2025年全省青年教师教学竞赛"}
    assert listed("kind=drill&level=provincial") == {"2026年全省公文写作岗位练兵"}
    # Values that are not choices are ignored (a filter left empty), never an error.
    assert len(listed("status=nonsense&kind=x&university=NOPE&year=abc")) == 7


def test_the_filters_show_what_was_chosen(client, province):
    login_as(client, "org")
    page = text_of(client.get("/competitions/?university=HZU&status=registration_open&q=财务"))
    assert re.search(r'<option value="HZU" selected>杭州大学</option>', page)
    assert re.search(r'<option value="registration_open" selected>', page)
    assert 'name="q" value="财务"' in page
    assert 'data-testid="clear-filters"' in page
    # The university filter lists every university, by pinyin: 杭州 (hang), 宁波 (ning), 浙江 (zhe).
    options = re.findall(r'<option value="([A-Z]+)" ?(?:selected)?>[^<]+</option>', page)
    assert options == ["HZU", "NBU", "ZJU"]
    assert 'data-testid="clear-filters"' not in text_of(client.get("/competitions/"))


def test_search_finds_words_of_the_name_and_the_university(client, province):
    login_as(client, "org")

    def found(q: str) -> set[str]:
        return set(names(text_of(client.get("/competitions/", query_string={"q": q}))))

    assert found("岗位练兵") == {"2026年全省公文写作岗位练兵"}
    assert found("青年教师") == {
        "2026年全省青年教师教学竞赛",
        "2025年全省青年教师教学竞赛",
        "2026年青年教师教学竞赛（校赛）",
    }
    # Every word must match, each in the name or in the university: 浙江大学's school contest only.
    assert found("青年教师 浙江大学") == {"2026年青年教师教学竞赛（校赛）"}
    assert found("宁波") == {"2026年实验教学比赛"}  # by the university's name
    assert found("nbu") == {"2026年实验教学比赛"}  # by its code, in any case
    assert found("  2025  ") == {"2025年全省青年教师教学竞赛"}
    # LIKE's wildcards are text like any other.
    assert found("%") == set() and found("_") == set()
    empty = text_of(client.get("/competitions/?q=不存在的比赛&lang=en"))
    assert names(empty) == [] and "No competition matches these filters." in empty
    assert total_line(empty) == "Competitions: 0"


def test_search_stays_within_what_the_user_may_see(client, province):
    login_as(client, "hzu_admin")
    visible = {
        "2026年全省青年教师教学竞赛",
        "2026年全省公文写作岗位练兵",
        "2026年财务技能竞赛",
        "2026年全省课程思政教学竞赛",
    }
    assert set(names(text_of(client.get("/competitions/?q=2026")))) == visible
    # Another university's school contest is not found by its name nor by its university.
    assert names(text_of(client.get("/competitions/?q=浙江大学"))) == []
    # One university of their own: no university filter (the level says the same); another's code is ignored.
    page = text_of(client.get("/competitions/?university=ZJU"))
    assert 'name="university"' not in page
    assert set(names(page)) == visible


@pytest.fixture
def many(world):
    """45 provincial drafts, numbered so that the newest (the highest number) comes first."""
    return [
        make_competition(
            status="draft",
            name=f"2026年第{n:02d}届比赛",
            registration_opens=f"2026-01-01T08:{n:02d}:00+08:00",
            registration_closes="2026-12-01T08:00:00+08:00",
        )
        for n in range(1, 46)
    ]


def test_the_list_comes_in_pages_with_numbers_and_a_jump(client, many):
    assert COMPETITIONS_PER_PAGE == 20
    login_as(client, "org")
    first = text_of(client.get("/competitions/?lang=en"))
    assert names(first) == [f"2026年第{n:02d}届比赛" for n in range(45, 25, -1)]
    assert total_line(first) == "1–20 of 45 competitions"
    assert 'data-testid="pager"' in first
    assert re.search(r'data-testid="pager-position">Page 1 of 3<', first)
    # Numbers 1, 2, 3: the current one marked, each a link keeping the query.
    numbers = re.findall(
        r'<a class="page-link" href="/competitions/\?lang=en&page=(\d)"(?: aria-current="page")?>(\d)</a>',
        first,
    )
    assert numbers == [("1", "1"), ("2", "2"), ("3", "3")]
    assert 'href="/competitions/?lang=en&page=1" aria-current="page">1</a>' in first
    # The jump: a form to the same list, any page from 1 to 3.
    jump = re.search(
        r'<form class="pager-jump" method="get" action="/competitions/">(.*?)</form>', first, re.S
    )
    assert jump and 'name="page" min="1" max="3"' in jump.group(1)
    assert '<input type="hidden" name="lang" value="en">' in jump.group(1)

    third = text_of(client.get("/competitions/?lang=en&page=3"))
    assert names(third) == [f"2026年第{n:02d}届比赛" for n in range(5, 0, -1)]
    assert total_line(third) == "41–45 of 45 competitions"
    assert 'rel="prev" href="/competitions/?lang=en&page=2"' in third
    assert 'rel="next"' not in third  # the last page: "next" is not a link
    # A page beyond the last (a bookmark, a typed number) shows the last; nonsense shows the first.
    assert names(text_of(client.get("/competitions/?page=99"))) == names(third)
    assert names(text_of(client.get("/competitions/?page=0"))) == names(first)
    assert names(text_of(client.get("/competitions/?page=abc"))) == names(first)


def test_pages_keep_the_filters(client, many):
    make_competition(name="2026年全省青年教师教学竞赛")  # open: not one of the drafts
    login_as(client, "org")
    page = text_of(client.get("/competitions/?status=draft&q=届&page=2&lang=en"))
    assert len(names(page)) == 20 and total_line(page) == "21–40 of 45 competitions"
    assert 'href="/competitions/?status=draft&q=%E5%B1%8A&page=3&lang=en"' in page
    jump = re.search(r'<form class="pager-jump".*?</form>', page, re.S).group(0)
    assert '<input type="hidden" name="status" value="draft">' in jump
    assert '<input type="hidden" name="q" value="届">' in jump
    assert '<input type="hidden" name="page"' not in jump  # the page is the form's own input
    # One page of results: no pager at all.
    single = text_of(client.get("/competitions/?status=registration_open"))
    assert names(single) == ["2026年全省青年教师教学竞赛"] and 'data-testid="pager"' not in single


def test_the_api_list_keeps_its_contract(app, province):
    api = Api(app, "org")
    everything = api.get("/competitions")
    assert everything.status_code == 200 and isinstance(everything.json, list)
    assert len(everything.json) == 7
    assert {c["name"] for c in api.get("/competitions", kind="drill", level="school").json} == {
        "2026年财务技能竞赛"
    }
    assert [c["name"] for c in api.get("/competitions", university="NBU").json] == ["2026年实验教学比赛"]
    assert [c["status"] for c in api.get("/competitions", status="registration_closed").json] == [
        "registration_closed"
    ]
    assert api.get("/competitions", year="abc").status_code == 400


def test_the_api_list_takes_the_same_search(app, province):
    api = Api(app, "org")
    found = api.get("/competitions", q="岗位练兵")
    assert [c["name"] for c in found.json] == ["2026年全省公文写作岗位练兵"]
    assert {c["name"] for c in api.get("/competitions", q="NBU").json} == {"2026年实验教学比赛"}
    blank = api.get("/competitions", q="  ")
    assert blank.status_code == 200 and len(blank.json) == 7
