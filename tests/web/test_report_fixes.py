"""Reports fit to be stamped and coverage pages at a province's scale: no draft among the events held, sheets
named for what they hold, Chinese lists in pinyin order, the uncovered list searched by name or 工号, the
charts' words for screen readers, thousands separators, and the projector's screens."""

from __future__ import annotations

import html
import io
import json
import re

import pandas as pd
import pytest
from sqlalchemy import insert, select

from competition.enums import CompetitionStatus
from competition.extensions import db
from competition.models import Competition, Department, Staff
from tests.builders import api_login_as, login_as
from tests.web.test_api_coverage import YEAR, add_competition, build_covered_world

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def province(world, make):
    """The covered world (ZJU 2 of 4, HZU 1 of 2) and three universities whose code-point order is not
    their pinyin order (北京 < 安徽 < 重庆 by code point; 安徽, 北京, 重庆 by pinyin), one uncovered person
    each; ZJU gets a third uncovered person in 财务处 (cai: first by pinyin, last by code point among 后,
    文, 财); a draft competition of the year, provincial, and a school-level one of ZJU."""
    build_covered_world(world, make)
    for code, name in (("U1", "重庆大学"), ("U2", "北京大学"), ("U3", "安徽大学")):
        make.staff(make.university(code, name), f"{code}-1", "甲老师")
    make.staff(world["zju"], "00128", "吴会计", department="财务处", category="admin_logistics")
    for name, level, university in (
        ("草稿中的省赛", "provincial", None),
        ("草稿中的校赛", "school", world["zju"]),
    ):
        draft = add_competition(name, level=level, university=university)
        draft.status = CompetitionStatus.DRAFT
    db.session.commit()
    return world


def sheets(data: bytes) -> list[str]:
    return pd.ExcelFile(io.BytesIO(data), engine="calamine").sheet_names


def read(data: bytes, sheet: str) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), sheet_name=sheet, engine="calamine", dtype={"工号": str})


def chart(page: str, testid: str) -> dict:
    found = re.search(rf'data-testid="{testid}"[^>]*data-chart=\'([^\']*)\'', page)
    assert found, testid
    return json.loads(html.unescape(found.group(1)))


# --- drafts are not events held ----------------------------


def test_drafts_are_not_events_held_in_the_province_report(client, province):
    login_as(client, "org")
    page = client.get(f"/coverage/summary?year={YEAR}").get_data(as_text=True)
    assert "省青年教师教学竞赛" in page and "浙大岗位练兵" in page
    assert "草稿中" not in page
    events = read(client.get(f"/coverage/report.xlsx?year={YEAR}").data, "活动")
    assert sorted(events["名称"]) == sorted(["省青年教师教学竞赛", "浙大岗位练兵", "教职工读书会"])


def test_drafts_are_not_events_held_in_a_university_report(client, province):
    login_as(client, "zju_admin")
    for path in (f"/coverage/ZJU/summary?year={YEAR}", f"/coverage/ZJU?year={YEAR}"):
        page = client.get(path).get_data(as_text=True)
        assert "省青年教师教学竞赛" in page and "浙大岗位练兵" in page and "草稿中" not in page, path
    events = read(client.get(f"/coverage/ZJU/report.xlsx?year={YEAR}").data, "活动")
    assert events[["类型", "名称", "参与人数"]].values.tolist() == [
        ["平台竞赛", "省青年教师教学竞赛", 2],
        ["平台竞赛", "浙大岗位练兵", 1],
        ["线下活动", "教职工读书会", 1],
    ]


def test_a_competition_open_for_registration_is_held(client, province):
    draft = db.session.scalar(select(Competition).where(Competition.name == "草稿中的省赛"))
    draft.status = CompetitionStatus.REGISTRATION_OPEN
    db.session.commit()
    login_as(client, "org")
    assert "草稿中的省赛" in client.get(f"/coverage/summary?year={YEAR}").get_data(as_text=True)


# --- sheets named for what they hold -----------------------


def test_the_workbooks_sheets_are_named_for_what_they_hold(client, province):
    login_as(client, "org")
    book = client.get(f"/coverage/report.xlsx?year={YEAR}").data
    assert sheets(book) == ["汇总", "高校", "未覆盖人数", "活动", "月度趋势", "说明"]
    assert list(read(book, "高校").columns[:2]) == ["高校代码", "高校"]
    counts = read(book, "未覆盖人数")
    assert list(counts.columns) == [
        "高校代码",
        "高校",
        "教学科研岗未覆盖",
        "行政后勤岗未覆盖",
        "其他未覆盖",
        "合计未覆盖",
    ]
    assert counts.set_index("高校代码").loc["ZJU", "合计未覆盖"] == 3
    # A university's workbook: departments, and the uncovered people themselves.
    book = client.get(f"/coverage/ZJU/report.xlsx?year={YEAR}").data
    assert sheets(book) == ["汇总", "部门", "未覆盖人员", "活动", "月度趋势", "说明"]
    assert list(read(book, "未覆盖人员").columns) == ["工号", "姓名", "部门", "岗位类别"]


def test_counts_in_the_workbook_are_thousands_separated_numbers(client, province):
    import openpyxl

    login_as(client, "org")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/coverage/report.xlsx?year={YEAR}").data))["汇总"]
    assert sheet["B2"].value == 10 and sheet["B2"].number_format == "#,##0"
    assert sheet["D2"].number_format == "0.0%"


# --- pinyin order ------------------------------------------

PINYIN = ["安徽大学", "北京大学", "重庆大学", "杭州大学", "浙江大学"]


def test_universities_are_listed_by_pinyin(client, province):
    login_as(client, "org")
    book = client.get(f"/coverage/report.xlsx?year={YEAR}").data
    assert list(read(book, "高校")["高校"]) == PINYIN
    assert list(read(book, "未覆盖人数")["高校"]) == PINYIN
    page = client.get(f"/coverage/?year={YEAR}").get_data(as_text=True)
    assert re.findall(r'<option value="([^"]+)">', page.split('id="university-names"')[1])[:5] == PINYIN
    # Equal rates keep the pinyin order: in the chart, the table and the summary (0% for the three new ones).
    assert [r["name"] for r in chart(page, "chart-universities")["rows"]] == [
        "杭州大学",
        "浙江大学",
        "安徽大学",
        "北京大学",
        "重庆大学",
    ]
    rows = re.findall(r'data-testid="row-(\w+)"', page)
    assert rows == ["HZU", "ZJU", "U3", "U2", "U1"]
    # The name column sorts by pinyin in the browser too: its data-value is the pinyin rank.
    ranks = dict(re.findall(r'<td class="name-col" data-value="(\d+)"><a [^>]*>([^<]+)<', page))
    assert {name: int(rank) for rank, name in ranks.items()} == {name: i for i, name in enumerate(PINYIN)}
    summary = client.get(f"/coverage/summary?year={YEAR}").get_data(as_text=True)
    lines = summary.split('data-testid="summary-lines"')[1].split("</table>")[0]
    assert re.findall(r"<tr><td>([^<]+)</td>", lines) == [
        "杭州大学",
        "浙江大学",
        "安徽大学",
        "北京大学",
        "重庆大学",
    ]


def test_departments_are_listed_by_pinyin(client, province):
    login_as(client, "zju_admin")
    expected = ["财务处", "后勤处", "计算机学院", "文学院"]  # cai, hou, ji, wen (by code point: 后 文 计 财)
    book = client.get(f"/coverage/ZJU/report.xlsx?year={YEAR}").data
    assert list(read(book, "部门")["部门"]) == expected
    # The uncovered people by department in that order, then by 工号: in the workbook, the page and the API.
    assert list(read(book, "未覆盖人员")["工号"]) == ["00128", "00126", "00125"]
    page = client.get(f"/coverage/ZJU/uncovered?year={YEAR}").get_data(as_text=True)
    assert re.findall(r'data-testid="staff-no">([^<]+)<', page) == ["00128", "00126", "00125"]
    select_box = page.split('name="department"')[1].split("</select>")[0]
    assert re.findall(r"<option >([^<]+)</option>", select_box) == expected
    api_login_as(client, "zju_admin")
    body = client.get(f"/api/v1/universities/ZJU/coverage?year={YEAR}").get_json()
    assert [d["name"] for d in body["departments"]] == expected
    listed = client.get(f"/api/v1/universities/ZJU/uncovered?year={YEAR}").get_json()["items"]
    assert [s["staff_no"] for s in listed] == ["00128", "00126", "00125"]


# --- the uncovered list searched by name or 工号 -------------


def uncovered_numbers(client, query: str, code: str = "ZJU") -> list[str]:
    page = client.get(f"/coverage/{code}/uncovered?year={YEAR}&{query}").get_data(as_text=True)
    return re.findall(r'data-testid="staff-no">([^<]+)<', page)


def test_the_uncovered_list_is_searched_by_name_or_staff_number(client, province):
    login_as(client, "zju_admin")
    assert uncovered_numbers(client, "q=孙") == ["00125"]
    assert uncovered_numbers(client, "q=00126") == ["00126"]
    assert uncovered_numbers(client, "q=0012") == ["00128", "00126", "00125"]
    assert uncovered_numbers(client, "q=+会计+") == ["00128"]  # trimmed
    assert uncovered_numbers(client, "q=李老师") == []  # covered: not in the list, whatever the search
    assert uncovered_numbers(client, "q=%25") == []  # "%" is a character, not a wildcard
    # The search and the filters together, and the words when nothing matches.
    assert uncovered_numbers(client, "q=0012&department=文学院") == ["00125"]
    page = client.get(f"/coverage/ZJU/uncovered?year={YEAR}&q=nobody").get_data(as_text=True)
    assert "没有符合筛选条件的未覆盖人员" in page or "No uncovered staff member matches" in page
    assert 'value="nobody"' in page
    # The export takes every match, not one page, with the same search.
    assert f"uncovered.xlsx?year={YEAR}&amp;q=nobody" in page
    frame = read(client.get(f"/coverage/ZJU/uncovered.xlsx?year={YEAR}&q=0012").data, "未覆盖人员")
    assert list(frame["工号"]) == ["00128", "00126", "00125"]
    frame = read(client.get(f"/coverage/ZJU/uncovered.xlsx?year={YEAR}&q=周").data, "未覆盖人员")
    assert list(frame["姓名"]) == ["周师傅"]


def test_the_api_takes_the_search_too(client, province):
    api_login_as(client, "org")
    body = client.get(f"/api/v1/universities/ZJU/uncovered?year={YEAR}&q=孙").get_json()
    assert [s["name"] for s in body["items"]] == ["孙老师"] and body["total"] == 1
    body = client.get(f"/api/v1/universities/HZU/uncovered?year={YEAR}&q=h002").get_json()
    assert [s["staff_no"] for s in body["items"]] == ["H002"]  # a 工号 regardless of case
    body = client.get(f"/api/v1/universities/ZJU/uncovered?year={YEAR}").get_json()
    assert body["total"] == 3  # without q, as before


# --- what screen readers hear of the charts ----------------


def test_the_charts_describe_their_data_in_words(client, province):
    login_as(client, "org")
    page = client.get(f"/coverage/?year={YEAR}").get_data(as_text=True)
    bars = chart(page, "chart-universities")
    words = bars["description"]
    assert words.startswith("各高校覆盖率")
    assert words == (
        "各高校覆盖率（从高到低）：杭州大学 50.0%，浙江大学 40.0%，"
        "安徽大学 0.0%，北京大学 0.0%，重庆大学 0.0%；目标 90.0%。"
    )
    assert "NaN" not in words and "undefined" not in words
    # The chart's own aria-label says the same before ECharts runs (and ECharts is given it: coverage.js).
    assert f'aria-label="{html.escape(words, quote=True)}"' in page
    trend = chart(page, "chart-trend")["description"]
    assert trend == (
        "逐月累计覆盖人数（累计）：1月 0，2月 0，3月 1，4月 2，5月 3，6月 3，"
        "7月 3，8月 3，9月 3，10月 3，11月 3，12月 3；目标 9 人（在职 10 人）。"
    )
    page = client.get(f"/coverage/?year={YEAR}&lang=en").get_data(as_text=True)
    assert "HZU" not in chart(page, "chart-universities")["description"]
    assert chart(page, "chart-universities")["description"].startswith(
        "Coverage per university, highest first: 杭州大学 50.0%, 浙江大学 40.0%, 安徽大学 0.0%"
    )


def test_a_department_chart_describes_its_data(client, province):
    login_as(client, "zju_admin")
    page = client.get(f"/coverage/ZJU?year={YEAR}").get_data(as_text=True)
    words = chart(page, "chart-departments")["description"]
    assert "计算机学院 100.0%" in words and "财务处 50.0%" in words and "NaN" not in words


# --- thousands separators ----------------------------------


def test_counts_have_thousands_separators(client, province, make):
    big = make.university("BIG", "千人学院")
    department = make.department(big, "教务处")
    db.session.execute(
        insert(Staff),
        [
            {
                "university_id": big.id,
                "department_id": department.id,
                "staff_no": f"B{n:05d}",
                "name": f"教工{n}",
                "category": "teaching_research",
                "active": True,
            }
            for n in range(1234)
        ],
    )
    db.session.commit()
    login_as(client, "org")
    page = client.get(f"/coverage/?year={YEAR}").get_data(as_text=True)
    row = page.split('data-testid="row-BIG"')[1].split("</tr>")[0]
    assert 'data-field="headcount">1,234<' in row
    assert re.search(r'data-testid="card-total-headcount">1,244<', page)  # 10 + 1,234
    summary = client.get(f"/coverage/summary?year={YEAR}").get_data(as_text=True)
    assert "1,234" in summary
    page = client.get(f"/coverage/BIG/uncovered?year={YEAR}").get_data(as_text=True)
    assert re.search(r'data-testid="uncovered-total">[^<]*1,234', page)
    page = client.get(f"/coverage/BIG?year={YEAR}").get_data(as_text=True)
    assert 'data-field="headcount">1,234<' in page


# --- the province table reachable above the chart; the projector's screens ---


def test_the_table_is_reachable_from_above_the_chart(client, province):
    login_as(client, "org")
    page = client.get(f"/coverage/?year={YEAR}").get_data(as_text=True)
    # The search box and the jump come before the chart; the table has the anchor they lead to.
    assert page.index('data-testid="find-university"') < page.index('data-testid="chart-universities"')
    assert 'href="#universities"' in page and 'id="universities"' in page
    # Without JavaScript the search asks the server, which shows the matching rows only.
    page = client.get(f"/coverage/?year={YEAR}&q=大学").get_data(as_text=True)
    assert len(re.findall(r'data-testid="row-', page)) == 5
    page = client.get(f"/coverage/?year={YEAR}&q=zj").get_data(as_text=True)
    assert re.findall(r'data-testid="row-(\w+)"', page) == ["ZJU"] and 'data-testid="find-result"' in page
    page = client.get(f"/coverage/?year={YEAR}&q=北京").get_data(as_text=True)
    assert re.findall(r'data-testid="row-(\w+)"', page) == ["U2"]


def test_projector_mode_with_sixty_universities(client, world, make):
    for n in range(60):
        university = make.university(f"P{n:02d}", f"第{n:02d}高校")
        db.session.add(Department(university=university, name="教务处"))
    db.session.commit()
    login_as(client, "org")
    page = client.get(f"/coverage/?year={YEAR}&mode=screen").get_data(as_text=True)
    assert page.count('data-testid="tile"') == 62
    assert 'data-advance="15"' in page and 'data-refresh="60"' in page
    # Each screen is a section; a long one is cut into screens of what fits by coverage.js (data-paginate).
    assert re.findall(r'data-slide(?: data-paginate="([^"]*)")?', page) == [".tile", "", "tbody tr"]


def test_a_refresh_fetches_the_same_page(client, province):
    """coverage.js swaps in the .coverage[data-refresh] element of the same address: it must be there."""
    login_as(client, "org")
    page = client.get(f"/coverage/ZJU?year={YEAR}&mode=screen").get_data(as_text=True)
    assert re.search(r'<div class="coverage coverage-screen" data-refresh="60" data-advance="15">', page)
